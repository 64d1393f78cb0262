//! Order + inventory JSON into routing. Input: `inventory JSON \0 order JSON`, or just an
//! order JSON routed against the fixture inventory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroute::{Inventory, Order, PreparedInventory};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::ROUTER.with(|router| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (inventory, order) = match text.split_once('\0') {
        Some((i, o)) => (i, o),
        None => (common::INVENTORY, text),
    };
    let inventory = match stockroute::json::from_str::<Inventory>(inventory, "inventory")
        .and_then(PreparedInventory::new)
    {
        Ok(i) => i,
        Err(e) => return common::check_error(&e),
    };
    let order = match stockroute::json::from_str::<Order>(order, "order") {
        Ok(o) => o,
        Err(e) => return common::check_error(&e),
    };
    match router.route(&order, &inventory) {
        Ok(plan) => {
            let _ = serde_json::to_string(&plan);
        }
        Err(e) => common::check_error(&e),
    }
    // The same router keeps working on the fixture order afterwards.
    if let Ok(fixture) = stockroute::json::from_str::<Order>(common::ORDER, "order") {
        let _ = router.route(&fixture, &inventory);
    }
}));
