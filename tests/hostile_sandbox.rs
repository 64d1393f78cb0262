#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Hostile rules against the interpreter's sandbox (issue 9, classes 1, 3, 5 and 7): functions
//! that panic or hang, data nested deep enough to overflow the native stack, ways around the
//! size limits, and rule files that compile slowly. A rule can fail its own order, never the
//! process, another router or another order.
//!
//! Every hostile body runs only for the order `evil`, in each hook it can run in; the same
//! router must then route the order `good` exactly as it would without the rule. Memory is
//! measured by a per-thread counting allocator: a limit that holds stops the rule long before
//! it retains hundreds of megabytes.

use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use stockroute::*;

/// Counts the bytes allocated by the current thread (other tests run on other threads).
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: the thread-locals are gone while a thread is being torn down.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its result with the most memory the thread held meanwhile, above what
/// it held before.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, usize::try_from(peak).unwrap_or(0))
}

const MIB: usize = 1024 * 1024;

/// own-a (priority 1) holds A×5 and B×5; own-b (priority 2) holds A×10; con-1 (consignment,
/// priority 3) holds B×3. Channel `web` offers consignment stock.
fn inventory() -> PreparedInventory {
    inventory_with(10)
}

fn inventory_with(own_b_a: u32) -> PreparedInventory {
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
            {"warehouse": "own-b", "sku": "A", "on_hand": own_b_a},
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

/// The default limits, named.
fn defaults() -> Limits {
    Limits::default()
}

/// Every limit at the top of its documented range: the most room a router can give a rule.
fn widest() -> Limits {
    let top = |name: &str| {
        Limits::RANGES
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(.., max)| *max)
            .unwrap()
    };
    Limits {
        max_operations: top("maxOperations"),
        max_order_operations: top("maxOrderOperations"),
        max_call_levels: top("maxCallLevels"),
        max_expr_depth: top("maxExprDepth"),
        max_function_expr_depth: top("maxFunctionExprDepth"),
        max_string_size: top("maxStringSize"),
        max_array_size: top("maxArraySize"),
        max_map_size: top("maxMapSize"),
        max_variables: top("maxVariables"),
        max_trace_notes: top("maxTraceNotes"),
        max_trace_bytes: top("maxTraceBytes"),
    }
}

fn router(source: &str, limits: Limits) -> Router {
    let options = RouterOptions {
        name: Some("hostile.rhai".into()),
        limits,
        ..RouterOptions::default()
    };
    Router::new(source, options).unwrap_or_else(|e| panic!("{source}\n{e}"))
}

/// The hooks a hostile body can run in during routing, with the rule text around it. Each
/// behaves like no rule at all for other orders.
const ROUTING_HOOKS: [(&str, &str, &str); 4] = [
    ("eligible", "fn eligible(order, w) {\n", "\n  true\n}"),
    ("rank", "fn rank(order, w) {\n", "\n  w.priority\n}"),
    ("split", "fn split(order) {\n", "\n  #{}\n}"),
    (
        "route",
        "fn route(order, inventory) {\n",
        "\n  #{ shipments: [#{ warehouse: \"own-a\", lines: [#{ line: \"1\", qty: 2 }, #{ line: \"2\", qty: 1 }] }] }\n}",
    ),
];

fn in_hook(prefix: &str, body: &str, suffix: &str) -> String {
    format!("{prefix}  if order.id == \"evil\" {{\n    {body}\n  }}{suffix}")
}

/// The ordinary order ships complete from own-a, the best-ranked warehouse holding both
/// SKUs: what the default policy (fewest shipments) must choose.
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

/// What one hostile case must end in.
#[derive(Clone, Copy)]
struct Expect {
    code: &'static str,
    /// A piece of the message, in the user's words.
    says: &'static str,
}

const fn limit(says: &'static str) -> Expect {
    Expect {
        code: "rule.limit",
        says,
    }
}

const fn runtime(says: &'static str) -> Expect {
    Expect {
        code: "rule.runtime",
        says,
    }
}

