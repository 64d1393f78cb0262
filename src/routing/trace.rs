//! The plan's explanation, recorded as structured events while routing and put into words
//! only when the plan is assembled (and not at all when the trace is switched off).

use super::allocate::Why;
use super::policy::{Strategy, Unfulfillable};
use crate::hooks::{Note, RankKey};
use crate::inventory::PreparedInventory;
use crate::model::{Order, TraceEntry};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Why a warehouse cannot ship an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Exclusion {
    Disabled,
    ConsignmentNotOnChannel,
    ByRule,
    /// The caller excluded it (the location rejected the order), with the reason given.
    Rejected(Option<String>),
    /// Capacity mode `block` and no shipment left this period.
    AtCapacity {
        used: u64,
        max: u64,
    },
    /// The consignment period ended on this day (`terms.period_end`).
    PeriodEnded(String),
}

impl Exclusion {
    /// In words, after "excluded: " (or "cannot ship this order: ").
    pub fn words(&self, order: &Order) -> String {
        match self {
            Exclusion::Disabled => "disabled".into(),
            Exclusion::ConsignmentNotOnChannel => format!(
                "consignment stock is not offered on channel `{}`",
                order.channel
            ),
            Exclusion::ByRule => "the rule's `eligible` excludes it".into(),
            Exclusion::Rejected(None) => "the location rejected this order".into(),
            Exclusion::Rejected(Some(reason)) => {
                format!("the location rejected this order (`{reason}`)")
            }
            Exclusion::AtCapacity { used, max } => format!(
                "at capacity ({used} of {max} shipments this period; capacity mode `block`)"
            ),
            Exclusion::PeriodEnded(end) => {
                format!("consignment period ended on {end}; unsold stock goes back to the supplier")
            }
        }
    }
}

/// Why part of a line waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shortage {
    /// Eligible warehouses hold less than the line needs.
    NotEnoughStock,
    /// Enough eligible stock exists, but not within the shipment limit or grouping rules.
    Constraints,
}

/// One step of the routing decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    Excluded {
        warehouse: usize,
        why: Exclusion,
    },
    Ranked {
        warehouse: usize,
        position: usize,
        key: RankKey,
        by_rule: bool,
    },
    Rule(Note),
    BelowSplitMinimum {
        value: Decimal,
        minimum: Decimal,
    },
    Policy {
        strategy: Strategy,
        max: usize,
        unfulfillable: Unfulfillable,
    },
    Allocated(Why),
    Ships {
        warehouse: usize,
        lines: Vec<(usize, Decimal)>,
    },
    Backordered {
        line: usize,
        qty: Decimal,
        why: Shortage,
    },
    Held(String),
    NothingShips,
    RoutedByRule,
    HoldOverridesRoute,
    /// Capacity mode `prefer`, no shipment left: ranked after the others.
    AtCapacityLast {
        warehouse: usize,
        used: u64,
        max: u64,
    },
    /// Part of a shipment line waits for stock at a backorderable location.
    WaitsForStock {
        warehouse: String,
        line: String,
        sku: String,
        qty: Decimal,
    },
}

/// Events of one order, or nothing when the trace is off.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    on: bool,
    events: Vec<Event>,
}

impl Trace {
    pub fn new(on: bool) -> Trace {
        Trace {
            on,
            events: Vec::new(),
        }
    }

    pub fn on(&self) -> bool {
        self.on
    }

    /// Records an event built only when the trace is on.
    pub fn push(&mut self, event: impl FnOnce() -> Event) {
        if self.on {
            self.events.push(event());
        }
    }

