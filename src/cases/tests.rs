//! The runner and its failure sentences, on a small inventory.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;

const INVENTORY: &str = r#"{
    "warehouses": [
        {"id": "W1", "kind": "own", "priority": 1},
        {"id": "W2", "kind": "own", "priority": 2},
        {"id": "C1", "kind": "consignment", "owner": "Shop", "priority": 3,
         "forward": {"method": "email", "to": "shop@example.com"}}
    ],
    "stock": [
        {"warehouse": "W1", "sku": "A", "on_hand": 2},
        {"warehouse": "W2", "sku": "A", "on_hand": 10},
        {"warehouse": "C1", "sku": "A", "on_hand": 4}
    ],
    "channels": [{"id": "web", "include_consignment": true}]
}"#;

/// Per-line priority: W1 gives its 2, W2 the remaining 1.
const RULES: &str =
    "fn split(order) { #{ strategy: \"per_line_priority\" } }\nfn rank(order, w) { w.priority }";

fn case(expect: &str) -> String {
    format!(
        r#"{{"description": "d", "inventory": "inv.json",
            "order": {{"id": "o1", "channel": "web", "ship_to": {{"country": "DE"}},
                      "lines": [{{"id": "L1", "sku": "A", "qty": 3}}]}},
            "expect": {expect}}}"#
    )
}

fn files(path: &str) -> Option<String> {
    (path == "inv.json").then(|| INVENTORY.to_string())
}

fn run(case_json: &str) -> CaseOutcome {
    run_case(case_json, RULES, Some("t.rhai"), &files)
}

#[test]
fn a_matching_case_passes_and_quantities_compare_as_decimals() {
    let o = run(&case(
        r#"{"status": "split", "backorders": [],
            "shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": "2.0"}],
                           "documents": ["invoice", "packing_slip", "shipping_label"]},
                          {"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]}]}"#,
    ));
    assert!(o.passed, "{:?}", o.failures);
    assert_eq!(o.description, "d");
    assert_eq!(o.actual["status"], "split");
}

#[test]
fn a_wrong_quantity_fails_with_a_readable_sentence() {
    let o = run(&case(
        r#"{"status": "split",
            "shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}]},
                          {"warehouse": "W2", "lines": [{"line": "L1", "qty": 3}]}]}"#,
    ));
    assert!(!o.passed);
    assert_eq!(
        o.failures,
        vec!["shipment from `W2`: line `L1` expected 3, got 1"]
    );
}

#[test]
fn missing_extra_and_misordered_shipments_are_reported() {
    let o = run(&case(
        r#"{"status": "single",
            "shipments": [{"warehouse": "C1", "lines": [{"line": "L1", "qty": 3}]}],
            "backorders": [{"line": "L1", "qty": 1}]}"#,
    ));
    assert!(!o.passed);
    assert!(o
        .failures
        .contains(&"status expected `single`, got `split`".to_string()));
    assert!(o
        .failures
        .contains(&"expected a shipment from `C1` (line `L1` × 3), got none".to_string()));
    assert!(o
        .failures
        .contains(&"unexpected shipment from `W1` (line `L1` × 2)".to_string()));
    assert!(o
        .failures
        .contains(&"backorder of line `L1`: expected 1, got none".to_string()));

    let o = run(&case(
        r#"{"shipments": [{"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]},
                          {"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}]}]}"#,
    ));
    assert_eq!(
        o.failures,
        vec!["shipments expected in the order `W2`, `W1`, got `W1`, `W2`"]
    );
}

#[test]
fn wrong_documents_fail() {
    let o = run(&case(
        r#"{"shipments": [{"warehouse": "W1", "lines": [{"line": "L1", "qty": 2}],
                           "documents": ["packing_slip"]},
                          {"warehouse": "W2", "lines": [{"line": "L1", "qty": 1}]}]}"#,
    ));
    assert_eq!(
        o.failures,
        vec!["shipment from `W1`: documents expected [packing_slip], got [invoice, packing_slip, shipping_label]"]
    );
}

