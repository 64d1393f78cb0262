//! The public entry point: compile a rule set once, route orders and aggregate availability.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::inventory::{PreparedInventory, Undo};
use crate::model::{Availability, Inventory, Order, Plan};
use crate::rules::{CheckReport, Execution, Limits, RuleSet};
use serde::{Deserialize, Serialize};

/// Options for [`Router::new`]. Unknown keys are errors (`options.invalid`), so a
/// misspelled option never silently does nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RouterOptions {
    /// Name of the rule set, attached to diagnostics (usually its file name).
    pub name: Option<String>,
    /// Sandbox limits.
    pub limits: Limits,
    /// Whether plans and availability carry the `trace` explaining them (default true).
    /// Backends routing at volume can turn it off: the trace is most of what crosses the
    /// JavaScript boundary.
    pub trace: bool,
    /// How hooks run: `"compiled"` (default: compiled to closures where possible, the rest
    /// on the interpreter) or `"interpreted"` (every hook on the Rhai interpreter, the
    /// reference semantics; slower).
    pub execution: Execution,
}

impl Default for RouterOptions {
    fn default() -> Self {
        RouterOptions {
            name: None,
            limits: Limits::default(),
            trace: true,
            execution: Execution::default(),
        }
    }
}

impl RouterOptions {
    /// Reads options from JSON text; every problem is `options.invalid` naming the key.
    pub fn from_json(text: &str) -> Result<RouterOptions> {
        options_from_json(text, "options")
    }
}

/// The reason that makes a re-route also drop the rejected stock (see [`RouteOptions`]).
pub const NOT_IN_STOCK: &str = "not_in_stock";

/// Per-call options of [`Router::route_with`] (JavaScript: the third argument of `route`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct RouteOptions {
    /// Warehouse ids not to ship from (locations that rejected the order).
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub exclude: Vec<String>,
    /// Why they rejected it, shown in the trace. [`NOT_IN_STOCK`] (`"not_in_stock"`) also
    /// sets the loaded stock of the order's SKUs at those locations to `on_hand` 0, so
    /// availability and later orders follow.
    #[cfg_attr(test, ts(optional))]
    pub reason: Option<String>,
    /// The routing day (`YYYY-MM-DD`), default today: a consignment location whose
    /// `terms.period_end` is before it no longer ships, unless `eligible` decides.
    #[cfg_attr(test, ts(optional))]
    pub as_of: Option<String>,
}

/// Per-call options of [`Router::route_batch_with`] (JavaScript: the third argument of
/// `routeBatch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct BatchOptions {
    /// Orders consume stock (default true): each order sees the stock (and location
    /// capacity) the earlier orders' shipments left. `false` routes every order against the
    /// same stock (what-if).
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub consume: bool,
    /// Warehouse ids no order of the batch ships from.
    #[cfg_attr(test, ts(as = "Option<_>", optional))]
    pub exclude: Vec<String>,
    /// The routing day (`YYYY-MM-DD`), default today (see [`RouteOptions::as_of`]).
    #[cfg_attr(test, ts(optional))]
    pub as_of: Option<String>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            consume: true,
            exclude: Vec::new(),
            as_of: None,
        }
    }
}

/// The routing day from an `as_of` option, or today where the platform has a clock.
fn routing_day(as_of: Option<&str>) -> Result<Option<time::Date>> {
    match as_of {
        None => Ok(crate::consignment::dates::today()),
        Some(text) => crate::consignment::dates::parse_date(text)
            .map(Some)
            .ok_or_else(|| {
                Diagnostic::new(
                    code::OPTIONS_INVALID,
                    format!("`as_of` must be a date such as `2026-11-30`, got `{text}`"),
                )
                .with_path("as_of")
                .into()
            }),
    }
}

/// Reads options of any kind from JSON text: every problem is `options.invalid` naming the
/// key (`what` names the options in messages, e.g. `route options`).
pub(crate) fn options_from_json<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T> {
    crate::json::from_str::<T>(text, what).map_err(options_error)
}

