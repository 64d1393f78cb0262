//! Compiled hooks: the rule set's Rhai AST turned into typed closures at `Router::new`.
//!
//! Rhai stays the language and the reference semantics; this is the per-order runtime. A
//! hook compiles when it and every function it calls use only what [`compile`] covers;
//! otherwise it runs on the interpreter, and `check` says why. A compiled call that meets a
//! case it does not cover, an error or a limit bails out and the interpreter answers the
//! same call, so results, errors and limits are the interpreter's in every case; the
//! differential tests (`tests/compiled.rs`) hold the two to that.

pub(crate) mod cache;
pub(crate) mod calls;
pub(crate) mod compile;
pub(crate) mod frame;
pub(crate) mod ops;

use crate::hooks::Hook;
use compile::{Compiler, Func, Sig, Ty};
use rhai::{Scope, AST};
use serde::Serialize;
use std::collections::HashMap;

pub(crate) use frame::{Bail, Caps, Frame};

/// How a hook runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum HookMode {
    // (Serialized as `{ mode: "compiled" }` or `{ mode: "interpreted", reason }`.)
    /// Compiled to closures; the interpreter answers only calls that bail out.
    Compiled,
    /// On the Rhai interpreter, with the reason it could not be compiled.
    Interpreted {
        /// What the compiler does not cover, in words.
        reason: String,
    },
}

/// Every compiled function of a rule set, and which hooks can use them.
pub(crate) struct Program {
    pub funcs: Vec<Func>,
    hooks: [Option<usize>; Hook::COUNT],
    pub modes: [Option<HookMode>; Hook::COUNT],
    /// For cacheable hooks: the order fields their answer depends on.
    pub cache_paths: [Option<Vec<cache::Path>>; Hook::COUNT],
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Program")
            .field("modes", &self.modes)
            .finish()
    }
}

/// What the compiler knows of a hook's parameters.
pub(crate) fn hook_params(hook: Hook) -> Vec<Ty> {
    use crate::rules::schema::Obj;
    match hook {
        Hook::Eligible | Hook::Rank => vec![Ty::View(Obj::Order), Ty::View(Obj::Warehouse)],
        Hook::Split => vec![Ty::View(Obj::Order)],
        Hook::Route => vec![Ty::View(Obj::Order), Ty::View(Obj::Inventory)],
        Hook::Offer => vec![
            Ty::View(Obj::Channel),
            Ty::View(Obj::Warehouse),
            Ty::Unknown,
            Ty::Unknown,
        ],
        Hook::Adjust => vec![Ty::View(Obj::Channel), Ty::Unknown, Ty::Unknown],
        Hook::Replenish => vec![
            Ty::View(Obj::Warehouse),
            Ty::Unknown,
            Ty::View(Obj::Proposal),
        ],
    }
}

