#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Live stock (issue 10): consuming batches, ledger operations, backorderable and untracked
//! stock, negative on hand, whole units, exact fewest shipments with whole lines, location
//! capacity and re-routing after a rejection. Expected figures are worked out in the
//! comments from the data, never copied from output.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use stockroute::*;

fn inv(v: Value) -> PreparedInventory {
    PreparedInventory::new(serde_json::from_value(v).unwrap()).unwrap()
}

fn order(id: &str, lines: Value) -> Order {
    serde_json::from_value(json!({
        "id": id, "channel": "web", "ship_to": {"country": "DE"}, "lines": lines
    }))
    .unwrap()
}

fn one(id: &str, sku: &str, qty: Value) -> Order {
    order(id, json!([{"id": "1", "sku": sku, "qty": qty}]))
}

fn router(source: &str) -> Router {
    Router::new(source, RouterOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// (warehouse, line, qty, on_backorder) of every shipment line.
fn lines(plan: &Plan) -> Vec<(String, String, String, Option<String>)> {
    plan.shipments
        .iter()
        .flat_map(|s| {
            s.lines.iter().map(move |l| {
                (
                    s.warehouse.clone(),
                    l.line.clone(),
                    l.qty.normalize().to_string(),
                    l.on_backorder.map(|b| b.normalize().to_string()),
                )
            })
        })
        .collect()
}

fn l(w: &str, line: &str, qty: &str, bo: Option<&str>) -> (String, String, String, Option<String>) {
    (w.into(), line.into(), qty.into(), bo.map(str::to_string))
}

fn trace_has(plan: &Plan, needle: &str) -> bool {
    plan.trace.iter().any(|t| t.message.contains(needle))
}

fn two_warehouses() -> Value {
    json!({
        "warehouses": [
            {"id": "W1", "kind": "own", "priority": 1},
            {"id": "W2", "kind": "own", "priority": 2}
        ],
        "stock": [
            {"warehouse": "W1", "sku": "A", "on_hand": 2},
            {"warehouse": "W2", "sku": "B", "on_hand": 5}
        ],
        "channels": [{"id": "web"}]
    })
}

// ---- 1. batches consume stock -----------------------------------------------------------

#[test]
fn a_batch_never_promises_the_same_unit_twice() {
    // The issue's example: three orders of 2 with 2 available. The first ships them; the
    // second and third find nothing left and are backordered.
    let inventory = inv(two_warehouses());
    let orders: Vec<Order> = (1..=3)
        .map(|i| one(&format!("o{i}"), "A", json!(2)))
        .collect();
    let plans: Vec<Plan> = router("")
        .route_batch(&orders, &inventory)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(plans[0].status, PlanStatus::Single);
    assert_eq!(plans[1].status, PlanStatus::Backordered);
    assert_eq!(plans[2].status, PlanStatus::Backordered);
    // The inventory passed in is what it was.
    assert_eq!(inventory.available(0, "A"), d("2"));

    // What-if mode: every order sees the same 2 units.
    let mut working = inventory.clone();
    let independent = router("")
        .route_batch_with(
            &orders,
            &mut working,
            &BatchOptions {
                consume: false,
                ..BatchOptions::default()
            },
        )
        .unwrap();
    assert!(independent
        .iter()
        .all(|p| p.as_ref().unwrap().status == PlanStatus::Single));
}

#[test]
fn a_consuming_batch_in_place_leaves_the_inventory_as_it_was() {
    let mut inventory = inv(two_warehouses());
    let before = inventory.inventory().clone();
    let orders = vec![
        one("o1", "A", json!(1)),
        one("bad", "NOPE", json!(1)),
        one("o2", "A", json!(2)),
    ];
    let results = router("")
        .route_batch_with(&orders, &mut inventory, &BatchOptions::default())
        .unwrap();
    // o1 takes 1 of the 2; the bad order consumes nothing; o2 finds 1 and backorders 1.
    assert!(results[1].is_err());
    let o2 = results[2].as_ref().unwrap();
    assert_eq!(lines(o2), vec![l("W1", "1", "1", None)]);
    assert_eq!(o2.backorders[0].qty, d("1"));
    assert_eq!(inventory.inventory(), &before);
}

// ---- 2. ledger operations ---------------------------------------------------------------

fn row(w: &str, sku: &str) -> StockUpdate {
    StockUpdate {
        warehouse: Some(w.into()),
        sku: sku.into(),
        ..StockUpdate::default()
    }
}

#[test]
fn apply_stock_sets_and_changes_quantities_all_or_none() {
    let mut inventory = inv(two_warehouses());
    let changes = inventory
        .apply_stock(&[
            StockUpdate {
                delta: Some(d("3")),
                ..row("W1", "A")
            },
            StockUpdate {
                on_hand: Some(d("1")),
                reserved: Some(d("0.5")),
                ..row("W2", "B")
            },
            // A new row.
            StockUpdate {
                on_hand: Some(d("4")),
                ..row("W2", "A")
            },
        ])
        .unwrap();
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[0].after.on_hand, d("5"));
    assert_eq!(changes[1].after.available, d("0.5"));
    assert!(changes[2].before.is_none());
    assert_eq!(inventory.available(1, "A"), d("4"));
    // The new row routes: 9 of A = W1 5 + W2 4.
    let plan = router("")
        .route(&one("o", "A", json!(9)), &inventory)
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Split);

    // One bad row: nothing is applied, every problem is named by its row.
    let e = inventory
        .apply_stock(&[
            StockUpdate {
                on_hand: Some(d("100")),
                ..row("W1", "A")
            },
            StockUpdate {
                on_hand: Some(d("1")),
                ..row("GHOST", "A")
            },
            StockUpdate {
                on_hand: Some(d("1")),
                delta: Some(d("1")),
                ..row("W1", "B")
            },
            StockUpdate {
                reserved: Some(d("-1")),
                ..row("W2", "B")
            },
        ])
        .unwrap_err();
    let paths: Vec<&str> = e
        .diagnostics
        .iter()
        .filter_map(|d| d.path.as_deref())
        .collect();
    assert_eq!(
        paths,
        ["rows[1].warehouse", "rows[2].delta", "rows[3].reserved"]
    );
    assert!(e.diagnostics[0].message.contains("`GHOST`"), "{e}");
    assert_eq!(inventory.available(0, "A"), d("5"), "nothing applied");
}

