// Desktop benchmark (run by scripts/bench-desktop.sh under Xvfb): start-up time, memory and the
// 100 000-case list, measured on the real app window, with WebKitGTK's own MiniBrowser as the
// baseline for what the engine alone costs. Prints figures and compares them to the targets of
// issue 5 (cold start < 1 s, RSS < 150 MB, filtering 100 000 cases < 100 ms).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch } from './harness.mjs';

const APP = process.env.DSAR_DESK_BIN;
const BIG_DB = process.env.BENCH_DB; // 100 000 cases
const BIG_PASS = process.env.BENCH_PASS;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

/** Every process whose parent chain leads to `root` (WebKit's web and network processes). */
function tree(root) {
  const parent = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const out = [root];
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) if (out.includes(ppid) && !out.includes(pid)) { out.push(pid); grew = true; }
  }
  return out;
}

/** RSS and PSS in MiB: of `pid` alone and of its whole process tree. */
function memory(pid) {
  const read = (p) => {
    try {
      const s = readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) ?? [0, 0])[1]);
      return { rss: kb('Rss') / 1024, pss: kb('Pss') / 1024 };
    } catch { return { rss: 0, pss: 0 }; }
  };
  const own = read(pid);
  const all = tree(pid).map(read).reduce((a, b) => ({ rss: a.rss + b.rss, pss: a.pss + b.pss }), { rss: 0, pss: 0 });
  return { own, all, procs: tree(pid).length };
}

