#!/usr/bin/env node
// Measures the JavaScript ↔ WebAssembly boundary for `router.route(order)` with the
// inventory loaded once: the order passed as a JS object vs as a JSON string (and the
// inventory passed per call, for comparison). Prints figures; asserts nothing.
//
//   node scripts/bench-boundary.mjs [rounds]      (after scripts/build-pkg.sh)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Router, version } = require(path.join(ROOT, 'pkg', 'node', 'index.cjs'));

const rounds = Number(process.argv[2] || 300);
const inventoryText = fs.readFileSync(path.join(ROOT, 'examples', 'inventory.json'), 'utf8');
const inventory = JSON.parse(inventoryText);
const orderTexts = fs.readFileSync(path.join(ROOT, 'examples', 'orders.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '');
const orders = orderTexts.map((l) => JSON.parse(l));

// One timed pass over every sample order; µs per order.
function pass(router, fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (let j = 0; j < orders.length; j++) fn(router, j);
  return Number(process.hrtime.bigint() - t0) / (rounds * orders.length) / 1000;
}

// Variants are interleaved (ABCABC...) so load from other processes hits them alike; the
// minimum of the passes is the least disturbed figure, the median shows the spread.
function compare(router, variants, passes = 7) {
  for (const [, fn] of variants) for (let i = 0; i < 30; i++) for (let j = 0; j < orders.length; j++) fn(router, j);
  const samples = variants.map(() => []);
  for (let p = 0; p < passes; p++) variants.forEach(([, fn], k) => samples[k].push(pass(router, fn)));
  return variants.map(([label], k) => {
    const s = samples[k].sort((a, b) => a - b);
    const min = s[0];
    const median = s[Math.floor(s.length / 2)];
    console.log(`  ${label.padEnd(54)} min ${min.toFixed(1).padStart(6)} µs/order, median ${median.toFixed(1).padStart(6)}`);
    return min;
  });
}

console.log(`stockroute ${version()}, node ${process.version}, ${orders.length} sample orders × ${rounds} rounds, 7 interleaved passes`);
for (const [name, rules] of [
  ['engine defaults (no rule hooks)', ''],
  ['own-first-then-consignment.rhai', fs.readFileSync(path.join(ROOT, 'rules', 'own-first-then-consignment.rhai'), 'utf8')],
]) {
  console.log(`\nrules: ${name}`);
  const router = new Router(rules);
  router.setInventory(inventory);
  const [obj, str] = compare(router, [
    ['route(order object), inventory loaded once', (r, j) => r.route(orders[j])],
    ['route(order JSON string), inventory loaded once', (r, j) => r.route(orderTexts[j])],
    ['route(JSON.stringify(order)), inventory loaded once', (r, j) => r.route(JSON.stringify(orders[j]))],
  ]);
  console.log(`  → faster: ${str < obj ? 'JSON string' : 'JS object'} (string/object = ${(str / obj).toFixed(2)})`);
  compare(router, [
    ['route(order object, inventory object) each call', (r, j) => r.route(orders[j], inventory)],
    ['route(order string, inventory string) each call', (r, j) => r.route(orderTexts[j], inventoryText)],
  ], 3);
  router.free();
}
