#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Property tests: whatever the inventory, order and split policy, every plan keeps the
//! invariants (nothing lost, nothing over-allocated, only eligible warehouses, no invoice
//! with consignment goods) and availability is never negative.

use proptest::prelude::*;
use proptest::strategy::Strategy;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;
use stockroute::*;

const SKUS: [&str; 4] = ["A", "B", "C", "D"];

/// Quantities in halves, so fractional allocation is exercised.
fn qty(max_halves: u32) -> impl Strategy<Value = Decimal> {
    (0..=max_halves).prop_map(|h| Decimal::new(i64::from(h) * 5, 1))
}

#[derive(Debug, Clone)]
struct Wh {
    consignment: bool,
    enabled: bool,
    priority: i64,
    pro_forma: bool,
}

fn warehouses() -> impl Strategy<Value = Vec<Wh>> {
    prop::collection::vec(
        (
            any::<bool>(),
            prop::bool::weighted(0.85),
            0i64..5,
            any::<bool>(),
        )
            .prop_map(|(consignment, enabled, priority, pro_forma)| Wh {
                consignment,
                enabled,
                priority,
                pro_forma,
            }),
        1..7,
    )
}

#[derive(Debug, Clone)]
struct Row {
    wh: usize,
    sku: usize,
    on_hand: Decimal,
    reserved: Decimal,
    safety: Decimal,
    out: bool,
}

fn rows(n_wh: usize) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0..n_wh,
            0..SKUS.len(),
            qty(30),
            qty(6),
            qty(4),
            prop::bool::weighted(0.1),
        )
            .prop_map(|(wh, sku, on_hand, reserved, safety, out)| Row {
                wh,
                sku,
                on_hand,
                reserved,
                safety,
                out,
            }),
        0..16,
    )
}

fn inventory(whs: &[Wh], rows: &[Row], include_consignment: bool) -> Value {
    let mut seen = std::collections::HashSet::new();
    let stock: Vec<Value> = rows
        .iter()
        .filter(|r| seen.insert((r.wh, r.sku)))
        .map(|r| {
            json!({"warehouse": format!("w{}", r.wh), "sku": SKUS[r.sku], "on_hand": r.on_hand,
                   "reserved": r.reserved, "safety": r.safety,
                   "status": if r.out { "out_of_stock" } else { "in_stock" }})
        })
        .collect();
    json!({
        "warehouses": whs.iter().enumerate().map(|(i, w)| json!({
            "id": format!("w{i}"), "kind": if w.consignment { "consignment" } else { "own" },
            "priority": w.priority, "enabled": w.enabled,
            "terms": {"pro_forma": w.pro_forma},
            "forward": if w.consignment { json!({"method": "email", "to": "r@example.com"}) } else { json!({"method": "wms"}) }
        })).collect::<Vec<_>>(),
        "stock": stock,
        "channels": [{"id": "web", "include_consignment": include_consignment, "safety": 1}],
        "products": SKUS.iter().map(|s| json!({"sku": s, "attributes": {"bundle": if *s < "C" { "x" } else { "y" }}})).collect::<Vec<_>>()
    })
}

fn order(lines: &[(usize, Decimal)]) -> Order {
    serde_json::from_value(json!({
        "id": "p", "channel": "web", "ship_to": {"country": "DE"},
        "lines": lines.iter().enumerate().map(|(i, (sku, q))| json!({
            "id": format!("l{i}"), "sku": SKUS[*sku], "qty": q, "unit_price": 10
        })).collect::<Vec<_>>()
    }))
    .unwrap()
}

fn policy() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["fewest_shipments", "per_line_priority", "highest_stock", "all_or_nothing"]),
        prop::option::of(1i64..4),
        prop::sample::select(vec!["backorder", "hold", "ship_nothing"]),
        prop::sample::select(vec!["()", "\"bundle\"", "[[\"l0\", \"l1\"]]"]),
        any::<bool>(),
    )
        .prop_map(|(strategy, max, unfulfillable, keep, split_lines)| {
            let max = max.map_or("()".to_string(), |m| m.to_string());
            format!(
                "fn split(order) {{ #{{ strategy: \"{strategy}\", max_shipments: {max}, unfulfillable: \"{unfulfillable}\", keep_together: {keep}, split_lines: {split_lines} }} }}\n\
                 fn eligible(order, w) {{ w.priority != 4 }}"
            )
        })
}

