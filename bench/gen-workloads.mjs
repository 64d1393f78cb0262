#!/usr/bin/env node
// Deterministic benchmark workloads for stockroute (issue 5). Same seed, same bytes:
// every benchmark row (native, WASM, plain JS, json-rules-engine, Rhai `route()`) reads the
// files written here, so they all route identical orders against identical stock.
//
//   node bench/gen-workloads.mjs [outDir]     (default: bench/data)
//
// Workloads:
//   S      2 lines, 3 warehouses (2 own, 1 consignment)
//   M      5 lines, 10 warehouses (6 own, 4 consignment); batch = 10,000 M orders
//   L      50 lines, 40 warehouses (24 own, 16 consignment)
//   2L     100 lines, 80 warehouses (48 own, 32 consignment): how cost grows past L
//   avail  1,000 SKUs x 20 warehouses x 3 channels
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? join(here, 'data');
mkdirSync(out, { recursive: true });

// mulberry32: tiny, fast, and identical on every Node version.
function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
}

// Countries with a rough centre; CH and GB are outside the EU zone the rules use.
const COUNTRIES = [
  ['DE', 51.0, 10.0], ['DE', 51.0, 10.0], ['DE', 51.0, 10.0], ['AT', 47.5, 14.5],
  ['NL', 52.2, 5.3], ['FR', 46.6, 2.4], ['PL', 52.1, 19.4], ['CH', 46.8, 8.2], ['GB', 53.0, -1.5],
];
const fixed = (x) => x.toFixed(4);
const loc = (r, lat, lon) => ({ lat: fixed(lat + (r.next() - 0.5) * 4), lon: fixed(lon + (r.next() - 0.5) * 6) });
const sku = (i) => `SKU-${String(i).padStart(5, '0')}`;

function warehouses(r, own, consignment) {
  const ws = [];
  for (let i = 0; i < own + consignment; i++) {
    const isOwn = i < own;
    // Own warehouses sit in the EU; consignment partners are anywhere.
    const [country, lat, lon] = isOwn ? r.pick(COUNTRIES.slice(0, 7)) : r.pick(COUNTRIES);
    const w = {
      id: isOwn ? `own-${i + 1}` : `con-${i - own + 1}`,
      name: isOwn ? `Own warehouse ${i + 1}` : `Retailer ${i - own + 1}`,
      kind: isOwn ? 'own' : 'consignment',
      country,
      postcode: String(r.int(10000, 99999)),
      location: loc(r, lat, lon),
      priority: isOwn ? r.int(1, 3) : r.int(3, 5),
    };
    if (!isOwn) {
      w.owner = `Retailer ${i - own + 1}`;
      w.forward = { method: 'email', to: `orders@retailer${i - own + 1}.example` };
      w.terms = { settlement: 'monthly' };
    }
    ws.push(w);
  }
  return ws;
}

function inventory(r, { own, consignment, skus, density, maxQty }) {
  const ws = warehouses(r, own, consignment);
  const stock = [];
  for (const w of ws) {
    for (let s = 0; s < skus; s++) {
      if (r.next() < density) {
        const row = { warehouse: w.id, sku: sku(s), on_hand: r.int(0, maxQty) };
        if (r.next() < 0.2) row.reserved = r.int(0, 2);
        if (r.next() < 0.1) row.safety = 1;
        stock.push(row);
      }
    }
  }
  const channels = [
    { id: 'webshop', include_consignment: true },
    { id: 'marketplace', include_consignment: false, safety: 1 },
    { id: 'b2b', include_consignment: false },
  ];
  return { warehouses: ws, stock, channels };
}

function order(r, id, { lines, skus, channel }) {
  const [country, lat, lon] = r.pick(COUNTRIES);
  const picked = new Set();
  while (picked.size < lines) picked.add(r.int(0, skus - 1));
  const b2b = r.next() < 0.2;
  return {
    id,
    channel: channel ?? (b2b ? 'b2b' : r.next() < 0.7 ? 'webshop' : 'marketplace'),
    currency: 'EUR',
    customer: { id: `c-${r.int(1, 99999)}`, type: b2b ? 'b2b' : 'b2c' },
    ship_to: { country, postcode: String(r.int(10000, 99999)), location: loc(r, lat, lon) },
    lines: [...picked].map((s, i) => ({
      id: String(i + 1),
      sku: sku(s),
      qty: r.int(1, 3),
      unit_price: `${r.int(2, 200)}.${String(r.int(0, 99)).padStart(2, '0')}`,
    })),
  };
}

const write = (name, value) => writeFileSync(join(out, name), JSON.stringify(value));

const rS = rng(1);
write('inventory-s.json', inventory(rS, { own: 2, consignment: 1, skus: 20, density: 0.8, maxQty: 10 }));
write('order-s.json', order(rS, 'S-1', { lines: 2, skus: 20, channel: 'webshop' }));

const rM = rng(2);
write('inventory-m.json', inventory(rM, { own: 6, consignment: 4, skus: 200, density: 0.5, maxQty: 12 }));
write('order-m.json', order(rM, 'M-1', { lines: 5, skus: 200, channel: 'webshop' }));
const batch = [];
for (let i = 0; i < 10000; i++) batch.push(JSON.stringify(order(rM, `M-${i + 2}`, { lines: 5, skus: 200 })));
writeFileSync(join(out, 'orders-m.jsonl'), batch.join('\n') + '\n');

const rL = rng(3);
write('inventory-l.json', inventory(rL, { own: 24, consignment: 16, skus: 500, density: 0.3, maxQty: 8 }));
write('order-l.json', order(rL, 'L-1', { lines: 50, skus: 500, channel: 'webshop' }));

const r2L = rng(5);
write('inventory-2l.json', inventory(r2L, { own: 48, consignment: 32, skus: 1000, density: 0.3, maxQty: 8 }));
write('order-2l.json', order(r2L, '2L-1', { lines: 100, skus: 1000, channel: 'webshop' }));

const rA = rng(4);
write('inventory-avail.json', inventory(rA, { own: 12, consignment: 8, skus: 1000, density: 1, maxQty: 50 }));

console.log(`workloads written to ${out}`);
