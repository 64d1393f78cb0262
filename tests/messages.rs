#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Errors in the user's words, and numbers read exactly.
//!
//! Every error-producing case gathered here (bad data, broken JSON, bad rules, rule runtime
//! errors) must produce messages and help without Rust or Rhai internals; the rewritten
//! messages say what was wrong, where, and what was expected. Quantities are never rounded:
//! an input with more digits than the engine keeps is an error naming the field.

use serde_json::{json, Value};
use stockroute::error::Result;
use stockroute::*;

/// Words that only make sense to someone who has read the engine's source.
const INTERNALS: [&str; 14] = [
    "ImmutableString",
    "i64",
    "Decimal type",
    "expected ident",
    "&str",
    "rust_decimal",
    "alloc::",
    "core::",
    "invalid type:",
    "unknown variant",
    "a sequence",
    "struct ",
    "Function not found",
    "function not found",
];

fn inventory() -> Value {
    json!({
        "warehouses": [
            {"id": "own-a", "kind": "own", "priority": 1, "country": "DE",
             "location": {"lat": 52.5, "lon": 13.4}},
            {"id": "con-1", "kind": "consignment", "owner": "Shop 1", "priority": 2, "country": "DE",
             "terms": {"pro_forma": false, "prices": {"B": "9.90"}}, "forward": {"method": "email", "to": "shop1@example.com"}}
        ],
        "stock": [
            {"warehouse": "own-a", "sku": "A", "on_hand": 5, "reserved": 0, "safety": 0},
            {"warehouse": "con-1", "sku": "B", "on_hand": 3}
        ],
        "channels": [{"id": "web", "include_consignment": true, "safety": 0}],
        "reservations": [{"channel": "web", "sku": "A", "qty": 0}],
        "products": [{"sku": "B", "unit_value": "4.50"}]
    })
}

fn order() -> Value {
    json!({
        "id": "o1", "channel": "web", "customer": {"type": "b2c"}, "ship_to": {"country": "DE", "location": {"lat": 52, "lon": 13}},
        "lines": [{"id": "1", "sku": "A", "qty": 2, "unit_price": 10}, {"id": "2", "sku": "B", "qty": "1.5"}]
    })
}

/// `base` with the field at a JSON pointer set (added to its object when missing).
fn set(mut base: Value, pointer: &str, value: Value) -> Value {
    if let Some(slot) = base.pointer_mut(pointer) {
        *slot = value;
        return base;
    }
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    base.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .insert(key.to_string(), value);
    base
}

/// The whole host pipeline on JSON text.
fn route_text(order: &str, inventory: &str) -> Result<Plan> {
    let inventory: Inventory = stockroute::json::from_str(inventory, "inventory")?;
    let inventory = PreparedInventory::new(inventory)?;
    let order = stockroute::json::order_from_str(order)?;
    Router::new("", RouterOptions::default())?.route(&order, &inventory)
}

fn route(order: &Value, inventory: &Value) -> Result<Plan> {
    route_text(&order.to_string(), &inventory.to_string())
}

/// The primary diagnostic of a failed call.
fn primary(result: Result<Plan>) -> Diagnostic {
    match result {
        Ok(plan) => panic!("expected an error, got {plan:?}"),
        Err(e) => e.diagnostics[0].clone(),
    }
}

fn assert_plain(d: &Diagnostic, case: &str) {
    for text in std::iter::once(&d.message).chain(d.help.as_ref()) {
        for word in INTERNALS {
            assert!(
                !text.contains(word),
                "{case}: `{word}` in {text:?} (diagnostic {d:?})"
            );
        }
        assert!(
            !text.starts_with(char::is_uppercase),
            "{case}: not lowercase: {text:?}"
        );
    }
}

// ---- the error suites --------------------------------------------------------------------

