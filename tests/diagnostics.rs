#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Compile errors, runtime errors, wrong return types and sandbox limits: each a structured
//! diagnostic with code, hook and script position (also in UTF-16 for browser editors).

mod common;
use common::*;
use serde_json::json;
use stockroute::*;

fn compile_err(src: &str) -> StockrouteError {
    Router::new(
        src,
        RouterOptions {
            name: Some("r.rhai".into()),
            ..Default::default()
        },
    )
    .unwrap_err()
}

fn route_err(src: &str) -> Diagnostic {
    router(src)
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap_err()
        .diagnostics
        .remove(0)
}

#[test]
fn syntax_error_has_line_and_column() {
    // Line 2 is `  let x = ;`: the stray `;` is the 11th character.
    let e = compile_err("fn rank(order, w) {\n  let x = ;\n  1\n}");
    let d = e.primary().unwrap();
    assert_eq!(d.code, "rule.syntax");
    assert_eq!(
        (d.line, d.column, d.column_utf16),
        (Some(2), Some(11), Some(11))
    );
    assert_eq!(d.rule.as_deref(), Some("r.rhai"));
    assert!(
        d.message.starts_with(|c: char| c.is_lowercase()),
        "{}",
        d.message
    );
}

#[test]
fn utf16_column_counts_surrogate_pairs() {
    // `😀` is one character but two UTF-16 code units: the `;` at character 24 is at
    // UTF-16 column 25, which is what a browser editor needs to underline it.
    let e = compile_err("fn rank(order, w) {\n  let s = \"😀\"; let y = ;\n  1\n}");
    let d = e.primary().unwrap();
    assert_eq!(
        (d.line, d.column, d.column_utf16),
        (Some(2), Some(24), Some(25))
    );
}

#[test]
fn undefined_variable_is_a_compile_error() {
    let e = compile_err("fn rank(order, w) {\n  w.priority + bonus\n}");
    let d = e.primary().unwrap();
    assert_eq!(d.code, "rule.syntax");
    assert!(d.message.contains("bonus"), "{}", d.message);
    assert_eq!(d.line, Some(2));
}

#[test]
fn eval_is_disabled() {
    let e = compile_err("fn rank(order, w) { eval(\"1\") }");
    assert_eq!(e.code, "rule.syntax");
    assert!(e.message.contains("eval"));
}

#[test]
fn wrong_hook_arity_is_reported_at_the_function() {
    let e = compile_err("// ranks\nfn rank(order) { 1 }");
    let d = e.primary().unwrap();
    assert_eq!(d.code, "rule.signature");
    assert_eq!(d.hook.as_deref(), Some("rank"));
    assert_eq!((d.line, d.column), (Some(2), Some(1)));
    assert!(
        d.message.contains("takes 2 parameters (order, warehouse)"),
        "{}",
        d.message
    );
}

#[test]
fn runtime_error_points_inside_the_called_function() {
    // `w.nope` on line 1: `nope` starts at column 18.
    let d = route_err("fn helper(w) { w.nope }\nfn rank(order, w) { helper(w) }");
    assert_eq!(d.code, "rule.runtime");
    assert_eq!(d.hook.as_deref(), Some("rank"));
    assert_eq!((d.line, d.column), (Some(1), Some(18)));
    assert!(d.message.contains("nope"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or("").contains("helper"));
    assert_eq!(d.order.as_deref(), Some("o-1"));
    assert!(d.warehouse.is_some());
}

#[test]
fn wrong_return_types_say_what_was_expected() {
    let d = route_err("fn rank(order, w) { \"near\" }");
    assert_eq!(d.code, "rule.return");
    assert!(
        d.message
            .starts_with("`rank` must return a number or an array of numbers, got the text"),
        "{}",
        d.message
    );
    let d = route_err("fn eligible(order, w) { 1 }");
    assert!(
        d.message.starts_with("`eligible` must return a bool"),
        "{}",
        d.message
    );
    let d = route_err("fn rank(order, w) { [1, \"x\"] }");
    assert!(
        d.message.contains("array containing the text"),
        "{}",
        d.message
    );
    // Computed policies (literals are refused by `check` already, see below).
    let d = route_err("fn split(order) { let p = #{}; p.max_shipment = 2; p }");
    assert!(
        d.message
            .contains("unknown `split` policy key `max_shipment`"),
        "{}",
        d.message
    );
    let d = route_err("fn split(order) { let s = \"cheap\"; #{ strategy: s + \"est\" } }");
    assert!(
        d.message.contains("one of `fewest_shipments`"),
        "{}",
        d.message
    );
    let d = route_err("fn route(order, inventory) { 42 }");
    assert_eq!(d.hook.as_deref(), Some("route"));
}

#[test]
fn thrown_values_become_the_message() {
    let d = route_err("fn split(order) { throw \"no routing on Sundays\"; }");
    assert_eq!(d.code, "rule.runtime");
    assert!(d.message.contains("no routing on Sundays"));
}

#[test]
fn runaway_rule_hits_the_operation_limit_and_the_router_keeps_working() {
    let r = router("fn rank(order, w) { if order.id == \"evil\" { loop {} } w.priority }");
    let inv = inventory();
    let mut evil = order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}]));
    evil.id = "evil".into();
    let e = r.route(&evil, &inv).unwrap_err();
    assert_eq!(e.code, "rule.limit");
    assert_eq!(e.primary().unwrap().hook.as_deref(), Some("rank"));
    let p = r
        .route(&order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])), &inv)
        .unwrap();
    assert_eq!(shipped(&p), vec![t("berlin", "1", "1")]);
}

