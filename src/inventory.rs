//! Validation and indexing of an [`Inventory`], done once and reused for many orders, and the
//! ledger operations that keep it current (stock updates, retailer syncs, commit/release of
//! plans) at a cost proportional to the rows they change.

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::model::{
    Channel, Document, Forward, Inventory, Order, Plan, Product, StockChange, StockRow, StockState,
    StockStatus, StockUpdate, Warehouse, WarehouseKind, MAX_QUANTITY,
};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
// Keyed by SKU and id on every order: the faster hasher Rhai already brings (ids come from
// the supplier's own systems, so flooding resistance buys nothing here).
use ahash::AHashMap as HashMap;
use std::rc::Rc;

/// Availability of one SKU in one warehouse, with the reason it is zero when it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLevel {
    /// Index of the stock row in `Inventory::stock`.
    pub row: usize,
    /// Stock that can be allocated now: on_hand − reserved − safety, never negative, 0 when
    /// disabled or out of stock, floored per warehouse for whole-unit products,
    /// [`MAX_QUANTITY`] for products without inventory tracking.
    pub available: Decimal,
    /// Units a backorderable row may still sell beyond `available` (floored for whole
    /// units, [`MAX_QUANTITY`] without a limit, 0 for other rows).
    pub backorder: Decimal,
    /// Why `available` is forced to zero, if it is.
    pub zero_reason: Option<&'static str>,
    /// Whether `available + backorder` is unlimited (untracked product, or backorders
    /// without a limit).
    pub unlimited: bool,
}

/// A validated, indexed inventory. Build it once with [`PreparedInventory::new`] and pass it
/// to every routing call: lookups are hashed and the script views are built lazily, once.
///
/// Cloning is cheap (a reference count). Ledger operations ([`apply_stock`],
/// [`sync_warehouse`], [`commit`], [`release`]) change the inventory in place at a cost
/// proportional to the rows they touch, as long as this is the only clone alive; with other
/// clones alive the first change copies the index once (copy on write), so the clones keep
/// what they saw.
///
/// [`apply_stock`]: PreparedInventory::apply_stock
/// [`sync_warehouse`]: PreparedInventory::sync_warehouse
/// [`commit`]: PreparedInventory::commit
/// [`release`]: PreparedInventory::release
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
#[derive(Debug, Clone)]
pub struct InventoryIndex {
    inventory: Inventory,
    warehouse_index: HashMap<String, usize>,
    channel_index: HashMap<String, usize>,
    product_index: HashMap<String, usize>,
    /// sku → its rows' levels, sorted by warehouse index. Keyed by SKU so lookups borrow
    /// `&str`; one contiguous table per SKU so the per-order loops over a SKU's warehouses
    /// read memory in sequence.
    by_sku: HashMap<String, SkuRows>,
    /// warehouse index → its stock rows (indices into `Inventory::stock`), for syncs.
    by_warehouse: Vec<Vec<usize>>,
    /// (channel, sku) → reserved on the channel.
    channel_reserved: HashMap<String, HashMap<usize, Decimal>>,
    skus: BTreeSet<String>,
    /// See [`InventoryIndex::stamp`].
    generation: usize,
}

/// Source of [`InventoryIndex::stamp`] values.
static GENERATION: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// The rows of one SKU: warehouse indices (sorted) and their levels, side by side.
#[derive(Debug, Clone, Default)]
pub struct SkuRows {
    warehouses: Vec<usize>,
    levels: Vec<StockLevel>,
}

impl SkuRows {
    /// Warehouse indices holding a row, in inventory order.
    pub fn warehouses(&self) -> &[usize] {
        &self.warehouses
    }

    /// (warehouse index, level) pairs, in inventory order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &StockLevel)> {
        self.warehouses.iter().copied().zip(&self.levels)
    }

    fn get(&self, w: usize) -> Option<&StockLevel> {
        let i = self.warehouses.binary_search(&w).ok()?;
        self.levels.get(i)
    }

    fn get_mut(&mut self, w: usize) -> Option<&mut StockLevel> {
        let i = self.warehouses.binary_search(&w).ok()?;
        self.levels.get_mut(i)
    }

    /// Inserts in warehouse order; false when the warehouse already has a row.
    fn insert(&mut self, w: usize, level: StockLevel) -> bool {
        match self.warehouses.binary_search(&w) {
            Ok(_) => false,
            Err(at) => {
                self.warehouses.insert(at, w);
                self.levels.insert(at, level);
                true
            }
        }
    }
}

