//! WebAssembly bindings (wasm32 only): a thin layer over [`crate::Router`].
//!
//! Everything here converts between JavaScript values and the core's serde types; routing,
//! availability and checking all happen in the core, so native tests, Node and the browser
//! run one code path. The exported names are prefixed `raw`/`Raw`: the package's JavaScript
//! wrapper (`js/api.js`) re-exports them as `Router`, `check`, ... and turns the plain error
//! objects thrown here into `StockrouteError` instances.
//!
//! Inputs are either JavaScript values or JSON strings. Strings go through
//! [`crate::json::from_str`] and values through `serde_path_to_error`, so both kinds of data
//! errors name the failing field. Nothing in this module panics: every failure becomes a
//! thrown error object.

use crate::error::{code, Diagnostic, StockrouteError};
use crate::inventory::PreparedInventory;
use crate::model::{Inventory, Order, Plan, StockUpdate};
use crate::router::{BatchOptions, RouteOptions, Router, RouterOptions};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

fn serializer() -> serde_wasm_bindgen::Serializer {
    // Plain objects (not `Map`) and `null` (not `undefined`) for absent values, so results
    // read naturally and survive `JSON.stringify` unchanged.
    serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true)
}

/// Converts a core error into the plain object thrown to JavaScript: `StockrouteError`'s
/// `Serialize` (the primary diagnostic's fields, whatever they are, plus `diagnostics`), so
/// this binding keeps no field list of its own.
fn to_js_error(e: &StockrouteError) -> JsValue {
    e.serialize(&serializer())
        .unwrap_or_else(|s| JsValue::from_str(&format!("{}: {s}", e.message)))
}

fn conversion_error(what: &str, e: &serde_wasm_bindgen::Error) -> StockrouteError {
    Diagnostic::new(
        code::DATA_INVALID,
        format!("could not convert {what} to JavaScript: {e}"),
    )
    .into()
}

fn to_js<T: Serialize>(value: &T, what: &str) -> Result<JsValue, StockrouteError> {
    value
        .serialize(&serializer())
        .map_err(|e| conversion_error(what, &e))
}

/// JSON text of a result the wrapper parses with `JSON.parse`: for plans several times
/// cheaper than building the object field by field across the boundary.
fn to_json_text<T: Serialize>(value: &T, what: &str) -> Result<String, StockrouteError> {
    serde_json::to_string(value).map_err(|e| {
        Diagnostic::new(
            code::DATA_INVALID,
            format!("could not write {what} as JSON: {e}"),
        )
        .into()
    })
}

/// Reads `T` from a JSON string or a JavaScript value, naming the failing field. Plain
/// deserialization first; the path-tracking pass runs only to explain a failure.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, StockrouteError> {
    if let Some(text) = value.as_string() {
        return crate::json::from_str(&text, what);
    }
    if let Ok(v) = T::deserialize(serde_wasm_bindgen::Deserializer::from(value.clone())) {
        return Ok(v);
    }
    let de = serde_wasm_bindgen::Deserializer::from(value);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            // serde-wasm-bindgen errors are JS `Error`s whose string form starts with "Error: ".
            let inner = e.inner().to_string();
            let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
            let path = match path.as_str() {
                "" | "." | "?" => None,
                p => Some(p),
            };
            Err(crate::json::describe(what, path, inner).into())
        }
    }
}

/// Reads an order; a failure names the order whenever its `id` is readable.
fn order_from_js(value: JsValue) -> Result<Order, StockrouteError> {
    if let Some(text) = value.as_string() {
        return crate::json::order_from_str(&text);
    }
    let id = order_id_of(&value);
    from_js(value, "order").map_err(|e| match id {
        Some(id) => e.for_order(&id),
        None => e,
    })
}

fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// Runs `f`, turning its error into the thrown JavaScript error object.
fn js<T>(f: impl FnOnce() -> Result<T, StockrouteError>) -> Result<T, JsValue> {
    f().map_err(|e| to_js_error(&e))
}

/// The crate version.
#[wasm_bindgen(js_name = rawVersion)]
pub fn raw_version() -> String {
    crate::VERSION.to_string()
}

/// The machine-readable rule API (hooks, helpers, objects and their fields).
#[wasm_bindgen(js_name = rawApiMetadata)]
pub fn raw_api_metadata() -> Result<JsValue, JsValue> {
    js(|| to_js(&crate::rules::api::metadata(), "api metadata"))
}

/// Every diagnostic of a rule set, without running it. Never throws for bad rules.
#[wasm_bindgen(js_name = rawCheck)]
pub fn raw_check(rules: &str, name: Option<String>) -> Result<JsValue, JsValue> {
    js(|| {
        to_js(
            &crate::router::check(rules, name.as_deref()),
            "check report",
        )
    })
}

/// Runs one data-driven rule test case; `files` maps the paths written in the case to the
/// text of the referenced files.
#[wasm_bindgen(js_name = rawRunCase)]
pub fn raw_run_case(
    case_json: &str,
    rules: &str,
    files: JsValue,
    name: Option<String>,
) -> Result<JsValue, JsValue> {
    js(|| {
        let files: HashMap<String, String> = if is_absent(&files) {
            HashMap::new()
        } else {
            from_js(files, "files")?
        };
        let lookup = |path: &str| files.get(path).cloned();
        let outcome = crate::cases::run_case(case_json, rules, name.as_deref(), &lookup);
        to_js(&outcome, "case outcome")
    })
}

/// Deliberately traps the WebAssembly instance, for the wrapper's trap-recovery tests only
/// (`js/api.js` exposes it as `__testing`, undocumented). A trap is never expected from the
/// engine; this makes one reproducible without relying on an engine bug. `kind`: 0 executes
/// `unreachable` (what a Rust panic becomes), 1 overflows the module's own stack in linear
/// memory (`memory access out of bounds`), anything else overflows the host's native stack
/// through deep recursion (`RangeError` in V8). Never returns.
#[wasm_bindgen(js_name = rawTrapForTesting)]
pub fn raw_trap_for_testing(kind: u32) -> u32 {
    trap_on_purpose(kind)
}

fn trap_on_purpose(kind: u32) -> u32 {
    match kind {
        0 => core::arch::wasm32::unreachable(),
        1 => linear_stack_overflow(0) as u32,
        _ => native_stack_overflow(0) as u32,
    }
}

