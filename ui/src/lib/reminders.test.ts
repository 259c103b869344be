import { describe, expect, it, vi } from 'vitest';
import { checkReminders, reminderFor, startReminders, type Reminder, type ReminderDeps } from './reminders';
import { reminderText } from './notify';
import type { DueSoonDto } from '../bindings/DueSoonDto';

const due = (over: Partial<DueSoonDto> = {}): DueSoonDto => ({
  enabled: true,
  overdue: ['DSAR-2026-0001', 'DSAR-2026-0002'],
  windows: [
    { days: 2, references: ['DSAR-2026-0007'] },
    { days: 7, references: [] },
  ],
  fresh: 1,
  follow_ups: [],
  ...over,
});

describe('reminderFor', () => {
  it('counts overdue cases and those within each lead time that holds any', () => {
    expect(reminderFor(due())).toEqual({ overdue: 2, windows: [{ days: 2, count: 1 }], followUps: 0 });
  });
  it('sends nothing when reminders are off', () => {
    expect(reminderFor(due({ enabled: false }))).toBeNull();
  });
  it('sends nothing when no case reached a new stage', () => {
    expect(reminderFor(due({ fresh: 0 }))).toBeNull();
  });
  it('reminds of a retention that ended even when no case is due', () => {
    const r = reminderFor(due({ overdue: [], windows: [], follow_ups: ['0193-task'] }));
    expect(r).toEqual({ overdue: 0, windows: [], followUps: 1 });
    expect(reminderText('de', r as Reminder).body).toBe('1 Aufbewahrungsfrist(en) abgelaufen: Daten jetzt löschen');
  });
  it('sends nothing when nothing is due', () => {
    expect(reminderFor(due({ overdue: [], windows: [{ days: 7, references: [] }] }))).toBeNull();
  });
});

type FakeDeps = ReminderDeps & { marked: number; shownTo: Reminder[] };

function deps(over: Partial<ReminderDeps> = {}): FakeDeps {
  // The desk's side: fresh until the reminder is recorded as shown.
  let fresh = 1;
  const d: FakeDeps = {
    marked: 0,
    shownTo: [],
    dueReminders: async (): Promise<DueSoonDto> => due({ fresh }),
    notify: async (r: Reminder) => {
      d.shownTo.push(r);
      return true;
    },
    shown: async () => {
      d.marked += 1;
      fresh = 0;
    },
    ...over,
  };
  return d;
}

describe('checkReminders', () => {
  it('notifies once and tells the desk, which then has nothing fresh', async () => {
    const d = deps();
    expect(await checkReminders(d)).toEqual({ overdue: 2, windows: [{ days: 2, count: 1 }], followUps: 0 });
    expect(await checkReminders(d)).toBeNull();
    expect(d.shownTo).toHaveLength(1);
    expect(d.marked).toBe(1);
  });
  it('does not record a reminder that was not shown', async () => {
    const d = deps({ notify: async () => false });
    expect(await checkReminders(d)).toBeNull();
    expect(d.marked).toBe(0);
  });
  it('swallows a failing shell or plugin', async () => {
    const d = deps({ dueReminders: () => Promise.reject(new Error('locked')) });
    expect(await checkReminders(d)).toBeNull();
    const e = deps({ notify: () => Promise.reject(new Error('plugin missing')) });
    expect(await checkReminders(e)).toBeNull();
    expect(e.marked).toBe(0);
  });
  it('never puts a reference into what it notifies', async () => {
    const r = await checkReminders(deps());
    expect(r).not.toBeNull();
    expect(JSON.stringify(r)).not.toContain('DSAR-');
    expect(JSON.stringify(reminderText('en', r as Reminder))).not.toContain('DSAR-');
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
          return due({ fresh: 0 });
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
