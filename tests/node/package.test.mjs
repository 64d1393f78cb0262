// The package as users install it: CommonJS and ESM entries, the exports map, and an
// `npm install <path>/pkg` into an unrelated folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PKG, SMALL_INVENTORY, smallOrder } from './helpers.mjs';

const require = createRequire(import.meta.url);
const NAMES = ['Router', 'StockrouteError', 'apiMetadata', 'check', 'compare', 'runCase', 'version', 'warmup'];

test('CommonJS and ESM entries export the same objects', async () => {
  const cjs = require(PKG); // resolves through the exports map: node + require
  const esm = await import(pathToFileURL(path.join(PKG, 'node', 'index.mjs')).href);
  for (const name of NAMES) {
    assert.equal(typeof cjs[name], 'function', name);
    assert.equal(esm[name], cjs[name], name);
  }
  // init() is a no-op in Node so code can be shared with the browser entry.
  await esm.default();
  const router = new esm.Router('');
  assert.throws(() => router.route('{', SMALL_INVENTORY), cjs.StockrouteError);
});

test('package.json: name, bin, exports map and types', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'stockroute');
  assert.equal(pkg.bin.stockroute, './bin/stockroute.js');
  const root = pkg.exports['.'];
  assert.equal(Object.keys(root)[0], 'types');
  assert.deepEqual(root.node, { import: './node/index.mjs', require: './node/index.cjs' });
  assert.equal(root.browser, './web/index.js');
  assert.equal(root.default, './web/index.js');
  for (const file of ['index.d.ts', 'node/index.cjs', 'node/index.mjs', 'web/index.js', 'web/stockroute_bg.wasm', 'bin/stockroute.js']) {
    assert.ok(fs.existsSync(path.join(PKG, file)), file);
  }
});

test('the browser entry needs init() first, then works from wasm bytes', async () => {
  const web = await import(pathToFileURL(path.join(PKG, 'web', 'index.js')).href);
  assert.throws(() => web.version(), /await init\(\)/);
  await web.default(fs.readFileSync(path.join(PKG, 'web', 'stockroute_bg.wasm')));
  await web.default(); // a second call returns at once
  const router = new web.Router('');
  const plan = router.route(smallOrder('o1', 1), SMALL_INVENTORY);
  assert.equal(plan.shipments[0].warehouse, 'OWN');
  assert.throws(() => router.route('{', SMALL_INVENTORY), web.StockrouteError);
});

test('npm install <path>/pkg into another folder, then require("stockroute") and run the bin', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-consumer-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', PKG], { cwd: dir, stdio: 'pipe' });
    const script = `
      const { Router, StockrouteError } = require('stockroute');
      const r = new Router('fn rank(o, w) { w.priority }');
      const plan = r.route(${JSON.stringify(smallOrder('o1', 2))}, ${JSON.stringify(SMALL_INVENTORY)});
      let code = null;
      try { r.route('{}', ${JSON.stringify(SMALL_INVENTORY)}); } catch (e) { code = e instanceof StockrouteError && e.code; }
      console.log(JSON.stringify([plan.shipments[0].warehouse, code]));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), ['OWN', 'data.invalid']);
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "import { version } from 'stockroute'; console.log(version())"], { cwd: dir, encoding: 'utf8' });
    assert.match(esm.trim(), /^\d+\.\d+\.\d+/);
    const bin = execFileSync(path.join(dir, 'node_modules', '.bin', 'stockroute'), ['--version'], { encoding: 'utf8' });
    assert.equal(bin.trim(), esm.trim());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm pack: exactly one .wasm in the tarball, loaded by both entries', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: PKG, encoding: 'utf8' });
  const [{ files, unpackedSize }] = JSON.parse(out);
  const wasm = files.filter((f) => f.path.endsWith('.wasm'));
  assert.deepEqual(wasm.map((f) => f.path), ['web/stockroute_bg.wasm']);
  // Everything else is JavaScript, declarations and docs: well under two copies of the module.
  assert.ok(unpackedSize < wasm[0].size * 1.5, `unpacked ${unpackedSize} bytes for a ${wasm[0].size}-byte module`);
  // The Node entry reads that very file (no copy of its own under node/).
  assert.ok(!files.some((f) => f.path.startsWith('node/') && /wasm|_bg/.test(f.path)));
  const node = fs.readFileSync(path.join(PKG, 'node', 'index.cjs'), 'utf8');
  assert.match(node, /'\.\.', 'web', 'stockroute_bg\.wasm'/);
});
