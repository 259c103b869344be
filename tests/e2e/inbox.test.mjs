// A request e-mail becomes a case in the German window: dropped on the window (a drag-and-drop
// of a real .eml file's bytes), proposed with its sender, name, day, rights and attachment,
// created with Enter, found in the case list. The same sender again is flagged as a possible
// repeat, in the Inbox and on New case, with the earlier case's reference. The case screen then
// records how identity was established (held data matched in the shop) and who made a request
// for someone else. Records are read back with SQLCipher's own Python binding.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, launch, tempDesk, sql } from './harness.mjs';

const PASS = 'correct horse battery staple';
const { tmp, db, env } = tempDesk('inbox');
const firm = path.join(tmp, 'firm');
const shop = path.join(firm, 'shop.sqlite');
const register = path.join(firm, 'register.json');

// A request as it arrives from a web mailer: quoted-printable German, a name in the From line,
// a scan of the ID card attached.
const ERIKA_MAIL = [
  'Return-Path: <erika.mustermann@example.org>',
  'From: "Erika Mustermann" <Erika.Mustermann@example.org>',
  'To: Datenschutz Kranich <datenschutz@kranich.example>',
  'Date: Tue, 17 Nov 2026 09:12:44 +0100',
  'Subject: =?UTF-8?Q?Auskunftsersuchen_nach_Art=2E_15_DSGVO_=E2=80=93_Kundennummer_K-1001?=',
  'Message-ID: <20261117091244.4711@mail.example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Sehr geehrte Damen und Herren,',
  '',
  'hiermit mache ich von meinem Recht auf Auskunft nach Art. 15 DSGVO Gebrauch.',
  'Bitte teilen Sie mir mit, welche personenbezogenen Daten Sie =C3=BCber mich',
  'speichern, zu welchen Zwecken und an wen Sie diese weitergegeben haben, und',
  'senden Sie mir eine Kopie der Daten.',
  '',
  'Zur Identifizierung lege ich eine Kopie meines Personalausweises bei.',
  '',
  'Mit freundlichen Gr=C3=BC=C3=9Fen',
  'Erika Mustermann',
  'Heidestra=C3=9Fe 17, 51147 K=C3=B6ln',
  '',
  '--b1',
  'Content-Type: application/pdf; name="Personalausweis.pdf"',
  'Content-Disposition: attachment; filename="Personalausweis.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4\n% Ausweiskopie (Testdatei)\n'.repeat(40)).toString('base64').replace(/.{76}/g, '$&\r\n'),
  '--b1--',
  '',
].join('\r\n');

// The same person writes again three days later, with a different subject.
const ERIKA_AGAIN = [
  'From: Erika Mustermann <erika.mustermann@example.org>',
  'To: datenschutz@kranich.example',
  'Date: Fri, 20 Nov 2026 18:03:10 +0100',
  'Subject: Nachfrage: meine Auskunft',
  'Message-ID: <20261120180310.99@mail.example.org>',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Guten Tag, ich bitte nochmals um Auskunft über meine gespeicherten Daten.',
  'Erika Mustermann',
  '',
].join('\r\n');

// Not a request: no right in it, no display name.
const SPAM = [
  'From: gewinn@promo.example',
  'To: datenschutz@kranich.example',
  'Date: Wed, 18 Nov 2026 03:14:00 +0100',
  'Subject: Ihr Gewinnspiel-Gutschein',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Herzlichen Glueckwunsch, Sie haben gewonnen! Klicken Sie hier.',
  '',
].join('\r\n');

function system(id, name, connector) {
  return {
    id, name, role: 'internal', purposes: ['Verkauf'], data_categories: ['Kontaktdaten'], legal_bases: ['art6-1-b'],
    retention: { description: 'Für die Dauer der Kundenbeziehung' }, recipients: [], transfers: [], source: 'data-subject',
    automated_decision_making: false, connector,
  };
}

function makeFirm() {
  mkdirSync(firm, { recursive: true });
  const script = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, name TEXT, customer_no TEXT);")
