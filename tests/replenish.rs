#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Replenishment proposals (`Router::replenishment`): min/max and days-of-cover terms, the
//! period-end and spare-own-stock caps, whole units, the `replenish` hook (keep, adjust,
//! veto, errors, compiled and interpreted alike), sell-through from the event log and from
//! recorded stock counts, and bad options and terms. Every expected value is worked out in
//! the comment next to it.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use stockroute::consignment::replenish::{
    Proposal, ReplenishOptions, Replenishment, RuleDecision, Sales, SalesHistory,
};
use stockroute::consignment::settlement::{self, Event};
use stockroute::{Execution, PreparedInventory, Router, RouterOptions, StockUpdate};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Own `OWN` (TENT 10 on hand with safety 1: 9 available; MAT 40; ROPE 100 m), channels
/// `web` (safety 2, reserved 1 TENT) and `market` (safety 1): TENT spare = 9 − 1 − 2 = 6.
/// Consignment locations (as of 2026-11-30, window 2026-11-03 .. 2026-11-30, 28 days):
///
/// | id | terms | period end | stock |
/// |----|-------|------------|-------|
/// | CON-A | min 2, max 6 | 2027-06-30 | TENT 1 |
/// | CON-B | 28 days of cover, lead 7 | none | MAT 3 |
/// | CON-C | 14 days of cover, lead 5 | 2026-12-03 | MAT 1 |
/// | CON-D | min 1, max 4 | 2026-11-15 (ended) | TENT 0 |
/// | CON-E | min 2, max 4 | none | TENT 0 |
/// | CON-F | none | – | TENT 2 |
fn inventory_json() -> Value {
    let con = |id: &str, terms: Value| {
        json!({"id": id, "kind": "consignment", "owner": format!("Retailer {id}"),
               "terms": terms, "forward": {"method": "email", "to": "shop@example.com"}})
    };
    json!({
        "warehouses": [
            {"id": "OWN", "kind": "own"},
            con("CON-A", json!({"period_end": "2027-06-30", "replenish": {"min": 2, "max": 6}})),
            con("CON-B", json!({"replenish": {"days_of_cover": 28, "lead_time_days": 7}})),
            con("CON-C", json!({"period_end": "2026-12-03", "replenish": {"days_of_cover": 14, "lead_time_days": 5}})),
            con("CON-D", json!({"period_end": "2026-11-15", "replenish": {"min": 1, "max": 4}})),
            con("CON-E", json!({"replenish": {"min": 2, "max": 4}})),
            con("CON-F", json!({"settlement": "monthly"}))
        ],
        "stock": [
            {"warehouse": "OWN", "sku": "TENT", "on_hand": 10, "safety": 1},
            {"warehouse": "OWN", "sku": "MAT", "on_hand": 40},
            {"warehouse": "OWN", "sku": "ROPE", "on_hand": 100},
            {"warehouse": "CON-A", "sku": "TENT", "on_hand": 1},
            {"warehouse": "CON-B", "sku": "MAT", "on_hand": 3},
            {"warehouse": "CON-C", "sku": "MAT", "on_hand": 1},
            {"warehouse": "CON-D", "sku": "TENT", "on_hand": 0},
            {"warehouse": "CON-E", "sku": "TENT", "on_hand": 0},
            {"warehouse": "CON-F", "sku": "TENT", "on_hand": 2}
        ],
        "channels": [
            {"id": "web", "include_consignment": true, "safety": 2},
            {"id": "market", "safety": 1}
        ],
        "products": [
            {"sku": "TENT", "unit": "each"},
            {"sku": "MAT", "unit": "each"},
            {"sku": "ROPE", "unit": "m"}
        ],
        "reservations": [{"channel": "web", "sku": "TENT", "qty": 1}]
    })
}

fn prepared(v: Value) -> PreparedInventory {
    PreparedInventory::new(serde_json::from_value(v).unwrap()).unwrap()
}

