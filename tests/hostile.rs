#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile rules: every runaway or malformed rule must end in a structured error (never a
//! panic, hang or abort), and the same router must keep routing ordinary orders correctly.
//!
//! Each rule misbehaves only for the order with id `evil`, so the follow-up order `good`
//! exercises the very same compiled rule set and engine state. Limits are set through
//! `RouterOptions` so errors arrive within a known number of operations, not a time.

use serde_json::json;
use stockroute::*;

/// own-a (priority 1) holds A×5 and B×5; own-b (priority 2) holds A×10; con-1 (consignment,
/// priority 3) holds B×3. Channel `web` offers consignment stock.
fn inventory() -> PreparedInventory {
    let inv: Inventory = serde_json::from_value(json!({
        "warehouses": [
            {"id": "own-a", "kind": "own", "priority": 1, "country": "DE"},
            {"id": "own-b", "kind": "own", "priority": 2, "country": "DE"},
            {"id": "con-1", "kind": "consignment", "owner": "Shop 1", "priority": 3, "country": "DE",
             "forward": {"method": "email", "to": "shop1@example.com"}}
        ],
        "stock": [
            {"warehouse": "own-a", "sku": "A", "on_hand": 5},
            {"warehouse": "own-a", "sku": "B", "on_hand": 5},
            {"warehouse": "own-b", "sku": "A", "on_hand": 10},
            {"warehouse": "con-1", "sku": "B", "on_hand": 3}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    }))
    .unwrap();
    PreparedInventory::new(inv).unwrap()
}

fn order(id: &str) -> Order {
    serde_json::from_value(json!({
        "id": id, "channel": "web", "ship_to": {"country": "DE"},
        "lines": [{"id": "1", "sku": "A", "qty": 2}, {"id": "2", "sku": "B", "qty": 1}]
    }))
    .unwrap()
}

fn limits(max_operations: u64) -> RouterOptions {
    RouterOptions {
        name: Some("hostile.rhai".into()),
        limits: Limits {
            max_operations,
            ..Limits::default()
        },
        ..RouterOptions::default()
    }
}

fn router(source: &str) -> Router {
    Router::new(source, limits(20_000)).unwrap()
}

/// Routes the `evil` order and returns the primary diagnostic of the error it must give.
fn evil(r: &Router, inv: &PreparedInventory) -> Diagnostic {
    match r.route(&order("evil"), inv) {
        Ok(plan) => panic!("hostile rule produced a plan: {plan:?}"),
        Err(e) => {
            assert_eq!(
                e.code, e.diagnostics[0].code,
                "error code mirrors the primary diagnostic"
            );
            assert_eq!(e.diagnostics[0].order.as_deref(), Some("evil"));
            e.diagnostics[0].clone()
        }
    }
}

/// The ordinary order ships complete from own-a, the best-ranked warehouse holding both
/// SKUs: that is what the default policy (fewest shipments) must choose.
fn routes_good_order(r: &Router, inv: &PreparedInventory) {
    let plan = r.route(&order("good"), inv).unwrap();
    assert_eq!(plan.status, PlanStatus::Single);
    assert_eq!(plan.shipments.len(), 1);
    let s = &plan.shipments[0];
    assert_eq!(s.warehouse, "own-a");
    let lines: Vec<(&str, String)> = s
        .lines
        .iter()
        .map(|l| (l.line.as_str(), l.qty.to_string()))
        .collect();
    assert_eq!(lines, vec![("1", "2".to_string()), ("2", "1".to_string())]);
    assert!(plan.backorders.is_empty());
}

/// Asserts a rule error in `hook` at `line` of the script, then that the router recovers.
fn check(source: &str, code: &str, hook: &str, line: u32) -> Diagnostic {
    check_at(source, code, hook, Some(line))
}

/// Like [`check`]; `line: None` skips the position check.
///
/// Rhai loses the position of limit errors (operations, call depth, data size) as they
/// unwind out of `call_fn`, so those point at the hook's `fn` line rather than the statement.
fn check_at(source: &str, code: &str, hook: &str, line: Option<u32>) -> Diagnostic {
    let inv = inventory();
    let r = router(source);
    let d = evil(&r, &inv);
    assert_eq!(d.code, code, "{d}");
    assert_eq!(d.hook.as_deref(), Some(hook), "{d}");
    if line.is_some() {
        assert_eq!(d.line, line, "{d}");
    }
    assert_eq!(d.rule.as_deref(), Some("hostile.rhai"));
    assert!(
        !d.message.is_empty() && !d.message.starts_with(char::is_uppercase),
        "{d}"
    );
    routes_good_order(&r, &inv);
    // And again: the error left no state behind (borrowed scope, pending hold, notes).
    let d2 = evil(&r, &inv);
    assert_eq!(d2.code, d.code);
    routes_good_order(&r, &inv);
    d
}

#[test]
fn infinite_loop_stops_at_the_operation_limit() {
    let d = check_at(
        "fn eligible(order, w) {\n  if order.id == \"evil\" { loop {} }\n  true\n}",
        "rule.limit",
        "eligible",
        Some(1),
    );
    assert!(d.message.contains("operations"), "{d}");
    assert!(d.help.is_some(), "limit errors explain what to look for");
}

#[test]
fn operation_limit_is_per_hook_call_not_per_router() {
    // 20,000 operations per call: a rule that spends ~2,000 per call must keep working
    // order after order, however many calls came before.
    let r =
        router("fn rank(order, w) {\n  let n = 0;\n  for i in 0..500 { n += 1; }\n  w.priority\n}");
    let inv = inventory();
    for _ in 0..50 {
        routes_good_order(&r, &inv);
    }
}

#[test]
fn unbounded_recursion_stops_at_the_call_depth_limit() {
    let d = check_at(
        "fn deeper(n) { deeper(n + 1) }\nfn rank(order, w) {\n  if order.id == \"evil\" { return deeper(0); }\n  w.priority\n}",
        "rule.limit",
        "rank",
        Some(2),
    );
    assert!(d.help.is_some());
}

#[test]
fn exponential_string_growth_stops_at_the_string_size_limit() {
    let d = check_at(
        "fn eligible(order, w) {\n  if order.id == \"evil\" {\n    let s = \"x\";\n    loop { s += s; }\n  }\n  true\n}",
        "rule.limit",
        "eligible",
        Some(1),
    );
    assert!(d.message.contains("string"), "{d}");
}

#[test]
fn exponential_array_growth_stops_at_the_array_size_limit() {
    let d = check_at(
        "fn eligible(order, w) {\n  if order.id == \"evil\" {\n    let a = [1, 2];\n    loop { a += a; }\n  }\n  true\n}",
        "rule.limit",
        "eligible",
        Some(1),
    );
    assert!(d.message.contains("array"), "{d}");
}

#[test]
fn huge_maps_stop_at_the_map_size_limit() {
    let source = "fn split(order) {\n  if order.id == \"evil\" {\n    let m = #{};\n    let i = 0;\n    loop { m[`k${i}`] = i; i += 1; }\n  }\n  #{}\n}";
    let r = Router::new(
        source,
        RouterOptions {
            name: Some("hostile.rhai".into()),
            limits: Limits {
                max_operations: 1_000_000,
                max_map_size: 500,
                ..Limits::default()
            },
            ..RouterOptions::default()
        },
    )
    .unwrap();
    let inv = inventory();
    let d = evil(&r, &inv);
    // Rhai does not measure a map on `m[key] = value`; the sandbox measures `m` each time
    // the loop reads it, so `maxMapSize` stops it one entry past the limit.
    assert_eq!(d.code, "rule.limit", "{d}");
    assert!(d.message.contains("501 map entries"), "{d}");
    assert_eq!(d.hook.as_deref(), Some("split"));
    assert_eq!(d.line, Some(1), "points at `fn split`: {d}");
    routes_good_order(&r, &inv);
}

#[test]
fn deeply_nested_expressions_are_a_compile_error_not_a_stack_overflow() {
    let depth = 5_000;
    let source = format!(
        "fn eligible(order, w) {{\n  {}true{}\n}}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let e = Router::new(&source, limits(20_000)).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.code == "rule.syntax" || d.code == "rule.limit", "{d}");
    assert_eq!(d.line, Some(2), "{d}");
    // `check` must report it the same way instead of crashing the editor.
    let report = stockroute::check(&source, Some("hostile.rhai"));
    assert!(!report.ok);
    assert_eq!(report.diagnostics[0].code, d.code);
}

#[test]
fn deeply_nested_blocks_are_a_compile_error() {
    let depth = 5_000;
    let source = format!(
        "fn eligible(order, w) {{\n  {}true{}\n}}",
        "if true { ".repeat(depth),
        " }".repeat(depth)
    );
    let e = Router::new(&source, limits(20_000)).unwrap_err();
    assert!(
        e.code == "rule.syntax" || e.code == "rule.limit",
        "{}",
        e.diagnostics[0]
    );
}

#[test]
fn deeply_nested_data_built_at_runtime_is_stopped() {
    // Each round wraps the array in another one: the nesting depth grows by one per loop.
    // Rhai clones, measures and drops nested values recursively (about 7 frames per level in
    // an unoptimised build), so the nesting is bounded by `maxArraySize`, which counts nested
    // elements. The default bound is sized for release builds and the 1 MiB WebAssembly
    // stack; this debug-built test gets the 8 MiB a main thread has instead of the 2 MiB
    // of a test thread.
    let source = "fn eligible(order, w) {\n  if order.id == \"evil\" {\n    let a = [];\n    loop { a = [a]; }\n  }\n  true\n}";
    let d = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || check_at(source, "rule.limit", "eligible", Some(1)))
        .unwrap()
        .join()
        .unwrap();
    assert!(d.message.contains("array"), "{d}");
}

#[test]
fn decimal_overflow_is_a_runtime_error() {
    // 79228162514264337593543950335 is Decimal::MAX; doubling it cannot be represented.
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" {\n    let max = 79228162514264337593543950335.0;\n    return max * 2;\n  }\n  w.priority\n}",
        "rule.runtime",
        "rank",
        4,
    );
}

