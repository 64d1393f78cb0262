//! Plan validation and assembly. Every plan goes through here, whether the engine's
//! allocation made it or a rule's `route()` returned it, so the invariants hold for both.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::inventory::PreparedInventory;
use crate::model::{
    Document, Forward, Hold, Order, Plan, PlanLine, PlanStatus, Shipment, TraceEntry, Warehouse,
    WarehouseKind, MAX_QUANTITY,
};
use crate::rules::RuleSet;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Who proposed a plan: decides how violations are worded and attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Author {
    Engine,
    RouteHook,
}

/// A plan before validation: warehouse and line ids as the author gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Proposal {
    pub shipments: Vec<(String, Vec<(String, Decimal)>)>,
    pub backorders: Vec<(String, Decimal)>,
    pub hold: Option<String>,
}

/// Documents for a shipment from `warehouse`. Consignment goods remain the supplier's until
/// the retailer sells them, so an invoice (which transfers ownership) is impossible here by
/// construction: the result for a consignment warehouse never contains [`Document::Invoice`].
pub fn documents_for(warehouse: &Warehouse) -> Vec<Document> {
    match warehouse.kind {
        WarehouseKind::Consignment => {
            let pro_forma = warehouse.terms.as_ref().is_some_and(|t| t.pro_forma);
            vec![
                if pro_forma {
                    Document::ProForma
                } else {
                    Document::PackingSlip
                },
                Document::ShippingLabel,
            ]
        }
        WarehouseKind::Own => warehouse.documents.clone().unwrap_or_else(|| {
            vec![
                Document::Invoice,
                Document::PackingSlip,
                Document::ShippingLabel,
            ]
        }),
    }
}

/// The plan status implied by what ships and what waits.
pub fn status_of(shipments: usize, backordered: bool, held: bool) -> PlanStatus {
    match (held, shipments, backordered) {
        (true, _, _) => PlanStatus::Held,
        (false, 0, _) => PlanStatus::Backordered,
        (false, _, true) => PlanStatus::Partial,
        (false, 1, false) => PlanStatus::Single,
        (false, _, false) => PlanStatus::Split,
    }
}

pub(crate) struct Validator<'a> {
    pub rules: &'a RuleSet,
    pub order: &'a Order,
    pub inventory: &'a PreparedInventory,
    pub author: Author,
}

