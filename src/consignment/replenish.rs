//! Replenishment proposals: per consignment location and SKU, how much the supplier should
//! send, and why (see `docs/replenishment.md`).
//!
//! A proposal starts from the location's stock position (on hand less reserved, from the
//! loaded inventory), its sell-through over a window of days (sales and forwarded
//! shipments from the consignment event log, or units gone at the stock counts the router
//! recorded with [`SalesHistory`]) and its `terms.replenish`:
//!
//! - `{ min, max }`: reorder at `min`, fill up to `max` (units);
//! - `{ days_of_cover, lead_time_days }`: reorder when the stock no longer covers the lead
//!   time, fill up to the lead time plus `days_of_cover` days of sales.
//!
//! Two caps hold whatever the terms or a rule say: nothing more than the location sells, at
//! its current rate, before its consignment period ends (and nothing at all once a delivery
//! sent today would arrive after that day), and nothing beyond what the supplier's own
//! warehouses can spare after their channels' reservations and safety buffer. Locations
//! that run out soonest get the spare stock first. Whole-unit products get whole units.
//! Finally the rule's `replenish(warehouse, sku, proposal)` hook may change or veto each
//! proposal within those caps.
//!
//! Pure: no clock (the day is the `as_of` option), no randomness.

use super::dates;
use super::settlement::{self, Event};
use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hooks, Run, RunLimits};
use crate::inventory::PreparedInventory;
use crate::model::{ReplenishTerms, StockChange, Warehouse, WarehouseKind, MAX_QUANTITY};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Days of sales a proposal looks back on, unless the options say otherwise.
pub const DEFAULT_WINDOW_DAYS: u32 = 28;

/// The longest sales window, and how many days of stock counts [`SalesHistory`] keeps.
pub const MAX_WINDOW_DAYS: u32 = 91;

/// Options of a replenishment run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "ReplenishOptions"))]
#[serde(default, deny_unknown_fields)]
pub struct ReplenishOptions {
    /// The day the proposals are for (`YYYY-MM-DD`): the sales window ends on it and
    /// deliveries leave on it. Required in Rust; JavaScript defaults it to today (UTC).
    #[cfg_attr(test, ts(as = "Option<String>", optional))]
    pub as_of: String,
    /// Days of sales to measure the rate on, ending on `as_of` (1 to 91, default 28).
    #[cfg_attr(test, ts(as = "Option<u32>", optional))]
    pub window_days: u32,
    /// Only these consignment locations (all of them when empty).
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub warehouses: Vec<String>,
}

impl Default for ReplenishOptions {
    fn default() -> Self {
        ReplenishOptions {
            as_of: String::new(),
            window_days: DEFAULT_WINDOW_DAYS,
            warehouses: Vec::new(),
        }
    }
}

impl ReplenishOptions {
    /// Reads options from JSON text; every problem is `options.invalid` naming the key.
    pub fn from_json(text: &str) -> Result<ReplenishOptions> {
        crate::router::options_from_json(text, "replenishment options")
    }
}

/// Where the sell-through comes from.
#[derive(Debug, Clone, Copy)]
pub enum Sales<'a> {
    /// The consignment event log: `sale` events (or, with `terms.sales: from_syncs`, units
    /// missing at counts, as the settlement reads them) and `shipment` events.
    Events(&'a [Event]),
    /// Units gone at the stock counts (`syncWarehouse`) the router recorded.
    History(&'a SalesHistory),
}

/// Where a run's sell-through came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SalesFrom {
    /// The consignment event log.
    Events,
    /// Stock counts recorded from `syncWarehouse`.
    Syncs,
}

/// The days whose sales give the rate: `from` to `to`, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SalesWindow {
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day (`as_of`).
    pub to: String,
    /// Number of days.
    pub days: u32,
}

/// Every proposal of one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Replenishment {
    /// The day the proposals are for.
    pub as_of: String,
    /// The days whose sales give each rate.
    pub window: SalesWindow,
    /// Where the sales came from.
    pub source: SalesFrom,
    /// One per consignment location with `terms.replenish` and SKU it holds or sold, in
    /// inventory order, SKUs sorted.
    pub proposals: Vec<Proposal>,
    /// Per SKU proposed for: what the own warehouses can spare and how much of it the
    /// proposals take.
    pub own: Vec<OwnStock>,
    /// Consignment locations without proposals, and why.
    pub skipped: Vec<Skipped>,
}