#[test]
fn integer_overflow_is_a_runtime_error() {
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" {\n    return 9223372036854775807 + w.priority;\n  }\n  w.priority\n}",
        "rule.runtime",
        "rank",
        3,
    );
}

#[test]
fn integer_division_by_zero_is_a_runtime_error() {
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" {\n    return w.priority / 0;\n  }\n  w.priority\n}",
        "rule.runtime",
        "rank",
        3,
    );
}

#[test]
fn decimal_division_by_zero_is_a_runtime_error() {
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" {\n    let zero = 0.0;\n    return 1.5 / zero;\n  }\n  w.priority\n}",
        "rule.runtime",
        "rank",
        4,
    );
}

#[test]
fn thrown_errors_are_runtime_errors_with_the_thrown_text() {
    let d = check(
        "fn split(order) {\n  if order.id == \"evil\" { throw \"no routing on sundays\"; }\n  #{}\n}",
        "rule.runtime",
        "split",
        2,
    );
    assert!(d.message.contains("no routing on sundays"), "{d}");
}

#[test]
fn writing_to_the_order_is_refused() {
    check(
        "fn eligible(order, w) {\n  if order.id == \"evil\" {\n    order.lines[0].qty = 1000;\n  }\n  true\n}",
        "rule.runtime",
        "eligible",
        3,
    );
}

