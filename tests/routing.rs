#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Routing behaviour merchants rely on, against the fixture in `tests/common/mod.rs`.
//!
//! Routable availability in the fixture (on_hand − reserved − safety):
//! berlin CHAIR 3, TABLE 1 · munich CHAIR 8, LAMP 3 · vienna TABLE 5, LAMP 6 ·
//! shop-hh (consignment, DE) CHAIR 6, ROPE 12.5 · shop-graz (consignment, AT, pro-forma)
//! TABLE 2, LAMP 0 (out of stock).

mod common;
use common::*;
use serde_json::json;
use stockroute::*;

#[test]
fn one_warehouse_that_can_ship_everything_wins_by_rank() {
    // berlin (priority 1) has 3 chairs.
    let p = router("")
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 2}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Single);
    assert_eq!(shipped(&p), vec![t("berlin", "1", "2")]);
    assert!(p.backorders.is_empty());
}

#[test]
fn a_lower_ranked_single_warehouse_beats_a_split() {
    // berlin has only 3 chairs; munich (8) can ship all 5 alone.
    let p = router("")
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 5}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("munich", "1", "5")]);
    assert_eq!(p.status, PlanStatus::Single);
}

#[test]
fn split_keeps_lines_whole_where_possible() {
    // No warehouse has both TABLE ×2 and CHAIR. Best-ranked pair that covers: berlin + vienna.
    // TABLE ×2 goes whole to vienna (berlin has only 1), CHAIR to berlin.
    let p = router("")
        .route(&order(json!([{"id": "t", "sku": "TABLE", "qty": 2}, {"id": "c", "sku": "CHAIR", "qty": 1}])), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Split);
    assert_eq!(
        shipped(&p),
        vec![t("berlin", "c", "1"), t("vienna", "t", "2")]
    );
}

#[test]
fn shortage_is_backordered_and_nothing_is_lost() {
    // LAMP: munich 3 + vienna 6 = 9 routable (shop-graz is out of stock).
    let p = router("")
        .route(
            &order(json!([{"id": "1", "sku": "LAMP", "qty": 20}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Partial);
    assert_eq!(
        shipped(&p),
        vec![t("munich", "1", "3"), t("vienna", "1", "6")]
    );
    assert_eq!(p.backorders.len(), 1);
    assert_eq!(p.backorders[0].qty, dec("11"));
}

#[test]
fn marketplace_orders_never_touch_consignment() {
    // marketplace excludes consignment: own CHAIR = berlin 3 + munich 8 = 11 of 12.
    let o = order_with(
        "marketplace",
        "DE",
        json!([{"id": "1", "sku": "CHAIR", "qty": 12}]),
    );
    let p = router("").route(&o, &inventory()).unwrap();
    assert!(p.shipments.iter().all(|s| s.kind == WarehouseKind::Own));
    assert_eq!(
        shipped(&p),
        vec![t("berlin", "1", "3"), t("munich", "1", "8")]
    );
    assert_eq!(p.backorders[0].qty, dec("1"));
    assert!(p
        .trace
        .iter()
        .any(|e| e.warehouse.as_deref() == Some("shop-hh") && e.message.contains("not offered")));
}

#[test]
fn rank_by_distance_prefers_the_nearby_consignment_shop() {
    // Ship to Berlin. By distance: berlin (0 km) → shop-hh Hamburg (~255 km) → munich (~504 km).
    // berlin has 3 chairs, so the first single warehouse with 5 is shop-hh.
    let r = router("fn rank(order, w) { distance_km(w, order.ship_to) }");
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 5}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("shop-hh", "1", "5")]);
    let s = &p.shipments[0];
    assert_eq!(s.kind, WarehouseKind::Consignment);
    assert_eq!(s.owner.as_deref(), Some("Hanse Retail"));
    assert_eq!(
        s.forward,
        Forward::Email {
            to: "orders@hanse.example".into()
        }
    );
    assert_eq!(
        s.documents,
        vec![Document::PackingSlip, Document::ShippingLabel]
    );
}