/// CON-A sold 3 TENT in the window (and 5 before it, which do not count); CON-B sold 14
/// MAT; CON-C sold 14 MAT; CON-E sold 2 TENT.
fn events_text() -> String {
    [
        r#"{"type": "delivery", "date": "2026-10-01", "warehouse": "CON-A", "lines": [{"sku": "TENT", "qty": 9}]}"#,
        r#"{"type": "sale", "date": "2026-10-20", "warehouse": "CON-A", "lines": [{"sku": "TENT", "qty": 5}]}"#,
        r#"{"type": "sale", "date": "2026-11-03", "warehouse": "CON-A", "lines": [{"sku": "TENT", "qty": 2}]}"#,
        r#"{"type": "sale", "date": "2026-11-29", "warehouse": "CON-A", "lines": [{"sku": "TENT", "qty": 1}]}"#,
        r#"{"type": "sale", "date": "2026-11-10", "warehouse": "CON-B", "lines": [{"sku": "MAT", "qty": 14}]}"#,
        r#"{"type": "sale", "date": "2026-11-10", "warehouse": "CON-C", "lines": [{"sku": "MAT", "qty": 14}]}"#,
        r#"{"type": "sale", "date": "2026-11-20", "warehouse": "CON-E", "lines": [{"sku": "TENT", "qty": 2}]}"#,
        r#"{"type": "sale", "date": "2026-12-01", "warehouse": "CON-E", "lines": [{"sku": "TENT", "qty": 9}]}"#,
    ]
    .join("\n")
}

fn events(inv: &PreparedInventory) -> Vec<Event> {
    settlement::parse_events(inv, &events_text()).unwrap()
}

fn options(as_of: &str) -> ReplenishOptions {
    ReplenishOptions {
        as_of: as_of.into(),
        ..ReplenishOptions::default()
    }
}

fn run(rules: &str, inv: &PreparedInventory) -> Replenishment {
    let router = Router::new(rules, RouterOptions::default()).unwrap();
    router
        .replenishment(inv, Sales::Events(&events(inv)), &options("2026-11-30"))
        .unwrap()
}

fn find<'a>(r: &'a Replenishment, warehouse: &str, sku: &str) -> &'a Proposal {
    r.proposals
        .iter()
        .find(|p| p.warehouse == warehouse && p.sku == sku)
        .unwrap_or_else(|| panic!("no proposal for {warehouse} {sku}: {r:#?}"))
}

fn says(p: &Proposal, text: &str) -> bool {
    p.why.iter().any(|w| w.contains(text))
}

#[test]
fn min_max_terms_fill_up_to_max_once_at_or_below_min() {
    let inv = prepared(inventory_json());
    let r = run("", &inv);
    assert_eq!(r.window.from, "2026-11-03"); // 28 days ending 2026-11-30
    let a = find(&r, "CON-A", "TENT");
    // 3 sold in the window (the 5 of October are before it): 3 / 28 = 0.107 → 0.11 a day.
    assert_eq!(a.sold, d("3"));
    assert_eq!(a.sold_per_day, d("0.11"));
    // 1 on hand lasts 1 / (3/28) = 9.33 days → 9.3 (rounded down).
    assert_eq!(a.days_of_cover, Some(d("9.3")));
    assert_eq!((a.reorder_point, a.target), (d("2"), d("6")));
    // 1 ≤ min 2, so fill up to 6: 5. The period (212 days left, 22 sellable) allows 21 and
    // own stock can spare 6, but CON-E runs out sooner (0 on hand) and takes its 4 first
    // (see `own_stock_too_low_goes_first_to_the_location_that_runs_out_soonest`), so 2.
    assert_eq!(a.propose, d("2"));
    assert_eq!(a.retailer.as_deref(), Some("Retailer CON-A"));
    assert!(says(a, "reorder at 2, fill up to 6"), "{:?}", a.why);
}

#[test]
fn days_of_cover_terms_cover_the_lead_time_plus_the_days_asked() {
    let inv = prepared(inventory_json());
    let r = run("", &inv);
    let b = find(&r, "CON-B", "MAT");
    // 14 sold in 28 days: 0.5 a day. 3 on hand last 6 days.
    assert_eq!(b.sold_per_day, d("0.5"));
    assert_eq!(b.days_of_cover, Some(d("6")));
    // Reorder point: 7 days of lead time × 0.5 = 3.5 → 4 (whole units, rounded up).
    // Target: (7 + 28) days × 0.5 = 17.5 → 18. 3 ≤ 4, so 18 − 3 = 15; no period end, and
    // own MAT spares 40 − 0 reserved − 2 (largest channel safety) = 38.
    assert_eq!((b.reorder_point, b.target), (d("4"), d("18")));
    assert_eq!(b.propose, d("15"));
    let mat = r.own.iter().find(|o| o.sku == "MAT").unwrap();
    assert_eq!((mat.spare, mat.proposed), (d("38"), d("15")));
}

