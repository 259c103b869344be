// A search cancelled in the app while it runs, not before it starts: the firm's customer list
// (a CSV file) answers at once, its CRM (an HTTP server on 127.0.0.1 run by this test) holds
// the request until the test lets it go. "Suche abbrechen" is clicked while the CRM is asked.
// Afterwards the list's record is kept, the CRM is "abgebrochen" with no evidence, the audit
// trail says the search was cancelled — read from the database through SQLCipher's own
// Python binding — and searching the CRM again finds its record without touching the list's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dsar, launchUnlocked, sql, tempDesk } from './harness.mjs';

const PASS = 'cancel e2e passphrase';
const { tmp, db, env } = tempDesk('cancel');
const firm = path.join(tmp, 'firm');
const EMAIL = 'anna.amsel@example.org';
const cli = { DSAR_PASSPHRASE: PASS };

/** The CRM: answers each request only once `release()` was called (later requests at once). */
function slowCrm() {
  let asked = 0;
  let released = false;
  const waiting = [];
  const answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ email: EMAIL, name: 'Anna Amsel', kundennummer: 'K-4711' }] }));
  };
  const server = createServer((req, res) => {
    asked += 1;
    if (released) answer(res);
    else waiting.push(res);
  });
  return {
    server,
    asked: () => asked,
    release() { released = true; for (const res of waiting.splice(0)) answer(res); },
  };
}

const base = {
  role: 'internal', purposes: ['Verkauf'], data_categories: ['Kontaktdaten'], legal_bases: ['art6-1-b'],
  retention: { description: 'Für die Dauer der Kundenbeziehung' }, recipients: [], transfers: [], source: 'data-subject',
  automated_decision_making: false,
};

let app;
let crm;

before(async () => {
  crm = slowCrm();
  await new Promise((r) => crm.server.listen(0, '127.0.0.1', r));
  const port = crm.server.address().port;
  mkdirSync(firm, { recursive: true });
  writeFileSync(path.join(firm, 'kunden.csv'), `email,name\n${EMAIL},Anna Amsel\nbernd.buche@example.org,Bernd Buche\n`);
  const register = path.join(firm, 'register.json');
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Schwarzwald Gartenbau GmbH', address: ['Schillerstraße 4', '79098 Freiburg'], email: 'datenschutz@schwarzwald.example',
      country: 'DE', region: 'DE-BW', language: 'de', jurisdiction: 'gdpr', supervisory_authority: { name: 'LfDI Baden-Württemberg' },
    },
    systems: [
      { ...base, id: 'kunden', name: 'Kundenliste', connector: { kind: 'csv', path: path.join(firm, 'kunden.csv'), match: { email: ['email'] } } },
      { ...base, id: 'crm', name: 'Kundenverwaltung (CRM)', connector: { kind: 'http', url: `http://127.0.0.1:${port}/api/contacts?email={email}`, records: '/data' } },
    ],
  }, null, 2));
  dsar(['init', '--db', db], cli);
  dsar(['register', 'import', register, '--db', db], cli);
  dsar(['case', 'new', '--db', db, '--name', 'Anna Amsel', '--email', EMAIL, '--received', '2026-11-16', '--right', 'access'], cli);
  app = await launchUnlocked(PASS, env, 'de');
});

after(async () => {
  crm?.release();
  await app?.stop();
  await new Promise((r) => (crm ? crm.server.close(r) : r()));
});

const evidenceBySystem = () => Object.fromEntries(sql(db, PASS, 'SELECT system_id, count(*) FROM evidence GROUP BY system_id'));

test('Suche abbrechen, während das CRM gefragt wird: die Kundenliste bleibt, das CRM ist abgebrochen', async () => {
  await app.click('nav-cases');
  await app.click('case-link-DSAR-2026-0001');
  await app.textMatching('case-reference', /^DSAR-2026-0001$/);
  await app.click('pull');
  await app.until(async () => crm.asked() === 1, 'the CRM was never asked', 20000);
  // The list has answered by now; the CRM holds its answer.
  await app.textMatching('records-kunden', /^1 Datensatz$/, 20000);
  await app.click('cancel-pull');
  await app.screenshot('95-pull-cancelling');
  // The CRM's answer comes after the cancel: it must not count as a finished search.
  crm.release();
  assert.equal(await app.textMatching('pull-note', /abgebrochen/, 40000), 'Suche abgebrochen; fertige Systeme bleiben erhalten.');
  assert.equal(await app.textMatching('records-crm', /abgebrochen/), 'abgebrochen');
  assert.equal(await app.text('records-kunden'), '1 Datensatz');
  await app.screenshot('96-pull-cancelled');

  const results = Object.fromEntries(sql(db, PASS, 'SELECT system_id, status, records FROM pull_results').map(([id, status, n]) => [id, [status, n]]));
  assert.deepEqual(results, { kunden: ['ok', 1], crm: ['cancelled', 0] });
  assert.deepEqual(evidenceBySystem(), { kunden: 1 }, 'only the finished system has evidence');
  const pulled = sql(db, PASS, "SELECT details FROM audit_events WHERE action = 'case.pulled'").map(([d]) => JSON.parse(d));
  assert.equal(pulled.length, 1);
  assert.equal(pulled[0].cancelled, true, JSON.stringify(pulled[0]));
  assert.ok(!JSON.stringify(pulled[0]).includes(EMAIL), 'no personal data in the audit trail');
});

test('das CRM erneut durchsuchen findet seinen Datensatz, die Kundenliste bleibt unberührt', async () => {
  const before = sql(db, PASS, "SELECT id FROM evidence WHERE system_id = 'kunden'");
  await app.click('rerun-crm');
  await app.textMatching('records-crm', /^1 Datensatz$/, 30000);
  assert.equal(await app.text('records-kunden'), '1 Datensatz');
  assert.deepEqual(evidenceBySystem(), { kunden: 1, crm: 1 });
  assert.deepEqual(sql(db, PASS, "SELECT id FROM evidence WHERE system_id = 'kunden'"), before, 'the list was not searched again');
  assert.equal(crm.asked(), 2);
});