#[test]
fn b2b_never_from_consignment() {
    let r = router(
        r#"
        fn eligible(order, w) { !(order.customer.type == "b2b" && w.consignment) }
        fn rank(order, w) { distance_km(w, order.ship_to) }
        "#,
    );
    let mut o = order(json!([{"id": "1", "sku": "CHAIR", "qty": 5}]));
    o.customer.kind = CustomerType::B2b;
    let p = r.route(&o, &inventory()).unwrap();
    // shop-hh is excluded, so munich (8 chairs) ships.
    assert_eq!(shipped(&p), vec![t("munich", "1", "5")]);
    assert!(p
        .trace
        .iter()
        .any(|e| e.warehouse.as_deref() == Some("shop-hh") && e.step == "eligible"));
}

#[test]
fn pro_forma_consignment_ships_with_pro_forma_and_api_forward() {
    // Ship to Austria: TABLE 7 = vienna 5 + shop-graz 2 (berlin+vienna = 6 is not enough).
    let o = order_with(
        "webshop",
        "AT",
        json!([{"id": "1", "sku": "TABLE", "qty": 7}]),
    );
    let p = router("").route(&o, &inventory()).unwrap();
    assert_eq!(
        shipped(&p),
        vec![t("vienna", "1", "5"), t("shop-graz", "1", "2")]
    );
    let graz = &p.shipments[1];
    assert_eq!(
        graz.documents,
        vec![Document::ProForma, Document::ShippingLabel]
    );
    assert!(matches!(graz.forward, Forward::Api { .. }));
    assert_eq!(
        p.shipments[0].documents,
        vec![
            Document::Invoice,
            Document::PackingSlip,
            Document::ShippingLabel
        ]
    );
}

