//! The split policy a `split(order)` hook returns, and its defaults.

use crate::error::{code, Diagnostic};
use crate::rules::{as_decimal, type_name, Hook, RuleSet};
use rhai::{Dynamic, Map};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How the engine allocates lines to ranked warehouses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// One warehouse that ships everything if any (best rank first); otherwise the smallest
    /// set of warehouses, preferring better-ranked sets (Shopify's "minimize split fulfillments").
    #[default]
    FewestShipments,
    /// Each line taken greedily from warehouses in rank order (Magento's priority SSA,
    /// Saleor's `prioritize_sorting_order`, Solidus' `SimpleCoordinator`).
    PerLinePriority,
    /// Each line taken from the warehouse with the most stock of it first
    /// (Saleor's `prioritize_high_stock`).
    HighestStock,
    /// Fewest shipments, but nothing ships unless every line can.
    AllOrNothing,
}

/// What happens to an order that cannot ship complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Unfulfillable {
    /// Ship what can ship, backorder the rest.
    #[default]
    Backorder,
    /// Hold the whole order for manual routing.
    Hold,
    /// Ship nothing; backorder every line.
    ShipNothing,
}

/// Lines that must leave from one warehouse together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum KeepTogether {
    /// No constraint.
    #[default]
    None,
    /// Explicit groups of line ids or SKUs.
    Groups(Vec<Vec<String>>),
    /// Lines whose products share a value of this attribute (e.g. `bundle`) form a group.
    Attribute(String),
}

/// The split policy for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitPolicy {
    /// Allocation strategy.
    pub strategy: Strategy,
    /// At most this many shipments (`1` = never split); `None` = unlimited.
    pub max_shipments: Option<usize>,
    /// Groups of lines that ship from one warehouse, complete.
    pub keep_together: KeepTogether,
    /// Orders worth less than this are never split.
    pub min_split_value: Option<Decimal>,
    /// What to do when the order cannot ship complete.
    pub unfulfillable: Unfulfillable,
    /// Whether one line may be shared between warehouses (default true).
    pub split_lines: bool,
}

impl Default for SplitPolicy {
    fn default() -> Self {
        SplitPolicy {
            strategy: Strategy::default(),
            max_shipments: None,
            keep_together: KeepTogether::None,
            min_split_value: None,
            unfulfillable: Unfulfillable::default(),
            split_lines: true,
        }
    }
}

const KEYS: &str =
    "strategy, max_shipments, keep_together, min_split_value, unfulfillable, split_lines";

impl SplitPolicy {
    /// Reads the value a `split` hook returned. `()` means the defaults.
    pub(crate) fn from_dynamic(rules: &RuleSet, value: &Dynamic) -> crate::error::Result<Self> {
        let mut policy = SplitPolicy::default();
        if value.is_unit() {
            return Ok(policy);
        }
        let Some(map) = value.read_lock::<Map>() else {
            return Err(rules
                .return_error(
                    Hook::Split,
                    "a policy map such as `#{ max_shipments: 2 }`",
                    value,
                    None,
                )
                .into());
        };
        let bad = |key: &str, expected: &str, got: &Dynamic| {
            let mut d = rules.label(
                Diagnostic::new(
                    code::RULE_RETURN,
                    format!(
                        "`split` policy `{key}` must be {expected}, got {}",
                        type_name(got)
                    ),
                )
                .with_hook("split"),
            );
            d.path = Some(key.to_string());
            d.set_position(rules.hook_position(Hook::Split));
            crate::error::StockrouteError::from(d)
        };
        for (key, v) in map.iter() {
            match key.as_str() {
                "strategy" => {
                    policy.strategy = match v.to_string().as_str() {
                        _ if !v.is_string() => return Err(bad(key, "a string", v)),
                        "fewest_shipments" => Strategy::FewestShipments,
                        "per_line_priority" => Strategy::PerLinePriority,
                        "highest_stock" => Strategy::HighestStock,
                        "all_or_nothing" => Strategy::AllOrNothing,
                        _ => return Err(bad(
                            key,
                            "one of `fewest_shipments`, `per_line_priority`, `highest_stock`, `all_or_nothing`",
                            v,
                        )),
                    }
                }
                "max_shipments" => {
                    policy.max_shipments = if v.is_unit() {
                        None
                    } else {
                        match v.as_int() {
                            Ok(n) if n >= 1 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                            _ => return Err(bad(key, "an integer of at least 1, or `()`", v)),
                        }
                    }
                }
                "min_split_value" => {
                    policy.min_split_value = if v.is_unit() {
                        None
                    } else {
                        match as_decimal(v) {
                            Some(d) if !d.is_sign_negative() => Some(d),
                            _ => return Err(bad(key, "a non-negative number", v)),
                        }
                    }
                }
                "unfulfillable" => {
                    policy.unfulfillable = match v.to_string().as_str() {
                        _ if !v.is_string() => return Err(bad(key, "a string", v)),
                        "backorder" => Unfulfillable::Backorder,
                        "hold" => Unfulfillable::Hold,
                        "ship_nothing" => Unfulfillable::ShipNothing,
                        _ => {
                            return Err(bad(
                                key,
                                "one of `backorder`, `hold`, `ship_nothing`",
                                v,
                            ))
                        }
                    }
                }
                "split_lines" => match v.as_bool() {
                    Ok(b) => policy.split_lines = b,
                    Err(_) => return Err(bad(key, "a bool", v)),
                },
                "keep_together" => {
                    policy.keep_together = if v.is_unit() {
                        KeepTogether::None
                    } else if v.is_string() {
                        KeepTogether::Attribute(v.to_string())
                    } else if let Some(groups) = v.read_lock::<rhai::Array>() {
                        let mut out = Vec::new();
                        for g in groups.iter() {
                            let Some(items) = g.read_lock::<rhai::Array>() else {
                                return Err(bad(key, "an array of arrays of line ids or SKUs, or an attribute name", v));
                            };
                            let mut group = Vec::new();
                            for item in items.iter() {
                                if !item.is_string() {
                                    return Err(bad(key, "an array of arrays of line ids or SKUs, or an attribute name", item));
                                }
                                group.push(item.to_string());
                            }
                            out.push(group);
                        }
                        KeepTogether::Groups(out)
                    } else {
                        return Err(bad(
                            key,
                            "an array of arrays of line ids or SKUs, or an attribute name",
                            v,
                        ));
                    }
                }
                other => {
                    let mut d = rules.label(
                        Diagnostic::new(
                            code::RULE_RETURN,
                            format!("unknown `split` policy key `{other}`"),
                        )
                        .with_hook("split")
                        .with_help(format!("known keys: {KEYS}")),
                    );
                    d.path = Some(other.to_string());
                    d.set_position(rules.hook_position(Hook::Split));
                    return Err(d.into());
                }
            }
        }
        Ok(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::KEYS;

    #[test]
    fn policy_keys_match_the_editor_metadata() {
        let documented: Vec<&str> = crate::rules::api::metadata()
            .split_policy
            .iter()
            .map(|i| i.name)
            .collect();
        let parsed: Vec<&str> = KEYS.split(", ").collect();
        assert_eq!(documented, parsed);
    }
}
