// Type declarations for the `stockroute` package, written by hand to mirror src/model.rs,
// src/error.rs, src/rules/mod.rs and src/rules/api.rs (checked by tests/ts/consumer.ts).
//
// Quantities and money are decimals: inputs accept a JSON number or a numeric string,
// outputs are always strings ("2.5") so no float ever touches them.

/** A decimal quantity as accepted in inputs: `2`, `2.5` or `"2.5"`. */
export type DecimalInput = number | string;
/** A decimal quantity as returned in outputs, e.g. `"2.5"`. */
export type Decimal = string;

/** Free-form JSON attributes on orders and products. */
export type Attributes = Record<string, unknown>;

// ---- inventory ------------------------------------------------------------------------

export type WarehouseKind = 'own' | 'consignment';

export interface Location<Q = DecimalInput> {
  /** Latitude, -90..=90. */
  lat: Q;
  /** Longitude, -180..=180. */
  lon: Q;
}

/** How a shipment reaches the people who pack it. */
export type Forward =
  | { method: 'wms' }
  | { method: 'email'; to: string }
  | { method: 'api'; endpoint: string };

export interface ConsignmentTerms {
  /** Last day of the consignment period (ISO date). */
  period_end?: string;
  /** Settlement cadence, free text. */
  settlement?: string;
  /** Ship with a pro-forma invoice instead of a packing slip. */
  pro_forma?: boolean;
  /** Per SKU, what the retailer pays for a unit it sells (the settlement's invoice price). */
  prices?: Record<string, DecimalInput>;
  /** Currency of `prices`; defaults to the supplier's. */
  currency?: string;
  /** `reported` (default) or `from_syncs`: units missing at a stock count are sales. */
  sales?: SalesSource;
}

export type SalesSource = 'reported' | 'from_syncs';

/** The supplier: sender of forwarding emails, issuer of packing slips and pro formas. */
export interface Supplier {
  name: string;
  /** Address lines, printed as given. */
  address?: string[];
  country?: string;
  vat_id?: string;
  /** Sender of forwarding emails; required to forward by email. */
  email?: string;
  /** `Reply-To`; defaults to `email`. */
  reply_to?: string;
  phone?: string;
  /** Currency of customs values and consignment prices. */
  currency?: string;
}

export type Document = 'invoice' | 'packing_slip' | 'pro_forma' | 'shipping_label';

export interface Warehouse {
  id: string;
  name?: string;
  kind: WarehouseKind;
  /** For consignment: the retailer holding the stock. */
  owner?: string;
  terms?: ConsignmentTerms;
  country?: string;
  postcode?: string;
  location?: Location;
  /** Lower is preferred. */
  priority?: number;
  /** Default true; a disabled warehouse offers and ships nothing. */
  enabled?: boolean;
  tags?: string[];
  /** Defaults to `wms` for own warehouses; required for consignment. */
  forward?: Forward;
  /** Documents for own shipments (consignment never ships an invoice). */
  documents?: Document[];
  /** Address lines of the location, printed on documents. */
  address?: string[];
}

export type StockStatus = 'in_stock' | 'out_of_stock';

export interface StockRow {
  warehouse: string;
  sku: string;
  on_hand: DecimalInput;
  reserved?: DecimalInput;
  safety?: DecimalInput;
  status?: StockStatus;
}

export interface Channel {
  id: string;
  include_consignment?: boolean;
  safety?: DecimalInput;
  tags?: string[];
}

export interface Product {
  sku: string;
  tags?: string[];
  attributes?: Attributes;
  /** Printed on packing slips and pro formas. */
  description?: string;
  /** Customs tariff code (pro forma). */
  hs_code?: string;
  /** ISO country of origin (pro forma). */
  origin_country?: string;
  /** Customs value per unit in the supplier's currency (pro forma). */
  unit_value?: DecimalInput;
}

export interface Reservation {
  channel: string;
  sku: string;
  qty: DecimalInput;
}

/** Everything the engine knows about stock. */
export interface Inventory {
  warehouses: Warehouse[];
  stock?: StockRow[];
  channels?: Channel[];
  products?: Product[];
  reservations?: Reservation[];
  /** Required to forward by email (the sender). */
  supplier?: Supplier;
}

// ---- orders ---------------------------------------------------------------------------

export type CustomerType = 'b2c' | 'b2b';

export interface Customer {
  id?: string;
  type?: CustomerType;
  tags?: string[];
  name?: string;
  email?: string;
}

