//! The interpreter's sandbox: which functions a rule can call, checked replacements for the
//! ones that could panic, and the guards Rhai's own limits lack.
//!
//! A rule may fail its own order; it must never fail the process. In WebAssembly a Rust panic
//! is an abort and a stack overflow corrupts or kills the instance, so this module makes sure
//! neither can be reached from a script:
//!
//! * **Functions.** The engine starts from [`Engine::new_raw`] with an explicit package list.
//!   Left out: Rhai's language-core package (`sleep`, which blocks the host thread and panics on
//!   wasm32, `exit`, `take`, tags, `parse_json`, reflection), BLOBs, bit fields, time and
//!   debugging. The maths that can panic inside `rust_decimal` (`sin`, `cos`, `tan`, `sqrt`)
//!   and the sort functions whose comparer could make the standard library's sort panic are
//!   replaced by checked versions registered over them.
//! * **Data.** Rhai measures a value only where it builds one (literals, native function
//!   results), not where a rule grows one in place (`m[key] = v`, `a[i] = v`), and never looks
//!   inside function pointers. Every time a rule reads a variable, [`Meter`] measures what the
//!   variable holds (nested values, map keys and curried arguments included) against the size
//!   limits and a nesting bound ([`MAX_DEPTH`]), and charges the reading to the operation
//!   budget in proportion to its size: reading a value costs time in proportion to its size
//!   (Rhai copies it), so the operation limit keeps bounding time.
//! * **Closures** may not capture variables: a captured variable becomes a shared value that
//!   Rhai neither measures nor expects inside data, and a closure stored in the value it
//!   captures is a reference cycle that is never freed.
//! * **Stack.** Deep recursion with deep expressions overflows a 1 MiB WebAssembly stack long
//!   before `maxCallLevels` (64 levels of 20 nested additions do). Every operation checks how
//!   much native stack the hook call has used against [`STACK_BUDGET`].
//! * **Operations.** Rhai counts the operations of callbacks (`map`, `filter`, `sort`, …) on a
//!   copy of the caller's counter, so they never added up; the meter counts every operation of
//!   the call, callbacks included.

use super::{as_usize, natives, Limits};
use crate::error::code;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, ImmutableString, NativeCallContext,
    OptimizationLevel, Position, INT,
};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, MathematicalOps};
use std::cell::Cell;
use std::cmp::Ordering;
use std::rc::Rc;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// Deepest nesting of arrays, maps and function pointers a rule's variable may hold. Input
/// JSON nests at most 128 levels; dropping, copying and measuring a value recurse once per
/// level (about 250 bytes each in release WebAssembly, 1.5 KB in a debug build).
pub const MAX_DEPTH: usize = 256;

/// Native stack a hook call may use, in bytes. A Rhai call level with simple expressions takes
/// about 4 KB; a level of nested expression about 0.8 KB (release builds). What is left of a
/// 1 MiB WebAssembly stack is room for the host, the router and nested data.
pub const STACK_BUDGET: usize = 512 * 1024;

/// Most functions (closures included) one rule set may define. Rhai's parser looks every
/// variable name up among the functions parsed so far, so compiling takes time in proportion
/// to the file's size times this bound (without it, 20,000 functions take seconds and a 5 MB
/// file minutes).
pub const MAX_FUNCTIONS: usize = 1_000;

/// How the declarations cap ends its message (diagnostics recognise it by this).
pub(crate) const DECLARATIONS_LIMIT: &str = "(`limits.maxVariables`)";

/// Reading a variable costs one operation per this many values it holds (elements, entries).
pub const VALUES_PER_OPERATION: usize = 32;

/// Reading a variable costs one operation per this many bytes of text it holds.
pub const BYTES_PER_OPERATION: usize = 256;

/// Why the sandbox stopped a rule: carried out of the interpreter as the token of an
/// uncatchable `ErrorTerminated`, so `try`/`catch` in a rule cannot swallow it.
#[derive(Debug, Clone)]
pub(crate) struct Stop {
    pub code: &'static str,
    pub message: String,
    pub help: String,
}

fn stop(code: &'static str, message: String, help: &str) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorTerminated(
        Dynamic::from(Stop {
            code,
            message,
            help: help.to_string(),
        }),
        Position::NONE,
    ))
}

/// The sandbox's reason, if `err` is a stop raised by this module.
pub(crate) fn stopped(err: &EvalAltResult) -> Option<Stop> {
    match err {
        EvalAltResult::ErrorTerminated(token, _) => token.read_lock::<Stop>().map(|s| s.clone()),
        _ => None,
    }
}

/// The packages rules get. Everything else Rhai offers is left out (see the module docs).
fn packages(engine: &mut Engine) {
    engine
        .register_global_module(ArithmeticPackage::new().as_shared_module())
        .register_global_module(LogicPackage::new().as_shared_module())
        .register_global_module(BasicStringPackage::new().as_shared_module())
        .register_global_module(MoreStringPackage::new().as_shared_module())
        .register_global_module(BasicIteratorPackage::new().as_shared_module())
        .register_global_module(BasicFnPackage::new().as_shared_module())
        .register_global_module(BasicArrayPackage::new().as_shared_module())
        .register_global_module(BasicMapPackage::new().as_shared_module())
        .register_global_module(BasicMathPackage::new().as_shared_module());
}

