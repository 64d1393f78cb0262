//! Running a case: compile the rules, load the inventory, then the one input the case gives
//! (an order, orders, availability, replenishment, a plan to validate, or steps), each
//! result held against its expectation.

use super::compare::{status_name, ChannelOffers, Expectation};
use super::files::Files;
use super::schema::{
    AvailabilityExpect, CaseBatchOptions, CaseFile, ChangeExpect, OrderExpect, PlanExpect,
    ProposalExpect, ReplenishmentRequest, Step, ValidateExpect,
};
use super::CASE_DAY;
use crate::error::StockrouteError;
use crate::inventory::PreparedInventory;
use crate::model::{Inventory, Order, Plan, StockChange, StockUpdate};
use crate::router::{BatchOptions, RouteOptions, Router, RouterOptions};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The routing day of a case: its `as_of`, else [`CASE_DAY`].
fn day(as_of: Option<String>) -> Option<String> {
    as_of.or_else(|| Some(CASE_DAY.to_string()))
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
pub(super) fn run(
    case: &CaseFile,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &Files,
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
            Some(x) => (x.mismatches(e), actual),
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
        Some(v) => Some(files.load(v, "inventory")?),
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
            let o = files.load(&o, "order")?;
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
                    Ok((x.mismatches(&plan), to_json(&plan)))
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
            let orders = files.load_orders(&list)?;
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
                        ChannelOffers::new(&x, channel.as_deref())?.mismatches(&a),
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
                    Ok((x.mismatches(&r), to_json(&r)))
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
            let order = files.load(&request.order, "order")?;
            let plan = files.load(&request.plan, "plan")?;
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
                    Ok((x.mismatches(&v), to_json(&v)))
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
    files: &Files,
) -> Result<crate::error::Result<crate::consignment::replenish::Replenishment>, String> {
    use crate::consignment::replenish::{ReplenishOptions, Sales};
    let events = match &request.events {
        None => Ok(Vec::new()),
        Some(Value::String(path)) => {
            let text = files.text(path, "events")?;
            crate::consignment::settlement::parse_events(inv, text)
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
            (Ok(plan), OrderExpect::Plan(x)) => x.mismatches(plan),
            (Err(e), OrderExpect::Error { error }) => error.mismatches(e),
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
    files: &Files,
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
    files: &Files,
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
            Some(x) => (x.mismatches(e), actual),
            None => (vec![format!("{what} failed: {e}")], actual),
        }
    };
    if let Some(order) = &step.route {
        let o = files.load(order, "order")?;
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
            Some(x) => {
                let x: PlanExpect = parse(x.clone(), &format!("steps[{i}].expect"))?;
                x.mismatches(&plan)
            }
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
        let orders = files.load_orders(list)?;
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
            files.load(rows, "rows")?,
            &format!("steps[{i}].apply_stock"),
        )?;
        inv.apply_stock(&rows)
    } else if let Some(warehouse) = &step.sync_warehouse {
        let rows: Vec<StockUpdate> = match &step.rows {
            Some(r) => parse(files.load(r, "rows")?, &format!("steps[{i}].rows"))?,
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
                        ChannelOffers::new(&x, request.channel.as_deref())?.mismatches(&a)
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
                    x.mismatches(&changes)
                }
                None => unexpected_success("the update"),
            };
            Ok((f, to_json(&changes)))
        }
    }
}

/// A value of the case as `T`; `Err` names what is wrong with it.
fn parse<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, String> {
    crate::json::from_value(v, what).map_err(|e| e.to_string())
}

/// A result as the JSON of `CaseOutcome::actual`.
fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// An error as `actual` holds it: `{"error": {...}}`.
fn error_json(e: &StockrouteError) -> Value {
    serde_json::json!({ "error": to_json(e) })
}
