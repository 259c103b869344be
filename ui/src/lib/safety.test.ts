import { describe, expect, it } from 'vitest';
import { BACKUP_REASONS, backupErrorText, backupLine, daysSince, parseIdleMinutes, startIdleLock, type IdleEnv } from './safety';

function fakeEnv() {
  let now = 0;
  const timers: (() => void)[] = [];
  const listeners = new Map<string, (() => void)[]>();
  const env: IdleEnv = {
    now: () => now,
    every: (_ms, f) => {
      timers.push(f);
      return () => timers.splice(timers.indexOf(f), 1);
    },
    listen: (event, f) => {
      listeners.set(event, [...(listeners.get(event) ?? []), f]);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((g) => g !== f));
    },
  };
  return {
    env,
    /** Lets `ms` pass, ticking each second. */
    async pass(ms: number) {
      for (let t = 0; t < ms; t += 1000) {
        now += 1000;
        timers.forEach((f) => f());
        await Promise.resolve();
        await Promise.resolve();
      }
    },
    fire(event: string) {
      (listeners.get(event) ?? []).forEach((f) => f());
    },
    listening: () => [...listeners.values()].reduce((n, l) => n + l.length, 0),
  };
}

describe('startIdleLock', () => {
  it('locks once the idle time passes without input, not before', async () => {
    const f = fakeEnv();
    let locks = 0;
    startIdleLock(1, () => void locks++, f.env);
    await f.pass(59_000);
    expect(locks).toBe(0);
    await f.pass(1000);
    expect(locks).toBe(1);
  });

  it('starts counting again with every key press or mouse movement', async () => {
    const f = fakeEnv();
    let locks = 0;
    startIdleLock(1, () => void locks++, f.env);
    await f.pass(50_000);
    f.fire('keydown');
    await f.pass(50_000);
    f.fire('pointermove');
    await f.pass(50_000);
    expect(locks).toBe(0);
    await f.pass(10_000);
    expect(locks).toBe(1);
  });

  it('tries again after another idle period when the lock is refused, and stops cleanly', async () => {
    const f = fakeEnv();
    let tries = 0;
    const stop = startIdleLock(1, () => {
      tries++;
      return Promise.reject(new Error('a pull is running'));
    }, f.env);
    await f.pass(60_000);
    expect(tries).toBe(1);
    await f.pass(30_000);
    expect(tries).toBe(1);
    await f.pass(31_000);
    expect(tries).toBe(2);
    stop();
    expect(f.listening()).toBe(0);
    await f.pass(120_000);
    expect(tries).toBe(2);
  });
});

describe('backupLine', () => {
  const now = new Date('2026-12-03T16:00:00Z');

  it('reminds when no backup was ever made', () => {
    expect(backupLine(null, true, now, 'de')).toBe('Noch keine Sicherung erstellt. Bitte jetzt sichern – am besten einmal pro Woche.');
    expect(backupLine(null, true, now, 'en')).toBe('No backup made yet. Back up now — best once a week.');
  });

  it('names the date of a recent backup and reminds with its age when older than a week', () => {
    expect(backupLine('2026-12-03T15:00:00Z', false, now, 'de')).toMatch(/^Letzte Sicherung: 3\. Dezember 2026, \d\d:00\.$/);
    expect(backupLine('2026-11-20T15:00:00Z', true, now, 'de')).toMatch(/^Letzte Sicherung vor 13 Tagen \(20\. November 2026, \d\d:00\)\. Bitte jetzt sichern\.$/);
    expect(backupLine('2026-11-20T15:00:00Z', true, now, 'en')).toMatch(/^Last backup 13 days ago \(20 November 2026, \d\d:00\)\. Back up now\.$/);
  });

  it('counts whole days', () => {
    expect(daysSince('2026-12-03T15:59:00Z', now)).toBe(0);
    expect(daysSince('2026-11-26T15:00:00Z', now)).toBe(7);
  });
});

describe('backupErrorText', () => {
  it('words every reason the shell sends, in German without OS text', () => {
    for (const r of BACKUP_REASONS) {
      const de = backupErrorText(r, 'de');
      expect(de, r).toBeTruthy();
      expect(de).not.toMatch(/os error|\.dsar-backup-|Permission denied/);
      expect(backupErrorText(r, 'en')).not.toBe(de);
    }
    expect(backupErrorText('backup.not-allowed', 'de')).toBe(
      'Die Sicherung wurde nicht erstellt: In diesen Ordner darf DSAR desk nicht schreiben. Bitte einen Ordner wählen, in den Sie schreiben dürfen, z. B. Dokumente oder einen USB-Stick.',
    );
  });

  it('gives null for no or an unknown reason, so the message is shown instead', () => {
    expect(backupErrorText(undefined, 'de')).toBeNull();
    expect(backupErrorText('something-new', 'de')).toBeNull();
  });
});

describe('parseIdleMinutes', () => {
  it('takes whole minutes from 1 to 480', () => {
    expect(parseIdleMinutes(' 15 ')).toBe(15);
    expect(parseIdleMinutes('1')).toBe(1);
    expect(parseIdleMinutes('480')).toBe(480);
    for (const bad of ['0', '481', '1.5', '', 'zehn', '-5']) expect(parseIdleMinutes(bad), bad).toBeNull();
  });
});
