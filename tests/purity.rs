#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Rules are pure: a plan depends only on rules, inventory, order and options. Nothing a
//! hook writes survives its call, so the same order routes the same on a fresh router and
//! on one that has routed thousands of orders.

mod common;
use common::*;
use serde_json::json;
use stockroute::*;

fn compile_error(source: &str) -> Diagnostic {
    match Router::new(source, RouterOptions::default()) {
        Ok(_) => panic!("rules should not compile:\n{source}"),
        Err(e) => e.diagnostics[0].clone(),
    }
}

fn two_lines() -> Order {
    order(json!([
        {"id": "1", "sku": "CHAIR", "qty": 2},
        {"id": "2", "sku": "LAMP", "qty": 1}
    ]))
}

#[test]
fn a_top_level_let_is_refused_with_the_fix() {
    let d = compile_error("let count = 0;\nfn rank(order, w) { count += 1; count }");
    assert_eq!(d.code, "rule.syntax");
    assert_eq!(d.line, Some(1));
    assert!(d.message.contains("`let count`"), "{}", d.message);
    assert!(
        d.message.contains("from one order to the next"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap_or("").contains("const count"));
    // `check` reports the same, so the editor shows it as the author types.
    let report = check("let seen = [];", Some("r.rhai"));
    assert!(!report.ok);
    assert_eq!(report.diagnostics[0].rule.as_deref(), Some("r.rhai"));
}

#[test]
fn constants_cannot_collect_state_across_orders() {
    // A `const` array that a hook tries to grow: an error at the push, every time, instead
    // of a list that grows until orders start failing.
    let r = router("const SEEN = [];\nfn rank(order, w) { SEEN.push(order.id); SEEN.len() }");
    let inv = inventory();
    for _ in 0..3 {
        let e = r.route(&two_lines(), &inv).unwrap_err();
        assert_eq!(e.diagnostics[0].code, "rule.runtime");
        assert_eq!(e.diagnostics[0].hook.as_deref(), Some("rank"));
        assert_eq!(e.diagnostics[0].line, Some(2));
    }
}

#[test]
fn views_reject_new_properties_as_they_reject_changes() {
    let inv = inventory();
    for (source, property) in [
        ("fn rank(order, w) { w.c = 1; 0 }", "c"),
        ("fn rank(order, w) { w.priority = 9; 0 }", "priority"),
        ("fn eligible(order, w) { order.seen = true; true }", "seen"),
        (
            "fn eligible(order, w) { order.customer.type = \"b2b\"; true }",
            "type",
        ),
    ] {
        let r = router(source);
        let e = r.route(&two_lines(), &inv).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.code, "rule.runtime", "{source}: {d:?}");
        assert!(d.message.contains("read-only"), "{source}: {}", d.message);
        assert!(d.message.contains(property), "{source}: {}", d.message);
        assert_eq!(d.line, Some(1), "{source}");
    }
    // Index assignment and mutating methods on nested values are refused too.
    for source in [
        "fn rank(order, w) { w[\"c\"] = 1; 0 }",
        "fn rank(order, w) { w.tags.push(\"x\"); 0 }",
        "fn rank(order, w) { w.location.lat = 0; 0 }",
        "fn split(order) { order.lines.clear(); #{} }",
    ] {
        let e = router(source).route(&two_lines(), &inv).unwrap_err();
        assert_eq!(e.diagnostics[0].code, "rule.runtime", "{source}");
    }
}

/// The same order, routed on a fresh router and after many orders on the same router,
/// gives the same plan: whatever a hook does, nothing it writes reaches the next call.
#[test]
fn a_used_router_routes_like_a_fresh_one() {
    let inv = inventory();
    let rules = [
        // Copies of view data are the rule's own and may change.
        "fn rank(order, w) { let t = w.tags; t.push(\"x\"); t.len() + w.priority }",
        // A nested map taken from a view: adding to the copy changes nothing outside.
        "fn rank(order, w) { let l = w.location; if l != () { l.extra = 1; } w.priority }",
        // Local state is per call.
        "fn rank(order, w) { let n = 0; for x in order.lines { n += 1; } n * 10 - w.priority }",
        // Notes and holds belong to one order.
        "fn split(order) { note(`seen ${order.id}`); if order.lines.len() > 5 { hold(\"big\"); } #{} }",
    ];
    for source in rules {
        let used = router(source);
        for _ in 0..50 {
            used.route(&two_lines(), &inv).unwrap();
        }
        let fresh = router(source);
        assert_eq!(
            used.route(&two_lines(), &inv).unwrap(),
            fresh.route(&two_lines(), &inv).unwrap(),
            "{source}"
        );
    }
}

