// An ES module consumer of the package (`import`), type-checked by tests/ts/run.sh under
// moduleResolution NodeNext, Node16 and Bundler against the built package's declarations
// (generated data types + the API surface). It is never run.
import init, {
  Router,
  StockrouteError,
  apiMetadata,
  check,
  compare,
  runCase,
  settle,
  version,
  warmup,
  type CompareReport,
  type Replenishment,
  type Validation,
  type Availability,
  type BatchResult,
  type CaseOutcome,
  type CheckReport,
  type Diagnostic,
  type ForwardMessage,
  type Settlement,
  type ErrorCode,
  type ErrorDetails,
  type HookName,
  type InitInput,
  type Inventory,
  type Order,
  type Plan,
  type RouterOptions,
  type Shipment,
} from 'stockroute';

const inventory: Inventory = {
  warehouses: [
    { id: 'OWN', kind: 'own', priority: 1, country: 'DE', location: { lat: 52.52, lon: '13.405' } },
    {
      id: 'CON',
      kind: 'consignment',
      owner: 'Shop',
      terms: { period_end: '2027-01-31', pro_forma: true },
      forward: { method: 'email', to: 'shop@example.com' },
    },
  ],
  stock: [
    { warehouse: 'OWN', sku: 'A', on_hand: 2, reserved: '0.5', status: 'in_stock' },
    { warehouse: 'CON', sku: 'A', on_hand: 5 },
  ],
  channels: [{ id: 'web', include_consignment: true, safety: 1 }],
  products: [{ sku: 'A', tags: ['bulky'], attributes: { bundle: 'tent' } }],
  reservations: [{ channel: 'web', sku: 'A', qty: 1 }],
};

const order: Order = {
  id: 'o1',
  channel: 'web',
  currency: 'EUR',
  customer: { type: 'b2b', tags: ['vip'] },
  ship_to: { country: 'DE', postcode: '10115' },
  lines: [{ id: '1', sku: 'A', qty: '2.5', unit_price: 10 }],
  attributes: { gift: true },
};

async function main(): Promise<void> {
  await init();
  // Where browsers may load the module from: a URL, a fetch Response, bytes.
  const sources: InitInput[] = [
    '/stockroute_bg.wasm',
    new URL('https://example.com/stockroute_bg.wasm'),
    new Response(new Uint8Array(0)),
    new Uint8Array(0),
  ];
  console.log(sources.length);
  const options: RouterOptions = { name: 'r.rhai', limits: { maxOperations: 50_000, maxCallLevels: 16 } };
  const router = new Router('fn rank(o, w) { w.priority }', options);
  router.setInventory(inventory);
  router.setInventory(JSON.stringify(inventory));

  const plan: Plan = router.route(order);
  const shipments: Shipment[] = plan.shipments;
  const qty: string = shipments[0]?.lines[0]?.qty ?? '0';
  const noInvoice: boolean = !shipments.some((s) => s.kind === 'consignment' && s.documents.includes('invoice'));
  if (plan.hold) console.log(plan.hold.reason, plan.hold.lines.length);
  // `Plan` is discriminated by `status`: a held plan always has its hold.
  if (plan.status === 'held') {
    const reason: string = plan.hold.reason;
    console.log(reason);
  } else {
    const none: undefined = plan.hold;
    console.log(none);
  }
  console.log(plan.status, qty, noInvoice, plan.backorders, plan.trace.map((t) => t.message));

  // Consignment: one message per shipment, and the settlement of a period.
  const messages: ForwardMessage[] = router.forward(plan, order, { date: '2026-12-01' });
  const settlement: Settlement = settle(inventory, '', '2026-11');
  console.log(messages.map((m) => m.file_name), settlement.locations.length);

  router.route(JSON.stringify(order), inventory);
  const results: BatchResult[] = router.routeBatch([order, '{"id": "x"}'], null);
  for (const r of results) {
    if (r.ok) {
      const p: Plan = r.plan;
      console.log(r.order, p.status);
    } else {
      const code: ErrorCode = r.error.code;
      console.log(r.order ?? '(unknown)', code, r.error.message, r.error.diagnostics.length);
    }
  }

  const av: Availability = router.available(undefined, 'web');
  for (const item of av.items) console.log(item.channel, item.sku, item.offered, item.warehouses.map((w) => w.included));
  const hooks: string[] = router.hooks();
  const warnings: string[] = router.warnings.map((d) => d.message);
  const modes = router.hookModes().map((m) => (m.mode === 'interpreted' ? `${m.hook}: ${m.reason}` : m.hook));
  console.log(warnings, modes);
  console.log(hooks);
  router.free();

  try {
    new Router('fn rank(o) { 1 }');
  } catch (e) {
    if (e instanceof StockrouteError) {
      const d: Diagnostic[] = e.diagnostics;
      const where: string = `${e.rule ?? '?'}:${e.line ?? 0}:${e.columnUtf16 ?? 0}`;
      console.log(e.code, e.message, e.help, e.hook, e.path, e.order, e.orderLine, e.warehouse, where, d.length);
    }
  }

  const report: CheckReport = check('fn split(o) { #{} }', 'r.rhai');
  console.log(report.ok, report.hooks, report.functions.map((f) => `${f.name}/${f.params}`));
  console.log(version(), apiMetadata().hooks.map((h) => h.detail));

  const outcome: CaseOutcome = runCase('{}', '', { 'inv.json': '{}' }, 'r.rhai');
  console.log(outcome.passed, outcome.failures.join('\n'), outcome.actual);
}