async function stop(child) {
  child.kill('SIGTERM');
  await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Spawns the app and times spawn → first screen drawn (the UI's ui_ready hook). */
async function coldStart(env, args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dsar-bench-'));
  const ready = path.join(dir, 'ready');
  const t0 = performance.now();
  const child = spawn(APP, args, { env: { ...process.env, ...env, DSAR_READY_FILE: ready }, stdio: 'ignore' });
  while (!existsSync(ready)) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    if (performance.now() - t0 > 30000) throw new Error('no first screen within 30 s');
    await sleep(2);
  }
  const ms = performance.now() - t0;
  await sleep(1500); // let the dashboard's data and fonts settle before reading memory
  const mem = memory(child.pid);
  await stop(child);
  rmSync(dir, { recursive: true, force: true });
  return { ms, mem };
}

async function baseline() {
  if (!existsSync(MINIBROWSER)) return null;
  const child = spawn(MINIBROWSER, ['about:blank'], { stdio: 'ignore' });
  await sleep(3000);
  const mem = memory(child.pid);
  await stop(child);
  return mem;
}

// The target is in MB (10^6 bytes); /proc reports KiB, so RSS is read in MiB and converted.
const MB_PER_MIB = 1.048576;
const underTarget = (m) => m.own.rss * MB_PER_MIB < 150;
const fmt = (m) => `app ${m.own.rss.toFixed(0)} MiB = ${(m.own.rss * MB_PER_MIB).toFixed(0)} MB RSS; with WebKit's ${m.procs - 1} helper processes ${m.all.rss.toFixed(0)} MiB RSS / ${m.all.pss.toFixed(0)} MiB PSS`;
let failed = false;
const verdict = (ok) => { if (!ok) failed = true; return ok ? 'ok' : 'MISSED'; };

const home = mkdtempSync(path.join(os.tmpdir(), 'dsar-bench-home-'));
const demoEnv = { XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'), DSAR_DB: path.join(home, 'none.db') };

// 1. Demo desk: the first run creates the demo (not timed); then cold starts to the dashboard.
await coldStart(demoEnv, ['--demo']);
const demo = [];
for (let i = 0; i < RUNS; i++) demo.push(await coldStart(demoEnv, ['--demo']));
const demoMs = median(demo.map((r) => r.ms));
const demoMem = demo[demo.length - 1].mem;
console.log(`cold start to the demo dashboard: median ${demoMs.toFixed(0)} ms of ${RUNS} (${demo.map((r) => r.ms.toFixed(0)).join(', ')})  target < 1000 ms: ${verdict(demoMs < 1000)}`);
console.log(`memory, demo desk: ${fmt(demoMem)}  target < 150 MB (app process): ${verdict(underTarget(demoMem))}`);

// The same start on GTK's and WebKit's GPU defaults (DSAR_DESK_GPU=1), for comparison only.
const gpu = await coldStart({ ...demoEnv, DSAR_DESK_GPU: '1' }, ['--demo']);
console.log(`  for comparison, the GPU path (DSAR_DESK_GPU=1): ${fmt(gpu.mem)}, cold start ${gpu.ms.toFixed(0)} ms`);

// 2. The 100 000-case desk: cold start to the unlock screen.
const bigEnv = { ...demoEnv, DSAR_DB: BIG_DB };
const big = [];
for (let i = 0; i < RUNS; i++) big.push(await coldStart(bigEnv, []));
const bigMs = median(big.map((r) => r.ms));
console.log(`cold start to the unlock screen, 100 000-case desk: median ${bigMs.toFixed(0)} ms  target < 1000 ms: ${verdict(bigMs < 1000)}`);

const base = await baseline();
if (base) console.log(`baseline, WebKitGTK MiniBrowser on about:blank: ${fmt(base).replace('app', 'browser')}`);

// 3. Unlocked, on the case list of 100 000 cases, through WebDriver like a user.
const app = await launch(bigEnv);
try {
  await app.type('passphrase', BIG_PASS);
  await app.click('unlock-submit');
  await app.find('dash-overdue', 60000);
  await app.click('nav-cases');
  await app.find('case-table');
  const pid = Number(execFileSync('pgrep', ['-n', '-f', `^${APP}`], { encoding: 'utf8' }).trim());

  // Time from the user's change to the new rows painted (two frames), in the page's own clock.
  const timeChange = (testid, value, kind) => app.session.executeAsyncScript(
    (testid, value, kind, done) => {
      const el = document.querySelector(`[data-testid="${testid}"]`);
      const count = () => document.querySelector('[data-testid="case-count"]')?.getAttribute('data-total');
      const rows = () => document.querySelector('[data-testid="case-table"] tbody')?.innerHTML;
      const before = `${count()}|${rows()}`;
      const t0 = performance.now();
      if (kind === 'checkbox') el.click();
      else { el.value = value; el.dispatchEvent(new Event(kind, { bubbles: true })); }
      const check = () => {
        if (`${count()}|${rows()}` !== before) requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
        else setTimeout(check, 1);
      };
      check();
    },
    testid, value, kind,
  );
  const series = async (steps) => {
    const out = [];
    for (let i = 0; i < RUNS; i++) for (const [id, v, kind] of steps) out.push(await timeChange(id, v, kind));
    return out;
  };
  // Open only (the default) off, so the list is all 100 030 cases; then filters back and forth.
  await timeChange('filter-open', null, 'checkbox');
  const status = await series([['filter-status', 'closed', 'change'], ['filter-status', '', 'change']]);
  const overdue = await series([['filter-overdue', null, 'checkbox'], ['filter-overdue', null, 'checkbox']]);
  const right = await series([['filter-right', 'portability', 'change'], ['filter-right', '', 'change']]);
  const sort = await series([['sort', 'received', 'change'], ['sort', 'due', 'change']]);
  // Search waits 200 ms after the last keystroke on purpose (debounce); measured minus that.
  const search = (await series([['case-search', 'Person 04711', 'input'], ['case-search', '', 'input']])).map((ms) => ms - 200);
  const all = [...status, ...overdue, ...right, ...sort];
  const worst = Math.max(...all);
  const report = (name, xs) => console.log(`  ${name.padEnd(34)} median ${median(xs).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`);
  console.log('filtering the 100 000-case list (change → rows painted):');
  report('status closed / any', status);
  report('overdue only on / off', overdue);
  report('right portability / any', right);
  report('sort received / due', sort);
  report('search (after the 200 ms debounce)', search);
  console.log(`  worst filter ${worst.toFixed(1)} ms  target < 100 ms: ${verdict(worst < 100)}`);
  const mem = memory(pid);
  console.log(`memory, 100 000-case desk after filtering: ${fmt(mem)}  target < 150 MB (app process): ${verdict(underTarget(mem))}`);
} finally {
  await app.stop();
  rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