/// Runs `body` in every routing hook under `limits`: the evil order fails with `expect` in
/// that hook, twice, and the same router routes the good order correctly after each.
fn in_every_hook(body: &str, expect: Expect, limits: Limits) {
    let inv = inventory();
    for (hook, prefix, suffix) in ROUTING_HOOKS {
        let source = in_hook(prefix, body, suffix);
        let r = router(&source, limits);
        for _ in 0..2 {
            let e = r
                .route(&order("evil"), &inv)
                .expect_err(&format!("hostile rule produced a plan:\n{source}"));
            let d = &e.diagnostics[0];
            assert_eq!(e.code, d.code, "the error's code is its first diagnostic's");
            assert_eq!(d.code, expect.code, "{source}\n{d}");
            assert_eq!(d.hook.as_deref(), Some(hook), "{source}\n{d}");
            assert_eq!(d.rule.as_deref(), Some("hostile.rhai"));
            assert_eq!(d.order.as_deref(), Some("evil"));
            assert!(
                d.message.contains(expect.says),
                "{source}\nexpected `{}` in: {d}",
                expect.says
            );
            assert!(!d.message.starts_with(char::is_uppercase), "{d}");
            assert!(d.line.is_some(), "points into the rule: {d}");
            routes_good_order(&r, &inv);
        }
    }
}

/// The availability hooks: `body` runs for own-b's 10 units of A (`offer`) or for SKU A
/// (`adjust`). Availability fails with `expect`; the same router then routes, and computes
/// the availability of an inventory where own-b holds 9 units: A = 5 + 9, B = 5 + 3.
fn in_availability_hooks(body: &str, expect: Expect) {
    let hooks = [
        (
            "offer",
            format!("fn offer(channel, w, sku, qty) {{\n  if qty == 10 {{\n    {body}\n  }}\n  qty\n}}"),
        ),
        (
            "adjust",
            format!("fn adjust(channel, sku, qty) {{\n  if sku == \"A\" && qty == 15 {{\n    {body}\n  }}\n  qty\n}}"),
        ),
    ];
    for (hook, source) in hooks {
        let r = router(&source, defaults());
        let e = r
            .available(&inventory(), Some("web"))
            .expect_err(&format!("availability despite:\n{source}"));
        let d = &e.diagnostics[0];
        assert_eq!(d.code, expect.code, "{source}\n{d}");
        assert_eq!(d.hook.as_deref(), Some(hook), "{source}\n{d}");
        assert!(d.message.contains(expect.says), "{source}\n{d}");
        routes_good_order(&r, &inventory());
        let a = r.available(&inventory_with(9), Some("web")).unwrap();
        let offered: Vec<(&str, String)> = a
            .items
            .iter()
            .map(|i| (i.sku.as_str(), i.offered.to_string()))
            .collect();
        assert_eq!(offered, [("A", "14".into()), ("B", "8".into())], "{source}");
    }
}

/// A top-level constant evaluated at compile time: the router is refused with `expect`, and
/// the next router in the same process compiles and routes.
fn in_constant(expr: &str, expect: Expect) {
    let source = format!("const X = {expr};\nfn eligible(order, w) {{ true }}");
    let e = Router::new(&source, RouterOptions::default()).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(d.code, expect.code, "{source}\n{d}");
    assert!(d.message.contains(expect.says), "{source}\n{d}");
    let report = stockroute::check(&source, Some("hostile.rhai"));
    assert!(!report.ok);
    assert_eq!(report.diagnostics[0].code, expect.code);
    routes_good_order(
        &router("fn eligible(order, w) { true }", defaults()),
        &inventory(),
    );
}

// Class 1: functions that panic, hang or do not exist on wasm32.

#[test]
fn decimal_maths_that_overflows_is_a_runtime_error_in_every_hook() {
    for (body, says) in [
        ("return tan(PI() / 2);", "tan"),
        ("return tan(-PI() / 2);", "tan"),
        ("return tan(PI() / 2 + 2 * PI());", "tan"),
        ("return (PI() / 2).tan();", "tan"),
        ("return sqrt(-1.0);", "sqrt"),
        ("return exp(1000.0);", "xponential"),
        ("return ln(0.0);", "log"),
        ("return log(-1.0);", "log"),
        (
            "return to_int(79228162514264337593543950335.0);",
            "overflow",
        ),
        ("return 79228162514264337593543950335.0 ** 2;", "overflow"),
        ("return parse_decimal(\"1e999999999\");", "decimal"),
    ] {
        in_every_hook(body, runtime(says), defaults());
    }
}