/// What rule decided, when a `replenish` hook ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RuleDecision {
    /// The rule kept the engine's quantity.
    Kept,
    /// The rule changed it.
    Adjusted,
    /// The rule vetoed a delivery the engine proposed.
    Vetoed,
}

/// What to send one consignment location of one SKU, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct Proposal {
    /// The consignment location.
    pub warehouse: String,
    /// The retailer holding the stock (`owner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retailer: Option<String>,
    /// SKU.
    pub sku: String,
    /// Units on hand there (the loaded inventory).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub on_hand: Decimal,
    /// Units of it promised to orders (not available to sell).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub reserved: Decimal,
    /// Units sold there in the window (by the retailer).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub sold: Decimal,
    /// Units the location shipped for the supplier's own orders in the window (they leave
    /// the shelf as sales do).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub forwarded: Decimal,
    /// (sold + forwarded) / window days, to 2 decimal places.
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub sold_per_day: Decimal,
    /// Days the stock there (on hand less reserved) lasts at that rate, to 1 decimal place,
    /// rounded down; absent when nothing sells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::Decimal>"))]
    pub days_of_cover: Option<Decimal>,
    /// At or below this stock a delivery is proposed.
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub reorder_point: Decimal,
    /// The level a delivery fills up to.
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub target: Decimal,
    /// Units to send now (0: nothing).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub propose: Decimal,
    /// The most that may be sent: what sells there before the period end, and what own
    /// warehouses can still spare (`1000000000000000` when neither limits it).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub limit: Decimal,
    /// What the `replenish` hook did, when the rules define one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleDecision>,
    /// The reasoning, in order, in words.
    pub why: Vec<String>,
}

/// What the own warehouses can spare of one SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
pub struct OwnStock {
    /// SKU.
    pub sku: String,
    /// Σ available at enabled own warehouses (on hand − reserved − safety per row).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub available: Decimal,
    /// Σ channel reservations (sold, not yet routed).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub channel_reserved: Decimal,
    /// The largest channel safety buffer (the channels share own stock).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub channel_safety: Decimal,
    /// available − channel_reserved − channel_safety, never below 0.
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub spare: Decimal,
    /// Σ propose over the SKU's proposals (never above `spare`).
    #[cfg_attr(test, ts(as = "crate::typescript::Decimal"))]
    pub proposed: Decimal,
    /// Untracked product: own stock is unlimited.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(test, ts(as = "Option<bool>"))]
    pub unlimited: bool,
}

/// A consignment location without proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Skipped {
    /// The location.
    pub warehouse: String,
    /// Why, in words.
    pub reason: String,
}

/// Units gone at a consignment location's stock counts, per day, for the last
/// [`MAX_WINDOW_DAYS`] days: the sell-through of locations whose retailer only syncs its
/// stock. Feed it what `sync_warehouse` returned ([`SalesHistory::record`]).
///
/// Memory is bounded: one entry (a day number and a decimal, about 24 bytes) per
/// consignment location, SKU and day on which a count found fewer units than before; days
/// older than [`MAX_WINDOW_DAYS`] before the newest count are dropped. Increases
/// (deliveries) are not sales and are not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesHistory {
    by_row: HashMap<(String, String), VecDeque<(i32, Decimal)>>,
    newest: Option<i32>,
}

fn day_number(text: &str, path: &str) -> Result<i32> {
    dates::parse_date(text)
        .map(|d| d.to_julian_day())
        .ok_or_else(|| {
            let mut d = dates::date_error(text, path);
            d.code = code::OPTIONS_INVALID;
            d.into()
        })
}

fn day_text(day: i32) -> String {
    time::Date::from_julian_day(day)
        .map(dates::format_date)
        .unwrap_or_default()
}

impl SalesHistory {
    /// An empty history.
    pub fn new() -> SalesHistory {
        SalesHistory::default()
    }

