//! The domain model: inventory, orders, plans and availability, as serde types.
//!
//! Quantities and money are [`Decimal`]: they deserialize from JSON numbers or numeric
//! strings, exactly or not at all ([`crate::decimal`]), and serialize as strings, so no
//! float ever touches them.
//!
//! The TypeScript declarations of the npm package (`js/types.d.ts`) are generated from these
//! types at test time (`src/typescript.rs`); the `ts(...)` attributes only shape that output.
//! A field with `#[serde(default)]` on an input type needs `ts(as = "Option<_>", optional)`
//! to be optional in TypeScript; every `Decimal` needs `ts(as = ...)` (input or output form),
//! or the declarations do not compile.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest quantity or price accepted anywhere (10^15). Input above it is rejected, which
/// keeps every sum the engine forms far below `Decimal::MAX`, so arithmetic never overflows.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// Free-form JSON attributes (`attributes` on orders and products).
pub type Attributes = BTreeMap<String, serde_json::Value>;

/// Everything the engine knows about stock: warehouses, stock rows, sales channels and
/// optional per-SKU product data and channel reservations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Inventory {
    /// Own warehouses and consignment locations.
    pub warehouses: Vec<Warehouse>,
    /// One row per warehouse and SKU.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub stock: Vec<StockRow>,
    /// Sales channels (webshop, marketplaces, ...).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub channels: Vec<Channel>,
    /// Optional per-SKU data rules can read (bulky, hazardous, bundle group, thresholds, ...).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub products: Vec<Product>,
    /// Quantities sold on a channel but not yet routed.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub reservations: Vec<Reservation>,
    /// Who ships: the sender of forwarding messages and the issuer of packing slips and
    /// pro formas. Optional for routing; required to forward by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Supplier>,
}

/// The supplier: the company that owns the stock, in its own warehouses and on consignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Supplier {
    /// Company name, as printed on documents and in the `From` header.
    pub name: String,
    /// Postal address lines (street, postcode and city, ...), printed as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// ISO country code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// VAT identification number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_id: Option<String>,
    /// Sender address of forwarding emails (`From`); required to forward by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Where retailers' replies go (`Reply-To`); defaults to `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Phone number printed on documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Currency of customs values and consignment prices when the terms name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// Who owns the stock in a warehouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WarehouseKind {
    /// The supplier's own warehouse.
    Own,
    /// Stock the supplier owns, held at a retailer's location.
    Consignment,
}

impl WarehouseKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            WarehouseKind::Own => "own",
            WarehouseKind::Consignment => "consignment",
        }
    }
}

/// A geographic position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Location {
    /// Latitude, -90..=90.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub lat: Decimal,
    /// Longitude, -180..=180.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub lon: Decimal,
}

/// How a shipment reaches the people who pack it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Forward {
    /// Picked by the supplier's own warehouse management system.
    Wms,
    /// Emailed to the location (consignment retailers) with packing slip and label attached.
    Email {
        /// Recipient address.
        to: String,
    },
    /// Posted to the location's API.
    Api {
        /// Endpoint URL.
        endpoint: String,
    },
}

/// Terms of a consignment agreement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConsignmentTerms {
    /// Last day of the consignment period (ISO date); unsold stock goes back after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// Settlement cadence, free text ("monthly", "on sale", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<String>,
    /// Ship with a pro-forma invoice instead of a packing slip (customs, some retailers).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub pro_forma: bool,
    /// What the retailer pays per unit it sells, by SKU: the only prices a settlement
    /// invoices (sold goods only).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::decimal::deserialize_map"
    )]
    #[cfg_attr(test, ts(as = "BTreeMap<String, crate::typescript::DecimalInput>"))]
    pub prices: BTreeMap<String, Decimal>,
    /// Currency of `prices`; defaults to the supplier's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Where sales come from in a settlement: `reported` (default: the retailer reports each
    /// sale, and a stock count that comes up short is a discrepancy) or `from_syncs` (units
    /// missing at a stock count are taken as sold).
    #[serde(default, skip_serializing_if = "SalesSource::is_reported")]
    pub sales: SalesSource,
    /// How the supplier keeps the location stocked: `{ min, max }` in units, or
    /// `{ days_of_cover, lead_time_days }` (see `docs/replenishment.md`). Without it the
    /// location gets no replenishment proposals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub replenish: Option<ReplenishTerms>,
}

