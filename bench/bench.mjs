#!/usr/bin/env node
// Node side of the peer benchmark (issue 5). Routes the same 10,000 M orders
// (bench/data/orders-m.jsonl) against the same inventory with:
//   - stockroute WASM, hook rules (bench/rules/hooks.rhai): JS object and JSON string input
//   - stockroute WASM, the same routing written in Rhai `route()` (bench/rules/route.rhai)
//   - a hand-written plain JavaScript function (routeJs below)
//   - json-rules-engine for eligibility and rank, feeding the same JS allocation
// Every alternative is checked against stockroute's plans before it is timed.
//
//   node bench/bench.mjs [--out results.json] [--pkg ../pkg]   timings
//   node bench/bench.mjs --memory                               batch peak memory only
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const pkgDir = resolve(opt('--pkg', join(here, '..', 'pkg')));
const { Router } = await import(pathToFileURL(join(pkgDir, 'node', 'index.mjs')).href);
const data = (f) => readFileSync(join(here, 'data', f), 'utf8');
const rules = (f) => readFileSync(join(here, 'rules', f), 'utf8');

const inventoryText = data('inventory-m.json');
const inventory = JSON.parse(inventoryText);
const orderTexts = data('orders-m.jsonl').split('\n').filter((l) => l.trim());
const orders = orderTexts.map((t) => JSON.parse(t));

function peakRssKiB() {
  const m = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return m ? Number(m[1]) : null;
}

if (args.includes('--memory')) {
  const before = peakRssKiB();
  const router = new Router(rules('hooks.rhai'));
  router.setInventory(inventoryText);
  const t = process.hrtime.bigint();
  const results = router.routeBatch(orderTexts);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const ok = results.filter((r) => r.ok).length;
  console.log(JSON.stringify({ orders: results.length, ok, seconds, orders_per_s: results.length / seconds,
    peak_rss_kib_before: before, peak_rss_kib: peakRssKiB() }));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------
// Plain JavaScript: the same eligibility, rank and per-line allocation (at most 3 warehouses)
// a JS developer would write by hand. Quantities are numbers (the workload uses integers).
const EU = new Set(['DE', 'AT', 'NL', 'FR', 'PL', 'BE']);

function prepare(inv) {
  const avail = new Map();
  const byId = new Map(inv.warehouses.map((w) => [w.id, w]));
  for (const s of inv.stock) {
    const w = byId.get(s.warehouse);
    const enabled = w && w.enabled !== false;
    const a = !enabled || s.status === 'out_of_stock'
      ? 0
      : Math.max(0, Number(s.on_hand) - Number(s.reserved ?? 0) - Number(s.safety ?? 0));
    avail.set(`${s.warehouse}|${s.sku}`, a);
  }
  const channels = new Map(inv.channels.map((c) => [c.id, c]));
  return { warehouses: inv.warehouses, avail, channels };
}

const rad = (d) => (d * Math.PI) / 180;
function distanceKm(a, b) {
  const [lat1, lon1, lat2, lon2] = [rad(+a.lat), rad(+a.lon), rad(+b.lat), rad(+b.lon)];
  const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return Math.round(2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h))) * 1000) / 1000;
}

function eligibleJs(order, w) {
  if (w.kind === 'consignment' && order.customer?.type === 'b2b') return false;
  const dest = order.ship_to.country;
  return dest === w.country || (EU.has(dest) && EU.has(w.country));
}

function candidates(order, p) {
  const includeConsignment = p.channels.get(order.channel)?.include_consignment === true;
  return p.warehouses.filter((w) => w.enabled !== false
    && (w.kind !== 'consignment' || includeConsignment)
    && order.lines.some((l) => (p.avail.get(`${w.id}|${l.sku}`) ?? 0) > 0));
}

function fill(order, set, p) {
  const left = new Map();
  const allocs = [];
  const remaining = [];
  for (const line of order.lines) {
    let r = Number(line.qty);
    for (const w of set) {
      if (r === 0) break;
      const key = `${w}|${line.sku}`;
      const a = left.has(key) ? left.get(key) : (p.avail.get(key) ?? 0);
      const take = Math.min(a, r);
      if (take > 0) {
        left.set(key, a - take);
        r -= take;
        allocs.push([w, line.id, take]);
      }
    }
    remaining.push([line.id, r]);
  }
  return { allocs, remaining };
}

/** Allocation shared by the plain JS and json-rules-engine rows: per line in rank order. */
function allocate(order, ranked, p) {
  let o = fill(order, ranked, p);
  let used = [...new Set(o.allocs.map((a) => a[0]))];
  if (used.length > 3) {
    o = fill(order, ranked.filter((w) => used.includes(w)).slice(0, 3), p);
    used = [...new Set(o.allocs.map((a) => a[0]))];
  }
  return {
    order: order.id,
    shipments: used.map((w) => ({ warehouse: w, lines: o.allocs.filter((a) => a[0] === w).map(([, line, qty]) => ({ line, qty })) })),
    backorders: o.remaining.filter(([, q]) => q > 0).map(([line, qty]) => ({ line, qty })),
  };
}

function routeJs(order, p) {
  const ranked = candidates(order, p)
    .filter((w) => eligibleJs(order, w))
    .map((w) => ({ id: w.id, p: w.priority ?? 0, d: distanceKm(w.location, order.ship_to.location) }))
    .sort((a, b) => a.p - b.p || a.d - b.d)
    .map((c) => c.id);
  return allocate(order, ranked, p);
}

