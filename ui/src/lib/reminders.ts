// Deadline reminders: what to notify and when, as pure functions (tested with vitest), plus a
// small runner that wires them to the shell and the notification plugin.
// A notification carries counts only — never a name, never a reference.

import type { DueSoonDto } from '../bindings/DueSoonDto';

/** How often the open app checks again. */
export const CHECK_EVERY_MS = 60 * 60 * 1000;

/** One line of a reminder: how many cases are due within `days` days. */
export interface ReminderWindow {
  days: number;
  count: number;
}

/** What one reminder says: counts only. */
export interface Reminder {
  overdue: number;
  windows: ReminderWindow[];
  /** Retained data whose retention has ended: erase it now. */
  followUps: number;
}

/**
 * The reminder to send, or null: nothing when reminders are off, and nothing unless a case
 * reached a stage the user has not been reminded of (`fresh`: newly within a lead time, within
 * a shorter one, or newly overdue). The desk remembers what was shown, per database, so a
 * reminder neither repeats hourly nor gets lost when the app was closed on the day.
 */
export function reminderFor(due: DueSoonDto): Reminder | null {
  if (!due.enabled || due.fresh === 0) return null;
  const windows = due.windows.filter((w) => w.references.length > 0).map((w) => ({ days: w.days, count: w.references.length }));
  if (due.overdue.length === 0 && windows.length === 0 && due.follow_ups.length === 0) return null;
  return { overdue: due.overdue.length, windows, followUps: due.follow_ups.length };
}

/** What the runner needs from the outside world (injected so tests use fakes). */
export interface ReminderDeps {
  dueReminders: () => Promise<DueSoonDto>;
  /** Shows the notification; resolves false when not allowed or the plugin failed. */
  notify: (r: Reminder) => Promise<boolean>;
  /** Tells the desk the reminder was shown (its cases are then no longer fresh). */
  shown: () => Promise<unknown>;
}

/**
 * Checks once and notifies when `reminderFor` says so; the desk records it only when the
 * notification was shown, so a refused permission does not swallow the reminder. Never
 * throws: a reminder must not break the app.
 */
export async function checkReminders(deps: ReminderDeps): Promise<Reminder | null> {
  try {
    const r = reminderFor(await deps.dueReminders());
    if (!r) return null;
    if (!(await deps.notify(r))) return null;
    await deps.shown();
    return r;
  } catch {
    return null;
  }
}

/** Checks now and then every `everyMs`; returns the function that stops it. */
export function startReminders(deps: ReminderDeps, everyMs: number = CHECK_EVERY_MS): () => void {
  void checkReminders(deps);
  const id = setInterval(() => void checkReminders(deps), everyMs);
  return () => clearInterval(id);
}
