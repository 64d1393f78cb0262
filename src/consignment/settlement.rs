//! Consignment settlement: from an event log (JSONL, see `docs/consignment.md`) to what
//! each retailer sold, what is still on hand, what to invoice and what comes back.
//!
//! Per location and SKU the units balance, always:
//!
//! ```text
//! opening + sent = sold + forwarded + returned + on_hand + discrepancy
//! ```
//!
//! `sold` is what the retailer sold (and pays for: the only lines invoiced), `forwarded`
//! what it shipped to the supplier's own customers (the supplier invoices those customers,
//! not the retailer), `returned` what came back. `discrepancy` is what the log cannot
//! account for: a stock count below (positive) or above (negative) the expected stock, or
//! more units reported out than were there. It is listed, never absorbed into another
//! column.

use super::dates::{self, Period};
use super::invalid;
use crate::error::{Diagnostic, Result, StockrouteError};
use crate::inventory::PreparedInventory;
use crate::model::{SalesSource, Warehouse, WarehouseKind, MAX_QUANTITY};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What happened at a consignment location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The supplier delivered goods to the location (stock grows).
    Delivery,
    /// The location shipped goods for one of the supplier's orders (a forwarded shipment).
    Shipment,
    /// The retailer sold goods (it owes their price).
    Sale,
    /// Goods went back from the location to the supplier.
    Return,
    /// The retailer counted its stock: `qty` is the count, not a movement.
    Sync,
}

/// One line of an event: a SKU and a quantity (for `sync`, the counted stock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLine {
    /// SKU.
    pub sku: String,
    /// Units moved (> 0), or for `sync` units counted (≥ 0).
    #[serde(deserialize_with = "crate::decimal::deserialize")]
    pub qty: Decimal,
}

/// One consignment event: a line of the JSONL log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// `delivery`, `shipment`, `sale`, `return` or `sync`.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// Day it happened (`YYYY-MM-DD`). Events of one day apply in log order.
    pub date: String,
    /// The consignment location (warehouse id).
    pub warehouse: String,
    /// SKUs and quantities.
    pub lines: Vec<EventLine>,
    /// Free reference: delivery note, order and shipment (`WEB-1004/3`), receipt, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The settlement of one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settlement {
    /// The period settled.
    pub period: Period,
    /// One entry per consignment location, in inventory order.
    pub locations: Vec<LocationSettlement>,
}

/// The settlement of one consignment location (one retailer's stock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationSettlement {
    /// Warehouse id.
    pub warehouse: String,
    /// The retailer (`owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retailer: Option<String>,
    /// Currency of prices and values (`terms.currency`, else the supplier's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Last day of the consignment period (`terms.period_end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<String>,
    /// Whether the consignment period ends within or before this settlement period: then
    /// everything still on hand is due back.
    pub period_ended: bool,
    /// Where sales come from (`reported` or `from_syncs`).
    pub sales: SalesSource,
    /// Per SKU, sorted.
    pub skus: Vec<SkuSettlement>,
    /// Sold goods only, at the price in the terms.
    pub invoice: Vec<InvoiceLine>,
    /// Σ amount of the priced invoice lines.
    pub invoice_total: Decimal,
    /// Everything on hand at the end of the period, with its due date.
    pub returns: Vec<ReturnLine>,
    /// Every unit the log cannot account for, one entry per cause.
    pub discrepancies: Vec<Discrepancy>,
    /// Problems that keep the settlement from being complete (a sold SKU without price).
    pub issues: Vec<String>,
}

/// Units of one SKU at one location over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuSettlement {
    /// SKU.
    pub sku: String,
    /// On hand when the period starts (from the events before it).
    pub opening: Decimal,
    /// Delivered by the supplier in the period.
    pub sent: Decimal,
    /// Sold by the retailer (reported, or derived from stock counts).
    pub sold: Decimal,
    /// Shipped by the retailer for the supplier's own orders.
    pub forwarded: Decimal,
    /// Returned to the supplier.
    pub returned: Decimal,
    /// On hand at the end of the period.
    pub on_hand: Decimal,
    /// Units unaccounted for: > 0 missing, < 0 surplus. Never hidden.
    pub discrepancy: Decimal,
    /// Date of the last stock count up to the period end; `None` means `on_hand` is only
    /// computed from the events, never counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<String>,
    /// Price per unit in the terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    /// sent × price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_value: Option<Decimal>,
    /// sold × price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_value: Option<Decimal>,
}

