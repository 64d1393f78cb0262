// The browser entry (pkg/web/index.js) as a plain ES module in headless Chromium: no
// bundler, served by a bare static server, `await init()` fetching stockroute_bg.wasm next
// to index.js, exactly as docs/js-api.md shows; then 1,000 deliberate WebAssembly traps on the
// page's main thread, after which every router routes as before (the wrapper instantiates the
// compiled module again, synchronously).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const require = createRequire(import.meta.url);

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.rhai': 'text/plain', '.jsonl': 'text/plain',
};

const PAGE = `<!doctype html><meta charset="utf-8"><title>stockroute</title>
<script type="module">
  import init, { Router, StockrouteError, version, check, __testing } from '/pkg/web/index.js';
  const out = {};
  try {
    try { version(); } catch (e) { out.beforeInit = e.message; }
    await init();
    const rules = await (await fetch('/rules/own-first-then-consignment.rhai')).text();
    const router = new Router(rules);
    router.setInventory(await (await fetch('/examples/inventory.json')).text());
    const orders = (await (await fetch('/examples/orders.jsonl')).text()).split('\\n').filter(Boolean);
    const web1005 = orders.find((l) => l.includes('"WEB-1005"'));
    const plan = router.route(web1005);
    out.shipments = plan.shipments.map((s) => [s.warehouse, s.lines[0].qty]);
    try { router.route('{"id": "x"}'); } catch (e) {
      out.error = { isStockrouteError: e instanceof StockrouteError, isError: e instanceof Error, code: e.code };
    }
    out.version = version();

    // Trap recovery on the main thread: 1,000 traps of every kind (half of them while a
    // router is borrowed), then every router routes exactly as before and as a fresh one.
    const small = new Router('fn rank(o, w) { w.priority }');
    small.setInventory(await (await fetch('/examples/inventory.json')).text());
    const plansOf = (r) => orders.map((o) => JSON.stringify(r.route(o)));
    const before = [plansOf(router), plansOf(small)];
    const codes = new Set();
    for (let i = 0; i < 1000; i++) {
      try {
        if (i % 2) __testing.trapIn(i % 4 === 1 ? router : small, i % 3);
        else __testing.trap(i % 3);
        codes.add('no error');
      } catch (e) {
        codes.add(e instanceof StockrouteError ? e.code : String(e));
      }
    }
    out.trapCodes = [...codes];
    out.restarts = __testing.restarts();
    out.sameAfterTraps = [plansOf(router), plansOf(small)].map((p, i) => JSON.stringify(p) === JSON.stringify(before[i]));
    const fresh = new Router(rules);
    fresh.setInventory(await (await fetch('/examples/inventory.json')).text());
    out.sameAsFresh = JSON.stringify(plansOf(fresh)) === JSON.stringify(before[0]);
    out.checkAfterTraps = check(rules).ok;
    out.versionAfterTraps = version() === out.version;
  } catch (e) {
    out.failure = String(e && e.stack || e);
  }
  window.result = out;
</script>`;

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return;
    }
    const file = path.join(ROOT, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(ROOT + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('pkg/web/index.js runs in headless Chromium without a bundler', {
  skip: !fs.existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM} (scripts/setup.sh installs it)`,
}, async () => {
  const { chromium } = require('playwright-core');
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 60000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(errors, []);
    assert.equal(result.failure, undefined, result.failure);
    assert.match(result.beforeInit, /await init\(\)/);
    // WEB-1005 (4 × TENT-4P): own DE-BER's 3 first, the last from consignment CON-ZRH.
    assert.deepEqual(result.shipments, [['DE-BER', '3'], ['CON-ZRH', '1']]);
    assert.deepEqual(result.error, { isStockrouteError: true, isError: true, code: 'data.invalid' });
    assert.match(result.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(result.trapCodes, ['internal']);
    assert.equal(result.restarts, 1000);
    assert.deepEqual(result.sameAfterTraps, [true, true]);
    assert.equal(result.sameAsFresh, true);
    assert.equal(result.checkAfterTraps, true);
    assert.equal(result.versionAfterTraps, true);
    console.log(`# browser: ${browser.version()}`);
  } finally {
    await browser.close();
    server.close();
  }
});
