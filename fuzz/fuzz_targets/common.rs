#![allow(dead_code)]
// Shared fixtures for the fuzz targets: a small inventory with own and consignment stock,
// a rule set using every routing hook, and limits low enough to keep each run fast.

use stockroute::{Limits, RouterOptions};

pub const INVENTORY: &str = r#"{
  "warehouses": [
    {"id": "own-a", "kind": "own", "priority": 1, "country": "DE", "location": {"lat": 52.5, "lon": 13.4}},
    {"id": "own-b", "kind": "own", "priority": 2, "country": "AT", "location": {"lat": 48.2, "lon": 16.4}},
    {"id": "con-1", "kind": "consignment", "owner": "Shop", "priority": 3, "country": "DE",
     "location": {"lat": 53.5, "lon": 10.0}, "forward": {"method": "email", "to": "s@example.com"},
     "terms": {"pro_forma": true}}
  ],
  "stock": [
    {"warehouse": "own-a", "sku": "A", "on_hand": 5, "reserved": 1},
    {"warehouse": "own-a", "sku": "B", "on_hand": "2.5"},
    {"warehouse": "own-b", "sku": "A", "on_hand": 10, "safety": 2},
    {"warehouse": "con-1", "sku": "B", "on_hand": 3},
    {"warehouse": "con-1", "sku": "C", "on_hand": 7, "status": "out_of_stock"}
  ],
  "channels": [{"id": "web", "include_consignment": true, "safety": 1}, {"id": "b2b"}],
  "products": [{"sku": "A", "tags": ["bulky"], "attributes": {"bundle": "x"}}, {"sku": "B", "attributes": {"bundle": "x"}}],
  "reservations": [{"channel": "web", "sku": "A", "qty": 1}]
}"#;

pub const ORDER: &str = r#"{"id": "o1", "channel": "web", "customer": {"type": "b2c"},
  "ship_to": {"country": "DE", "location": {"lat": 50.1, "lon": 8.7}},
  "lines": [{"id": "1", "sku": "A", "qty": 3, "unit_price": "9.90"}, {"id": "2", "sku": "B", "qty": "1.5"}]}"#;

pub const RULES: &str = r#"
const EU = ["DE", "AT"];
fn eligible(order, w) {
    if w.consignment && order.customer.type == "b2b" { return false; }
    order.ship_to.country == w.country || (order.ship_to.country in EU && w.country in EU)
}
fn rank(order, w) {
    if order.ship_to.location == () || w.location == () { return [w.priority]; }
    [w.priority, distance_km(w, order.ship_to)]
}
fn split(order) {
    if order.value > 100 { #{ max_shipments: 2, keep_together: "bundle" } }
    else { #{ strategy: "per_line_priority", unfulfillable: "hold" } }
}
fn offer(channel, w, sku, qty) { if w.consignment { qty / 2 } else { qty } }
fn adjust(channel, sku, qty) { if qty > 100 { 100 } else { qty } }
"#;

pub fn options() -> RouterOptions {
    RouterOptions {
        name: Some("fuzz.rhai".into()),
        limits: Limits {
            max_operations: 20_000,
            max_string_size: 4_096,
            max_array_size: 1_000,
            max_map_size: 1_000,
            ..Limits::default()
        },
        ..RouterOptions::default()
    }
}

/// Every error must be structured: a known code and at least one diagnostic.
pub fn check_error(e: &stockroute::StockrouteError) {
    assert!(
        !e.diagnostics.is_empty(),
        "error without diagnostics: {e:?}"
    );
    assert!(
        [
            "rule.syntax",
            "rule.signature",
            "rule.runtime",
            "rule.limit",
            "rule.return",
            "data.invalid",
            "plan.invalid",
            "availability.invalid",
            "options.invalid",
        ]
        .contains(&e.code),
        "unknown error code {}",
        e.code
    );
    // Engine-authored plans must never be invalid: that would be a routing bug.
    if e.code == "plan.invalid" {
        assert!(
            e.diagnostics
                .iter()
                .all(|d| d.hook.as_deref() == Some("route")),
            "{e:?}"
        );
    }
    let _ = serde_json::to_string(e);
}

thread_local! {
    /// Compiled once per fuzzing process: compilation is not what these targets explore.
    pub static ROUTER: stockroute::Router = match stockroute::Router::new(RULES, options()) {
        Ok(r) => r,
        Err(e) => panic!("fixture rules must compile: {e}"),
    };
}
