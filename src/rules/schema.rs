//! The objects rules see and their fields: one table read by the interpreter's views, by
//! compiled hooks (property names resolved to these getters at compile time), by `check`
//! (unknown properties) and by the editor's metadata.

use super::value::{Ctx, Value};
use crate::model::{CustomerType, StockStatus, WarehouseKind};

/// A kind of object in the model, as rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Obj {
    Order,
    Line,
    Customer,
    Address,
    Warehouse,
    Terms,
    Channel,
    Product,
    Inventory,
    StockRow,
    Proposal,
}

impl Obj {
    /// Every kind, in documentation order.
    pub const ALL: [Obj; 11] = [
        Obj::Order,
        Obj::Line,
        Obj::Customer,
        Obj::Address,
        Obj::Warehouse,
        Obj::Terms,
        Obj::Channel,
        Obj::Product,
        Obj::Inventory,
        Obj::StockRow,
        Obj::Proposal,
    ];

    /// The name used in messages and docs (and as the Rhai type name of the view).
    pub fn name(self) -> &'static str {
        match self {
            Obj::Order => "order",
            Obj::Line => "line",
            Obj::Customer => "customer",
            Obj::Address => "address",
            Obj::Warehouse => "warehouse",
            Obj::Terms => "terms",
            Obj::Channel => "channel",
            Obj::Product => "product",
            Obj::Inventory => "inventory",
            Obj::StockRow => "stock",
            Obj::Proposal => "proposal",
        }
    }

    /// "an order", "a warehouse", ...
    pub fn article(self) -> &'static str {
        match self {
            Obj::Order | Obj::Address | Obj::Inventory => "an",
            _ => "a",
        }
    }

    /// The fields of this kind.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Obj::Order => ORDER,
            Obj::Line => LINE,
            Obj::Customer => CUSTOMER,
            Obj::Address => ADDRESS,
            Obj::Warehouse => WAREHOUSE,
            Obj::Terms => TERMS,
            Obj::Channel => CHANNEL,
            Obj::Product => PRODUCT,
            Obj::Inventory => INVENTORY,
            Obj::StockRow => STOCK_ROW,
            Obj::Proposal => PROPOSAL,
        }
    }

    /// The field called `name`, if there is one.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }
}

/// Reads one field of one object.
pub(crate) type Getter = for<'a> fn(Ctx<'a>, u32) -> Value<'a>;

/// A field of an object.
#[derive(Clone, Copy)]
pub(crate) struct Field {
    pub name: &'static str,
    /// Type, as documented (`string`, `decimal`, `[line]`, ...).
    pub detail: &'static str,
    pub doc: &'static str,
    pub get: Getter,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

fn opt_str(s: &Option<String>) -> Value<'_> {
    s.as_deref().map_or(Value::Unit, Value::Str)
}

fn order_field<'a>(c: Ctx<'a>, f: impl FnOnce(&'a crate::model::Order) -> Value<'a>) -> Value<'a> {
    c.order.map_or(Value::Unit, f)
}

fn line_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::OrderLine) -> Value<'a>,
) -> Value<'a> {
    c.order
        .and_then(|o| o.lines.get(i as usize))
        .map_or(Value::Unit, f)
}

fn warehouse_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::Warehouse) -> Value<'a>,
) -> Value<'a> {
    c.inventory.warehouse(i as usize).map_or(Value::Unit, f)
}

fn terms_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::ConsignmentTerms) -> Value<'a>,
) -> Value<'a> {
    c.inventory
        .warehouse(i as usize)
        .and_then(|w| w.terms.as_ref())
        .map_or(Value::Unit, f)
}

fn channel_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::Channel) -> Value<'a>,
) -> Value<'a> {
    c.inventory
        .inventory()
        .channels
        .get(i as usize)
        .map_or(Value::Unit, f)
}

fn product_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::Product) -> Value<'a>,
) -> Value<'a> {
    c.inventory
        .inventory()
        .products
        .get(i as usize)
        .map_or(Value::Unit, f)
}

fn stock_field<'a>(
    c: Ctx<'a>,
    i: u32,
    f: impl FnOnce(&'a crate::model::StockRow) -> Value<'a>,
) -> Value<'a> {
    c.inventory
        .inventory()
        .stock
        .get(i as usize)
        .map_or(Value::Unit, f)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The product view of a SKU, or `()`.
