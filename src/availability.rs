//! Available-stock aggregation per channel and SKU.
//!
//! For each channel and SKU: every warehouse's availability (on hand − reserved − safety,
//! 0 when disabled or out of stock), kept only for own warehouses or, where the channel opts
//! in, consignment; reduced by the `offer` hook per warehouse; summed; less the channel's
//! safety buffer and reservations; then the `adjust` hook's final say. A rule may lower a
//! quantity but never raise it above what exists, and nothing is ever negative.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::inventory::PreparedInventory;
use crate::model::{Availability, SkuAvailability, WarehouseContribution, WarehouseKind};
use crate::rules::{as_decimal, Hook, RuleSet};
use rhai::Dynamic;
use rust_decimal::Decimal;

fn out_of_range(
    rules: &RuleSet,
    hook: Hook,
    got: Decimal,
    max: Decimal,
    what: String,
    warehouse: Option<&str>,
) -> Diagnostic {
    let mut d = rules.label(
        Diagnostic::new(
            code::AVAILABILITY_INVALID,
            format!(
                "`{}` returned `{got}` for {what}: must be between 0 and `{max}`",
                hook.name()
            ),
        )
        .with_hook(hook.name())
        .with_help(
            "a rule may reduce what a channel offers, never offer stock that does not exist",
        ),
    );
    d.warehouse = warehouse.map(str::to_string);
    d.set_position(rules.hook_position(hook));
    d
}

fn number(rules: &RuleSet, hook: Hook, v: &Dynamic, warehouse: Option<&str>) -> Result<Decimal> {
    as_decimal(v).ok_or_else(|| {
        StockrouteError::from(rules.return_error(
            hook,
            "a number (the quantity to offer)",
            v,
            warehouse,
        ))
    })
}

pub(crate) fn available(
    rules: &RuleSet,
    inv: &PreparedInventory,
    channel: Option<&str>,
) -> Result<Availability> {
    let channels: Vec<usize> = match channel {
        Some(id) => vec![inv
            .channel_position(id)
            .ok_or_else(|| StockrouteError::from(crate::routing::unknown_channel(id)))?],
        None => (0..inv.inventory().channels.len()).collect(),
    };
    rules.begin(inv);
    let result = aggregate(rules, inv, &channels);
    let (notes, _) = rules.finish();
    let mut out = result?;
    out.trace = notes;
    Ok(out)
}

fn aggregate(rules: &RuleSet, inv: &PreparedInventory, channels: &[usize]) -> Result<Availability> {
    let mut items = Vec::new();
    let views = inv.views();
    for &c in channels {
        let Some(channel) = inv.inventory().channels.get(c) else {
            continue;
        };
        let channel_view = views.channels.get(c).cloned().unwrap_or(Dynamic::UNIT);
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
                    if rules.has(Hook::Offer) {
                        let wv = views.warehouses.get(w).cloned().unwrap_or(Dynamic::UNIT);
                        let r = rules.call(
                            Hook::Offer,
                            Some(&warehouse.id),
                            (channel_view.clone(), wv, sku.to_string(), level.available),
                        )?;
                        let q = number(rules, Hook::Offer, &r, Some(&warehouse.id))?;
                        if q.is_sign_negative() && !q.is_zero() || q > level.available {
                            return Err(out_of_range(
                                rules,
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
            if rules.has(Hook::Adjust) {
                let r = rules.call(
                    Hook::Adjust,
                    None,
                    (channel_view.clone(), sku.to_string(), before),
                )?;
                let q = number(rules, Hook::Adjust, &r, None)?;
                if q.is_sign_negative() && !q.is_zero() || q > before {
                    return Err(out_of_range(
                        rules,
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