/// Recurses with a 512-byte frame in linear memory (its address escapes through
/// `black_box`, so it cannot live in wasm locals) until the module's stack runs out.
fn linear_stack_overflow(depth: u64) -> u64 {
    let frame = [depth; 64];
    core::hint::black_box(&frame);
    if core::hint::black_box(true) {
        // The result goes through `black_box` before it is used: no tail call to turn into a loop.
        core::hint::black_box(linear_stack_overflow(depth + 1)) ^ frame.len() as u64
    } else {
        depth
    }
}

/// Recurses with frames small enough to stay in wasm locals until the host's call stack
/// runs out.
fn native_stack_overflow(depth: u64) -> u64 {
    if core::hint::black_box(true) {
        core::hint::black_box(native_stack_overflow(depth + 1)) ^ depth
    } else {
        depth
    }
}

/// Settles every consignment location of `inventory` for `period` (`YYYY-MM` or
/// `YYYY-MM-DD..YYYY-MM-DD`). `events` is the JSONL log as text (errors name the line) or
/// an array of event objects (errors name `events[i]`).
#[wasm_bindgen(js_name = rawSettle)]
pub fn raw_settle(inventory: JsValue, events: JsValue, period: &str) -> Result<JsValue, JsValue> {
    js(|| {
        let inventory: Inventory = from_js(inventory, "inventory")?;
        let inventory = PreparedInventory::new(inventory)?;
        let period = crate::consignment::Period::parse(period)?;
        let events = match events.as_string() {
            Some(text) => crate::consignment::settlement::parse_events(&inventory, &text)?,
            None => from_js(events, "events")?,
        };
        let settlement = crate::consignment::settle(&inventory, &events, &period)?;
        to_js(&settlement, "settlement")
    })
}

/// One entry of `routeBatch`'s result.
#[derive(Serialize)]
#[serde(untagged)]
enum BatchEntry<'a> {
    Ok {
        ok: bool,
        order: &'a str,
        plan: &'a crate::model::Plan,
    },
    Err {
        ok: bool,
        order: Option<String>,
        error: &'a StockrouteError,
    },
}

/// The order id of an input that failed to parse, when it can still be found.
fn order_id_of(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return crate::json::order_id(&text);
    }
    if value.is_object() {
        return js_sys::Reflect::get(value, &JsValue::from_str("id"))
            .ok()?
            .as_string();
    }
    None
}

/// Per-call options (`{ consume }`, `{ exclude, reason }`, `{ skus }`): absent, a JSON
/// string, or a plain object read through JSON text so unknown keys are refused the same
/// way (`options.invalid`).
/// Today (UTC) from JavaScript's `Date`.
/// Today (UTC) from JavaScript's clock: `Date.now()` is one number, where building a `Date`
/// and its ISO text cost a few per cent of a route call.
fn js_today() -> Option<time::Date> {
    const UNIX_EPOCH_JULIAN_DAY: f64 = 2_440_588.0;
    let days = (js_sys::Date::now() / 86_400_000.0).floor();
    if !days.is_finite() {
        return None;
    }
    // Within `time`'s range for any clock JavaScript can report (±100 million days).
    let julian = (UNIX_EPOCH_JULIAN_DAY + days) as i32;
    time::Date::from_julian_day(julian).ok()
}

fn call_options<T: Default>(
    value: &JsValue,
    parse: impl Fn(&str) -> Result<T, StockrouteError>,
) -> Result<T, StockrouteError> {
    if is_absent(value) {
        return Ok(T::default());
    }
    if let Some(text) = value.as_string() {
        return parse(&text);
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| {
            StockrouteError::from(Diagnostic::new(
                code::OPTIONS_INVALID,
                "options must be a plain object",
            ))
        })?;
    parse(&text)
}

/// `{ skus }` for `available`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct AvailableOptions {
    skus: Option<Vec<String>>,
}

fn available_options(text: &str) -> Result<AvailableOptions, StockrouteError> {
    crate::router::options_from_json(text, "availability options")
}

/// Stock rows from JavaScript; paths read `rows[2].on_hand`.
fn rows_from_js(rows: JsValue) -> Result<Vec<StockUpdate>, StockrouteError> {
    from_js::<Vec<StockUpdate>>(rows, "stock rows").map_err(|mut e| {
        for d in &mut e.diagnostics {
            if let Some(p) = d.path.as_mut() {
                if p.starts_with('[') {
                    p.insert_str(0, "rows");
                }
            }
        }
        e
    })
}

fn no_inventory() -> StockrouteError {
    Diagnostic::new(
        code::DATA_INVALID,
        "no inventory: pass one or call `setInventory` first",
    )
    .into()
}

/// A compiled rule set with an optional inventory loaded once for many calls.
#[wasm_bindgen]
pub struct RawRouter {
    router: Router,
    inventory: Option<PreparedInventory>,
    /// Units gone at consignment stock counts, for replenishment without an event log.
    history: crate::consignment::replenish::SalesHistory,
}

impl RawRouter {
    /// Runs `f` with the inventory passed in the call, or else the loaded one.
    fn with_inventory<T>(
        &self,
        inventory: JsValue,
        f: impl FnOnce(&PreparedInventory) -> Result<T, StockrouteError>,
    ) -> Result<T, StockrouteError> {
        if is_absent(&inventory) {
            match &self.inventory {
                Some(prepared) => f(prepared),
                None => Err(Diagnostic::new(
                    code::DATA_INVALID,
                    "no inventory: pass one or call `setInventory` first",
                )
                .into()),
            }
        } else {
            let inventory: Inventory = from_js(inventory, "inventory")?;
            f(&PreparedInventory::new(inventory)?)
        }
    }
}