/// Replenishment terms of a consignment location: either unit levels (`min` and `max`) or
/// a cover in days of sales (`days_of_cover`), each with an optional delivery lead time.
/// The inventory check refuses a mix of both and bounds that make no sense (`min` above
/// `max`, a cover of 0 days).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct ReplenishTerms {
    /// Reorder point in units: a delivery is proposed once the stock there (on hand less
    /// reserved) is at or below it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>"))]
    pub min: Option<Decimal>,
    /// The level a delivery fills up to, in units.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>"))]
    pub max: Option<Decimal>,
    /// Days of sales a delivery should cover once it has arrived (instead of `min`/`max`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>"))]
    pub days_of_cover: Option<Decimal>,
    /// Days from proposing a delivery to its arrival at the location (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_days: Option<u32>,
}

/// How a settlement learns what a retailer sold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SalesSource {
    /// The retailer reports every sale (`sale` events).
    #[default]
    Reported,
    /// The retailer only syncs its stock: units missing at a count are sales.
    FromSyncs,
}

impl SalesSource {
    fn is_reported(&self) -> bool {
        *self == SalesSource::Reported
    }
}

/// A shipping document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// A commercial invoice: transfers ownership, so never for consignment goods.
    Invoice,
    /// A packing slip listing the goods.
    PackingSlip,
    /// A pro-forma invoice (no transfer of ownership).
    ProForma,
    /// The carrier's shipping label.
    ShippingLabel,
}

/// An own warehouse or a consignment location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Warehouse {
    /// Unique id, referenced by stock rows and plans.
    pub id: String,
    /// Display name.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub name: String,
    /// `own` or `consignment`.
    pub kind: WarehouseKind,
    /// For consignment: the retailer holding the stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// For consignment: the agreement's terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<ConsignmentTerms>,
    /// ISO country code.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub country: String,
    /// Postcode.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub postcode: String,
    /// Position, used by the default rank and `distance_km`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Lower is preferred.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub priority: i64,
    /// A disabled warehouse offers and ships nothing.
    #[serde(default = "yes")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub enabled: bool,
    /// Free tags rules can test.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
    /// How shipments are handed over; defaults to `wms` for own, required for consignment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<Forward>,
    /// Documents for own shipments (default: invoice, packing slip, shipping label).
    /// Consignment locations ignore this: see [`Shipment::documents`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<Document>>,
    /// Postal address lines of the location (street, postcode and city, ...), printed on
    /// documents as given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<String>,
    /// How many shipments the location can still take this period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub capacity: Option<Capacity>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Shipments a location can handle in the current period (a retailer packing consignment
/// orders next to its own shop, a warehouse with a daily pick limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Capacity {
    /// Shipments the location accepts in the period.
    #[cfg_attr(test, ts(type = "number"))]
    pub max_shipments: u64,
    /// Shipments already assigned in the period: set by the host, grows with `commit` and
    /// with every shipment of a consuming batch.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<u32>", optional))]
    pub used: u64,
    /// What happens once `used` reaches `max_shipments`.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub mode: CapacityMode,
}

impl Capacity {
    /// Whether no further shipment fits in this period.
    pub fn full(&self) -> bool {
        self.used >= self.max_shipments
    }
}

/// What a full location does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CapacityMode {
    /// A full location ships nothing more.
    #[default]
    Block,
    /// A full location is ranked after every other one: used only when nothing else can ship.
    Prefer,
}

/// Whether a stock row can be sold at all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StockStatus {
    /// Normal.
    #[default]
    InStock,
    /// Nothing is available here whatever the quantity says (e.g. the retailer flagged it).
    OutOfStock,
}

/// Stock of one SKU in one warehouse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StockRow {
    /// Warehouse id.
    pub warehouse: String,
    /// SKU.
    pub sku: String,
    /// Physically present.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub on_hand: Decimal,
    /// Already promised to routed orders.
    #[serde(default, deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub reserved: Decimal,
    /// Buffer never offered or allocated.
    #[serde(default, deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub safety: Decimal,
    /// `in_stock` (default) or `out_of_stock`.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub status: StockStatus,
    /// May be sold beyond what is available: the units wait for stock at this location
    /// (Solidus' backorderable stock item, Shopify's "continue selling when out of stock").
    #[serde(default, skip_serializing_if = "is_false")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub backorderable: bool,
    /// With `backorderable`: how far below zero the row may be promised
    /// (`on_hand − reserved − safety ≥ −backorder_limit`); absent means no limit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub backorder_limit: Option<Decimal>,
}