/// The engine every rule set runs on: packages, checked replacements, limits, disabled
/// symbols and the meter. `budget` is what the call in progress may still spend (the run's
/// operation budget); the meter writes what it spent to `used`.
pub(crate) fn engine(limits: &Limits, budget: &Rc<Cell<u64>>, used: &Rc<Cell<u64>>) -> Engine {
    let mut engine = Engine::new_raw();
    packages(&mut engine);
    maths(&mut engine);
    sorting(&mut engine);
    padding(&mut engine);
    engine
        .set_max_strings_interned(256)
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(as_usize(limits.max_call_levels))
        .set_max_expr_depths(
            as_usize(limits.max_expr_depth),
            as_usize(limits.max_function_expr_depth),
        )
        .set_max_string_size(as_usize(limits.max_string_size))
        .set_max_array_size(as_usize(limits.max_array_size))
        .set_max_map_size(as_usize(limits.max_map_size))
        .set_max_variables(as_usize(limits.max_variables))
        // Typos in property names and variable names are errors, not silent `()`.
        .set_fail_on_invalid_map_property(true)
        .set_optimization_level(OptimizationLevel::Simple);
    // `eval` would compile code at run time, outside the two-pass compile.
    engine.disable_symbol("eval");
    engine.set_max_functions(MAX_FUNCTIONS);
    declarations(&mut engine, as_usize(limits.max_variables));
    let meter = Rc::new(Meter::new(limits, budget.clone(), used.clone()));
    let m = meter.clone();
    engine.on_progress(move |ops| m.tick(ops));
    #[allow(deprecated)] // not deprecated: Rhai marks `on_var` as an API that may change
    engine.on_var(move |name, _, mut ctx| {
        let charge = match ctx.scope().get(name) {
            Some(value) => meter.audit(name, value)?,
            None => return Ok(None),
        };
        if charge > 0 {
            meter.charge(charge);
            // Rhai's own counter too, so its `maxOperations` check sees the reading.
            let global = ctx.global_runtime_state_mut();
            global.num_operations = global.num_operations.saturating_add(charge);
        }
        Ok(None)
    });
    engine
}

/// Caps the `let` and `const` declarations of one function (or of the top level) at
/// `maxVariables` while parsing: Rhai's parser looks every variable up among the ones
/// declared before it, so a function with 200,000 `let`s would compile in quadratic time. A
/// function with more declarations than `maxVariables` could not run anyway.
fn declarations(engine: &mut Engine, max: usize) {
    use rhai::{LexError, Token};
    let (count, last) = (Cell::new(0usize), Cell::new((0usize, 0usize)));
    #[allow(deprecated)] // not deprecated: Rhai marks `on_parse_token` as an API that may change
    engine.on_parse_token(move |token, pos, _| {
        let here = (pos.line().unwrap_or(0), pos.position().unwrap_or(0));
        // Every compile starts again at line 1: a new source (or a part of one).
        if here < last.get() {
            count.set(0);
        }
        last.set(here);
        match token {
            Token::Fn => count.set(0),
            Token::Let | Token::Const => {
                count.set(count.get() + 1);
                if count.get() > max {
                    return Token::LexError(Box::new(LexError::ImproperSymbol(
                        token.literal_syntax().to_string(),
                        format!(
                            "more than {max} variables declared in one function {DECLARATIONS_LIMIT}"
                        ),
                    )));
                }
            }
            _ => {}
        }
        token
    });
}

/// Address of a local: where the native stack (in WebAssembly, the shadow stack in linear
/// memory) is right now.
#[inline(never)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(std::ptr::addr_of!(marker)) as usize
}

/// Counts one hook call's operations and stack, and audits the variables it reads.
struct Meter {
    max_operations: u64,
    max_array: usize,
    max_map: usize,
    max_bytes: usize,
    budget: Rc<Cell<u64>>,
    used: Rc<Cell<u64>>,
    /// Operations (progress ticks) of the call in progress, callbacks included.
    ticks: Cell<u64>,
    /// Operations charged for reading large values.
    charged: Cell<u64>,
    /// Stack position at the call's first operation.
    base: Cell<usize>,
}

impl Meter {
    fn new(limits: &Limits, budget: Rc<Cell<u64>>, used: Rc<Cell<u64>>) -> Self {
        Meter {
            max_operations: limits.max_operations,
            max_array: as_usize(limits.max_array_size),
            max_map: as_usize(limits.max_map_size),
            max_bytes: as_usize(limits.max_string_size),
            budget,
            used,
            ticks: Cell::new(0),
            charged: Cell::new(0),
            base: Cell::new(0),
        }
    }

    fn charge(&self, ops: u64) {
        self.charged.set(self.charged.get().saturating_add(ops));
        // Counted as used now, not at the next operation: a hook that ends on the read
        // used it too.
        self.used
            .set(self.ticks.get().saturating_add(self.charged.get()));
    }

    /// One operation. Rhai starts every evaluation's counter at one (a hook call, the
    /// constants at compile time); callbacks continue on a copy of their caller's counter,
    /// so `ops` is only used to see a new evaluation start.
    fn tick(&self, ops: u64) -> Option<Dynamic> {
        let here = stack_position();
        if ops == 1 {
            self.ticks.set(0);
            self.charged.set(0);
            self.base.set(here);
        }
        self.ticks.set(self.ticks.get().saturating_add(1));
        let total = self.ticks.get().saturating_add(self.charged.get());
        self.used.set(total);
        if total > self.budget.get() {
            return Some(Dynamic::from(natives::BUDGET_USED));
        }
        if total > self.max_operations {
            return Some(Dynamic::from(Stop {
                code: code::RULE_LIMIT,
                message: format!(
                    "too many operations: one hook call may take at most {} (`limits.maxOperations`), callbacks of `map`, `filter`, `sort` and the like included",
                    self.max_operations
                ),
                help: "look for loops and callbacks over large arrays; raise `limits.maxOperations` if the work is legitimate".into(),
            }));
        }
        // The stack grows down on every target this runs on; if it grew up, `saturating_sub`
        // would read zero and the call-depth and expression-depth limits would remain.
        if self.base.get().saturating_sub(here) > STACK_BUDGET {
            return Some(Dynamic::from(Stop {
                code: code::RULE_LIMIT,
                message: format!(
                    "calls and expressions nest too deeply: the hook used more than {} KiB of stack",
                    STACK_BUDGET / 1024
                ),
                help: "look for deep recursion, or recursion inside deeply nested expressions; rewrite it as a loop".into(),
            }));
        }
        None
    }

    /// Measures a variable about to be read: what reading it costs in operations, or an
    /// error if it holds more than the limits allow or a captured (shared) value.
    fn audit(&self, name: &str, value: &Dynamic) -> Fallible<u64> {
        if value.is_shared() {
            return Err(captured(name));
        }
        // Scalars and views cost nothing to measure or to read.
        if !(value.is_array() || value.is_map() || value.is_string() || value.is_fnptr()) {
            return Ok(0);
        }
        let mut s = Sizes::default();
        s.add(value, 0);
        if s.shared {
            return Err(captured(name));
        }
        let cost = s.values / VALUES_PER_OPERATION + s.bytes / BYTES_PER_OPERATION;
        // A read-only value (a constant, or what the model gave the hook) cannot grow.
        if !value.is_read_only() {
            self.check(name, &s)?;
        }
        Ok(u64::try_from(cost).unwrap_or(u64::MAX))
    }

