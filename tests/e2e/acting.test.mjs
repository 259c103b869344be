// An erasure request acted on in the real window (SPEC §10): a firm with a plain SQLite shop
// whose invoices must be kept (HGB), a newsletter CSV that is rewritten, and a tax adviser who
// receives the shop's data (Art. 19). Plan → approve (the dialog names the counts) → carry out
// → verify → inform the recipient → the erasure-partial letter, refused before and allowed
// after. The shop's rows are read back with Python's own sqlite3 module, the desk's records
// with SQLCipher's Python binding: never through our code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launch, tempDesk, sql, TODAY } from './harness.mjs';

const PASS = 'correct horse battery staple';
const EMAIL = 'jutta.kranich@example.org';
const { tmp, db, env } = tempDesk('acting');
const firm = path.join(tmp, 'firm');
const shop = path.join(firm, 'shop.sqlite');
const newsletter = path.join(firm, 'newsletter.csv');
const register = path.join(firm, 'register.json');
const letter = path.join(tmp, 'erasure-partial.pdf');

/** Runs SQL on the shop's plain SQLite file with Python's sqlite3 module; rows as JSON. */
function shopSql(query) {
  const script = 'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute(sys.argv[2]).fetchall()))';
  return JSON.parse(execFileSync('python3', ['-c', script, shop, query], { encoding: 'utf8' }));
}

function makeFirm() {
  mkdirSync(firm, { recursive: true });
  const script = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, total REAL, restricted INTEGER NOT NULL DEFAULT 0);
