// The DPO's weekly round in the real window: an erasure acted on leaves a task for the payroll
// office (the desk cannot change its file) and a recipient to inform; a rectification and
// access request gets its corrections noted and its access letter — refused while the register
// has a gap, saved as a draft that records nothing, then sent with a reason that the timeline
// shows. A week later (the app started with a later day) the dashboard's "Needs you" lists the
// overdue answer; clicking it opens the case, where the answer is recorded with the reply file.
// The desk's records are read with SQLCipher's own Python binding, never through our code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, launchUnlocked, tempDesk, sql } from './harness.mjs';

const PASS = 'correct horse battery staple';
const JUTTA = 'jutta.kranich@example.org';
const MAX = 'max.muster@example.org';
const A_WEEK_LATER = '2026-11-30';
const { tmp, db, env } = tempDesk('weekly');
const firm = path.join(tmp, 'firm');
const shop = path.join(firm, 'shop.sqlite');
const register = path.join(firm, 'register.json');
const reply = path.join(tmp, 'Antwort Lohnbüro.eml');
const letter = path.join(tmp, 'auskunft.pdf');
const draft = path.join(tmp, 'auskunft-draft.pdf');
const REASON = 'Das Lohnbüro klärt die Speicherdauer bis Monatsende; die Auskunft geht fristgerecht hinaus.';

function makeFirm() {
  mkdirSync(firm, { recursive: true });
  const script = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, restricted INTEGER NOT NULL DEFAULT 0);