    /// Records what a stock count (`sync_warehouse`) on `date` (`YYYY-MM-DD`) changed:
    /// every consignment row whose `on_hand` went down lost that many units to sales (or
    /// forwarded shipments, or shrinkage: a count cannot tell). Returns how many rows it
    /// recorded. A bad date is `options.invalid` (path `date`); changes of own warehouses,
    /// new rows and increases are ignored; a count older than the kept days is ignored.
    pub fn record(
        &mut self,
        inventory: &PreparedInventory,
        date: &str,
        changes: &[StockChange],
    ) -> Result<usize> {
        let day = day_number(date, "date")?;
        let newest = self.newest.map_or(day, |n| n.max(day));
        let oldest = newest.saturating_sub(keep_days());
        if day <= oldest {
            return Ok(0);
        }
        let mut recorded = 0;
        for c in changes {
            let consignment = inventory
                .warehouse_index(&c.warehouse)
                .and_then(|w| inventory.warehouse(w))
                .is_some_and(|w| w.kind == WarehouseKind::Consignment);
            let Some(before) = &c.before else {
                continue;
            };
            if !consignment || c.after.on_hand >= before.on_hand {
                continue;
            }
            let gone = before.on_hand.saturating_sub(c.after.on_hand);
            let days = self
                .by_row
                .entry((c.warehouse.clone(), c.sku.clone()))
                .or_default();
            let at = days.partition_point(|(d, _)| *d < day);
            match days.get_mut(at) {
                Some((d, units)) if *d == day => *units = units.saturating_add(gone),
                _ => days.insert(at, (day, gone)),
            }
            recorded += 1;
        }
        if self.newest != Some(newest) {
            self.newest = Some(newest);
            // Once per new day: drop what no window can reach any more.
            self.by_row.retain(|_, days| {
                while days.front().is_some_and(|(d, _)| *d <= oldest) {
                    days.pop_front();
                }
                !days.is_empty()
            });
        }
        Ok(recorded)
    }

    /// How many (location, SKU, day) entries are kept.
    pub fn entries(&self) -> usize {
        self.by_row.values().map(VecDeque::len).sum()
    }

    /// Units gone at `warehouse` of `sku` from day `from` to day `to` (both included).
    fn units(&self, warehouse: &str, sku: &str, from: i32, to: i32) -> Decimal {
        self.by_row
            .get(&(warehouse.to_string(), sku.to_string()))
            .map_or(Decimal::ZERO, |days| {
                days.iter()
                    .filter(|(d, _)| from <= *d && *d <= to)
                    .fold(Decimal::ZERO, |a, (_, u)| a.saturating_add(*u))
            })
    }

    /// SKUs with units gone at `warehouse` in the days given.
    fn skus_at(&self, warehouse: &str, from: i32, to: i32) -> Vec<String> {
        self.by_row
            .iter()
            .filter(|((w, _), days)| {
                w == warehouse && days.iter().any(|(d, _)| from <= *d && *d <= to)
            })
            .map(|((_, sku), _)| sku.clone())
            .collect()
    }
}

fn keep_days() -> i32 {
    i32::try_from(MAX_WINDOW_DAYS).unwrap_or(i32::MAX)
}

fn q(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Rounded up: to whole units, or to 2 decimal places for goods sold by length or weight.
fn up(x: Decimal, whole: bool) -> Decimal {
    if whole {
        x.ceil()
    } else {
        x.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity)
    }
    .normalize()
}

/// Rounded down, the same way.
fn down(x: Decimal, whole: bool) -> Decimal {
    if whole {
        x.floor()
    } else {
        x.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity)
    }
    .normalize()
}

/// The terms in effect: reorder point and target follow from them and the rate.
#[derive(Debug, Clone, Copy)]
enum Terms {
    Levels { min: Decimal, max: Decimal },
    Cover { days: Decimal },
}

fn terms_of(r: &ReplenishTerms) -> Option<(Terms, u32)> {
    let lead = r.lead_time_days.unwrap_or(0);
    match (r.min, r.max, r.days_of_cover) {
        (Some(min), Some(max), None) => Some((Terms::Levels { min, max }, lead)),
        (None, None, Some(days)) => Some((Terms::Cover { days }, lead)),
        // The inventory check refuses every other shape.
        _ => None,
    }
}