#[test]
fn sync_replaces_a_locations_stock_and_reports_what_changed() {
    let mut inventory = inv(json!({
        "warehouses": [
            {"id": "C1", "kind": "consignment", "owner": "Shop",
             "forward": {"method": "email", "to": "c1@example.com"}},
            {"id": "W1", "kind": "own"}
        ],
        "stock": [
            {"warehouse": "C1", "sku": "A", "on_hand": 5, "reserved": 1},
            {"warehouse": "C1", "sku": "B", "on_hand": 2},
            {"warehouse": "C1", "sku": "C", "on_hand": 0},
            {"warehouse": "W1", "sku": "B", "on_hand": 7}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    }));
    // The retailer reports 4 of A (reserved stays ours: available 3) and 6 of a new SKU D;
    // B is no longer there (drops to 0); C was 0 already (no change); W1 is untouched.
    let changes = inventory
        .sync_warehouse(
            "C1",
            &[
                StockUpdate {
                    on_hand: Some(d("4")),
                    ..StockUpdate {
                        sku: "A".into(),
                        ..StockUpdate::default()
                    }
                },
                StockUpdate {
                    warehouse: Some("C1".into()),
                    sku: "D".into(),
                    on_hand: Some(d("6")),
                    ..StockUpdate::default()
                },
            ],
        )
        .unwrap();
    let summary: Vec<(String, Option<String>, String)> = changes
        .iter()
        .map(|c| {
            (
                c.sku.clone(),
                c.before.as_ref().map(|b| b.on_hand.normalize().to_string()),
                c.after.on_hand.normalize().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("A".into(), Some("5".into()), "4".into()),
            ("D".into(), None, "6".into()),
            ("B".into(), Some("2".into()), "0".into()),
        ]
    );
    assert_eq!(inventory.available(0, "A"), d("3"));
    assert_eq!(inventory.available(1, "B"), d("7"));

    for (rows, path) in [
        (
            vec![StockUpdate {
                warehouse: Some("W1".into()),
                sku: "A".into(),
                on_hand: Some(d("1")),
                ..StockUpdate::default()
            }],
            "rows[0].warehouse",
        ),
        (
            vec![StockUpdate {
                sku: "A".into(),
                delta: Some(d("1")),
                ..StockUpdate::default()
            }],
            "rows[0].delta",
        ),
        (
            vec![
                StockUpdate {
                    sku: "A".into(),
                    on_hand: Some(d("1")),
                    ..StockUpdate::default()
                },
                StockUpdate {
                    sku: "A".into(),
                    on_hand: Some(d("2")),
                    ..StockUpdate::default()
                },
            ],
            "rows[1].sku",
        ),
    ] {
        let e = inventory.sync_warehouse("C1", &rows).unwrap_err();
        assert_eq!(e.diagnostics[0].path.as_deref(), Some(path), "{e}");
    }
    let e = inventory.sync_warehouse("NOPE", &[]).unwrap_err();
    assert!(e.message.contains("unknown warehouse `NOPE`"), "{e}");
}

#[test]
fn commit_reserves_what_a_plan_ships_and_release_undoes_it() {
    let mut inventory = inv(two_warehouses());
    let r = router("");
    let plan = r
        .route(
            &order(
                "o",
                json!([{"id": "1", "sku": "A", "qty": 2}, {"id": "2", "sku": "B", "qty": 1}]),
            ),
            &inventory,
        )
        .unwrap();
    inventory.commit(&plan).unwrap();
    assert_eq!(inventory.available(0, "A"), d("0"));
    assert_eq!(inventory.available(1, "B"), d("4"));
    let a = r.available(&inventory, Some("web")).unwrap();
    assert_eq!(a.items[0].offered, d("0"));
    inventory.release(&plan).unwrap();
    assert_eq!(inventory.available(0, "A"), d("2"));
    // Releasing again never makes `reserved` negative.
    inventory.release(&plan).unwrap();
    assert_eq!(inventory.inventory().stock[0].reserved, d("0"));

    let mut bad = plan.clone();
    bad.shipments[0].warehouse = "GHOST".into();
    let e = inventory.commit(&bad).unwrap_err();
    assert_eq!(
        e.diagnostics[0].path.as_deref(),
        Some("shipments[0].warehouse")
    );
}

// ---- 3. stock policies ------------------------------------------------------------------

fn solidus() -> Value {
    // Solidus' `Stock::Allocator::OnHandFirst` spec: a default location that does not
    // backorder with 10 of each variant, a backorderable dropship location with 2 of the
    // first variant.
    json!({
        "warehouses": [
            {"id": "default", "kind": "own", "priority": 1},
            {"id": "dropship", "kind": "own", "priority": 2}
        ],
        "stock": [
            {"warehouse": "default", "sku": "V1", "on_hand": 10},
            {"warehouse": "default", "sku": "V2", "on_hand": 10},
            {"warehouse": "dropship", "sku": "V1", "on_hand": 2, "backorderable": true},
            {"warehouse": "dropship", "sku": "V2", "on_hand": 0, "backorderable": true}
        ],
        "channels": [{"id": "web"}, {"id": "strict", "include_backorders": false}]
    })
}

#[test]
fn stock_on_hand_first_then_backorderable_units_in_rank_order() {
    // 15 of V1 and 5 of V2: default ships 10 + 5; dropship 2 from stock and 3 waiting.
    let inventory = inv(solidus());
    let o = order(
        "o",
        json!([{"id": "1", "sku": "V1", "qty": 15}, {"id": "2", "sku": "V2", "qty": 5}]),
    );
    for rules in ["", "fn split(o) { #{ strategy: \"per_line_priority\" } }"] {
        let plan = router(rules).route(&o, &inventory).unwrap();
        assert_eq!(
            lines(&plan),
            vec![
                l("default", "1", "10", None),
                l("default", "2", "5", None),
                l("dropship", "1", "5", Some("3")),
            ],
            "{rules}"
        );
        assert_eq!(plan.status, PlanStatus::Split);
        assert!(
            trace_has(&plan, "waits for stock at this location"),
            "{:?}",
            plan.trace
        );
    }
}

#[test]
fn backorder_limit_and_negative_on_hand_bound_what_may_be_sold() {
    // on_hand -2 (oversold) with a limit of 5: 3 more may be sold; a 4th is backordered
    // without a location.
    let inventory = inv(json!({
        "warehouses": [{"id": "W", "kind": "own"}],
        "stock": [{"warehouse": "W", "sku": "A", "on_hand": -2, "backorderable": true, "backorder_limit": 5}],
        "channels": [{"id": "web"}]
    }));
    assert_eq!(inventory.available(0, "A"), d("0"));
    assert_eq!(inventory.backorder(0, "A"), d("3"));
    let plan = router("")
        .route(&one("o", "A", json!(4)), &inventory)
        .unwrap();
    assert_eq!(lines(&plan), vec![l("W", "1", "3", Some("3"))]);
    assert_eq!(plan.backorders[0].qty, d("1"));
    assert_eq!(plan.status, PlanStatus::Partial);
    // Availability counts the 3 and says so.
    let a = router("").available(&inventory, Some("web")).unwrap();
    assert_eq!(a.items[0].offered, d("3"));
    assert_eq!(a.items[0].backorder, d("3"));
    assert_eq!(a.items[0].warehouses[0].backorder, d("3"));
}

#[test]
fn availability_counts_backorders_per_channel_and_a_channel_can_opt_out() {
    let inventory = inv(solidus());
    let a = router("").available(&inventory, None).unwrap();
    let item = |ch: &str, sku: &str| {
        a.items
            .iter()
            .find(|i| i.channel == ch && i.sku == sku)
            .unwrap()
    };
    // `web`: 10 + 2 on hand, and dropship backorders without a limit: unlimited.
    assert!(item("web", "V1").unlimited);
    assert_eq!(item("web", "V1").offered, MAX_QUANTITY);
    assert!(item("web", "V1").warehouses[1].unlimited);
    // `strict` opts out: only stock on hand counts.
    assert!(!item("strict", "V1").unlimited);
    assert_eq!(item("strict", "V1").offered, d("12"));
    assert_eq!(item("strict", "V1").backorder, d("0"));
    // A rule can opt out too: the `offer` hook caps the unlimited quantity.
    let capped = router("fn offer(channel, w, sku, qty) { min(qty, 20) }")
        .available(&inventory, Some("web"))
        .unwrap();
    assert_eq!(capped.items[0].offered, d("30"), "10 + min(unlimited, 20)");
    assert!(!capped.items[0].unlimited);
}

#[test]
fn untracked_products_are_unlimited_wherever_they_have_a_row() {
    // Solidus' regression spec: a tracked variant with 10 at location 1, an untracked one
    // with a stock item at location 2 holding 0: the order ships in two packages, each
    // variant from the location that has its row.
    let inventory = inv(json!({
        "warehouses": [{"id": "L1", "kind": "own"}, {"id": "L2", "kind": "own"}],
        "stock": [
            {"warehouse": "L1", "sku": "TRACKED", "on_hand": 10},
            {"warehouse": "L2", "sku": "UNTRACKED", "on_hand": 0}
        ],
        "products": [{"sku": "UNTRACKED", "track_inventory": false}],
        "channels": [{"id": "web"}]
    }));
    let plan = router("")
        .route(
            &order("o", json!([{"id": "1", "sku": "TRACKED", "qty": 1}, {"id": "2", "sku": "UNTRACKED", "qty": 1}])),
            &inventory,
        )
        .unwrap();
    assert_eq!(
        lines(&plan),
        vec![l("L1", "1", "1", None), l("L2", "2", "1", None)]
    );
    let a = router("").available(&inventory, Some("web")).unwrap();
    let untracked = a.items.iter().find(|i| i.sku == "UNTRACKED").unwrap();
    assert!(untracked.unlimited);
    assert_eq!(untracked.offered, MAX_QUANTITY);
}

// ---- 4. whole units ---------------------------------------------------------------------

fn whole_units() -> Value {
    // The issue's example: 0.6 of a unit in each of two warehouses.
    json!({
        "warehouses": [{"id": "W1", "kind": "own", "priority": 1}, {"id": "W2", "kind": "own", "priority": 2}],
        "stock": [
            {"warehouse": "W1", "sku": "CHAIR", "on_hand": "1.6"},
            {"warehouse": "W2", "sku": "CHAIR", "on_hand": "0.6"},
            {"warehouse": "W1", "sku": "ROPE", "on_hand": "0.6"},
            {"warehouse": "W2", "sku": "ROPE", "on_hand": "0.6"}
        ],
        "products": [{"sku": "CHAIR", "unit": "each"}, {"sku": "ROPE", "unit": "m"}],
        "channels": [{"id": "web"}]
    })
}

#[test]
fn whole_units_are_floored_per_warehouse_and_never_split_into_fractions() {
    let inventory = inv(whole_units());
    // Availability: CHAIR floor(1.6) + floor(0.6) = 1, not 2; ROPE keeps decimals: 1.2.
    let a = router("").available(&inventory, Some("web")).unwrap();
    let offered: Vec<(String, String)> = a
        .items
        .iter()
        .map(|i| (i.sku.clone(), i.offered.normalize().to_string()))
        .collect();
    assert_eq!(
        offered,
        vec![("CHAIR".into(), "1".into()), ("ROPE".into(), "1.2".into())]
    );
    // 2 chairs: 1 ships from W1, 1 waits; never 1.6 + 0.4.
    for rules in [
        "",
        "fn split(o) { #{ strategy: \"per_line_priority\" } }",
        "fn split(o) { #{ strategy: \"highest_stock\" } }",
    ] {
        let plan = router(rules)
            .route(&one("o", "CHAIR", json!(2)), &inventory)
            .unwrap();
        assert_eq!(lines(&plan), vec![l("W1", "1", "1", None)], "{rules}");
        assert_eq!(plan.backorders[0].qty, d("1"));
    }
    // Rope by length splits: 1.2 m = 0.6 + 0.6.
    let plan = router("")
        .route(&one("o", "ROPE", json!("1.2")), &inventory)
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Split);
}

#[test]
fn a_fractional_line_of_a_whole_unit_product_is_an_error_naming_the_line() {
    let inventory = inv(whole_units());
    let e = router("")
        .route(
            &order("o", json!([{"id": "a", "sku": "ROPE", "qty": "0.5"}, {"id": "b", "sku": "CHAIR", "qty": "1.5"}])),
            &inventory,
        )
        .unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert_eq!(e.diagnostics.len(), 1, "{e}");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("lines[1].qty"));
    assert!(
        e.message.contains("line `b`") && e.message.contains("whole units"),
        "{e}"
    );
}

