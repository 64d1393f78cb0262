// Bounded soak (issue 9): several tenants' routers in one process, 50,000 orders of which
// 1 % are hostile (runaway and throwing rules, data built deep by rules, JavaScript input
// that throws or cannot be represented, broken JSON, and WebAssembly traps through the
// test-only export). Asserts that every hostile call fails alone with the expected
// StockrouteError, that no router and no instance dies, and that every good order's plan
// equals a fresh router's. Prints the time and the memory growth; asserts no timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PKG, RULES, INVENTORY_FILE, read, sampleOrders } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, check, version, warmup, __testing } = require(path.join(PKG, 'node', 'index.cjs'));

const ORDERS = 50000;
const HOSTILE_EVERY = 100; // 1 %
const BATCH = 100;

// Hostile variants the engine does not handle yet: each must still leave every router
// working (the wrapper restores the instance after a trap) and other orders untouched, but
// its outcome is not asserted (today they trap, or run to the end), and it runs once, on
// its own (not inside a batch), because some take seconds today. When the
// engine fix for one lands, delete it from this list: it then runs as often as the others
// and must fail with its `expect` code.
// None today: the sandbox bounds nested data, checks maths and counts curried arguments.
const PENDING_ENGINE_FIX = new Set([]);
const PENDING_RUNS = 1;

const HOSTILE_RULES = `
fn rank(order, warehouse) {
    let kind = if order.id.len() > 6 { order.id.sub_string(0, 6) } else { "" };
    if kind == "H-LOOP" { loop {} }
    if kind == "H-THRO" { throw "the rule gave up"; }
    if kind == "H-STRG" { let s = "x"; loop { s += s; } }
    if kind == "H-DEEP" { let a = []; for i in 0..2000 { a = [#{ x: a }]; } return a.len(); }
    if kind == "H-TANX" { return tan(PI() / 2); }
    if kind == "H-CURR" { let a = []; a.pad(1999, 7); for i in 0..10 { a = Fn("max").curry(a).curry(a); } return 1; }
    warehouse.priority
}
`;

const demoInventory = read(INVENTORY_FILE);
const richerInventory = (() => {
  const inv = JSON.parse(demoInventory);
  for (const row of inv.stock) row.on_hand = Number(row.on_hand) * 2 + 1;
  return JSON.stringify(inv);
})();

const TENANTS = [
  { name: 'own-first', rules: read(path.join(RULES, 'own-first-then-consignment.rhai')), inventory: demoInventory },
  { name: 'fewest', rules: read(path.join(RULES, 'fewest-shipments.rhai')), inventory: richerInventory },
  { name: 'nearest', rules: read(path.join(RULES, 'nearest-warehouse.rhai')), inventory: demoInventory },
  { name: 'hostile', rules: HOSTILE_RULES, inventory: richerInventory, limits: { maxOperations: 50000 } },
];
const options = (t) => ({ name: `${t.name}.rhai`, trace: false, ...(t.limits ? { limits: t.limits } : {}) });

// Good orders: the sample orders at one, two and three times their quantities.
const TEMPLATES = sampleOrders().flatMap((o) => [1, 2, 3].map((k) => ({
  ...o, lines: o.lines.map((l) => ({ ...l, qty: Number(l.qty) * k })),
})));
const goodOrder = (n) => {
  const t = n % TEMPLATES.length;
  return { template: t, order: { ...TEMPLATES[t], id: `G-${n}` } };
};

const nested = (depth) => {
  const root = {};
  let node = root;
  for (let i = 1; i < depth; i++) node = node.x = {};
  return root;
};
const base = (id) => ({ ...TEMPLATES[0], id });