/// One proposal before the shared own stock is divided.
struct Draft {
    w: usize,
    proposal: Proposal,
    /// Stock there to sell: on hand − reserved.
    position: Decimal,
    /// Before the spare-stock cap.
    wanted: Decimal,
    /// What sells before the period end, less the position (MAX without a period end).
    period_cap: Decimal,
    /// When the period end limits nothing yet: what sells until then, in words.
    sells: Option<String>,
    whole: bool,
}

/// Per (warehouse index, SKU): (sold, forwarded) in the window.
type Outflow = HashMap<(usize, String), (Decimal, Decimal)>;

fn options_error(path: String, message: String) -> Diagnostic {
    Diagnostic::new(code::OPTIONS_INVALID, message).with_path(path)
}

/// Resolves the options: (as_of day, first day of the window, chosen locations).
fn resolve(
    inventory: &PreparedInventory,
    options: &ReplenishOptions,
) -> Result<(i32, i32, Option<BTreeSet<usize>>)> {
    let mut errors = Vec::new();
    let as_of = if options.as_of.is_empty() {
        errors.push(
            options_error(
                "as_of".into(),
                "`as_of` is required: the day the proposals are for".into(),
            )
            .with_help("a date written YYYY-MM-DD, for example `2026-11-30`"),
        );
        None
    } else {
        match day_number(&options.as_of, "as_of") {
            Ok(d) => Some(d),
            Err(e) => {
                errors.extend(e.diagnostics);
                None
            }
        }
    };
    if !(1..=MAX_WINDOW_DAYS).contains(&options.window_days) {
        errors.push(options_error(
            "window_days".into(),
            format!(
                "`window_days` must be between 1 and {MAX_WINDOW_DAYS}, got `{}`",
                options.window_days
            ),
        ));
    }
    let mut chosen = BTreeSet::new();
    for (i, id) in options.warehouses.iter().enumerate() {
        match inventory
            .warehouse_index(id)
            .and_then(|w| Some((w, inventory.warehouse(w)?)))
        {
            None => errors.push(options_error(
                format!("warehouses[{i}]"),
                format!("unknown warehouse `{id}`"),
            )),
            Some((_, w)) if w.kind != WarehouseKind::Consignment => errors.push(options_error(
                format!("warehouses[{i}]"),
                format!("`{id}` is an own warehouse, not a consignment location"),
            )),
            Some((w, _)) => {
                chosen.insert(w);
            }
        }
    }
    match (as_of, errors.is_empty()) {
        (Some(day), true) => {
            let days = i32::try_from(options.window_days).unwrap_or(1);
            let from = day.saturating_sub(days - 1);
            Ok((day, from, (!chosen.is_empty()).then_some(chosen)))
        }
        _ => Err(StockrouteError::from_diagnostics(errors)),
    }
}

/// What left each location in the window, from the event log (through the settlement, so
/// sales read exactly as the retailer is invoiced for them) or the recorded stock counts.
fn outflow(
    inventory: &PreparedInventory,
    sales: Sales<'_>,
    window: &SalesWindow,
    from: i32,
    to: i32,
) -> Result<Outflow> {
    let mut out = Outflow::new();
    match sales {
        Sales::Events(events) => {
            let period = dates::Period {
                from: window.from.clone(),
                to: window.to.clone(),
            };
            let settled = settlement::settle(inventory, events, &period)?;
            for location in settled.locations {
                let Some(w) = inventory.warehouse_index(&location.warehouse) else {
                    continue;
                };
                for s in location.skus {
                    if !s.sold.is_zero() || !s.forwarded.is_zero() {
                        out.insert((w, s.sku), (s.sold, s.forwarded));
                    }
                }
            }
        }
        Sales::History(history) => {
            for (w, warehouse) in inventory.warehouses().iter().enumerate() {
                if warehouse.kind != WarehouseKind::Consignment {
                    continue;
                }
                for sku in history.skus_at(&warehouse.id, from, to) {
                    let units = history.units(&warehouse.id, &sku, from, to);
                    out.insert((w, sku), (units, Decimal::ZERO));
                }
            }
        }
    }
    Ok(out)
}

