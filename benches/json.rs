//! JSON input benchmarks: what parsing an order or an inventory costs, and what naming the
//! failing field costs.
//!
//! `cargo bench --bench json` prints, per input:
//! * `plain`: `serde_json::from_str` alone (the fast path `stockroute::json::from_str` takes);
//! * `path_tracking`: the same through `serde_path_to_error` (what every parse paid before);
//! * `json_from_str`: `stockroute::json::from_str`, good input;
//! * `json_from_str_error`: `stockroute::json::from_str` on an input whose last line has a
//!   bad quantity (plain pass, then the explaining pass, then the message);
//! * for decimals, `exact` (the model's deserializer, reading the JSON digits) against
//!   `via_f64` (`rust_decimal`'s own serde support, which reads numbers through an `f64`).
//!
//! The workloads are built here (an order shaped like the M workload of `benches/routing.rs`:
//! 5 lines, customer, attributes; an inventory of 10 warehouses × 40 SKUs), so the bench
//! needs no generated data. Figures are printed, never asserted.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::fmt::Write as _;
use stockroute::{Inventory, Order};

fn main() {
    divan::main();
}

fn order_text() -> String {
    let mut lines = String::new();
    for i in 0..5 {
        if i > 0 {
            lines.push(',');
        }
        let _ = write!(
            lines,
            r#"{{"id": "l{i}", "sku": "SKU-{:03}", "qty": {}, "unit_price": "{}.95", "tags": ["t{i}"]}}"#,
            i * 7,
            i + 1,
            10 + i
        );
    }
    format!(
        r#"{{"id": "M-000123", "channel": "webshop", "currency": "EUR",
            "customer": {{"id": "c-42", "type": "b2c", "tags": ["vip"]}},
            "ship_to": {{"country": "DE", "postcode": "10115", "location": {{"lat": 52.52, "lon": 13.405}}}},
            "lines": [{lines}],
            "attributes": {{"gift": true, "note": "leave at the door", "weight": 12.5}}}}"#
    )
}

fn inventory_text() -> String {
    let mut warehouses = Vec::new();
    let mut stock = Vec::new();
    for w in 0..10 {
        let kind = if w < 6 { "own" } else { "consignment" };
        let forward = if w < 6 {
            String::new()
        } else {
            format!(
                r#", "owner": "Shop {w}", "forward": {{"method": "email", "to": "s{w}@example.com"}}"#
            )
        };
        warehouses.push(format!(
            r#"{{"id": "W{w}", "kind": "{kind}", "priority": {w}, "country": "DE",
                "location": {{"lat": {}.5, "lon": {}.25}}, "tags": ["t"]{forward}}}"#,
            47 + w % 7,
            6 + w
        ));
        for s in 0..40 {
            stock.push(format!(
                r#"{{"warehouse": "W{w}", "sku": "SKU-{s:03}", "on_hand": {}, "reserved": "1", "safety": 0.5}}"#,
                (w * 13 + s * 7) % 50 + 2
            ));
        }
    }
    format!(
        r#"{{"warehouses": [{}], "stock": [{}], "channels": [{{"id": "webshop", "include_consignment": true, "safety": 1}}]}}"#,
        warehouses.join(","),
        stock.join(",")
    )
}

fn bad(text: &str, good: &str, bad: &str) -> String {
    match text.rfind(good) {
        Some(i) => format!(
            "{}{bad}{}",
            text.get(..i).unwrap_or_default(),
            text.get(i + good.len()..).unwrap_or_default()
        ),
        None => text.to_string(),
    }
}

mod order {
    use super::*;

    #[divan::bench]
    fn plain(b: divan::Bencher) {
        let text = order_text();
        b.bench(|| serde_json::from_str::<Order>(divan::black_box(&text)).is_ok());
    }

    #[divan::bench]
    fn path_tracking(b: divan::Bencher) {
        let text = order_text();
        b.bench(|| {
            let mut de = serde_json::Deserializer::from_str(divan::black_box(&text));
            serde_path_to_error::deserialize::<_, Order>(&mut de).is_ok()
        });
    }

    #[divan::bench]
    fn json_from_str(b: divan::Bencher) {
        let text = order_text();
        b.bench(|| stockroute::json::from_str::<Order>(divan::black_box(&text), "order").is_ok());
    }

    #[divan::bench]
    fn json_from_str_error(b: divan::Bencher) {
        let text = bad(&order_text(), "\"qty\": 5", "\"qty\": \"five\"");
        assert!(stockroute::json::from_str::<Order>(&text, "order").is_err());
        b.bench(|| stockroute::json::from_str::<Order>(divan::black_box(&text), "order").is_err());
    }
}

mod inventory {
    use super::*;

    #[divan::bench]
    fn plain(b: divan::Bencher) {
        let text = inventory_text();
        b.bench(|| serde_json::from_str::<Inventory>(divan::black_box(&text)).is_ok());
    }

    #[divan::bench]
    fn path_tracking(b: divan::Bencher) {
        let text = inventory_text();
        b.bench(|| {
            let mut de = serde_json::Deserializer::from_str(divan::black_box(&text));
            serde_path_to_error::deserialize::<_, Inventory>(&mut de).is_ok()
        });
    }

    #[divan::bench]
    fn json_from_str(b: divan::Bencher) {
        let text = inventory_text();
        b.bench(|| {
            stockroute::json::from_str::<Inventory>(divan::black_box(&text), "inventory").is_ok()
        });
    }

    #[divan::bench]
    fn json_from_str_error(b: divan::Bencher) {
        let text = bad(&inventory_text(), "\"safety\": 0.5", "\"safety\": \"1_0\"");
        assert!(stockroute::json::from_str::<Inventory>(&text, "inventory").is_err());
        b.bench(|| {
            stockroute::json::from_str::<Inventory>(divan::black_box(&text), "inventory").is_err()
        });
    }
}

/// 400 stock rows' worth of quantities, read both ways.
mod decimals {
    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Exact {
        #[serde(deserialize_with = "stockroute::decimal::deserialize")]
        q: Decimal,
    }

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct ViaF64 {
        q: Decimal,
    }

    fn text() -> String {
        let items: Vec<String> = (0..400)
            .map(|i| {
                if i % 2 == 0 {
                    format!(r#"{{"q": {}.5}}"#, i)
                } else {
                    format!(r#"{{"q": "{i}.25"}}"#)
                }
            })
            .collect();
        format!("[{}]", items.join(","))
    }

    #[divan::bench]
    fn exact(b: divan::Bencher) {
        let text = text();
        b.bench(|| serde_json::from_str::<Vec<Exact>>(divan::black_box(&text)).is_ok());
    }

    #[divan::bench]
    fn via_f64(b: divan::Bencher) {
        let text = text();
        b.bench(|| serde_json::from_str::<Vec<ViaF64>>(divan::black_box(&text)).is_ok());
    }
}