/// Compiles every function of `ast`; `constants` are the rule set's top-level constants.
/// `force_interpreted` compiles nothing (every hook on the interpreter), for tests.
pub(crate) fn compile(ast: &AST, constants: &Scope<'static>, force_interpreted: bool) -> Program {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let mut functions: HashMap<Sig, usize> = HashMap::new();
    for (i, def) in defs.iter().enumerate() {
        functions.insert((def.name.to_string(), def.params.len()), i);
    }
    let mut funcs = Vec::with_capacity(defs.len());
    let mut failures: Vec<Option<String>> = Vec::with_capacity(defs.len());
    let mut callees: Vec<Vec<usize>> = Vec::with_capacity(defs.len());
    let bodies = function_bodies(ast, &defs);
    let bodies: Vec<Option<Vec<rhai::Stmt>>> = bodies;
    for (i, def) in defs.iter().enumerate() {
        let hook = Hook::ALL
            .iter()
            .copied()
            .find(|h| h.name() == def.name.as_str() && h.params().len() == def.params.len());
        let types = hook.map(hook_params).unwrap_or_default();
        let params: Vec<(String, Ty)> = def
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), types.get(i).copied().unwrap_or(Ty::Unknown)))
            .collect();
        let mut compiler = Compiler::new(&functions, constants);
        let result = match (force_interpreted, bodies.get(i)) {
            (true, _) => Err("compilation switched off".to_string()),
            (false, Some(Some(body))) => compiler.function(&params, body),
            (false, _) => Err("a statement the compiler cannot place".to_string()),
        };
        callees.push(compiler.callees());
        match result {
            Ok(func) => {
                funcs.push(func);
                failures.push(None);
            }
            Err(why) => {
                funcs.push(Func::failed());
                failures.push(Some(format!("`{}` uses {why}", def.name)));
            }
        }
    }
    // A function is usable when it and everything it calls compiled.
    let mut usable: Vec<Option<String>> = failures.clone();
    loop {
        let mut changed = false;
        for i in 0..usable.len() {
            if usable.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let bad = callees
                .get(i)
                .into_iter()
                .flatten()
                .find_map(|&c| usable.get(c).cloned().flatten());
            if let Some(why) = bad {
                if let Some(slot) = usable.get_mut(i) {
                    *slot = Some(why);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let helpers: HashMap<String, Vec<rhai::Stmt>> = defs
        .iter()
        .zip(&bodies)
        .filter_map(|(d, b)| Some((d.name.to_string(), b.clone()?)))
        .collect();
    let mut cache_paths: [Option<Vec<cache::Path>>; Hook::COUNT] = Default::default();
    let mut hooks = [None; Hook::COUNT];
    let mut modes: [Option<HookMode>; Hook::COUNT] = Default::default();
    for hook in Hook::ALL {
        let Some(&i) = functions.get(&(hook.name().to_string(), hook.params().len())) else {
            continue;
        };
        let mode = match usable.get(i).cloned().flatten() {
            None => {
                if let Some(slot) = hooks.get_mut(hook.index()) {
                    *slot = Some(i);
                }
                if let (Some(def), Some(Some(body))) = (defs.get(i), bodies.get(i)) {
                    let params: Vec<String> = def.params.iter().map(|p| p.to_string()).collect();
                    if let Some(slot) = cache_paths.get_mut(hook.index()) {
                        *slot = cache::order_paths(hook, &params, body, &helpers);
                    }
                }
                HookMode::Compiled
            }
            Some(reason) => HookMode::Interpreted { reason },
        };
        if let Some(slot) = modes.get_mut(hook.index()) {
            *slot = Some(mode);
        }
    }
    Program {
        funcs,
        hooks,
        modes,
        cache_paths,
    }
}

/// The top-level statements of each function body, in `iter_fn_def` order. Rhai does not
/// export the body type, but walking the AST visits every body's statements after the
/// script's own; each belongs to the function whose body span contains it. `None` when a
/// statement cannot be placed (then nothing compiles: the interpreter runs every hook).
pub(crate) fn function_bodies(
    ast: &AST,
    defs: &[&rhai::Shared<rhai::ScriptFuncDef>],
) -> Vec<Option<Vec<rhai::Stmt>>> {
    let key = |p: rhai::Position| (p.line().unwrap_or(0), p.position().unwrap_or(0));
    let spans: Vec<((usize, usize), (usize, usize))> = defs
        .iter()
        .map(|d| {
            let start = key(d.body.start_position());
            // A closure's body is one expression without an end position: it owns the
            // statement at its start.
            (start, key(d.body.end_position()).max(start))
        })
        .collect();
    let mut bodies: Vec<Vec<rhai::Stmt>> = vec![Vec::new(); defs.len()];
    let mut main_left = ast.statements().len();
    let mut lost = false;
    ast.walk(&mut |path: &[rhai::ASTNode]| {
        if let [rhai::ASTNode::Stmt(stmt)] = path {
            if main_left > 0 {
                main_left -= 1;
                return true;
            }
            let at = key(stmt.position());
            // Closures are functions too, with bodies inside their parent's span: the
            // innermost containing span is the owner.
            let owner = spans
                .iter()
                .enumerate()
                .filter(|(_, (s, e))| *s <= at && at <= *e)
                .max_by_key(|(_, (s, e))| (*s, std::cmp::Reverse(*e)))
                .map(|(i, _)| i);
            match owner {
                Some(i) => {
                    if let Some(b) = bodies.get_mut(i) {
                        b.push((*stmt).clone());
                    }
                }
                None => lost = true,
            }
        }
        true
    });
    if lost {
        return vec![None; defs.len()];
    }
    bodies.into_iter().map(Some).collect()
}

impl Program {
    /// The compiled function of a hook, when the hook is compiled.
    pub fn hook(&self, hook: Hook) -> Option<usize> {
        self.hooks.get(hook.index()).copied().flatten()
    }

    /// Runs a compiled hook with its arguments.
    pub fn call<'a>(
        &'a self,
        frame: &mut Frame<'a>,
        index: usize,
        args: calls::Args<'a>,
    ) -> Result<crate::rules::value::Value<'a>, Bail> {
        compile::call_fn(frame, index, args)
    }
}