#[test]
fn never_split_holds_when_one_warehouse_cannot_ship_all() {
    let r = router(r#"fn split(order) { #{ max_shipments: 1, unfulfillable: "hold" } }"#);
    let p = r
        .route(&order(json!([{"id": "t", "sku": "TABLE", "qty": 2}, {"id": "c", "sku": "CHAIR", "qty": 1}])), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Held);
    let hold = p.hold.unwrap();
    assert!(hold.reason.contains("one warehouse"), "{}", hold.reason);
    assert_eq!(hold.lines.len(), 2);
    assert!(p.shipments.is_empty() && p.backorders.is_empty());
}

#[test]
fn never_split_with_backorder_ships_the_best_single_warehouse() {
    // One shipment allowed: vienna ships TABLE 2 (covers one whole line), CHAIR backordered?
    // berlin covers CHAIR 1 + TABLE 1 of 2 (one whole line, 2 units); vienna covers TABLE 2
    // (one whole line, 2 units). Equal score: the better-ranked berlin wins.
    let r = router(r#"fn split(order) { #{ max_shipments: 1 } }"#);
    let p = r
        .route(&order(json!([{"id": "t", "sku": "TABLE", "qty": 2}, {"id": "c", "sku": "CHAIR", "qty": 1}])), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Partial);
    assert_eq!(p.shipments.len(), 1);
    assert_eq!(
        shipped(&p),
        vec![t("berlin", "t", "1"), t("berlin", "c", "1")]
    );
    assert_eq!(p.backorders[0].line, "t");
    assert_eq!(p.backorders[0].qty, dec("1"));
}

#[test]
fn minimum_order_value_for_splitting() {
    let rules = r#"
        const MIN_SPLIT = 100;
        fn split(order) { #{ min_split_value: MIN_SPLIT, unfulfillable: "hold" } }
    "#;
    let lines = |price: i64| {
        json!([
            {"id": "t", "sku": "TABLE", "qty": 2, "unit_price": price},
            {"id": "c", "sku": "CHAIR", "qty": 1, "unit_price": price}
        ])
    };
    // Worth 3 × 30 = 90 < 100: no split allowed, and no single warehouse can ship → held.
    let p = router(rules)
        .route(&order(lines(30)), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Held);
    assert!(p
        .trace
        .iter()
        .any(|e| e.message.contains("below the minimum")));
    // Worth 3 × 40 = 120 ≥ 100: split allowed.
    let p = router(rules)
        .route(&order(lines(40)), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Split);
}

#[test]
fn keep_bundle_together_backorders_a_bundle_no_single_warehouse_can_ship() {
    // CHAIR and TABLE share product attribute bundle = "dining". TABLE ×2 + CHAIR ×1 together
    // needs one warehouse with both: berlin has only 1 table, vienna and shop-graz no chairs.
    let o = order(
        json!([{"id": "c", "sku": "CHAIR", "qty": 1}, {"id": "t", "sku": "TABLE", "qty": 2}, {"id": "l", "sku": "LAMP", "qty": 1}]),
    );
    let p = router(r#"fn split(order) { #{ keep_together: "bundle" } }"#)
        .route(&o, &inventory())
        .unwrap();
    assert_eq!(shipped(&p), vec![t("munich", "l", "1")]);
    let back: Vec<_> = p
        .backorders
        .iter()
        .map(|b| (b.line.as_str(), b.qty))
        .collect();
    assert_eq!(back, vec![("c", dec("1")), ("t", dec("2"))]);
    // Without the constraint the same order ships complete in two shipments.
    let p = router("").route(&o, &inventory()).unwrap();
    assert!(p.backorders.is_empty());
}

#[test]
fn keep_together_explicit_groups_ship_from_one_warehouse() {
    // CHAIR ×1 + TABLE ×1 as one group: berlin has both.
    let o = order(
        json!([{"id": "c", "sku": "CHAIR", "qty": 1}, {"id": "t", "sku": "TABLE", "qty": 1}, {"id": "l", "sku": "LAMP", "qty": 4}]),
    );
    let p = router(r#"fn split(order) { #{ keep_together: [["c", "t"]] } }"#)
        .route(&o, &inventory())
        .unwrap();
    // LAMP 4: munich has 3, vienna 6 → vienna ships it whole.
    assert_eq!(
        shipped(&p),
        vec![
            t("berlin", "c", "1"),
            t("berlin", "t", "1"),
            t("vienna", "l", "4")
        ]
    );
}

#[test]
fn magento_style_per_line_priority_takes_each_line_from_the_best_source() {
    // Per line in priority order: CHAIR from berlin, LAMP from munich (berlin has none).
    // Fewest-shipments would have sent both from munich.
    let o =
        order(json!([{"id": "c", "sku": "CHAIR", "qty": 2}, {"id": "l", "sku": "LAMP", "qty": 1}]));
    let p = router(r#"fn split(order) { #{ strategy: "per_line_priority" } }"#)
        .route(&o, &inventory())
        .unwrap();
    assert_eq!(
        shipped(&p),
        vec![t("berlin", "c", "2"), t("munich", "l", "1")]
    );
    let p = router("").route(&o, &inventory()).unwrap();
    assert_eq!(
        shipped(&p),
        vec![t("munich", "c", "2"), t("munich", "l", "1")]
    );
}

#[test]
fn per_line_priority_splits_a_line_across_sources() {
    // CHAIR 10: berlin 3, then munich 7.
    let p = router(r#"fn split(order) { #{ strategy: "per_line_priority" } }"#)
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 10}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(
        shipped(&p),
        vec![t("berlin", "1", "3"), t("munich", "1", "7")]
    );
}

#[test]
fn highest_stock_first() {
    // CHAIR stock: munich 8 > shop-hh 6 > berlin 3.
    let p = router(r#"fn split(order) { #{ strategy: "highest_stock" } }"#)
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 2}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("munich", "1", "2")]);
}

#[test]
fn all_or_nothing_ships_nothing_when_incomplete() {
    let p = router(r#"fn split(order) { #{ strategy: "all_or_nothing" } }"#)
        .route(&order(json!([{"id": "1", "sku": "LAMP", "qty": 20}, {"id": "2", "sku": "CHAIR", "qty": 1}])), &inventory())
        .unwrap();
    assert_eq!(p.status, PlanStatus::Backordered);
    assert!(p.shipments.is_empty());
    assert_eq!(p.backorders.len(), 2);
}

#[test]
fn max_shipments_limits_the_split() {
    // CHAIR 15 needs berlin 3 + munich 8 + shop-hh 6 (three warehouses); only 2 allowed:
    // the pair shipping most is munich + shop-hh (14), 1 backordered.
    let p = router(r#"fn split(order) { #{ max_shipments: 2 } }"#)
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 15}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.shipments.len(), 2);
    assert_eq!(
        shipped(&p),
        vec![t("munich", "1", "8"), t("shop-hh", "1", "6")]
    );
    assert_eq!(p.backorders[0].qty, dec("1"));
}

#[test]
fn fractional_quantities_route_exactly() {
    // Rope sold by the metre: 12.5 m at shop-hh.
    let p = router("")
        .route(
            &order(json!([{"id": "1", "sku": "ROPE", "qty": "2.75"}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("shop-hh", "1", "2.75")]);
    let p = router("")
        .route(
            &order(json!([{"id": "1", "sku": "ROPE", "qty": 13}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.backorders[0].qty, dec("0.5"));
}

#[test]
fn hold_helper_holds_the_whole_order_with_the_reason() {
    let r = router(
        r#"fn split(order) {
            if order.value > 1000 { hold("manual review: order over 1000") }
            #{}
        }"#,
    );
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 2, "unit_price": 600}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Held);
    assert_eq!(
        p.hold.as_ref().unwrap().reason,
        "manual review: order over 1000"
    );
    assert_eq!(p.hold.unwrap().lines[0].qty, dec("2"));
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 2, "unit_price": 6}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Single);
}

#[test]
fn notes_appear_in_the_trace_with_the_warehouse() {
    let r = router(
        r#"fn rank(order, w) { if w.id == "munich" { note("munich is our hub") } w.priority }"#,
    );
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap();
    let n = p.trace.iter().find(|e| e.step == "note").unwrap();
    assert_eq!(n.message, "munich is our hub");
    assert_eq!(n.warehouse.as_deref(), Some("munich"));
}

#[test]
fn route_hook_plans_are_used_when_valid() {
    let r = router(
        r#"fn route(order, inventory) {
            #{ shipments: [#{ warehouse: "munich", lines: [#{ line: "1", qty: 2 }] }],
               backorders: [#{ line: "1", qty: 1 }] }
        }"#,
    );
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 3}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(p.status, PlanStatus::Partial);
    assert_eq!(shipped(&p), vec![t("munich", "1", "2")]);
}

#[test]
fn route_hook_over_allocation_is_an_error_naming_rule_line_and_warehouse() {
    let r = router(
        r#"fn route(order, inventory) {
            #{ shipments: [#{ warehouse: "berlin", lines: [#{ line: "1", qty: 5 }] }] }
        }"#,
    );
    let e = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 5}])),
            &inventory(),
        )
        .unwrap_err();
    let d = e.primary().unwrap();
    assert_eq!(d.code, "plan.invalid");
    assert_eq!(d.hook.as_deref(), Some("route"));
    assert_eq!(d.rule.as_deref(), Some("test.rhai"));
    assert_eq!(d.warehouse.as_deref(), Some("berlin"));
    assert_eq!(d.order_line.as_deref(), Some("1"));
    assert!(d.message.contains("only `3` available"), "{}", d.message);
}