c.execute("INSERT INTO customers (email, name, customer_no) VALUES ('erika.mustermann@example.org', 'Erika Mustermann', 'K-1001')")
c.execute("INSERT INTO customers (email, name, customer_no) VALUES ('hans@example.org', 'Hans Meier', 'K-1002')")
c.commit()
`;
  execFileSync('python3', ['-c', script, shop]);
  writeFileSync(path.join(firm, 'rechnungen.csv'), 'Rechnung,Kundennummer,Betrag\nR-2026-118,K-1001,249.00\nR-2026-119,K-1002,19.90\n');
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Kranich Möbel GmbH', address: ['Hauptstraße 1', '50667 Köln'], email: 'datenschutz@kranich.example',
      country: 'DE', region: 'DE-NW', language: 'de', jurisdiction: 'gdpr',
      supervisory_authority: { name: 'LDI NRW', address: ['Kavalleriestraße 2-4', '40213 Düsseldorf'] },
    },
    systems: [
      system('shop', 'Webshop', {
        kind: 'sqlite', path: shop, queries: [{ name: 'customers', sql: 'SELECT * FROM customers WHERE lower(email) = :email' }],
        // The shop knows her customer number; invoicing is searched with it in the same pull.
        yields: { customer_id: '/customer_no' },
      }),
      system('invoices', 'Rechnungen', { kind: 'csv', path: path.join(firm, 'rechnungen.csv'), match: { customer_id: ['Kundennummer'] } }),
    ],
  }, null, 2));
}

let app;
let erika;

before(async () => {
  makeFirm();
  app = await launch(env);
});

after(async () => {
  await app?.stop();
});

/** Drops `files` ({name, text}) on the window the way a file manager does: a drag carrying Files. */
async function drop(files) {
  await app.session.executeScript((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'message/rfc822' }));
    const target = document.querySelector('main') ?? document.body;
    target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
}

/** Everything inside `testid` that runs past the window's right edge. */
async function overflowing(testid) {
  return app.session.executeScript(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] *`)].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
    testid,
  );
}

/** The element's text as laid out (innerText): WebDriver's getText leaves out what is scrolled away. */
async function shown(id) {
  return (await app.session.executeScript((e) => e.innerText, await app.find(id))).trim();
}

/** Waits until `shown(id)` matches `re`. */
async function shownMatching(id, re) {
  let last = '';
  await app.until(async () => re.test((last = await shown(id))), `[data-testid="${id}"] never showed ${re}; last: ${JSON.stringify(last)}`);
  return last;
}

/** Presses `key` with nothing focused, as on a list the user reads. */
async function press(key) {
  await app.session.executeScript(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : null));
  await app.session.actions().sendKeys(key).perform();
}