#[test]
fn limits_are_configurable() {
    let src = "fn rank(order, w) { let n = 0; for i in 0..500 { n += i; } n }";
    let tight = Router::new(
        src,
        RouterOptions {
            limits: Limits {
                max_operations: 200,
                ..Limits::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    let o = order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}]));
    assert_eq!(
        tight.route(&o, &inventory()).unwrap_err().code,
        "rule.limit"
    );
    assert!(router(src).route(&o, &inventory()).is_ok());
}

#[test]
fn unbounded_recursion_and_huge_strings_are_stopped() {
    let d = route_err("fn f(x) { f(x + 1) }\nfn rank(order, w) { f(0) }");
    assert_eq!(d.code, "rule.limit");
    let d = route_err("fn rank(order, w) { let s = \"x\"; loop { s += s; } }");
    assert_eq!(d.code, "rule.limit");
}

#[test]
fn decimal_overflow_and_division_by_zero_are_runtime_errors() {
    let d = route_err("fn rank(order, w) { order.value / 0 }");
    assert_eq!(d.code, "rule.runtime");
    let d = route_err("fn rank(order, w) { let m = 79228162514264337593543950335.0; m * 2 }");
    assert_eq!(d.code, "rule.runtime");
}

#[test]
fn check_lists_hooks_and_diagnostics_without_running_anything() {
    // `check` must not evaluate hooks: the infinite loop is never entered.
    let report = check(
        "fn rank(order, w) { loop {} }\nfn elegible(order, w) { true }\nfn helper(x) { x }",
        Some("r.rhai"),
    );
    assert!(report.ok);
    assert_eq!(report.hooks, vec!["rank"]);
    assert_eq!(report.diagnostics.len(), 1);
    let w = &report.diagnostics[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.line, Some(2));
    assert!(w.help.as_deref().unwrap().contains("`eligible`"));
    assert!(report
        .functions
        .iter()
        .any(|f| f.name == "helper" && f.params == 1));

    let bad = check("fn rank(order, w) {", None);
    assert!(!bad.ok);
    assert_eq!(bad.diagnostics[0].code, "rule.syntax");
}

#[test]
fn constants_at_top_level_are_visible_in_hooks() {
    let r =
        router("const HUB = \"munich\";\nfn rank(order, w) { if w.id == HUB { 0 } else { 1 } }");
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("munich", "1", "1")]);
}

#[test]
fn diagnostics_serialize_for_javascript_in_camel_case() {
    let e = compile_err("fn rank(order, w) {\n  let x = ;\n}");
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["code"], "rule.syntax");
    assert_eq!(v["diagnostics"][0]["columnUtf16"], 11);
    assert!(v["diagnostics"][0].get("column_utf16").is_none());
}

#[test]
fn rules_api_doc_covers_every_hook_helper_and_field_in_the_metadata() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules-api.md")).unwrap();
    let meta = stockroute::rules::api::metadata();
    for item in meta
        .hooks
        .iter()
        .chain(meta.helpers)
        .chain(meta.split_policy)
        .chain(meta.route_plan)
    {
        assert!(
            doc.contains(&format!("`{}", item.name)) || doc.contains(&format!("{}`", item.name)),
            "docs/rules-api.md misses `{}`",
            item.name
        );
    }
    for object in meta.objects {
        for field in object.fields {
            assert!(
                doc.contains(&format!("`{}`", field.name)),
                "docs/rules-api.md misses {}.{}",
                object.name,
                field.name
            );
        }
    }
}

