// Geometry for the Dashboard's cases-per-month chart: pairs of bars in plain SVG, so no chart
// library is shipped for one small picture.

import type { MonthCount } from '../api';

/** One bar in SVG user units. */
export interface Bar {
  month: string;
  series: 'received' | 'closed';
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bars for `months` in a `width` × `height` box, tallest value touching the top. */
export function monthBars(months: readonly MonthCount[], width: number, height: number): Bar[] {
  if (months.length === 0 || width <= 0 || height <= 0) return [];
  const max = Math.max(1, ...months.map((m) => Math.max(m.received, m.closed)));
  const slot = width / months.length;
  const barWidth = (slot * 0.8) / 2;
  const gap = slot * 0.1;
  const bars: Bar[] = [];
  months.forEach((m, i) => {
    const x0 = i * slot + gap;
    for (const [j, series] of (['received', 'closed'] as const).entries()) {
      const value = m[series];
      const h = (value / max) * height;
      bars.push({ month: m.month, series, value, x: x0 + j * barWidth, y: height - h, width: barWidth, height: h });
    }
  });
  return bars;
}
