//! Data-driven rule test cases (see `docs/test-cases.md`): one JSON file per case, run the
//! same way by `cargo test`, the `stockroute test` CLI and the browser editor.
//!
//! A case gives an inventory, one order, several orders or an availability request, and
//! what the merchant expects: the plan (status, shipments, backorders, hold), the offered
//! quantities, or an error. [`run_case`] runs it against a rule set and reports every
//! mismatch as a readable sentence, so a failing case says what differs without a diff tool.

use crate::error::StockrouteError;
use crate::inventory::PreparedInventory;
use crate::model::{
    Availability, Document, Inventory, Order, Plan, PlanStatus, StockChange, StockUpdate,
};
use crate::router::{BatchOptions, RouteOptions, Router, RouterOptions};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// The result of running one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOutcome {
    /// The case's `name`, or empty when it has none (callers then show the file name).
    pub name: String,
    /// The case's `description`: what it checks and why the expected values are right.
    pub description: String,
    /// True when every expectation held.
    pub passed: bool,
    /// One sentence per mismatch; empty when the case passed.
    pub failures: Vec<String>,
    /// What the engine produced: a plan, a list of per-order results, an availability, or
    /// an error (`{"error": {...}}`); `null` when the case itself could not be read.
    pub actual: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    inventory: Option<Value>,
    #[serde(default)]
    order: Option<Value>,
    #[serde(default)]
    orders: Option<Value>,
    #[serde(default)]
    availability: Option<AvailabilityRequest>,
    /// Replenishment proposals (`Router::replenishment`).
    #[serde(default)]
    replenishment: Option<ReplenishmentRequest>,
    /// A plan made by hand, checked (`Router::validate`).
    #[serde(default)]
    validate: Option<ValidateRequest>,
    /// Per-call options: `{ exclude, reason }` for `order`, `{ consume, exclude }` for
    /// `orders` (there `consume` defaults to false: the orders are independent).
    #[serde(default)]
    options: Option<Value>,
    /// A sequence of ledger and routing steps on one inventory, each with its own
    /// expectation.
    #[serde(default)]
    steps: Option<Vec<Value>>,
    #[serde(default)]
    expect: Option<Value>,
    #[serde(default)]
    expect_error: Option<ExpectError>,
}

/// The day cases are routed on unless their `options` give `as_of`: fixed, so that a case's
/// outcome never depends on the day it runs (consignment periods end relative to it).
pub const CASE_DAY: &str = "2026-12-01";

fn day(as_of: Option<String>) -> Option<String> {
    as_of.or_else(|| Some(CASE_DAY.to_string()))
}

/// Options of an `orders` case: independent unless `consume` is set, so cases written
/// before batches consumed stock keep their meaning.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CaseBatchOptions {
    consume: bool,
    exclude: Vec<String>,
    as_of: Option<String>,
}

/// One step of a `steps` case: exactly one action, an optional expectation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    /// Free text shown with the step's failures.
    #[serde(default)]
    note: Option<String>,
    /// Route one order (with `options` `{ exclude, reason }`).
    #[serde(default)]
    route: Option<Value>,
    /// Route several orders as a batch (with `options` `{ consume, exclude }`; consuming by
    /// default, as `routeBatch`).
    #[serde(default)]
    batch: Option<Value>,
    /// Apply stock rows.
    #[serde(default)]
    apply_stock: Option<Value>,
    /// Sync this warehouse with `rows`.
    #[serde(default)]
    sync_warehouse: Option<String>,
    #[serde(default)]
    rows: Option<Value>,
    /// Release the plan committed earlier for this order id.
    #[serde(default)]
    release: Option<String>,
    /// Compute availability (`{ "channel"?: string }`).
    #[serde(default)]
    available: Option<AvailabilityRequest>,
    #[serde(default)]
    options: Option<Value>,
    /// With `route` or `batch`: commit the plan(s) to the inventory.
    #[serde(default)]
    commit: bool,
    #[serde(default)]
    expect: Option<Value>,
    #[serde(default)]
    expect_error: Option<ExpectError>,
}

/// What a ledger step is expected to change: compared as a set of (warehouse, sku); the
/// quantities given are checked against the row after the change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeExpect {
    warehouse: String,
    sku: String,
    #[serde(default)]
    on_hand: Option<Decimal>,
    #[serde(default)]
    reserved: Option<Decimal>,
    #[serde(default)]
    available: Option<Decimal>,
    #[serde(default)]
    backorder: Option<Decimal>,
    /// Whether the step created the row.
    #[serde(default)]
    new: Option<bool>,
}

/// `replenishment`: the options and the event log (inline events, or a JSON-lines file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplenishmentRequest {
    as_of: String,
    #[serde(default)]
    events: Option<Value>,
    #[serde(default)]
    window_days: Option<u32>,
    #[serde(default)]
    warehouses: Vec<String>,
}

/// `validate`: an order and a plan made by hand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateRequest {
    order: Value,
    plan: Value,
    #[serde(default)]
    as_of: Option<String>,
}

/// What one proposal must say (only the fields given are checked).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalExpect {
    warehouse: String,
    sku: String,
    #[serde(default)]
    propose: Option<Decimal>,
    #[serde(default)]
    limit: Option<Decimal>,
    #[serde(default)]
    reorder_point: Option<Decimal>,
    #[serde(default)]
    target: Option<Decimal>,
    #[serde(default)]
    sold_per_day: Option<Decimal>,
    /// `null` asserts "nothing sells" (no cover).
    #[serde(default, deserialize_with = "nullable")]
    days_of_cover: Option<Option<Decimal>>,
    #[serde(default)]
    rule: Option<crate::consignment::replenish::RuleDecision>,
    #[serde(default)]
    why_contains: Vec<String>,
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
fn nullable<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Decimal>>, D::Error> {
    Option::<Decimal>::deserialize(d).map(Some)
}

/// What checking a plan made by hand must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateExpect {
    valid: bool,
    #[serde(default)]
    plan: Option<PlanExpect>,
    #[serde(default)]
    violations: Option<Vec<ViolationExpect>>,
}