export interface Address {
  country: string;
  postcode?: string;
  location?: Location;
  /** Recipient name, printed on documents. */
  name?: string;
  /** Street address lines. */
  street?: string[];
  city?: string;
}

export interface OrderLine {
  /** Unique within the order. */
  id: string;
  sku: string;
  /** > 0; fractional for goods sold by weight or length. */
  qty: DecimalInput;
  unit_price?: DecimalInput;
  tags?: string[];
}

export interface Order {
  id: string;
  channel: string;
  currency?: string;
  customer?: Customer;
  ship_to: Address;
  lines: OrderLine[];
  attributes?: Attributes;
}

// ---- plans ----------------------------------------------------------------------------

export type PlanStatus = 'single' | 'split' | 'partial' | 'backordered' | 'held';

export interface PlanLine {
  /** Order line id. */
  line: string;
  sku: string;
  qty: Decimal;
}

export interface Shipment {
  warehouse: string;
  kind: WarehouseKind;
  owner?: string;
  lines: PlanLine[];
  forward: Forward;
  /** Derived by the engine: a consignment shipment never carries an invoice. */
  documents: Document[];
}

export interface Hold {
  reason: string;
  /** Every line of the order, in full. */
  lines: PlanLine[];
}

export interface TraceEntry {
  /** `eligible`, `rank`, `split`, `allocate`, `note`, `hold`, ... */
  step: string;
  warehouse?: string;
  line?: string;
  message: string;
}

/** The routing decision for one order. */
export interface Plan {
  order: string;
  status: PlanStatus;
  /** Best-ranked warehouse first. */
  shipments: Shipment[];
  backorders: PlanLine[];
  hold?: Hold;
  trace: TraceEntry[];
}

// ---- availability ---------------------------------------------------------------------

export interface WarehouseContribution {
  warehouse: string;
  kind: WarehouseKind;
  on_hand: Decimal;
  reserved: Decimal;
  safety: Decimal;
  available: Decimal;
  included: boolean;
  reason?: string;
  offered: Decimal;
  rule_adjustment: Decimal;
}

export interface SkuAvailability {
  channel: string;
  sku: string;
  /** The quantity to offer: never negative. */
  offered: Decimal;
  warehouses_total: Decimal;
  channel_safety: Decimal;
  reserved: Decimal;
  rule_adjustment: Decimal;
  warehouses: WarehouseContribution[];
}

/** Offered quantities per channel and SKU. */
export interface Availability {
  items: SkuAvailability[];
  trace?: TraceEntry[];
}

// ---- errors and diagnostics -----------------------------------------------------------

/** Stable error codes; match on these, never on message text. */
export type ErrorCode =
  | 'rule.syntax'
  | 'rule.signature'
  | 'rule.runtime'
  | 'rule.limit'
  | 'rule.return'
  | 'data.invalid'
  | 'plan.invalid'
  | 'availability.invalid'
  | 'options.invalid'
  /** A WebAssembly trap (an engine bug); the router rebuilt itself and stays usable. */
  | 'internal';

export type Severity = 'error' | 'warning';

/** One structured problem. Script positions are 1-based. */
export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  /** Lowercase, user input in backticks. */
  message: string;
  help?: string;
  /** Name of the rule set (usually its file name). */
  rule?: string;
  /** The hook being evaluated. */
  hook?: HookName;
  line?: number;
  /** Column in Unicode scalar values. */
  column?: number;
  /** Column in UTF-16 code units (what browser editors use). */
  columnUtf16?: number;
  /** Path of the offending input field, e.g. `lines[2].qty`. */
  path?: string;
  order?: string;
  orderLine?: string;
  warehouse?: string;
}

/** The plain error object inside a failed `routeBatch` entry. */
export interface ErrorDetails {
  code: ErrorCode;
  message: string;
  help?: string;
  rule?: string;
  hook?: HookName;
  line?: number;
  column?: number;
  columnUtf16?: number;
  path?: string;
  order?: string;
  orderLine?: string;
  warehouse?: string;
  /** Every diagnostic, primary first. */
  diagnostics: Diagnostic[];
}

/** Thrown by every failing call. `message` is the plain human message (never JSON). */
export class StockrouteError extends Error {
  constructor(details: Partial<ErrorDetails> & { message: string });
  readonly name: 'StockrouteError';
  code: ErrorCode;
  help?: string;
  rule?: string;
  hook?: HookName;
  line?: number;
  column?: number;
  columnUtf16?: number;
  path?: string;
  order?: string;
  orderLine?: string;
  warehouse?: string;
  /** Every diagnostic, primary first. */
  diagnostics: Diagnostic[];
}