pub(crate) fn product_of<'a>(c: Ctx<'a>, sku: &str) -> Value<'a> {
    c.inventory
        .product_position(sku)
        .map_or(Value::Unit, |p| Value::View(Obj::Product, count(p)))
}

/// The stock view of a SKU at a warehouse, or `()`.
pub(crate) fn stock_of<'a>(c: Ctx<'a>, warehouse: &str, sku: &str) -> Value<'a> {
    c.inventory
        .warehouse_index(warehouse)
        .and_then(|w| c.inventory.level(w, sku))
        .map_or(Value::Unit, |l| Value::View(Obj::StockRow, count(l.row)))
}

const ORDER: &[Field] = &[
    Field {
        name: "id",
        detail: "string",
        doc: "Order id.",
        get: |c, _| order_field(c, |o| Value::Str(&o.id)),
    },
    Field {
        name: "channel",
        detail: "string",
        doc: "Sales channel id.",
        get: |c, _| order_field(c, |o| Value::Str(&o.channel)),
    },
    Field {
        name: "currency",
        detail: "string",
        doc: "ISO currency code.",
        get: |c, _| order_field(c, |o| Value::Str(&o.currency)),
    },
    Field {
        name: "customer",
        detail: "customer",
        doc: "The buyer: type (\"b2c\" | \"b2b\"), tags, id.",
        get: |c, _| order_field(c, |_| Value::View(Obj::Customer, 0)),
    },
    Field {
        name: "ship_to",
        detail: "address",
        doc: "Destination: country, postcode, location.",
        get: |c, _| order_field(c, |_| Value::View(Obj::Address, 0)),
    },
    Field {
        name: "lines",
        detail: "[line]",
        doc: "Order lines.",
        get: |c, _| order_field(c, |o| Value::Seq(Obj::Line, count(o.lines.len()))),
    },
    Field {
        name: "value",
        detail: "decimal",
        doc: "Σ qty × unit_price.",
        get: |c, _| order_field(c, |o| Value::Dec(o.value())),
    },
    Field {
        name: "attributes",
        detail: "map",
        doc: "Free attributes from the shop; read with `order.attributes.get(\"key\")`.",
        get: |c, _| order_field(c, |o| Value::Attrs(&o.attributes)),
    },
];

const LINE: &[Field] = &[
    Field {
        name: "id",
        detail: "string",
        doc: "Line id.",
        get: |c, i| line_field(c, i, |l| Value::Str(&l.id)),
    },
    Field {
        name: "sku",
        detail: "string",
        doc: "SKU.",
        get: |c, i| line_field(c, i, |l| Value::Str(&l.sku)),
    },
    Field {
        name: "qty",
        detail: "decimal",
        doc: "Ordered quantity.",
        get: |c, i| line_field(c, i, |l| Value::Dec(l.qty)),
    },
    Field {
        name: "unit_price",
        detail: "decimal",
        doc: "Unit price.",
        get: |c, i| line_field(c, i, |l| Value::Dec(l.unit_price)),
    },
    Field {
        name: "value",
        detail: "decimal",
        doc: "qty × unit_price.",
        get: |c, i| line_field(c, i, |l| Value::Dec(l.qty.saturating_mul(l.unit_price))),
    },
    Field {
        name: "tags",
        detail: "[string]",
        doc: "Line tags.",
        get: |c, i| line_field(c, i, |l| Value::Tags(&l.tags)),
    },
    Field {
        name: "product",
        detail: "product | ()",
        doc: "Product data of the SKU, if the inventory has it.",
        get: |c, i| {
            c.order
                .and_then(|o| o.lines.get(i as usize))
                .map_or(Value::Unit, |l| product_of(c, &l.sku))
        },
    },
];

const CUSTOMER: &[Field] = &[
    Field {
        name: "type",
        detail: "string",
        doc: "\"b2c\" or \"b2b\".",
        get: |c, _| {
            order_field(c, |o| {
                Value::Str(match o.customer.kind {
                    CustomerType::B2c => "b2c",
                    CustomerType::B2b => "b2b",
                })
            })
        },
    },
    Field {
        name: "tags",
        detail: "[string]",
        doc: "Customer tags.",
        get: |c, _| order_field(c, |o| Value::Tags(&o.customer.tags)),
    },
    Field {
        name: "id",
        detail: "string | ()",
        doc: "Customer id.",
        get: |c, _| order_field(c, |o| opt_str(&o.customer.id)),
    },
];

