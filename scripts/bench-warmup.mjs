#!/usr/bin/env node
// Measures the Node warm-up: V8 runs a new WebAssembly module on its baseline compiler
// (Liftoff) and recompiles hot functions with its optimising tier (TurboFan) as they get
// used, so the first calls in a fresh process are slow. Each variant runs in fresh processes
// (median of 3): the time to load the package and build the router, then 3,000 `route`
// calls of the sample orders: the mean of calls 1-1,000, their slowest call, and the mean
// of calls 2,001-3,000 (warm). Prints figures; asserts nothing.
//
//   node scripts/bench-warmup.mjs        (after scripts/build-pkg.sh)
//
// Variants: no warm-up; `warmup()` (1,000 synthetic orders) before the first real order;
// `warmup({ calls: 3000 })`; and `node --no-liftoff` (compile everything optimised up front,
// a V8 diagnostic flag, for comparison only).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);

if (process.argv[2] === '--child') {
  const calls = Number(process.argv[3]);
  const t0 = performance.now();
  const fs = await import('node:fs');
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { Router, warmup } = require(path.join(ROOT, 'pkg', 'node', 'index.cjs'));
  const warm = calls > 0 ? warmup({ calls }).ms : 0;
  const router = new Router(fs.readFileSync(path.join(ROOT, 'rules', 'own-first-then-consignment.rhai'), 'utf8'), { trace: false });
  router.setInventory(fs.readFileSync(path.join(ROOT, 'examples', 'inventory.json'), 'utf8'));
  const ready = performance.now() - t0;
  const orders = fs.readFileSync(path.join(ROOT, 'examples', 'orders.jsonl'), 'utf8').split('\n').filter(Boolean);
  const times = [];
  for (let i = 0; i < 3000; i++) {
    const s = performance.now();
    router.route(orders[i % orders.length]);
    times.push((performance.now() - s) * 1000);
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(JSON.stringify({
    warm, ready,
    first: mean(times.slice(0, 1000)),
    firstMax: Math.max(...times.slice(0, 1000)) / 1000,
    steady: mean(times.slice(2000)),
  }));
  process.exit(0);
}

const variants = [
  ['no warm-up', [], 0],
  ['warmup() (1,000 calls)', [], 1000],
  ['warmup({ calls: 3000 })', [], 3000],
  ['node --no-liftoff (diagnostic)', ['--no-liftoff'], 0],
];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = variants.map(() => []);
for (let round = 0; round < 3; round++) {
  variants.forEach(([, flags, calls], i) => {
    const r = spawnSync(process.execPath, [...flags, SELF, '--child', String(calls)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    results[i].push(JSON.parse(r.stdout));
  });
}
console.log(`# Node ${process.version}: 3,000 route calls of the 13 sample orders (trace off), fresh process each, median of 3`);
console.log('| variant | warm-up | ready (load + warm-up + router) | calls 1-1,000 mean | slowest of them | calls 2,001-3,000 mean |');
console.log('|---|---|---|---|---|---|');
variants.forEach(([name], i) => {
  const m = (k) => median(results[i].map((r) => r[k]));
  console.log(`| ${name} | ${m('warm').toFixed(0)} ms | ${m('ready').toFixed(0)} ms | ${m('first').toFixed(1)} µs | ${m('firstMax').toFixed(1)} ms | ${m('steady').toFixed(1)} µs |`);
});
