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

use std::path::{Path, PathBuf};
use std::time::Instant;
use stockroute::{Inventory, Order, PreparedInventory, Router, RouterOptions};

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
    Router::new(&rules(file), RouterOptions::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    })
}

fn main() {
    if std::env::var_os("STOCKROUTE_BENCH_MEMORY").is_some() {
        batch_memory();
        return;
    }
    if let Ok(out) = std::env::var("STOCKROUTE_BENCH_JSON") {
        percentiles(Path::new(&out));
        return;
    }
    divan::main();
}

#[divan::bench]
fn route_s(b: divan::Bencher) {
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-s.json"),
        order("order-s.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_m(b: divan::Bencher) {
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-m.json"),
        order("order-m.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_m_from_json(b: divan::Bencher) {
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
    let (r, inv, o) = (
        router("route.rhai"),
        inventory("inventory-m.json"),
        order("order-m.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench]
fn route_l(b: divan::Bencher) {
    let (r, inv, o) = (
        router("hooks.rhai"),
        inventory("inventory-l.json"),
        order("order-l.json"),
    );
    b.bench_local(|| r.route(divan::black_box(&o), &inv));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn batch_10k_m(b: divan::Bencher) {
    let (r, inv, orders) = (router("hooks.rhai"), inventory("inventory-m.json"), batch());
    b.bench_local(|| r.route_batch(divan::black_box(&orders), &inv));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn availability_1000_skus_20_warehouses_3_channels(b: divan::Bencher) {
    let (r, inv) = (router("hooks.rhai"), inventory("inventory-avail.json"));
    b.bench_local(|| r.available(divan::black_box(&inv), None));
}

#[divan::bench]
fn prepare_inventory_m(b: divan::Bencher) {
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
    // Warm-up: lazy inventory views, allocator, caches.
    for o in orders.iter().take(500) {
        let _ = r.route(o, inv);
    }
    let mut us = Vec::with_capacity(orders.len());
    let mut failed = 0usize;
    let start = Instant::now();
    for o in orders {
        let t = Instant::now();
        let plan = r.route(o, inv);
        us.push(t.elapsed().as_secs_f64() * 1e6);
        if plan.is_err() {
            failed += 1;
        }
    }
    let total = start.elapsed().as_secs_f64();
    us.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let i = ((us.len() as f64 - 1.0) * q).round() as usize;
        us.get(i).copied().unwrap_or(f64::NAN)
    };
    serde_json::json!({
        "orders": orders.len(),
        "failed": failed,
        "median_us": at(0.5),
        "p99_us": at(0.99),
        "orders_per_s": orders.len() as f64 / total,
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
    let route = measure(&router("route.rhai"), &inv, &orders);
    let r = router("hooks.rhai");
    let t = Instant::now();
    let plans = r.route_batch(&orders, &inv);
    let batch_s = t.elapsed().as_secs_f64();
    let ok = plans.iter().filter(|p| p.is_ok()).count();
    let mut single = serde_json::Map::new();
    for (name, inv_file, order_file) in [
        ("S", "inventory-s.json", "order-s.json"),
        ("L", "inventory-l.json", "order-l.json"),
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
        "route_hook": route,
        "batch": { "orders": orders.len(), "ok": ok, "seconds": batch_s,
                   "orders_per_s": orders.len() as f64 / batch_s },
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