const ADDRESS: &[Field] = &[
    Field {
        name: "country",
        detail: "string",
        doc: "ISO country code.",
        get: |c, _| order_field(c, |o| Value::Str(&o.ship_to.country)),
    },
    Field {
        name: "postcode",
        detail: "string",
        doc: "Postcode.",
        get: |c, _| order_field(c, |o| Value::Str(&o.ship_to.postcode)),
    },
    Field {
        name: "location",
        detail: "#{ lat, lon } | ()",
        doc: "Position, for distance_km.",
        get: |c, _| {
            order_field(c, |o| {
                o.ship_to.location.as_ref().map_or(Value::Unit, Value::Loc)
            })
        },
    },
];

const WAREHOUSE: &[Field] = &[
    Field {
        name: "id",
        detail: "string",
        doc: "Warehouse id.",
        get: |c, i| warehouse_field(c, i, |w| Value::Str(&w.id)),
    },
    Field {
        name: "name",
        detail: "string",
        doc: "Display name.",
        get: |c, i| warehouse_field(c, i, |w| Value::Str(&w.name)),
    },
    Field {
        name: "kind",
        detail: "string",
        doc: "\"own\" or \"consignment\".",
        get: |c, i| warehouse_field(c, i, |w| Value::Str(w.kind.as_str())),
    },
    Field {
        name: "consignment",
        detail: "bool",
        doc: "True for consignment locations.",
        get: |c, i| warehouse_field(c, i, |w| Value::Bool(w.kind == WarehouseKind::Consignment)),
    },
    Field {
        name: "owner",
        detail: "string | ()",
        doc: "Retailer holding consignment stock.",
        get: |c, i| warehouse_field(c, i, |w| opt_str(&w.owner)),
    },
    Field {
        name: "terms",
        detail: "terms | ()",
        doc: "Consignment terms: period_end, settlement, pro_forma.",
        get: |c, i| {
            warehouse_field(c, i, |w| {
                w.terms
                    .as_ref()
                    .map_or(Value::Unit, |_| Value::View(Obj::Terms, i))
            })
        },
    },
    Field {
        name: "country",
        detail: "string",
        doc: "ISO country code.",
        get: |c, i| warehouse_field(c, i, |w| Value::Str(&w.country)),
    },
    Field {
        name: "postcode",
        detail: "string",
        doc: "Postcode.",
        get: |c, i| warehouse_field(c, i, |w| Value::Str(&w.postcode)),
    },
    Field {
        name: "location",
        detail: "#{ lat, lon } | ()",
        doc: "Position.",
        get: |c, i| {
            warehouse_field(c, i, |w| {
                w.location.as_ref().map_or(Value::Unit, Value::Loc)
            })
        },
    },
    Field {
        name: "period_ended",
        detail: "bool",
        doc: "True for a consignment location whose `terms.period_end` is before the routing day. Such locations are excluded unless `eligible` reads this field (then the rule decides).",
        get: |c, i| {
            warehouse_field(c, i, |w| {
                Value::Bool(c.as_of.is_some_and(|d| {
                    crate::consignment::dates::period_end_passed(w, d).is_some()
                }))
            })
        },
    },
    Field {
        name: "priority",
        detail: "int",
        doc: "Lower is preferred.",
        get: |c, i| warehouse_field(c, i, |w| Value::Int(w.priority)),
    },
    Field {
        name: "enabled",
        detail: "bool",
        doc: "Disabled warehouses never ship or offer.",
        get: |c, i| warehouse_field(c, i, |w| Value::Bool(w.enabled)),
    },
    Field {
        name: "tags",
        detail: "[string]",
        doc: "Warehouse tags.",
        get: |c, i| warehouse_field(c, i, |w| Value::Tags(&w.tags)),
    },
];

const TERMS: &[Field] = &[
    Field {
        name: "period_end",
        detail: "string | ()",
        doc: "Last day of the consignment period (ISO date).",
        get: |c, i| terms_field(c, i, |t| opt_str(&t.period_end)),
    },
    Field {
        name: "settlement",
        detail: "string | ()",
        doc: "Settlement cadence (free text).",
        get: |c, i| terms_field(c, i, |t| opt_str(&t.settlement)),
    },
    Field {
        name: "pro_forma",
        detail: "bool",
        doc: "Ships with a pro-forma instead of a packing slip.",
        get: |c, i| terms_field(c, i, |t| Value::Bool(t.pro_forma)),
    },
];