/// What a batch changed, to put it back exactly afterwards.
#[derive(Debug, Default)]
pub(crate) struct Undo {
    rows: Vec<(usize, StockRow)>,
    used: Vec<(usize, u64)>,
}

impl Undo {
    pub fn extend(&mut self, other: Undo) {
        self.rows.extend(other.rows);
        self.used.extend(other.used);
    }
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

/// `on_hand` may be negative (oversold), within the same bound as every quantity.
fn in_range(errors: &mut Vec<Diagnostic>, value: Decimal, path: impl FnOnce() -> String) {
    if value.abs() > MAX_QUANTITY {
        let p = path();
        errors.push(invalid(
            p.clone(),
            format!("`{p}` must be between `-{MAX_QUANTITY}` and `{MAX_QUANTITY}`, got `{value}`"),
        ));
    }
}

/// on_hand − reserved − safety: what is left of the row's own stock (negative when oversold
/// or reserved beyond it). Inputs are bounded by [`MAX_QUANTITY`], so this cannot overflow.
fn net(row: &StockRow) -> Decimal {
    row.on_hand
        .saturating_sub(row.reserved)
        .saturating_sub(row.safety)
}

/// Stock level of a row in a warehouse, following the documented availability formula.
pub(crate) fn level_of(
    warehouse: &Warehouse,
    product: Option<&Product>,
    row_index: usize,
    row: &StockRow,
) -> StockLevel {
    let zero_reason = if !warehouse.enabled {
        Some("warehouse disabled")
    } else if row.status == StockStatus::OutOfStock {
        Some("marked out of stock")
    } else {
        None
    };
    let whole = product.is_some_and(Product::whole_units);
    let mut level = StockLevel {
        row: row_index,
        available: Decimal::ZERO,
        backorder: Decimal::ZERO,
        zero_reason,
        unlimited: false,
    };
    if zero_reason.is_some() {
        return level;
    }
    if product.is_some_and(|p| !p.track_inventory) {
        level.available = MAX_QUANTITY;
        level.unlimited = true;
        return level;
    }
    let net = net(row);
    level.available = net.max(Decimal::ZERO);
    if row.backorderable {
        match row.backorder_limit {
            None => {
                level.backorder = MAX_QUANTITY;
                level.unlimited = true;
            }
            Some(limit) => {
                level.backorder = limit
                    .saturating_add(net.min(Decimal::ZERO))
                    .max(Decimal::ZERO);
            }
        }
    }
    if whole {
        level.available = level.available.floor();
        level.backorder = level.backorder.floor();
    }
    level
}

/// The public state of a row with its level.
fn state_of(row: &StockRow, level: &StockLevel) -> StockState {
    StockState {
        on_hand: row.on_hand,
        reserved: row.reserved,
        safety: row.safety,
        status: row.status,
        available: level.available,
        backorder: level.backorder,
    }
}

/// Checks the quantities of a stock row (new or updated): every problem named by `path`.
fn check_row(errors: &mut Vec<Diagnostic>, row: &StockRow, path: &dyn Fn(&str) -> String) {
    in_range(errors, row.on_hand, || path("on_hand"));
    non_negative(errors, row.reserved, || path("reserved"));
    non_negative(errors, row.safety, || path("safety"));
    if let Some(limit) = row.backorder_limit {
        non_negative(errors, limit, || path("backorder_limit"));
    }
    if row.sku.trim().is_empty() {
        errors.push(invalid(path("sku"), "sku must not be empty".into()));
    }
}

/// A row of a ledger operation, resolved: which warehouse, which existing row, its new state.
struct Staged {
    warehouse: usize,
    existing: Option<usize>,
    row: StockRow,
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
            if p.unit.as_deref().is_some_and(|u| u.trim().is_empty()) {
                errors.push(
                    invalid(
                        format!("products[{i}].unit"),
                        "unit must not be empty".into(),
                    )
                    .with_help("use `\"each\"` for whole units, a unit of measure such as `\"m\"` or `\"kg\"` for decimal quantities, or leave it out"),
                );
            }
        }
        // Rows are appended per SKU and sorted once at the end (inserting in order would be
        // quadratic for a SKU held in many warehouses).
        let mut pending: HashMap<String, Vec<(usize, StockLevel)>> = HashMap::new();
        let mut by_warehouse: Vec<Vec<usize>> = vec![Vec::new(); inventory.warehouses.len()];
        let mut skus = BTreeSet::new();
        for (i, row) in inventory.stock.iter().enumerate() {
            check_row(&mut errors, row, &|field| format!("stock[{i}].{field}"));
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
            let product = product_index
                .get(&row.sku)
                .and_then(|&p| inventory.products.get(p));
            let level = level_of(warehouse, product, i, row);
            pending.entry(row.sku.clone()).or_default().push((w, level));
            if let Some(rows) = by_warehouse.get_mut(w) {
                rows.push(i);
            }
            skus.insert(row.sku.clone());
        }
        let mut by_sku: HashMap<String, SkuRows> = HashMap::with_capacity(pending.len());
        for (sku, mut rows) in pending {
            rows.sort_by_key(|(w, level)| (*w, level.row));
            let mut table = SkuRows {
                warehouses: Vec::with_capacity(rows.len()),
                levels: Vec::with_capacity(rows.len()),
            };
            for (w, level) in rows {
                if table.warehouses.last() == Some(&w) {
                    let i = level.row;
                    errors.push(invalid(
                        format!("stock[{i}]"),
                        format!(
                            "duplicate stock row for warehouse `{}` and sku `{sku}`",
                            inventory
                                .warehouses
                                .get(w)
                                .map(|w| w.id.as_str())
                                .unwrap_or_default()
                        ),
                    ));
                    continue;
                }
                table.warehouses.push(w);
                table.levels.push(level);
            }
            by_sku.insert(sku, table);
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
                by_sku,
                by_warehouse,
                channel_reserved,
                skus,
                generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            }),
        })
    }

    fn index_mut(&mut self) -> &mut InventoryIndex {
        Rc::make_mut(&mut self.inner)
    }

    /// Applies stock rows to the inventory: all of them or, when any is invalid, none (every
    /// problem is reported, each naming its row: `rows[2].warehouse`). A row sets `on_hand`
    /// or changes it by `delta`, and may set `reserved`, `safety`, `status`,
    /// `backorderable` and `backorder_limit`; a row for a SKU the warehouse has no row for
    /// yet creates one. Returns what changed, per warehouse and SKU, in row order.
    ///
    /// Costs O(rows given): the rest of the inventory is not looked at.
    pub fn apply_stock(&mut self, rows: &[StockUpdate]) -> Result<Vec<StockChange>> {
        let staged = self.stage(rows, None)?;
        Ok(self.index_mut().write(staged))
    }

    /// Replaces the stock of one location with what its own system reports (for consignment,
    /// the retailer's system is the source of truth): every SKU in `rows` gets the `on_hand`
    /// given (and `reserved`, `safety`, `status`, ... where given); every other SKU the
    /// location holds drops to `on_hand` 0. Reservations made by routed orders stay.
    /// All rows or none. Returns what changed, per SKU.
    ///
    /// Costs O(rows given + rows the location holds).
    pub fn sync_warehouse(
        &mut self,
        warehouse: &str,
        rows: &[StockUpdate],
    ) -> Result<Vec<StockChange>> {
        let Some(w) = self.warehouse_index(warehouse) else {
            return Err(invalid(
                "warehouse".into(),
                format!("unknown warehouse `{warehouse}`"),
            )
            .into());
        };
        let mut staged = self.stage(rows, Some((w, warehouse)))?;
        let listed: std::collections::HashSet<&str> = rows.iter().map(|r| r.sku.as_str()).collect();
        for &r in self.by_warehouse.get(w).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(row) = self.inventory.stock.get(r) else {
                continue;
            };
            if !listed.contains(row.sku.as_str()) && !row.on_hand.is_zero() {
                staged.push(Staged {
                    warehouse: w,
                    existing: Some(r),
                    row: StockRow {
                        on_hand: Decimal::ZERO,
                        ..row.clone()
                    },
                });
            }
        }
        Ok(self.index_mut().write(staged))
    }

    /// Reserves what a plan ships (`reserved` grows by every shipped quantity, including what
    /// waits for stock at a backorderable location) and counts its shipments against each
    /// location's `capacity.used`. All or nothing: a shipment from an unknown warehouse, or
    /// of a SKU the warehouse has no stock row for, is an error and changes nothing.
    pub fn commit(&mut self, plan: &Plan) -> Result<Vec<StockChange>> {
        self.reserve(plan, true).map(|(changes, _)| changes)
    }

    /// Undoes [`commit`](PreparedInventory::commit): `reserved` shrinks by what the plan
    /// ships (never below 0) and each location's `capacity.used` by its shipments.
    pub fn release(&mut self, plan: &Plan) -> Result<Vec<StockChange>> {
        self.reserve(plan, false).map(|(changes, _)| changes)
    }

    /// Commits a plan and returns how to undo it exactly (for consuming batches).
    pub(crate) fn commit_undoable(&mut self, plan: &Plan) -> Result<Undo> {
        self.reserve(plan, true).map(|(_, undo)| undo)
    }

    /// Puts back what [`commit_undoable`](Self::commit_undoable) changed, newest first.
    pub(crate) fn restore(&mut self, undo: Undo) {
        if undo.rows.is_empty() && undo.used.is_empty() {
            return;
        }
        let index = self.index_mut();
        for (w, used) in undo.used.into_iter().rev() {
            if let Some(c) = index
                .inventory
                .warehouses
                .get_mut(w)
                .and_then(|w| w.capacity.as_mut())
            {
                c.used = used;
            }
        }
        for (r, row) in undo.rows.into_iter().rev() {
            index.set_row(r, row);
        }
    }

    /// Sets `on_hand` to 0 for `skus` at warehouse `w` (a location that rejected an order as
    /// not in stock). Returns what changed.
    pub(crate) fn mark_not_in_stock(&mut self, w: usize, skus: &[&str]) -> Vec<StockChange> {
        let staged: Vec<Staged> = skus
            .iter()
            .filter_map(|sku| {
                let level = self.level(w, sku)?;
                let row = self.inventory.stock.get(level.row)?;
                (!row.on_hand.is_zero()).then(|| Staged {
                    warehouse: w,
                    existing: Some(level.row),
                    row: StockRow {
                        on_hand: Decimal::ZERO,
                        ..row.clone()
                    },
                })
            })
            .collect();
        if staged.is_empty() {
            return Vec::new();
        }
        self.index_mut().write(staged)
    }

    /// Validates update rows against the current inventory and computes each row's new state.
    /// `sync` is the synced warehouse: rows may omit `warehouse`, must give `on_hand` and may
    /// not give `delta`.
    fn stage(&self, rows: &[StockUpdate], sync: Option<(usize, &str)>) -> Result<Vec<Staged>> {
        let mut errors = Vec::new();
        let mut staged: Vec<Staged> = Vec::with_capacity(rows.len());
        let mut position: HashMap<(usize, &str), usize> = HashMap::with_capacity(rows.len());
        for (i, u) in rows.iter().enumerate() {
            let path = |field: &str| format!("rows[{i}].{field}");
            let w = match (&u.warehouse, sync) {
                (Some(id), Some((_, synced))) if id != synced => {
                    errors.push(invalid(
                        path("warehouse"),
                        format!("row names warehouse `{id}`, but `{synced}` is being synced"),
                    ));
                    continue;
                }
                (_, Some((w, _))) => w,
                (Some(id), None) => match self.warehouse_index(id) {
                    Some(w) => w,
                    None => {
                        errors.push(invalid(
                            path("warehouse"),
                            format!("unknown warehouse `{id}`"),
                        ));
                        continue;
                    }
                },
                (None, None) => {
                    errors.push(invalid(
                        path("warehouse"),
                        "a stock row needs `warehouse`".into(),
                    ));
                    continue;
                }
            };
            if u.on_hand.is_some() && u.delta.is_some() {
                errors.push(
                    invalid(path("delta"), "give `on_hand` or `delta`, not both".into())
                        .with_help("`on_hand` sets the quantity, `delta` changes it"),
                );
                continue;
            }
            if sync.is_some() {
                if u.delta.is_some() {
                    errors.push(
                        invalid(
                            path("delta"),
                            "a sync sets `on_hand`; `delta` is not allowed".into(),
                        )
                        .with_help("to change a quantity by an amount, use `applyStock`"),
                    );
                    continue;
                }
                if u.on_hand.is_none() {
                    errors.push(invalid(
                        path("on_hand"),
                        "a sync row needs `on_hand`".into(),
                    ));
                    continue;
                }
            }
            if let Some(d) = u.delta {
                in_range(&mut errors, d, || path("delta"));
            }
            let key = (w, u.sku.as_str());
            let slot = match position.get(&key) {
                Some(_) if sync.is_some() => {
                    errors.push(invalid(
                        path("sku"),
                        format!("sku `{}` appears twice in the sync", u.sku),
                    ));
                    continue;
                }
                Some(&slot) => slot,
                None => {
                    let existing = self.level(w, &u.sku).map(|l| l.row);
                    let row = existing
                        .and_then(|r| self.inventory.stock.get(r).cloned())
                        .unwrap_or_else(|| StockRow {
                            warehouse: self.warehouse(w).map(|w| w.id.clone()).unwrap_or_default(),
                            sku: u.sku.clone(),
                            on_hand: Decimal::ZERO,
                            reserved: Decimal::ZERO,
                            safety: Decimal::ZERO,
                            status: StockStatus::InStock,
                            backorderable: false,
                            backorder_limit: None,
                        });
                    staged.push(Staged {
                        warehouse: w,
                        existing,
                        row,
                    });
                    position.insert(key, staged.len() - 1);
                    staged.len() - 1
                }
            };
            let Some(s) = staged.get_mut(slot) else {
                continue;
            };
            if let Some(v) = u.on_hand {
                s.row.on_hand = v;
            }
            if let Some(d) = u.delta {
                s.row.on_hand = s.row.on_hand.saturating_add(d);
            }
            if let Some(v) = u.reserved {
                s.row.reserved = v;
            }
            if let Some(v) = u.safety {
                s.row.safety = v;
            }
            if let Some(v) = u.status {
                s.row.status = v;
            }
            if let Some(v) = u.backorderable {
                s.row.backorderable = v;
            }
            if let Some(v) = u.backorder_limit {
                s.row.backorder_limit = Some(v);
            }
            check_row(&mut errors, &s.row, &path);
        }
        if errors.is_empty() {
            Ok(staged)
        } else {
            Err(StockrouteError::from_diagnostics(errors))
        }
    }

    /// Commit (`add`) or release a plan's quantities and shipments.
    fn reserve(&mut self, plan: &Plan, add: bool) -> Result<(Vec<StockChange>, Undo)> {
        let mut errors = Vec::new();
        let mut totals: Vec<(usize, usize, Decimal)> = Vec::new();
        let mut position: HashMap<usize, usize> = HashMap::new();
        let mut shipments: Vec<usize> = Vec::with_capacity(plan.shipments.len());
        for (i, s) in plan.shipments.iter().enumerate() {
            let Some(w) = self.warehouse_index(&s.warehouse) else {
                errors.push(invalid(
                    format!("shipments[{i}].warehouse"),
                    format!("unknown warehouse `{}`", s.warehouse),
                ));
                continue;
            };
            if !s.lines.is_empty() {
                shipments.push(w);
            }
            for (j, l) in s.lines.iter().enumerate() {
                let path = || format!("shipments[{i}].lines[{j}]");
                if l.qty.is_sign_negative() && !l.qty.is_zero() || l.qty > MAX_QUANTITY {
                    errors.push(invalid(
                        format!("{}.qty", path()),
                        format!(
                            "quantity must be between 0 and `{MAX_QUANTITY}`, got `{}`",
                            l.qty
                        ),
                    ));
                    continue;
                }
                let Some(level) = self.level(w, &l.sku) else {
                    errors.push(invalid(
                        format!("{}.sku", path()),
                        format!(
                            "warehouse `{}` has no stock row for sku `{}`",
                            s.warehouse, l.sku
                        ),
                    ));
                    continue;
                };
                match position.get(&level.row) {
                    Some(&p) => {
                        if let Some(t) = totals.get_mut(p) {
                            t.2 = t.2.saturating_add(l.qty);
                        }
                    }
                    None => {
                        position.insert(level.row, totals.len());
                        totals.push((w, level.row, l.qty));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(StockrouteError::from_diagnostics(errors).for_order(&plan.order));
        }
        let mut undo = Undo::default();
        let mut staged = Vec::with_capacity(totals.len());
        for (w, r, qty) in totals {
            let Some(row) = self.inventory.stock.get(r) else {
                continue;
            };
            if qty.is_zero() {
                continue;
            }
            let reserved = if add {
                row.reserved.saturating_add(qty).min(MAX_QUANTITY)
            } else {
                row.reserved.saturating_sub(qty).max(Decimal::ZERO)
            };
            undo.rows.push((r, row.clone()));
            staged.push(Staged {
                warehouse: w,
                existing: Some(r),
                row: StockRow {
                    reserved,
                    ..row.clone()
                },
            });
        }
        let index = self.index_mut();
        for w in shipments {
            if let Some(c) = index
                .inventory
                .warehouses
                .get_mut(w)
                .and_then(|w| w.capacity.as_mut())
            {
                undo.used.push((w, c.used));
                c.used = if add {
                    c.used.saturating_add(1)
                } else {
                    c.used.saturating_sub(1)
                };
            }
        }
        let changes = index.write(staged);
        Ok((changes, undo))
    }
}

impl InventoryIndex {
    /// Writes staged rows: updates existing rows, appends new ones, recomputes their levels.
    /// Returns the rows whose state changed.
    fn write(&mut self, staged: Vec<Staged>) -> Vec<StockChange> {
        let mut changes = Vec::with_capacity(staged.len());
        for s in staged {
            let before = s.existing.and_then(|r| {
                let row = self.inventory.stock.get(r)?;
                let level = self.level(s.warehouse, &row.sku)?;
                Some(state_of(row, level))
            });
            let r = match s.existing {
                Some(r) => {
                    self.set_row(r, s.row);
                    r
                }
                None => self.push_row(s.warehouse, s.row),
            };
            let Some(row) = self.inventory.stock.get(r) else {
                continue;
            };
            let Some(level) = self.level(s.warehouse, &row.sku) else {
                continue;
            };
            let after = state_of(row, level);
            if before.as_ref() != Some(&after) {
                changes.push(StockChange {
                    warehouse: row.warehouse.clone(),
                    sku: row.sku.clone(),
                    before,
                    after,
                });
            }
        }
        changes
    }

    fn level_for(&self, w: usize, r: usize, row: &StockRow) -> Option<StockLevel> {
        let warehouse = self.inventory.warehouses.get(w)?;
        Some(level_of(warehouse, self.product(&row.sku), r, row))
    }

    /// Replaces row `r` (same warehouse and SKU) and its level.
    fn set_row(&mut self, r: usize, row: StockRow) {
        let Some(&w) = self.warehouse_index.get(&row.warehouse) else {
            return;
        };
        let Some(level) = self.level_for(w, r, &row) else {
            return;
        };
        if let Some(slot) = self.by_sku.get_mut(&row.sku).and_then(|m| m.get_mut(w)) {
            *slot = level;
        }
        if let Some(slot) = self.inventory.stock.get_mut(r) {
            *slot = row;
        }
    }

    /// Appends a new row for warehouse `w` and indexes it.
    fn push_row(&mut self, w: usize, row: StockRow) -> usize {
        let r = self.inventory.stock.len();
        let level = self.level_for(w, r, &row);
        let sku = row.sku.clone();
        self.inventory.stock.push(row);
        if let Some(level) = level {
            self.by_sku.entry(sku.clone()).or_default().insert(w, level);
        }
        if let Some(rows) = self.by_warehouse.get_mut(w) {
            rows.push(r);
        }
        self.skus.insert(sku);
        r
    }
}

impl InventoryIndex {
    /// Identifies the inventory, for caches of answers computed against it: a number given
    /// when it was built, kept by its copies and by ledger operations. Cached hook answers
    /// read warehouses and orders but no stock, and ledger operations change only stock
    /// rows, reservations and `capacity.used`, so those answers stay valid across them; an
    /// address would not do, as a freed index's address is reused by the next one.
    pub(crate) fn stamp(&self) -> usize {
        self.generation
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
        self.by_sku.get(sku)?.get(warehouse)
    }

    /// What can be allocated from a warehouse's stock for a SKU now (0 when there is no row).
    pub fn available(&self, warehouse: usize, sku: &str) -> Decimal {
        self.level(warehouse, sku)
            .map(|l| l.available)
            .unwrap_or(Decimal::ZERO)
    }

    /// Units a backorderable row may still sell beyond its stock (0 for other rows).
    pub fn backorder(&self, warehouse: usize, sku: &str) -> Decimal {
        self.level(warehouse, sku)
            .map(|l| l.backorder)
            .unwrap_or(Decimal::ZERO)
    }

    /// The row of a SKU at a warehouse as it stands, with what it offers.
    pub fn stock_state(&self, warehouse: usize, sku: &str) -> Option<StockState> {
        let level = self.level(warehouse, sku)?;
        let row = self.inventory.stock.get(level.row)?;
        Some(state_of(row, level))
    }

    /// Whether a SKU is sold in whole units only (its product has `unit: "each"`).
    pub fn whole_units(&self, sku: &str) -> bool {
        self.product(sku).is_some_and(Product::whole_units)
    }

    /// Warehouses holding a stock row for a SKU.
    pub fn warehouses_with(&self, sku: &str) -> &[usize] {
        self.by_sku.get(sku).map(SkuRows::warehouses).unwrap_or(&[])
    }

    /// The rows of a SKU: (warehouse index, level) in inventory order.
    pub fn rows_of(&self, sku: &str) -> Option<&SkuRows> {
        self.by_sku.get(sku)
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
                if line.qty.fract() != Decimal::ZERO && self.whole_units(&line.sku) {
                    errors.push(
                        invalid(
                            format!("lines[{i}].qty"),
                            format!(
                                "line `{}` orders `{}` of sku `{}`, which is sold in whole units only",
                                line.id, line.qty, line.sku
                            ),
                        )
                        .with_help("order a whole number, or give the product a decimal unit (`\"m\"`, `\"kg\"`) instead of `\"each\"`"),
                    );
                }
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
    if let Some(r) = &terms.replenish {
        check_replenish(errors, &format!("warehouses[{i}].terms.replenish"), r);
    }
}

/// Replenishment terms are unit levels or a cover in days, never both, and each makes sense
/// on its own: `min ≤ max`, a cover of more than 0 days.
fn check_replenish(errors: &mut Vec<Diagnostic>, at: &str, r: &crate::model::ReplenishTerms) {
    let both = "give either `min` and `max` (units) or `days_of_cover` (days of sales), as in `{\"min\": 2, \"max\": 6}` or `{\"days_of_cover\": 28, \"lead_time_days\": 5}`";
    for (name, value) in [
        ("min", r.min),
        ("max", r.max),
        ("days_of_cover", r.days_of_cover),
    ] {
        if let Some(v) = value {
            non_negative(errors, v, || format!("{at}.{name}"));
        }
    }
    match (r.min, r.max, r.days_of_cover) {
        (None, None, None) => errors.push(
            invalid(
                at.to_string(),
                format!("`{at}` needs `min` and `max`, or `days_of_cover`"),
            )
            .with_help(both),
        ),
        (Some(_), None, None) | (None, Some(_), None) => {
            let (given, missing) = if r.min.is_some() {
                ("min", "max")
            } else {
                ("max", "min")
            };
            errors.push(
                invalid(
                    format!("{at}.{missing}"),
                    format!("`{at}` has `{given}` but no `{missing}`"),
                )
                .with_help(both),
            );
        }
        (Some(min), Some(max), None) if min > max => errors.push(invalid(
            format!("{at}.min"),
            format!("`{at}.min` must not be above `max`: got min `{min}`, max `{max}`"),
        )),
        (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => errors.push(
            invalid(
                format!("{at}.days_of_cover"),
                format!("`{at}` mixes unit levels (`min`, `max`) with `days_of_cover`"),
            )
            .with_help(both),
        ),
        (None, None, Some(days)) if days.is_zero() => errors.push(
            invalid(
                format!("{at}.days_of_cover"),
                format!("`{at}.days_of_cover` must be more than 0 days, got `{days}`"),
            )
            .with_help("the days of sales a delivery should cover, for example `28`"),
        ),
        _ => {}
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
            if !plausible_email(address) {
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

/// Whether an address (a consignment location's `forward.to`, the supplier's `email`) is one mailbox `local@domain` without spaces or control characters.
pub(crate) fn plausible_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && domain.contains('.')
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
}
