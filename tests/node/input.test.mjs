// JavaScript inputs that throw or have no JSON form (issue 9, classes 3 and 4): each is a
// StockrouteError `data.invalid` naming the field path, found in JavaScript before anything
// crosses into WebAssembly (so no trap and no instance restart), and the router keeps
// routing. Before, a throwing getter unwound through the module (≈500 of them killed it),
// BigInt and lone surrogates were silently altered, and ≈4,500-deep objects killed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PKG, SMALL_INVENTORY, smallOrder } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Router, StockrouteError, runCase, __testing } = require(path.join(PKG, 'node', 'index.cjs'));

const good = (id = 'good') => smallOrder(id, 1);
const withLine = (line) => ({ ...good('bad'), lines: [{ id: '1', sku: 'A', qty: 1 }, line] });
const nested = (depth) => {
  const root = {};
  let node = root;
  for (let i = 1; i < depth; i++) node = node.x = {};
  return root;
};
const xs = (n) => Array.from({ length: n }, () => 'x').join('.');

const throwingProxy = (trap) => new Proxy({ id: '2', sku: 'A', qty: 1 }, { [trap]() { throw new Error(`${trap} trap says no`); } });

// [what, order, expected path, message pattern]
const CASES = [
  ['a getter that throws', withLine({ id: '2', sku: 'A', get qty() { throw new Error('no qty today'); } }), 'lines[1].qty', /reading it threw: no qty today/],
  ['a Proxy whose get throws', withLine(throwingProxy('get')), 'lines[1]', /threw: get trap says no/],
  ['a Proxy whose ownKeys throws', withLine(throwingProxy('ownKeys')), 'lines[1]', /listing its fields threw: ownKeys trap says no/],
  ['a toJSON that throws', withLine({ id: '2', sku: 'A', qty: 1, toJSON() { throw new Error('refused'); } }), 'lines[1]', /toJSON\(\) threw: refused/],
  ['a BigInt', withLine({ id: '2', sku: 'A', qty: 10n ** 30n }), 'lines[1].qty', /BigInt .*as a string/],
  ['a Symbol', withLine({ id: '2', sku: Symbol('A'), qty: 1 }), 'lines[1].sku', /Symbol/],
  ['a function', withLine({ id: '2', sku: 'A', qty: () => 1 }), 'lines[1].qty', /function/],
  ['NaN', withLine({ id: '2', sku: 'A', qty: Number.NaN }), 'lines[1].qty', /`NaN` is not a finite number/],
  ['-Infinity', withLine({ id: '2', sku: 'A', qty: -Infinity }), 'lines[1].qty', /`-Infinity` is not a finite number/],
  ['undefined in a list', { ...good('bad'), lines: [{ id: '1', sku: 'A', qty: 1 }, undefined] }, 'lines[1]', /undefined/],
  ['a Map', { ...good('bad'), attributes: new Map([['a', 1]]) }, 'attributes', /Map has no JSON form/],
  ['a lone surrogate in a value', withLine({ id: '2', sku: 'A\uDC00', qty: 1 }), 'lines[1].sku', /not valid Unicode/],
  ['a lone surrogate in a key', { ...good('bad'), attributes: { ['k\uD800']: 1 } }, 'attributes.k\uD800', /field name that is not valid Unicode/],
  ['a cycle', (() => { const o = good('bad'); o.lines[0].order = o; return o; })(), 'lines[0].order', /cycle/],
  ['depth 5,000 (beyond what JSON.stringify can do)', { ...good('bad'), attributes: nested(5000) }, `attributes.${xs(126)}`, /nested more than 127 levels deep/],
];

function assertDataError(fn, path, pattern, what) {
  let thrown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof StockrouteError, `${what}: got ${thrown && thrown.name}: ${thrown && thrown.message}`);
  assert.equal(thrown.code, 'data.invalid', `${what}: ${thrown.message}`);
  assert.equal(thrown.path, path || undefined, `${what}: ${thrown.message}`);
  assert.equal(thrown.diagnostics[0].path, path || undefined, what);
  if (pattern) assert.match(thrown.message, pattern, what);
  return thrown;
}

function router() {
  const r = new Router('fn rank(o, w) { w.priority }');
  r.setInventory(SMALL_INVENTORY);
  return r;
}

test('route: each unrepresentable input names its field; nothing reaches the engine; the router keeps routing', () => {
  const r = router();
  const restarts = __testing.restarts();
  for (const [what, order, path, pattern] of CASES) {
    const e = assertDataError(() => r.route(order), path, pattern, what);
    assert.equal(e.order, 'bad', `${what}: the readable order id is reported`);
    assert.equal(r.route(good()).shipments[0].warehouse, 'OWN', what);
  }
  assert.equal(__testing.restarts(), restarts, 'no input caused a trap');
});

test('routeBatch([good, bad, good]) returns two plans and one error entry, for every kind of bad input', () => {
  const r = router();
  for (const [what, order, path] of CASES) {
    const results = r.routeBatch([good('g1'), order, good('g2')]);
    assert.deepEqual(results.map((x) => x.ok), [true, false, true], what);
    assert.deepEqual(results.map((x) => x.order), ['g1', 'bad', 'g2'], what);
    assert.equal(results[1].error.code, 'data.invalid', what);
    assert.equal(results[1].error.path, path, what);
    assert.equal(results[0].plan.shipments[0].warehouse, 'OWN', what);
    // The entries stay plain data.
    assert.deepEqual(JSON.parse(JSON.stringify(results[1])), results[1], what);
  }
});

