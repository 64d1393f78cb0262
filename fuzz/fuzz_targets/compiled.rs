//! Rule source into both ways of running hooks: compiled hooks must give the
//! interpreter's answer (result or error, operations, notes, hold) for every call.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroute::{Inventory, Order, PreparedInventory};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
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
    let limits = common::options().limits;
    if let Ok(calls) = stockroute::rules::testing::compare(source, &limits, &inventory, &order) {
        for c in calls {
            assert!(
                c.agrees(),
                "{source}\ncall {}\n  interpreted: {}\n  compiled:    {}",
                c.call,
                c.interpreted,
                c.compiled_outcome
            );
        }
    }
});
