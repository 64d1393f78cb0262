// Live stock through the JavaScript API and the CLI (issue 10): consuming batches, ledger
// calls on the loaded inventory, re-routing after a rejection, and the CLI's apply/sync and
// route --independent/--exclude.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PKG, CLI, ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError } = require(path.join(PKG, 'node', 'index.cjs'));

// OWN (priority 1) has 2 of A, CON (consignment, priority 2) 5; B only at CON.
const INVENTORY = {
  warehouses: [
    { id: 'OWN', kind: 'own', priority: 1 },
    { id: 'CON', kind: 'consignment', owner: 'Shop', priority: 2, forward: { method: 'email', to: 'shop@example.com' } },
  ],
  stock: [
    { warehouse: 'OWN', sku: 'A', on_hand: 2 },
    { warehouse: 'CON', sku: 'A', on_hand: 5 },
    { warehouse: 'CON', sku: 'B', on_hand: 1 },
  ],
  channels: [{ id: 'web', include_consignment: true }],
};

const order = (id, qty, sku = 'A') => ({ id, channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: '1', sku, qty }] });
const from = (plan) => plan.shipments.map((s) => `${s.warehouse}:${s.lines.map((l) => l.qty).join('+')}`);

function loaded(rules = 'fn rank(o, w) { w.priority }') {
  const router = new Router(rules);
  router.setInventory(INVENTORY);
  return router;
}

test('routeBatch consumes stock by default; { consume: false } keeps the what-if mode', () => {
  const router = loaded();
  const orders = [order('o1', 2), order('o2', 2), order('o3', 2), order('o4', 2)];
  // o1 takes OWN's 2 (own first by rank); o2 and o3 take 2 + 2 of CON's 5; o4 finds 1 left
  // at CON and backorders 1.
  const consumed = router.routeBatch(orders);
  assert.deepEqual(consumed.map((r) => from(r.plan)), [['OWN:2'], ['CON:2'], ['CON:2'], ['CON:1']]);
  assert.equal(consumed[3].plan.status, 'partial');
  const independent = router.routeBatch(orders, null, { consume: false });
  assert.deepEqual(independent.map((r) => from(r.plan)), [['OWN:2'], ['OWN:2'], ['OWN:2'], ['OWN:2']]);
  // Neither batch changed the loaded inventory.
  assert.deepEqual(router.inventory().stock.map((r) => r.reserved), ['0', '0', '0']);
  assert.throws(() => router.routeBatch(orders, null, { consum: false }), (e) => e instanceof StockrouteError && e.code === 'options.invalid');
  router.free();
});

test('applyStock: absolute and relative, all or none, an unknown warehouse named', () => {
  const router = loaded();
  const changes = router.applyStock([
    { warehouse: 'OWN', sku: 'A', delta: 3 },
    { warehouse: 'OWN', sku: 'B', on_hand: '1.5' },
  ]);
  assert.deepEqual(changes.map((c) => [c.sku, c.before && c.before.on_hand, c.after.on_hand]), [['A', '2', '5'], ['B', null, '1.5']]);
  assert.throws(
    () => router.applyStock([{ warehouse: 'OWN', sku: 'A', on_hand: 0 }, { warehouse: 'MOON', sku: 'A', on_hand: 1 }]),
    (e) => e instanceof StockrouteError && e.path === 'rows[1].warehouse' && /`MOON`/.test(e.message),
  );
  assert.throws(() => router.applyStock([{ warehouse: 'OWN', sku: 'A', onhand: 1 }]), (e) => e.code === 'data.invalid' && /onhand/.test(e.message));
  // Nothing of the failed calls applied: OWN still has 5 of A.
  assert.equal(router.inventory().stock.find((r) => r.warehouse === 'OWN' && r.sku === 'A').on_hand, '5');
  assert.equal(router.route(order('o', 5)).shipments[0].warehouse, 'OWN');
  router.free();
});

test('syncWarehouse replaces a location\'s stock and returns what changed per SKU', () => {
  const router = loaded();
  const changes = router.syncWarehouse('CON', [{ sku: 'A', on_hand: 4 }]);
  // A: 5 → 4; B was not reported: 1 → 0.
  assert.deepEqual(changes.map((c) => [c.sku, c.before.on_hand, c.after.on_hand]), [['A', '5', '4'], ['B', '1', '0']]);
  assert.equal(router.available(null, 'web', { skus: ['B'] }).items[0].offered, '0');
  assert.throws(() => router.syncWarehouse('NOWHERE', []), (e) => e.code === 'data.invalid' && /`NOWHERE`/.test(e.message));
  router.free();
});

test('commit reserves what a plan ships, release gives it back; availability follows', () => {
  const router = loaded();
  const plan = router.route(order('o', 6));
  // 6 of A: no single location has 6; OWN 2 + CON 4 is the best-ranked pair.
  assert.deepEqual(from(plan), ['OWN:2', 'CON:4']);
  router.commit(plan);
  assert.equal(router.available(null, 'web', { skus: ['A'] }).items[0].offered, '1');
  router.release(plan);
  assert.equal(router.available(null, 'web', { skus: ['A'] }).items[0].offered, '7');
  router.free();
});