#[test]
fn functions_that_block_or_do_not_exist_in_webassembly_are_not_available() {
    // `sleep` blocks the host's thread (one rule would stall every router on it) and panics
    // on wasm32; `exit`, `parse_json` and BLOBs are not part of the rule API.
    for (body, says) in [
        ("sleep(1);", "sleep"),
        ("sleep(0);", "sleep"),
        ("sleep(9223372036854775807);", "sleep"),
        ("exit(1);", "exit"),
        ("return parse_json(\"[[[[1]]]]\");", "parse_json"),
        ("let b = blob(10);", "blob"),
        ("let t = timestamp();", "timestamp"),
    ] {
        in_every_hook(body, runtime(says), defaults());
    }
}

#[test]
fn pad_with_huge_lengths_stops_at_the_array_limit() {
    // Rhai's own `pad` multiplied the padded size without overflow checks: a panic in debug
    // builds, a wrapped size that passes the check and then an abort in release builds.
    for body in [
        "let a = [1]; a.pad(9223372036854775807, [1, 2]);",
        "let a = [1]; a.pad(4294967296, [1, 2]);",
        "let a = [1]; a.pad(4611686018427387904, #{ a: 1, b: 2, c: 3 });",
        "let a = []; a.pad(3000, 0);",
    ] {
        in_every_hook(body, limit("array"), defaults());
    }
}

#[test]
fn padding_a_string_with_nothing_returns() {
    // Rhai's string `pad` looped forever on an empty padding, without counting operations.
    for body in [
        "let s = \"x\"; s.pad(10, \"\"); throw `padded ${s.len()}`;",
        "let s = \"\"; s.pad(1000000, \"\"); throw `padded ${s.len()}`;",
    ] {
        in_every_hook(body, runtime("padded"), defaults());
    }
    in_every_hook(
        "let s = \"x\"; s.pad(5, \"ab\"); throw `padded ${s}`;",
        runtime("padded xabab"),
        defaults(),
    );
}

#[test]
fn sorting_with_a_comparer_that_is_not_an_order_finishes() {
    // The standard library's sort may panic when the comparer is not a total order; Rhai
    // catches that with `catch_unwind`, which is an abort in WebAssembly.
    // These comparers make the standard library's sort panic on these 50 numbers (Rhai
    // 1.27, Rust 1.95): natively Rhai reports "error in comparer for sorting".
    for comparer in [
        "|x, y| if (x + y) % 3 == 0 { 1 } else { -1 }",
        "|x, y| (x * 31 + y * 17) % 3 - 1",
        "|x, y| (x ^ y) % 2 == 0",
        "|x, y| if x % 7 < y % 5 { -1 } else { 1 }",
        "|x, y| 1",
    ] {
        for f in ["sort", "order"] {
            let body = format!(
                "let a = []; for i in 0..50 {{ a.push((i * 7919) % 1009); }} let b = a.{f}({comparer}); throw `sorted ${{a.len()}}`;"
            );
            in_every_hook(&body, runtime("sorted 50"), defaults());
        }
    }
    // And an ordinary comparer still sorts, stably.
    in_every_hook(
        "let a = [[2, \"a\"], [1, \"b\"], [2, \"c\"], [1, \"d\"]]; a.sort(|x, y| x[0] - y[0]); throw `${a.map(|p| p[1])}`;",
        runtime("[\"b\", \"d\", \"a\", \"c\"]"),
        defaults(),
    );
}

#[test]
fn comparer_errors_reach_the_rule() {
    // Rhai ignored errors in the comparer and sorted by type instead.
    in_every_hook(
        "let a = [3, 1, 2]; a.sort(|x, y| throw \"cannot compare\");",
        runtime("cannot compare"),
        defaults(),
    );
    in_every_hook(
        "let a = [3, 1, 2]; a.sort(|x, y| \"bigger\");",
        runtime("must return a number"),
        defaults(),
    );
}

