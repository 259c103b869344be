// A DPO's first day: a new encrypted desk, the firm's register, one access request answered
// end to end — in the real app window. Every number on screen is checked against the core
// (the `dsar` CLI) or against the database itself (SQLCipher's own Python binding).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, tempDesk, dsar, sql, ROOT, TODAY } from './harness.mjs';

const PASS = 'correct horse battery staple';
const { tmp, db, env } = tempDesk('fresh');
// The firm's systems as files: the demo writes Jaimo Solutions' systems beside a database of
// its own; the real fixture register, copied next to them, points at them with relative paths.
const firm = path.join(tmp, 'firm');
const register = path.join(firm, 'demo-data', 'jaimo.json');
const broken = path.join(tmp, 'broken-register.json');
// The system's viewer is a stand-in first in the app's PATH: an `xdg-open` that writes down
// what it was asked to open. The desk's document folder is in the app's data folder.
const fakeBin = path.join(tmp, 'bin');
const opened = path.join(tmp, 'xdg-open.log');
const appEnv = { ...env, PATH: `${fakeBin}${path.delimiter}${process.env.PATH}` };
const documentsDir = path.join(env.XDG_DATA_HOME, 'desk.dsar.app', 'documents');

let app;

before(async () => {
  dsar(['demo', '--db', path.join(firm, 'firm.db')], { DSAR_PASSPHRASE: 'firm-files-only' });
  copyFileSync(path.join(ROOT, 'tests', 'data', 'registers', 'jaimo.json'), register);
  // A register a colleague broke: the first system lost its purposes.
  const r = JSON.parse(readFileSync(register, 'utf8'));
  delete r.systems[0].purposes;
  writeFileSync(broken, JSON.stringify(r, null, 2));
  mkdirSync(fakeBin);
  writeFileSync(path.join(fakeBin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  chmodSync(path.join(fakeBin, 'xdg-open'), 0o755);
  app = await launch(appEnv);
});

after(async () => {
  await app?.stop();
});

test('first run: the passphrase is checked at the field and nothing typed is lost', async () => {
  await app.find('passphrase');
  await app.screenshot('01-unlock-create');
  await app.type('passphrase', 'too short');
  await app.type('passphrase-confirm', 'too short');
  await app.click('unlock-submit');
  assert.match(await app.fieldError('passphrase'), /12/);
  assert.equal(await app.value('passphrase'), 'too short');

  await app.type('passphrase', PASS);
  await app.type('passphrase-confirm', PASS + 'x');
  await app.click('unlock-submit');
  assert.match(await app.fieldError('passphrase-confirm'), /differ/);
  assert.equal(await app.value('passphrase'), PASS, 'the passphrase stays typed');
  await app.screenshot('02-unlock-errors');

  await app.type('passphrase-confirm', PASS);
  await app.click('unlock-submit');
  assert.equal(await app.text('dash-overdue'), '0');
  assert.ok(existsSync(db), 'the database file exists');
  assert.notEqual(readFileSync(db).subarray(0, 15).toString('latin1'), 'SQLite format 3', 'the file is encrypted');
  assert.equal(statSync(db).mode & 0o777, 0o600);
  await app.screenshot('03-dashboard-empty');
});

test('register: a broken file is refused at the field, the fixture register is imported', async () => {
  await app.click('nav-register');
  assert.equal(await app.text('register-import-path'), 'No file chosen');
  const inputs = await app.session.executeScript(() => document.querySelector('[data-testid="register-import-path"]').closest('.field').querySelectorAll('input').length);
  assert.equal(inputs, 0, 'no typed path: the file is chosen in the native dialog');
  await app.answerPicker(broken);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  const err = await app.fieldError('register-import-path');
  assert.match(err, /\/systems\/0/, 'the error names the JSON pointer of the broken system');
  assert.match(err, /purposes/, 'the error names the missing field');
  assert.equal((await app.text('register-import-path')).replace(/\s+/g, ' '), `${path.basename(broken)} ${path.dirname(broken)}`, 'the chosen file stays shown, its name over its folder');
  await app.screenshot('04-register-broken');

  await app.answerPicker(register);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  // Nothing is imported before the user has seen what the file adds.
  const systems = JSON.parse(readFileSync(register, 'utf8')).systems;
  const added = await app.text('register-import-preview');
  assert.match(added, /^The import adds these systems/);
  assert.equal((added.match(/New: /g) ?? []).length, systems.length, added);
  assert.deepEqual(sql(db, PASS, 'SELECT count(*) FROM register_versions'), [[0]]);
  await app.click('register-import-confirm');
  await app.textMatching('register-table', /dashboard/);
  for (const s of systems) assert.match(await app.text('register-table'), new RegExp(s.id), `system ${s.id} listed`);
  await app.screenshot('05-register');

  // A second file that drops a system and changes another: shown, then cancelled — nothing changes.
  const changed = JSON.parse(readFileSync(register, 'utf8'));
  const dropped = changed.systems.pop();
  changed.systems[0].purposes = ['Verwaltung von Stages'];
  const changedPath = path.join(path.dirname(register), 'jaimo-changed.json');
  writeFileSync(changedPath, JSON.stringify(changed));
  await app.answerPicker(changedPath);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  const diff = await app.text('register-import-preview');
  const name = (s) => (typeof s.name === 'string' ? s.name : s.name.de);
  assert.match(diff, /^What the import changes/);
  assert.ok(diff.includes(`Removed: ${name(dropped)} — no longer searched`), diff);
  assert.ok(diff.includes(`Changed: ${name(changed.systems[0])} (purposes)`), diff);
  assert.match(diff, new RegExp(`${changed.systems.length - 1} system\\(s\\) unchanged`));
  await app.screenshot('05b-register-import-diff');
  await app.click('register-import-cancel');
  assert.deepEqual(sql(db, PASS, 'SELECT count(*) FROM register_versions'), [[1]], 'cancelled: no new version');
  assert.match(await app.text('register-table'), new RegExp(dropped.id), 'the dropped system is still there');
});

let reference;

test('new case: bad input shows at the field and keeps what was typed; the due date is the engine\'s', async () => {
  await app.click('nav-new-case');
  await app.find('new-case-form');
  await app.click('create-case');
  assert.equal(await app.fieldError('name'), 'Enter the requester’s name.', 'empty name is refused at the name field');

  await app.type('name', 'Max Mustermann');
  await app.type('email', 'max.mustermann@');
  await app.setValue('received', '2026-12-24');
  await app.click('create-case');
  assert.equal(await app.fieldError('email'), 'This is not an e-mail address.', 'malformed e-mail is refused at the field');
  assert.equal(await app.fieldError('received'), 'The date is in the future.', 'a date in the future is refused at the field');
  assert.equal(await app.value('name'), 'Max Mustermann');
  assert.equal(await app.value('email'), 'max.mustermann@');
  await app.screenshot('06-new-case-errors');

  const received = '2026-11-16';
  await app.type('email', 'Max.Mustermann@example.org');
  await app.setValue('received', received);
  await app.checkbox('right-access', true);
  await app.click('create-case');
  reference = await app.textMatching('case-reference', /^DSAR-2026-\d{4}$/);

  // The deadline engine, asked through the CLI with the register's law and Land.
  const engine = JSON.parse(dsar(['deadline', '--received', received, '--jurisdiction', 'gdpr', '--region', 'DE-BW']));
  const shown = await (await app.find('effective-due')).getAttribute('data-iso');
  assert.equal(shown, engine.due);
  await app.screenshot('07-case-new');
});

test('pull: every configured system is searched and its records are shown', async () => {
  await app.click('pull');
  // The demo firm's files hold Max in these systems (src/demo/data.rs); CleverReach is an
  // HTTP API that does not run here, Gmail is searched by hand (a task).
  await app.textMatching('records-dashboard', /\d/, 30000);
  const rows = sql(db, PASS, "SELECT system_id, status, records FROM pull_results ORDER BY system_id");
  // Every system of the demo register has its result: the four file systems with Max's
  // records, CleverReach failed (no token yet), Gmail manual.
  assert.deepEqual(rows, [['cleverreach', 'error', 0], ['dashboard', 'ok', 6], ['fastbill', 'ok', 3], ['gmail', 'manual', 0], ['salesforce', 'ok', 1], ['slack', 'ok', 3]]);
  for (const [system, status, records] of rows) {
    const text = await app.text(`records-${system}`);
    // A searched system shows its count; a manual one its task, a failed one that it failed.
    const want = status === 'ok' ? new RegExp(`\\b${records}\\b`) : status === 'manual' ? /^manual – task open$/ : /^Error$/;
    assert.match(text, want, `records shown for ${system}`);
  }
  const found = rows.filter(([, , n]) => n > 0);
  assert.deepEqual(found.map(([id]) => id), ['dashboard', 'fastbill', 'salesforce', 'slack'], 'records found in the four file systems');
  await app.screenshot('08-case-pulled');

  // The records themselves, per system: the preview lists exactly what was stored.
  for (const [system, , records] of found) {
    await app.click(`system-records-${system}`);
    await app.find('evidence-table');
    await app.until(async () => (await app.all('evidence-row-0')).length === 1, `records of ${system} shown`);
    const shown = await app.session.findElements({ css: '[data-testid="evidence-table"] tr[data-testid^="evidence-row-"]' });
    assert.equal(shown.length, records, `${system}: ${records} records in the preview`);
    if (system === 'dashboard') await app.screenshot('08b-record-preview', 'evidence-panel');
    await app.click('evidence-close');
  }
  // CleverReach's token is missing: the error says where to set it; set it in Settings →
  // Secrets, re-run that one system, and it now fails for the next reason (no server here).
  assert.match(await app.text('system-row-cleverreach'), /Settings → Secrets/);
  await app.click('nav-settings');
  assert.equal(await app.text('settings-secret-state-cleverreach_token'), 'not set');
  await app.click('settings-secret-save-cleverreach_token');
  assert.equal(await app.fieldError('settings-secret-cleverreach_token'), 'Paste the token or password.', 'an empty secret is refused at the field');
  await app.type('settings-secret-cleverreach_token', 'token-typed-in-the-app');
  await app.click('settings-secret-save-cleverreach_token');
  await app.textMatching('settings-secret-state-cleverreach_token', /^set$/);
  assert.equal(await app.value('settings-secret-cleverreach_token'), '', 'the value is not kept on screen');
  await app.screenshot('08c-settings-secrets', 'settings-secrets');
  const audit = JSON.stringify(sql(db, PASS, "SELECT action, details FROM audit_events WHERE action LIKE 'secret.%'"));
  assert.match(audit, /cleverreach_token/);
  assert.doesNotMatch(audit, /token-typed-in-the-app/, 'the audit trail holds the name only');
  await app.click('nav-cases');
  await app.click(`case-link-${reference}`);
  await app.click('rerun-cleverreach');
  await app.until(async () => !/Settings → Secrets/.test(await app.text('system-row-cleverreach')), 'the secret is used on re-run', 30000);
  assert.match(await app.text('system-row-cleverreach'), /Error/);

  // The manual system (Gmail) became a task with a ready e-mail to the processor; mark it done.
  const [[taskId]] = sql(db, PASS, "SELECT id FROM tasks WHERE system_id = 'gmail'");
  assert.match(await app.text(`task-body-${taskId}`), new RegExp(reference));
  await app.click(`task-done-${taskId}`);
  await app.until(async () => sql(db, PASS, `SELECT status FROM tasks WHERE id = '${taskId}'`)[0][0] === 'done', 'task stored as done');
  await app.until(async () => (await app.all(`task-done-${taskId}`)).length === 0, 'no done button on a done task');
});

test('letter and export bundle are written; the timeline shows each step', async () => {
  const letter = path.join(tmp, `${reference}-access.pdf`);
  // A refusal needs its legal ground and the DPO's reasons: each asked for at its field, then
  // carried into the letter.
  await app.select('letter-kind', 'refusal');
  await app.click('letter-preview');
  assert.match(await app.fieldError('letter-ground'), /legal ground/);
  await app.select('letter-ground', 'art12-5-excessive');
  await app.click('letter-preview');
  assert.match(await app.fieldError('letter-reasons'), /reasons/);
  await app.type('letter-reasons', 'Die Anfrage wiederholt eine vor einer Woche beantwortete.');
  await app.click('letter-preview');
  await app.textMatching('letter-preview-body', /vor einer Woche beantwortete/);
  await app.textMatching('letter-preview-body', /offenkundig exzessiv/);
  await app.type('letter-reasons', '');

  await app.select('letter-kind', 'access-response');
  assert.equal(await app.value('letter-kind'), 'access-response');
  await app.click('letter-preview');
  const preview = await app.textMatching('letter-preview-body', /Max Mustermann/);
  assert.match(await app.text('letter-preview-subject'), new RegExp(reference));
  assert.doesNotMatch(await app.text('letter-preview-subject'), /Mustermann/, 'the subject line never carries the name');
  // The whole letter, in the firm's language: the overview names every system with its count.
  for (const line of ['- Stage Dashboard: 6 Datensätze', '- Fastbill (Rechnungen): 3 Datensätze', '- Salesforce (Kundenkommunikation, Anfragen, Buchungen): 1 Datensatz', '- Google Mail (E-Mail-Kommunikation, Cloudspeicher): Prüfung läuft noch, Ergebnis spätestens bis zum 16.12.2026']) {
    assert.ok(preview.split('\n').includes(line), `the preview lists "${line}"`);
  }
  assert.match(preview, /^Guten Tag Max Mustermann,\n\nvielen Dank für Ihre Anfrage vom 16\.11\.2026\./);
  await app.screenshot('09a-letter-preview', 'letters');
  await app.answerPicker(letter);
  await app.click('save-letter');
  // Jaimo's register leaves the retention of two systems open: the final letter is refused
  // with the gaps listed (RULES.md §3), and goes only with the DPO's reason, which is audited.
  assert.match(await app.text('letter-gap-list'), /: no storage period or criteria for it/);
  assert.ok(!existsSync(letter), 'no final letter while the register has gaps');
  await app.screenshot('09b-letter-gaps', 'letter-gap-block');
  await app.click('accept-gaps');
  assert.match(await app.fieldError('accept-reason'), /why the gaps are accepted/);
  const reason = 'Speicherdauer von Slack und Gmail wird mit der IT geklärt; Auskunft fristgerecht.';
  await app.type('accept-reason', reason);
  await app.click('accept-gaps');
  await app.until(() => existsSync(letter) && statSync(letter).size > 1000, 'the letter PDF is written', 30000);
  const [[saved]] = sql(db, PASS, "SELECT details FROM audit_events WHERE action = 'letter.saved'");
  assert.equal(JSON.parse(saved).gaps_accepted, reason, 'the accepted reason is in the audit trail');
  assert.equal(readFileSync(letter).subarray(0, 5).toString('latin1'), '%PDF-');
  const text = execFileSync('pdftotext', [letter, '-'], { encoding: 'utf8' });
  assert.match(text, new RegExp(reference));
  assert.match(text, /Max Mustermann/);
  // An access response lists what each system holds (Art. 15): the register's systems by name.
  for (const s of JSON.parse(readFileSync(register, 'utf8')).systems.slice(0, 3)) {
    const name = typeof s.name === 'string' ? s.name : (s.name.de ?? s.name.en);
    assert.ok(text.replace(/\s+/g, ' ').includes(name.replace(/\s+/g, ' ')), `letter names system ${s.id}`);
  }

  const bundle = path.join(tmp, `${reference}.zip`);
  await app.answerPicker(bundle);
  await app.click('export');
  await app.until(() => existsSync(bundle) && statSync(bundle).size > 1000, 'the bundle is written', 30000);
  const manifest = JSON.parse(execFileSync('unzip', ['-p', bundle, 'manifest.json'], { encoding: 'utf8' }));
  const pulled = sql(db, PASS, "SELECT sum(records) FROM pull_results")[0][0];
  const inBundle = manifest.systems.reduce((n, s) => n + (s.records ?? s.record_count ?? 0), 0);
  assert.equal(inBundle, pulled, 'the bundle carries every record pulled');

  // The bundle is stored as a document of the case: its event is document.saved (kind bundle).
  const steps = ['case.created', 'case.pulled', 'letter.saved', 'document.saved'];
  // The timeline tells each step in words (the action code is the item's data-action; the raw
  // details stay behind their toggles).
  await app.until(async () => (await app.all('timeline-event')).length >= 5, 'the timeline lists the steps');
  const timeline = (await Promise.all((await app.all('timeline-text')).map((el) => el.getText()))).join('\n');
  assert.match(timeline, /Export bundle stored/);
  const shown = await Promise.all((await app.all('timeline-event')).map((el) => el.getAttribute('data-action')));
  for (const step of steps) assert.ok(shown.includes(step), `timeline shows ${step}`);
  assert.match(timeline, /Case created: Access/);
  assert.match(timeline, /Letter saved: Access response \([A-Z]{2}\) · register gaps accepted: Speicherdauer von Slack und Gmail wird mit der IT geklärt; Auskunft fristgerecht\./);
  assert.doesNotMatch(timeline, /app:unknown|\{/, 'no raw JSON, a real actor');
  const events = sql(db, PASS, "SELECT action FROM audit_events").map(([a]) => a);
  for (const step of steps) assert.ok(events.includes(step), `audit has ${step}`);
  await app.screenshot('09-case-answered', 'timeline');
});

test('saved documents open in the system’s viewer: a letter from the desk’s own document folder, the bundle where it was saved', async () => {
  const [[letterId, letterName]] = sql(db, PASS, "SELECT id, file_name FROM documents WHERE kind = 'access-response' AND media_type = 'application/pdf'");
  const [[bundleId, bundlePath]] = sql(db, PASS, "SELECT id, path FROM documents WHERE kind = 'bundle'");
  const lines = () => (existsSync(opened) ? readFileSync(opened, 'utf8').split('\n').filter(Boolean) : []);
  assert.equal(await app.text(`document-open-${letterId}`), 'Open');
  await app.screenshot('09e-documents', 'documents');
  await app.click(`document-open-${letterId}`);
  await app.until(() => lines().length === 1, 'the viewer is asked to open the letter', 20000);
  const [shown] = lines();
  assert.ok(shown.startsWith(documentsDir + path.sep), `${shown} is inside the desk's document folder ${documentsDir}`);
  assert.equal(path.basename(shown), letterName, 'the viewer shows the letter under its own name');
  assert.equal(path.basename(path.dirname(shown)), letterId, 'one file per document id');
  assert.equal(readFileSync(shown).subarray(0, 4).toString('latin1'), '%PDF', 'the file there is the PDF');
  assert.equal(statSync(documentsDir).mode & 0o777, 0o700, 'the folder is the user’s alone');
  assert.equal(statSync(shown).mode & 0o777, 0o600);

  await app.click(`document-open-${bundleId}`);
  await app.until(() => lines().length === 2, 'the viewer is asked to open the bundle', 20000);
  assert.equal(lines()[1], bundlePath, 'the bundle opens where it was saved, not copied');
  assert.equal((await app.all('document-open-error')).length, 0);
});

test('the clock stops for identity or clarification, chosen not typed; the status list never shows a refused value', async () => {
  const stored = await app.value('case-status');
  // "Awaiting clarification" in the status list opens the stop-the-clock form with that reason
  // chosen; the list itself stays on the stored status until the form is sent.
  await app.select('case-status', 'awaiting-clarification');
  await app.find('pause-reason');
  assert.equal(await app.value('case-status'), stored, 'the status list keeps the stored value');
  await app.click('pause-identity');
  await app.setValue('case-action-date', TODAY);
  await app.screenshot('09d-clock-stop', 'pause-reason');
  await app.click('case-action-submit');
  await app.until(async () => sql(db, PASS, `SELECT status FROM cases WHERE reference = '${reference}'`)[0][0] === 'awaiting-identity', 'the clock stopped for identity');
  const [[why]] = sql(db, PASS, `SELECT reason FROM pauses p JOIN cases c ON c.id = p.case_id WHERE c.reference = '${reference}'`);
  assert.equal(why, 'identity');
  await app.until(async () => (await app.value('case-status')) === 'awaiting-identity', 'the list shows the new status');
  await app.click('case-action-resume');
  await app.setValue('case-action-date', TODAY);
  await app.click('case-action-submit');
  await app.until(async () => sql(db, PASS, `SELECT status FROM cases WHERE reference = '${reference}'`)[0][0] !== 'awaiting-identity', 'the clock runs again');
});

test('a wrong passphrase is refused at the field and stays typed', async () => {
  await app.stop();
  app = await launch(appEnv);
  await app.find('passphrase');
  assert.ok(!existsSync(documentsDir), 'copies opened in the viewer do not outlive the session');
  await app.type('passphrase', PASS + ' wrong');
  await app.click('unlock-submit');
  assert.match(await app.fieldError('passphrase', 20000), /[Ww]rong/);
  assert.equal(await app.value('passphrase'), PASS + ' wrong');
  await app.screenshot('10-unlock-wrong');
  await app.type('passphrase', PASS);
  await app.click('unlock-submit');
  // The desk's one case came in on 16 November, five days before the tests' today: not overdue.
  assert.deepEqual(sql(db, PASS, 'SELECT count(*), min(received) FROM cases'), [[1, '2026-11-16']]);
  assert.equal(await app.text('dash-overdue'), '0');
});

