#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Compiled hooks against the interpreter, the reference semantics: for every hook call,
//! the same result or the same error (code, message, position), the same operations
//! counted, the same notes and hold request. A corpus of hand-written hooks covering what
//! the compiler supports, then generated hooks (property test), then every rule set and
//! case in `rules/` run with compilation forced off and on.

mod common;
use common::*;
use serde_json::json;
use stockroute::rules::testing::compare;
use stockroute::*;

fn orders() -> Vec<Order> {
    vec![
        order(json!([
            {"id": "1", "sku": "CHAIR", "qty": 2, "unit_price": "49.90", "tags": ["gift"]},
            {"id": "2", "sku": "LAMP", "qty": "1.5"}
        ])),
        order_with(
            "marketplace",
            "AT",
            json!([{"id": "a", "sku": "TABLE", "qty": 1}]),
        ),
        serde_json::from_value(json!({
            "id": "b2b-7", "channel": "webshop",
            "customer": {"type": "b2b", "id": "C-1", "tags": ["vip"]},
            "ship_to": {"country": "DE", "postcode": "80331"},
            "lines": [{"id": "x", "sku": "ROPE", "qty": "2.25"}],
            "attributes": {"fraud_review": true, "score": 7, "note": "call", "weights": [1, 2.5]}
        }))
        .unwrap(),
    ]
}

/// Compares every hook call of `source` over the sample orders; returns how many calls the
/// compiled code answered.
fn agree(source: &str) -> usize {
    let inv = inventory();
    let mut compiled = 0;
    for o in orders() {
        let calls = compare(source, &Limits::default(), &inv, &o)
            .unwrap_or_else(|e| panic!("does not compile: {e}\n{source}"));
        for c in calls {
            assert!(
                c.agrees(),
                "{source}\ncall {} (compiled: {})\n  interpreted: {}\n  compiled:    {}",
                c.call,
                c.compiled,
                c.interpreted,
                c.compiled_outcome
            );
            compiled += usize::from(c.compiled);
        }
    }
    compiled
}

