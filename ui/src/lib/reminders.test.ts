import { describe, expect, it, vi } from 'vitest';
import { checkReminders, reminderFor, startReminders, type Reminder, type ReminderDeps } from './reminders';
import type { DueSoonDto } from '../bindings/DueSoonDto';

const due = (over: Partial<DueSoonDto> = {}): DueSoonDto => ({
  enabled: true,
  days: 3,
  overdue: ['DSAR-2026-0001', 'DSAR-2026-0002'],
  due_soon: ['DSAR-2026-0007'],
  ...over,
});

describe('reminderFor', () => {
  it('counts overdue and due-soon cases', () => {
    expect(reminderFor(due(), '2026-11-21', null)).toEqual({ overdue: 2, dueSoon: 1, days: 3 });
  });
  it('sends nothing when reminders are off', () => {
    expect(reminderFor(due({ enabled: false }), '2026-11-21', null)).toBeNull();
  });
  it('sends nothing when nothing is due', () => {
    expect(reminderFor(due({ overdue: [], due_soon: [] }), '2026-11-21', null)).toBeNull();
  });
  it('sends at most one a day', () => {
    expect(reminderFor(due(), '2026-11-21', '2026-11-21')).toBeNull();
    expect(reminderFor(due(), '2026-11-22', '2026-11-21')).not.toBeNull();
  });
});

function deps(over: Partial<ReminderDeps> = {}): ReminderDeps & { saved: string[]; shown: Reminder[] } {
  const saved: string[] = [];
  const shown: Reminder[] = [];
  return {
    saved,
    shown,
    dueReminders: async () => due(),
    notify: async (r) => {
      shown.push(r);
      return true;
    },
    today: () => '2026-11-21',
    load: () => saved.at(-1) ?? null,
    save: (d) => saved.push(d),
    ...over,
  };
}

describe('checkReminders', () => {
  it('notifies once and remembers the day', async () => {
    const d = deps();
    expect(await checkReminders(d)).toEqual({ overdue: 2, dueSoon: 1, days: 3 });
    expect(await checkReminders(d)).toBeNull();
    expect(d.shown).toHaveLength(1);
    expect(d.saved).toEqual(['2026-11-21']);
  });
  it('does not use up the day when the notification was not shown', async () => {
    const d = deps({ notify: async () => false });
    expect(await checkReminders(d)).toBeNull();
    expect(d.saved).toEqual([]);
  });
  it('swallows a failing shell or plugin', async () => {
    const d = deps({ dueReminders: () => Promise.reject(new Error('locked')) });
    expect(await checkReminders(d)).toBeNull();
    const e = deps({ notify: () => Promise.reject(new Error('plugin missing')) });
    expect(await checkReminders(e)).toBeNull();
    expect(e.saved).toEqual([]);
  });
  it('never puts a reference into what it notifies', async () => {
    const d = deps();
    const r = await checkReminders(d);
    expect(JSON.stringify(r)).not.toContain('DSAR-');
  });
});

describe('startReminders', () => {
  it('checks now and again every interval until stopped', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const d = deps({
        dueReminders: async () => {
          calls += 1;
          return due({ overdue: [], due_soon: [] });
        },
      });
      const stop = startReminders(d, 1000);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(2500);
      expect(calls).toBe(3);
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(calls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
