//! The rule runtime: a sandboxed Rhai engine, compiled rule sets and typed hook calls.
//!
//! A [`RuleSet`] owns its own engine, AST and evaluation state: two rule sets in one
//! process share nothing. Hooks are called with read-only views of the order, warehouse and
//! channel (see [`convert`]) and their results are checked for type and range.

pub mod api;
pub(crate) mod convert;
pub(crate) mod diagnostics;
pub(crate) mod natives;

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::inventory::PreparedInventory;
use crate::model::TraceEntry;
use rhai::{CallFnOptions, Dynamic, Engine, FuncArgs, OptimizationLevel, Scope, AST};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// Sandbox limits for rule evaluation. The defaults stop a runaway rule within a few
/// milliseconds while leaving ordinary rules far below every limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Limits {
    /// Operations per hook call (each hook call starts from zero).
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_levels: usize,
    /// Expression nesting depth at top level.
    pub max_expr_depth: usize,
    /// Expression nesting depth inside functions.
    pub max_function_expr_depth: usize,
    /// Bytes in one string.
    pub max_string_size: usize,
    /// Elements in one array, nested arrays included.
    pub max_array_size: usize,
    /// Entries in one object map, nested maps included.
    pub max_map_size: usize,
    /// Variables in scope.
    pub max_variables: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 100_000,
            max_call_levels: 32,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_size: 64 * 1024,
            // Counted across nesting. Rhai measures and drops nested values recursively, so
            // these also bound how deep a rule can nest data before the native stack
            // (1 MiB by default in WebAssembly) would overflow.
            max_array_size: 2_000,
            max_map_size: 2_000,
            max_variables: 1_000,
        }
    }
}

/// The hooks a rule set can define, with their parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// `eligible(order, warehouse)` → bool.
    Eligible,
    /// `rank(order, warehouse)` → number or array of numbers, lower first.
    Rank,
    /// `split(order)` → split policy map.
    Split,
    /// `offer(channel, warehouse, sku, qty)` → quantity the channel may offer.
    Offer,
    /// `adjust(channel, sku, qty)` → final channel quantity.
    Adjust,
    /// `route(order, inventory)` → the whole plan.
    Route,
}

impl Hook {
    /// Every hook.
    pub const ALL: [Hook; 6] = [
        Hook::Eligible,
        Hook::Rank,
        Hook::Split,
        Hook::Offer,
        Hook::Adjust,
        Hook::Route,
    ];

    /// The function name in scripts.
    pub fn name(self) -> &'static str {
        match self {
            Hook::Eligible => "eligible",
            Hook::Rank => "rank",
            Hook::Split => "split",
            Hook::Offer => "offer",
            Hook::Adjust => "adjust",
            Hook::Route => "route",
        }
    }

    /// The parameter names, in order.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Hook::Eligible | Hook::Rank => &["order", "warehouse"],
            Hook::Split => &["order"],
            Hook::Offer => &["channel", "warehouse", "sku", "qty"],
            Hook::Adjust => &["channel", "sku", "qty"],
            Hook::Route => &["order", "inventory"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Per-call state the registered helpers (`note`, `hold`, `available`, ...) read and write.
/// Each rule set has its own, so merchants never see each other's data.
#[derive(Debug, Default)]
pub(crate) struct EvalState {
    pub inventory: Option<PreparedInventory>,
    pub hook: Option<Hook>,
    pub warehouse: Option<String>,
    pub notes: Vec<TraceEntry>,
    pub hold: Option<String>,
}

/// What `check` reports: diagnostics and the hooks a rule set defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    /// True when there is no error-severity diagnostic.
    pub ok: bool,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Names of the hooks defined, in [`Hook::ALL`] order.
    pub hooks: Vec<&'static str>,
    /// Other functions defined (helpers), with their parameter counts.
    pub functions: Vec<FunctionInfo>,
}

/// A non-hook function in a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionInfo {
    /// Function name.
    pub name: String,
    /// Number of parameters.
    pub params: usize,
}

