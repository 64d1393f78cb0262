// GENERATED from the Rust model by src/typescript.rs: do not edit.
// Regenerate with `STOCKROUTE_UPDATE_TYPES=1 cargo test --lib typescript`;
// `cargo test` fails while this file differs from the model.

// ---- decimals ---------------------------------------------------------------

/** A decimal quantity as accepted in inputs: a JSON number or a numeric string (`2`, `2.5`, `"2.5"`).
 * Read exactly: more than 28 decimal places, `NaN`, `"1_0"` or `""` are errors, never rounded. */
export type DecimalInput = number | string;

/** A decimal quantity as returned in outputs: always a string, e.g. `"2.5"`. */
export type Decimal = string;

/** Free-form JSON attributes on orders and products. */
export type Attributes = Record<string, unknown>;

// ---- inventory (input) ------------------------------------------------------

/**
 * Who owns the stock in a warehouse.
 */
export type WarehouseKind = "own" | "consignment";

/**
 * A geographic position in decimal degrees.
 */
export type Location = {
  /**
   * Latitude, -90..=90.
   */
  lat: DecimalInput;
  /**
   * Longitude, -180..=180.
   */
  lon: DecimalInput;
};

/**
 * How a shipment reaches the people who pack it.
 */
export type Forward = { "method": "wms" } | { "method": "email", 
/**
 * Recipient address.
 */
to: string, } | { "method": "api", 
/**
 * Endpoint URL.
 */
endpoint: string, };

/**
 * How a settlement learns what a retailer sold.
 */
export type SalesSource = "reported" | "from_syncs";

/**
 * Replenishment terms of a consignment location: either unit levels (`min` and `max`) or
 * a cover in days of sales (`days_of_cover`), each with an optional delivery lead time.
 * The inventory check refuses a mix of both and bounds that make no sense (`min` above
 * `max`, a cover of 0 days).
 */
export type ReplenishTerms = {
  /**
   * Reorder point in units: a delivery is proposed once the stock there (on hand less
   * reserved) is at or below it.
   */
  min?: DecimalInput;
  /**
   * The level a delivery fills up to, in units.
   */
  max?: DecimalInput;
  /**
   * Days of sales a delivery should cover once it has arrived (instead of `min`/`max`).
   */
  days_of_cover?: DecimalInput;
  /**
   * Days from proposing a delivery to its arrival at the location (default 0).
   */
  lead_time_days?: number;
};

/**
 * Terms of a consignment agreement.
 */
export type ConsignmentTerms = {
  /**
   * Last day of the consignment period (ISO date); unsold stock goes back after it.
   */
  period_end?: string | null;
  /**
   * Settlement cadence, free text ("monthly", "on sale", ...).
   */
  settlement?: string | null;
  /**
   * Ship with a pro-forma invoice instead of a packing slip (customs, some retailers).
   */
  pro_forma?: boolean;
  /**
   * What the retailer pays per unit it sells, by SKU: the only prices a settlement
   * invoices (sold goods only).
   */
  prices?: { [key in string]: DecimalInput };
  /**
   * Currency of `prices`; defaults to the supplier's currency.
   */
  currency?: string | null;
  /**
   * Where sales come from in a settlement: `reported` (default: the retailer reports each
   * sale, and a stock count that comes up short is a discrepancy) or `from_syncs` (units
   * missing at a stock count are taken as sold).
   */
  sales?: SalesSource;
  /**
   * How the supplier keeps the location stocked: `{ min, max }` in units, or
   * `{ days_of_cover, lead_time_days }` (see `docs/replenishment.md`). Without it the
   * location gets no replenishment proposals.
   */
  replenish?: ReplenishTerms;
};

/**
 * The supplier: the company that owns the stock, in its own warehouses and on consignment.
 */
export type Supplier = {
  /**
   * Company name, as printed on documents and in the `From` header.
   */
  name: string;
  /**
   * Postal address lines (street, postcode and city, ...), printed as given.
   */
  address?: Array<string>;
  /**
   * ISO country code.
   */
  country?: string | null;
  /**
   * VAT identification number.
   */
  vat_id?: string | null;
  /**
   * Sender address of forwarding emails (`From`); required to forward by email.
   */
  email?: string | null;
  /**
   * Where retailers' replies go (`Reply-To`); defaults to `email`.
   */
  reply_to?: string | null;
  /**
   * Phone number printed on documents.
   */
  phone?: string | null;
  /**
   * Currency of customs values and consignment prices when the terms name none.
   */
  currency?: string | null;
};

