// Type declarations for the `stockroute` package: the API surface (Router, functions,
// errors). Every data type (inventory, order, plan, availability, diagnostics, options) is
// generated from the Rust model into `types.d.ts` (src/typescript.rs) and re-exported here.
//
// scripts/build-pkg.sh installs this one file as `index.d.mts` (ESM: `import`) and
// `index.d.cts` (CommonJS: `require`), and as `index.d.ts` for older resolvers; the
// package's `exports` pick the right one, so `tsc` resolves the same API under NodeNext,
// Node16 and Bundler (checked by tests/ts/run.sh).

import type {
  Availability,
  CaseOutcome,
  CheckReport,
  Diagnostic,
  HookModeInfo,
  Decimal,
  DecimalInput,
  Document,
  ErrorCode,
  ErrorDetails,
  Forward,
  HookName,
  Inventory,
  Order,
  Plan,
  PlanLine,
  PlanStatus,
  RouterOptions,
  SalesSource,
  WarehouseKind,
  RouteOptions,
  BatchOptions,
  StockUpdate,
  StockChange,
  ManualPlan,
  ValidateOptions,
  Validation,
  ReplenishOptions,
  Replenishment,
} from './types.js';

/** Third argument of `syncWarehouse`. */
export interface SyncOptions {
  /** Day of the count (`YYYY-MM-DD`); default today (UTC). */
  date?: string;
}

/** The argument of `replenishment`: the engine's options plus the event log. */
export interface ReplenishmentCallOptions extends ReplenishOptions {
  /** The consignment event log: JSONL text or an array of events. Without it, the sales
   * come from the stock counts recorded by `syncWarehouse`. */
  events?: string | ConsignmentEvent[];
}

/** Third argument of `available`. */
export interface AvailableOptions {
  /** Compute only these SKUs. */
  skus?: string[];
}

export type * from './types.js';

// ---- errors ---------------------------------------------------------------------------

/** The fields of a `StockrouteError`: those of `ErrorDetails`, generated from Rust. */
export interface StockrouteError extends Omit<ErrorDetails, 'message'> {}

/**
 * Thrown by every failing call. It carries every field of the primary diagnostic (`code`,
 * `help`, `rule`, `hook`, `line`, `column`, `columnUtf16`, `path`, `order`, `orderLine`,
 * `warehouse`, ...) and `diagnostics`; `message` is the plain human message (never JSON).
 */
export declare class StockrouteError extends Error {
  constructor(details: Partial<ErrorDetails> & { message: string });
  readonly name: 'StockrouteError';
  /** The plain error object (what a failed `routeBatch` entry holds). */
  toJSON(): ErrorDetails;
}

// ---- rules API for editors ----------------------------------------------------------------

export interface ApiItem {
  name: string;
  /** Signature or type, e.g. `fn rank(order, warehouse)`. */
  detail: string;
  doc: string;
}

export interface ApiObject {
  name: string;
  fields: ApiItem[];
}

/** The rule API for editors (autocomplete, hover docs). */
export interface ApiMetadata {
  hooks: ApiItem[];
  helpers: ApiItem[];
  objects: ApiObject[];
  splitPolicy: ApiItem[];
  routePlan: ApiItem[];
}

/** The result of one data-driven rule test case. */
// ---- consignment (docs/consignment.md) ---------------------------------------------------
// Written by hand for now: these mirror src/consignment/ (forwarding messages, settlement);
// deriving ts-rs's `TS` there, as src/model.rs does, would generate them into types.d.ts.

export interface ForwardOptions {
  /** `YYYY-MM-DD` or an RFC 3339 date-time; defaults to today (UTC). */
  date?: string;
}

/** One rendered document file. */
export interface RenderedDocument {
  document: Document;
  format: 'html' | 'pdf';
  file_name: string;
  content_type: string;
  /** `utf8`: `content` is the text; `base64`: the bytes (PDF). */
  encoding: 'utf8' | 'base64';
  content: string;
}

/** A consignment event: one line of the settlement log. */
export interface ConsignmentEvent<Q = DecimalInput> {
  type: 'delivery' | 'shipment' | 'sale' | 'return' | 'sync';
  /** `YYYY-MM-DD`. */
  date: string;
  /** A consignment location. */
  warehouse: string;
  /** For `sync`, `qty` is the counted stock. */
  lines: Array<{ sku: string; qty: Q }>;
  reference?: string;
}

/** The message for one shipment, to send as it is. */
export interface ForwardMessage {
  order: string;
  /** 1-based. */
  shipment: number;
  shipments: number;
  warehouse: string;
  kind: WarehouseKind;
  forward: Forward;
  /** `Message-ID` (email) or idempotency key (api, wms); stable across retries. */
  id: string;
  /** `<order>-<n>-<warehouse>.eml` or `.json`. */
  file_name: string;
  content_type: 'message/rfc822' | 'application/json';
  /** The `.eml` text or the JSON request body (schema `stockroute.forward/1`). */
  body: string;
  documents: RenderedDocument[];
  /** Documents made elsewhere: shipping label; invoice for own shipments only. */
  not_rendered: Document[];
  /** Consignment shipments: the event to append to the settlement log. */
  event?: ConsignmentEvent<Decimal>;
}