fn check_plan(
    plan: &Plan,
    order: &Order,
    inv: &PreparedInventory,
    include_consignment: bool,
    rules: &str,
) {
    let mut shipped: HashMap<&str, Decimal> = HashMap::new();
    let mut per_wh_sku: HashMap<(&str, &str), Decimal> = HashMap::new();
    for s in &plan.shipments {
        let w = inv
            .warehouse(inv.warehouse_index(&s.warehouse).unwrap())
            .unwrap();
        assert!(w.enabled, "disabled warehouse {} ships", w.id);
        assert!(w.priority != 4, "ineligible warehouse {} ships", w.id);
        if w.kind == WarehouseKind::Consignment {
            assert!(include_consignment);
            assert!(
                !s.documents.contains(&Document::Invoice),
                "invoice with consignment goods"
            );
            assert!(s.documents.contains(&Document::ShippingLabel));
        }
        assert!(!s.lines.is_empty());
        for l in &s.lines {
            assert!(l.qty > Decimal::ZERO);
            *shipped.entry(l.line.as_str()).or_default() += l.qty;
            *per_wh_sku
                .entry((s.warehouse.as_str(), l.sku.as_str()))
                .or_default() += l.qty;
        }
    }
    for ((w, sku), q) in per_wh_sku {
        let avail = inv.available(inv.warehouse_index(w).unwrap(), sku);
        assert!(q <= avail, "{w}/{sku}: allocated {q} > available {avail}");
    }
    let backordered: HashMap<&str, Decimal> = plan
        .backorders
        .iter()
        .map(|b| (b.line.as_str(), b.qty))
        .collect();
    let held: HashMap<&str, Decimal> = plan
        .hold
        .iter()
        .flat_map(|h| h.lines.iter().map(|l| (l.line.as_str(), l.qty)))
        .collect();
    for line in &order.lines {
        let total = shipped.get(line.id.as_str()).copied().unwrap_or_default()
            + backordered
                .get(line.id.as_str())
                .copied()
                .unwrap_or_default()
            + held.get(line.id.as_str()).copied().unwrap_or_default();
        assert_eq!(
            total, line.qty,
            "line {} not accounted for exactly",
            line.id
        );
    }
    let n = plan.shipments.len();
    assert_eq!(
        plan.status,
        routing::status_of(n, !plan.backorders.is_empty(), plan.hold.is_some())
    );
    if let Some(max) = rules
        .split("max_shipments: ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|m| m.parse::<usize>().ok())
    {
        assert!(n <= max, "{n} shipments > max {max}");
    }
    if rules.contains("ship_nothing") || rules.contains("all_or_nothing") {
        assert!(
            plan.backorders.is_empty() || n == 0,
            "partial shipment under ship-nothing policy"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_keeps_the_invariants(
        whs in warehouses(),
        seed_rows in rows(6),
        include_consignment in any::<bool>(),
        lines in prop::collection::vec((0..SKUS.len(), qty(24).prop_filter("qty > 0", |q| !q.is_zero())), 1..5),
        rules in policy(),
    ) {
        let rows: Vec<Row> = seed_rows.into_iter().filter(|r| r.wh < whs.len()).collect();
        let inv = PreparedInventory::new(serde_json::from_value(inventory(&whs, &rows, include_consignment)).unwrap()).unwrap();
        let order = order(&lines);
        let router = Router::new(&rules, RouterOptions::default()).unwrap();
        let plan = router.route(&order, &inv).unwrap_or_else(|e| panic!("valid input must route: {e}\n{rules}"));
        check_plan(&plan, &order, &inv, include_consignment, &rules);

        let a = router.available(&inv, None).unwrap();
        for item in &a.items {
            prop_assert!(item.offered >= Decimal::ZERO);
            prop_assert!(item.offered <= item.warehouses_total);
            for w in &item.warehouses {
                prop_assert!(w.available >= Decimal::ZERO && w.offered <= w.available);
            }
        }
    }

    #[test]
    fn default_rules_ship_everything_when_one_warehouse_holds_it_all(
        q in qty(20).prop_filter("qty > 0", |q| !q.is_zero()),
        extra in qty(10),
    ) {
        // A single own warehouse with enough stock always yields one complete shipment.
        let whs = vec![Wh { consignment: false, enabled: true, priority: 0, pro_forma: false }];
        let rows = vec![Row { wh: 0, sku: 0, on_hand: q + extra, reserved: Decimal::ZERO, safety: Decimal::ZERO, out: false }];
        let inv = PreparedInventory::new(serde_json::from_value(inventory(&whs, &rows, false)).unwrap()).unwrap();
        let plan = Router::new("", RouterOptions::default()).unwrap().route(&order(&[(0, q)]), &inv).unwrap();
        prop_assert_eq!(plan.status, PlanStatus::Single);
        prop_assert_eq!(plan.shipments[0].lines[0].qty, q);
    }
}

// ---- live stock: consuming batches, backorderable and untracked stock, whole units -------

/// A stock row with the live-stock policies: on hand may be negative, rows may be
/// backorderable with or without a limit.
#[derive(Debug, Clone)]
struct LiveRow {
    wh: usize,
    sku: usize,
    on_hand: Decimal,
    reserved: Decimal,
    backorderable: bool,
    limit: Option<Decimal>,
}

fn live_rows(n_wh: usize) -> impl Strategy<Value = Vec<LiveRow>> {
    prop::collection::vec(
        (
            0..n_wh,
            0..SKUS.len(),
            (0u32..=30, prop::bool::weighted(0.15)),
            qty(4),
            prop::bool::weighted(0.3),
            prop::option::of(qty(8)),
        )
            .prop_map(|(wh, sku, (h, negative), reserved, backorderable, limit)| {
                let on_hand = Decimal::new(i64::from(h) * 5, 1);
                LiveRow {
                    wh,
                    sku,
                    on_hand: if negative { -on_hand } else { on_hand },
                    reserved,
                    backorderable,
                    limit,
                }
            }),
        0..16,
    )
}

/// SKU A is sold in whole units, B is untracked, C and D are decimal.
fn live_inventory(whs: &[Wh], rows: &[LiveRow], capacity: Option<(u64, bool)>) -> Value {
    let mut seen = std::collections::HashSet::new();
    let stock: Vec<Value> = rows
        .iter()
        .filter(|r| r.wh < whs.len() && seen.insert((r.wh, r.sku)))
        .map(|r| {
            let mut row = json!({"warehouse": format!("w{}", r.wh), "sku": SKUS[r.sku],
                "on_hand": r.on_hand, "reserved": r.reserved, "backorderable": r.backorderable});
            if let Some(l) = r.limit {
                row["backorder_limit"] = json!(l);
            }
            row
        })
        .collect();
    json!({
        "warehouses": whs.iter().enumerate().map(|(i, w)| {
            let mut v = json!({
                "id": format!("w{i}"), "kind": if w.consignment { "consignment" } else { "own" },
                "priority": w.priority, "enabled": w.enabled,
                "forward": if w.consignment { json!({"method": "email", "to": "r@example.com"}) } else { json!({"method": "wms"}) }
            });
            if let Some((max, prefer)) = capacity.filter(|_| i % 2 == 0) {
                v["capacity"] = json!({"max_shipments": max, "mode": if prefer { "prefer" } else { "block" }});
            }
            v
        }).collect::<Vec<_>>(),
        "stock": stock,
        "channels": [{"id": "web", "include_consignment": true}],
        "products": [
            {"sku": "A", "unit": "each", "attributes": {"bundle": "x"}},
            {"sku": "B", "track_inventory": false, "attributes": {"bundle": "x"}},
            {"sku": "C", "attributes": {"bundle": "y"}},
            {"sku": "D"}
        ]
    })
}

/// Order lines; whole-unit SKU A only in whole quantities.
fn live_orders() -> impl Strategy<Value = Vec<Vec<(usize, Decimal)>>> {
    prop::collection::vec(
        prop::collection::vec(
            (0..SKUS.len(), 1u32..=16).prop_map(|(sku, h)| {
                let q = Decimal::new(i64::from(h) * 5, 1);
                (sku, if sku == 0 { q.ceil() } else { q })
            }),
            1..4,
        ),
        1..6,
    )
}

/// The invariants of one plan against the inventory it was routed against.
fn check_live_plan(plan: &Plan, order: &Order, inv: &PreparedInventory) {
    let mut per_wh_sku: HashMap<(&str, &str), (Decimal, Decimal)> = HashMap::new();
    let mut accounted: HashMap<&str, Decimal> = HashMap::new();
    for s in &plan.shipments {
        for l in &s.lines {
            assert!(l.qty > Decimal::ZERO);
            if inv.whole_units(&l.sku) {
                assert!(
                    l.qty.fract().is_zero(),
                    "whole-unit line split into a fraction: {plan:?}"
                );
            }
            let waits = l.on_backorder.unwrap_or_default();
            assert!(waits >= Decimal::ZERO && waits <= l.qty);
            let e = per_wh_sku
                .entry((s.warehouse.as_str(), l.sku.as_str()))
                .or_default();
            e.0 += l.qty;
            e.1 += waits;
            *accounted.entry(l.line.as_str()).or_default() += l.qty;
        }
    }
    for ((w, sku), (q, waits)) in per_wh_sku {
        let wi = inv.warehouse_index(w).unwrap();
        let available = inv.available(wi, sku);
        let allowance = inv.backorder(wi, sku);
        assert!(
            q <= available + allowance,
            "{w}/{sku}: allocated {q} > available {available} + backorder allowance {allowance}"
        );
        // What waits is exactly what exceeds the stock on hand there.
        assert_eq!(waits, (q - available).max(Decimal::ZERO), "{w}/{sku}");
    }
    for b in &plan.backorders {
        *accounted.entry(b.line.as_str()).or_default() += b.qty;
    }
    for h in plan.hold.iter().flat_map(|h| &h.lines) {
        *accounted.entry(h.line.as_str()).or_default() += h.qty;
    }
    for line in &order.lines {
        assert_eq!(
            accounted.get(line.id.as_str()).copied().unwrap_or_default(),
            line.qty,
            "line {}: shipped + backordered (+ held) must equal ordered",
            line.id
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn consuming_batches_keep_the_invariants_order_by_order(
        whs in warehouses(),
        seed_rows in live_rows(6),
        capacity in prop::option::of((0u64..3, any::<bool>())),
        orders in live_orders(),
        rules in policy(),
    ) {
        let inv = PreparedInventory::new(
            serde_json::from_value(live_inventory(&whs, &seed_rows, capacity)).unwrap(),
        )
        .unwrap();
        let orders: Vec<Order> = orders
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let mut o = order(lines);
                o.id = format!("o{i}");
                o
            })
            .collect();
        let router = Router::new(&rules, RouterOptions::default()).unwrap();
        let batch = router.route_batch(&orders, &inv);
        // The same orders one by one, each committed before the next: the batch must give
        // exactly these plans, and each must hold against the stock it saw.
        let mut ledger = inv.clone();
        for (o, result) in orders.iter().zip(&batch) {
            let plan = router.route(o, &ledger).unwrap_or_else(|e| panic!("valid input must route: {e}\n{rules}"));
            check_live_plan(&plan, o, &ledger);
            prop_assert_eq!(result.as_ref().unwrap(), &plan);
            ledger.commit(&plan).unwrap();
        }
        // The batch left the inventory it was given as it was.
        let again = router.route_batch(&orders, &inv);
        prop_assert_eq!(
            again.iter().map(|r| r.as_ref().ok().cloned()).collect::<Vec<_>>(),
            batch.iter().map(|r| r.as_ref().ok().cloned()).collect::<Vec<_>>()
        );
        // Availability: never negative, whole units whole, unlimited only at the bound.
        let a = router.available(&inv, None).unwrap();
        for item in &a.items {
            prop_assert!(item.offered >= Decimal::ZERO);
            prop_assert!(item.offered <= MAX_QUANTITY);
            if item.sku == "A" {
                prop_assert!(item.offered.fract().is_zero(), "{item:?}");
            }
            if item.unlimited {
                prop_assert_eq!(item.offered, MAX_QUANTITY);
            }
        }
    }

    #[test]
    fn ledger_updates_match_a_fresh_inventory_built_from_the_result(
        whs in warehouses(),
        seed_rows in live_rows(6),
        updates in prop::collection::vec((0..6usize, 0..SKUS.len(), -8i64..8, any::<bool>()), 1..8),
        order_lines in prop::collection::vec((0..SKUS.len(), 1u32..=8), 1..4),
    ) {
        let mut inv = PreparedInventory::new(
            serde_json::from_value(live_inventory(&whs, &seed_rows, None)).unwrap(),
        )
        .unwrap();
        let rows: Vec<StockUpdate> = updates
            .iter()
            .filter(|(w, _, _, _)| *w < whs.len())
            .map(|&(w, sku, n, relative)| StockUpdate {
                warehouse: Some(format!("w{w}")),
                sku: SKUS[sku].to_string(),
                on_hand: (!relative).then(|| Decimal::from(n)),
                delta: relative.then(|| Decimal::from(n)),
                ..StockUpdate::default()
            })
            .collect();
        prop_assume!(!rows.is_empty());
        inv.apply_stock(&rows).unwrap();
        // Indexing the resulting inventory from scratch gives the same levels and plans.
        let fresh = PreparedInventory::new(inv.inventory().clone()).unwrap();
        for w in 0..whs.len() {
            for sku in SKUS {
                prop_assert_eq!(inv.level(w, sku).map(|l| (l.available, l.backorder)),
                                fresh.level(w, sku).map(|l| (l.available, l.backorder)));
            }
        }
        let o = order(&order_lines.iter().map(|&(s, h)| (s, Decimal::from(h))).collect::<Vec<_>>());
        let router = Router::new("", RouterOptions::default()).unwrap();
        prop_assert_eq!(router.route(&o, &inv).unwrap(), router.route(&o, &fresh).unwrap());
    }
}
