//! Native routing benchmarks.
//!
//! Workloads come from `bench/data/`, written by `node bench/gen-workloads.mjs` (which
//! `bench/run.sh` runs first). Two modes:
//!
//! * `cargo bench --bench routing` — divan micro-benchmarks (S, M, L, M via `route()`,
//!   the 10,000-order batch, availability, `check` on broken files by size).
//! * `STOCKROUTE_BENCH_JSON=out.json cargo bench --bench routing` — per-order timings of
//!   the M batch (median, p99, orders/s) for `bench/RESULTS.md`, written as JSON.
//!
//! * `STOCKROUTE_BENCH_MEMORY=1 cargo bench --bench routing` — peak resident memory of a
//!   process that loads the M inventory and routes the 10,000-order batch, as JSON.
//!
//! Figures are printed, never asserted.
//!
//! The engine-bound workloads (issue 9 class 6: one line of N units with one unit in each of
//! N warehouses, N = 300, 700, 1,000, 2,000; a 2,000-warehouse × 200-line order per
//! strategy) and the ledger workloads (a one-row update and the availability of the touched
//! SKU on a 100,000-row inventory) are generated here and need no data files; the others
//! are skipped with a note when `bench/data/` has not been generated.

use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::time::Instant;
use stockroute::{
    BatchOptions, Inventory, Order, PreparedInventory, Router, RouterOptions, StockUpdate,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "cannot read {}: {e}\nrun `node bench/gen-workloads.mjs` (or `bench/run.sh`) first",
                path.display()
            );
            std::process::exit(2);
        }
    }
}

fn data(name: &str) -> String {
    read(&root().join("bench/data").join(name))
}

fn rules(name: &str) -> String {
    read(&root().join("bench/rules").join(name))
}