    fn check(&self, name: &str, s: &Sizes) -> Fallible<()> {
        let over = |what: String, help: &str| Err(stop(code::RULE_LIMIT, what, help));
        if s.depth > MAX_DEPTH {
            return over(
                format!("`{name}` nests arrays and maps more than {MAX_DEPTH} levels deep"),
                "deeply nested data is a sign of a value wrapped in itself in a loop",
            );
        }
        if s.arrays > self.max_array {
            return over(
                format!(
                    "`{name}` holds {} array elements (nested arrays included), more than `limits.maxArraySize` ({})",
                    s.arrays, self.max_array
                ),
                "look for arrays that grow in a loop; raise `limits.maxArraySize` if the data is legitimate",
            );
        }
        if s.maps > self.max_map {
            return over(
                format!(
                    "`{name}` holds {} map entries (nested maps included), more than `limits.maxMapSize` ({})",
                    s.maps, self.max_map
                ),
                "look for maps that grow in a loop (`m[key] = …`); raise `limits.maxMapSize` if the data is legitimate",
            );
        }
        if s.bytes > self.max_bytes {
            return over(
                format!(
                    "`{name}` holds {} bytes of text (nested strings and map keys included), more than `limits.maxStringSize` ({})",
                    s.bytes, self.max_bytes
                ),
                "look for strings or maps that grow in a loop; raise `limits.maxStringSize` if the data is legitimate",
            );
        }
        Ok(())
    }
}

fn captured(name: &str) -> Box<EvalAltResult> {
    stop(
        code::RULE_RUNTIME,
        format!("a closure cannot capture `{name}`: closures in rules may only use their own parameters"),
        "pass the value as a parameter, or write the loop with `for`",
    )
}

/// What a value holds, counted the way Rhai's size limits count (nested values included),
/// plus map keys, curried arguments and the nesting depth.
#[derive(Debug, Default)]
struct Sizes {
    /// Array elements, nested arrays included (BLOB bytes count as elements, as in Rhai).
    arrays: usize,
    /// Map entries, nested maps included.
    maps: usize,
    /// Bytes of text: strings and map keys.
    bytes: usize,
    /// Deepest nesting of containers (arrays, maps, function pointers with arguments).
    depth: usize,
    /// Values visited: the cost of measuring, and of copying.
    values: usize,
    /// A shared (captured) value was found inside.
    shared: bool,
}

impl Sizes {
    /// Adds `v`, found inside `depth` containers. Recursion stops below [`MAX_DEPTH`], so
    /// measuring never goes deeper than the bound it enforces.
    fn add(&mut self, v: &Dynamic, depth: usize) {
        self.values += 1;
        // Most values are numbers, booleans or views: one type test and done.
        if !(v.is_string() || v.is_array() || v.is_map() || v.is_fnptr() || v.is_blob()) {
            self.shared |= v.is_shared();
            return;
        }
        if let Ok(s) = v.as_immutable_string_ref() {
            self.bytes += s.len();
            return;
        }
        let inner = depth + 1;
        if let Ok(a) = v.as_array_ref() {
            self.enter(inner);
            self.arrays += a.len();
            if inner <= MAX_DEPTH {
                a.iter().for_each(|x| self.add(x, inner));
            }
        } else if let Ok(m) = v.as_map_ref() {
            self.enter(inner);
            self.maps += m.len();
            if inner <= MAX_DEPTH {
                for (k, x) in m.iter() {
                    self.bytes += k.len();
                    self.add(x, inner);
                }
            }
        } else if let Ok(b) = v.as_blob_ref() {
            self.arrays += b.len();
        } else if let Some(f) = v.read_lock::<FnPtr>() {
            if !f.curry().is_empty() {
                self.enter(inner);
                self.arrays += f.curry().len();
                if inner <= MAX_DEPTH {
                    f.curry().iter().for_each(|x| self.add(x, inner));
                }
            }
        }
    }

    fn enter(&mut self, depth: usize) {
        self.depth = self.depth.max(depth);
    }
}

fn arithmetic(message: String) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorArithmetic(message, Position::NONE))
}

/// Decimal maths without the panics: Rhai's `sin`, `cos` and `tan` call `rust_decimal`
/// functions that panic when the result overflows (`tan(PI() / 2)`), and its `sqrt` has an
/// assertion inside. These replace them (same names and parameter types, so they win the
/// lookup) and fail with an error a rule can read.
fn maths(engine: &mut Engine) {
    engine.register_fn("sin", |x: Decimal| -> Fallible<Decimal> {
        x.checked_sin()
            .ok_or_else(|| arithmetic(format!("sin({x}) cannot be computed")))
    });
    engine.register_fn("cos", |x: Decimal| -> Fallible<Decimal> {
        x.checked_cos()
            .ok_or_else(|| arithmetic(format!("cos({x}) cannot be computed")))
    });
    engine.register_fn("tan", |x: Decimal| -> Fallible<Decimal> {
        x.checked_tan()
            .ok_or_else(|| arithmetic(format!("tan({x}) is too large (undefined near π/2)")))
    });
    engine.register_fn("sqrt", |x: Decimal| -> Fallible<Decimal> {
        sqrt(x).ok_or_else(|| arithmetic(format!("sqrt({x}) is undefined for negative numbers")))
    });
}

