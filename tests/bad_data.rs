#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Bad input data: every malformed or inconsistent order and inventory is a `data.invalid`
//! error naming the offending field in `path`, through the same calls a host makes:
//! `stockroute::json::from_str` → `PreparedInventory::new` → `Router::route`.

use serde_json::{json, Value};
use stockroute::error::Result;
use stockroute::*;

fn good_inventory() -> Value {
    json!({
        "warehouses": [
            {"id": "own-a", "kind": "own", "priority": 1, "country": "DE"},
            {"id": "con-1", "kind": "consignment", "owner": "Shop 1", "priority": 2, "country": "DE",
             "forward": {"method": "email", "to": "shop1@example.com"}}
        ],
        "stock": [
            {"warehouse": "own-a", "sku": "A", "on_hand": 5},
            {"warehouse": "con-1", "sku": "B", "on_hand": 3}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    })
}

fn good_order() -> Value {
    json!({
        "id": "o1", "channel": "web", "ship_to": {"country": "DE"},
        "lines": [{"id": "1", "sku": "A", "qty": 2}, {"id": "2", "sku": "B", "qty": "1.5"}]
    })
}

/// The whole host pipeline on JSON text.
fn route_text(order: &str, inventory: &str) -> Result<Plan> {
    let inventory: Inventory = stockroute::json::from_str(inventory, "inventory")?;
    let inventory = PreparedInventory::new(inventory)?;
    let order: Order = stockroute::json::from_str(order, "order")?;
    Router::new("", RouterOptions::default())?.route(&order, &inventory)
}

fn route(order: &Value, inventory: &Value) -> Result<Plan> {
    route_text(&order.to_string(), &inventory.to_string())
}

/// Asserts a data error whose diagnostics include one at `path`; returns that diagnostic.
fn error_at(result: Result<Plan>, path: &str) -> Diagnostic {
    let e = match result {
        Ok(plan) => panic!("expected a data error at `{path}`, got a plan: {plan:?}"),
        Err(e) => e,
    };
    assert_eq!(e.code, "data.invalid", "{e}");
    assert!(
        e.diagnostics.iter().all(|d| d.code == "data.invalid"),
        "{e}"
    );
    assert!(!e.message.starts_with(char::is_uppercase), "{e}");
    e.diagnostics
        .iter()
        .find(|d| d.path.as_deref() == Some(path))
        .cloned()
        .unwrap_or_else(|| panic!("no diagnostic at `{path}` in: {e:#?}"))
}

/// `base` with the field at a JSON pointer set (added when missing).
fn with(mut base: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match base.pointer_mut(parent).unwrap() {
        Value::Object(m) => {
            m.insert(key.to_string(), value);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        other => panic!("cannot set `{key}` in {other}"),
    }
    base
}

#[test]
fn the_good_data_routes() {
    // Sanity check for every mutation below: A×2 from own-a and B×1.5 from con-1.
    let plan = route(&good_order(), &good_inventory()).unwrap();
    assert_eq!(plan.status, PlanStatus::Split);
    assert_eq!(plan.shipments.len(), 2);
}

#[test]
fn negative_quantity() {
    let d = error_at(
        route(
            &with(good_order(), "/lines/0/qty", json!(-2)),
            &good_inventory(),
        ),
        "lines[0].qty",
    );
    assert!(d.message.contains("`-2`"), "{d}");
    assert_eq!(d.order.as_deref(), Some("o1"));
}

#[test]
fn zero_quantity() {
    error_at(
        route(
            &with(good_order(), "/lines/1/qty", json!("0")),
            &good_inventory(),
        ),
        "lines[1].qty",
    );
}

#[test]
fn non_numeric_quantities() {
    for bad in [
        json!("two"),
        json!(true),
        json!(null),
        json!([1]),
        json!({"n": 1}),
        json!(""),
    ] {
        error_at(
            route(
                &with(good_order(), "/lines/0/qty", bad.clone()),
                &good_inventory(),
            ),
            "lines[0].qty",
        );
    }
}

#[test]
fn quantities_beyond_decimal_range() {
    // 1e30 is larger than any Decimal (about 7.9e28).
    for bad in [
        "1e30",
        "100000000000000000000000000000000",
        "-1e400",
        "1e400",
    ] {
        let order = good_order()
            .to_string()
            .replacen("\"qty\":2", &format!("\"qty\":{bad}"), 1);
        assert!(order.contains(bad));
        error_at(
            route_text(&order, &good_inventory().to_string()),
            "lines[0].qty",
        );
    }
}

#[test]
fn nan_and_infinity_are_not_quantities() {
    // Not JSON at all as bare words; as strings they are not decimals either.
    for bad in [
        "NaN",
        "Infinity",
        "-Infinity",
        "\"NaN\"",
        "\"Infinity\"",
        "\"inf\"",
    ] {
        let order = good_order()
            .to_string()
            .replacen("\"qty\":2", &format!("\"qty\":{bad}"), 1);
        error_at(
            route_text(&order, &good_inventory().to_string()),
            "lines[0].qty",
        );
    }
}

#[test]
fn negative_and_non_numeric_stock() {
    // `on_hand` may be negative (oversold: issue 10), but not beyond the quantity bound.
    error_at(
        route(
            &good_order(),
            &with(
                good_inventory(),
                "/stock/0/on_hand",
                json!("-1000000000000001"),
            ),
        ),
        "stock[0].on_hand",
    );
    error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/stock/1/reserved", json!("-0.5")),
        ),
        "stock[1].reserved",
    );
    error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/stock/0/on_hand", json!("lots")),
        ),
        "stock[0].on_hand",
    );
}

