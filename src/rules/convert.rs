//! Read-only script views of the domain model.
//!
//! Views are Rhai object maps marked read-only and shared: passing them to a hook costs a
//! reference-count increment, and a script that tries to assign to one gets an error instead
//! of corrupting data the next hook (or the next order) sees.

use crate::inventory::PreparedInventory;
use crate::model::{Channel, Location, Order, Product, Warehouse};
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;

/// Script views of an inventory, built once per [`PreparedInventory`].
#[derive(Debug)]
pub(crate) struct InventoryViews {
    pub warehouses: Vec<Dynamic>,
    pub channels: Vec<Dynamic>,
    /// The whole inventory, for `route(order, inventory)`.
    pub inventory: Dynamic,
}

/// A read-only shared view, for values passed to hooks as arguments only. Rhai must never
/// find a shared value nested inside other data (its size accounting panics on one), so
/// nested views are plain maps: the read-only root already protects them.
fn frozen(map: Map) -> Dynamic {
    Dynamic::from_map(map).into_read_only().into_shared()
}

fn string_array(items: &[String]) -> Dynamic {
    Dynamic::from_array(items.iter().map(|s| Dynamic::from(s.clone())).collect())
}

fn opt_string(s: &Option<String>) -> Dynamic {
    s.as_ref()
        .map_or(Dynamic::UNIT, |s| Dynamic::from(s.clone()))
}

pub(crate) fn location(loc: &Option<Location>) -> Dynamic {
    match loc {
        None => Dynamic::UNIT,
        Some(l) => {
            let mut m = Map::new();
            m.insert("lat".into(), Dynamic::from_decimal(l.lat));
            m.insert("lon".into(), Dynamic::from_decimal(l.lon));
            Dynamic::from_map(m)
        }
    }
}

/// JSON attribute values: integers stay integers, other numbers become decimals.
pub(crate) fn json(value: &serde_json::Value) -> Dynamic {
    match value {
        serde_json::Value::Null => Dynamic::UNIT,
        serde_json::Value::Bool(b) => Dynamic::from_bool(*b),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Dynamic::from_int(i)
            } else {
                n.to_string()
                    .parse::<Decimal>()
                    .or_else(|_| Decimal::from_scientific(&n.to_string()))
                    .map_or(Dynamic::UNIT, Dynamic::from_decimal)
            }
        }
        serde_json::Value::String(s) => Dynamic::from(s.clone()),
        serde_json::Value::Array(a) => Dynamic::from_array(a.iter().map(json).collect()),
        serde_json::Value::Object(o) => Dynamic::from_map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), json(v)))
                .collect(),
        ),
    }
}

fn attributes(attrs: &crate::model::Attributes) -> Dynamic {
    Dynamic::from_map(
        attrs
            .iter()
            .map(|(k, v)| (k.as_str().into(), json(v)))
            .collect(),
    )
}

fn warehouse_map(w: &Warehouse) -> Map {
    let mut m = Map::new();
    m.insert("id".into(), Dynamic::from(w.id.clone()));
    m.insert("name".into(), Dynamic::from(w.name.clone()));
    m.insert("kind".into(), Dynamic::from(w.kind.as_str()));
    m.insert(
        "consignment".into(),
        Dynamic::from_bool(w.kind == crate::model::WarehouseKind::Consignment),
    );
    m.insert("owner".into(), opt_string(&w.owner));
    m.insert("country".into(), Dynamic::from(w.country.clone()));
    m.insert("postcode".into(), Dynamic::from(w.postcode.clone()));
    m.insert("location".into(), location(&w.location));
    m.insert("priority".into(), Dynamic::from_int(w.priority));
    m.insert("enabled".into(), Dynamic::from_bool(w.enabled));
    m.insert("tags".into(), string_array(&w.tags));
    let terms = match &w.terms {
        None => Dynamic::UNIT,
        Some(t) => {
            let mut tm = Map::new();
            tm.insert("period_end".into(), opt_string(&t.period_end));
            tm.insert("settlement".into(), opt_string(&t.settlement));
            tm.insert("pro_forma".into(), Dynamic::from_bool(t.pro_forma));
            Dynamic::from_map(tm)
        }
    };
    m.insert("terms".into(), terms);
    m
}

pub(crate) fn warehouse(w: &Warehouse) -> Dynamic {
    frozen(warehouse_map(w))
}

fn channel_map(c: &Channel) -> Map {
    let mut m = Map::new();
    m.insert("id".into(), Dynamic::from(c.id.clone()));
    m.insert(
        "include_consignment".into(),
        Dynamic::from_bool(c.include_consignment),
    );
    m.insert("safety".into(), Dynamic::from_decimal(c.safety));
    m.insert("tags".into(), string_array(&c.tags));
    m
}