/// A line to invoice the retailer: goods it sold, at the price in the terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// SKU.
    pub sku: String,
    /// Product description (the SKU when the inventory has none).
    pub description: String,
    /// Units sold.
    pub qty: Decimal,
    /// Price per unit in `terms.prices`; absent when the terms have none (see `issues`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Decimal>,
    /// qty × unit_price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
}

/// Goods to come back to the supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLine {
    /// SKU.
    pub sku: String,
    /// Product description (the SKU when the inventory has none).
    pub description: String,
    /// Units on hand at the end of the period.
    pub qty: Decimal,
    /// When they are due back: the consignment period end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_by: Option<String>,
    /// True when the consignment period has ended by the end of this settlement period.
    pub due: bool,
}

/// Units the log cannot account for, at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// SKU.
    pub sku: String,
    /// Day it showed.
    pub date: String,
    /// Units expected on hand from the events.
    pub expected: Decimal,
    /// Units counted (for a stock count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted: Option<Decimal>,
    /// > 0 missing, < 0 surplus.
    pub units: Decimal,
    /// In words.
    pub message: String,
}

/// The problems of one event, as (field, message) pairs; the caller says where it is.
fn check_event(inventory: &PreparedInventory, e: &Event) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !dates::is_date(&e.date) {
        out.push((
            "date".into(),
            format!("`date` must be a date written YYYY-MM-DD, got `{}`", e.date),
        ));
    }
    match inventory
        .warehouse_index(&e.warehouse)
        .and_then(|i| inventory.warehouse(i))
    {
        None => out.push((
            "warehouse".into(),
            format!("unknown warehouse `{}`", e.warehouse),
        )),
        Some(w) if w.kind != WarehouseKind::Consignment => out.push((
            "warehouse".into(),
            format!(
                "`{}` is an own warehouse, not a consignment location",
                e.warehouse
            ),
        )),
        Some(_) => {}
    }
    if e.lines.is_empty() {
        out.push(("lines".into(), "event has no lines".into()));
    }
    for (j, l) in e.lines.iter().enumerate() {
        if l.sku.trim().is_empty() {
            out.push((format!("lines[{j}].sku"), "sku must not be empty".into()));
        }
        let negative = l.qty.is_sign_negative() && !l.qty.is_zero();
        if e.kind == EventKind::Sync {
            if negative {
                out.push((
                    format!("lines[{j}].qty"),
                    format!("a counted quantity must not be negative, got `{}`", l.qty),
                ));
            }
        } else if l.qty <= Decimal::ZERO {
            out.push((
                format!("lines[{j}].qty"),
                format!("quantity must be greater than 0, got `{}`", l.qty),
            ));
        }
        if l.qty > MAX_QUANTITY {
            out.push((
                format!("lines[{j}].qty"),
                format!("quantity must be at most `{MAX_QUANTITY}`, got `{}`", l.qty),
            ));
        }
    }
    out
}

/// Checks events against the inventory; each problem's path is `events[i].field`.
pub fn validate_events(inventory: &PreparedInventory, events: &[Event]) -> Result<()> {
    let errors: Vec<Diagnostic> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            check_event(inventory, e)
                .into_iter()
                .map(move |(field, message)| invalid(&format!("events[{i}].{field}"), message))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StockrouteError::from_diagnostics(errors))
    }
}

