#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Channel availability against hand-computed figures from the fixture.
//! webshop: includes consignment, safety 2, 1 CHAIR reserved. marketplace: own stock only.

mod common;
use common::*;
use stockroute::*;

fn offered(a: &Availability, channel: &str, sku: &str) -> String {
    a.items
        .iter()
        .find(|i| i.channel == channel && i.sku == sku)
        .map(|i| i.offered.normalize().to_string())
        .unwrap_or_else(|| panic!("no {channel}/{sku}"))
}

#[test]
fn default_aggregation_sums_included_warehouses_less_buffers() {
    let a = router("").available(&inventory(), None).unwrap();
    // CHAIR webshop: berlin 3 + munich 8 + shop-hh 6 = 17, − safety 2 − reserved 1 = 14.
    assert_eq!(offered(&a, "webshop", "CHAIR"), "14");
    // CHAIR marketplace: own only, 3 + 8 = 11.
    assert_eq!(offered(&a, "marketplace", "CHAIR"), "11");
    // LAMP webshop: munich 3 + vienna 6 + shop-graz 0 (out of stock) = 9 − 2 = 7.
    assert_eq!(offered(&a, "webshop", "LAMP"), "7");
    // ROPE webshop: shop-hh 12.5 − 2 = 10.5; marketplace has no own rope.
    assert_eq!(offered(&a, "webshop", "ROPE"), "10.5");
    assert_eq!(offered(&a, "marketplace", "ROPE"), "0");
    // TABLE: webshop 1 + 5 + 2 − 2 = 6; marketplace 1 + 5 = 6.
    assert_eq!(offered(&a, "webshop", "TABLE"), "6");
    assert_eq!(offered(&a, "marketplace", "TABLE"), "6");
}

#[test]
fn breakdown_explains_every_warehouse() {
    let a = router("")
        .available(&inventory(), Some("marketplace"))
        .unwrap();
    assert!(a.items.iter().all(|i| i.channel == "marketplace"));
    let chair = a.items.iter().find(|i| i.sku == "CHAIR").unwrap();
    let hh = chair
        .warehouses
        .iter()
        .find(|w| w.warehouse == "shop-hh")
        .unwrap();
    assert!(!hh.included);
    assert!(hh.reason.as_deref().unwrap().contains("consignment"));
    assert!(hh.offered.is_zero());
    let munich = chair
        .warehouses
        .iter()
        .find(|w| w.warehouse == "munich")
        .unwrap();
    assert_eq!(
        (munich.on_hand, munich.safety, munich.available),
        (dec("10"), dec("2"), dec("8"))
    );
    let lamp = router("").available(&inventory(), Some("webshop")).unwrap();
    let graz = lamp
        .items
        .iter()
        .find(|i| i.sku == "LAMP")
        .unwrap()
        .warehouses
        .iter()
        .find(|w| w.warehouse == "shop-graz")
        .unwrap()
        .clone();
    assert_eq!(graz.reason.as_deref(), Some("marked out of stock"));
    assert!(graz.available.is_zero());
}

#[test]
fn offer_and_adjust_hooks_shape_the_channel_offer() {
    let r = router(
        r#"
        // 80 % of consignment stock, whole units; marketplace caps every SKU at 5.
        fn offer(channel, w, sku, qty) { if w.consignment { (qty * 0.8).floor() } else { qty } }
        fn adjust(channel, sku, qty) { if channel.id == "marketplace" { min(qty, 5) } else { qty } }
        "#,
    );
    let a = r.available(&inventory(), None).unwrap();
    // CHAIR webshop: 3 + 8 + floor(6 × 0.8 = 4.8) = 15 − 2 − 1 = 12.
    assert_eq!(offered(&a, "webshop", "CHAIR"), "12");
    // ROPE webshop: floor(12.5 × 0.8 = 10) = 10 − 2 = 8.
    assert_eq!(offered(&a, "webshop", "ROPE"), "8");
    // TABLE webshop: 1 + 5 + floor(1.6) = 7 − 2 = 5.
    assert_eq!(offered(&a, "webshop", "TABLE"), "5");
    // CHAIR marketplace: 11 capped at 5.
    assert_eq!(offered(&a, "marketplace", "CHAIR"), "5");
    let chair = a
        .items
        .iter()
        .find(|i| i.channel == "marketplace" && i.sku == "CHAIR")
        .unwrap();
    assert_eq!(chair.rule_adjustment, dec("-6"));
    let web_chair = a
        .items
        .iter()
        .find(|i| i.channel == "webshop" && i.sku == "CHAIR")
        .unwrap();
    let hh = web_chair
        .warehouses
        .iter()
        .find(|w| w.warehouse == "shop-hh")
        .unwrap();
    assert_eq!((hh.offered, hh.rule_adjustment), (dec("4"), dec("-2")));
}

#[test]
fn offering_stock_that_does_not_exist_is_an_error() {
    let e = router("fn offer(channel, w, sku, qty) { qty + 1 }")
        .available(&inventory(), None)
        .unwrap_err();
    let d = e.primary().unwrap();
    assert_eq!(d.code, "availability.invalid");
    assert_eq!(d.hook.as_deref(), Some("offer"));
    assert!(d.warehouse.is_some());
    let e = router("fn adjust(channel, sku, qty) { -1 }")
        .available(&inventory(), None)
        .unwrap_err();
    assert_eq!(e.primary().unwrap().hook.as_deref(), Some("adjust"));
    let e = router("fn offer(channel, w, sku, qty) { \"all\" }")
        .available(&inventory(), None)
        .unwrap_err();
    assert_eq!(e.code, "rule.return");
}

#[test]
fn unknown_channel_is_a_data_error() {
    let e = router("")
        .available(&inventory(), Some("ebay"))
        .unwrap_err();
    assert_eq!(e.code, "data.invalid");
    assert!(e.message.contains("`ebay`"));
}

#[test]
fn safety_larger_than_stock_never_goes_negative() {
    let mut inv = inventory_json();
    inv["channels"][1]["safety"] = serde_json::json!(100);
    let inv = PreparedInventory::new(serde_json::from_value(inv).unwrap()).unwrap();
    let a = router("").available(&inv, Some("marketplace")).unwrap();
    assert!(a.items.iter().all(|i| i.offered.is_zero()));
}
