//! Manual routing, checked: a plan a person (or another system) made is held to the same
//! invariants as the engine's own and a rule's `route()` (the one [`Validator`]), against
//! the loaded inventory and the rules' `eligible`, with the built-in exclusions (disabled,
//! consignment off the channel, period ended as of a day, capacity `block`). Beyond that
//! it checks what only a hand-made plan can get wrong: an invoice asked for on consignment
//! goods, a shipment's `kind` or a line's `sku` that contradict the inventory or the order,
//! a plan for another order.
//!
//! Every violation is collected (none stops the others), each naming its order line and
//! warehouse where it has them, so an editor can mark them all at once.

use super::plan::{Author, Validator};
use super::trace::Exclusion;
use super::{builtin_exclusion, Exclude, Settings};
use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hook, Hooks, OrderInput, PlanDraft, Run};
use crate::inventory::PreparedInventory;
use crate::model::{
    Document, ManualLine, ManualPlan, Order, TraceEntry, Validation, WarehouseKind,
};

fn violation(order: &Order, message: String) -> Diagnostic {
    let mut d = Diagnostic::new(code::PLAN_INVALID, message);
    d.order = Some(order.id.clone());
    d
}

/// Reads the plan's `hold`: a reason, or an object with one.
fn hold_reason(plan: &ManualPlan) -> Result<Option<String>> {
    let bad = || -> StockrouteError {
        Diagnostic::new(
            code::DATA_INVALID,
            "invalid plan: `hold` must be a reason such as `\"customer asked to wait\"` or `{ \"reason\": ... }`",
        )
        .with_path("hold")
        .into()
    };
    match &plan.hold {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(r)) => Ok(Some(r.clone())),
        Some(serde_json::Value::Object(m)) => match m.get("reason") {
            Some(serde_json::Value::String(r)) => Ok(Some(r.clone())),
            _ => Err(bad()),
        },
        Some(_) => Err(bad()),
    }
}

/// A line's `sku`, when given, must be the order line's.
fn check_sku(
    order: &Order,
    l: &ManualLine,
    path: String,
    warehouse: Option<&str>,
) -> Option<Diagnostic> {
    let given = l.sku.as_deref()?;
    let line = order.lines.iter().find(|x| x.id == l.line)?;
    (line.sku != given).then(|| {
        let mut d = violation(
            order,
            format!("line `{}` is sku `{}`, not `{given}`", line.id, line.sku),
        )
        .with_path(path)
        .with_line_id(line.id.clone());
        d.warehouse = warehouse.map(str::to_string);
        d
    })
}

/// Checks `plan` for `order`; see the module docs. Bad data (an invalid order, a `hold`
/// that is neither a reason nor `{ reason }`, a bad `as_of`) and rule errors are errors;
/// violations are the [`Validation`]'s.
pub(crate) fn validate(
    hooks: &dyn Hooks,
    order: &Order,
    inventory: &PreparedInventory,
    plan: &ManualPlan,
    settings: &Settings,
) -> Result<Validation> {
    inventory.validate_order(order)?;
    let hold = hold_reason(plan).map_err(|e| e.for_order(&order.id))?;
    let mut errors = Vec::new();
    if let Some(id) = plan.order.as_deref().filter(|id| *id != order.id) {
        errors.push(
            violation(
                order,
                format!("the plan is for order `{id}`, not `{}`", order.id),
            )
            .with_path("order"),
        );
    }
    for (i, s) in plan.shipments.iter().enumerate() {
        let warehouse = inventory
            .warehouse_index(&s.warehouse)
            .and_then(|w| inventory.warehouse(w));
        if let Some(w) = warehouse {
            if s.kind.is_some_and(|k| k != w.kind) {
                let (is, not) = match w.kind {
                    WarehouseKind::Consignment => ("a consignment location", "an own warehouse"),
                    WarehouseKind::Own => ("an own warehouse", "a consignment location"),
                };
                errors.push(
                    violation(order, format!("`{}` is {is}, not {not}", w.id))
                        .with_path(format!("shipments[{i}].kind"))
                        .with_warehouse(w.id.clone()),
                );
            }
            let invoice = s
                .documents
                .iter()
                .flatten()
                .any(|d| *d == Document::Invoice);
            if invoice && w.kind == WarehouseKind::Consignment {
                for l in &s.lines {
                    errors.push(
                        violation(
                            order,
                            format!(
                                "line `{}` ships from consignment location `{}` with an invoice: consignment goods stay the supplier's until the retailer sells them",
                                l.line, w.id
                            ),
                        )
                        .with_path(format!("shipments[{i}].documents"))
                        .with_warehouse(w.id.clone())
                        .with_line_id(l.line.clone())
                        .with_help("a consignment shipment travels with a packing slip (or a pro forma) and the shipping label; leave `documents` out and the engine adds them"),
                    );
                }
            }
        }
        for (j, l) in s.lines.iter().enumerate() {
            errors.extend(check_sku(
                order,
                l,
                format!("shipments[{i}].lines[{j}].sku"),
                Some(&s.warehouse),
            ));
        }
    }
    for (j, l) in plan.backorders.iter().enumerate() {
        errors.extend(check_sku(order, l, format!("backorders[{j}].sku"), None));
    }
    let draft = PlanDraft {
        shipments: plan
            .shipments
            .iter()
            .map(|s| {
                (
                    s.warehouse.clone(),
                    s.lines.iter().map(|l| (l.line.clone(), l.qty)).collect(),
                )
            })
            .collect(),
        backorders: plan
            .backorders
            .iter()
            .map(|l| (l.line.clone(), l.qty))
            .collect(),
        hold,
    };
    let input = OrderInput {
        order,
        inventory,
        as_of: settings.as_of,
    };
    let exclude = Exclude::default();
    // A `hold()` requested by `eligible` is not applied: the plan is a person's decision.
    let mut run = Run::new(settings.run);
    let mut eligible = |w: usize| -> Result<Option<String>> {
        let Some(warehouse) = inventory.warehouse(w) else {
            return Ok(Some(String::new()));
        };
        if let Some(why) = builtin_exclusion(hooks, input, exclude, w, warehouse) {
            return Ok(Some(why.words(order)));
        }
        if hooks.defines(Hook::Eligible) && !hooks.eligible(&mut run, input, w)? {
            return Ok(Some(Exclusion::ByRule.words(order)));
        }
        Ok(None)
    };
    let validator = Validator {
        hooks,
        order,
        inventory,
        author: Author::Manual,
    };
    match validator.build_from_ids_with(draft, &mut eligible, errors) {
        Ok(mut plan) => {
            if settings.trace {
                plan.trace.push(TraceEntry {
                    step: "manual".into(),
                    warehouse: None,
                    line: None,
                    message: "routed by hand; checked against stock, eligibility and documents"
                        .into(),
                });
            }
            Ok(Validation {
                valid: true,
                plan: Some(plan),
                violations: Vec::new(),
            })
        }
        Err(e) if e.diagnostics.iter().all(|d| d.code == code::PLAN_INVALID) => Ok(Validation {
            valid: false,
            plan: None,
            violations: e.diagnostics,
        }),
        Err(e) => Err(e.for_order(&order.id)),
    }
}