#[test]
fn panicking_functions_in_offer_and_adjust_are_runtime_errors() {
    in_availability_hooks("return tan(PI() / 2);", runtime("tan"));
    in_availability_hooks("sleep(1);", runtime("sleep"));
    in_availability_hooks(
        "let a = [1]; a.pad(9223372036854775807, [1, 2]);",
        limit("array"),
    );
    in_availability_hooks(
        "let a = []; for i in 0..300 { a.push(i % 7); } a.sort(|x, y| 1); throw \"sorted\";",
        runtime("sorted"),
    );
}

#[test]
fn panicking_functions_in_constants_refuse_the_rule_set() {
    in_constant("tan(PI() / 2)", runtime("tan"));
    in_constant("sleep(1)", runtime("sleep"));
    in_constant("[1].pad(9223372036854775807, [1, 2])", limit("array"));
}

// Class 3: the native stack.

/// Bodies that nest a value in itself, each kind of container and each way of building one.
const NESTING: [&str; 12] = [
    "let a = []; for i in 0..2000 { a = [#{ x: a }]; }",
    "let a = []; loop { a = [a]; }",
    "let m = #{}; loop { m = #{ x: m }; }",
    "let a = []; loop { let b = []; b.push(a); a = b; }",
    "let a = []; loop { let b = []; b.insert(0, a); a = b; }",
    "let a = []; loop { let b = [0]; b[0] = a; a = b; }",
    "let a = #{}; loop { let b = #{}; b.x = a; a = b; }",
    "let a = #{}; loop { let b = #{}; b[\"x\"] = a; a = b; }",
    "let a = []; loop { let b = []; b += [a]; a = b; }",
    "let a = #{}; loop { let b = #{}; b.mixin(#{ x: a }); a = b; }",
    "let a = Fn(\"max\"); loop { a = Fn(\"max\").curry(a); }",
    "let a = 1; loop { a = [Fn(\"max\").curry(#{ x: a })]; }",
];

#[test]
fn data_nested_in_itself_stops_at_the_depth_bound() {
    // 2,000 rounds of `[#{ x: a }]` nest 4,000 levels, each array and map under its size
    // limit: enough to overflow a 1 MiB WebAssembly stack when the value is dropped.
    for body in NESTING {
        in_every_hook(body, limit("levels deep"), defaults());
        in_every_hook(body, limit("levels deep"), widest());
    }
}

#[test]
fn nested_data_within_the_bound_is_fine() {
    // 200 levels (input JSON nests at most 128) build, copy and read like any value.
    in_every_hook(
        "let a = []; for i in 0..200 { a = [a]; } let b = a; let n = 0; while b.len() > 0 { b = b[0]; n += 1; } throw `depth ${n}`;",
        runtime("depth 200"),
        defaults(),
    );
    // Comparing nested arrays recurses through the interpreter, a call level per level.
    in_every_hook(
        "let a = []; for i in 0..20 { a = [#{ x: a }]; } let b = a; throw `equal ${a == b}`;",
        runtime("equal true"),
        defaults(),
    );
}

#[test]
fn deep_recursion_stops_with_a_limit_error() {
    // With every limit at its top, 62 calls of a 20-deep expression overflowed the 1 MiB
    // WebAssembly stack ("memory access out of bounds") before `maxCallLevels` fired. Each
    // recursion here goes on until a limit stops it: the call depth or the stack budget.
    let add = |depth: usize| {
        let mut e = "f(n - 1)".to_string();
        for _ in 0..depth {
            e = format!("1 + ({e})");
        }
        e
    };
    let wrap = |depth: usize| {
        let mut e = "f(n - 1)".to_string();
        for _ in 0..depth {
            e = format!("[{e}]");
        }
        e
    };
    // The deepest expressions each limit set lets a function contain.
    for (limits, adds, wraps) in [(defaults(), 12, 8), (widest(), 24, 10)] {
        for helper in [
            "fn f(n) { f(n + 1) }".to_string(),
            format!("fn f(n) {{ if n <= 0 {{ return 0; }} {} }}", add(adds / 2)),
            format!("fn f(n) {{ if n <= 0 {{ return 0; }} {} }}", add(adds)),
            format!("fn f(n) {{ if n <= 0 {{ return []; }} {} }}", wrap(wraps)),
            "fn f(n) { [n].map(|x| f(x + 1)) }".to_string(),
            "fn f(n) { g(n) + 1 }\nfn g(n) { f(n) + 1 }".to_string(),
            "fn f(n) { [3, 1, 2].sort(|x, y| f(x + y)); 0 }".to_string(),
        ] {
            let inv = inventory();
            for (hook, prefix, suffix) in ROUTING_HOOKS {
                let source = format!(
                    "{helper}\n{}",
                    in_hook(prefix, "return f(1000000);", suffix)
                );
                let r = router(&source, limits);
                let d = r.route(&order("evil"), &inv).unwrap_err().diagnostics[0].clone();
                assert_eq!(d.code, "rule.limit", "{source}\n{d}");
                assert_eq!(d.hook.as_deref(), Some(hook), "{source}\n{d}");
                assert!(d.help.is_some(), "{d}");
                routes_good_order(&r, &inv);
            }
        }
    }
}

