//! Order routing: one straight walk per order.
//!
//! 1. **prepare**: the order is validated against the inventory; a [`Run`] (operation
//!    budget, notes, hold request) and a [`Trace`] start empty;
//! 2. **decide**: a rule's `route()` proposes the whole plan, or else `split` gives the policy
//!    and, for every warehouse holding an ordered SKU, built-in exclusions then `eligible`
//!    then `rank` order the candidates. A hold requested by any hook ends the walk here;
//! 3. **allocate**: a strategy distributes the lines over the ranked warehouses (dense tables,
//!    see [`allocate`]);
//! 4. **validate**: the draft, whoever made it, is checked against every invariant
//!    ([`plan::Validator`]);
//! 5. **assemble**: shipments get kind, owner, forwarding and documents; the trace is put into
//!    words.
//!
//! Rules are reached only through the [`Hooks`] trait: nothing here knows how they are written.

pub(crate) mod allocate;
pub(crate) mod manual;
pub(crate) mod plan;
pub mod policy;
pub(crate) mod trace;

use crate::error::{code, Diagnostic, Result};
use crate::hooks::{Hook, Hooks, OrderInput, RankKey, Run, RunLimits};
use crate::inventory::PreparedInventory;
use crate::model::{CapacityMode, Order, Plan, WarehouseKind};
use allocate::{Outcome, Problem, Unit};
use plan::{Author, Draft, Validator};
use policy::{KeepTogether, SplitPolicy, Strategy, Unfulfillable};
use rust_decimal::Decimal;
use trace::{Event, Exclusion, Shortage, Trace};

pub use allocate::{MAX_EXACT_SETS, MAX_SEARCH_STEPS};
pub use plan::{documents_for, status_of};

/// How one order is routed: what the caller asked for beyond the order itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    /// Whether the plan carries its trace.
    pub trace: bool,
    /// Caps for all hook calls of the order together.
    pub run: RunLimits,
    /// The routing day: consignment periods end relative to it (`None`: not checked).
    pub as_of: Option<time::Date>,
}

/// Locations the caller rules out for this order (re-routing after a rejection).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Exclude<'a> {
    /// Inventory indices of the excluded warehouses.
    pub warehouses: &'a [usize],
    /// Why, as the caller gave it (`not_in_stock`, ...).
    pub reason: Option<&'a str>,
}

/// Routes one order against an inventory.
pub(crate) fn route(
    hooks: &dyn Hooks,
    order: &Order,
    inventory: &PreparedInventory,
    settings: &Settings,
    exclude: Exclude<'_>,
) -> Result<Plan> {
    inventory.validate_order(order)?;
    let mut walk = Walk {
        hooks,
        input: OrderInput {
            order,
            inventory,
            as_of: settings.as_of,
        },
        run: Run::new(settings.run),
        trace: Trace::new(settings.trace),
        eligible: vec![None; inventory.warehouses().len()],
        exclude,
    };
    // Said once, up front: a rejecting location may hold none of the order's stock any more
    // (`not_in_stock`), so it would never come up as a candidate.
    for &w in exclude.warehouses {
        walk.trace.push(|| Event::Excluded {
            warehouse: w,
            why: Exclusion::Rejected(exclude.reason.map(str::to_string)),
        });
    }
    let result = walk.decide();
    let Walk { trace, .. } = walk;
    let mut plan = result.map_err(|e| e.for_order(&order.id))?;
    plan.trace = trace.entries(order, inventory);
    Ok(plan)
}

struct Walk<'a> {
    hooks: &'a dyn Hooks,
    input: OrderInput<'a>,
    run: Run,
    trace: Trace,
    /// Per warehouse index: `None` until asked.
    eligible: Vec<Option<bool>>,
    exclude: Exclude<'a>,
}

/// A candidate warehouse and its rank.
struct Ranked {
    warehouse: usize,
    key: RankKey,
    how: RankHow,
}

#[derive(Clone, Copy)]
enum RankHow {
    Rule,
    Default,
}

/// Distance key for warehouses without a location when the customer has one: after every
/// real distance (no two points on Earth are more than ≈ 20,038 km apart).
const NO_LOCATION_KM: Decimal = Decimal::from_parts(100_000, 0, 0, false, 0);

