//! The shape of a case file: what a case gives (inventory, order, orders, availability,
//! replenishment, validate, steps) and what it expects. Every struct refuses unknown
//! fields, so a typo never silently disables a check (`docs/test-cases.md`, "Schema").

use crate::model::{Document, PlanStatus};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

/// A case file (top-level keys).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseFile {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) inventory: Option<Value>,
    #[serde(default)]
    pub(super) order: Option<Value>,
    #[serde(default)]
    pub(super) orders: Option<Value>,
    #[serde(default)]
    pub(super) availability: Option<AvailabilityRequest>,
    /// Replenishment proposals (`Router::replenishment`).
    #[serde(default)]
    pub(super) replenishment: Option<ReplenishmentRequest>,
    /// A plan made by hand, checked (`Router::validate`).
    #[serde(default)]
    pub(super) validate: Option<ValidateRequest>,
    /// Per-call options: `{ exclude, reason }` for `order`, `{ consume, exclude }` for
    /// `orders` (there `consume` defaults to false: the orders are independent).
    #[serde(default)]
    pub(super) options: Option<Value>,
    /// A sequence of ledger and routing steps on one inventory, each with its own
    /// expectation.
    #[serde(default)]
    pub(super) steps: Option<Vec<Value>>,
    #[serde(default)]
    pub(super) expect: Option<Value>,
    #[serde(default)]
    pub(super) expect_error: Option<ExpectError>,
}

/// Options of an `orders` case: independent unless `consume` is set, so cases written
/// before batches consumed stock keep their meaning.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct CaseBatchOptions {
    pub(super) consume: bool,
    pub(super) exclude: Vec<String>,
    pub(super) as_of: Option<String>,
}

/// One step of a `steps` case: exactly one action, an optional expectation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Step {
    /// Free text shown with the step's failures.
    #[serde(default)]
    pub(super) note: Option<String>,
    /// Route one order (with `options` `{ exclude, reason }`).
    #[serde(default)]
    pub(super) route: Option<Value>,
    /// Route several orders as a batch (with `options` `{ consume, exclude }`; consuming by
    /// default, as `routeBatch`).
    #[serde(default)]
    pub(super) batch: Option<Value>,
    /// Apply stock rows.
    #[serde(default)]
    pub(super) apply_stock: Option<Value>,
    /// Sync this warehouse with `rows`.
    #[serde(default)]
    pub(super) sync_warehouse: Option<String>,
    #[serde(default)]
    pub(super) rows: Option<Value>,
    /// Release the plan committed earlier for this order id.
    #[serde(default)]
    pub(super) release: Option<String>,
    /// Compute availability (`{ "channel"?: string }`).
    #[serde(default)]
    pub(super) available: Option<AvailabilityRequest>,
    #[serde(default)]
    pub(super) options: Option<Value>,
    /// With `route` or `batch`: commit the plan(s) to the inventory.
    #[serde(default)]
    pub(super) commit: bool,
    #[serde(default)]
    pub(super) expect: Option<Value>,
    #[serde(default)]
    pub(super) expect_error: Option<ExpectError>,
}

/// What a ledger step is expected to change: compared as a set of (warehouse, sku); the
/// quantities given are checked against the row after the change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChangeExpect {
    pub(super) warehouse: String,
    pub(super) sku: String,
    #[serde(default)]
    pub(super) on_hand: Option<Decimal>,
    #[serde(default)]
    pub(super) reserved: Option<Decimal>,
    #[serde(default)]
    pub(super) available: Option<Decimal>,
    #[serde(default)]
    pub(super) backorder: Option<Decimal>,
    /// Whether the step created the row.
    #[serde(default)]
    pub(super) new: Option<bool>,
}

/// `replenishment`: the options and the event log (inline events, or a JSON-lines file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReplenishmentRequest {
    pub(super) as_of: String,
    #[serde(default)]
    pub(super) events: Option<Value>,
    #[serde(default)]
    pub(super) window_days: Option<u32>,
    #[serde(default)]
    pub(super) warehouses: Vec<String>,
}