fn options_error(e: StockrouteError) -> StockrouteError {
    StockrouteError::from_diagnostics(
        e.diagnostics
            .into_iter()
            .map(|mut d| {
                d.code = code::OPTIONS_INVALID;
                d
            })
            .collect(),
    )
}

impl RouteOptions {
    /// Reads options from JSON text; every problem is `options.invalid` naming the key.
    pub fn from_json(text: &str) -> Result<RouteOptions> {
        options_from_json(text, "route options")
    }
}

impl BatchOptions {
    /// Reads options from JSON text; every problem is `options.invalid` naming the key.
    pub fn from_json(text: &str) -> Result<BatchOptions> {
        options_from_json(text, "batch options")
    }
}

/// Resolves excluded warehouse ids; an unknown id is `options.invalid` naming it.
fn resolve_exclude(inventory: &PreparedInventory, ids: &[String]) -> Result<Vec<usize>> {
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match inventory.warehouse_index(id) {
            Some(w) => out.push(w),
            None => errors.push(
                Diagnostic::new(code::OPTIONS_INVALID, format!("unknown warehouse `{id}`"))
                    .with_path(format!("exclude[{i}]")),
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(StockrouteError::from_diagnostics(errors))
    }
}

/// A compiled rule set ready to route orders.
///
/// ```
/// use stockroute::{Router, RouterOptions, PreparedInventory};
/// let router = Router::new("fn eligible(order, w) { w.kind == \"own\" }", RouterOptions::default())?;
/// let inventory: stockroute::Inventory = serde_json::from_str(r#"{
///   "warehouses": [{"id": "W1", "kind": "own"}],
///   "stock": [{"warehouse": "W1", "sku": "A", "on_hand": 5}],
///   "channels": [{"id": "web"}]
/// }"#).map_err(|e| stockroute::Diagnostic::new("data.invalid", e.to_string()))?;
/// let inventory = PreparedInventory::new(inventory)?;
/// let order: stockroute::Order = serde_json::from_str(r#"{
///   "id": "o1", "channel": "web", "ship_to": {"country": "DE"},
///   "lines": [{"id": "1", "sku": "A", "qty": 2}]
/// }"#).map_err(|e| stockroute::Diagnostic::new("data.invalid", e.to_string()))?;
/// let plan = router.route(&order, &inventory)?;
/// assert_eq!(plan.shipments[0].warehouse, "W1");
/// # Ok::<(), stockroute::StockrouteError>(())
/// ```
#[derive(Debug)]
pub struct Router {
    rules: RuleSet,
    limits: Limits,
    trace: bool,
}

impl Router {
    /// Compiles a rule set. Every compile diagnostic is reported at once; limits out of
    /// their ranges are `options.invalid`.
    pub fn new(source: &str, options: RouterOptions) -> Result<Router> {
        let RouterOptions {
            name,
            limits,
            trace,
            execution,
        } = options;
        limits.validate()?;
        Ok(Router {
            rules: RuleSet::compile_with(source, name.as_deref(), &limits, execution)?,
            limits,
            trace,
        })
    }

    /// The compiled rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Warnings `check` reports for these rules (misspelled hook names, ...): compiling
    /// succeeded, but they are probably mistakes.
    pub fn warnings(&self) -> &[Diagnostic] {
        self.rules.warnings()
    }

    fn settings(&self, as_of: Option<time::Date>) -> crate::routing::Settings {
        crate::routing::Settings {
            trace: self.trace,
            run: self.limits.run(),
            as_of,
        }
    }

    /// Routes one order against a prepared inventory. The plan is validated against every
    /// invariant before it is returned; an impossible plan is an error, never a partial result.
    /// Consignment periods end relative to today (see [`RouteOptions::as_of`]).
    pub fn route(&self, order: &Order, inventory: &PreparedInventory) -> Result<Plan> {
        crate::routing::route(
            &self.rules,
            order,
            inventory,
            &self.settings(crate::consignment::dates::today()),
            crate::routing::Exclude::default(),
        )
    }

    /// Routes one order again after locations rejected it: `options.exclude` are not used;
    /// with `reason: "not_in_stock"` the order's SKUs at those locations first drop to
    /// `on_hand` 0 in `inventory` (so availability and later orders follow). An unknown
    /// warehouse id is `options.invalid`; an invalid order changes nothing.
    pub fn route_with(
        &self,
        order: &Order,
        inventory: &mut PreparedInventory,
        options: &RouteOptions,
    ) -> Result<Plan> {
        let exclude =
            resolve_exclude(inventory, &options.exclude).map_err(|e| e.for_order(&order.id))?;
        let as_of = routing_day(options.as_of.as_deref()).map_err(|e| e.for_order(&order.id))?;
        inventory.validate_order(order)?;
        if options.reason.as_deref() == Some(NOT_IN_STOCK) {
            let skus: Vec<&str> = order.lines.iter().map(|l| l.sku.as_str()).collect();
            for &w in &exclude {
                inventory.mark_not_in_stock(w, &skus);
            }
        }
        crate::routing::route(
            &self.rules,
            order,
            inventory,
            &self.settings(as_of),
            crate::routing::Exclude {
                warehouses: &exclude,
                reason: options.reason.as_deref(),
            },
        )
    }

    /// Routes many orders in order, each seeing the stock the earlier orders' shipments
    /// left (see [`BatchOptions::consume`]); one result per order, in input order. A
    /// failing order consumes nothing and never affects the others. `inventory` itself is
    /// unchanged: the batch works on a copy (made once, on the first shipment). To avoid the
    /// copy on a large inventory, use [`route_batch_with`](Router::route_batch_with).
    pub fn route_batch(
        &self,
        orders: &[Order],
        inventory: &PreparedInventory,
    ) -> Vec<Result<Plan>> {
        let mut working = inventory.clone();
        self.route_batch_with(orders, &mut working, &BatchOptions::default())
            .unwrap_or_else(|e| orders.iter().map(|_| Err(e.clone())).collect())
    }

    /// Routes many orders with options. With `consume` (the default) each order's plan is
    /// reserved in `inventory` before the next order is routed, and everything is put back
    /// exactly afterwards: the batch costs O(rows its plans touch), not O(inventory), and
    /// leaves `inventory` as it found it. Fails as a whole only for invalid options (an
    /// unknown excluded warehouse).
    pub fn route_batch_with(
        &self,
        orders: &[Order],
        inventory: &mut PreparedInventory,
        options: &BatchOptions,
    ) -> Result<Vec<Result<Plan>>> {
        self.route_batch_inputs(orders.iter().map(Ok), inventory, options)
    }

    /// [`route_batch_with`](Router::route_batch_with) over inputs that may already have
    /// failed (orders that could not be read): those keep their error, in place, and consume
    /// nothing.
    pub fn route_batch_inputs<'o>(
        &self,
        orders: impl IntoIterator<Item = Result<&'o Order>>,
        inventory: &mut PreparedInventory,
        options: &BatchOptions,
    ) -> Result<Vec<Result<Plan>>> {
        let exclude = resolve_exclude(inventory, &options.exclude)?;
        let settings = self.settings(routing_day(options.as_of.as_deref())?);
        let mut undo = Undo::default();
        let orders = orders.into_iter();
        let mut results = Vec::with_capacity(orders.size_hint().0);
        for order in orders {
            let order = match order {
                Ok(o) => o,
                Err(e) => {
                    results.push(Err(e));
                    continue;
                }
            };
            let result = crate::routing::route(
                &self.rules,
                order,
                inventory,
                &settings,
                crate::routing::Exclude {
                    warehouses: &exclude,
                    reason: None,
                },
            );
            let result = result.map_err(|e| e.for_order(&order.id));
            if options.consume {
                if let Ok(plan) = &result {
                    match inventory.commit_undoable(plan) {
                        Ok(u) => undo.extend(u),
                        // A validated plan only names known rows; should that ever fail,
                        // the order gets the error rather than a plan that consumed nothing.
                        Err(e) => {
                            results.push(Err(e));
                            continue;
                        }
                    }
                }
            }
            results.push(result);
        }
        inventory.restore(undo);
        Ok(results)
    }

    /// Convenience: validates the inventory and routes one order.
    pub fn route_once(&self, order: &Order, inventory: Inventory) -> Result<Plan> {
        self.route(order, &PreparedInventory::new(inventory)?)
    }

    /// Offered quantities per channel (or one channel) and SKU.
    pub fn available(
        &self,
        inventory: &PreparedInventory,
        channel: Option<&str>,
    ) -> Result<Availability> {
        crate::availability::available(
            &self.rules,
            inventory,
            channel,
            None,
            self.limits.run(),
            self.trace,
        )
    }

    /// Offered quantities of the given SKUs only (per channel, or one channel): after a
    /// ledger update, recompute what it touched (cost proportional to those SKUs' rows).
    pub fn available_for(
        &self,
        inventory: &PreparedInventory,
        channel: Option<&str>,
        skus: &[&str],
    ) -> Result<Availability> {
        crate::availability::available(
            &self.rules,
            inventory,
            channel,
            Some(skus),
            self.limits.run(),
            self.trace,
        )
    }
}