/// Hooks the compiler covers: each must be answered by compiled code at least once.
const COVERED: &[&str] = &[
    "fn eligible(o, w) { true }",
    "fn eligible(o, w) { w.consignment }",
    "fn eligible(o, w) { !w.consignment }",
    "fn eligible(o, w) { w.country == o.ship_to.country }",
    "fn eligible(o, w) { o.customer.type != \"b2b\" || !w.consignment }",
    "fn eligible(o, w) { if w.consignment { o.customer.type != \"b2b\" && w.country == o.ship_to.country } else { true } }",
    "const EU = [\"DE\", \"AT\", \"NL\"];\nfn eligible(o, w) { o.ship_to.country in EU && w.country in EU }",
    "fn eligible(o, w) { \"main\" in w.tags || w.priority < 3 }",
    "fn eligible(o, w) { let c = w.country; c == \"DE\" }",
    "fn eligible(o, w) { w.terms != () }",
    "fn eligible(o, w) { w.location != () }",
    "fn eligible(o, w) { w.kind == \"own\" && w.enabled }",
    "fn eligible(o, w) { o.value > 50 }",
    "fn eligible(o, w) { o.lines.len() < 3 }",
    "fn eligible(o, w) { for l in o.lines { if l.qty > 1 { return w.priority < 3; } } true }",
    "fn eligible(o, w) { let n = 0; for l in o.lines { n += 1; } n > 1 }",
    "fn eligible(o, w) { switch w.country { \"DE\" => true, \"AT\" | \"CH\" => w.priority > 2, _ => false } }",
    "fn eligible(o, w) { o.attributes.get(\"fraud_review\") != true }",
    "fn eligible(o, w) { \"vip\" in o.customer.tags }",
    "fn rank(o, w) { w.priority }",
    "fn rank(o, w) { [w.priority, 1] }",
    "fn rank(o, w) { [if w.consignment { 1 } else { 0 }, w.priority] }",
    "fn rank(o, w) { if w.location != () && o.ship_to.location != () { distance_km(w, o.ship_to) } else { 0 } }",
    "fn rank(o, w) { -w.priority }",
    "fn rank(o, w) { w.priority * 10 + 3 }",
    "fn rank(o, w) { w.priority / 2 }",
    "fn rank(o, w) { w.priority % 2 }",
    "fn rank(o, w) { 0.5 * w.priority }",
    "fn rank(o, w) { let s = 0; for i in 0..w.priority { s += i; } s }",
    "fn rank(o, w) { min(w.priority, 3) }",
    "fn rank(o, w) { max(w.priority, 2.5) }",
    "fn rank(o, w) { available(w.id, \"CHAIR\") }",
    "fn rank(o, w) { let s = stock(w.id, \"CHAIR\"); if s == () { 99 } else { s.available } }",
    "fn helper(w) { w.priority + 1 }\nfn rank(o, w) { helper(w) * 2 }",
    "fn depth(n) { if n <= 0 { 0 } else { 1 + depth(n - 1) } }\nfn rank(o, w) { depth(w.priority) }",
    "fn rank(o, w) { let x = [1, 2, 3]; x[1] + x.len() }",
    "fn rank(o, w) { let m = #{ a: 1, b: 2 }; m.a + m[\"b\"] }",
    "fn rank(o, w) { let a = []; a.push(w.priority); a.push(2); a.len() }",
    "fn rank(o, w) { let m = #{}; m[w.id] = 1; m.x = 2; m.len() }",
    "fn rank(o, w) { let s = `${w.id}-${w.priority}`; s.len() }",
    "fn rank(o, w) { let i = 0; while i < 5 { i += 1; } i }",
    "fn rank(o, w) { let i = 0; loop { i += 1; if i > 3 { break; } } i }",
    "fn rank(o, w) { let i = 0; do { i += 2; } while i < 5; i }",
    "fn rank(o, w) { let t = 0; for (x, k) in [3, 4] { t += x * k; } t }",
    "fn rank(o, w) { w.priority ?? 1 }",
    "fn split(o) { #{ strategy: \"per_line_priority\", max_shipments: 3 } }",
    "const MAX = 2;\nfn split(o) { #{ max_shipments: MAX, unfulfillable: if o.customer.type == \"b2b\" { \"hold\" } else { \"backorder\" } } }",
    "fn split(o) { if o.value < 100 { #{ max_shipments: 1 } } else { #{} } }",
    "fn split(o) { note(`order ${o.id}`); #{} }",
    "fn split(o) { if o.ship_to.country != \"DE\" { hold(\"abroad\"); } #{} }",
    "fn split(o) { #{ keep_together: \"bundle\", split_lines: false } }",
    "fn offer(c, w, sku, q) { if w.consignment { (q * 0.8).floor() } else { q } }",
    "fn offer(c, w, sku, q) { if c.id == \"marketplace\" { q.floor() } else { q.round(1) } }",
    "fn adjust(c, sku, q) { let p = product(sku); if p == () { q } else { min(q, 2) } }",
    "fn adjust(c, sku, q) { if c.include_consignment { q } else { max(q - 1, 0) } }",
    "fn route(o, inv) { #{ backorders: o.lines.map(|l| #{ line: l.id, qty: l.qty }) } }",
    "fn route(o, inv) { let b = []; for l in o.lines { b.push(#{ line: l.id, qty: l.qty }); } #{ backorders: b } }",
    "fn route(o, inv) { if o.attributes.get(\"fraud_review\") == true { return #{ hold: \"fraud\" }; } let s = []; for l in o.lines { s.push(#{ line: l.id, qty: l.qty }); } #{ shipments: [#{ warehouse: inv.warehouses[0].id, lines: s }] } }",
];