/// Parses a JSONL event log (one event per line; blank lines are skipped) and checks each
/// event against the inventory. Every problem is reported with its line (`line`) and field
/// (`path`); nothing is settled from a log with errors, since a skipped event would
/// silently change the figures.
pub fn parse_events(inventory: &PreparedInventory, text: &str) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            continue;
        }
        match crate::json::from_str::<Event>(raw, "event") {
            Ok(e) => {
                for (field, message) in check_event(inventory, &e) {
                    let mut d = invalid(&field, message);
                    d.line = Some(line_no);
                    errors.push(d);
                }
                events.push(e);
            }
            Err(e) => {
                for mut d in e.diagnostics {
                    d.line = Some(line_no);
                    errors.push(d);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(events)
    } else {
        let mut e = StockrouteError::from_diagnostics(errors);
        if let Some(first) = e.diagnostics.first() {
            if let Some(l) = first.line {
                e.message = format!("line {l}: {}", e.message);
            }
        }
        Err(e)
    }
}

#[derive(Default)]
struct Account {
    running: Decimal,
    opening: Decimal,
    sent: Decimal,
    sold: Decimal,
    forwarded: Decimal,
    returned: Decimal,
    discrepancy: Decimal,
    counted: Option<String>,
    discrepancies: Vec<Discrepancy>,
}

fn add(a: Decimal, b: Decimal) -> Decimal {
    a.saturating_add(b)
}

impl Account {
    /// Units leaving the location; more than it holds is a (negative) discrepancy.
    fn out(
        &mut self,
        qty: Decimal,
        in_period: bool,
        at: (&str, &str, &str),
        what: &str,
    ) -> Decimal {
        let (warehouse, sku, date) = at;
        if qty > self.running {
            let over = qty.saturating_sub(self.running);
            if in_period {
                self.discrepancy = self.discrepancy.saturating_sub(over);
                self.discrepancies.push(Discrepancy {
                    sku: sku.to_string(),
                    date: date.to_string(),
                    expected: self.running,
                    counted: None,
                    units: -over,
                    message: format!(
                        "{over} of `{sku}` more {what} at `{warehouse}` than the log accounts for: {qty} {what} on {date}, {} expected on hand",
                        self.running
                    ),
                });
            }
            self.running = Decimal::ZERO;
        } else {
            self.running = self.running.saturating_sub(qty);
        }
        if in_period {
            qty
        } else {
            Decimal::ZERO
        }
    }
}

/// Settles every consignment location of the inventory for `period`; see the module docs.
/// Events are applied in date order (one day's events in log order); events before the
/// period make up the opening stock, events after it are ignored.
pub fn settle(
    inventory: &PreparedInventory,
    events: &[Event],
    period: &Period,
) -> Result<Settlement> {
    validate_events(inventory, events)?;
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by(|a, b| a.date.cmp(&b.date));
    let supplier_currency = inventory
        .inventory()
        .supplier
        .as_ref()
        .and_then(|s| s.currency.clone());
    // Each location's events once, in date order: O(events), not O(locations × events).
    let mut by_location: std::collections::HashMap<&str, Vec<&Event>> =
        std::collections::HashMap::new();
    for e in ordered {
        by_location.entry(e.warehouse.as_str()).or_default().push(e);
    }
    let mut locations = Vec::new();
    for w in inventory
        .warehouses()
        .iter()
        .filter(|w| w.kind == WarehouseKind::Consignment)
    {
        locations.push(settle_location(
            inventory,
            w,
            by_location.get(w.id.as_str()).map_or(&[], Vec::as_slice),
            period,
            supplier_currency.as_deref(),
        ));
    }
    Ok(Settlement {
        period: period.clone(),
        locations,
    })
}

fn description(inventory: &PreparedInventory, sku: &str) -> String {
    inventory
        .product(sku)
        .and_then(|p| p.description.clone())
        .unwrap_or_else(|| sku.to_string())
}

fn settle_location(
    inventory: &PreparedInventory,
    w: &Warehouse,
    events: &[&Event],
    period: &Period,
    supplier_currency: Option<&str>,
) -> LocationSettlement {
    let terms = w.terms.clone().unwrap_or_default();
    let mode = terms.sales;
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    let mut opened = false;
    for e in events.iter().filter(|e| e.warehouse == w.id) {
        if e.date.as_str() > period.to.as_str() {
            break;
        }
        let in_period = e.date.as_str() >= period.from.as_str();
        if in_period && !opened {
            opened = true;
            for a in accounts.values_mut() {
                a.opening = a.running;
            }
        }
        for l in &e.lines {
            let a = accounts.entry(l.sku.clone()).or_default();
            let date = e.date.as_str();
            match e.kind {
                EventKind::Delivery => {
                    a.running = add(a.running, l.qty);
                    if in_period {
                        a.sent = add(a.sent, l.qty);
                    }
                }
                EventKind::Sale => {
                    let q = a.out(l.qty, in_period, (&w.id, &l.sku, date), "sold");
                    a.sold = add(a.sold, q);
                }
                EventKind::Shipment => {
                    let q = a.out(l.qty, in_period, (&w.id, &l.sku, date), "shipped");
                    a.forwarded = add(a.forwarded, q);
                }
                EventKind::Return => {
                    let q = a.out(l.qty, in_period, (&w.id, &l.sku, date), "returned");
                    a.returned = add(a.returned, q);
                }
                EventKind::Sync => {
                    let expected = a.running;
                    let missing = expected.saturating_sub(l.qty);
                    a.running = l.qty;
                    a.counted = Some(e.date.clone());
                    if !in_period || missing.is_zero() {
                        continue;
                    }
                    if mode == SalesSource::FromSyncs && missing > Decimal::ZERO {
                        a.sold = add(a.sold, missing);
                        continue;
                    }
                    a.discrepancy = add(a.discrepancy, missing);
                    let message = if missing > Decimal::ZERO {
                        format!(
                            "{missing} of `{}` missing at `{}`: counted {} on {}, expected {expected}",
                            l.sku, w.id, l.qty, e.date
                        )
                    } else {
                        format!(
                            "{} of `{}` more at `{}` than the log accounts for: counted {} on {}, expected {expected}",
                            -missing, l.sku, w.id, l.qty, e.date
                        )
                    };
                    a.discrepancies.push(Discrepancy {
                        sku: l.sku.clone(),
                        date: e.date.clone(),
                        expected,
                        counted: Some(l.qty),
                        units: missing,
                        message,
                    });
                }
            }
        }
    }
    if !opened {
        for a in accounts.values_mut() {
            a.opening = a.running;
        }
    }
    let period_ended = terms
        .period_end
        .as_deref()
        .is_some_and(|end| end <= period.to.as_str());
    let currency = terms
        .currency
        .clone()
        .or_else(|| supplier_currency.map(str::to_string));
    let mut skus = Vec::new();
    let mut invoice = Vec::new();
    let mut invoice_total = Decimal::ZERO;
    let mut returns = Vec::new();
    let mut discrepancies = Vec::new();
    let mut issues = Vec::new();
    for (sku, a) in accounts {
        let price = terms.prices.get(&sku).copied();
        let value = |q: Decimal| price.and_then(|p| p.checked_mul(q));
        if a.sold > Decimal::ZERO {
            let amount = value(a.sold);
            if let Some(v) = amount {
                invoice_total = add(invoice_total, v);
            } else {
                issues.push(format!(
                    "no price for `{sku}` in `terms.prices` of `{}`: {} sold units are not invoiced",
                    w.id, a.sold
                ));
            }
            invoice.push(InvoiceLine {
                sku: sku.clone(),
                description: description(inventory, &sku),
                qty: a.sold,
                unit_price: price,
                amount,
            });
        }
        if a.running > Decimal::ZERO {
            returns.push(ReturnLine {
                sku: sku.clone(),
                description: description(inventory, &sku),
                qty: a.running,
                due_by: terms.period_end.clone(),
                due: period_ended,
            });
        }
        discrepancies.extend(a.discrepancies);
        skus.push(SkuSettlement {
            sku,
            opening: a.opening,
            sent: a.sent,
            sold: a.sold,
            forwarded: a.forwarded,
            returned: a.returned,
            on_hand: a.running,
            discrepancy: a.discrepancy,
            counted: a.counted,
            price,
            sent_value: value(a.sent),
            sold_value: value(a.sold),
        });
    }
    LocationSettlement {
        warehouse: w.id.clone(),
        retailer: w.owner.clone(),
        currency,
        period_end: terms.period_end.clone(),
        period_ended,
        sales: mode,
        skus,
        invoice,
        invoice_total,
        returns,
        discrepancies,
        issues,
    }
}

/// Whether a settlement's figures balance for every SKU (see the module docs).
pub fn balances(s: &SkuSettlement) -> bool {
    let left = s.opening.checked_add(s.sent);
    let right = s
        .sold
        .checked_add(s.forwarded)
        .and_then(|v| v.checked_add(s.returned))
        .and_then(|v| v.checked_add(s.on_hand))
        .and_then(|v| v.checked_add(s.discrepancy));
    left.is_some() && left == right
}
