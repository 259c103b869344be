import { describe, expect, it } from 'vitest';
import { monthBars } from './chart';

describe('monthBars', () => {
  const months = [
    { month: '2026-09', received: 4, closed: 2 },
    { month: '2026-10', received: 8, closed: 0 },
  ];

  it('scales the largest value to the full height and keeps bars inside the box', () => {
    const bars = monthBars(months, 200, 100);
    expect(bars).toHaveLength(4);
    const tallest = bars.find((b) => b.month === '2026-10' && b.series === 'received');
    expect(tallest?.height).toBe(100);
    expect(tallest?.y).toBe(0);
    const half = bars.find((b) => b.month === '2026-09' && b.series === 'received');
    expect(half?.height).toBe(50);
    for (const b of bars) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(200);
      expect(b.y + b.height).toBeCloseTo(100);
    }
  });

  it('draws zero-height bars when nothing happened and nothing for no months', () => {
    const bars = monthBars([{ month: '2026-01', received: 0, closed: 0 }], 100, 50);
    expect(bars.map((b) => b.height)).toEqual([0, 0]);
    expect(monthBars([], 100, 50)).toEqual([]);
  });
});