#[test]
fn a_route_hook_cannot_ship_a_fraction_of_a_whole_unit() {
    let inventory = inv(whole_units());
    let e = router(
        r#"fn route(order, inventory) {
            #{ shipments: [#{ warehouse: "W1", lines: [#{ line: "1", qty: 0.5 }] }],
               backorders: [#{ line: "1", qty: 0.5 }] }
        }"#,
    )
    .route(&one("o", "CHAIR", json!(1)), &inventory)
    .unwrap_err();
    assert_eq!(e.code, "plan.invalid");
    assert!(e.message.contains("whole units"), "{e}");
}

// ---- 5. exact fewest shipments ----------------------------------------------------------

#[test]
fn whole_lines_get_the_two_shipment_plan_first_fit_missed() {
    // Lines of 2 and 3 of A kept whole; W1 holds 3, W2 holds 2. First fit in line order puts
    // the 2 in W1 and then fits the 3 nowhere; the plan W1: 3, W2: 2 exists.
    let inventory = inv(json!({
        "warehouses": [{"id": "W1", "kind": "own", "priority": 1}, {"id": "W2", "kind": "own", "priority": 2}],
        "stock": [{"warehouse": "W1", "sku": "A", "on_hand": 3}, {"warehouse": "W2", "sku": "A", "on_hand": 2}],
        "channels": [{"id": "web"}]
    }));
    let o = order(
        "o",
        json!([{"id": "1", "sku": "A", "qty": 2}, {"id": "2", "sku": "A", "qty": 3}]),
    );
    for policy in [
        "#{ split_lines: false, unfulfillable: \"hold\" }",
        "#{ keep_together: [[\"1\"], [\"2\"]], split_lines: false, unfulfillable: \"hold\" }",
    ] {
        let plan = router(&format!("fn split(o) {{ {policy} }}"))
            .route(&o, &inventory)
            .unwrap();
        assert_eq!(plan.status, PlanStatus::Split, "{policy}: {:?}", plan.trace);
        assert_eq!(
            lines(&plan),
            vec![l("W1", "2", "3", None), l("W2", "1", "2", None)]
        );
        assert!(trace_has(&plan, "the best-ranked set of 2 can"));
    }
}