#[test]
fn hold_expectation_fails_when_not_held() {
    let o = run(&case(r#"{"hold": "minimum"}"#));
    assert_eq!(
        o.failures,
        vec!["expected the order to be held (reason containing `minimum`), got status `split`"]
    );
}

#[test]
fn expected_errors_match_by_code_and_hook() {
    let rules = "fn rank(order, w) { \"first\" }";
    let base = |x: &str| {
        format!(
            r#"{{"description": "d", "inventory": "inv.json",
            "order": {{"id": "o1", "channel": "web", "ship_to": {{"country": "DE"}},
                      "lines": [{{"id": "L1", "sku": "A", "qty": 1}}]}},
            "expect_error": {x}}}"#
        )
    };
    let ok = run_case(
        &base(r#"{"code": "rule.return", "hook": "rank", "message_contains": "number"}"#),
        rules,
        None,
        &files,
    );
    assert!(ok.passed, "{:?}", ok.failures);
    let bad = run_case(
        &base(r#"{"code": "rule.runtime", "hook": "rank"}"#),
        rules,
        None,
        &files,
    );
    assert!(!bad.passed);
    assert!(bad.failures[0].starts_with("error code expected `rule.runtime`, got `rule.return`"));
    // An error was expected but routing succeeded.
    let none = run(&base(r#"{"code": "rule.return"}"#));
    assert_eq!(
        none.failures,
        vec!["expected error `rule.return`, but routing succeeded with status `single`"]
    );
}

#[test]
fn availability_mismatch_is_reported_per_channel_sku_and_warehouse() {
    let c = r#"{"description": "d", "inventory": "inv.json", "availability": {"channel": "web"},
                "expect": [{"sku": "A", "offered": 16,
                            "warehouses": [{"warehouse": "C1", "offered": 4, "included": true}]}]}"#;
    assert!(run(c).passed, "{:?}", run(c).failures);
    let c = c
        .replace("16", "15")
        .replace("\"offered\": 4", "\"offered\": 3");
    assert_eq!(
        run(&c).failures,
        vec![
            "channel `web`, sku `A`: offered expected 15, got 16",
            "channel `web`, sku `A` at `C1`: offered expected 3, got 4"
        ]
    );
}

#[test]
fn several_orders_are_checked_one_by_one() {
    let c = r#"{"description": "d", "inventory": "inv.json",
        "orders": [
          {"id": "a", "channel": "web", "ship_to": {"country": "DE"}, "lines": [{"id": "L1", "sku": "A", "qty": 1}]},
          {"id": "b", "channel": "nope", "ship_to": {"country": "DE"}, "lines": [{"id": "L1", "sku": "A", "qty": 1}]}
        ],
        "expect": [{"status": "split"}, {"error": {"code": "data.invalid", "path": "channel"}}]}"#;
    let o = run(c);
    assert_eq!(
        o.failures,
        vec!["order `a`: status expected `split`, got `single`"]
    );
    assert_eq!(o.actual.as_array().map(Vec::len), Some(2));
}

#[test]
fn broken_cases_fail_with_the_reason() {
    let o = run(r#"{"description": "d", "inventory": "inv.json", "expcet": {}}"#);
    assert!(!o.passed);
    assert!(
        o.failures[0].contains("unknown field `expcet`"),
        "{:?}",
        o.failures
    );
    let o = run(&case("{}").replace("inv.json", "missing.json"));
    assert_eq!(
        o.failures,
        vec!["invalid case: `inventory` file `missing.json` not found"]
    );
    let o = run(r#"{"description": "d", "inventory": "inv.json", "order": {}}"#);
    assert_eq!(
        o.failures,
        vec!["invalid case: a case needs `expect` or `expect_error`"]
    );
}

#[test]
fn compile_errors_can_be_expected() {
    let o = run_case(
        r#"{"description": "d", "expect_error": {"code": "rule.syntax"}}"#,
        "fn rank(order, w) { ",
        None,
        &files,
    );
    assert!(o.passed, "{:?}", o.failures);
}

#[test]
fn an_availability_entry_without_any_channel_is_an_invalid_case() {
    let c = r#"{"description": "d", "inventory": "inv.json", "availability": {},
                "expect": [{"sku": "A", "offered": 16}]}"#;
    assert_eq!(
        run(c).failures,
        vec!["invalid case: `expect[0]` needs a `channel` (or give `availability.channel`)"]
    );
    // The same entry with its channel checks the offer.
    let c = c.replace(r#"{"sku""#, r#"{"channel": "web", "sku""#);
    assert!(run(&c).passed, "{:?}", run(&c).failures);
}

#[test]
fn every_missing_file_is_named_and_nothing_runs() {
    let c = r#"{"description": "d", "inventory": "nope.json",
                "orders": "../orders.jsonl", "expect": []}"#;
    let o = run(c);
    assert_eq!(o.files, ["nope.json", "../orders.jsonl"]);
    assert_eq!(
        o.failures,
        vec![
            "invalid case: `inventory` file `nope.json` not found",
            "invalid case: `orders` file `../orders.jsonl` not found"
        ]
    );
    assert!(!o.passed && o.actual.is_null());
}
