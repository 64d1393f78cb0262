//! The rule runtime: merchant rules written in Rhai, answering the engine's questions
//! through [`Hooks`].
//!
//! A [`RuleSet`] owns its own engine, AST and constants: two rule sets in one process share
//! nothing, and nothing a hook does survives its call. Top-level `let` is refused (it would
//! carry state from one order to the next); constants are read-only; hooks see the model
//! through read-only views (see [`views`]). Every call runs against the caller's [`Run`]:
//! its operation budget, its note caps, its hold request.

pub mod api;
pub mod compiled;
pub(crate) mod diagnostics;
pub(crate) mod lint;
pub(crate) mod natives;
pub(crate) mod read;
pub(crate) mod sandbox;
pub(crate) mod schema;
#[doc(hidden)]
pub mod testing;
pub(crate) mod value;
pub(crate) mod views;

use crate::consignment::replenish::Proposal;
use crate::error::{code, Diagnostic, Result, Severity, StockrouteError};
use crate::hooks::{Hooks, OrderInput, PlanDraft, RankKey, ReplenishAnswer, Run};
use crate::inventory::PreparedInventory;
use crate::routing::policy::SplitPolicy;
use natives::CallState;
use rhai::{CallFnOptions, Dynamic, Engine, FuncArgs, Scope, AST};
use rust_decimal::Decimal;
use schema::Obj;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use views::Shared;

pub use crate::hooks::Hook;

/// Sandbox limits for rule evaluation. The defaults stop a runaway rule within a few
/// milliseconds while leaving ordinary rules far below every limit. Every limit has a
/// documented range ([`Limits::RANGES`]); no value switches a limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    /// Operations per hook call (each hook call starts from zero).
    pub max_operations: u64,
    /// Operations of all hook calls for one order (or one availability computation).
    pub max_order_operations: u64,
    /// Nested function calls.
    pub max_call_levels: u64,
    /// Expression nesting depth at top level.
    pub max_expr_depth: u64,
    /// Expression nesting depth inside functions.
    pub max_function_expr_depth: u64,
    /// Bytes in one string.
    pub max_string_size: u64,
    /// Elements in one array, nested arrays included.
    pub max_array_size: u64,
    /// Entries in one object map, nested maps included.
    pub max_map_size: u64,
    /// Variables in scope.
    pub max_variables: u64,
    /// Notes (`note`, `print`, `debug`, `hold`) in one plan's trace.
    pub max_trace_notes: u64,
    /// Bytes of note text in one plan's trace.
    pub max_trace_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 100_000,
            max_order_operations: 1_000_000,
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
            max_trace_notes: 1_000,
            max_trace_bytes: 1024 * 1024,
        }
    }
}

impl Limits {
    /// Each limit's option name and allowed range (inclusive).
    pub const RANGES: [(&'static str, u64, u64); 11] = [
        ("maxOperations", 1, 10_000_000),
        ("maxOrderOperations", 1, 100_000_000),
        ("maxCallLevels", 1, 64),
        ("maxExprDepth", 1, 128),
        ("maxFunctionExprDepth", 1, 64),
        ("maxStringSize", 1, 1024 * 1024),
        ("maxArraySize", 1, 10_000),
        ("maxMapSize", 1, 10_000),
        ("maxVariables", 1, 10_000),
        ("maxTraceNotes", 0, 10_000),
        ("maxTraceBytes", 0, 16 * 1024 * 1024),
    ];

    fn values(&self) -> [u64; 11] {
        [
            self.max_operations,
            self.max_order_operations,
            self.max_call_levels,
            self.max_expr_depth,
            self.max_function_expr_depth,
            self.max_string_size,
            self.max_array_size,
            self.max_map_size,
            self.max_variables,
            self.max_trace_notes,
            self.max_trace_bytes,
        ]
    }

    /// Checks every limit against its range; one `options.invalid` diagnostic per limit out
    /// of range, naming it.
    pub fn validate(&self) -> Result<()> {
        let errors: Vec<Diagnostic> = Self::RANGES
            .iter()
            .zip(self.values())
            .filter(|((_, min, max), v)| v < min || v > max)
            .map(|((name, min, max), v)| {
                Diagnostic::new(
                    code::OPTIONS_INVALID,
                    format!("`limits.{name}` must be between {min} and {max}, got `{v}`"),
                )
                .with_path(format!("limits.{name}"))
                .with_help("every limit has a range; none can be switched off")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StockrouteError::from_diagnostics(errors))
        }
    }

    /// The caps of one run.
    pub(crate) fn run(&self) -> crate::hooks::RunLimits {
        crate::hooks::RunLimits {
            operations: self.max_order_operations,
            notes: usize::try_from(self.max_trace_notes).unwrap_or(usize::MAX),
            note_bytes: usize::try_from(self.max_trace_bytes).unwrap_or(usize::MAX),
        }
    }
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
    /// How each defined hook runs: compiled, or interpreted and why.
    pub modes: Vec<HookModeInfo>,
}

/// How one hook runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookModeInfo {
    /// The hook's name.
    pub hook: &'static str,
    /// Compiled, or interpreted with the reason.
    #[serde(flatten)]
    pub mode: compiled::HookMode,
}

