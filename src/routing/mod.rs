//! Order routing: eligibility and rank from hooks, allocation by strategy in Rust, policy
//! (split limits, keep-together, minimum value, unfulfillable) and plan validation.

pub(crate) mod allocate;
pub(crate) mod plan;
pub mod policy;

use crate::error::{code, Diagnostic, Result};
use crate::inventory::PreparedInventory;
use crate::model::{Order, Plan, TraceEntry, WarehouseKind};
use crate::rules::{as_decimal, convert, Hook, RuleSet};
use allocate::{Problem, Unit};
use plan::{Author, Proposal, Validator};
use policy::{KeepTogether, SplitPolicy, Strategy, Unfulfillable};
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;
use std::collections::HashMap;

pub use allocate::MAX_EXACT_SETS;
pub use plan::{documents_for, status_of};

fn entry(step: &str, warehouse: Option<&str>, message: String) -> TraceEntry {
    TraceEntry {
        step: step.to_string(),
        warehouse: warehouse.map(str::to_string),
        line: None,
        message,
    }
}

fn fmt_key(key: &[Decimal]) -> String {
    match key {
        [one] => one.normalize().to_string(),
        _ => format!(
            "[{}]",
            key.iter()
                .map(|k| k.normalize().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Why a warehouse can never ship an order, before any rule runs.
fn builtin_exclusion(inv: &PreparedInventory, order: &Order, w: usize) -> Option<String> {
    let warehouse = inv.warehouse(w)?;
    if !warehouse.enabled {
        return Some("disabled".into());
    }
    if warehouse.kind == WarehouseKind::Consignment
        && !inv
            .channel(&order.channel)
            .is_some_and(|c| c.include_consignment)
    {
        return Some(format!(
            "consignment stock is not offered on channel `{}`",
            order.channel
        ));
    }
    None
}

struct Session<'a> {
    rules: &'a RuleSet,
    order: &'a Order,
    inv: &'a PreparedInventory,
    order_view: Dynamic,
    trace: Vec<TraceEntry>,
    /// Per warehouse index: `None` until asked.
    eligible_cache: Vec<Option<bool>>,
}

impl Session<'_> {
    /// Calls a hook and moves the notes it wrote into the trace, keeping time order.
    fn hook(
        &mut self,
        hook: Hook,
        warehouse: Option<&str>,
        args: impl rhai::FuncArgs,
    ) -> Result<Dynamic> {
        let r = self.rules.call(hook, warehouse, args);
        self.trace.append(&mut self.rules.take_notes());
        r
    }

    /// Built-in checks, then the `eligible` hook. Memoised per warehouse.
    fn eligible(&mut self, w: usize) -> Result<bool> {
        if let Some(Some(e)) = self.eligible_cache.get(w) {
            return Ok(*e);
        }
        let Some(warehouse) = self.inv.warehouse(w) else {
            return Ok(false);
        };
        let result = if let Some(why) = builtin_exclusion(self.inv, self.order, w) {
            self.trace.push(entry(
                "eligible",
                Some(&warehouse.id),
                format!("excluded: {why}"),
            ));
            false
        } else if self.rules.has(Hook::Eligible) {
            let view = self
                .inv
                .views()
                .warehouses
                .get(w)
                .cloned()
                .unwrap_or(Dynamic::UNIT);
            let id = warehouse.id.clone();
            let order_view = self.order_view.clone();
            let r = self.hook(Hook::Eligible, Some(&id), (order_view, view))?;
            let Ok(ok) = r.as_bool() else {
                return Err(self
                    .rules
                    .return_error(
                        Hook::Eligible,
                        "a bool (true or false)",
                        &r,
                        Some(&warehouse.id),
                    )
                    .into());
            };
            if !ok {
                self.trace.push(entry(
                    "eligible",
                    Some(&warehouse.id),
                    "excluded by the rule's `eligible`".into(),
                ));
            }
            ok
        } else {
            true
        };
        if let Some(slot) = self.eligible_cache.get_mut(w) {
            *slot = Some(result);
        }
        Ok(result)
    }

    fn rank(&mut self, w: usize) -> Result<Vec<Decimal>> {
        let Some(warehouse) = self.inv.warehouse(w) else {
            return Ok(Vec::new());
        };
        if !self.rules.has(Hook::Rank) {
            let mut key = vec![Decimal::from(warehouse.priority)];
            if let (Some(a), Some(b)) = (&warehouse.location, &self.order.ship_to.location) {
                use rust_decimal::prelude::ToPrimitive;
                let p = |l: &crate::model::Location| {
                    (l.lat.to_f64().unwrap_or(0.0), l.lon.to_f64().unwrap_or(0.0))
                };
                key.push(crate::rules::natives::haversine_km(p(a), p(b)));
            }
            return Ok(key);
        }
        let view = self
            .inv
            .views()
            .warehouses
            .get(w)
            .cloned()
            .unwrap_or(Dynamic::UNIT);
        let id = warehouse.id.clone();
        let order_view = self.order_view.clone();
        let r = self.hook(Hook::Rank, Some(&id), (order_view, view))?;
        let expected = "a number or an array of numbers";
        if let Some(d) = as_decimal(&r) {
            return Ok(vec![d]);
        }
        if let Some(items) = r.read_lock::<Array>() {
            let mut key = Vec::with_capacity(items.len());
            for item in items.iter() {
                match as_decimal(item) {
                    Some(d) => key.push(d),
                    None => {
                        let mut d = self.rules.return_error(
                            Hook::Rank,
                            expected,
                            item,
                            Some(&warehouse.id),
                        );
                        d.message = format!(
                            "`rank` must return a number or an array of numbers, got an array containing {}",
                            crate::rules::type_name(item)
                        );
                        return Err(d.into());
                    }
                }
            }
            return Ok(key);
        }
        Err(self
            .rules
            .return_error(Hook::Rank, expected, &r, Some(&warehouse.id))
            .into())
    }

    fn units(&self, policy: &SplitPolicy) -> Vec<Unit> {
        let lines = &self.order.lines;
        let mut group_of: Vec<Option<usize>> = vec![None; lines.len()];
        let mut groups: Vec<Vec<usize>> = Vec::new();
        match &policy.keep_together {
            KeepTogether::None => {}
            KeepTogether::Groups(gs) => {
                for g in gs {
                    let members: Vec<usize> = lines
                        .iter()
                        .enumerate()
                        .filter(|(i, l)| {
                            group_of.get(*i).is_some_and(|x| x.is_none())
                                && (g.contains(&l.id) || g.contains(&l.sku))
                        })
                        .map(|(i, _)| i)
                        .collect();
                    if members.len() > 1 {
                        for &m in &members {
                            if let Some(slot) = group_of.get_mut(m) {
                                *slot = Some(groups.len());
                            }
                        }
                        groups.push(members);
                    }
                }
            }
            KeepTogether::Attribute(attr) => {
                let mut by_value: Vec<(String, Vec<usize>)> = Vec::new();
                for (i, l) in lines.iter().enumerate() {
                    let Some(v) = self
                        .inv
                        .product(&l.sku)
                        .and_then(|p| p.attributes.get(attr))
                        .filter(|v| !v.is_null())
                    else {
                        continue;
                    };
                    let v = v.to_string();
                    match by_value.iter_mut().find(|(k, _)| *k == v) {
                        Some((_, m)) => m.push(i),
                        None => by_value.push((v, vec![i])),
                    }
                }
                for (_, members) in by_value {
                    if members.len() > 1 {
                        for &m in &members {
                            if let Some(slot) = group_of.get_mut(m) {
                                *slot = Some(groups.len());
                            }
                        }
                        groups.push(members);
                    }
                }
            }
        }
        let mut units = Vec::new();
        let mut emitted = vec![false; groups.len()];
        for (i, g) in group_of.iter().enumerate() {
            match g {
                Some(gi) => {
                    if emitted.get(*gi).copied() == Some(false) {
                        if let Some(e) = emitted.get_mut(*gi) {
                            *e = true;
                        }
                        units.push(Unit {
                            lines: groups.get(*gi).cloned().unwrap_or_default(),
                            whole: true,
                        });
                    }
                }
                None => units.push(Unit {
                    lines: vec![i],
                    whole: !policy.split_lines,
                }),
            }
        }
        units
    }

    fn note(&mut self, step: &str, message: String) {
        self.trace.push(entry(step, None, message));
    }
}

fn policy_summary(p: &SplitPolicy, max: usize) -> String {
    let strategy = match p.strategy {
        Strategy::FewestShipments => "fewest shipments",
        Strategy::PerLinePriority => "per-line priority",
        Strategy::HighestStock => "highest stock first",
        Strategy::AllOrNothing => "all or nothing",
    };
    let limit = if max == usize::MAX {
        "no shipment limit".to_string()
    } else if max == 1 {
        "never split".to_string()
    } else {
        format!("at most {max} shipments")
    };
    let short = match p.unfulfillable {
        Unfulfillable::Backorder => "backorder what cannot ship",
        Unfulfillable::Hold => "hold if it cannot ship complete",
        Unfulfillable::ShipNothing => "ship nothing unless complete",
    };
    format!("policy: {strategy}, {limit}, {short}")
}

fn get_str(m: &Map, key: &str) -> Option<String> {
    m.get(key).filter(|v| v.is_string()).map(|v| v.to_string())
}

/// Reads what `route()` returned into a proposal.
fn read_route(rules: &RuleSet, value: &Dynamic) -> Result<Proposal> {
    let shape = "a plan map `#{ shipments: [#{ warehouse, lines: [#{ line, qty }] }], backorders: [#{ line, qty }], hold: \"reason\" }`";
    let bad = |what: String| {
        let mut d = rules.return_error(Hook::Route, shape, value, None);
        d.message = format!("`route` returned an invalid plan: {what}");
        d
    };
    let Some(map) = value.read_lock::<Map>() else {
        return Err(rules.return_error(Hook::Route, shape, value, None).into());
    };
    let mut p = Proposal::default();
    for key in map.keys() {
        if !matches!(key.as_str(), "shipments" | "backorders" | "hold") {
            return Err(bad(format!(
                "unknown key `{key}` (expected shipments, backorders, hold)"
            ))
            .into());
        }
    }
    if let Some(h) = map.get("hold").filter(|h| !h.is_unit()) {
        if !h.is_string() {
            return Err(bad(format!(
                "`hold` must be a reason string, got {}",
                crate::rules::type_name(h)
            ))
            .into());
        }
        p.hold = Some(h.to_string());
    }
    let read_lines = |v: &Dynamic, at: &str| -> Result<Vec<(String, Decimal)>> {
        let Some(items) = v.read_lock::<Array>() else {
            return Err(bad(format!(
                "`{at}` must be an array, got {}",
                crate::rules::type_name(v)
            ))
            .into());
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(m) = item.read_lock::<Map>() else {
                return Err(bad(format!("`{at}[{i}]` must be a map `#{{ line, qty }}`")).into());
            };
            let Some(line) = get_str(&m, "line") else {
                return Err(bad(format!("`{at}[{i}].line` must be a line id string")).into());
            };
            let Some(qty) = m.get("qty").and_then(as_decimal) else {
                return Err(bad(format!("`{at}[{i}].qty` must be a number")).into());
            };
            out.push((line, qty));
        }
        Ok(out)
    };
    if let Some(v) = map.get("shipments") {
        let Some(items) = v.read_lock::<Array>() else {
            return Err(bad("`shipments` must be an array".into()).into());
        };
        for (i, item) in items.iter().enumerate() {
            let Some(m) = item.read_lock::<Map>() else {
                return Err(bad(format!(
                    "`shipments[{i}]` must be a map `#{{ warehouse, lines }}`"
                ))
                .into());
            };
            let Some(w) = get_str(&m, "warehouse") else {
                return Err(bad(format!(
                    "`shipments[{i}].warehouse` must be a warehouse id string"
                ))
                .into());
            };
            let lines = match m.get("lines") {
                Some(l) => read_lines(l, &format!("shipments[{i}].lines"))?,
                None => return Err(bad(format!("`shipments[{i}].lines` is missing")).into()),
            };
            p.shipments.push((w, lines));
        }
    }
    if let Some(v) = map.get("backorders") {
        p.backorders = read_lines(v, "backorders")?;
    }
    Ok(p)
}

/// Routes one order. The inventory must be the one the order was validated against.
pub(crate) fn route(rules: &RuleSet, order: &Order, inv: &PreparedInventory) -> Result<Plan> {
    inv.validate_order(order)?;
    rules.begin(inv);
    let result = route_inner(rules, order, inv);
    let (mut notes, hold) = rules.finish();
    let mut plan = result.map_err(|e| e.for_order(&order.id))?;
    if let Some(reason) = hold {
        // A rule asked to hold: that overrides whatever was allocated.
        plan.shipments.clear();
        plan.backorders.clear();
        plan.status = crate::model::PlanStatus::Held;
        plan.hold = Some(crate::model::Hold {
            reason,
            lines: order
                .lines
                .iter()
                .map(|l| crate::model::PlanLine {
                    line: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: l.qty,
                })
                .collect(),
        });
    }
    plan.trace.append(&mut notes);
    Ok(plan)
}

fn route_inner(rules: &RuleSet, order: &Order, inv: &PreparedInventory) -> Result<Plan> {
    let mut s = Session {
        rules,
        order,
        inv,
        order_view: convert::order(order, inv),
        trace: Vec::new(),
        eligible_cache: vec![None; inv.warehouses().len()],
    };

    if rules.has(Hook::Route) {
        let order_view = s.order_view.clone();
        let value = s.hook(
            Hook::Route,
            None,
            (order_view, inv.views().inventory.clone()),
        )?;
        let proposal = read_route(rules, &value)?;
        s.note("route", "plan returned by the rule's `route`".into());
        let trace = std::mem::take(&mut s.trace);
        let validator = Validator {
            rules,
            order,
            inventory: inv,
            author: Author::RouteHook,
        };
        let mut eligible = |w: usize| s.eligible(w);
        let mut plan = validator.build(proposal, &mut eligible, Vec::new())?;
        let mut t = trace;
        t.append(&mut s.trace);
        t.append(&mut plan.trace);
        plan.trace = t;
        return Ok(plan);
    }

    let policy = if rules.has(Hook::Split) {
        let order_view = s.order_view.clone();
        let v = s.hook(Hook::Split, None, (order_view,))?;
        SplitPolicy::from_dynamic(rules, &v)?
    } else {
        SplitPolicy::default()
    };

    // Candidates: warehouses holding any ordered SKU. Others cannot ship anything, so no
    // hook is called for them.
    let mut candidates: Vec<usize> = Vec::new();
    for line in &order.lines {
        for &w in inv.warehouses_with(&line.sku) {
            if !candidates.contains(&w) && inv.available(w, &line.sku) > Decimal::ZERO {
                candidates.push(w);
            }
        }
    }
    candidates.sort_unstable();
    let mut ranked: Vec<(Vec<Decimal>, usize)> = Vec::new();
    for w in candidates {
        if s.eligible(w)? {
            let key = s.rank(w)?;
            ranked.push((key, w));
        }
    }
    // Stable: equal keys keep inventory order.
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    let custom_rank = rules.has(Hook::Rank);
    for (pos, (key, w)) in ranked.iter().enumerate() {
        let id = inv.warehouse(*w).map(|w| w.id.as_str());
        let why = match (custom_rank, key.as_slice()) {
            (true, _) => format!("`rank` returned {}", fmt_key(key)),
            (false, [priority]) => format!("priority {}", priority.normalize()),
            (false, [priority, km, ..]) => format!(
                "priority {}, {} km from the customer",
                priority.normalize(),
                km.round_dp(1).normalize()
            ),
            (false, []) => "no rank".to_string(),
        };
        s.trace
            .push(entry("rank", id, format!("ranked #{}: {why}", pos + 1)));
    }
    let ranked: Vec<usize> = ranked.into_iter().map(|(_, w)| w).collect();

    let mut max = policy.max_shipments.unwrap_or(usize::MAX);
    if let Some(min) = policy.min_split_value {
        let value = order.value();
        if value < min && max > 1 {
            max = 1;
            s.note(
                "split",
                format!(
                    "order value {} is below the minimum {} for splitting: one shipment only",
                    value.normalize(),
                    min.normalize()
                ),
            );
        }
    }
    s.note("split", policy_summary(&policy, max));

    let mut avail = HashMap::with_capacity(ranked.len() * order.lines.len());
    for &w in &ranked {
        for line in &order.lines {
            avail.insert((w, line.sku.as_str()), inv.available(w, &line.sku));
        }
    }
    let problem = Problem {
        lines: order
            .lines
            .iter()
            .map(|l| (l.sku.as_str(), l.qty))
            .collect(),
        units: s.units(&policy),
        ranked,
        avail,
    };
    let (outcome, why) = match policy.strategy {
        Strategy::FewestShipments | Strategy::AllOrNothing => problem.fewest_shipments(max),
        Strategy::PerLinePriority => problem.per_line(max, false),
        Strategy::HighestStock => problem.per_line(max, true),
    };
    s.note("allocate", why);

    let complete = outcome.complete();
    let unfulfillable = match (policy.strategy, policy.unfulfillable) {
        (Strategy::AllOrNothing, Unfulfillable::Backorder) => Unfulfillable::ShipNothing,
        (_, u) => u,
    };
    let mut proposal = Proposal::default();
    if complete || unfulfillable == Unfulfillable::Backorder {
        let mut used = outcome.warehouses_used();
        // Shipments are listed best-ranked warehouse first, whatever order allocation took.
        used.sort_by_key(|w| problem.ranked.iter().position(|r| r == w));
        for w in used {
            let Some(warehouse) = inv.warehouse(w) else {
                continue;
            };
            let lines: Vec<(String, Decimal)> = outcome
                .allocs
                .iter()
                .filter(|(aw, _, _)| *aw == w)
                .filter_map(|(_, l, q)| order.lines.get(*l).map(|line| (line.id.clone(), *q)))
                .collect();
            let summary = lines
                .iter()
                .map(|(l, q)| format!("line {l} × {}", q.normalize()))
                .collect::<Vec<_>>()
                .join(", ");
            s.trace.push(entry(
                "allocate",
                Some(&warehouse.id),
                format!("ships {summary}"),
            ));
            proposal.shipments.push((warehouse.id.clone(), lines));
        }
        for (line, rem) in order.lines.iter().zip(&outcome.remaining) {
            if !rem.is_zero() {
                s.trace.push(TraceEntry {
                    step: "backorder".into(),
                    warehouse: None,
                    line: Some(line.id.clone()),
                    message: format!(
                        "{} of {} backordered: not enough eligible stock",
                        rem.normalize(),
                        line.sku
                    ),
                });
                proposal.backorders.push((line.id.clone(), *rem));
            }
        }
    } else if unfulfillable == Unfulfillable::Hold {
        let reason = if max == 1 && order.lines.len() > 1 {
            "the order cannot ship complete from one warehouse".to_string()
        } else if max == usize::MAX {
            "the order cannot ship complete from eligible stock".to_string()
        } else {
            format!("the order cannot ship complete within {max} shipments")
        };
        s.note("hold", reason.clone());
        proposal.hold = Some(reason);
    } else {
        s.note(
            "allocate",
            "the order cannot ship complete, so nothing ships: every line is backordered".into(),
        );
        proposal.backorders = order.lines.iter().map(|l| (l.id.clone(), l.qty)).collect();
    }

    let validator = Validator {
        rules,
        order,
        inventory: inv,
        author: Author::Engine,
    };
    let trace = std::mem::take(&mut s.trace);
    let mut eligible = |w: usize| s.eligible(w);
    let mut plan = validator.build(proposal, &mut eligible, Vec::new())?;
    plan.trace = trace;
    plan.trace.append(&mut s.trace);
    Ok(plan)
}

/// A diagnostic for an order whose channel is unknown; used by availability too.
pub(crate) fn unknown_channel(channel: &str) -> Diagnostic {
    Diagnostic::new(code::DATA_INVALID, format!("unknown channel `{channel}`")).with_path("channel")
}
