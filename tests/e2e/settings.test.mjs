// Settings in the real window: the DPO's data kept in the register, the passphrase changed
// (a wrong current one refused at its field), an encrypted backup written and restored, and
// the register editor — each checked in the database or on disk, not only on screen.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchUnlocked, tempDesk, dsar, sql, ROOT } from './harness.mjs';

const PASS = 'settings e2e passphrase';
const NEW_PASS = 'a new and longer passphrase';
const { tmp, db, env } = tempDesk('settings');
const backup = path.join(tmp, 'backup', 'desk-backup.db');

let app;
before(async () => {
  // A desk with the demo firm's register and cases, made by the CLI with a known passphrase.
  dsar(['demo', '--db', db], { DSAR_PASSPHRASE: PASS });
  app = await launchUnlocked(PASS, env);
});
after(async () => {
  await app?.stop();
});

test('the DPO is saved into the register as a new version; a bad e-mail stays at its field', async () => {
  await app.click('nav-settings');
  await app.find('settings-controller-name');
  assert.equal(await app.value('settings-controller-name'), 'Jaimo Solutions GmbH');
  await app.screenshot('30-settings');
  const versions = sql(db, PASS, 'SELECT count(*) FROM register_versions')[0][0];

  await app.type('settings-dpo-name', 'Dana Schutz');
  await app.type('settings-dpo-email', 'dana@');
  await app.click('settings-save-controller');
  assert.equal(await app.fieldError('settings-dpo-email'), 'Not a valid e-mail address. Enter it as name@example.org.');
  assert.equal(await app.value('settings-dpo-name'), 'Dana Schutz', 'what was typed stays');
  assert.equal(sql(db, PASS, 'SELECT count(*) FROM register_versions')[0][0], versions, 'nothing stored');

  await app.type('settings-dpo-email', 'dana.schutz@jaimo-solutions.example');
  await app.click('settings-save-controller');
  await app.find('settings-controller-done');
  assert.equal(sql(db, PASS, 'SELECT count(*) FROM register_versions')[0][0], versions + 1);
  const json = JSON.parse(sql(db, PASS, 'SELECT json FROM register_versions ORDER BY id DESC LIMIT 1')[0][0]);
  assert.equal(json.controller.dpo?.email, 'dana.schutz@jaimo-solutions.example');
});

test('reminders: two lead times by default; a bad one is refused at the field and nothing typed is lost', async () => {
  assert.equal(await app.value('settings-reminders-days'), '7, 2', 'SPEC §3: 7 and 2 days before');
  for (const bad of ['0', '7, 7', '31']) {
    await app.type('settings-reminders-days', bad);
    await app.click('settings-save-reminders');
    assert.equal(await app.fieldError('settings-reminders-days'), 'Enter one to three whole numbers of days from 1 to 30, each once, e.g. 7, 2.', bad);
    assert.equal(await app.value('settings-reminders-days'), bad, 'what was typed stays');
  }
  await app.type('settings-reminders-days', '3 14');
  await app.click('settings-save-reminders');
  await app.find('settings-reminders-done');
  assert.equal(await app.value('settings-reminders-days'), '14, 3', 'shown as stored, longest first');
  const stored = JSON.parse(sql(db, PASS, "SELECT value FROM settings WHERE key = 'reminders'")[0][0]);
  assert.deepEqual(stored.thresholds, [14, 3]);
});

test('passphrase change: the wrong current passphrase is refused at its field, the new one opens the file', async () => {
  await app.type('settings-pass-current', 'not the passphrase');
  await app.type('settings-pass-new', NEW_PASS);
  await app.type('settings-pass-repeat', NEW_PASS);
  await app.click('settings-pass-save');
  assert.equal(await app.fieldError('settings-pass-current'), 'This is not the current passphrase. Type the one you unlock the desk with.');
  assert.equal(await app.value('settings-pass-new'), NEW_PASS, 'the new passphrase stays typed');

  await app.type('settings-pass-current', PASS);
  await app.click('settings-pass-save');
  await app.find('settings-pass-done');
  assert.equal(sql(db, NEW_PASS, 'SELECT count(*) FROM cases')[0][0], 30, 'the file opens with the new passphrase');
  assert.throws(() => sql(db, PASS, 'SELECT count(*) FROM cases'), 'and no longer with the old one');
});

