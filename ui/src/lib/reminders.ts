// Deadline reminders: what to notify and when, as pure functions (tested with vitest), plus a
// small runner that wires them to the shell, the notification plugin and local storage.
// A notification carries counts only — never a name, never a reference.

import type { DueSoonDto } from '../bindings/DueSoonDto';

/** How often the open app checks again. */
export const CHECK_EVERY_MS = 60 * 60 * 1000;

/** Where the day of the last reminder is remembered (per machine, not per database). */
export const LAST_SENT_KEY = 'dsar-desk.reminder.last-sent';

/** What one reminder says. */
export interface Reminder {
  overdue: number;
  dueSoon: number;
  days: number;
}

/**
 * The reminder to send on `today` (YYYY-MM-DD), or null: nothing when reminders are off, when
 * nothing is overdue or due soon, or when one was already sent today (one a day at most).
 */
export function reminderFor(due: DueSoonDto, today: string, lastSent: string | null): Reminder | null {
  if (!due.enabled) return null;
  if (due.overdue.length === 0 && due.due_soon.length === 0) return null;
  if (lastSent === today) return null;
  return { overdue: due.overdue.length, dueSoon: due.due_soon.length, days: due.days };
}

/** What the runner needs from the outside world (injected so tests use fakes). */
export interface ReminderDeps {
  dueReminders: () => Promise<DueSoonDto>;
  /** Shows the notification; resolves false when not allowed or the plugin failed. */
  notify: (r: Reminder) => Promise<boolean>;
  today: () => string;
  load: () => string | null;
  save: (day: string) => void;
}

/**
 * Checks once and notifies when `reminderFor` says so; the day is remembered only when the
 * notification was shown, so a refused permission does not use up the day. Never throws: a
 * reminder must not break the app.
 */
export async function checkReminders(deps: ReminderDeps): Promise<Reminder | null> {
  try {
    const today = deps.today();
    const r = reminderFor(await deps.dueReminders(), today, deps.load());
    if (!r) return null;
    if (!(await deps.notify(r))) return null;
    deps.save(today);
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
