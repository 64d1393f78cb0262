// The JavaScript API of the built package (pkg/), as a Node backend uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  PKG, DEMO_RULES, INVENTORY_FILE, read, sampleOrder, sampleOrders, SMALL_INVENTORY, smallOrder,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const sr = require(path.join(PKG, 'node', 'index.cjs'));
const { Router, StockrouteError, check, version, apiMetadata, runCase, compare, warmup, __testing } = sr;

const demoRules = read(DEMO_RULES);
const inventoryText = read(INVENTORY_FILE);

test('route with the inventory loaded once: own stock first, consignment for the rest', () => {
  const router = new Router(demoRules, { name: 'own-first-then-consignment.rhai' });
  router.setInventory(JSON.parse(inventoryText));
  // WEB-1005: 4 × TENT-4P on the webshop. Own stock: DE-BER 3 (DE-FRA's unit is out of
  // stock); consignment CON-ZRH 2. Own first → 3 from DE-BER, 1 from CON-ZRH.
  const plan = router.route(sampleOrder('WEB-1005'));
  assert.equal(plan.status, 'split');
  assert.deepEqual(
    plan.shipments.map((s) => [s.warehouse, s.kind, s.lines.map((l) => l.qty)]),
    [['DE-BER', 'own', ['3']], ['CON-ZRH', 'consignment', ['1']]],
  );
  // Consignment goods stay the supplier's: never an invoice with them.
  assert.ok(!plan.shipments[1].documents.includes('invoice'));
  router.free();
});

test('trace: false gives the same plans without the explanation', () => {
  const full = new Router(demoRules);
  const quiet = new Router(demoRules, { trace: false });
  full.setInventory(inventoryText);
  quiet.setInventory(inventoryText);
  for (const order of sampleOrders()) {
    const a = full.route(order);
    const b = quiet.route(order);
    assert.ok(a.trace.length > 0);
    assert.deepEqual(b.trace, []);
    assert.deepEqual({ ...a, trace: [] }, b);
  }
  full.free();
  quiet.free();
});

test('an inventory passed in the call is used instead of the loaded one', () => {
  const router = new Router('');
  router.setInventory(SMALL_INVENTORY);
  // Loaded: OWN has 2, so 3 units come from the only warehouse that has them all, CON.
  assert.equal(router.route(smallOrder('o1', 3)).shipments[0].warehouse, 'CON');
  const richer = structuredClone(SMALL_INVENTORY);
  richer.stock[0].on_hand = 9;
  assert.equal(router.route(smallOrder('o1', 3), richer).shipments[0].warehouse, 'OWN');
  assert.equal(router.route(JSON.stringify(smallOrder('o1', 3)), JSON.stringify(richer)).shipments[0].warehouse, 'OWN');
});

test('quantities come back as exact decimal strings; inputs may be numbers or strings', () => {
  const router = new Router('fn rank(o, w) { w.priority }');
  router.setInventory(SMALL_INVENTORY);
  const a = router.route(smallOrder('o1', 1.5));
  const b = router.route(smallOrder('o1', '1.5'));
  assert.deepEqual(a, b);
  assert.equal(a.shipments[0].lines[0].qty, '1.5');
  // JSON strings and objects are interchangeable.
  assert.deepEqual(router.route(JSON.stringify(smallOrder('o1', '1.5'))), a);
});

test('routeBatch: one bad order yields its own error entry, the others are routed', () => {
  const router = new Router(demoRules);
  router.setInventory(inventoryText);
  const orders = sampleOrders().slice(0, 3);
  const bad = structuredClone(orders[1]);
  bad.id = 'BAD-1';
  bad.lines[0].qty = 'two';
  const results = router.routeBatch([orders[0], bad, '{"id": "cut', orders[2]]);
  assert.equal(results.length, 4);
  assert.deepEqual(results.map((r) => r.ok), [true, false, false, true]);
  assert.deepEqual(results.map((r) => r.order), [orders[0].id, 'BAD-1', null, orders[2].id]);
  assert.equal(results[0].plan.order, orders[0].id);
  assert.equal(results[3].plan.order, orders[2].id);
  const e = results[1].error;
  assert.equal(e.code, 'data.invalid');
  assert.equal(e.path, 'lines[0].qty');
  assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length === 1);
  assert.equal(results[2].error.code, 'data.invalid');
  // Entries are plain data: they survive a JSON round trip unchanged.
  assert.deepEqual(JSON.parse(JSON.stringify(results)), results);
});

