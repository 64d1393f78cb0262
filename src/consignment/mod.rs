//! Consignment end to end: forwarding messages with their documents, period ends, and
//! settlement per retailer. See `docs/consignment.md`.
//!
//! | module | what it does |
//! |---|---|
//! | [`dates`] | ISO dates, settlement periods, [`period_end_passed`] |
//! | [`documents`] | packing slip and pro forma as HTML and PDF (never an invoice for consignment) |
//! | [`message`] | RFC 5322 / MIME emails and versioned JSON request bodies, one per shipment |
//! | [`settlement`] | the JSONL event log and the per-location settlement |
//! | [`replenish`] | replenishment proposals per location and SKU, and the sales history kept from stock counts |
//!
//! Pure Rust: no clock, no randomness, no WebAssembly binding. Every crate used here
//! (`mail-builder`, `pdf-writer`, `time`, `base64`) builds for `wasm32-unknown-unknown`,
//! so the Node and browser packages forward and settle with the same code.

pub mod dates;
pub mod documents;
pub mod message;
mod pdf;
pub mod replenish;
pub mod settlement;

use crate::error::{code, Diagnostic, Result};
use crate::inventory::PreparedInventory;
use crate::model::{Order, Plan};

pub use dates::{period_end_passed, Period};
pub use documents::{ContentEncoding, DocumentFormat, RenderedDocument, PRO_FORMA_NOTICE};
pub use message::{ForwardMessage, ForwardOptions, ForwardRequest, FORWARD_SCHEMA};
pub use settlement::{
    Discrepancy, Event, EventKind, EventLine, InvoiceLine, LocationSettlement, ReturnLine,
    Settlement, SkuSettlement,
};

fn invalid(path: &str, message: String) -> Diagnostic {
    Diagnostic::new(code::DATA_INVALID, message).with_path(path)
}

/// One message per shipment of `plan`, in plan order: an `.eml` for `email` locations, a
/// JSON request body ([`FORWARD_SCHEMA`]) for `api` and `wms` ones, each with its rendered
/// documents. Held and fully backordered plans have no shipments and give no message.
///
/// Errors name the field: an unknown warehouse or order line in the plan
/// (`shipments[0].warehouse`), a missing sender (`supplier.email`), a bad `date` option,
/// or an invoice listed for consignment goods (`plan.invalid`).
pub fn forward(
    plan: &Plan,
    order: &Order,
    inventory: &PreparedInventory,
    options: &ForwardOptions,
) -> Result<Vec<ForwardMessage>> {
    message::forward(plan, order, inventory, options).map_err(|e| e.for_order(&order.id))
}

/// The settlement of every consignment location for `period`; see [`settlement`].
pub fn settle(
    inventory: &PreparedInventory,
    events: &[Event],
    period: &Period,
) -> Result<Settlement> {
    settlement::settle(inventory, events, period)
}