/// Computes every proposal; see the module docs. `hooks` answers `replenish` when the rules
/// define it; each call runs against its own [`Run`] with `limits`.
pub(crate) fn replenishment(
    hooks: &dyn Hooks,
    inventory: &PreparedInventory,
    sales: Sales<'_>,
    options: &ReplenishOptions,
    limits: RunLimits,
) -> Result<Replenishment> {
    let (as_of, from, chosen) = resolve(inventory, options)?;
    let window = SalesWindow {
        from: day_text(from),
        to: options.as_of.clone(),
        days: options.window_days,
    };
    let out = outflow(inventory, sales, &window, from, as_of)?;
    let source = match sales {
        Sales::Events(_) => SalesFrom::Events,
        Sales::History(_) => SalesFrom::Syncs,
    };
    // SKUs per consignment location: every stock row there, and whatever left it.
    let mut skus_at: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for row in &inventory.inventory().stock {
        if let Some(w) = inventory.warehouse_index(&row.warehouse) {
            skus_at.entry(w).or_default().insert(row.sku.as_str());
        }
    }
    for (w, sku) in out.keys() {
        skus_at.entry(*w).or_default().insert(sku.as_str());
    }
    let mut skipped = Vec::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for (w, warehouse) in inventory.warehouses().iter().enumerate() {
        if warehouse.kind != WarehouseKind::Consignment
            || chosen.as_ref().is_some_and(|c| !c.contains(&w))
        {
            continue;
        }
        let skip = |reason: &str| Skipped {
            warehouse: warehouse.id.clone(),
            reason: reason.to_string(),
        };
        if !warehouse.enabled {
            skipped.push(skip("disabled: it sells and ships nothing"));
            continue;
        }
        let Some((terms, lead)) = warehouse
            .terms
            .as_ref()
            .and_then(|t| t.replenish.as_ref())
            .and_then(terms_of)
        else {
            skipped.push(skip("no replenishment terms (`terms.replenish`)"));
            continue;
        };
        for sku in skus_at.get(&w).into_iter().flatten() {
            let (sold, forwarded) = out
                .get(&(w, (*sku).to_string()))
                .copied()
                .unwrap_or_default();
            drafts.push(draft(
                inventory,
                (w, warehouse),
                sku,
                (terms, lead),
                (sold, forwarded),
                (&window, as_of),
                source,
            ));
        }
    }
    let mut own = Vec::new();
    let mut proposals = Vec::with_capacity(drafts.len());
    // SKU by SKU, the spare own stock goes to the locations that run out soonest.
    let mut by_sku: BTreeMap<String, Vec<Draft>> = BTreeMap::new();
    for d in drafts {
        by_sku.entry(d.proposal.sku.clone()).or_default().push(d);
    }
    for (sku, mut list) in by_sku {
        list.sort_by(|a, b| {
            let cover = |d: &Draft| d.proposal.days_of_cover.unwrap_or(MAX_QUANTITY);
            cover(a)
                .cmp(&cover(b))
                .then_with(|| {
                    (a.position - a.proposal.reorder_point)
                        .cmp(&(b.position - b.proposal.reorder_point))
                })
                .then(a.w.cmp(&b.w))
        });
        let mut stock = own_stock(inventory, &sku);
        let mut left = stock.spare;
        let mut served: Vec<String> = Vec::new();
        for mut d in list {
            let spare_before = left;
            let limit = d.period_cap.min(left);
            let mut propose = d.wanted.min(limit);
            if propose < d.wanted && left < d.period_cap {
                d.proposal
                    .why
                    .push(spare_words(&stock, spare_before, &served, &sku));
            } else if !d.wanted.is_zero() && propose == d.wanted {
                // Nothing binds: say what the limit is made of all the same.
                let mut parts: Vec<String> = d.sells.take().into_iter().collect();
                if !stock.unlimited {
                    parts.push(format!("own warehouses can spare {}", q(left)));
                }
                if !parts.is_empty() {
                    d.proposal.why.push(format!(
                        "at most {} may go: {}",
                        q(limit),
                        parts.join("; ")
                    ));
                }
            }
            propose = down(propose, d.whole);
            d.proposal.limit = limit.normalize();
            d.proposal.propose = propose;
            if hooks.defines(crate::hooks::Hook::Replenish) {
                decide(hooks, inventory, &mut d, limits)?;
            }
            let p = d.proposal.propose;
            if p.is_zero() {
                d.proposal.why.push("nothing to send".into());
            } else {
                d.proposal.why.push(format!("send {}", q(p)));
                served.push(d.proposal.warehouse.clone());
            }
            left = left.saturating_sub(p).max(Decimal::ZERO);
            stock.proposed = stock.proposed.saturating_add(p);
            proposals.push((d.w, d.proposal));
        }
        stock.proposed = stock.proposed.normalize();
        own.push(stock);
    }
    proposals.sort_by(|(wa, a), (wb, b)| wa.cmp(wb).then_with(|| a.sku.cmp(&b.sku)));
    Ok(Replenishment {
        as_of: options.as_of.clone(),
        window,
        source,
        proposals: proposals.into_iter().map(|(_, p)| p).collect(),
        own,
        skipped,
    })
}

