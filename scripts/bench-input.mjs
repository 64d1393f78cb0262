#!/usr/bin/env node
// Measures what turning a JavaScript order object into JSON text costs in the wrapper
// (js/input.js: one JSON.stringify with a replacer that rejects what JSON would drop or
// alter), against a bare JSON.stringify, for the S, M and L benchmark orders; and the
// end-to-end `route` of an M order passed as an object vs as JSON text. Prints figures;
// asserts nothing.
//
//   node scripts/bench-input.mjs [rounds]      (after scripts/build-pkg.sh)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Router, StockrouteError, warmup } = require(path.join(ROOT, 'pkg', 'node', 'index.cjs'));
const { toJsonText } = require(path.join(ROOT, 'pkg', 'node', 'input.cjs'));

const rounds = Number(process.argv[2] || 20000);
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-bench-input-'));
execFileSync(process.execPath, [path.join(ROOT, 'bench', 'gen-workloads.mjs'), data], { stdio: 'ignore' });
const load = (f) => JSON.parse(fs.readFileSync(path.join(data, f), 'utf8'));

// µs per call, median of 5 passes (interleaved with the other variant by the caller).
function time(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / rounds / 1000;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function compareVariants(variants) {
  const samples = variants.map(() => []);
  for (let pass = 0; pass < 7; pass++) {
    variants.forEach(([, fn], i) => samples[i].push(time(fn)));
  }
  return variants.map(([name], i) => [name, median(samples[i].slice(2))]);
}

console.log(`# JS object → JSON text, per order (${rounds} calls × 5 passes, median; Node ${process.version})`);
console.log('| order | JSON.stringify | wrapper (stringify + checks) | overhead |');
console.log('|---|---|---|---|');
for (const [label, file] of [['S (2 lines)', 'order-s.json'], ['M (5 lines)', 'order-m.json'], ['L (50 lines)', 'order-l.json']]) {
  const order = load(file);
  let sink = 0;
  const [[, plain], [, wrapped]] = compareVariants([
    ['plain', () => { sink += JSON.stringify(order).length; }],
    ['wrapper', () => { sink += toJsonText(order, 'order', StockrouteError).length; }],
  ]);
  console.log(`| ${label} | ${plain.toFixed(2)} µs | ${wrapped.toFixed(2)} µs | +${(wrapped - plain).toFixed(2)} µs |`);
  if (sink < 0) console.log(sink);
}

warmup({ calls: 2000 });
const inventory = fs.readFileSync(path.join(data, 'inventory-m.json'), 'utf8');
const rules = fs.readFileSync(path.join(ROOT, 'bench', 'rules', 'hooks.rhai'), 'utf8');
const router = new Router(rules, { trace: false });
router.setInventory(inventory);
const orderM = load('order-m.json');
const textM = JSON.stringify(orderM);
const routed = compareVariants([
  ['object', () => router.route(orderM)],
  ['text', () => router.route(textM)],
]);
console.log('');
console.log('# route(M order) end to end, inventory loaded once, trace off');
for (const [name, us] of routed) console.log(`route(${name === 'object' ? 'object' : 'JSON text'}): ${us.toFixed(1)} µs`);
router.free();
fs.rmSync(data, { recursive: true, force: true });