/// A non-hook function in a rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionInfo {
    /// Function name.
    pub name: String,
    /// Number of parameters.
    pub params: usize,
}

/// How hooks run: compiled to closures where they can be (the default), or all on the Rhai
/// interpreter (the reference semantics; for comparison and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Execution {
    /// Compiled where possible; each hook that cannot be compiled runs interpreted.
    #[default]
    Compiled,
    /// Every hook on the interpreter.
    Interpreted,
}

/// Most diagnostics one `check` reports: a broken file gives a readable list, not megabytes.
pub const MAX_DIAGNOSTICS: usize = 100;

/// A compiled rule set: compile once, answer for many orders.
pub struct RuleSet {
    name: Option<String>,
    source: String,
    engine: Engine,
    ast: AST,
    constants: RefCell<Scope<'static>>,
    hooks: [bool; Hook::COUNT],
    positions: [Option<(u32, u32, u32)>; Hook::COUNT],
    warnings: Vec<Diagnostic>,
    /// State of the call in progress, read and written by the helpers; empty between calls.
    call: Rc<RefCell<CallState>>,
    /// Operations the call in progress may still use (the run's budget).
    budget: Rc<Cell<u64>>,
    /// Operations the call in progress has used.
    used: Rc<Cell<u64>>,
    /// The hooks compiled to closures (see [`compiled`]).
    program: compiled::Program,
    limits: Limits,
    /// Calls answered by compiled code, and compiled calls that bailed out to the
    /// interpreter (for `stats` and the differential tests).
    compiled_calls: Cell<u64>,
    fallbacks: Cell<u64>,
    /// `eligible` (or a function it calls) reads `warehouse.period_ended`.
    decides_period_end: bool,
    /// Answers of pure hooks reused across orders (see [`compiled::cache`]).
    eligible_cache: RefCell<compiled::cache::HookCache<bool>>,
    rank_cache: RefCell<compiled::cache::HookCache<RankKey>>,
    split_cache: RefCell<compiled::cache::HookCache<SplitPolicy>>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("name", &self.name)
            .field("hooks", &self.hook_names())
            .finish()
    }
}

fn as_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