#[test]
fn hand_written_hooks_agree_and_compile() {
    let mut not_compiled = Vec::new();
    for source in COVERED {
        if agree(source) == 0 && !source.contains(".map(") {
            not_compiled.push(*source);
        }
    }
    assert!(
        not_compiled.is_empty(),
        "never answered by compiled code:\n{}",
        not_compiled.join("\n")
    );
}

/// Hooks that fail, hit limits or do what the compiler hands to the interpreter: both modes
/// must report the same thing.
const ERRORS: &[&str] = &[
    "fn prio(x) { x.prio }\nfn rank(o, w) { prio(w) }",
    "fn rank(o, w) { w.priority / 0 }",
    "fn rank(o, w) { 9223372036854775807 + w.priority }",
    "fn rank(o, w) { \"x\" - w.priority }",
    "fn rank(o, w) { w.id + 1 }",
    "fn rank(o, w) { w.tags[9] }",
    "fn rank(o, w) { let m = #{}; m.nope }",
    "fn rank(o, w) { loop {} }",
    "fn rank(o, w) { let s = \"x\"; loop { s += s; } }",
    "fn rank(o, w) { let a = []; loop { a.push(1); } }",
    "fn rank(o, w) { throw \"no\"; }",
    "fn rank(o, w) { w.c = 1; 0 }",
    "fn eligible(o, w) { 1 }",
    "fn eligible(o, w) { if w.priority { true } else { false } }",
    "fn rank(o, w) { \"a\" }",
    "fn rank(o, w) { [1, \"a\"] }",
    "fn f(n) { f(n + 1) }\nfn rank(o, w) { f(0) }",
    "fn split(o) { let s = \"cheapest\"; #{ strategy: s } }",
    "fn split(o) { let p = #{}; p.max_shipmnts = 2; p }",
    "fn split(o) { for i in 0..2000 { note(\"x\"); } #{} }",
    "fn offer(c, w, sku, q) { q * 2 }",
    "fn offer(c, w, sku, q) { \"lots\" }",
    "fn adjust(c, sku, q) { q / 0 }",
    "fn route(o, inv) { #{ shipments: [#{ warehouse: \"nowhere\", lines: [] }] } }",
    "fn route(o, inv) { 5 }",
    "fn rank(o, w) { distance_km(w, o.ship_to) }",
    "fn rank(o, w) { w.priority.floor() }",
    "fn rank(o, w) { abs(-9223372036854775807 - 1) }",
    "fn rank(o, w) { let x = 'c'; x }",
    "fn rank(o, w) { type_of(w).len() }",
];

#[test]
fn errors_and_limits_agree() {
    for source in ERRORS {
        agree(source);
    }
}

#[test]
fn limits_run_out_at_the_same_operation() {
    // A loop whose cost crosses the per-call limit: with every limit from just below to
    // just above the cost, both modes must agree on success or failure.
    let source =
        "fn rank(o, w) { let s = 0; for i in 0..40 { if i % 3 == 0 { s += w.priority; } } s }";
    let inv = inventory();
    let o = &orders()[0];
    for max in 150..260 {
        let limits = Limits {
            max_operations: max,
            ..Limits::default()
        };
        for c in compare(source, &limits, &inv, o).unwrap() {
            assert!(
                c.agrees(),
                "max {max}: {} vs {}",
                c.interpreted,
                c.compiled_outcome
            );
        }
    }
}

#[test]
#[ignore]
fn calibrate() {
    let inv = inventory();
    let o = &orders()[0];
    for src in std::env::var("SNIPPETS").unwrap().split(";;") {
        for c in compare(src, &Limits::default(), &inv, o)
            .unwrap()
            .into_iter()
            .take(1)
        {
            println!(
                "{:<60} compiled={} | I: {} | C: {}",
                src, c.compiled, c.interpreted, c.compiled_outcome
            );
        }
    }
}