/**
 * A shipping document.
 */
export type Document = "invoice" | "packing_slip" | "pro_forma" | "shipping_label";

/**
 * What a full location does.
 */
export type CapacityMode = "block" | "prefer";

/**
 * Shipments a location can handle in the current period (a retailer packing consignment
 * orders next to its own shop, a warehouse with a daily pick limit).
 */
export type Capacity = {
  /**
   * Shipments the location accepts in the period.
   */
  max_shipments: number;
  /**
   * Shipments already assigned in the period: set by the host, grows with `commit` and
   * with every shipment of a consuming batch.
   */
  used?: number;
  /**
   * What happens once `used` reaches `max_shipments`.
   */
  mode?: CapacityMode;
};

/**
 * An own warehouse or a consignment location.
 */
export type Warehouse = {
  /**
   * Unique id, referenced by stock rows and plans.
   */
  id: string;
  /**
   * Display name.
   */
  name?: string;
  /**
   * `own` or `consignment`.
   */
  kind: WarehouseKind;
  /**
   * For consignment: the retailer holding the stock.
   */
  owner?: string | null;
  /**
   * For consignment: the agreement's terms.
   */
  terms?: ConsignmentTerms | null;
  /**
   * ISO country code.
   */
  country?: string;
  /**
   * Postcode.
   */
  postcode?: string;
  /**
   * Position, used by the default rank and `distance_km`.
   */
  location?: Location | null;
  /**
   * Lower is preferred.
   */
  priority?: number;
  /**
   * A disabled warehouse offers and ships nothing.
   */
  enabled?: boolean;
  /**
   * Free tags rules can test.
   */
  tags?: Array<string>;
  /**
   * How shipments are handed over; defaults to `wms` for own, required for consignment.
   */
  forward?: Forward | null;
  /**
   * Documents for own shipments (default: invoice, packing slip, shipping label).
   * Consignment locations ignore this: see [`Shipment::documents`].
   */
  documents?: Array<Document> | null;
  /**
   * Postal address lines of the location (street, postcode and city, ...), printed on
   * documents as given.
   */
  address?: Array<string>;
  /**
   * How many shipments the location can still take this period.
   */
  capacity?: Capacity;
};

/**
 * Whether a stock row can be sold at all.
 */
export type StockStatus = "in_stock" | "out_of_stock";

/**
 * Stock of one SKU in one warehouse.
 */
export type StockRow = {
  /**
   * Warehouse id.
   */
  warehouse: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * Physically present.
   */
  on_hand: DecimalInput;
  /**
   * Already promised to routed orders.
   */
  reserved?: DecimalInput;
  /**
   * Buffer never offered or allocated.
   */
  safety?: DecimalInput;
  /**
   * `in_stock` (default) or `out_of_stock`.
   */
  status?: StockStatus;
  /**
   * May be sold beyond what is available: the units wait for stock at this location
   * (Solidus' backorderable stock item, Shopify's "continue selling when out of stock").
   */
  backorderable?: boolean;
  /**
   * With `backorderable`: how far below zero the row may be promised
   * (`on_hand − reserved − safety ≥ −backorder_limit`); absent means no limit.
   */
  backorder_limit?: DecimalInput;
};

/**
 * A sales channel.
 */
export type Channel = {
  /**
   * Unique id, referenced by orders and reservations.
   */
  id: string;
  /**
   * Whether consignment stock is offered on this channel.
   */
  include_consignment?: boolean;
  /**
   * Buffer subtracted from the channel's total per SKU.
   */
  safety?: DecimalInput;
  /**
   * Free tags rules can test.
   */
  tags?: Array<string>;
  /**
   * Whether units that backorderable rows (and untracked products) may sell beyond stock
   * count in this channel's offer (default true).
   */
  include_backorders?: boolean;
};

/**
 * Per-SKU data for rules.
 */