#[test]
fn a_period_that_ends_before_the_lead_time_gets_nothing() {
    let inv = prepared(inventory_json());
    let r = run("", &inv);
    // CON-C: 14 sold → 0.5 a day, 1 on hand: reorder point 0.5 × 5 = 2.5 → 3, target
    // 0.5 × 19 = 9.5 → 10, so the terms want 9; but a delivery sent 2026-11-30 arrives
    // 2026-12-05 (5 days), after the period end 2026-12-03.
    let c = find(&r, "CON-C", "MAT");
    assert_eq!((c.reorder_point, c.target), (d("3"), d("10")));
    assert_eq!((c.propose, c.limit), (d("0"), d("0")));
    assert!(
        says(c, "arrives on 2026-12-05 (lead time 5 days)"),
        "{:?}",
        c.why
    );
    // CON-D's period ended on 2026-11-15: nothing more goes there.
    let dd = find(&r, "CON-D", "TENT");
    assert_eq!(dd.propose, d("0"));
    assert!(says(dd, "ended on 2026-11-15"), "{:?}", dd.why);
}

#[test]
fn near_the_period_end_only_what_sells_by_then_goes() {
    // CON-A with its period ending 2026-12-20: 20 days left × 3/28 a day = 2.14 → 2
    // sellable, less the 1 there: at most 1, though min/max wants 5.
    let mut v = inventory_json();
    v["warehouses"][1]["terms"]["period_end"] = json!("2026-12-20");
    let inv = prepared(v);
    let a = find(&run("", &inv), "CON-A", "TENT").clone();
    assert_eq!((a.propose, a.limit), (d("1"), d("1")));
    assert!(
        says(
            &a,
            "sells about 2 in the 20 days until the period ends on 2026-12-20"
        ),
        "{:?}",
        a.why
    );
}

#[test]
fn own_stock_too_low_goes_first_to_the_location_that_runs_out_soonest() {
    let inv = prepared(inventory_json());
    let r = run("", &inv);
    // TENT spare: 9 available − 1 reserved on `web` − 2 (web's safety, the largest) = 6.
    let tent = r.own.iter().find(|o| o.sku == "TENT").unwrap();
    assert_eq!(
        (
            tent.available,
            tent.channel_reserved,
            tent.channel_safety,
            tent.spare
        ),
        (d("9"), d("1"), d("2"), d("6"))
    );
    // CON-E (0 on hand, 0 days of cover) wants 4 − 0 = 4 and is served first; CON-A (9.3
    // days) wants 5 and gets the 2 left; CON-D's period ended (0). 4 + 2 = 6 = spare.
    let e = find(&r, "CON-E", "TENT");
    assert_eq!(e.propose, d("4"));
    let a = find(&r, "CON-A", "TENT");
    assert_eq!((a.propose, a.limit), (d("2"), d("2")));
    assert!(
        says(a, "own warehouses can spare 6 of `TENT`"),
        "{:?}",
        a.why
    );
    assert!(says(a, "4 of it went first to `CON-E`"), "{:?}", a.why);
    assert_eq!(tent.proposed, d("6"));
    // With no own stock at all, nothing is proposed anywhere.
    let mut v = inventory_json();
    v["stock"][0]["on_hand"] = json!(2); // 2 − 1 safety = 1 available, − 1 − 2 < 0 → 0
    let r = run("", &prepared(v));
    for w in ["CON-A", "CON-E"] {
        let p = find(&r, w, "TENT");
        assert_eq!((p.propose, p.limit), (d("0"), d("0")), "{w}");
    }
}

#[test]
fn locations_without_terms_or_disabled_are_listed_as_skipped() {
    let mut v = inventory_json();
    v["warehouses"][5]["enabled"] = json!(false); // CON-E
    let r = run("", &prepared(v));
    let skipped: Vec<(&str, &str)> = r
        .skipped
        .iter()
        .map(|s| (s.warehouse.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("CON-E", "disabled: it sells and ships nothing"),
            ("CON-F", "no replenishment terms (`terms.replenish`)")
        ]
    );
    assert!(r
        .proposals
        .iter()
        .all(|p| p.warehouse != "CON-E" && p.warehouse != "CON-F"));
    // Without CON-E, CON-A gets its full 5 out of the 6 spare.
    assert_eq!(find(&r, "CON-A", "TENT").propose, d("5"));
}

const VETO: &str = r#"
fn replenish(warehouse, sku, proposal) {
    if "closing" in warehouse.tags {
        note(`${warehouse.id} closes at the end of the year`);
        return false;
    }
    true
}
"#;