    /// Puts every event into words.
    pub fn entries(self, order: &Order, inv: &PreparedInventory) -> Vec<TraceEntry> {
        let wid = |w: usize| inv.warehouse(w).map(|w| w.id.clone());
        let line = |l: usize| order.lines.get(l);
        self.events
            .into_iter()
            .map(|e| match e {
                Event::Excluded { warehouse, why } => TraceEntry {
                    step: "eligible".into(),
                    warehouse: wid(warehouse),
                    line: None,
                    message: match why {
                        // Worded as before for the trace readers that match it.
                        Exclusion::ByRule => "excluded by the rule's `eligible`".into(),
                        other => format!("excluded: {}", other.words(order)),
                    },
                },
                Event::AtCapacityLast {
                    warehouse,
                    used,
                    max,
                } => TraceEntry {
                    step: "rank".into(),
                    warehouse: wid(warehouse),
                    line: None,
                    message: format!(
                        "at capacity ({used} of {max} shipments this period; capacity mode `prefer`): ranked after the others"
                    ),
                },
                Event::WaitsForStock {
                    warehouse,
                    line,
                    sku,
                    qty,
                } => TraceEntry {
                    step: "backorder".into(),
                    warehouse: Some(warehouse),
                    line: Some(line),
                    message: format!(
                        "{} of {sku} sold beyond stock here: waits for stock at this location",
                        qty.normalize()
                    ),
                },
                Event::Ranked {
                    warehouse,
                    position,
                    key,
                    by_rule,
                } => {
                    // Written straight into one buffer: a plan has one of these per
                    // candidate warehouse, the bulk of its trace.
                    let mut m = String::with_capacity(48);
                    let _ = write!(m, "ranked #{}: ", position + 1);
                    match (by_rule, key.as_slice()) {
                        (true, _) => {
                            m.push_str("`rank` returned ");
                            push_key(&mut m, &key);
                        }
                        (false, [priority]) => {
                            m.push_str("priority ");
                            push_decimal(&mut m, *priority);
                        }
                        (false, [priority, km, ..]) => {
                            m.push_str("priority ");
                            push_decimal(&mut m, *priority);
                            m.push_str(", ");
                            push_decimal(&mut m, km.round_dp(1));
                            m.push_str(" km from the customer");
                        }
                        (false, []) => m.push_str("no rank"),
                    }
                    TraceEntry {
                        step: "rank".into(),
                        warehouse: wid(warehouse),
                        line: None,
                        message: m,
                    }
                }
                Event::Rule(note) => TraceEntry {
                    step: note.kind.step().into(),
                    warehouse: note.warehouse.and_then(wid),
                    line: None,
                    message: note.text,
                },
                Event::BelowSplitMinimum { value, minimum } => entry(
                    "split",
                    format!(
                        "order value {} is below the minimum {} for splitting: one shipment only",
                        value.normalize(),
                        minimum.normalize()
                    ),
                ),
                Event::Policy {
                    strategy,
                    max,
                    unfulfillable,
                } => entry("split", policy_summary(strategy, max, unfulfillable)),
                Event::Allocated(why) => entry("allocate", why.to_string()),
                Event::Ships { warehouse, lines } => {
                    let mut m = String::with_capacity(16 + 16 * lines.len());
                    m.push_str("ships ");
                    let mut first = true;
                    for (l, q) in &lines {
                        let Some(l) = line(*l) else {
                            continue;
                        };
                        if !first {
                            m.push_str(", ");
                        }
                        first = false;
                        m.push_str("line ");
                        m.push_str(&l.id);
                        m.push_str(" × ");
                        push_decimal(&mut m, *q);
                    }
                    TraceEntry {
                        step: "allocate".into(),
                        warehouse: wid(warehouse),
                        line: None,
                        message: m,
                    }
                }
                Event::Backordered {
                    line: l,
                    qty,
                    why,
                } => {
                    let (id, sku) = line(l).map_or((None, ""), |l| (Some(l.id.clone()), &l.sku));
                    TraceEntry {
                        step: "backorder".into(),
                        warehouse: None,
                        line: id,
                        message: match why {
                            Shortage::NotEnoughStock => format!(
                                "{} of {sku} backordered: not enough eligible stock",
                                qty.normalize()
                            ),
                            Shortage::Constraints => format!(
                                "{} of {sku} backordered: eligible warehouses hold enough, but not within the split policy (shipment limit, lines kept whole or together)",
                                qty.normalize()
                            ),
                        },
                    }
                }
                Event::Held(reason) => entry("hold", reason),
                Event::NothingShips => entry(
                    "allocate",
                    "the order cannot ship complete, so nothing ships: every line is backordered"
                        .into(),
                ),
                Event::RoutedByRule => entry("route", "plan returned by the rule's `route`".into()),
                Event::HoldOverridesRoute => entry(
                    "route",
                    "the rule asked to hold the order, so the plan `route` returned is not used"
                        .into(),
                ),
            })
            .collect()
    }
}

fn entry(step: &'static str, message: String) -> TraceEntry {
    TraceEntry {
        step: step.into(),
        warehouse: None,
        line: None,
        message,
    }
}

/// A rank key as the rule wrote it: one number, or the tie-break chain in brackets.
fn push_key(out: &mut String, key: &[Decimal]) {
    if let [one] = key {
        push_decimal(out, *one);
        return;
    }
    out.push('[');
    for (i, k) in key.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_decimal(out, *k);
    }
    out.push(']');
}

/// Writes `d` without trailing zeros, as `d.normalize().to_string()` would, through integer
/// formatting when the digits fit 64 bits (Decimal's own formatter costs several times more,
/// and a trace shows a few numbers per candidate warehouse).
pub(crate) fn push_decimal(out: &mut String, d: Decimal) {
    let d = d.normalize();
    let scale = d.scale();
    match (i64::try_from(d.mantissa()), 10u64.checked_pow(scale)) {
        (Ok(m), _) if scale == 0 => {
            let _ = write!(out, "{m}");
        }
        (Ok(m), Some(p)) => {
            let a = m.unsigned_abs();
            let sign = if m < 0 { "-" } else { "" };
            let width = scale as usize;
            let _ = write!(out, "{sign}{}.{:0width$}", a / p, a % p);
        }
        _ => {
            let _ = write!(out, "{d}");
        }
    }
}

fn policy_summary(strategy: Strategy, max: usize, unfulfillable: Unfulfillable) -> String {
    let strategy = match strategy {
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
    let short = match unfulfillable {
        Unfulfillable::Backorder => "backorder what cannot ship",
        Unfulfillable::Hold => "hold if it cannot ship complete",
        Unfulfillable::ShipNothing => "ship nothing unless complete",
    };
    format!("policy: {strategy}, {limit}, {short}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_are_written_like_normalize() {
        for text in [
            "0",
            "-0",
            "0.000",
            "5",
            "-5",
            "5.50",
            "-5.05",
            "412.5",
            "0.001",
            "-0.001",
            "123456789012345678",
            "9223372036854775807",
            "-9223372036854775808",
            "79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "1.10000000000000000000",
            "12345.678901234567890123",
            "-3.000",
        ] {
            let d = Decimal::from_str(text).unwrap_or_default();
            let mut out = String::new();
            push_decimal(&mut out, d);
            assert_eq!(out, d.normalize().to_string(), "{text}");
        }
    }
}
