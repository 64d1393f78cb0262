//! Available-stock aggregation per channel and SKU.
//!
//! For each channel and SKU: every warehouse's availability (on hand − reserved − safety,
//! 0 when disabled or out of stock), kept only for own warehouses or, where the channel opts
//! in, consignment; reduced by the `offer` hook per warehouse; summed; less the channel's
//! safety buffer and reservations; then the `adjust` hook's final say. A rule may lower a
//! quantity but never raise it above what exists, and nothing is ever negative.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hook, Hooks, Run, RunLimits};
use crate::inventory::PreparedInventory;
use crate::model::{
    Availability, SkuAvailability, TraceEntry, WarehouseContribution, WarehouseKind,
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
pub(crate) fn available(
    hooks: &dyn Hooks,
    inv: &PreparedInventory,
    channel: Option<&str>,
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
    let mut out = aggregate(hooks, &mut run, inv, &channels)?;
    if trace {
        out.trace = run
            .take_notes()
            .into_iter()
            .map(|n| TraceEntry {
                step: n.kind.step().to_string(),
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
) -> Result<Availability> {
    let mut items = Vec::new();
    let offer_hook = hooks.defines(Hook::Offer);
    let adjust_hook = hooks.defines(Hook::Adjust);
    for &c in channels {
        let Some(channel) = inv.inventory().channels.get(c) else {
            continue;
        };
        for sku in inv.skus() {
            let mut warehouses = Vec::new();
            let mut total = Decimal::ZERO;
            for &w in inv.warehouses_with(sku) {
                let (Some(warehouse), Some(level)) = (inv.warehouse(w), inv.level(w, sku)) else {
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
                let mut offered = Decimal::ZERO;
                if included && level.available > Decimal::ZERO {
                    offered = level.available;
                    if offer_hook {
                        let q = hooks.offer(run, inv, c, w, sku, level.available)?;
                        if q.is_sign_negative() && !q.is_zero() || q > level.available {
                            return Err(out_of_range(
                                hooks,
                                Hook::Offer,
                                q,
                                level.available,
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
                total = total.saturating_add(offered);
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
                        (offered - level.available).normalize()
                    } else {
                        Decimal::ZERO
                    },
                });
            }
            let reserved = inv.channel_reserved(c, sku);
            let before = total
                .saturating_sub(channel.safety)
                .saturating_sub(reserved)
                .max(Decimal::ZERO);
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
                warehouses,
            });
        }
    }
    Ok(Availability {
        items,
        trace: Vec::new(),
    })
}