const CHANNEL: &[Field] = &[
    Field {
        name: "id",
        detail: "string",
        doc: "Channel id.",
        get: |c, i| channel_field(c, i, |ch| Value::Str(&ch.id)),
    },
    Field {
        name: "include_consignment",
        detail: "bool",
        doc: "Whether consignment stock is offered here.",
        get: |c, i| channel_field(c, i, |ch| Value::Bool(ch.include_consignment)),
    },
    Field {
        name: "safety",
        detail: "decimal",
        doc: "Channel safety buffer.",
        get: |c, i| channel_field(c, i, |ch| Value::Dec(ch.safety)),
    },
    Field {
        name: "tags",
        detail: "[string]",
        doc: "Channel tags.",
        get: |c, i| channel_field(c, i, |ch| Value::Tags(&ch.tags)),
    },
    Field {
        name: "include_backorders",
        detail: "bool",
        doc: "Whether units sold beyond stock (backorderable rows) count in this channel's offer.",
        get: |c, i| channel_field(c, i, |ch| Value::Bool(ch.include_backorders)),
    },
];

const PRODUCT: &[Field] = &[
    Field {
        name: "sku",
        detail: "string",
        doc: "SKU.",
        get: |c, i| product_field(c, i, |p| Value::Str(&p.sku)),
    },
    Field {
        name: "tags",
        detail: "[string]",
        doc: "Product tags (bulky, hazardous, ...).",
        get: |c, i| product_field(c, i, |p| Value::Tags(&p.tags)),
    },
    Field {
        name: "attributes",
        detail: "map",
        doc: "Free attributes (bundle, oos_threshold, ...); read with `.get(\"key\")`.",
        get: |c, i| product_field(c, i, |p| Value::Attrs(&p.attributes)),
    },
    Field {
        name: "track_inventory",
        detail: "bool",
        doc: "False: stock is not counted; unlimited wherever the SKU has a stock row.",
        get: |c, i| product_field(c, i, |p| Value::Bool(p.track_inventory)),
    },
    Field {
        name: "unit",
        detail: "string | ()",
        doc: "Unit of measure; \"each\" means whole units only.",
        get: |c, i| product_field(c, i, |p| opt_str(&p.unit)),
    },
];

const INVENTORY: &[Field] = &[
    Field {
        name: "warehouses",
        detail: "[warehouse]",
        doc: "All warehouses.",
        get: |c, _| Value::Seq(Obj::Warehouse, count(c.inventory.warehouses().len())),
    },
    Field {
        name: "channels",
        detail: "[channel]",
        doc: "All channels.",
        get: |c, _| Value::Seq(Obj::Channel, count(c.inventory.inventory().channels.len())),
    },
    Field {
        name: "stock",
        detail: "[stock]",
        doc: "All stock rows.",
        get: |c, _| Value::Seq(Obj::StockRow, count(c.inventory.inventory().stock.len())),
    },
    Field {
        name: "products",
        detail: "[product]",
        doc: "Product data.",
        get: |c, _| Value::Seq(Obj::Product, count(c.inventory.inventory().products.len())),
    },
];

