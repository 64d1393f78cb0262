// A CommonJS consumer of the package (`require`), type-checked by tests/ts/run.sh under
// moduleResolution NodeNext, Node16 and Bundler. It resolves the package's `require`
// declarations (index.d.cts). It is never run.
import stockroute = require('stockroute');

const { Router, StockrouteError, check, version } = stockroute;

// Checked without the DOM library too (tsconfig.node-no-dom.json), where `console` comes
// from @types/node in a real project.
declare const console: { log(...values: unknown[]): void };

const inventory: stockroute.Inventory = {
  warehouses: [{ id: 'OWN', kind: 'own' }],
  stock: [{ warehouse: 'OWN', sku: 'A', on_hand: '2.5' }],
  channels: [{ id: 'web' }],
};
const order: stockroute.Order = {
  id: 'o1',
  channel: 'web',
  ship_to: { country: 'DE' },
  lines: [{ id: '1', sku: 'A', qty: 1 }],
};

async function main(): Promise<void> {
  // The CommonJS entry exports `init` as `default` too, so shared code can await it.
  await stockroute.default();
  const router = new Router('', { trace: false });
  router.setInventory(inventory);
  const plan: stockroute.Plan = router.route(order);
  const qty: stockroute.Decimal = plan.shipments[0]?.lines[0]?.qty ?? '0';
  const status: stockroute.PlanStatus = plan.status;
  console.log(qty, status, version(), check('fn rank(o, w) { 1 }').ok);
  try {
    router.route('{"id": "x"}');
  } catch (e) {
    if (e instanceof StockrouteError) {
      const code: stockroute.ErrorCode = e.code;
      console.log(code, e.order, e.path, e.diagnostics.map((d) => d.message));
    }
  }
}

// @ts-expect-error a quantity is a number or a numeric string
const bad: stockroute.OrderLine = { id: '1', sku: 'A', qty: false };
console.log(bad);

void main();