/// `validate`: an order and a plan made by hand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ValidateRequest {
    pub(super) order: Value,
    pub(super) plan: Value,
    #[serde(default)]
    pub(super) as_of: Option<String>,
}

/// What one proposal must say (only the fields given are checked).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProposalExpect {
    pub(super) warehouse: String,
    pub(super) sku: String,
    #[serde(default)]
    pub(super) propose: Option<Decimal>,
    #[serde(default)]
    pub(super) limit: Option<Decimal>,
    #[serde(default)]
    pub(super) reorder_point: Option<Decimal>,
    #[serde(default)]
    pub(super) target: Option<Decimal>,
    #[serde(default)]
    pub(super) sold_per_day: Option<Decimal>,
    /// `null` asserts "nothing sells" (no cover).
    #[serde(default, deserialize_with = "nullable")]
    pub(super) days_of_cover: Option<Option<Decimal>>,
    #[serde(default)]
    pub(super) rule: Option<crate::consignment::replenish::RuleDecision>,
    #[serde(default)]
    pub(super) why_contains: Vec<String>,
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
pub(super) fn nullable<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Decimal>>, D::Error> {
    Option::<Decimal>::deserialize(d).map(Some)
}

/// What checking a plan made by hand must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ValidateExpect {
    pub(super) valid: bool,
    #[serde(default)]
    pub(super) plan: Option<PlanExpect>,
    #[serde(default)]
    pub(super) violations: Option<Vec<ViolationExpect>>,
}

/// One violation: matched by the fields given; the list is compared exactly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ViolationExpect {
    #[serde(default)]
    pub(super) line: Option<String>,
    #[serde(default)]
    pub(super) warehouse: Option<String>,
    #[serde(default)]
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) message_contains: Option<String>,
}

/// `availability` (and an `available` step): the channel, or every channel.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AvailabilityRequest {
    #[serde(default)]
    pub(super) channel: Option<String>,
}

/// What a plan must show; only the keys given are checked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PlanExpect {
    #[serde(default)]
    pub(super) status: Option<PlanStatus>,
    #[serde(default)]
    pub(super) shipments: Option<Vec<ShipmentExpect>>,
    #[serde(default)]
    pub(super) backorders: Option<Vec<LineExpect>>,
    #[serde(default)]
    pub(super) hold: Option<String>,
    #[serde(default)]
    pub(super) trace_contains: Option<Vec<String>>,
}

/// One expected shipment: compared as a set of (warehouse, line, qty), then in order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ShipmentExpect {
    pub(super) warehouse: String,
    pub(super) lines: Vec<LineExpect>,
    #[serde(default)]
    pub(super) documents: Option<Vec<Document>>,
}

/// A quantity of one order line (in a shipment, or backordered).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineExpect {
    pub(super) line: String,
    pub(super) qty: Decimal,
    /// In a shipment: how much of `qty` waits for stock there (0 when absent from the plan).
    #[serde(default)]
    pub(super) on_backorder: Option<Decimal>,
}

/// One entry of the `expect` list of an `orders` case: a plan or an error.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OrderExpect {
    Error { error: ExpectError },
    Plan(PlanExpect),
}

/// The error a case (or an order, or a step) must fail with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExpectError {
    pub(super) code: String,
    #[serde(default)]
    pub(super) hook: Option<String>,
    #[serde(default)]
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) warehouse: Option<String>,
    #[serde(default)]
    pub(super) message_contains: Option<String>,
}

/// What one channel and SKU must offer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AvailabilityExpect {
    #[serde(default)]
    pub(super) channel: Option<String>,
    pub(super) sku: String,
    pub(super) offered: Decimal,
    #[serde(default)]
    pub(super) backorder: Option<Decimal>,
    #[serde(default)]
    pub(super) unlimited: Option<bool>,
    #[serde(default)]
    pub(super) warehouses: Option<Vec<WarehouseOfferExpect>>,
}

/// One warehouse of an availability item's breakdown.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WarehouseOfferExpect {
    pub(super) warehouse: String,
    pub(super) offered: Decimal,
    #[serde(default)]
    pub(super) included: Option<bool>,
    #[serde(default)]
    pub(super) backorder: Option<Decimal>,
}
