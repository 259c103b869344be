// The systems a German DPO searches for every request, and the register they come from, in the
// German window: after "Ausgewählte Systeme durchsuchen" each system is listed by its name with
// what it came to in words (records found, "manuell – Aufgabe offen", the missing secret with a
// way to Settings) — no register ids, no millisecond timings; records open from a button; "Erneut
// durchsuchen" only where a search ran; the subject panel names the law and the Land; IP
// addresses stay on one line. In the register editor the legal basis is picked by its name,
// the retention period typed in words ("2 Jahre") and stored as ISO 8601 (P2Y), and a field's
// error leaves as soon as the field is fixed. Expected values come from the desk's database
// (SQLCipher's own Python binding) and the CLI's register export, never through the UI's code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { By, dsar, launch, sql, tempDesk } from './harness.mjs';

const PASS = 'correct horse battery staple';
const { tmp, db, env } = tempDesk('systems');
const firm = path.join(tmp, 'firm');
const register = path.join(firm, 'register.json');
const IP = '203.0.113.45';
const cli = { DSAR_PASSPHRASE: PASS };

const base = {
  role: 'internal', purposes: ['Verkauf'], data_categories: ['Kontaktdaten'], legal_bases: ['art6-1-b'],
  retention: { description: 'Für die Dauer der Kundenbeziehung' }, recipients: [], transfers: [], source: 'data-subject',
  automated_decision_making: false,
};

function makeDesk() {
  mkdirSync(firm, { recursive: true });
  writeFileSync(path.join(firm, 'kunden.csv'), 'email,name\nanna.amsel@example.org,Anna Amsel\nbernd.buche@example.org,Bernd Buche\n');
  writeFileSync(path.join(firm, 'access.log'), [
    `${IP} - - [12/Nov/2026:10:01:02 +0100] "GET /shop/warenkorb HTTP/1.1" 200 5120`,
    `198.51.100.7 - - [12/Nov/2026:10:01:09 +0100] "GET / HTTP/1.1" 200 812`,
    `${IP} - - [13/Nov/2026:08:44:51 +0100] "POST /shop/kasse HTTP/1.1" 302 0`,
    `${IP}0 - - [13/Nov/2026:09:00:00 +0100] "GET / HTTP/1.1" 200 812`,
  ].join('\n') + '\n');
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Schwarzwald Gartenbau GmbH', address: ['Schillerstraße 4', '79098 Freiburg'], email: 'datenschutz@schwarzwald.example',
      country: 'DE', region: 'DE-BW', language: 'de', jurisdiction: 'gdpr',
      supervisory_authority: { name: 'LfDI Baden-Württemberg' },
    },
    systems: [
      {
        ...base, id: 'kunden', name: 'Kundenliste', legal_bases: ['art6-1-f'],
        retention: { description: 'Sechs Monate nach dem letzten Kauf', period: 'P6M' },
        connector: { kind: 'csv', path: path.join(firm, 'kunden.csv'), match: { email: ['email'] } },
      },
      {
        ...base, id: 'weblogs', name: 'Webserver-Protokolle', legal_bases: ['art6-1-f'], source: 'automatic',
        retention: { description: 'Dreißig Tage', period: 'P30D' },
        connector: { kind: 'logs', paths: [path.join(firm, 'access.log')], match: ['ip', 'email'] },
      },
      {
        ...base, id: 'crm', name: 'Kundenverwaltung (CRM)',
        connector: { kind: 'http', url: 'https://crm.schwarzwald.example/api/contacts?email={email}', headers: { Authorization: 'Bearer {secret:crm_token}' }, records: '/data' },
      },
      {
        ...base, id: 'papierakten', name: 'Papierakten im Büro',
        connector: { kind: 'manual', contact: { name: 'Sekretariat', email: 'sekretariat@schwarzwald.example' }, instructions: 'Ordner „Kunden“ durchsehen.' },
      },
    ],
  }, null, 2));
  dsar(['init', '--db', db], cli);
  dsar(['register', 'import', register, '--db', db], cli);
  dsar(['case', 'new', '--db', db, '--name', 'Anna Amsel', '--email', 'anna.amsel@example.org', '--id', `ip=${IP}`, '--received', '2026-11-16', '--right', 'access'], cli);
}