export type Product = {
  /**
   * SKU.
   */
  sku: string;
  /**
   * Free tags (`bulky`, `hazardous`, ...).
   */
  tags?: Array<string>;
  /**
   * Free attributes (`bundle`, `oos_threshold`, `backorders`, ...).
   */
  attributes?: Attributes;
  /**
   * Description printed on packing slips and pro formas.
   */
  description?: string | null;
  /**
   * Customs tariff (HS) code, printed on pro formas.
   */
  hs_code?: string | null;
  /**
   * ISO country of origin, printed on pro formas.
   */
  origin_country?: string | null;
  /**
   * Customs value per unit, in the supplier's currency; pro formas fall back to the order
   * line's unit price when it is absent.
   */
  unit_value?: DecimalInput | null;
  /**
   * `false`: stock is not counted for this SKU; it is unlimited wherever it has a stock
   * row (default true).
   */
  track_inventory?: boolean;
  /**
   * Unit of measure. `each` means whole units only; anything else (`m`, `kg`, or none)
   * allows decimal quantities.
   */
  unit?: string;
};

/**
 * Quantity sold on a channel but not yet routed.
 */
export type Reservation = {
  /**
   * Channel id.
   */
  channel: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * Quantity.
   */
  qty: DecimalInput;
};

/**
 * Everything the engine knows about stock: warehouses, stock rows, sales channels and
 * optional per-SKU product data and channel reservations.
 */
export type Inventory = {
  /**
   * Own warehouses and consignment locations.
   */
  warehouses: Array<Warehouse>;
  /**
   * One row per warehouse and SKU.
   */
  stock?: Array<StockRow>;
  /**
   * Sales channels (webshop, marketplaces, ...).
   */
  channels?: Array<Channel>;
  /**
   * Optional per-SKU data rules can read (bulky, hazardous, bundle group, thresholds, ...).
   */
  products?: Array<Product>;
  /**
   * Quantities sold on a channel but not yet routed.
   */
  reservations?: Array<Reservation>;
  /**
   * Who ships: the sender of forwarding messages and the issuer of packing slips and
   * pro formas. Optional for routing; required to forward by email.
   */
  supplier?: Supplier | null;
};

// ---- orders (input) ---------------------------------------------------------

/**
 * Consumer or business customer.
 */
export type CustomerType = "b2c" | "b2b";

/**
 * The buyer.
 */
export type Customer = {
  /**
   * Customer id, if known.
   */
  id?: string | null;
  /**
   * `b2c` or `b2b`.
   */
  type?: CustomerType;
  /**
   * Free tags (`vip`, ...).
   */
  tags?: Array<string>;
  /**
   * Name (person or company), for documents.
   */
  name?: string | null;
  /**
   * Email address, for documents.
   */
  email?: string | null;
};

/**
 * Where the order goes.
 */
export type Address = {
  /**
   * ISO country code.
   */
  country: string;
  /**
   * Postcode.
   */
  postcode?: string;
  /**
   * Position, for distance-based ranking.
   */
  location?: Location | null;
  /**
   * Recipient name, printed on documents.
   */
  name?: string | null;
  /**
   * Street address lines (street and number, building, ...), printed on documents as
   * given, above postcode and city.
   */
  street?: Array<string>;
  /**
   * City, printed after the postcode.
   */
  city?: string | null;
};

/**
 * One order line.
 */
export type OrderLine = {
  /**
   * Unique within the order.
   */
  id: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * Ordered quantity (> 0; fractional for goods sold by weight or length).
   */
  qty: DecimalInput;
  /**
   * Unit price in the order's currency.
   */
  unit_price?: DecimalInput;
  /**
   * Free tags.
   */
  tags?: Array<string>;
};

/**
 * An order to route.
 */
export type Order = {
  /**
   * Order id.
   */
  id: string;
  /**
   * Sales channel id.
   */
  channel: string;
  /**
   * ISO currency code.
   */
  currency?: string;
  /**
   * The buyer.
   */
  customer?: Customer;
  /**
   * Destination.
   */
  ship_to: Address;
  /**
   * Lines (at least one).
   */
  lines: Array<OrderLine>;
  /**
   * Free attributes rules can read.
   */
  attributes?: Attributes;
};

// ---- plans (output) ---------------------------------------------------------

/**
 * The outcome of routing one order.
 */
export type PlanStatus = "single" | "split" | "partial" | "backordered" | "held";

/**
 * A quantity of one order line.
 */
export type PlanLine = {
  /**
   * Order line id.
   */
  line: string;
  /**
   * SKU of that line.
   */
  sku: string;
  /**
   * Quantity.
   */
  qty: Decimal;
  /**
   * In a shipment: how much of `qty` waits for stock at that location (backorderable
   * stock sold beyond what is there). Absent when everything is in stock.
   */
  on_backorder?: Decimal;
};

/**
 * Goods leaving one warehouse.
 */