const STOCK_ROW: &[Field] = &[
    Field {
        name: "warehouse",
        detail: "string",
        doc: "Warehouse id.",
        get: |c, i| stock_field(c, i, |r| Value::Str(&r.warehouse)),
    },
    Field {
        name: "sku",
        detail: "string",
        doc: "SKU.",
        get: |c, i| stock_field(c, i, |r| Value::Str(&r.sku)),
    },
    Field {
        name: "on_hand",
        detail: "decimal",
        doc: "Physically present.",
        get: |c, i| stock_field(c, i, |r| Value::Dec(r.on_hand)),
    },
    Field {
        name: "reserved",
        detail: "decimal",
        doc: "Already promised to routed orders.",
        get: |c, i| stock_field(c, i, |r| Value::Dec(r.reserved)),
    },
    Field {
        name: "safety",
        detail: "decimal",
        doc: "Buffer never offered or allocated.",
        get: |c, i| stock_field(c, i, |r| Value::Dec(r.safety)),
    },
    Field {
        name: "available",
        detail: "decimal",
        doc: "What can be allocated from stock now: on_hand − reserved − safety, never negative, 0 when disabled or out of stock, floored for whole units, 1000000000000000 for untracked products.",
        get: |c, i| {
            stock_field(c, i, |r| {
                Value::Dec(
                    c.inventory
                        .warehouse_index(&r.warehouse)
                        .map_or(rust_decimal::Decimal::ZERO, |w| {
                            c.inventory.available(w, &r.sku)
                        }),
                )
            })
        },
    },
    Field {
        name: "backorderable",
        detail: "bool",
        doc: "May be sold beyond what is available; the units wait for stock here.",
        get: |c, i| stock_field(c, i, |r| Value::Bool(r.backorderable)),
    },
    Field {
        name: "backorder_limit",
        detail: "decimal | ()",
        doc: "How far below zero a backorderable row may be promised; () = no limit.",
        get: |c, i| stock_field(c, i, |r| r.backorder_limit.map_or(Value::Unit, Value::Dec)),
    },
    Field {
        name: "backorder",
        detail: "decimal",
        doc: "Units the row may still sell beyond `available` (0 unless backorderable).",
        get: |c, i| {
            stock_field(c, i, |r| {
                Value::Dec(
                    c.inventory
                        .warehouse_index(&r.warehouse)
                        .map_or(rust_decimal::Decimal::ZERO, |w| {
                            c.inventory.backorder(w, &r.sku)
                        }),
                )
            })
        },
    },
    Field {
        name: "status",
        detail: "\"in_stock\" | \"out_of_stock\"",
        doc: "Whether the row can be sold at all.",
        get: |c, i| {
            stock_field(c, i, |r| {
                Value::Str(match r.status {
                    StockStatus::InStock => "in_stock",
                    StockStatus::OutOfStock => "out_of_stock",
                })
            })
        },
    },
];

fn proposal_field<'a>(
    c: Ctx<'a>,
    f: impl FnOnce(&'a crate::consignment::replenish::Proposal) -> Value<'a>,
) -> Value<'a> {
    c.proposal.map_or(Value::Unit, f)
}

const PROPOSAL: &[Field] = &[
    Field {
        name: "warehouse",
        detail: "string",
        doc: "Id of the consignment location.",
        get: |c, _| proposal_field(c, |p| Value::Str(&p.warehouse)),
    },
    Field {
        name: "sku",
        detail: "string",
        doc: "SKU.",
        get: |c, _| proposal_field(c, |p| Value::Str(&p.sku)),
    },
    Field {
        name: "on_hand",
        detail: "decimal",
        doc: "Units on hand at the location.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.on_hand)),
    },
    Field {
        name: "reserved",
        detail: "decimal",
        doc: "Units there promised to orders.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.reserved)),
    },
    Field {
        name: "sold",
        detail: "decimal",
        doc: "Units the retailer sold in the sales window.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.sold)),
    },
    Field {
        name: "forwarded",
        detail: "decimal",
        doc: "Units it shipped for the supplier's own orders in the window.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.forwarded)),
    },
    Field {
        name: "sold_per_day",
        detail: "decimal",
        doc: "(sold + forwarded) per day of the window, to 2 decimal places.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.sold_per_day)),
    },
    Field {
        name: "days_of_cover",
        detail: "decimal | ()",
        doc: "Days the stock there lasts at that rate; () when nothing sells.",
        get: |c, _| proposal_field(c, |p| p.days_of_cover.map_or(Value::Unit, Value::Dec)),
    },
    Field {
        name: "reorder_point",
        detail: "decimal",
        doc: "At or below this stock a delivery is proposed.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.reorder_point)),
    },
    Field {
        name: "target",
        detail: "decimal",
        doc: "The level a delivery fills up to.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.target)),
    },
    Field {
        name: "propose",
        detail: "decimal",
        doc: "What the engine proposes to send (0: nothing), within `limit`.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.propose)),
    },
    Field {
        name: "limit",
        detail: "decimal",
        doc: "The most that may go: what sells there before the period end and what own warehouses can spare; a larger answer is capped to it.",
        get: |c, _| proposal_field(c, |p| Value::Dec(p.limit)),
    },
];