/// Per-call options of [`Router::validate`] (JavaScript: the third argument of `validate`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ValidateOptions {
    /// The day the plan ships (`YYYY-MM-DD`): consignment locations whose period ended
    /// before it cannot ship. `None`: today, as for routing (see [`RouteOptions::as_of`]).
    #[cfg_attr(test, ts(optional))]
    pub as_of: Option<String>,
}

impl ValidateOptions {
    /// Reads options from JSON text; every problem is `options.invalid` naming the key.
    pub fn from_json(text: &str) -> Result<ValidateOptions> {
        options_from_json(text, "validate options")
    }
}

impl Router {
    /// Checks a plan a person or another system made for `order` against `inventory` and
    /// the rules (their `eligible` and the built-in exclusions, the period end as of
    /// `options.as_of`) with the validator every plan goes through: the completed plan
    /// (kinds, owners, forwarding, documents), or every violation, each naming its line
    /// and warehouse. An invalid order or plan shape is a `data.invalid` error naming the
    /// field; a rule that fails is its error.
    pub fn validate(
        &self,
        order: &Order,
        plan: &crate::model::ManualPlan,
        inventory: &PreparedInventory,
        options: &ValidateOptions,
    ) -> Result<crate::model::Validation> {
        let as_of = routing_day(options.as_of.as_deref()).map_err(|e| e.for_order(&order.id))?;
        crate::routing::manual::validate(&self.rules, order, inventory, plan, &self.settings(as_of))
            .map_err(|e| e.for_order(&order.id))
    }

    /// Replenishment proposals for every consignment location with `terms.replenish` (or
    /// those in `options.warehouses`), from the inventory's stock, the sell-through in
    /// `sales` and the rules' `replenish` hook; see `docs/replenishment.md`. Bad options
    /// are `options.invalid`; a bad event log is `data.invalid` naming each event.
    pub fn replenishment(
        &self,
        inventory: &PreparedInventory,
        sales: crate::consignment::replenish::Sales<'_>,
        options: &crate::consignment::replenish::ReplenishOptions,
    ) -> Result<crate::consignment::replenish::Replenishment> {
        crate::consignment::replenish::replenishment(
            &self.rules,
            inventory,
            sales,
            options,
            self.limits.run(),
        )
    }
}

/// Reports every diagnostic of a rule set and the hooks it defines, without running any hook.
pub fn check(source: &str, name: Option<&str>) -> CheckReport {
    RuleSet::check(source, name, &Limits::default())
}
