//! Inventory JSON into availability (every channel, then one), with rules using
//! `offer` and `adjust`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stockroute::{Inventory, PreparedInventory};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::ROUTER.with(|router| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let inventory = match stockroute::json::from_str::<Inventory>(text, "inventory")
        .and_then(PreparedInventory::new)
    {
        Ok(i) => i,
        Err(e) => return common::check_error(&e),
    };
    match router.available(&inventory, None) {
        Ok(a) => {
            for item in &a.items {
                assert!(
                    !item.offered.is_sign_negative() || item.offered.is_zero(),
                    "negative offer"
                );
            }
            let _ = serde_json::to_string(&a);
        }
        Err(e) => common::check_error(&e),
    }
    if let Some(channel) = inventory.inventory().channels.first().map(|c| c.id.clone()) {
        match router.available(&inventory, Some(&channel)) {
            Ok(_) => {}
            Err(e) => common::check_error(&e),
        }
    }
}));