/// Bad data: every field replaced by values of the wrong kind, plus broken JSON text.
fn data_errors() -> Vec<(String, StockrouteError)> {
    let mut out = Vec::new();
    let wrong = [
        json!("lots"),
        json!(true),
        json!(null),
        json!([1]),
        json!({"n": 1}),
        json!(""),
        json!(-1),
        json!(1.5),
        json!("1_0"),
        json!("1.999999999999999999999999999999"),
    ];
    let order_fields = [
        "/id",
        "/channel",
        "/currency",
        "/customer",
        "/customer/type",
        "/ship_to",
        "/ship_to/country",
        "/ship_to/location",
        "/ship_to/location/lat",
        "/lines",
        "/lines/0",
        "/lines/0/id",
        "/lines/0/sku",
        "/lines/0/qty",
        "/lines/0/unit_price",
        "/lines/1/tags",
        "/attributes",
    ];
    let inventory_fields = [
        "/warehouses",
        "/warehouses/0/kind",
        "/warehouses/0/priority",
        "/warehouses/0/enabled",
        "/warehouses/0/location/lon",
        "/warehouses/1/forward",
        "/warehouses/1/forward/method",
        "/warehouses/1/terms",
        "/stock/0/on_hand",
        "/stock/0/reserved",
        "/stock/0/safety",
        "/stock/0/status",
        "/channels/0/safety",
        "/channels/0/include_consignment",
        "/reservations/0/qty",
    ];
    for field in order_fields {
        for value in &wrong {
            if let Err(e) = route(&set(order(), field, value.clone()), &inventory()) {
                out.push((format!("order {field} = {value}"), e));
            }
        }
    }
    for field in inventory_fields {
        for value in &wrong {
            if let Err(e) = route(&order(), &set(inventory(), field, value.clone())) {
                out.push((format!("inventory {field} = {value}"), e));
            }
        }
    }
    for text in [
        "",
        "   ",
        "{",
        "{\"id\": \"o1\",",
        "{\"id\": 'o1'}",
        "{\"id\": tru}",
        "{\"id\": nul}",
        "{id: 1}",
        "{\"id\": \"o1\"} trailing",
        "{\"id\": \"o1\",}",
        "[1, 2,]",
        "\u{feff}{}",
        "{\"id\": \"\\ud800\"}",
        "{\"id\": \"a\u{1}b\"}",
        "{\"id\": \"o1\", \"lines\": [{\"qty\": 1e}]}",
        "{\"id\": \"\\x\"}",
        "null",
        "[]",
        "\"order\"",
        "7",
    ] {
        if let Err(e) = route_text(text, &inventory().to_string()) {
            out.push((format!("order text {text:?}"), e));
        }
    }
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let text = order().to_string().replacen(
        "\"id\":\"o1\"",
        &format!("\"id\":\"o1\",\"attributes\":{{\"x\":{deep}}}"),
        1,
    );
    out.push((
        "deep attributes".into(),
        route_text(&text, &inventory().to_string()).unwrap_err(),
    ));
    out
}

/// Rule bodies that fail at run time, each as the body of `rank(o, w)`.
const RUNTIME_BODIES: [&str; 30] = [
    r#""a" - 1"#,
    r#"1 - "a""#,
    r#"[1] + 1.5"#,
    r#"#{a:1} * 2"#,
    r#"foo(1, "x")"#,
    r#"w.prio"#,
    r#"o.lines[5]"#,
    r#"let x = 1; x.foo"#,
    r#"let a = [1]; a["x"]"#,
    r#"o.id.len() / 0"#,
    r#"let x = 1.5; x[0]"#,
    r#"o.lines[0].qty.floor("a")"#,
    r#""x" * 2"#,
    r#"let f = Fn("abc"); f.call()"#,
    r#"w.id.sub_string(1, "a")"#,
    r#"true + 1"#,
    r#"'c' + 1"#,
    r#"parse_int("x")"#,
    r#"to_decimal("x")"#,
    r#""abc"[10]"#,
    r#"() + 1"#,
    r#"-"a""#,
    r#"!1"#,
    r#"o.ship_to.country.len() + o.customer"#,
    r#"let m = #{}; m.x.y"#,
    r#"o.lines.map(|l| l.qty + "x")"#,
    r#"let s = "a"; s.pad(3, 4)"#,
    r#"w.tags[0] - 1"#,
    r#"o.lines[0] < 1"#,
    r#"1.5 ** "x""#,
];