export type Shipment = {
  /**
   * Warehouse id.
   */
  warehouse: string;
  /**
   * Own or consignment.
   */
  kind: WarehouseKind;
  /**
   * Retailer holding consignment stock.
   */
  owner?: string;
  /**
   * What ships.
   */
  lines: Array<PlanLine>;
  /**
   * How the shipment is handed over.
   */
  forward: Forward;
  /**
   * Documents that go with it. Derived from the warehouse by the engine, never by a rule:
   * a consignment shipment never carries an invoice.
   */
  documents: Array<Document>;
};

/**
 * Why an order is held, and what is held.
 */
export type Hold = {
  /**
   * Reason given by the rule or the engine.
   */
  reason: string;
  /**
   * Every line of the order, in full: nothing of a held order ships or is backordered.
   */
  lines: Array<PlanLine>;
};

/**
 * One step of reasoning, in plain language.
 */
export type TraceEntry = {
  /**
   * What produced it: `eligible`, `rank`, `split`, `allocate`, `note`, `hold`, ...
   */
  step: string;
  /**
   * Warehouse concerned.
   */
  warehouse?: string;
  /**
   * Order line concerned.
   */
  line?: string;
  /**
   * The explanation.
   */
  message: string;
};

/**
 * The routing decision for one order.
 */
export type PlanCommon = {
  /**
   * Order id.
   */
  order: string;
  /**
   * Shipments, best-ranked warehouse first.
   */
  shipments: Array<Shipment>;
  /**
   * Quantities that wait for stock.
   */
  backorders: Array<PlanLine>;
  /**
   * Why the plan looks the way it does.
   */
  trace: Array<TraceEntry>;
};

/** The routing decision for one order: held plans carry `hold` (every line, in full),
 * the others never do. */
export type Plan = PlanCommon & (
  | { status: "held"; hold: Hold }
  | { status: Exclude<PlanStatus, "held">; hold?: never }
);

// ---- availability (output) --------------------------------------------------

/**
 * Why a warehouse does or does not contribute to a channel's offer.
 */
export type WarehouseContribution = {
  /**
   * Warehouse id.
   */
  warehouse: string;
  /**
   * Own or consignment.
   */
  kind: WarehouseKind;
  /**
   * Physically present.
   */
  on_hand: Decimal;
  /**
   * Reserved for routed orders.
   */
  reserved: Decimal;
  /**
   * Stock-row safety buffer.
   */
  safety: Decimal;
  /**
   * on_hand − reserved − safety, 0 when disabled or out of stock, never negative.
   */
  available: Decimal;
  /**
   * Whether it counts for this channel.
   */
  included: boolean;
  /**
   * Why it is excluded (or why its availability is 0).
   */
  reason?: string;
  /**
   * What the channel may offer from it after the `offer` hook.
   */
  offered: Decimal;
  /**
   * offered − (available + backorder) for included warehouses (≤ 0): the rule's adjustment.
   */
  rule_adjustment: Decimal;
  /**
   * Units counted beyond `available` because the row is backorderable (0 when the
   * channel opts out with `include_backorders: false`).
   */
  backorder?: Decimal;
  /**
   * True when the row offers an unlimited quantity (untracked product, or backorders
   * without a limit); the quantity is then the largest one, `1000000000000000`.
   */
  unlimited?: boolean;
};

/**
 * What one channel offers of one SKU.
 */
export type SkuAvailability = {
  /**
   * Channel id.
   */
  channel: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * The quantity to offer: never negative.
   */
  offered: Decimal;
  /**
   * Σ offered over included warehouses.
   */
  warehouses_total: Decimal;
  /**
   * Channel safety buffer subtracted.
   */
  channel_safety: Decimal;
  /**
   * Channel reservations subtracted.
   */
  reserved: Decimal;
  /**
   * Change made by the `adjust` hook (≤ 0).
   */
  rule_adjustment: Decimal;
  /**
   * Σ backorder units of included warehouses counted in `warehouses_total`.
   */
  backorder?: Decimal;
  /**
   * True when the offer is unlimited (`offered` is `1000000000000000`): an untracked product or
   * backorders without a limit, not capped by a rule.
   */
  unlimited?: boolean;
  /**
   * Per-warehouse breakdown.
   */
  warehouses: Array<WarehouseContribution>;
};

/**
 * Offered quantities per channel and SKU.
 */
