// Replenishment proposals and manual routing checked, through the built package: the
// JavaScript API (router.replenishment, router.validate, dated syncWarehouse and its sales
// history, kept across setInventory and restored after a trap), the CLI commands
// `replenish` and `validate` (the examples of docs/replenishment.md run in docs.test.mjs).
// Expected values are worked out in the comments next to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DEMO_RULES, EXAMPLES, INVENTORY_FILE, PKG, ROOT, RULES, read } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, __testing } = require(path.join(PKG, 'node', 'index.cjs'));

const EVENTS_FILE = path.join(EXAMPLES, 'events.jsonl');
const REPLENISH_RULES = path.join(RULES, 'consignment-replenishment.rhai');

function run(args, input) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An own warehouse with 10 of A (safety 0) and consignment SHOP (min 2, max 6, 1 on hand). */
function inventory() {
  return {
    warehouses: [
      { id: 'OWN', kind: 'own', country: 'DE' },
      { id: 'OFF', kind: 'own', country: 'DE', enabled: false },
      {
        id: 'SHOP', kind: 'consignment', owner: 'Shop GmbH', country: 'DE', forward: { method: 'email', to: 'shop@example.com' },
        terms: { period_end: '2027-06-30', replenish: { min: 2, max: 6 } },
      },
      {
        id: 'AT-SHOP', kind: 'consignment', country: 'AT', forward: { method: 'email', to: 'at@example.com' },
        terms: { replenish: { days_of_cover: 28 } },
      },
    ],
    stock: [
      { warehouse: 'OWN', sku: 'A', on_hand: 10 },
      { warehouse: 'OFF', sku: 'A', on_hand: 10 },
      { warehouse: 'SHOP', sku: 'A', on_hand: 1 },
      { warehouse: 'AT-SHOP', sku: 'A', on_hand: 4 },
    ],
    channels: [{ id: 'web', include_consignment: true }, { id: 'market' }],
    products: [{ sku: 'A', unit: 'each' }],
  };
}

const EVENTS = [
  { type: 'sale', date: '2026-11-10', warehouse: 'SHOP', lines: [{ sku: 'A', qty: 2 }] },
  { type: 'sale', date: '2026-11-12', warehouse: 'AT-SHOP', lines: [{ sku: 'A', qty: 14 }] },
];

function find(result, warehouse, sku) {
  const p = result.proposals.find((x) => x.warehouse === warehouse && x.sku === sku);
  assert.ok(p, `no proposal for ${warehouse} ${sku}`);
  return p;
}

test('replenishment: proposals from the event log, as an array or as JSONL text', () => {
  const router = new Router('');
  router.setInventory(inventory());
  const r = router.replenishment({ as_of: '2026-11-30', events: EVENTS });
  assert.deepEqual(r.window, { from: '2026-11-03', to: '2026-11-30', days: 28 });
  assert.equal(r.source, 'events');
  // SHOP: 2 sold in 28 days, 1 on hand ≤ min 2: fill up to 6 → 5. The period (212 days
  // left, 15 sellable) allows 14; own OWN spares 10 (OFF is disabled and does not count),
  // but AT-SHOP runs out sooner and is served first: see below.
  const shop = find(r, 'SHOP', 'A');
  assert.equal(shop.sold_per_day, '0.07');
  assert.equal(shop.days_of_cover, '14');
  assert.equal(shop.retailer, 'Shop GmbH');
  // AT-SHOP: 14 sold → 0.5 a day; 4 on hand last 8 days (SHOP's last 14): it goes first.
  // Cover terms without lead time: reorder at 0, so 4 in stock is above it: nothing.
  const at = find(r, 'AT-SHOP', 'A');
  assert.equal(at.days_of_cover, '8');
  assert.equal(at.reorder_point, '0');
  assert.equal(at.propose, '0');
  assert.equal(shop.propose, '5');
  assert.deepEqual(r.own.map((o) => [o.sku, o.available, o.spare, o.proposed]), [['A', '10', '10', '5']]);
  // The same log as JSONL text gives the same result.
  const text = EVENTS.map((e) => JSON.stringify(e)).join('\n');
  assert.deepEqual(router.replenishment({ as_of: '2026-11-30', events: text }), r);
  // Only the locations asked for.
  const only = router.replenishment({ as_of: '2026-11-30', events: EVENTS, warehouses: ['SHOP'] });
  assert.deepEqual(only.proposals.map((p) => p.warehouse), ['SHOP']);
});