// Each variant: the input it routes (or `call`, for a direct trap), the tenant it needs,
// and the error code it must fail with.
const HOSTILE = [
  { name: 'runaway loop in a rule', tenant: 'hostile', expect: 'rule.limit', make: (n) => base(`H-LOOP-${n}`) },
  { name: 'rule throws', tenant: 'hostile', expect: 'rule.runtime', make: (n) => base(`H-THRO-${n}`) },
  { name: 'rule grows a string without bound', tenant: 'hostile', expect: 'rule.limit', make: (n) => base(`H-STRG-${n}`) },
  { name: 'rule builds data 4,000 levels deep', tenant: 'hostile', expect: 'rule.limit', make: (n) => base(`H-DEEP-${n}`) },
  { name: 'rule calls tan(PI() / 2)', tenant: 'hostile', expect: 'rule.runtime', make: (n) => base(`H-TANX-${n}`) },
  { name: 'rule curries huge arguments', tenant: 'hostile', expect: 'rule.limit', make: (n) => base(`H-CURR-${n}`) },
  {
    name: 'getter that throws', tenant: 'any', expect: 'data.invalid',
    make: (n) => ({ ...base(`J-GET-${n}`), lines: [{ id: '1', sku: 'TENT-2P', get qty() { throw new Error('gone'); } }] }),
  },
  { name: 'BigInt quantity', tenant: 'any', expect: 'data.invalid', make: (n) => ({ ...base(`J-BIG-${n}`), lines: [{ id: '1', sku: 'TENT-2P', qty: 2n }] }) },
  { name: 'cyclic object', tenant: 'any', expect: 'data.invalid', make: (n) => { const o = base(`J-CYC-${n}`); o.attributes = { self: o }; return o; } },
  { name: 'lone surrogate', tenant: 'any', expect: 'data.invalid', make: (n) => ({ ...base(`J-SUR-${n}`), lines: [{ id: '1', sku: 'TENT-2P\uD800', qty: 1 }] }) },
  { name: 'object 5,000 levels deep', tenant: 'any', expect: 'data.invalid', make: (n) => ({ ...base(`J-DEP-${n}`), attributes: nested(5000) }) },
  { name: 'truncated JSON text', tenant: 'any', expect: 'data.invalid', make: (n) => JSON.stringify(base(`J-CUT-${n}`)).slice(0, 90) },
  { name: 'WebAssembly trap in the router', tenant: 'any', expect: 'internal', call: (router, n) => __testing.trapIn(router, n % 3) },
];