/// Square root by Newton's method in checked decimal arithmetic, from a binary floating-point
/// first guess; `None` for negative numbers.
pub(crate) fn sqrt(x: Decimal) -> Option<Decimal> {
    if x.is_zero() {
        return Some(Decimal::ZERO);
    }
    if x.is_sign_negative() {
        return None;
    }
    let guess = x
        .to_f64()
        .and_then(|f| Decimal::from_f64(f.sqrt()))
        .filter(|g| !g.is_zero())
        .unwrap_or(x);
    let mut r = guess;
    // Quadratic convergence from a 15-digit guess takes two or three steps; the bound only
    // guards against a last-digit oscillation.
    for _ in 0..16 {
        let next = r
            .checked_add(x.checked_div(r)?)?
            .checked_div(Decimal::TWO)?;
        if next == r || next.is_zero() {
            break;
        }
        r = next;
    }
    Some(r)
}

/// Rhai sorts with `slice::sort_by`, which may panic when the comparer is not a total order
/// (`|a, b| 1`), and catches the panic with `catch_unwind`: an abort in WebAssembly. These
/// replacements sort with a merge sort that cannot panic whatever the comparer answers, and
/// pass the comparer's errors on instead of ignoring them.
fn sorting(engine: &mut Engine) {
    for name in ["sort", "sort_by"] {
        engine.register_fn(
            name,
            |ctx: NativeCallContext, array: &mut Array, comparer: FnPtr| -> Fallible<()> {
                let sorted = sorted(&ctx, array, &comparer)?;
                *array = sorted;
                Ok(())
            },
        );
    }
    for name in ["order", "order_by"] {
        engine.register_fn(
            name,
            |ctx: NativeCallContext, array: &mut Array, comparer: FnPtr| -> Fallible<Array> {
                sorted(&ctx, array, &comparer)
            },
        );
    }
}

/// Rhai's array `pad` computes the padded size with unchecked arithmetic (an overflow panics
/// in debug builds and wraps past the size check in release builds, then `resize` aborts), and
/// its string `pad` loops forever when the padding is empty. Same names, checked.
fn padding(engine: &mut Engine) {
    engine.register_fn(
        "pad",
        |ctx: NativeCallContext, array: &mut Array, len: INT, item: Dynamic| -> Fallible<()> {
            if len <= 0 {
                return Ok(());
            }
            // Beyond the address space (on wasm32, beyond 2³²) is beyond every limit.
            let Ok(len) = usize::try_from(len) else {
                return Err(too_large("Size of array"));
            };
            let Some(pad) = len.checked_sub(array.len()).filter(|p| *p > 0) else {
                return Ok(());
            };
            let mut have = Sizes::default();
            array.iter().for_each(|v| have.add(v, 1));
            have.arrays = array.len();
            let mut each = Sizes::default();
            each.add(&item, 1);
            let grown =
                |now: usize, per: usize| per.checked_mul(pad).and_then(|p| p.checked_add(now));
            let engine = ctx.engine();
            let fits =
                |total: Option<usize>, max: usize| total.is_some_and(|t| max == 0 || t <= max);
            if !(fits(grown(have.arrays, each.arrays + 1), engine.max_array_size())
                && fits(grown(have.maps, each.maps), engine.max_map_size())
                && fits(grown(have.bytes, each.bytes), engine.max_string_size()))
            {
                return Err(too_large("Size of array"));
            }
            array.resize(len, item);
            Ok(())
        },
    );
    engine.register_fn(
        "pad",
        |ctx: NativeCallContext,
         string: &mut ImmutableString,
         len: INT,
         padding: ImmutableString|
         -> Fallible<()> {
            if padding.is_empty() || len <= 0 {
                return Ok(());
            }
            let Ok(len) = usize::try_from(len) else {
                return Err(too_large("Length of string"));
            };
            let have = string.chars().count();
            if len <= have {
                return Ok(());
            }
            let max = ctx.engine().max_string_size();
            let mut text = string.to_string();
            for c in padding.chars().cycle().take(len - have) {
                text.push(c);
                if max > 0 && text.len() > max {
                    return Err(too_large("Length of string"));
                }
            }
            *string = text.into();
            Ok(())
        },
    );
}

/// Rhai's own size error ("… too large"), uncatchable by `try`.
fn too_large(what: &str) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorDataTooLarge(
        what.into(),
        Position::NONE,
    ))
}

fn sorted(ctx: &NativeCallContext, array: &Array, comparer: &FnPtr) -> Fallible<Array> {
    let mut compare = |a: usize, b: usize| -> Fallible<Ordering> {
        let (Some(x), Some(y)) = (array.get(a), array.get(b)) else {
            return Ok(Ordering::Equal);
        };
        let v = comparer.call_raw(ctx, None, [x.clone(), y.clone()])?;
        if let Ok(i) = v.as_int() {
            return Ok(i.cmp(&0));
        }
        if let Ok(le) = v.as_bool() {
            return Ok(if le {
                Ordering::Less
            } else {
                Ordering::Greater
            });
        }
        Err(Box::new(EvalAltResult::ErrorRuntime(
            format!(
                "the comparer of `sort` must return a number or true/false, got {}",
                super::type_name(&v)
            )
            .into(),
            Position::NONE,
        )))
    };
    let order = merge_sort((0..array.len()).collect(), &mut compare)?;
    Ok(order
        .into_iter()
        .filter_map(|i| array.get(i).cloned())
        .collect())
}