/// One row of a stock update (`applyStock`, `syncWarehouse`): what changes for one SKU at
/// one location. Fields left out keep their current value (or the default for a new row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[serde(deny_unknown_fields)]
pub struct StockUpdate {
    /// Warehouse id (required for `applyStock`; for `syncWarehouse` it may be left out and
    /// must otherwise name the synced location).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
    /// SKU.
    pub sku: String,
    /// New quantity on hand (may be negative: oversold).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub on_hand: Option<Decimal>,
    /// Change of the quantity on hand (`applyStock` only; not together with `on_hand`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub delta: Option<Decimal>,
    /// New reserved quantity.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub reserved: Option<Decimal>,
    /// New safety buffer.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub safety: Option<Decimal>,
    /// New status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StockStatus>,
    /// Whether the row may be sold beyond its stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backorderable: Option<bool>,
    /// New backorder limit.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub backorder_limit: Option<Decimal>,
}

/// A stock row as it stands, with what it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StockState {
    /// Physically present (negative: oversold).
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub on_hand: Decimal,
    /// Promised to routed orders.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub reserved: Decimal,
    /// Buffer never allocated.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub safety: Decimal,
    /// `in_stock` or `out_of_stock`.
    pub status: StockStatus,
    /// What can be allocated from stock now.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub available: Decimal,
    /// Units that may still be sold beyond `available` (backorderable rows).
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub backorder: Decimal,
}

/// What a ledger operation changed for one SKU at one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StockChange {
    /// Warehouse id.
    pub warehouse: String,
    /// SKU.
    pub sku: String,
    /// The row before the change; `None` when the operation created it.
    pub before: Option<StockState>,
    /// The row after the change.
    pub after: StockState,
}

/// A sales channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Channel {
    /// Unique id, referenced by orders and reservations.
    pub id: String,
    /// Whether consignment stock is offered on this channel.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub include_consignment: bool,
    /// Buffer subtracted from the channel's total per SKU.
    #[serde(default, deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub safety: Decimal,
    /// Free tags rules can test.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
    /// Whether units that backorderable rows (and untracked products) may sell beyond stock
    /// count in this channel's offer (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub include_backorders: bool,
}

/// Per-SKU data for rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Product {
    /// SKU.
    pub sku: String,
    /// Free tags (`bulky`, `hazardous`, ...).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
    /// Free attributes (`bundle`, `oos_threshold`, `backorders`, ...).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Attributes>", optional))]
    pub attributes: Attributes,
    /// Description printed on packing slips and pro formas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Customs tariff (HS) code, printed on pro formas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hs_code: Option<String>,
    /// ISO country of origin, printed on pro formas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_country: Option<String>,
    /// Customs value per unit, in the supplier's currency; pro formas fall back to the order
    /// line's unit price when it is absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>"))]
    pub unit_value: Option<Decimal>,
    /// `false`: stock is not counted for this SKU; it is unlimited wherever it has a stock
    /// row (default true).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub track_inventory: bool,
    /// Unit of measure. `each` means whole units only; anything else (`m`, `kg`, or none)
    /// allows decimal quantities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub unit: Option<String>,
}

/// The `unit` meaning whole units only.
pub const WHOLE_UNIT: &str = "each";

impl Product {
    /// Whether the product is sold in whole units only (`unit: "each"`).
    pub fn whole_units(&self) -> bool {
        self.unit.as_deref() == Some(WHOLE_UNIT)
    }
}

/// Quantity sold on a channel but not yet routed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Reservation {
    /// Channel id.
    pub channel: String,
    /// SKU.
    pub sku: String,
    /// Quantity.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub qty: Decimal,
}

/// Consumer or business customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    /// Consumer.
    #[default]
    B2c,
    /// Business.
    B2b,
}

/// The buyer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Customer {
    /// Customer id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `b2c` or `b2b`.
    #[serde(rename = "type", default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub kind: CustomerType,
    /// Free tags (`vip`, ...).
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
    /// Name (person or company), for documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Email address, for documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Where the order goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Address {
    /// ISO country code.
    pub country: String,
    /// Postcode.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub postcode: String,
    /// Position, for distance-based ranking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Recipient name, printed on documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Street address lines (street and number, building, ...), printed on documents as
    /// given, above postcode and city.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub street: Vec<String>,
    /// City, printed after the postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// One order line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OrderLine {
    /// Unique within the order.
    pub id: String,
    /// SKU.
    pub sku: String,
    /// Ordered quantity (> 0; fractional for goods sold by weight or length).
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub qty: Decimal,
    /// Unit price in the order's currency.
    #[serde(default, deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::DecimalInput>", optional))]
    pub unit_price: Decimal,
    /// Free tags.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub tags: Vec<String>,
}