fn spare_words(stock: &OwnStock, left: Decimal, served: &[String], sku: &str) -> String {
    let mut text = format!(
        "own warehouses can spare {} of `{sku}` (available {}, less {} reserved on channels and the channel safety {})",
        q(stock.spare),
        q(stock.available),
        q(stock.channel_reserved),
        q(stock.channel_safety)
    );
    if left < stock.spare {
        let names: Vec<String> = served.iter().map(|w| format!("`{w}`")).collect();
        text.push_str(&format!(
            "; {} of it went first to {}, which run{} out sooner",
            q(stock.spare - left),
            names.join(", "),
            if names.len() == 1 { "s" } else { "" }
        ));
    }
    text
}

/// The spare own stock of a SKU: see [`OwnStock`].
fn own_stock(inventory: &PreparedInventory, sku: &str) -> OwnStock {
    let whole = inventory.whole_units(sku);
    let mut available = Decimal::ZERO;
    let mut unlimited = false;
    for (w, level) in inventory.rows_of(sku).into_iter().flat_map(|r| r.iter()) {
        let own = inventory
            .warehouse(w)
            .is_some_and(|w| w.kind == WarehouseKind::Own && w.enabled);
        if own {
            unlimited |= level.available >= MAX_QUANTITY;
            available = available.saturating_add(level.available).min(MAX_QUANTITY);
        }
    }
    let channels = &inventory.inventory().channels;
    let channel_reserved = (0..channels.len()).fold(Decimal::ZERO, |a, c| {
        a.saturating_add(inventory.channel_reserved(c, sku))
    });
    let channel_safety = channels
        .iter()
        .map(|c| c.safety)
        .max()
        .unwrap_or(Decimal::ZERO);
    let spare = if unlimited {
        MAX_QUANTITY
    } else {
        down(
            available
                .saturating_sub(channel_reserved)
                .saturating_sub(channel_safety)
                .max(Decimal::ZERO),
            whole,
        )
    };
    OwnStock {
        sku: sku.to_string(),
        available: available.normalize(),
        channel_reserved: channel_reserved.normalize(),
        channel_safety: channel_safety.normalize(),
        spare,
        proposed: Decimal::ZERO,
        unlimited,
    }
}

