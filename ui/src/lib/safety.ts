// Everyday safety in the window: locking the desk after a time without input, the last
// backup in words (and when to remind), and backup errors worded from their reason code.

import { translate, type Key, type Lang } from './i18n';

/** The input that counts as "someone is at the desk". */
export const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** What the idle lock needs from its surroundings (the window and a clock in the app, fakes in tests). */
export interface IdleEnv {
  now: () => number;
  every: (ms: number, f: () => void) => () => void;
  listen: (event: string, f: () => void) => () => void;
}

const browserEnv: IdleEnv = {
  now: () => Date.now(),
  every: (ms, f) => {
    const id = setInterval(f, ms);
    return () => clearInterval(id);
  },
  listen: (event, f) => {
    window.addEventListener(event, f, { passive: true, capture: true });
    return () => window.removeEventListener(event, f, { capture: true });
  },
};

/**
 * Calls `lock` once `minutes` pass without mouse, keyboard or touch input. A refused lock (work
 * still running) is tried again after the next idle period. Returns the function that stops
 * watching.
 */
export function startIdleLock(minutes: number, lock: () => Promise<unknown> | void, env: IdleEnv = browserEnv): () => void {
  const limit = Math.max(1, minutes) * 60_000;
  let last = env.now();
  let locking = false;
  const touch = () => {
    last = env.now();
  };
  const unlisten = ACTIVITY_EVENTS.map((e) => env.listen(e, touch));
  const stopTimer = env.every(1000, () => {
    if (locking || env.now() - last < limit) return;
    locking = true;
    Promise.resolve()
      .then(lock)
      .catch(() => {})
      .finally(() => {
        locking = false;
        last = env.now();
      });
  });
  return () => {
    stopTimer();
    unlisten.forEach((u) => u());
  };
}

/** Whole days from `iso` to `now` (0 on the same day or for a time in the future). */
export function daysSince(iso: string, now: Date): number {
  const then = new Date(iso).getTime();
  return Math.max(0, Math.floor((now.getTime() - then) / 86_400_000));
}

/** A moment as the user reads it: "3. Dezember 2026, 16:20" / "3 December 2026, 16:20", local time. */
export function formatMoment(iso: string, lang: Lang): string {
  const d = new Date(iso);
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const day = d.toLocaleDateString(locale, { day: 'numeric', month: 'long', year: 'numeric' });
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return `${day}, ${time}`;
}

/** The line about the last backup: when it was made, and a reminder when one is due. */
export function backupLine(lastBackup: string | null, due: boolean, now: Date, lang: Lang): string {
  if (lastBackup === null) return translate(lang, 'safety.backup_never');
  const date = formatMoment(lastBackup, lang);
  if (!due) return translate(lang, 'safety.backup_last', { date });
  return translate(lang, 'safety.backup_old', { date, days: daysSince(lastBackup, now) });
}

const BACKUP_REASONS = [
  'backup.no-folder',
  'backup.not-allowed',
  'backup.disk-full',
  'backup.is-folder',
  'backup.write-failed',
  'backup.same-file',
  'backup.not-encrypted',
  'restore.missing',
  'restore.wrong-passphrase',
  'restore.damaged',
  'restore.audit-broken',
  'restore.too-new',
  'restore.swap',
  'store',
] as const;

/** The sentence for a backup or restore error's reason code; `null` for an unknown code. */
export function backupErrorText(reason: string | undefined, lang: Lang): string | null {
  if (!reason || !(BACKUP_REASONS as readonly string[]).includes(reason)) return null;
  return translate(lang, `backup_error.${reason}` as Key);
}

/** Minutes typed into the idle-lock field, or `null` when not whole minutes from 1 to 480. */
export function parseIdleMinutes(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,3}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 480 ? n : null;
}

export { BACKUP_REASONS };