#[test]
fn unknown_sku() {
    let d = error_at(
        route(
            &with(good_order(), "/lines/1/sku", json!("NOPE")),
            &good_inventory(),
        ),
        "lines[1].sku",
    );
    assert!(d.message.contains("`NOPE`"), "{d}");
}

#[test]
fn unknown_warehouse_in_stock() {
    let d = error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/stock/1/warehouse", json!("ghost")),
        ),
        "stock[1].warehouse",
    );
    assert!(d.message.contains("`ghost`"), "{d}");
}

#[test]
fn unknown_channel() {
    let d = error_at(
        route(
            &with(good_order(), "/channel", json!("fax")),
            &good_inventory(),
        ),
        "channel",
    );
    assert!(d.message.contains("`fax`"), "{d}");
    assert!(
        d.help.as_deref().unwrap_or("").contains("`web`"),
        "known channels are listed"
    );
}

#[test]
fn unknown_channel_in_reservations() {
    let inv = with(good_inventory(), "/channels", json!([{"id": "web"}]));
    let mut inv = inv;
    inv["reservations"] = json!([{"channel": "fax", "sku": "A", "qty": 1}]);
    error_at(route(&good_order(), &inv), "reservations[0].channel");
}

#[test]
fn unknown_warehouse_kind() {
    error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/warehouses/0/kind", json!("borrowed")),
        ),
        "warehouses[0].kind",
    );
}

#[test]
fn duplicate_line_ids() {
    let order = with(good_order(), "/lines/1/id", json!("1"));
    let d = error_at(route(&order, &good_inventory()), "lines[1].id");
    assert!(d.message.contains("`1`"), "{d}");
}

#[test]
fn duplicate_warehouse_ids() {
    let inv = with(good_inventory(), "/warehouses/1/id", json!("own-a"));
    let d = error_at(route(&good_order(), &inv), "warehouses[1].id");
    assert!(d.message.contains("`own-a`"), "{d}");
}

#[test]
fn duplicate_stock_rows_and_channels() {
    let mut inv = good_inventory();
    inv["stock"]
        .as_array_mut()
        .unwrap()
        .push(json!({"warehouse": "own-a", "sku": "A", "on_hand": 1}));
    inv["channels"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "web"}));
    let result = route(&good_order(), &inv);
    let e = result.as_ref().unwrap_err().clone();
    error_at(result, "stock[2]");
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.path.as_deref() == Some("channels[1].id")),
        "{e}"
    );
}