#[test]
fn a_vetoing_hook_stops_the_proposal_and_leaves_the_spare_stock_to_others() {
    let mut v = inventory_json();
    v["warehouses"][5]["tags"] = json!(["closing"]); // CON-E
    let inv = prepared(v);
    for execution in [Execution::Compiled, Execution::Interpreted] {
        let router = Router::new(
            VETO,
            RouterOptions {
                execution,
                ..RouterOptions::default()
            },
        )
        .unwrap();
        let r = router
            .replenishment(&inv, Sales::Events(&events(&inv)), &options("2026-11-30"))
            .unwrap();
        let e = find(&r, "CON-E", "TENT");
        // The engine proposed 4 (see above); the rule vetoes it.
        assert_eq!(e.propose, d("0"), "{execution:?}");
        assert_eq!(e.rule, Some(RuleDecision::Vetoed));
        assert!(
            says(e, "rule: CON-E closes at the end of the year"),
            "{:?}",
            e.why
        );
        assert!(says(e, "the rule vetoed the 4 proposed"), "{:?}", e.why);
        // The 4 stay with own stock, so CON-A gets its full 5 of the 6 spare.
        let a = find(&r, "CON-A", "TENT");
        assert_eq!((a.propose, a.rule), (d("5"), Some(RuleDecision::Kept)));
    }
    let report = stockroute::check(VETO, None);
    assert!(report.ok, "{:?}", report.diagnostics);
    assert_eq!(report.hooks, ["replenish"]);
    assert_eq!(
        serde_json::to_value(&report.modes).unwrap(),
        json!([{"hook": "replenish", "mode": "compiled"}])
    );
}

#[test]
fn a_hook_may_adjust_within_the_limit_in_whole_units() {
    // Whole cases of 4 for MAT; ask for more than the limit on TENT.
    let rules = r#"
fn replenish(warehouse, sku, proposal) {
    if sku == "MAT" {
        return #{ propose: (proposal.propose / 4).ceiling() * 4, reason: "whole cases of 4" };
    }
    if warehouse.id == "CON-A" { return proposal.limit + 10; }
    proposal.propose * 0.5
}
"#;
    let inv = prepared(inventory_json());
    let r = run(rules, &inv);
    // CON-B: 15 → 16 (4 cases); no period end, spare 38: fits.
    let b = find(&r, "CON-B", "MAT");
    assert_eq!((b.propose, b.rule), (d("16"), Some(RuleDecision::Adjusted)));
    assert!(says(b, "rule: whole cases of 4"));
    // CON-E: 4 × 0.5 = 2; CON-A then has 6 − 2 = 4 spare and asks for 4 + 10: capped at 4.
    assert_eq!(find(&r, "CON-E", "TENT").propose, d("2"));
    let a = find(&r, "CON-A", "TENT");
    assert_eq!((a.propose, a.limit), (d("4"), d("4")));
    assert!(
        says(a, "the rule asked for 14; at most 4 may go"),
        "{:?}",
        a.why
    );
    // Fractions of whole-unit products are rounded down: 0.5 × 15 = 7.5 on MAT → 7.
    let rules = "fn replenish(w, sku, p) { p.propose * 0.5 }";
    let b = find(&run(rules, &inv), "CON-B", "MAT").clone();
    assert_eq!(b.propose, d("7"));
    assert!(says(&b, "rounded down to 7"), "{:?}", b.why);
}

#[test]
fn the_hook_answer_is_checked_like_every_hook_answer() {
    let inv = prepared(inventory_json());
    let ev = events(&inv);
    for (rules, message, path) in [
        (
            "fn replenish(w, sku, p) { -1 }",
            "`replenish` must return a quantity of at least 0, got `-1`",
            None,
        ),
        (
            "fn replenish(w, sku, p) { \"lots\" }",
            "`replenish` must return a quantity, `true` to keep the proposal, `0`, `()` or `false` to veto it, or a map `#{ propose, reason }`, got the text `lots`",
            None,
        ),
        (
            "fn replenish(w, sku, p) { #{ proposal: 3 } }",
            "unknown key `proposal` in what `replenish` returned",
            Some("proposal"),
        ),
        (
            "fn replenish(w, sku, p) { #{ propose: \"3\" } }",
            "`replenish` must return a number in `propose`, got the text `3`",
            Some("propose"),
        ),
    ] {
        for execution in [Execution::Compiled, Execution::Interpreted] {
            let router = Router::new(
                rules,
                RouterOptions {
                    execution,
                    ..RouterOptions::default()
                },
            )
            .unwrap();
            let e = router
                .replenishment(&inv, Sales::Events(&ev), &options("2026-11-30"))
                .unwrap_err();
            let d = &e.diagnostics[0];
            assert_eq!(d.code, "rule.return", "{rules}");
            assert_eq!(d.message, message, "{rules} {execution:?}");
            assert_eq!(d.hook.as_deref(), Some("replenish"));
            assert_eq!(d.line, Some(1), "{rules}");
            assert!(d.warehouse.is_some(), "{rules}");
            assert_eq!(d.path.as_deref(), path, "{rules}");
        }
    }
    // A misspelt proposal field is found by `check`, before anything runs.
    let report = stockroute::check("fn replenish(w, sku, p) { p.propsoe }", None);
    assert!(!report.ok);
    assert!(report.diagnostics[0].message.contains("propsoe"));
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("did you mean `propose`?")
    );
    // A runaway rule stops at the operation limit, naming the hook.
    let router = Router::new(
        "fn replenish(w, sku, p) { loop {} }",
        RouterOptions::default(),
    )
    .unwrap();
    let e = router
        .replenishment(&inv, Sales::Events(&ev), &options("2026-11-30"))
        .unwrap_err();
    assert_eq!(e.code, "rule.limit");
    assert_eq!(e.diagnostics[0].hook.as_deref(), Some("replenish"));
}