impl Validator<'_> {
    fn violation(&self, message: String) -> Diagnostic {
        let mut d = Diagnostic::new(
            code::PLAN_INVALID,
            match self.author {
                Author::Engine => format!("engine produced an invalid plan: {message}"),
                Author::RouteHook => format!("plan returned by `route` is impossible: {message}"),
            },
        );
        if self.author == Author::RouteHook {
            d = self.rules.label(d.with_hook("route"));
            d.set_position(self.rules.hook_position(crate::rules::Hook::Route));
        } else {
            d.help = Some(
                "this is a bug in stockroute; please report it with the order and inventory".into(),
            );
        }
        d.order = Some(self.order.id.clone());
        d
    }

    /// Validates a proposal and assembles the plan. `eligible` answers whether a warehouse
    /// may ship this order (built-in checks plus the `eligible` hook).
    pub fn build(
        &self,
        proposal: Proposal,
        eligible: &mut dyn FnMut(usize) -> Result<bool>,
        trace: Vec<TraceEntry>,
    ) -> Result<Plan> {
        let order = self.order;
        let line_index: HashMap<&str, usize> = order
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let all_lines = || {
            order
                .lines
                .iter()
                .map(|l| PlanLine {
                    line: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: l.qty,
                })
                .collect::<Vec<_>>()
        };
        if let Some(reason) = proposal.hold {
            if !proposal.shipments.iter().all(|(_, ls)| ls.is_empty())
                || !proposal.backorders.is_empty()
            {
                return Err(self
                    .violation("a held order must not ship or backorder anything".into())
                    .into());
            }
            return Ok(Plan {
                order: order.id.clone(),
                status: PlanStatus::Held,
                shipments: Vec::new(),
                backorders: Vec::new(),
                hold: Some(Hold {
                    reason,
                    lines: all_lines(),
                }),
                trace,
            });
        }

        let mut errors: Vec<Diagnostic> = Vec::new();
        // Each entry is checked against MAX_QUANTITY before it is added, and a rule's arrays
        // are size-limited, so the sums below cannot overflow whatever a rule returns.
        let mut shipped = vec![Decimal::ZERO; order.lines.len()];
        let mut backordered = vec![Decimal::ZERO; order.lines.len()];
        let mut used: HashMap<(usize, usize), Decimal> = HashMap::new(); // (wh, line) → qty
        let mut wh_order: Vec<usize> = Vec::new();
        for (wid, lines) in &proposal.shipments {
            let Some(w) = self.inventory.warehouse_index(wid) else {
                errors.push(
                    self.violation(format!("unknown warehouse `{wid}`"))
                        .with_warehouse(wid.clone()),
                );
                continue;
            };
            let Some(warehouse) = self.inventory.warehouse(w) else {
                continue;
            };
            if !warehouse.enabled {
                errors.push(
                    self.violation(format!("warehouse `{wid}` is disabled"))
                        .with_warehouse(wid.clone()),
                );
                continue;
            }
            if !eligible(w)? {
                errors.push(
                    self.violation(format!("warehouse `{wid}` is not eligible for this order"))
                        .with_warehouse(wid.clone()),
                );
                continue;
            }
            for (lid, qty) in lines {
                let Some(&l) = line_index.get(lid.as_str()) else {
                    errors.push(
                        self.violation(format!("unknown order line `{lid}`"))
                            .with_warehouse(wid.clone())
                            .with_line_id(lid.clone()),
                    );
                    continue;
                };
                if qty.is_sign_negative() && !qty.is_zero() {
                    errors.push(
                        self.violation(format!("negative quantity `{qty}` for line `{lid}`"))
                            .with_warehouse(wid.clone())
                            .with_line_id(lid.clone()),
                    );
                    continue;
                }
                if qty.is_zero() {
                    continue;
                }
                if *qty > MAX_QUANTITY {
                    errors.push(
                        self.violation(format!(
                            "ships `{qty}` of line `{lid}`, more than any order can hold"
                        ))
                        .with_warehouse(wid.clone())
                        .with_line_id(lid.clone()),
                    );
                    continue;
                }
                if let Some(s) = shipped.get_mut(l) {
                    *s += *qty;
                }
                *used.entry((w, l)).or_default() += *qty;
                if !wh_order.contains(&w) {
                    wh_order.push(w);
                }
            }
        }
        for (lid, qty) in &proposal.backorders {
            let Some(&l) = line_index.get(lid.as_str()) else {
                errors.push(
                    self.violation(format!("unknown order line `{lid}` in backorders"))
                        .with_line_id(lid.clone()),
                );
                continue;
            };
            if qty.is_sign_negative() && !qty.is_zero() {
                errors.push(
                    self.violation(format!(
                        "negative backorder quantity `{qty}` for line `{lid}`"
                    ))
                    .with_line_id(lid.clone()),
                );
                continue;
            }
            if *qty > MAX_QUANTITY {
                errors.push(
                    self.violation(format!(
                        "backorders `{qty}` of line `{lid}`, more than any order can hold"
                    ))
                    .with_line_id(lid.clone()),
                );
                continue;
            }
            if let Some(b) = backordered.get_mut(l) {
                *b += *qty;
            }
        }
        // Per warehouse and SKU: allocated ≤ available.
        let mut per_sku: HashMap<(usize, &str), Decimal> = HashMap::new();
        for (&(w, l), qty) in &used {
            if let Some(line) = order.lines.get(l) {
                *per_sku.entry((w, line.sku.as_str())).or_default() += *qty;
            }
        }
        let mut over: Vec<_> = per_sku.into_iter().collect();
        over.sort_by_key(|((w, sku), _)| (*w, sku.to_string()));
        for ((w, sku), qty) in over {
            let available = self.inventory.available(w, sku);
            if qty > available {
                let wid = self
                    .inventory
                    .warehouse(w)
                    .map(|w| w.id.clone())
                    .unwrap_or_default();
                let lines: Vec<String> = order
                    .lines
                    .iter()
                    .filter(|l| l.sku == sku)
                    .map(|l| l.id.clone())
                    .collect();
                let mut d = self
                    .violation(format!(
                        "allocates `{qty}` of sku `{sku}` from warehouse `{wid}`, which has only `{available}` available"
                    ))
                    .with_warehouse(wid);
                d.order_line = lines.first().cloned();
                errors.push(d);
            }
        }
        // Per line: shipped + backordered = ordered.
        for (i, line) in order.lines.iter().enumerate() {
            let s = shipped.get(i).copied().unwrap_or_default();
            let b = backordered.get(i).copied().unwrap_or_default();
            if s + b != line.qty {
                errors.push(
                    self.violation(format!(
                        "line `{}` (sku `{}`) orders `{}` but the plan ships `{s}` and backorders `{b}`",
                        line.id, line.sku, line.qty
                    ))
                    .with_line_id(line.id.clone())
                    .with_help("every line must be shipped, backordered or held in full"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(StockrouteError::from_diagnostics(errors));
        }

        let shipments: Vec<Shipment> = wh_order
            .iter()
            .filter_map(|&w| {
                let warehouse = self.inventory.warehouse(w)?;
                let lines: Vec<PlanLine> = order
                    .lines
                    .iter()
                    .enumerate()
                    .filter_map(|(l, line)| {
                        used.get(&(w, l)).map(|q| PlanLine {
                            line: line.id.clone(),
                            sku: line.sku.clone(),
                            qty: *q,
                        })
                    })
                    .collect();
                Some(Shipment {
                    warehouse: warehouse.id.clone(),
                    kind: warehouse.kind,
                    owner: warehouse.owner.clone(),
                    lines,
                    forward: warehouse.forward.clone().unwrap_or(Forward::Wms),
                    documents: documents_for(warehouse),
                })
            })
            .collect();
        let backorders: Vec<PlanLine> = order
            .lines
            .iter()
            .zip(&backordered)
            .filter(|(_, b)| !b.is_zero())
            .map(|(l, b)| PlanLine {
                line: l.id.clone(),
                sku: l.sku.clone(),
                qty: *b,
            })
            .collect();
        Ok(Plan {
            order: order.id.clone(),
            status: status_of(shipments.len(), !backorders.is_empty(), false),
            shipments,
            backorders,
            hold: None,
            trace,
        })
    }
}