/// Rule sources that do not compile.
const BROKEN_SOURCES: [&str; 16] = [
    "fn rank(o, w) { let = 1 }",
    "fn rank(o w) { 1 }",
    "fn rank(o, w) { 1 +* 2 }",
    "fn rank(o, w) { x.1 }",
    "fn rank(o, w) { \"abc }",
    "fn rank(o, w) { #{ 1: 2 } }",
    "fn rank(o, w) { let x = [1,; }",
    "fn (o) {}",
    "fn rank(o, w) { 1 } fn rank(o, w) { 2 }",
    "fn rank(o, w) { import \"x\" as y; }",
    "fn rank(o, w) { 5 = 6 }",
    "fn rank(o, w) { o. }",
    "fn rank(o, w) { if x {} else }",
    "fn rank(o, w) { for i in 5 { } 1 }",
    "fn rank(o, w) { if 1 { 1 } else { 2 } }",
    "fn rank(o) { 1 }",
];

fn small_inventory() -> PreparedInventory {
    PreparedInventory::new(serde_json::from_value(inventory()).unwrap()).unwrap()
}

fn small_order() -> Order {
    serde_json::from_value(order()).unwrap()
}

fn rule_errors() -> Vec<(String, StockrouteError)> {
    let mut out = Vec::new();
    let inv = small_inventory();
    for body in RUNTIME_BODIES {
        let rules = format!("fn rank(o, w) {{ {body} }}");
        // Some mistakes are caught when compiling (unknown properties of model objects),
        // the rest when the hook runs; either way the message is checked.
        let e = match Router::new(&rules, RouterOptions::default()) {
            Err(e) => e,
            Ok(router) => router
                .route(&small_order(), &inv)
                .expect_err(&format!("{rules} should fail")),
        };
        out.push((rules, e));
    }
    for src in BROKEN_SOURCES {
        out.push((
            src.to_string(),
            Router::new(src, RouterOptions::default()).unwrap_err(),
        ));
        let report = check(src, Some("r.rhai"));
        assert!(!report.ok, "{src}");
        out.push((
            format!("check {src}"),
            StockrouteError::from_diagnostics(report.diagnostics),
        ));
    }
    out
}

#[test]
fn no_message_or_help_names_rust_or_rhai_internals() {
    let data = data_errors();
    let rules = rule_errors();
    assert!(data.len() > 200, "only {} data errors gathered", data.len());
    assert_eq!(rules.len(), RUNTIME_BODIES.len() + 2 * BROKEN_SOURCES.len());
    for (case, e) in data.iter().chain(&rules) {
        assert!(!e.diagnostics.is_empty(), "{case}");
        for d in &e.diagnostics {
            assert_plain(d, case);
        }
        assert_plain(
            &Diagnostic::new(e.code, e.message.clone()),
            &format!("{case} (top-level message)"),
        );
    }
}

// ---- rewritten data messages -------------------------------------------------------------

#[test]
fn a_wrong_quantity_says_what_a_quantity_looks_like() {
    let d = primary(route(
        &set(order(), "/lines/0/qty", json!("lots")),
        &inventory(),
    ));
    assert_eq!(d.code, "data.invalid");
    assert_eq!(d.path.as_deref(), Some("lines[0].qty"));
    assert!(
        d.message
            .contains("`lines[0].qty` must be a number such as `2` or `\"2.5\"`, got `\"lots\"`"),
        "{}",
        d.message
    );
    assert!(d
        .help
        .as_deref()
        .unwrap_or("")
        .contains("28 decimal places"));
    for (value, got) in [
        (json!(true), "got `true`"),
        (json!(null), "got `null`"),
        (json!({"n": 1}), "got an object"),
        (json!([2]), "got an array"),
    ] {
        let d = primary(route(
            &set(order(), "/lines/0/qty", value.clone()),
            &inventory(),
        ));
        assert!(
            d.message.contains("must be a number"),
            "{value}: {}",
            d.message
        );
        assert!(d.message.contains(got), "{value}: {}", d.message);
    }
}

#[test]
fn wrong_kinds_and_names_are_described_in_json_terms() {
    let d = primary(route(
        &set(order(), "/lines/0/id", json!({"a": 1})),
        &inventory(),
    ));
    assert!(
        d.message
            .contains("`lines[0].id` must be a string, got an object"),
        "{}",
        d.message
    );
    let d = primary(route(
        &order(),
        &set(inventory(), "/warehouses/0/kind", json!("shop")),
    ));
    assert_eq!(d.path.as_deref(), Some("warehouses[0].kind"));
    assert!(
        d.message
            .contains("`warehouses[0].kind` must be `own` or `consignment`, got `\"shop\"`"),
        "{}",
        d.message
    );
    let d = primary(route(
        &order(),
        &set(inventory(), "/warehouses/0/priority", json!("high")),
    ));
    assert!(
        d.message
            .contains("`warehouses[0].priority` must be a whole number, got `\"high\"`"),
        "{}",
        d.message
    );
    let d = primary(route(&set(order(), "/lines", json!({})), &inventory()));
    assert!(
        d.message
            .contains("`lines` must be an array, got an object"),
        "{}",
        d.message
    );
    let mut missing = order();
    missing.as_object_mut().unwrap().remove("channel");
    let d = primary(route(&missing, &inventory()));
    assert!(
        d.message
            .contains("the order is missing the required field `channel`"),
        "{}",
        d.message
    );
}