test('a new German desk with the firm register', async () => {
  await app.find('passphrase');
  await app.select('ui-lang', 'de');
  await app.type('passphrase', PASS);
  await app.type('passphrase-confirm', PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  assert.equal(await app.text('nav-inbox'), 'Posteingang');
  await app.click('nav-register');
  await app.answerPicker(register);
  await app.click('register-import-path-choose');
  await app.click('register-import');
  await app.click('register-import-confirm');
  await app.textMatching('register-table', /shop/);
});

test('a request e-mail dropped on the window is proposed with what it says', async () => {
  await app.click('nav-dashboard');
  await drop([{ name: 'Auskunftsersuchen Mustermann.eml', text: ERIKA_MAIL }]);
  // Wherever it was dropped, the Inbox opens with the proposal.
  await app.textMatching('inbox-item-0', /Erika Mustermann/);
  assert.equal(await app.text('inbox-subject'), 'Auskunftsersuchen nach Art. 15 DSGVO – Kundennummer K-1001');
  assert.equal(await app.value('inbox-from'), 'erika.mustermann@example.org');
  assert.equal(await app.value('inbox-name'), 'Erika Mustermann');
  assert.equal(await app.value('inbox-received'), '2026-11-17');
  assert.equal(await app.value('inbox-language'), 'de');
  assert.ok(await (await app.find('inbox-right-access')).isSelected(), 'Auskunft is ticked');
  assert.ok(!(await (await app.find('inbox-right-erasure')).isSelected()));
  const item = await app.text('inbox-item-0');
  assert.match(item, /17\.11\.2026 · Auskunft/);
  assert.match(await app.text('inbox-attachments'), /Personalausweis\.pdf \(application\/pdf, 1,\d KB\)/);
  assert.match(await app.text('inbox-text'), /^Sehr geehrte Damen und Herren,\n\nhiermit mache ich von meinem Recht auf Auskunft/);
  assert.match(await app.text('inbox-text'), /Mit freundlichen Grüßen/);
  assert.equal(await app.text('inbox-file'), 'Auskunftsersuchen Mustermann.eml');
  assert.equal((await app.all('inbox-duplicate')).length, 0, 'nothing earlier from her');
  assert.equal((await app.all('inbox-warnings')).length, 0, 'nothing to check');
  assert.equal(await overflowing('inbox-detail'), 0);
  await app.screenshot('60-inbox-proposal');

  // Nothing dropped is lost by looking elsewhere.
  await app.click('nav-cases');
  await app.click('nav-inbox');
  assert.equal(await app.text('nav-inbox'), 'Posteingang (1)');
  await app.textMatching('inbox-item-0', /Erika Mustermann/);
});

test('a file that is no e-mail is refused in German, the proposal stays', async () => {
  await drop([{ name: 'Foto.eml', text: '\u0000\u0001binary' }]);
  assert.match(await app.textMatching('inbox-refused', /Foto\.eml/), /^Nicht übernommen: Foto\.eml — Keine E-Mail: Bitte die Nachricht im Mailprogramm als \.eml speichern/);
  assert.equal((await app.all('inbox-item-1')).length, 0);
});

test('Enter creates the case; it is in the case list under her name with the e-mail kept', async () => {
  await app.find('inbox-item-0');
  await press('\uE007'); // Enter
  const done = await app.textMatching('inbox-accepted', /^Fall DSAR-2026-\d{4} angelegt/);
  erika = done.match(/DSAR-2026-\d{4}/)[0];
  await app.find('inbox-empty');
  await app.click('nav-cases');
  const row = await app.textMatching(`case-link-${erika}`, new RegExp(erika));
  assert.ok(row);
  const table = await app.text('case-table');
  assert.match(table, new RegExp(`${erika}[\\s\\S]*Erika Mustermann`));
  const [[kind, name, bytes]] = sql(db, PASS, "SELECT kind, file_name, length(content) FROM documents");
  assert.deepEqual([kind, name, bytes], ['request-email', 'Auskunftsersuchen Mustermann.eml', Buffer.byteLength(ERIKA_MAIL)]);
  assert.deepEqual(sql(db, PASS, `SELECT received, channel FROM cases`), [['2026-11-17', 'email']]);
  await app.screenshot('61-inbox-case-listed');
});

test('her second e-mail is flagged as a possible repeat of the open case; j/k move, x and Delete dismiss', async () => {
  await drop([{ name: 'Nachfrage.eml', text: ERIKA_AGAIN }, { name: 'spam.eml', text: SPAM }]);
  await app.textMatching('inbox-item-1', /Gewinnspiel/);
  await app.click('inbox-item-0');
  const dup = await app.textMatching('inbox-duplicate', new RegExp(erika));
  assert.match(dup, new RegExp(`^Passt zum offenen Fall ${erika} \\(Erika Mustermann\\), eingegangen am 17\\.11\\.2026\\.`));
  await app.screenshot('62-inbox-duplicate');
  // The keys work on the row that was clicked.
  await app.session.actions().sendKeys('j').perform();
  await app.textMatching('inbox-subject', /^Ihr Gewinnspiel-Gutschein$/);
  // No right recognised: the warning says so in German, and Enter does not create a case.
  assert.match(await shown('inbox-warnings'), /Rechte: Im Text wurde kein Recht erkannt: die geltend gemachten Rechte auswählen\./);
  await app.screenshot('62b-inbox-warnings');
  await app.session.actions().sendKeys('\uE007').perform();
  assert.match(await app.fieldError('inbox-name'), /Namen/);
  await app.session.actions().sendKeys('k').perform();
  await app.textMatching('inbox-subject', /^Nachfrage: meine Auskunft$/);
  await press('x');
  assert.equal(await app.text('inbox-dismissed'), 'Verworfen: Nachfrage: meine Auskunft');
  await app.textMatching('inbox-subject', /^Ihr Gewinnspiel-Gutschein$/);
  await press('\uE017'); // Delete
  assert.equal(await app.text('inbox-dismissed'), 'Verworfen: Ihr Gewinnspiel-Gutschein');
  await app.find('inbox-empty');
  assert.equal((await sql(db, PASS, 'SELECT count(*) FROM cases'))[0][0], 1, 'dismissing creates nothing');
});

test('the case screen records identity by the data the shop holds and lists the customer number it yielded', async () => {
  await app.click('nav-cases');
  await app.click(`case-link-${erika}`);
  await app.textMatching('case-reference', new RegExp(erika));
  // An access request: no answer before identity is checked.
  assert.equal(await app.text('identity-none'), 'Identität nicht festgestellt: Keine Auskunft und keine Datenkopie versenden, bevor sie geprüft ist (Art. 12 Abs. 6 DSGVO).');
  await app.select('letter-kind', 'access-response');
  await app.textMatching('letter-identity-warning', /^Identität nicht festgestellt/);
  await app.click('pull');
  await app.textMatching('records-invoices', /1/, 30000);
  assert.match(await shownMatching('yielded', /K-1001/), /Kundennummer\s+K-1001\s+Webshop\s+customers · /);

  await app.click('identity-start');
  assert.ok(await (await app.find('identity-method-held-data')).isSelected(), 'held data is proposed after a pull that found her');
  assert.match(await shown('identity-matches'), /^Übereinstimmungen in den abgerufenen Datensätzen\n\s*E-Mail-Adresse stimmt überein in Webshop$/);
  assert.ok(await (await app.find('identity-match-shop')).isSelected());
  await app.type('identity-note', 'E-Mail-Adresse und Anschrift wie im Kundenkonto');
  await app.setValue('identity-on', '2026-11-21');
  await app.click('identity-save');
  const check = await shownMatching('identity-check', /Abgleich/);
  assert.match(check, /^Abgleich mit vorhandenen Daten am 21\.11\.2026, durch .+\nE-Mail-Adresse stimmt überein in Webshop\nE-Mail-Adresse und Anschrift wie im Kundenkonto$/);
  await app.until(async () => (await app.all('letter-identity-warning')).length === 0, 'the letter warning goes once identity is established');
  const [[method, matched]] = sql(db, PASS, 'SELECT method, matched FROM identity_checks');
  assert.equal(method, 'held-data');
  assert.deepEqual(JSON.parse(matched), [{ system: 'shop', kinds: ['email'] }]);
  await app.screenshot('64-case-identity', 'identity');
  assert.equal(await overflowing('identity'), 0);
  assert.equal(await overflowing('yielded'), 0);
  await app.screenshot('65-case-yielded', 'linked');
});

test('New case: a duplicate hint with her reference, a representative recorded and the cases linked', async () => {
  await app.click('nav-new-case');
  await app.type('name', 'Erika Mustermann');
  await app.type('email', ' Erika.Mustermann@EXAMPLE.org');
  const hint = await app.textMatching('dup-hint-email', new RegExp(erika));
  assert.match(hint, new RegExp(`^Passt zum offenen Fall ${erika} \\(Erika Mustermann\\), eingegangen am 17\\.11\\.2026\\.`));
  assert.match(hint, new RegExp(`Neuen Fall mit ${erika} verknüpfen`));
  await app.type('email', 'someone.else@example.org');
  await app.until(async () => (await app.all('dup-hint-email')).length === 0, 'the hint goes when the address differs');
  await app.type('email', 'erika.mustermann@example.org');
  await app.textMatching('dup-hint-email', new RegExp(erika));
  assert.ok(await (await app.find('dup-link')).isSelected(), 'linking is offered ticked');
  await app.setValue('received', '2026-11-20');
  await app.checkbox('right-access', true);
  await app.checkbox('new-rep-on', true);
  await app.type('new-rep-name', 'Rechtsanwältin Dr. Petra Berger');
  await app.setValue('new-rep-address', 'Berger & Partner\nRingstraße 5\n50672 Köln');
  await app.type('new-rep-email', 'p.berger@kanzlei-berger.example');
  await app.select('new-rep-authority', 'lawyer');
  await app.type('new-rep-note', 'Vollmacht vom 18. November 2026');
  // The power of attorney is chosen in the native Open dialog, then shown by name over its folder.
  const authority = path.join(tmp, 'Vollmacht Berger.pdf');
  writeFileSync(authority, '%PDF-1.4\n% Vollmacht\n%%EOF\n');
  assert.equal(await app.text('new-rep-document'), 'Keine Datei gewählt');
  await app.answerPicker(authority);
  await app.click('new-rep-document-choose');
  assert.equal((await app.text('new-rep-document')).replace(/\s+/g, ' '), `Vollmacht Berger.pdf ${tmp}`);
  await app.screenshot('66-new-case-duplicate-representative', 'new-case-form');
  await app.click('create-case');
  const second = await app.textMatching('case-reference', /^DSAR-2026-\d{4}$/);
  assert.notEqual(second, erika);

  assert.equal(await shown('requester-shown'), 'Rechtsanwältin Dr. Petra Berger\nBerger & Partner\nRingstraße 5\n50672 Köln\np.berger@kanzlei-berger.example\nBerechtigung: Rechtsanwalt — Vollmacht vom 18. November 2026\nNachweis: Vollmacht Berger.pdf');
  assert.deepEqual(sql(db, PASS, "SELECT file_name, media_type FROM documents WHERE kind = 'requester-authority'"), [['Vollmacht Berger.pdf', 'application/pdf']]);
  // Her first case was searched (identity by the shop's data), so it is in progress.
  assert.match(await shown('linked-row'), new RegExp(`^${erika}\\s+Auskunft · 17\\.11\\.2026 · In Bearbeitung`));
  await app.select('letter-kind', 'refusal');
  const repeat = await shown('letter-repeat-hint');
  assert.match(repeat, new RegExp(`^Mögliche Wiederholung von ${erika} \\(eingegangen am 17\\.11\\.2026\\): .*das entscheiden Sie, nichts wird automatisch angewendet\\.$`));
  assert.deepEqual(sql(db, PASS, 'SELECT name, email, authority, authority_note FROM requesters'), [['Rechtsanwältin Dr. Petra Berger', 'p.berger@kanzlei-berger.example', 'lawyer', 'Vollmacht vom 18. November 2026']]);
  assert.equal(sql(db, PASS, 'SELECT count(*) FROM case_links')[0][0], 1);
  assert.equal(await overflowing('requester'), 0);
  await app.screenshot('67-case-requester', 'identity');
  await app.screenshot('68-case-linked-repeat', 'letters');
});

// The intake mailbox: a real Dovecot (scripts/imap-server.sh; scripts/test.sh starts it and
// exports DSAR_TEST_IMAP_*). The message is put in with Dovecot's own doveadm.
const IMAP = process.env.DSAR_TEST_IMAP_HOST ? process.env : null;
const JONAS_MAIL = [
  'From: Jonas Becker <jonas.becker@example.net>',
  'To: datenschutz@kranich.example',
  'Date: Thu, 19 Nov 2026 20:41:07 +0100',
  'Subject: Bitte loeschen Sie mein Kundenkonto',
  'Message-ID: <jonas-20261119@example.net>',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Hallo,',
  '',
  'bitte löschen Sie mein Kundenkonto und alle meine personenbezogenen Daten gemäß Art. 17 DSGVO.',
  '',
  'Viele Grüße',
  'Jonas Becker',
  '',
].join('\r\n');

test('Read mailbox: the request waiting in the intake mailbox joins the Inbox and becomes a case', { skip: IMAP ? false : 'DSAR_TEST_IMAP_HOST is not set (scripts/imap-server.sh start)' }, async () => {
  const folder = 'E2EInbox';
  const doveadm = (args, input) => execFileSync('doveadm', ['-c', IMAP.DSAR_TEST_IMAP_CONF, ...args], { input, stdio: ['pipe', 'ignore', 'ignore'] });
  try { doveadm(['mailbox', 'create', '-u', IMAP.DSAR_TEST_IMAP_USER, folder]); } catch { /* exists */ }
  doveadm(['expunge', '-u', IMAP.DSAR_TEST_IMAP_USER, 'mailbox', folder, 'all']);
  doveadm(['save', '-u', IMAP.DSAR_TEST_IMAP_USER, '-m', folder], JONAS_MAIL);
  // The firm's own CA is set once with the CLI (the window has no field for it).
  execFileSync(CLI, ['settings', 'imap', '--db', db, '--host', IMAP.DSAR_TEST_IMAP_HOST, '--port', IMAP.DSAR_TEST_IMAP_TLS_PORT, '--user', IMAP.DSAR_TEST_IMAP_USER, '--folder', folder, '--ca-file', IMAP.DSAR_TEST_IMAP_CA], {
    input: IMAP.DSAR_TEST_IMAP_PASSWORD, env: { ...process.env, DSAR_PASSPHRASE: PASS, DSAR_TODAY: '2026-11-21' }, stdio: ['pipe', 'ignore', 'pipe'],
  });

  await app.click('nav-settings');
  await app.until(async () => (await app.value('settings-imap-host')) === IMAP.DSAR_TEST_IMAP_HOST, 'the mailbox settings are shown');
  assert.equal(await app.value('settings-imap-folder'), folder);
  assert.equal(await app.value('settings-imap-password'), '', 'the password is never shown');
  assert.equal(await app.session.executeScript((e) => e.placeholder, await app.find('settings-imap-password')), 'leer lassen, um das gespeicherte Passwort zu behalten');
  await app.screenshot('69-settings-mailbox', 'settings-mailbox');

  await app.click('nav-inbox');
  await app.click('inbox-read-mailbox');
  assert.equal(await app.textMatching('inbox-mailbox-result', /Postfach gelesen/, 30000), 'Postfach gelesen: 1 Nachricht(en) warten im Posteingang.');
  assert.match(await app.text('inbox-item-0'), /^Jonas Becker\s+Bitte loeschen Sie mein Kundenkonto\s+19\.11\.2026 · Löschung$/);
  assert.match(await app.text('inbox-file'), new RegExp(`^${folder}-\\d+\\.eml$`));
  assert.match(await shown('inbox-detail'), /\(aus dem Postfach\)/);
  assert.ok(await (await app.find('inbox-right-erasure')).isSelected());
  await app.screenshot('70-inbox-mailbox');
  await app.click('inbox-accept');
  const done = await app.textMatching('inbox-accepted', /^Fall DSAR-2026-\d{4} angelegt/);
  const reference = done.match(/DSAR-2026-\d{4}/)[0];
  assert.deepEqual(sql(db, PASS, `SELECT i.state, c.reference FROM imap_intake i JOIN cases c ON c.id = i.case_id WHERE i.folder = '${folder}'`), [['accepted', reference]]);

  // Read again: nothing is proposed twice.
  await app.click('inbox-read-mailbox');
  await app.textMatching('inbox-mailbox-result', /^Postfach gelesen: keine neuen Nachrichten\.$/, 30000);
  await app.find('inbox-empty');
});
