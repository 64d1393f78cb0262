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
use crate::model::{Inventory, Order};
use crate::router::{Router, RouterOptions};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

/// The error object thrown to JavaScript: the primary diagnostic's fields at top level (what
/// most callers read) plus every diagnostic.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsError<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hook: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column_utf16: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_line: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warehouse: Option<&'a str>,
    diagnostics: &'a [Diagnostic],
}

impl<'a> JsError<'a> {
    fn new(e: &'a StockrouteError) -> Self {
        let p = e.primary();
        JsError {
            code: e.code,
            message: &e.message,
            help: p.and_then(|d| d.help.as_deref()),
            rule: p.and_then(|d| d.rule.as_deref()),
            hook: p.and_then(|d| d.hook.as_deref()),
            line: p.and_then(|d| d.line),
            column: p.and_then(|d| d.column),
            column_utf16: p.and_then(|d| d.column_utf16),
            path: p.and_then(|d| d.path.as_deref()),
            order: p.and_then(|d| d.order.as_deref()),
            order_line: p.and_then(|d| d.order_line.as_deref()),
            warehouse: p.and_then(|d| d.warehouse.as_deref()),
            diagnostics: &e.diagnostics,
        }
    }
}

fn serializer() -> serde_wasm_bindgen::Serializer {
    // Plain objects (not `Map`) so results read naturally and survive `JSON.stringify`.
    serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)
}

/// Converts a core error into the plain object thrown to JavaScript.
fn to_js_error(e: &StockrouteError) -> JsValue {
    JsError::new(e)
        .serialize(&serializer())
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

/// Reads `T` from a JSON string or a JavaScript value, naming the failing field.
fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, StockrouteError> {
    if let Some(text) = value.as_string() {
        return crate::json::from_str(&text, what);
    }
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        // serde-wasm-bindgen errors are JS `Error`s whose string form starts with "Error: ".
        let inner = e.inner().to_string();
        let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
        let mut d = Diagnostic::new(code::DATA_INVALID, format!("invalid {what}: {inner}"));
        // `?` is serde_path_to_error's "no known position".
        if !path.is_empty() && path != "." && path != "?" {
            d.path = Some(path);
        }
        d.into()
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
        error: JsError<'a>,
    },
}

/// The order id of an input that failed to parse, when it can still be found.
fn order_id_of(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        return v.get("id")?.as_str().map(str::to_string);
    }
    if value.is_object() {
        return js_sys::Reflect::get(value, &JsValue::from_str("id"))
            .ok()?
            .as_string();
    }
    None
}

/// A compiled rule set with an optional inventory loaded once for many calls.
#[wasm_bindgen]
pub struct RawRouter {
    router: Router,
    inventory: Option<PreparedInventory>,
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
        js(|| {
            let options: RouterOptions = if is_absent(&options) {
                RouterOptions::default()
            } else {
                from_js(options, "options")?
            };
            Ok(RawRouter {
                router: Router::new(rules, options)?,
                inventory: None,
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

    /// Routes one order; uses the loaded inventory when `inventory` is absent.
    pub fn route(&self, order: JsValue, inventory: JsValue) -> Result<JsValue, JsValue> {
        js(|| {
            let order: Order = from_js(order, "order")?;
            let plan = self.with_inventory(inventory, |inv| {
                self.router
                    .route(&order, inv)
                    .map_err(|e| e.for_order(&order.id))
            })?;
            to_js(&plan, "plan")
        })
    }

    /// Routes many orders: one entry per input, in input order; a bad order only fails
    /// its own entry. Throws only when the inventory itself is unusable.
    #[wasm_bindgen(js_name = routeBatch)]
    pub fn route_batch(
        &self,
        orders: Vec<JsValue>,
        inventory: JsValue,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            self.with_inventory(inventory, |inv| {
                let results: Vec<(Option<String>, Result<crate::model::Plan, StockrouteError>)> =
                    orders
                        .into_iter()
                        .map(|value| {
                            let id = order_id_of(&value);
                            let result = from_js::<Order>(value, "order").and_then(|order| {
                                self.router
                                    .route(&order, inv)
                                    .map_err(|e| e.for_order(&order.id))
                            });
                            (id, result)
                        })
                        .collect();
                let entries: Vec<BatchEntry<'_>> = results
                    .iter()
                    .map(|(id, result)| match result {
                        Ok(plan) => BatchEntry::Ok {
                            ok: true,
                            order: &plan.order,
                            plan,
                        },
                        Err(e) => BatchEntry::Err {
                            ok: false,
                            order: id.clone(),
                            error: JsError::new(e),
                        },
                    })
                    .collect();
                to_js(&entries, "batch results")
            })
        })
    }

    /// Offered quantities per channel (or only `channel`) and SKU.
    pub fn available(
        &self,
        inventory: JsValue,
        channel: Option<String>,
    ) -> Result<JsValue, JsValue> {
        js(|| {
            let availability = self.with_inventory(inventory, |inv| {
                self.router.available(inv, channel.as_deref())
            })?;
            to_js(&availability, "availability")
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn version_is_the_crate_version() {
        assert_eq!(raw_version(), crate::VERSION);
    }
}
