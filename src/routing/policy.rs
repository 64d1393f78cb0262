//! The split policy a `split(order)` hook returns, and its defaults.

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

/// The keys a split policy map may have, in documentation order.
pub const KEYS: [&str; 6] = [
    "strategy",
    "max_shipments",
    "keep_together",
    "min_split_value",
    "unfulfillable",
    "split_lines",
];

impl Strategy {
    /// Every strategy, with its script spelling.
    pub const ALL: [(Strategy, &'static str); 4] = [
        (Strategy::FewestShipments, "fewest_shipments"),
        (Strategy::PerLinePriority, "per_line_priority"),
        (Strategy::HighestStock, "highest_stock"),
        (Strategy::AllOrNothing, "all_or_nothing"),
    ];

    /// Reads the script spelling.
    pub fn parse(name: &str) -> Option<Strategy> {
        Strategy::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
    }
}

impl Unfulfillable {
    /// Every choice, with its script spelling.
    pub const ALL: [(Unfulfillable, &'static str); 3] = [
        (Unfulfillable::Backorder, "backorder"),
        (Unfulfillable::Hold, "hold"),
        (Unfulfillable::ShipNothing, "ship_nothing"),
    ];

    /// Reads the script spelling.
    pub fn parse(name: &str) -> Option<Unfulfillable> {
        Unfulfillable::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
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
        assert_eq!(documented, KEYS);
    }
}
