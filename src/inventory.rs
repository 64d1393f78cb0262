//! Validation and indexing of an [`Inventory`], done once and reused for many orders.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::model::{
    Channel, Document, Forward, Inventory, Order, Product, StockStatus, Warehouse, WarehouseKind,
    MAX_QUANTITY,
};
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// Availability of one SKU in one warehouse, with the reason it is zero when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    /// Index of the stock row in `Inventory::stock`.
    pub row: usize,
    /// on_hand − reserved − safety, 0 when disabled or out of stock, never negative.
    pub available: Decimal,
    /// Why `available` is forced to zero, if it is.
    pub zero_reason: Option<&'static str>,
}

/// A validated, indexed inventory. Build it once with [`PreparedInventory::new`] and pass it
/// to every routing call: lookups are hashed and the script views are built lazily, once.
/// Cloning is cheap (a reference count).
#[derive(Debug, Clone)]
pub struct PreparedInventory {
    inner: Rc<InventoryIndex>,
}

impl std::ops::Deref for PreparedInventory {
    type Target = InventoryIndex;
    fn deref(&self) -> &InventoryIndex {
        &self.inner
    }
}

/// The indexes behind a [`PreparedInventory`].
#[derive(Debug)]
pub struct InventoryIndex {
    inventory: Inventory,
    warehouse_index: HashMap<String, usize>,
    channel_index: HashMap<String, usize>,
    product_index: HashMap<String, usize>,
    /// (warehouse index, sku) → level.
    /// sku → warehouse index → level. Keyed by SKU first so lookups borrow `&str`
    /// instead of allocating a tuple key on the per-order hot path.
    levels: HashMap<String, HashMap<usize, StockLevel>>,
    /// sku → warehouse indices holding a row for it, in inventory order.
    by_sku: HashMap<String, Vec<usize>>,
    /// (channel, sku) → reserved on the channel.
    channel_reserved: HashMap<String, HashMap<usize, Decimal>>,
    skus: BTreeSet<String>,
}

fn invalid(path: String, message: String) -> Diagnostic {
    Diagnostic::new(code::DATA_INVALID, message).with_path(path)
}

fn non_negative(errors: &mut Vec<Diagnostic>, value: Decimal, path: impl FnOnce() -> String) {
    if value.is_sign_negative() && !value.is_zero() {
        let p = path();
        errors.push(invalid(
            p.clone(),
            format!("`{p}` must not be negative, got `{value}`"),
        ));
    } else if value > MAX_QUANTITY {
        let p = path();
        errors.push(invalid(
            p.clone(),
            format!("`{p}` must be at most `{MAX_QUANTITY}`, got `{value}`"),
        ));
    }
}

/// Stock level of a row in a warehouse, following the documented availability formula.
pub(crate) fn level_of(
    warehouse: &Warehouse,
    row_index: usize,
    row: &crate::model::StockRow,
) -> StockLevel {
    let zero_reason = if !warehouse.enabled {
        Some("warehouse disabled")
    } else if row.status == StockStatus::OutOfStock {
        Some("marked out of stock")
    } else {
        None
    };
    let available = if zero_reason.is_some() {
        Decimal::ZERO
    } else {
        row.on_hand
            .checked_sub(row.reserved)
            .and_then(|v| v.checked_sub(row.safety))
            .unwrap_or(Decimal::ZERO)
            .max(Decimal::ZERO)
    };
    StockLevel {
        row: row_index,
        available,
        zero_reason,
    }
}