test('replenishment: options and event errors are StockrouteErrors naming the field', () => {
  const router = new Router('');
  router.setInventory(inventory());
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(router.replenishment({ events: [] }).as_of, today);
  assert.equal(router.replenishment().as_of, today);
  const err = (f) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof StockrouteError, String(e));
      return e;
    }
    assert.fail('no error');
  };
  let e = err(() => router.replenishment({ as_of: '2026-11-30', window_days: 200 }));
  assert.equal(e.code, 'options.invalid');
  assert.equal(e.path, 'window_days');
  e = err(() => router.replenishment({ as_of: '2026-11-30', window: 7 }));
  assert.equal(e.code, 'options.invalid');
  e = err(() => router.replenishment({ as_of: '2026-11-30', warehouses: ['OWN'] }));
  assert.equal(e.path, 'warehouses[0]');
  e = err(() => router.replenishment({ as_of: '2026-11-30', events: '{"type": "sale", "date": "2026-11-31", "warehouse": "SHOP", "lines": [{"sku": "A", "qty": 1}]}' }));
  assert.equal(e.code, 'data.invalid');
  assert.equal(e.line, 1);
  assert.equal(e.path, 'date');
  e = err(() => router.replenishment({ as_of: '2026-11-30', events: [{ type: 'sale', date: '2026-11-30', warehouse: 'OWN', lines: [{ sku: 'A', qty: 1 }] }] }));
  assert.equal(e.path, 'events[0].warehouse');
});

test('a vetoing replenish hook, compiled: the spare stock stays for the next location', () => {
  const rules = 'fn replenish(warehouse, sku, proposal) { if warehouse.country == "AT" { return false; } true }';
  const router = new Router(rules);
  assert.deepEqual(router.hookModes(), [{ hook: 'replenish', mode: 'compiled' }]);
  const inv = inventory();
  inv.stock[3].on_hand = 0; // AT-SHOP empty: 0 days of cover, wants 14 (28 days × 0.5)
  router.setInventory(inv);
  const r = router.replenishment({ as_of: '2026-11-30', events: EVENTS });
  const at = find(r, 'AT-SHOP', 'A');
  // The engine gives AT-SHOP (first: it runs out sooner) all 10 own units; the rule vetoes.
  assert.equal(at.rule, 'vetoed');
  assert.equal(at.propose, '0');
  assert.ok(at.why.includes('the rule vetoed the 10 proposed'), at.why.join('\n'));
  // SHOP then gets its 5 of the 10.
  const shop = find(r, 'SHOP', 'A');
  assert.deepEqual([shop.propose, shop.rule], ['5', 'kept']);
  // A wrong answer is a rule.return error at the hook.
  const bad = new Router('fn replenish(w, sku, p) { "many" }', { name: 'bad.rhai' });
  bad.setInventory(inventory());
  assert.throws(() => bad.replenishment({ as_of: '2026-11-30' }), (e) => e instanceof StockrouteError && e.code === 'rule.return' && e.hook === 'replenish' && e.rule === 'bad.rhai' && e.line === 1);
});