export type Availability = {
  /**
   * One entry per channel and SKU, channels in inventory order, SKUs sorted.
   */
  items: Array<SkuAvailability>;
  /**
   * Notes added by rules.
   */
  trace?: Array<TraceEntry>;
};

// ---- live stock (ledger operations, per-call options) -----------------------

/**
 * One row of a stock update (`applyStock`, `syncWarehouse`): what changes for one SKU at
 * one location. Fields left out keep their current value (or the default for a new row).
 */
export type StockUpdate = {
  /**
   * Warehouse id (required for `applyStock`; for `syncWarehouse` it may be left out and
   * must otherwise name the synced location).
   */
  warehouse?: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * New quantity on hand (may be negative: oversold).
   */
  on_hand?: DecimalInput;
  /**
   * Change of the quantity on hand (`applyStock` only; not together with `on_hand`).
   */
  delta?: DecimalInput;
  /**
   * New reserved quantity.
   */
  reserved?: DecimalInput;
  /**
   * New safety buffer.
   */
  safety?: DecimalInput;
  /**
   * New status.
   */
  status?: StockStatus;
  /**
   * Whether the row may be sold beyond its stock.
   */
  backorderable?: boolean;
  /**
   * New backorder limit.
   */
  backorder_limit?: DecimalInput;
};

/**
 * A stock row as it stands, with what it offers.
 */
export type StockState = {
  /**
   * Physically present (negative: oversold).
   */
  on_hand: Decimal;
  /**
   * Promised to routed orders.
   */
  reserved: Decimal;
  /**
   * Buffer never allocated.
   */
  safety: Decimal;
  /**
   * `in_stock` or `out_of_stock`.
   */
  status: StockStatus;
  /**
   * What can be allocated from stock now.
   */
  available: Decimal;
  /**
   * Units that may still be sold beyond `available` (backorderable rows).
   */
  backorder: Decimal;
};

/**
 * What a ledger operation changed for one SKU at one location.
 */
export type StockChange = {
  /**
   * Warehouse id.
   */
  warehouse: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * The row before the change; `None` when the operation created it.
   */
  before: StockState | null;
  /**
   * The row after the change.
   */
  after: StockState;
};

/**
 * Per-call options of [`Router::route_with`] (JavaScript: the third argument of `route`).
 */
export type RouteOptions = {
  /**
   * Warehouse ids not to ship from (locations that rejected the order).
   */
  exclude?: Array<string>;
  /**
   * Why they rejected it, shown in the trace. [`NOT_IN_STOCK`] (`"not_in_stock"`) also
   * sets the loaded stock of the order's SKUs at those locations to `on_hand` 0, so
   * availability and later orders follow.
   */
  reason?: string;
  /**
   * The routing day (`YYYY-MM-DD`), default today: a consignment location whose
   * `terms.period_end` is before it no longer ships, unless `eligible` decides.
   */
  as_of?: string;
};

/**
 * Per-call options of [`Router::route_batch_with`] (JavaScript: the third argument of
 * `routeBatch`).
 */
export type BatchOptions = {
  /**
   * Orders consume stock (default true): each order sees the stock (and location
   * capacity) the earlier orders' shipments left. `false` routes every order against the
   * same stock (what-if).
   */
  consume?: boolean;
  /**
   * Warehouse ids no order of the batch ships from.
   */
  exclude?: Array<string>;
  /**
   * The routing day (`YYYY-MM-DD`), default today (see [`RouteOptions::as_of`]).
   */
  as_of?: string;
};

// ---- manual routing, checked (validate) -------------------------------------

/**
 * A quantity of one order line in a [`ManualPlan`].
 */
export type ManualLine = {
  /**
   * Order line id.
   */
  line: string;
  /**
   * Quantity.
   */
  qty: DecimalInput;
  /**
   * When given, must be the order line's SKU.
   */
  sku?: string;
};

/**
 * One shipment of a [`ManualPlan`].
 */
export type ManualShipment = {
  /**
   * Warehouse id.
   */
  warehouse: string;
  /**
   * What ships.
   */
  lines: Array<ManualLine>;
  /**
   * When given, must be the warehouse's kind.
   */
  kind?: WarehouseKind;
  /**
   * Documents asked for; an invoice for consignment goods is a violation. The checked
   * plan always carries the documents the engine derives from the warehouse.
   */
  documents?: Array<Document>;
};

/**
 * A plan a person (or another system) made for an order, to check with
 * `Router::validate`: what ships from where, what waits, or a hold. Every field is
 * optional; unknown fields are ignored, so a plan `route` returned (with `status`,
 * `trace`, `owner`, ...) is accepted as it is.
 */
