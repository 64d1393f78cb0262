//! Available-stock aggregation per channel and SKU.
//!
//! For each channel and SKU: every warehouse's availability (on hand − reserved − safety,
//! 0 when disabled or out of stock, floored per warehouse for whole-unit products), plus what
//! a backorderable row may sell beyond it unless the channel opts out
//! (`include_backorders: false`); kept only for own warehouses or, where the channel opts
//! in, consignment; reduced by the `offer` hook per warehouse; summed; less the channel's
//! safety buffer and reservations; then the `adjust` hook's final say. A rule may lower a
//! quantity but never raise it above what exists, and nothing is ever negative. Unlimited
//! rows (untracked products, backorders without a limit) offer [`MAX_QUANTITY`] and mark
//! the result `unlimited`; buffers are not subtracted from an unlimited quantity.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hook, Hooks, Run, RunLimits};
use crate::inventory::PreparedInventory;
use crate::model::{
    Availability, SkuAvailability, TraceEntry, WarehouseContribution, WarehouseKind, MAX_QUANTITY,
};
use rust_decimal::Decimal;

fn out_of_range(
    hooks: &dyn Hooks,
    hook: Hook,
    got: Decimal,
    max: Decimal,
    what: String,
    warehouse: Option<&str>,
) -> Diagnostic {
    let mut d = hooks.blame(
        hook,
        Diagnostic::new(
            code::AVAILABILITY_INVALID,
            format!(
                "`{}` returned `{got}` for {what}: must be between 0 and `{max}`",
                hook.name()
            ),
        )
        .with_help(
            "a rule may reduce what a channel offers, never offer stock that does not exist",
        ),
    );
    d.warehouse = warehouse.map(str::to_string);
    d
}

/// Offered quantities per channel (all, or only `channel`) and SKU. One run covers the
/// whole computation: its operation budget and note caps apply to all hook calls together.
///
/// With `skus`, only those SKUs are computed (in the order given; unknown ones are skipped):
/// after a ledger update, recompute just what it touched.
pub(crate) fn available(
    hooks: &dyn Hooks,
    inv: &PreparedInventory,
    channel: Option<&str>,
    skus: Option<&[&str]>,
    limits: RunLimits,
    trace: bool,
) -> Result<Availability> {
    let channels: Vec<usize> = match channel {
        Some(id) => vec![inv
            .channel_position(id)
            .ok_or_else(|| StockrouteError::from(crate::routing::unknown_channel(id)))?],
        None => (0..inv.inventory().channels.len()).collect(),
    };
    let mut run = Run::new(limits);
    let mut out = aggregate(hooks, &mut run, inv, &channels, skus)?;
    if trace {
        out.trace = run
            .take_notes()
            .into_iter()
            .map(|n| TraceEntry {
                step: n.kind.step().into(),
                warehouse: n
                    .warehouse
                    .and_then(|w| inv.warehouse(w))
                    .map(|w| w.id.clone()),
                line: None,
                message: n.text,
            })
            .collect();
    }
    Ok(out)
}

fn aggregate(
    hooks: &dyn Hooks,
    run: &mut Run,
    inv: &PreparedInventory,
    channels: &[usize],
    only: Option<&[&str]>,
) -> Result<Availability> {
    let mut items = Vec::new();
    let offer_hook = hooks.defines(Hook::Offer);
    let adjust_hook = hooks.defines(Hook::Adjust);
    let skus: Vec<&str> = match only {
        Some(list) => {
            let mut seen = std::collections::HashSet::new();
            list.iter()
                .copied()
                .filter(|s| seen.insert(*s) && !inv.warehouses_with(s).is_empty())
                .collect()
        }
        None => inv.skus().collect(),
    };
    for &c in channels {
        let Some(channel) = inv.inventory().channels.get(c) else {
            continue;
        };
        for &sku in &skus {
            let mut warehouses = Vec::new();
            let mut total = Decimal::ZERO;
            let mut backorders = Decimal::ZERO;
            let mut unlimited = false;
            let rows = inv.rows_of(sku).into_iter().flat_map(|r| r.iter());
            for (w, level) in rows {
                let Some(warehouse) = inv.warehouse(w) else {
                    continue;
                };
                let Some(row) = inv.inventory().stock.get(level.row) else {
                    continue;
                };
                let included = warehouse.kind == WarehouseKind::Own || channel.include_consignment;
                let mut reason = level.zero_reason.map(str::to_string);
                if !included {
                    reason = Some(format!(
                        "consignment not offered on channel `{}`",
                        channel.id
                    ));
                }
                let backorder = if channel.include_backorders {
                    level.backorder
                } else {
                    Decimal::ZERO
                };
                let qty = level.available.saturating_add(backorder).min(MAX_QUANTITY);
                let row_unlimited = qty == MAX_QUANTITY && level.unlimited;
                let mut offered = Decimal::ZERO;
                if included && qty > Decimal::ZERO {
                    offered = qty;
                    if offer_hook {
                        let q = hooks.offer(run, inv, c, w, sku, qty)?;
                        if q.is_sign_negative() && !q.is_zero() || q > qty {
                            return Err(out_of_range(
                                hooks,
                                Hook::Offer,
                                q,
                                qty,
                                format!(
                                    "sku `{sku}` at warehouse `{}` on channel `{}`",
                                    warehouse.id, channel.id
                                ),
                                Some(&warehouse.id),
                            )
                            .into());
                        }
                        offered = q.max(Decimal::ZERO);
                    }
                }
                if included {
                    backorders = backorders.saturating_add(backorder);
                    unlimited |= row_unlimited && offered == MAX_QUANTITY;
                }
                total = total.saturating_add(offered).min(MAX_QUANTITY);
                warehouses.push(WarehouseContribution {
                    warehouse: warehouse.id.clone(),
                    kind: warehouse.kind,
                    on_hand: row.on_hand,
                    reserved: row.reserved,
                    safety: row.safety,
                    available: level.available,
                    included,
                    reason,
                    offered,
                    rule_adjustment: if included {
                        (offered - qty).normalize()
                    } else {
                        Decimal::ZERO
                    },
                    backorder: if included { backorder } else { Decimal::ZERO },
                    unlimited: included && row_unlimited,
                });
            }
            let reserved = inv.channel_reserved(c, sku);
            let before = if unlimited {
                // Nothing is subtracted from an unlimited quantity.
                MAX_QUANTITY
            } else {
                total
                    .saturating_sub(channel.safety)
                    .saturating_sub(reserved)
                    .max(Decimal::ZERO)
            };
            let mut offered = before;
            if adjust_hook {
                let q = hooks.adjust(run, inv, c, sku, before)?;
                if q.is_sign_negative() && !q.is_zero() || q > before {
                    return Err(out_of_range(
                        hooks,
                        Hook::Adjust,
                        q,
                        before,
                        format!("sku `{sku}` on channel `{}`", channel.id),
                        None,
                    )
                    .into());
                }
                offered = q.max(Decimal::ZERO);
            }
            items.push(SkuAvailability {
                channel: channel.id.clone(),
                sku: sku.to_string(),
                offered,
                warehouses_total: total,
                channel_safety: channel.safety,
                reserved,
                rule_adjustment: (offered - before).normalize(),
                backorder: backorders.min(MAX_QUANTITY),
                unlimited: unlimited && offered == MAX_QUANTITY,
                warehouses,
            });
        }
    }
    Ok(Availability {
        items,
        trace: Vec::new(),
    })
}
