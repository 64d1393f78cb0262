//! Plan validation and assembly. Every plan goes through here, whether the engine's
//! allocation made it or a rule's `route()` returned it, so the invariants hold for both.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hook, Hooks, PlanDraft};
use crate::inventory::PreparedInventory;
use crate::model::{
    Document, Forward, Hold, Order, Plan, PlanLine, PlanStatus, Shipment, Warehouse, WarehouseKind,
    MAX_QUANTITY,
};
use ahash::AHashMap as HashMap;
use rust_decimal::Decimal;

/// Who proposed a plan: decides how violations are worded and attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Author {
    Engine,
    RouteHook,
    /// A plan a person or another system made, checked with `Router::validate`.
    Manual,
}

/// Whether a warehouse may ship the order: `None` yes, `Some(why)` no (`why` in words,
/// empty when the caller has none to give).
pub(crate) type Eligible<'e> = dyn FnMut(usize) -> Result<Option<String>> + 'e;

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
    pub hooks: &'a dyn Hooks,
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
                Author::Manual => message,
            },
        );
        if self.author == Author::RouteHook {
            d = self.hooks.blame(Hook::Route, d);
        } else if self.author == Author::Engine {
            d.help = Some(
                "this is a bug in stockroute; please report it with the order and inventory".into(),
            );
        }
        d.order = Some(self.order.id.clone());
        d
    }

    /// Resolves the ids of a rule's draft to inventory and line indices, then validates and
    /// assembles it. Unknown ids are violations like any other; all are reported together.
    pub fn build_from_ids(&self, draft: PlanDraft, eligible: &mut Eligible<'_>) -> Result<Plan> {
        self.build_from_ids_with(draft, eligible, Vec::new())
    }

    /// [`build_from_ids`](Self::build_from_ids) adding `errors` found before (manual plans:
    /// documents, kinds, SKUs), so every violation is reported together.
    pub fn build_from_ids_with(
        &self,
        draft: PlanDraft,
        eligible: &mut Eligible<'_>,
        mut errors: Vec<Diagnostic>,
    ) -> Result<Plan> {
        let line_index: HashMap<&str, usize> = self
            .order
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .collect();
        let mut resolved = Draft {
            hold: draft.hold,
            ..Draft::default()
        };
        let resolve_lines = |lines: Vec<(String, Decimal)>,
                             warehouse: Option<&str>,
                             errors: &mut Vec<Diagnostic>|
         -> Vec<(usize, Decimal)> {
            let mut out = Vec::with_capacity(lines.len());
            for (lid, qty) in lines {
                match line_index.get(lid.as_str()) {
                    Some(&l) => out.push((l, qty)),
                    None => {
                        let mut d = self.violation(match warehouse {
                            Some(_) => format!("unknown order line `{lid}`"),
                            None => format!("unknown order line `{lid}` in backorders"),
                        });
                        d.warehouse = warehouse.map(str::to_string);
                        errors.push(d.with_line_id(lid));
                    }
                }
            }
            out
        };
        for (wid, lines) in draft.shipments {
            let known = self.inventory.warehouse_index(&wid);
            if known.is_none() && self.author == Author::Manual {
                for (lid, _) in &lines {
                    errors.push(
                        self.violation(format!(
                            "line `{lid}` ships from unknown warehouse `{wid}`"
                        ))
                        .with_warehouse(wid.clone())
                        .with_line_id(lid.clone()),
                    );
                }
            }
            let lines = resolve_lines(lines, Some(&wid), &mut errors);
            match known {
                Some(w) => resolved.shipments.push((w, lines)),
                None if self.author == Author::Manual => resolved.misplaced.extend(lines),
                None => errors.push(
                    self.violation(format!("unknown warehouse `{wid}`"))
                        .with_warehouse(wid),
                ),
            }
        }
        resolved.backorders = resolve_lines(draft.backorders, None, &mut errors);
        self.check(resolved, eligible, errors)
    }

    /// Validates an index-based draft and assembles the plan (with an empty trace).
    pub fn build(&self, draft: Draft, eligible: &mut Eligible<'_>) -> Result<Plan> {
        self.check(draft, eligible, Vec::new())
    }

    fn check(
        &self,
        draft: Draft,
        eligible: &mut Eligible<'_>,
        mut errors: Vec<Diagnostic>,
    ) -> Result<Plan> {
        let order = self.order;
        if let Some(reason) = draft.hold {
            if !draft.shipments.iter().all(|(_, ls)| ls.is_empty()) || !draft.backorders.is_empty()
            {
                errors.push(
                    self.violation("a held order must not ship or backorder anything".into()),
                );
            }
            if !errors.is_empty() {
                return Err(StockrouteError::from_diagnostics(errors));
            }
            return Ok(held(order, reason));
        }

        // Each entry is checked against MAX_QUANTITY before it is added, and a rule's arrays
        // are size-limited, so the sums below cannot overflow whatever a rule returns.
        let n = order.lines.len();
        let mut shipped = vec![Decimal::ZERO; n];
        let mut backordered = vec![Decimal::ZERO; n];
        // Distinct SKUs of the order, by line.
        let mut sku_index: HashMap<&str, usize> = HashMap::with_capacity(n);
        let line_sku: Vec<usize> = order
            .lines
            .iter()
            .map(|l| {
                let next = sku_index.len();
                *sku_index.entry(l.sku.as_str()).or_insert(next)
            })
            .collect();
        let mut first_line = vec![usize::MAX; sku_index.len()];
        for (l, &sku) in line_sku.iter().enumerate().rev() {
            if let Some(slot) = first_line.get_mut(sku) {
                *slot = l;
            }
        }
        let mut sku_total = vec![Decimal::ZERO; sku_index.len()];
        let whole: Vec<bool> = order
            .lines
            .iter()
            .map(|l| self.inventory.whole_units(&l.sku))
            .collect();
        // Per warehouse, in first-use order: (line, qty) entries.
        let mut used: Vec<(usize, Vec<(usize, Decimal)>)> = Vec::new();
        let mut slot_of: HashMap<usize, usize> = HashMap::with_capacity(draft.shipments.len());
        for (w, lines) in &draft.shipments {
            let w = *w;
            let Some(warehouse) = self.inventory.warehouse(w) else {
                continue;
            };
            let wid = || warehouse.id.clone();
            let refused = if warehouse.enabled {
                eligible(w)?
            } else {
                Some("disabled".to_string())
            };
            if let Some(why) = refused {
                if self.author == Author::Manual {
                    // A person fixes a plan line by line: name each line that cannot go.
                    for &(l, qty) in lines {
                        if let Some(s) = shipped.get_mut(l) {
                            *s = s.saturating_add(qty.max(Decimal::ZERO).min(MAX_QUANTITY));
                        }
                        let lid = order.lines.get(l).map(|x| x.id.clone()).unwrap_or_default();
                        errors.push(
                            self.violation(format!(
                                "line `{lid}` cannot ship from `{}`: {why}",
                                warehouse.id
                            ))
                            .with_warehouse(wid())
                            .with_line_id(lid),
                        );
                    }
                } else if !warehouse.enabled {
                    errors.push(
                        self.violation(format!("warehouse `{}` is disabled", warehouse.id))
                            .with_warehouse(wid()),
                    );
                } else {
                    errors.push(
                        self.violation(format!(
                            "warehouse `{}` is not eligible for this order",
                            warehouse.id
                        ))
                        .with_warehouse(wid()),
                    );
                }
                continue;
            }
            for &(l, qty) in lines {
                let lid = || order.lines.get(l).map(|x| x.id.clone()).unwrap_or_default();
                if qty.is_sign_negative() && !qty.is_zero() {
                    errors.push(
                        self.violation(format!("negative quantity `{qty}` for line `{}`", lid()))
                            .with_warehouse(wid())
                            .with_line_id(lid()),
                    );
                    continue;
                }
                if qty.is_zero() {
                    continue;
                }
                if qty > MAX_QUANTITY {
                    errors.push(
                        self.violation(format!(
                            "ships `{qty}` of line `{}`, more than any order can hold",
                            lid()
                        ))
                        .with_warehouse(wid())
                        .with_line_id(lid()),
                    );
                    continue;
                }
                if whole.get(l).copied().unwrap_or(false) && qty.fract() != Decimal::ZERO {
                    errors.push(
                        self.violation(format!(
                            "ships `{qty}` of line `{}`, but sku `{}` is sold in whole units only",
                            lid(),
                            order
                                .lines
                                .get(l)
                                .map(|x| x.sku.as_str())
                                .unwrap_or_default()
                        ))
                        .with_warehouse(wid())
                        .with_line_id(lid()),
                    );
                    continue;
                }
                if let Some(s) = shipped.get_mut(l) {
                    *s += qty;
                }
                let slot = *slot_of.entry(w).or_insert_with(|| {
                    used.push((w, Vec::new()));
                    used.len() - 1
                });
                if let Some((_, entries)) = used.get_mut(slot) {
                    entries.push((l, qty));
                }
            }
        }
        for &(l, qty) in &draft.backorders {
            let lid = || order.lines.get(l).map(|x| x.id.clone()).unwrap_or_default();
            if qty.is_sign_negative() && !qty.is_zero() {
                errors.push(
                    self.violation(format!(
                        "negative backorder quantity `{qty}` for line `{}`",
                        lid()
                    ))
                    .with_line_id(lid()),
                );
                continue;
            }
            if qty > MAX_QUANTITY {
                errors.push(
                    self.violation(format!(
                        "backorders `{qty}` of line `{}`, more than any order can hold",
                        lid()
                    ))
                    .with_line_id(lid()),
                );
                continue;
            }
            if let Some(b) = backordered.get_mut(l) {
                *b += qty;
            }
        }
        // Per warehouse: lines merged and in order; per SKU: allocated ≤ available plus the
        // row's backorder allowance (lines may share a SKU). What exceeds the stock on hand
        // waits for stock there: counted against the later lines of the SKU.
        let mut shipments_lines: Vec<(usize, Vec<PlanLine>)> = Vec::with_capacity(used.len());
        let mut touched: Vec<usize> = Vec::new();
        for (w, mut merged) in used {
            merged.sort_by_key(|(l, _)| *l);
            // Entries of one line merged in place (`dedup_by` hands the later entry first).
            merged.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    kept.1 += later.1;
                }
                same
            });
            // Totals per SKU in dense scratch tables (reset after each warehouse), so a
            // warehouse shipping many lines costs O(its lines).
            touched.clear();
            for &(l, q) in &merged {
                let Some(&sku) = line_sku.get(l) else {
                    continue;
                };
                if let Some(t) = sku_total.get_mut(sku) {
                    if t.is_zero() {
                        touched.push(sku);
                    }
                    *t += q;
                }
            }
            let wid = || {
                self.inventory
                    .warehouse(w)
                    .map(|w| w.id.clone())
                    .unwrap_or_default()
            };
            for &sku in &touched {
                let qty = sku_total.get(sku).copied().unwrap_or_default();
                let Some(line) = first_line.get(sku).and_then(|&l| order.lines.get(l)) else {
                    continue;
                };
                let available = self.inventory.available(w, &line.sku);
                let backorder = self.inventory.backorder(w, &line.sku);
                if qty > available.saturating_add(backorder) {
                    let has = if backorder.is_zero() {
                        format!("which has only `{available}` available")
                    } else {
                        format!(
                            "which has only `{available}` available and `{backorder}` that may be backordered"
                        )
                    };
                    let mut d = self
                        .violation(format!(
                            "allocates `{qty}` of sku `{}` from warehouse `{}`, {has}",
                            line.sku,
                            wid()
                        ))
                        .with_warehouse(wid());
                    d.order_line = Some(line.id.clone());
                    errors.push(d);
                }
                // From here on: stock on hand left, to split lines into in stock and waiting.
                if let Some(t) = sku_total.get_mut(sku) {
                    *t = available;
                }
            }
            let lines: Vec<PlanLine> = merged
                .into_iter()
                .filter_map(|(l, q)| {
                    let line = order.lines.get(l)?;
                    let left = line_sku.get(l).and_then(|&s| sku_total.get_mut(s))?;
                    let from_stock = (*left).min(q);
                    *left -= from_stock;
                    let waits = q - from_stock;
                    Some(PlanLine {
                        line: line.id.clone(),
                        sku: line.sku.clone(),
                        qty: q,
                        on_backorder: (!waits.is_zero()).then_some(waits),
                    })
                })
                .collect();
            for &sku in &touched {
                if let Some(t) = sku_total.get_mut(sku) {
                    *t = Decimal::ZERO;
                }
            }
            shipments_lines.push((w, lines));
        }
        for &(l, qty) in &draft.misplaced {
            if let Some(s) = shipped.get_mut(l) {
                *s = s.saturating_add(qty.max(Decimal::ZERO).min(MAX_QUANTITY));
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

        let shipments: Vec<Shipment> = shipments_lines
            .into_iter()
            .filter_map(|(w, lines)| {
                let warehouse = self.inventory.warehouse(w)?;
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
                on_backorder: None,
            })
            .collect();
        Ok(Plan {
            order: order.id.clone(),
            status: status_of(shipments.len(), !backorders.is_empty(), false),
            shipments,
            backorders,
            hold: None,
            trace: Vec::new(),
        })
    }
}

/// A draft with warehouses and lines as indices (the engine's own, or a rule's resolved).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Draft {
    /// (warehouse index, [(line index, quantity)]), in shipment order.
    pub shipments: Vec<(usize, Vec<(usize, Decimal)>)>,
    /// (line index, quantity).
    pub backorders: Vec<(usize, Decimal)>,
    pub hold: Option<String>,
    /// Manual plans: quantities assigned to a warehouse that cannot take them (already a
    /// violation), counted as placed so the line is not reported a second time as dropped.
    pub misplaced: Vec<(usize, Decimal)>,
}

/// The plan of an order held for manual routing: every line, in full, nothing else.
pub(crate) fn held(order: &Order, reason: String) -> Plan {
    Plan {
        order: order.id.clone(),
        status: PlanStatus::Held,
        shipments: Vec::new(),
        backorders: Vec::new(),
        hold: Some(Hold {
            reason,
            lines: order
                .lines
                .iter()
                .map(|l| PlanLine {
                    line: l.id.clone(),
                    sku: l.sku.clone(),
                    qty: l.qty,
                    on_backorder: None,
                })
                .collect(),
        }),
        trace: Vec::new(),
    }
}
