// E-mail from the app to a real SMTP server (aiosmtpd on 127.0.0.1, started by run.sh or
// scripts/test.sh): the test e-mail from Settings, and a letter sent from the case screen only
// after the DPO confirms the recipient. What arrived is read from the server's own mail folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { launchUnlocked, tempDesk, dsar, sql } from './harness.mjs';

const SMTP = process.env.DSAR_TEST_SMTP;
const PASS = 'mail e2e passphrase';
const FROM = 'dpo@jaimo.example';
// Its own address: the Rust mail tests send to the same server (scripts/test.sh), so counts
// below are also taken before and after.
const SUBJECT_EMAIL = 'jana.beispiel.e2e@example.org';
const { db, env } = tempDesk('mail');

let app;
let server;
let reference;

/** The messages the server received, as { meta, eml } (meta: envelope sender and recipients). */
function received() {
  return readdirSync(server.maildir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ meta: JSON.parse(readFileSync(path.join(server.maildir, f), 'utf8')), eml: readFileSync(path.join(server.maildir, f.replace(/\.json$/, '.eml')), 'utf8') }));
}

const sentTo = (to) => received().filter((m) => m.meta.rcpt_tos.includes(to));

before(async () => {
  assert.ok(SMTP, 'DSAR_TEST_SMTP is not set: run through tests/e2e/run.sh, which starts the SMTP server');
  server = JSON.parse(readFileSync(SMTP, 'utf8'));
  // A desk with the demo firm's register, and one new access request, made by the CLI.
  dsar(['demo', '--db', db], { DSAR_PASSPHRASE: PASS });
  const made = JSON.parse(dsar(['case', 'new', '--db', db, '--right', 'access', '--name', 'Jana Beispiel', '--email', SUBJECT_EMAIL, '--received', '2026-11-20', '--json'], { DSAR_PASSPHRASE: PASS }));
  reference = made.reference;
  assert.match(reference, /^DSAR-\d{4}-\d{4}$/);
  app = await launchUnlocked(PASS, env);
});
after(async () => {
  await app?.stop();
});

test('SMTP settings: the test e-mail reaches the real server', async () => {
  await app.click('nav-settings');
  await app.type('settings-smtp-host', '127.0.0.1');
  await app.type('settings-smtp-port', String(server.plain));
  await app.select('settings-smtp-security', 'none');
  await app.type('settings-smtp-from', FROM);
  await app.click('settings-save-smtp');
  await app.find('settings-smtp-done');
  const earlier = sentTo(FROM).length;
  await app.click('settings-smtp-test');
  await app.textMatching('settings-smtp-done', new RegExp(FROM.replace('.', '\\.')));
  await app.until(async () => sentTo(FROM).length === earlier + 1, 'the test e-mail did not arrive', 10000);
  const mail = sentTo(FROM).at(-1);
  assert.equal(mail.meta.mail_from, FROM);
  assert.match(mail.eml, /^Subject: DSAR desk: test e-mail/m);
});

test('a letter is sent only after the recipient is confirmed, and arrives with its PDF', async () => {
  await app.click('nav-cases');
  await app.type('case-search', 'Jana Beispiel');
  await app.click(`case-link-${reference}`);
  await app.textMatching('case-reference', new RegExp(`^${reference}$`));
  await app.find('letters');
  await app.select('letter-kind', 'acknowledgement');

  // First thoughts: the confirmation names the recipient; Cancel sends nothing.
  const earlier = sentTo(SUBJECT_EMAIL).length;
  await app.click('send-letter');
  assert.match(await app.text('send-confirm'), new RegExp(SUBJECT_EMAIL.replace(/\./g, '\\.')));
  await app.screenshot('40-send-confirm', 'letters');
  await app.click('send-confirm-no');
  await app.until(async () => (await app.all('send-confirm')).length === 0, 'the confirmation stays open');
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(sentTo(SUBJECT_EMAIL).length, earlier, 'cancelled: nothing sent');

  // Confirmed: one e-mail to the subject, from the DPO, with the reference and the PDF.
  await app.click('send-letter');
  await app.click('send-confirm-yes');
  await app.find('letter-result', 20000);
  await app.until(async () => sentTo(SUBJECT_EMAIL).length === earlier + 1, 'the letter did not arrive', 10000);
  const mail = sentTo(SUBJECT_EMAIL).at(-1);
  assert.equal(mail.meta.mail_from, FROM);
  assert.deepEqual(mail.meta.rcpt_tos, [SUBJECT_EMAIL]);
  assert.match(mail.eml, new RegExp(`^Subject: .*${reference}`, 'm'));
  assert.match(mail.eml, /Content-Type: application\/pdf/);
  assert.ok(!/Jana Beispiel/.test(mail.eml.match(/^Subject: .*$/m)[0]), 'the subject line never carries the name');
  const sent = sql(db, PASS, "SELECT count(*) FROM audit_events WHERE action = 'letter.sent'")[0][0];
  assert.equal(sent, 1, 'the audit trail records the one sent letter');
  await app.until(
    async () => (await Promise.all((await app.all('timeline-text')).map((el) => el.getText()))).includes('Letter sent by e-mail: Acknowledgement'),
    'the sent letter is on the timeline in words',
  );
  // The documents list says when it went, in the UI's format (local day and time), not RFC 3339.
  const rows = sql(db, PASS, 'SELECT id, sent_at FROM documents WHERE sent_at IS NOT NULL');
  assert.ok(rows.length > 0, 'the sent letter is a document with its time');
  const pad = (n) => String(n).padStart(2, '0');
  for (const [id, sentAt] of rows) {
    const at = new Date(sentAt);
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][at.getMonth()];
    assert.equal(await app.text(`document-sent-${id}`), `sent ${at.getDate()} ${month} ${at.getFullYear()}, ${pad(at.getHours())}:${pad(at.getMinutes())}`);
  }
});