// ---- rules ----------------------------------------------------------------------------

export type HookName = 'eligible' | 'rank' | 'split' | 'offer' | 'adjust' | 'route';

/** Sandbox limits; each hook call starts counting operations from zero. */
export interface Limits {
  maxOperations?: number;
  maxCallLevels?: number;
  maxExprDepth?: number;
  maxFunctionExprDepth?: number;
  maxStringSize?: number;
  maxArraySize?: number;
  maxMapSize?: number;
  maxVariables?: number;
}

export interface RouterOptions {
  /** Name of the rule set, attached to diagnostics (usually its file name). */
  name?: string;
  limits?: Limits;
  /** Whether plans and availability carry their `trace` (default true). Turn it off when
   * routing at volume: the trace is most of what crosses the boundary. */
  trace?: boolean;
}

export interface FunctionInfo {
  name: string;
  params: number;
}

/** What `check` reports. */
export interface CheckReport {
  /** True when there is no error-severity diagnostic. */
  ok: boolean;
  diagnostics: Diagnostic[];
  hooks: HookName[];
  /** Non-hook functions, with their parameter counts. */
  functions: FunctionInfo[];
}

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
export interface CaseOutcome {
  name: string;
  description: string;
  passed: boolean;
  /** Why it failed, one message per mismatch. */
  failures: string[];
  /** What the engine produced (plan, availability or error). */
  actual: unknown;
}

// ---- consignment (docs/consignment.md) ---------------------------------------------------

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

export type BatchResult =
  | { ok: true; order: string; plan: Plan }
  | { ok: false; order: string | null; error: ErrorDetails };

/** A compiled rule set. Compile once, route many orders. */
export class Router {
  /** Compiles `rules` (Rhai source); throws StockrouteError listing every diagnostic. */
  constructor(rules: string, options?: RouterOptions);
  /** Loads an inventory once for all later calls that omit it (object or JSON string). */
  setInventory(inventory: Inventory | string): void;
  /** Routes one order; uses the loaded inventory when `inventory` is omitted. */
  route(order: Order | string, inventory?: Inventory | string | null): Plan;
  /** One entry per order, in input order; a bad order fails only its own entry. */
  routeBatch(orders: Array<Order | string>, inventory?: Inventory | string | null): BatchResult[];
  /** Offered quantities per channel (or only `channel`) and SKU. */
  available(inventory?: Inventory | string | null, channel?: string | null): Availability;
  /** One message per shipment of `plan` (the loaded inventory unless `inventory` is given). */
  forward(
    plan: Plan,
    order: Order | string,
    options?: ForwardOptions | null,
    inventory?: Inventory | string | null,
  ): ForwardMessage[];
  /** The hooks the rule set defines. */
  hooks(): HookName[];
  /** Releases the WebAssembly memory now instead of at garbage collection. */
  free(): void;
}

/** Diagnostics of a rule set without running it; never throws for bad rules. */
export function check(rules: string, name?: string): CheckReport;
/** Settles every consignment location for `period` (`2026-11` or `2026-11-01..2026-11-15`). */
export function settle(
  inventory: Inventory | string,
  events: string | ConsignmentEvent[],
  period: string,
): Settlement;
/** The engine version. */
export function version(): string;
/** The rule API description for editors. */
export function apiMetadata(): ApiMetadata;
/**
 * Runs one rule test case. `files` maps each path written in the case (e.g.
 * `"../../../examples/inventory.json"`) to that file's text.
 */
export function runCase(
  caseJson: string,
  rules: string,
  files?: Record<string, string>,
  name?: string,
): CaseOutcome;

/**
 * Browser entry: loads the WebAssembly module; await it once before any other call.
 * By default fetches `stockroute_bg.wasm` next to `web/index.js`. In Node this is a no-op.
 */
export default function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

// ==== js branch (issues 9 and 12): compare, warmup, batch options ====================
// Hand-written; keep this block together when the file is split into generated and
// hand-written parts.

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
 * sides are Routers with an inventory loaded. Throws StockrouteError when either rule set
 * does not compile.
 */
export function compare(
  draft: CompareSide,
  current: CompareSide,
  orders: Array<Order | string>,
  inventory?: Inventory | string | null,
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
export function warmup(options?: { calls?: number }): WarmupResult;
// ==== end of the js branch block =======================================================
