// The installed package, not the build tree: scripts/deb.sh --test installs the .deb with
// dpkg, points DSAR_DESK_BIN and DSAR_BIN at the installed programs and runs this file. A
// DPO's first start: the window opens on "create a new desk", the desk is created and
// unlocked, and the `dsar` command of the same package opens that desk. Not one of the
// *.test.mjs files (run.sh's default set): it needs the package installed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { APP, CLI, launch, tempDesk, dsar } from './harness.mjs';

const PASS = 'installed desk passphrase';
const { db, env } = tempDesk('deb');
let app;

before(async () => {
  assert.equal(APP, '/usr/bin/dsar-desk', 'DSAR_DESK_BIN must name the installed app (run through scripts/deb.sh --test)');
  assert.equal(CLI, '/usr/bin/dsar', 'DSAR_BIN must name the installed command line');
  app = await launch(env);
});
after(async () => {
  await app?.stop();
});

test('the package installed the app, its menu entry and the command line', () => {
  assert.ok(existsSync(APP), `${APP} is installed`);
  const entry = readFileSync('/usr/share/applications/DSAR desk.desktop', 'utf8');
  assert.match(entry, /^Exec=dsar-desk$/m);
  assert.match(entry, /^Categories=Office;$/m);
  assert.match(dsar(['--version']), /^dsar \d+\.\d+\.\d+/);
});

test('first start of the installed app: a new desk is created in German and opens on the dashboard', async () => {
  await app.select('ui-lang', 'de');
  assert.equal(await app.textMatching('unlock-title', /Desk/), 'Neuen Desk anlegen');
  await app.type('passphrase', PASS);
  await app.type('passphrase-confirm', PASS);
  await app.screenshot('90-installed-first-start');
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  assert.equal(await app.text('dash-overdue'), '0');
  // The installed command line opens the desk the installed app made: one file, one key.
  const cases = JSON.parse(dsar(['case', 'list', '--db', db, '--json'], { DSAR_PASSPHRASE: PASS }));
  assert.deepEqual(cases, { total: 0, offset: 0, cases: [] });
});
