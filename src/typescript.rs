//! Generates `js/types.d.ts`, the TypeScript declarations of every type that crosses the
//! JavaScript boundary, from the Rust types themselves (test-only: `ts-rs` is a
//! dev-dependency, so neither the core nor the WebAssembly build depends on it).
//!
//! `cargo test --lib typescript` fails when the committed file differs from what the Rust
//! model generates; `STOCKROUTE_UPDATE_TYPES=1 cargo test --lib typescript` rewrites it.
//!
//! Decimals have two forms: inputs accept a number or a numeric string (`DecimalInput`),
//! outputs are always strings (`Decimal`). `Plan` is a union on `status`: held plans carry
//! `hold`, the others never do.

use crate::error::Diagnostic;
use crate::model::*;
use std::fmt::Write as _;
use ts_rs::{Config, TS};

/// Marks a decimal input field: `number | string`.
pub struct DecimalInput;
/// Marks a decimal output field: always a string.
pub struct Decimal;
/// Marks free-form JSON attributes.
pub struct Attributes;
/// The union of [`crate::error::code::ALL`].
pub struct ErrorCode;
/// The union of [`crate::rules::Hook::ALL`] names.
pub struct HookName;

macro_rules! alias {
    ($ty:ident, $name:literal) => {
        impl TS for $ty {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &Config) -> String {
                $name.to_string()
            }
            fn inline(_: &Config) -> String {
                $name.to_string()
            }
        }
    };
}
alias!(DecimalInput, "DecimalInput");
alias!(Decimal, "Decimal");
alias!(Attributes, "Attributes");
alias!(ErrorCode, "ErrorCode");
alias!(HookName, "HookName");

fn union<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    values
        .into_iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(" | ")
}

// Mirrors of types in modules being rewritten elsewhere (`rules/mod.rs`, `router.rs`), which
// cannot carry the derive yet. `mirrors_match_the_real_types` fails when a field is added,
// removed or renamed on either side; replace each by `#[cfg_attr(test, derive(ts_rs::TS))]`
// on the real type when those modules settle.
pub mod mirror {
    use serde::Serialize;
    use ts_rs::TS;

    /// Sandbox limits; each hook call starts counting operations from zero. Every value is
    /// range-checked (`options.invalid` naming the key); no value switches a limit off.
    #[derive(Default, Serialize, TS)]
    #[serde(rename_all = "camelCase")]
    #[ts(rename = "Limits", optional_fields)]
    pub struct Limits {
        /// Operations per hook call (each hook call starts from zero).
        pub max_operations: Option<u64>,
        /// Operations of all hook calls for one order (or one availability computation).
        pub max_order_operations: Option<u64>,
        /// Nested function calls.
        pub max_call_levels: Option<u32>,
        /// Expression nesting depth at top level.
        pub max_expr_depth: Option<u32>,
        /// Expression nesting depth inside functions.
        pub max_function_expr_depth: Option<u32>,
        /// Bytes in one string.
        pub max_string_size: Option<u32>,
        /// Elements in one array, nested arrays included.
        pub max_array_size: Option<u32>,
        /// Entries in one object map, nested maps included.
        pub max_map_size: Option<u32>,
        /// Variables in scope.
        pub max_variables: Option<u32>,
        /// Notes (`note`, `print`, `debug`, `hold`) in one plan's trace.
        pub max_trace_notes: Option<u32>,
        /// Bytes of note text in one plan's trace.
        pub max_trace_bytes: Option<u32>,
    }

    /// Options for `new Router(rules, options)`.
    #[derive(Default, Serialize, TS)]
    #[serde(rename_all = "camelCase")]
    #[ts(rename = "RouterOptions", optional_fields)]
    pub struct RouterOptions {
        /// Name of the rule set, attached to diagnostics (usually its file name).
        pub name: Option<String>,
        /// Sandbox limits.
        pub limits: Option<Limits>,
        /// Whether plans and availability carry the `trace` explaining them (default true).
        /// Backends routing at volume can turn it off: the trace is most of what crosses the
        /// JavaScript boundary.
        pub trace: Option<bool>,
        /// How hooks run: `"compiled"` (default: compiled to closures where possible, the rest
        /// on the interpreter) or `"interpreted"` (every hook on the Rhai interpreter, the
        /// reference semantics; slower).
        pub execution: Option<Execution>,
    }