#[test]
fn decimal_goods_keep_cents_and_untracked_own_stock_is_unlimited() {
    let mut v = inventory_json();
    v["warehouses"][2]["terms"] = json!({"replenish": {"min": "2.5", "max": "10.25"}}); // CON-B
    v["stock"][4] = json!({"warehouse": "CON-B", "sku": "ROPE", "on_hand": "1.75"});
    v["products"][1]["track_inventory"] = json!(false); // MAT untracked
    let inv = prepared(v);
    let text = "";
    let router = Router::new(text, RouterOptions::default()).unwrap();
    let r = router
        .replenishment(&inv, Sales::Events(&[]), &options("2026-11-30"))
        .unwrap();
    // ROPE in metres: 1.75 ≤ 2.5 → 10.25 − 1.75 = 8.5, exactly; nothing sold, no period end.
    let rope = find(&r, "CON-B", "ROPE");
    assert_eq!((rope.propose, rope.sold_per_day), (d("8.5"), d("0")));
    assert_eq!(rope.days_of_cover, None);
    let mat = r.own.iter().find(|o| o.sku == "MAT");
    // CON-C asks for MAT by cover but nothing sold: target 0, nothing to send, though the
    // own stock is unlimited.
    assert_eq!(find(&r, "CON-C", "MAT").propose, d("0"));
    assert!(mat.is_some_and(|m| m.unlimited));
}

#[test]
fn sell_through_can_come_from_recorded_stock_counts() {
    let mut inv = prepared(inventory_json());
    let mut history = SalesHistory::new();
    let sync = |inv: &mut PreparedInventory, h: &mut SalesHistory, date: &str, qty: i64| {
        let rows = [StockUpdate {
            sku: "MAT".into(),
            on_hand: Some(Decimal::from(qty)),
            ..StockUpdate::default()
        }];
        let changes = inv.sync_warehouse("CON-B", &rows).unwrap();
        h.record(inv, date, &changes).unwrap()
    };
    // CON-B starts at 3. Counts: 20 after a delivery (not a sale), then 12, 12 and 6:
    // 8 + 6 = 14 gone in the window, as the event log said.
    assert_eq!(sync(&mut inv, &mut history, "2026-11-01", 20), 0);
    assert_eq!(sync(&mut inv, &mut history, "2026-11-10", 12), 1);
    assert_eq!(sync(&mut inv, &mut history, "2026-11-20", 12), 0);
    assert_eq!(sync(&mut inv, &mut history, "2026-11-29", 6), 1);
    assert_eq!(history.entries(), 2);
    let router = Router::new("", RouterOptions::default()).unwrap();
    let r = router
        .replenishment(&inv, Sales::History(&history), &options("2026-11-30"))
        .unwrap();
    let b = find(&r, "CON-B", "MAT");
    // 14 in 28 days: 0.5 a day; 6 on hand: reorder point 4, so nothing to send yet.
    assert_eq!(b.sold, d("14"));
    assert_eq!(b.sold_per_day, d("0.5"));
    assert_eq!((b.reorder_point, b.propose), (d("4"), d("0")));
    assert!(says(b, "14 gone at stock counts"), "{:?}", b.why);
    // Own warehouses' counts are not kept; a bad date is an options error.
    let own = inv
        .sync_warehouse(
            "OWN",
            &[StockUpdate {
                sku: "MAT".into(),
                on_hand: Some(Decimal::from(1)),
                ..StockUpdate::default()
            }],
        )
        .unwrap();
    assert_eq!(history.record(&inv, "2026-11-30", &own).unwrap(), 0);
    let e = history.record(&inv, "30.11.2026", &own).unwrap_err();
    assert_eq!(
        (e.code, e.diagnostics[0].path.as_deref()),
        ("options.invalid", Some("date"))
    );
}

