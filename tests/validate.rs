#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Manual routing, checked (`Router::validate`): a plan a person made is completed (kinds,
//! owners, forwarding, documents) when it keeps every invariant, and otherwise every
//! violation is reported, each naming its line and warehouse.

use serde_json::{json, Value};
use stockroute::{
    Document, ManualPlan, Order, PlanStatus, PreparedInventory, Router, RouterOptions,
    ValidateOptions, Validation, WarehouseKind,
};

/// | id | kind | notes | stock |
/// |----|------|-------|-------|
/// | OWN1 | own | | A 5, B 2 |
/// | OWN2 | own | disabled | A 10 |
/// | FULL | own | capacity 1 of 1 used, `block` | A 5 |
/// | CON-HAM | consignment, DE | period ends 2026-12-31 | A 4 |
/// | CON-GRZ | consignment, AT | | A 3 |
fn inventory() -> PreparedInventory {
    let v = json!({
        "warehouses": [
            {"id": "OWN1", "kind": "own", "country": "DE"},
            {"id": "OWN2", "kind": "own", "country": "DE", "enabled": false},
            {"id": "FULL", "kind": "own", "country": "DE", "capacity": {"max_shipments": 1, "used": 1}},
            {"id": "CON-HAM", "kind": "consignment", "owner": "Hamburg Outdoor", "country": "DE",
             "terms": {"period_end": "2026-12-31"}, "forward": {"method": "email", "to": "orders@ham.example"}},
            {"id": "CON-GRZ", "kind": "consignment", "owner": "Graz Sport", "country": "AT",
             "forward": {"method": "api", "endpoint": "https://graz.example/orders"}}
        ],
        "stock": [
            {"warehouse": "OWN1", "sku": "A", "on_hand": 5},
            {"warehouse": "OWN1", "sku": "B", "on_hand": 2},
            {"warehouse": "OWN2", "sku": "A", "on_hand": 10},
            {"warehouse": "FULL", "sku": "A", "on_hand": 5},
            {"warehouse": "CON-HAM", "sku": "A", "on_hand": 4},
            {"warehouse": "CON-GRZ", "sku": "A", "on_hand": 3}
        ],
        "channels": [{"id": "web", "include_consignment": true}, {"id": "market"}],
        "products": [{"sku": "A", "unit": "each"}]
    });
    PreparedInventory::new(serde_json::from_value(v).unwrap()).unwrap()
}

/// Consignment only in the customer's country.
const RULES: &str = r#"
fn eligible(order, warehouse) {
    if warehouse.consignment { warehouse.country == order.ship_to.country } else { true }
}
"#;

fn order(channel: &str, a: u32) -> Order {
    serde_json::from_value(json!({
        "id": "M-1", "channel": channel, "ship_to": {"country": "DE"},
        "lines": [{"id": "L1", "sku": "A", "qty": a}, {"id": "L2", "sku": "B", "qty": 1}]
    }))
    .unwrap()
}

fn plan(v: Value) -> ManualPlan {
    serde_json::from_value(v).unwrap()
}

fn check(order: &Order, p: Value, as_of: Option<&str>) -> Validation {
    Router::new(RULES, RouterOptions::default())
        .unwrap()
        .validate(
            order,
            &plan(p),
            &inventory(),
            &ValidateOptions {
                as_of: as_of.map(str::to_string),
            },
        )
        .unwrap()
}

/// (line, warehouse, message) of every violation.
fn violations(v: &Validation) -> Vec<(Option<&str>, Option<&str>, &str)> {
    assert!(!v.valid && v.plan.is_none(), "{v:?}");
    v.violations
        .iter()
        .map(|d| {
            assert_eq!(d.code, "plan.invalid");
            assert_eq!(d.order.as_deref(), Some("M-1"));
            (
                d.order_line.as_deref(),
                d.warehouse.as_deref(),
                d.message.as_str(),
            )
        })
        .collect()
}

#[test]
fn a_valid_manual_plan_comes_back_completed() {
    // L1: 2 from OWN1 and 1 from CON-HAM (a DE consignment location for a DE customer on
    // a channel with consignment); L2 from OWN1 (2 B there).
    let v = check(
        &order("web", 3),
        json!({"shipments": [
            {"warehouse": "OWN1", "lines": [{"line": "L1", "qty": 2}, {"line": "L2", "qty": 1}]},
            {"warehouse": "CON-HAM", "lines": [{"line": "L1", "qty": 1, "sku": "A"}]}
        ]}),
        Some("2026-12-31"), // the last day of CON-HAM's period still ships
    );
    assert!(v.valid, "{:?}", v.violations);
    let p = v.plan.unwrap();
    assert_eq!(p.status, PlanStatus::Split);
    let con = &p.shipments[1];
    assert_eq!(
        (con.warehouse.as_str(), con.kind, con.owner.as_deref()),
        (
            "CON-HAM",
            WarehouseKind::Consignment,
            Some("Hamburg Outdoor")
        )
    );
    // Consignment goods: packing slip and label, never an invoice; own: the defaults.
    assert_eq!(
        con.documents,
        [Document::PackingSlip, Document::ShippingLabel]
    );
    assert_eq!(
        p.shipments[0].documents,
        [
            Document::Invoice,
            Document::PackingSlip,
            Document::ShippingLabel
        ]
    );
    assert_eq!(
        serde_json::to_value(&con.forward).unwrap(),
        json!({"method": "email", "to": "orders@ham.example"})
    );
    assert_eq!(p.shipments[1].lines[0].sku, "A");
    assert!(p.trace.iter().any(|t| t.step == "manual"));
}

