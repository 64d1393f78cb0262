//! Rhai AST → closures over [`Value`]s.
//!
//! Every closure mirrors what Rhai's tree-walking evaluator does for the same node, and
//! counts an operation wherever Rhai counts one (`Frame::tick`), so limits and the order's
//! budget run out at the same point in both modes. Property names are resolved to the
//! schema's getters at compile time; top-level constants are folded in. A construct this
//! module does not cover makes the whole hook interpreted ([`Unsupported`]); a runtime case it
//! does not cover bails out of the call ([`Bail`]) and the interpreter answers.

use super::calls::{self, Native};
use super::frame::{Bail, Flow, Frame, R};
use super::ops::{self, Op};
use crate::rules::schema::{Getter, Obj};
use crate::rules::value::Value;
use rhai::{ASTFlags, Dynamic, Expr, FnCallExpr, Scope, Stmt, StmtBlock};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Why a hook cannot be compiled, in words for `check`.
pub(crate) type Unsupported = String;
type C<T> = Result<T, Unsupported>;

pub(crate) type Ev = Box<dyn for<'a> Fn(&mut Frame<'a>) -> R<Value<'a>>>;
pub(crate) type Ex = Box<dyn for<'a> Fn(&mut Frame<'a>) -> R<Flow<'a>>>;

/// A compiled script function.
pub(crate) struct Func {
    /// Slots for parameters and locals.
    pub slots: usize,
    pub body: Vec<Ex>,
    /// Rhai returns `()` for an empty body without counting the call.
    pub empty: bool,
}

impl Func {
    /// The place of a function that did not compile (never called: its callers fail too).
    pub fn failed() -> Func {
        Func {
            slots: 0,
            body: vec![Box::new(|_| Err(Bail))],
            empty: false,
        }
    }
}

/// What the compiler knows statically about a value: the kind of view it is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Unknown,
    View(Obj),
    Seq(Obj),
}

/// The signature of a script function: name and arity.
pub(crate) type Sig = (String, usize);

pub(crate) struct Compiler<'c> {
    pub functions: &'c HashMap<Sig, usize>,
    pub constants: &'c Scope<'static>,
    /// Visible locals: name, slot, constant?, static type.
    scope: Vec<(String, usize, bool, Ty)>,
    next: usize,
    max: usize,
    /// Script functions this one calls.
    callees: Vec<usize>,
}

/// A value known at compile time, as a compiled value.
pub(crate) fn constant(d: &Dynamic) -> C<Value<'static>> {
    if d.is_unit() {
        return Ok(Value::Unit);
    }
    if let Ok(b) = d.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = d.as_int() {
        return Ok(Value::Int(i));
    }
    if let Some(x) = d.clone().try_cast::<rust_decimal::Decimal>() {
        return Ok(Value::Dec(x));
    }
    if let Ok(c) = d.as_char() {
        return Ok(Value::Char(c));
    }
    if let Some(s) = d.read_lock::<rhai::ImmutableString>() {
        return Ok(Value::Owned(Rc::from(s.as_str())));
    }
    if let Some(a) = d.read_lock::<rhai::Array>() {
        return Ok(Value::Array(Rc::new(
            a.iter().map(constant).collect::<C<Vec<_>>>()?,
        )));
    }
    if let Some(m) = d.read_lock::<rhai::Map>() {
        let mut out = BTreeMap::new();
        for (k, v) in m.iter() {
            out.insert(Rc::from(k.as_str()), constant(v)?);
        }
        return Ok(Value::Map(Rc::new(out)));
    }
    if let Some(r) = d.read_lock::<std::ops::Range<i64>>() {
        return Ok(Value::Range(r.start, r.end));
    }
    if let Some(r) = d.read_lock::<std::ops::RangeInclusive<i64>>() {
        let end = r
            .end()
            .checked_add(1)
            .ok_or("an inclusive range up to the largest integer")?;
        return Ok(Value::Range(*r.start(), end));
    }
    if d.is_fnptr() {
        return Err("closures or function pointers (`|a, b| …`, `Fn(\"name\")`)".into());
    }
    Err(format!("a constant of type `{}`", d.type_name()))
}

fn literal(value: Value<'static>) -> Ev {
    Box::new(move |f| {
        f.tick()?;
        Ok(value.clone())
    })
}

fn as_bool(v: &Value<'_>) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Json(serde_json::Value::Bool(b)) => Ok(*b),
        _ => Err(Bail),
    }
}

/// Runs statements in order; the block's value is the last statement's.
pub(crate) fn run_block<'a>(f: &mut Frame<'a>, stmts: &[Ex]) -> R<Flow<'a>> {
    let mut last = Value::Unit;
    for s in stmts {
        match s(f)? {
            Flow::Next(v) => last = v,
            other => return Ok(other),
        }
    }
    Ok(Flow::Next(last))
}