impl PreparedInventory {
    /// Validates and indexes an inventory. Every problem found is reported, each naming
    /// its field (`warehouses[2].forward`, `stock[7].warehouse`, ...).
    pub fn new(inventory: Inventory) -> Result<Self> {
        let mut errors = Vec::new();
        let mut warehouse_index = HashMap::new();
        for (i, w) in inventory.warehouses.iter().enumerate() {
            if w.id.trim().is_empty() {
                errors.push(invalid(
                    format!("warehouses[{i}].id"),
                    "warehouse id must not be empty".into(),
                ));
            }
            if warehouse_index.insert(w.id.clone(), i).is_some() {
                errors.push(invalid(
                    format!("warehouses[{i}].id"),
                    format!("duplicate warehouse id `{}`", w.id),
                ));
            }
            if w.kind == WarehouseKind::Consignment {
                match &w.forward {
                    None => errors.push(
                        invalid(
                            format!("warehouses[{i}].forward"),
                            format!(
                                "consignment warehouse `{}` needs a `forward` method",
                                w.id
                            ),
                        )
                        .with_help(
                            "orders served from a consignment location are forwarded to the retailer: use {\"method\": \"email\", \"to\": ...} or {\"method\": \"api\", \"endpoint\": ...}",
                        ),
                    ),
                    Some(Forward::Email { to }) if to.trim().is_empty() => errors.push(invalid(
                        format!("warehouses[{i}].forward.to"),
                        "email forward needs a recipient address".into(),
                    )),
                    Some(Forward::Api { endpoint }) if endpoint.trim().is_empty() => {
                        errors.push(invalid(
                            format!("warehouses[{i}].forward.endpoint"),
                            "api forward needs an endpoint".into(),
                        ))
                    }
                    _ => {}
                }
                if w.documents
                    .iter()
                    .flatten()
                    .any(|d| *d == Document::Invoice)
                {
                    errors.push(
                        invalid(
                            format!("warehouses[{i}].documents"),
                            format!(
                                "consignment warehouse `{}` cannot ship with an invoice",
                                w.id
                            ),
                        )
                        .with_help("an invoice transfers ownership; consignment goods stay the supplier's until the retailer sells them. Remove `documents` or set `terms.pro_forma`"),
                    );
                }
            }
            if let Some(loc) = &w.location {
                check_location(&mut errors, loc, || format!("warehouses[{i}].location"));
            }
            if let Some(terms) = &w.terms {
                check_terms(&mut errors, i, terms);
            }
        }
        if let Some(supplier) = &inventory.supplier {
            check_supplier(&mut errors, supplier);
        }
        let mut channel_index = HashMap::new();
        for (i, c) in inventory.channels.iter().enumerate() {
            if channel_index.insert(c.id.clone(), i).is_some() {
                errors.push(invalid(
                    format!("channels[{i}].id"),
                    format!("duplicate channel id `{}`", c.id),
                ));
            }
            non_negative(&mut errors, c.safety, || format!("channels[{i}].safety"));
        }
        let mut product_index = HashMap::new();
        for (i, p) in inventory.products.iter().enumerate() {
            if product_index.insert(p.sku.clone(), i).is_some() {
                errors.push(invalid(
                    format!("products[{i}].sku"),
                    format!("duplicate product `{}`", p.sku),
                ));
            }
            if let Some(v) = p.unit_value {
                non_negative(&mut errors, v, || format!("products[{i}].unit_value"));
            }
        }
        let mut levels = HashMap::new();
        let mut by_sku: HashMap<String, Vec<usize>> = HashMap::new();
        let mut skus = BTreeSet::new();
        for (i, row) in inventory.stock.iter().enumerate() {
            non_negative(&mut errors, row.on_hand, || format!("stock[{i}].on_hand"));
            non_negative(&mut errors, row.reserved, || format!("stock[{i}].reserved"));
            non_negative(&mut errors, row.safety, || format!("stock[{i}].safety"));
            if row.sku.trim().is_empty() {
                errors.push(invalid(
                    format!("stock[{i}].sku"),
                    "sku must not be empty".into(),
                ));
            }
            let Some(&w) = warehouse_index.get(&row.warehouse) else {
                errors.push(invalid(
                    format!("stock[{i}].warehouse"),
                    format!("unknown warehouse `{}`", row.warehouse),
                ));
                continue;
            };
            let Some(warehouse) = inventory.warehouses.get(w) else {
                continue;
            };
            let level = level_of(warehouse, i, row);
            let per_sku: &mut HashMap<usize, StockLevel> =
                levels.entry(row.sku.clone()).or_default();
            if per_sku.insert(w, level).is_some() {
                errors.push(invalid(
                    format!("stock[{i}]"),
                    format!(
                        "duplicate stock row for warehouse `{}` and sku `{}`",
                        row.warehouse, row.sku
                    ),
                ));
                continue;
            }
            by_sku.entry(row.sku.clone()).or_default().push(w);
            skus.insert(row.sku.clone());
        }
        for list in by_sku.values_mut() {
            list.sort_unstable();
        }
        let mut channel_reserved: HashMap<String, HashMap<usize, Decimal>> = HashMap::new();
        for (i, r) in inventory.reservations.iter().enumerate() {
            non_negative(&mut errors, r.qty, || format!("reservations[{i}].qty"));
            match channel_index.get(&r.channel) {
                None => errors.push(invalid(
                    format!("reservations[{i}].channel"),
                    format!("unknown channel `{}`", r.channel),
                )),
                Some(&c) => {
                    let e = channel_reserved
                        .entry(r.sku.clone())
                        .or_default()
                        .entry(c)
                        .or_default();
                    *e = e.saturating_add(r.qty);
                }
            }
        }
        if !errors.is_empty() {
            return Err(StockrouteError::from_diagnostics(errors));
        }
        Ok(PreparedInventory {
            inner: Rc::new(InventoryIndex {
                inventory,
                warehouse_index,
                channel_index,
                product_index,
                levels,
                by_sku,
                channel_reserved,
                skus,
            }),
        })
    }
}