#[test]
fn over_allocating_names_the_line_and_warehouse() {
    // 6 of A from OWN1, which has 5.
    let v = check(
        &order("web", 6),
        json!({"shipments": [{"warehouse": "OWN1", "lines": [{"line": "L1", "qty": 6}, {"line": "L2", "qty": 1}]}]}),
        None,
    );
    assert_eq!(
        violations(&v),
        [(
            Some("L1"),
            Some("OWN1"),
            "allocates `6` of sku `A` from warehouse `OWN1`, which has only `5` available"
        )]
    );
}

#[test]
fn ineligible_disabled_full_and_off_channel_locations_are_refused_per_line() {
    let ship = |w: &str| {
        json!({"shipments": [
            {"warehouse": w, "lines": [{"line": "L1", "qty": 1}]},
            {"warehouse": "OWN1", "lines": [{"line": "L2", "qty": 1}]}
        ]})
    };
    let one = |o: &Order, w: &str, as_of: Option<&str>| {
        let v = check(o, ship(w), as_of);
        let got = violations(&v);
        assert_eq!(got.len(), 1, "{got:?}");
        (
            got[0].0.map(str::to_string),
            got[0].1.map(str::to_string),
            got[0].2.to_string(),
        )
    };
    let web = order("web", 1);
    let line = |w: &str, why: &str| {
        (
            Some("L1".to_string()),
            Some(w.to_string()),
            format!("line `L1` cannot ship from `{w}`: {why}"),
        )
    };
    // The rule: consignment only in the customer's country (CON-GRZ is in AT).
    assert_eq!(
        one(&web, "CON-GRZ", None),
        line("CON-GRZ", "the rule's `eligible` excludes it")
    );
    assert_eq!(one(&web, "OWN2", None), line("OWN2", "disabled"));
    assert_eq!(
        one(&web, "FULL", None),
        line(
            "FULL",
            "at capacity (1 of 1 shipments this period; capacity mode `block`)"
        )
    );
    // The marketplace does not include consignment.
    assert_eq!(
        one(&order("market", 1), "CON-HAM", None),
        line(
            "CON-HAM",
            "consignment stock is not offered on channel `market`"
        )
    );
    // CON-HAM's period ended on 2026-12-31.
    assert_eq!(
        one(&web, "CON-HAM", Some("2027-01-01")),
        line(
            "CON-HAM",
            "consignment period ended on 2026-12-31; unsold stock goes back to the supplier"
        )
    );
}

#[test]
fn a_dropped_line_is_a_violation() {
    let v = check(
        &order("web", 1),
        json!({"shipments": [{"warehouse": "OWN1", "lines": [{"line": "L1", "qty": 1}]}]}),
        None,
    );
    assert_eq!(
        violations(&v),
        [(
            Some("L2"),
            None,
            "line `L2` (sku `B`) orders `1` but the plan ships `0` and backorders `0`"
        )]
    );
    assert_eq!(
        v.violations[0].help.as_deref(),
        Some("every line must be shipped, backordered or held in full")
    );
    // Backordering it instead is fine.
    let v = check(
        &order("web", 1),
        json!({"shipments": [{"warehouse": "OWN1", "lines": [{"line": "L1", "qty": 1}]}],
               "backorders": [{"line": "L2", "qty": 1}]}),
        None,
    );
    assert_eq!(v.plan.unwrap().status, PlanStatus::Partial);
}

#[test]
fn an_invoice_on_consignment_goods_is_a_violation() {
    let v = check(
        &order("web", 1),
        json!({"shipments": [
            {"warehouse": "CON-HAM", "documents": ["invoice", "shipping_label"], "lines": [{"line": "L1", "qty": 1}]},
            {"warehouse": "OWN1", "documents": ["invoice"], "lines": [{"line": "L2", "qty": 1}]}
        ]}),
        None,
    );
    assert_eq!(
        violations(&v),
        [(
            Some("L1"),
            Some("CON-HAM"),
            "line `L1` ships from consignment location `CON-HAM` with an invoice: consignment goods stay the supplier's until the retailer sells them"
        )]
    );
    assert_eq!(
        v.violations[0].path.as_deref(),
        Some("shipments[0].documents")
    );
}

