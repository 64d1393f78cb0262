//! Helpers available in every hook: `distance_km`, `note`, `hold`, `available`, `stock`,
//! `product`, plus `print`/`debug` routed into the trace instead of the host's stdout.

use super::{as_decimal, EvalState};
use crate::model::TraceEntry;
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::rc::Rc;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(message: String) -> Fallible<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message),
        Position::NONE,
    )))
}

/// Most trace lines a rule may add per evaluation; beyond that, notes are dropped so a
/// chatty loop cannot exhaust memory.
const MAX_NOTES: usize = 1_000;

fn push_note(state: &Rc<RefCell<EvalState>>, step: &str, message: String) {
    if let Ok(mut s) = state.try_borrow_mut() {
        if s.notes.len() < MAX_NOTES {
            let warehouse = s.warehouse.clone();
            s.notes.push(TraceEntry {
                step: step.to_string(),
                warehouse,
                line: None,
                message,
            });
        }
    }
}

/// Reads `lat`/`lon` from a location map, or from a map with a `location` field
/// (a warehouse or `order.ship_to`).
fn lat_lon(v: &Dynamic, which: &str) -> Fallible<(f64, f64)> {
    let Some(map) = v.read_lock::<Map>() else {
        return fail(format!(
            "distance_km: `{which}` must be a location (#{{lat, lon}}) or have a `location`, got {}",
            super::type_name(v)
        ));
    };
    if let Some(loc) = map.get("location") {
        if loc.is_unit() {
            let id = map.get("id").map(|d| d.to_string()).unwrap_or_default();
            return fail(format!(
                "distance_km: `{which}` {}has no location",
                if id.is_empty() {
                    String::new()
                } else {
                    format!("(`{id}`) ")
                }
            ));
        }
        let loc = loc.clone();
        drop(map);
        return lat_lon(&loc, which);
    }
    let get = |k: &str| map.get(k).and_then(as_decimal).and_then(|d| d.to_f64());
    match (get("lat"), get("lon")) {
        (Some(lat), Some(lon)) => Ok((lat, lon)),
        _ => fail(format!(
            "distance_km: `{which}` has no numeric `lat` and `lon`"
        )),
    }
}

/// Great-circle distance in kilometres, rounded to metres.
///
/// Trigonometry on degrees has no exact decimal form, so this one helper works in binary
/// floating point internally; the result reaches rules as a `Decimal` like every number.
pub(crate) fn haversine_km(a: (f64, f64), b: (f64, f64)) -> Decimal {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    let km = 2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin();
    Decimal::from_f64_retain(km)
        .map(|d| d.round_dp(3))
        .unwrap_or(Decimal::ZERO)
}

pub(crate) fn register(engine: &mut Engine, state: &Rc<RefCell<EvalState>>) {
    // `country in EU` is the most common eligibility test. Rhai's generic `contains`
    // dispatches `==` through the function resolver for every element; comparing strings
    // directly gives the same answer (values of other types never equal a string).
    engine.register_fn(
        "contains",
        |items: &mut rhai::Array, needle: ImmutableString| -> bool {
            items.iter().any(|item| {
                item.read_lock::<ImmutableString>()
                    .is_some_and(|s| *s == needle)
            })
        },
    );

    engine.register_fn(
        "distance_km",
        |a: Dynamic, b: Dynamic| -> Fallible<Decimal> {
            Ok(haversine_km(lat_lon(&a, "a")?, lat_lon(&b, "b")?))
        },
    );

    let s = state.clone();
    engine.register_fn("note", move |text: Dynamic| {
        push_note(&s, "note", text.to_string());
    });

    let s = state.clone();
    engine.register_fn("hold", move |reason: ImmutableString| {
        push_note(&s, "hold", format!("hold requested: {reason}"));
        if let Ok(mut st) = s.try_borrow_mut() {
            if st.hold.is_none() {
                st.hold = Some(reason.to_string());
            }
        }
    });

    let s = state.clone();
    engine.on_print(move |text| push_note(&s, "print", text.to_string()));
    let s = state.clone();
    engine.on_debug(move |text, _, _| push_note(&s, "debug", text.to_string()));

    let s = state.clone();
    engine.register_fn(
        "available",
        move |warehouse: ImmutableString, sku: ImmutableString| -> Decimal {
            let Ok(st) = s.try_borrow() else {
                return Decimal::ZERO;
            };
            st.inventory
                .as_ref()
                .and_then(|inv| Some(inv.available(inv.warehouse_index(&warehouse)?, &sku)))
                .unwrap_or(Decimal::ZERO)
        },
    );

    let s = state.clone();
    engine.register_fn(
        "stock",
        move |warehouse: ImmutableString, sku: ImmutableString| -> Dynamic {
            let Ok(st) = s.try_borrow() else {
                return Dynamic::UNIT;
            };
            let Some(inv) = st.inventory.as_ref() else {
                return Dynamic::UNIT;
            };
            let Some(w) = inv.warehouse_index(&warehouse) else {
                return Dynamic::UNIT;
            };
            let Some(level) = inv.level(w, &sku) else {
                return Dynamic::UNIT;
            };
            let Some(row) = inv.inventory().stock.get(level.row) else {
                return Dynamic::UNIT;
            };
            let mut m = Map::new();
            m.insert("on_hand".into(), Dynamic::from_decimal(row.on_hand));
            m.insert("reserved".into(), Dynamic::from_decimal(row.reserved));
            m.insert("safety".into(), Dynamic::from_decimal(row.safety));
            m.insert("available".into(), Dynamic::from_decimal(level.available));
            m.insert(
                "status".into(),
                Dynamic::from(match row.status {
                    crate::model::StockStatus::InStock => "in_stock",
                    crate::model::StockStatus::OutOfStock => "out_of_stock",
                }),
            );
            Dynamic::from_map(m)
        },
    );

    let s = state.clone();
    engine.register_fn("product", move |sku: ImmutableString| -> Dynamic {
        let Ok(st) = s.try_borrow() else {
            return Dynamic::UNIT;
        };
        st.inventory
            .as_ref()
            .and_then(|inv| inv.product(&sku))
            .map_or(Dynamic::UNIT, super::convert::product)
    });
}