/// An order to route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Order {
    /// Order id.
    pub id: String,
    /// Sales channel id.
    pub channel: String,
    /// ISO currency code.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub currency: String,
    /// The buyer.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub customer: Customer,
    /// Destination.
    pub ship_to: Address,
    /// Lines (at least one).
    pub lines: Vec<OrderLine>,
    /// Free attributes rules can read.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Attributes>", optional))]
    pub attributes: Attributes,
}

impl Order {
    /// Σ qty × unit_price over all lines.
    pub fn value(&self) -> Decimal {
        self.lines.iter().fold(Decimal::ZERO, |acc, l| {
            acc.saturating_add(l.qty.saturating_mul(l.unit_price))
        })
    }
}

/// The outcome of routing one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Everything ships in one shipment.
    Single,
    /// Everything ships, in several shipments.
    Split,
    /// Some ships, the rest is backordered.
    Partial,
    /// Nothing ships now; everything is backordered.
    Backordered,
    /// Held for manual routing.
    Held,
}

/// A quantity of one order line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PlanLine {
    /// Order line id.
    pub line: String,
    /// SKU of that line.
    pub sku: String,
    /// Quantity.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub qty: Decimal,
    /// In a shipment: how much of `qty` waits for stock at that location (backorderable
    /// stock sold beyond what is there). Absent when everything is in stock.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::decimal::deserialize_option"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Decimal>", optional))]
    pub on_backorder: Option<Decimal>,
}

/// Goods leaving one warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// Absent, never `null`, when empty (`skip_serializing_if`).
#[cfg_attr(test, ts(optional_fields))]
pub struct Shipment {
    /// Warehouse id.
    pub warehouse: String,
    /// Own or consignment.
    pub kind: WarehouseKind,
    /// Retailer holding consignment stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// What ships.
    pub lines: Vec<PlanLine>,
    /// How the shipment is handed over.
    pub forward: Forward,
    /// Documents that go with it. Derived from the warehouse by the engine, never by a rule:
    /// a consignment shipment never carries an invoice.
    pub documents: Vec<Document>,
}

/// Why an order is held, and what is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Hold {
    /// Reason given by the rule or the engine.
    pub reason: String,
    /// Every line of the order, in full: nothing of a held order ships or is backordered.
    pub lines: Vec<PlanLine>,
}

/// One step of reasoning, in plain language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// Absent, never `null`, when empty (`skip_serializing_if`).
#[cfg_attr(test, ts(optional_fields))]
pub struct TraceEntry {
    /// What produced it: `eligible`, `rank`, `split`, `allocate`, `note`, `hold`, ...
    // One of a few fixed words: borrowed, so the engine writes it without allocating.
    pub step: std::borrow::Cow<'static, str>,
    /// Warehouse concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
    /// Order line concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The explanation.
    pub message: String,
}

/// The routing decision for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// TypeScript gets `Plan` as these common fields joined with a union on `status` (held plans
// carry `hold`, others do not): see `src/typescript.rs`.
#[cfg_attr(test, ts(rename = "PlanCommon"))]
pub struct Plan {
    /// Order id.
    pub order: String,
    /// Summary status.
    #[cfg_attr(test, ts(skip))]
    pub status: PlanStatus,
    /// Shipments, best-ranked warehouse first.
    pub shipments: Vec<Shipment>,
    /// Quantities that wait for stock.
    pub backorders: Vec<PlanLine>,
    /// Present when the order is held for manual routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(skip))]
    pub hold: Option<Hold>,
    /// Why the plan looks the way it does.
    pub trace: Vec<TraceEntry>,
}