""")
for i in range(1, 21):
    email = {7: sys.argv[2], 8: sys.argv[3]}.get(i, f"person{i}@example.org")
    c.execute("INSERT INTO customers VALUES (?, ?, ?)", (i, email, f"Person {i}"))
    c.execute("INSERT INTO orders (customer_id, total) VALUES (?, ?)", (i, i * 10))
c.commit()
`;
  execFileSync('python3', ['-c', script, shop, JUTTA, MAX]);
  writeFileSync(path.join(firm, 'payroll.csv'), `email,name,iban\nperson1@example.org,Björn Groß,DE02\n${JUTTA},Jutta Kranich,DE03\n${MAX},Max Muster,DE04\n`);
  const system = (id, name, connector) => ({
    id, name, role: 'internal', purposes: ['Verkauf'], data_categories: ['Kontaktdaten'], legal_bases: ['art6-1-b'],
    retention: { description: 'Für die Dauer der Kundenbeziehung' }, recipients: [], transfers: [], source: 'data-subject',
    automated_decision_making: false, connector,
  });
  const webshop = system('shop', 'Webshop', {
    kind: 'sqlite', path: shop,
    queries: [
      { name: 'customers', sql: 'SELECT * FROM customers WHERE lower(email) = :email' },
      { name: 'orders', sql: 'SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE lower(c.email) = :email' },
    ],
    erase: [
      { name: 'orders', sql: 'DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)' },
      { name: 'customers', sql: "UPDATE customers SET email = NULL, name = 'erased' WHERE lower(email) = :email" },
    ],
    restrict: [{ name: 'orders', sql: 'UPDATE orders SET restricted = 1 WHERE customer_id IN (SELECT id FROM customers WHERE lower(email) = :email)' }],
  });
  webshop.statutory_retention = [{ law: 'HGB § 257, AO § 147', applies_to: 'Rechnungen', period: 'P8Y', datasets: ['orders'] }];
  webshop.recipients = ['Steuerberatung Kunz & Partner'];
  // No erase section: the desk cannot change the payroll file; whoever runs it is asked. Its
  // retention is left open in the register — a gap for every access answer that lists it.
  const payroll = system('payroll', 'Lohnabrechnung', { kind: 'csv', path: path.join(firm, 'payroll.csv'), match: { email: ['email'] } });
  payroll.retention = { description: 'Keine Angabe' };
  payroll.no_recipients = true;
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Kranich Möbel GmbH', address: ['Hauptstraße 1', '50667 Köln'], email: 'datenschutz@kranich.example',
      country: 'DE', region: 'DE-NW', language: 'de', jurisdiction: 'gdpr',
      supervisory_authority: { name: 'LDI NRW', address: ['Kavalleriestraße 2-4', '40213 Düsseldorf'] },
    },
    systems: [webshop, payroll],
  }, null, 2));
  writeFileSync(reply, 'From: lohnbuero@kranich.example\r\nTo: datenschutz@kranich.example\r\nSubject: Re: Löschung veranlassen\r\n\r\nErledigt, die Daten sind gelöscht.\r\n');
}

let app;
let erasure;
let rectification;
let taskId;

before(async () => {
  makeFirm();
  app = await launch(env);
});

after(async () => {
  await app?.stop();
});

/** What the timeline says, one event a line. */
async function timelineWords() {
  await app.find('timeline');
  return (await Promise.all((await app.all('timeline-text')).map((el) => el.getText()))).join('\n');
}

/** Everything on the page that runs past the window's right edge. */
async function overflowing(testid) {
  return app.session.executeScript(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] *`)].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
    testid,
  );
}

async function newCase(name, email, rights) {
  await app.click('nav-new-case');
  await app.type('name', name);
  await app.type('email', email);
  await app.setValue('received', '2026-11-10');
  for (const r of rights) await app.checkbox(`right-${r}`, true);
  await app.click('create-case');
  const reference = await app.textMatching('case-reference', /^DSAR-2026-\d{4}$/);
  await app.click('pull');
  await app.textMatching('records-payroll', /1/, 30000);
  return reference;
}

test('a new desk: nothing needs you, and the dashboard says so in words', async () => {
  await app.find('passphrase');
  await app.select('ui-lang', 'en');
  await app.type('passphrase', PASS);
  await app.type('passphrase-confirm', PASS);
  await app.click('unlock-submit');
  assert.match(await app.text('needs-empty'), /^Nothing needs you: no retained data is due for erasure/);
  await app.screenshot('50-needs-empty', 'needs-you');
  await app.click('nav-register');
  await app.answerPicker(register);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  await app.click('register-import-confirm');
  await app.textMatching('register-table', /payroll/);
});

test('an erasure acted on leaves the payroll a task whose answer the letter waits for', async () => {
  erasure = await newCase('Jutta Kranich', JUTTA, ['erasure']);
  await app.click('plan');
  await app.textMatching('plan-action-payroll', /by hand/i, 30000);
  await app.click('approve');
  await app.click('approve-confirm-yes');
  await app.textMatching('result-status-shop', /^Done$/, 30000);
  await app.click('verify');
  await app.textMatching('result-verified-shop', /Gone \/ flagged/, 30000);

  [[taskId]] = sql(db, PASS, "SELECT id FROM tasks WHERE kind = 'act-by-hand'");
  assert.deepEqual(sql(db, PASS, `SELECT due_on FROM tasks WHERE id = '${taskId}'`), [['2026-11-28']], 'the answer is due a week after acting');
  await app.find(`task-answer-${taskId}`);
  const lacks = await app.text('readiness-erasure-partial');
  assert.match(lacks, /task for system payroll is still open.*press Record the answer on its task under Tasks/);
  assert.doesNotMatch(lacks, /dsar /, 'the window names its buttons, not CLI commands');
  // The follow-up for the kept invoices reads without a CLI command too.
  const [[followUp]] = sql(db, PASS, "SELECT id FROM tasks WHERE kind = 'erase-after'");
  const body = await app.text(`task-body-${followUp}`);
  assert.match(body, /bis 2034-12-31 gesperrt\. Danach löschen\.$/);
  assert.doesNotMatch(body, /dsar /);
  await app.screenshot('51-task-open', 'tasks');

  // Today the answer is not late yet; the recipient is to be told now.
  await app.click('nav-dashboard');
  await app.textMatching('needs-notices', /Steuerberatung Kunz & Partner/);
  assert.equal((await app.all('needs-answers')).length, 0);
});

test('a rectification: corrections are noted per system, their values stay out of the audit trail', async () => {
  rectification = await newCase('Max Muster', MAX, ['access', 'rectification']);
  await app.find('corrections-none');
  await app.select('correction-system', 'shop');
  await app.type('correction-field', 'Anschrift');
  await app.type('correction-old', 'Alte Straße 1');
  await app.click('correction-add');
  assert.match(await app.fieldError('correction-new'), /correct value/);
  await app.type('correction-new', 'Alte Straße 1');
  await app.click('correction-add');
  assert.match(await app.fieldError('correction-new'), /is the value held now/);
  await app.type('correction-new', 'Neue Straße 2');
  await app.click('correction-add');
  assert.match(await app.text('correction-row-0'), /Webshop\s*Anschrift\s*Alte Straße 1\s*→\s*Neue Straße 2/);
  assert.equal(await app.value('correction-field'), '', 'the form is ready for the next one');
  assert.deepEqual(sql(db, PASS, 'SELECT system_id, field, old_value, new_value FROM rectifications'), [['shop', 'Anschrift', 'Alte Straße 1', 'Neue Straße 2']]);
  const [[noted]] = sql(db, PASS, "SELECT details FROM audit_events WHERE action = 'case.corrections-noted'");
  assert.equal(JSON.parse(noted).corrections, 1);
  assert.doesNotMatch(noted, /Straße/, 'the audit trail counts corrections, never their values');
  await app.textMatching('timeline', /Corrections noted: 1/);
  assert.equal(await overflowing('corrections'), 0, 'the corrections panel stays inside the window');
  await app.screenshot('52-corrections', 'corrections');
});

test('the access letter: refused with the register gap listed, a draft records nothing, a reason sends it', async () => {
  await app.select('letter-kind', 'access-response');
  await app.select('letter-lang', 'de');
  await app.answerPicker(letter);
  await app.click('save-letter');
  const gaps = await app.text('letter-gap-list');
  // Worded in the UI's language from the gap's code, with the system's name from the register.
  assert.match(gaps, /^Lohnabrechnung: no storage period or criteria for it — say how long/);
  assert.doesNotMatch(gaps, /retention\.description/, 'no register field names in the window');
  // The same list in German: the DPO reads it in the UI's language, never the core's English.
  await app.select('ui-lang', 'de');
  await app.textMatching('letter-gap-list', /^Lohnabrechnung: Es ist keine Speicherdauer und kein Kriterium dafür angegeben — bitte angeben, wie lange/);
  await app.select('ui-lang', 'en');
  await app.textMatching('letter-gap-list', /^Lohnabrechnung: no storage period/);
  assert.ok(!existsSync(letter), 'no final letter with a gap');
  assert.equal(await overflowing('letter-gap-block'), 0);
  await app.screenshot('53-letter-gaps', 'letters');

  await app.answerPicker(draft);
  await app.click('letter-gap-draft');
  await app.textMatching('letter-result', /Draft written to .*auskunft-draft\.pdf: marked as draft on every page; nothing recorded, nothing sent\./);
  await app.until(() => existsSync(draft) && statSync(draft).size > 1000, 'the draft PDF is written', 30000);
  assert.match(execFileSync('pdftotext', [draft, '-'], { encoding: 'utf8' }), /ENTWURF/);
  assert.ok(!existsSync(letter), 'the draft did not take the letter’s file');
  assert.deepEqual(sql(db, PASS, "SELECT count(*) FROM audit_events WHERE action IN ('letter.saved', 'document.saved', 'letter.sent')"), [[0]], 'a draft records nothing');

  await app.click('accept-gaps');
  assert.match(await app.fieldError('accept-reason'), /why the gaps are accepted/);
  await app.type('accept-reason', REASON);
  await app.click('accept-gaps');
  await app.until(() => existsSync(letter) && statSync(letter).size > 1000, 'the final letter is written', 30000);
  assert.doesNotMatch(execFileSync('pdftotext', [letter, '-'], { encoding: 'utf8' }), /ENTWURF/, 'the final letter is not marked as a draft');
  await app.textMatching('letter-result', /Saved/);
  const [[details]] = sql(db, PASS, "SELECT details FROM audit_events WHERE action = 'letter.saved'");
  assert.equal(JSON.parse(details).gaps_accepted, REASON);
  assert.deepEqual(JSON.parse(details).gap_fields, ['payroll:retention.description']);
  let timeline = '';
  await app.until(async () => (timeline = await timelineWords()).includes(REASON), 'the reason is on the timeline');
  assert.match(timeline, new RegExp(`Letter saved: Access response \\(DE\\) · register gaps accepted: ${REASON.replace(/[.;]/g, '\\$&')}`));
  await app.screenshot('54-letter-accepted', 'letters');
  await app.screenshot('55-timeline-accepted', 'timeline');
});

test('a week later, Needs you lists the overdue answer; the answer is recorded with the reply file', async () => {
  await app.stop();
  app = await launchUnlocked(PASS, { ...env, DSAR_TODAY: A_WEEK_LATER });
  await app.select('ui-lang', 'en');
  const item = await app.text(`need-${taskId}`);
  assert.match(item, new RegExp(`${erasure}\\s+Lohnabrechnung\\s+Lohnabrechnung: Löschung veranlassen\\s+answer due since 28 Nov 2026`));
  assert.match(await app.text('needs-notices'), /Webshop\s+Steuerberatung Kunz & Partner\s+open since/);
  assert.equal(await app.text('needs-count-answers'), '1');
  assert.equal(await overflowing('needs-you'), 0, 'the list stays inside the window');
  await app.screenshot('56-needs-you', 'needs-you');
  await app.select('ui-lang', 'de');
  await app.textMatching(`need-${taskId}`, /Antwort fällig seit 28\.11\.2026/);
  assert.match(await app.text('needs-you'), /Wartet auf Sie[\s\S]*Überfällige Antworten der Systemverantwortlichen[\s\S]*Empfänger noch nicht informiert/);
  await app.screenshot('57-needs-you-de', 'needs-you');
  await app.select('ui-lang', 'en');

  await app.click(`need-${taskId}`);
  assert.equal(await app.textMatching('case-reference', /^DSAR-/), erasure, 'the item opens its case');
  await app.click(`task-answer-${taskId}`);
  await app.setValue(`answer-on-${taskId}`, A_WEEK_LATER);
  await app.select(`answer-confirmed-${taskId}`, 'erased');
  await app.type(`answer-note-${taskId}`, 'Frau Weber (Lohnbüro) hat telefonisch bestätigt.');
  await app.answerPicker(path.join(tmp, 'no-such-reply.eml'));
  await app.click(`answer-reply-pick-${taskId}`);
  await app.click(`answer-save-${taskId}`);
  const refused = await app.fieldError(`answer-reply-${taskId}`);
  assert.match(refused, /The file cannot be read\. Check the path, or choose the file again\./);
  assert.doesNotMatch(refused, /no-such-reply/, 'the message does not repeat the path');
  await app.screenshot('58-answer-form', 'tasks');
  await app.answerPicker(reply);
  await app.click(`answer-reply-pick-${taskId}`);
  await app.click(`answer-save-${taskId}`);
  await app.find(`task-answered-${taskId}`);
  await app.textMatching(`task-status-${taskId}`, /Done/);
  assert.deepEqual(sql(db, PASS, `SELECT status FROM tasks WHERE id = '${taskId}'`), [['done']]);
  const [[answeredOn, confirmed, note]] = sql(db, PASS, `SELECT answered_on, confirmed, note FROM task_answers WHERE task_id = '${taskId}'`);
  assert.deepEqual([answeredOn, confirmed, note], [A_WEEK_LATER, 'erased', 'Frau Weber (Lohnbüro) hat telefonisch bestätigt.']);
  assert.deepEqual(sql(db, PASS, "SELECT file_name, media_type, length(content) FROM documents WHERE kind = 'processor-reply'"), [['Antwort Lohnbüro.eml', 'message/rfc822', statSync(reply).size]]);
  await app.textMatching('documents', /Antwort Lohnbüro\.eml\s+Reply to a task/);
  const timeline = await timelineWords();
  assert.match(timeline, /Answer recorded for Lohnabrechnung \(30 Nov 2026\): erased/);
  assert.doesNotMatch(timeline, /telefonisch/, 'the note is not in the audit trail');
  await app.until(async () => !/payroll/.test(await app.text('readiness-erasure-partial')), 'the letter no longer waits for the payroll');
  await app.textMatching('result-row-payroll', /answer of 30 Nov 2026: erased/);
  await app.screenshot('59-answer-recorded', 'tasks');

  await app.click('nav-dashboard');
  await app.find('needs-notices');
  assert.equal((await app.all(`need-${taskId}`)).length, 0, 'the answered task no longer needs you');
  assert.equal((await app.all('needs-answers')).length, 0);
  await app.screenshot('60-needs-after', 'needs-you');
});