#[test]
fn every_violation_is_reported_at_once() {
    let v = check(
        &order("web", 3),
        json!({"order": "M-2", "shipments": [
            {"warehouse": "MARS", "lines": [{"line": "L1", "qty": 1}]},
            {"warehouse": "CON-HAM", "kind": "own", "lines": [{"line": "L1", "qty": "1.5"}]},
            {"warehouse": "OWN1", "lines": [{"line": "L9", "qty": 1}, {"line": "L2", "qty": 1, "sku": "C"}]}
        ]}),
        None,
    );
    let got = violations(&v);
    let expect = [
        (None, None, "the plan is for order `M-2`, not `M-1`"),
        (
            None,
            Some("CON-HAM"),
            "`CON-HAM` is a consignment location, not an own warehouse",
        ),
        (Some("L2"), Some("OWN1"), "line `L2` is sku `B`, not `C`"),
        (
            Some("L1"),
            Some("MARS"),
            "line `L1` ships from unknown warehouse `MARS`",
        ),
        (Some("L9"), Some("OWN1"), "unknown order line `L9`"),
        (
            Some("L1"),
            Some("CON-HAM"),
            "ships `1.5` of line `L1`, but sku `A` is sold in whole units only",
        ),
        (
            Some("L1"),
            None,
            "line `L1` (sku `A`) orders `3` but the plan ships `1` and backorders `0`",
        ),
    ];
    for e in &expect {
        assert!(
            got.iter()
                .any(|g| g.0 == e.0 && g.1 == e.1 && g.2.ends_with(e.2)),
            "missing {e:?} in {got:#?}"
        );
    }
    assert_eq!(got.len(), expect.len(), "{got:#?}");
}

#[test]
fn a_hold_holds_every_line_and_nothing_else() {
    let v = check(
        &order("web", 2),
        json!({"hold": "customer asked to wait"}),
        None,
    );
    let p = v.plan.unwrap();
    assert_eq!(p.status, PlanStatus::Held);
    let hold = p.hold.unwrap();
    assert_eq!(hold.reason, "customer asked to wait");
    assert_eq!(hold.lines.len(), 2);
    let v = check(
        &order("web", 2),
        json!({"hold": {"reason": "later"}, "shipments": [{"warehouse": "OWN1", "lines": [{"line": "L2", "qty": 1}]}]}),
        None,
    );
    assert_eq!(
        violations(&v),
        [(
            None,
            None,
            "a held order must not ship or backorder anything"
        )]
    );
}

#[test]
fn a_plan_route_returned_validates_to_the_same_plan() {
    let router = Router::new(RULES, RouterOptions::default()).unwrap();
    let inv = inventory();
    let o = order("web", 9);
    let routed = router.route(&o, &inv).unwrap();
    // Round trip through JSON, as a host storing plans would.
    let text = serde_json::to_string(&routed).unwrap();
    let manual: ManualPlan = stockroute::json::from_str(&text, "plan").unwrap();
    let v = router
        .validate(&o, &manual, &inv, &ValidateOptions::default())
        .unwrap();
    let mut checked = v.plan.unwrap();
    checked.trace.clear();
    let mut routed = routed;
    routed.trace.clear();
    assert_eq!(checked, routed);
}

#[test]
fn plans_read_from_json_name_the_bad_field() {
    for (text, path) in [
        (
            r#"{"shipments": [{"warehouse": "OWN1", "lines": [{"line": "L1", "qty": "lots"}]}]}"#,
            "shipments[0].lines[0].qty",
        ),
        (
            r#"{"shipments": [{"warehouse": "OWN1", "lines": [{"qty": 1}]}]}"#,
            "shipments[0].lines[0]",
        ),
        (
            r#"{"shipments": [{"warehouse": "OWN1", "documents": ["receipt"], "lines": []}]}"#,
            "shipments[0].documents[0]",
        ),
    ] {
        let e = stockroute::json::from_str::<ManualPlan>(text, "plan").unwrap_err();
        assert_eq!(e.code, "data.invalid", "{text}");
        assert_eq!(e.diagnostics[0].path.as_deref(), Some(path), "{text}: {e}");
        assert!(e.message.starts_with("invalid plan: "), "{}", e.message);
    }
    let e = Router::new(RULES, RouterOptions::default())
        .unwrap()
        .validate(
            &order("web", 1),
            &plan(json!({"hold": 7})),
            &inventory(),
            &ValidateOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("hold"));
    assert_eq!(e.diagnostics[0].order.as_deref(), Some("M-1"));
}

#[test]
fn rule_errors_and_bad_days_are_errors_not_violations() {
    let router = Router::new(
        "fn eligible(order, w) { w.priority / 0 > 1 }",
        RouterOptions::default(),
    )
    .unwrap();
    let p = plan(
        json!({"shipments": [{"warehouse": "OWN1", "lines": [{"line": "L1", "qty": 1}, {"line": "L2", "qty": 1}]}]}),
    );
    let e = router
        .validate(
            &order("web", 1),
            &p,
            &inventory(),
            &ValidateOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.code, "rule.runtime");
    assert_eq!(e.diagnostics[0].hook.as_deref(), Some("eligible"));
    let e = router
        .validate(
            &order("web", 1),
            &p,
            &inventory(),
            &ValidateOptions {
                as_of: Some("tomorrow".into()),
            },
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.diagnostics[0].path.as_deref()),
        ("options.invalid", Some("as_of"))
    );
}
