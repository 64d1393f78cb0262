//! The public entry point: compile a rule set once, route orders and aggregate availability.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::inventory::PreparedInventory;
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
        crate::json::from_str::<RouterOptions>(text, "options").map_err(|e| {
            StockrouteError::from_diagnostics(
                e.diagnostics
                    .into_iter()
                    .map(|mut d| {
                        d.code = code::OPTIONS_INVALID;
                        d
                    })
                    .collect(),
            )
        })
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

    fn settings(&self) -> crate::routing::Settings {
        crate::routing::Settings {
            trace: self.trace,
            run: self.limits.run(),
        }
    }

    /// Routes one order against a prepared inventory. The plan is validated against every
    /// invariant before it is returned; an impossible plan is an error, never a partial result.
    pub fn route(&self, order: &Order, inventory: &PreparedInventory) -> Result<Plan> {
        crate::routing::route(&self.rules, order, inventory, &self.settings())
    }

    /// Routes many orders; one result per order, in input order. A failing order never
    /// affects the others.
    pub fn route_batch(
        &self,
        orders: &[Order],
        inventory: &PreparedInventory,
    ) -> Vec<Result<Plan>> {
        orders.iter().map(|o| self.route(o, inventory)).collect()
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
            self.limits.run(),
            self.trace,
        )
    }
}

/// Reports every diagnostic of a rule set and the hooks it defines, without running any hook.
pub fn check(source: &str, name: Option<&str>) -> CheckReport {
    RuleSet::check(source, name, &Limits::default())
}
