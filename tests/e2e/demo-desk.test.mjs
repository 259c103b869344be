// The demo desk a DPO opens to try the app: the dashboard's numbers must be the database's
// (counted here with SQLCipher's own SQL, not our code), and the case list must filter and
// search correctly — in the real app window.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, tempDesk, sql, Key, By, TODAY } from './harness.mjs';

const { tmp, env } = tempDesk('demo', 'not-created-yet.db');
// Where the app keeps the demo (its data folder, identifier desk.dsar.app) and its passphrase.
const demo = path.join(tmp, 'data', 'desk.dsar.app', 'demo', 'dsar-demo.db');
const DEMO_PASS = 'dsar-demo-passphrase';
const count = (where) => sql(demo, DEMO_PASS, `SELECT count(*) FROM cases WHERE ${where}`)[0][0];
const RUNNING = "status NOT IN ('closed', 'awaiting-identity', 'awaiting-clarification')";

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

let app;
before(async () => {
  app = await launch(env);
});
after(async () => {
  await app?.stop();
});

test('the dashboard shows the database\'s own counts', async () => {
  await app.click('open-demo');
  await app.textMatching('dash-overdue', /^\d+$/, 60000);
  const overdue = count(`${RUNNING} AND effective_due < '${TODAY}'`);
  const week = count(`${RUNNING} AND effective_due BETWEEN '${TODAY}' AND '${addDays(TODAY, 6)}'`);
  const paused = count("status IN ('awaiting-identity', 'awaiting-clarification')");
  assert.ok(overdue > 0 && week > 0 && paused > 0, 'the demo has cases in every state');
  assert.equal(Number(await app.text('dash-overdue')), overdue);
  assert.equal(Number(await app.text('dash-due-week')), week);
  assert.equal(Number(await app.text('dash-paused')), paused);
  for (const right of ['access', 'erasure', 'portability', 'objection']) {
    const open = count(`status <> 'closed' AND (',' || rights || ',') LIKE '%,${right},%'`);
    const shown = await app.all(`open-${right}`);
    if (open === 0) continue;
    assert.equal(shown.length, 1, `open ${right} shown`);
    assert.match(await shown[0].getText(), new RegExp(`\\b${open}\\b`), `open ${right} = ${open}`);
  }
  // A GDPR desk without CCPA cases does not list CCPA's rights.
  assert.equal((await app.all('open-know')).length, 0, 'no CCPA right on a GDPR-only desk');
  // This week: every overdue and every due-this-week running case is in the queue, once, with
  // its next step in words.
  await app.find('week-list');
  const items = await app.session.findElements(By.css('[data-testid^="week-DSAR-"]'));
  const whys = await Promise.all(items.map((e) => e.getAttribute('data-why')));
  assert.equal(whys.filter((w) => w === 'overdue').length, overdue, 'overdue cases in the week list');
  assert.equal(whys.filter((w) => w === 'due-soon').length, week, 'cases due within seven days in the week list');
  assert.match(await items[0].getText(), /Next: /);
  await app.screenshot('20-dashboard-demo');
  await app.screenshot('20a-dashboard-this-week', 'this-week');
});

async function total() {
  return Number(await (await app.find('case-count')).getAttribute('data-total'));
}

async function refs() {
  return Promise.all((await app.all('case-row')).map((r) => r.getAttribute('data-ref')));
}

test('the case list filters and searches like SQL does', async () => {
  await app.click('nav-cases');
  await app.find('case-table');
  // Open cases first: that is the list a DPO works from.
  const open = count("status <> 'closed'");
  await app.until(async () => (await total()) === open, `open cases ${open}`);
  await app.checkbox('filter-open', false);
  const all = count('1');
  await app.until(async () => (await total()) === all, `list total ${all}`);

  await app.select('filter-status', 'closed');
  const closed = count("status = 'closed'");
  await app.until(async () => (await total()) === closed, `closed total ${closed}`);
  await app.screenshot('21-cases-closed');
  await app.select('filter-status', '');
  await app.until(async () => (await total()) === all, 'filter cleared');

  await app.checkbox('filter-overdue', true);
  const overdue = count(`${RUNNING} AND effective_due < '${TODAY}'`);
  await app.until(async () => (await total()) === overdue, `overdue total ${overdue}`);
  const expected = sql(demo, DEMO_PASS, `SELECT reference FROM cases WHERE ${RUNNING} AND effective_due < '${TODAY}'`).map(([r]) => r).sort();
  assert.deepEqual((await refs()).sort(), expected);
  await app.checkbox('filter-overdue', false);
  await app.until(async () => (await total()) === all, 'overdue filter cleared');

  // Search by name (case-insensitive, part of a word) and by an identifier.
  await app.type('case-search', 'musterm');
  const byName = sql(demo, DEMO_PASS, "SELECT reference FROM cases WHERE lower(subject_name) LIKE '%musterm%'").map(([r]) => r).sort();
  await app.until(async () => (await total()) === byName.length, 'search by name');
  assert.deepEqual((await refs()).sort(), byName);
  await app.screenshot('22-cases-search');

  await app.type('case-search', 'olivia.bennett@example.com');
  const byEmail = sql(demo, DEMO_PASS, "SELECT c.reference FROM cases c JOIN identifiers i ON i.case_id = c.id WHERE i.value = 'olivia.bennett@example.com'").map(([r]) => r);
  assert.equal(byEmail.length, 1);
  await app.until(async () => JSON.stringify(await refs()) === JSON.stringify(byEmail), 'search by e-mail');
  await app.type('case-search', '');
  await app.until(async () => (await total()) === all, 'search cleared');
});

test('keyboard: n opens a new case, / searches, j/k move through the list', async () => {
  const body = await app.session.findElement({ css: 'body' });
  await app.session.executeScript(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await body.sendKeys('n');
  await app.find('new-case-form');
  await app.session.executeScript(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  await body.sendKeys('/');
  await app.find('case-table');
  await app.until(async () => (await app.session.executeScript(() => document.activeElement?.getAttribute('data-testid'))) === 'case-search', 'search field focused');
  await app.session.executeScript(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const first = (await refs())[0];
  const second = (await refs())[1];
  await body.sendKeys('j');
  await body.sendKeys(Key.ENTER);
  await app.textMatching('case-reference', new RegExp(`^${second}$`));
  await body.sendKeys('k');
  await app.textMatching('case-reference', new RegExp(`^${first}$`));
  await app.screenshot('23-case-demo');
});

test('lock: the desk closes and the unlock screen is back, for the user\'s own database', async () => {
  await app.click('lock');
  await app.find('passphrase');
  assert.equal((await app.all('nav-cases')).length, 0, 'no navigation while locked');
  assert.match(await app.session.findElement({ css: 'main' }).getText(), /not-created-yet\.db/);
  await app.screenshot('24-locked');
});
