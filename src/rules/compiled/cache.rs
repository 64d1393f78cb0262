//! Answers of pure hooks reused across orders.
//!
//! A compiled `eligible`, `rank` or `split` hook whose only use of the order is reading a few of its
//! fields (`order.customer.type`, `order.ship_to.country`, …), that writes no notes, holds
//! nothing, reads no stock and calls only helpers that do the same, gives the same answer —
//! and counts the same operations — for the same warehouse and the same values of those
//! fields. Such answers are kept, keyed by those values, for the inventory they were
//! computed against. A cache that mostly misses (a rank by distance to the customer never
//! hits) switches itself off.

use super::compile::Ty;
use crate::hooks::Hook;
use crate::rules::schema::Obj;
use crate::rules::value::{Ctx, Value};
use ahash::AHashMap;
use rhai::{Expr, Stmt};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A field of the order, as a path of property names from the order (`["customer", "type"]`).
pub(crate) type Path = Vec<&'static str>;

/// Helpers whose results depend on more than their arguments, or that leave a trace.
const IMPURE: &[&str] = &["note", "hold", "print", "debug", "available", "stock"];

/// The order fields a hook reads, when its answer depends only on them and the warehouse.
pub(crate) fn order_paths(
    hook: Hook,
    params: &[String],
    body: &[Stmt],
    helpers: &HashMap<String, Vec<Stmt>>,
) -> Option<Vec<Path>> {
    if !matches!(hook, Hook::Eligible | Hook::Rank | Hook::Split) {
        return None;
    }
    let order = params.first()?.as_str();
    let mut paths: Vec<Path> = Vec::new();
    let mut ok = true;
    let mut seen_helpers: Vec<String> = Vec::new();
    scan(
        body,
        Some(order),
        helpers,
        &mut paths,
        &mut ok,
        &mut seen_helpers,
    );
    ok.then_some(paths)
}

fn scan(
    stmts: &[Stmt],
    order: Option<&str>,
    helpers: &HashMap<String, Vec<Stmt>>,
    paths: &mut Vec<Path>,
    ok: &mut bool,
    seen: &mut Vec<String>,
) {
    for s in stmts {
        let _ = s.walk(&mut Vec::new(), &mut |path: &[rhai::ASTNode]| {
            let Some(node) = path.last() else {
                return true;
            };
            match node {
                rhai::ASTNode::Expr(Expr::FnCall(x, _))
                | rhai::ASTNode::Expr(Expr::MethodCall(x, _))
                | rhai::ASTNode::Stmt(Stmt::FnCall(x, _)) => {
                    let name = x.name.as_str();
                    if IMPURE.contains(&name) || matches!(name, "call" | "Fn" | "curry" | "eval") {
                        *ok = false;
                    }
                    if let Some(body) = helpers.get(name) {
                        if !seen.iter().any(|h| h == name) {
                            seen.push(name.to_string());
                            // A helper may not see the order itself (checked below, as a
                            // bare variable), only values read from it.
                            scan(body, None, helpers, paths, ok, seen);
                        }
                    }
                }
                rhai::ASTNode::Expr(Expr::ThisPtr(..)) => *ok = false,
                rhai::ASTNode::Expr(Expr::Variable(v, _, _)) if Some(v.1.as_str()) == order => {
                    // The order may only appear as the root of a property chain.
                    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
                    match parent {
                        Some(rhai::ASTNode::Expr(Expr::Dot(d, _, _))) if is_lhs(d, v) => {
                            match chain_path(&d.rhs) {
                                Some(p) => {
                                    if !paths.contains(&p) {
                                        paths.push(p);
                                    }
                                }
                                None => *ok = false,
                            }
                        }
                        _ => *ok = false,
                    }
                }
                rhai::ASTNode::Stmt(Stmt::Assignment(x)) => {
                    if let Expr::Variable(v, _, _) = &x.1.lhs {
                        if Some(v.1.as_str()) == order {
                            *ok = false;
                        }
                    }
                }
                _ => {}
            }
            true
        });
    }
}

fn is_lhs(
    d: &rhai::BinaryExpr,
    v: &(Option<std::num::NonZeroUsize>, rhai::ImmutableString),
) -> bool {
    matches!(&d.lhs, Expr::Variable(x, _, _) if x.1 == v.1)
}

/// The properties read from the order in `order.a.b…`, when they are plain data fields.
fn chain_path(rhs: &Expr) -> Option<Path> {
    let mut path: Path = Vec::new();
    let mut ty = Ty::View(Obj::Order);
    let mut cur = rhs;
    loop {
        let (this, next) = match cur {
            Expr::Dot(x, _, _) => (&x.lhs, Some(&x.rhs)),
            Expr::Index(..) => return None,
            other => (other, None),
        };
        let Expr::Property(p, _) = this else {
            // A method call on a field (`order.ship_to.country.len()`) still depends only
            // on that field.
            return (matches!(this, Expr::MethodCall(..)) && !path.is_empty()).then_some(path);
        };
        let Ty::View(obj) = ty else {
            return None;
        };
        let field = obj.field(p.2.as_str())?;
        if matches!(field.name, "lines" | "attributes" | "value") && obj == Obj::Order {
            return None;
        }
        path.push(field.name);
        ty = super::compile::prop_ty(ty, field.name);
        match next {
            Some(n) => cur = n,
            None => break,
        }
    }
    // The path must end in data, not in a whole object.
    matches!(ty, Ty::Unknown).then_some(path)
}