#[test]
fn the_history_keeps_91_days_and_one_entry_per_day() {
    let mut inv = prepared(inventory_json());
    let mut history = SalesHistory::new();
    // 200 daily counts, each one unit lower, plus a second count on each day.
    let start = time::Date::from_calendar_date(2026, time::Month::January, 1).unwrap();
    let mut on_hand = 1000;
    for n in 0..200 {
        let date = stockroute::consignment::dates::format_date(start + time::Duration::days(n));
        for _ in 0..2 {
            on_hand -= 1;
            let changes = inv
                .sync_warehouse(
                    "CON-B",
                    &[StockUpdate {
                        sku: "MAT".into(),
                        on_hand: Some(Decimal::from(on_hand)),
                        ..StockUpdate::default()
                    }],
                )
                .unwrap();
            history.record(&inv, &date, &changes).unwrap();
        }
    }
    // Kept: the last 91 days, one entry each (two counts of a day merge).
    assert_eq!(history.entries(), 91);
    let router = Router::new("", RouterOptions::default()).unwrap();
    let last = stockroute::consignment::dates::format_date(start + time::Duration::days(199));
    let mut o = options(&last);
    o.window_days = 91;
    let r = router
        .replenishment(&inv, Sales::History(&history), &o)
        .unwrap();
    // 2 a day over the 91 days.
    assert_eq!(find(&r, "CON-B", "MAT").sold, d("182"));
}