/// Calls a compiled script function with its arguments.
pub(crate) fn call_fn<'a>(f: &mut Frame<'a>, index: usize, args: calls::Args<'a>) -> R<Value<'a>> {
    let fns = f.fns;
    let func = fns.get(index).ok_or(Bail)?;
    if func.empty {
        return Ok(Value::Unit);
    }
    f.tick()?;
    f.level += 1;
    if f.level > f.caps.call_levels || f.slots.len() + func.slots > f.caps.variables {
        return Err(Bail);
    }
    let base = f.slots.len();
    f.slots.extend(args);
    f.slots.resize(base + func.slots, Value::Unit);
    let saved = std::mem::replace(&mut f.base, base);
    let result = run_block(f, &func.body);
    f.base = saved;
    f.slots.truncate(base);
    f.level -= 1;
    match result? {
        Flow::Next(v) | Flow::Return(v) => Ok(v),
        Flow::Break(_) | Flow::Continue => Err(Bail),
    }
}

impl<'c> Compiler<'c> {
    pub fn new(functions: &'c HashMap<Sig, usize>, constants: &'c Scope<'static>) -> Self {
        Compiler {
            functions,
            constants,
            scope: Vec::new(),
            next: 0,
            max: 0,
            callees: Vec::new(),
        }
    }

    /// Script functions the compiled code calls (to know which hooks depend on which).
    pub fn callees(&self) -> Vec<usize> {
        self.callees.clone()
    }

    /// Compiles one script function (`params` typed where the hook's signature says so).
    pub fn function(&mut self, params: &[(String, Ty)], body: &[Stmt]) -> C<Func> {
        for (name, ty) in params {
            self.declare(name, false, *ty);
        }
        let stmts = body.iter().map(|s| self.stmt(s)).collect::<C<Vec<_>>>()?;
        Ok(Func {
            slots: self.max,
            empty: body.is_empty(),
            body: stmts,
        })
    }

    fn declare(&mut self, name: &str, constant: bool, ty: Ty) -> usize {
        let slot = self.next;
        self.next += 1;
        self.max = self.max.max(self.next);
        self.scope.push((name.to_string(), slot, constant, ty));
        slot
    }

    fn lookup(&self, name: &str) -> Option<(usize, bool, Ty)> {
        self.scope
            .iter()
            .rev()
            .find(|(n, ..)| n == name)
            .map(|(_, s, c, t)| (*s, *c, *t))
    }

    /// Compiles a block's statements in a scope of their own.
    fn block_stmts(&mut self, block: &StmtBlock) -> C<Vec<Ex>> {
        let (len, next) = (self.scope.len(), self.next);
        let stmts = block
            .statements()
            .iter()
            .map(|s| self.stmt(s))
            .collect::<C<Vec<_>>>();
        self.scope.truncate(len);
        self.next = next;
        stmts
    }