#[test]
#[ignore]
fn modes_of_the_bundled_rule_sets() {
    for dir in ["rules", "bench/rules"] {
        let mut files: Vec<_> = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
            .collect();
        files.sort();
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            let r = Router::new(&src, RouterOptions::default()).unwrap();
            println!("{}: {:?}", f.display(), r.rules().hook_modes());
        }
    }
}

// ---- generated hooks ------------------------------------------------------------------

use proptest::prelude::{prop_assert, prop_oneof, proptest, BoxedStrategy, Just, ProptestConfig};
use proptest::strategy::Strategy as _;

/// A random expression over the hook's parameters (`o`, `w`) and locals `a`, `b`.
fn expr(depth: u32) -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        Just("0".to_string()),
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("7".to_string()),
        Just("9223372036854775807".to_string()),
        Just("0.5".to_string()),
        Just("2.25".to_string()),
        Just("\"DE\"".to_string()),
        Just("\"\"".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("()".to_string()),
        Just("a".to_string()),
        Just("b".to_string()),
        Just("w.priority".to_string()),
        Just("w.country".to_string()),
        Just("w.consignment".to_string()),
        Just("w.kind".to_string()),
        Just("w.tags".to_string()),
        Just("w.location".to_string()),
        Just("w.terms".to_string()),
        Just("w.id".to_string()),
        Just("o.customer.type".to_string()),
        Just("o.customer.tags".to_string()),
        Just("o.ship_to.country".to_string()),
        Just("o.ship_to.location".to_string()),
        Just("o.value".to_string()),
        Just("o.lines.len()".to_string()),
        Just("o.lines[0].qty".to_string()),
        Just("o.lines[0].sku".to_string()),
        Just("o.attributes.get(\"score\")".to_string()),
        Just("available(w.id, \"CHAIR\")".to_string()),
        Just("[1, 2.5, \"x\"]".to_string()),
        Just("#{ k: 1, s: \"v\" }".to_string()),
    ];
    leaf.prop_recursive(depth, 48, 3, |inner| {
        let op = prop_oneof![
            Just("+"),
            Just("-"),
            Just("*"),
            Just("/"),
            Just("%"),
            Just("=="),
            Just("!="),
            Just("<"),
            Just("<="),
            Just(">"),
            Just(">="),
            Just("&&"),
            Just("||"),
        ];
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(x, o, y)| format!("({x} {o} {y})")),
            inner.clone().prop_map(|x| format!("!({x})")),
            inner.clone().prop_map(|x| format!("-({x})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, x, y)| format!("if {c} {{ {x} }} else {{ {y} }}")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("({x} in [{y}, \"DE\", 1])")),
            inner.clone().prop_map(|x| format!("(\"main\" in {x})")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("min({x}, {y})")),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| format!("max({x}, {y})")),
            inner.clone().prop_map(|x| format!("abs({x})")),
            inner.clone().prop_map(|x| format!("({x}).floor()")),
            inner.clone().prop_map(|x| format!("({x}).len()")),
            inner.clone().prop_map(|x| format!("[{x}, 1][0]")),
            inner.clone().prop_map(|x| format!("`<${{{x}}}>`")),
            inner.clone().prop_map(|x| format!(
                "switch {x} {{ 1 => \"one\", \"DE\" => 2, true => 3, _ => 0 }}"
            )),
            inner.clone().prop_map(|x| format!("helper(o, w, {x})")),
            inner.clone().prop_map(|x| format!("({x} ?? 5)")),
            inner.prop_map(|x| format!("#{{ v: {x} }}.v")),
        ]
    })
    .boxed()
}

