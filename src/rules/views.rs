//! The interpreter's views of the model: one registered Rhai type per kind of object
//! (`order`, `line`, `warehouse`, ...), with a getter per field of [`schema`](super::schema)
//! and no setters. A rule can read every field and change none, nor add one: assigning to a
//! view is an error at the assignment, and nested values (tags, locations, attributes) are
//! read-only copies, so nothing a hook does reaches the next call.

use super::schema::{Field, Obj};
use super::value::{to_dynamic, Ctx};
use crate::inventory::PreparedInventory;
use crate::model::Order;
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position};
use std::rc::Rc;

/// What views read from: an owned copy of the order (absent for availability hooks) and
/// the inventory (a reference count).
#[derive(Debug)]
pub(crate) struct Shared {
    pub order: Option<Order>,
    pub inventory: PreparedInventory,
    pub as_of: Option<time::Date>,
    /// The proposal a `replenish` hook is asked about.
    pub proposal: Option<crate::consignment::replenish::Proposal>,
}

impl Shared {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            order: self.order.as_ref(),
            inventory: &self.inventory,
            as_of: self.as_of,
            proposal: self.proposal.as_ref(),
        }
    }
}

/// The interface of every view type.
pub(crate) trait View: Clone + 'static {
    const OBJ: Obj;
    fn new(shared: Rc<Shared>, index: u32) -> Self;
    fn shared(&self) -> &Rc<Shared>;
    fn index(&self) -> u32;
}

macro_rules! views {
    ($($name:ident => $obj:path),* $(,)?) => {
        $(
            #[derive(Debug, Clone)]
            pub(crate) struct $name {
                shared: Rc<Shared>,
                index: u32,
            }

            impl View for $name {
                const OBJ: Obj = $obj;
                fn new(shared: Rc<Shared>, index: u32) -> Self {
                    $name { shared, index }
                }
                fn shared(&self) -> &Rc<Shared> {
                    &self.shared
                }
                fn index(&self) -> u32 {
                    self.index
                }
            }
        )*

        /// A Rhai value for one object of the model.
        pub(crate) fn view(shared: &Rc<Shared>, obj: Obj, index: u32) -> Dynamic {
            match obj {
                $($obj => Dynamic::from($name::new(shared.clone(), index)),)*
            }
        }

        /// Registers every view type with its getters.
        pub(crate) fn register(engine: &mut Engine) {
            $(register_view::<$name>(engine);)*
        }
    };
}

views! {
    OrderView => Obj::Order,
    LineView => Obj::Line,
    CustomerView => Obj::Customer,
    AddressView => Obj::Address,
    WarehouseView => Obj::Warehouse,
    TermsView => Obj::Terms,
    ChannelView => Obj::Channel,
    ProductView => Obj::Product,
    InventoryView => Obj::Inventory,
    StockView => Obj::StockRow,
    ProposalView => Obj::Proposal,
}

fn read<T: View>(v: &T, field: &Field) -> Dynamic {
    let shared = v.shared();
    to_dynamic((field.get)(shared.ctx(), v.index()), shared)
}

/// A short name for a view inside another's display: its id where it has one.
fn label<T: View>(v: &T) -> String {
    let id = T::OBJ
        .field("id")
        .or_else(|| T::OBJ.field("sku"))
        .map(|f| read(v, f));
    match id {
        Some(id) if id.is_string() => format!("{} `{id}`", T::OBJ.name()),
        _ => T::OBJ.name().to_string(),
    }
}

fn display<T: View>(v: &T) -> String {
    let mut m = Map::new();
    for field in T::OBJ.fields() {
        let value = read(v, field);
        // Nested objects are named, not expanded: an order's display stays one line.
        let shown = if value.is_variant() {
            Dynamic::from(value.to_string())
        } else {
            value
        };
        m.insert(field.name.into(), shown);
    }
    format!("{} {}", T::OBJ.name(), Dynamic::from_map(m))
}

fn register_view<T: View>(engine: &mut Engine) {
    engine.register_type_with_name::<T>(T::OBJ.name());
    for field in T::OBJ.fields() {
        engine.register_get(field.name, move |v: &mut T| read(v, field));
    }
    engine.register_indexer_get(
        |v: &mut T, key: ImmutableString| -> Result<Dynamic, Box<EvalAltResult>> {
            match T::OBJ.field(&key) {
                Some(field) => Ok(read(v, field)),
                None => Err(Box::new(EvalAltResult::ErrorPropertyNotFound(
                    key.to_string(),
                    Position::NONE,
                ))),
            }
        },
    );
    engine.register_fn("to_string", |v: &mut T| label(v));
    engine.register_fn("to_debug", |v: &mut T| display(v));
    engine.register_fn("==", |a: &mut T, b: T| {
        Rc::ptr_eq(a.shared(), b.shared()) && a.index() == b.index()
    });
    engine.register_fn("!=", |a: &mut T, b: T| {
        !(Rc::ptr_eq(a.shared(), b.shared()) && a.index() == b.index())
    });
    // `"priority" in warehouse`: whether the object has that field.
    engine.register_fn("contains", |_: &mut T, key: ImmutableString| {
        T::OBJ.field(&key).is_some()
    });
}

/// The location of something a rule passes to `distance_km`: a warehouse, an address, a
/// location map `#{ lat, lon }` or any map with a `location`.
pub(crate) fn location_of(v: &Dynamic) -> Result<Option<crate::model::Location>, String> {
    fn of<T: View>(v: &T) -> Option<crate::model::Location> {
        let shared = v.shared();
        match T::OBJ
            .field("location")
            .map(|f| (f.get)(shared.ctx(), v.index()))
        {
            Some(super::value::Value::Loc(l)) => Some(*l),
            _ => None,
        }
    }
    if let Some(w) = v.read_lock::<WarehouseView>() {
        return Ok(of(&*w));
    }
    if let Some(a) = v.read_lock::<AddressView>() {
        return Ok(of(&*a));
    }
    let Some(map) = v.read_lock::<Map>() else {
        return Err(format!(
            "must be a location (#{{lat, lon}}), a warehouse or an address, got {}",
            super::type_name(v)
        ));
    };
    if let Some(loc) = map.get("location") {
        if loc.is_unit() {
            return Ok(None);
        }
        let loc = loc.clone();
        drop(map);
        return location_of(&loc);
    }
    let get = |k: &str| map.get(k).and_then(super::as_decimal);
    match (get("lat"), get("lon")) {
        (Some(lat), Some(lon)) => Ok(Some(crate::model::Location { lat, lon })),
        _ => Err("has no numeric `lat` and `lon`".into()),
    }
}
