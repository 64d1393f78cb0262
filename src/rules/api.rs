//! A machine-readable description of the rule API: hooks, the fields of every object a
//! hook receives, helper functions and split-policy keys. Editors build autocomplete and
//! hover docs from it; the docs page is generated from the same table, so they cannot drift.

use serde::Serialize;

/// One documented item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Name as typed in scripts.
    pub name: &'static str,
    /// Signature or type, e.g. `fn rank(order, warehouse)` or `string`.
    pub detail: &'static str,
    /// One-sentence documentation.
    pub doc: &'static str,
}

/// Fields of one object type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    /// Type name (`order`, `warehouse`, ...).
    pub name: &'static str,
    /// Its fields.
    pub fields: Vec<Item>,
}

/// The whole rule API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Hooks the engine calls.
    pub hooks: &'static [Item],
    /// Helper functions callable from any hook.
    pub helpers: &'static [Item],
    /// Objects passed to hooks, with their fields.
    pub objects: Vec<Object>,
    /// Keys of the map `split(order)` returns.
    pub split_policy: &'static [Item],
    /// Keys of the map `route(order, inventory)` returns.
    pub route_plan: &'static [Item],
}

const HOOKS: &[Item] = &[
    Item { name: "eligible", detail: "fn eligible(order, warehouse) -> bool", doc: "May this warehouse ship this order? Disabled warehouses, and consignment on channels that do not include it, are excluded before this is called." },
    Item { name: "rank", detail: "fn rank(order, warehouse) -> number | [number]", doc: "Preference of a warehouse, lower first; an array is a tie-break chain. Default: [warehouse.priority, distance_km]." },
    Item { name: "split", detail: "fn split(order) -> #{ ... }", doc: "The split policy for this order: strategy, max_shipments, keep_together, min_split_value, unfulfillable, split_lines." },
    Item { name: "offer", detail: "fn offer(channel, warehouse, sku, qty) -> number", doc: "How much of a warehouse's available qty the channel may offer (0..=qty)." },
    Item { name: "adjust", detail: "fn adjust(channel, sku, qty) -> number", doc: "Final say on a channel's total for a SKU after safety and reservations (0..=qty): thresholds, caps, rounding." },
    Item { name: "route", detail: "fn route(order, inventory) -> #{ shipments, backorders, hold }", doc: "Full control: return the plan yourself. It is validated exactly like the engine's own." },
    Item { name: "replenish", detail: "fn replenish(warehouse, sku, proposal) -> number | bool | () | #{ propose, reason }", doc: "Adjust or veto a replenishment proposal for a consignment location: a quantity, true to keep it, 0, () or false to veto; capped at proposal.limit." },
];

const HELPERS: &[Item] = &[
    Item { name: "distance_km", detail: "distance_km(a, b) -> decimal", doc: "Great-circle distance in km between two locations, or two things with a `location` (a warehouse, order.ship_to)." },
    Item { name: "hold", detail: "hold(reason)", doc: "Hold the order for manual routing with this reason; nothing ships or is backordered." },
    Item { name: "note", detail: "note(text)", doc: "Add a line to the plan's trace, explaining a decision." },
    Item { name: "available", detail: "available(warehouse_id, sku) -> decimal", doc: "What can be allocated from a warehouse for a SKU: on_hand − reserved − safety, 0 when disabled or out of stock." },
    Item { name: "stock", detail: "stock(warehouse_id, sku) -> stock | ()", doc: "The stock row of a SKU in a warehouse." },
    Item { name: "product", detail: "product(sku) -> product | ()", doc: "Product data for a SKU." },
    Item { name: "floor", detail: "qty.floor() -> decimal", doc: "Round down to a whole number (e.g. whole units for a marketplace)." },
    Item { name: "round", detail: "qty.round(dp) -> decimal", doc: "Round to dp decimal places." },
    Item { name: "min", detail: "min(a, b)", doc: "The smaller of two numbers." },
    Item { name: "max", detail: "max(a, b)", doc: "The larger of two numbers." },
];

const SPLIT: &[Item] = &[
    Item { name: "strategy", detail: "\"fewest_shipments\" | \"per_line_priority\" | \"highest_stock\" | \"all_or_nothing\"", doc: "Allocation strategy (default fewest_shipments)." },
    Item { name: "max_shipments", detail: "int | ()", doc: "At most this many shipments; 1 = never split." },
    Item { name: "keep_together", detail: "[[line id or sku]] | \"attribute\"", doc: "Lines that must ship together from one warehouse; a string groups lines by a product attribute (e.g. \"bundle\")." },
    Item { name: "min_split_value", detail: "number", doc: "Orders worth less than this are never split." },
    Item { name: "unfulfillable", detail: "\"backorder\" | \"hold\" | \"ship_nothing\"", doc: "What to do when the order cannot ship complete (default backorder)." },
    Item { name: "split_lines", detail: "bool", doc: "May one line be shared between warehouses (default true)." },
];

const ROUTE: &[Item] = &[
    Item {
        name: "shipments",
        detail: "[#{ warehouse, lines: [#{ line, qty }] }]",
        doc: "What ships from where.",
    },
    Item {
        name: "backorders",
        detail: "[#{ line, qty }]",
        doc: "What waits for stock.",
    },
    Item {
        name: "hold",
        detail: "string",
        doc: "Hold the order with this reason (then no shipments or backorders).",
    },
];

/// The rule API description.
pub fn metadata() -> Metadata {
    Metadata {
        hooks: HOOKS,
        helpers: HELPERS,
        objects: super::schema::Obj::ALL
            .iter()
            .map(|o| Object {
                name: o.name(),
                fields: o
                    .fields()
                    .iter()
                    .map(|f| Item {
                        name: f.name,
                        detail: f.detail,
                        doc: f.doc,
                    })
                    .collect(),
            })
            .collect(),
        split_policy: SPLIT,
        route_plan: ROUTE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Hook;

    #[test]
    fn every_hook_is_documented_with_its_parameters() {
        let meta = metadata();
        for hook in Hook::ALL {
            let item = meta.hooks.iter().find(|i| i.name == hook.name());
            let Some(item) = item else {
                panic!("hook `{}` missing from metadata", hook.name());
            };
            assert!(
                item.detail
                    .contains(&format!("({})", hook.params().join(", "))),
                "{} vs {:?}",
                item.detail,
                hook.params()
            );
        }
    }
}