    fn stmt(&mut self, stmt: &Stmt) -> C<Ex> {
        Ok(match stmt {
            Stmt::Noop(_) => Box::new(|f| {
                f.tick()?;
                Ok(Flow::Next(Value::Unit))
            }),
            Stmt::Expr(e) => {
                let e = self.expr(e)?;
                Box::new(move |f| {
                    f.tick()?;
                    Ok(Flow::Next(e(f)?))
                })
            }
            Stmt::FnCall(x, _) => {
                let call = self.call(x)?;
                Box::new(move |f| {
                    f.tick()?;
                    Ok(Flow::Next(call(f)?))
                })
            }
            Stmt::Block(b) => {
                let stmts = self.block_stmts(b)?;
                Box::new(move |f| {
                    f.tick()?;
                    run_block(f, &stmts)
                })
            }
            Stmt::Var(x, flags, _) => {
                let (ident, init, _) = &**x;
                let init_ty = self.ty_of(init);
                let init = self.expr(init)?;
                let slot = self.declare(
                    ident.name.as_str(),
                    flags.intersects(ASTFlags::CONSTANT),
                    init_ty,
                );
                Box::new(move |f| {
                    f.tick()?;
                    if f.slots.len() >= f.caps.variables {
                        return Err(Bail);
                    }
                    let v = init(f)?;
                    f.set(slot, v)?;
                    Ok(Flow::Next(Value::Unit))
                })
            }
            Stmt::Assignment(x) => self.assignment(x)?,
            Stmt::If(x, _) => {
                let cond = self.expr(&x.expr)?;
                let body = self.block_stmts(&x.body)?;
                let branch = self.block_stmts(&x.branch)?;
                Box::new(move |f| {
                    f.tick()?;
                    let c = as_bool(&cond(f)?)?;
                    let chosen = if c { &body } else { &branch };
                    if chosen.is_empty() {
                        Ok(Flow::Next(Value::Unit))
                    } else {
                        run_block(f, chosen)
                    }
                })
            }
            Stmt::Switch(x, _) => self.switch(x)?,
            Stmt::While(x, _) => {
                let infinite = matches!(x.expr, Expr::Unit(..) | Expr::BoolConstant(true, ..));
                let body = self.block_stmts(&x.body)?;
                let empty = x.body.is_empty();
                if infinite {
                    Box::new(move |f| {
                        f.tick()?;
                        loop {
                            if empty {
                                f.tick()?;
                                continue;
                            }
                            match run_block(f, &body)? {
                                Flow::Next(_) | Flow::Continue => {}
                                Flow::Break(v) => return Ok(Flow::Next(v)),
                                r @ Flow::Return(_) => return Ok(r),
                            }
                        }
                    })
                } else {
                    let cond = self.expr(&x.expr)?;
                    Box::new(move |f| {
                        f.tick()?;
                        loop {
                            if !as_bool(&cond(f)?)? {
                                return Ok(Flow::Next(Value::Unit));
                            }
                            if empty {
                                continue;
                            }
                            match run_block(f, &body)? {
                                Flow::Next(_) | Flow::Continue => {}
                                Flow::Break(v) => return Ok(Flow::Next(v)),
                                r @ Flow::Return(_) => return Ok(r),
                            }
                        }
                    })
                }
            }
            Stmt::Do(x, flags, _) => {
                let is_while = !flags.intersects(ASTFlags::NEGATED);
                let body = self.block_stmts(&x.body)?;
                let cond = self.expr(&x.expr)?;
                Box::new(move |f| {
                    f.tick()?;
                    loop {
                        if !body.is_empty() {
                            match run_block(f, &body)? {
                                Flow::Next(_) | Flow::Continue => {}
                                Flow::Break(v) => return Ok(Flow::Next(v)),
                                r @ Flow::Return(_) => return Ok(r),
                            }
                        }
                        if as_bool(&cond(f)?)? ^ is_while {
                            return Ok(Flow::Next(Value::Unit));
                        }
                    }
                })
            }
            Stmt::For(x, _) => self.for_loop(x)?,
            Stmt::BreakLoop(value, flags, _) => {
                let is_break = flags.intersects(ASTFlags::BREAK);
                let value = match value {
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                Box::new(move |f| {
                    f.tick()?;
                    if !is_break {
                        return Ok(Flow::Continue);
                    }
                    let v = match &value {
                        Some(e) => e(f)?,
                        None => Value::Unit,
                    };
                    Ok(Flow::Break(v))
                })
            }
            Stmt::Return(value, flags, _) => {
                if flags.intersects(ASTFlags::BREAK) {
                    // `throw`: the interpreter reports it.
                    return Ok(Box::new(|_| Err(Bail)));
                }
                let value = match value {
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                Box::new(move |f| {
                    f.tick()?;
                    let v = match &value {
                        Some(e) => e(f)?,
                        None => Value::Unit,
                    };
                    Ok(Flow::Return(v))
                })
            }
            Stmt::TryCatch(..) => return Err("`try`/`catch`".into()),
            Stmt::Share(..) => return Err("closures capturing variables".into()),
            _ => return Err("this statement".into()),
        })
    }

    fn for_loop(&mut self, x: &(rhai::Ident, Option<rhai::Ident>, rhai::FlowControl)) -> C<Ex> {
        let (var, counter, flow) = x;
        let iter_ty = self.ty_of(&flow.expr);
        let iterable = self.expr(&flow.expr)?;
        let (len, next) = (self.scope.len(), self.next);
        let counter_slot = counter
            .as_ref()
            .map(|c| self.declare(c.name.as_str(), false, Ty::Unknown));
        let elem_ty = match iter_ty {
            Ty::Seq(o) => Ty::View(o),
            _ => Ty::Unknown,
        };
        let var_slot = self.declare(var.name.as_str(), false, elem_ty);
        let body = self.block_stmts(&flow.body);
        self.scope.truncate(len);
        self.next = next;
        let body = body?;
        let empty = flow.body.is_empty();
        let extra = usize::from(counter_slot.is_some());
        let lp = Loop {
            counter: counter_slot,
            var: var_slot,
            body,
            empty,
        };
        Ok(Box::new(move |f| {
            f.tick()?;
            if f.slots.len() + extra >= f.caps.variables {
                return Err(Bail);
            }
            let items = iterable(f)?;
            let mut i: i64 = -1;
            // Each kind of iterable, as Rhai's iterators yield them.
            macro_rules! drive {
                ($iter:expr) => {
                    for value in $iter {
                        i += 1;
                        if let Some(flow) = lp.step(f, i, value)? {
                            return Ok(flow);
                        }
                    }
                };
            }
            match items {
                Value::Array(a) => drive!(a.iter().cloned()),
                Value::Seq(obj, n) => drive!((0..n).map(|k| Value::View(obj, k))),
                Value::Tags(t) => drive!(t.iter().map(|s| Value::Str(s))),
                Value::Range(a, b) => drive!((a..b).map(Value::Int)),
                Value::Json(serde_json::Value::Array(a)) => drive!(a.iter().map(Value::from_json)),
                _ => return Err(Bail),
            }
            Ok(Flow::Next(Value::Unit))
        }))
    }

    fn switch(&mut self, x: &(Expr, rhai::SwitchCasesCollection)) -> C<Ex> {
        let (value, cases) = x;
        if !cases.ranges.is_empty() {
            return Err("`switch` with range cases".into());
        }
        let value = self.expr(value)?;
        let exprs = cases
            .expressions
            .iter()
            .map(|b| {
                let cond = match &b.lhs {
                    Expr::BoolConstant(c, ..) => Err(*c),
                    other => Ok(self.expr(other)?),
                };
                Ok((cond, self.expr(&b.rhs)?))
            })
            .collect::<C<Vec<(Result<Ev, bool>, Ev)>>>()?;
        let table: Vec<(u64, Vec<usize>)> = cases
            .cases
            .iter()
            .map(|(h, c)| (*h, c.blocks.to_vec()))
            .collect();
        let default = cases.def_case;
        Ok(Box::new(move |f| {
            f.tick()?;
            let v = value(f)?;
            let hash = calls::switch_hash(&v)?;
            let mut chosen = None;
            if let Some((_, blocks)) = table.iter().find(|(h, _)| *h == hash) {
                for &i in blocks {
                    let (cond, _) = exprs.get(i).ok_or(Bail)?;
                    let ok = match cond {
                        Err(c) => *c,
                        Ok(e) => as_bool(&e(f)?)?,
                    };
                    if ok {
                        chosen = Some(i);
                        break;
                    }
                }
            }
            match chosen.or(default) {
                Some(i) => {
                    let (_, rhs) = exprs.get(i).ok_or(Bail)?;
                    Ok(Flow::Next(rhs(f)?))
                }
                None => Ok(Flow::Next(Value::Unit)),
            }
        }))
    }

    fn assignment(&mut self, x: &(rhai::OpAssignment, rhai::BinaryExpr)) -> C<Ex> {
        let (op_info, bin) = x;
        let op = match op_info.get_op_assignment_info() {
            None => None,
            Some((.., op_syntax)) => Some(Op::from_name(op_syntax).ok_or("a compound assignment")?),
        };
        let rhs = self.expr(&bin.rhs)?;
        match &bin.lhs {
            Expr::Variable(v, _, _) => {
                let name = v.1.as_str();
                let Some((slot, is_const, _)) = self.lookup(name) else {
                    return Err(format!("assignment to `{name}`"));
                };
                if is_const {
                    return Ok(Box::new(|_| Err(Bail)));
                }
                Ok(Box::new(move |f| {
                    f.tick()?;
                    let value = rhs(f)?;
                    f.tick()?;
                    // Rhai looks the variable up after the right-hand side: its old value.
                    ops::charge_read(f, slot)?;
                    let new = match op {
                        None => value,
                        Some(op) => {
                            let caps = f.caps;
                            let extra = ops::op_assign_cost(f.get(slot)?, &value)?;
                            f.ticks(extra)?;
                            ops::binary(op, f.get(slot)?, &value, &caps)?
                        }
                    };
                    ops::check_size(&new, &f.caps)?;
                    f.set(slot, new)?;
                    Ok(Flow::Next(Value::Unit))
                }))
            }
            Expr::Index(..) | Expr::Dot(..) => {
                let path = self.place(&bin.lhs)?;
                Ok(Box::new(move |f| {
                    f.tick()?;
                    let value = rhs(f)?;
                    path.assign(f, value, op)?;
                    Ok(Flow::Next(Value::Unit))
                }))
            }
            _ => Err("this kind of assignment".into()),
        }
    }

    /// `var[index]…` / `var.prop…` as a place to assign to: only into the rule's own arrays
    /// and maps held in local variables (views are read-only: the interpreter reports it).
    fn place(&mut self, e: &Expr) -> C<Place> {
        let mut steps = Vec::new();
        let mut cur = e;
        let root;
        loop {
            match cur {
                Expr::Index(x, _, _) => {
                    steps.push(Step::Index(
                        self.expr(&x.rhs)?,
                        x.rhs.get_literal_value(None).is_some(),
                    ));
                    cur = &x.lhs;
                }
                Expr::Dot(x, _, _) => {
                    let Expr::Property(p, _) = &x.rhs else {
                        return Err("assignment through a method call".into());
                    };
                    steps.push(Step::Prop(Rc::from(p.2.as_str())));
                    cur = &x.lhs;
                }
                Expr::Variable(v, _, _) => {
                    let name = v.1.as_str();
                    let Some((slot, is_const, _)) = self.lookup(name) else {
                        return Err(format!("assignment to `{name}`"));
                    };
                    root = (slot, is_const);
                    break;
                }
                _ => return Err("assignment to a computed value".into()),
            }
        }
        if steps.len() != 1 {
            return Err("nested index or property assignment".into());
        }
        steps.reverse();
        Ok(Place {
            slot: root.0,
            constant: root.1,
            steps,
        })
    }

    /// The static type of an expression, where it is certain.
    fn ty_of(&self, e: &Expr) -> Ty {
        match e {
            Expr::Variable(v, _, _) => self.lookup(v.1.as_str()).map_or(Ty::Unknown, |(_, _, t)| t),
            Expr::Dot(x, _, _) => {
                let mut ty = self.ty_of(&x.lhs);
                let mut rhs = &x.rhs;
                loop {
                    match rhs {
                        Expr::Property(p, _) => return prop_ty(ty, p.2.as_str()),
                        Expr::Dot(y, _, _) => {
                            let Expr::Property(p, _) = &y.lhs else {
                                return Ty::Unknown;
                            };
                            ty = prop_ty(ty, p.2.as_str());
                            rhs = &y.rhs;
                        }
                        _ => return Ty::Unknown,
                    }
                }
            }
            _ => Ty::Unknown,
        }
    }

    /// An expression in argument position: a literal counts one operation without being
    /// evaluated as an expression (Rhai's `get_arg_value`).
    fn arg(&mut self, e: &Expr) -> C<Ev> {
        if let Some(d) = e.get_literal_value(None) {
            return Ok(literal(constant(&d)?));
        }
        self.expr(e)
    }

    pub fn expr(&mut self, e: &Expr) -> C<Ev> {
        if let Some(d) = simple_constant(e) {
            return Ok(literal(constant(&d)?));
        }
        Ok(match e {
            Expr::Variable(v, _, _) => {
                let name = v.1.as_str();
                match self.lookup(name) {
                    Some((slot, ..)) => Box::new(move |f| {
                        f.tick()?;
                        ops::charge_read(f, slot)?;
                        Ok(f.get(slot)?.clone())
                    }),
                    None => match self.constants.get(name) {
                        Some(d) => literal(constant(d)?),
                        None => return Err(format!("the variable `{name}`")),
                    },
                }
            }
            Expr::FnCall(x, _) => {
                let call = self.call(x)?;
                Box::new(move |f| {
                    f.tick()?;
                    call(f)
                })
            }
            Expr::And(items, _) | Expr::Or(items, _) => {
                let is_and = matches!(e, Expr::And(..));
                let items = items.iter().map(|i| self.expr(i)).collect::<C<Vec<_>>>()?;
                Box::new(move |f| {
                    f.tick()?;
                    for item in &items {
                        let b = as_bool(&item(f)?)?;
                        if b != is_and {
                            return Ok(Value::Bool(!is_and));
                        }
                    }
                    Ok(Value::Bool(is_and))
                })
            }
            Expr::Coalesce(items, _) => {
                let items = items.iter().map(|i| self.expr(i)).collect::<C<Vec<_>>>()?;
                Box::new(move |f| {
                    f.tick()?;
                    let mut value = Value::Unit;
                    for item in &items {
                        value = item(f)?;
                        if value != Value::Unit {
                            break;
                        }
                    }
                    Ok(value)
                })
            }
            Expr::Array(items, _) => {
                let items = items.iter().map(|i| self.expr(i)).collect::<C<Vec<_>>>()?;
                Box::new(move |f| {
                    f.tick()?;
                    let mut out = Vec::with_capacity(items.len());
                    for item in &items {
                        out.push(item(f)?);
                    }
                    let v = Value::Array(Rc::new(out));
                    ops::check_size(&v, &f.caps)?;
                    Ok(v)
                })
            }
            Expr::Map(x, _) => {
                let (entries, template) = &**x;
                let base: BTreeMap<Rc<str>, Value<'static>> = template
                    .iter()
                    .map(|(k, v)| Ok((Rc::from(k.as_str()), constant(v)?)))
                    .collect::<C<_>>()?;
                let entries = entries
                    .iter()
                    .map(|(k, v)| Ok((Rc::from(k.name.as_str()), self.expr(v)?)))
                    .collect::<C<Vec<(Rc<str>, Ev)>>>()?;
                Box::new(move |f| {
                    f.tick()?;
                    let mut map: BTreeMap<Rc<str>, Value<'_>> =
                        base.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    for (k, v) in &entries {
                        let value = v(f)?;
                        map.insert(k.clone(), value);
                    }
                    let v = Value::Map(Rc::new(map));
                    ops::check_size(&v, &f.caps)?;
                    Ok(v)
                })
            }
            Expr::InterpolatedString(parts, _) => {
                let parts = parts.iter().map(|p| self.expr(p)).collect::<C<Vec<_>>>()?;
                Box::new(move |f| {
                    f.tick()?;
                    let mut s = String::new();
                    for p in &parts {
                        let v = p(f)?;
                        match v.as_str() {
                            Some(text) => s.push_str(text),
                            None => {
                                // Rhai formats other values with a `to_string` call.
                                f.tick()?;
                                s.push_str(&calls::display(&v)?);
                            }
                        }
                        if s.len() > f.caps.string {
                            return Err(Bail);
                        }
                    }
                    Ok(Value::Owned(Rc::from(s)))
                })
            }
            Expr::Stmt(block) => {
                let stmts = self.block_stmts(block)?;
                Box::new(move |f| {
                    f.tick()?;
                    match run_block(f, &stmts)? {
                        Flow::Next(v) => Ok(v),
                        // `return` or `break` inside an expression block: the interpreter.
                        _ => Err(Bail),
                    }
                })
            }
            Expr::Dot(..) | Expr::Index(..) => match self.mutation(e)? {
                Some(m) => m,
                None => self.chain(e)?,
            },
            Expr::ThisPtr(..) => return Err("`this`".into()),
            Expr::Property(..) | Expr::MethodCall(..) => {
                return Err("a property outside a chain".into())
            }
            _ => return Err("this expression".into()),
        })
    }

    /// `a.b.c`, `a[i]`, `a.m(x)`, …
    fn chain(&mut self, e: &Expr) -> C<Ev> {
        // Flatten the right-nested chain: root, then steps.
        let (first, mut rest) = match e {
            Expr::Dot(x, flags, _) | Expr::Index(x, flags, _) => {
                if flags.intersects(ASTFlags::NEGATED) {
                    return Err("`?.` and `?[`".into());
                }
                (&x.lhs, Some((e, &x.rhs)))
            }
            _ => return Err("this chain".into()),
        };
        let root_ty = self.ty_of(first);
        // Rhai evaluates a variable root by reference (one operation), anything else as an
        // expression.
        let root: Ev = match first {
            Expr::Variable(..) => self.expr(first)?,
            other => self.expr(other)?,
        };
        let mut steps: Vec<ChainStep> = Vec::new();
        let mut ty = root_ty;
        let mut first_step = true;
        while let Some((parent, rhs)) = rest {
            let is_index = matches!(parent, Expr::Index(..));
            let (this, next) = match rhs {
                Expr::Dot(x, flags, _) | Expr::Index(x, flags, _)
                    if !parent.options().intersects(ASTFlags::BREAK) =>
                {
                    if flags.intersects(ASTFlags::NEGATED) {
                        return Err("`?.` and `?[`".into());
                    }
                    (&x.lhs, Some((rhs, &x.rhs)))
                }
                other => (other, None),
            };
            let step = if is_index {
                let literal = this.get_literal_value(None).is_some();
                ChainStep::Index {
                    index: self.expr(this)?,
                    literal,
                }
            } else {
                match this {
                    Expr::Property(p, _) => {
                        let name = p.2.as_str();
                        let step = ChainStep::Prop(Prop::new(name));
                        ty = prop_ty(ty, name);
                        step
                    }
                    Expr::MethodCall(m, _) => {
                        ty = Ty::Unknown;
                        ChainStep::Method(self.method(m)?)
                    }
                    _ => return Err("this chain".into()),
                }
            };
            if is_index {
                ty = Ty::Unknown;
            }
            steps.push(step);
            first_step = false;
            rest = next;
        }
        let _ = first_step;
        // Rhai evaluates a chain's arguments in a pass of its own (one operation per step,
        // index expressions as expressions) unless the chain is one property, one literal
        // index or one method call without arguments.
        let simple = match steps.as_slice() {
            [ChainStep::Prop(_)] => true,
            [ChainStep::Index { literal, .. }] => *literal,
            [ChainStep::Method(m)] => m.args.is_empty(),
            _ => false,
        };
        let pass = if simple { 0 } else { steps.len() as u64 };
        Ok(Box::new(move |f| {
            f.tick()?;
            f.ticks(pass)?;
            let mut value = root(f)?;
            let mut view_levels = 0u64;
            let mut changed = false;
            for step in &steps {
                if matches!(step, ChainStep::Prop(_)) && matches!(value, Value::View(..)) {
                    view_levels += 1;
                }
                let (v, c) = step.apply(f, value, simple)?;
                value = v;
                changed = c;
            }
            if changed {
                // A method that takes its object by reference may have changed it: Rhai
                // tries to write it back through each view's setter and indexer (none
                // exist: views are read-only), one operation each.
                f.ticks(2 * view_levels)?;
            }
            Ok(value)
        }))
    }

    /// `var.m(args)`, `var[k].m(args)` or `var.p.m(args)` with a method that changes its
    /// object: the change goes to the variable, as in Rhai.
    fn mutation(&mut self, e: &Expr) -> C<Option<Ev>> {
        let (root, rhs, is_index) = match e {
            Expr::Dot(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                (&x.lhs, &x.rhs, false)
            }
            Expr::Index(x, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                (&x.lhs, &x.rhs, true)
            }
            _ => return Ok(None),
        };
        let Expr::Variable(v, _, _) = root else {
            return Ok(None);
        };
        // The method and, between the variable and it, at most one index or property.
        let (step, m) = match (rhs, is_index) {
            (Expr::MethodCall(m, _), false) => (None, m),
            (Expr::Dot(y, _, _), _) => match (&y.lhs, &y.rhs) {
                (Expr::Property(p, _), Expr::MethodCall(m, _)) if !is_index => {
                    (Some(Step::Prop(Rc::from(p.2.as_str()))), m)
                }
                (index, Expr::MethodCall(m, _)) if is_index => (
                    Some(Step::Index(
                        self.expr(index)?,
                        index.get_literal_value(None).is_some(),
                    )),
                    m,
                ),
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        if !calls::is_mutating(m.name.as_str()) {
            return Ok(None);
        }
        let name = v.1.as_str();
        let Some((slot, constant, _)) = self.lookup(name) else {
            return Err(format!("changing `{name}`"));
        };
        let method: Rc<str> = Rc::from(m.name.as_str());
        let args = m.args.iter().map(|a| self.arg(a)).collect::<C<Vec<_>>>()?;
        let has_args = !args.is_empty();
        Ok(Some(Box::new(move |f| {
            f.tick()?;
            if constant {
                return Err(Bail);
            }
            // Rhai's argument pass: one operation per level of the chain.
            match (&step, has_args) {
                (Some(_), _) => f.ticks(2)?,
                (None, true) => f.tick()?,
                (None, false) => {}
            }
            let key = match &step {
                None => None,
                // Indexes are evaluated as expressions in the pass, literal or not.
                Some(Step::Index(e, _)) => Some(e(f)?),
                Some(Step::Prop(p)) => Some(Value::Owned(p.clone())),
            };
            let mut values = calls::Args::new();
            for a in &args {
                values.push(a(f)?);
            }
            // The variable, the indexing of the step, then the method call (a native call).
            f.tick()?;
            ops::charge_read(f, slot)?;
            if step.is_some() {
                f.tick()?;
            }
            f.tick()?;
            let caps = f.caps;
            let target = f.get_mut(slot)?;
            let result = match key {
                None => calls::mutate(target, &method, values)?,
                Some(key) => {
                    let mut inner = calls::index_owned(target, &key)?;
                    let r = calls::mutate(&mut inner, &method, values)?;
                    calls::assign_into(target, key, inner, None, &caps)?;
                    r
                }
            };
            ops::check_size(target, &caps)?;
            Ok(result)
        })))
    }

    fn method(&mut self, m: &FnCallExpr) -> C<Method> {
        let name = m.name.as_str();
        let args = m.args.iter().map(|a| self.arg(a)).collect::<C<Vec<_>>>()?;
        if self
            .functions
            .contains_key(&(name.to_string(), m.args.len() + 1))
        {
            return Err(format!("calling the script function `{name}` as a method"));
        }
        let native =
            calls::method(name, args.len()).ok_or_else(|| format!("the method `{name}`"))?;
        Ok(Method { native, args })
    }

    /// A function call: operators, the rule set's own functions, helpers and built-ins. The
    /// operation of the call expression itself is counted by the caller.
    fn call(&mut self, x: &FnCallExpr) -> C<Ev> {
        let name = x.name.as_str();
        if x.capture_parent_scope {
            return Err("`f!()` calls".into());
        }
        if x.op_token.is_some() && x.args.len() == 1 {
            let arg = self.arg(x.args.first().ok_or("an operator")?)?;
            return Ok(match name {
                "!" => Box::new(move |f| match arg(f)? {
                    Value::Bool(b) => Ok(Value::Bool(!b)),
                    _ => Err(Bail),
                }),
                "-" => Box::new(move |f| match arg(f)? {
                    Value::Int(i) => Ok(Value::Int(i.checked_neg().ok_or(Bail)?)),
                    Value::Dec(d) => Ok(Value::Dec(-d)),
                    _ => Err(Bail),
                }),
                _ => return Err(format!("the operator `{name}`")),
            });
        }
        if x.op_token.is_some() && x.args.len() == 2 {
            let (Some(a), Some(b)) = (x.args.first(), x.args.get(1)) else {
                return Err("an operator".into());
            };
            if name == ".." || name == "..=" {
                let inclusive = name == "..=";
                let (a, b) = (self.arg(a)?, self.arg(b)?);
                return Ok(Box::new(move |f| {
                    let (Value::Int(x), Value::Int(y)) = (a(f)?, b(f)?) else {
                        return Err(Bail);
                    };
                    let end = if inclusive {
                        y.checked_add(1).ok_or(Bail)?
                    } else {
                        y
                    };
                    Ok(Value::Range(x, end))
                }));
            }
            let op = Op::from_name(name).ok_or_else(|| format!("the operator `{name}`"))?;
            let (a, b) = (self.arg(a)?, self.arg(b)?);
            return Ok(Box::new(move |f| {
                let x = a(f)?;
                let y = b(f)?;
                if ops::is_variant(&x) || ops::is_variant(&y) {
                    // Custom types go through a registered function: one more operation.
                    f.tick()?;
                }
                let caps = f.caps;
                ops::binary(op, &x, &y, &caps)
            }));
        }
        if matches!(
            name,
            "call" | "Fn" | "curry" | "eval" | "is_def_var" | "is_shared" | "is_def_fn"
        ) {
            return Err(format!("`{name}`"));
        }
        let args = x.args.iter().map(|a| self.arg(a)).collect::<C<Vec<_>>>()?;
        if let Some(&index) = self.functions.get(&(name.to_string(), args.len())) {
            self.callees.push(index);
            return Ok(Box::new(move |f| {
                let mut values = calls::Args::new();
                for a in &args {
                    values.push(a(f)?);
                }
                call_fn(f, index, values)
            }));
        }
        let native: Native =
            calls::function(name, args.len()).ok_or_else(|| format!("the function `{name}`"))?;
        Ok(Box::new(move |f| {
            let mut values = calls::Args::new();
            for a in &args {
                values.push(a(f)?);
            }
            f.tick()?;
            let v = native(f, &mut values)?;
            ops::check_size(&v, &f.caps)?;
            Ok(v)
        }))
    }
}

/// A constant the interpreter returns without evaluating anything (`is_simple_constant`).
fn simple_constant(e: &Expr) -> Option<Dynamic> {
    match e {
        Expr::DynamicConstant(..)
        | Expr::IntegerConstant(..)
        | Expr::CharConstant(..)
        | Expr::StringConstant(..)
        | Expr::BoolConstant(..)
        | Expr::Unit(..) => e.get_literal_value(None),
        _ => None,
    }
}

/// The static type of `ty.name`.
pub(crate) fn prop_ty(ty: Ty, name: &str) -> Ty {
    let Ty::View(obj) = ty else {
        return Ty::Unknown;
    };
    match obj.field(name).map(|f| f.detail) {
        Some(detail) => {
            let bare = detail.trim_end_matches(" | ()");
            if let Some(inner) = bare.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
                Obj::ALL
                    .iter()
                    .find(|o| o.name() == inner)
                    .map_or(Ty::Unknown, |o| Ty::Seq(*o))
            } else if bare == detail {
                Obj::ALL
                    .iter()
                    .find(|o| o.name() == bare)
                    .map_or(Ty::Unknown, |o| Ty::View(*o))
            } else {
                // Optional objects (`product | ()`): may be `()`, so not certain.
                Ty::Unknown
            }
        }
        None => Ty::Unknown,
    }
}

/// The body of a `for` loop.
struct Loop {
    counter: Option<usize>,
    var: usize,
    body: Vec<Ex>,
    empty: bool,
}

impl Loop {
    /// One iteration; `Some` when the loop ends early (break or return).
    fn step<'a>(&self, f: &mut Frame<'a>, i: i64, value: Value<'a>) -> R<Option<Flow<'a>>> {
        if self.empty {
            f.tick()?;
            return Ok(None);
        }
        if let Some(c) = self.counter {
            f.set(c, Value::Int(i))?;
        }
        f.set(self.var, value)?;
        Ok(match run_block(f, &self.body)? {
            Flow::Next(_) | Flow::Continue => None,
            Flow::Break(v) => Some(Flow::Next(v)),
            r @ Flow::Return(_) => Some(r),
        })
    }
}

/// A property name resolved for every kind of view at compile time.
pub(crate) struct Prop {
    name: Rc<str>,
    getters: [Option<Getter>; 10],
}

impl Prop {
    fn new(name: &str) -> Prop {
        let mut getters = [None; 10];
        for (slot, obj) in getters.iter_mut().zip(Obj::ALL) {
            *slot = obj.field(name).map(|f| f.get);
        }
        Prop {
            name: Rc::from(name),
            getters,
        }
    }

    fn read<'a>(&self, f: &mut Frame<'a>, v: &Value<'a>) -> R<Value<'a>> {
        match v {
            Value::View(obj, i) => {
                let index = Obj::ALL.iter().position(|o| o == obj).ok_or(Bail)?;
                let get = self.getters.get(index).copied().flatten().ok_or(Bail)?;
                // A getter on a registered type is a native function call.
                f.tick()?;
                Ok(get(f.ctx, *i))
            }
            other => {
                // A map entry: one operation for the indexing.
                f.tick()?;
                calls::property(other, &self.name)
            }
        }
    }
}

pub(crate) struct Method {
    native: Native,
    args: Vec<Ev>,
}

enum ChainStep {
    Prop(Prop),
    Index { index: Ev, literal: bool },
    Method(Method),
}

impl ChainStep {
    /// Applies the step; the flag says whether a by-reference method was called.
    fn apply<'a>(&self, f: &mut Frame<'a>, value: Value<'a>, simple: bool) -> R<(Value<'a>, bool)> {
        match self {
            ChainStep::Prop(p) => Ok((p.read(f, &value)?, false)),
            ChainStep::Index { index, literal } => {
                let i = if *literal && simple {
                    // A lone literal index is taken without evaluating it; undo the count.
                    let ops = f.ops;
                    let i = index(f)?;
                    f.ops = ops;
                    i
                } else {
                    index(f)?
                };
                f.tick()?;
                Ok((calls::index(f, &value, &i)?, false))
            }
            ChainStep::Method(m) => {
                let by_ref = calls::by_ref(&value);
                let mut values = calls::Args::new();
                values.push(value);
                for a in &m.args {
                    values.push(a(f)?);
                }
                f.tick()?;
                let v = (m.native)(f, &mut values)?;
                ops::check_size(&v, &f.caps)?;
                Ok((v, by_ref))
            }
        }
    }
}

enum Step {
    Index(Ev, bool),
    Prop(Rc<str>),
}

/// An assignable place: a local variable and one index or property step.
pub(crate) struct Place {
    slot: usize,
    constant: bool,
    steps: Vec<Step>,
}

impl Place {
    fn assign<'a>(&self, f: &mut Frame<'a>, value: Value<'a>, op: Option<Op>) -> R<()> {
        if self.constant {
            return Err(Bail);
        }
        let key = match self.steps.first() {
            Some(Step::Index(e, literal)) => {
                let ops = f.ops;
                let k = e(f)?;
                if *literal {
                    // A literal index is not evaluated.
                    f.ops = ops;
                } else {
                    // The chain's argument pass.
                    f.tick()?;
                }
                k
            }
            Some(Step::Prop(p)) => Value::Owned(p.clone()),
            None => return Err(Bail),
        };
        // The variable, then the indexing.
        f.tick()?;
        ops::charge_read(f, self.slot)?;
        f.tick()?;
        if op.is_some() {
            let old = calls::index_owned(f.get(self.slot)?, &key)?;
            let extra = ops::op_assign_cost(&old, &value)?;
            f.ticks(extra)?;
        }
        let caps = f.caps;
        let target = f.get_mut(self.slot)?;
        calls::assign_into(target, key, value, op, &caps)?;
        ops::check_size(target, &caps)
    }
}