""")
for i in range(1, 51):
    email = sys.argv[2] if i == 7 else f"person{i}@example.org"
    c.execute("INSERT INTO customers VALUES (?, ?, ?)", (i, email, f"Person {i}"))
    for k in range(3):
        c.execute("INSERT INTO orders (customer_id, total) VALUES (?, ?)", (i, i * 10 + k))
c.commit()
`;
  execFileSync('python3', ['-c', script, shop, 'Jutta.Kranich@example.org']);
  writeFileSync(newsletter, `email,name\nperson1@example.org,Björn Groß\n${EMAIL},Jutta Kranich\nperson2@example.org,Ärzte GmbH\n`);
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
  const letters = system('newsletter', 'Newsletter', { kind: 'csv', path: newsletter, match: { email: ['email'] }, erase: 'rewrite' });
  letters.legal_bases = ['art6-1-a'];
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Kranich Möbel GmbH', address: ['Hauptstraße 1', '50667 Köln'], email: 'datenschutz@kranich.example',
      country: 'DE', region: 'DE-NW', language: 'de', jurisdiction: 'gdpr',
      supervisory_authority: { name: 'LDI NRW', address: ['Kavalleriestraße 2-4', '40213 Düsseldorf'] },
    },
    systems: [webshop, letters],
  }, null, 2));
}

let app;
let reference;

before(async () => {
  makeFirm();
  app = await launch(env);
});

after(async () => {
  await app?.stop();
});

/** The actions of the timeline's events, in order (the text is in words; the code is an attribute). */
async function timelineActions() {
  const items = await app.all('timeline-event');
  return Promise.all(items.map((el) => el.getAttribute('data-action')));
}

/** What the timeline says, one event a line (the raw details behind their toggles left out). */
async function timelineWords() {
  await app.find('timeline');
  const items = await app.all('timeline-event');
  const lines = await Promise.all(items.map(async (el) => {
    const [what, who] = await Promise.all([el.findElement({ css: '.what' }).getText(), el.findElement({ css: '.who' }).getText()]);
    return `${what} — ${who}`;
  }));
  return lines.join('\n');
}

test('a new desk with the firm’s register and an erasure request, pulled', async () => {
  await app.find('passphrase');
  await app.select('ui-lang', 'en');
  await app.type('passphrase', PASS);
  await app.type('passphrase-confirm', PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  await app.click('nav-register');
  await app.answerPicker(register);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  await app.click('register-import-confirm');
  await app.textMatching('register-table', /newsletter/);

  await app.click('nav-new-case');
  await app.type('name', 'Jutta Kranich');
  await app.type('email', EMAIL);
  await app.setValue('received', '2026-11-10');
  await app.checkbox('right-erasure', true);
  await app.click('create-case');
  reference = await app.textMatching('case-reference', /^DSAR-2026-\d{4}$/);
  await app.click('pull');
  await app.textMatching('records-shop', /4/, 30000);
  await app.textMatching('records-newsletter', /1/);
  await app.find('actions');
});

test('before anything is done, the erasure-partial letter is refused and says what is missing', async () => {
  await app.select('letter-kind', 'erasure-partial');
  await app.select('letter-lang', 'de');
  await app.answerPicker(letter);
  await app.click('save-letter');
  const refused = await app.fieldError('letter-path');
  assert.match(refused, /has not recorded: nothing has been carried out for this case: press Plan under Actions/);
  assert.doesNotMatch(refused, /dsar case/, 'the window names its buttons, not CLI commands');
  assert.ok(!existsSync(letter), 'no letter was written');
  assert.match(await app.text('readiness-erasure-partial'), /nothing has been carried out/);
  await app.screenshot('40-acting-letter-refused', 'letters');
});

test('plan: the table names each system’s action, records, statements and until when invoices are kept', async () => {
  await app.click('plan');
  await app.find('plan-table', 30000);
  assert.equal(await app.text('plan-action-shop'), 'Keep (legal duty): restrict now, erase later');
  assert.equal(await app.text('plan-records-shop'), '4');
  const shopRow = await app.text('plan-row-shop');
  assert.match(shopRow, /restrict orders: 3 rows/);
  assert.match(shopRow, /erase customers: 1 row/);
  assert.match(await app.text('plan-kept-shop'), /31 Dec 2034[\s\S]*HGB § 257, AO § 147/);
  assert.equal(await app.text('plan-action-newsletter'), 'Erase');
  assert.match(await app.text('plan-row-newsletter'), /erase newsletter\.csv: 1 row/);
  assert.equal(await app.text('plan-state'), 'not approved yet');
  // The dry run changed nothing.
  assert.deepEqual(shopSql('SELECT count(*) FROM orders WHERE restricted = 1'), [[0]]);
  assert.match(readFileSync(newsletter, 'utf8'), /jutta\.kranich/);
  await app.screenshot('41-acting-plan', 'actions');
});

test('approve: the dialog names the counts; carrying out changes exactly the subject’s rows', async () => {
  await app.click('approve');
  const counts = await app.text('approve-counts');
  assert.equal(counts, 'Erase 2 records in 2 systems, restrict 3 records in 1 system.');
  await app.screenshot('42-acting-confirm', 'actions');
  // Cancel in the dialog changes nothing.
  await app.click('approve-confirm-no');
  assert.equal((await app.all('approve-confirm')).length, 0);
  assert.deepEqual(sql(db, PASS, 'SELECT count(*) FROM action_plans WHERE approved_at IS NOT NULL'), [[0]]);

  // The newsletter file is away (a colleague has it open elsewhere): that system fails, the
  // shop goes on; once the file is back, Re-run carries out the newsletter alone.
  renameSync(newsletter, `${newsletter}.away`);
  await app.click('approve');
  await app.click('approve-confirm-yes');
  await app.textMatching('result-status-shop', /^Done$/, 30000);
  await app.textMatching('result-status-newsletter', /^Failed$/);
  assert.equal(await app.text('result-error-newsletter'), 'The system’s file or folder is missing. Check the path in the register or restore the file.', 'the failure is explained in words');
  assert.deepEqual(sql(db, PASS, "SELECT status FROM action_results WHERE system_id = 'newsletter'"), [['error']]);
  await app.screenshot('43a-acting-failed', 'actions');
  renameSync(`${newsletter}.away`, newsletter);
  await app.click('rerun-act-newsletter');
  await app.textMatching('result-status-newsletter', /^Done$/, 30000);
  assert.equal((await app.all('rerun-act-newsletter')).length, 0, 'no Re-run on a system that is done');
  assert.match(await app.text('result-row-shop'), /erased 1 record, restricted 3 records/);
  assert.equal(await app.text('plan-state'), 'approved');
  // The shop: the subject's three invoices kept and flagged, the customer erased, nobody else touched.
  assert.deepEqual(shopSql('SELECT count(*) FROM orders WHERE customer_id = 7 AND restricted = 1'), [[3]]);
  assert.deepEqual(shopSql('SELECT count(*) FROM orders WHERE restricted = 1'), [[3]]);
  assert.deepEqual(shopSql('SELECT count(*) FROM orders'), [[150]]);
  assert.deepEqual(shopSql("SELECT email, name FROM customers WHERE id = 7"), [[null, 'erased']]);
  assert.deepEqual(shopSql('SELECT count(*) FROM customers WHERE email IS NOT NULL'), [[49]]);
  // The newsletter file: the subject's line gone, the others byte for byte.
  assert.equal(readFileSync(newsletter, 'utf8'), 'email,name\nperson1@example.org,Björn Groß\nperson2@example.org,Ärzte GmbH\n');
  // Recorded: approval, both systems done, the follow-up to erase the invoices after 2034.
  assert.deepEqual(sql(db, PASS, "SELECT system_id, status FROM action_results ORDER BY system_id"), [['newsletter', 'done'], ['shop', 'done']]);
  const [[title, due]] = sql(db, PASS, "SELECT title, due_on FROM tasks WHERE kind = 'erase-after'");
  assert.match(title, /2034-12-31/);
  assert.equal(due, '2034-12-31');
  assert.match(await app.text('readiness-erasure-partial'), /not verified/);
  await app.screenshot('43-acting-done', 'actions');
});

test('verify: both systems searched again, the letter no longer lacks anything', async () => {
  await app.click('verify');
  await app.textMatching('result-verified-shop', /Gone \/ flagged/, 30000);
  await app.textMatching('result-verified-newsletter', /Gone \/ flagged/);
  assert.deepEqual(sql(db, PASS, 'SELECT system_id, ok FROM verifications ORDER BY system_id'), [['newsletter', 1], ['shop', 1]]);
  await app.find('readiness-ok-erasure-partial');
  await app.screenshot('44-acting-verified', 'actions');
});

test('the recipient: refused without a channel, then marked sent with day and channel', async () => {
  const [[id, recipient, status]] = sql(db, PASS, 'SELECT id, recipient, status FROM recipient_notices');
  assert.equal(recipient, 'Steuerberatung Kunz & Partner');
  assert.equal(status, 'open');
  assert.match(await app.text(`notice-${id}`), /Steuerberatung Kunz & Partner[\s\S]*Notification \(another controller\)[\s\S]*Webshop[\s\S]*Open/);
  assert.match(await app.text('readiness-recipients-informed'), /still open/);
  // The ready letter is there to read and copy.
  await app.click(`notice-letter-toggle-${id}`);
  assert.match(await app.text(`notice-letter-${id}`), new RegExp(reference));
  await app.screenshot('45-acting-notice-open', 'notices');

  await app.setValue(`notice-date-${id}`, TODAY);
  await app.click(`notice-sent-${id}`);
  assert.match(await app.fieldError(`notice-channel-${id}`), /how it was sent/);
  assert.deepEqual(sql(db, PASS, 'SELECT status FROM recipient_notices'), [['open']]);
  await app.type(`notice-channel-${id}`, 'E-Mail');
  await app.click(`notice-sent-${id}`);
  await app.textMatching(`notice-status-${id}`, /Sent on 21 Nov 2026 by E-Mail/);
  assert.deepEqual(sql(db, PASS, 'SELECT status, sent_on, channel FROM recipient_notices'), [['sent', '2026-11-21', 'E-Mail']]);
  await app.find('readiness-ok-recipients-informed');
  await app.screenshot('46-acting-notice-sent', 'notices');
});

test('the erasure-partial letter is saved now; the timeline tells every step in words', async () => {
  await app.answerPicker(letter);
  await app.click('save-letter');
  await app.until(() => existsSync(letter) && statSync(letter).size > 1000, 'the letter PDF is written', 30000);
  const text = execFileSync('pdftotext', [letter, '-'], { encoding: 'utf8' });
  assert.match(text, new RegExp(reference));
  assert.match(text, /2034/, 'the letter says until when the invoices are kept');

  // The file is written before the case is reloaded: wait for the timeline to show it.
  let actions = [];
  await app.until(async () => (actions = await timelineActions()).includes('letter.saved'), 'the timeline shows the saved letter');
  for (const a of ['case.created', 'case.pulled', 'case.planned', 'plan.approved', 'system.acted', 'case.acted', 'case.verified', 'notice.updated', 'letter.saved']) {
    assert.ok(actions.includes(a), `timeline shows ${a}: ${actions}`);
  }
  let timeline = '';
  await app.until(async () => /Letter saved: Partial erasure \(DE\)/.test((timeline = await timelineWords())), 'the letter is on the timeline');
  assert.match(timeline, /Searched 2 systems: 5 records found/);
  assert.match(timeline, /Plan made: erase 2 records in 2 systems, restrict 3 records in 1 system/);
  // The first run (the newsletter failed), then the newsletter's re-run alone.
  assert.match(timeline, /Newsletter: failed, nothing changed/);
  assert.match(timeline, /Erased 1 record in 1 system · restricted 3 records \(orders\) until 31 Dec 2034 · 1 system failed · 1 recipient to inform/);
  assert.match(timeline, /Newsletter: erased 1 record[\s\S]*\nErased 1 record in 1 system — /);
  assert.match(timeline, /Verified 2 systems: erased data gone, restricted data flagged/);
  assert.match(timeline, /Recipient of Webshop informed/);
  assert.doesNotMatch(timeline, /app:unknown|"reference"|\{/, 'no raw JSON and a real actor on the timeline');
  const [[actor]] = sql(db, PASS, "SELECT actor FROM audit_events WHERE action = 'plan.approved'");
  assert.match(actor, /^app:\S+$/);
  assert.notEqual(actor, 'app:unknown');
  assert.ok(timeline.includes(`${actor.slice(4)} (app)`), 'the actor is named on the timeline');

  // The raw record is behind a toggle and stays inside the window.
  const raws = await app.all('timeline-raw');
  assert.equal((await Promise.all(raws.map((r) => r.isDisplayed()))).filter(Boolean).length, 0, 'raw details are hidden until asked for');
  const toggles = await app.session.findElements({ css: '[data-testid="timeline"] details.raw summary' });
  await toggles.at(-2).click();
  assert.ok(await raws.at(-2).isDisplayed());
  assert.match(await raws.at(-2).getText(), /"kind": "erasure-partial"/);
  const width = await app.session.executeScript(() => document.documentElement.clientWidth);
  const overflow = await app.session.executeScript(() =>
    [...document.querySelectorAll('[data-testid="timeline"] *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
  );
  assert.equal(overflow, 0, `nothing in the timeline runs past the window's ${width} px`);
  await app.screenshot('47-acting-timeline', 'timeline');
});

test('in German the panel and the timeline read in German', async () => {
  await app.select('ui-lang', 'de');
  assert.equal(await app.text('plan-action-shop'), 'Aufbewahren (Pflicht): jetzt einschränken, später löschen');
  await app.textMatching('result-verified-shop', /Gelöscht \/ markiert/);
  const timeline = await timelineWords();
  assert.match(timeline, /Brief gespeichert: Teilweise Löschung \(DE\)/);
  assert.match(timeline, /Fall angelegt: Löschung · eingegangen am 10\.11\.2026 \(E-Mail\)/);
  assert.match(timeline, /1 Datensatz in 1 System gelöscht · 3 Datensätze \(orders\) bis 31\.12\.2034 eingeschränkt · 1 System fehlgeschlagen/);
  await app.screenshot('48-acting-de', 'actions');
  await app.screenshot('49-acting-timeline-de', 'timeline');
  await app.select('ui-lang', 'en');
});
