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

// The sandbox in WebAssembly, where a panic is an abort and a native stack overflow kills the
// instance: each hostile rule ends in a structured error and the same router routes the next
// order. Natively the same rules are in `tests/hostile_sandbox.rs`.

fn hostile_inventory() -> PreparedInventory {
    let inv: Inventory = json::from_str(
        r#"{"warehouses": [{"id": "own-a", "kind": "own", "priority": 1, "country": "DE"},
                           {"id": "own-b", "kind": "own", "priority": 2, "country": "DE"}],
            "stock": [{"warehouse": "own-a", "sku": "A", "on_hand": 5},
                      {"warehouse": "own-b", "sku": "A", "on_hand": 10}],
            "channels": [{"id": "web"}]}"#,
        "inventory",
    )
    .unwrap();
    PreparedInventory::new(inv).unwrap()
}

fn hostile_order(id: &str) -> Order {
    json::from_str(
        &format!(
            r#"{{"id": "{id}", "channel": "web", "ship_to": {{"country": "DE"}},
                "lines": [{{"id": "1", "sku": "A", "qty": 2}}]}}"#
        ),
        "order",
    )
    .unwrap()
}

/// Every limit at the top of its range.
fn widest_limits() -> Limits {
    let top = |name: &str| Limits::RANGES.iter().find(|(n, ..)| *n == name).unwrap().2;
    Limits {
        max_operations: top("maxOperations"),
        max_order_operations: top("maxOrderOperations"),
        max_call_levels: top("maxCallLevels"),
        max_expr_depth: top("maxExprDepth"),
        max_function_expr_depth: top("maxFunctionExprDepth"),
        max_string_size: top("maxStringSize"),
        max_array_size: top("maxArraySize"),
        max_map_size: top("maxMapSize"),
        max_variables: top("maxVariables"),
        max_trace_notes: top("maxTraceNotes"),
        max_trace_bytes: top("maxTraceBytes"),
    }
}

/// `helpers` plus an `eligible` hook running `body` for the order `evil`: it must fail with
/// `code` and a message containing `says`, and the same router must route `good` from own-a.
fn hostile(helpers: &str, body: &str, code: &str, says: &str, limits: Limits) {
    let source = format!(
        "{helpers}\nfn eligible(order, w) {{\n  if order.id == \"evil\" {{\n    {body}\n  }}\n  true\n}}"
    );
    let options = RouterOptions {
        limits,
        ..RouterOptions::default()
    };
    let router = Router::new(&source, options).unwrap();
    let inv = hostile_inventory();
    for _ in 0..3 {
        let e = router.route(&hostile_order("evil"), &inv).unwrap_err();
        assert_eq!(e.code, code, "{source}\n{e}");
        assert!(e.diagnostics[0].message.contains(says), "{source}\n{e}");
        assert_eq!(e.diagnostics[0].hook.as_deref(), Some("eligible"));
        let plan = router.route(&hostile_order("good"), &inv).unwrap();
        assert_eq!(plan.shipments[0].warehouse, "own-a");
        assert_eq!(plan.shipments[0].lines[0].qty.to_string(), "2");
    }
}

#[wasm_bindgen_test]
fn data_nested_four_thousand_levels_deep_is_a_limit_error() {
    // 2,000 rounds of `[#{ x: a }]`: each array and map under its limit, 4,000 levels
    // together, which overflowed V8's stack when dropped.
    for limits in [Limits::default(), widest_limits()] {
        for body in [
            "let a = []; for i in 0..2000 { a = [#{ x: a }]; }",
            "let a = []; loop { a = [a]; }",
            "let a = #{}; loop { let b = #{}; b[\"x\"] = a; a = b; }",
            "let a = []; loop { let b = []; b.push(a); a = b; }",
            "let a = Fn(\"max\"); loop { a = Fn(\"max\").curry(a); }",
        ] {
            hostile("", body, "rule.limit", "levels deep", limits);
        }
    }
}

#[wasm_bindgen_test]
fn deep_recursion_with_deep_expressions_is_a_limit_error() {
    // With every limit at its top, 62 calls of a 20-deep expression ran out of the 1 MiB
    // stack ("memory access out of bounds") before `maxCallLevels` fired. Each recursion
    // here goes on until a limit stops it: the call depth or the stack budget.
    let nested = |depth: usize, open: &str, close: &str| {
        let mut e = "f(n - 1)".to_string();
        for _ in 0..depth {
            e = format!("{open}{e}{close}");
        }
        e
    };
    for (limits, adds, wraps) in [(Limits::default(), 12, 8), (widest_limits(), 24, 10)] {
        for helper in [
            "fn f(n) { f(n + 1) }".to_string(),
            format!(
                "fn f(n) {{ if n <= 0 {{ return 0; }} {} }}",
                nested(adds, "1 + (", ")")
            ),
            format!(
                "fn f(n) {{ if n <= 0 {{ return []; }} {} }}",
                nested(wraps, "[", "]")
            ),
            "fn f(n) { [n].map(|x| f(x + 1)) }".to_string(),
        ] {
            hostile(&helper, "return f(1000000) == 0;", "rule.limit", "", limits);
        }
    }
}

#[wasm_bindgen_test]
fn recursion_to_the_stack_bound_over_deep_data_is_a_limit_error() {
    // The worst case together: the interpreter at its stack bound, holding data nested to
    // its depth bound.
    // 12 nested additions per call: the stack budget, not `maxCallLevels`, ends it (release
    // and debug builds alike), with the 250-deep `a` copied into every call.
    let mut e = "f(n - 1, a)".to_string();
    for _ in 0..12 {
        e = format!("1 + ({e})");
    }
    let helper = format!("fn f(n, a) {{ if n <= 0 {{ return a.len(); }} {e} }}");
    hostile(
        &helper,
        "let a = []; for i in 0..250 { a = [a]; } return f(1000000, a) == 0;",
        "rule.limit",
        "stack",
        widest_limits(),
    );
}

#[wasm_bindgen_test]
fn functions_that_panicked_are_errors_in_webassembly() {
    for (body, code, says) in [
        ("return tan(PI() / 2) > 0;", "rule.runtime", "tan"),
        ("sleep(1);", "rule.runtime", "sleep"),
        ("let a = [1]; a.pad(4294967296, [1, 2]);", "rule.limit", "array"),
        ("let s = \"x\"; s.pad(10, \"\"); throw `padded ${s}`;", "rule.runtime", "padded x"),
        (
            "let a = []; for i in 0..50 { a.push((i * 7919) % 1009); } a.sort(|x, y| if (x + y) % 3 == 0 { 1 } else { -1 }); throw `sorted ${a.len()}`;",
            "rule.runtime",
            "sorted 50",
        ),
        (
            "let a = []; a.pad(1999, 7); for i in 0..12 { a = Fn(\"max\").curry(a).curry(a); }",
            "rule.limit",
            "maxArraySize",
        ),
        (
            "let s = \"x\"; s.pad(32000, \"x\"); let m = #{}; for i in 0..20000 { m[`k${i}`] = s + i; }",
            "rule.limit",
            "maxStringSize",
        ),
    ] {
        hostile("", body, code, says, Limits::default());
    }
}