#[test]
fn keep_together_groups_are_placed_exactly() {
    // Line x (C × 1, whole), then the group {t: T × 1, c: C × 4}. W1: T 1, C 4; W2: C 1.
    // First fit in line order puts x at W1 (C 3 left), then the group fits nowhere; the
    // plan W1: t + c, W2: x exists and is found.
    let inventory = inv(json!({
        "warehouses": [{"id": "W1", "kind": "own", "priority": 1}, {"id": "W2", "kind": "own", "priority": 2}],
        "stock": [
            {"warehouse": "W1", "sku": "T", "on_hand": 1}, {"warehouse": "W1", "sku": "C", "on_hand": 4},
            {"warehouse": "W2", "sku": "C", "on_hand": 1}
        ],
        "channels": [{"id": "web"}]
    }));
    let o = order(
        "o",
        json!([{"id": "x", "sku": "C", "qty": 1}, {"id": "t", "sku": "T", "qty": 1}, {"id": "c", "sku": "C", "qty": 4}]),
    );
    let plan = router("fn split(o) { #{ keep_together: [[\"t\", \"c\"]], split_lines: false, max_shipments: 2 } }")
        .route(&o, &inventory)
        .unwrap();
    assert_eq!(
        lines(&plan),
        vec![
            l("W1", "t", "1", None),
            l("W1", "c", "4", None),
            l("W2", "x", "1", None)
        ]
    );
}

