// The error contract as JavaScript sees it: one field list, defined by `Diagnostic` in
// src/error.rs, reaching `StockrouteError` and batch entries unchanged; messages in the
// user's words; the order named whenever its id is readable; quantities never rounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PKG, SMALL_INVENTORY, smallOrder } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, check } = require(path.join(PKG, 'node', 'index.cjs'));
const esm = await import(path.join(PKG, 'node', 'index.mjs'));

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

function router(rules = '') {
  const r = new Router(rules, { name: 'r.rhai' });
  r.setInventory(SMALL_INVENTORY);
  return r;
}

test('a thrown error carries every field of its primary diagnostic', () => {
  const e = thrown(() => router('fn rank(o, w) {\n  "a" - 1\n}').route(smallOrder('o1', 1)));
  assert.ok(e instanceof StockrouteError && e instanceof Error);
  assert.equal(e.name, 'StockrouteError');
  const [primary] = e.diagnostics;
  for (const [key, value] of Object.entries(primary)) {
    if (key !== 'message') assert.deepEqual(e[key], value, key);
  }
  assert.equal(e.code, 'rule.runtime');
  assert.equal(e.hook, 'rank');
  assert.equal(e.line, 2);
  assert.equal(e.order, 'o1');
  assert.equal(primary.message, 'cannot subtract a number from a string');
  assert.match(e.message, /^r\.rhai:2:\d+: in `rank`: cannot subtract a number from a string$/);
  // The ESM entry throws the same class.
  assert.equal(esm.StockrouteError, StockrouteError);
});

test('StockrouteError copies whatever fields arrive, and toJSON gives them back', () => {
  const e = new StockrouteError({ code: 'data.invalid', message: 'm', path: 'lines[0].qty', future: 7 });
  assert.equal(e.future, 7);
  assert.equal(e.path, 'lines[0].qty');
  assert.equal(e.help, undefined);
  assert.ok(!('help' in e), 'absent fields stay absent');
  assert.deepEqual(e.toJSON(), { code: 'data.invalid', message: 'm', path: 'lines[0].qty', future: 7, diagnostics: [] });
  assert.equal(JSON.parse(JSON.stringify(e)).future, 7);
});

test('a batch entry holds the same error object a single route throws', () => {
  const r = router();
  const bad = { ...smallOrder('o2', 1), lines: [{ id: '1', sku: 'A', qty: 'lots' }] };
  const single = thrown(() => r.route(bad)).toJSON();
  const [entry] = r.routeBatch([bad]);
  assert.equal(entry.ok, false);
  assert.equal(entry.order, 'o2');
  assert.deepEqual(entry.error, single);
  assert.equal(entry.error.path, 'lines[0].qty');
  assert.match(entry.error.message, /`lines\[0\]\.qty` must be a number such as `2` or `"2\.5"`, got `"lots"`/);
});

test('an order that fails to parse is named whenever its id is readable', () => {
  const r = router();
  assert.equal(thrown(() => r.route('{"id": "o3", "lines": [')).order, 'o3');
  assert.equal(thrown(() => r.route('{"id": "o4", "lines": "x"}')).order, 'o4');
  assert.equal(thrown(() => r.route({ id: 'o5', lines: 'x' })).order, 'o5');
  assert.equal(thrown(() => r.route('{"lines": [')).order, undefined);
});

test('quantities are read exactly or rejected, never rounded', () => {
  const r = router();
  const order = (qty) => `{"id": "q", "channel": "web", "ship_to": {"country": "DE"},
    "lines": [{"id": "1", "sku": "A", "qty": ${qty}}]}`;
  for (const qty of ['1.999999999999999999999999999999', '"1.999999999999999999999999999999"']) {
    const e = thrown(() => r.route(order(qty)));
    assert.equal(e.code, 'data.invalid');
    assert.equal(e.path, 'lines[0].qty');
    assert.match(e.message, /at most 28 decimal places/);
  }
  for (const qty of ['"1_0"', '""', '"NaN"', '"+1"']) {
    assert.equal(thrown(() => r.route(order(qty))).path, 'lines[0].qty', qty);
  }
  const plan = r.route(order('"1.9999999999999999999999999999"'));
  assert.deepEqual(plan.shipments.flatMap((s) => s.lines.map((l) => l.qty)), ['1.9999999999999999999999999999']);
});

test('rule diagnostics from check use words, not engine type names', () => {
  const report = check('fn rank(o, w) { if 1 { 1 } else { 2 } }', 'r.rhai');
  assert.equal(report.ok, false);
  assert.equal(report.diagnostics[0].message, 'expecting a boolean expression, not a number');
});