#[test]
fn route_hook_dropping_a_line_is_an_error() {
    let r = router(
        r#"fn route(order, inventory) {
            #{ shipments: [#{ warehouse: "munich", lines: [#{ line: "1", qty: 1 }] }] }
        }"#,
    );
    let e = r
        .route(&order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}, {"id": "2", "sku": "LAMP", "qty": 1}])), &inventory())
        .unwrap_err();
    let d = e
        .diagnostics
        .iter()
        .find(|d| d.order_line.as_deref() == Some("2"))
        .unwrap();
    assert_eq!(d.code, "plan.invalid");
    assert!(d.message.contains("line `2`"), "{}", d.message);
}

#[test]
fn route_hook_cannot_use_an_ineligible_or_excluded_warehouse() {
    // Marketplace excludes consignment; shop-hh has the chairs but may not ship.
    let r = router(
        r#"fn route(order, inventory) {
            #{ shipments: [#{ warehouse: "shop-hh", lines: [#{ line: "1", qty: 1 }] }] }
        }"#,
    );
    let o = order_with(
        "marketplace",
        "DE",
        json!([{"id": "1", "sku": "CHAIR", "qty": 1}]),
    );
    let e = r.route(&o, &inventory()).unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert_eq!(e.primary().unwrap().warehouse.as_deref(), Some("shop-hh"));
}