test('soak: 50,000 orders, 1 % hostile, across four tenants in one process', () => {
  warmup();
  // What a fresh router routes for each template, per tenant (the id aside).
  const expected = TENANTS.map((t) => {
    const fresh = new Router(t.rules, options(t));
    fresh.setInventory(t.inventory);
    const plans = TEMPLATES.map((o) => fresh.route({ ...o, id: 'REF' }));
    fresh.free();
    return plans;
  });
  const routers = TENANTS.map((t) => {
    const r = new Router(t.rules, options(t));
    r.setInventory(t.inventory);
    return r;
  });
  const hostileTenant = TENANTS.findIndex((t) => t.name === 'hostile');

  const memBefore = process.memoryUsage();
  const restartsBefore = __testing.restarts();
  const started = Date.now();
  const counts = new Map(HOSTILE.map((h) => [h.name, new Map()]));
  const pendingRuns = new Map();
  let good = 0;
  let hostile = 0;

  // Compared as JSON text (plans are plain data; a deep compare per order would dominate
  // the run), with a full structural diff only when they differ.
  const expectedText = expected.map((plans) => plans.map((p) => JSON.stringify({ ...p, order: '' })));
  const checkPlan = (tenant, template, id, plan) => {
    if (JSON.stringify({ ...plan, order: '' }) !== expectedText[tenant][template] || plan.order !== id) {
      assert.deepEqual(plan, { ...expected[tenant][template], order: id }, `${TENANTS[tenant].name}: ${id}`);
    }
    good++;
  };
  const recordFailure = (variant, code, what) => {
    const seen = counts.get(variant.name);
    seen.set(code, (seen.get(code) || 0) + 1);
    if (!PENDING_ENGINE_FIX.has(variant.name)) assert.equal(code, variant.expect, `${variant.name}: ${what}`);
    hostile++;
  };
  // The next hostile variant, skipping pending ones once they have run often enough.
  let cursor = 0;
  const nextVariant = () => {
    for (;;) {
      const v = HOSTILE[cursor++ % HOSTILE.length];
      if (!PENDING_ENGINE_FIX.has(v.name)) return v;
      const runs = pendingRuns.get(v.name) || 0;
      if (runs < PENDING_RUNS) {
        pendingRuns.set(v.name, runs + 1);
        return v;
      }
    }
  };

  let n = 0;
  while (n < ORDERS) {
    const useBatch = (n / BATCH) % 5 >= 2; // 60 % of the orders go through routeBatch
    const size = useBatch ? BATCH : 1;
    const tenant = Math.floor(n / BATCH) % TENANTS.length;
    const items = [];
    for (let k = 0; k < size && n < ORDERS; k++, n++) {
      if (n % HOSTILE_EVERY === HOSTILE_EVERY - 1) {
        const v = nextVariant();
        items.push({ hostile: v, tenant: v.tenant === 'hostile' ? hostileTenant : tenant, n });
      } else {
        items.push({ ...goodOrder(n), tenant });
      }
    }
    // Items for another tenant than the chunk's (rule-hostile ones), direct calls and pending
    // variants go alone.
    const own = items.filter((it) => it.tenant === tenant && !(it.hostile && (it.hostile.call || PENDING_ENGINE_FIX.has(it.hostile.name))));
    const alone = items.filter((it) => !own.includes(it));
    if (useBatch && own.length) {
      const inputs = own.map((it) => (it.hostile ? it.hostile.make(it.n) : it.order));
      // Independent orders (`consume: false`): each plan is compared with a fresh router's.
      const results = routers[tenant].routeBatch(inputs, null, { consume: false });
      assert.equal(results.length, own.length);
      results.forEach((r, i) => {
        const it = own[i];
        if (it.hostile) {
          recordFailure(it.hostile, r.ok ? 'no error' : r.error.code, r.ok ? 'routed' : r.error.message);
        } else {
          assert.equal(r.ok, true, `${it.order.id}: ${r.error && r.error.message}`);
          checkPlan(tenant, it.template, it.order.id, r.plan);
        }
      });
    } else {
      alone.unshift(...own);
    }
    for (const it of alone) {
      const router = routers[it.tenant];
      if (!it.hostile) {
        checkPlan(it.tenant, it.template, it.order.id, router.route(it.order));
        continue;
      }
      let thrown = null;
      try {
        if (it.hostile.call) it.hostile.call(router, it.n);
        else router.route(it.hostile.make(it.n));
      } catch (e) {
        thrown = e;
      }
      assert.ok(thrown === null || thrown instanceof StockrouteError, `${it.hostile.name}: ${thrown}`);
      recordFailure(it.hostile, thrown ? thrown.code : 'no error', thrown ? thrown.message : 'routed');
    }
  }
  const seconds = (Date.now() - started) / 1000;

  // Nothing died: every tenant routes every template as a fresh router does, and the
  // module-level calls work.
  routers.forEach((r, t) => {
    TEMPLATES.forEach((o, i) => assert.deepEqual(r.route({ ...o, id: 'END' }), { ...expected[t][i], order: 'END' }));
  });
  assert.equal(check(TENANTS[0].rules).ok, true);
  assert.match(version(), /^\d+\.\d+\.\d+/);
  const late = new Router(TENANTS[0].rules, options(TENANTS[0]));
  late.setInventory(TENANTS[0].inventory);
  assert.deepEqual(late.route({ ...TEMPLATES[0], id: 'LATE' }), { ...expected[0][0], order: 'LATE' });
  late.free();
  assert.equal(good + hostile, ORDERS);
  assert.ok(hostile >= ORDERS / HOSTILE_EVERY);

  const memAfter = process.memoryUsage();
  const mb = (x) => `${(x / 1e6).toFixed(0)} MB`;
  console.log(`# soak: ${good} good and ${hostile} hostile in ${seconds.toFixed(1)} s; ${__testing.restarts() - restartsBefore} instance restarts`);
  console.log(`# memory: rss ${mb(memBefore.rss)} → ${mb(memAfter.rss)}, heap ${mb(memBefore.heapUsed)} → ${mb(memAfter.heapUsed)}, external ${mb(memBefore.external)} → ${mb(memAfter.external)}`);
  for (const [name, seen] of counts) {
    const codes = [...seen].map(([c, k]) => `${c} × ${k}`).join(', ');
    console.log(`# ${PENDING_ENGINE_FIX.has(name) ? '[pending engine fix] ' : ''}${name}: ${codes}`);
  }
  for (const r of routers) r.free();
});