#[test]
fn broken_json_is_described_with_its_position() {
    let inv = inventory().to_string();
    for (text, expected) in [
        (
            "{\"id\": tru}",
            "expected `true`, `false` or `null` at line 1 column",
        ),
        (
            "{id: 1}",
            "an object key must be a string in double quotes at line 1 column 2",
        ),
        ("{\"id\": \"o1\",}", "a comma before a closing bracket"),
        (
            "{\"id\": \"o1\",",
            "the text ends where a value was expected",
        ),
        (
            "{\"id\": 'o1'}",
            "expected a value (a string in double quotes",
        ),
    ] {
        let d = primary(route_text(text, &inv));
        assert_eq!(d.code, "data.invalid");
        assert!(d.message.starts_with("invalid order: "), "{}", d.message);
        assert!(d.message.contains(expected), "{text}: {}", d.message);
    }
    let d = primary(route_text("\u{feff}{}", &inv));
    assert!(
        d.help.as_deref().unwrap_or("").contains("byte-order mark"),
        "{d:?}"
    );
}

#[test]
fn a_failed_order_is_named_whenever_its_id_is_readable() {
    let inv = inventory().to_string();
    for (text, id) in [
        (r#"{"id": "o7", "lines": "x"}"#, Some("o7")),
        (r#"{"lines": 5, "id": "o8", "channel": "web"}"#, Some("o8")),
        (r#"{"id": "o9", "lines": ["#, Some("o9")),
        (r#"{"channel": "web", "id": "o10""#, Some("o10")),
        (r#"{"lines": [, "id": "o11"}"#, None),
        (r#"{"id": 12, "lines": []}"#, None),
        ("[]", None),
    ] {
        let e = route_text(text, &inv).unwrap_err();
        assert_eq!(e.code, "data.invalid", "{text}");
        assert_eq!(e.diagnostics[0].order.as_deref(), id, "{text}: {e}");
    }
    assert_eq!(
        stockroute::json::order_id(r#"{"channel": "web", "id": "x"}"#).as_deref(),
        Some("x")
    );
}

// ---- rewritten rule messages -------------------------------------------------------------

fn rule_message(body: &str) -> Diagnostic {
    let rules = format!("fn rank(o, w) {{ {body} }}");
    Router::new(&rules, RouterOptions::default())
        .unwrap()
        .route(&small_order(), &small_inventory())
        .unwrap_err()
        .diagnostics
        .remove(0)
}

#[test]
fn operator_errors_name_the_operation_and_the_kinds() {
    for (body, expected) in [
        (r#""a" - 1"#, "cannot subtract a number from a string"),
        (r#"1 - "a""#, "cannot subtract a string from a number"),
        (r#"[1] + 1.5"#, "cannot add a number to an array"),
        (r#"#{a:1} * 2"#, "cannot multiply a map by a number"),
        (r#"!1"#, "`!` needs a boolean, got a number"),
        (
            r#"foo(1, "x")"#,
            "no function `foo` that takes (a number, a string)",
        ),
        (r#"let x = 1; x.foo"#, "no property `foo` on a number"),
        (
            r#"let a = [1]; a["x"]"#,
            "wrong type: expected a number, got a string",
        ),
    ] {
        let d = rule_message(body);
        assert_eq!(d.code, "rule.runtime", "{body}");
        assert_eq!(d.message, expected, "{body}");
        assert_eq!(d.hook.as_deref(), Some("rank"), "{body}");
        assert_eq!(d.line, Some(1), "{body}");
    }
    let d = rule_message(r#""a" - 1"#);
    assert!(
        d.help.as_deref().unwrap_or("").contains("parse_decimal(s)"),
        "{d:?}"
    );
}

// ---- numbers ------------------------------------------------------------------------------

#[test]
fn quantities_with_more_than_28_decimal_places_are_rejected_not_rounded() {
    // Read through an f64 this would be 2, and 2 would ship: more than was ordered.
    for qty in [
        json!("1.999999999999999999999999999999"),
        Value::Number(serde_json::from_str("1.999999999999999999999999999999").unwrap()),
    ] {
        let text = set(order(), "/lines/0/qty", json!(0)).to_string().replacen(
            "\"qty\":0",
            &format!("\"qty\":{}", raw(&qty)),
            1,
        );
        let d = primary(route_text(&text, &inventory().to_string()));
        assert_eq!(d.code, "data.invalid", "{qty}");
        assert_eq!(d.path.as_deref(), Some("lines[0].qty"), "{qty}");
        assert!(
            d.message.contains("at most 28 decimal places"),
            "{}",
            d.message
        );
        assert!(
            d.help.as_deref().unwrap_or("").contains("never rounds"),
            "{d:?}"
        );
    }
}

/// The JSON text of a value, keeping a number's own digits.
fn raw(v: &Value) -> String {
    match v {
        Value::Number(_) => "1.999999999999999999999999999999".to_string(),
        other => other.to_string(),
    }
}

#[test]
fn every_decimal_field_reads_exactly_or_rejects() {
    let order_fields = [
        ("/lines/0/qty", "lines[0].qty"),
        ("/lines/0/unit_price", "lines[0].unit_price"),
        ("/ship_to/location/lat", "ship_to.location.lat"),
    ];
    let inventory_fields = [
        ("/stock/0/on_hand", "stock[0].on_hand"),
        ("/stock/0/reserved", "stock[0].reserved"),
        ("/stock/0/safety", "stock[0].safety"),
        ("/channels/0/safety", "channels[0].safety"),
        ("/reservations/0/qty", "reservations[0].qty"),
        ("/warehouses/0/location/lon", "warehouses[0].location.lon"),
        (
            "/warehouses/1/terms/prices/B",
            "warehouses[1].terms.prices.B",
        ),
        ("/products/0/unit_value", "products[0].unit_value"),
    ];
    for bad in [
        "\"1_0\"",
        "\"\"",
        "\"+1\"",
        "\" 1\"",
        "\".5\"",
        "\"NaN\"",
        "\"Infinity\"",
        "\"1e400\"",
        "1e400",
        "\"0.00000000000000000000000000001\"",
        "0.00000000000000000000000000001",
    ] {
        for (pointer, path) in order_fields {
            let text = with_raw(order(), pointer, bad);
            let d = primary(route_text(&text, &inventory().to_string()));
            assert_eq!(d.path.as_deref(), Some(path), "{bad} at {pointer}: {d:?}");
            assert_eq!(d.order.as_deref(), Some("o1"), "{bad} at {pointer}");
        }
        for (pointer, path) in inventory_fields {
            let text = with_raw(inventory(), pointer, bad);
            let e = route_text(&order().to_string(), &text).unwrap_err();
            assert_eq!(
                e.diagnostics[0].path.as_deref(),
                Some(path),
                "{bad} at {pointer}: {e}"
            );
        }
    }
}

/// `base` as JSON text with the value at `pointer` replaced by the raw JSON `value`.
fn with_raw(base: Value, pointer: &str, value: &str) -> String {
    let marker = "\"__RAW__\"";
    set(base, pointer, json!("__RAW__"))
        .to_string()
        .replacen(marker, value, 1)
}

#[test]
fn exact_quantities_ship_exactly() {
    // 28 decimal places is what the engine keeps: accepted and shipped digit for digit.
    let qty = "1.9999999999999999999999999999";
    for raw_qty in [format!("\"{qty}\""), qty.to_string()] {
        let text = with_raw(order(), "/lines/0/qty", &raw_qty);
        let plan = route_text(&text, &inventory().to_string()).unwrap();
        let line = plan
            .shipments
            .iter()
            .flat_map(|s| &s.lines)
            .find(|l| l.line == "1")
            .unwrap();
        assert_eq!(line.qty.to_string(), qty, "{raw_qty}");
    }
    // Exponents and trailing zeros are exact too: 25e-1 is 2.5, "2.50" is 2.5.
    for raw_qty in [
        "25e-1",
        "\"2.50\"",
        "\"25E-1\"",
        "2.5000000000000000000000000000000000",
    ] {
        let text = with_raw(order(), "/lines/0/qty", raw_qty);
        let plan = route_text(&text, &inventory().to_string()).unwrap();
        let shipped: Vec<String> = plan
            .shipments
            .iter()
            .flat_map(|s| &s.lines)
            .filter(|l| l.line == "1")
            .map(|l| l.qty.normalize().to_string())
            .collect();
        assert_eq!(shipped, ["2.5"], "{raw_qty}");
    }
}

#[test]
fn values_from_already_parsed_json_follow_the_same_rules() {
    // `from_value` sees f64s, not digits: 0.1 is read as the 0.1 JavaScript prints.
    let o: Order =
        stockroute::json::from_value(set(order(), "/lines/0/qty", json!(0.1)), "order").unwrap();
    assert_eq!(o.lines[0].qty.to_string(), "0.1");
    let e =
        stockroute::json::from_value::<Order>(set(order(), "/lines/0/qty", json!("1_0")), "order")
            .unwrap_err();
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("lines[0].qty"));
    assert!(e.message.contains("must be a number such as"), "{e}");
}

// ---- the error object --------------------------------------------------------------------

#[test]
fn the_serialized_error_carries_every_diagnostic_field_at_top_level() {
    let mut d = Diagnostic::new("rule.runtime", "boom")
        .with_help("fix it")
        .with_path("lines[0].qty")
        .with_hook("rank")
        .with_line_id("1")
        .with_warehouse("W");
    d.rule = Some("r.rhai".into());
    d.order = Some("o1".into());
    d.set_position(Some((3, 4, 5)));
    let e = StockrouteError::from(d.clone());
    let value = serde_json::to_value(&e).unwrap();
    let fields = serde_json::to_value(&d).unwrap();
    for (key, v) in fields.as_object().unwrap() {
        if key != "message" {
            assert_eq!(&value[key], v, "{key}");
        }
    }
    // The top-level message is the full one, with rule, position and hook.
    assert_eq!(
        value["message"],
        "r.rhai:3:4: in `rank`: boom (at `lines[0].qty`)"
    );
    assert_eq!(value["diagnostics"][0]["message"], "boom");
    assert_eq!(value["columnUtf16"], 5);
    assert_eq!(value["orderLine"], "1");
}

mod exact_numbers {
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;
    use stockroute::decimal::{parse, NumberError};

    proptest! {
        /// Plain decimals that fit are read to the same value and scale `rust_decimal` reads.
        #[test]
        fn plain_decimals_read_exactly(
            negative: bool,
            int in "[0-9]{1,15}",
            frac in proptest::option::of("[0-9]{1,13}"),
        ) {
            let text = format!(
                "{}{int}{}",
                if negative { "-" } else { "" },
                frac.as_ref().map(|f| format!(".{f}")).unwrap_or_default()
            );
            let expected = Decimal::from_str(&text).unwrap();
            let got = parse(&text).unwrap();
            prop_assert_eq!(got, expected);
            prop_assert_eq!(got.scale(), expected.scale());
        }

        /// An exponent shifts the decimal point and nothing else.
        #[test]
        fn exponents_shift_exactly(mantissa in "[1-9][0-9]{0,9}", exp in -15i32..15) {
            let shifted = parse(&format!("{mantissa}e{exp}")).unwrap();
            let ten = Decimal::from(10);
            let mut expected = Decimal::from_str(&mantissa).unwrap();
            for _ in 0..exp.unsigned_abs() {
                expected = if exp > 0 { expected * ten } else { expected / ten };
            }
            prop_assert_eq!(shifted, expected);
        }

        /// More than 28 significant decimal places is refused, whatever the digits.
        #[test]
        fn too_precise_is_refused(int in "[0-9]{1,3}", frac in "[0-9]{28}[1-9]") {
            prop_assert_eq!(parse(&format!("{int}.{frac}")), Err(NumberError::TooPrecise));
        }

        /// Any text at all: a value or an error, never a panic.
        #[test]
        fn any_text_is_a_value_or_an_error(text in "\\PC{0,40}", digits in "[-+.eE0-9_ ]{0,40}") {
            let _ = parse(&text);
            let _ = parse(&digits);
        }
    }
}