#[test]
fn bad_options_are_named() {
    let inv = prepared(inventory_json());
    let router = Router::new("", RouterOptions::default()).unwrap();
    let e = router
        .replenishment(
            &inv,
            Sales::Events(&[]),
            &ReplenishOptions {
                as_of: "2026-13-01".into(),
                window_days: 0,
                warehouses: vec!["OWN".into(), "MARS".into()],
            },
        )
        .unwrap_err();
    let got: Vec<(&str, Option<&str>)> = e
        .diagnostics
        .iter()
        .map(|d| (d.code, d.path.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("options.invalid", Some("as_of")),
            ("options.invalid", Some("window_days")),
            ("options.invalid", Some("warehouses[0]")),
            ("options.invalid", Some("warehouses[1]")),
        ]
    );
    assert_eq!(
        e.diagnostics[2].message,
        "`OWN` is an own warehouse, not a consignment location"
    );
    let e = router
        .replenishment(&inv, Sales::Events(&[]), &ReplenishOptions::default())
        .unwrap_err();
    assert_eq!(
        e.message,
        "`as_of` is required: the day the proposals are for (at `as_of`)"
    );
    let e = ReplenishOptions::from_json(r#"{"as_of": "2026-11-30", "window": 7}"#).unwrap_err();
    assert_eq!(e.code, "options.invalid");
    // Only the locations asked for.
    let r = router
        .replenishment(
            &inv,
            Sales::Events(&[]),
            &ReplenishOptions {
                as_of: "2026-11-30".into(),
                warehouses: vec!["CON-B".into()],
                ..ReplenishOptions::default()
            },
        )
        .unwrap();
    assert!(r.proposals.iter().all(|p| p.warehouse == "CON-B"));
    assert!(!r.proposals.is_empty());
}

#[test]
fn bad_replenishment_terms_are_refused_with_the_field() {
    for (terms, path, message) in [
        (
            json!({"min": 2}),
            "warehouses[1].terms.replenish.max",
            "`warehouses[1].terms.replenish` has `min` but no `max`",
        ),
        (
            json!({"min": 5, "max": 2}),
            "warehouses[1].terms.replenish.min",
            "`warehouses[1].terms.replenish.min` must not be above `max`: got min `5`, max `2`",
        ),
        (
            json!({"min": 1, "max": 2, "days_of_cover": 7}),
            "warehouses[1].terms.replenish.days_of_cover",
            "`warehouses[1].terms.replenish` mixes unit levels (`min`, `max`) with `days_of_cover`",
        ),
        (
            json!({"days_of_cover": 0}),
            "warehouses[1].terms.replenish.days_of_cover",
            "`warehouses[1].terms.replenish.days_of_cover` must be more than 0 days, got `0`",
        ),
        (
            json!({"lead_time_days": 3}),
            "warehouses[1].terms.replenish",
            "`warehouses[1].terms.replenish` needs `min` and `max`, or `days_of_cover`",
        ),
        (
            json!({"min": -1, "max": 2}),
            "warehouses[1].terms.replenish.min",
            "`warehouses[1].terms.replenish.min` must not be negative, got `-1`",
        ),
    ] {
        let mut v = inventory_json();
        v["warehouses"][1]["terms"]["replenish"] = terms.clone();
        let e = PreparedInventory::new(serde_json::from_value(v).unwrap()).unwrap_err();
        let d = e
            .diagnostics
            .iter()
            .find(|d| d.path.as_deref() == Some(path))
            .unwrap_or_else(|| panic!("{terms}: {e}"));
        assert_eq!(d.message, message, "{terms}");
    }
    // Unknown keys and fractional lead times are JSON errors naming the field.
    let mut v = inventory_json();
    v["warehouses"][1]["terms"]["replenish"] = json!({"min": 1, "max": 2, "lead_time_days": 2.5});
    let e = stockroute::json::from_str::<stockroute::Inventory>(&v.to_string(), "inventory")
        .unwrap_err();
    assert_eq!(
        e.diagnostics[0].path.as_deref(),
        Some("warehouses[1].terms.replenish.lead_time_days")
    );
    assert!(
        e.message.contains("must be a whole number"),
        "{}",
        e.message
    );
    v["warehouses"][1]["terms"]["replenish"] = json!({"min": 1, "maximum": 2});
    let e = stockroute::json::from_str::<stockroute::Inventory>(&v.to_string(), "inventory")
        .unwrap_err();
    assert!(
        e.message.contains("unknown field `maximum`"),
        "{}",
        e.message
    );
}

#[test]
fn forwarded_shipments_leave_the_shelf_like_sales() {
    let inv = prepared(inventory_json());
    let text = r#"{"type": "shipment", "date": "2026-11-12", "warehouse": "CON-B", "lines": [{"sku": "MAT", "qty": 7}]}
{"type": "sale", "date": "2026-11-13", "warehouse": "CON-B", "lines": [{"sku": "MAT", "qty": 7}]}"#;
    let ev = settlement::parse_events(&inv, text).unwrap();
    let router = Router::new("", RouterOptions::default()).unwrap();
    let r = router
        .replenishment(&inv, Sales::Events(&ev), &options("2026-11-30"))
        .unwrap();
    let b = find(&r, "CON-B", "MAT");
    // 7 sold + 7 forwarded = 14 in 28 days: 0.5 a day, as in the days-of-cover test.
    assert_eq!(
        (b.sold, b.forwarded, b.sold_per_day),
        (d("7"), d("7"), d("0.5"))
    );
    assert!(
        says(b, "sold 7 and shipped 7 for own orders"),
        "{:?}",
        b.why
    );
    assert_eq!(b.propose, d("15"));
}

// ---- docs/replenishment.md -----------------------------------------------------------------

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

/// Fenced blocks of a Markdown file: (info string, body).
fn fenced_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn doc_block(info: &str) -> String {
    let blocks = fenced_blocks(&read("docs/replenishment.md"));
    let found: Vec<String> = blocks
        .into_iter()
        .filter(|(i, _)| i == info)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "docs/replenishment.md needs one ```{info} block"
    );
    found.into_iter().next().unwrap()
}

fn sample() -> PreparedInventory {
    prepared(serde_json::from_str(&read("examples/inventory.json")).unwrap())
}

#[test]
fn every_fenced_block_of_the_replenishment_doc_is_checked() {
    let known = [
        "json terms",
        "json proposal",
        "json manual-plan",
        "json bad-plan",
        "json violations",
        "rhai",
        "sh",
        "text",
        "js",
    ];
    for (info, _) in fenced_blocks(&read("docs/replenishment.md")) {
        assert!(known.contains(&info.as_str()), "unchecked block ```{info}");
    }
}

#[test]
fn the_doc_terms_are_accepted_and_the_doc_proposal_is_what_the_sample_gives() {
    let terms: Vec<Value> = serde_json::from_str(&doc_block("json terms")).unwrap();
    for t in terms {
        let mut v = inventory_json();
        v["warehouses"][1]["terms"]["replenish"] = t.clone();
        assert!(
            PreparedInventory::new(serde_json::from_value(v).unwrap()).is_ok(),
            "{t}"
        );
    }
    let inv = sample();
    let ev = settlement::parse_events(&inv, &read("examples/events.jsonl")).unwrap();
    let router = Router::new("", RouterOptions::default()).unwrap();
    let r = router
        .replenishment(&inv, Sales::Events(&ev), &options("2026-11-30"))
        .unwrap();
    let documented: Value = serde_json::from_str(&doc_block("json proposal")).unwrap();
    let p = find(&r, "CON-HAM", "BOOT-42");
    assert_eq!(serde_json::to_value(p).unwrap(), documented);
    // The sample's terms: CON-ZRH has none.
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].warehouse, "CON-ZRH");
}

