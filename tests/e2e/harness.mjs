// Drives the real desktop app: tauri-driver (WebDriver on 4444) starts WebKitWebDriver (4445),
// which starts our binary in a real window on the X display that run.sh's Xvfb provides.
// Everything here is plumbing; the tests say what a DPO does and what must be on screen.

import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, Capabilities, Key, until } from 'selenium-webdriver';

export { By, Key, until };

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
export const APP = process.env.DSAR_DESK_BIN ?? path.join(TARGET, 'debug', 'dsar-desk');
export const CLI = process.env.DSAR_BIN ?? path.join(TARGET, 'debug', 'dsar');
export const SHOTS = process.env.E2E_SCREENSHOTS ?? path.join(TARGET, 'e2e', 'screenshots');
export const PEERS = path.join(TARGET, 'python-peers', 'bin');
const DRIVER = process.env.TAURI_DRIVER ?? path.join(os.homedir(), '.cargo', 'bin', 'tauri-driver');

/** The fixed day every test runs on, as in the Rust tests. */
export const TODAY = '2026-11-21';

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/**
 * Resolves as `promise` does, or rejects after `ms` saying `what`: a WebDriver call or a child
 * that never answers must fail the test, not hold the whole run until CI's limit.
 */
export function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function waitPorts(ports, ms, child, log) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited (${child.exitCode}): ${log()}`);
    const open = await Promise.all(ports.map(portOpen));
    if (open.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ports ${ports.join(', ')} did not open within ${ms} ms: ${log()}`);
}

/**
 * Starts the app with `env` (DSAR_DB, XDG_DATA_HOME, …) and returns a WebDriver session on its
 * window plus `stop()`. The app inherits tauri-driver's environment.
 */
export async function launch(env) {
  let log = '';
  const driver = spawn(DRIVER, ['--port', '4444', '--native-port', '4445', '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: { ...process.env, DSAR_TODAY: TODAY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: stop() ends WebKitWebDriver and the app with it. They inherit
    // its output pipes, and a survivor holding them would keep this test file from exiting.
    detached: true,
  });
  const killAll = (signal) => { try { process.kill(-driver.pid, signal); } catch { /* gone */ } };
  driver.stdout.on('data', (d) => { log += d; });
  driver.stderr.on('data', (d) => { log += d; });
  try {
    await waitPorts([4444, 4445], 20000, driver, () => log.slice(-2000));
    const caps = new Capabilities();
    caps.setBrowserName('wry');
    caps.set('tauri:options', { application: APP });
    const session = await within(new Builder().withCapabilities(caps).usingServer('http://127.0.0.1:4444/').build(), 60000, 'starting the app through tauri-driver');
    const app = new App(session);
    app.stop = async () => {
      try { await within(session.quit(), 20000, 'closing the window'); } catch { /* the window may be gone already */ }
      killAll('SIGTERM');
      const exited = () => new Promise((r) => (driver.exitCode !== null || driver.signalCode !== null ? r() : driver.once('exit', r)));
      try {
        await within(exited(), 10000, 'tauri-driver stopping');
      } catch {
        killAll('SIGKILL');
        await within(exited(), 10000, 'tauri-driver killed').catch(() => {});
      }
      // Whatever is left of the group goes too, and its pipes no longer hold the event loop.
      killAll('SIGKILL');
      driver.stdout.destroy();
      driver.stderr.destroy();
      // tauri-driver's children: make sure the next launch gets the ports.
      for (let i = 0; i < 50 && ((await portOpen(4444)) || (await portOpen(4445))); i++) await new Promise((r) => setTimeout(r, 100));
    };
    return app;
  } catch (e) {
    killAll('SIGKILL');
    driver.stdout.destroy();
    driver.stderr.destroy();
    throw e;
  }
}

/** The window, addressed the way the tests think: by `data-testid`. */
export class App {
  constructor(session) {
    this.session = session;
  }

  css(id) {
    return By.css(`[data-testid="${id}"]`);
  }

  /** Waits until the element with `data-testid` = id is displayed and returns it. */
  async find(id, ms = 15000) {
    const el = await this.session.wait(until.elementLocated(this.css(id)), ms, `no element [data-testid="${id}"]`);
    await this.session.wait(until.elementIsVisible(el), ms, `[data-testid="${id}"] is not visible`);
    return el;
  }

  async all(id) {
    return this.session.findElements(this.css(id));
  }

  async click(id) {
    const el = await this.find(id);
    await this.reveal(el);
    await el.click();
    return el;
  }

