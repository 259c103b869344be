// The desk a DPO uses every Monday, in the German window: the case list sorted by clicking
// its column headers (due date both ways, then reference), walked with the arrow keys and
// opened with Enter; the filtered list exported as the yearly-report CSV through the Save-as
// picker (every matching case, codes and dates only); a New case form that offers only the
// GDPR rights of a GDPR desk, the Länder as a list defaulted from the register's controller
// (Baden-Württemberg) and a date box that shows the format it takes; and the case header that
// stays in view and says the next step — which moves on, with the status, once the systems
// are searched. Expected values come from the desk's database, read with SQLCipher's own
// Python binding, never through our code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Key, dsar, launch, sql, tempDesk } from './harness.mjs';

const PASS = 'correct horse battery staple';
const { tmp, db, env } = tempDesk('lists');
const firm = path.join(tmp, 'firm');
const register = path.join(firm, 'register.json');
const csvOut = path.join(tmp, 'Jahresbericht 2026.csv');
const GDPR = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection', 'withdraw-consent'];

// Received days chosen so that reference order, received order and due order all differ.
const PEOPLE = [
  ['Anna Amsel', 'anna.amsel@example.org', '2026-11-02', ['access']],
  ['Bernd Buche', 'bernd.buche@example.org', '2026-10-05', ['erasure']],
  ['Carla Clausen', 'carla.clausen@example.org', '2026-11-16', ['access', 'objection']],
  ['Dieter Dachs', 'dieter.dachs@example.org', '2026-10-20', ['access']],
  ['Erika Eiche', 'erika.eiche@example.org', '2026-11-09', ['rectification']],
  ['Fritz Fink', 'fritz.fink@example.org', '2026-09-14', ['access']],
];

function makeDesk() {
  mkdirSync(firm, { recursive: true });
  writeFileSync(path.join(firm, 'kunden.csv'), `email,name\nanna.amsel@example.org,Anna Amsel\nperson2@example.org,Person Zwei\n`);
  writeFileSync(register, JSON.stringify({
    format: 'dsar-register', version: 1,
    controller: {
      name: 'Schwarzwald Gartenbau GmbH', address: ['Schillerstraße 4', '79098 Freiburg'], email: 'datenschutz@schwarzwald.example',
      country: 'DE', region: 'DE-BW', language: 'de', jurisdiction: 'gdpr',
      supervisory_authority: { name: 'LfDI Baden-Württemberg' },
    },
    systems: [{
      id: 'kunden', name: 'Kundenliste', role: 'internal', purposes: ['Verkauf'], data_categories: ['Kontaktdaten'], legal_bases: ['art6-1-b'],
      retention: { description: 'Für die Dauer der Kundenbeziehung' }, recipients: [], transfers: [], source: 'data-subject',
      automated_decision_making: false, connector: { kind: 'csv', path: path.join(firm, 'kunden.csv'), match: { email: ['email'] } },
    }],
  }, null, 2));
  const cli = { DSAR_PASSPHRASE: PASS };
  dsar(['init', '--db', db], cli);
  dsar(['register', 'import', register, '--db', db], cli);
  for (const [name, email, received, rights] of PEOPLE) {
    dsar(['case', 'new', '--db', db, '--name', name, '--email', email, '--received', received, ...rights.flatMap((r) => ['--right', r])], cli);
  }
  // Fritz's request was answered: closed cases sort after the open ones by due date.
  dsar(['case', 'close', 'DSAR-2026-0006', '--outcome', 'fulfilled', '--on', '2026-10-01', '--db', db], cli);
}

let app;

before(async () => {
  makeDesk();
  app = await launch(env);
});

after(async () => {
  await app?.stop();
});

/** References of the rows on screen, top to bottom. */
async function rowRefs() {
  return Promise.all((await app.all('case-row')).map((r) => r.getAttribute('data-ref')));
}