#[wasm_bindgen]
impl RawRouter {
    /// Compiles a rule set; `options` is `{ name?, limits? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(rules: &str, options: JsValue) -> Result<RawRouter, JsValue> {
        // WebAssembly has no clock of its own: consignment periods end relative to
        // JavaScript's date (UTC).
        crate::consignment::dates::set_clock(js_today);
        js(|| {
            let options: RouterOptions = if is_absent(&options) {
                RouterOptions::default()
            } else if let Some(text) = options.as_string() {
                RouterOptions::from_json(&text)?
            } else {
                // Through JSON text so options get the same checks (unknown keys, ranges)
                // and the same `options.invalid` errors whichever way they arrive.
                let text = js_sys::JSON::stringify(&options)
                    .ok()
                    .and_then(|t| t.as_string())
                    .ok_or_else(|| {
                        StockrouteError::from(Diagnostic::new(
                            code::OPTIONS_INVALID,
                            "options must be a plain object such as `{ name: \"rules.rhai\" }`",
                        ))
                    })?;
                RouterOptions::from_json(&text)?
            };
            Ok(RawRouter {
                router: Router::new(rules, options)?,
                inventory: None,
                history: crate::consignment::replenish::SalesHistory::new(),
            })
        })
    }

    /// Validates and indexes an inventory once for all later calls that omit it.
    #[wasm_bindgen(js_name = setInventory)]
    pub fn set_inventory(&mut self, inventory: JsValue) -> Result<(), JsValue> {
        js(|| {
            let inventory: Inventory = from_js(inventory, "inventory")?;
            self.inventory = Some(PreparedInventory::new(inventory)?);
            Ok(())
        })
    }

    /// Routes one order; uses the loaded inventory when `inventory` is absent. `options`
    /// is `{ exclude?, reason? }` (re-routing after a rejection); with `reason:
    /// "not_in_stock"` the loaded inventory changes (see `Router::route_with`). Returns the
    /// plan as JSON text.
    pub fn route(
        &mut self,
        order: JsValue,
        inventory: JsValue,
        options: JsValue,
    ) -> Result<String, JsValue> {
        js(|| {
            let order = order_from_js(order)?;
            let options = call_options(&options, RouteOptions::from_json)?;
            let plan = if options == RouteOptions::default() {
                self.with_inventory(inventory, |inv| {
                    self.router
                        .route(&order, inv)
                        .map_err(|e| e.for_order(&order.id))
                })?
            } else if is_absent(&inventory) {
                let inv = self.inventory.as_mut().ok_or_else(no_inventory)?;
                self.router
                    .route_with(&order, inv, &options)
                    .map_err(|e| e.for_order(&order.id))?
            } else {
                let inventory: Inventory = from_js(inventory, "inventory")?;
                let mut inv = PreparedInventory::new(inventory)?;
                self.router
                    .route_with(&order, &mut inv, &options)
                    .map_err(|e| e.for_order(&order.id))?
            };
            to_json_text(&plan, "plan")
        })
    }

    /// Routes many orders in order: one entry per input, in input order; a bad order only
    /// fails its own entry. `options` is `{ consume?, exclude? }`: by default each order
    /// sees the stock the earlier ones' shipments left (the loaded inventory is unchanged
    /// afterwards). Throws only when the inventory or the options are unusable. Returns the
    /// entries as JSON text.
    #[wasm_bindgen(js_name = routeBatch)]
    pub fn route_batch(
        &mut self,
        orders: Vec<JsValue>,
        inventory: JsValue,
        options: JsValue,
    ) -> Result<String, JsValue> {
        js(|| {
            let options = call_options(&options, BatchOptions::from_json)?;
            let mut given = if is_absent(&inventory) {
                None
            } else {
                let inventory: Inventory = from_js(inventory, "inventory")?;
                Some(PreparedInventory::new(inventory)?)
            };
            let inv = match given.as_mut() {
                Some(inv) => inv,
                None => self.inventory.as_mut().ok_or_else(no_inventory)?,
            };
            let parsed: Vec<Result<Order, StockrouteError>> =
                orders.into_iter().map(order_from_js).collect();
            let results = self.router.route_batch_inputs(
                parsed.iter().map(|r| r.as_ref().map_err(Clone::clone)),
                inv,
                &options,
            )?;
            let entries: Vec<BatchEntry<'_>> = results
                .iter()
                .map(|result| match result {
                    Ok(plan) => BatchEntry::Ok {
                        ok: true,
                        order: &plan.order,
                        plan,
                    },
                    // `order_from_js` names the order whenever its id is readable.
                    Err(e) => BatchEntry::Err {
                        ok: false,
                        order: e.primary().and_then(|d| d.order.clone()),
                        error: e,
                    },
                })
                .collect();
            to_json_text(&entries, "batch results")
        })
    }

    /// Offered quantities per channel (or only `channel`) and SKU; `options.skus` limits
    /// the computation to those SKUs (after a ledger update, what it touched).
    pub fn available(
        &self,
        inventory: JsValue,
        channel: Option<String>,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            let options = call_options(&options, available_options)?;
            let availability = self.with_inventory(inventory, |inv| match &options.skus {
                Some(skus) => {
                    let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
                    self.router.available_for(inv, channel.as_deref(), &skus)
                }
                None => self.router.available(inv, channel.as_deref()),
            })?;
            to_js(&availability, "availability")
        })
    }

    /// Traps while this router is borrowed, as an engine bug inside a hook would; for the
    /// wrapper's trap-recovery tests only (see [`raw_trap_for_testing`]).
    #[wasm_bindgen(js_name = trapForTesting)]
    pub fn trap_for_testing(&self, kind: u32) -> u32 {
        trap_on_purpose(kind)
    }

    /// One forwarding message per shipment of `plan` (see `docs/consignment.md`); `order`
    /// is the routed order, `options` is `{ date }`. Uses the loaded inventory when
    /// `inventory` is absent.
    pub fn forward(
        &self,
        plan: JsValue,
        order: JsValue,
        options: JsValue,
        inventory: JsValue,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            let plan: crate::model::Plan = from_js(plan, "plan")?;
            let order: Order = from_js(order, "order")?;
            let options: crate::consignment::ForwardOptions = from_js(options, "options")?;
            let messages = self.with_inventory(inventory, |inv| {
                crate::consignment::forward(&plan, &order, inv, &options)
            })?;
            to_js(&messages, "messages")
        })
    }

    /// Applies stock rows to the loaded inventory (all or none); returns what changed.
    #[wasm_bindgen(js_name = applyStock)]
    pub fn apply_stock(&mut self, rows: JsValue) -> Result<JsValue, JsValue> {
        js(|| {
            let rows = rows_from_js(rows)?;
            let inv = self.inventory.as_mut().ok_or_else(no_inventory)?;
            to_js(&inv.apply_stock(&rows)?, "stock changes")
        })
    }

    /// Replaces one location's stock in the loaded inventory; returns what changed per SKU.
    #[wasm_bindgen(js_name = syncWarehouse)]
    pub fn sync_warehouse(&mut self, warehouse: String, rows: JsValue) -> Result<JsValue, JsValue> {
        js(|| {
            let rows = rows_from_js(rows)?;
            let inv = self.inventory.as_mut().ok_or_else(no_inventory)?;
            to_js(&inv.sync_warehouse(&warehouse, &rows)?, "stock changes")
        })
    }

    /// Reserves what a plan ships in the loaded inventory; returns what changed.
    pub fn commit(&mut self, plan: JsValue) -> Result<JsValue, JsValue> {
        js(|| {
            let plan: Plan = from_js(plan, "plan")?;
            let inv = self.inventory.as_mut().ok_or_else(no_inventory)?;
            to_js(&inv.commit(&plan)?, "stock changes")
        })
    }

    /// Undoes `commit`; returns what changed.
    pub fn release(&mut self, plan: JsValue) -> Result<JsValue, JsValue> {
        js(|| {
            let plan: Plan = from_js(plan, "plan")?;
            let inv = self.inventory.as_mut().ok_or_else(no_inventory)?;
            to_js(&inv.release(&plan)?, "stock changes")
        })
    }

    /// Records what a stock count on `date` (`YYYY-MM-DD`) changed (the result of
    /// `syncWarehouse`) in the sales history replenishment reads when no event log is
    /// given. Returns how many rows it recorded.
    #[wasm_bindgen(js_name = recordSales)]
    pub fn record_sales(&mut self, date: String, changes: JsValue) -> Result<u32, JsValue> {
        js(|| {
            let changes: Vec<crate::model::StockChange> = from_js(changes, "stock changes")?;
            let inv = self.inventory.as_ref().ok_or_else(no_inventory)?;
            let n = self.history.record(inv, &date, &changes)?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        })
    }

    /// Replenishment proposals for the consignment locations of the loaded inventory (or
    /// `inventory`). `options` is `{ as_of, window_days?, warehouses? }`; `events` is the
    /// consignment event log (JSONL text, or an array of events), or absent to use the
    /// recorded stock counts.
    pub fn replenishment(
        &self,
        options: JsValue,
        events: JsValue,
        inventory: JsValue,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            let options = call_options(
                &options,
                crate::consignment::replenish::ReplenishOptions::from_json,
            )?;
            let result = self.with_inventory(inventory, |inv| {
                use crate::consignment::replenish::Sales;
                if is_absent(&events) {
                    return self
                        .router
                        .replenishment(inv, Sales::History(&self.history), &options);
                }
                let events = match events.as_string() {
                    Some(text) => crate::consignment::settlement::parse_events(inv, &text)?,
                    None => from_js(events.clone(), "events")?,
                };
                self.router
                    .replenishment(inv, Sales::Events(&events), &options)
            })?;
            to_js(&result, "replenishment")
        })
    }

    /// Checks a plan a person made for `order` against the loaded inventory (or
    /// `inventory`) and the rules: `{ valid, plan?, violations }`. `options` is
    /// `{ as_of? }`.
    pub fn validate(
        &self,
        order: JsValue,
        plan: JsValue,
        options: JsValue,
        inventory: JsValue,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            let order = order_from_js(order)?;
            let plan: crate::model::ManualPlan =
                from_js(plan, "plan").map_err(|e| e.for_order(&order.id))?;
            let options = call_options(&options, crate::router::ValidateOptions::from_json)?;
            let validation = self.with_inventory(inventory, |inv| {
                self.router.validate(&order, &plan, inv, &options)
            })?;
            to_js(&validation, "validation")
        })
    }

    /// The loaded inventory as it stands (after every ledger operation).
    pub fn inventory(&self) -> Result<JsValue, JsValue> {
        js(|| {
            let inv = self.inventory.as_ref().ok_or_else(no_inventory)?;
            to_js(inv.inventory(), "inventory")
        })
    }

    /// The warnings `check` reports for these rules (compiling succeeded despite them).
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        js(|| to_js(&self.router.warnings(), "warnings"))
    }

    /// How each defined hook runs: compiled, or interpreted and why.
    #[wasm_bindgen(js_name = hookModes)]
    pub fn hook_modes(&self) -> Result<JsValue, JsValue> {
        js(|| {
            let modes: Vec<crate::rules::HookModeInfo> = self
                .router
                .rules()
                .hook_modes()
                .into_iter()
                .map(|(h, mode)| crate::rules::HookModeInfo {
                    hook: h.name(),
                    mode,
                })
                .collect();
            to_js(&modes, "hook modes")
        })
    }

    /// Names of the hooks the rule set defines.
    pub fn hooks(&self) -> Vec<String> {
        self.router
            .rules()
            .hook_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    }
}