fn build_engine(
    limits: &Limits,
    call: &Rc<RefCell<CallState>>,
    budget: &Rc<Cell<u64>>,
    used: &Rc<Cell<u64>>,
) -> Engine {
    let mut engine = sandbox::engine(limits, budget, used);
    views::register(&mut engine);
    natives::register(&mut engine, call);
    engine
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

/// The candidate closest to `name` within a small edit distance, for "did you mean".
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    // One name the start of the other counts as close too (`prio` → `priority`).
    let limit = if name.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .filter(|c| *c != name)
        .filter_map(|c| {
            let d = edit_distance(name, c);
            let prefix = name.len() >= 3 && (c.starts_with(name) || name.starts_with(c));
            (d <= limit || prefix).then_some((d.min(limit + 1), c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
/// function (a line starting with `fn ` or `private fn `) is also compiled on its own, after
/// the preamble (what precedes the first function: constants), and its positions shifted
/// back. Linear in the source: each line is compiled at most twice. Only runs when
/// compiling failed; at most [`MAX_DIAGNOSTICS`] are reported.
fn every_syntax_error(engine: &mut Engine, source: &str, first: Diagnostic) -> Vec<Diagnostic> {
    let lines: Vec<&str> = source.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("fn ") || l.starts_with("private fn "))
        .map(|(i, _)| i)
        .collect();
    let preamble_end = starts.first().copied().unwrap_or(lines.len());
    let preamble = lines.get(..preamble_end).unwrap_or(&[]).join("\n");
    // Constants from the preamble, so strict mode can tell a constant from an undefined
    // variable inside each function.
    let mut scope = Scope::new();
    engine.set_strict_variables(false);
    let preamble_ok = match engine.compile(&preamble) {
        // A preamble that fails to run is reported by the normal compile; ignore it here.
        Ok(ast) => engine.run_ast_with_scope(&mut scope, &ast).is_ok(),
        Err(_) => false,
    };
    // When the constants themselves are broken, a function using one is not a second
    // mistake: look for syntax errors only.
    engine.set_strict_variables(preamble_ok);
    let scope = scope;
    let mut found = vec![first];
    for (k, &start) in starts.iter().enumerate() {
        if found.len() >= MAX_DIAGNOSTICS {
            break;
        }
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let text = lines.get(start..end).unwrap_or(&[]).join("\n");
        if let Err(e) = engine.compile_with_scope(&scope, &text) {
            let mut d = diagnostics::parse_error(&text, &e);
            if let Some(line) = d.line.as_mut() {
                *line = line.saturating_add(u32::try_from(start).unwrap_or(u32::MAX));
            }
            if !found
                .iter()
                .any(|f| (f.line, f.column, &f.message) == (d.line, d.column, &d.message))
            {
                found.push(d);
            }
        }
    }
    engine.set_strict_variables(true);
    found.sort_by_key(|d| (d.line, d.column));
    found.truncate(MAX_DIAGNOSTICS);
    found
}

/// Top-level `let` would keep its value from one order to the next: refuse it.
fn top_level_lets(ast: &AST, source: &str) -> Vec<Diagnostic> {
    use rhai::{ASTFlags, Stmt};
    ast.statements()
        .iter()
        .filter_map(|stmt| match stmt {
            Stmt::Var(x, flags, pos) if !flags.intersects(ASTFlags::CONSTANT) => {
                let name = x.0.name.as_str();
                let d = Diagnostic::new(
                    code::RULE_SYNTAX,
                    format!("top-level `let {name}` would keep state from one order to the next"),
                )
                .with_help(format!(
                    "use `const {name} = …` for a value every order shares, or move the `let` into the hook that needs it"
                ));
                Some(diagnostics::at(d, source, *pos))
            }
            _ => None,
        })
        .collect()
}

impl RuleSet {
    /// Compiles a rule set. `name` (usually the file name) is attached to every diagnostic.
    pub fn compile(source: &str, name: Option<&str>, limits: &Limits) -> Result<Self> {
        Self::compile_with(source, name, limits, Execution::Compiled)
    }

    /// Compiles a rule set choosing how hooks run (see [`Execution`]).
    pub fn compile_with(
        source: &str,
        name: Option<&str>,
        limits: &Limits,
        execution: Execution,
    ) -> Result<Self> {
        limits.validate()?;
        let (rules, report) = Self::analyse(source, name, limits, execution)?;
        if report.ok {
            Ok(rules)
        } else {
            Err(StockrouteError::from_diagnostics(
                report
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
            ))
        }
    }

    /// Reports every diagnostic of a rule set without evaluating any hook.
    pub fn check(source: &str, name: Option<&str>, limits: &Limits) -> CheckReport {
        match Self::analyse(source, name, limits, Execution::Compiled) {
            Ok((_, report)) => report,
            Err(e) => CheckReport {
                ok: false,
                diagnostics: e.diagnostics,
                hooks: Vec::new(),
                functions: Vec::new(),
                modes: Vec::new(),
            },
        }
    }

    fn analyse(
        source: &str,
        name: Option<&str>,
        limits: &Limits,
        execution: Execution,
    ) -> Result<(Self, CheckReport)> {
        let call = Rc::new(RefCell::new(CallState::default()));
        let budget = Rc::new(Cell::new(u64::MAX));
        let used = Rc::new(Cell::new(0));
        let mut engine = build_engine(limits, &call, &budget, &used);
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
        let lets = top_level_lets(&loose, source);
        if !lets.is_empty() {
            return Err(StockrouteError::from_diagnostics(
                lets.into_iter().map(label).collect(),
            ));
        }
        let mut constants = Scope::new();
        engine
            .run_ast_with_scope(&mut constants, &loose)
            .map_err(|e| label(diagnostics::eval_error(source, &e)))?;
        engine.set_strict_variables(true);
        let ast = match engine.compile_with_scope(&constants, source) {
            Ok(ast) => ast,
            Err(e) => return Err(syntax(&mut engine, &e)),
        };

        let mut hooks = [false; Hook::COUNT];
        let mut positions = [None; Hook::COUNT];
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
                        if let Some(slot) = positions.get_mut(hook.index()) {
                            *slot = fn_position(source, f.name);
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
                    if f.name.len() > 3 {
                        // Hook names are few and distinct: two edits (`rnak`, `eligable`) or
                        // a prefix (`elig`) is a misspelling, not a helper.
                        let near = Hook::ALL
                            .iter()
                            .map(|h| h.name())
                            .find(|h| edit_distance(h, f.name) <= 2)
                            .or_else(|| closest(f.name, Hook::ALL.iter().map(|h| h.name())));
                        if let Some(hook) = near {
                            let mut d = Diagnostic::new(
                                code::RULE_SIGNATURE,
                                format!(
                                    "function `{}` is not a hook and is never called by the engine",
                                    f.name
                                ),
                            )
                            .with_help(format!("did you mean `{hook}`?"))
                            .warning();
                            d.set_position(fn_position(source, f.name));
                            diagnostics.push(label(d));
                        }
                    }
                }
            }
        }
        for l in lint::lint(&ast) {
            let mut d = Diagnostic::new(l.code, l.message);
            d.help = l.help;
            d.hook = l.hook.map(|h| h.name().to_string());
            if !l.error {
                d = d.warning();
            }
            diagnostics.push(label(diagnostics::at(d, source, l.pos)));
        }
        diagnostics.sort_by_key(|d| (d.line, d.column));
        diagnostics.truncate(MAX_DIAGNOSTICS);
        let ok = !diagnostics.iter().any(|d| d.severity == Severity::Error);
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .cloned()
            .collect();
        let program = compiled::compile(&ast, &constants, execution == Execution::Interpreted);
        let decides_period_end = hooks.get(Hook::Eligible.index()).copied().unwrap_or(false)
            && reads_property(&ast, "period_ended");
        let rule_set = RuleSet {
            name: name.map(str::to_string),
            source: source.to_string(),
            engine,
            ast,
            constants: RefCell::new(constants),
            hooks,
            positions,
            warnings,
            call,
            budget,
            used,
            program,
            limits: *limits,
            compiled_calls: Cell::new(0),
            fallbacks: Cell::new(0),
            decides_period_end,
            eligible_cache: RefCell::new(compiled::cache::HookCache::default()),
            rank_cache: RefCell::new(compiled::cache::HookCache::default()),
            split_cache: RefCell::new(compiled::cache::HookCache::default()),
        };
        let report = CheckReport {
            ok,
            diagnostics,
            hooks: rule_set.hook_names(),
            functions,
            modes: rule_set
                .hook_modes()
                .into_iter()
                .map(|(h, mode)| HookModeInfo {
                    hook: h.name(),
                    mode,
                })
                .collect(),
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

    /// The warnings `check` reports for this rule set (compiling succeeded despite them).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Attaches the rule name to a diagnostic.
    pub(crate) fn label(&self, mut d: Diagnostic) -> Diagnostic {
        if d.rule.is_none() {
            d.rule = self.name.clone();
        }
        d
    }

    /// Labels a diagnostic with rule, hook and the hook's definition position.
    pub(crate) fn blame_hook(&self, hook: Hook, d: Diagnostic) -> Diagnostic {
        let mut d = self.label(d.with_hook(hook.name()));
        if d.line.is_none() {
            d.set_position(self.positions.get(hook.index()).copied().flatten());
        }
        d
    }

    /// The interpreter's shared view data for this run, built on first use.
    fn shared(
        &self,
        run: &mut Run,
        order: Option<OrderInput<'_>>,
        inv: &PreparedInventory,
    ) -> Rc<Shared> {
        if let Some(s) = run
            .scratch
            .as_ref()
            .and_then(|s| s.downcast_ref::<Rc<Shared>>())
        {
            return s.clone();
        }
        let shared = Rc::new(Shared {
            order: order.map(|o| o.order.clone()),
            inventory: inv.clone(),
            as_of: order.and_then(|o| o.as_of),
            proposal: None,
        });
        run.scratch = Some(Box::new(shared.clone()));
        shared
    }

    /// How each defined hook runs, and why a hook is interpreted.
    pub fn hook_modes(&self) -> Vec<(Hook, compiled::HookMode)> {
        Hook::ALL
            .iter()
            .filter_map(|h| Some((*h, self.program.modes.get(h.index())?.clone()?)))
            .collect()
    }

    /// Runs a hook's compiled code. `None` when the hook is not compiled or the call bailed
    /// out (or `read` declines the result): then the interpreter answers. On success the
    /// run is charged the call's operations and gets its notes and hold request.
    fn compiled<'a, T>(
        &'a self,
        run: &mut Run,
        hook: Hook,
        ctx: value::Ctx<'a>,
        warehouse: Option<usize>,
        args: compiled::calls::Args<'a>,
        read: impl FnOnce(&value::Value<'a>) -> Option<Result<T>>,
    ) -> Option<Result<T>> {
        let index = self.program.hook(hook)?;
        let l = &self.limits;
        let caps = compiled::Caps {
            operations: l.max_operations.min(run.operations_left()),
            // Rhai counts a level for the call and one for the function; the compiled code
            // hands deep recursion to the interpreter early.
            call_levels: as_usize(l.max_call_levels) / 2,
            array: as_usize(l.max_array_size),
            map: as_usize(l.max_map_size),
            string: as_usize(l.max_string_size),
            variables: as_usize(l.max_variables).saturating_sub(self.constants_len()),
            notes: run.notes_left(),
            note_bytes: run.note_bytes_left(),
        };
        let mut frame = compiled::Frame::new(&self.program.funcs, ctx, caps, hook, warehouse);
        let bail = || {
            self.fallbacks.set(self.fallbacks.get() + 1);
        };
        let Ok(value) = self.program.call(&mut frame, index, args) else {
            bail();
            return None;
        };
        let Some(answer) = read(&value) else {
            bail();
            return None;
        };
        self.compiled_calls.set(self.compiled_calls.get() + 1);
        run.charge(frame.used());
        for note in frame.notes {
            // Capped by the frame against the same run.
            let _ = run.note(note);
        }
        if let Some(reason) = frame.hold {
            run.request_hold(hook, reason);
        }
        Some(answer)
    }

    /// (calls answered by compiled code, compiled calls handed to the interpreter).
    pub fn stats(&self) -> (u64, u64) {
        (self.compiled_calls.get(), self.fallbacks.get())
    }

    /// [`Self::compiled`] for a pure hook, reusing its answer for the same warehouse and the
    /// same values of the order fields it reads. The run is charged the operations the call
    /// counted when it was computed, so budgets behave as if it ran again.
    fn cached<'a, T: Clone>(
        &'a self,
        cache: &RefCell<compiled::cache::HookCache<T>>,
        run: &mut Run,
        (hook, warehouse): (Hook, Option<usize>),
        order: OrderInput<'a>,
        args: compiled::calls::Args<'a>,
        read: impl FnOnce(&value::Value<'a>) -> Option<Result<T>>,
    ) -> Option<Result<T>> {
        let paths = self
            .program
            .cache_paths
            .get(hook.index())
            .and_then(Option::as_ref);
        let stamp = order.inventory.stamp();
        let slot = match hook {
            Hook::Rank => 1,
            Hook::Split => 2,
            _ => 0,
        };
        let at = warehouse.unwrap_or(0);
        let row = match (paths, cache.try_borrow_mut()) {
            (Some(paths), Ok(mut c)) if c.enabled() => {
                match run.memo.get(slot).copied().flatten() {
                    Some(row) if c.valid(stamp, row) => Some(row),
                    _ => compiled::cache::key(ctx(order), paths).map(|k| {
                        let row = c.row(stamp, k);
                        if let Some(m) = run.memo.get_mut(slot) {
                            *m = Some(row);
                        }
                        row
                    }),
                }
            }
            _ => None,
        };
        if let Some(row) = row {
            let hit = cache.try_borrow_mut().ok().and_then(|mut c| c.get(row, at));
            if let Some((answer, ops)) = hit {
                if ops <= run.operations_left() && ops <= self.limits.max_operations {
                    run.charge(ops);
                    self.compiled_calls.set(self.compiled_calls.get() + 1);
                    return Some(Ok(answer));
                }
            }
        }
        let before = run.operations_used();
        let answer = self.compiled(run, hook, ctx(order), warehouse, args, read)?;
        if let (Some(row), Ok(a)) = (row, &answer) {
            let ops = run.operations_used() - before;
            if let Ok(mut c) = cache.try_borrow_mut() {
                c.put(row, at, a.clone(), ops);
            }
        }
        Some(answer)
    }

    fn constants_len(&self) -> usize {
        self.constants.try_borrow().map_or(0, |s| s.len())
    }

    /// Calls a hook on the interpreter against `run`: the run's remaining budget and note
    /// caps bound the call; its notes and hold request go to the run.
    fn call(
        &self,
        run: &mut Run,
        hook: Hook,
        warehouse: Option<usize>,
        shared: Rc<Shared>,
        args: impl FuncArgs,
    ) -> Result<Dynamic> {
        let warehouse_id = warehouse
            .and_then(|w| shared.inventory.warehouse(w))
            .map(|w| w.id.clone());
        match self.call.try_borrow_mut() {
            Ok(mut st) => {
                st.shared = Some(shared);
                st.hook = hook;
                st.warehouse = warehouse;
                st.notes.clear();
                st.hold = None;
                st.notes_left = run.notes_left();
                st.bytes_left = run.note_bytes_left();
            }
            Err(_) => {
                return Err(self
                    .label(Diagnostic::new(
                        code::RULE_RUNTIME,
                        "rule set re-entered while evaluating",
                    ))
                    .into())
            }
        }
        self.budget.set(run.operations_left());
        self.used.set(0);
        let result = match self.constants.try_borrow_mut() {
            Ok(mut scope) => {
                let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
                self.engine.call_fn_with_options::<Dynamic>(
                    options,
                    &mut scope,
                    &self.ast,
                    hook.name(),
                    args,
                )
            }
            Err(_) => {
                return Err(self
                    .label(Diagnostic::new(
                        code::RULE_RUNTIME,
                        "rule set re-entered while evaluating",
                    ))
                    .into())
            }
        };
        run.charge(self.used.get());
        if let Ok(mut st) = self.call.try_borrow_mut() {
            st.shared = None;
            for note in st.notes.drain(..) {
                // Pre-capped by the helpers against the same run: cannot fail.
                let _ = run.note(note);
            }
            if let Some(reason) = st.hold.take() {
                run.request_hold(hook, reason);
            }
        }
        result.map_err(|e| {
            let mut d = self.label(diagnostics::eval_error(&self.source, &e));
            d.hook = Some(hook.name().to_string());
            refine(&e, &mut d, run, &self.source);
            if d.line.is_none() {
                // Rhai drops the position of limit errors as they unwind through calls;
                // point at the hook so the editor still underlines something useful.
                d.set_position(self.positions.get(hook.index()).copied().flatten());
            }
            d.warehouse = warehouse_id;
            StockrouteError::from(d)
        })
    }
}

/// Our own words for the errors only this engine produces: the run's caps, and writes to
/// the read-only views.
fn refine(e: &rhai::EvalAltResult, d: &mut Diagnostic, run: &Run, source: &str) {
    use rhai::EvalAltResult as E;
    let mut inner = e;
    while let E::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    match inner {
        E::ErrorTerminated(token, _) if token.to_string() == natives::BUDGET_USED => {
            d.code = code::RULE_LIMIT;
            d.message = format!(
                "the order's operation budget is used up: all hook calls of one order may take at most {} operations",
                run.limits().operations
            );
            d.help = Some(
                "look for loops over many warehouses or lines in hooks; raise `limits.maxOrderOperations` if the work is legitimate".into(),
            );
        }
        E::ErrorTerminated(token, _) if token.to_string() == natives::NOTES_FULL => {
            d.code = code::RULE_LIMIT;
            d.message = format!(
                "the plan's trace is full: at most {} notes and {} bytes of note text per order",
                run.limits().notes,
                run.limits().note_bytes
            );
            d.help = Some(
                "a `note`, `print` or `debug` inside a loop? raise `limits.maxTraceNotes` or `limits.maxTraceBytes` if needed".into(),
            );
        }
        E::ErrorDotExpr(message, _) if message.starts_with("No writable property") => {
            let property = message.split('\'').nth(1).unwrap_or("?");
            d.message = format!(
                "cannot set `{property}`: orders, warehouses, channels and inventory are read-only in rules"
            );
            d.help = Some(
                "copy the value into a variable (`let x = warehouse.priority;`) and change that"
                    .into(),
            );
        }
        E::ErrorIndexingType(what, _) if what.contains("] =") => {
            d.message =
                "cannot set a field: orders, warehouses, channels and inventory are read-only in rules"
                    .into();
        }
        E::ErrorPropertyNotFound(property, pos) => {
            // On a view Rhai points at the dot; point at the property like on a map.
            if let (Some(line), Some(col)) = (pos.line(), pos.position()) {
                let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
                if text.chars().nth(col.saturating_sub(1)) == Some('.') {
                    d.set_position(diagnostics::position(
                        source,
                        rhai::Position::new(
                            u16::try_from(line).unwrap_or(u16::MAX),
                            u16::try_from(col + 1).unwrap_or(u16::MAX),
                        ),
                    ));
                }
            }
            let all = Obj::ALL
                .iter()
                .flat_map(|o| o.fields().iter().map(|f| f.name));
            if let Some(near) = closest(property, all) {
                d.help = Some(format!("did you mean `{near}`?"));
            }
        }
        _ => {}
    }
}

impl Hooks for RuleSet {
    fn defines(&self, hook: Hook) -> bool {
        self.has(hook)
    }

    fn eligible(&self, run: &mut Run, order: OrderInput<'_>, warehouse: usize) -> Result<bool> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Order, 0),
            value::Value::View(Obj::Warehouse, index(warehouse)),
        ];
        let read = |v: &value::Value<'_>| match v {
            value::Value::Bool(b) => Some(Ok(*b)),
            _ => None,
        };
        let cache = &self.eligible_cache;
        if let Some(answer) = self.cached(
            cache,
            run,
            (Hook::Eligible, Some(warehouse)),
            order,
            args,
            read,
        ) {
            return answer;
        }
        let shared = self.shared(run, Some(order), order.inventory);
        let o = views::view(&shared, Obj::Order, 0);
        let w = views::view(&shared, Obj::Warehouse, index(warehouse));
        let v = self.call(run, Hook::Eligible, Some(warehouse), shared, (o, w))?;
        self.read_bool(&v, warehouse_id(order.inventory, warehouse))
    }

    fn rank(&self, run: &mut Run, order: OrderInput<'_>, warehouse: usize) -> Result<RankKey> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Order, 0),
            value::Value::View(Obj::Warehouse, index(warehouse)),
        ];
        let cache = &self.rank_cache;
        if let Some(answer) = self.cached(
            cache,
            run,
            (Hook::Rank, Some(warehouse)),
            order,
            args,
            rank_key,
        ) {
            return answer;
        }
        let shared = self.shared(run, Some(order), order.inventory);
        let o = views::view(&shared, Obj::Order, 0);
        let w = views::view(&shared, Obj::Warehouse, index(warehouse));
        let v = self.call(run, Hook::Rank, Some(warehouse), shared, (o, w))?;
        self.read_rank(&v, warehouse_id(order.inventory, warehouse))
    }

    fn split(&self, run: &mut Run, order: OrderInput<'_>) -> Result<SplitPolicy> {
        let args = smallvec::smallvec![value::Value::View(Obj::Order, 0)];
        let read = |v: &value::Value<'_>| Some(self.read_split(&value::plain_dynamic(v)?));
        let cache = &self.split_cache;
        if let Some(answer) = self.cached(cache, run, (Hook::Split, None), order, args, read) {
            return answer;
        }
        let shared = self.shared(run, Some(order), order.inventory);
        let o = views::view(&shared, Obj::Order, 0);
        let v = self.call(run, Hook::Split, None, shared, (o,))?;
        self.read_split(&v)
    }

    fn route(&self, run: &mut Run, order: OrderInput<'_>) -> Result<PlanDraft> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Order, 0),
            value::Value::View(Obj::Inventory, 0),
        ];
        let read = |v: &value::Value<'_>| Some(self.read_route(&value::plain_dynamic(v)?));
        if let Some(answer) = self.compiled(run, Hook::Route, ctx(order), None, args, read) {
            return answer;
        }
        let shared = self.shared(run, Some(order), order.inventory);
        let o = views::view(&shared, Obj::Order, 0);
        let i = views::view(&shared, Obj::Inventory, 0);
        let v = self.call(run, Hook::Route, None, shared, (o, i))?;
        self.read_route(&v)
    }

    fn offer(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        channel: usize,
        warehouse: usize,
        sku: &str,
        qty: Decimal,
    ) -> Result<Decimal> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Channel, index(channel)),
            value::Value::View(Obj::Warehouse, index(warehouse)),
            value::Value::Str(sku),
            value::Value::Dec(qty),
        ];
        let c = value::Ctx {
            order: None,
            inventory,
            as_of: None,
            proposal: None,
        };
        if let Some(answer) = self.compiled(run, Hook::Offer, c, Some(warehouse), args, quantity) {
            return answer;
        }
        let shared = self.shared(run, None, inventory);
        let c = views::view(&shared, Obj::Channel, index(channel));
        let w = views::view(&shared, Obj::Warehouse, index(warehouse));
        let args = (c, w, sku.to_string(), qty);
        let v = self.call(run, Hook::Offer, Some(warehouse), shared, args)?;
        self.read_number(Hook::Offer, &v, warehouse_id(inventory, warehouse))
    }

    fn adjust(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        channel: usize,
        sku: &str,
        qty: Decimal,
    ) -> Result<Decimal> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Channel, index(channel)),
            value::Value::Str(sku),
            value::Value::Dec(qty),
        ];
        let c = value::Ctx {
            order: None,
            inventory,
            as_of: None,
            proposal: None,
        };
        if let Some(answer) = self.compiled(run, Hook::Adjust, c, None, args, quantity) {
            return answer;
        }
        let shared = self.shared(run, None, inventory);
        let c = views::view(&shared, Obj::Channel, index(channel));
        let v = self.call(run, Hook::Adjust, None, shared, (c, sku.to_string(), qty))?;
        self.read_number(Hook::Adjust, &v, None)
    }

    fn decides_period_end(&self) -> bool {
        self.decides_period_end
    }

    fn replenish(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        warehouse: usize,
        proposal: &Proposal,
    ) -> Result<ReplenishAnswer> {
        let args = smallvec::smallvec![
            value::Value::View(Obj::Warehouse, index(warehouse)),
            value::Value::Str(&proposal.sku),
            value::Value::View(Obj::Proposal, 0),
        ];
        let c = value::Ctx {
            order: None,
            inventory,
            as_of: None,
            proposal: Some(proposal),
        };
        let wid = warehouse_id(inventory, warehouse);
        let read = |v: &value::Value<'_>| Some(self.read_replenish(&value::plain_dynamic(v)?, wid));
        if let Some(answer) = self.compiled(run, Hook::Replenish, c, Some(warehouse), args, read) {
            return answer;
        }
        // One proposal per run: the view data is built for this call only.
        let shared = Rc::new(Shared {
            order: None,
            inventory: inventory.clone(),
            as_of: None,
            proposal: Some(proposal.clone()),
        });
        let w = views::view(&shared, Obj::Warehouse, index(warehouse));
        let p = views::view(&shared, Obj::Proposal, 0);
        let args = (w, proposal.sku.clone(), p);
        let v = self.call(run, Hook::Replenish, Some(warehouse), shared, args)?;
        self.read_replenish(&v, wid)
    }

    fn blame(&self, hook: Hook, diagnostic: Diagnostic) -> Diagnostic {
        self.blame_hook(hook, diagnostic)
    }
}