#[test]
fn beyond_the_search_bound_the_trace_says_best_effort() {
    // 150 warehouses with 3 of A each; 4 lines of 2 kept whole. Stock totals allow 3
    // warehouses (9 ≥ 8), but each holds only one line of 2, so every set of 3 fails:
    // C(150, 3) = 551,300 sets, more than the bound. A greedy cover ships from 4.
    let warehouses: Vec<Value> = (0..150)
        .map(|i| json!({"id": format!("w{i}"), "kind": "own"}))
        .collect();
    let stock: Vec<Value> = (0..150)
        .map(|i| json!({"warehouse": format!("w{i}"), "sku": "A", "on_hand": 3}))
        .collect();
    let inventory =
        inv(json!({"warehouses": warehouses, "stock": stock, "channels": [{"id": "web"}]}));
    let o = order(
        "o",
        json!((1..=4)
            .map(|i| json!({"id": i.to_string(), "sku": "A", "qty": 2}))
            .collect::<Vec<_>>()),
    );
    let plan = router("fn split(o) { #{ split_lines: false } }")
        .route(&o, &inventory)
        .unwrap();
    assert_eq!(plan.shipments.len(), 4);
    assert!(plan.backorders.is_empty());
    assert!(trace_has(&plan, "best effort"), "{:?}", plan.trace);
    assert!(trace_has(&plan, &MAX_EXACT_SETS_TEXT()));
}