    /// How hooks run.
    #[derive(Serialize, TS, Clone, Copy)]
    #[serde(rename_all = "snake_case")]
    #[ts(rename = "Execution")]
    pub enum Execution {
        /// Compiled where possible; each hook that cannot be compiled runs interpreted.
        Compiled,
        /// Every hook on the interpreter.
        Interpreted,
    }

    /// A non-hook function in a rule set.
    #[derive(Default, Serialize, TS)]
    #[ts(rename = "FunctionInfo")]
    pub struct FunctionInfo {
        /// Function name.
        pub name: String,
        /// Number of parameters.
        pub params: u32,
    }

    /// What `check` reports: diagnostics and the hooks a rule set defines.
    #[derive(Default, Serialize, TS)]
    #[ts(rename = "CheckReport")]
    pub struct CheckReport {
        /// True when there is no error-severity diagnostic.
        pub ok: bool,
        /// Errors and warnings, in source order.
        pub diagnostics: Vec<crate::error::Diagnostic>,
        /// Names of the hooks defined, in `Hook::ALL` order.
        #[ts(as = "Vec<super::HookName>")]
        pub hooks: Vec<String>,
        /// Other functions defined (helpers), with their parameter counts.
        pub functions: Vec<FunctionInfo>,
        /// How each defined hook runs: compiled, or interpreted and why.
        pub modes: Vec<HookModeInfo>,
    }

    /// How one hook runs.
    #[derive(Default, Serialize, TS)]
    #[ts(rename = "HookModeInfo")]
    pub struct HookModeInfo {
        /// The hook's name.
        #[ts(as = "super::HookName")]
        pub hook: String,
        /// `"compiled"`, or `"interpreted"` with `reason`.
        #[ts(as = "HookModeName")]
        pub mode: String,
        /// Why the hook runs on the interpreter (absent when compiled).
        #[ts(optional)]
        pub reason: Option<String>,
    }

    /// How a hook runs.
    #[derive(Serialize, TS)]
    #[ts(rename = "HookModeName")]
    #[serde(rename_all = "snake_case")]
    pub enum HookModeName {
        /// Compiled to closures.
        Compiled,
        /// On the Rhai interpreter.
        Interpreted,
    }
}

fn config() -> Config {
    // Every integer of the model is far below 2^53: plain `number`, not `bigint`.
    Config::new().with_large_int("number")
}

fn push<T: TS + ?Sized>(out: &mut String, cfg: &Config) {
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&pretty(&T::decl(cfg)));
    out.push_str("\n\n");
}

/// One field per line, indented, for object types (ts-rs writes `{ \n/** doc */\nf: T, };`).
fn pretty(decl: &str) -> String {
    let Some(body) = decl
        .split_once(" = { \n")
        .and_then(|(head, rest)| Some((head, rest.strip_suffix(", };")?)))
    else {
        return decl.to_string();
    };
    let (head, rest) = body;
    let mut out = format!("{head} = {{\n");
    for line in rest.split(", \n").flat_map(str::lines) {
        let line = line.trim_end();
        let sep = if line.starts_with("/**") || line.starts_with(" *") {
            ""
        } else {
            ";"
        };
        let _ = writeln!(out, "  {line}{sep}");
    }
    out.push_str("};");
    out
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(
        out,
        "// ---- {title} {}\n",
        "-".repeat(80 - 9 - title.len())
    );
}