export interface SkuSettlement {
  sku: string;
  opening: Decimal;
  sent: Decimal;
  sold: Decimal;
  forwarded: Decimal;
  returned: Decimal;
  on_hand: Decimal;
  /** > 0 missing, < 0 surplus; opening + sent = sold + forwarded + returned + on_hand + discrepancy. */
  discrepancy: Decimal;
  /** Date of the last stock count; absent when never counted. */
  counted?: string;
  price?: Decimal;
  sent_value?: Decimal;
  sold_value?: Decimal;
}

export interface LocationSettlement {
  warehouse: string;
  retailer?: string;
  currency?: string;
  period_end?: string;
  period_ended: boolean;
  sales: SalesSource;
  skus: SkuSettlement[];
  /** Sold goods only, at the price in the terms. */
  invoice: Array<{ sku: string; description: string; qty: Decimal; unit_price?: Decimal; amount?: Decimal }>;
  invoice_total: Decimal;
  /** Everything on hand at the period end. */
  returns: Array<{ sku: string; description: string; qty: Decimal; due_by?: string; due: boolean }>;
  discrepancies: Array<{ sku: string; date: string; expected: Decimal; counted?: Decimal; units: Decimal; message: string }>;
  issues: string[];
}

export interface Settlement {
  period: { from: string; to: string };
  locations: LocationSettlement[];
}

// ---- routing ----------------------------------------------------------------------------

export type BatchResult =
  | { ok: true; order: string; plan: Plan }
  | { ok: false; order: string | null; error: ErrorDetails };

/** A compiled rule set. Compile once, route many orders. */
export declare class Router {
  /** Compiles `rules` (Rhai source); throws StockrouteError listing every diagnostic. */
  constructor(rules: string, options?: RouterOptions);
  /** Loads an inventory once for all later calls that omit it (object or JSON string). */
  setInventory(inventory: Inventory | string): void;
  /** Routes one order; uses the loaded inventory when `inventory` is omitted. `options`
   * re-routes after a rejection (`{ exclude, reason }`). */
  route(order: Order | string, inventory?: Inventory | string | null, options?: RouteOptions | null): Plan;
  /** One entry per order, in input order; a bad order fails only its own entry. Orders consume
   * stock unless `options.consume` is false; the loaded inventory is unchanged afterwards. */
  routeBatch(
    orders: Array<Order | string>,
    inventory?: Inventory | string | null,
    options?: BatchOptions | null,
  ): BatchResult[];
  /** Offered quantities per channel (or only `channel`) and SKU; `options.skus` limits it. */
  available(
    inventory?: Inventory | string | null,
    channel?: string | null,
    options?: AvailableOptions | null,
  ): Availability;
  /** Applies stock rows to the loaded inventory (all or none); returns what changed. */
  applyStock(rows: StockUpdate[] | string): StockChange[];
  /** Replaces one location's stock with what its system reports; returns what changed.
   * `options.date` (default today, UTC) is the day of the count: units a consignment
   * location lost since the last count are its sales for `replenishment`. */
  syncWarehouse(warehouseId: string, rows: StockUpdate[] | string, options?: SyncOptions | null): StockChange[];
  /** Replenishment proposals per consignment location and SKU (docs/replenishment.md);
   * sales from `options.events`, else from the counts recorded by `syncWarehouse`. */
  replenishment(options?: ReplenishmentCallOptions | null, inventory?: Inventory | string | null): Replenishment;
  /** Checks a plan a person made: the completed plan, or every violation. */
  validate(
    order: Order | string,
    plan: ManualPlan | Plan | string,
    options?: ValidateOptions | null,
    inventory?: Inventory | string | null,
  ): Validation;
  /** Reserves what a plan ships in the loaded inventory. */
  commit(plan: Plan | string): StockChange[];
  /** Undoes `commit`. */
  release(plan: Plan | string): StockChange[];
  /** The loaded inventory as it stands. */
  inventory(): Inventory;
  /** One message per shipment of `plan` (the loaded inventory unless `inventory` is given). */
  forward(
    plan: Plan,
    order: Order | string,
    options?: ForwardOptions | null,
    inventory?: Inventory | string | null,
  ): ForwardMessage[];
  /** The hooks the rule set defines. */
  hooks(): HookName[];
  /** Warnings `check` reports for these rules (misspelt hook names, distances without a location guard): they compiled, but look like mistakes. */
  readonly warnings: Diagnostic[];
  /** How each defined hook runs: compiled, or interpreted and why. */
  hookModes(): HookModeInfo[];
  /** Releases the WebAssembly memory now instead of at garbage collection. */
  free(): void;
}