// The declarations reject what the engine rejects.
const badOrder: Order = {
  id: 'o2',
  channel: 'web',
  ship_to: { country: 'DE' },
  // @ts-expect-error a quantity is a number or a numeric string
  lines: [{ id: '1', sku: 'A', qty: true }],
};
// @ts-expect-error warehouses are `own` or `consignment`
const badKind: Inventory = { warehouses: [{ id: 'W', kind: 'shop' }] };
// @ts-expect-error output quantities are strings, never numbers
const badQty: number = ({} as Plan).shipments[0]!.lines[0]!.qty;
// @ts-expect-error only held plans have a `hold`
const badHold: Plan = { order: 'o', status: 'single', shipments: [], backorders: [], trace: [], hold: { reason: 'x', lines: [] } };
// @ts-expect-error a held plan must say why
const noHold: Plan = { order: 'o', status: 'held', shipments: [], backorders: [], trace: [] };
// @ts-expect-error error codes are a closed set
const badCode: ErrorCode = 'data.bad';
console.log(badOrder, badKind, badQty, badHold, noHold, badCode);

// Error fields are the generated diagnostic fields, on the thrown error and in batch entries.
function describe(e: StockrouteError, d: ErrorDetails, diag: Diagnostic): string {
  const hook: HookName | undefined = e.hook;
  const line: number | undefined = d.line;
  return `${e.code} ${hook ?? ''} ${line ?? ''} ${diag.severity} ${e.toJSON().diagnostics.length}`;
}
console.log(describe);

// compare and warmup (js branch block of index.d.ts).
function replay(router: Router, orders: Order[]): void {
  const report: CompareReport = compare('fn rank(o, w) { w.priority }', router, orders, inventory);
  for (const c of report.changed) {
    const from = c.current.status === 'error' ? c.current.error.code : c.current.shipments.map((s) => s.warehouse);
    console.log(c.index, c.order, from, c.changes.map((x) => x.text));
  }
  console.log(report.statuses.held.change, report.warehouses[0]?.draft.units.length, report.unchanged);
  compare({ rules: '', options: { trace: false } }, '', ['{}']);
  const batch: BatchResult[] = router.routeBatch(orders, null, { consume: false });
  console.log(batch.length, warmup({ calls: 10 }).ms, warmup().calls);
}

void main();
void replay;

// Replenishment proposals and manual routing checked (docs/replenishment.md).
function consignment(router: Router, order: Order): void {
  const r: Replenishment = router.replenishment({ as_of: '2026-11-30', events: '', window_days: 28 });
  for (const p of r.proposals) {
    const why: string[] = p.why;
    const cover: string | undefined = p.days_of_cover;
    console.log(p.warehouse, p.retailer ?? '', p.sku, p.propose, p.limit, cover, p.rule, why.length);
  }
  console.log(r.own[0]?.spare, r.skipped.map((s) => s.reason), r.source, r.window.days);
  router.syncWarehouse('CON', [{ sku: 'A', on_hand: 3 }], { date: '2026-11-30' });
  const v: Validation = router.validate(order, { shipments: [{ warehouse: 'W', lines: [{ line: '1', qty: 1 }] }], hold: 'later' }, { as_of: '2026-11-30' });
  if (v.valid) console.log(v.plan?.status);
  else console.log(v.violations.map((d) => `${d.orderLine ?? ''} ${d.warehouse ?? ''} ${d.message}`));
  // @ts-expect-error a proposal's quantities are decimal strings
  const n: number = r.proposals[0]!.propose;
  // @ts-expect-error the window is a number of days
  router.replenishment({ window_days: '28' });
  // @ts-expect-error documents are a closed set
  router.validate(order, { shipments: [{ warehouse: 'W', documents: ['receipt'], lines: [] }] });
  console.log(n);
}
void consignment;
