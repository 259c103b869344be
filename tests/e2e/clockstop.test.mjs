// Stopping the clock in the German window, through both of its two lawful reasons: asked
// for clarification (chosen from the status list, which opens the form with that reason) and
// asked for proof of identity (from the "Frist anhalten" button). Nothing is typed as a
// reason; each stop and each resumption is read back from the database.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TODAY, dsar, launchUnlocked, sql, tempDesk } from './harness.mjs';

const PASS = 'clock stop e2e passphrase';
const { db, env } = tempDesk('clockstop');
let app;
let reference;

const status = () => sql(db, PASS, `SELECT status FROM cases WHERE reference = '${reference}'`)[0][0];
const pauses = () => sql(db, PASS, `SELECT p.reason, p.asked FROM pauses p JOIN cases c ON c.id = p.case_id WHERE c.reference = '${reference}' ORDER BY p.seq`);

before(async () => {
  dsar(['demo', '--db', db], { DSAR_PASSPHRASE: PASS });
  const made = JSON.parse(dsar(['case', 'new', '--db', db, '--right', 'access', '--name', 'Clara Klarstellung', '--email', 'clara.k@example.org', '--received', '2026-11-16', '--json'], { DSAR_PASSPHRASE: PASS }));
  reference = made.reference;
  app = await launchUnlocked(PASS, env, 'de');
  await app.click('nav-cases');
  await app.type('case-search', 'Clara Klarstellung');
  await app.click(`case-link-${reference}`);
  await app.textMatching('case-reference', new RegExp(`^${reference}$`));
});

after(async () => {
  await app?.stop();
});

test('Klarstellung: aus der Statusliste gewählt öffnet das Formular mit diesem Grund; die Liste zeigt bis zum Speichern den gespeicherten Status', async () => {
  const stored = await app.value('case-status');
  await app.select('case-status', 'awaiting-clarification');
  await app.find('pause-reason');
  assert.equal(await app.value('case-status'), stored, 'nothing is shown as saved before it is');
  assert.equal((await app.text('pause-reason')).replace(/\s+/g, ' '), [
    'Die Frist ruht, solange wir warten auf',
    'Identität: ein Identitätsnachweis wurde angefordert (Art. 12 Abs. 6)',
    'Klarstellung: um Präzisierung der Anfrage wurde gebeten (ErwG 63)',
  ].join(' '), 'two reasons to choose from, in words, nothing to type');
  assert.equal(await (await app.find('pause-clarification')).isSelected(), true, 'the reason the list named is chosen');
  assert.equal(await app.text('case-action-submit'), 'Frist anhalten');
  await app.setValue('case-action-date', TODAY);
  await app.screenshot('97-clock-stop-clarification', 'pause-reason');
  await app.click('case-action-submit');
  await app.until(async () => status() === 'awaiting-clarification', 'the clock stopped for clarification');
  assert.deepEqual(pauses(), [['clarification', TODAY]]);
  await app.until(async () => (await app.value('case-status')) === 'awaiting-clarification', 'the list shows the new status');

  await app.click('case-action-resume');
  await app.setValue('case-action-date', TODAY);
  await app.click('case-action-submit');
  await app.until(async () => status() !== 'awaiting-clarification', 'the clock runs again');
});

test('Identität: über „Frist anhalten“ gewählt, nicht getippt', async () => {
  assert.equal(await app.text('case-action-pause'), 'Frist anhalten');
  await app.click('case-action-pause');
  await app.click('pause-identity');
  await app.setValue('case-action-date', TODAY);
  await app.click('case-action-submit');
  await app.until(async () => status() === 'awaiting-identity', 'the clock stopped for identity');
  assert.deepEqual(pauses().map(([why]) => why), ['clarification', 'identity']);
  await app.until(async () => (await app.value('case-status')) === 'awaiting-identity', 'the list shows the new status');
  await app.screenshot('98-clock-stopped-identity');
  await app.click('case-action-resume');
  await app.setValue('case-action-date', TODAY);
  await app.click('case-action-submit');
  await app.until(async () => status() !== 'awaiting-identity', 'the clock runs again');
});