/// The proposal of one location and SKU before the own stock is divided: rate, cover,
/// reorder point, target, what the terms want and what the period end allows.
fn draft(
    inventory: &PreparedInventory,
    (w, warehouse): (usize, &Warehouse),
    sku: &str,
    (terms, lead): (Terms, u32),
    (sold, forwarded): (Decimal, Decimal),
    (window, as_of): (&SalesWindow, i32),
    source: SalesFrom,
) -> Draft {
    let whole = inventory.whole_units(sku);
    let row = inventory
        .level(w, sku)
        .and_then(|l| inventory.inventory().stock.get(l.row));
    let on_hand = row.map_or(Decimal::ZERO, |r| r.on_hand);
    let reserved = row.map_or(Decimal::ZERO, |r| r.reserved);
    let position = on_hand.saturating_sub(reserved);
    let mut why = Vec::new();
    if !reserved.is_zero() {
        why.push(format!(
            "{} on hand, {} of it reserved for orders: {} in stock to sell",
            q(on_hand),
            q(reserved),
            q(position)
        ));
    }
    let gone = sold.saturating_add(forwarded);
    let rate = Rate {
        gone,
        days: Decimal::from(window.days),
    };
    let span = format!("the {} days to {}", window.days, window.to);
    why.push(match (source, gone.is_zero()) {
        (_, true) => format!("nothing sold in {span}"),
        (SalesFrom::Events, false) if forwarded.is_zero() => {
            format!("sold {} in {span}: {} a day", q(sold), q(rate.per_day()))
        }
        (SalesFrom::Events, false) if sold.is_zero() => format!(
            "none sold, {} shipped for own orders in {span}: {} a day",
            q(forwarded),
            q(rate.per_day())
        ),
        (SalesFrom::Events, false) => format!(
            "sold {} and shipped {} for own orders in {span}: {} a day",
            q(sold),
            q(forwarded),
            q(rate.per_day())
        ),
        (SalesFrom::Syncs, false) => format!(
            "{} gone at stock counts in {span}: {} a day",
            q(gone),
            q(rate.per_day())
        ),
    });
    let cover = rate.lasts(position.max(Decimal::ZERO)).map(|d| {
        d.round_dp_with_strategy(1, RoundingStrategy::ToZero)
            .normalize()
    });
    match cover {
        Some(_) if position <= Decimal::ZERO => why.push("nothing left in stock there".into()),
        Some(days) => why.push(format!(
            "{} in stock there lasts about {} days",
            q(position),
            q(days)
        )),
        None => {}
    }
    let lead_d = Decimal::from(lead);
    let (reorder_point, target) = match terms {
        Terms::Levels { min, max } => {
            why.push(format!(
                "terms: reorder at {}, fill up to {}",
                q(min),
                q(max)
            ));
            (min.normalize(), max.normalize())
        }
        Terms::Cover { days } => {
            let rop = up(rate.over(lead_d), whole);
            let target = up(rate.over(lead_d.saturating_add(days)), whole);
            why.push(format!(
                "terms: {} days of cover after a lead time of {lead} days: reorder at {} ({lead} days of sales), fill up to {} ({} days)",
                q(days),
                q(rop),
                q(target),
                q(lead_d.saturating_add(days))
            ));
            (rop, target)
        }
    };
    let wanted = if position <= reorder_point {
        let w = target.saturating_sub(position).max(Decimal::ZERO);
        if !w.is_zero() {
            why.push(format!(
                "{} in stock is at or below the reorder point {}: {} more to reach {}",
                q(position),
                q(reorder_point),
                q(w),
                q(target)
            ));
        }
        w
    } else {
        why.push(format!(
            "{} in stock is above the reorder point {}",
            q(position),
            q(reorder_point)
        ));
        Decimal::ZERO
    };
    let mut sells = None;
    let period_cap = period_cap(
        warehouse,
        (as_of, lead),
        rate,
        position,
        whole,
        wanted,
        (&mut why, &mut sells),
    );
    Draft {
        w,
        proposal: Proposal {
            warehouse: warehouse.id.clone(),
            retailer: warehouse.owner.clone(),
            sku: sku.to_string(),
            on_hand: on_hand.normalize(),
            reserved: reserved.normalize(),
            sold: sold.normalize(),
            forwarded: forwarded.normalize(),
            sold_per_day: rate.per_day(),
            days_of_cover: cover,
            reorder_point,
            target,
            propose: Decimal::ZERO,
            limit: Decimal::ZERO,
            rule: None,
            why,
        },
        position,
        wanted,
        period_cap,
        sells,
        whole,
    }
}

/// Units gone over a number of days. Products and quotients are formed from these two
/// exact figures (never from a rounded rate), so 4 sold in 28 days covers 1 unit for
/// exactly 7 days.
#[derive(Debug, Clone, Copy)]
struct Rate {
    gone: Decimal,
    days: Decimal,
}

impl Rate {
    /// Units a day, to 2 decimal places (for display).
    fn per_day(self) -> Decimal {
        self.over(Decimal::ONE)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    }

    /// Units gone in `days` days at this rate.
    fn over(self, days: Decimal) -> Decimal {
        self.gone
            .checked_mul(days)
            .and_then(|x| x.checked_div(self.days))
            .unwrap_or(MAX_QUANTITY)
            .min(MAX_QUANTITY)
    }

    /// Days `units` last at this rate; `None` when nothing goes.
    fn lasts(self, units: Decimal) -> Option<Decimal> {
        if self.gone.is_zero() {
            return None;
        }
        units.checked_mul(self.days)?.checked_div(self.gone)
    }
}