/** Diagnostics of a rule set without running it; never throws for bad rules. */
export declare function check(rules: string, name?: string): CheckReport;
/** Settles every consignment location for `period` (`2026-11` or `2026-11-01..2026-11-15`). */
export declare function settle(
  inventory: Inventory | string,
  events: string | ConsignmentEvent[],
  period: string,
): Settlement;
/** The engine version. */
export declare function version(): string;
/** The rule API description for editors. */
export declare function apiMetadata(): ApiMetadata;
/**
 * Runs one rule test case. `files` maps each path written in the case (e.g.
 * `"../../../examples/inventory.json"`) to that file's text.
 */
export declare function runCase(
  caseJson: string,
  rules: string,
  files?: Record<string, string>,
  name?: string,
): CaseOutcome;

/**
 * Loads the WebAssembly module; await it once before any other call (browsers). In Node
 * the module is loaded on import and this resolves at once. By default the browser entry
 * fetches `stockroute_bg.wasm` from the package; pass a URL, a Response, bytes or a
 * compiled `WebAssembly.Module` to load it from elsewhere.
 */
declare function init(input?: InitInput): Promise<void>;

// The browser types below resolve to `never` where the consumer's `lib` lacks them (a Node
// project without `DOM`), so these declarations type-check with any `lib`.
type GlobalInstance<K extends string> = typeof globalThis extends Record<K, { prototype: infer T }>
  ? T
  : never;
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } }
  ? M
  : never;

/** What `init` can load the WebAssembly module from. */
export type InitInput =
  | string
  | GlobalInstance<'URL'>
  | GlobalInstance<'Request'>
  | GlobalInstance<'Response'>
  | ArrayBuffer
  | ArrayBufferView
  | WasmModule;
export default init;

// ==== js branch (issues 9 and 12): compare, warmup, batch options ====================
// Hand-written; keep this block together.

/**
 * Options of `routeBatch`, passed to the engine as given (issue 10 adds `consume`).
 * Unknown keys are the engine's to reject.
 */
export interface RouteBatchOptions {
  /** Whether the batch consumes stock as it routes (engine support: issue 10). */
  consume?: boolean;
}

export interface Router {
  /** One entry per order, in input order; `options` is passed through to the engine. */
  routeBatch(orders: Array<Order | string>, inventory: Inventory | string | null | undefined, options: RouteBatchOptions): BatchResult[];
}

/** One side of a `compare`: a Router (used as it is), Rhai source, or source with options. */
export type CompareSide = Router | string | { rules: string; options?: RouterOptions };

/** What `compare` looks at for one order: the decision, without its trace. */
export type CompareOutcome =
  | {
      status: PlanStatus;
      shipments: Array<{ warehouse: string; lines: PlanLine[] }>;
      backorders: PlanLine[];
      hold?: { reason: string };
    }
  | { status: 'error'; error: { code: ErrorCode; message: string } };

/** One difference of a changed order, current → draft, with a readable `text`. */
export interface CompareChange {
  what: 'status' | 'error' | 'shipment' | 'backorders' | 'hold';
  current: unknown;
  draft: unknown;
  /** e.g. `DE-BER: TENT-4P × 3 → (none)` */
  text: string;
}

export interface WarehouseLoad {
  shipments: number;
  /** Exact decimal sum of the quantities shipped. */
  units: Decimal;
}

export interface CompareReport {
  orders: number;
  /** Orders per plan status (and `error`) under each rule set, and draft − current. */
  statuses: Record<PlanStatus | 'error', { current: number; draft: number; change: number }>;
  /** Every warehouse that ships anything under either rule set, sorted by id. */
  warehouses: Array<{ warehouse: string; current: WarehouseLoad; draft: WarehouseLoad }>;
  /** The orders whose outcome differs, in input order. */
  changed: Array<{
    /** Position in `orders`. */
    index: number;
    order: string | null;
    current: CompareOutcome;
    draft: CompareOutcome;
    changes: CompareChange[];
  }>;
  unchanged: number;
}

/**
 * Routes `orders` with a draft and the current rule set and reports what changes. Routers
 * built from source are freed before it returns; `inventory` may be omitted when both
 * sides are Routers with an inventory loaded; `options.as_of` is the routing day of both
 * sides. Throws StockrouteError when either rule set does not compile.
 */
export declare function compare(
  draft: CompareSide,
  current: CompareSide,
  orders: Array<Order | string>,
  inventory?: Inventory | string | null,
  /** The routing day of both sides (`YYYY-MM-DD`, default today). */
  options?: { as_of?: string },
): CompareReport;

export interface WarmupResult {
  calls: number;
  /** How long the warm-up took. */
  ms: number;
}

/**
 * Routes `calls` synthetic orders (default 1,000) so V8 compiles the engine with its
 * optimising tier before latency matters (see docs/js-api.md, "Warm-up").
 */
export declare function warmup(options?: { calls?: number }): WarmupResult;
// ==== end of the js branch block =======================================================