/// A compiled rule set: compile once, evaluate for many orders.
pub struct RuleSet {
    name: Option<String>,
    source: String,
    engine: Engine,
    ast: AST,
    constants: RefCell<Scope<'static>>,
    hooks: [bool; 6],
    pub(crate) state: Rc<RefCell<EvalState>>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("name", &self.name)
            .field("hooks", &self.hook_names())
            .finish()
    }
}

fn build_engine(limits: &Limits, state: &Rc<RefCell<EvalState>>) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_function_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(limits.max_variables)
        // Typos in property names and variable names are errors, not silent `()`.
        .set_fail_on_invalid_map_property(true)
        .set_optimization_level(OptimizationLevel::Simple);
    engine.disable_symbol("eval");
    natives::register(&mut engine, state);
    engine
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Finds `fn name` in the source to give signature diagnostics a position.
fn fn_position(source: &str, name: &str) -> Option<(u32, u32, u32)> {
    for (i, line) in source.lines().enumerate() {
        let mut search = 0;
        while let Some(found) = line.get(search..).and_then(|s| s.find("fn ")) {
            let start = search + found;
            let rest = line.get(start + 3..).unwrap_or("").trim_start();
            if rest.starts_with(name)
                && rest
                    .get(name.len()..)
                    .is_some_and(|r| r.trim_start().starts_with('('))
            {
                let col = line.get(..start).map_or(0, |p| p.chars().count()) + 1;
                let col16 = line.get(..start).map_or(0, |p| p.encode_utf16().count()) + 1;
                return Some((
                    u32::try_from(i + 1).ok()?,
                    u32::try_from(col).ok()?,
                    u32::try_from(col16).ok()?,
                ));
            }
            search = start + 3;
        }
    }
    None
}

/// Rhai stops at the first syntax error. An editor wants them all, so each top-level
/// function (a line starting with `fn ` or `private fn `) is also compiled on its own, with
/// the other functions blanked out so line numbers stay put. Only runs when compiling failed.
fn every_syntax_error(engine: &mut Engine, source: &str, first: Diagnostic) -> Vec<Diagnostic> {
    let lines: Vec<&str> = source.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("fn ") || l.starts_with("private fn "))
        .map(|(i, _)| i)
        .collect();
    // Constants from the preamble (what comes before the first function), so that strict
    // mode can tell a constant from an undefined variable inside each function.
    let preamble = starts.first().copied().unwrap_or(lines.len());
    let mut scope = Scope::new();
    engine.set_strict_variables(false);
    if let Ok(ast) = engine.compile(lines.get(..preamble).unwrap_or(&[]).join("\n")) {
        // A preamble that fails to run is reported by the normal compile; ignore it here.
        let _ = engine.run_ast_with_scope(&mut scope, &ast);
    }
    engine.set_strict_variables(true);
    let scope = scope;
    let mut found = vec![first];
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let text: String = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i < preamble || (start..end).contains(&i) {
                    *l
                } else {
                    ""
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        if let Err(e) = engine.compile_with_scope(&scope, &text) {
            let d = diagnostics::parse_error(source, &e);
            if !found
                .iter()
                .any(|f| (f.line, f.column, &f.message) == (d.line, d.column, &d.message))
            {
                found.push(d);
            }
        }
    }
    found.sort_by_key(|d| (d.line, d.column));
    found
}