/** The register as the CLI exports it now. */
const exported = () => JSON.parse(dsar(['register', 'export', '--db', db], cli));
const systemIn = (reg, id) => reg.systems.find((s) => s.id === id);

let app;

before(async () => {
  makeDesk();
  app = await launch(env);
});

after(async () => {
  await app?.stop();
});

/** Whether the element's top edge is inside the window (the user sees it without scrolling). */
const inView = (id) => app.session.executeScript((sel) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  return r.top >= 0 && r.top < window.innerHeight;
}, `[data-testid="${id}"]`);

/** How many lines `text` takes inside the element `css` (one rectangle per line box). */
const linesOf = (css, text) => app.session.executeScript((sel, want) => {
  for (const el of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.textContent.indexOf(want);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + want.length);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }
  }
  return -1;
}, css, text);

/** The error shown at the editor field `id` right now ('' for none), without waiting for one. */
const errorNow = (id) => app.session.executeScript((sel) => {
  const field = document.querySelector(sel)?.closest('.field');
  return field?.querySelector('.field-error')?.textContent.trim() ?? '';
}, `[data-testid="${id}"]`);

test('ein deutscher Desk öffnet auf der Übersicht', async () => {
  await app.find('passphrase');
  await app.select('ui-lang', 'de');
  await app.type('passphrase', PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  assert.equal(await app.text('nav-cases'), 'Fälle');
});

test('die Betroffenen-Angaben nennen Rechtsrahmen und Land in Worten, die IP-Adresse in einer Zeile', async () => {
  await app.click('nav-cases');
  await app.click('case-link-DSAR-2026-0001');
  assert.equal(await app.textMatching('case-reference', /^DSAR-/), 'DSAR-2026-0001');
  assert.deepEqual(sql(db, PASS, "SELECT jurisdiction, region, language FROM cases WHERE reference = 'DSAR-2026-0001'"), [['gdpr', 'DE-BW', 'de']]);
  assert.equal(await app.text('case-jurisdiction'), 'DSGVO · Baden-Württemberg');
  assert.equal(await app.text('case-language'), 'Deutsch');
  assert.equal(await linesOf('dd.ident', IP), 1, 'the IP address is on one line');
});

test('nach der Suche: Namen und Zustände in Worten, keine IDs und keine Millisekunden; die manuelle Aufgabe ist offen', async () => {
  // Before the search nothing is offered to search again: the system list has one search button.
  assert.equal((await app.all('rerun-kunden')).length, 0, 'no "Erneut durchsuchen" before a search');
  await app.click('pull');
  await app.textMatching('records-kunden', /^1 Datensatz$/, 30000);

  const results = Object.fromEntries(sql(db, PASS, 'SELECT system_id, status, records FROM pull_results').map(([id, status, n]) => [id, [status, n]]));
  assert.deepEqual(results, { kunden: ['ok', 1], weblogs: ['ok', 2], crm: ['error', 0], papierakten: ['manual', 0] });
  assert.deepEqual(sql(db, PASS, "SELECT kind, status FROM tasks WHERE system_id = 'papierakten'"), [['manual-search', 'open']]);

  assert.equal(await app.text('system-name-kunden'), 'Kundenliste');
  assert.equal(await app.text('system-name-weblogs'), 'Webserver-Protokolle');
  assert.equal(await app.text('system-name-crm'), 'Kundenverwaltung (CRM)');
  assert.equal(await app.text('system-name-papierakten'), 'Papierakten im Büro');
  assert.equal(await app.text('records-weblogs'), '2 Datensätze');
  assert.equal(await app.text('records-papierakten'), 'manuell – Aufgabe offen');
  assert.equal(await app.text('records-crm'), 'Fehler');
  assert.equal(await app.text('system-problem-crm'), 'Die Zugangsdaten „crm_token“ sind nicht hinterlegt.');
  assert.equal(await app.text('system-secrets-crm'), 'Einstellungen → Zugangsdaten öffnen');

  const panel = await app.text('systems');
  for (const id of ['kunden', 'weblogs', 'crm', 'papierakten']) assert.doesNotMatch(panel, new RegExp(`\\b${id}\\b`), `no register id ${id} on screen`);
  assert.doesNotMatch(panel, /\d\s*ms\b/, 'no millisecond timings');
  assert.doesNotMatch(panel, /Manual|0 Datensätze/, 'the manual system shows its task, not a record count');

  // Records open from a visible button; search again only where a search ran.
  assert.equal(await app.text('system-records-kunden'), 'Datensätze zeigen');
  assert.equal(await app.text('system-records-weblogs'), 'Datensätze zeigen');
  assert.equal((await app.all('system-records-papierakten')).length, 0);
  assert.equal((await app.all('system-records-crm')).length, 0);
  assert.equal(await app.text('rerun-kunden'), 'Erneut durchsuchen');
  assert.equal(await app.text('rerun-crm'), 'Erneut durchsuchen');
  assert.equal((await app.all('rerun-papierakten')).length, 0, 'no "Erneut durchsuchen" for a manual system');
  await app.screenshot('systems-01-nach-der-suche', 'systems');

  // The manual task done: the list says so.
  const [[taskId]] = sql(db, PASS, "SELECT id FROM tasks WHERE system_id = 'papierakten'");
  await app.click(`task-done-${taskId}`);
  await app.textMatching('records-papierakten', /^manuell – erledigt$/);
  assert.deepEqual(sql(db, PASS, `SELECT status FROM tasks WHERE id = '${taskId}'`), [['done']]);
});

test('die Datensätze öffnen über den Button; die IP-Adresse bricht nicht mitten im Wert um', async () => {
  await app.click('system-records-weblogs');
  await app.find('evidence-table');
  await app.until(async () => (await app.all('evidence-row-1')).length === 1, 'both log lines shown');
  assert.equal((await app.all('evidence-row-2')).length, 0, `${IP}0 is another address`);
  assert.match(await app.text('evidence-row-0'), new RegExp(IP.replace(/\./g, '\\.')));
  assert.equal(await linesOf('[data-testid="evidence-table"] td', IP), 1, 'the IP address is on one line');
  await app.screenshot('systems-02-protokollzeilen', 'evidence-panel');
  await app.click('evidence-close');
});

test('der Fehler wegen fehlender Zugangsdaten führt mit einem Button zu den Einstellungen', async () => {
  await app.click('system-secrets-crm');
  assert.equal(await app.text('settings-secret-state-crm_token'), 'nicht gesetzt');
  await app.until(() => inView('settings-secrets'), 'the secrets section comes into view');
  await app.screenshot('systems-03-zugangsdaten');
});

test('im Verzeichnis: Rollen und Anbindungen in Worten; der Editor öffnet, wo man hinsieht', async () => {
  await app.click('nav-register');
  assert.equal(await app.text('register-role-kunden'), 'Intern (eigene Verarbeitung)');
  assert.equal(await app.text('register-connector-kunden'), 'CSV-Datei');
  assert.equal(await app.text('register-connector-weblogs'), 'Logdateien');
  assert.equal(await app.text('register-connector-papierakten'), 'Manuell (per E-Mail)');
  // A passed connection test in German words (the connectors' own description is English).
  await app.click('register-test-kunden');
  await app.textMatching('register-test-result-kunden', /In Ordnung/, 20000);
  assert.equal(await app.text('register-test-detail-kunden'), 'Das System hat den Test so beantwortet, wie das Verarbeitungsverzeichnis es beschreibt.');
  await app.click('register-edit-kunden');
  await app.find('register-editor');
  await app.until(() => inView('register-editor'), 'the editor scrolled into view');
  await app.until(async () => (await app.session.executeScript(() => document.activeElement?.getAttribute('data-testid'))) === 'register-field-name', 'the name field has the focus');
  assert.equal(await app.value('register-field-name'), 'Kundenliste');
  assert.equal(await app.value('register-field-retention_period'), '6 Monate', 'P6M in words');
  const roles = await app.session.executeScript(() => [...document.querySelectorAll('[data-testid="register-field-role"] option')].map((o) => o.textContent.trim()));
  assert.deepEqual(roles, ['Intern (eigene Verarbeitung)', 'Auftragsverarbeiter (Art. 28)', 'Eigenständiger Verantwortlicher (Empfänger)']);
  const sources = await app.session.executeScript(() => [...document.querySelectorAll('[data-testid="register-field-source"] option')].map((o) => o.textContent.trim()));
  assert.deepEqual(sources, ['Bei der betroffenen Person erhoben', 'Automatisch bei der Nutzung erfasst', 'Andere Herkunft (beschreiben)']);
  assert.equal(await (await app.find('register-lb-art6-1-f')).isSelected(), true, 'the stored basis is ticked');
});

test('Rechtsgrundlage nach Namen gewählt, "2 Jahre" als P2Y gespeichert; ein behobener Fehler verschwindet sofort', async () => {
  const bases = await app.find('register-field-legal_bases');
  const byName = async (name) => {
    const label = await bases.findElement(By.xpath(`.//label[normalize-space(.)='${name}']`));
    await app.reveal(label);
    await label.click();
  };
  const names = await app.session.executeScript(() => [...document.querySelectorAll('[data-testid="register-field-legal_bases"] label')].slice(0, 6).map((l) => l.textContent.trim()));
  assert.deepEqual(names, [
    'Art. 6 Abs. 1 lit. a – Einwilligung',
    'Art. 6 Abs. 1 lit. b – Vertrag',
    'Art. 6 Abs. 1 lit. c – rechtliche Verpflichtung',
    'Art. 6 Abs. 1 lit. d – lebenswichtige Interessen',
    'Art. 6 Abs. 1 lit. e – öffentliches Interesse oder öffentliche Gewalt',
    'Art. 6 Abs. 1 lit. f – berechtigte Interessen',
  ]);
  await byName('Art. 6 Abs. 1 lit. b – Vertrag');
  await byName('Art. 6 Abs. 1 lit. f – berechtigte Interessen');

  // No basis left and a period that is no period: both refused at their fields, nothing saved.
  await byName('Art. 6 Abs. 1 lit. b – Vertrag');
  await app.type('register-field-retention_period', 'bis Vertragsende');
  await app.click('register-save');
  assert.equal(await app.fieldError('register-field-retention_period'), 'Die Frist als Zahl und Einheit angeben, z. B. 2 Jahre oder 6 Monate.');
  assert.equal(await app.fieldError('register-lb-art6-1-a'), 'Mindestens eine Rechtsgrundlage wählen.');
  await app.screenshot('systems-04-editor-fehler', 'register-editor');
  assert.equal(systemIn(exported(), 'kunden').retention.period, 'P6M', 'nothing saved yet');

  // Fixed, each error goes at once — before saving again.
  await app.type('register-field-retention_period', '2 Jahre');
  await app.until(async () => (await errorNow('register-field-retention_period')) === '', 'the period error goes once the period is fixed');
  assert.equal(await errorNow('register-lb-art6-1-a'), 'Mindestens eine Rechtsgrundlage wählen.', 'the other error stays until fixed');
  await byName('Art. 6 Abs. 1 lit. b – Vertrag');
  await app.until(async () => (await errorNow('register-lb-art6-1-a')) === '', 'the legal basis error goes once one is ticked');
  await app.type('register-field-name', '');
  assert.equal(await app.fieldError('register-field-name'), 'Dieses Feld ausfüllen.');
  await app.type('register-field-name', 'Kundenliste (Shop)');
  await app.until(async () => (await errorNow('register-field-name')) === '', 'the name error goes once a name is typed');
  await app.screenshot('systems-05-editor-behoben', 'register-editor');

  await app.click('register-save');
  // The new register version's number, as the database counts it (the wording is the notice's).
  assert.match(await app.text('register-saved'), /^Als .*\b2\b.* gespeichert\.$/);
  const kunden = systemIn(exported(), 'kunden');
  assert.equal(kunden.retention.period, 'P2Y');
  assert.equal(kunden.retention.description, 'Sechs Monate nach dem letzten Kauf');
  assert.deepEqual(kunden.legal_bases, ['art6-1-b']);
  assert.equal(kunden.name, 'Kundenliste (Shop)');
  assert.equal(kunden.source, 'data-subject');
  assert.deepEqual(sql(db, PASS, 'SELECT count(*) FROM register_versions'), [[2]]);

  // Opened again, the stored period reads in words.
  await app.click('register-edit-kunden');
  await app.until(async () => (await app.value('register-field-retention_period')) === '2 Jahre', 'P2Y shown as "2 Jahre"');
  assert.equal(await (await app.find('register-lb-art6-1-b')).isSelected(), true);
  assert.equal(await (await app.find('register-lb-art6-1-f')).isSelected(), false);
  await app.screenshot('systems-06-editor-gespeichert', 'register-editor');
});