#[test]
fn closures_may_not_capture_variables() {
    // A captured variable becomes a shared value: Rhai does not measure it, and a closure
    // stored in what it captures is a cycle that is never freed.
    for body in [
        "let a = []; let f = || a;",
        "let a = []; let f = || a; a.push(f);",
        "let big = []; big.pad(1999, 1); let fs = []; for i in 0..2000 { let b = big; fs.push(|| b); }",
        "let n = 3; return [1, 2, 3].filter(|x| x < n);",
        "return order.lines.all(|l| available(w.id, l.sku) >= l.qty);",
    ] {
        // `w` exists in eligible and rank only.
        let hooks: &[usize] = if body.contains("w.id") { &[0, 1] } else { &[0, 1, 2, 3] };
        let inv = inventory();
        for &i in hooks {
            let (hook, prefix, suffix) = ROUTING_HOOKS[i];
            let source = in_hook(prefix, body, suffix);
            let r = router(&source, defaults());
            let d = r.route(&order("evil"), &inv).unwrap_err().diagnostics[0].clone();
            assert_eq!(d.code, "rule.runtime", "{source}\n{d}");
            assert_eq!(d.hook.as_deref(), Some(hook));
            assert!(d.message.contains("cannot capture"), "{d}");
            assert!(d.help.as_deref().unwrap_or("").contains("parameter"), "{d}");
            routes_good_order(&r, &inv);
        }
    }
    // Closures over their own parameters, and over constants, work.
    let r = router(
        "const SKUS = [\"A\", \"B\"];\nfn eligible(order, w) { order.lines.all(|l| l.sku in SKUS) && [1, 2].map(|x| x * 2) == [2, 4] }",
        defaults(),
    );
    routes_good_order(&r, &inventory());
}

// Class 5: limits that could be bypassed.

/// Runs `body` in every routing hook, expecting `expect`, and the thread's memory to stay
/// under `most` bytes while it does.
fn bounded(body: &str, expect: Expect, limits: Limits, most: usize) {
    let ((), peak) = peak_of(|| in_every_hook(body, expect, limits));
    assert!(
        peak < most,
        "{body}: held {} MiB, at most {} MiB expected",
        peak / MIB,
        most / MIB
    );
}

#[test]
fn curried_values_count_against_the_size_limits() {
    // Curried arguments were not measured: 12 rounds doubled the value each time, 266 MB in
    // about 60 operations.
    bounded(
        "let a = []; a.pad(1999, 7); for i in 0..12 { a = Fn(\"max\").curry(a).curry(a); }",
        limit("maxArraySize"),
        defaults(),
        32 * MIB,
    );
    bounded(
        "let s = \"x\"; s.pad(60000, \"x\"); let f = Fn(\"max\"); for i in 0..12 { f = f.curry(s + i); }",
        limit("maxStringSize"),
        defaults(),
        32 * MIB,
    );
    bounded(
        "let a = []; a.pad(1999, 7); let fs = []; for i in 0..2000 { fs.push(Fn(\"max\").curry(a)); }",
        limit("maxArraySize"),
        defaults(),
        32 * MIB,
    );
}