test('sales from dated stock counts; kept across setInventory and restored after a trap', () => {
  const router = new Router('');
  router.setInventory(inventory());
  const sync = (n, date) => router.syncWarehouse('AT-SHOP', [{ sku: 'A', on_hand: n }], { date });
  // AT-SHOP 4 → 20 (a delivery: not a sale) → 13 (7 gone) → 6 (7 gone): 14 in the window.
  sync(20, '2026-11-01');
  sync(13, '2026-11-10');
  sync(6, '2026-11-20');
  let at = find(router.replenishment({ as_of: '2026-11-30' }), 'AT-SHOP', 'A');
  assert.deepEqual([at.sold, at.sold_per_day], ['14', '0.5']);
  assert.ok(at.why.includes('14 gone at stock counts in the 28 days to 2026-11-30: 0.5 a day'), at.why.join('\n'));
  // A bad date changes nothing: the count is refused before the stock is touched.
  assert.throws(() => sync(1, '20.11.2026'), (e) => e.code === 'options.invalid' && e.path === 'date');
  assert.throws(() => router.syncWarehouse('AT-SHOP', [], { day: '2026-11-20' }), (e) => e.code === 'options.invalid');
  assert.equal(router.inventory().stock.find((s) => s.warehouse === 'AT-SHOP').on_hand, '6');
  // A new inventory snapshot does not undo the sales seen; nor does a trap.
  router.setInventory(inventory());
  at = find(router.replenishment({ as_of: '2026-11-30' }), 'AT-SHOP', 'A');
  assert.equal(at.sold, '14');
  const restarts = __testing.restarts();
  assert.throws(() => __testing.trapIn(router, 0), (e) => e.code === 'internal');
  assert.equal(__testing.restarts(), restarts + 1);
  const after = router.replenishment({ as_of: '2026-11-30' });
  assert.equal(find(after, 'AT-SHOP', 'A').sold, '14');
  // The stock itself is the reloaded inventory's (4), as before the trap.
  assert.equal(find(after, 'AT-SHOP', 'A').on_hand, '4');
  // Counts older than the 91 days a window can reach are not replayed: 200 days of counts
  // into a fresh router, then a trap; the 91-day window still sees 1 a day.
  const long = new Router('');
  long.setInventory(inventory());
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 200; i++) {
    const date = new Date(start + i * 86400000).toISOString().slice(0, 10);
    long.syncWarehouse('AT-SHOP', [{ sku: 'A', on_hand: 1000 - i }], { date });
  }
  const last = new Date(start + 199 * 86400000).toISOString().slice(0, 10);
  const before = find(long.replenishment({ as_of: last, window_days: 91 }), 'AT-SHOP', 'A').sold;
  assert.equal(before, '91');
  assert.throws(() => __testing.trapIn(long, 0), (e) => e.code === 'internal');
  assert.equal(find(long.replenishment({ as_of: last, window_days: 91 }), 'AT-SHOP', 'A').sold, '91');
  long.free();
});

// ---- validate --------------------------------------------------------------------------

const VALIDATE_RULES = 'fn eligible(order, w) { if w.consignment { w.country == order.ship_to.country } else { true } }';

function order(qty = 3) {
  return { id: 'M-1', channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: 'L1', sku: 'A', qty }] };
}

function validator() {
  const router = new Router(VALIDATE_RULES, { name: 'same-country.rhai' });
  router.setInventory(inventory());
  return router;
}

test('validate: a valid plan comes back completed; documents are derived, never an invoice for consignment', () => {
  const router = validator();
  const v = router.validate(order(), { shipments: [
    { warehouse: 'OWN', lines: [{ line: 'L1', qty: 2 }] },
    { warehouse: 'SHOP', lines: [{ line: 'L1', qty: 1 }] },
  ] }, { as_of: '2026-11-30' });
  assert.equal(v.valid, true, JSON.stringify(v.violations));
  assert.deepEqual(v.violations, []);
  assert.equal(v.plan.status, 'split');
  const shop = v.plan.shipments.find((s) => s.warehouse === 'SHOP');
  assert.deepEqual([shop.kind, shop.owner, shop.documents], ['consignment', 'Shop GmbH', ['packing_slip', 'shipping_label']]);
  assert.deepEqual(shop.forward, { method: 'email', to: 'shop@example.com' });
  // A plan `route` returned is accepted as it is.
  const routed = router.route(order());
  assert.equal(router.validate(order(), routed).valid, true);
});