#[test]
fn the_doc_rule_is_the_rule_set_and_compiles() {
    let rule = doc_block("rhai");
    let file = read("rules/consignment-replenishment.rhai");
    assert!(
        file.contains(rule.trim()),
        "the doc's rule differs from the file"
    );
    let report = stockroute::check(&file, None);
    assert!(report.ok && report.diagnostics.is_empty(), "{report:?}");
    assert_eq!(
        serde_json::to_value(&report.modes).unwrap(),
        json!([{"hook": "replenish", "mode": "compiled"}])
    );
    // What the doc says it does on the sample: BOOT-42 3 → 4 (whole pairs), JKT-L kept.
    let inv = sample();
    let ev = settlement::parse_events(&inv, &read("examples/events.jsonl")).unwrap();
    let router = Router::new(&file, RouterOptions::default()).unwrap();
    let r = router
        .replenishment(&inv, Sales::Events(&ev), &options("2026-11-30"))
        .unwrap();
    let sent: Vec<(&str, &str, Decimal, Option<RuleDecision>)> = r
        .proposals
        .iter()
        .filter(|p| !p.propose.is_zero())
        .map(|p| (p.warehouse.as_str(), p.sku.as_str(), p.propose, p.rule))
        .collect();
    assert_eq!(
        sent,
        [
            ("CON-HAM", "BOOT-42", d("4"), Some(RuleDecision::Adjusted)),
            ("CON-HAM", "JKT-L", d("3"), Some(RuleDecision::Kept)),
        ]
    );
}

#[test]
fn the_doc_plans_check_as_the_doc_says() {
    let inv = sample();
    let router = Router::new(
        &read("rules/own-first-then-consignment.rhai"),
        RouterOptions::default(),
    )
    .unwrap();
    let order: stockroute::Order = serde_json::from_str(&read("examples/held-order.json")).unwrap();
    // The order is the one the demo rules hold.
    assert_eq!(
        router.route(&order, &inv).unwrap().status,
        stockroute::PlanStatus::Held
    );
    let opts = stockroute::ValidateOptions {
        as_of: Some("2026-11-30".into()),
    };
    let plan: stockroute::ManualPlan =
        serde_json::from_str(&doc_block("json manual-plan")).unwrap();
    let file: stockroute::ManualPlan =
        serde_json::from_str(&read("examples/manual-plan.json")).unwrap();
    assert_eq!(plan, file);
    let v = router.validate(&order, &plan, &inv, &opts).unwrap();
    assert!(v.valid, "{:?}", v.violations);
    assert_eq!(v.plan.unwrap().status, stockroute::PlanStatus::Partial);
    let bad: stockroute::ManualPlan = serde_json::from_str(&doc_block("json bad-plan")).unwrap();
    let v = router.validate(&order, &bad, &inv, &opts).unwrap();
    let got: Vec<Value> = v
        .violations
        .iter()
        .map(|d| {
            let mut m = serde_json::Map::new();
            for key in ["orderLine", "warehouse", "path", "message"] {
                let value = serde_json::to_value(d).unwrap()[key].clone();
                if !value.is_null() {
                    m.insert(key.into(), value);
                }
            }
            Value::Object(m)
        })
        .collect();
    let documented: Vec<Value> = serde_json::from_str(&doc_block("json violations")).unwrap();
    assert_eq!(got, documented);
}

#[test]
fn the_expectation_shown_in_the_test_case_doc_is_a_real_case_entry() {
    let doc = read("docs/test-cases.md");
    let after = doc.split("### Replenishment expectations").nth(1).unwrap();
    let shown: Value = serde_json::from_str(
        after
            .split("```json")
            .nth(1)
            .and_then(|b| b.split_once('\n'))
            .unwrap()
            .1
            .split("```")
            .next()
            .unwrap(),
    )
    .unwrap();
    let case: Value = serde_json::from_str(&read(
        "rules/cases/consignment-replenishment/01-min-max-fills-up-to-max.json",
    ))
    .unwrap();
    let entry = &case["expect"][0];
    let strip = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("why_contains");
        v
    };
    assert_eq!(strip(&shown), strip(entry));
    for w in shown["why_contains"].as_array().unwrap() {
        assert!(entry["why_contains"].as_array().unwrap().contains(w));
    }
}