export type ManualPlan = {
  /**
   * The order id; when given it must be the order's.
   */
  order?: string;
  /**
   * Shipments: a warehouse and the quantities of order lines it ships.
   */
  shipments?: Array<ManualShipment>;
  /**
   * Quantities of order lines that wait for stock.
   */
  backorders?: Array<ManualLine>;
  /**
   * Hold the whole order: a reason, or `{ reason }` (a held plan's `hold`).
   */
  hold?: string | { reason: string };
};

/**
 * Per-call options of [`Router::validate`] (JavaScript: the third argument of `validate`).
 */
export type ValidateOptions = {
  /**
   * The day the plan ships (`YYYY-MM-DD`): consignment locations whose period ended
   * before it cannot ship. `None`: today, as for routing (see [`RouteOptions::as_of`]).
   */
  as_of?: string;
};

/**
 * The outcome of checking a [`ManualPlan`]: the completed plan (kinds, owners,
 * forwarding, documents), or every violation, each naming its line and warehouse.
 */
export type Validation = {
  /**
   * True when the plan keeps every invariant.
   */
  valid: boolean;
  /**
   * The completed plan, when valid.
   */
  plan?: Plan;
  /**
   * Every violation (`plan.invalid`), empty when valid.
   */
  violations: Array<Diagnostic>;
};

// ---- replenishment proposals (consignment) ----------------------------------

/**
 * Options of a replenishment run.
 */
export type ReplenishOptions = {
  /**
   * The day the proposals are for (`YYYY-MM-DD`): the sales window ends on it and
   * deliveries leave on it. Required in Rust; JavaScript defaults it to today (UTC).
   */
  as_of?: string;
  /**
   * Days of sales to measure the rate on, ending on `as_of` (1 to 91, default 28).
   */
  window_days?: number;
  /**
   * Only these consignment locations (all of them when empty).
   */
  warehouses?: Array<string>;
};

/**
 * The days whose sales give the rate: `from` to `to`, both included.
 */
export type SalesWindow = {
  /**
   * First day (`YYYY-MM-DD`).
   */
  from: string;
  /**
   * Last day (`as_of`).
   */
  to: string;
  /**
   * Number of days.
   */
  days: number;
};

/**
 * Where a run's sell-through came from.
 */
export type SalesFrom = "events" | "syncs";

/**
 * What rule decided, when a `replenish` hook ran.
 */
export type RuleDecision = "kept" | "adjusted" | "vetoed";

/**
 * What to send one consignment location of one SKU, and why.
 */
export type Proposal = {
  /**
   * The consignment location.
   */
  warehouse: string;
  /**
   * The retailer holding the stock (`owner`).
   */
  retailer?: string;
  /**
   * SKU.
   */
  sku: string;
  /**
   * Units on hand there (the loaded inventory).
   */
  on_hand: Decimal;
  /**
   * Units of it promised to orders (not available to sell).
   */
  reserved: Decimal;
  /**
   * Units sold there in the window (by the retailer).
   */
  sold: Decimal;
  /**
   * Units the location shipped for the supplier's own orders in the window (they leave
   * the shelf as sales do).
   */
  forwarded: Decimal;
  /**
   * (sold + forwarded) / window days, to 2 decimal places.
   */
  sold_per_day: Decimal;
  /**
   * Days the stock there (on hand less reserved) lasts at that rate, to 1 decimal place,
   * rounded down; absent when nothing sells.
   */
  days_of_cover?: Decimal;
  /**
   * At or below this stock a delivery is proposed.
   */
  reorder_point: Decimal;
  /**
   * The level a delivery fills up to.
   */
  target: Decimal;
  /**
   * Units to send now (0: nothing).
   */
  propose: Decimal;
  /**
   * The most that may be sent: what sells there before the period end, and what own
   * warehouses can still spare (`1000000000000000` when neither limits it).
   */
  limit: Decimal;
  /**
   * What the `replenish` hook did, when the rules define one.
   */
  rule?: RuleDecision;
  /**
   * The reasoning, in order, in words.
   */
  why: Array<string>;
};

/**
 * What the own warehouses can spare of one SKU.
 */
