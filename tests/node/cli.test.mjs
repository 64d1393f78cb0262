// The `stockroute` command line, end to end on the sample data (examples/, rules/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DEMO_RULES, INVENTORY_FILE, ORDERS_FILE, RULES, ROOT, read, sampleOrders } from './helpers.mjs';

function run(args, input) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'stockroute-cli-'));
}

const ROUTE = ['route', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE];

test('route: one JSON plan per line, in input order', () => {
  const r = run([...ROUTE, ORDERS_FILE]);
  assert.equal(r.code, 0, r.stderr);
  const plans = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(plans.map((p) => p.order), sampleOrders().map((o) => o.id));
  // WEB-1005 (4 × TENT-4P): own DE-BER has 3, then consignment CON-ZRH the last one.
  const web1005 = plans.find((p) => p.order === 'WEB-1005');
  assert.deepEqual(web1005.shipments.map((s) => s.warehouse), ['DE-BER', 'CON-ZRH']);
});

test('route reads stdin with - and prints a readable table with --pretty', () => {
  const orders = read(ORDERS_FILE);
  const fromStdin = run([...ROUTE, '-'], orders);
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(fromStdin.stdout, run([...ROUTE, ORDERS_FILE]).stdout);
  const pretty = run([...ROUTE, ORDERS_FILE, '--pretty']);
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /order WEB-1005 .*SPLIT, 2 shipments/);
  assert.match(pretty.stdout, /CON-ZRH\s+consignment/);
  // MKT-3001 on the marketplace (no consignment), 5 × TENT-4P: the orders consume stock in
  // file order, and WEB-1005 before it took DE-BER's 3, so everything is backordered.
  assert.match(pretty.stdout, /order MKT-3001 .*BACKORDERED[\s\S]*?backordered: TENT-4P × 5/);
  // With --independent every order sees the file's stock: 3 ship from DE-BER, 2 wait.
  const independent = run([...ROUTE, ORDERS_FILE, '--pretty', '--independent']);
  assert.match(independent.stdout, /order MKT-3001 .*PARTIAL[\s\S]*?backordered: TENT-4P × 2/);
  const n = sampleOrders().length;
  assert.match(pretty.stdout, new RegExp(`${n} of ${n} orders routed`));
});

test('route: a bad order is reported with file, line and field; the others are still routed', () => {
  const dir = tmpdir();
  try {
    const lines = read(ORDERS_FILE).trim().split('\n');
    const bad = JSON.parse(lines[1]);
    bad.lines[0].qty = 'two';
    lines[1] = JSON.stringify(bad);
    const file = path.join(dir, 'orders.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const r = run([...ROUTE, file]);
    assert.equal(r.code, 1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, lines.length);
    assert.equal(out[1].order, bad.id);
    assert.equal(out[1].error.code, 'data.invalid');
    assert.equal(out[1].error.path, 'lines[0].qty');
    assert.ok(out.filter((o) => o.error).length === 1 && out[0].order === JSON.parse(lines[0]).id);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: order \`${bad.id}\`: invalid order: .*lines\\[0\\]\\.qty`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('route: invalid JSON in the inventory names the file, line and field', () => {
  const dir = tmpdir();
  try {
    const inv = JSON.parse(read(INVENTORY_FILE));
    inv.stock[2].on_hand = 'plenty';
    const file = path.join(dir, 'inventory.json');
    fs.writeFileSync(file, JSON.stringify(inv, null, 2));
    const r = run(['route', '--rules', DEMO_RULES, '--inventory', file, ORDERS_FILE]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`${file}: error: `), r.stderr);
    assert.match(r.stderr, /line \d+ column \d+/);
    assert.match(r.stderr, /at `stock\[2\]\.on_hand`/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('available: JSON by default, one channel with --channel, a table with --pretty', () => {
  const base = ['available', '--rules', DEMO_RULES, '--inventory', INVENTORY_FILE];
  const all = run(base);
  assert.equal(all.code, 0, all.stderr);
  const av = JSON.parse(all.stdout);
  assert.deepEqual([...new Set(av.items.map((i) => i.channel))], ['webshop', 'marketplace']);
  const market = JSON.parse(run([...base, '--channel', 'marketplace']).stdout);
  assert.ok(market.items.length > 0 && market.items.every((i) => i.channel === 'marketplace'));
  // The marketplace does not include consignment: no consignment warehouse contributes.
  const inv = JSON.parse(read(INVENTORY_FILE));
  const consignment = new Set(inv.warehouses.filter((w) => w.kind === 'consignment').map((w) => w.id));
  for (const item of market.items) {
    for (const w of item.warehouses) {
      if (consignment.has(w.warehouse)) assert.equal(w.included, false, `${item.sku} ${w.warehouse}`);
    }
  }
  const pretty = run([...base, '--pretty']);
  assert.equal(pretty.code, 0);
  assert.match(pretty.stdout, /^channel\s+sku\s+offered/);
  const unknown = run([...base, '--channel', 'nowhere']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /nowhere/);
});

test('check: file:line:col diagnostics and exit 1 on errors, exit 0 on a good file', () => {
  const ok = run(['check', DEMO_RULES]);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /: ok \(hooks: rank, split\)/);
  const dir = tmpdir();
  try {
    const file = path.join(dir, 'bad.rhai');
    fs.writeFileSync(file, 'fn rank(order, warehouse) {\n    let x = ;\n}\n');
    const bad = run(['check', file]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error: `));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('test rules/: every sample case passes, one line per case', () => {
  const r = run(['test', RULES]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const cases = fs.readdirSync(path.join(RULES, 'cases'), { recursive: true }).filter((f) => f.endsWith('.json'));
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('PASS '));
  assert.equal(lines.length, cases.length);
  assert.match(r.stdout, new RegExp(`${cases.length} passed, 0 failed`));
});

test('test: a failing case is reported and exits 1', () => {
  const dir = tmpdir();
  try {
    fs.mkdirSync(path.join(dir, 'cases', 'tiny'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tiny.rhai'), '');
    fs.writeFileSync(path.join(dir, 'inv.json'), read(INVENTORY_FILE));
    const order = sampleOrders()[0];
    fs.writeFileSync(path.join(dir, 'cases', 'tiny', 'wrong.json'), JSON.stringify({
      name: 'expects the wrong status',
      inventory: '../../inv.json',
      order,
      expect: { status: 'held' },
    }));
    const r = run(['test', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL tiny\/wrong\.json/m);
    assert.match(r.stdout, /0 passed, 1 failed/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors exit 2', () => {
  assert.equal(run([]).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run(['route', '--inventory', INVENTORY_FILE]).code, 2);
  assert.equal(run([...ROUTE, '--colour']).code, 2);
  assert.equal(run(['route', '--rules', 'nope.rhai', '--inventory', INVENTORY_FILE]).code, 2);
  assert.equal(run(['--help']).code, 0);
});