  /**
   * Scrolls the element to the middle of the window, as a user brings a control into view
   * before using it: WebDriver's own scrolling stops at the window's edge, where a fixed
   * header (the case screen's) may cover the control and intercept the click.
   */
  async reveal(el) {
    await this.session.executeScript((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }), el);
  }

  /** Clears the field and types `text` as a user would, key by key. */
  async type(id, text) {
    const el = await this.find(id);
    // Select all and delete, as a user does: WebDriver's clear() empties the field without an
    // input event, so the app would keep the old value.
    await el.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
    if (text !== '') await el.sendKeys(text);
    return el;
  }

  async text(id, ms) {
    return (await (await this.find(id, ms)).getText()).trim();
  }

  async value(id) {
    return (await this.find(id)).getAttribute('value');
  }

  /** Sets an input's value the way a picker does (date inputs take no reliable keystrokes). */
  async setValue(id, value) {
    const el = await this.find(id);
    await this.session.executeScript(
      (e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); e.dispatchEvent(new Event('change', { bubbles: true })); },
      el,
      value,
    );
  }

  /** Ticks (or unticks) a checkbox by clicking it, as a user would. */
  async checkbox(id, on) {
    const el = await this.find(id);
    if ((await el.isSelected()) !== on) {
      await this.reveal(el);
      await el.click();
    }
  }

  async select(id, value) {
    const el = await this.find(id);
    await this.session.executeScript(
      (e, v) => { e.value = v; e.dispatchEvent(new Event('change', { bubbles: true })); },
      el,
      value,
    );
  }

  /**
   * Answers the next native file dialog (Open or Save as) with `file`, as the DPO would choose
   * it there: WebKitWebDriver cannot reach GTK's dialogs, so ui/src/lib/dialogs.ts takes queued
   * answers before opening one. Queue the answer, then click the button that opens the dialog;
   * '' answers as a cancel.
   */
  async answerPicker(file) {
    await this.session.executeScript((f) => {
      window.__dsarPickerAnswers = Array.isArray(window.__dsarPickerAnswers) ? window.__dsarPickerAnswers : [];
      window.__dsarPickerAnswers.push(f);
    }, file);
  }

  /**
   * The error shown at the field with `data-testid` = id: the `.field-error` inside the same
   * `.field` wrapper, i.e. next to the input, not in a banner somewhere else.
   */
  async fieldError(id, ms = 10000) {
    const input = await this.find(id);
    const at = By.xpath("./ancestor::*[contains(concat(' ', @class, ' '), ' field ')][1]//*[contains(concat(' ', @class, ' '), ' field-error ')]");
    let text = '';
    await this.until(async () => { text = (await input.findElement(at).getText()).trim(); return text !== ''; }, `no error shown at field ${id}`, ms);
    return text;
  }

  /** Waits until `pred()` is true (polling), failing with `what`. */
  async until(pred, what, ms = 15000) {
    return this.session.wait(async () => { try { return await pred(); } catch { return false; } }, ms, what);
  }

  /** Waits until the element's text matches `re`, returns the text. */
  async textMatching(id, re, ms = 15000) {
    let last = '';
    await this.until(async () => { last = await this.text(id, ms); return re.test(last); }, `[data-testid="${id}"] never matched ${re}; last text: ${JSON.stringify(last)}`, ms);
    return last;
  }

  /**
   * Saves a PNG of the window after two animation frames (so the last change is painted),
   * first scrolling the element with `data-testid` = id, if given, to the top of the window.
   */
  async screenshot(name, id) {
    if (id) await this.session.executeScript((e) => e.scrollIntoView({ block: 'start' }), await this.find(id));
    await this.session.executeAsyncScript((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    // WebKitWebDriver takes the picture after the page's next paint. The app draws on the CPU
    // (src-tauri/src/rendering.rs), where a page that changes nothing — a dashboard with no
    // focused field and so no blinking caret — never paints again and the screenshot waits
    // forever. A 1-pixel, near-transparent square in the corner repaints every frame until the
    // picture is taken.
    await this.session.executeScript(() => {
      const px = document.createElement('div');
      px.id = 'e2e-repaint';
      px.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none';
      document.body.append(px);
      let n = 0;
      const tick = () => {
        if (!px.isConnected) return;
        px.style.background = `rgba(0,0,0,${n++ % 2 ? 0.01 : 0.02})`;
        requestAnimationFrame(tick);
      };
      tick();
    });
    let png;
    try {
      png = await this.session.takeScreenshot();
    } finally {
      await this.session.executeScript(() => document.getElementById('e2e-repaint')?.remove());
    }
    mkdirSync(SHOTS, { recursive: true });
    const file = path.join(SHOTS, `${name}.png`);
    writeFileSync(file, Buffer.from(png, 'base64'));
    return file;
  }
}

/**
 * A throw-away home for one test file: `tmp`, the database path `db` (named `dbName`) and the
 * app's environment (its database and XDG folders inside `tmp`, so nothing touches the user's).
 */
export function tempDesk(name, dbName = 'desk.db') {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `dsar-e2e-${name}-`));
  const db = path.join(tmp, dbName);
  const env = {
    DSAR_DB: db,
    XDG_DATA_HOME: path.join(tmp, 'data'),
    XDG_CONFIG_HOME: path.join(tmp, 'config'),
    XDG_CACHE_HOME: path.join(tmp, 'cache'),
  };
  return { tmp, db, env };
}

/**
 * Starts the app on an existing desk (`env.DSAR_DB`) and unlocks it to the dashboard, first
 * switching the window to `lang` ('de', 'en') when given.
 */
export async function launchUnlocked(passphrase, env, lang) {
  const app = await launch(env);
  if (lang) {
    await app.find('passphrase');
    await app.select('ui-lang', lang);
  }
  await app.type('passphrase', passphrase);
  await app.click('unlock-submit');
  await app.find('dash-overdue');
  return app;
}

/** Runs the `dsar` CLI (the same core) and returns stdout; throws with stderr on failure. */
export function dsar(args, env = {}) {
  return execFileSync(CLI, args, { env: { ...process.env, DSAR_TODAY: TODAY, ...env }, encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs SQL on an encrypted database with SQLCipher's own Python binding (not our code). */
export function sql(db, passphrase, query) {
  const script = [
    'import json, sys, sqlcipher3',
    'c = sqlcipher3.connect(sys.argv[1])',
    "c.execute('PRAGMA key = ' + \"'\" + sys.argv[2].replace(\"'\", \"''\") + \"'\")",
    'print(json.dumps(c.execute(sys.argv[3]).fetchall()))',
  ].join('\n');
  const out = execFileSync(path.join(PEERS, 'python'), ['-c', script, db, passphrase, query], { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}