test('nesting at the engine limit: 127 levels are accepted, deeper is rejected with its path', () => {
  const r = router();
  // The order object itself is level 1 and `attributes` level 2: 125 more levels make 127.
  const deepest = { ...good('deep'), attributes: nested(126) };
  assert.equal(r.route(deepest).order, 'deep');
  const tooDeep = { ...good('deep'), attributes: nested(127) };
  assert.throws(() => r.route(tooDeep), (e) => e instanceof StockrouteError && e.code === 'data.invalid' && e.path.startsWith('attributes.x.x'));
  assert.equal(r.route(good()).status, 'single');
});

test('lone surrogates in JSON text are rejected at their field, escaped or not', () => {
  const r = router();
  const text = JSON.stringify(withLine({ id: '2', sku: 'SKU', qty: 1 }));
  const raw = text.replace('"SKU"', '"A\uDC00"'); // an unescaped lone surrogate in the text
  assertDataError(() => r.route(raw), 'lines[1].sku', /not valid Unicode/, 'unescaped');
  const escaped = text.replace('"SKU"', '"A\\udc00"');
  assertDataError(() => r.route(escaped), 'lines[1].sku', null, 'escaped');
  assertDataError(() => r.route(`${raw.slice(0, -1)}`), '', /lone UTF-16 surrogate at character \d+/, 'unparsable text');
  assert.equal(r.route(good()).status, 'single');
});

test('undefined: a missing order, an absent optional field, a missing required one', () => {
  const r = router();
  assertDataError(() => r.route(undefined), '', /no order was given/, 'undefined order');
  // An undefined optional field is absent, as in JSON.
  assert.equal(r.route({ ...good('o'), attributes: undefined }).status, 'single');
  // An undefined required field is reported by the engine, which names it.
  assert.throws(() => r.route({ ...good('o'), lines: [{ id: '1', sku: 'A', qty: undefined }] }),
    (e) => e instanceof StockrouteError && e.code === 'data.invalid' && /`qty`/.test(e.message) && e.path === 'lines[0]');
});

test('inventories, options and case files that throw are data errors; the loaded inventory stays', () => {
  const r = router();
  const cyclic = structuredClone(SMALL_INVENTORY);
  cyclic.warehouses[1].terms = { back: cyclic };
  assertDataError(() => r.setInventory(cyclic), 'warehouses[1].terms.back', /cycle/, 'cyclic inventory');
  const getter = structuredClone(SMALL_INVENTORY);
  Object.defineProperty(getter.stock[1], 'on_hand', { enumerable: true, get() { throw new Error('stock service down'); } });
  assertDataError(() => r.setInventory(getter), 'stock[1].on_hand', /stock service down/, 'throwing inventory getter');
  assertDataError(() => r.route(good(), getter), 'stock[1].on_hand', /stock service down/, 'inline inventory');
  assertDataError(() => r.available(getter), 'stock[1].on_hand', /stock service down/, 'available');
  // The inventory loaded before is still in use: 3 units only CON can ship complete.
  assert.equal(r.route(smallOrder('o', 3)).shipments[0].warehouse, 'CON');
  assert.throws(() => new Router('', { limits: { get maxOperations() { throw new Error('ask later'); } } }), (e) => {
    assert.ok(e instanceof StockrouteError);
    assert.equal(e.code, 'options.invalid');
    assert.equal(e.path, 'limits.maxOperations');
    assert.match(e.message, /ask later/);
    return true;
  });
  assertDataError(() => runCase({ name: 'x', order: good(), expect: { status: 'single' }, n: 1n }, ''), 'n', /BigInt/, 'case');
  assertDataError(() => runCase('{}', '', { 'inv.json': Symbol('no') }), 'inv.json', /Symbol/, 'case files');
});

test('thousands of throwing getters in a row neither exhaust nor poison the instance', () => {
  const r = router();
  const restarts = __testing.restarts();
  for (let i = 0; i < 3000; i++) {
    assert.throws(() => r.route(withLine({ id: '2', sku: 'A', get qty() { throw new Error(`#${i}`); } })), { code: 'data.invalid' });
  }
  assert.equal(__testing.restarts(), restarts);
  assert.equal(r.route(good()).shipments[0].warehouse, 'OWN');
});

test('values with a JSON form through toJSON (a Date) are accepted as JSON.stringify writes them', () => {
  const r = router();
  const order = { ...good('dated'), attributes: { placed: new Date(Date.UTC(2026, 0, 2)), tags: ['a'] } };
  assert.equal(r.route(order).order, 'dated');
  // The rule sees the JSON form: the ISO date text.
  const echo = new Router('fn route(order, inventory) { #{ hold: order.attributes.placed } }');
  assert.equal(echo.route(order, SMALL_INVENTORY).hold.reason, '2026-01-02T00:00:00.000Z');
  // A toJSON that returns something JSON cannot carry is still caught.
  assertDataError(() => r.route({ ...good('bad'), attributes: { x: { toJSON: () => Number.NaN } } }), 'attributes.x', /not a finite number/, 'toJSON → NaN');
});

test('wrong argument types are usage errors, not crashes', () => {
  const r = router();
  assert.throws(() => r.available(null, 42), { code: 'options.invalid' });
  assert.throws(() => r.routeBatch('not a list'), { code: 'data.invalid' });
  assert.throws(() => new Router(Symbol('rules')), { code: 'options.invalid' });
});