export type OwnStock = {
  /**
   * SKU.
   */
  sku: string;
  /**
   * Σ available at enabled own warehouses (on hand − reserved − safety per row).
   */
  available: Decimal;
  /**
   * Σ channel reservations (sold, not yet routed).
   */
  channel_reserved: Decimal;
  /**
   * The largest channel safety buffer (the channels share own stock).
   */
  channel_safety: Decimal;
  /**
   * available − channel_reserved − channel_safety, never below 0.
   */
  spare: Decimal;
  /**
   * Σ propose over the SKU's proposals (never above `spare`).
   */
  proposed: Decimal;
  /**
   * Untracked product: own stock is unlimited.
   */
  unlimited?: boolean;
};

/**
 * A consignment location without proposals.
 */
export type Skipped = {
  /**
   * The location.
   */
  warehouse: string;
  /**
   * Why, in words.
   */
  reason: string;
};

/**
 * Every proposal of one run.
 */
export type Replenishment = {
  /**
   * The day the proposals are for.
   */
  as_of: string;
  /**
   * The days whose sales give each rate.
   */
  window: SalesWindow;
  /**
   * Where the sales came from.
   */
  source: SalesFrom;
  /**
   * One per consignment location with `terms.replenish` and SKU it holds or sold, in
   * inventory order, SKUs sorted.
   */
  proposals: Array<Proposal>;
  /**
   * Per SKU proposed for: what the own warehouses can spare and how much of it the
   * proposals take.
   */
  own: Array<OwnStock>;
  /**
   * Consignment locations without proposals, and why.
   */
  skipped: Array<Skipped>;
};

// ---- rule test cases (runCase) ----------------------------------------------

/**
 * The result of running one case.
 */
export type CaseOutcome = {
  /**
   * The case's `name`, or empty when it has none (callers then show the file name).
   */
  name: string;
  /**
   * The case's `description`: what it checks and why the expected values are right.
   */
  description: string;
  /**
   * True when every expectation held.
   */
  passed: boolean;
  /**
   * One sentence per mismatch; empty when the case passed.
   */
  failures: Array<string>;
  /**
   * What the engine produced: a plan, a list of per-order results, an availability, or
   * an error (`{"error": {...}}`); `null` when the case itself could not be read.
   */
  actual: unknown;
  /**
   * Every file the case references, each once, as written in it: a path relative to the
   * case file's folder. When one of them was not supplied, the case fails naming it and
   * nothing runs: the caller reads these files and runs the case again with them.
   */
  files: Array<string>;
};

// ---- errors and diagnostics -------------------------------------------------

/** Stable error codes; match on these, never on message text. `internal` is a
 * WebAssembly trap (an engine bug): the JavaScript wrapper rebuilds the instance. */
export type ErrorCode = "rule.syntax" | "rule.signature" | "rule.runtime" | "rule.limit" | "rule.return" | "data.invalid" | "plan.invalid" | "availability.invalid" | "options.invalid" | "internal";

/** The hooks a rule set can define. */
export type HookName = "eligible" | "rank" | "split" | "offer" | "adjust" | "route" | "replenish";

/**
 * How serious a diagnostic is.
 */
export type Severity = "error" | "warning";

/**
 * One structured problem, with everything needed to point at its cause.
 *
 * Script positions are 1-based. `column` counts Unicode scalar values (what Rhai reports);
 * `column_utf16` (`columnUtf16` in JSON) counts UTF-16 code units, which is what browser
 * editors use.
 *
 * This is the one definition of the error fields: the thrown JavaScript error and the
 * TypeScript declarations (`ErrorDetails`, `StockrouteError`) are derived from it.
 */
export type Diagnostic = {
  /**
   * Stable machine-readable code (`rule.syntax`, `data.invalid`, ...).
   */
  code: ErrorCode;
  /**
   * Severity of the problem.
   */
  severity: Severity;
  /**
   * Human-readable message: lowercase, user input in backticks.
   */
  message: string;
  /**
   * A hint on how to fix it, where one is known.
   */
  help?: string;
  /**
   * Name of the rule set (usually its file name).
   */
  rule?: string;
  /**
   * The hook being evaluated (`eligible`, `rank`, `split`, `offer`, `adjust`, `route`).
   */
  hook?: HookName;
  /**
   * 1-based script line.
   */
  line?: number;
  /**
   * 1-based script column in Unicode scalar values.
   */
  column?: number;
  /**
   * 1-based script column in UTF-16 code units (for browser editors).
   */
  columnUtf16?: number;
  /**
   * Path of the offending field in input data, e.g. `lines[2].qty`.
   */
  path?: string;
  /**
   * The order concerned.
   */
  order?: string;
  /**
   * The order line concerned.
   */
  orderLine?: string;
  /**
   * The warehouse concerned.
   */
  warehouse?: string;
};