#[allow(non_snake_case)]
fn MAX_EXACT_SETS_TEXT() -> String {
    format!("{} warehouse sets", routing::MAX_EXACT_SETS)
}

// ---- 6. location capacity ---------------------------------------------------------------

fn capacity(mode: &str) -> Value {
    json!({
        "warehouses": [
            {"id": "SHOP", "kind": "own", "priority": 1, "capacity": {"max_shipments": 2, "used": 1, "mode": mode}},
            {"id": "DC", "kind": "own", "priority": 2}
        ],
        "stock": [{"warehouse": "SHOP", "sku": "A", "on_hand": 10}, {"warehouse": "DC", "sku": "A", "on_hand": 10}],
        "channels": [{"id": "web"}]
    })
}

#[test]
fn a_full_location_is_blocked_and_capacity_grows_within_a_batch_and_with_commit() {
    // SHOP takes 2 shipments this period and has 1: the first order of the batch ships from
    // SHOP, the second finds it full and ships from DC.
    let mut inventory = inv(capacity("block"));
    let r = router("");
    let orders = vec![one("o1", "A", json!(1)), one("o2", "A", json!(1))];
    let plans: Vec<Plan> = r
        .route_batch(&orders, &inventory)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(plans[0].shipments[0].warehouse, "SHOP");
    assert_eq!(plans[1].shipments[0].warehouse, "DC");
    assert!(plans[1]
        .trace
        .iter()
        .any(|t| t.warehouse.as_deref() == Some("SHOP")
            && t.message.contains("at capacity")
            && t.message.contains("`block`")));
    // Outside a batch the loaded state counts: after committing the first plan SHOP is full.
    inventory.commit(&plans[0]).unwrap();
    assert_eq!(inventory.warehouse(0).unwrap().capacity.unwrap().used, 2);
    let again = r.route(&one("o3", "A", json!(1)), &inventory).unwrap();
    assert_eq!(again.shipments[0].warehouse, "DC");
    inventory.release(&plans[0]).unwrap();
    assert_eq!(inventory.warehouse(0).unwrap().capacity.unwrap().used, 1);
}

#[test]
fn a_full_location_with_prefer_is_ranked_after_the_others() {
    let mut v = capacity("prefer");
    v["warehouses"][0]["capacity"]["used"] = json!(2);
    let inventory = inv(v);
    let plan = router("")
        .route(&one("o", "A", json!(1)), &inventory)
        .unwrap();
    assert_eq!(plan.shipments[0].warehouse, "DC");
    assert!(trace_has(&plan, "ranked after the others"));
    // Still used when nothing else can ship: 15 = DC 10 + SHOP 5.
    let plan = router("")
        .route(&one("o", "A", json!(15)), &inventory)
        .unwrap();
    assert_eq!(
        lines(&plan),
        vec![l("DC", "1", "10", None), l("SHOP", "1", "5", None)],
        "DC ranks first now"
    );
}

// ---- 7. re-routing after a rejection ----------------------------------------------------

#[test]
fn rerouting_excludes_the_rejecting_location_and_not_in_stock_zeroes_its_stock() {
    let mut inventory = inv(json!({
        "warehouses": [
            {"id": "C1", "kind": "consignment", "owner": "Shop", "priority": 1,
             "forward": {"method": "email", "to": "c1@example.com"}},
            {"id": "W1", "kind": "own", "priority": 2}
        ],
        "stock": [
            {"warehouse": "C1", "sku": "A", "on_hand": 3}, {"warehouse": "C1", "sku": "B", "on_hand": 3},
            {"warehouse": "W1", "sku": "A", "on_hand": 5}
        ],
        "channels": [{"id": "web", "include_consignment": true}]
    }));
    let r = router("");
    let o = one("o", "A", json!(2));
    assert_eq!(
        r.route(&o, &inventory).unwrap().shipments[0].warehouse,
        "C1"
    );
    let plan = r
        .route_with(
            &o,
            &mut inventory,
            &RouteOptions {
                exclude: vec!["C1".into()],
                reason: Some("not_in_stock".into()),
                ..RouteOptions::default()
            },
        )
        .unwrap();
    assert_eq!(plan.shipments[0].warehouse, "W1");
    assert!(trace_has(&plan, "rejected this order (`not_in_stock`)"));
    // The order's SKU A at C1 dropped to 0; B (not in the order) kept its stock.
    assert_eq!(inventory.available(0, "A"), d("0"));
    assert_eq!(inventory.available(0, "B"), d("3"));
    let a = r.available(&inventory, Some("web")).unwrap();
    assert_eq!(a.items[0].offered, d("5"));
    // Another reason only excludes.
    let plan = r
        .route_with(
            &one("o2", "B", json!(1)),
            &mut inventory,
            &RouteOptions {
                exclude: vec!["C1".into()],
                reason: Some("closed today".into()),
                ..RouteOptions::default()
            },
        )
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Backordered);
    assert_eq!(inventory.available(0, "B"), d("3"));
    let e = r
        .route_with(
            &o,
            &mut inventory,
            &RouteOptions {
                exclude: vec!["NOPE".into()],
                reason: None,
                ..RouteOptions::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code, "options.invalid");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("exclude[0]"));
}