impl InventoryIndex {
    /// Identifies this version of the inventory, for caches of answers computed against it.
    pub(crate) fn stamp(&self) -> usize {
        self as *const InventoryIndex as usize
    }

    /// The inventory as given.
    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    /// Warehouses in inventory order.
    pub fn warehouses(&self) -> &[Warehouse] {
        &self.inventory.warehouses
    }

    /// Warehouse by index.
    pub fn warehouse(&self, index: usize) -> Option<&Warehouse> {
        self.inventory.warehouses.get(index)
    }

    /// Index of a warehouse id.
    pub fn warehouse_index(&self, id: &str) -> Option<usize> {
        self.warehouse_index.get(id).copied()
    }

    /// Channel by id.
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channel_index
            .get(id)
            .and_then(|&i| self.inventory.channels.get(i))
    }

    pub(crate) fn channel_position(&self, id: &str) -> Option<usize> {
        self.channel_index.get(id).copied()
    }

    /// Position of a SKU's product data in `Inventory::products`.
    pub fn product_position(&self, sku: &str) -> Option<usize> {
        self.product_index.get(sku).copied()
    }

    /// Product data by SKU.
    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.product_index
            .get(sku)
            .and_then(|&i| self.inventory.products.get(i))
    }

    /// Stock level of a SKU in a warehouse (`None` when there is no stock row).
    pub fn level(&self, warehouse: usize, sku: &str) -> Option<&StockLevel> {
        self.levels.get(sku)?.get(&warehouse)
    }

    /// What can be allocated from a warehouse for a SKU (0 when there is no row).
    pub fn available(&self, warehouse: usize, sku: &str) -> Decimal {
        self.level(warehouse, sku)
            .map(|l| l.available)
            .unwrap_or(Decimal::ZERO)
    }

    /// Warehouses holding a stock row for a SKU.
    pub fn warehouses_with(&self, sku: &str) -> &[usize] {
        self.by_sku.get(sku).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every SKU with a stock row, sorted.
    pub fn skus(&self) -> impl Iterator<Item = &str> {
        self.skus.iter().map(String::as_str)
    }

    /// Whether a SKU is known (has a stock row or product data).
    pub fn knows_sku(&self, sku: &str) -> bool {
        self.by_sku.contains_key(sku) || self.product_index.contains_key(sku)
    }

    /// Quantity reserved on a channel for a SKU.
    pub(crate) fn channel_reserved(&self, channel: usize, sku: &str) -> Decimal {
        self.channel_reserved
            .get(sku)
            .and_then(|m| m.get(&channel))
            .copied()
            .unwrap_or(Decimal::ZERO)
    }

    /// Checks an order against this inventory: every problem named by its field.
    pub fn validate_order(&self, order: &Order) -> Result<()> {
        let mut errors = Vec::new();
        if order.id.trim().is_empty() {
            errors.push(invalid("id".into(), "order id must not be empty".into()));
        }
        if self.channel(&order.channel).is_none() {
            errors.push(
                invalid(
                    "channel".into(),
                    format!("unknown channel `{}`", order.channel),
                )
                .with_help(format!(
                    "known channels: {}",
                    self.inventory
                        .channels
                        .iter()
                        .map(|c| format!("`{}`", c.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        if order.lines.is_empty() {
            errors.push(invalid("lines".into(), "order has no lines".into()));
        }
        if let Some(loc) = &order.ship_to.location {
            check_location(&mut errors, loc, || "ship_to.location".into());
        }
        let mut seen = HashMap::new();
        for (i, line) in order.lines.iter().enumerate() {
            if line.id.trim().is_empty() {
                errors.push(invalid(
                    format!("lines[{i}].id"),
                    "line id must not be empty".into(),
                ));
            }
            if seen.insert(line.id.as_str(), i).is_some() {
                errors.push(invalid(
                    format!("lines[{i}].id"),
                    format!("duplicate line id `{}`", line.id),
                ));
            }
            if line.qty <= Decimal::ZERO {
                errors.push(invalid(
                    format!("lines[{i}].qty"),
                    format!("quantity must be greater than 0, got `{}`", line.qty),
                ));
            } else {
                non_negative(&mut errors, line.qty, || format!("lines[{i}].qty"));
            }
            non_negative(&mut errors, line.unit_price, || {
                format!("lines[{i}].unit_price")
            });
            if !self.knows_sku(&line.sku) {
                errors.push(
                    invalid(
                        format!("lines[{i}].sku"),
                        format!("unknown sku `{}`", line.sku),
                    )
                    .with_help("the sku has no stock row and no product entry in the inventory"),
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StockrouteError::from_diagnostics(errors).for_order(&order.id))
        }
    }
}

fn check_location(
    errors: &mut Vec<Diagnostic>,
    loc: &crate::model::Location,
    path: impl Fn() -> String,
) {
    if loc.lat.abs() > Decimal::from(90) {
        errors.push(invalid(
            format!("{}.lat", path()),
            format!("latitude must be between -90 and 90, got `{}`", loc.lat),
        ));
    }
    if loc.lon.abs() > Decimal::from(180) {
        errors.push(invalid(
            format!("{}.lon", path()),
            format!("longitude must be between -180 and 180, got `{}`", loc.lon),
        ));
    }
}

fn check_terms(errors: &mut Vec<Diagnostic>, i: usize, terms: &crate::model::ConsignmentTerms) {
    if let Some(end) = &terms.period_end {
        if !crate::consignment::dates::is_date(end) {
            errors.push(crate::consignment::dates::date_error(
                end,
                &format!("warehouses[{i}].terms.period_end"),
            ));
        }
    }
    for (sku, price) in &terms.prices {
        non_negative(errors, *price, || {
            format!("warehouses[{i}].terms.prices.{sku}")
        });
    }
}

/// Supplier fields end up in email headers: no control characters (no header injection),
/// and addresses must be single mailboxes.
fn check_supplier(errors: &mut Vec<Diagnostic>, supplier: &crate::model::Supplier) {
    if supplier.name.trim().is_empty() {
        errors.push(invalid(
            "supplier.name".into(),
            "supplier name must not be empty".into(),
        ));
    }
    if supplier.name.chars().any(char::is_control) {
        errors.push(invalid(
            "supplier.name".into(),
            "supplier name must not contain line breaks or control characters".into(),
        ));
    }
    for (field, value) in [("email", &supplier.email), ("reply_to", &supplier.reply_to)] {
        if let Some(address) = value {
            if !crate::consignment::message::plausible_email(address) {
                errors.push(
                    invalid(
                        format!("supplier.{field}"),
                        format!("`{address}` is not an email address"),
                    )
                    .with_help("one address such as `orders@supplier.example`"),
                );
            }
        }
    }
}
