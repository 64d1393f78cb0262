// Trap recovery (issue 9, class 2): a WebAssembly trap replaces the whole instance, and every
// live Router is rebuilt from its rules, options and replayed state, so one tenant's fault
// never becomes another's. Traps are made on purpose through the package's test-only export
// (`__testing`, backed by `rawTrapForTesting` in src/wasm.rs): `unreachable` (what a Rust
// panic becomes), an overflow of the module's own stack, and a host stack overflow.
// Before this recovery existed, one stack-overflow trap (kind 1) was enough to make every
// later call in the process fail with `memory access out of bounds`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  PKG, DEMO_RULES, INVENTORY_FILE, RULES, read, sampleOrders, SMALL_INVENTORY, smallOrder,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, check, version, __testing } = require(path.join(PKG, 'node', 'index.cjs'));

const KINDS = [0, 1, 2];
const demoRules = read(DEMO_RULES);
const demoInventory = read(INVENTORY_FILE);
const b2bRules = read(path.join(RULES, 'b2b-no-consignment.rhai'));

/** Plans without anything but the decision and its explanation: a plain-data snapshot. */
const plansOf = (router, orders) => orders.map((o) => router.route(o));

// Several tenants: different rule sets, different inventories, one of them replaced once
// (the replay must restore the second inventory, not the first).
function tenants() {
  const richer = structuredClone(SMALL_INVENTORY);
  richer.stock[0].on_hand = 9;
  const specs = [
    { name: 'demo', rules: demoRules, options: { name: 'own-first.rhai' }, inventories: [demoInventory], orders: sampleOrders() },
    { name: 'b2b', rules: b2bRules, options: { trace: false }, inventories: [demoInventory], orders: sampleOrders() },
    {
      name: 'priority', rules: 'fn rank(o, w) { w.priority }', options: undefined,
      inventories: [SMALL_INVENTORY, richer], orders: [1, 2, 3, 7].map((q) => smallOrder(`q${q}`, q)),
    },
    {
      name: 'consignment-first', rules: 'fn rank(o, w) { if w.consignment { 0 } else { 1 } }', options: { name: 'c.rhai' },
      inventories: [JSON.stringify(SMALL_INVENTORY)], orders: [1, 5, 6].map((q) => smallOrder(`c${q}`, q)),
    },
  ];
  return specs.map((spec) => {
    const router = new Router(spec.rules, spec.options);
    for (const inv of spec.inventories) router.setInventory(inv);
    return { ...spec, router };
  });
}

/** What a router that never saw a trap answers for the same rules, options and inventory. */
function freshPlans(spec) {
  const fresh = new Router(spec.rules, spec.options);
  try {
    fresh.setInventory(spec.inventories[spec.inventories.length - 1]);
    return plansOf(fresh, spec.orders);
  } finally {
    fresh.free();
  }
}

function assertInternal(fn, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof StockrouteError, `${what}: ${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, 'internal', what);
    assert.match(e.message, /engine was restarted/, what);
    return true;
  });
}

test('1,000 traps of every kind: every router still routes exactly as a fresh one', () => {
  const all = tenants();
  const before = all.map((t) => plansOf(t.router, t.orders));
  const restarts = __testing.restarts();
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) {
    const kind = KINDS[i % 3];
    if (i % 2 === 0) {
      assertInternal(() => __testing.trap(kind), `trap ${i} (kind ${kind})`);
    } else {
      // The trap happens while this tenant's router is borrowed, as an engine bug inside one
      // of its hooks would.
      const victim = all[i % all.length];
      assertInternal(() => __testing.trapIn(victim.router, kind), `trap ${i} in ${victim.name}`);
    }
    // Between traps the other tenants keep routing.
    if (i % 97 === 0) {
      const other = all[(i + 1) % all.length];
      assert.equal(other.router.route(other.orders[0]).order, other.orders[0].id);
    }
  }
  // Every trap replaced the instance (none was survived by luck).
  assert.equal(__testing.restarts() - restarts, 1000);
  all.forEach((t, i) => {
    const after = plansOf(t.router, t.orders);
    assert.deepEqual(after, before[i], `${t.name}: plans changed across the traps`);
    assert.deepEqual(after, freshPlans(t), `${t.name}: differs from a fresh router`);
    assert.deepEqual(t.router.hooks(), new Router(t.rules).hooks(), t.name);
  });
  // Batches, availability, check, version and new routers work too.
  const demo = all[0];
  const batch = demo.router.routeBatch(demo.orders, null, { consume: false });
  assert.deepEqual(batch.map((r) => r.ok && r.plan), before[0]);
  assert.equal(all[2].router.available(null, 'market').items[0].offered, '9');
  assert.equal(check(demoRules).ok, true);
  assert.match(version(), /^\d+\.\d+\.\d+/);
  const late = new Router('fn rank(o, w) { w.priority }');
  assert.equal(late.route(smallOrder('late', 1), SMALL_INVENTORY).shipments[0].warehouse, 'OWN');
  console.log(`# 1,000 traps: RSS ${Math.round(rssBefore / 1e6)} → ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  for (const t of all) t.router.free();
  late.free();
});

test('a trap in one router fails only that call; the trapped router itself is restored', () => {
  const all = tenants();
  const [a, b] = all;
  const expectedB = plansOf(b.router, b.orders);
  assertInternal(() => __testing.trapIn(a.router, 1), 'stack overflow in a');
  // The very next calls, on either router, succeed.
  assert.deepEqual(plansOf(b.router, b.orders), expectedB);
  assert.deepEqual(plansOf(a.router, a.orders), freshPlans(a));
  for (const t of all) t.router.free();
});

test('the replay uses the inventory as it was loaded, not as the caller later mutated it', () => {
  const inventory = structuredClone(SMALL_INVENTORY);
  const router = new Router('fn rank(o, w) { w.priority }');
  router.setInventory(inventory);
  inventory.stock[0].on_hand = 0; // the caller reuses its object; the router must not care
  const expected = router.route(smallOrder('o1', 2));
  assert.equal(expected.shipments[0].warehouse, 'OWN');
  assertInternal(() => __testing.trap(0), 'trap');
  assert.deepEqual(router.route(smallOrder('o1', 2)), expected);
  router.free();
});

test('a failed setInventory is not replayed; a freed router stays freed after a restart', () => {
  const router = new Router('');
  router.setInventory(SMALL_INVENTORY);
  assert.throws(() => router.setInventory({ warehouses: 'none' }), { code: 'data.invalid' });
  assertInternal(() => __testing.trap(1), 'trap');
  // The good inventory is still the loaded one: 3 units only CON can ship complete.
  assert.equal(router.route(smallOrder('o1', 3)).shipments[0].warehouse, 'CON');
  const freed = new Router('');
  freed.free();
  assertInternal(() => __testing.trap(0), 'trap');
  assert.throws(() => freed.route(smallOrder('o1', 1), SMALL_INVENTORY), /freed/);
  router.free();
});

test('freed and abandoned routers are not kept alive by the recovery bookkeeping', () => {
  const live = __testing.liveRouters();
  for (let i = 0; i < 200; i++) new Router('fn rank(o, w) { w.priority }').free();
  assert.equal(__testing.liveRouters(), live);
});
