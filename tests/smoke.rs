#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
use stockroute::*;

fn inv() -> PreparedInventory {
    let inv: Inventory = serde_json::from_value(serde_json::json!({
        "warehouses": [
            {"id": "own-a", "kind": "own", "priority": 1, "country": "DE"},
            {"id": "own-b", "kind": "own", "priority": 2, "country": "DE"},
            {"id": "con-1", "kind": "consignment", "owner": "Shop1", "priority": 3, "country": "DE",
             "forward": {"method": "email", "to": "shop1@example.com"}}
        ],
        "stock": [
            {"warehouse": "own-a", "sku": "A", "on_hand": 2},
            {"warehouse": "own-b", "sku": "A", "on_hand": 10},
            {"warehouse": "own-b", "sku": "B", "on_hand": 1},
            {"warehouse": "con-1", "sku": "B", "on_hand": 5}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    }))
    .unwrap();
    PreparedInventory::new(inv).unwrap()
}

fn order(lines: serde_json::Value) -> Order {
    serde_json::from_value(serde_json::json!({
        "id": "o1", "channel": "web", "ship_to": {"country": "DE"}, "lines": lines
    }))
    .unwrap()
}

#[test]
fn default_rules_pick_single_warehouse() {
    let r = Router::new("", RouterOptions::default()).unwrap();
    let p = r.route(&order(serde_json::json!([{"id": "1", "sku": "A", "qty": 3}, {"id": "2", "sku": "B", "qty": 1}])), &inv()).unwrap();
    println!("{}", serde_json::to_string_pretty(&p).unwrap());
    assert_eq!(p.status, PlanStatus::Single);
    assert_eq!(p.shipments[0].warehouse, "own-b");
}

#[test]
fn split_into_consignment() {
    let r = Router::new("fn rank(o, w) { [w.priority] }", RouterOptions::default()).unwrap();
    let p = r.route(&order(serde_json::json!([{"id": "1", "sku": "A", "qty": 3}, {"id": "2", "sku": "B", "qty": 4}])), &inv()).unwrap();
    println!("{}", serde_json::to_string_pretty(&p).unwrap());
    assert_eq!(p.status, PlanStatus::Split);
    let a = r.available(&inv(), None).unwrap();
    println!("{}", serde_json::to_string_pretty(&a).unwrap());
}