impl Walk<'_> {
    /// Moves the notes the last hook wrote into the trace; `Some(reason)` when a hook asked
    /// to hold the order.
    fn after_call(&mut self) -> Option<String> {
        for note in self.run.take_notes() {
            self.trace.push(|| Event::Rule(note));
        }
        self.run.hold().map(|(_, reason)| reason.to_string())
    }

    fn held(&mut self, reason: String) -> Result<Plan> {
        Ok(plan::held(self.input.order, reason))
    }

    fn validator(&self, author: Author) -> Validator<'_> {
        Validator {
            hooks: self.hooks,
            order: self.input.order,
            inventory: self.input.inventory,
            author,
        }
    }

    fn decide(&mut self) -> Result<Plan> {
        if self.hooks.defines(Hook::Route) {
            let draft = self.hooks.route(&mut self.run, self.input)?;
            if let Some(reason) = self.after_call() {
                if !draft.shipments.is_empty() || !draft.backorders.is_empty() {
                    self.trace.push(|| Event::HoldOverridesRoute);
                }
                return self.held(reason);
            }
            self.trace.push(|| Event::RoutedByRule);
            let plan = {
                let (hooks, input, exclude) = (self.hooks, self.input, self.exclude);
                let (run, trace, cache) = (&mut self.run, &mut self.trace, &mut self.eligible);
                let mut eligible = |w: usize| {
                    eligible_of(hooks, input, exclude, run, trace, cache, w)
                        .map(|ok| (!ok).then(String::new))
                };
                Validator {
                    hooks,
                    order: input.order,
                    inventory: input.inventory,
                    author: Author::RouteHook,
                }
                .build_from_ids(draft, &mut eligible)
            };
            // `eligible` may itself have asked to hold while the plan was checked.
            if let Some(reason) = self.after_call() {
                return self.held(reason);
            }
            let plan = plan?;
            self.waits_for_stock(&plan);
            return Ok(plan);
        }

        let policy = if self.hooks.defines(Hook::Split) {
            let policy = self.hooks.split(&mut self.run, self.input)?;
            if let Some(reason) = self.after_call() {
                return self.held(reason);
            }
            policy
        } else {
            SplitPolicy::default()
        };

        let order = self.input.order;
        let inv = self.input.inventory;
        // Candidates: warehouses holding any ordered SKU. Others cannot ship anything, so no
        // hook is called for them.
        let mut seen = vec![false; inv.warehouses().len()];
        let mut candidates: Vec<usize> = Vec::new();
        for line in &order.lines {
            let Some(rows) = inv.rows_of(&line.sku) else {
                continue;
            };
            for (w, level) in rows.iter() {
                let Some(slot) = seen.get_mut(w) else {
                    continue;
                };
                if !*slot && (level.available > Decimal::ZERO || level.backorder > Decimal::ZERO) {
                    *slot = true;
                    candidates.push(w);
                }
            }
        }
        candidates.sort_unstable();
        let mut ranked: Vec<Ranked> = Vec::with_capacity(candidates.len());
        for w in candidates {
            let ok = self.eligible(w)?;
            if let Some(reason) = self.after_call() {
                return self.held(reason);
            }
            if !ok {
                continue;
            }
            let r = self.rank(w)?;
            if let Some(reason) = self.after_call() {
                return self.held(reason);
            }
            ranked.push(r);
        }
        // Stable: equal keys keep inventory order.
        ranked.sort_by(|a, b| a.key.cmp(&b.key));
        // A full location with capacity mode `prefer` goes after every other one (stable, so
        // full ones keep their rank among themselves).
        let full = |w: usize| {
            inv.warehouse(w)
                .and_then(|w| w.capacity)
                .filter(|c| c.full() && c.mode == CapacityMode::Prefer)
        };
        if ranked.iter().any(|r| full(r.warehouse).is_some()) {
            ranked.sort_by_key(|r| full(r.warehouse).is_some());
            for r in &ranked {
                if let Some(c) = full(r.warehouse) {
                    let warehouse = r.warehouse;
                    self.trace.push(|| Event::AtCapacityLast {
                        warehouse,
                        used: c.used,
                        max: c.max_shipments,
                    });
                }
            }
        }
        if self.trace.on() {
            let has_location = order.ship_to.location.is_some();
            for (position, r) in ranked.iter().enumerate() {
                let (key, by_rule) = match r.how {
                    RankHow::Rule => (r.key.clone(), true),
                    RankHow::Default => {
                        let mut key = r.key.clone();
                        // Shown as priority alone when the distance is unknown.
                        if has_location && key.get(1) == Some(&NO_LOCATION_KM) {
                            key.truncate(1);
                        }
                        (key, false)
                    }
                };
                let warehouse = r.warehouse;
                self.trace.push(|| Event::Ranked {
                    warehouse,
                    position,
                    key,
                    by_rule,
                });
            }
        }
        let ranked: Vec<usize> = ranked.into_iter().map(|r| r.warehouse).collect();

        let mut max = policy.max_shipments.unwrap_or(usize::MAX);
        if let Some(minimum) = policy.min_split_value {
            let value = order.value();
            if value < minimum && max > 1 {
                max = 1;
                self.trace
                    .push(|| Event::BelowSplitMinimum { value, minimum });
            }
        }
        self.trace.push(|| Event::Policy {
            strategy: policy.strategy,
            max,
            unfulfillable: policy.unfulfillable,
        });

        let problem = problem(order, inv, &policy, ranked);
        let (outcome, why) = match policy.strategy {
            Strategy::FewestShipments | Strategy::AllOrNothing => problem.fewest_shipments(max),
            Strategy::PerLinePriority => problem.per_line(max, false),
            Strategy::HighestStock => problem.per_line(max, true),
        };
        self.trace.push(|| Event::Allocated(why));

        let draft = self.draft(&problem, &outcome, &policy, max);
        let validator = self.validator(Author::Engine);
        // Every warehouse of an engine draft was asked already; the cache answers.
        let cache = self.eligible.clone();
        let mut eligible = |w: usize| {
            let ok = cache.get(w).copied().flatten().unwrap_or(false);
            Ok((!ok).then(String::new))
        };
        let plan = validator.build(draft, &mut eligible)?;
        self.waits_for_stock(&plan);
        Ok(plan)
    }

    /// Trace lines for what waits for stock at a backorderable location.
    fn waits_for_stock(&mut self, plan: &Plan) {
        if !self.trace.on() {
            return;
        }
        for s in &plan.shipments {
            for l in &s.lines {
                if let Some(qty) = l.on_backorder {
                    let (warehouse, line, sku) =
                        (s.warehouse.clone(), l.line.clone(), l.sku.clone());
                    self.trace.push(|| Event::WaitsForStock {
                        warehouse,
                        line,
                        sku,
                        qty,
                    });
                }
            }
        }
    }

    /// Turns an allocation into a draft according to the policy's `unfulfillable`.
    fn draft(
        &mut self,
        problem: &Problem,
        outcome: &Outcome,
        policy: &SplitPolicy,
        max: usize,
    ) -> Draft {
        let order = self.input.order;
        let complete = outcome.complete();
        let unfulfillable = match (policy.strategy, policy.unfulfillable) {
            (Strategy::AllOrNothing, Unfulfillable::Backorder) => Unfulfillable::ShipNothing,
            (_, u) => u,
        };
        let mut draft = Draft::default();
        if complete || unfulfillable == Unfulfillable::Backorder {
            // Allocations come sorted by ranked position: shipments are listed best-ranked
            // warehouse first, whatever order allocation took.
            let mut allocs = outcome.allocs.as_slice();
            while let Some(&(position, _, _)) = allocs.first() {
                let end = allocs
                    .iter()
                    .position(|(p, _, _)| *p != position)
                    .unwrap_or(allocs.len());
                let (group, rest) = allocs.split_at(end);
                allocs = rest;
                let Some(&w) = problem.ranked.get(position) else {
                    continue;
                };
                let lines: Vec<(usize, Decimal)> = group.iter().map(|(_, l, q)| (*l, *q)).collect();
                if self.trace.on() {
                    let lines = lines.clone();
                    self.trace.push(|| Event::Ships {
                        warehouse: w,
                        lines,
                    });
                }
                draft.shipments.push((w, lines));
            }
            let mut shortages: Option<Shortages> = None;
            for (line, rem) in outcome.remaining.iter().enumerate() {
                if !rem.is_zero() {
                    let qty = *rem;
                    if self.trace.on() {
                        let why = shortages
                            .get_or_insert_with(|| Shortages::new(problem, outcome))
                            .of(problem, line);
                        self.trace.push(|| Event::Backordered { line, qty, why });
                    }
                    draft.backorders.push((line, qty));
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
            let r = reason.clone();
            self.trace.push(|| Event::Held(r));
            draft.hold = Some(reason);
        } else {
            self.trace.push(|| Event::NothingShips);
            draft.backorders = order.lines.iter().map(|l| l.qty).enumerate().collect();
        }
        draft
    }

    /// Built-in checks, then the `eligible` hook. Memoised per warehouse.
    fn eligible(&mut self, w: usize) -> Result<bool> {
        eligible_of(
            self.hooks,
            self.input,
            self.exclude,
            &mut self.run,
            &mut self.trace,
            &mut self.eligible,
            w,
        )
    }

    fn rank(&mut self, w: usize) -> Result<Ranked> {
        if self.hooks.defines(Hook::Rank) {
            let key = self.hooks.rank(&mut self.run, self.input, w)?;
            return Ok(Ranked {
                warehouse: w,
                key,
                how: RankHow::Rule,
            });
        }
        let mut key = RankKey::new();
        if let Some(warehouse) = self.input.inventory.warehouse(w) {
            key.push(Decimal::from(warehouse.priority));
            if let Some(to) = &self.input.order.ship_to.location {
                key.push(match &warehouse.location {
                    Some(from) => crate::geo::distance_km(from, to),
                    None => NO_LOCATION_KM,
                });
            }
        }
        Ok(Ranked {
            warehouse: w,
            key,
            how: RankHow::Default,
        })
    }
}

/// Why `warehouse` (index `w`) may not ship the order whatever the rules say: disabled,
/// excluded by the caller, its consignment period ended (when the caller gave a day), at
/// capacity in mode `block`, or consignment on a channel without it.
pub(crate) fn builtin_exclusion(
    hooks: &dyn Hooks,
    input: OrderInput<'_>,
    exclude: Exclude<'_>,
    w: usize,
    warehouse: &crate::model::Warehouse,
) -> Option<Exclusion> {
    let full = warehouse
        .capacity
        .filter(|c| c.full() && c.mode == CapacityMode::Block);
    if !warehouse.enabled {
        Some(Exclusion::Disabled)
    } else if exclude.warehouses.contains(&w) {
        Some(Exclusion::Rejected(exclude.reason.map(str::to_string)))
    } else if let Some(c) = full {
        Some(Exclusion::AtCapacity {
            used: c.used,
            max: c.max_shipments,
        })
    } else if warehouse.kind == WarehouseKind::Consignment
        && !input
            .inventory
            .channel(&input.order.channel)
            .is_some_and(|c| c.include_consignment)
    {
        Some(Exclusion::ConsignmentNotOnChannel)
    } else {
        input
            .as_of
            .and_then(|d| crate::consignment::dates::period_end_passed(warehouse, d))
            .filter(|_| !hooks.decides_period_end())
            .map(|end| Exclusion::PeriodEnded(end.to_string()))
    }
}

/// Whether `w` may ship the order: built-in exclusions, then the rule's `eligible`.
fn eligible_of(
    hooks: &dyn Hooks,
    input: OrderInput<'_>,
    exclude: Exclude<'_>,
    run: &mut Run,
    trace: &mut Trace,
    cache: &mut [Option<bool>],
    w: usize,
) -> Result<bool> {
    if let Some(Some(e)) = cache.get(w) {
        return Ok(*e);
    }
    let Some(warehouse) = input.inventory.warehouse(w) else {
        return Ok(false);
    };
    let result = match builtin_exclusion(hooks, input, exclude, w, warehouse) {
        // Already in the trace (see `route`).
        Some(Exclusion::Rejected(_)) => false,
        Some(why) => {
            trace.push(|| Event::Excluded { warehouse: w, why });
            false
        }
        None if hooks.defines(Hook::Eligible) => {
            let ok = hooks.eligible(run, input, w)?;
            if !ok {
                trace.push(|| Event::Excluded {
                    warehouse: w,
                    why: Exclusion::ByRule,
                });
            }
            ok
        }
        None => true,
    };
    if let Some(slot) = cache.get_mut(w) {
        *slot = Some(result);
    }
    Ok(result)
}

/// Per SKU: eligible stock (with backorderable units) and what the plan allocated, to say
/// why part of a line could not ship (too little stock, or the policy's limits).
struct Shortages {
    total: Vec<Decimal>,
    allocated: Vec<Decimal>,
    by_line: Vec<Decimal>,
}

impl Shortages {
    fn new(problem: &Problem, outcome: &Outcome) -> Shortages {
        let mut total = vec![Decimal::ZERO; problem.skus];
        for (at, a) in problem.avail.iter().enumerate() {
            let room = problem.room.get(at).copied().unwrap_or_default();
            if let Some(t) = total.get_mut(at % problem.skus.max(1)) {
                *t = t.saturating_add(*a).saturating_add(room);
            }
        }
        let mut allocated = vec![Decimal::ZERO; problem.skus];
        let mut by_line = vec![Decimal::ZERO; problem.qty.len()];
        for &(_, l, q) in &outcome.allocs {
            if let Some(a) = problem.line_sku.get(l).and_then(|&s| allocated.get_mut(s)) {
                *a += q;
            }
            if let Some(b) = by_line.get_mut(l) {
                *b += q;
            }
        }
        Shortages {
            total,
            allocated,
            by_line,
        }
    }

    fn of(&self, problem: &Problem, line: usize) -> Shortage {
        let (Some(&sku), Some(&qty)) = (problem.line_sku.get(line), problem.qty.get(line)) else {
            return Shortage::NotEnoughStock;
        };
        let total = self.total.get(sku).copied().unwrap_or_default();
        let others = self.allocated.get(sku).copied().unwrap_or_default()
            - self.by_line.get(line).copied().unwrap_or_default();
        if total - others >= qty {
            Shortage::Constraints
        } else {
            Shortage::NotEnoughStock
        }
    }
}

/// The allocation problem of an order over ranked warehouses.
fn problem(
    order: &Order,
    inv: &PreparedInventory,
    policy: &SplitPolicy,
    ranked: Vec<usize>,
) -> Problem {
    let mut skus: Vec<&str> = Vec::new();
    let line_sku: Vec<usize> = order
        .lines
        .iter()
        .map(|l| match skus.iter().position(|s| *s == l.sku) {
            Some(i) => i,
            None => {
                skus.push(&l.sku);
                skus.len() - 1
            }
        })
        .collect();
    // Filled SKU by SKU from each SKU's rows (sequential reads), scattered to ranked
    // positions.
    let n_skus = skus.len();
    let mut avail = vec![Decimal::ZERO; ranked.len() * n_skus];
    let mut room = vec![Decimal::ZERO; ranked.len() * n_skus];
    let mut position = vec![usize::MAX; inv.warehouses().len()];
    for (p, &w) in ranked.iter().enumerate() {
        if let Some(slot) = position.get_mut(w) {
            *slot = p;
        }
    }
    for (s, sku) in skus.iter().enumerate() {
        let Some(rows) = inv.rows_of(sku) else {
            continue;
        };
        for (w, level) in rows.iter() {
            let Some(&p) = position.get(w).filter(|&&p| p != usize::MAX) else {
                continue;
            };
            let at = p * n_skus + s;
            if let Some(a) = avail.get_mut(at) {
                *a = level.available;
            }
            if let Some(r) = room.get_mut(at) {
                *r = level.backorder;
            }
        }
    }
    Problem {
        line_sku,
        qty: order.lines.iter().map(|l| l.qty).collect(),
        skus: skus.len(),
        units: units(order, inv, policy),
        ranked,
        avail,
        room,
    }
}

/// Lines grouped into allocation units: keep-together groups ship whole from one warehouse;
/// other lines are units of their own, whole when the policy forbids splitting lines.
fn units(order: &Order, inv: &PreparedInventory, policy: &SplitPolicy) -> Vec<Unit> {
    let lines = &order.lines;
    let mut group_of: Vec<Option<usize>> = vec![None; lines.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut add_group = |members: Vec<usize>, group_of: &mut Vec<Option<usize>>| {
        if members.len() > 1 {
            for &m in &members {
                if let Some(slot) = group_of.get_mut(m) {
                    *slot = Some(groups.len());
                }
            }
            groups.push(members);
        }
    };
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
                add_group(members, &mut group_of);
            }
        }
        KeepTogether::Attribute(attr) => {
            let mut by_value: Vec<(String, Vec<usize>)> = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                let Some(v) = inv
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
                add_group(members, &mut group_of);
            }
        }
    }
    let mut units = Vec::with_capacity(lines.len());
    let mut emitted = vec![false; groups.len()];
    for (i, g) in group_of.iter().enumerate() {
        match g {
            Some(gi) => {
                if let Some(e) = emitted.get_mut(*gi) {
                    if !*e {
                        *e = true;
                        units.push(Unit {
                            lines: groups.get(*gi).cloned().unwrap_or_default(),
                            whole: true,
                        });
                    }
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

/// A diagnostic for an unknown channel; used by availability too.
pub(crate) fn unknown_channel(channel: &str) -> Diagnostic {
    Diagnostic::new(code::DATA_INVALID, format!("unknown channel `{channel}`")).with_path("channel")
}