// Binding tests live here because the module is private; `scripts/test-all.sh` runs them
// under Node and in headless Chromium (`cargo test --target wasm32-unknown-unknown --lib`).
#[cfg(test)]
mod tests {
    use super::*;
    use js_sys::{Array, Reflect};
    use wasm_bindgen_test::wasm_bindgen_test;

    const INVENTORY: &str = r#"{
      "warehouses": [
        {"id": "OWN", "kind": "own", "priority": 1, "country": "DE"},
        {"id": "CON", "kind": "consignment", "owner": "Shop", "priority": 2, "country": "DE",
         "forward": {"method": "email", "to": "shop@example.com"}}
      ],
      "stock": [
        {"warehouse": "OWN", "sku": "A", "on_hand": 2},
        {"warehouse": "CON", "sku": "A", "on_hand": "5.5"}
      ],
      "channels": [{"id": "web", "include_consignment": true}, {"id": "market"}]
    }"#;

    fn order(id: &str, qty: &str) -> String {
        format!(
            r#"{{"id": "{id}", "channel": "web", "ship_to": {{"country": "DE"}},
                "lines": [{{"id": "1", "sku": "A", "qty": {qty}}}]}}"#
        )
    }

    fn get(v: &JsValue, key: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(key)).unwrap()
    }

    fn get_str(v: &JsValue, key: &str) -> Option<String> {
        get(v, key).as_string()
    }

    // The raw calls answer with JSON text (the wrapper parses it); tests read the objects.
    impl RawRouter {
        fn route_value(
            &mut self,
            order: JsValue,
            inventory: JsValue,
            options: JsValue,
        ) -> Result<JsValue, JsValue> {
            self.route(order, inventory, options)
                .map(|text| parse(&text))
        }

        fn route_batch_value(
            &mut self,
            orders: Vec<JsValue>,
            inventory: JsValue,
            options: JsValue,
        ) -> Result<JsValue, JsValue> {
            self.route_batch(orders, inventory, options)
                .map(|text| parse(&text))
        }
    }

    fn router(rules: &str) -> RawRouter {
        let mut r = RawRouter::new(rules, JsValue::UNDEFINED).unwrap();
        r.set_inventory(JsValue::from_str(INVENTORY)).unwrap();
        r
    }

    fn parse(json: &str) -> JsValue {
        js_sys::JSON::parse(json).unwrap()
    }

    #[wasm_bindgen_test]
    fn today_is_the_utc_date_of_javascripts_clock() {
        // Both read the clock; they differ only across midnight UTC between the two reads.
        let iso = js_sys::Date::new_0().to_iso_string().as_string().unwrap();
        let expected = crate::consignment::dates::parse_date(&iso[..10]);
        assert_eq!(js_today(), expected, "{iso}");
    }

    #[wasm_bindgen_test]
    fn version_is_the_crate_version() {
        assert_eq!(raw_version(), crate::VERSION);
    }

    #[wasm_bindgen_test]
    fn plans_are_plain_objects_with_decimal_strings() {
        // Own stock (2) cannot cover 3, so the default fewest-shipments strategy ships all
        // of it from the one warehouse that can: the consignment location.
        let mut r = router("");
        let plan = r
            .route_value(
                parse(&order("o1", "3")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap();
        assert!(!plan.is_instance_of::<js_sys::Map>());
        assert_eq!(get_str(&plan, "order").as_deref(), Some("o1"));
        assert_eq!(get_str(&plan, "status").as_deref(), Some("single"));
        let shipment = Array::from(&get(&plan, "shipments")).get(0);
        assert_eq!(get_str(&shipment, "warehouse").as_deref(), Some("CON"));
        let line = Array::from(&get(&shipment, "lines")).get(0);
        assert_eq!(get_str(&line, "qty").as_deref(), Some("3"));
        let docs: Vec<String> = Array::from(&get(&shipment, "documents"))
            .iter()
            .filter_map(|d| d.as_string())
            .collect();
        assert!(!docs.iter().any(|d| d == "invoice"), "{docs:?}");
    }

    #[wasm_bindgen_test]
    fn objects_and_json_strings_give_the_same_plan() {
        let mut r = router("fn rank(o, w) { w.priority }");
        let from_string = r.route_value(
            JsValue::from_str(&order("o1", "2.5")),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        );
        let from_object = r.route_value(
            parse(&order("o1", "2.5")),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        );
        let a = js_sys::JSON::stringify(&from_string.unwrap()).unwrap();
        let b = js_sys::JSON::stringify(&from_object.unwrap()).unwrap();
        assert_eq!(a, b);
    }

    #[wasm_bindgen_test]
    fn an_inventory_passed_in_the_call_overrides_the_loaded_one() {
        let mut r = router("");
        let other = INVENTORY.replace("\"on_hand\": 2", "\"on_hand\": 9");
        let plan = r
            .route_value(
                parse(&order("o1", "3")),
                JsValue::from_str(&other),
                JsValue::UNDEFINED,
            )
            .unwrap();
        let shipment = Array::from(&get(&plan, "shipments")).get(0);
        assert_eq!(get_str(&shipment, "warehouse").as_deref(), Some("OWN"));
    }

    #[wasm_bindgen_test]
    fn routing_without_any_inventory_is_a_data_error() {
        let mut r = RawRouter::new("", JsValue::UNDEFINED).unwrap();
        let e = r
            .route_value(
                parse(&order("o1", "1")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        assert_eq!(get_str(&e, "code").as_deref(), Some("data.invalid"));
        assert!(get_str(&e, "message").unwrap().contains("setInventory"));
    }

    #[wasm_bindgen_test]
    fn a_bad_field_names_its_path_for_objects_and_strings() {
        let mut r = router("");
        for input in [
            JsValue::from_str(&order("o1", "\"x\"")),
            parse(&order("o1", "\"x\"")),
        ] {
            let e = r
                .route_value(input, JsValue::UNDEFINED, JsValue::UNDEFINED)
                .unwrap_err();
            assert_eq!(get_str(&e, "code").as_deref(), Some("data.invalid"));
            assert_eq!(get_str(&e, "path").as_deref(), Some("lines[0].qty"));
            let message = get_str(&e, "message").unwrap();
            assert!(message.starts_with("invalid order: "), "{message}");
            assert!(!message.contains("Error: "), "{message}");
            assert_eq!(Array::from(&get(&e, "diagnostics")).length(), 1);
        }
    }

    #[wasm_bindgen_test]
    fn a_failed_order_is_named_when_its_id_is_readable() {
        let mut r = router("");
        let bad = r#"{"id": "o7", "channel": "web", "ship_to": {"country": "DE"},
                      "lines": [{"id": "1", "sku": "A", "qty": "lots"}]}"#;
        for input in [JsValue::from_str(bad), parse(bad)] {
            let e = r
                .route_value(input, JsValue::UNDEFINED, JsValue::UNDEFINED)
                .unwrap_err();
            assert_eq!(get_str(&e, "order").as_deref(), Some("o7"));
            assert_eq!(get_str(&e, "path").as_deref(), Some("lines[0].qty"));
            let message = get_str(&e, "message").unwrap();
            assert!(
                message.contains(
                    "`lines[0].qty` must be a number such as `2` or `\"2.5\"`, got `\"lots\"`"
                ),
                "{message}"
            );
        }
        // Not even valid JSON after the id: still named, in `route` and in a batch entry.
        let truncated = r#"{"id": "o8", "lines": ["#;
        let e = r
            .route_value(
                JsValue::from_str(truncated),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        assert_eq!(get_str(&e, "order").as_deref(), Some("o8"));
        let results = Array::from(
            &r.route_batch_value(
                vec![JsValue::from_str(truncated)],
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap(),
        );
        let entry = results.get(0);
        assert_eq!(get_str(&entry, "order").as_deref(), Some("o8"));
        assert_eq!(
            get_str(&get(&entry, "error"), "order").as_deref(),
            Some("o8")
        );
    }

    #[wasm_bindgen_test]
    fn the_thrown_object_carries_every_field_of_the_primary_diagnostic() {
        // Whatever `Diagnostic` serializes reaches JavaScript at top level: no second list.
        let mut r = router("fn rank(o, w) {\n  \"a\" - 1\n}");
        let e = r
            .route_value(
                JsValue::from_str(&order("o1", "1")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        let primary = get(&e, "diagnostics");
        let primary = Array::from(&primary).get(0);
        let keys = js_sys::Object::keys(&primary.clone().into());
        assert!(keys.length() >= 6, "{:?}", keys.to_vec());
        for key in keys.iter().filter_map(|k| k.as_string()) {
            if key != "message" {
                assert!(
                    js_sys::Object::is(&get(&e, &key), &get(&primary, &key)),
                    "{key}"
                );
            }
        }
        assert_eq!(get_str(&e, "severity").as_deref(), Some("error"));
        assert_eq!(get_str(&e, "hook").as_deref(), Some("rank"));
        assert_eq!(get(&e, "line").as_f64(), Some(2.0));
        assert_eq!(
            get_str(&primary, "message").as_deref(),
            Some("cannot subtract a number from a string")
        );
        assert!(get_str(&e, "message")
            .unwrap()
            .ends_with("in `rank`: cannot subtract a number from a string"));
    }

    #[wasm_bindgen_test]
    fn compile_errors_are_thrown_with_their_position() {
        let e = RawRouter::new("fn rank(o, w) {\n  let x = ;\n}", JsValue::UNDEFINED)
            .err()
            .unwrap();
        assert_eq!(get_str(&e, "code").as_deref(), Some("rule.syntax"));
        assert_eq!(get(&e, "line").as_f64(), Some(2.0));
        assert!(get(&e, "column").as_f64().is_some());
        assert!(Array::from(&get(&e, "diagnostics")).length() >= 1);
    }

    #[wasm_bindgen_test]
    fn bad_options_name_the_field() {
        let e = RawRouter::new("", parse(r#"{"limits": {"maxOperations": "many"}}"#))
            .err()
            .unwrap();
        assert_eq!(get_str(&e, "code").as_deref(), Some("options.invalid"));
        assert_eq!(get_str(&e, "path").as_deref(), Some("limits.maxOperations"));
        let e = RawRouter::new("", parse(r#"{"limts": {}}"#)).err().unwrap();
        assert_eq!(get_str(&e, "code").as_deref(), Some("options.invalid"));
        assert!(get_str(&e, "message").unwrap().contains("limts"));
        let e = RawRouter::new("", parse(r#"{"limits": {"maxCallLevels": 1000000}}"#))
            .err()
            .unwrap();
        assert_eq!(get_str(&e, "code").as_deref(), Some("options.invalid"));
        assert_eq!(get_str(&e, "path").as_deref(), Some("limits.maxCallLevels"));
    }

    #[wasm_bindgen_test]
    fn a_runaway_rule_is_stopped_and_the_router_stays_usable() {
        let options = parse(r#"{"name": "loop.rhai", "limits": {"maxOperations": 5000}}"#);
        let mut r = RawRouter::new(
            "fn rank(o, w) { if o.id == \"spin\" { loop {} } w.priority }",
            options,
        )
        .unwrap();
        r.set_inventory(JsValue::from_str(INVENTORY)).unwrap();
        let e = r
            .route_value(
                JsValue::from_str(&order("spin", "1")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        assert_eq!(get_str(&e, "code").as_deref(), Some("rule.limit"));
        assert_eq!(get_str(&e, "hook").as_deref(), Some("rank"));
        assert_eq!(get_str(&e, "rule").as_deref(), Some("loop.rhai"));
        assert_eq!(get_str(&e, "order").as_deref(), Some("spin"));
        let plan = r
            .route_value(
                JsValue::from_str(&order("calm", "1")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap();
        assert_eq!(get_str(&plan, "status").as_deref(), Some("single"));
    }

    #[wasm_bindgen_test]
    fn a_batch_keeps_every_order_in_input_order() {
        let mut r = router("");
        let orders = vec![
            JsValue::from_str(&order("good-1", "1")),
            JsValue::from_str(r#"{"id": "broken", "channel": "web"}"#),
            JsValue::from_str("{not json"),
            parse(&order("good-2", "1")),
        ];
        let results = Array::from(
            &r.route_batch_value(orders, JsValue::UNDEFINED, JsValue::UNDEFINED)
                .unwrap(),
        );
        assert_eq!(results.length(), 4);
        let ok: Vec<Option<bool>> = results.iter().map(|e| get(&e, "ok").as_bool()).collect();
        assert_eq!(ok, [Some(true), Some(false), Some(false), Some(true)]);
        let ids: Vec<Option<String>> = results.iter().map(|e| get_str(&e, "order")).collect();
        assert_eq!(
            ids,
            [
                Some("good-1".to_string()),
                Some("broken".to_string()),
                None,
                Some("good-2".to_string())
            ]
        );
        let error = get(&results.get(1), "error");
        assert_eq!(get_str(&error, "code").as_deref(), Some("data.invalid"));
        assert!(get(&results.get(2), "order").is_null());
        assert_eq!(
            get_str(&get(&results.get(3), "plan"), "order").as_deref(),
            Some("good-2")
        );
    }

    #[wasm_bindgen_test]
    fn a_batch_consumes_stock_unless_told_not_to() {
        // OWN has 2 of A, CON 5.5. Three orders of 2: the first ships from OWN (own stock
        // first in rank), which leaves OWN 0, so the second and third come from CON (2 + 2 of
        // its 5.5). Independent: every order sees OWN's 2 and ships from there.
        let mut r = router("fn rank(o, w) { w.priority }");
        let orders = || {
            (1..=3)
                .map(|i| JsValue::from_str(&order(&format!("o{i}"), "2")))
                .collect::<Vec<_>>()
        };
        let from = |results: &JsValue| -> Vec<String> {
            Array::from(results)
                .iter()
                .map(|e| {
                    let s = Array::from(&get(&get(&e, "plan"), "shipments")).get(0);
                    get_str(&s, "warehouse").unwrap()
                })
                .collect()
        };
        let consumed = r
            .route_batch_value(orders(), JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap();
        assert_eq!(from(&consumed), ["OWN", "CON", "CON"]);
        let independent = r
            .route_batch_value(orders(), JsValue::UNDEFINED, parse(r#"{"consume": false}"#))
            .unwrap();
        assert_eq!(from(&independent), ["OWN", "OWN", "OWN"]);
        // The loaded inventory is unchanged by either batch.
        let inv = r.inventory().unwrap();
        let row = Array::from(&get(&inv, "stock")).get(0);
        assert_eq!(get_str(&row, "reserved").as_deref(), Some("0"));
        let e = r
            .route_batch_value(orders(), JsValue::UNDEFINED, parse(r#"{"consum": false}"#))
            .unwrap_err();
        assert_eq!(get_str(&e, "code").as_deref(), Some("options.invalid"));
    }

    #[wasm_bindgen_test]
    fn ledger_operations_change_the_loaded_inventory() {
        let mut r = router("");
        let e = r
            .apply_stock(parse(
                r#"[{"warehouse": "OWN", "sku": "A", "delta": 1},
                                   {"warehouse": "GHOST", "sku": "A", "on_hand": 1}]"#,
            ))
            .unwrap_err();
        assert_eq!(get_str(&e, "path").as_deref(), Some("rows[1].warehouse"));
        assert!(get_str(&e, "message").unwrap().contains("`GHOST`"));
        // All or none: the valid first row was not applied either.
        let inv = r.inventory().unwrap();
        let own = Array::from(&get(&inv, "stock")).get(0);
        assert_eq!(get_str(&own, "on_hand").as_deref(), Some("2"));

        let changes = Array::from(
            &r.sync_warehouse("CON".into(), parse(r#"[{"sku": "A", "on_hand": 1}]"#))
                .unwrap(),
        );
        assert_eq!(changes.length(), 1);
        let after = get(&changes.get(0), "after");
        assert_eq!(get_str(&after, "on_hand").as_deref(), Some("1"));
        // 3 of A: OWN 2 + CON 1 now, both needed.
        let plan = r
            .route_value(
                JsValue::from_str(&order("o1", "3")),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap();
        assert_eq!(get_str(&plan, "status").as_deref(), Some("split"));
        r.commit(plan.clone()).unwrap();
        let av = r
            .available(
                JsValue::UNDEFINED,
                Some("web".into()),
                parse(r#"{"skus": ["A"]}"#),
            )
            .unwrap();
        let item = Array::from(&get(&av, "items")).get(0);
        assert_eq!(get_str(&item, "offered").as_deref(), Some("0"));
        r.release(plan).unwrap();
        let av = r
            .available(JsValue::UNDEFINED, Some("web".into()), JsValue::UNDEFINED)
            .unwrap();
        let item = Array::from(&get(&av, "items")).get(0);
        assert_eq!(get_str(&item, "offered").as_deref(), Some("3"));
    }

    #[wasm_bindgen_test]
    fn availability_for_one_channel() {
        // `market` does not include consignment: only the own warehouse's 2 are offered.
        let r = router("");
        let av = r
            .available(
                JsValue::UNDEFINED,
                Some("market".to_string()),
                JsValue::UNDEFINED,
            )
            .unwrap();
        let items = Array::from(&get(&av, "items"));
        assert_eq!(items.length(), 1);
        assert_eq!(get_str(&items.get(0), "channel").as_deref(), Some("market"));
        assert_eq!(get_str(&items.get(0), "offered").as_deref(), Some("2"));
    }

    #[wasm_bindgen_test]
    fn forward_gives_an_email_for_a_consignment_shipment() {
        // 3 > own stock 2: everything ships from the consignment location CON by email;
        // with a supplier sender the message is a MIME email named after order and shipment.
        let inventory = INVENTORY.replacen(
            "\"channels\"",
            r#""supplier": {"name": "Supplier", "email": "sales@supplier.example"}, "channels""#,
            1,
        );
        let mut r = RawRouter::new("", JsValue::UNDEFINED).unwrap();
        r.set_inventory(JsValue::from_str(&inventory)).unwrap();
        let order = parse(&order("o1", "3"));
        let plan = r
            .route_value(order.clone(), JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap();
        let messages = Array::from(
            &r.forward(
                plan,
                order,
                parse(r#"{"date": "2026-11-30"}"#),
                JsValue::UNDEFINED,
            )
            .unwrap(),
        );
        assert_eq!(messages.length(), 1);
        let m = messages.get(0);
        assert_eq!(get_str(&m, "file_name").as_deref(), Some("o1-1-CON.eml"));
        assert_eq!(
            get_str(&m, "id").as_deref(),
            Some("o1.1.CON@supplier.example")
        );
        let body = get_str(&m, "body").unwrap();
        assert!(
            body.contains("Message-ID: <o1.1.CON@supplier.example>"),
            "{body}"
        );
        assert!(
            body.contains("Date: Mon, 30 Nov 2026 00:00:00 +0000"),
            "{body}"
        );
        let docs = Array::from(&get(&m, "documents"));
        assert_eq!(docs.length(), 2, "packing slip as HTML and PDF");
        assert_eq!(get_str(&docs.get(1), "encoding").as_deref(), Some("base64"));
    }

    #[wasm_bindgen_test]
    fn forward_without_a_date_names_the_option() {
        let mut r = router("");
        let order = parse(&order("o1", "1"));
        let plan = r
            .route_value(order.clone(), JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap();
        let e = r
            .forward(plan, order, parse("{}"), JsValue::UNDEFINED)
            .unwrap_err();
        assert_eq!(get_str(&e, "code").as_deref(), Some("data.invalid"));
        assert!(get_str(&e, "message").unwrap().contains("`date`"));
    }

    #[wasm_bindgen_test]
    fn settle_reads_jsonl_text_and_event_arrays_alike() {
        // 5 delivered, 2 sold, counted 2: 1 unit missing.
        let log = [
            r#"{"type": "delivery", "date": "2026-11-01", "warehouse": "CON", "lines": [{"sku": "A", "qty": 5}]}"#,
            r#"{"type": "sale", "date": "2026-11-02", "warehouse": "CON", "lines": [{"sku": "A", "qty": 2}]}"#,
            r#"{"type": "sync", "date": "2026-11-03", "warehouse": "CON", "lines": [{"sku": "A", "qty": 2}]}"#,
        ];
        let from_text = raw_settle(
            JsValue::from_str(INVENTORY),
            JsValue::from_str(&log.join("\n")),
            "2026-11",
        )
        .unwrap();
        let array = parse(&format!("[{}]", log.join(",")));
        let from_array = raw_settle(JsValue::from_str(INVENTORY), array, "2026-11").unwrap();
        assert_eq!(
            js_sys::JSON::stringify(&from_text).unwrap(),
            js_sys::JSON::stringify(&from_array).unwrap()
        );
        let location = Array::from(&get(&from_text, "locations")).get(0);
        let a = Array::from(&get(&location, "skus")).get(0);
        assert_eq!(get_str(&a, "sold").as_deref(), Some("2"));
        assert_eq!(get_str(&a, "on_hand").as_deref(), Some("2"));
        assert_eq!(get_str(&a, "discrepancy").as_deref(), Some("1"));
        let e = raw_settle(
            JsValue::from_str(INVENTORY),
            JsValue::from_str(log[0]),
            "November",
        )
        .unwrap_err();
        assert_eq!(get_str(&e, "path").as_deref(), Some("period"));
    }

    #[wasm_bindgen_test]
    fn warnings_and_modes_are_on_the_router() {
        // A misspelt hook compiles (it may be a helper) but is reported.
        let r = router("fn rnak(order, w) { 1 }\nfn rank(order, w) { w.priority }");
        let warnings = Array::from(&r.warnings().unwrap());
        assert_eq!(warnings.length(), 1);
        assert!(get_str(&warnings.get(0), "message")
            .unwrap()
            .contains("rnak"));
        let modes = Array::from(&r.hook_modes().unwrap());
        assert_eq!(get_str(&modes.get(0), "hook").as_deref(), Some("rank"));
        assert_eq!(get_str(&modes.get(0), "mode").as_deref(), Some("compiled"));
    }

    #[wasm_bindgen_test]
    fn replenishment_reads_events_or_the_recorded_counts() {
        // CON (no terms in INVENTORY): give it min 2 / max 6 and 1 on hand.
        let inventory = INVENTORY
            .replace(
                r#""forward": {"method": "email", "to": "shop@example.com"}}"#,
                r#""forward": {"method": "email", "to": "shop@example.com"},
                   "terms": {"replenish": {"min": 2, "max": 6}}}"#,
            )
            .replace(r#""on_hand": "5.5""#, r#""on_hand": 1"#);
        let mut r = RawRouter::new("", JsValue::UNDEFINED).unwrap();
        r.set_inventory(JsValue::from_str(&inventory)).unwrap();
        let options = parse(r#"{"as_of": "2026-11-30"}"#);
        // 1 ≤ min 2: fill up to 6 = 5, but own OWN has only 2 to spare.
        let log = r#"{"type": "sale", "date": "2026-11-20", "warehouse": "CON", "lines": [{"sku": "A", "qty": 4}]}"#;
        let result = r
            .replenishment(options.clone(), JsValue::from_str(log), JsValue::UNDEFINED)
            .unwrap();
        let p = Array::from(&get(&result, "proposals")).get(0);
        assert_eq!(get_str(&p, "sold").as_deref(), Some("4"));
        assert_eq!(get_str(&p, "propose").as_deref(), Some("2"));
        assert_eq!(get_str(&result, "source").as_deref(), Some("events"));
        // Without a log: the counts recorded. 1 → 0 on 2026-11-25 is one unit gone.
        let changes = r
            .sync_warehouse("CON".into(), parse(r#"[{"sku": "A", "on_hand": 0}]"#))
            .unwrap();
        assert_eq!(r.record_sales("2026-11-25".into(), changes).unwrap(), 1);
        let result = r
            .replenishment(options, JsValue::UNDEFINED, JsValue::UNDEFINED)
            .unwrap();
        let p = Array::from(&get(&result, "proposals")).get(0);
        assert_eq!(get_str(&p, "sold").as_deref(), Some("1"));
        assert_eq!(get_str(&result, "source").as_deref(), Some("syncs"));
        let e = r
            .replenishment(
                parse(r#"{"as_of": "soon"}"#),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        assert_eq!(get_str(&e, "code").as_deref(), Some("options.invalid"));
        assert_eq!(get_str(&e, "path").as_deref(), Some("as_of"));
    }

    #[wasm_bindgen_test]
    fn validate_returns_the_plan_or_every_violation() {
        let r = router("");
        // OWN holds 2 of A: 2 from OWN is valid, 3 is not.
        let v = r
            .validate(
                JsValue::from_str(&order("M", "2")),
                parse(
                    r#"{"shipments": [{"warehouse": "OWN", "lines": [{"line": "1", "qty": 2}]}]}"#,
                ),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap();
        assert_eq!(get(&v, "valid").as_bool(), Some(true));
        assert_eq!(
            get_str(&get(&v, "plan"), "status").as_deref(),
            Some("single")
        );
        let v = r
            .validate(
                JsValue::from_str(&order("M", "3")),
                JsValue::from_str(
                    r#"{"shipments": [{"warehouse": "OWN", "lines": [{"line": "1", "qty": 3}]}]}"#,
                ),
                parse(r#"{"as_of": "2026-11-30"}"#),
                JsValue::UNDEFINED,
            )
            .unwrap();
        assert_eq!(get(&v, "valid").as_bool(), Some(false));
        let d = Array::from(&get(&v, "violations")).get(0);
        assert_eq!(get_str(&d, "orderLine").as_deref(), Some("1"));
        assert_eq!(get_str(&d, "warehouse").as_deref(), Some("OWN"));
        let e = r
            .validate(
                JsValue::from_str(&order("M", "3")),
                JsValue::from_str(r#"{"shipments": [{"warehouse": "OWN", "lines": [{"line": "1", "qty": "x"}]}]}"#),
                JsValue::UNDEFINED,
                JsValue::UNDEFINED,
            )
            .unwrap_err();
        assert_eq!(
            get_str(&e, "path").as_deref(),
            Some("shipments[0].lines[0].qty")
        );
        assert_eq!(get_str(&e, "order").as_deref(), Some("M"));
    }

    #[wasm_bindgen_test]
    fn hooks_lists_the_defined_hooks() {
        let r = router("fn split(o) { #{} }\nfn rank(o, w) { 1 }");
        assert_eq!(r.hooks(), ["rank", "split"]);
    }

    #[wasm_bindgen_test]
    fn check_reports_without_throwing() {
        let report = raw_check("fn rank(o) { 1 }", Some("r.rhai".to_string())).unwrap();
        assert_eq!(get(&report, "ok").as_bool(), Some(false));
        let d = Array::from(&get(&report, "diagnostics")).get(0);
        assert_eq!(get_str(&d, "code").as_deref(), Some("rule.signature"));
        assert_eq!(get_str(&d, "rule").as_deref(), Some("r.rhai"));
        assert_eq!(get(&d, "line").as_f64(), Some(1.0));
    }

    #[wasm_bindgen_test]
    fn api_metadata_lists_every_hook() {
        let meta = raw_api_metadata().unwrap();
        let names: Vec<String> = Array::from(&get(&meta, "hooks"))
            .iter()
            .filter_map(|h| get_str(&h, "name"))
            .collect();
        for hook in crate::rules::Hook::ALL {
            assert!(names.iter().any(|n| n == hook.name()), "{names:?}");
        }
    }

    #[wasm_bindgen_test]
    fn run_case_resolves_referenced_files() {
        // 2 own + 5.5 consignment: an order for 1 ships from the own warehouse alone.
        let case = r#"{
          "name": "own first",
          "inventory": "inv.json",
          "order": {"id": "o1", "channel": "web", "ship_to": {"country": "DE"},
                    "lines": [{"id": "1", "sku": "A", "qty": 1}]},
          "expect": {"status": "single",
                     "shipments": [{"warehouse": "OWN", "lines": [{"line": "1", "qty": 1}]}]}
        }"#;
        let files = js_sys::Object::new();
        Reflect::set(&files, &"inv.json".into(), &INVENTORY.into()).unwrap();
        let outcome = raw_run_case(case, "", files.into(), None).unwrap();
        assert_eq!(get_str(&outcome, "name").as_deref(), Some("own first"));
        let failures = Array::from(&get(&outcome, "failures"));
        assert_eq!(
            get(&outcome, "passed").as_bool(),
            Some(true),
            "{:?}",
            failures.to_vec()
        );
    }
}