/** The error object thrown by the WebAssembly side and found in failed `routeBatch`
 * entries: the primary diagnostic's fields at top level (`message` with rule, position
 * and hook prepended), plus every diagnostic. `StockrouteError` copies these fields. */
export type ErrorDetails = Omit<Diagnostic, "severity"> & {
  severity?: Severity;
  /** Every diagnostic, primary first. */
  diagnostics: Array<Diagnostic>;
};

// ---- rules and options ------------------------------------------------------

/**
 * Sandbox limits; each hook call starts counting operations from zero. Every value is
 * range-checked (`options.invalid` naming the key); no value switches a limit off.
 */
export type Limits = {
  /**
   * Operations per hook call (each hook call starts from zero).
   * Allowed: 1 to 10000000.
   */
  maxOperations?: number;
  /**
   * Operations of all hook calls for one order (or one availability computation).
   * Allowed: 1 to 100000000.
   */
  maxOrderOperations?: number;
  /**
   * Nested function calls.
   * Allowed: 1 to 64.
   */
  maxCallLevels?: number;
  /**
   * Expression nesting depth at top level.
   * Allowed: 1 to 128.
   */
  maxExprDepth?: number;
  /**
   * Expression nesting depth inside functions.
   * Allowed: 1 to 64.
   */
  maxFunctionExprDepth?: number;
  /**
   * Bytes in one string.
   * Allowed: 1 to 1048576.
   */
  maxStringSize?: number;
  /**
   * Elements in one array, nested arrays included.
   * Allowed: 1 to 10000.
   */
  maxArraySize?: number;
  /**
   * Entries in one object map, nested maps included.
   * Allowed: 1 to 10000.
   */
  maxMapSize?: number;
  /**
   * Variables in scope.
   * Allowed: 1 to 10000.
   */
  maxVariables?: number;
  /**
   * Notes (`note`, `print`, `debug`, `hold`) in one plan's trace.
   * Allowed: 0 to 10000.
   */
  maxTraceNotes?: number;
  /**
   * Bytes of note text in one plan's trace.
   * Allowed: 0 to 16777216.
   */
  maxTraceBytes?: number;
};

/**
 * How hooks run.
 */
export type Execution = "compiled" | "interpreted";

/**
 * Options for `new Router(rules, options)`.
 */
export type RouterOptions = {
  /**
   * Name of the rule set, attached to diagnostics (usually its file name).
   */
  name?: string;
  /**
   * Sandbox limits.
   */
  limits?: Limits;
  /**
   * Whether plans and availability carry the `trace` explaining them (default true).
   * Backends routing at volume can turn it off: the trace is most of what crosses the
   * JavaScript boundary.
   */
  trace?: boolean;
  /**
   * How hooks run: `"compiled"` (default: compiled to closures where possible, the rest
   * on the interpreter) or `"interpreted"` (every hook on the Rhai interpreter, the
   * reference semantics; slower).
   */
  execution?: Execution;
};

/**
 * A non-hook function in a rule set.
 */
export type FunctionInfo = {
  /**
   * Function name.
   */
  name: string;
  /**
   * Number of parameters.
   */
  params: number;
};

/**
 * How a hook runs.
 */
export type HookModeName = "compiled" | "interpreted";

/**
 * How one hook runs.
 */
export type HookModeInfo = {
  /**
   * The hook's name.
   */
  hook: HookName;
  /**
   * `"compiled"`, or `"interpreted"` with `reason`.
   */
  mode: HookModeName;
  /**
   * Why the hook runs on the interpreter (absent when compiled).
   */
  reason?: string;
};

/**
 * What `check` reports: diagnostics and the hooks a rule set defines.
 */
export type CheckReport = {
  /**
   * True when there is no error-severity diagnostic.
   */
  ok: boolean;
  /**
   * Errors and warnings, in source order.
   */
  diagnostics: Array<Diagnostic>;
  /**
   * Names of the hooks defined, in `Hook::ALL` order.
   */
  hooks: Array<HookName>;
  /**
   * Other functions defined (helpers), with their parameter counts.
   */
  functions: Array<FunctionInfo>;
  /**
   * How each defined hook runs: compiled, or interpreted and why.
   */
  modes: Array<HookModeInfo>;
};
