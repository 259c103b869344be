// Everyday safety in the real window, in the German UI: the backup reminder on a desk never
// backed up, a backup error in words (no OS error, no temporary file), the date of the last
// backup once one is made, sections of Settings that keep each other's unsaved edits, the
// automatic lock after the idle time set in Settings, and the banner on the demo desk (absent
// on the real one).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchUnlocked, tempDesk, dsar, sql, By } from './harness.mjs';

const PASS = 'safety e2e passphrase';
const { tmp, db, env } = tempDesk('safety');
const backupDir = path.join(tmp, 'Sicherungen');
const backup = path.join(backupDir, 'desk-sicherung.db');

const DEMO_BANNER = 'Demo-Desk: erfundene Fälle zum Ausprobieren. Hier bitte keine echten Anfragen erfassen – sperren und für echte Anfragen den eigenen Desk öffnen.';
const NEVER = 'Noch keine Sicherung erstellt. Bitte jetzt sichern – am besten einmal pro Woche.';
const NO_FOLDER = 'Die Sicherung wurde nicht erstellt: Den Ordner gibt es nicht. Bitte einen vorhandenen Ordner wählen.';

/** The German date of today as the app writes it ("3. Dezember 2026"). */
const todayDe = () => new Date().toLocaleDateString('de-DE', { day: 'numeric', month: 'long', year: 'numeric' });

let app;
before(async () => {
  dsar(['init', '--db', db], { DSAR_PASSPHRASE: PASS });
  app = await launchUnlocked(PASS, env, 'de');
});
after(async () => {
  await app?.stop();
});

test('a real desk shows no demo banner, and reminds of the backup never made', async () => {
  assert.equal(await app.textMatching('backup-reminder-text', /Sicherung/), NEVER);
  assert.equal(await app.text('backup-reminder-go'), 'Jetzt sichern');
  assert.equal((await app.all('demo-banner')).length, 0, 'no demo banner on a real desk');
  await app.screenshot('60-safety-reminder-real-desk');
});

test('backup: an error in German words, then the date of the last backup and no reminder', async () => {
  await app.click('backup-reminder-go');
  assert.equal(await app.textMatching('settings-backup-last', /Sicherung/), NEVER);
  await app.answerPicker(backup);
  await app.click('settings-backup');
  const error = await app.fieldError('settings-backup-path');
  assert.equal(error, NO_FOLDER);
  assert.doesNotMatch(error, /os error|\.dsar-backup-|No such file/);
  await app.screenshot('61-safety-backup-error', 'settings-backup-form');

  mkdirSync(backupDir);
  await app.answerPicker(backup);
  await app.click('settings-backup');
  await app.find('settings-backup-done');
  assert.ok(existsSync(backup));
  const line = await app.textMatching('settings-backup-last', /^Letzte Sicherung: /);
  assert.match(line, new RegExp(`^Letzte Sicherung: ${todayDe().replace('.', '\\.')}, \\d\\d:\\d\\d\\.$`));
  await app.until(async () => (await app.all('backup-reminder')).length === 0, 'the reminder goes once a backup is made');
  const stored = sql(db, PASS, "SELECT value FROM settings WHERE key = 'last_backup'")[0][0];
  assert.ok(Math.abs(Date.parse(stored) - Date.now()) < 120000, stored);
  await app.screenshot('62-safety-last-backup', 'settings-backup-last');

  // A restore with the wrong passphrase: the sentence in German, nothing replaced.
  await app.answerPicker(backup);
  await app.click('settings-restore-choose');
  await app.type('settings-restore-pass', 'nicht die Passphrase');
  await app.click('settings-restore');
  await app.click('settings-restore-confirm');
  assert.equal(
    await app.fieldError('settings-restore-pass', 30000),
    'Diese Passphrase öffnet die Sicherung nicht, oder die Datei ist keine Sicherung von DSAR desk. Bitte die Passphrase eingeben, die der Desk beim Sichern hatte.',
  );
  await app.screenshot('62b-safety-restore-error', 'settings-restore-form');
});

test('sections keep each other\'s unsaved edits: saving one and coming back loses nothing', async () => {
  await app.select('settings-default-channel', 'letter');
  assert.equal(await app.text('settings-defaults-unsaved'), 'Noch nicht gespeichert');
  await app.type('settings-reminders-days', '10, 3');
  await app.click('settings-save-reminders');
  await app.find('settings-reminders-done');
  assert.equal(await app.value('settings-default-channel'), 'letter', 'the other section keeps its edit');
  await app.click('nav-dashboard');
  await app.find('dash-overdue');
  await app.click('nav-settings');
  assert.equal(await app.value('settings-default-channel'), 'letter', 'and still after coming back');
  assert.equal(await app.value('settings-reminders-days'), '10, 3');
  assert.equal(await app.text('settings-defaults-unsaved'), 'Noch nicht gespeichert');
  await app.screenshot('62a-safety-unsaved-section', 'settings-defaults-form');
  await app.click('settings-save-defaults');
  await app.find('settings-defaults-done');
  assert.equal((await app.all('settings-defaults-unsaved')).length, 0);
  assert.equal(JSON.parse(sql(db, PASS, "SELECT value FROM settings WHERE key = 'case_defaults'")[0][0]).channel, 'letter');
});

test('automatic lock: one minute set in Settings, no input, and the desk asks for the passphrase', async () => {
  assert.equal(await app.value('settings-idle-minutes'), '15', 'the default');
  await app.type('settings-idle-minutes', '0');
  await app.click('settings-save-idle');
  assert.equal(await app.fieldError('settings-idle-minutes'), 'Ganze Minuten von 1 bis 480 eingeben.');
  await app.type('settings-idle-minutes', '1');
  await app.click('settings-save-idle');
  assert.equal(await app.textMatching('settings-idle-done', /Gespeichert/), 'Gespeichert: Der Desk sperrt sich nach einer Minute ohne Eingabe.');
  assert.equal(sql(db, PASS, "SELECT value FROM settings WHERE key = 'idle_lock_minutes'")[0][0], '1');
  await app.screenshot('63-safety-idle-lock', 'settings-idle-form');
  // No input from here: the window locks itself after a minute (checked every second).
  const started = Date.now();
  await app.until(async () => (await app.all('unlock-submit')).length > 0, 'the desk locks itself', 90000);
  const waited = Date.now() - started;
  assert.ok(waited > 45000, `locked after ${waited} ms, not before the minute`);
  assert.equal(await (await app.session.findElement(By.css('main h1'))).getText(), 'Desk entsperren');
  assert.equal((await app.all('nav-settings')).length, 0, 'no screen of the desk is left open');
  await app.screenshot('64-safety-locked');
});

test('the demo desk shows its banner in German', async () => {
  await app.click('open-demo');
  assert.equal(await app.textMatching('demo-banner', /Demo/, 120000), DEMO_BANNER);
  await app.find('dash-overdue');
  await app.screenshot('65-safety-demo-banner');
  await app.click('lock');
  await app.find('unlock-submit');
  await app.type('passphrase', PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  assert.equal((await app.all('demo-banner')).length, 0, 'back on the real desk: no banner');
  assert.equal((await app.all('backup-reminder')).length, 0, 'and its backup is recent');
});