#[test]
fn maps_grown_key_by_key_stop_at_their_limits() {
    // `m[k] = v` measured only `v`: 20,000 keys of 32 KB strings retained 380 MB before the
    // operation limit fired.
    bounded(
        "let s = \"x\"; s.pad(32000, \"x\"); let m = #{}; for i in 0..20000 { m[`k${i}`] = s + i; }",
        limit("maxStringSize"),
        defaults(),
        16 * MIB,
    );
    bounded(
        "let s = \"x\"; s.pad(32000, \"x\"); let m = #{}; for i in 0..20000 { m[`k${i}`] = s; }",
        limit("maxStringSize"),
        defaults(),
        16 * MIB,
    );
    // Reading a growing map costs operations in proportion to its size: with the default
    // limits the operation limit ends these loops first, with more operations the map limit.
    let more_operations = Limits {
        max_operations: 1_000_000,
        ..defaults()
    };
    bounded(
        "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
        limit("maxMapSize"),
        more_operations,
        16 * MIB,
    );
    bounded(
        "let m = #{ inner: #{} }; let i = 0; loop { m.inner[`k${i}`] = [i]; i += 1; }",
        limit("maxMapSize"),
        more_operations,
        16 * MIB,
    );
    // Keys are text too.
    bounded(
        "let k = \"k\"; k.pad(30000, \"k\"); let m = #{}; for i in 0..1000 { m[k + i] = 1; }",
        limit("maxStringSize"),
        defaults(),
        16 * MIB,
    );
    // With the widest limits the bounds scale, and still hold.
    bounded(
        "let s = \"x\"; s.pad(500000, \"x\"); let m = #{}; for i in 0..20000 { m[`k${i}`] = s + i; }",
        limit("maxStringSize"),
        widest(),
        64 * MIB,
    );
}

#[test]
fn arrays_grown_slot_by_slot_stop_at_their_limits() {
    bounded(
        "let big = []; big.pad(1999, 0); let a = []; a.pad(1999, 0); for i in 0..1999 { a[i] = big; }",
        limit("maxArraySize"),
        defaults(),
        16 * MIB,
    );
    bounded(
        "let s = \"x\"; s.pad(60000, \"x\"); let a = [0, 0, 0]; for i in 0..3 { a[i] = s + i; }",
        limit("maxStringSize"),
        defaults(),
        16 * MIB,
    );
    bounded(
        "let a = [[]]; for i in 0..3000 { a[0] += [i]; }",
        limit("maxArraySize"),
        defaults(),
        16 * MIB,
    );
    bounded(
        "let big = []; big.pad(9999, 0); let a = []; a.pad(9999, 0); for i in 0..9999 { a[i] = big; }",
        limit("maxArraySize"),
        widest(),
        64 * MIB,
    );
}

#[test]
fn every_way_of_growing_a_value_stops_at_its_limit() {
    // Operations to spare, so that the size limits are what stops each loop.
    let ops_to_spare = Limits {
        max_operations: 1_000_000,
        ..defaults()
    };
    for (body, says) in [
        ("let a = [1]; loop { a += a; }", "array"),
        ("let a = []; loop { a.push([1, 2, 3]); }", "array"),
        (
            "let a = []; let b = [1, 2, 3]; loop { a.append(b); }",
            "array",
        ),
        ("let a = []; loop { a.insert(0, 1); }", "array"),
        ("let a = []; loop { a = a + [1]; }", "array"),
        (
            "let m = #{}; let i = 0; loop { let n = #{}; n[`k${i}`] = i; m.mixin(n); i += 1; }",
            "map",
        ),
        (
            "let m = #{}; let i = 0; loop { let n = #{}; n[`k${i}`] = i; m += n; i += 1; }",
            "map",
        ),
        ("let s = \"ab\"; loop { s += s; }", "string"),
        ("let s = \"\"; s.pad(70000, \"x\");", "string"),
        // Function-call style: in the `split` hook, `s.split(…)` calls the hook itself.
        (
            "let s = \"\"; s.pad(60000, \"a,\"); let parts = split(s, \",\");",
            "array",
        ),
        (
            "let a = []; a.pad(1500, [1]); let b = a.extract(0); b += b;",
            "array",
        ),
        (
            "let s = \"x\"; s.pad(40000, \"x\"); let t = s + s;",
            "string",
        ),
        (
            "let s = \"x\"; s.pad(40000, \"x\"); let a = [s, s];",
            "string",
        ),
        (
            "let s = \"x\"; s.pad(40000, \"x\"); let m = #{ a: s, b: s };",
            "string",
        ),
    ] {
        let inv = inventory();
        for (hook, prefix, suffix) in ROUTING_HOOKS {
            let source = in_hook(prefix, body, suffix);
            let r = router(&source, ops_to_spare);
            let d = r.route(&order("evil"), &inv).unwrap_err().diagnostics[0].clone();
            assert_eq!(d.code, "rule.limit", "{source}\n{d}");
            assert_eq!(d.hook.as_deref(), Some(hook));
            assert!(d.message.contains(says), "{source}\n{d}");
            routes_good_order(&r, &inv);
        }
    }
}