#[test]
fn rhai_examples_in_the_docs_compile_cleanly() {
    for file in ["README.md", "docs/rules-api.md"] {
        let text =
            std::fs::read_to_string(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let blocks: Vec<&str> = text
            .split("```rhai\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .collect();
        assert!(!blocks.is_empty(), "{file} has no rhai example");
        for block in blocks {
            let report = check(block, Some(file));
            assert!(
                report.ok && report.diagnostics.is_empty(),
                "{file}: {:?}\n{block}",
                report.diagnostics
            );
        }
    }
}

#[test]
fn check_reports_a_syntax_error_in_every_function() {
    // Rhai stops at the first error; the editor still gets one per broken function.
    let src = "const LIMIT = 3;\n\nfn rank(order, w) {\n  let x = ;\n  1\n}\n\nfn eligible(order, w) {\n  w.priority < LIMIT\n}\n\nfn split(order) {\n  #{ max_shipments: missing }\n}\n";
    let report = check(src, Some("r.rhai"));
    assert!(!report.ok);
    let at: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    // Line 4: stray `;`. Line 13: undefined variable `missing`. `eligible` is fine.
    assert_eq!(
        at,
        vec![("rule.syntax", Some(4)), ("rule.syntax", Some(13))]
    );
    assert!(report.diagnostics[1].message.contains("missing"));
    assert!(report
        .diagnostics
        .iter()
        .all(|d| d.rule.as_deref() == Some("r.rhai")));
}

#[test]
fn check_knows_the_shapes_of_the_model() {
    // A property that does not exist on a hook's object is an error with the closest name.
    let report = check(
        "fn rank(order, warehouse) {\n  warehouse.prio\n}",
        Some("r.rhai"),
    );
    assert!(!report.ok);
    let d = &report.diagnostics[0];
    assert_eq!(d.message, "no property `prio` on a warehouse");
    assert_eq!(d.help.as_deref(), Some("did you mean `priority`?"));
    assert_eq!((d.line, d.column), (Some(2), Some(13)));
    assert_eq!(d.hook.as_deref(), Some("rank"));
    // Through chains and loop variables too.
    for (source, message) in [
        (
            "fn eligible(o, w) { o.customer.typ == \"b2b\" }",
            "no property `typ` on a customer",
        ),
        (
            "fn eligible(o, w) { o.ship_to.zip == \"1\" }",
            "no property `zip` on an address",
        ),
        (
            "fn split(o) { for l in o.lines { if l.quantity > 1 { return #{}; } } #{} }",
            "no property `quantity` on a line",
        ),
        (
            "fn offer(c, w, sku, q) { if c.include_consigment { q } else { 0 } }",
            "no property `include_consigment` on a channel",
        ),
        (
            "fn eligible(o, w) { let x = w; x.owner_id == () }",
            "no property `owner_id` on a warehouse",
        ),
    ] {
        let report = check(source, None);
        assert!(!report.ok, "{source}");
        assert_eq!(report.diagnostics[0].message, message, "{source}");
    }
    // Not flagged: a reassigned variable, a map the rule built, an optional product.
    for source in [
        "fn eligible(o, w) { let x = w; x = #{ owner_id: 1 }; x.owner_id == 1 }",
        "fn eligible(o, w) { let m = #{ a: 1 }; m.a == 1 }",
        "fn eligible(o, w) { for l in o.lines { if l.product != () && l.product.bulky { return false; } } true }",
    ] {
        let report = check(source, None);
        assert!(report.ok, "{source}: {:?}", report.diagnostics);
    }
}

#[test]
fn check_refuses_split_policy_literals_the_engine_would_refuse() {
    let report = check(
        "fn split(order) {\n  #{ strategy: \"cheapest\", max_shipments: 2 }\n}",
        None,
    );
    assert!(!report.ok);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, "rule.return");
    assert!(d.message.contains("`cheapest`"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("fewest_shipments"));
    assert_eq!(d.line, Some(2));
    let report = check(
        "fn split(order) { if order.value > 5 { #{ max_shipmnts: 2 } } else { #{} } }",
        None,
    );
    assert_eq!(
        report.diagnostics[0].message,
        "unknown `split` policy key `max_shipmnts`"
    );
    assert!(report.diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .starts_with("did you mean `max_shipments`?"));
    let report = check("fn split(order) { #{ unfulfillable: \"wait\" } }", None);
    assert!(!report.ok);
}

#[test]
fn check_warns_about_distances_to_places_without_a_location() {
    let report = check(
        "fn rank(order, warehouse) { distance_km(warehouse, order.ship_to) }",
        None,
    );
    assert!(report.ok, "a warning, not an error");
    let d = &report.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("no location"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("location != ()"));
    // Guarded: no warning.
    let report = check(
        "fn rank(order, warehouse) { if warehouse.location != () && order.ship_to.location != () { distance_km(warehouse, order.ship_to) } else { 0 } }",
        None,
    );
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn check_says_how_each_hook_runs() {
    let report = check(
        "fn rank(order, w) { w.priority }\nfn split(order) { let x = [2, 1]; x.sort(|a, b| a - b); #{} }",
        None,
    );
    assert!(report.ok, "{:?}", report.diagnostics);
    let modes = serde_json::to_value(&report.modes).unwrap();
    assert_eq!(
        modes[0],
        serde_json::json!({"hook": "rank", "mode": "compiled"})
    );
    assert_eq!(modes[1]["hook"], "split");
    assert_eq!(modes[1]["mode"], "interpreted");
    assert!(
        modes[1]["reason"].as_str().unwrap().contains("closures"),
        "{}",
        modes[1]
    );
}