pub(crate) fn channel(c: &Channel) -> Dynamic {
    frozen(channel_map(c))
}

/// Product data as a plain map: it is nested in line views and returned by `product(sku)`.
pub(crate) fn product(p: &Product) -> Dynamic {
    let mut m = Map::new();
    m.insert("sku".into(), Dynamic::from(p.sku.clone()));
    m.insert("tags".into(), string_array(&p.tags));
    m.insert("attributes".into(), attributes(&p.attributes));
    Dynamic::from_map(m)
}

pub(crate) fn order(o: &Order, inv: &PreparedInventory) -> Dynamic {
    let mut m = Map::new();
    m.insert("id".into(), Dynamic::from(o.id.clone()));
    m.insert("channel".into(), Dynamic::from(o.channel.clone()));
    m.insert("currency".into(), Dynamic::from(o.currency.clone()));
    let mut c = Map::new();
    c.insert("id".into(), opt_string(&o.customer.id));
    c.insert(
        "type".into(),
        Dynamic::from(match o.customer.kind {
            crate::model::CustomerType::B2c => "b2c",
            crate::model::CustomerType::B2b => "b2b",
        }),
    );
    c.insert("tags".into(), string_array(&o.customer.tags));
    m.insert("customer".into(), Dynamic::from_map(c));
    let mut s = Map::new();
    s.insert("country".into(), Dynamic::from(o.ship_to.country.clone()));
    s.insert("postcode".into(), Dynamic::from(o.ship_to.postcode.clone()));
    s.insert("location".into(), location(&o.ship_to.location));
    m.insert("ship_to".into(), Dynamic::from_map(s));
    let lines: Array = o
        .lines
        .iter()
        .map(|l| {
            let mut lm = Map::new();
            lm.insert("id".into(), Dynamic::from(l.id.clone()));
            lm.insert("sku".into(), Dynamic::from(l.sku.clone()));
            lm.insert("qty".into(), Dynamic::from_decimal(l.qty));
            lm.insert("unit_price".into(), Dynamic::from_decimal(l.unit_price));
            lm.insert(
                "value".into(),
                Dynamic::from_decimal(l.qty.saturating_mul(l.unit_price)),
            );
            lm.insert("tags".into(), string_array(&l.tags));
            lm.insert(
                "product".into(),
                inv.product(&l.sku).map_or(Dynamic::UNIT, product),
            );
            Dynamic::from_map(lm)
        })
        .collect();
    m.insert("lines".into(), Dynamic::from_array(lines));
    m.insert("value".into(), Dynamic::from_decimal(o.value()));
    m.insert("attributes".into(), attributes(&o.attributes));
    frozen(m)
}

impl InventoryViews {
    pub(crate) fn build(inv: &PreparedInventory) -> Self {
        let warehouses: Vec<Dynamic> = inv.warehouses().iter().map(warehouse).collect();
        let channels: Vec<Dynamic> = inv.inventory().channels.iter().map(channel).collect();
        let stock: Array = inv
            .inventory()
            .stock
            .iter()
            .filter_map(|row| {
                let w = inv.warehouse_index(&row.warehouse)?;
                let mut m = Map::new();
                m.insert("warehouse".into(), Dynamic::from(row.warehouse.clone()));
                m.insert("sku".into(), Dynamic::from(row.sku.clone()));
                m.insert("on_hand".into(), Dynamic::from_decimal(row.on_hand));
                m.insert("reserved".into(), Dynamic::from_decimal(row.reserved));
                m.insert("safety".into(), Dynamic::from_decimal(row.safety));
                m.insert(
                    "available".into(),
                    Dynamic::from_decimal(inv.available(w, &row.sku)),
                );
                Some(Dynamic::from_map(m))
            })
            .collect();
        let mut m = Map::new();
        m.insert(
            "warehouses".into(),
            inv.warehouses()
                .iter()
                .map(|w| Dynamic::from_map(warehouse_map(w)))
                .collect::<Vec<_>>()
                .into(),
        );
        m.insert(
            "channels".into(),
            inv.inventory()
                .channels
                .iter()
                .map(|c| Dynamic::from_map(channel_map(c)))
                .collect::<Vec<_>>()
                .into(),
        );
        m.insert("stock".into(), Dynamic::from_array(stock));
        m.insert(
            "products".into(),
            Dynamic::from_array(inv.inventory().products.iter().map(product).collect()),
        );
        InventoryViews {
            warehouses,
            channels,
            inventory: frozen(m),
        }
    }
}