impl RuleSet {
    /// Compiles a rule set. `name` (usually the file name) is attached to every diagnostic.
    pub fn compile(source: &str, name: Option<&str>, limits: &Limits) -> Result<Self> {
        let report = Self::analyse(source, name, limits);
        match report {
            Ok((rs, report)) if report.ok => Ok(rs),
            Ok((_, report)) => Err(StockrouteError::from_diagnostics(
                report
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity == crate::error::Severity::Error)
                    .collect(),
            )),
            Err(e) => Err(e),
        }
    }

    /// Reports every diagnostic of a rule set without evaluating any hook.
    pub fn check(source: &str, name: Option<&str>, limits: &Limits) -> CheckReport {
        match Self::analyse(source, name, limits) {
            Ok((_, report)) => report,
            Err(e) => CheckReport {
                ok: false,
                diagnostics: e.diagnostics,
                hooks: Vec::new(),
                functions: Vec::new(),
            },
        }
    }

    fn analyse(source: &str, name: Option<&str>, limits: &Limits) -> Result<(Self, CheckReport)> {
        let state = Rc::new(RefCell::new(EvalState::default()));
        let mut engine = build_engine(limits, &state);
        let label = |mut d: Diagnostic| {
            d.rule = name.map(str::to_string);
            d
        };
        // Pass 1 (lenient) evaluates top-level constants so that functions may use them;
        // pass 2 compiles in strict mode against those constants, so an undefined variable
        // anywhere is a compile error rather than a surprise on some order.
        let syntax = |engine: &mut Engine, e: &rhai::ParseError| {
            StockrouteError::from_diagnostics(
                every_syntax_error(engine, source, diagnostics::parse_error(source, e))
                    .into_iter()
                    .map(label)
                    .collect(),
            )
        };
        let loose = match engine.compile(source) {
            Ok(ast) => ast,
            Err(e) => return Err(syntax(&mut engine, &e)),
        };
        let mut constants = Scope::new();
        engine
            .run_ast_with_scope(&mut constants, &loose)
            .map_err(|e| label(diagnostics::eval_error(source, &e)))?;
        engine.set_strict_variables(true);
        let ast = match engine.compile_with_scope(&constants, source) {
            Ok(ast) => ast,
            Err(e) => return Err(syntax(&mut engine, &e)),
        };

        let mut hooks = [false; 6];
        let mut diagnostics = Vec::new();
        let mut functions = Vec::new();
        for f in ast.iter_functions() {
            match Hook::ALL.iter().find(|h| h.name() == f.name) {
                Some(hook) => {
                    let expected = hook.params();
                    if f.params.len() == expected.len() {
                        if let Some(slot) = hooks.get_mut(hook.index()) {
                            *slot = true;
                        }
                    } else {
                        let mut d = Diagnostic::new(
                            code::RULE_SIGNATURE,
                            format!(
                                "hook `{}` takes {} parameter{} ({}), found {}",
                                hook.name(),
                                expected.len(),
                                if expected.len() == 1 { "" } else { "s" },
                                expected.join(", "),
                                f.params.len()
                            ),
                        )
                        .with_help(format!(
                            "define it as `fn {}({})`",
                            hook.name(),
                            expected.join(", ")
                        ))
                        .with_hook(hook.name());
                        d.set_position(fn_position(source, f.name));
                        diagnostics.push(label(d));
                    }
                }
                None => {
                    functions.push(FunctionInfo {
                        name: f.name.to_string(),
                        params: f.params.len(),
                    });
                    if let Some(hook) = Hook::ALL
                        .iter()
                        .find(|h| edit_distance(h.name(), f.name) <= 2 && f.name.len() > 3)
                    {
                        let mut d = Diagnostic::new(
                            code::RULE_SIGNATURE,
                            format!(
                                "function `{}` is not a hook and is never called by the engine",
                                f.name
                            ),
                        )
                        .with_help(format!("did you mean `{}`?", hook.name()))
                        .warning();
                        d.set_position(fn_position(source, f.name));
                        diagnostics.push(label(d));
                    }
                }
            }
        }
        diagnostics.sort_by_key(|d| (d.line, d.column));
        let ok = !diagnostics
            .iter()
            .any(|d| d.severity == crate::error::Severity::Error);
        let rule_set = RuleSet {
            name: name.map(str::to_string),
            source: source.to_string(),
            engine,
            ast,
            constants: RefCell::new(constants),
            hooks,
            state,
        };
        let report = CheckReport {
            ok,
            diagnostics,
            hooks: rule_set.hook_names(),
            functions,
        };
        Ok((rule_set, report))
    }

    /// The rule set's name, if given.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether a hook is defined.
    pub fn has(&self, hook: Hook) -> bool {
        self.hooks.get(hook.index()).copied().unwrap_or(false)
    }

    /// Names of the defined hooks.
    pub fn hook_names(&self) -> Vec<&'static str> {
        Hook::ALL
            .iter()
            .filter(|h| self.has(**h))
            .map(|h| h.name())
            .collect()
    }

    /// Starts an evaluation: clears notes and hold, installs the inventory for helpers.
    pub(crate) fn begin(&self, inventory: &PreparedInventory) {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.inventory = Some(inventory.clone());
            s.notes.clear();
            s.hold = None;
            s.hook = None;
            s.warehouse = None;
        }
    }

    /// Ends an evaluation, returning notes and hold reason and releasing the inventory.
    pub(crate) fn finish(&self) -> (Vec<TraceEntry>, Option<String>) {
        match self.state.try_borrow_mut() {
            Ok(mut s) => {
                s.inventory = None;
                (std::mem::take(&mut s.notes), s.hold.take())
            }
            Err(_) => (Vec::new(), None),
        }
    }

    /// Takes the trace notes written by helpers since the last call.
    pub(crate) fn take_notes(&self) -> Vec<TraceEntry> {
        self.state
            .try_borrow_mut()
            .map(|mut s| std::mem::take(&mut s.notes))
            .unwrap_or_default()
    }

    /// Calls a hook. The error is labelled with rule name, hook and innermost position.
    pub(crate) fn call(
        &self,
        hook: Hook,
        warehouse: Option<&str>,
        args: impl FuncArgs,
    ) -> Result<Dynamic> {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.hook = Some(hook);
            s.warehouse = warehouse.map(str::to_string);
        }
        let mut scope = self.constants.try_borrow_mut().map_err(|_| {
            StockrouteError::from(self.label(Diagnostic::new(
                code::RULE_RUNTIME,
                "rule set re-entered while evaluating".to_string(),
            )))
        })?;
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        self.engine
            .call_fn_with_options::<Dynamic>(options, &mut scope, &self.ast, hook.name(), args)
            .map_err(|e| {
                let mut d = self.label(diagnostics::eval_error(&self.source, &e));
                d.hook = Some(hook.name().to_string());
                if d.line.is_none() {
                    // Rhai drops the position of limit errors as they unwind through calls;
                    // point at the hook so the editor still underlines something useful.
                    d.set_position(fn_position(&self.source, hook.name()));
                }
                if let Some(w) = warehouse {
                    d.warehouse = Some(w.to_string());
                }
                StockrouteError::from(d)
            })
    }

    /// Attaches the rule name to a diagnostic.
    pub(crate) fn label(&self, mut d: Diagnostic) -> Diagnostic {
        if d.rule.is_none() {
            d.rule = self.name.clone();
        }
        d
    }

    /// A wrong-return-type diagnostic for a hook.
    pub(crate) fn return_error(
        &self,
        hook: Hook,
        expected: &str,
        got: &Dynamic,
        warehouse: Option<&str>,
    ) -> Diagnostic {
        let mut d = self.label(
            Diagnostic::new(
                code::RULE_RETURN,
                format!(
                    "`{}` must return {expected}, got {}",
                    hook.name(),
                    type_name(got)
                ),
            )
            .with_hook(hook.name()),
        );
        d.warehouse = warehouse.map(str::to_string);
        d.set_position(fn_position(&self.source, hook.name()));
        d
    }

    /// Position of a hook's definition, for diagnostics about what it returned.
    pub(crate) fn hook_position(&self, hook: Hook) -> Option<(u32, u32, u32)> {
        fn_position(&self.source, hook.name())
    }
}

/// A script-facing type name for messages.
pub(crate) fn type_name(v: &Dynamic) -> String {
    if v.is_unit() {
        "nothing (`()`); is a `return` missing?".to_string()
    } else if v.is_string() {
        format!("string `{v}`")
    } else if v.is_map() {
        "a map".into()
    } else if v.is_array() {
        "an array".into()
    } else {
        match v.type_name() {
            "i64" => format!("integer `{v}`"),
            "decimal" | "rust_decimal::Decimal" => format!("decimal `{v}`"),
            "bool" => format!("bool `{v}`"),
            other => other.to_string(),
        }
    }
}

/// Reads a number (integer or decimal) from a script value.
pub(crate) fn as_decimal(v: &Dynamic) -> Option<Decimal> {
    if let Ok(i) = v.as_int() {
        return Some(Decimal::from(i));
    }
    v.clone().try_cast::<Decimal>()
}