test('validate: over-allocation, ineligible and disabled locations, a dropped line, an invoice on consignment', () => {
  const router = validator();
  const violations = (plan, o = order(), as_of = '2026-11-30') => {
    const v = router.validate(o, plan, { as_of });
    assert.equal(v.valid, false);
    assert.equal(v.plan, undefined);
    return v.violations.map((d) => [d.code, d.orderLine, d.warehouse, d.message]);
  };
  // OWN holds 10.
  assert.deepEqual(violations({ shipments: [{ warehouse: 'OWN', lines: [{ line: 'L1', qty: 11 }] }] }, order(11)), [
    ['plan.invalid', 'L1', 'OWN', 'allocates `11` of sku `A` from warehouse `OWN`, which has only `10` available'],
  ]);
  // AT-SHOP is in AT, the customer in DE: the rule's `eligible` refuses it; OFF is disabled.
  assert.deepEqual(violations({ shipments: [
    { warehouse: 'AT-SHOP', lines: [{ line: 'L1', qty: 1 }] },
    { warehouse: 'OFF', lines: [{ line: 'L1', qty: 1 }] },
    { warehouse: 'OWN', lines: [{ line: 'L1', qty: 1 }] },
  ] }), [
    ['plan.invalid', 'L1', 'AT-SHOP', "line `L1` cannot ship from `AT-SHOP`: the rule's `eligible` excludes it"],
    ['plan.invalid', 'L1', 'OFF', 'line `L1` cannot ship from `OFF`: disabled'],
  ]);
  // Nothing for the line at all.
  assert.deepEqual(violations({ shipments: [] }), [
    ['plan.invalid', 'L1', undefined, 'line `L1` (sku `A`) orders `3` but the plan ships `0` and backorders `0`'],
  ]);
  // An invoice asked for on consignment goods.
  const [invoice] = router.validate(order(1), { shipments: [{ warehouse: 'SHOP', documents: ['invoice'], lines: [{ line: 'L1', qty: 1 }] }] }, { as_of: '2026-11-30' }).violations;
  assert.deepEqual([invoice.orderLine, invoice.warehouse, invoice.path], ['L1', 'SHOP', 'shipments[0].documents']);
  assert.match(invoice.message, /with an invoice: consignment goods stay the supplier's/);
  // After SHOP's period end (2027-06-30) it cannot ship; the consignment channel rule too.
  assert.deepEqual(violations({ shipments: [{ warehouse: 'SHOP', lines: [{ line: 'L1', qty: 3 }] }] }, order(), '2027-07-01'), [
    ['plan.invalid', 'L1', 'SHOP', 'line `L1` cannot ship from `SHOP`: consignment period ended on 2027-06-30; unsold stock goes back to the supplier'],
  ]);
  assert.deepEqual(violations({ shipments: [{ warehouse: 'SHOP', lines: [{ line: 'L1', qty: 3 }] }] }, { ...order(), channel: 'market' }), [
    ['plan.invalid', 'L1', 'SHOP', 'line `L1` cannot ship from `SHOP`: consignment stock is not offered on channel `market`'],
  ]);
});

test('validate: a plan that is not a plan is a data error naming the field; as_of defaults to today', () => {
  const router = validator();
  assert.throws(
    () => router.validate(order(), '{"shipments": [{"warehouse": "OWN", "lines": [{"line": "L1", "qty": "lots"}]}]}'),
    (e) => e instanceof StockrouteError && e.code === 'data.invalid' && e.path === 'shipments[0].lines[0].qty' && e.order === 'M-1',
  );
  assert.throws(() => router.validate(order(), { hold: 3 }), (e) => e.code === 'data.invalid' && e.path === 'hold');
  assert.throws(() => router.validate(order(), {}, { when: 'now' }), (e) => e.code === 'options.invalid');
  // SHOP's period ends 2027-06-30; today is before that on the machines this runs on, so
  // without `as_of` SHOP still ships.
  const v = router.validate(order(1), { shipments: [{ warehouse: 'SHOP', lines: [{ line: 'L1', qty: 1 }] }] });
  assert.equal(v.valid, new Date().toISOString().slice(0, 10) <= '2027-06-30');
  // A rule that fails is its error, not a violation.
  const broken = new Router('fn eligible(order, w) { w.priority / 0 > 1 }');
  broken.setInventory(inventory());
  assert.throws(() => broken.validate(order(1), { shipments: [{ warehouse: 'OWN', lines: [{ line: 'L1', qty: 1 }] }] }), (e) => e.code === 'rule.runtime');
});

// ---- the CLI -----------------------------------------------------------------------------

test('replenish: a table by default, JSON with --json, usage and data errors', () => {
  const base = ['replenish', '--inventory', INVENTORY_FILE, '--events', EVENTS_FILE, '--as-of', '2026-11-30'];
  const table = run(base);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^CON-HAM {2}Hamburg Outdoor GmbH$/m);
  const json = run([...base, '--json', '--rules', REPLENISH_RULES]);
  assert.equal(json.code, 0, json.stderr);
  const r = JSON.parse(json.stdout);
  // BOOT-42 3 → 4 whole pairs (see docs/replenishment.md), JKT-L 3.
  assert.deepEqual(r.proposals.filter((p) => p.propose !== '0').map((p) => [p.sku, p.propose]), [['BOOT-42', '4'], ['JKT-L', '3']]);
  assert.equal(run(base.slice(0, 5)).code, 2); // no --as-of
  const window = run([...base, '--window-days', '0']);
  assert.equal(window.code, 2);
  assert.match(window.stderr, /window_days/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-replenish-'));
  try {
    const file = path.join(dir, 'events.jsonl');
    const lines = read(EVENTS_FILE).trim().split('\n');
    lines[4] = lines[4].replace('"CON-HAM"', '"DE-BER"');
    fs.writeFileSync(file, lines.join('\n'));
    const bad = run(['replenish', '--inventory', INVENTORY_FILE, '--events', file, '--as-of', '2026-11-30']);
    assert.equal(bad.code, 1);
    assert.ok(bad.stderr.startsWith(`${file}:5: error: `), bad.stderr);
    assert.match(bad.stderr, /`DE-BER` is an own warehouse/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('validate: violations on stderr with exit 1, --json, bad plan files named by field', () => {
  const base = ['validate', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE, '--order', path.join(EXAMPLES, 'held-order.json'), '--as-of', '2026-11-30'];
  const ok = run([...base, '--plan', path.join(EXAMPLES, 'manual-plan.json'), '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  const v = JSON.parse(ok.stdout);
  assert.equal(v.valid, true);
  assert.deepEqual(v.plan.shipments.map((s) => s.warehouse), ['AT-VIE', 'DE-BER']);
  // 20 stoves: DE-BER has 6, so 8 from it is 2 too many; and nothing covers the rest.
  const plan = '{"shipments": [{"warehouse": "DE-BER", "lines": [{"line": "1", "qty": 8}]}]}';
  const bad = run([...base, '--plan', '-'], plan);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^<stdin>: error: allocates `8` of sku `STOVE-GAS` from warehouse `DE-BER`, which has only `6` available \[plan\.invalid\]$/m);
  assert.match(bad.stderr, /^<stdin>: error: line `1` \(sku `STOVE-GAS`\) orders `20` but the plan ships `8` and backorders `0` \[plan\.invalid\]$/m);
  assert.match(bad.stderr, /^<stdin>: 2 violations$/m);
  const asJson = run([...base, '--plan', '-', '--json'], plan);
  assert.equal(asJson.code, 1);
  assert.equal(JSON.parse(asJson.stdout).violations.length, 2);
  const broken = run([...base, '--plan', '-'], '{"shipments": [{"warehouse": "DE-BER"}]}');
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^<stdin>: error: invalid plan: .*\(at `shipments\[0\]`\) \[data\.invalid\]$/m);
  assert.equal(run([...base, '--plan', '-', '--as-of', 'soon'], plan).code, 2);
});