// ---------------------------------------------------------------------------------------
// json-rules-engine: eligibility and rank as JSON rules; facts are the order and warehouse.
const { Engine } = await import('json-rules-engine');
function makeRulesEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true, replaceFactsInEventParams: true });
  engine.addRule({
    name: 'eligible',
    priority: 2,
    conditions: {
      all: [
        { any: [
          { fact: 'warehouse', path: '$.kind', operator: 'equal', value: 'own' },
          { fact: 'order', path: '$.customer.type', operator: 'notEqual', value: 'b2b' },
        ] },
        { any: [
          { fact: 'sameCountry', operator: 'equal', value: true },
          { all: [
            { fact: 'order', path: '$.ship_to.country', operator: 'in', value: [...EU] },
            { fact: 'warehouse', path: '$.country', operator: 'in', value: [...EU] },
          ] },
        ] },
      ],
    },
    event: {
      type: 'eligible',
      params: { priority: { fact: 'warehouse', path: '$.priority' }, distance: { fact: 'distance' } },
    },
  });
  engine.addFact('sameCountry', (params, almanac) =>
    Promise.all([almanac.factValue('order'), almanac.factValue('warehouse')])
      .then(([o, w]) => o.ship_to.country === w.country));
  engine.addFact('distance', (params, almanac) =>
    Promise.all([almanac.factValue('order'), almanac.factValue('warehouse')])
      .then(([o, w]) => distanceKm(w.location, o.ship_to.location)));
  return engine;
}

async function routeJre(engine, order, p) {
  const keyed = [];
  for (const w of candidates(order, p)) {
    const { events } = await engine.run({ order, warehouse: w });
    const e = events.find((ev) => ev.type === 'eligible');
    if (e) keyed.push({ id: w.id, p: e.params.priority ?? 0, d: e.params.distance });
  }
  keyed.sort((a, b) => a.p - b.p || a.d - b.d);
  return allocate(order, keyed.map((k) => k.id), p);
}

// ---------------------------------------------------------------------------------------
// Comparing plans: warehouse → line → qty, plus backorders, ignoring order and trace.
function canon(plan) {
  const ships = plan.shipments
    .map((s) => `${s.warehouse}:${s.lines.map((l) => `${l.line}=${Number(l.qty)}`).sort().join(',')}`)
    .sort();
  const back = plan.backorders.map((b) => `${b.line}=${Number(b.qty)}`).sort();
  return `${ships.join(';')}|${back.join(',')}`;
}

function stats(us, totalSeconds, n) {
  const s = [...us].sort((a, b) => a - b);
  const at = (q) => s[Math.round((s.length - 1) * q)];
  return { orders: n, median_us: at(0.5), p99_us: at(0.99), orders_per_s: n / totalSeconds };
}

function time(n, fn) {
  const us = new Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn(i);
    us[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  return stats(us, Number(process.hrtime.bigint() - start) / 1e9, n);
}

async function timeAsync(n, fn) {
  const us = new Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    us[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  return stats(us, Number(process.hrtime.bigint() - start) / 1e9, n);
}

const N = orders.length;
const WARM = 500;
const results = {};

const hooks = new Router(rules('hooks.rhai'));
hooks.setInventory(inventoryText);
const viaRoute = new Router(rules('route.rhai'));
viaRoute.setInventory(inventoryText);
const p = prepare(inventory);
const jre = makeRulesEngine();

// Equivalence: every alternative must produce stockroute's plan before its time counts.
const CHECK = Number(opt('--check', 1000));
const mismatches = { route_hook: 0, plain_js: 0, json_rules_engine: 0 };
for (let i = 0; i < Math.min(CHECK, N); i++) {
  const expected = canon(hooks.route(orders[i]));
  if (canon(viaRoute.route(orders[i])) !== expected) mismatches.route_hook++;
  if (canon(routeJs(orders[i], p)) !== expected) mismatches.plain_js++;
  if (canon(await routeJre(jre, orders[i], p)) !== expected) mismatches.json_rules_engine++;
}
results.equivalence = { checked: Math.min(CHECK, N), mismatches };
console.error('equivalence', JSON.stringify(results.equivalence));

for (let i = 0; i < WARM; i++) hooks.route(orders[i]);
results.wasm_object = time(N, (i) => hooks.route(orders[i]));
for (let i = 0; i < WARM; i++) hooks.route(orderTexts[i]);
results.wasm_string = time(N, (i) => hooks.route(orderTexts[i]));
// The issue 8 row: JSON text in, plan out, trace off.
const quiet = new Router(rules('hooks.rhai'), { trace: false });
quiet.setInventory(inventoryText);
for (let i = 0; i < WARM; i++) quiet.route(orderTexts[i]);
results.wasm_string_no_trace = time(N, (i) => quiet.route(orderTexts[i]));
for (let i = 0; i < WARM; i++) viaRoute.route(orders[i]);
results.wasm_route_hook = time(N, (i) => viaRoute.route(orders[i]));
for (let i = 0; i < WARM; i++) routeJs(orders[i], p);
results.plain_js = time(N, (i) => routeJs(orders[i], p));
const JRE_N = Number(opt('--jre-orders', 2000));
for (let i = 0; i < 200; i++) await routeJre(jre, orders[i], p);
results.json_rules_engine = await timeAsync(JRE_N, (i) => routeJre(jre, orders[i], p));
{
  const t = process.hrtime.bigint();
  const r = hooks.routeBatch(orderTexts);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  results.wasm_batch = { orders: r.length, ok: r.filter((x) => x.ok).length, seconds, orders_per_s: r.length / seconds };
}
{
  const t = process.hrtime.bigint();
  const r = quiet.routeBatch(orderTexts);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  results.wasm_batch_no_trace = { orders: r.length, ok: r.filter((x) => x.ok).length, seconds, orders_per_s: r.length / seconds };
}
results.node = process.version;

const out = opt('--out');
const text = JSON.stringify(results, null, 2);
if (out) writeFileSync(out, text);
console.log(text);