test('errors are StockrouteError instances with structured fields, not JSON in the message', () => {
  const router = new Router('');
  router.setInventory(SMALL_INVENTORY);
  let caught;
  try {
    router.route(smallOrder('o9', 'lots'));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof StockrouteError);
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, 'StockrouteError');
  assert.equal(caught.code, 'data.invalid');
  assert.equal(caught.path, 'lines[0].qty');
  assert.match(caught.message, /^invalid order: /);
  assert.doesNotMatch(caught.message, /^\s*[{[]/);
  assert.throws(() => JSON.parse(caught.message));
  assert.equal(caught.diagnostics[0].path, 'lines[0].qty');
  assert.ok(caught.stack.includes('StockrouteError'));
});

test('compile errors list every diagnostic with its position', () => {
  const source = 'fn rank(o) { 1 }\nfn eligible(order) { true }\n';
  assert.throws(
    () => new Router(source, { name: 'two-bad-hooks.rhai' }),
    (e) => {
      assert.ok(e instanceof StockrouteError);
      assert.equal(e.code, 'rule.signature');
      assert.equal(e.rule, 'two-bad-hooks.rhai');
      assert.equal(e.line, 1);
      assert.equal(e.column, 1);
      // Both hooks have the wrong number of parameters: both are reported at once.
      assert.deepEqual(e.diagnostics.map((d) => [d.hook, d.line]).sort(), [['eligible', 2], ['rank', 1]]);
      return true;
    },
  );
});

test('a runaway rule is stopped by rule.limit and the same router keeps routing', () => {
  const router = new Router('fn rank(o, w) { if o.id == "spin" { loop {} } w.priority }', {
    name: 'spin.rhai',
    limits: { maxOperations: 20000 },
  });
  router.setInventory(SMALL_INVENTORY);
  assert.throws(() => router.route(smallOrder('spin', 1)), (e) => {
    assert.ok(e instanceof StockrouteError);
    assert.equal(e.code, 'rule.limit');
    assert.equal(e.hook, 'rank');
    assert.equal(e.order, 'spin');
    return true;
  });
  const plan = router.route(smallOrder('calm', 1));
  assert.equal(plan.status, 'single');
  assert.equal(plan.shipments[0].warehouse, 'OWN');
});

test('the loop {} runaway from the brief is stopped with the default limits too', () => {
  const router = new Router('fn rank(o, w) { loop {} }');
  router.setInventory(SMALL_INVENTORY);
  assert.throws(() => router.route(smallOrder('o1', 1)), { code: 'rule.limit' });
  // Still usable: availability does not call rank.
  assert.equal(router.available(null, 'market').items[0].offered, '2');
});

test('bad options are reported with the field path', () => {
  assert.throws(() => new Router('', { limits: { maxOperations: 'many' } }), {
    name: 'StockrouteError',
    code: 'options.invalid',
    path: 'limits.maxOperations',
  });
  assert.throws(() => new Router(42), { code: 'options.invalid' });
});

test('available: per channel, consignment only where the channel includes it', () => {
  const router = new Router('');
  router.setInventory(SMALL_INVENTORY);
  const all = router.available();
  assert.deepEqual(all.items.map((i) => [i.channel, i.sku, i.offered]), [['web', 'A', '7'], ['market', 'A', '2']]);
  const market = router.available(undefined, 'market');
  assert.deepEqual(market.items.map((i) => i.channel), ['market']);
  assert.deepEqual(router.available(SMALL_INVENTORY, 'web').items[0].offered, '7');
});

test('using a router after free() is a clear error, not a crash', () => {
  const router = new Router('');
  router.free();
  router.free();
  assert.throws(() => router.route(smallOrder('o1', 1), SMALL_INVENTORY), /freed/);
});

test('check reports diagnostics, hooks and helpers without throwing', () => {
  const report = check('fn rank(order, warehouse) { helper(order) }\nfn helper(o) { 1 }\n', 'r.rhai');
  assert.equal(report.ok, true);
  assert.deepEqual(report.hooks, ['rank']);
  assert.deepEqual(report.functions, [{ name: 'helper', params: 1 }]);
  const bad = check('fn split(o) {', 'bad.rhai');
  assert.equal(bad.ok, false);
  assert.equal(bad.diagnostics[0].severity, 'error');
  assert.equal(bad.diagnostics[0].rule, 'bad.rhai');
  assert.equal(typeof bad.diagnostics[0].line, 'number');
});

test('version and apiMetadata', () => {
  assert.match(version(), /^\d+\.\d+\.\d+/);
  const meta = apiMetadata();
  assert.deepEqual(
    meta.hooks.map((h) => h.name).sort(),
    ['adjust', 'eligible', 'offer', 'rank', 'replenish', 'route', 'split'],
  );
  for (const key of ['helpers', 'objects', 'splitPolicy', 'routePlan']) {
    assert.ok(Array.isArray(meta[key]) && meta[key].length > 0, key);
  }
});

test('runCase runs a case with referenced files passed in a map', () => {
  const caseJson = JSON.stringify({
    name: 'own first',
    inventory: 'inv.json',
    order: smallOrder('o1', 1),
    expect: { status: 'single', shipments: [{ warehouse: 'OWN', lines: [{ line: '1', qty: 1 }] }] },
  });
  const files = { 'inv.json': JSON.stringify(SMALL_INVENTORY) };
  const ok = runCase(caseJson, '', files);
  assert.equal(ok.passed, true, ok.failures.join('\n'));
  assert.equal(ok.name, 'own first');
  // Ranking the consignment location first makes the same expectation fail, with a reason.
  const failed = runCase(caseJson, 'fn rank(o, w) { if w.consignment { 0 } else { 1 } }', files);
  assert.equal(failed.passed, false);
  assert.ok(failed.failures.length > 0);
  // A missing referenced file is a failed outcome, not an exception.
  assert.equal(runCase(caseJson, '', {}).passed, false);
});

test('whatever a rule triggers inside the engine, the router keeps routing the other orders', () => {
  // `order.lines.len()` in a hook made the engine trap (a Rust panic inside Rhai) when this
  // test was written. Either way the caller must get a plan or a StockrouteError for that
  // order, and the same router must route the next orders.
  const router = new Router('fn rank(o, w) { if o.id == "odd" { o.lines.len() } else { w.priority } }');
  router.setInventory(SMALL_INVENTORY);
  try {
    assert.equal(router.route(smallOrder('odd', 1)).order, 'odd');
  } catch (e) {
    assert.ok(e instanceof StockrouteError, String(e));
    assert.equal(e.code, 'internal');
  }
  assert.equal(router.route(smallOrder('even', 1)).shipments[0].warehouse, 'OWN');
  const results = router.routeBatch([smallOrder('a', 1), smallOrder('odd', 1), smallOrder('b', 1)]);
  assert.deepEqual(results.map((r) => r.order), ['a', 'odd', 'b']);
  assert.equal(results[0].ok && results[2].ok, true);
  if (!results[1].ok) assert.equal(results[1].error.code, 'internal');
  assert.equal(router.route(smallOrder('c', 1)).status, 'single');
});

test('compare: a draft against the current rules, per status, per warehouse and per changed order', () => {
  // SMALL_INVENTORY: OWN (priority 1) has 2 of A, CON (consignment, priority 2) has 5.
  const current = 'fn rank(o, w) { w.priority }';
  const draft = 'fn rank(o, w) { if w.consignment { 0 } else { 1 } }';
  // o1 (1 unit): OWN under the current rules, CON under the draft. o2 (3 units): only CON
  // has 3, so both ship it from CON. o3 (8 units): more than the 7 in stock, so under the
  // default strategy both ship what they can and backorder 1, from the same warehouses.
  const orders = [smallOrder('o1', 1), smallOrder('o2', 3), '{"id": "cut', smallOrder('o3', 8)];
  const live = __testing.liveRouters();
  const result = compare(draft, { rules: current, options: { trace: false } }, orders, SMALL_INVENTORY);
  assert.equal(__testing.liveRouters(), live, 'the routers compare built are freed');
  assert.equal(result.orders, 4);
  assert.equal(result.unchanged, 3);
  assert.deepEqual(result.statuses.single, { current: 2, draft: 2, change: 0 });
  assert.deepEqual(result.statuses.error, { current: 1, draft: 1, change: 0 });
  assert.equal(result.changed.length, 1);
  const [c] = result.changed;
  assert.equal(c.order, 'o1');
  assert.equal(c.index, 0);
  assert.deepEqual(c.current.shipments, [{ warehouse: 'OWN', lines: [{ line: '1', sku: 'A', qty: '1' }] }]);
  assert.deepEqual(c.draft.shipments, [{ warehouse: 'CON', lines: [{ line: '1', sku: 'A', qty: '1' }] }]);
  assert.deepEqual(c.changes.map((x) => x.text), ['OWN: A × 1 → (none)', 'CON: (none) → A × 1']);
  const byId = Object.fromEntries(result.warehouses.map((w) => [w.warehouse, w]));
  // Units are exact decimal sums: OWN current 1 (o1) + 2 (o3); CON current 3 (o2) + 5 (o3).
  assert.deepEqual(byId.OWN.current, { shipments: 2, units: '3' });
  assert.deepEqual(byId.CON.current, { shipments: 2, units: '8' });
  assert.deepEqual(byId.OWN.draft, { shipments: 1, units: '2' });
  assert.deepEqual(byId.CON.draft, { shipments: 3, units: '9' });

  // Routers the caller owns are used as they are (their loaded inventory too) and not freed.
  const a = new Router(draft);
  const b = new Router(current);
  a.setInventory(SMALL_INVENTORY);
  b.setInventory(SMALL_INVENTORY);
  const again = compare(a, b, orders);
  assert.deepEqual(again.changed.map((x) => x.order), ['o1']);
  assert.equal(a.route(smallOrder('o4', 1)).shipments[0].warehouse, 'CON');
  a.free();
  b.free();
  // A draft that does not compile throws its diagnostics.
  assert.throws(() => compare('fn rank(o) { 1 }', current, orders, SMALL_INVENTORY), (e) => e instanceof StockrouteError && e.code === 'rule.signature');
  assert.equal(__testing.liveRouters(), live);
});

test('compare routes both sides on the day given in its options', () => {
  // CON's consignment period ends on 2026-12-31: on that day the draft (consignment first)
  // ships o1 from CON and the current rules from OWN; a day later CON no longer ships, so
  // both sides ship o1 from OWN and nothing differs.
  const inventory = structuredClone(SMALL_INVENTORY);
  inventory.warehouses[1].terms = { period_end: '2026-12-31' };
  const current = 'fn rank(o, w) { w.priority }';
  const draft = 'fn rank(o, w) { if w.consignment { 0 } else { 1 } }';
  const orders = [smallOrder('o1', 1)];
  const last = compare(draft, current, orders, inventory, { as_of: '2026-12-31' });
  assert.deepEqual(last.changed.map((c) => c.order), ['o1']);
  const after = compare(draft, current, orders, inventory, { as_of: '2027-01-01' });
  assert.equal(after.changed.length, 0);
  assert.deepEqual(after.warehouses.map((w) => w.warehouse), ['OWN']);
  assert.throws(
    () => compare(draft, current, orders, inventory, { as_of: 'soon' }),
    (e) => e instanceof StockrouteError && e.code === 'options.invalid' && e.path === 'as_of',
  );
});

test('warmup routes synthetic orders and leaves nothing behind', () => {
  const live = __testing.liveRouters();
  const { calls, ms } = warmup({ calls: 50 });
  assert.equal(calls, 50);
  assert.ok(ms >= 0);
  assert.equal(__testing.liveRouters(), live);
  assert.equal(warmup().calls, 1000);
});

test('a compiled router lists its warnings and how each hook runs', () => {
  const { Router } = sr;
  // `rnak` compiles (it could be a helper) but is almost certainly a misspelt `rank`; `split`
  // sorts with a closure, which the compiler hands to the interpreter.
  const router = new Router(
    'fn rnak(order, w) { 1 }\nfn rank(order, w) { w.priority }\nfn split(order) { let a = [2, 1]; a.sort(|x, y| x - y); #{} }',
  );
  assert.equal(router.warnings.length, 1);
  assert.match(router.warnings[0].message, /`rnak` is not a hook/);
  assert.equal(router.warnings[0].help, 'did you mean `rank`?');
  const modes = router.hookModes();
  assert.deepEqual(modes[0], { hook: 'rank', mode: 'compiled' });
  assert.equal(modes[1].hook, 'split');
  assert.equal(modes[1].mode, 'interpreted');
  assert.match(modes[1].reason, /closures/);
});
