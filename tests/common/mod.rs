//! Shared fixtures for the native test suites.
#![allow(dead_code)]

use serde_json::{json, Value};
use stockroute::*;

/// Three own warehouses and two consignment locations in DE and AT.
///
/// | id    | kind        | prio | country | location          |
/// |-------|-------------|------|---------|-------------------|
/// | berlin| own         | 1    | DE      | 52.52, 13.405     |
/// | munich| own         | 2    | DE      | 48.137, 11.575    |
/// | vienna| own         | 3    | AT      | 48.208, 16.373    |
/// | shop-hh | consignment | 4  | DE      | 53.551, 9.993 (Hamburg) |
/// | shop-graz | consignment | 5| AT      | 47.070, 15.439    |
pub fn inventory_json() -> Value {
    json!({
        "warehouses": [
            {"id": "berlin", "kind": "own", "priority": 1, "country": "DE", "location": {"lat": 52.52, "lon": 13.405}},
            {"id": "munich", "kind": "own", "priority": 2, "country": "DE", "location": {"lat": 48.137, "lon": 11.575}},
            {"id": "vienna", "kind": "own", "priority": 3, "country": "AT", "location": {"lat": 48.208, "lon": 16.373}},
            {"id": "shop-hh", "kind": "consignment", "owner": "Hanse Retail", "priority": 4, "country": "DE",
             "location": {"lat": 53.551, "lon": 9.993},
             "terms": {"period_end": "2027-03-31", "settlement": "monthly"},
             "forward": {"method": "email", "to": "orders@hanse.example"}},
            {"id": "shop-graz", "kind": "consignment", "owner": "Murtal GmbH", "priority": 5, "country": "AT",
             "location": {"lat": 47.070, "lon": 15.439},
             "terms": {"pro_forma": true},
             "forward": {"method": "api", "endpoint": "https://murtal.example/api/orders"}}
        ],
        "stock": [
            {"warehouse": "berlin", "sku": "CHAIR", "on_hand": 4, "reserved": 1},
            {"warehouse": "berlin", "sku": "TABLE", "on_hand": 1},
            {"warehouse": "munich", "sku": "CHAIR", "on_hand": 10, "safety": 2},
            {"warehouse": "munich", "sku": "LAMP", "on_hand": 3},
            {"warehouse": "vienna", "sku": "TABLE", "on_hand": 5},
            {"warehouse": "vienna", "sku": "LAMP", "on_hand": 6},
            {"warehouse": "shop-hh", "sku": "CHAIR", "on_hand": 6},
            {"warehouse": "shop-hh", "sku": "ROPE", "on_hand": "12.5"},
            {"warehouse": "shop-graz", "sku": "LAMP", "on_hand": 9, "status": "out_of_stock"},
            {"warehouse": "shop-graz", "sku": "TABLE", "on_hand": 2}
        ],
        "channels": [
            {"id": "webshop", "include_consignment": true, "safety": 2},
            {"id": "marketplace", "include_consignment": false}
        ],
        "products": [
            {"sku": "CHAIR", "attributes": {"bundle": "dining"}},
            {"sku": "TABLE", "attributes": {"bundle": "dining"}, "tags": ["bulky"]},
            {"sku": "LAMP"},
            {"sku": "ROPE", "tags": ["by_length"]}
        ],
        "reservations": [{"channel": "webshop", "sku": "CHAIR", "qty": 1}]
    })
}

pub fn inventory() -> PreparedInventory {
    PreparedInventory::new(serde_json::from_value(inventory_json()).unwrap()).unwrap()
}

pub fn order_with(channel: &str, country: &str, lines: Value) -> Order {
    serde_json::from_value(json!({
        "id": "o-1", "channel": channel, "currency": "EUR",
        "customer": {"type": "b2c"},
        "ship_to": {"country": country, "postcode": "10115", "location": {"lat": 52.5, "lon": 13.4}},
        "lines": lines
    }))
    .unwrap()
}

pub fn order(lines: Value) -> Order {
    order_with("webshop", "DE", lines)
}

pub fn router(source: &str) -> Router {
    Router::new(
        source,
        RouterOptions {
            name: Some("test.rhai".into()),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("rules should compile: {e}"))
}

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// (warehouse, line, qty) triples of a plan, in plan order.
pub fn shipped(plan: &Plan) -> Vec<(String, String, String)> {
    plan.shipments
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                (
                    s.warehouse.clone(),
                    l.line.clone(),
                    l.qty.normalize().to_string(),
                )
            })
        })
        .collect()
}

pub fn t(w: &str, l: &str, q: &str) -> (String, String, String) {
    (w.to_string(), l.to_string(), q.to_string())
}