/// One violation: matched by the fields given; the list is compared exactly.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViolationExpect {
    #[serde(default)]
    line: Option<String>,
    #[serde(default)]
    warehouse: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityRequest {
    #[serde(default)]
    channel: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanExpect {
    #[serde(default)]
    status: Option<PlanStatus>,
    #[serde(default)]
    shipments: Option<Vec<ShipmentExpect>>,
    #[serde(default)]
    backorders: Option<Vec<LineExpect>>,
    #[serde(default)]
    hold: Option<String>,
    #[serde(default)]
    trace_contains: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShipmentExpect {
    warehouse: String,
    lines: Vec<LineExpect>,
    #[serde(default)]
    documents: Option<Vec<Document>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineExpect {
    line: String,
    qty: Decimal,
    /// In a shipment: how much of `qty` waits for stock there (0 when absent from the plan).
    #[serde(default)]
    on_backorder: Option<Decimal>,
}

/// One entry of the `expect` list of an `orders` case: a plan or an error.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OrderExpect {
    Error { error: ExpectError },
    Plan(PlanExpect),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    code: String,
    #[serde(default)]
    hook: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    warehouse: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AvailabilityExpect {
    #[serde(default)]
    channel: Option<String>,
    sku: String,
    offered: Decimal,
    #[serde(default)]
    backorder: Option<Decimal>,
    #[serde(default)]
    unlimited: Option<bool>,
    #[serde(default)]
    warehouses: Option<Vec<WarehouseOfferExpect>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WarehouseOfferExpect {
    warehouse: String,
    offered: Decimal,
    #[serde(default)]
    included: Option<bool>,
    #[serde(default)]
    backorder: Option<Decimal>,
}

/// Runs one case against a rule set.
///
/// `files(path)` returns the text of a file the case references (`"inventory":
/// "../../../examples/inventory.json"`), with the path exactly as written in the case; the
/// caller resolves it relative to the case file. Never panics and never returns an error:
/// an unreadable case is a failed outcome whose failure says why.
pub fn run_case(
    case_json: &str,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &dyn Fn(&str) -> Option<String>,
) -> CaseOutcome {
    run_case_with(
        case_json,
        rules_source,
        rules_name,
        files,
        crate::Execution::Compiled,
    )
}

/// [`run_case`] with hooks run as `execution` says (the tests run every case both ways).
pub fn run_case_with(
    case_json: &str,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &dyn Fn(&str) -> Option<String>,
    execution: crate::Execution,
) -> CaseOutcome {
    let mut outcome = CaseOutcome {
        name: String::new(),
        description: String::new(),
        passed: false,
        failures: Vec::new(),
        actual: Value::Null,
    };
    let case = match crate::json::from_str::<Value>(case_json, "case")
        .and_then(|v| crate::json::from_value::<CaseFile>(v, "case"))
    {
        Ok(c) => c,
        Err(e) => {
            outcome.failures.push(format!("invalid case file: {e}"));
            return outcome;
        }
    };
    outcome.name = case.name.clone().unwrap_or_default();
    outcome.description = case.description.clone();
    let (failures, actual) = match run(&case, rules_source, rules_name, files, execution) {
        Ok(r) => r,
        Err(problem) => (vec![format!("invalid case: {problem}")], Value::Null),
    };
    outcome.passed = failures.is_empty();
    outcome.failures = failures;
    outcome.actual = actual;
    outcome
}

/// What the case asks the engine to do.
enum Input {
    Order(Value),
    Orders(Value),
    Availability(Option<String>),
    Replenishment,
    Validate,
    Steps(Vec<Value>),
    Nothing,
}

/// Runs a well-formed case. `Err` is a problem with the case itself, not the engine.
fn run(
    case: &CaseFile,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &dyn Fn(&str) -> Option<String>,
    execution: crate::Execution,
) -> Result<(Vec<String>, Value), String> {
    let mut inputs = Vec::new();
    if let Some(o) = &case.order {
        inputs.push(Input::Order(o.clone()));
    }
    if let Some(o) = &case.orders {
        inputs.push(Input::Orders(o.clone()));
    }
    if let Some(a) = &case.availability {
        inputs.push(Input::Availability(a.channel.clone()));
    }
    if let Some(steps) = &case.steps {
        inputs.push(Input::Steps(steps.clone()));
    }
    if case.replenishment.is_some() {
        inputs.push(Input::Replenishment);
    }
    if case.validate.is_some() {
        inputs.push(Input::Validate);
    }
    if inputs.len() > 1 {
        return Err(
            "give only one of `order`, `orders`, `availability`, `steps`, `replenishment` and `validate`"
                .into(),
        );
    }
    let input = inputs.pop().unwrap_or(Input::Nothing);
    if case.options.is_some() && !matches!(input, Input::Order(_) | Input::Orders(_)) {
        return Err(
            "`options` goes with `order` or `orders` (in `steps`, give it per step)".into(),
        );
    }
    if matches!(input, Input::Steps(_)) {
        if case.expect.is_some() || case.expect_error.is_some() {
            return Err("with `steps`, give `expect` or `expect_error` per step".into());
        }
    } else {
        match (&case.expect, &case.expect_error) {
            (Some(_), Some(_)) => {
                return Err("give either `expect` or `expect_error`, not both".into());
            }
            (None, None) => return Err("a case needs `expect` or `expect_error`".into()),
            (Some(_), None) if matches!(input, Input::Nothing) => {
                return Err(
                    "a case with `expect` needs `order`, `orders`, `availability`, `replenishment` or `validate`".into(),
                );
            }
            (None, Some(_)) if matches!(input, Input::Orders(_)) => {
                return Err(
                "with `orders`, expect errors per order in `expect`: `{\"error\": {\"code\": ...}}`"
                    .into(),
            );
            }
            _ => {}
        }
    }

    // Everything below that fails inside the engine is either the expected error or a
    // failure; `engine_error` decides which.
    let engine_error = |e: &StockrouteError, what: &str| -> (Vec<String>, Value) {
        let actual = error_json(e);
        match &case.expect_error {
            Some(x) => (match_error(x, e), actual),
            None => (vec![format!("{what}: {e}")], actual),
        }
    };

    let router = match Router::new(
        rules_source,
        RouterOptions {
            name: rules_name.map(str::to_string),
            execution,
            ..RouterOptions::default()
        },
    ) {
        Ok(r) => r,
        Err(e) => return Ok(engine_error(&e, "the rules do not compile")),
    };

    let inventory = match &case.inventory {
        Some(v) => Some(load(v, files, "inventory")?),
        None => None,
    };
    let prepared = match inventory {
        None if matches!(input, Input::Nothing) => None,
        None => return Err("`inventory` is missing".into()),
        Some(v) => match crate::json::from_value::<Inventory>(v, "inventory")
            .and_then(PreparedInventory::new)
        {
            Ok(p) => Some(p),
            Err(e) => return Ok(engine_error(&e, "the inventory is invalid")),
        },
    };

    let (Some(inv), false) = (prepared, matches!(input, Input::Nothing)) else {
        // Only compile (and inventory) errors can be expected without an input.
        return Ok(match &case.expect_error {
            Some(x) => (
                vec![format!(
                    "expected error `{}`, but the rules compiled and the inventory is valid",
                    x.code
                )],
                Value::Null,
            ),
            None => (Vec::new(), Value::Null),
        });
    };

    match input {
        Input::Order(o) => {
            let o = load(&o, files, "order")?;
            let mut options: RouteOptions = match &case.options {
                Some(v) => parse(v.clone(), "options")?,
                None => RouteOptions::default(),
            };
            options.as_of = day(options.as_of);
            let mut inv = inv;
            let result = crate::json::from_value::<Order>(o, "order")
                .and_then(|o| router.route_with(&o, &mut inv, &options));
            match (result, &case.expect, &case.expect_error) {
                (Err(e), _, _) => Ok(engine_error(&e, "routing failed")),
                (Ok(plan), Some(expect), _) => {
                    let x: PlanExpect = parse(expect.clone(), "expect")?;
                    Ok((compare_plan(&x, &plan), to_json(&plan)))
                }
                (Ok(plan), None, Some(x)) => Ok((
                    vec![format!(
                        "expected error `{}`, but routing succeeded with status `{}`",
                        x.code,
                        status_name(plan.status)
                    )],
                    to_json(&plan),
                )),
                (Ok(plan), None, None) => Ok((Vec::new(), to_json(&plan))),
            }
        }
        Input::Orders(list) => {
            let orders = load_orders(&list, files)?;
            let expects: Vec<OrderExpect> = match &case.expect {
                Some(e) => parse(e.clone(), "expect")?,
                None => Vec::new(),
            };
            if expects.len() != orders.len() {
                return Err(format!(
                    "`expect` has {} entr{} for {} order{}: give one per order",
                    expects.len(),
                    if expects.len() == 1 { "y" } else { "ies" },
                    orders.len(),
                    if orders.len() == 1 { "" } else { "s" }
                ));
            }
            let options: CaseBatchOptions = match &case.options {
                Some(v) => parse(v.clone(), "options")?,
                None => CaseBatchOptions::default(),
            };
            let options = BatchOptions {
                consume: options.consume,
                exclude: options.exclude,
                as_of: day(options.as_of),
            };
            let mut inv = inv;
            let (failures, actual) =
                run_batch(&router, &mut inv, &orders, &expects, &options, None)
                    .map_err(|e| format!("invalid `options`: {e}"))?;
            Ok((failures, Value::Array(actual)))
        }
        Input::Steps(steps) => {
            let mut inv = inv;
            run_steps(&router, &mut inv, &steps, files)
        }
        Input::Availability(channel) => match router.available(&inv, channel.as_deref()) {
            Err(e) => Ok(engine_error(&e, "availability failed")),
            Ok(a) => match (&case.expect, &case.expect_error) {
                (Some(expect), _) => {
                    let x: Vec<AvailabilityExpect> = parse(expect.clone(), "expect")?;
                    Ok((
                        compare_availability(&x, channel.as_deref(), &a)?,
                        to_json(&a),
                    ))
                }
                (None, Some(x)) => Ok((
                    vec![format!(
                        "expected error `{}`, but availability succeeded",
                        x.code
                    )],
                    to_json(&a),
                )),
                (None, None) => Ok((Vec::new(), to_json(&a))),
            },
        },
        Input::Replenishment => {
            let Some(request) = &case.replenishment else {
                return Ok((Vec::new(), Value::Null));
            };
            let result = run_replenishment(&router, &inv, request, files)?;
            match (result, &case.expect, &case.expect_error) {
                (Err(e), _, _) => Ok(engine_error(&e, "replenishment failed")),
                (Ok(r), Some(expect), _) => {
                    let x: Vec<ProposalExpect> = parse(expect.clone(), "expect")?;
                    Ok((compare_proposals(&x, &r), to_json(&r)))
                }
                (Ok(r), None, Some(x)) => Ok((
                    vec![format!(
                        "expected error `{}`, but replenishment succeeded",
                        x.code
                    )],
                    to_json(&r),
                )),
                (Ok(r), None, None) => Ok((Vec::new(), to_json(&r))),
            }
        }
        Input::Validate => {
            let Some(request) = &case.validate else {
                return Ok((Vec::new(), Value::Null));
            };
            let order = load(&request.order, files, "order")?;
            let plan = load(&request.plan, files, "plan")?;
            let options = crate::router::ValidateOptions {
                as_of: request.as_of.clone(),
            };
            let result = crate::json::from_value::<Order>(order, "order").and_then(|o| {
                let plan = crate::json::from_value::<crate::model::ManualPlan>(plan, "plan")
                    .map_err(|e| e.for_order(&o.id))?;
                router.validate(&o, &plan, &inv, &options)
            });
            match (result, &case.expect, &case.expect_error) {
                (Err(e), _, _) => Ok(engine_error(&e, "validating the plan failed")),
                (Ok(v), Some(expect), _) => {
                    let x: ValidateExpect = parse(expect.clone(), "expect")?;
                    Ok((compare_validation(&x, &v), to_json(&v)))
                }
                (Ok(v), None, Some(x)) => Ok((
                    vec![format!(
                        "expected error `{}`, but the plan was checked (valid: {})",
                        x.code, v.valid
                    )],
                    to_json(&v),
                )),
                (Ok(v), None, None) => Ok((Vec::new(), to_json(&v))),
            }
        }
        Input::Nothing => Ok((Vec::new(), Value::Null)),
    }
}

/// Runs a `replenishment` case: events inline (an array) or from a JSON-lines file.
fn run_replenishment(
    router: &Router,
    inv: &PreparedInventory,
    request: &ReplenishmentRequest,
    files: &dyn Fn(&str) -> Option<String>,
) -> Result<crate::error::Result<crate::consignment::replenish::Replenishment>, String> {
    use crate::consignment::replenish::{ReplenishOptions, Sales};
    let events = match &request.events {
        None => Ok(Vec::new()),
        Some(Value::String(path)) => {
            let text = files(path).ok_or_else(|| format!("`events` file `{path}` not found"))?;
            crate::consignment::settlement::parse_events(inv, &text)
        }
        Some(v) => crate::json::from_value::<Vec<crate::consignment::Event>>(v.clone(), "events"),
    };
    let options = ReplenishOptions {
        as_of: request.as_of.clone(),
        window_days: request
            .window_days
            .unwrap_or(crate::consignment::replenish::DEFAULT_WINDOW_DAYS),
        warehouses: request.warehouses.clone(),
    };
    Ok(events.and_then(|events| router.replenishment(inv, Sales::Events(&events), &options)))
}

fn compare_proposals(
    expected: &[ProposalExpect],
    r: &crate::consignment::replenish::Replenishment,
) -> Vec<String> {
    let mut f = Vec::new();
    for x in expected {
        let Some(p) = r
            .proposals
            .iter()
            .find(|p| p.warehouse == x.warehouse && p.sku == x.sku)
        else {
            f.push(format!(
                "expected a proposal for `{}` at `{}`, got none",
                x.sku, x.warehouse
            ));
            continue;
        };
        let at = format!("`{}` at `{}`", x.sku, x.warehouse);
        for (what, want, got) in [
            ("propose", x.propose, p.propose),
            ("limit", x.limit, p.limit),
            ("reorder_point", x.reorder_point, p.reorder_point),
            ("target", x.target, p.target),
            ("sold_per_day", x.sold_per_day, p.sold_per_day),
        ] {
            if let Some(w) = want {
                if w != got {
                    f.push(format!("{at}: {what} expected {}, got {}", q(w), q(got)));
                }
            }
        }
        if let Some(want) = x.days_of_cover {
            if want != p.days_of_cover {
                let show = |v: Option<Decimal>| v.map_or_else(|| "none".to_string(), q);
                f.push(format!(
                    "{at}: days_of_cover expected {}, got {}",
                    show(want),
                    show(p.days_of_cover)
                ));
            }
        }
        if let Some(want) = x.rule {
            if Some(want) != p.rule {
                let show = |v: Option<crate::consignment::replenish::RuleDecision>| {
                    v.map_or_else(
                        || "no rule decision".to_string(),
                        |d| format!("`{}`", to_json(&d).as_str().unwrap_or("?")),
                    )
                };
                f.push(format!(
                    "{at}: rule expected {}, got {}",
                    show(Some(want)),
                    show(p.rule)
                ));
            }
        }
        for needle in &x.why_contains {
            if !p.why.iter().any(|w| w.contains(needle.as_str())) {
                f.push(format!("{at}: no reason contains `{needle}`"));
            }
        }
    }
    f
}

fn compare_validation(x: &ValidateExpect, v: &crate::model::Validation) -> Vec<String> {
    let mut f = Vec::new();
    if x.valid != v.valid {
        let first = v
            .violations
            .first()
            .map(|d| format!(" (first violation: {})", d.message))
            .unwrap_or_default();
        f.push(format!(
            "expected the plan to be {}, got {}{first}",
            if x.valid { "valid" } else { "invalid" },
            if v.valid { "valid" } else { "invalid" }
        ));
    }
    if let (Some(px), Some(plan)) = (&x.plan, &v.plan) {
        f.extend(compare_plan(px, plan));
    }
    if let Some(expected) = &x.violations {
        let mut unmatched: Vec<&crate::error::Diagnostic> = v.violations.iter().collect();
        for e in expected {
            let hit = unmatched.iter().position(|d| {
                e.line
                    .as_ref()
                    .is_none_or(|l| d.order_line.as_ref() == Some(l))
                    && e.warehouse
                        .as_ref()
                        .is_none_or(|w| d.warehouse.as_ref() == Some(w))
                    && e.path.as_ref().is_none_or(|p| d.path.as_ref() == Some(p))
                    && e.message_contains
                        .as_ref()
                        .is_none_or(|m| d.message.contains(m.as_str()))
            });
            match hit {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => f.push(format!(
                    "expected a violation{}{}{}, got none such",
                    e.line
                        .as_ref()
                        .map(|l| format!(" of line `{l}`"))
                        .unwrap_or_default(),
                    e.warehouse
                        .as_ref()
                        .map(|w| format!(" at `{w}`"))
                        .unwrap_or_default(),
                    e.message_contains
                        .as_ref()
                        .map(|m| format!(" saying `{m}`"))
                        .unwrap_or_default()
                )),
            }
        }
        for d in unmatched {
            f.push(format!("unexpected violation: {}", d.message));
        }
    }
    f
}

/// Routes `orders` as one batch and compares each result with its expectation. With
/// `committed`, every plan is also committed to the inventory (recorded by order id).
fn run_batch(
    router: &Router,
    inv: &mut PreparedInventory,
    orders: &[Value],
    expects: &[OrderExpect],
    options: &BatchOptions,
    mut committed: Option<&mut HashMap<String, Plan>>,
) -> Result<(Vec<String>, Vec<Value>), StockrouteError> {
    let parsed: Vec<crate::error::Result<Order>> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| crate::json::from_value::<Order>(o.clone(), &format!("orders[{i}]")))
        .collect();
    let results = router.route_batch_inputs(
        parsed.iter().map(|r| r.as_ref().map_err(Clone::clone)),
        inv,
        options,
    )?;
    let mut failures = Vec::new();
    let mut actual = Vec::new();
    for (i, ((o, x), result)) in orders.iter().zip(expects).zip(results).enumerate() {
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{}", i + 1), |s| format!("`{s}`"));
        let found = match (&result, x) {
            (Ok(plan), OrderExpect::Plan(x)) => compare_plan(x, plan),
            (Err(e), OrderExpect::Error { error }) => match_error(error, e),
            (Ok(plan), OrderExpect::Error { error }) => vec![format!(
                "expected error `{}`, but routing succeeded with status `{}`",
                error.code,
                status_name(plan.status)
            )],
            (Err(e), OrderExpect::Plan(_)) => vec![format!("routing failed: {e}")],
        };
        failures.extend(found.into_iter().map(|f| format!("order {id}: {f}")));
        if let (Ok(plan), Some(c)) = (&result, committed.as_deref_mut()) {
            match inv.commit(plan) {
                Ok(_) => {
                    c.insert(plan.order.clone(), plan.clone());
                }
                Err(e) => failures.push(format!("order {id}: commit failed: {e}")),
            }
        }
        actual.push(match result {
            Ok(plan) => to_json(&plan),
            Err(e) => error_json(&e),
        });
    }
    Ok((failures, actual))
}

/// Runs the steps of a `steps` case in order on one inventory.
fn run_steps(
    router: &Router,
    inv: &mut PreparedInventory,
    steps: &[Value],
    files: &dyn Fn(&str) -> Option<String>,
) -> Result<(Vec<String>, Value), String> {
    let mut failures = Vec::new();
    let mut actual = Vec::new();
    let mut committed: HashMap<String, Plan> = HashMap::new();
    for (i, raw) in steps.iter().enumerate() {
        let step: Step = parse(raw.clone(), &format!("steps[{i}]"))?;
        let actions = [
            step.route.is_some(),
            step.batch.is_some(),
            step.apply_stock.is_some(),
            step.sync_warehouse.is_some(),
            step.release.is_some(),
            step.available.is_some(),
        ];
        if actions.iter().filter(|a| **a).count() != 1 {
            return Err(format!(
                "`steps[{i}]` needs exactly one of `route`, `batch`, `apply_stock`, `sync_warehouse`, `release`, `available`"
            ));
        }
        if step.expect.is_some() && step.expect_error.is_some() {
            return Err(format!(
                "`steps[{i}]`: give either `expect` or `expect_error`, not both"
            ));
        }
        let label = match &step.note {
            Some(n) => format!("step {} ({n})", i + 1),
            None => format!("step {}", i + 1),
        };
        let (found, value) = run_step(router, inv, &step, i, files, &mut committed)?;
        failures.extend(found.into_iter().map(|f| format!("{label}: {f}")));
        actual.push(value);
    }
    Ok((failures, Value::Array(actual)))
}

/// One step: its failures and what it produced.
fn run_step(
    router: &Router,
    inv: &mut PreparedInventory,
    step: &Step,
    i: usize,
    files: &dyn Fn(&str) -> Option<String>,
    committed: &mut HashMap<String, Plan>,
) -> Result<(Vec<String>, Value), String> {
    let unexpected_success = |what: &str| -> Vec<String> {
        match &step.expect_error {
            Some(x) => vec![format!("expected error `{}`, but {what} succeeded", x.code)],
            None => Vec::new(),
        }
    };
    let failed = |e: &StockrouteError, what: &str| -> (Vec<String>, Value) {
        let actual = error_json(e);
        match &step.expect_error {
            Some(x) => (match_error(x, e), actual),
            None => (vec![format!("{what} failed: {e}")], actual),
        }
    };
    if let Some(order) = &step.route {
        let o = load(order, files, "order")?;
        let mut options: RouteOptions = match &step.options {
            Some(v) => parse(v.clone(), &format!("steps[{i}].options"))?,
            None => RouteOptions::default(),
        };
        options.as_of = day(options.as_of);
        let result = crate::json::from_value::<Order>(o, "order")
            .and_then(|o| router.route_with(&o, inv, &options));
        let plan = match result {
            Err(e) => return Ok(failed(&e, "routing")),
            Ok(plan) => plan,
        };
        let mut f = match &step.expect {
            Some(x) => compare_plan(&parse(x.clone(), &format!("steps[{i}].expect"))?, &plan),
            None => unexpected_success("routing"),
        };
        if step.commit {
            match inv.commit(&plan) {
                Ok(_) => {
                    committed.insert(plan.order.clone(), plan.clone());
                }
                Err(e) => f.push(format!("commit failed: {e}")),
            }
        }
        return Ok((f, to_json(&plan)));
    }
    if let Some(list) = &step.batch {
        let orders = load_orders(list, files)?;
        let expects: Vec<OrderExpect> = match &step.expect {
            Some(e) => parse(e.clone(), &format!("steps[{i}].expect"))?,
            None => return Err(format!("`steps[{i}]`: a `batch` step needs `expect`")),
        };
        if expects.len() != orders.len() {
            return Err(format!(
                "`steps[{i}].expect` has {} entries for {} orders: give one per order",
                expects.len(),
                orders.len()
            ));
        }
        let mut options: BatchOptions = match &step.options {
            Some(v) => parse(v.clone(), &format!("steps[{i}].options"))?,
            None => BatchOptions::default(),
        };
        options.as_of = day(options.as_of);
        let commit = step.commit.then_some(committed);
        return match run_batch(router, inv, &orders, &expects, &options, commit) {
            Ok((f, actual)) => Ok((f, Value::Array(actual))),
            Err(e) => Ok(failed(&e, "the batch")),
        };
    }
    let changes: crate::error::Result<Vec<StockChange>> = if let Some(rows) = &step.apply_stock {
        let rows: Vec<StockUpdate> = parse(
            load(rows, files, "rows")?,
            &format!("steps[{i}].apply_stock"),
        )?;
        inv.apply_stock(&rows)
    } else if let Some(warehouse) = &step.sync_warehouse {
        let rows: Vec<StockUpdate> = match &step.rows {
            Some(r) => parse(load(r, files, "rows")?, &format!("steps[{i}].rows"))?,
            None => return Err(format!("`steps[{i}]`: `sync_warehouse` needs `rows`")),
        };
        inv.sync_warehouse(warehouse, &rows)
    } else if let Some(order) = &step.release {
        let Some(plan) = committed.remove(order) else {
            return Err(format!(
                "`steps[{i}]`: no plan of order `{order}` was committed in an earlier step"
            ));
        };
        inv.release(&plan)
    } else if let Some(request) = &step.available {
        return match router.available(inv, request.channel.as_deref()) {
            Err(e) => Ok(failed(&e, "availability")),
            Ok(a) => {
                let f = match &step.expect {
                    Some(x) => {
                        let x: Vec<AvailabilityExpect> =
                            parse(x.clone(), &format!("steps[{i}].expect"))?;
                        compare_availability(&x, request.channel.as_deref(), &a)?
                    }
                    None => unexpected_success("availability"),
                };
                Ok((f, to_json(&a)))
            }
        };
    } else {
        return Ok((Vec::new(), Value::Null));
    };
    match changes {
        Err(e) => Ok(failed(&e, "the update")),
        Ok(changes) => {
            let f = match &step.expect {
                Some(x) => {
                    let x: Vec<ChangeExpect> = parse(x.clone(), &format!("steps[{i}].expect"))?;
                    compare_changes(&x, &changes)
                }
                None => unexpected_success("the update"),
            };
            Ok((f, to_json(&changes)))
        }
    }
}

fn compare_changes(expected: &[ChangeExpect], changes: &[StockChange]) -> Vec<String> {
    let mut f = Vec::new();
    for x in expected {
        let Some(c) = changes
            .iter()
            .find(|c| c.warehouse == x.warehouse && c.sku == x.sku)
        else {
            f.push(format!(
                "expected a change of sku `{}` at `{}`, got none",
                x.sku, x.warehouse
            ));
            continue;
        };
        let mut check = |what: &str, want: Option<Decimal>, got: Decimal| {
            if let Some(w) = want {
                if w != got {
                    f.push(format!(
                        "sku `{}` at `{}`: {what} expected {}, got {}",
                        x.sku,
                        x.warehouse,
                        q(w),
                        q(got)
                    ));
                }
            }
        };
        check("on_hand", x.on_hand, c.after.on_hand);
        check("reserved", x.reserved, c.after.reserved);
        check("available", x.available, c.after.available);
        check("backorder", x.backorder, c.after.backorder);
        if let Some(new) = x.new {
            if new != c.before.is_none() {
                f.push(format!(
                    "sku `{}` at `{}`: expected {}",
                    x.sku,
                    x.warehouse,
                    if new { "a new row" } else { "an existing row" }
                ));
            }
        }
    }
    for c in changes {
        if !expected
            .iter()
            .any(|x| x.warehouse == c.warehouse && x.sku == c.sku)
        {
            f.push(format!(
                "unexpected change of sku `{}` at `{}`",
                c.sku, c.warehouse
            ));
        }
    }
    f
}

fn parse<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, String> {
    crate::json::from_value(v, what).map_err(|e| e.to_string())
}

/// An inline value, or a string naming a file the caller's `files` resolves.
fn load(v: &Value, files: &dyn Fn(&str) -> Option<String>, what: &str) -> Result<Value, String> {
    match v {
        Value::String(path) => {
            let text = files(path).ok_or_else(|| format!("`{what}` file `{path}` not found"))?;
            crate::json::from_str::<Value>(&text, what).map_err(|e| format!("`{path}`: {e}"))
        }
        other => Ok(other.clone()),
    }
}

/// `orders` is an array, or a file holding a JSON array or JSON lines (one order a line).
fn load_orders(v: &Value, files: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Value>, String> {
    match v {
        Value::Array(items) => Ok(items.clone()),
        Value::String(path) => {
            let text = files(path).ok_or_else(|| format!("`orders` file `{path}` not found"))?;
            if text.trim_start().starts_with('[') {
                return parse(
                    crate::json::from_str::<Value>(&text, "orders")
                        .map_err(|e| format!("`{path}`: {e}"))?,
                    "orders",
                );
            }
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(n, l)| {
                    crate::json::from_str::<Value>(l, "order")
                        .map_err(|e| format!("`{path}` line {}: {e}", n + 1))
                })
                .collect()
        }
        _ => Err("`orders` must be an array of orders or a file path".into()),
    }
}

fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn error_json(e: &StockrouteError) -> Value {
    serde_json::json!({ "error": to_json(e) })
}

fn status_name(s: PlanStatus) -> String {
    to_json(&s).as_str().unwrap_or("?").to_string()
}

fn doc_names(docs: &[Document]) -> String {
    let mut names: Vec<String> = docs
        .iter()
        .map(|d| to_json(d).as_str().unwrap_or("?").to_string())
        .collect();
    names.sort();
    format!("[{}]", names.join(", "))
}

fn q(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Sums quantities per key, keeping first-seen key order.
fn totals<'a>(items: impl Iterator<Item = (&'a str, Decimal)>) -> Vec<(&'a str, Decimal)> {
    let mut out: Vec<(&str, Decimal)> = Vec::new();
    for (k, v) in items {
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some(e) => e.1 += v,
            None => out.push((k, v)),
        }
    }
    out
}

fn describe_lines(lines: &[(&str, Decimal)]) -> String {
    lines
        .iter()
        .map(|(l, n)| format!("line `{l}` × {}", q(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_plan(x: &PlanExpect, plan: &Plan) -> Vec<String> {
    let mut f = Vec::new();
    if let Some(s) = x.status {
        if s != plan.status {
            f.push(format!(
                "status expected `{}`, got `{}`",
                status_name(s),
                status_name(plan.status)
            ));
        }
    }
    if let Some(reason) = &x.hold {
        match &plan.hold {
            None => f.push(format!(
                "expected the order to be held (reason containing `{reason}`), got status `{}`",
                status_name(plan.status)
            )),
            Some(h) if !h.reason.contains(reason.as_str()) => f.push(format!(
                "hold reason expected to contain `{reason}`, got `{}`",
                h.reason
            )),
            Some(_) => {}
        }
    }
    if let Some(expected) = &x.shipments {
        compare_shipments(expected, plan, &mut f);
    }
    if let Some(expected) = &x.backorders {
        let want = totals(expected.iter().map(|l| (l.line.as_str(), l.qty)));
        let got = totals(plan.backorders.iter().map(|l| (l.line.as_str(), l.qty)));
        for (line, n) in &want {
            match got.iter().find(|(l, _)| l == line) {
                None => f.push(format!(
                    "backorder of line `{line}`: expected {}, got none",
                    q(*n)
                )),
                Some((_, g)) if g != n => f.push(format!(
                    "backorder of line `{line}`: expected {}, got {}",
                    q(*n),
                    q(*g)
                )),
                Some(_) => {}
            }
        }
        for (line, n) in &got {
            if !want.iter().any(|(l, _)| l == line) {
                f.push(format!("unexpected backorder of line `{line}` × {}", q(*n)));
            }
        }
    }
    for needle in x.trace_contains.iter().flatten() {
        if !plan
            .trace
            .iter()
            .any(|t| t.message.contains(needle.as_str()))
        {
            f.push(format!("no trace entry contains `{needle}`"));
        }
    }
    f
}

fn compare_shipments(expected: &[ShipmentExpect], plan: &Plan, f: &mut Vec<String>) {
    for s in expected {
        let want = totals(s.lines.iter().map(|l| (l.line.as_str(), l.qty)));
        let Some(actual) = plan.shipments.iter().find(|a| a.warehouse == s.warehouse) else {
            f.push(format!(
                "expected a shipment from `{}` ({}), got none",
                s.warehouse,
                describe_lines(&want)
            ));
            continue;
        };
        let got = totals(actual.lines.iter().map(|l| (l.line.as_str(), l.qty)));
        for l in &s.lines {
            let Some(want_bo) = l.on_backorder else {
                continue;
            };
            let got_bo: Decimal = actual
                .lines
                .iter()
                .filter(|a| a.line == l.line)
                .filter_map(|a| a.on_backorder)
                .sum();
            if got_bo != want_bo {
                f.push(format!(
                    "shipment from `{}`: line `{}` expected {} on backorder, got {}",
                    s.warehouse,
                    l.line,
                    q(want_bo),
                    q(got_bo)
                ));
            }
        }
        for (line, n) in &want {
            match got.iter().find(|(l, _)| l == line) {
                None => f.push(format!(
                    "shipment from `{}`: line `{line}` expected {}, got none",
                    s.warehouse,
                    q(*n)
                )),
                Some((_, g)) if g != n => f.push(format!(
                    "shipment from `{}`: line `{line}` expected {}, got {}",
                    s.warehouse,
                    q(*n),
                    q(*g)
                )),
                Some(_) => {}
            }
        }
        for (line, n) in &got {
            if !want.iter().any(|(l, _)| l == line) {
                f.push(format!(
                    "shipment from `{}`: unexpected line `{line}` × {}",
                    s.warehouse,
                    q(*n)
                ));
            }
        }
        if let Some(docs) = &s.documents {
            let (w, g) = (doc_names(docs), doc_names(&actual.documents));
            if w != g {
                f.push(format!(
                    "shipment from `{}`: documents expected {w}, got {g}",
                    s.warehouse
                ));
            }
        }
    }
    for a in &plan.shipments {
        if !expected.iter().any(|s| s.warehouse == a.warehouse) {
            let got = totals(a.lines.iter().map(|l| (l.line.as_str(), l.qty)));
            f.push(format!(
                "unexpected shipment from `{}` ({})",
                a.warehouse,
                describe_lines(&got)
            ));
        }
    }
    // Order only matters once the sets agree: it says which warehouse the plan ranks first.
    let want: Vec<&str> = expected.iter().map(|s| s.warehouse.as_str()).collect();
    let got: Vec<&str> = plan
        .shipments
        .iter()
        .map(|s| s.warehouse.as_str())
        .collect();
    let mut ws = want.clone();
    let mut gs = got.clone();
    ws.sort_unstable();
    gs.sort_unstable();
    if ws == gs && want != got {
        let list = |v: &[&str]| {
            v.iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        f.push(format!(
            "shipments expected in the order {}, got {}",
            list(&want),
            list(&got)
        ));
    }
}

fn compare_availability(
    expected: &[AvailabilityExpect],
    channel: Option<&str>,
    a: &Availability,
) -> Result<Vec<String>, String> {
    let mut f = Vec::new();
    for (i, x) in expected.iter().enumerate() {
        let Some(ch) = x.channel.as_deref().or(channel) else {
            return Err(format!(
                "`expect[{i}]` needs a `channel` (or give `availability.channel`)"
            ));
        };
        let Some(item) = a
            .items
            .iter()
            .find(|it| it.channel == ch && it.sku == x.sku)
        else {
            f.push(format!(
                "channel `{ch}`, sku `{}`: expected {} offered, got no entry",
                x.sku,
                q(x.offered)
            ));
            continue;
        };
        if item.offered != x.offered {
            f.push(format!(
                "channel `{ch}`, sku `{}`: offered expected {}, got {}",
                x.sku,
                q(x.offered),
                q(item.offered)
            ));
        }
        if let Some(b) = x.backorder {
            if item.backorder != b {
                f.push(format!(
                    "channel `{ch}`, sku `{}`: backorder expected {}, got {}",
                    x.sku,
                    q(b),
                    q(item.backorder)
                ));
            }
        }
        if let Some(u) = x.unlimited {
            if item.unlimited != u {
                f.push(format!(
                    "channel `{ch}`, sku `{}`: expected {}, got {}",
                    x.sku,
                    if u { "unlimited" } else { "a limited offer" },
                    if item.unlimited {
                        "unlimited"
                    } else {
                        "a limited offer"
                    }
                ));
            }
        }
        for w in x.warehouses.iter().flatten() {
            let Some(c) = item.warehouses.iter().find(|c| c.warehouse == w.warehouse) else {
                f.push(format!(
                    "channel `{ch}`, sku `{}`: expected warehouse `{}` in the breakdown, got none",
                    x.sku, w.warehouse
                ));
                continue;
            };
            if c.offered != w.offered {
                f.push(format!(
                    "channel `{ch}`, sku `{}` at `{}`: offered expected {}, got {}",
                    x.sku,
                    w.warehouse,
                    q(w.offered),
                    q(c.offered)
                ));
            }
            if let Some(b) = w.backorder {
                if c.backorder != b {
                    f.push(format!(
                        "channel `{ch}`, sku `{}` at `{}`: backorder expected {}, got {}",
                        x.sku,
                        w.warehouse,
                        q(b),
                        q(c.backorder)
                    ));
                }
            }
            if let Some(inc) = w.included {
                if inc != c.included {
                    f.push(format!(
                        "channel `{ch}`, sku `{}` at `{}`: expected {}, got {}",
                        x.sku,
                        w.warehouse,
                        if inc { "included" } else { "excluded" },
                        if c.included { "included" } else { "excluded" }
                    ));
                }
            }
        }
    }
    Ok(f)
}

fn match_error(x: &ExpectError, e: &StockrouteError) -> Vec<String> {
    let matches = |d: &crate::error::Diagnostic| {
        d.code == x.code
            && x.hook.as_ref().is_none_or(|h| d.hook.as_ref() == Some(h))
            && x.path.as_ref().is_none_or(|p| d.path.as_ref() == Some(p))
            && x.warehouse
                .as_ref()
                .is_none_or(|w| d.warehouse.as_ref() == Some(w))
            && x.message_contains.as_ref().is_none_or(|m| {
                d.message.contains(m.as_str()) || d.to_string().contains(m.as_str())
            })
    };
    if e.diagnostics.iter().any(matches) {
        return Vec::new();
    }
    // Explain against the closest diagnostic: the first with the expected code, else the
    // primary one.
    let Some(d) = e
        .diagnostics
        .iter()
        .find(|d| d.code == x.code)
        .or(e.diagnostics.first())
    else {
        return vec![format!(
            "expected error `{}`, got `{}`: {e}",
            x.code, e.code
        )];
    };
    let opt = |v: &Option<String>| v.as_ref().map_or("none".into(), |s| format!("`{s}`"));
    let mut f = Vec::new();
    if d.code != x.code {
        f.push(format!(
            "error code expected `{}`, got `{}` ({})",
            x.code, d.code, d
        ));
    }
    if let Some(h) = &x.hook {
        if d.hook.as_ref() != Some(h) {
            f.push(format!("error hook expected `{h}`, got {}", opt(&d.hook)));
        }
    }
    if let Some(p) = &x.path {
        if d.path.as_ref() != Some(p) {
            f.push(format!("error path expected `{p}`, got {}", opt(&d.path)));
        }
    }
    if let Some(w) = &x.warehouse {
        if d.warehouse.as_ref() != Some(w) {
            f.push(format!(
                "error warehouse expected `{w}`, got {}",
                opt(&d.warehouse)
            ));
        }
    }
    if let Some(m) = &x.message_contains {
        if !d.message.contains(m.as_str()) && !d.to_string().contains(m.as_str()) {
            f.push(format!(
                "error message expected to contain `{m}`, got `{}`",
                d.message
            ));
        }
    }
    if f.is_empty() {
        f.push(format!("no diagnostic matches the expected error: {e}"));
    }
    f
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const INVENTORY: &str = r#"{
        "warehouses": [
            {"id": "W1", "kind": "own", "priority": 1},
            {"id": "W2", "kind": "own", "priority": 2},
            {"id": "C1", "kind": "consignment", "owner": "Shop", "priority": 3,
             "forward": {"method": "email", "to": "shop@example.com"}}
        ],
        "stock": [
            {"warehouse": "W1", "sku": "A", "on_hand": 2},
            {"warehouse": "W2", "sku": "A", "on_hand": 10},
            {"warehouse": "C1", "sku": "A", "on_hand": 4}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    }"#;

    /// Per-line priority: W1 gives its 2, W2 the remaining 1.
    const RULES: &str =
        "fn split(order) { #{ strategy: \"per_line_priority\" } }\nfn rank(order, w) { w.priority }";

    fn case(expect: &str) -> String {
        format!(
            r#"{{"description": "d", "inventory": "inv.json",
                "order": {{"id": "o1", "channel": "web", "ship_to": {{"country": "DE"}},
                          "lines": [{{"id": "L1", "sku": "A", "qty": 3}}]}},
                "expect": {expect}}}"#
        )
    }

    fn files(path: &str) -> Option<String> {
        (path == "inv.json").then(|| INVENTORY.to_string())
    }

    fn run(case_json: &str) -> CaseOutcome {
        run_case(case_json, RULES, Some("t.rhai"), &files)
    }

    #[test]
    fn a_matching_case_passes_and_quantities_compare_as_decimals() {
        let o = run(&case(
            r#"{"status": "split", "backorders": [],
                "shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": "2.0"}],
                               "documents": ["invoice", "packing_slip", "shipping_label"]},
                              {"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]}]}"#,
        ));
        assert!(o.passed, "{:?}", o.failures);
        assert_eq!(o.description, "d");
        assert_eq!(o.actual["status"], "split");
    }

    #[test]
    fn a_wrong_quantity_fails_with_a_readable_sentence() {
        let o = run(&case(
            r#"{"status": "split",
                "shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}]},
                              {"warehouse": "W2", "lines": [{"line": "L1", "qty": 3}]}]}"#,
        ));
        assert!(!o.passed);
        assert_eq!(
            o.failures,
            vec!["shipment from `W2`: line `L1` expected 3, got 1"]
        );
    }

    #[test]
    fn missing_extra_and_misordered_shipments_are_reported() {
        let o = run(&case(
            r#"{"status": "single",
                "shipments": [{"warehouse": "C1", "lines": [{"line": "L1", "qty": 3}]}],
                "backorders": [{"line": "L1", "qty": 1}]}"#,
        ));
        assert!(!o.passed);
        assert!(o
            .failures
            .contains(&"status expected `single`, got `split`".to_string()));
        assert!(o
            .failures
            .contains(&"expected a shipment from `C1` (line `L1` × 3), got none".to_string()));
        assert!(o
            .failures
            .contains(&"unexpected shipment from `W1` (line `L1` × 2)".to_string()));
        assert!(o
            .failures
            .contains(&"backorder of line `L1`: expected 1, got none".to_string()));

        let o = run(&case(
            r#"{"shipments": [{"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]},
                              {"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}]}]}"#,
        ));
        assert_eq!(
            o.failures,
            vec!["shipments expected in the order `W2`, `W1`, got `W1`, `W2`"]
        );
    }

    #[test]
    fn wrong_documents_fail() {
        let o = run(&case(
            r#"{"shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}],
                               "documents": ["packing_slip"]},
                              {"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]}]}"#,
        ));
        assert_eq!(
            o.failures,
            vec!["shipment from `W1`: documents expected [packing_slip], got [invoice, packing_slip, shipping_label]"]
        );
    }

    #[test]
    fn hold_expectation_fails_when_not_held() {
        let o = run(&case(r#"{"hold": "minimum"}"#));
        assert_eq!(
            o.failures,
            vec!["expected the order to be held (reason containing `minimum`), got status `split`"]
        );
    }

    #[test]
    fn expected_errors_match_by_code_and_hook() {
        let rules = "fn rank(order, w) { \"first\" }";
        let base = |x: &str| {
            format!(
                r#"{{"description": "d", "inventory": "inv.json",
                "order": {{"id": "o1", "channel": "web", "ship_to": {{"country": "DE"}},
                          "lines": [{{"id": "L1", "sku": "A", "qty": 1}}]}},
                "expect_error": {x}}}"#
            )
        };
        let ok = run_case(
            &base(r#"{"code": "rule.return", "hook": "rank", "message_contains": "number"}"#),
            rules,
            None,
            &files,
        );
        assert!(ok.passed, "{:?}", ok.failures);
        let bad = run_case(
            &base(r#"{"code": "rule.runtime", "hook": "rank"}"#),
            rules,
            None,
            &files,
        );
        assert!(!bad.passed);
        assert!(
            bad.failures[0].starts_with("error code expected `rule.runtime`, got `rule.return`")
        );
        // An error was expected but routing succeeded.
        let none = run(&base(r#"{"code": "rule.return"}"#));
        assert_eq!(
            none.failures,
            vec!["expected error `rule.return`, but routing succeeded with status `single`"]
        );
    }

    #[test]
    fn availability_mismatch_is_reported_per_channel_sku_and_warehouse() {
        let c = r#"{"description": "d", "inventory": "inv.json", "availability": {"channel": "web"},
                    "expect": [{"sku": "A", "offered": 16,
                                "warehouses": [{"warehouse": "C1", "offered": 4, "included": true}]}]}"#;
        assert!(run(c).passed, "{:?}", run(c).failures);
        let c = c
            .replace("16", "15")
            .replace("\"offered\": 4", "\"offered\": 3");
        assert_eq!(
            run(&c).failures,
            vec![
                "channel `web`, sku `A`: offered expected 15, got 16",
                "channel `web`, sku `A` at `C1`: offered expected 3, got 4"
            ]
        );
    }

    #[test]
    fn several_orders_are_checked_one_by_one() {
        let c = r#"{"description": "d", "inventory": "inv.json",
            "orders": [
              {"id": "a", "channel": "web", "ship_to": {"country": "DE"}, "lines": [{"id": "L1", "sku": "A", "qty": 1}]},
              {"id": "b", "channel": "nope", "ship_to": {"country": "DE"}, "lines": [{"id": "L1", "sku": "A", "qty": 1}]}
            ],
            "expect": [{"status": "split"}, {"error": {"code": "data.invalid", "path": "channel"}}]}"#;
        let o = run(c);
        assert_eq!(
            o.failures,
            vec!["order `a`: status expected `split`, got `single`"]
        );
        assert_eq!(o.actual.as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn broken_cases_fail_with_the_reason() {
        let o = run(r#"{"description": "d", "inventory": "inv.json", "expcet": {}}"#);
        assert!(!o.passed);
        assert!(
            o.failures[0].contains("unknown field `expcet`"),
            "{:?}",
            o.failures
        );
        let o = run(&case("{}").replace("inv.json", "missing.json"));
        assert_eq!(
            o.failures,
            vec!["invalid case: `inventory` file `missing.json` not found"]
        );
        let o = run(r#"{"description": "d", "inventory": "inv.json", "order": {}}"#);
        assert_eq!(
            o.failures,
            vec!["invalid case: a case needs `expect` or `expect_error`"]
        );
    }

    #[test]
    fn compile_errors_can_be_expected() {
        let o = run_case(
            r#"{"description": "d", "expect_error": {"code": "rule.syntax"}}"#,
            "fn rank(order, w) { ",
            None,
            &files,
        );
        assert!(o.passed, "{:?}", o.failures);
    }
}