// ---- 8. review fixes ---------------------------------------------------------------------

#[test]
fn highest_stock_sorts_by_the_available_quantity() {
    // The docs name the warehouse's available stock (on_hand − reserved − safety) before
    // this order. W1: 6 on hand, 1 reserved: 5 available. W2: 9 on hand, 5 reserved: 4.
    // Lines of 3 and 2 of A: both from W1 (5 ≥ 4), one shipment. Sorting by on hand would
    // start at W2; sorting by what the first line left (2 < 4) would send the second line
    // to W2.
    let inventory = inv(json!({
        "warehouses": [{"id": "W1", "kind": "own", "priority": 2}, {"id": "W2", "kind": "own", "priority": 1}],
        "stock": [
            {"warehouse": "W1", "sku": "A", "on_hand": 6, "reserved": 1},
            {"warehouse": "W2", "sku": "A", "on_hand": 9, "reserved": 5}
        ],
        "channels": [{"id": "web"}]
    }));
    let plan = router("fn split(o) { #{ strategy: \"highest_stock\" } }")
        .route(
            &order(
                "o",
                json!([{"id": "1", "sku": "A", "qty": 3}, {"id": "2", "sku": "A", "qty": 2}]),
            ),
            &inventory,
        )
        .unwrap();
    assert_eq!(
        lines(&plan),
        vec![l("W1", "1", "3", None), l("W1", "2", "2", None)]
    );
}

#[test]
fn equal_ranks_keep_inventory_order() {
    // Three warehouses with the same priority and no location: the first one in the
    // inventory that holds everything ships, whichever strategy.
    let inventory = inv(json!({
        "warehouses": [{"id": "Z", "kind": "own"}, {"id": "A", "kind": "own"}, {"id": "M", "kind": "own"}],
        "stock": [
            {"warehouse": "Z", "sku": "X", "on_hand": 5}, {"warehouse": "A", "sku": "X", "on_hand": 5},
            {"warehouse": "M", "sku": "X", "on_hand": 5}
        ],
        "channels": [{"id": "web"}]
    }));
    for rules in [
        "",
        "fn rank(o, w) { 1 }",
        "fn split(o) { #{ strategy: \"per_line_priority\" } }",
    ] {
        let plan = router(rules)
            .route(&one("o", "X", json!(7)), &inventory)
            .unwrap();
        assert_eq!(
            lines(&plan),
            vec![l("Z", "1", "5", None), l("A", "1", "2", None)],
            "{rules}"
        );
    }
}

// ---- 9. engine work without a rule is bounded --------------------------------------------

#[test]
fn many_warehouses_with_one_unit_each_route_exactly() {
    // 700 warehouses × 1 unit, one line of 700 (19 s before the bound): every warehouse is
    // needed, and the smallest-set bound says so at once.
    let n = 700;
    let warehouses: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("w{i}"), "kind": "own"}))
        .collect();
    let stock: Vec<Value> = (0..n)
        .map(|i| json!({"warehouse": format!("w{i}"), "sku": "A", "on_hand": 1}))
        .collect();
    let inventory =
        inv(json!({"warehouses": warehouses, "stock": stock, "channels": [{"id": "web"}]}));
    let plan = router("")
        .route(&one("o", "A", json!(n)), &inventory)
        .unwrap();
    assert_eq!(plan.shipments.len(), n);
    assert!(plan.backorders.is_empty());
}

