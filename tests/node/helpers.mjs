// Shared paths and fixtures for the Node tests of the built package (pkg/).
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'pkg');
export const CLI = path.join(PKG, 'bin', 'stockroute.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const RULES = path.join(ROOT, 'rules');
export const DEMO_RULES = path.join(RULES, 'own-first-then-consignment.rhai');
export const INVENTORY_FILE = path.join(EXAMPLES, 'inventory.json');
export const ORDERS_FILE = path.join(EXAMPLES, 'orders.jsonl');

if (!fs.existsSync(path.join(PKG, 'package.json'))) {
  throw new Error('pkg/ is missing: run scripts/build-pkg.sh before node --test tests/node/');
}

export const read = (p) => fs.readFileSync(p, 'utf8');

/** The sample orders, one object per non-blank line of examples/orders.jsonl. */
export function sampleOrders() {
  return read(ORDERS_FILE)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

export function sampleOrder(id) {
  const order = sampleOrders().find((o) => o.id === id);
  if (!order) throw new Error(`no sample order ${id}`);
  return order;
}

/** A small inventory: own warehouse OWN (2 of A), consignment CON (5 of A). */
export const SMALL_INVENTORY = {
  warehouses: [
    { id: 'OWN', kind: 'own', priority: 1, country: 'DE' },
    {
      id: 'CON', kind: 'consignment', owner: 'Shop', priority: 2, country: 'DE',
      forward: { method: 'email', to: 'shop@example.com' },
    },
  ],
  stock: [
    { warehouse: 'OWN', sku: 'A', on_hand: 2 },
    { warehouse: 'CON', sku: 'A', on_hand: 5 },
  ],
  channels: [{ id: 'web', include_consignment: true }, { id: 'market' }],
};

export function smallOrder(id, qty, extra = {}) {
  return { id, channel: 'web', ship_to: { country: 'DE' }, lines: [{ id: '1', sku: 'A', qty }], ...extra };
}