fn inventory(name: &str) -> PreparedInventory {
    let inv: Inventory = stockroute::json::from_str(&data(name), "inventory").unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    PreparedInventory::new(inv).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

fn order(name: &str) -> Order {
    stockroute::json::from_str(&data(name), "order").unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

fn batch() -> Vec<Order> {
    data("orders-m.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| stockroute::json::from_str(l, "order").ok())
        .collect()
}

fn router(file: &str) -> Router {
    router_with(file, RouterOptions::default())
}

fn router_with(file: &str, options: RouterOptions) -> Router {
    Router::new(&rules(file), options).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

fn main() {
    if std::env::var_os("STOCKROUTE_BENCH_MEMORY").is_some() {
        batch_memory();
        return;
    }
    if let Ok(rules) = std::env::var("STOCKROUTE_BENCH_PROFILE") {
        // For `perf record`: route the M batch over and over with one rule set.
        let options = RouterOptions {
            trace: std::env::var_os("STOCKROUTE_BENCH_NO_TRACE").is_none(),
            ..RouterOptions::default()
        };
        let (r, inv, orders) = (
            router_with(&rules, options),
            inventory("inventory-m.json"),
            batch(),
        );
        for _ in 0..20 {
            for o in &orders {
                let _ = divan::black_box(r.route(o, &inv));
            }
        }
        return;
    }
    if std::env::var_os("STOCKROUTE_BENCH_QUICK").is_some() {
        quick();
        return;
    }
    if let Ok(out) = std::env::var("STOCKROUTE_BENCH_JSON") {
        percentiles(Path::new(&out));
        return;
    }
    divan::main();
}

// ---- generated workloads: engine work without a rule (issue 9 class 6) ------------------

// Built through JSON, like every host does, so new optional model fields never break them.

fn row(w: usize, sku: &str, on_hand: i64) -> serde_json::Value {
    serde_json::json!({"warehouse": format!("w{w}"), "sku": sku, "on_hand": on_hand})
}

fn generated(warehouses: usize, stock: Vec<serde_json::Value>) -> PreparedInventory {
    let inv = serde_json::json!({
        "warehouses": (0..warehouses)
            .map(|i| serde_json::json!({"id": format!("w{i}"), "kind": "own", "country": "DE"}))
            .collect::<Vec<_>>(),
        "stock": stock,
        "channels": [{"id": "web"}, {"id": "market"}, {"id": "b2b"}],
    });
    stockroute::json::from_value::<Inventory>(inv, "inventory")
        .and_then(PreparedInventory::new)
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        })
}

fn order_of(lines: impl IntoIterator<Item = (String, i64)>) -> Order {
    let lines: Vec<serde_json::Value> = lines
        .into_iter()
        .enumerate()
        .map(|(i, (sku, qty))| {
            serde_json::json!({"id": format!("l{i}"), "sku": sku, "qty": qty, "unit_price": 1})
        })
        .collect();
    let order = serde_json::json!({
        "id": "o", "channel": "web", "currency": "EUR",
        "ship_to": {"country": "DE"}, "lines": lines,
    });
    stockroute::json::from_value(order, "order").unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

fn split_router(strategy: &str) -> Router {
    let source = format!("fn split(order) {{ #{{ strategy: \"{strategy}\" }} }}");
    Router::new(
        &source,
        RouterOptions {
            trace: false,
            ..RouterOptions::default()
        },
    )
    .unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

/// One line of N units; one unit in each of N warehouses (1.5 s at N = 300 and 19 s at
/// N = 700 before the bounded search).
#[divan::bench(args = [300, 700, 1000, 2000], sample_count = 10)]
fn n_warehouses_one_unit_each(b: divan::Bencher, n: usize) {
    let inv = generated(n, (0..n).map(|w| row(w, "A", 1)).collect());
    let o = order_of([("A".to_string(), n as i64)]);
    let r = split_router("fewest_shipments");
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

/// 2,000 warehouses holding 0–3 units of each of 200 SKUs (≈ 300,000 rows); 200 lines of 12
/// units each: no warehouse ships a line alone. Every strategy.
#[divan::bench(
    args = ["fewest_shipments", "per_line_priority", "highest_stock", "all_or_nothing"],
    sample_count = 5
)]
fn wide_order_2000_warehouses_200_lines(b: divan::Bencher, strategy: &str) {
    let (inv, o) = wide_workload();
    let r = split_router(strategy);
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

/// The exact search at its bound: 2,000 warehouses with 3 of A each, 20 lines of 2 kept
/// whole. Stock totals allow 14 warehouses, but each holds one line, so every set tried
/// fails until the bound (10,000 sets / 1,000,000 steps); then the greedy cover decides.
#[divan::bench(sample_count = 5)]
fn search_bound_whole_lines_2000_warehouses(b: divan::Bencher) {
    let inv = generated(2000, (0..2000).map(|w| row(w, "A", 3)).collect());
    let o = order_of((0..20).map(|_| ("A".to_string(), 2)));
    let r = Router::new(
        "fn split(order) { #{ split_lines: false } }",
        RouterOptions {
            trace: false,
            ..RouterOptions::default()
        },
    )
    .unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

fn wide_workload() -> (PreparedInventory, Order) {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut stock = Vec::new();
    for w in 0..2000 {
        for s in 0..200 {
            let q = (next() % 4) as i64;
            if q > 0 {
                stock.push(row(w, &format!("S{s}"), q));
            }
        }
    }
    let inv = generated(2000, stock);
    let o = order_of((0..200).map(|s| (format!("S{s}"), 12)));
    (inv, o)
}

// ---- ledger: incremental updates on a 100,000-row inventory ----------------------------

/// 1,000 warehouses × 100 SKUs.
fn ledger_inventory() -> PreparedInventory {
    let mut stock = Vec::with_capacity(100_000);
    for w in 0..1000 {
        for s in 0..100 {
            stock.push(row(w, &format!("S{s}"), 10 + (w + s) as i64 % 7));
        }
    }
    generated(1000, stock)
}

/// One `applyStock` row (a relative change) on the 100k-row inventory; alternates +1/−1 so
/// the state stays put. Target ≤ 50 µs.
#[divan::bench(sample_count = 50, sample_size = 100)]
fn ledger_one_row_update_100k_rows(b: divan::Bencher) {
    let mut inv = ledger_inventory();
    let plus = [StockUpdate {
        warehouse: Some("w417".into()),
        sku: "S42".into(),
        delta: Some(Decimal::ONE),
        ..StockUpdate::default()
    }];
    let minus = [StockUpdate {
        delta: Some(Decimal::NEGATIVE_ONE),
        ..plus[0].clone()
    }];
    let mut up = true;
    b.bench_local(|| {
        up = !up;
        inv.apply_stock(divan::black_box(if up { &plus } else { &minus }))
    });
}

/// Availability of the one SKU an update touched (1,000 rows, 3 channels), 100k-row
/// inventory.
#[divan::bench(sample_count = 50)]
fn ledger_availability_of_touched_sku_100k_rows(b: divan::Bencher) {
    let inv = ledger_inventory();
    let r = Router::new("", RouterOptions::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    b.bench_local(|| r.available_for(&inv, None, divan::black_box(&["S42"])));
}

/// What the update replaces: validating and indexing the whole 100k-row inventory again.
#[divan::bench(sample_count = 5)]
fn ledger_full_reload_100k_rows(b: divan::Bencher) {
    let inv = ledger_inventory().inventory().clone();
    b.with_inputs(|| inv.clone())
        .bench_local_values(PreparedInventory::new);
}

/// A consuming batch of 1,000 one-line orders on the 100k-row inventory, in place (each
/// plan reserved, then everything put back).
#[divan::bench(args = [true, false], sample_count = 10)]
fn ledger_batch_1000_orders_consume(b: divan::Bencher, consume: bool) {
    let mut inv = ledger_inventory();
    let orders: Vec<Order> = (0..1000)
        .map(|i| order_of([(format!("S{}", i % 100), 3)]))
        .collect();
    let r = split_router("fewest_shipments");
    let options = BatchOptions {
        consume,
        ..BatchOptions::default()
    };
    b.bench_local(|| r.route_batch_with(divan::black_box(&orders), &mut inv, &options));
}

// ---- replenishment and manual plans (issue 13) -------------------------------------------

/// 10 own warehouses holding 500 SKUs, 200 consignment locations holding 50 SKUs each
/// (10,000 consignment rows, min 2 / max 6 or 28 days of cover), and an event log with a
/// delivery of every consignment row and one sale of it a week for 4 weeks (50,000 events).
fn replenish_workload() -> (PreparedInventory, Vec<stockroute::consignment::Event>) {
    let mut warehouses = Vec::new();
    let mut stock = Vec::new();
    for w in 0..10 {
        warehouses.push(serde_json::json!({"id": format!("own{w}"), "kind": "own"}));
        for s in 0..500 {
            stock.push(serde_json::json!({"warehouse": format!("own{w}"), "sku": format!("S{s}"), "on_hand": 20}));
        }
    }
    for c in 0..200 {
        let terms = if c % 2 == 0 {
            serde_json::json!({"period_end": "2027-06-30", "replenish": {"min": 2, "max": 6}})
        } else {
            serde_json::json!({"replenish": {"days_of_cover": 28, "lead_time_days": 5}})
        };
        warehouses.push(
            serde_json::json!({"id": format!("con{c}"), "kind": "consignment",
            "forward": {"method": "email", "to": "shop@example.com"}, "terms": terms}),
        );
        for k in 0..50 {
            let sku = format!("S{}", (c * 7 + k) % 500);
            stock.push(serde_json::json!({"warehouse": format!("con{c}"), "sku": sku, "on_hand": (c + k) % 5}));
        }
    }
    let inv = serde_json::json!({
        "warehouses": warehouses, "stock": stock,
        "channels": [{"id": "web", "include_consignment": true, "safety": 2}],
    });
    let inv = stockroute::json::from_value::<Inventory>(inv, "inventory")
        .and_then(PreparedInventory::new)
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
    // Each row was delivered 10 before the window; then one sale a week.
    let mut log = String::new();
    for c in 0..200 {
        for k in 0..50 {
            let sku = format!("S{}", (c * 7 + k) % 500);
            log.push_str(&format!(
                "{{\"type\": \"delivery\", \"date\": \"2026-10-01\", \"warehouse\": \"con{c}\", \"lines\": [{{\"sku\": \"{sku}\", \"qty\": 10}}]}}\n"
            ));
        }
    }
    for week in 0..4 {
        for c in 0..200 {
            for k in 0..50 {
                let sku = format!("S{}", (c * 7 + k) % 500);
                log.push_str(&format!(
                    "{{\"type\": \"sale\", \"date\": \"2026-11-{:02}\", \"warehouse\": \"con{c}\", \"lines\": [{{\"sku\": \"{sku}\", \"qty\": 1}}]}}\n",
                    3 + week * 7
                ));
            }
        }
    }
    let events =
        stockroute::consignment::settlement::parse_events(&inv, &log).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
    (inv, events)
}

/// Every proposal of the workload above (10,000), without and with a compiled `replenish`
/// hook (whole cases of 2).
#[divan::bench(args = [false, true], sample_count = 10)]
fn replenishment_200_locations_10k_rows(b: divan::Bencher, hook: bool) {
    use stockroute::consignment::replenish::{ReplenishOptions, Sales};
    let (inv, events) = replenish_workload();
    let rules = if hook {
        "fn replenish(w, sku, p) { if p.propose == 0 { return true; } min((p.propose / 2).ceiling() * 2, p.limit) }"
    } else {
        ""
    };
    let r = Router::new(rules, RouterOptions::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let options = ReplenishOptions {
        as_of: "2026-11-30".into(),
        ..ReplenishOptions::default()
    };
    b.bench_local(|| r.replenishment(&inv, Sales::Events(divan::black_box(&events)), &options));
}

/// Checking a 5-line plan made by hand (5 shipments) on the 100k-row inventory.
#[divan::bench(sample_count = 50)]
fn validate_manual_plan_100k_rows(b: divan::Bencher) {
    let inv = ledger_inventory();
    let order = order_of((0..5).map(|i| (format!("S{i}"), 3)));
    let plan: stockroute::ManualPlan = serde_json::from_value(serde_json::json!({
        "shipments": (0..5).map(|i| serde_json::json!({"warehouse": format!("w{}", i * 100),
            "lines": [{"line": format!("l{i}"), "qty": 3}]})).collect::<Vec<_>>()
    }))
    .unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let r = split_router("fewest_shipments");
    let options = stockroute::ValidateOptions::default();
    b.bench_local(|| r.validate(divan::black_box(&order), &plan, &inv, &options));
}

// ---- workloads from bench/data ---------------------------------------------------------

/// Whether `bench/data/` exists; otherwise the data benches are skipped with a note.
fn have_data() -> bool {
    let ok = root().join("bench/data").is_dir();
    if !ok {
        static NOTE: std::sync::Once = std::sync::Once::new();
        NOTE.call_once(|| {
            eprintln!(
                "bench/data/ missing: data benches skipped (run `node bench/gen-workloads.mjs`)"
            )
        });
    }
    ok
}

#[divan::bench]
fn route_s(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-s.json"),
        order("order-s.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_m(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-m.json"),
        order("order-m.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_m_from_json(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, text) = (
        router("hooks.rhai"),
        inventory("inventory-m.json"),
        data("order-m.json"),
    );
    b.bench_local(|| {
        stockroute::json::from_str::<Order>(divan::black_box(&text), "order")
            .and_then(|o| r.route(&o, &inv))
    });
}

#[divan::bench]
fn route_m_in_rhai_route_hook(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, o) = (
        router("route.rhai"),
        inventory("inventory-m.json"),
        order("order-m.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_l(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-l.json"),
        order("order-l.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn batch_10k_m(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv, orders) = (router("hooks.rhai"), inventory("inventory-m.json"), batch());
    b.bench_local(|| r.route_batch(divan::black_box(&orders), &inv));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn availability_1000_skus_20_warehouses_3_channels(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let (r, inv) = (router("hooks.rhai"), inventory("inventory-avail.json"));
    b.bench_local(|| r.available(divan::black_box(&inv), None));
}

#[divan::bench]
fn prepare_inventory_m(b: divan::Bencher) {
    if !have_data() {
        return;
    }
    let text = data("inventory-m.json");
    b.bench_local(|| {
        stockroute::json::from_str::<Inventory>(divan::black_box(&text), "inventory")
            .and_then(PreparedInventory::new)
    });
}

#[divan::bench(sample_count = 20)]
fn compile_rules(b: divan::Bencher) {
    let source = rules("hooks.rhai");
    b.bench_local(|| Router::new(divan::black_box(&source), RouterOptions::default()));
}

/// A rule file of about `bytes` bytes: valid one-line functions, then one broken function at
/// the end (the worst case for `check`: every function is compiled, then compiled again on
/// its own to find the errors of each).
fn file_with_one_error_at_the_end(bytes: usize) -> String {
    let mut source = String::with_capacity(bytes + 64);
    let mut i = 0;
    while source.len() < bytes {
        source.push_str(&format!("fn f{i}(x) {{ x + {i} }}\n"));
        i += 1;
    }
    source + "fn eligible(order, w) { let x = ; }\n"
}

/// A rule file of about `bytes` bytes of broken functions.
fn file_of_broken_functions(bytes: usize) -> String {
    let mut source = String::with_capacity(bytes + 64);
    let mut i = 0;
    while source.len() < bytes {
        source.push_str(&format!("fn f{i}(x) {{\n  let y = x +;\n  y\n}}\n"));
        i += 1;
    }
    source
}

/// `check` on a file of valid functions with one error at the end, by file size: the time
/// must grow in proportion to the size (it grew with its square before the function bound).
#[divan::bench(args = [10_000, 100_000, 1_000_000, 5_000_000], sample_count = 5, sample_size = 1)]
fn check_file_with_one_error_at_the_end(b: divan::Bencher, bytes: usize) {
    let source = file_with_one_error_at_the_end(bytes);
    b.bench_local(|| stockroute::check(divan::black_box(&source), None));
}

/// `check` on a file of broken functions, by file size (at most 100 diagnostics are reported,
/// so it stops early).
#[divan::bench(args = [10_000, 100_000, 1_000_000, 5_000_000], sample_count = 5, sample_size = 1)]
fn check_file_of_broken_functions(b: divan::Bencher, bytes: usize) {
    let source = file_of_broken_functions(bytes);
    b.bench_local(|| stockroute::check(divan::black_box(&source), None));
}

/// Median, p99 (µs) and orders/s of routing every batch order once, each timed alone.
fn measure(r: &Router, inv: &PreparedInventory, orders: &[Order]) -> serde_json::Value {
    timed(orders, |o| r.route(o, inv).is_ok())
}

/// Like [`measure`], for the work the WebAssembly row does: order JSON text in, plan JSON
/// text out (the same parse and serialisation, natively).
fn measure_json(r: &Router, inv: &PreparedInventory, texts: &[String]) -> serde_json::Value {
    timed(texts, |text| {
        stockroute::json::from_str::<Order>(text, "order")
            .and_then(|o| r.route(&o, inv))
            .map(|plan| divan::black_box(serde_json::to_string(&plan).unwrap_or_default()))
            .is_ok()
    })
}

/// Times `route` (true when it succeeded) on every input alone, after a warm-up of 500
/// (lazy inventory views, allocator, caches).
fn timed<T>(inputs: &[T], route: impl Fn(&T) -> bool) -> serde_json::Value {
    for input in inputs.iter().take(500) {
        let _ = route(input);
    }
    let mut us = Vec::with_capacity(inputs.len());
    let mut failed = 0usize;
    let start = Instant::now();
    for input in inputs {
        let t = Instant::now();
        let ok = route(input);
        us.push(t.elapsed().as_secs_f64() * 1e6);
        failed += usize::from(!ok);
    }
    let total = start.elapsed().as_secs_f64();
    us.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((us.len() as f64 - 1.0) * q).round() as usize;
        us.get(i).copied().unwrap_or(f64::NAN)
    };
    serde_json::json!({
        "orders": inputs.len(),
        "failed": failed,
        "median_us": at(0.5),
        "p99_us": at(0.99),
        "orders_per_s": inputs.len() as f64 / total,
    })
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn percentiles(out: &Path) {
    let inv = inventory("inventory-m.json");
    let orders = batch();
    let hooks = measure(&router("hooks.rhai"), &inv, &orders);
    let interpreted = RouterOptions {
        execution: stockroute::Execution::Interpreted,
        ..RouterOptions::default()
    };
    let no_trace = RouterOptions {
        trace: false,
        ..RouterOptions::default()
    };
    let hooks_interpreted = measure(
        &router_with("hooks.rhai", interpreted.clone()),
        &inv,
        &orders,
    );
    let hooks_no_trace = measure(&router_with("hooks.rhai", no_trace.clone()), &inv, &orders);
    let texts: Vec<String> = data("orders-m.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let hooks_json_no_trace = measure_json(&router_with("hooks.rhai", no_trace), &inv, &texts);
    let route = measure(&router("route.rhai"), &inv, &orders);
    let route_interpreted = measure(&router_with("route.rhai", interpreted), &inv, &orders);
    let r = router("hooks.rhai");
    let t = Instant::now();
    let plans = r.route_batch(&orders, &inv);
    let batch_s = t.elapsed().as_secs_f64();
    let ok = plans.iter().filter(|p| p.is_ok()).count();
    let quiet = router_with(
        "hooks.rhai",
        RouterOptions {
            trace: false,
            ..RouterOptions::default()
        },
    );
    let t = Instant::now();
    let plans = quiet.route_batch(&orders, &inv);
    let batch_quiet_s = t.elapsed().as_secs_f64();
    let ok_quiet = plans.iter().filter(|p| p.is_ok()).count();
    let mut single = serde_json::Map::new();
    for (name, inv_file, order_file) in [
        ("S", "inventory-s.json", "order-s.json"),
        ("M", "inventory-m.json", "order-m.json"),
        ("L", "inventory-l.json", "order-l.json"),
        ("2L", "inventory-2l.json", "order-2l.json"),
    ] {
        let inv = inventory(inv_file);
        let o = vec![order(order_file); 2000];
        single.insert(name.into(), measure(&r, &inv, &o));
    }
    let avail_inv = inventory("inventory-avail.json");
    let _ = r.available(&avail_inv, None);
    let t = Instant::now();
    let runs = 5;
    for _ in 0..runs {
        let _ = r.available(&avail_inv, None);
    }
    let avail_ms = t.elapsed().as_secs_f64() * 1e3 / f64::from(runs);
    let result = serde_json::json!({
        "hooks": hooks,
        "hooks_interpreted": hooks_interpreted,
        "hooks_no_trace": hooks_no_trace,
        "hooks_json_no_trace": hooks_json_no_trace,
        "route_hook": route,
        "route_hook_interpreted": route_interpreted,
        "batch": { "orders": orders.len(), "ok": ok, "seconds": batch_s,
                   "orders_per_s": orders.len() as f64 / batch_s },
        "batch_no_trace": { "orders": orders.len(), "ok": ok_quiet, "seconds": batch_quiet_s,
                   "orders_per_s": orders.len() as f64 / batch_quiet_s },
        "single": single,
        "availability_ms": avail_ms,
        "peak_rss_kib": peak_rss_kib(),
    });
    let text = serde_json::to_string_pretty(&result).unwrap_or_default();
    println!("{text}");
    if let Err(e) = std::fs::write(out, text) {
        eprintln!("cannot write {}: {e}", out.display());
    }
}

/// Medians of the M rows that profiling work compares, each measured three times
/// interleaved (`STOCKROUTE_BENCH_QUICK=1`): quick enough to run after every change.
fn quick() {
    let inv = inventory("inventory-m.json");
    let orders = batch();
    let no_trace = RouterOptions {
        trace: false,
        ..RouterOptions::default()
    };
    let rows = [
        ("hooks", router("hooks.rhai")),
        ("hooks_no_trace", router_with("hooks.rhai", no_trace)),
    ];
    for round in 0..3 {
        for (name, r) in &rows {
            let m = measure(r, &inv, &orders);
            let num = |k: &str| {
                m.get(k)
                    .and_then(serde_json::Value::as_f64)
                    .unwrap_or(f64::NAN)
            };
            println!(
                "{round} {name}: median {:.2} µs, {:.0} orders/s",
                num("median_us"),
                num("orders_per_s")
            );
        }
    }
}

/// Peak RSS of loading the inventory and orders, then of routing the batch, in one process.
fn batch_memory() {
    let inv = inventory("inventory-m.json");
    let orders = batch();
    let r = router("hooks.rhai");
    let loaded = peak_rss_kib();
    let t = Instant::now();
    let plans = r.route_batch(&orders, &inv);
    let seconds = t.elapsed().as_secs_f64();
    let result = serde_json::json!({
        "orders": orders.len(),
        "ok": plans.iter().filter(|p| p.is_ok()).count(),
        "seconds": seconds,
        "orders_per_s": orders.len() as f64 / seconds,
        "peak_rss_kib_before": loaded,
        "peak_rss_kib": peak_rss_kib(),
    });
    println!("{result}");
}