/// What may still go to the location before its consignment period ends: nothing once the
/// period has ended or when a delivery sent today arrives after it; otherwise what it
/// sells at `rate` until then, less what it has. `MAX_QUANTITY` without a period end.
fn period_cap(
    warehouse: &Warehouse,
    (as_of, lead): (i32, u32),
    rate: Rate,
    position: Decimal,
    whole: bool,
    wanted: Decimal,
    (why, quiet): (&mut Vec<String>, &mut Option<String>),
) -> Decimal {
    let Some((end_text, end)) = warehouse
        .terms
        .as_ref()
        .and_then(|t| t.period_end.as_deref())
        .and_then(|t| Some((t, dates::parse_date(t)?.to_julian_day())))
    else {
        return MAX_QUANTITY;
    };
    if as_of > end {
        why.push(format!(
            "the consignment period ended on {end_text}: nothing more goes there"
        ));
        return Decimal::ZERO;
    }
    let arrives = as_of.saturating_add(i32::try_from(lead).unwrap_or(i32::MAX));
    if arrives > end {
        why.push(format!(
            "the consignment period ends on {end_text}, before a delivery sent now arrives on {} (lead time {lead} days)",
            day_text(arrives)
        ));
        return Decimal::ZERO;
    }
    let days_left = Decimal::from(end - as_of);
    let sells = down(rate.over(days_left), whole);
    let cap = sells
        .saturating_sub(position)
        .max(Decimal::ZERO)
        .normalize();
    let words = format!(
        "it sells about {} in the {} days until the period ends on {end_text}",
        q(sells),
        q(days_left)
    );
    if cap < wanted {
        why.push(format!(
            "{words}, and unsold goods come back then: at most {} more",
            q(cap)
        ));
    } else {
        *quiet = Some(words);
    }
    cap
}

/// Asks the rule's `replenish` hook about a proposal and applies its answer within the
/// proposal's `limit`, in whole units where the product needs them.
fn decide(
    hooks: &dyn Hooks,
    inventory: &PreparedInventory,
    d: &mut Draft,
    limits: RunLimits,
) -> Result<()> {
    let mut run = Run::new(limits);
    let answer = hooks.replenish(&mut run, inventory, d.w, &d.proposal)?;
    let engine = d.proposal.propose;
    for note in run.take_notes() {
        d.proposal.why.push(format!("rule: {}", note.text));
    }
    if let Some(reason) = &answer.reason {
        d.proposal.why.push(format!("rule: {reason}"));
    }
    let Some(asked) = answer.propose else {
        d.proposal.rule = Some(RuleDecision::Kept);
        return Ok(());
    };
    let mut qty = asked;
    if qty > d.proposal.limit {
        d.proposal.why.push(format!(
            "the rule asked for {}; at most {} may go",
            q(asked),
            q(d.proposal.limit)
        ));
        qty = d.proposal.limit;
    }
    let rounded = down(qty, d.whole);
    if rounded != qty.normalize() && d.whole {
        d.proposal.why.push(format!(
            "`{}` is sold in whole units: {} rounded down to {}",
            d.proposal.sku,
            q(qty),
            q(rounded)
        ));
    }
    qty = rounded;
    d.proposal.rule = Some(if qty == engine {
        RuleDecision::Kept
    } else if qty.is_zero() {
        RuleDecision::Vetoed
    } else {
        RuleDecision::Adjusted
    });
    match d.proposal.rule {
        Some(RuleDecision::Vetoed) => d
            .proposal
            .why
            .push(format!("the rule vetoed the {} proposed", q(engine))),
        Some(RuleDecision::Adjusted) => {
            d.proposal
                .why
                .push(format!("the rule changed {} to {}", q(engine), q(qty)))
        }
        _ => {}
    }
    d.proposal.propose = qty;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_whole_units_whole_and_decimals_to_cents() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(up(d("0.36"), true), d("1"));
        assert_eq!(up(d("2"), true), d("2"));
        assert_eq!(up(d("12.341"), false), d("12.35"));
        assert_eq!(down(d("3.99"), true), d("3"));
        assert_eq!(down(d("12.349"), false), d("12.34"));
    }
}
