//! The engine compiled to WebAssembly, run under Node by wasm-bindgen-test (and, through
//! `tests/wasm_browser.rs`, in headless Chromium): the sample data routes the same way it
//! does natively, sandbox limits hold in WebAssembly, and results cross into JavaScript as
//! plain objects with decimal strings. The binding layer's own tests are in `src/wasm.rs`.
//!
//! Run: `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use js_sys::Reflect;
use stockroute::{
    json, Inventory, Limits, Order, PlanStatus, PreparedInventory, Router, RouterOptions,
    WarehouseKind,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const INVENTORY: &str = include_str!("../examples/inventory.json");
const ORDERS: &str = include_str!("../examples/orders.jsonl");
const DEMO_RULES: &str = include_str!("../rules/own-first-then-consignment.rhai");

fn inventory() -> PreparedInventory {
    PreparedInventory::new(json::from_str::<Inventory>(INVENTORY, "inventory").unwrap()).unwrap()
}

fn sample_order(id: &str) -> Order {
    let line = ORDERS
        .lines()
        .find(|l| l.contains(&format!("\"id\": \"{id}\"")))
        .unwrap();
    json::from_str(line, "order").unwrap()
}

fn demo_router() -> Router {
    let options = RouterOptions {
        name: Some("own-first-then-consignment.rhai".into()),
        ..RouterOptions::default()
    };
    Router::new(DEMO_RULES, options).unwrap()
}

#[wasm_bindgen_test]
fn own_stock_first_then_consignment_for_the_rest() {
    // WEB-1005 wants 4 × TENT-4P on the webshop (consignment included). Own stock: 3 in
    // DE-BER, DE-FRA's unit is out of stock; consignment CON-ZRH holds 2. Own first: 3 from
    // DE-BER, the last one from CON-ZRH.
    let plan = demo_router()
        .route(&sample_order("WEB-1005"), &inventory())
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Split);
    let from: Vec<(&str, String)> = plan
        .shipments
        .iter()
        .map(|s| (s.warehouse.as_str(), s.lines[0].qty.to_string()))
        .collect();
    assert_eq!(from, [("DE-BER", "3".into()), ("CON-ZRH", "1".into())]);
    let consignment = &plan.shipments[1];
    assert_eq!(consignment.kind, WarehouseKind::Consignment);
    assert!(!consignment
        .documents
        .contains(&stockroute::Document::Invoice));
}

#[wasm_bindgen_test]
fn marketplace_never_ships_consignment_and_backorders_the_rest() {
    // MKT-3001: 5 × TENT-4P on the marketplace, which excludes consignment. Only DE-BER's 3
    // can ship; the consumer's remaining 2 are backordered.
    let plan = demo_router()
        .route(&sample_order("MKT-3001"), &inventory())
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Partial);
    assert_eq!(plan.shipments.len(), 1);
    assert_eq!(plan.shipments[0].warehouse, "DE-BER");
    assert_eq!(plan.backorders[0].qty.to_string(), "2");
}

#[wasm_bindgen_test]
fn every_sample_order_routes_in_a_batch() {
    let orders: Vec<Order> = ORDERS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| json::from_str(l, "order").unwrap())
        .collect();
    let results = demo_router().route_batch(&orders, &inventory());
    assert_eq!(results.len(), orders.len());
    for (order, result) in orders.iter().zip(&results) {
        let plan = result.as_ref().unwrap();
        assert_eq!(plan.order, order.id);
    }
}

#[wasm_bindgen_test]
fn a_runaway_rule_stops_at_the_operation_limit() {
    let options = RouterOptions {
        name: None,
        limits: Limits {
            max_operations: 10_000,
            ..Limits::default()
        },
        ..RouterOptions::default()
    };
    let router = Router::new(
        "fn rank(o, w) { if o.id == \"WEB-1001\" { loop {} } w.priority }",
        options,
    )
    .unwrap();
    let e = router
        .route(&sample_order("WEB-1001"), &inventory())
        .unwrap_err();
    assert_eq!(e.code, "rule.limit");
    // The same router keeps working for other orders.
    let plan = router
        .route(&sample_order("WEB-1002"), &inventory())
        .unwrap();
    assert_eq!(plan.order, "WEB-1002");
}

#[wasm_bindgen_test]
fn a_bad_quantity_names_its_field() {
    let e = json::from_str::<Order>(
        r#"{"id": "x", "channel": "webshop", "ship_to": {"country": "DE"},
            "lines": [{"id": "1", "sku": "A", "qty": "lots"}]}"#,
        "order",
    )
    .unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert_eq!(
        e.primary().and_then(|d| d.path.as_deref()),
        Some("lines[0].qty")
    );
}

#[wasm_bindgen_test]
fn plans_cross_into_javascript_as_plain_objects_with_decimal_strings() {
    let plan = demo_router()
        .route(&sample_order("WEB-1006"), &inventory())
        .unwrap();
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let value = serde::Serialize::serialize(&plan, &serializer).unwrap();
    let shipments = js_sys::Array::from(&Reflect::get(&value, &"shipments".into()).unwrap());
    let line =
        js_sys::Array::from(&Reflect::get(&shipments.get(0), &"lines".into()).unwrap()).get(0);
    // 25.5 m of rope: a fractional quantity stays exact, as a string.
    assert_eq!(
        Reflect::get(&line, &"qty".into()).unwrap(),
        JsValue::from_str("25.5")
    );
}

#[wasm_bindgen_test]
fn check_finds_a_syntax_error_with_its_position() {
    let report = stockroute::check("fn rank(o, w) {\n  let x = ;\n}", Some("r.rhai"));
    assert!(!report.ok);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, "rule.syntax");
    assert_eq!(d.line, Some(2));
}