#[test]
fn every_inventory_problem_is_reported_at_once() {
    let mut inv = good_inventory();
    inv["stock"][0]["reserved"] = json!(-1);
    inv["stock"][1]["warehouse"] = json!("ghost");
    inv["warehouses"][1]
        .as_object_mut()
        .unwrap()
        .remove("forward");
    let e = route(&good_order(), &inv).unwrap_err();
    let paths: Vec<_> = e
        .diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    for p in [
        "stock[0].reserved",
        "stock[1].warehouse",
        "warehouses[1].forward",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
}

#[test]
fn missing_fields_are_named() {
    // A missing field is reported at its parent object; the message names the field.
    for (pointer, field, path) in [
        ("", "lines", None),
        ("", "ship_to", None),
        ("", "channel", None),
        ("/lines/0", "sku", Some("lines[0]")),
        ("/lines/1", "qty", Some("lines[1]")),
        ("/ship_to", "country", Some("ship_to")),
    ] {
        let mut order = good_order();
        order
            .pointer_mut(pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(field);
        let e = route(&order, &good_inventory()).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.code, "data.invalid");
        assert!(d.message.contains(&format!("`{field}`")), "{d}");
        assert_eq!(d.path.as_deref(), path, "{d}");
    }
}

#[test]
fn wrong_types_are_named() {
    for (pointer, value, path) in [
        ("/lines", json!({"id": "1"}), "lines"),
        ("/channel", json!(7), "channel"),
        ("/lines/0/id", json!(1), "lines[0].id"),
        ("/lines/0/tags", json!("fragile"), "lines[0].tags"),
        ("/customer", json!({"type": "robot"}), "customer.type"),
        (
            "/ship_to/location",
            json!({"lat": "north", "lon": 1}),
            "ship_to.location.lat",
        ),
    ] {
        error_at(
            route(&with(good_order(), pointer, value), &good_inventory()),
            path,
        );
    }
    error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/warehouses/0/priority", json!("high")),
        ),
        "warehouses[0].priority",
    );
    error_at(
        route(
            &good_order(),
            &with(good_inventory(), "/warehouses/0/enabled", json!("yes")),
        ),
        "warehouses[0].enabled",
    );
}

#[test]
fn out_of_range_locations() {
    error_at(
        route(
            &with(
                good_order(),
                "/ship_to/location",
                json!({"lat": 91, "lon": 0}),
            ),
            &good_inventory(),
        ),
        "ship_to.location.lat",
    );
    error_at(
        route(
            &good_order(),
            &with(
                good_inventory(),
                "/warehouses/0/location",
                json!({"lat": 0, "lon": -181}),
            ),
        ),
        "warehouses[0].location.lon",
    );
}

#[test]
fn empty_orders() {
    error_at(
        route(&with(good_order(), "/lines", json!([])), &good_inventory()),
        "lines",
    );
    error_at(
        route(&with(good_order(), "/id", json!("  ")), &good_inventory()),
        "id",
    );
    error_at(
        route(
            &with(good_order(), "/lines/0/id", json!("")),
            &good_inventory(),
        ),
        "lines[0].id",
    );
    for text in ["{}", "", "   ", "null", "[]", "\"order\""] {
        let e = route_text(text, &good_inventory().to_string()).unwrap_err();
        assert_eq!(e.code, "data.invalid", "{text:?}: {e}");
    }
}

#[test]
fn malformed_json() {
    for text in [
        "{\"id\": \"o1\",",
        "{\"id\": 'o1'}",
        "{\"id\": \"o1\"} trailing",
        "{\"id\": \"o1\",}",
        "\u{feff}{}",
    ] {
        let e = route_text(text, &good_inventory().to_string()).unwrap_err();
        assert_eq!(e.code, "data.invalid", "{text:?}: {e}");
        assert!(e.message.contains("line "), "position given: {e}");
    }
}