/// The whole generated file.
pub fn declarations() -> String {
    let cfg = &config();
    let mut out = String::from(
        "// GENERATED from the Rust model by src/typescript.rs: do not edit.\n\
         // Regenerate with `STOCKROUTE_UPDATE_TYPES=1 cargo test --lib typescript`;\n\
         // `cargo test` fails while this file differs from the model.\n\n",
    );
    section(&mut out, "decimals");
    out.push_str(
        "/** A decimal quantity as accepted in inputs: a JSON number or a numeric string (`2`, `2.5`, `\"2.5\"`).\n \
         * Read exactly: more than 28 decimal places, `NaN`, `\"1_0\"` or `\"\"` are errors, never rounded. */\n\
         export type DecimalInput = number | string;\n\n\
         /** A decimal quantity as returned in outputs: always a string, e.g. `\"2.5\"`. */\n\
         export type Decimal = string;\n\n\
         /** Free-form JSON attributes on orders and products. */\n\
         export type Attributes = Record<string, unknown>;\n\n",
    );

    section(&mut out, "inventory (input)");
    push::<WarehouseKind>(&mut out, cfg);
    push::<Location>(&mut out, cfg);
    push::<Forward>(&mut out, cfg);
    push::<SalesSource>(&mut out, cfg);
    push::<ReplenishTerms>(&mut out, cfg);
    push::<ConsignmentTerms>(&mut out, cfg);
    push::<Supplier>(&mut out, cfg);
    push::<Document>(&mut out, cfg);
    push::<CapacityMode>(&mut out, cfg);
    push::<Capacity>(&mut out, cfg);
    push::<Warehouse>(&mut out, cfg);
    push::<StockStatus>(&mut out, cfg);
    push::<StockRow>(&mut out, cfg);
    push::<Channel>(&mut out, cfg);
    push::<Product>(&mut out, cfg);
    push::<Reservation>(&mut out, cfg);
    push::<Inventory>(&mut out, cfg);

    section(&mut out, "orders (input)");
    push::<CustomerType>(&mut out, cfg);
    push::<Customer>(&mut out, cfg);
    push::<Address>(&mut out, cfg);
    push::<OrderLine>(&mut out, cfg);
    push::<Order>(&mut out, cfg);

    section(&mut out, "plans (output)");
    push::<PlanStatus>(&mut out, cfg);
    push::<PlanLine>(&mut out, cfg);
    push::<Shipment>(&mut out, cfg);
    push::<Hold>(&mut out, cfg);
    push::<TraceEntry>(&mut out, cfg);
    push::<Plan>(&mut out, cfg);
    out.push_str(
        "/** The routing decision for one order: held plans carry `hold` (every line, in full),\n \
         * the others never do. */\n\
         export type Plan = PlanCommon & (\n  \
         | { status: \"held\"; hold: Hold }\n  \
         | { status: Exclude<PlanStatus, \"held\">; hold?: never }\n);\n\n",
    );

    section(&mut out, "availability (output)");
    push::<WarehouseContribution>(&mut out, cfg);
    push::<SkuAvailability>(&mut out, cfg);
    push::<Availability>(&mut out, cfg);

    section(&mut out, "live stock (ledger operations, per-call options)");
    push::<StockUpdate>(&mut out, cfg);
    push::<StockState>(&mut out, cfg);
    push::<StockChange>(&mut out, cfg);
    push::<crate::router::RouteOptions>(&mut out, cfg);
    push::<crate::router::BatchOptions>(&mut out, cfg);

    section(&mut out, "manual routing, checked (validate)");
    push::<ManualLine>(&mut out, cfg);
    push::<ManualShipment>(&mut out, cfg);
    push::<ManualPlan>(&mut out, cfg);
    push::<crate::router::ValidateOptions>(&mut out, cfg);
    push::<Validation>(&mut out, cfg);

    section(&mut out, "replenishment proposals (consignment)");
    {
        use crate::consignment::replenish::*;
        push::<ReplenishOptions>(&mut out, cfg);
        push::<SalesWindow>(&mut out, cfg);
        push::<SalesFrom>(&mut out, cfg);
        push::<RuleDecision>(&mut out, cfg);
        push::<Proposal>(&mut out, cfg);
        push::<OwnStock>(&mut out, cfg);
        push::<Skipped>(&mut out, cfg);
        push::<Replenishment>(&mut out, cfg);
    }

    section(&mut out, "rule test cases (runCase)");
    push::<crate::cases::CaseOutcome>(&mut out, cfg);

    section(&mut out, "errors and diagnostics");
    let _ = write!(
        out,
        "/** Stable error codes; match on these, never on message text. `internal` is a\n \
         * WebAssembly trap (an engine bug): the JavaScript wrapper rebuilds the instance. */\n\
         export type ErrorCode = {};\n\n",
        union(crate::error::code::ALL)
    );
    let _ = write!(
        out,
        "/** The hooks a rule set can define. */\nexport type HookName = {};\n\n",
        union(crate::rules::Hook::ALL.iter().map(|h| h.name()))
    );
    push::<crate::error::Severity>(&mut out, cfg);
    push::<Diagnostic>(&mut out, cfg);
    out.push_str(
        "/** The error object thrown by the WebAssembly side and found in failed `routeBatch`\n \
         * entries: the primary diagnostic's fields at top level (`message` with rule, position\n \
         * and hook prepended), plus every diagnostic. `StockrouteError` copies these fields. */\n\
         export type ErrorDetails = Omit<Diagnostic, \"severity\"> & {\n  \
         severity?: Severity;\n  \
         /** Every diagnostic, primary first. */\n  \
         diagnostics: Array<Diagnostic>;\n};\n\n",
    );

    section(&mut out, "rules and options");
    let mut limits = String::new();
    push::<mirror::Limits>(&mut limits, cfg);
    // The allowed ranges come from the engine's own table.
    for (key, low, high) in crate::rules::Limits::RANGES {
        limits = limits.replace(
            &format!("   */\n  {key}?: number;"),
            &format!("   * Allowed: {low} to {high}.\n   */\n  {key}?: number;"),
        );
    }
    out.push_str(&limits);
    push::<mirror::Execution>(&mut out, cfg);
    push::<mirror::RouterOptions>(&mut out, cfg);
    push::<mirror::FunctionInfo>(&mut out, cfg);
    push::<mirror::HookModeName>(&mut out, cfg);
    push::<mirror::HookModeInfo>(&mut out, cfg);
    push::<mirror::CheckReport>(&mut out, cfg);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeSet;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/js/types.d.ts");

    #[test]
    fn declarations_are_up_to_date() {
        let generated = declarations();
        if std::env::var_os("STOCKROUTE_UPDATE_TYPES").is_some() {
            std::fs::write(PATH, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        if committed != generated {
            let line = committed
                .lines()
                .zip(generated.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(committed.lines().count().min(generated.lines().count()));
            panic!(
                "js/types.d.ts differs from the Rust model (first at line {}):\n  committed: {:?}\n  generated: {:?}\nrun `STOCKROUTE_UPDATE_TYPES=1 cargo test --lib typescript` and commit the result",
                line + 1,
                committed.lines().nth(line),
                generated.lines().nth(line)
            );
        }
    }

    fn keys<T: Serialize>(value: &T) -> BTreeSet<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(m) => m.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn mirrors_match_the_real_types() {
        let all = mirror::Limits {
            max_operations: Some(1),
            max_order_operations: Some(1),
            max_trace_notes: Some(1),
            max_trace_bytes: Some(1),
            max_call_levels: Some(1),
            max_expr_depth: Some(1),
            max_function_expr_depth: Some(1),
            max_string_size: Some(1),
            max_array_size: Some(1),
            max_map_size: Some(1),
            max_variables: Some(1),
        };
        assert_eq!(keys(&crate::rules::Limits::default()), keys(&all));
        let ranged: BTreeSet<String> = crate::rules::Limits::RANGES
            .iter()
            .map(|(key, ..)| key.to_string())
            .collect();
        assert_eq!(ranged, keys(&all));
        let options = mirror::RouterOptions {
            name: Some(String::new()),
            limits: Some(all),
            trace: Some(true),
            execution: Some(mirror::Execution::Compiled),
        };
        for (real, mirrored) in [
            (
                crate::rules::Execution::Compiled,
                mirror::Execution::Compiled,
            ),
            (
                crate::rules::Execution::Interpreted,
                mirror::Execution::Interpreted,
            ),
        ] {
            assert_eq!(
                serde_json::to_value(real).unwrap(),
                serde_json::to_value(mirrored).unwrap()
            );
        }
        assert_eq!(keys(&crate::RouterOptions::default()), keys(&options));
        // Every field is optional in TypeScript, so `{}` must be accepted.
        let _: crate::RouterOptions = serde_json::from_str(r#"{"limits": {}}"#).unwrap();

        let report = crate::check("fn rank(o, w) { 1 }\nfn helper(x) { x }", None);
        assert_eq!(keys(&report), keys(&mirror::CheckReport::default()));
        let function = report.functions.first().expect("helper listed");
        assert_eq!(keys(function), keys(&mirror::FunctionInfo::default()));
        // Hook modes: compiled (no reason) and interpreted (with one).
        let report = crate::check(
            "fn rank(o, w) { 1 }\nfn split(o) { let x = [1]; x.sort(|a, b| a - b); #{} }",
            None,
        );
        let modes = serde_json::to_value(&report.modes).unwrap();
        assert_eq!(
            modes[0],
            serde_json::json!({"hook": "rank", "mode": "compiled"})
        );
        let interpreted = mirror::HookModeInfo {
            reason: Some(String::new()),
            ..Default::default()
        };
        let keys_of = |v: &serde_json::Value| -> BTreeSet<String> {
            v.as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        assert_eq!(keys_of(&modes[1]), keys(&interpreted));
        for (name, real) in [
            (mirror::HookModeName::Compiled, &modes[0]),
            (mirror::HookModeName::Interpreted, &modes[1]),
        ] {
            assert_eq!(serde_json::to_value(name).unwrap(), real["mode"]);
        }
        for hook in crate::rules::Hook::ALL {
            assert_eq!(serde_json::to_value(hook).unwrap(), hook.name());
        }
    }

    #[test]
    fn every_error_code_is_in_the_generated_union() {
        // `code::ALL` feeds `ErrorCode`; a code constant missing from it would be a code
        // TypeScript callers cannot match on.
        let source = include_str!("error.rs");
        let module = source
            .split("pub mod code {")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .unwrap();
        let declared: BTreeSet<&str> = module
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub const "))
            .filter(|l| l.contains(": &str = \""))
            .filter_map(|l| l.split('"').nth(1))
            .collect();
        let listed: BTreeSet<&str> = crate::error::code::ALL.into_iter().collect();
        assert_eq!(declared, listed);
        assert!(declared.len() >= 10);
    }

    #[test]
    fn held_plans_and_only_held_plans_have_a_hold() {
        // The `Plan` union promises this to TypeScript; the plan assembler guarantees it.
        let inventory: Inventory = serde_json::from_value(serde_json::json!({
            "warehouses": [{"id": "W", "kind": "own"}],
            "stock": [{"warehouse": "W", "sku": "A", "on_hand": 1}],
            "channels": [{"id": "web"}]
        }))
        .unwrap();
        let inventory = crate::PreparedInventory::new(inventory).unwrap();
        let order = |qty: u32| -> Order {
            serde_json::from_value(serde_json::json!({
                "id": "o", "channel": "web", "ship_to": {"country": "DE"},
                "lines": [{"id": "1", "sku": "A", "qty": qty}]
            }))
            .unwrap()
        };
        for (rules, qty, status) in [
            ("", 1, PlanStatus::Single),
            ("", 3, PlanStatus::Partial),
            (
                "fn split(o) { #{ unfulfillable: \"hold\" } }",
                3,
                PlanStatus::Held,
            ),
            (
                "fn eligible(o, w) { hold(\"check\"); true }",
                1,
                PlanStatus::Held,
            ),
        ] {
            let router = crate::Router::new(rules, crate::RouterOptions::default()).unwrap();
            let plan = router.route(&order(qty), &inventory).unwrap();
            assert_eq!(plan.status, status, "{rules}");
            assert_eq!(plan.hold.is_some(), status == PlanStatus::Held, "{plan:?}");
        }
    }
}