/** Waits until the list shows `want` (the core answers asynchronously). */
async function listIs(want, what) {
  let got = [];
  await app.until(async () => { got = await rowRefs(); return JSON.stringify(got) === JSON.stringify(want); }, `${what}: expected ${want.join(', ')}, got ${got.join(', ')}`);
}

/** A key press on the page, not on whatever control was last clicked. */
async function press(...keys) {
  await app.session.executeScript(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : null));
  for (const k of keys) await app.session.actions().sendKeys(k).perform();
}

const refsBy = (order, where = "status <> 'closed'") => sql(db, PASS, `SELECT reference FROM cases WHERE ${where} ORDER BY ${order}`).map(([r]) => r);

test('a German desk opens on the dashboard', async () => {
  await app.find('passphrase');
  await app.select('ui-lang', 'de');
  await app.type('passphrase', PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  assert.equal(await app.text('nav-cases'), 'Fälle');
});

test('the case list sorts by clicking the due date (both ways), then the reference', async () => {
  await app.click('nav-cases');
  const soonest = refsBy('effective_due, seq');
  await listIs(soonest, 'open cases, soonest due first');
  assert.equal(await (await app.find('sort-due')).getText(), 'Frist▲');

  await app.click('sort-due');
  const latest = refsBy('effective_due DESC, seq DESC');
  await listIs(latest, 'a click on "Frist" reverses the order');
  assert.equal(await (await app.find('sort-due')).getText(), 'Frist▼');
  assert.equal(await app.session.executeScript(() => document.querySelector('[data-testid="sort-due"]').closest('th').getAttribute('aria-sort')), 'descending');
  assert.deepEqual(latest.slice(0, 2), ['DSAR-2026-0003', 'DSAR-2026-0005'], 'Carla (received 16.11.) and Erika (09.11.) are due last');

  await app.click('sort-reference');
  await listIs(refsBy('seq'), 'by reference');
  assert.deepEqual((await rowRefs()).slice(0, 3), ['DSAR-2026-0001', 'DSAR-2026-0002', 'DSAR-2026-0003']);
  assert.equal(await (await app.find('sort-reference')).getText(), 'Aktenzeichen▲');
  assert.equal(await (await app.find('sort-due')).getText(), 'Frist', 'only the sorted column has an arrow');
  await app.click('sort-reference');
  await listIs(refsBy('seq DESC'), 'by reference, newest first');
  assert.deepEqual((await rowRefs()).slice(0, 2), ['DSAR-2026-0005', 'DSAR-2026-0004']);
  await app.screenshot('lists-01-sorted-by-reference-desc');
  await app.click('sort-reference');
  await listIs(refsBy('seq'), 'by reference again');
});

test('arrow keys walk the list and Enter opens the highlighted case; j/k keep working', async () => {
  const refs = await rowRefs();
  await press(Key.ARROW_DOWN, Key.ARROW_DOWN, Key.ARROW_DOWN);
  await app.until(async () => (await app.session.executeScript(() => document.querySelector('[data-testid="case-row"][aria-selected="true"]')?.getAttribute('data-ref'))) === refs[3], 'the fourth row is highlighted');
  await press('k', Key.ARROW_UP, 'j');
  await app.until(async () => (await app.session.executeScript(() => document.querySelector('[data-testid="case-row"][aria-selected="true"]')?.getAttribute('data-ref'))) === refs[2], 'k, ↑ and j end on the third row');
  await app.screenshot('lists-02-third-row-highlighted');
  await press(Key.ENTER);
  assert.equal(await app.textMatching('case-reference', /^DSAR-/), refs[2]);
  assert.equal(refs[2], 'DSAR-2026-0003');
  assert.equal(await app.text('case-header-name'), 'Carla Clausen');
});

test('"Als CSV exportieren" writes every matching case (not one page) with codes and dates only', async () => {
  await app.click('nav-cases');
  await app.checkbox('filter-open', false);
  await app.select('filter-right', 'access');
  const expected = sql(db, PASS, "SELECT reference, received, replace(rights, ',', ';'), status, effective_due, COALESCE(closed_on, ''), COALESCE(outcome, '') FROM cases WHERE (',' || rights || ',') LIKE '%,access,%' ORDER BY year, seq");
  await listIs(expected.map((r) => r[0]), 'the access requests, closed ones too');
  // The native Save-as window answers with the path a DPO would choose there: its IPC call
  // (a fetch to ipc://localhost/plugin:dialog|save) gets that path as the reply; every other
  // command reaches the app as before.
  await app.session.executeScript((target) => {
    const real = window.fetch.bind(window);
    window.fetch = (url, init) =>
      String(url).includes(encodeURIComponent('plugin:dialog|save'))
        ? Promise.resolve(new Response(JSON.stringify(target), { headers: { 'Tauri-Response': 'ok', 'Content-Type': 'application/json' } }))
        : real(url, init);
  }, csvOut);
  assert.equal(await app.text('export-csv'), 'Als CSV exportieren');
  await app.click('export-csv');
  const done = await app.textMatching('export-csv-done', /Fälle gespeichert in/);
  assert.equal(done, `${expected.length} Fälle gespeichert in ${csvOut}`);
  const lines = readFileSync(csvOut, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'reference,received,rights,status,due,closed,outcome');
  assert.deepEqual(lines.slice(1), expected.map((r) => r.join(',')));
  assert.equal(lines.length - 1, 4, 'Anna, Carla, Dieter and the closed case of Fritz');
  assert.ok(lines.some((l) => l.startsWith('DSAR-2026-0006,2026-09-14,access,closed,') && l.endsWith(',2026-10-01,fulfilled')), lines.join('\n'));
  const text = readFileSync(csvOut, 'utf8');
  for (const [name, email] of PEOPLE) {
    assert.ok(!text.includes(name.split(' ')[1]) && !text.includes(email), `no name or e-mail of ${name} in the report`);
  }
  await app.screenshot('lists-03-csv-exported');
  await app.select('filter-right', '');
  await app.checkbox('filter-open', true);
});

test('New case on a GDPR desk: GDPR rights only, the Länder defaulted to the controller’s, the date format shown', async () => {
  await app.click('nav-new-case');
  await app.find('new-case-form');
  const offered = async () => app.session.executeScript(() => [...document.querySelectorAll('[data-testid="right-choices"] input')].map((e) => e.value));
  assert.deepEqual(await offered(), GDPR);
  assert.equal((await app.all('right-delete')).length, 0, 'no CCPA "Delete" beside "Löschung"');
  assert.equal(await app.value('jurisdiction'), 'gdpr');
  await app.until(async () => (await app.value('region')) === 'DE-BW', "the region is the controller's, Baden-Württemberg");
  const regions = await app.session.executeScript(() => [...document.querySelectorAll('[data-testid="region"] option')].map((o) => `${o.value}=${o.textContent.trim()}`));
  assert.equal(regions.length, 17, regions.join(', '));
  assert.equal(regions[0], 'DE-BW=Baden-Württemberg');
  assert.ok(regions.includes('DE-BY=Bayern') && regions.includes('NL=Niederlande'), regions.join(', '));
  const received = await app.find('received');
  assert.equal(await received.getAttribute('placeholder'), 'TT.MM.JJJJ');
  const now = new Date();
  const today = `${String(now.getDate()).padStart(2, '0')}.${String(now.getMonth() + 1).padStart(2, '0')}.${now.getFullYear()}`;
  assert.equal(await app.value('received'), today, "this machine's today, written the German way");
  assert.match(await app.session.executeScript(() => document.querySelector('[data-testid="received"]').closest('.field').textContent), /Eingegangen am\s*\(TT\.MM\.JJJJ\)/);

  // A CCPA case has CCPA rights and a Californian calendar; back to the GDPR.
  await app.select('jurisdiction', 'ccpa');
  await app.until(async () => JSON.stringify(await offered()) === JSON.stringify(['know', 'delete', 'correct', 'opt-out', 'limit']), 'CCPA rights for a CCPA case');
  assert.equal(await app.value('region'), 'US-CA');
  await app.select('jurisdiction', 'gdpr');
  await app.until(async () => (await app.value('region')) === 'DE-BW', 'back to Baden-Württemberg');

  await app.type('name', 'Gustav Gans');
  await app.type('email', 'gustav.gans@example.org');
  await app.type('received', '31.11.2026');
  await app.click('create-case');
  assert.equal(await app.fieldError('received'), 'Datum als TT.MM.JJJJ eingeben, z. B. 05.03.2026.');
  await app.type('received', '18.11.2026');
  await app.checkbox('right-access', true);
  assert.equal((await app.session.executeScript(() => [...document.querySelectorAll('[data-testid="new-case-form"] .field-error')].map((e) => e.textContent.trim()))).length, 0, 'fixed fields lose their errors');
  await app.screenshot('lists-04-new-case-gdpr', 'new-case-form');
  await app.click('create-case');
  const reference = await app.textMatching('case-reference', /^DSAR-2026-\d{4}$/);
  const [[received_, region, jurisdiction, rights]] = sql(db, PASS, `SELECT received, region, jurisdiction, rights FROM cases WHERE reference = '${reference}'`);
  assert.deepEqual([received_, region, jurisdiction, rights], ['2026-11-18', 'DE-BW', 'gdpr', 'access']);
});

test('the case header stays in view and says the next step; searching moves the case to "In Bearbeitung"', async () => {
  const reference = await app.text('case-reference');
  const [[due]] = sql(db, PASS, `SELECT effective_due FROM cases WHERE reference = '${reference}'`);
  const german = due.split('-').reverse().join('.');
  assert.equal(await app.text('case-header-name'), 'Gustav Gans');
  assert.match(await app.text('case-header-left'), new RegExp(`noch \\d+ Tage · Frist ${german.replace(/\./g, '\\.')}$`));
  assert.equal(await app.text('next-step'), 'Nächster Schritt: Systeme nach Daten der betroffenen Person durchsuchen. Zu den Systemen');
  assert.equal(await app.value('case-status'), 'new');
  await app.screenshot('lists-05-case-header-search');

  await app.click('pull');
  await app.textMatching('records-kunden', /0|Datens/, 30000);
  await app.until(async () => (await (await app.find('next-step')).getAttribute('data-step')) === 'answer', 'next step: the answer');
  assert.equal(await app.text('next-step'), 'Nächster Schritt: Antwort schreiben und versenden. Zu den Briefen');
  await app.until(async () => (await app.value('case-status')) === 'in-progress', 'the status moved to in progress');
  assert.deepEqual(sql(db, PASS, `SELECT status FROM cases WHERE reference = '${reference}'`), [['in-progress']]);

  // Scrolled down to the timeline, the header is still at the top of the window.
  await app.session.executeScript(() => document.querySelector('[data-testid="timeline"]').scrollIntoView({ block: 'start' }));
  const top = await app.session.executeScript(() => Math.round(document.querySelector('[data-testid="case-header"]').getBoundingClientRect().top));
  assert.equal(top, 0, 'the header sticks to the top');
  assert.ok(await app.session.executeScript(() => window.scrollY > 300), 'the page really scrolled');
  await app.screenshot('lists-06-header-fixed-over-timeline');
  const timeline = (await Promise.all((await app.all('timeline-text')).map((e) => e.getText()))).join('\n');
  assert.match(timeline, /In Bearbeitung/);

  // Closing says it is final.
  await app.click('case-action-close');
  assert.equal(await app.text('case-action-close'), 'Fall abschließen');
  assert.equal(await app.text('close-final'), 'Abschließen kann nicht rückgängig gemacht werden: Ein abgeschlossener Fall lässt sich nicht wieder öffnen, anhalten oder verlängern.');
  await app.screenshot('lists-07-close-is-final', 'deadline-panel');
});