#[test]
fn invalid_unicode_escapes_are_named() {
    // JSON text is always UTF-8 by the time it is a `&str`; broken text arrives as escapes
    // of unpaired surrogates, which cannot become Rust strings.
    let order = good_order()
        .to_string()
        .replacen("\"sku\":\"A\"", "\"sku\":\"\\udc00A\"", 1);
    error_at(
        route_text(&order, &good_inventory().to_string()),
        "lines[0].sku",
    );
    let order = good_order()
        .to_string()
        .replacen("\"id\":\"o1\"", "\"id\":\"\\ud800\"", 1);
    error_at(route_text(&order, &good_inventory().to_string()), "id");
}

#[test]
fn non_utf8_bytes_decoded_lossily_are_unknown_skus() {
    // A host that decodes bytes lossily passes U+FFFD through; it must be named as data,
    // not crash anything.
    let bytes = good_order()
        .to_string()
        .replacen("\"sku\":\"A\"", "\"sku\":\"A\u{1}\"", 1);
    let mut raw = bytes.into_bytes();
    let at = raw.iter().position(|&b| b == 1).unwrap();
    raw[at] = 0xff;
    assert!(std::str::from_utf8(&raw).is_err());
    let text = String::from_utf8_lossy(&raw);
    error_at(
        route_text(&text, &good_inventory().to_string()),
        "lines[0].sku",
    );
}

#[test]
fn deeply_nested_attributes_are_rejected_not_overflowing() {
    let depth = 100_000;
    let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let order = good_order().to_string().replacen(
        "\"id\":\"o1\"",
        &format!("\"id\":\"o1\",\"attributes\":{{\"x\":{nested}}}"),
        1,
    );
    let e = route_text(&order, &good_inventory().to_string()).unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert!(e.message.contains("recursion"), "{e}");
}

#[test]
fn ten_megabyte_order_with_a_huge_attribute_routes() {
    // Size alone is not an error: a 10 MB attribute is carried along, and routing still
    // decides from lines and stock.
    let mut order = good_order();
    order["attributes"] = json!({ "note": "x".repeat(10 * 1024 * 1024) });
    let plan = route(&order, &good_inventory()).unwrap();
    assert_eq!(plan.shipments.len(), 2);
}

#[test]
fn ten_megabyte_order_of_bad_lines_names_them() {
    // 180,000 lines, every one for an unknown SKU: a data error naming lines, not a hang.
    let lines: Vec<Value> = (0..180_000)
        .map(|i| json!({"id": format!("line-{i:06}"), "sku": format!("UNKNOWN-SKU-{i:08}"), "qty": 1}))
        .collect();
    let order = with(good_order(), "/lines", Value::Array(lines));
    let text = order.to_string();
    assert!(text.len() >= 10_000_000, "{} bytes", text.len());
    let result = route_text(&text, &good_inventory().to_string());
    error_at(result, "lines[179999].sku");
}

#[test]
fn a_router_keeps_working_after_bad_data() {
    let router = Router::new("", RouterOptions::default()).unwrap();
    let inv = PreparedInventory::new(
        stockroute::json::from_str(&good_inventory().to_string(), "inventory").unwrap(),
    )
    .unwrap();
    for bad in [
        with(good_order(), "/lines/0/qty", json!(-1)),
        with(good_order(), "/channel", json!("fax")),
        with(good_order(), "/lines/1/sku", json!("NOPE")),
        with(good_order(), "/lines", json!([])),
    ] {
        let order: Order = stockroute::json::from_str(&bad.to_string(), "order").unwrap();
        assert_eq!(router.route(&order, &inv).unwrap_err().code, "data.invalid");
        let good: Order = stockroute::json::from_str(&good_order().to_string(), "order").unwrap();
        assert_eq!(router.route(&good, &inv).unwrap().shipments.len(), 2);
    }
}