#[test]
fn callbacks_count_against_the_operation_limit() {
    // Rhai counts a callback's operations on a copy of its caller's counter: 2,000 callbacks
    // of 90,000 operations each ran in one hook call limited to 100,000.
    for call in [
        "map", "filter", "all", "some", "for_each", "reduce", "retain",
    ] {
        // Each callback spends 90,000 operations and never ends the iteration early.
        let f = match call {
            "reduce" => "|s, x| { let n = 0; for i in 0..30000 { n += 1; } n }",
            "some" => "|x| { let n = 0; for i in 0..30000 { n += 1; } n < 0 }",
            _ => "|x| { let n = 0; for i in 0..30000 { n += 1; } n >= 0 }",
        };
        let body = format!("let a = []; a.pad(2000, 0); a.{call}({f});");
        in_every_hook(&body, limit("operations"), defaults());
    }
    in_every_hook(
        "let a = []; for i in 0..2000 { a.push(i); } a.sort(|x, y| { let n = 0; for i in 0..500 { n += 1; } x - y });",
        limit("operations"),
        defaults(),
    );
}

#[test]
fn the_order_budget_counts_callbacks_too() {
    // 20 warehouses' worth of rank calls, each 60,000 operations inside callbacks: under the
    // per-call limit, over the order's 1,000,000.
    let source = "fn rank(order, w) {\n  if order.id == \"evil\" {\n    let a = []; a.pad(60, 0); for k in 0..20 { a.map(|x| { let n = 0; for i in 0..300 { n += 1; } n }); }\n  }\n  w.priority\n}";
    let limits = Limits {
        max_order_operations: 100_000,
        ..defaults()
    };
    let r = router(source, limits);
    let d = r
        .route(&order("evil"), &inventory())
        .unwrap_err()
        .diagnostics[0]
        .clone();
    assert_eq!(d.code, "rule.limit", "{d}");
    assert!(d.message.contains("budget"), "{d}");
    routes_good_order(&r, &inventory());
}

// Class 7: compile and `check` time on broken files.

#[test]
fn a_file_of_twenty_thousand_broken_functions_reports_the_first_hundred() {
    let mut source = String::new();
    for i in 0..20_000 {
        source.push_str(&format!("fn f{i}(x) {{\n  let y = x +;\n  y\n}}\n"));
    }
    let report = stockroute::check(&source, Some("broken.rhai"));
    assert!(!report.ok);
    assert_eq!(report.diagnostics.len(), 100);
    // Function i starts on line 4i + 1; its error is on the line after.
    let lines: Vec<u32> = report.diagnostics.iter().filter_map(|d| d.line).collect();
    assert_eq!(lines, (0..100).map(|i| 4 * i + 2).collect::<Vec<u32>>());
    assert!(report.diagnostics.iter().all(|d| d.code == "rule.syntax"));
}

#[test]
fn a_rule_set_may_define_a_thousand_functions_not_more() {
    // Rhai's parser looks each variable up among all functions parsed so far: without a
    // bound, compile time grows with the square of the file (5 MB took minutes).
    let functions = |n: usize| {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&format!("fn f{i}(x) {{ x + {i} }}\n"));
        }
        s + "fn eligible(order, w) { f0(1) == 1 }\n"
    };
    let r = router(&functions(999), defaults());
    routes_good_order(&r, &inventory());
    for n in [1_000, 20_000] {
        let e = Router::new(&functions(n), RouterOptions::default()).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.code, "rule.limit", "{d}");
        assert!(d.message.contains("1000 functions"), "{d}");
        // The 1,001st function (`eligible` for n = 1,000) is where the limit is reached.
        assert_eq!(d.line, Some(1_001), "{d}");
        let report = stockroute::check(&functions(n), None);
        assert_eq!(report.diagnostics[0].code, "rule.limit");
    }
}