/// A stable merge sort of positions. Whatever `compare` answers, it returns a permutation
/// of its input after at most n·log₂(n) comparisons.
fn merge_sort(
    items: Vec<usize>,
    compare: &mut impl FnMut(usize, usize) -> Fallible<Ordering>,
) -> Fallible<Vec<usize>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut left = items;
    let right = left.split_off(left.len() / 2);
    let left = merge_sort(left, compare)?;
    let right = merge_sort(right, compare)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(&a), Some(&b)) = (l.peek(), r.peek()) {
        if compare(a, b)? == Ordering::Greater {
            out.push(b);
            r.next();
        } else {
            out.push(a);
            l.next();
        }
    }
    out.extend(l);
    out.extend(r);
    Ok(out)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    //! The registry walk: every function a rule can reach, called with edge values, must
    //! return a value or an error. Natively a panic is caught and named here; in release
    //! WebAssembly it would abort the instance.

    use super::super::natives::CallState;
    use super::super::schema::Obj;
    use super::super::views::{self, Shared};
    use super::*;
    use crate::inventory::PreparedInventory;
    use rhai::{Blob, Map, Scope, AST};
    type ExclusiveRange = std::ops::Range<INT>;
    type InclusiveRange = std::ops::RangeInclusive<INT>;
    use std::any::TypeId;
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    fn shared() -> Rc<Shared> {
        let inventory: crate::model::Inventory = serde_json::from_value(serde_json::json!({
            "warehouses": [
                {"id": "W1", "kind": "own", "priority": 1, "country": "DE",
                 "location": {"lat": 52.5, "lon": 13.4}, "tags": ["main"]},
                {"id": "C1", "kind": "consignment", "owner": "Shop", "priority": 2, "country": "AT",
                 "forward": {"method": "email", "to": "s@example.com"},
                 "terms": {"period_end": "2030-01-01", "settlement": "monthly"}}
            ],
            "stock": [{"warehouse": "W1", "sku": "A", "on_hand": 5, "reserved": 1},
                      {"warehouse": "C1", "sku": "A", "on_hand": 2}],
            "channels": [{"id": "web", "include_consignment": true, "tags": ["b2c"]}],
            "products": [{"sku": "A", "tags": ["x"], "attributes": {"deep": {"a": [1, 2.5, "s", null]}}}]
        }))
        .unwrap();
        let order: crate::model::Order = serde_json::from_value(serde_json::json!({
            "id": "o1", "channel": "web", "ship_to": {"country": "DE", "location": {"lat": 48.1, "lon": 11.6}},
            "customer": {"type": "b2b", "tags": ["vip"]},
            "lines": [{"id": "1", "sku": "A", "qty": 2, "unit_price": "9.99"}],
            "attributes": {"note": "x"}
        }))
        .unwrap();
        Rc::new(Shared {
            order: Some(order),
            inventory: PreparedInventory::new(inventory).unwrap(),
            as_of: None,
            proposal: None,
        })
    }

    /// Edge values by parameter type.
    struct Pools {
        by_type: BTreeMap<TypeIdKey, Vec<Dynamic>>,
        /// Closures and function pointers, written into the call text (they live in its AST).
        fn_ptrs: Vec<&'static str>,
    }

    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
    struct TypeIdKey(TypeId);

    fn ints() -> Vec<INT> {
        vec![
            0,
            1,
            -1,
            2,
            3,
            7,
            28,
            29,
            64,
            1_000,
            65_536,
            1 << 31,
            1 << 40,
            INT::MAX,
            INT::MIN,
            INT::MAX - 1,
            INT::MIN + 1,
        ]
    }

    fn decimals() -> Vec<Decimal> {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        vec![
            Decimal::ZERO,
            Decimal::ONE,
            Decimal::NEGATIVE_ONE,
            d("0.5"),
            d("-0.5"),
            d("2"),
            d("10"),
            d("66"),
            d("67"),
            d("-67"),
            d("1000.5"),
            Decimal::HALF_PI,
            -Decimal::HALF_PI,
            Decimal::QUARTER_PI,
            Decimal::PI,
            Decimal::TWO_PI,
            d("100000000000000000000"),
            d("-100000000000000000000"),
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            d("0.1234567890123456789012345678"),
            d("7.9228162514264337593543950335"),
            d("-7.9228162514264337593543950335"),
        ]
    }

    fn strings() -> Vec<String> {
        vec![
            String::new(),
            "a".into(),
            "abc".into(),
            " a b ".into(),
            "€uro".into(),
            "é".into(),
            "123".into(),
            "-1".into(),
            "1.5".into(),
            "1e28".into(),
            "1e999999999".into(),
            "1e-999999999".into(),
            "79228162514264337593543950336".into(),
            "-9223372036854775809".into(),
            "9".repeat(100),
            "x".repeat(1_000),
            "\0".into(),
        ]
    }

    // Reversed ranges are edge values too.
    #[allow(clippy::reversed_empty_ranges)]
    fn pools(shared: &Rc<Shared>) -> Pools {
        let mut by_type: BTreeMap<TypeIdKey, Vec<Dynamic>> = BTreeMap::new();
        let mut put = |t: TypeId, v: Vec<Dynamic>| {
            by_type.insert(TypeIdKey(t), v);
        };
        put(
            TypeId::of::<INT>(),
            ints().into_iter().map(Dynamic::from).collect(),
        );
        put(
            TypeId::of::<Decimal>(),
            decimals().into_iter().map(Dynamic::from).collect(),
        );
        put(
            TypeId::of::<ImmutableString>(),
            strings().into_iter().map(Dynamic::from).collect(),
        );
        put(
            TypeId::of::<char>(),
            ['a', '€', '\0', ' ', '9']
                .into_iter()
                .map(Dynamic::from)
                .collect(),
        );
        put(TypeId::of::<bool>(), vec![true.into(), false.into()]);
        put(TypeId::of::<()>(), vec![Dynamic::UNIT]);
        let ints_array =
            |v: &[INT]| Dynamic::from_array(v.iter().map(|i| Dynamic::from(*i)).collect());
        let mut nested = Dynamic::from_array(vec![]);
        for _ in 0..20 {
            nested = Dynamic::from_array(vec![nested]);
        }
        let arrays = vec![
            Dynamic::from_array(vec![]),
            ints_array(&[3, 1, 2]),
            ints_array(&(0..100).rev().collect::<Vec<_>>()),
            Dynamic::from_array(vec!["b".into(), "a".into(), "".into()]),
            Dynamic::from_array(decimals().into_iter().take(6).map(Dynamic::from).collect()),
            Dynamic::from_array(vec![1.into(), "a".into(), Dynamic::UNIT, true.into()]),
            Dynamic::from_array(vec![Dynamic::UNIT, Dynamic::UNIT]),
            nested,
        ];
        put(TypeId::of::<Array>(), arrays.clone());
        let mut m = Map::new();
        m.insert("a".into(), 1.into());
        m.insert("b".into(), "x".into());
        m.insert("c".into(), ints_array(&[1, 2]));
        let mut deep = Map::new();
        deep.insert("a".into(), Dynamic::from_map(m.clone()));
        let maps = vec![
            Dynamic::from_map(Map::new()),
            Dynamic::from_map(m),
            Dynamic::from_map(deep),
        ];
        put(TypeId::of::<Map>(), maps.clone());
        put(
            TypeId::of::<Blob>(),
            vec![
                Dynamic::from_blob(vec![]),
                Dynamic::from_blob(vec![0, 255, 7]),
            ],
        );
        put(
            TypeId::of::<ExclusiveRange>(),
            [
                0..0,
                0..3,
                -5..5,
                INT::MIN..INT::MAX,
                INT::MAX..INT::MIN,
                0..INT::MAX,
            ]
            .into_iter()
            .map(Dynamic::from)
            .collect(),
        );
        put(
            TypeId::of::<InclusiveRange>(),
            [
                0..=0,
                0..=3,
                INT::MIN..=INT::MAX,
                INT::MAX..=INT::MIN,
                0..=INT::MAX,
            ]
            .into_iter()
            .map(Dynamic::from)
            .collect(),
        );
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        put(
            TypeId::of::<std::ops::Range<Decimal>>(),
            [
                d("0")..d("1"),
                Decimal::MIN..Decimal::MAX,
                d("1")..d("0"),
                d("0.5")..d("0.5"),
            ]
            .into_iter()
            .map(Dynamic::from)
            .collect(),
        );
        let mut views_all = Vec::new();
        for obj in Obj::ALL {
            let vs: Vec<Dynamic> = [0, 1, 7, u32::MAX]
                .into_iter()
                .map(|i| views::view(shared, obj, i))
                .collect();
            let t = vs[0].type_id();
            views_all.push(vs[0].clone());
            put(t, vs);
        }
        let mut any = vec![
            Dynamic::from(0 as INT),
            Dynamic::from(INT::MAX),
            Dynamic::from(INT::MIN),
            Dynamic::from(Decimal::MAX),
            Dynamic::from(Decimal::new(1, 28)),
            Dynamic::from(""),
            Dynamic::from("abc"),
            Dynamic::from('a'),
            Dynamic::UNIT,
            Dynamic::from(true),
        ];
        any.extend(arrays.into_iter().take(3));
        any.extend(maps);
        any.extend(views_all.into_iter().take(5));
        put(TypeId::of::<Dynamic>(), any);
        Pools {
            by_type,
            fn_ptrs: vec![
                "|x| x",
                "|x, y| 1",
                "|x, y| -1",
                "|x, y| 0",
                "|x, y| x",
                "|x, y| true",
                "|x, y| \"no\"",
                "|x| throw \"boom\"",
                "|x, y| { loop {} }",
                "|x, i| i",
                "|a, b, c| a",
                "Fn(\"max\")",
                "Fn(\"to_string\")",
                "Fn(\"no_such_function\")",
            ],
        }
    }

    /// The text that calls a registered function, by the conventions of its name.
    fn call_text(name: &str, args: &[String]) -> String {
        let a = |i: usize| args.get(i).cloned().unwrap_or_default();
        if let Some(prop) = name.strip_prefix("get$") {
            format!("{}.{prop}", a(0))
        } else if let Some(prop) = name.strip_prefix("set$") {
            format!("{}.{prop} = {}", a(0), a(1))
        } else if name == "index$get$" {
            format!("{}[{}]", a(0), a(1))
        } else if name == "index$set$" {
            format!("{}[{}] = {}", a(0), a(1), a(2))
        } else if !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            match args.len() {
                1 => format!("{name} {}", a(0)),
                _ => format!("{} {name} {}", a(0), a(1)),
            }
        } else {
            format!("{name}({})", args.join(", "))
        }
    }

    /// A deterministic sample of at most `limit` index combinations from the product.
    fn combinations(lens: &[usize], limit: usize) -> Vec<Vec<usize>> {
        let total: usize = lens
            .iter()
            .try_fold(1usize, |acc, l| acc.checked_mul(*l))
            .unwrap_or(usize::MAX);
        let take = total.min(limit);
        // A stride coprime with the product walks it evenly; 7919 is prime.
        let stride = if total <= limit || total % 7919 == 0 {
            1
        } else {
            7919
        };
        (0..take)
            .map(|k| {
                let mut n = (k * stride) % total.max(1);
                lens.iter()
                    .map(|l| {
                        let i = n % l;
                        n /= l;
                        i
                    })
                    .collect()
            })
            .collect()
    }

    /// What a walk did.
    #[derive(Debug, Default)]
    struct Walk {
        functions: usize,
        calls: usize,
        /// Calls that panicked, as the call text with its argument values.
        panics: Vec<String>,
        /// Parameter types the pools have no values for.
        unknown: Vec<String>,
    }

    /// Runs `text` with `scope` under `catch_unwind`, with a watchdog on calls that never
    /// return (native code that loops without counting operations).
    struct Runner {
        current: std::sync::Arc<std::sync::Mutex<(String, std::time::Instant)>>,
    }

    impl Runner {
        fn new() -> Self {
            let current = std::sync::Arc::new(std::sync::Mutex::new((
                String::new(),
                std::time::Instant::now(),
            )));
            let watched = current.clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
                let Ok(g) = watched.lock() else { return };
                if !g.0.is_empty() && g.1.elapsed().as_secs() > 20 {
                    eprintln!("call does not return after 20 s: {}", g.0);
                    std::process::abort();
                }
            });
            Runner { current }
        }

        /// Whether the evaluation returned (a value or an error) rather than panicking.
        fn returns(&self, engine: &Engine, scope: &mut Scope, ast: &AST, text: &str) -> bool {
            if let Ok(mut g) = self.current.lock() {
                *g = (text.to_string(), std::time::Instant::now());
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                engine.eval_ast_with_scope::<Dynamic>(scope, ast)
            }));
            if let Ok(mut g) = self.current.lock() {
                g.0.clear();
            }
            outcome.is_ok()
        }
    }

    /// Calls every function in `engine`'s registry (standard packages included) with edge
    /// values of its parameter types, skipping the names in `skip`.
    fn walk(
        engine: &Engine,
        pools: &Pools,
        skip: impl Fn(&str, &[TypeId]) -> bool,
        per_function: usize,
    ) -> Walk {
        let runner = Runner::new();
        let functions: Vec<(String, Vec<TypeId>)> = engine.collect_fn_metadata(
            None,
            |info| {
                Some((
                    info.metadata.name.to_string(),
                    info.metadata.param_types.to_vec(),
                ))
            },
            true,
        );
        let mut w = Walk {
            functions: functions.len(),
            ..Walk::default()
        };
        for (name, params) in &functions {
            if skip(name, params) {
                continue;
            }
            let mut lens = Vec::new();
            for t in params {
                if *t == TypeId::of::<FnPtr>() {
                    lens.push(pools.fn_ptrs.len());
                } else if let Some(p) = pools.by_type.get(&TypeIdKey(*t)) {
                    lens.push(p.len());
                } else {
                    w.unknown.push(format!("{name}: {t:?}"));
                    break;
                }
            }
            if lens.len() != params.len() {
                continue;
            }
            if std::env::var_os("SANDBOX_WALK_TRACE").is_some() {
                eprintln!("walk: {name} {params:?}");
            }
            let mut asts: BTreeMap<String, Option<AST>> = BTreeMap::new();
            for combo in combinations(&lens, per_function) {
                let mut scope = Scope::new();
                let mut args = Vec::new();
                for (k, (t, &i)) in params.iter().zip(&combo).enumerate() {
                    if *t == TypeId::of::<FnPtr>() {
                        args.push(format!("({})", pools.fn_ptrs[i]));
                    } else {
                        scope.push_dynamic(
                            format!("a{k}"),
                            pools.by_type[&TypeIdKey(*t)][i].clone(),
                        );
                        args.push(format!("a{k}"));
                    }
                }
                let text = call_text(name, &args);
                // Names that cannot be written as a call are unreachable from a rule too.
                let ast = asts
                    .entry(text.clone())
                    .or_insert_with(|| engine.compile_with_scope(&scope, &text).ok());
                let Some(ast) = ast.clone() else { continue };
                w.calls += 1;
                if !runner.returns(engine, &mut scope, &ast, &text) {
                    let values: Vec<String> = params
                        .iter()
                        .zip(&combo)
                        .map(|(t, &i)| match pools.by_type.get(&TypeIdKey(*t)) {
                            Some(p) => format!("{:?}", p[i]),
                            None => pools.fn_ptrs[i].to_string(),
                        })
                        .collect();
                    w.panics
                        .push(format!("{text}   with {}", values.join(", ")));
                }
            }
        }
        w
    }

    /// Every operator over every pair of a mixed pool: built-in operators on built-in types
    /// are not in the registry (Rhai evaluates them directly).
    fn operators(engine: &Engine, pools: &Pools) -> Walk {
        let runner = Runner::new();
        let mut values = Vec::new();
        for t in [
            TypeId::of::<INT>(),
            TypeId::of::<Decimal>(),
            TypeId::of::<ImmutableString>(),
            TypeId::of::<char>(),
            TypeId::of::<bool>(),
            TypeId::of::<()>(),
            TypeId::of::<Array>(),
            TypeId::of::<Map>(),
            TypeId::of::<Blob>(),
        ] {
            values.extend(pools.by_type[&TypeIdKey(t)].iter().take(12).cloned());
        }
        let binary = [
            "+", "-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^", "==", "!=", "<", "<=", ">",
            ">=", "in", "??", "..", "..=",
        ];
        let assign = [
            "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^=",
        ];
        let mut w = Walk::default();
        let mut compiled: BTreeMap<String, AST> = BTreeMap::new();
        let mut run = |text: String, scope: &mut Scope, w: &mut Walk, what: String| {
            let ast = compiled
                .entry(text.clone())
                .or_insert_with(|| {
                    engine
                        .compile_with_scope(scope, &text)
                        .expect("operator text compiles")
                })
                .clone();
            w.calls += 1;
            if !runner.returns(engine, scope, &ast, &text) {
                w.panics.push(format!("{text}   with {what}"));
            }
        };
        for op in ["-", "+", "!"] {
            for a in &values {
                let mut scope = Scope::new();
                scope.push_dynamic("a0", a.clone());
                run(format!("{op} a0"), &mut scope, &mut w, format!("{a:?}"));
            }
        }
        for a in &values {
            for b in &values {
                for op in binary.iter().chain(&assign) {
                    let mut scope = Scope::new();
                    scope.push_dynamic("a0", a.clone());
                    scope.push_dynamic("a1", b.clone());
                    run(
                        format!("a0 {op} a1"),
                        &mut scope,
                        &mut w,
                        format!("{a:?}, {b:?}"),
                    );
                }
            }
        }
        w
    }

    fn rule_engine(limits: &Limits) -> (Engine, Rc<Shared>) {
        let call = Rc::new(RefCell::new(CallState::default()));
        let (budget, used) = (Rc::new(Cell::new(u64::MAX)), Rc::new(Cell::new(0)));
        let engine = super::super::build_engine(limits, &call, &budget, &used);
        let shared = shared();
        let mut st = call.borrow_mut();
        st.shared = Some(shared.clone());
        st.notes_left = 1_000_000;
        st.bytes_left = usize::MAX;
        drop(st);
        (engine, shared)
    }

    /// Few operations per call: edge values need no long loops, and callbacks that loop
    /// forever (one of the closures in the pool) end quickly.
    fn walk_limits() -> Limits {
        Limits {
            max_operations: 5_000,
            ..Limits::default()
        }
    }

    #[test]
    fn every_function_a_rule_can_call_returns_a_value_or_an_error_never_a_panic() {
        let (engine, shared) = rule_engine(&walk_limits());
        let pools = pools(&shared);
        let w = walk(&engine, &pools, |_, _| false, 300);
        println!(
            "{} functions, {} calls, {} panics",
            w.functions,
            w.calls,
            w.panics.len()
        );
        assert!(
            w.unknown.is_empty(),
            "parameter types without edge values: {:#?}",
            w.unknown
        );
        // The rule API, the model views and the packages: hundreds of functions.
        assert!(
            w.functions > 400,
            "the walk must see the whole registry: {w:?}"
        );
        assert!(w.calls > 20_000, "{w:?}");
        assert!(
            w.panics.is_empty(),
            "{} calls panicked:\n{}",
            w.panics.len(),
            w.panics.join("\n")
        );
    }

    #[test]
    fn every_operator_on_every_pair_of_values_returns_a_value_or_an_error() {
        let (engine, shared) = rule_engine(&walk_limits());
        let w = operators(&engine, &pools(&shared));
        println!("{} operator calls, {} panics", w.calls, w.panics.len());
        assert!(w.calls > 100_000, "{w:?}");
        assert!(
            w.panics.is_empty(),
            "{} calls panicked:\n{}",
            w.panics.len(),
            w.panics.join("\n")
        );
    }

    #[test]
    fn the_walk_finds_the_panics_of_rhais_standard_engine() {
        // The same walk over `Engine::new()` (every standard package, nothing replaced) must
        // find the panics this module exists for, or it proves nothing about ours. There,
        // `sleep` and the string `pad` with an empty padding never return: left out.
        let (_, shared) = rule_engine(&walk_limits());
        let mut engine = Engine::new();
        engine
            .set_max_operations(5_000)
            .set_max_array_size(2_000)
            .set_max_string_size(65_536);
        let string = TypeId::of::<ImmutableString>();
        let skip = |name: &str, params: &[TypeId]| {
            name == "sleep" || (name == "pad" && params.first() == Some(&string))
        };
        let w = walk(&engine, &pools(&shared), skip, 300);
        let found = |f: &str| w.panics.iter().any(|p| p.starts_with(f));
        assert!(
            found("tan("),
            "tan(π/2) panics in rust_decimal: {:#?}",
            w.panics
        );
        // Debug builds check arithmetic overflow: the size computation of `pad` panics.
        #[cfg(debug_assertions)]
        assert!(
            found("pad("),
            "pad(a, huge, [..]) overflows: {:#?}",
            w.panics
        );
    }

    #[test]
    fn merge_sort_returns_a_permutation_whatever_the_comparer_answers() {
        // Rhai sorts with `slice::sort_by`, which may panic on a comparer that is not a
        // total order; in WebAssembly its `catch_unwind` cannot catch that.
        let mut seed = 12_345u64;
        let mut coin = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            match seed >> 62 {
                0 => Ordering::Less,
                1 => Ordering::Greater,
                _ => Ordering::Equal,
            }
        };
        for n in [0, 1, 2, 3, 20, 21, 100, 1_000] {
            let sorted = merge_sort((0..n).collect(), &mut |_, _| Ok(coin())).unwrap();
            let mut seen = sorted.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation of 0..{n}");
        }
        let values = [5, 3, 9, 1, 1, 7];
        let by_value = merge_sort((0..values.len()).collect(), &mut |a, b| {
            Ok(values[a].cmp(&values[b]))
        })
        .unwrap();
        // Stable: the two 1s keep their order (positions 3 then 4).
        assert_eq!(by_value, vec![3, 4, 1, 0, 5, 2]);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod docs {
    //! `docs/sandbox.md` states what rules can call and the fixed bounds: it must say what
    //! the engine does.

    use super::*;
    use std::collections::BTreeSet;

    const DOC: &str = include_str!("../../docs/sandbox.md");

    /// The keywords a rule can call that are not registered functions.
    const KEYWORDS: [&str; 7] = [
        "type_of",
        "Fn",
        "call",
        "curry",
        "is_def_fn",
        "is_def_var",
        "is_shared",
    ];

    fn section(title: &str) -> &'static str {
        let start = DOC.find(title).unwrap();
        let rest = &DOC[start + title.len()..];
        &rest[..rest.find("\n## ").unwrap_or(rest.len())]
    }

    #[test]
    fn the_documented_functions_are_the_ones_rules_can_call() {
        let documented: BTreeSet<&str> = section("## What rules can call")
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| group"))
            .flat_map(|l| l.split('`').skip(1).step_by(2))
            .collect();
        let call = Rc::new(std::cell::RefCell::new(
            super::super::natives::CallState::default(),
        ));
        let (budget, used) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let engine = super::super::build_engine(&Limits::default(), &call, &budget, &used);
        let helpers: BTreeSet<&str> = super::super::api::metadata()
            .helpers
            .iter()
            .map(|h| h.name)
            .collect();
        // Identifiers only: operators, getters (`get$…`) and indexers are syntax.
        let registered: BTreeSet<String> = engine
            .collect_fn_metadata(None, |info| Some(info.metadata.name.to_string()), true)
            .into_iter()
            .filter(|n| n.starts_with(|c: char| c.is_alphabetic()) && !n.contains('$'))
            .collect();
        let missing: Vec<&String> = registered
            .iter()
            .filter(|n| !documented.contains(n.as_str()) && !helpers.contains(n.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "callable but not in docs/sandbox.md: {missing:?}"
        );
        let extra: Vec<&&str> = documented
            .iter()
            .filter(|n| !registered.contains(**n) && !KEYWORDS.contains(n))
            .collect();
        assert!(
            extra.is_empty(),
            "in docs/sandbox.md but not callable: {extra:?}"
        );
        for gone in [
            "sleep",
            "exit",
            "parse_json",
            "take",
            "blob",
            "timestamp",
            "get_bit",
        ] {
            assert!(!registered.contains(gone), "{gone} must not be callable");
        }
        let not_available = section("Not available:");
        for named in [
            "`eval`",
            "`sleep`",
            "`exit`",
            "`parse_json`",
            "BLOBs",
            "time",
        ] {
            assert!(
                not_available.contains(named),
                "docs/sandbox.md must list {named}"
            );
        }
    }

    #[test]
    fn the_documented_bounds_are_the_engine_s() {
        let bounds = section("## Bounds that are not options");
        let number = |n: usize| {
            let s = n.to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        for expected in [
            format!("| {MAX_DEPTH} levels |"),
            format!("| {} KiB |", STACK_BUDGET / 1024),
            format!("| {} |", number(MAX_FUNCTIONS)),
            format!(
                "1 operation per {VALUES_PER_OPERATION} values and per {BYTES_PER_OPERATION} bytes"
            ),
        ] {
            assert!(
                bounds.contains(&expected),
                "docs/sandbox.md must say `{expected}`"
            );
        }
    }
}
