// Shared harness of the editor's end-to-end suites: a plain static server for www/dist, one
// Debian Chromium driven by playwright-core (never a downloaded browser), and `test()`, which
// runs each test in a fresh browser context (so localStorage starts empty) and fails it on
// any uncaught page error. `start()` once, then the suites, then `finish()`.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const www = path.resolve(here, '..');
export const repo = path.resolve(www, '..');
export const results = path.join(www, 'test-results');

export const DEMO = 'own-first-then-consignment';
export const demoSource = fs.readFileSync(path.join(repo, 'rules', `${DEMO}.rhai`), 'utf8');
export const sampleInventory = fs.readFileSync(path.join(repo, 'examples', 'inventory.json'), 'utf8');
export const sampleOrders = fs.readFileSync(path.join(repo, 'examples', 'orders.jsonl'), 'utf8');

/** Flags Chromium runs with here: headless, no sandbox, nothing fetched from the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync',
];

/** 1-based number of the first line of `source` containing `needle`. */
export function lineOf(source, needle) {
  const i = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `rules no longer contain ${JSON.stringify(needle)}`);
  return i + 1;
}

/** Serves `dir` from www/static-server.mjs on a free port; resolves to its URL and a stop function. */
export async function serve(dir = path.join(www, 'dist')) {
  const server = spawn(process.execPath, [path.join(www, 'static-server.mjs'), '0', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Never leave the server behind, whatever ends this process.
  process.on('exit', () => server.kill());
  const base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/localhost:\d+\//);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  return { base, stop: () => server.kill() };
}

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

let server;
let browser;
export let base = '';
let passed = 0;
let failed = 0;

export async function start() {
  fs.rmSync(results, { recursive: true, force: true });
  fs.mkdirSync(results, { recursive: true });
  // STOCKROUTE_EDITOR_DIST serves another build (e.g. an older editor, to see a test fail).
  server = await serve(process.env.STOCKROUTE_EDITOR_DIST || undefined);
  base = server.base;
  browser = await launch();
}

/**
 * The day the sample data describes (the month of events ends on it): the suites pin the
 * editor's *As of* control to it, so what they expect holds on any day they run.
 */
export const SAMPLE_DAY = '2026-11-30';

/**
 * Runs one test in a fresh browser context. `options.viewport` overrides the default
 * 1440 × 1000 window; `options.today` (`YYYY-MM-DD`) starts the page's clock on that day
 * (time then runs on). `STOCKROUTE_EDITOR_TODAY=2027-03-01 node tests/e2e.mjs` does that for
 * every test: the suites must pass whatever day it is.
 */
export async function test(name, fn, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 1000 } });
  const today = options.today ?? process.env.STOCKROUTE_EDITOR_TODAY;
  if (today) await context.clock.install({ time: new Date(`${today}T12:00:00Z`) });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await fn(page, errors);
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).split('\n').slice(0, 8).join('\n  ')}`);
    await page.screenshot({ path: path.join(results, `failed-${name.replace(/\W+/g, '-').slice(0, 80)}.png`) }).catch(() => {});
  } finally {
    await context.close();
  }
}

/** Closes the browser and the server, prints `N passed, M failed` and returns the exit code. */
export async function finish() {
  await browser?.close();
  server?.stop();
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

// ------------------------------------------------------------------ page helpers

/**
 * Opens the editor and pins its *As of* day to `asOf` (default `SAMPLE_DAY`; `null` leaves
 * it at today), as a user picks a day in the top bar.
 */
export async function open(page, { asOf = SAMPLE_DAY } = {}) {
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  if (asOf) await setAsOf(page, asOf);
}

/** Picks `day` in the *As of* control and waits for the evaluation that follows. */
export async function setAsOf(page, day) {
  // Already that day (pinned before a reload, or today is that day): every call is made for
  // it already, and picking it again changes nothing, so there is nothing to wait for.
  if ((await page.inputValue('#as-of')) === day) return;
  const wait = settle(page);
  await page.fill('#as-of', day);
  await wait;
}

export async function pickRuleSet(page, name) {
  await page.selectOption('#ruleset', name);
  await page.waitForFunction((n) => document.querySelector('#ruleset').value === n, name);
}

export async function pickOrder(page, id) {
  await page.selectOption('#order-select', id);
  await page.waitForSelector(`#preview .plan[data-order="${id}"]`);
}

/** Waits until the debounced evaluation has run after an edit. */
export async function settle(page) {
  const before = await page.evaluate(() => window.__stockroute.evaluations);
  await page.waitForFunction((n) => window.__stockroute.evaluations > n, before, { timeout: 5000 });
}

/** Replaces the whole rule source and waits for the evaluation that follows. */
export async function setRules(page, source) {
  const wait = settle(page);
  await page.evaluate((s) => window.__stockroute.setRules(s), source);
  await wait;
}

export async function shipments(page, scope = '#preview') {
  return page.$$eval(`${scope} .shipment`, (els) => els.map((el) => ({
    warehouse: el.dataset.warehouse,
    kind: el.querySelector('.kind').dataset.kind,
    lines: [...el.querySelectorAll('tbody tr')].map((tr) => `${tr.dataset.sku}×${tr.querySelector('.num').firstChild.textContent}`),
    documents: [...el.querySelectorAll('.doc')].map((d) => d.dataset.doc),
  })));
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(results, `${name}.png`) });
}