#[test]
fn a_function_may_declare_at_most_max_variables() {
    let declaring = |n: usize| {
        let mut s = String::from("fn eligible(order, w) {\n");
        for i in 0..n {
            s.push_str(&format!("  let v{i} = {i};\n"));
        }
        s + "  true\n}\n"
    };
    // 990 declarations and the two parameters fit in `maxVariables` (1,000) at run time too.
    routes_good_order(&router(&declaring(990), defaults()), &inventory());
    let e = Router::new(&declaring(50_000), RouterOptions::default()).unwrap_err();
    let d = &e.diagnostics[0];
    assert_eq!(d.code, "rule.limit", "{d}");
    assert!(d.message.contains("maxVariables"), "{d}");
    assert_eq!(d.line, Some(1_002), "the 1,001st `let`: {d}");
    // The bound is the router's own `maxVariables`.
    let options = RouterOptions {
        limits: Limits {
            max_variables: 10,
            ..defaults()
        },
        ..RouterOptions::default()
    };
    let e = Router::new(&declaring(11), options).unwrap_err();
    assert_eq!(e.diagnostics[0].line, Some(12), "{}", e.diagnostics[0]);
}

#[test]
fn a_megabyte_of_rules_with_one_error_at_the_end_is_checked() {
    let mut source = String::new();
    let mut i = 0;
    while source.len() < 1024 * 1024 {
        source.push_str(&format!("fn f{i}(x) {{ x + {i} }}\n"));
        i += 1;
    }
    source.push_str("fn eligible(order, w) { let x = ; }\n");
    let report = stockroute::check(&source, Some("big.rhai"));
    assert!(!report.ok);
    assert_eq!(report.diagnostics[0].code, "rule.limit");
    assert_eq!(report.diagnostics[0].line, Some(1_001));
    // The syntax error at the end is found too.
    let last = report.diagnostics.last().unwrap();
    assert_eq!(last.code, "rule.syntax");
    assert_eq!(last.line, Some(u32::try_from(i).unwrap() + 1));
}

// docs/sandbox.md

fn sandbox_doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sandbox.md")).unwrap()
}

#[test]
fn the_limits_table_in_docs_sandbox_is_the_engine_s() {
    let doc = sandbox_doc();
    let defaults = serde_json::to_value(Limits::default()).unwrap();
    let number = |s: &str| s.replace(',', "").trim().parse::<u64>().unwrap();
    let mut seen = 0;
    for row in doc.lines().filter(|l| l.starts_with("| `max")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let key = cells[1].trim_matches('`');
        let (_, min, max) = Limits::RANGES
            .iter()
            .find(|(n, ..)| *n == key)
            .unwrap_or_else(|| panic!("docs/sandbox.md documents unknown limit `{key}`"));
        assert_eq!(
            number(cells[2]),
            defaults[key].as_u64().unwrap(),
            "{key} default"
        );
        let (lo, hi) = cells[3].split_once('–').unwrap();
        assert_eq!((number(lo), number(hi)), (*min, *max), "{key} range");
        seen += 1;
    }
    assert_eq!(seen, Limits::RANGES.len(), "every limit is documented");
}

#[test]
fn the_examples_in_docs_sandbox_do_what_they_say() {
    let doc = sandbox_doc();
    let blocks: Vec<&str> = doc
        .split("```rhai\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    assert!(blocks.len() >= 4);
    let inv = inventory();
    for block in blocks {
        let claim = block.lines().next().unwrap();
        let r = router(block, defaults());
        if claim.starts_with("// Routes") {
            routes_good_order(&r, &inv);
        } else {
            let code = ["rule.limit", "rule.runtime"]
                .into_iter()
                .find(|c| claim.contains(c))
                .unwrap_or_else(|| panic!("say what the example does: {claim}"));
            for id in ["good", "evil"] {
                let e = r.route(&order(id), &inv).unwrap_err();
                assert_eq!(e.code, code, "{block}\n{e}");
            }
        }
    }
}