/// A hook body: a few statements, then a value.
fn body() -> impl proptest::strategy::Strategy<Value = String> {
    let stmt = prop_oneof![
        expr(2).prop_map(|x| format!("a = {x};")),
        expr(2).prop_map(|x| format!("b += {x};")),
        expr(2).prop_map(|x| format!("if {x} {{ return a; }}")),
        expr(2).prop_map(|x| format!("for l in o.lines {{ a = {x}; }}")),
        expr(1).prop_map(|x| format!("for i in 0..3 {{ b = b + i; if {x} {{ break; }} }}")),
        expr(1).prop_map(|x| format!("let n = 0; while n < 4 {{ n += 1; a = {x}; }}")),
        expr(1).prop_map(|x| format!("let arr = []; arr.push({x}); a = arr.len();")),
        expr(1).prop_map(|x| format!("let m = #{{}}; m.k = {x}; m[\"j\"] = 1; b = m.len();")),
        expr(1).prop_map(|x| format!("note(`n ${{{x}}}`);")),
    ];
    (proptest::collection::vec(stmt, 0..4), expr(3))
        .prop_map(|(stmts, ret)| format!("let a = 1; let b = 2;\n{}\n{ret}", stmts.join("\n")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated hooks give the same results, errors, operation counts, notes and holds in
    /// both modes, for every warehouse and sample order.
    #[test]
    fn generated_hooks_agree(rank in body(), eligible in expr(3), helper in expr(2)) {
        let source = format!(
            "fn helper(o, w, x) {{ let a = x; let b = 0; {helper} }}\nfn rank(o, w) {{ {rank} }}\nfn eligible(o, w) {{ let a = true; let b = 3; {eligible} }}"
        );
        let inv = inventory();
        for o in orders() {
            let Ok(calls) = compare(&source, &Limits::default(), &inv, &o) else {
                // Some generated sources do not compile (the same in both modes).
                return Ok(());
            };
            for c in calls {
                prop_assert!(
                    c.agrees(),
                    "{source}\ncall {}\n  interpreted: {}\n  compiled:    {}",
                    c.call, c.interpreted, c.compiled_outcome
                );
            }
        }
    }
}

/// The generator must exercise the compiled code, not only sources that fail to compile
/// or calls that all bail out.
#[test]
fn generated_hooks_reach_the_compiled_code() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (body(), expr(3), expr(2));
    let (mut sources, mut compiling, mut calls, mut compiled) = (0, 0, 0, 0);
    let (mut succeeding, mut succeeding_compiled) = (0, 0);
    let inv = inventory();
    let o = &orders()[0];
    for _ in 0..150 {
        let (rank, eligible, helper) = strategy.new_tree(&mut runner).unwrap().current();
        let source = format!(
            "fn helper(o, w, x) {{ let a = x; let b = 0; {helper} }}\nfn rank(o, w) {{ {rank} }}\nfn eligible(o, w) {{ let a = true; let b = 3; {eligible} }}"
        );
        sources += 1;
        let r = compare(&source, &Limits::default(), &inv, o);
        if let Err(e) = &r {
            if std::env::var_os("SHOW").is_some() {
                println!("{e}");
            }
        }
        if let Ok(cs) = r {
            compiling += 1;
            for c in cs {
                assert!(
                    c.agrees(),
                    "{source}\n{}\n{}\n{}",
                    c.call,
                    c.interpreted,
                    c.compiled_outcome
                );
                calls += 1;
                compiled += usize::from(c.compiled);
                if c.interpreted.starts_with("ok") {
                    succeeding += 1;
                    succeeding_compiled += usize::from(c.compiled);
                }
                if !c.compiled
                    && c.interpreted.starts_with("ok")
                    && std::env::var_os("GAPS").is_some()
                {
                    let modes = Router::new(&source, RouterOptions::default())
                        .map(|r| format!("{:?}", r.rules().hook_modes()));
                    println!("GAP {} {modes:?}\n{source}\n", c.call);
                }
            }
        }
    }
    println!(
        "{compiling}/{sources} sources compile; {compiled}/{calls} calls answered by compiled code; \
         of the {succeeding} calls the interpreter answers without an error, {succeeding_compiled}"
    );
    assert!(compiling * 2 > sources, "{compiling}/{sources}");
    // Random programs mostly fail (type errors), which the interpreter reports; every call
    // that succeeds must have been answered by compiled code.
    assert!(succeeding >= 50, "only {succeeding} succeeding calls");
    assert!(
        succeeding_compiled * 10 >= succeeding * 9,
        "{succeeding_compiled}/{succeeding}"
    );
}

/// Whole plans, with pure hooks answered from the cache after the first orders: the same
/// as the interpreter's, order after order.
#[test]
fn plans_match_the_interpreter_with_cached_answers() {
    let source = "const EU = [\"DE\", \"AT\"];\n\
        fn eligible(o, w) { if w.consignment && o.customer.type == \"b2b\" { return false; } let d = o.ship_to.country; d == w.country || (d in EU && w.country in EU) }\n\
        fn rank(o, w) { [if \"vip\" in o.customer.tags { -w.priority } else { w.priority }, 1] }\n\
        fn split(o) { if o.customer.type == \"b2b\" { #{ strategy: \"fewest_shipments\", max_shipments: 1, unfulfillable: \"hold\" } } else { #{ strategy: \"per_line_priority\", max_shipments: 2 } } }";
    let fast = router(source);
    let slow = Router::new(
        source,
        RouterOptions {
            execution: Execution::Interpreted,
            ..RouterOptions::default()
        },
    )
    .unwrap();
    let inv = inventory();
    let mut orders = Vec::new();
    for (i, (kind, country, tags)) in [
        ("b2c", "DE", json!([])),
        ("b2b", "DE", json!(["vip"])),
        ("b2c", "AT", json!(["vip"])),
        ("b2b", "FR", json!([])),
    ]
    .iter()
    .cycle()
    .take(200)
    .enumerate()
    {
        orders.push(
            serde_json::from_value::<Order>(json!({
                "id": format!("o{i}"), "channel": "webshop",
                "customer": {"type": kind, "tags": tags},
                "ship_to": {"country": country},
                "lines": [{"id": "1", "sku": "CHAIR", "qty": 1 + i % 4}, {"id": "2", "sku": "LAMP", "qty": 1}]
            }))
            .unwrap(),
        );
    }
    for o in &orders {
        let (a, b) = (fast.route(o, &inv), slow.route(o, &inv));
        assert_eq!(
            serde_json::to_string(&a.map_err(|e| e.to_string())).unwrap(),
            serde_json::to_string(&b.map_err(|e| e.to_string())).unwrap(),
            "{}",
            o.id
        );
    }
    let (compiled, fallbacks) = fast.rules().stats();
    assert!(
        compiled > 1000 && fallbacks == 0,
        "{compiled} compiled, {fallbacks} fallbacks"
    );
}

#[path = "../fuzz/fuzz_targets/common.rs"]
mod fuzz_common;

/// The `compiled` fuzz target's corpus (every bundled rule set among it), replayed on
/// every test run: `fuzz/ci.sh` explores further when a nightly toolchain is present.
#[test]
fn fuzz_corpus_agrees() {
    let inv = PreparedInventory::new(
        stockroute::json::from_str::<Inventory>(fuzz_common::INVENTORY, "inventory").unwrap(),
    )
    .unwrap();
    let order = stockroute::json::from_str::<Order>(fuzz_common::ORDER, "order").unwrap();
    let limits = fuzz_common::options().limits;
    let mut ran = 0;
    for dir in ["fuzz/seeds/compiled", "fuzz/artifacts/compiled"] {
        let Ok(entries) = std::fs::read_dir(format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"))) else {
            continue;
        };
        for entry in entries {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            if let Ok(calls) = compare(&source, &limits, &inv, &order) {
                for c in calls {
                    assert!(
                        c.agrees(),
                        "{source}\n{}\n{}\n{}",
                        c.call,
                        c.interpreted,
                        c.compiled_outcome
                    );
                    ran += 1;
                }
            }
        }
    }
    assert!(ran > 50, "{ran} calls");
}