test('route with { exclude, reason: "not_in_stock" } routes again and drops that stock', () => {
  const router = loaded();
  assert.equal(router.route(order('o', 1, 'B')).shipments[0].warehouse, 'CON');
  const again = router.route(order('o', 1, 'B'), null, { exclude: ['CON'], reason: 'not_in_stock' });
  assert.equal(again.status, 'backordered');
  assert.ok(again.trace.some((t) => t.warehouse === 'CON' && /rejected this order/.test(t.message)));
  // CON's B is 0 now; its A (not in the order) is untouched.
  assert.equal(router.available(null, 'web', { skus: ['B'] }).items[0].offered, '0');
  assert.equal(router.available(null, 'web', { skus: ['A'] }).items[0].offered, '7');
  assert.throws(() => router.route(order('o', 1), null, { exclude: ['NOPE'] }), (e) => e.code === 'options.invalid' && e.path === 'exclude[0]');
  router.free();
});

test('backorderable, untracked and whole-unit stock through the API', () => {
  const router = new Router('');
  router.setInventory({
    warehouses: [{ id: 'W', kind: 'own' }],
    stock: [
      { warehouse: 'W', sku: 'PRE', on_hand: 1, backorderable: true, backorder_limit: 4 },
      { warehouse: 'W', sku: 'CHAIR', on_hand: '2.5' },
      { warehouse: 'W', sku: 'DIGITAL', on_hand: 0 },
    ],
    products: [{ sku: 'CHAIR', unit: 'each' }, { sku: 'DIGITAL', track_inventory: false }],
    channels: [{ id: 'web' }, { id: 'strict', include_backorders: false }],
  });
  // 3 of PRE: 1 from stock, 2 wait for stock at W.
  const plan = router.route({ id: 'p', channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: '1', sku: 'PRE', qty: 3 }] });
  assert.deepEqual(plan.shipments[0].lines.map((l) => [l.qty, l.on_backorder]), [['3', '2']]);
  const av = router.available(null, null);
  const get = (ch, sku) => av.items.find((i) => i.channel === ch && i.sku === sku);
  assert.equal(get('web', 'PRE').offered, '5');
  assert.equal(get('web', 'PRE').backorder, '4');
  assert.equal(get('strict', 'PRE').offered, '1');
  assert.equal(get('web', 'CHAIR').offered, '2');
  assert.equal(get('web', 'DIGITAL').unlimited, true);
  assert.throws(
    () => router.route({ id: 'c', channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: 'x', sku: 'CHAIR', qty: '1.5' }] }),
    (e) => e.path === 'lines[0].qty' && /whole units/.test(e.message),
  );
  router.free();
});

// ---- CLI ----------------------------------------------------------------------------------

function run(args, input) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-stock-'));
  const inventory = path.join(dir, 'inventory.json');
  fs.writeFileSync(inventory, JSON.stringify(INVENTORY));
  const rules = path.join(dir, 'rules.rhai');
  fs.writeFileSync(rules, '// by priority\nfn rank(o, w) { w.priority }\n');
  return { dir, inventory, rules };
}

test('CLI route consumes stock over JSONL; --independent and --exclude', () => {
  const { dir, inventory, rules } = files();
  try {
    const orders = [order('o1', 2), order('o2', 2)].map((o) => JSON.stringify(o)).join('\n');
    const base = ['route', '--rules', rules, '--inventory', inventory];
    const plans = (r) => r.stdout.trim().split('\n').map((l) => from(JSON.parse(l)));
    const consumed = run(base, orders);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.deepEqual(plans(consumed), [['OWN:2'], ['CON:2']]);
    const independent = run([...base, '--independent'], orders);
    assert.deepEqual(plans(independent), [['OWN:2'], ['OWN:2']]);
    const excluded = run([...base, '--exclude', 'OWN'], orders);
    assert.deepEqual(plans(excluded), [['CON:2'], ['CON:2']]);
    const unknown = run([...base, '--exclude', 'NOPE'], orders);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown warehouse `NOPE`/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI apply and sync write the new inventory; a bad row writes nothing', () => {
  const { dir, inventory } = files();
  try {
    const rows = path.join(dir, 'rows.jsonl');
    fs.writeFileSync(rows, '{"warehouse": "OWN", "sku": "A", "delta": -1}\n{"warehouse": "OWN", "sku": "C", "on_hand": 3}\n');
    const out = path.join(dir, 'new.json');
    const applied = run(['apply', '--inventory', inventory, rows, '--out', out]);
    assert.equal(applied.code, 0, applied.stderr);
    // OWN's A goes from 2 to 1; C is a new row at OWN with 3.
    assert.equal(applied.stderr.trim(), [
      'apply: 2 rows changed',
      '  OWN A: on_hand 2 → 1, available 2 → 1',
      '  OWN C (new row): on_hand 3, reserved 0, safety 0, status in_stock, available 3, backorder 0',
    ].join('\n'));
    const next = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(next.stock.find((r) => r.warehouse === 'OWN' && r.sku === 'A').on_hand, '1');
    assert.equal(next.stock.find((r) => r.sku === 'C').on_hand, '3');

    const synced = run(['sync', '--inventory', out, '--warehouse', 'CON', '-'], '[{"sku": "A", "on_hand": 9}]');
    assert.equal(synced.code, 0, synced.stderr);
    const after = JSON.parse(synced.stdout);
    const con = after.stock.filter((r) => r.warehouse === 'CON').map((r) => [r.sku, r.on_hand]);
    assert.deepEqual(con, [['A', '9'], ['B', '0']]);

    const bad = run(['apply', '--inventory', inventory, '-'], '[{"warehouse": "MARS", "sku": "A", "on_hand": 1}]');
    assert.equal(bad.code, 1);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /unknown warehouse `MARS`/);
    assert.equal(run(['sync', '--inventory', inventory], '').code, 2, 'sync needs --warehouse');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