fn ctx<'a>(order: OrderInput<'a>) -> value::Ctx<'a> {
    value::Ctx {
        order: Some(order.order),
        inventory: order.inventory,
        as_of: order.as_of,
        proposal: None,
    }
}

/// A compiled rank result as a key; other values go to the interpreter for its error.
fn rank_key(v: &value::Value<'_>) -> Option<Result<RankKey>> {
    let one = |v: &value::Value<'_>| match v {
        value::Value::Int(i) => Some(Decimal::from(*i)),
        value::Value::Dec(d) => Some(*d),
        _ => None,
    };
    let mut key = RankKey::new();
    match v {
        value::Value::Array(items) => {
            for item in items.iter() {
                key.push(one(item)?);
            }
        }
        other => key.push(one(other)?),
    }
    Some(Ok(key))
}

fn quantity(v: &value::Value<'_>) -> Option<Result<Decimal>> {
    match v {
        value::Value::Int(i) => Some(Ok(Decimal::from(*i))),
        value::Value::Dec(d) => Some(Ok(*d)),
        _ => None,
    }
}

/// Whether any function of the rule set reads a property called `name`.
fn reads_property(ast: &AST, name: &str) -> bool {
    let mut found = false;
    ast.walk(&mut |path: &[rhai::ASTNode]| {
        if let Some(rhai::ASTNode::Expr(rhai::Expr::Property(p, _))) = path.last() {
            found |= p.2.as_str() == name;
        }
        !found
    });
    found
}

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn warehouse_id(inv: &PreparedInventory, w: usize) -> Option<&str> {
    inv.warehouse(w).map(|w| w.id.as_str())
}

/// A script-facing type name for messages.
pub(crate) fn type_name(v: &Dynamic) -> String {
    if v.is_unit() {
        "nothing (`()`); is a `return` missing?".to_string()
    } else if v.is_string() {
        format!("the text `{v}`")
    } else if v.is_map() {
        "a map".into()
    } else if v.is_array() {
        "an array".into()
    } else {
        match v.type_name() {
            "i64" | "decimal" | "rust_decimal::Decimal" => format!("the number `{v}`"),
            "bool" => format!("`{v}`"),
            other => match Obj::ALL.iter().find(|o| o.name() == other) {
                Some(o) => format!("{} {}", o.article(), o.name()),
                None => other.to_string(),
            },
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