/// One field value, owned, as part of a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Part {
    Unit,
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Str(String),
    List(Vec<String>),
    Loc(Decimal, Decimal),
}

/// The order part of a call's key: the values of the order fields the hook reads.
pub(crate) fn key(ctx: Ctx<'_>, paths: &[Path]) -> Option<Key> {
    let mut parts = Vec::with_capacity(paths.len());
    for path in paths {
        let mut v = Value::View(Obj::Order, 0);
        for name in path {
            let Value::View(obj, i) = v else {
                return None;
            };
            v = (obj.field(name)?.get)(ctx, i);
        }
        parts.push(match v {
            Value::Unit => Part::Unit,
            Value::Bool(b) => Part::Bool(b),
            Value::Int(i) => Part::Int(i),
            Value::Dec(d) => Part::Dec(d),
            Value::Str(s) => Part::Str(s.to_string()),
            Value::Tags(t) => Part::List(t.to_vec()),
            Value::Loc(l) => Part::Loc(l.lat, l.lon),
            _ => return None,
        });
    }
    Some((ctx.as_of, parts))
}

/// The routing day (for `warehouse.period_ended`) and the field values.
pub(crate) type Key = (Option<time::Date>, Vec<Part>);

/// Where an order's answers are: a row of the cache, valid while its generation lasts.
pub(crate) type Row = (u64, u32);

/// Cached answers of one hook: one row per distinct key, one slot per warehouse in a row.
/// The key is computed once per order (the row is kept in the run), so asking about each
/// further warehouse costs an index, not a hash of the order's fields.
#[derive(Debug)]
pub(crate) struct HookCache<T> {
    /// The inventory the answers were computed against.
    inventory: usize,
    /// Bumped whenever the rows are dropped, so rows remembered by a run go stale.
    generation: u64,
    rows: AHashMap<Key, u32>,
    answers: Vec<Vec<Option<(T, u64)>>>,
    /// Slots allocated over all rows.
    entries: usize,
    lookups: u64,
    hits: u64,
    off: bool,
}

impl<T> Default for HookCache<T> {
    fn default() -> Self {
        HookCache {
            inventory: 0,
            generation: 0,
            rows: AHashMap::new(),
            answers: Vec::new(),
            entries: 0,
            lookups: 0,
            hits: 0,
            off: false,
        }
    }
}

/// Answer slots (rows × warehouses) one hook keeps at most; past it the cache starts over.
const MAX_SLOTS: usize = 1 << 16;
/// Lookups after which a cache that hits less than a third of the time switches off.
const TRIAL: u64 = 512;

impl<T: Clone> HookCache<T> {
    pub fn enabled(&self) -> bool {
        !self.off
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.answers.clear();
        self.entries = 0;
        self.generation += 1;
    }

    /// Whether `row` still names this cache's answers for `inventory`.
    pub fn valid(&self, inventory: usize, row: Row) -> bool {
        !self.off && self.inventory == inventory && self.generation == row.0
    }

    /// The row of `key`, made if new.
    pub fn row(&mut self, inventory: usize, key: Key) -> Row {
        if self.inventory != inventory {
            self.clear();
            self.inventory = inventory;
        }
        let next = u32::try_from(self.answers.len()).unwrap_or(u32::MAX);
        let row = *self.rows.entry(key).or_insert(next);
        if row == next {
            self.answers.push(Vec::new());
        }
        (self.generation, row)
    }

    /// The cached answer for `warehouse` in `row`, and its operation count, if any.
    pub fn get(&mut self, row: Row, warehouse: usize) -> Option<(T, u64)> {
        if self.off || row.0 != self.generation {
            return None;
        }
        self.lookups += 1;
        let found = self
            .answers
            .get(row.1 as usize)
            .and_then(|r| r.get(warehouse))
            .and_then(Option::clone);
        if found.is_some() {
            self.hits += 1;
        } else if self.lookups >= TRIAL && self.hits * 3 < self.lookups {
            self.off = true;
            self.clear();
            self.rows = AHashMap::new();
            self.answers = Vec::new();
        }
        found
    }

    pub fn put(&mut self, row: Row, warehouse: usize, answer: T, ops: u64) {
        if self.off || row.0 != self.generation {
            return;
        }
        let Some(slots) = self.answers.get_mut(row.1 as usize) else {
            return;
        };
        if slots.len() <= warehouse {
            let grow = warehouse + 1 - slots.len();
            if self.entries + grow > MAX_SLOTS {
                self.clear();
                return;
            }
            self.entries += grow;
            slots.resize(warehouse + 1, None);
        }
        if let Some(slot) = slots.get_mut(warehouse) {
            *slot = Some((answer, ops));
        }
    }
}
