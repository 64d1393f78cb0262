//! Differential testing of compiled hooks against the interpreter (used by
//! `tests/compiled.rs` and the `compiled` fuzz target; not a stable API).

use super::{Execution, Limits, RuleSet};
use crate::hooks::{Hook, Hooks, OrderInput, Run};
use crate::inventory::PreparedInventory;
use crate::model::Order;

/// One hook call made in both modes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Which call.
    pub call: String,
    /// Whether the compiled code answered it (rather than handing it to the interpreter).
    pub compiled: bool,
    /// Interpreted: outcome, operations used, notes, hold.
    pub interpreted: String,
    /// Compiled: the same.
    pub compiled_outcome: String,
}

impl Comparison {
    /// Whether both modes agree.
    pub fn agrees(&self) -> bool {
        self.interpreted == self.compiled_outcome
    }
}

fn describe<T: std::fmt::Debug>(r: &crate::error::Result<T>, run: &Run) -> String {
    let outcome = match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => {
            let d = e.diagnostics.first();
            format!(
                "error {} {:?} at {:?}:{:?}",
                e.code,
                d.map(|d| &d.message),
                d.and_then(|d| d.line),
                d.and_then(|d| d.column)
            )
        }
    };
    format!(
        "{outcome}; ops {}; notes {:?}; hold {:?}",
        run.operations_used(),
        run.notes()
            .iter()
            .map(|n| (n.kind, n.text.as_str()))
            .collect::<Vec<_>>(),
        run.hold()
    )
}

/// Calls every hook `source` defines for `order` (eligible and rank for every warehouse,
/// split, route, and offer/adjust for every channel, warehouse and SKU) in both modes.
pub fn compare(
    source: &str,
    limits: &Limits,
    inventory: &PreparedInventory,
    order: &Order,
) -> crate::error::Result<Vec<Comparison>> {
    let fast = RuleSet::compile_with(source, Some("t.rhai"), limits, Execution::Compiled)?;
    let slow = RuleSet::compile_with(source, Some("t.rhai"), limits, Execution::Interpreted)?;
    let input = OrderInput {
        order,
        inventory,
        as_of: crate::consignment::dates::parse_date("2026-12-01"),
    };
    let mut out = Vec::new();
    let mut one = |call: String, f: &dyn Fn(&RuleSet, &mut Run) -> String| {
        let before = fast.stats().0;
        let mut run_fast = Run::new(limits.run());
        let compiled_outcome = f(&fast, &mut run_fast);
        let compiled = fast.stats().0 > before;
        let mut run_slow = Run::new(limits.run());
        let interpreted = f(&slow, &mut run_slow);
        out.push(Comparison {
            call,
            compiled,
            interpreted,
            compiled_outcome,
        });
    };
    let warehouses = inventory.warehouses().len();
    for hook in Hook::ALL {
        if !fast.defines(hook) {
            continue;
        }
        match hook {
            Hook::Eligible | Hook::Rank => {
                for w in 0..warehouses {
                    one(format!("{}({w})", hook.name()), &|r, run| {
                        if hook == Hook::Eligible {
                            let x = r.eligible(run, input, w);
                            describe(&x, run)
                        } else {
                            let x = r.rank(run, input, w);
                            describe(&x, run)
                        }
                    });
                }
            }
            Hook::Split => one("split".into(), &|r, run| {
                let x = r.split(run, input);
                describe(&x, run)
            }),
            Hook::Route => one("route".into(), &|r, run| {
                let x = r.route(run, input);
                describe(&x, run)
            }),
            Hook::Replenish => {
                for w in 0..warehouses {
                    for sku in inventory.skus() {
                        let proposal = sample_proposal(inventory, w, sku);
                        one(format!("replenish({w}, {sku})"), &|r, run| {
                            let x = r.replenish(run, inventory, w, &proposal);
                            describe(&x, run)
                        });
                    }
                }
            }
            Hook::Offer | Hook::Adjust => {
                for c in 0..inventory.inventory().channels.len() {
                    for sku in inventory.skus() {
                        if hook == Hook::Adjust {
                            one(format!("adjust({c}, {sku})"), &|r, run| {
                                let x = r.adjust(
                                    run,
                                    inventory,
                                    c,
                                    sku,
                                    rust_decimal::Decimal::from(3),
                                );
                                describe(&x, run)
                            });
                            continue;
                        }
                        for &w in inventory.warehouses_with(sku) {
                            one(format!("offer({c}, {w}, {sku})"), &|r, run| {
                                let x = r.offer(
                                    run,
                                    inventory,
                                    c,
                                    w,
                                    sku,
                                    rust_decimal::Decimal::new(25, 1),
                                );
                                describe(&x, run)
                            });
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A proposal with every field set, for comparing `replenish` in both modes.
fn sample_proposal(
    inventory: &PreparedInventory,
    w: usize,
    sku: &str,
) -> crate::consignment::replenish::Proposal {
    let d = rust_decimal::Decimal::new;
    crate::consignment::replenish::Proposal {
        warehouse: inventory
            .warehouse(w)
            .map(|w| w.id.clone())
            .unwrap_or_default(),
        retailer: None,
        sku: sku.to_string(),
        on_hand: d(2, 0),
        reserved: d(0, 0),
        sold: d(6, 0),
        forwarded: d(1, 0),
        sold_per_day: d(25, 2),
        days_of_cover: if w % 2 == 0 { Some(d(8, 0)) } else { None },
        reorder_point: d(3, 0),
        target: d(8, 0),
        propose: d(6, 0),
        limit: d(7, 0),
        rule: None,
        why: Vec::new(),
    }
}
