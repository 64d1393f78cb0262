// End-to-end tests of the rule editor in Chromium (playwright-core + Debian's /usr/bin/chromium).
// Run through www/test.sh, which builds www/dist first. Prints `N passed, M failed` last and
// exits non-zero on any failure. Screenshots of the main views go to www/test-results/.
//
// Expected values are worked out by hand from examples/inventory.json, examples/orders.jsonl
// and rules/own-first-then-consignment.rhai; the reasoning is next to each assertion.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const www = path.resolve(here, '..');
const repo = path.resolve(www, '..');
const results = path.join(www, 'test-results');
fs.mkdirSync(results, { recursive: true });

const DEMO = 'own-first-then-consignment';
const demoSource = fs.readFileSync(path.join(repo, 'rules', `${DEMO}.rhai`), 'utf8');
const ruleFiles = fs.readdirSync(path.join(repo, 'rules')).filter((f) => f.endsWith('.rhai'));

/** 1-based number of the first line of the demo rules containing `needle`. */
function lineOf(source, needle) {
  const i = source.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `demo rules no longer contain ${JSON.stringify(needle)}`);
  return i + 1;
}

// ------------------------------------------------------------------ server and browser

const server = spawn(process.execPath, [path.join(www, 'static-server.mjs'), '0', path.join(www, 'dist')], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/http:\/\/localhost:\d+\//);
    if (m) resolve(m[0]);
  });
  server.on('exit', (code) => reject(new Error(`static server exited with ${code}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});

let passed = 0;
let failed = 0;

/** Runs one test in a fresh browser context (so localStorage starts empty). */
async function test(name, fn) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
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
    console.log(`not ok - ${name}\n  ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n  ')}`);
    await page.screenshot({ path: path.join(results, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
  } finally {
    await context.close();
  }
}

async function open(page) {
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
}

async function pickRuleSet(page, name) {
  await page.selectOption('#ruleset', name);
  await page.waitForFunction((n) => document.querySelector('#ruleset').value === n, name);
}

async function pickOrder(page, id) {
  await page.selectOption('#order-select', id);
  await page.waitForSelector(`#preview .plan[data-order="${id}"]`);
}

/** Waits until the debounced evaluation has run after an edit. */
async function settle(page) {
  const before = await page.evaluate(() => window.__stockroute.evaluations);
  await page.waitForFunction((n) => window.__stockroute.evaluations > n, before, { timeout: 5000 });
}

async function shipments(page, scope = '#preview') {
  return page.$$eval(`${scope} .shipment`, (els) => els.map((el) => ({
    warehouse: el.dataset.warehouse,
    kind: el.querySelector('.kind').dataset.kind,
    lines: [...el.querySelectorAll('tbody tr')].map((tr) => `${tr.dataset.sku}×${tr.querySelector('.num').firstChild.textContent}`),
    documents: [...el.querySelectorAll('.doc')].map((d) => d.dataset.doc),
  })));
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(results, `${name}.png`) });
}

// ------------------------------------------------------------------ tests

await test('loads the page with every rule set in the picker and the demo rules selected', async (page) => {
  await open(page);
  const options = await page.$$eval('#ruleset option', (os) => os.map((o) => o.value));
  assert.deepEqual(options.sort(), ruleFiles.map((f) => f.replace(/\.rhai$/, '')).sort());
  assert.equal(await page.inputValue('#ruleset'), DEMO);
  assert.equal(await page.evaluate(() => window.__stockroute.rules()), demoSource);
  assert.equal(await page.textContent('#problem-count'), '0');
  assert.match(await page.textContent('#save-state'), /Saved/);
});

// EXAMPLE-SPECIFIC TESTS BELOW

await browser.close();
server.kill();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
