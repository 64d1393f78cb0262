//! Rule source into compile, check, route and availability.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroute::{Inventory, Order, PreparedInventory, Router};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let report = stockroute::check(source, Some("fuzz.rhai"));
    let _ = serde_json::to_string(&report);
    let router = match Router::new(source, common::options()) {
        Ok(r) => r,
        Err(e) => return common::check_error(&e),
    };
    let (Ok(inventory), Ok(order)) = (
        stockroute::json::from_str::<Inventory>(common::INVENTORY, "inventory"),
        stockroute::json::from_str::<Order>(common::ORDER, "order"),
    ) else {
        panic!("fixtures must parse");
    };
    let Ok(inventory) = PreparedInventory::new(inventory) else {
        panic!("fixture inventory must be valid");
    };
    for _ in 0..2 {
        match router.route(&order, &inventory) {
            Ok(plan) => {
                let _ = serde_json::to_string(&plan);
            }
            Err(e) => common::check_error(&e),
        }
    }
    match router.available(&inventory, None) {
        Ok(a) => {
            let _ = serde_json::to_string(&a);
        }
        Err(e) => common::check_error(&e),
    }
});