#[test]
fn the_stock_change_example_in_the_model_doc_is_what_a_sync_returns() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/model.md")).unwrap();
    // The block whose info string is `info` (```json changes).
    let block = |info: &str| -> Value {
        let fence = format!("```{info}\n");
        let text = doc.split(fence.as_str()).nth(1).unwrap();
        serde_json::from_str(text.split("```").next().unwrap()).unwrap()
    };
    let mut inventory = inv(block("json inventory"));
    // The retailer reports 4 chairs and the rope unchanged: only the chairs change.
    let changes = inventory
        .sync_warehouse(
            "shop-hh",
            &[
                StockUpdate {
                    sku: "CHAIR".into(),
                    on_hand: Some(d("4")),
                    ..StockUpdate::default()
                },
                StockUpdate {
                    sku: "ROPE".into(),
                    on_hand: Some(d("12.5")),
                    ..StockUpdate::default()
                },
            ],
        )
        .unwrap();
    assert_eq!(
        serde_json::to_value(&changes).unwrap(),
        block("json changes")
    );
}

#[test]
fn cached_hook_answers_never_outlive_their_inventory() {
    // A pure `rank` (it reads only the warehouse) is cached across orders per inventory.
    // Inventories built and dropped in turn often reuse the same memory; each must still get
    // its own answers: the best-priority warehouse alternates and so must the shipment.
    let r = router("fn rank(order, w) { w.priority }");
    for i in 0..20 {
        let (first, second) = if i % 2 == 0 { (1, 2) } else { (2, 1) };
        let inventory = inv(json!({
            "warehouses": [{"id": "W1", "kind": "own", "priority": first}, {"id": "W2", "kind": "own", "priority": second}],
            "stock": [{"warehouse": "W1", "sku": "A", "on_hand": 5}, {"warehouse": "W2", "sku": "A", "on_hand": 5}],
            "channels": [{"id": "web"}]
        }));
        let plan = r.route(&one("o", "A", json!(1)), &inventory).unwrap();
        let want = if i % 2 == 0 { "W1" } else { "W2" };
        assert_eq!(plan.shipments[0].warehouse, want, "round {i}");
        // A ledger change keeps the answers valid: same warehouses, new stock.
        let mut inventory = inventory;
        inventory
            .apply_stock(&[StockUpdate {
                warehouse: Some(want.into()),
                sku: "A".into(),
                on_hand: Some(d("0")),
                ..StockUpdate::default()
            }])
            .unwrap();
        let plan = r.route(&one("o", "A", json!(1)), &inventory).unwrap();
        assert_ne!(
            plan.shipments[0].warehouse, want,
            "round {i}: the emptied warehouse"
        );
    }
}

/// Consignment periods: a location past its `terms.period_end` (relative to `as_of`) does
/// not ship, unless the rule's `eligible` reads `warehouse.period_ended` and decides.
#[test]
fn period_end_excludes_unless_the_rule_decides() {
    let mut inv = PreparedInventory::new(
        serde_json::from_value(json!({
            "warehouses": [
                {"id": "OLD", "kind": "consignment", "owner": "Old", "priority": 1,
                 "terms": {"period_end": "2026-11-30"}, "forward": {"method": "email", "to": "o@x.example"}},
                {"id": "OWN", "kind": "own", "priority": 2}
            ],
            "stock": [
                {"warehouse": "OLD", "sku": "A", "on_hand": 5},
                {"warehouse": "OWN", "sku": "A", "on_hand": 5}
            ],
            "channels": [{"id": "web", "include_consignment": true}]
        }))
        .unwrap(),
    )
    .unwrap();
    let order = one("o1", "A", json!(1));
    let on = |day: &str| RouteOptions {
        as_of: Some(day.into()),
        ..RouteOptions::default()
    };
    // Default rules: OLD ranks first but its period ended the day before.
    let r = router("");
    let plan = r.route_with(&order, &mut inv, &on("2026-12-01")).unwrap();
    assert_eq!(plan.shipments[0].warehouse, "OWN");
    assert!(trace_has(&plan, "consignment period ended on 2026-11-30"));
    let plan = r.route_with(&order, &mut inv, &on("2026-11-30")).unwrap();
    assert_eq!(plan.shipments[0].warehouse, "OLD");
    // An `eligible` that does not mention the period cannot bring the location back.
    let r = router("fn eligible(order, w) { true }");
    let plan = r.route_with(&order, &mut inv, &on("2026-12-01")).unwrap();
    assert_eq!(plan.shipments[0].warehouse, "OWN");
    // One that reads `period_ended` decides: here, ended locations may still ship.
    let r = router(
        "fn eligible(order, w) { if w.period_ended { note(\"shipping after the period\"); } true }",
    );
    let plan = r.route_with(&order, &mut inv, &on("2026-12-01")).unwrap();
    assert_eq!(plan.shipments[0].warehouse, "OLD");
    assert!(trace_has(&plan, "shipping after the period"));
    // A bad date is an option error naming it.
    let e = r.route_with(&order, &mut inv, &on("1 Dec")).unwrap_err();
    assert_eq!(e.code, "options.invalid");
    assert_eq!(e.diagnostics[0].path.as_deref(), Some("as_of"));
}
