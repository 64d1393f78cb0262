//! Data-driven rule test cases (see `docs/test-cases.md`): one JSON file per case, run the
//! same way by `cargo test`, the `stockroute test` CLI and the browser editor.
//!
//! A case gives an inventory, one order, several orders or an availability request, and
//! what the merchant expects: the plan (status, shipments, backorders, hold), the offered
//! quantities, or an error. [`run_case`] runs it against a rule set and reports every
//! mismatch as a readable sentence, so a failing case says what differs without a diff tool.
//!
//! | file | what it does |
//! |---|---|
//! | `schema.rs` | the shape of a case file and of each expectation |
//! | `files.rs` | inline values and referenced files: which strings are references, where they point ([`resolve_reference`]) |
//! | `runner.rs` | runs the input a case gives (order, orders, availability, replenishment, validate, steps) |
//! | `compare/` | one [`Expectation`](compare::Expectation) per kind of result, a file each: plan, availability, proposals, validation, stock changes, error |

mod compare;
mod files;
mod runner;
mod schema;

pub use files::{file_reader, resolve_reference};

use serde::Serialize;
use serde_json::Value;

/// The result of running one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CaseOutcome {
    /// The case's `name`, or empty when it has none (callers then show the file name).
    pub name: String,
    /// The case's `description`: what it checks and why the expected values are right.
    pub description: String,
    /// True when every expectation held.
    pub passed: bool,
    /// One sentence per mismatch; empty when the case passed.
    pub failures: Vec<String>,
    /// What the engine produced: a plan, a list of per-order results, an availability, or
    /// an error (`{"error": {...}}`); `null` when the case itself could not be read.
    #[cfg_attr(test, ts(type = "unknown"))]
    pub actual: Value,
    /// Every file the case references, each once, as written in it: a path relative to the
    /// case file's folder. When one of them was not supplied, the case fails naming it and
    /// nothing runs: the caller reads these files and runs the case again with them.
    pub files: Vec<String>,
}

/// The day cases are routed on unless their `options` give `as_of`: fixed, so that a case's
/// outcome never depends on the day it runs (consignment periods end relative to it).
pub const CASE_DAY: &str = "2026-12-01";

/// Runs one case against a rule set.
///
/// `files(path)` returns the text of a file the case references (`"inventory":
/// "../../../examples/inventory.json"`), with the path exactly as written in the case; for a
/// case on disk, [`file_reader`] resolves it relative to the case file. Never panics and
/// never returns an error: an unreadable case is a failed outcome whose failure says why.
///
/// ```
/// use stockroute::cases::run_case;
///
/// let case = r#"{
///   "description": "W1 holds 3 of A: it ships the 2 ordered in one parcel",
///   "inventory": {"warehouses": [{"id": "W1", "kind": "own"}],
///                 "stock": [{"warehouse": "W1", "sku": "A", "on_hand": 3}],
///                 "channels": [{"id": "web"}]},
///   "order": {"id": "o1", "channel": "web", "ship_to": {"country": "DE"},
///             "lines": [{"id": "1", "sku": "A", "qty": 2}]},
///   "expect": {"status": "single", "shipments": [{"warehouse": "W1", "lines": [{"line": "1", "qty": 2}]}]}
/// }"#;
/// let outcome = run_case(case, "fn rank(order, warehouse) { warehouse.priority }", Some("priority.rhai"), &|_| None);
/// assert!(outcome.passed, "{:?}", outcome.failures);
/// ```
pub fn run_case(
    case_json: &str,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &dyn Fn(&str) -> Option<String>,
) -> CaseOutcome {
    run_case_with(
        case_json,
        rules_source,
        rules_name,
        files,
        crate::Execution::Compiled,
    )
}

/// [`run_case`] with hooks run as `execution` says (the tests run every case both ways).
pub fn run_case_with(
    case_json: &str,
    rules_source: &str,
    rules_name: Option<&str>,
    files: &dyn Fn(&str) -> Option<String>,
    execution: crate::Execution,
) -> CaseOutcome {
    let mut outcome = CaseOutcome {
        name: String::new(),
        description: String::new(),
        passed: false,
        failures: Vec::new(),
        actual: Value::Null,
        files: Vec::new(),
    };
    let case = match crate::json::from_str::<Value>(case_json, "case")
        .and_then(|v| crate::json::from_value::<schema::CaseFile>(v, "case"))
    {
        Ok(c) => c,
        Err(e) => {
            outcome.failures.push(format!("invalid case file: {e}"));
            return outcome;
        }
    };
    outcome.name = case.name.clone().unwrap_or_default();
    outcome.description = case.description.clone();
    let references = files::references(&case);
    for r in &references {
        if !outcome.files.contains(&r.path) {
            outcome.files.push(r.path.clone());
        }
    }
    let loaded = match files::Files::read(&references, files) {
        Ok(f) => f,
        Err(missing) => {
            outcome.failures = missing
                .into_iter()
                .map(|m| format!("invalid case: {m}"))
                .collect();
            return outcome;
        }
    };
    let (failures, actual) = match runner::run(&case, rules_source, rules_name, &loaded, execution)
    {
        Ok(r) => r,
        Err(problem) => (vec![format!("invalid case: {problem}")], Value::Null),
    };
    outcome.passed = failures.is_empty();
    outcome.failures = failures;
    outcome.actual = actual;
    outcome
}

#[cfg(test)]
mod tests;
