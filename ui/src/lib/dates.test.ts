import { describe, expect, it } from 'vitest';
import { daysLeftLabel, formatDate, isIsoDate, monthLabel, todayIso, urgency } from './dates';

describe('isIsoDate', () => {
  it.each([
    ['2026-11-21', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['21.11.2026', false],
    ['', false],
  ])('%s → %s', (s, ok) => expect(isIsoDate(s)).toBe(ok));
});

describe('todayIso', () => {
  it('pads month and day from the local calendar', () => {
    expect(todayIso(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('formatDate', () => {
  it('writes dates the way each language reads them', () => {
    expect(formatDate('2026-11-21', 'en')).toBe('21 Nov 2026');
    expect(formatDate('2026-03-07', 'de')).toBe('07.03.2026');
  });
  it('shows missing and unparseable values without throwing', () => {
    expect(formatDate(null, 'en')).toBe('—');
    expect(formatDate('soon', 'de')).toBe('soon');
  });
});

describe('monthLabel', () => {
  it('adds the year only in January', () => {
    expect(monthLabel('2026-01', 'en')).toBe('Jan 2026');
    expect(monthLabel('2026-03', 'de')).toBe('März');
  });
});

describe('daysLeftLabel', () => {
  it.each([
    [5, 'en', '5 days left'],
    [1, 'en', '1 day left'],
    [0, 'en', 'due today'],
    [-1, 'en', '1 day overdue'],
    [-12, 'en', '12 days overdue'],
    [3, 'de', 'noch 3 Tage'],
    [-2, 'de', '2 Tage überfällig'],
  ] as const)('%i in %s', (days, lang, text) => expect(daysLeftLabel(days, lang)).toBe(text));
});

describe('urgency', () => {
  it('orders closed, overdue, within a week, later', () => {
    expect(urgency(-3, true, true)).toBe('closed');
    expect(urgency(0, true, false)).toBe('overdue');
    expect(urgency(7, false, false)).toBe('soon');
    expect(urgency(8, false, false)).toBe('ok');
  });
});
