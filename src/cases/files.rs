//! Loading a case's inputs: inline values, or files the case references by a path relative
//! to the case file (`"inventory": "../../../examples/inventory.json"`).
//!
//! [`references`] is the one definition of which strings of a case are file references (the
//! `inventory`, `order`, `orders`, `replenishment.events`, `validate.order`/`plan` and the
//! steps' `route`, `batch`, `apply_stock` and `rows`), and [`resolve_reference`] of where such
//! a path points. The runner reads every reference before anything runs and lists them in
//! [`CaseOutcome::files`](super::CaseOutcome::files), so `cargo test`, the CLI and the editor
//! (which pass the files they read, through `runCase`) find the same files.

use super::schema::CaseFile;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Keys of a step whose string value names a file.
const STEP_FILES: [&str; 4] = ["route", "batch", "apply_stock", "rows"];

/// A file a case references: where (`inventory`, `steps[2].rows`) and the path as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reference {
    pub(super) field: String,
    pub(super) path: String,
}

/// Every file `case` references, in the order the runner reads them.
pub(super) fn references(case: &CaseFile) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut add = |field: String, value: Option<&Value>| {
        if let Some(Value::String(path)) = value {
            out.push(Reference {
                field,
                path: path.clone(),
            });
        }
    };
    add("inventory".into(), case.inventory.as_ref());
    add("order".into(), case.order.as_ref());
    add("orders".into(), case.orders.as_ref());
    if let Some(r) = &case.replenishment {
        add("events".into(), r.events.as_ref());
    }
    if let Some(v) = &case.validate {
        add("order".into(), Some(&v.order));
        add("plan".into(), Some(&v.plan));
    }
    for (i, step) in case.steps.iter().flatten().enumerate() {
        for key in STEP_FILES {
            add(format!("steps[{i}].{key}"), step.get(key));
        }
    }
    out
}

/// The referenced files' texts, read once before the case runs.
#[derive(Debug, Default)]
pub(super) struct Files {
    texts: HashMap<String, String>,
}

impl Files {
    /// Reads every reference through the caller's `files`; `Err` lists each one it lacks.
    pub(super) fn read(
        references: &[Reference],
        files: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, Vec<String>> {
        let mut texts = HashMap::new();
        let mut missing = Vec::new();
        for r in references {
            if texts.contains_key(&r.path) {
                continue;
            }
            match files(&r.path) {
                Some(text) => {
                    texts.insert(r.path.clone(), text);
                }
                None => missing.push(format!("`{}` file `{}` not found", r.field, r.path)),
            }
        }
        if missing.is_empty() {
            Ok(Self { texts })
        } else {
            Err(missing)
        }
    }

    fn get(&self, path: &str, what: &str) -> Result<&str, String> {
        self.texts
            .get(path)
            .map(String::as_str)
            .ok_or_else(|| format!("`{what}` file `{path}` not found"))
    }

    /// An inline value, or the JSON of the file a string names.
    pub(super) fn load(&self, v: &Value, what: &str) -> Result<Value, String> {
        match v {
            Value::String(path) => {
                let text = self.get(path, what)?;
                crate::json::from_str::<Value>(text, what).map_err(|e| format!("`{path}`: {e}"))
            }
            other => Ok(other.clone()),
        }
    }

    /// `orders`: an array, or a file holding a JSON array or JSON lines (one order a line).
    pub(super) fn load_orders(&self, v: &Value) -> Result<Vec<Value>, String> {
        match v {
            Value::Array(items) => Ok(items.clone()),
            Value::String(path) => {
                let text = self.get(path, "orders")?;
                if text.trim_start().starts_with('[') {
                    return crate::json::from_str::<Value>(text, "orders")
                        .and_then(|v| crate::json::from_value(v, "orders"))
                        .map_err(|e| format!("`{path}`: {e}"));
                }
                text.lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .map(|(n, l)| {
                        crate::json::from_str::<Value>(l, "order")
                            .map_err(|e| format!("`{path}` line {}: {e}", n + 1))
                    })
                    .collect()
            }
            _ => Err("`orders` must be an array of orders or a file path".into()),
        }
    }

    /// The text of a referenced file (a JSON-lines event log).
    pub(super) fn text(&self, path: &str, what: &str) -> Result<&str, String> {
        self.get(path, what)
    }
}

/// Where a reference written in a case points: `reference` relative to the folder of
/// `case_file`, with `.` and `..` resolved without touching the file system (an absolute
/// reference stays as it is). The CLI and the editor resolve the paths listed in
/// [`CaseOutcome::files`](super::CaseOutcome::files) the same way.
pub fn resolve_reference(case_file: &Path, reference: &str) -> PathBuf {
    let mut out = case_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    for part in Path::new(reference).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let climbs = matches!(
                    out.components().next_back(),
                    None | Some(Component::ParentDir)
                );
                if climbs {
                    out.push("..");
                } else {
                    out.pop();
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The `files` argument of [`run_case`](super::run_case) for a case stored at `case_file`:
/// each reference read from where [`resolve_reference`] says.
pub fn file_reader(case_file: &Path) -> impl Fn(&str) -> Option<String> {
    let case_file = case_file.to_path_buf();
    move |reference| std::fs::read_to_string(resolve_reference(&case_file, reference)).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_the_case_folder_without_the_file_system() {
        let case = Path::new("rules/cases/demo/01.json");
        assert_eq!(
            resolve_reference(case, "../../../examples/inventory.json"),
            PathBuf::from("examples/inventory.json")
        );
        assert_eq!(
            resolve_reference(case, "./inv.json"),
            PathBuf::from("rules/cases/demo/inv.json")
        );
        // Above the case file's root the climb is kept, as the file system would go.
        assert_eq!(
            resolve_reference(Path::new("c.json"), "../shared/inv.json"),
            PathBuf::from("../shared/inv.json")
        );
        assert_eq!(
            resolve_reference(case, "/data/inv.json"),
            PathBuf::from("/data/inv.json")
        );
    }

    #[test]
    fn every_file_field_of_the_schema_is_a_reference_and_nothing_else_is() {
        let case: CaseFile = serde_json::from_value(serde_json::json!({
            "description": "a note that ends in .json is text, not a file",
            "inventory": "inv.json",
            "steps": [
                {"route": "order.json", "note": "see orders.jsonl"},
                {"sync_warehouse": "W1", "rows": "rows.jsonl"},
                {"batch": [{"id": "inline"}]}
            ]
        }))
        .unwrap();
        let got: Vec<(String, String)> = references(&case)
            .into_iter()
            .map(|r| (r.field, r.path))
            .collect();
        assert_eq!(
            got,
            [
                ("inventory".into(), "inv.json".into()),
                ("steps[0].route".into(), "order.json".into()),
                ("steps[1].rows".into(), "rows.jsonl".into()),
            ]
        );
    }
}
