// Dates on the wire are `YYYY-MM-DD` strings; these helpers check, compare and show them
// without time zones getting in the way (a date is a calendar day, not an instant).

import { translate, type Lang } from './i18n';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today on this machine's calendar as `YYYY-MM-DD`. */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** True when `s` is a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Compares two ISO dates; string order equals calendar order for `YYYY-MM-DD`. */
export function isAfter(a: string, b: string): boolean {
  return a > b;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_DE = ['Jan.', 'Feb.', 'März', 'Apr.', 'Mai', 'Juni', 'Juli', 'Aug.', 'Sep.', 'Okt.', 'Nov.', 'Dez.'];

/** A wire date for people: `21 Nov 2026` / `21.11.2026`; anything unparseable is shown as is. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const m = ISO_DATE.exec(iso);
  if (!m || !isIsoDate(iso)) return iso;
  const [y, mo, d] = [m[1], Number(m[2]), Number(m[3])];
  if (lang === 'de') return `${String(d).padStart(2, '0')}.${String(mo).padStart(2, '0')}.${y}`;
  return `${d} ${MONTHS_EN[mo - 1]} ${y}`;
}

/** A month key `YYYY-MM` as a short chart label (`Nov` / `Nov.`), year added in January. */
export function monthLabel(month: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const mo = Number(m[2]);
  const name = (lang === 'de' ? MONTHS_DE : MONTHS_EN)[mo - 1] ?? month;
  return mo === 1 ? `${name} ${m[1]}` : name;
}

/** Days left until the due date in words; negative means overdue. */
export function daysLeftLabel(days: number, lang: Lang): string {
  if (days === 0) return translate(lang, 'days.today');
  if (days === 1) return translate(lang, 'days.left_one');
  if (days === -1) return translate(lang, 'days.overdue_one');
  if (days > 0) return translate(lang, 'days.left', { n: days });
  return translate(lang, 'days.overdue', { n: -days });
}

/** How urgent a case looks in lists: drives colour only, the words say the same. */
export type Urgency = 'overdue' | 'soon' | 'ok' | 'closed';

/** Urgency of a case from its days left; a week or less counts as soon. */
export function urgency(daysLeft: number, overdue: boolean, closed: boolean): Urgency {
  if (closed) return 'closed';
  if (overdue || daysLeft < 0) return 'overdue';
  return daysLeft <= 7 ? 'soon' : 'ok';
}