#[test]
fn rules_cannot_modify_what_they_read() {
    let r = router(r#"fn eligible(order, w) { w.priority = 0; true }"#);
    let e = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap_err();
    assert_eq!(e.code, "rule.runtime");
    assert!(e.message.contains("read-only"), "{}", e.message);
}

#[test]
fn two_rule_sets_in_one_process_share_nothing() {
    let a = router(r#"fn rank(order, w) { note("merchant A"); w.priority }"#);
    let b = router(r#"fn rank(order, w) { note("merchant B"); -w.priority }"#);
    let inv = inventory();
    let o = order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}]));
    let pa = a.route(&o, &inv).unwrap();
    let pb = b.route(&o, &inv).unwrap();
    assert!(pa.trace.iter().all(|e| !e.message.contains("merchant B")));
    assert!(pb.trace.iter().all(|e| !e.message.contains("merchant A")));
    // B ranks by reversed priority: shop-hh (4) before munich (2) before berlin (1).
    assert_eq!(shipped(&pa), vec![t("berlin", "1", "1")]);
    assert_eq!(shipped(&pb), vec![t("shop-hh", "1", "1")]);
}

#[test]
fn batch_keeps_every_order_and_isolates_failures() {
    let r = router("");
    let good = order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}]));
    let mut bad = order(json!([{"id": "1", "sku": "NOPE", "qty": 1}]));
    bad.id = "o-bad".into();
    let results = r.route_batch(&[good.clone(), bad, good], &inventory());
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    let e = results[1].as_ref().unwrap_err();
    assert_eq!(e.primary().unwrap().path.as_deref(), Some("lines[0].sku"));
    assert_eq!(e.primary().unwrap().order.as_deref(), Some("o-bad"));
}

#[test]
fn views_can_be_nested_and_measured_by_rules() {
    // Rhai measures arrays and maps a rule builds; the views inside must be plain data.
    let r = router(
        r#"fn rank(order, w) {
            let everything = [order, w, product("CHAIR"), order.lines, order.lines[0].product];
            everything.len() + order.lines.len() + w.tags.len()
        }"#,
    );
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("berlin", "1", "1")]);
    let r = router(
        r#"fn route(order, inventory) {
            let all = [inventory.warehouses, inventory.products, inventory.stock];
            if all.len() != 3 || inventory.warehouses.len() != 5 { throw "wrong inventory view"; }
            #{ shipments: [#{ warehouse: "berlin", lines: [#{ line: "1", qty: 1 }] }] }
        }"#,
    );
    let p = r
        .route(
            &order(json!([{"id": "1", "sku": "CHAIR", "qty": 1}])),
            &inventory(),
        )
        .unwrap();
    assert_eq!(shipped(&p), vec![t("berlin", "1", "1")]);
}

#[test]
fn trace_can_be_turned_off_without_changing_the_plan() {
    let o = order(
        json!([{"id": "t", "sku": "TABLE", "qty": 2}, {"id": "c", "sku": "CHAIR", "qty": 1}]),
    );
    let with = router("fn rank(order, w) { note(\"ranked\"); w.priority }")
        .route(&o, &inventory())
        .unwrap();
    let quiet = Router::new(
        "fn rank(order, w) { note(\"ranked\"); w.priority }",
        RouterOptions {
            trace: false,
            ..Default::default()
        },
    )
    .unwrap();
    let without = quiet.route(&o, &inventory()).unwrap();
    assert!(!with.trace.is_empty() && without.trace.is_empty());
    assert_eq!(
        Plan {
            trace: Vec::new(),
            ..with
        },
        without
    );
    assert!(quiet
        .available(&inventory(), None)
        .unwrap()
        .trace
        .is_empty());
}