#[test]
fn eligible_returning_a_string_is_a_return_error() {
    // Return errors point at the hook's definition: line 1.
    let d = check(
        "fn eligible(order, w) {\n  if order.id == \"evil\" { return \"yes\"; }\n  true\n}",
        "rule.return",
        "eligible",
        1,
    );
    assert!(d.message.contains("bool"), "{d}");
    assert_eq!(
        d.warehouse.as_deref(),
        Some("own-a"),
        "the first candidate is named"
    );
}

#[test]
fn eligible_returning_nothing_is_a_return_error() {
    check(
        "fn eligible(order, w) {\n  if order.id == \"evil\" { return; }\n  true\n}",
        "rule.return",
        "eligible",
        1,
    );
}

#[test]
fn rank_returning_a_map_is_a_return_error() {
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" { return #{ p: 1 }; }\n  w.priority\n}",
        "rule.return",
        "rank",
        1,
    );
}

#[test]
fn rank_returning_an_array_with_a_string_is_a_return_error() {
    check(
        "fn rank(order, w) {\n  if order.id == \"evil\" { return [1, \"two\"]; }\n  [w.priority]\n}",
        "rule.return",
        "rank",
        1,
    );
}

#[test]
fn split_returning_a_number_is_a_return_error() {
    check(
        "fn split(order) {\n  if order.id == \"evil\" { return 3; }\n  #{}\n}",
        "rule.return",
        "split",
        1,
    );
}