/// Why a warehouse does or does not contribute to a channel's offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
// Absent, never `null`, when empty (`skip_serializing_if`).
#[cfg_attr(test, ts(optional_fields))]
pub struct WarehouseContribution {
    /// Warehouse id.
    pub warehouse: String,
    /// Own or consignment.
    pub kind: WarehouseKind,
    /// Physically present.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub on_hand: Decimal,
    /// Reserved for routed orders.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub reserved: Decimal,
    /// Stock-row safety buffer.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub safety: Decimal,
    /// on_hand − reserved − safety, 0 when disabled or out of stock, never negative.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub available: Decimal,
    /// Whether it counts for this channel.
    pub included: bool,
    /// Why it is excluded (or why its availability is 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What the channel may offer from it after the `offer` hook.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub offered: Decimal,
    /// offered − (available + backorder) for included warehouses (≤ 0): the rule's adjustment.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub rule_adjustment: Decimal,
    /// Units counted beyond `available` because the row is backorderable (0 when the
    /// channel opts out with `include_backorders: false`).
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        deserialize_with = "crate::decimal::deserialize"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Decimal>", optional))]
    pub backorder: Decimal,
    /// True when the row offers an unlimited quantity (untracked product, or backorders
    /// without a limit); the quantity is then the largest one, `1000000000000000`.
    #[serde(default, skip_serializing_if = "is_false")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub unlimited: bool,
}

/// What one channel offers of one SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SkuAvailability {
    /// Channel id.
    pub channel: String,
    /// SKU.
    pub sku: String,
    /// The quantity to offer: never negative.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub offered: Decimal,
    /// Σ offered over included warehouses.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub warehouses_total: Decimal,
    /// Channel safety buffer subtracted.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub channel_safety: Decimal,
    /// Channel reservations subtracted.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub reserved: Decimal,
    /// Change made by the `adjust` hook (≤ 0).
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub rule_adjustment: Decimal,
    /// Σ backorder units of included warehouses counted in `warehouses_total`.
    #[serde(
        default,
        skip_serializing_if = "Decimal::is_zero",
        deserialize_with = "crate::decimal::deserialize"
    )]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Decimal>", optional))]
    pub backorder: Decimal,
    /// True when the offer is unlimited (`offered` is `1000000000000000`): an untracked product or
    /// backorders without a limit, not capped by a rule.
    #[serde(default, skip_serializing_if = "is_false")]
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub unlimited: bool,
    /// Per-warehouse breakdown.
    pub warehouses: Vec<WarehouseContribution>,
}

/// Offered quantities per channel and SKU.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Availability {
    /// One entry per channel and SKU, channels in inventory order, SKUs sorted.
    pub items: Vec<SkuAvailability>,
    /// Notes added by rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceEntry>,
}

/// A plan a person (or another system) made for an order, to check with
/// `Router::validate`: what ships from where, what waits, or a hold. Every field is
/// optional; unknown fields are ignored, so a plan `route` returned (with `status`,
/// `trace`, `owner`, ...) is accepted as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct ManualPlan {
    /// The order id; when given it must be the order's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// Shipments: a warehouse and the quantities of order lines it ships.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>"))]
    pub shipments: Vec<ManualShipment>,
    /// Quantities of order lines that wait for stock.
    #[serde(default)]
    #[cfg_attr(test, ts(as = "Option<_>"))]
    pub backorders: Vec<ManualLine>,
    /// Hold the whole order: a reason, or `{ reason }` (a held plan's `hold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "string | { reason: string }"))]
    pub hold: Option<serde_json::Value>,
}

/// One shipment of a [`ManualPlan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct ManualShipment {
    /// Warehouse id.
    pub warehouse: String,
    /// What ships.
    pub lines: Vec<ManualLine>,
    /// When given, must be the warehouse's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<WarehouseKind>,
    /// Documents asked for; an invoice for consignment goods is a violation. The checked
    /// plan always carries the documents the engine derives from the warehouse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<Document>>,
}

/// A quantity of one order line in a [`ManualPlan`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct ManualLine {
    /// Order line id.
    pub line: String,
    /// Quantity.
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    #[cfg_attr(test, ts(as = "crate::typescript::DecimalInput"))]
    pub qty: Decimal,
    /// When given, must be the order line's SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
}

/// The outcome of checking a [`ManualPlan`]: the completed plan (kinds, owners,
/// forwarding, documents), or every violation, each naming its line and warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct Validation {
    /// True when the plan keeps every invariant.
    pub valid: bool,
    /// The completed plan, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Plan", optional))]
    pub plan: Option<Plan>,
    /// Every violation (`plan.invalid`), empty when valid.
    pub violations: Vec<crate::error::Diagnostic>,
}