test('backup: an encrypted copy that opens with the passphrase; restore keeps the old file', async () => {
  await app.answerPicker(backup);
  await app.click('settings-backup');
  // The folder does not exist yet: refused at the field, the path stays for the user to fix.
  assert.match(await app.fieldError('settings-backup-path'), /folder/);
  assert.equal((await app.text('settings-backup-path')).replace(/\s+/g, ' '), `${path.basename(backup)} ${path.dirname(backup)}`, 'the file it was not saved as is shown at the error');
  await app.screenshot('31a-settings-backup-error', 'settings-backup-form');
  mkdirSync(path.dirname(backup));
  await app.answerPicker(backup);
  await app.click('settings-backup');
  await app.find('settings-backup-done');
  assert.ok(existsSync(backup));
  assert.notEqual(readFileSync(backup).subarray(0, 15).toString('latin1'), 'SQLite format 3', 'the backup is encrypted');
  assert.equal(sql(backup, NEW_PASS, 'SELECT count(*) FROM cases')[0][0], 30);
  // After the backup the desk changes (a case made by the CLI beside the app), so the restore
  // below visibly brings back the earlier state.
  dsar(['case', 'new', '--db', db, '--right', 'access', '--name', 'Nach Sicherung', '--email', 'nach.sicherung@example.org', '--received', '2026-11-20'], { DSAR_PASSPHRASE: NEW_PASS });
  assert.equal(sql(db, NEW_PASS, 'SELECT count(*) FROM cases')[0][0], 31);

  // A wrong passphrase for the backup is refused at its field and nothing is replaced.
  await app.answerPicker(backup);
  await app.click('settings-restore-choose');
  await app.type('settings-restore-pass', 'wrong passphrase here');
  await app.click('settings-restore');
  await app.click('settings-restore-confirm');
  assert.equal(await app.fieldError('settings-restore-pass'), 'This passphrase does not open the backup, or the file is not a DSAR desk backup. Enter the passphrase the desk had when the backup was made.');
  assert.equal(readdirSync(tmp).filter((f) => f.includes('before-restore')).length, 0);

  await app.type('settings-restore-pass', NEW_PASS);
  await app.click('settings-restore');
  await app.click('settings-restore-confirm');
  await app.find('settings-restore-done', 30000);
  const kept = readdirSync(tmp).filter((f) => f.includes('before-restore') && !/-(wal|shm)$/.test(f));
  assert.equal(kept.length, 1, 'the old file is kept beside it');
  assert.equal(sql(db, NEW_PASS, 'SELECT count(*) FROM cases')[0][0], 30, 'the desk is the backup again');
  assert.deepEqual(sql(db, NEW_PASS, "SELECT count(*) FROM cases WHERE subject_name = 'Nach Sicherung'"), [[0]]);
  assert.equal(sql(path.join(tmp, kept[0]), NEW_PASS, 'SELECT count(*) FROM cases')[0][0], 31, 'the replaced desk, with the later case, is kept');
  await app.screenshot('31-settings-restored', 'settings-restore-done');
});

test('register editor: a system\'s retention edited through the form becomes a new register version', async () => {
  await app.click('nav-register');
  await app.click('register-edit-fastbill');
  await app.find('register-editor');
  await app.type('register-field-name', '');
  await app.click('register-save');
  assert.equal(await app.fieldError('register-field-name'), 'Fill in this field.', 'an empty name is refused at the field');
  await app.type('register-field-name', 'Fastbill (Rechnungen)');
  await app.type('register-field-retention', 'Zehn Jahre nach Ende des Geschäftsjahres (§ 147 AO)');
  await app.screenshot('32-register-editor', 'register-editor');
  await app.click('register-save');
  await app.find('register-saved');
  const json = JSON.parse(sql(db, NEW_PASS, 'SELECT json FROM register_versions ORDER BY id DESC LIMIT 1')[0][0]);
  const fastbill = json.systems.find((s) => s.id === 'fastbill');
  assert.match(JSON.stringify(fastbill.retention), /147 AO/);
});

test('secrets: after an import moves a system, its token is blocked until allowed, naming both addresses', async () => {
  // The CLI imports the same register with CleverReach at another address while the app runs.
  const text = readFileSync(path.join(ROOT, 'tests', 'data', 'registers', 'jaimo.json'), 'utf8');
  const moved = path.join(tmp, 'jaimo-moved.json');
  writeFileSync(moved, text.replace('http://127.0.0.1:18080/', 'http://127.0.0.2:18080/'));
  dsar(['register', 'import', moved, '--db', db], { DSAR_PASSPHRASE: NEW_PASS });
  await app.click('nav-register');
  await app.click('nav-settings');
  const row = 'settings-secret-blocked-cleverreach_token-cleverreach';
  await app.find(row);
  assert.equal(
    await app.text(row),
    'cleverreach may not use it: it was set for 127.0.0.1:18080, but the register now sends it to 127.0.0.2:18080. Allow for cleverreach',
  );
  await app.screenshot('33-settings-secret-blocked', row);
  await app.click('settings-secret-allow-cleverreach_token-cleverreach');
  await app.click('settings-secret-allow-confirm');
  await app.find('settings-secrets-allowed');
  assert.equal((await app.all(row)).length, 0, 'allowed: no longer blocked');
  const bound = sql(db, NEW_PASS, "SELECT destination FROM secret_bindings WHERE secret = 'cleverreach_token' AND system_id = 'cleverreach'");
  assert.equal(bound[0][0], '127.0.0.2:18080');
  const audit = sql(db, NEW_PASS, "SELECT count(*) FROM audit_events WHERE action = 'secret.allowed'");
  assert.equal(audit[0][0], 1);
});