#[test]
fn split_with_an_unknown_key_is_a_return_error() {
    // Written as a literal, `check` refuses it before any order; built at run time, the
    // order that returns it fails.
    let e = Router::new(
        "fn split(order) {\n  if order.id == \"evil\" { return #{ max_shipmets: 2 }; }\n  #{}\n}",
        RouterOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code, "rule.return");
    assert_eq!(e.diagnostics[0].line, Some(2));
    let d = check(
        "fn split(order) {\n  if order.id == \"evil\" { let p = #{}; p.max_shipmets = 2; return p; }\n  #{}\n}",
        "rule.return",
        "split",
        1,
    );
    assert!(d.message.contains("max_shipmets"), "{d}");
}

#[test]
fn split_with_negative_max_shipments_is_a_return_error() {
    check(
        "fn split(order) {\n  if order.id == \"evil\" { return #{ max_shipments: -1 }; }\n  #{}\n}",
        "rule.return",
        "split",
        1,
    );
}

/// A `route()` that returns the correct plan for the good order and `evil_plan` for `evil`.
fn route_rule(evil_plan: &str) -> String {
    format!(
        "fn route(order, inventory) {{\n  if order.id == \"evil\" {{\n    return {evil_plan};\n  }}\n  #{{ shipments: [#{{ warehouse: \"own-a\", lines: [#{{ line: \"1\", qty: 2 }}, #{{ line: \"2\", qty: 1 }}] }}] }}\n}}"
    )
}

#[test]
fn route_over_allocating_stock_is_an_invalid_plan() {
    // own-a holds only 5 of A; the order asks 2, but the rule ships 7 (and so also breaks
    // the line total). Both problems are reported, naming the warehouse.
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: 7 }, #{ line: \"2\", qty: 1 }] }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert!(e.diagnostics.iter().all(|d| d.code == "plan.invalid"
        && d.hook.as_deref() == Some("route")
        && d.line == Some(1)));
    assert!(e
        .diagnostics
        .iter()
        .any(|d| d.warehouse.as_deref() == Some("own-a") && d.message.contains("available")));
    routes_good_order(&r, &inv);
}

#[test]
fn route_over_allocating_within_the_ordered_quantity_is_an_invalid_plan() {
    // B×1 from con-1 is fine, but A×2 from con-1 is stock it does not hold at all.
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"con-1\", lines: [#{ line: \"1\", qty: 2 }, #{ line: \"2\", qty: 1 }] }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(e.diagnostics[0].warehouse.as_deref(), Some("con-1"));
    assert_eq!(e.diagnostics[0].order_line.as_deref(), Some("1"));
    routes_good_order(&r, &inv);
}

#[test]
fn route_dropping_a_line_is_an_invalid_plan() {
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: 2 }] }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    let d = &e.diagnostics[0];
    assert_eq!(d.order_line.as_deref(), Some("2"));
    assert_eq!(d.hook.as_deref(), Some("route"));
    assert_eq!(d.line, Some(1));
    routes_good_order(&r, &inv);
}

#[test]
fn route_inventing_warehouses_and_lines_is_an_invalid_plan() {
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"nowhere\", lines: [#{ line: \"1\", qty: 2 }] }, #{ warehouse: \"own-a\", lines: [#{ line: \"9\", qty: 1 }, #{ line: \"1\", qty: 2 }, #{ line: \"2\", qty: 1 }] }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.warehouse.as_deref() == Some("nowhere")),
        "{e}"
    );
    assert!(
        e.diagnostics
            .iter()
            .any(|d| d.order_line.as_deref() == Some("9")),
        "{e}"
    );
    routes_good_order(&r, &inv);
}

#[test]
fn route_with_negative_quantities_is_an_invalid_plan() {
    // -1 shipped and +3 backordered add up to the 2 ordered: the sign alone is the problem.
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: -1 }, #{ line: \"2\", qty: 1 }] }], backorders: [#{ line: \"1\", qty: 3 }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert!(
        e.diagnostics.iter().any(|d| d.message.contains("negative")),
        "{e}"
    );
    routes_good_order(&r, &inv);
}