#[test]
fn a_hold_ends_the_walk_and_wins_over_a_returned_plan() {
    let inv = inventory();
    // A hold from `eligible` on the first warehouse asked: held, no ranking happens.
    let r = router("fn eligible(order, w) { hold(\"check\"); true }");
    let plan = r.route(&two_lines(), &inv).unwrap();
    assert_eq!(plan.status, PlanStatus::Held);
    assert_eq!(plan.hold.as_ref().unwrap().reason, "check");
    assert!(!plan.trace.iter().any(|t| t.step == "rank"));
    // `route` asking to hold and returning shipments anyway: held, and the trace says the
    // returned plan was not used.
    let r = router(
        "fn route(order, inv) { hold(\"manual\"); #{ shipments: [#{ warehouse: \"berlin\", lines: [#{ line: \"1\", qty: 2 }] }] } }",
    );
    let plan = r.route(&two_lines(), &inv).unwrap();
    assert_eq!(plan.status, PlanStatus::Held);
    assert!(plan.shipments.is_empty() && plan.backorders.is_empty());
    assert_eq!(plan.hold.as_ref().unwrap().lines.len(), 2);
    assert!(plan.trace.iter().any(|t| t.message.contains("is not used")));
}

#[test]
fn the_order_budget_bounds_all_hook_calls_together() {
    // Each rank call uses ~6,000 operations, well under the per-call limit; with a budget of
    // 20,000 for the order, the fourth warehouse's call stops.
    let options = RouterOptions {
        limits: Limits {
            max_order_operations: 20_000,
            ..Limits::default()
        },
        ..RouterOptions::default()
    };
    let r = Router::new(
        "fn rank(order, w) { let n = 0; for i in 0..2000 { n += 1; } w.priority }",
        options,
    )
    .unwrap();
    // CHAIR is in berlin, munich, shop-hh; LAMP in munich, vienna: 4 candidates.
    let e = r.route(&two_lines(), &inventory()).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(d.code, "rule.limit");
    assert_eq!(d.hook.as_deref(), Some("rank"));
    assert!(d.message.contains("operation budget"), "{}", d.message);
    // A rule within budget is unaffected by the orders before it.
    let r = Router::new(
        "fn rank(order, w) { w.priority }",
        RouterOptions {
            limits: Limits {
                max_order_operations: 200,
                ..Limits::default()
            },
            ..RouterOptions::default()
        },
    )
    .unwrap();
    for _ in 0..10 {
        r.route(&two_lines(), &inventory()).unwrap();
    }
}

#[test]
fn limits_are_range_checked_and_unknown_options_refused() {
    for (limits, key) in [
        (
            Limits {
                max_array_size: 0,
                ..Limits::default()
            },
            "limits.maxArraySize",
        ),
        (
            Limits {
                max_call_levels: 1_000_000,
                ..Limits::default()
            },
            "limits.maxCallLevels",
        ),
        (
            Limits {
                max_operations: 1_000_000_000_000_000,
                ..Limits::default()
            },
            "limits.maxOperations",
        ),
    ] {
        let e = Router::new(
            "",
            RouterOptions {
                limits,
                ..RouterOptions::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.diagnostics[0].code, "options.invalid");
        assert_eq!(e.diagnostics[0].path.as_deref(), Some(key));
    }
    let e = RouterOptions::from_json(r#"{"limits": {"maxOperatons": 5}}"#).unwrap_err();
    assert_eq!(e.diagnostics[0].code, "options.invalid");
    assert!(e.diagnostics[0].message.contains("maxOperatons"));
    let e = RouterOptions::from_json(r#"{"trace": "yes"}"#).unwrap_err();
    assert_eq!(e.diagnostics[0].code, "options.invalid");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("trace"));
}