#[test]
fn route_with_overflowing_quantities_is_an_invalid_plan() {
    // Two shipments of Decimal::MAX for one line: summing them cannot be represented.
    // The engine must report an impossible plan, not overflow.
    let inv = inventory();
    let r = router(&route_rule(
        "#{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: 79228162514264337593543950335.0 }] }, #{ warehouse: \"own-b\", lines: [#{ line: \"1\", qty: 79228162514264337593543950335.0 }] }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    routes_good_order(&r, &inv);
}

#[test]
fn route_with_overflowing_backorders_is_an_invalid_plan() {
    let inv = inventory();
    let r = router(&route_rule(
        "#{ backorders: [#{ line: \"1\", qty: 79228162514264337593543950335.0 }, #{ line: \"1\", qty: 79228162514264337593543950335.0 }, #{ line: \"2\", qty: 1 }] }",
    ));
    let e = r.route(&order("evil"), &inv).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    routes_good_order(&r, &inv);
}

#[test]
fn route_returning_the_wrong_shape_is_a_return_error() {
    for bad in [
        "42",
        "\"ship it\"",
        "#{ shipments: 1 }",
        "#{ shipments: [1] }",
        "#{ shipments: [#{ lines: [] }] }",
        "#{ shipments: [#{ warehouse: \"own-a\" }] }",
        "#{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: \"two\" }] }] }",
        "#{ shipments: [], extra: true }",
        "#{ hold: 5 }",
    ] {
        let inv = inventory();
        let r = router(&route_rule(bad));
        let d = evil(&r, &inv);
        assert_eq!(d.code, "rule.return", "{bad}: {d}");
        assert_eq!(d.hook.as_deref(), Some("route"), "{bad}");
        assert_eq!(d.line, Some(1), "{bad}");
        routes_good_order(&r, &inv);
    }
}

#[test]
fn held_plans_that_also_ship_are_invalid() {
    let inv = inventory();
    let r = router(&route_rule(
        "#{ hold: \"check fraud\", shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: 2 }, #{ line: \"2\", qty: 1 }] }] }",
    ));
    assert_eq!(evil(&r, &inv).code, "plan.invalid");
    routes_good_order(&r, &inv);
}

#[test]
fn chatty_rules_cannot_grow_the_trace_without_bound() {
    // The cap counts notes of the whole plan (default 1,000), whichever hook writes them.
    let options = || RouterOptions {
        name: None,
        limits: Limits {
            max_operations: 1_000_000,
            ..Limits::default()
        },
        ..RouterOptions::default()
    };
    let inv = inventory();
    // 1,000 notes in `split`: exactly the cap, so the plan carries all of them.
    let r = Router::new(
        "fn split(order) {\n  for i in 0..1000 { note(`note ${i}`); }\n  #{}\n}",
        options(),
    )
    .unwrap();
    let plan = r.route(&order("good"), &inv).unwrap();
    assert_eq!(
        plan.trace.iter().filter(|t| t.step == "note").count(),
        1_000
    );

    // 5,000 notes in one call: the 1,001st is a limit error naming the hook.
    let r = Router::new(
        "fn split(order) {\n  if order.id == \"evil\" { for i in 0..5000 { note(`note ${i}`); } }\n  #{}\n}",
        options(),
    )
    .unwrap();
    let d = evil(&r, &inv);
    assert_eq!(d.code, "rule.limit");
    assert_eq!(d.hook.as_deref(), Some("split"));
    assert!(d.message.contains("trace is full"), "{}", d.message);
    routes_good_order(&r, &inv);

    // 400 notes per `rank` call: under the cap per call, over it for the plan (3 warehouses).
    let r = Router::new(
        "fn rank(order, w) {\n  if order.id == \"evil\" { for i in 0..400 { note(`n ${i}`); } }\n  w.priority\n}",
        options(),
    )
    .unwrap();
    let d = evil(&r, &inv);
    assert_eq!((d.code, d.hook.as_deref()), ("rule.limit", Some("rank")));
    routes_good_order(&r, &inv);

    // Big notes: 64 KiB each (the string limit), the byte cap (1 MiB) stops the 17th.
    let r = Router::new(
        "fn split(order) {\n  if order.id == \"evil\" { let s = \"x\"; s.pad(65000, \"x\"); for i in 0..100 { note(s); } }\n  #{}\n}",
        options(),
    )
    .unwrap();
    let d = evil(&r, &inv);
    assert_eq!(d.code, "rule.limit");
    routes_good_order(&r, &inv);
}

#[test]
fn offer_and_adjust_errors_are_structured_and_recoverable() {
    let inv = inventory();
    for (source, code, hook) in [
        (
            "fn offer(channel, w, sku, qty) { loop {} }",
            "rule.limit",
            "offer",
        ),
        (
            "fn offer(channel, w, sku, qty) { \"lots\" }",
            "rule.return",
            "offer",
        ),
        (
            "fn adjust(channel, sku, qty) { qty / 0 }",
            "rule.runtime",
            "adjust",
        ),
        (
            "fn adjust(channel, sku, qty) { () }",
            "rule.return",
            "adjust",
        ),
    ] {
        let r = router(source);
        let e = r.available(&inv, Some("web")).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.code, code, "{source}: {d}");
        assert_eq!(d.hook.as_deref(), Some(hook), "{source}");
        assert_eq!(d.line, Some(1), "{source}");
        // Routing does not call offer/adjust, so the same router still routes.
        routes_good_order(&r, &inv);
    }
}

#[test]
fn hostile_compile_time_code_is_limited_too() {
    // Top-level statements run once at compile time (to evaluate constants): a loop there
    // must stop like any other.
    let e = Router::new("const X = 1;\nloop { }", limits(10_000)).unwrap_err();
    assert_eq!(e.code, "rule.limit", "{}", e.diagnostics[0]);
    assert_eq!(e.diagnostics[0].line, Some(2));
}

#[test]
fn zero_operation_limit_is_an_options_error() {
    let e = Router::new("", limits(0)).unwrap_err();
    assert_eq!(e.code, "options.invalid");
    assert_eq!(
        e.diagnostics[0].path.as_deref(),
        Some("limits.maxOperations")
    );
}

/// The hostile-test inventory plus product data for both SKUs (products appear inside the
/// order view as `order.lines[i].product`).
fn inventory_with_products() -> PreparedInventory {
    let inv: Inventory = serde_json::from_value(json!({
        "warehouses": [
            {"id": "own-a", "kind": "own", "priority": 1, "country": "DE"},
            {"id": "own-b", "kind": "own", "priority": 2, "country": "DE"},
            {"id": "con-1", "kind": "consignment", "owner": "Shop 1", "priority": 3, "country": "DE",
             "forward": {"method": "email", "to": "shop1@example.com"}}
        ],
        "stock": [
            {"warehouse": "own-a", "sku": "A", "on_hand": 5},
            {"warehouse": "own-a", "sku": "B", "on_hand": 5},
            {"warehouse": "own-b", "sku": "A", "on_hand": 10},
            {"warehouse": "con-1", "sku": "B", "on_hand": 3}
        ],
        "channels": [{"id": "web", "include_consignment": true}],
        "products": [{"sku": "A", "tags": ["bulky"]}, {"sku": "B", "attributes": {"bundle": "x"}}]
    }))
    .unwrap();
    PreparedInventory::new(inv).unwrap()
}

// Found by `fuzz/ci.sh` (target `rules`), fixed in the engine: Rhai measures the data a method is called on and
// panics ("shared values discovered within data") when a shared value sits inside it. The
// order view nests the shared product views in its lines, and the inventory view nests the
// shared warehouse, channel and product views.

#[test]
fn methods_on_order_lines_with_products_route_normally() {
    // Two lines: rank 2 for every warehouse, so the default (fewest shipments) decides.
    let r = router("fn rank(order, w) { order.lines.len() }");
    routes_good_order(&r, &inventory_with_products());
}

#[test]
fn methods_on_inventory_lists_route_normally() {
    let r = router(&route_rule(
        "#{ hold: `${inventory.warehouses.len()} warehouses, ${inventory.products.len()} products, ${inventory.channels.len()} channels` }",
    ));
    let inv = inventory_with_products();
    let plan = r.route(&order("evil"), &inv).unwrap();
    assert_eq!(plan.status, PlanStatus::Held);
    assert_eq!(
        plan.hold.unwrap().reason,
        "3 warehouses, 2 products, 1 channels"
    );
    routes_good_order(&r, &inv);
}
