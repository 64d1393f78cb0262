//! What `check` knows about the model's shapes, found before any order is routed:
//! properties that do not exist on an order, line, warehouse, channel, product or stock row
//! (with the closest name), split-policy values written as literals that the engine would
//! refuse, and `distance_km` on something that may have no location.
//!
//! Types are only inferred where they are certain: hook parameters, `let` bound to them
//! (never reassigned), loop variables over `order.lines` and the like.

use super::compiled::compile::Ty;
use super::schema::Obj;
use crate::hooks::Hook;
use crate::routing::policy::{Strategy, Unfulfillable, KEYS};
use rhai::{Expr, Position, Stmt, AST};
use std::collections::{HashMap, HashSet};

/// One finding, positioned in the source.
#[derive(Debug, Clone)]
pub(crate) struct Lint {
    pub code: &'static str,
    pub error: bool,
    pub message: String,
    pub help: Option<String>,
    pub pos: Position,
    pub hook: Option<Hook>,
}

struct Walker<'l> {
    types: Vec<HashMap<String, Ty>>,
    assigned: &'l HashSet<String>,
    /// Inside the branches of an `if` whose condition tests a `location`.
    guarded: usize,
    hook: Option<Hook>,
    lints: Vec<Lint>,
}

fn prop_ty(ty: Ty, name: &str) -> Ty {
    super::compiled::compile::prop_ty(ty, name)
}

/// Names assigned to anywhere in these statements: their type is not certain.
fn assigned_names(stmts: &[Stmt], out: &mut HashSet<String>) {
    for s in stmts {
        let _ = s.walk(&mut Vec::new(), &mut |path: &[rhai::ASTNode]| {
            if let Some(rhai::ASTNode::Stmt(Stmt::Assignment(x))) = path.last() {
                let mut lhs = &x.1.lhs;
                loop {
                    match lhs {
                        Expr::Variable(v, _, _) => {
                            out.insert(v.1.to_string());
                            break;
                        }
                        Expr::Dot(y, _, _) | Expr::Index(y, _, _) => lhs = &y.lhs,
                        _ => break,
                    }
                }
            }
            true
        });
    }
}

impl Walker<'_> {
    fn lookup(&self, name: &str) -> Ty {
        if self.assigned.contains(name) {
            return Ty::Unknown;
        }
        self.types
            .iter()
            .rev()
            .find_map(|m| m.get(name).copied())
            .unwrap_or(Ty::Unknown)
    }

    fn declare(&mut self, name: &str, ty: Ty) {
        if let Some(top) = self.types.last_mut() {
            top.insert(name.to_string(), ty);
        }
    }

    fn ty(&self, e: &Expr) -> Ty {
        match e {
            Expr::Variable(v, _, _) => self.lookup(v.1.as_str()),
            Expr::Dot(x, _, _) => {
                let mut ty = self.ty(&x.lhs);
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

    fn block(&mut self, stmts: &[Stmt]) {
        self.types.push(HashMap::new());
        let guarded = self.guarded;
        for s in stmts {
            self.stmt(s);
            // `if … location == () { return …; }`: what follows is guarded.
            if let Stmt::If(x, _) = s {
                if mentions_location(&x.expr)
                    && x.body
                        .statements()
                        .iter()
                        .any(|s| matches!(s, Stmt::Return(..)))
                {
                    self.guarded += 1;
                }
            }
        }
        self.guarded = guarded;
        self.types.pop();
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Var(x, _, _) => {
                self.expr(&x.1);
                let ty = self.ty(&x.1);
                self.declare(x.0.name.as_str(), ty);
            }
            Stmt::Expr(e) => self.expr(e),
            Stmt::FnCall(x, pos) => self.call(x, *pos),
            Stmt::Block(b) => self.block(b.statements()),
            Stmt::If(x, _) => {
                self.expr(&x.expr);
                let guard = mentions_location(&x.expr);
                self.guarded += usize::from(guard);
                self.block(x.body.statements());
                self.block(x.branch.statements());
                self.guarded -= usize::from(guard);
            }
            Stmt::While(x, _) | Stmt::Do(x, _, _) => {
                self.expr(&x.expr);
                self.block(x.body.statements());
            }
            Stmt::For(x, _) => {
                let (var, counter, flow) = &**x;
                self.expr(&flow.expr);
                let elem = match self.ty(&flow.expr) {
                    Ty::Seq(o) => Ty::View(o),
                    _ => Ty::Unknown,
                };
                self.types.push(HashMap::new());
                self.declare(var.name.as_str(), elem);
                if let Some(c) = counter {
                    self.declare(c.name.as_str(), Ty::Unknown);
                }
                for s in flow.body.statements() {
                    self.stmt(s);
                }
                self.types.pop();
            }
            Stmt::Switch(x, _) => {
                self.expr(&x.0);
                for b in x.1.expressions.iter() {
                    self.expr(&b.lhs);
                    self.expr(&b.rhs);
                }
            }
            Stmt::Assignment(x) => {
                self.expr(&x.1.lhs);
                self.expr(&x.1.rhs);
            }
            Stmt::Return(Some(e), _, _) | Stmt::BreakLoop(Some(e), _, _) => self.expr(e),
            _ => {}
        }
    }

    fn call(&mut self, x: &rhai::FnCallExpr, pos: Position) {
        for a in x.args.iter() {
            self.expr(a);
        }
        if x.name.as_str() == "distance_km" && x.args.len() == 2 && self.guarded == 0 {
            for a in x.args.iter() {
                if let Ty::View(obj @ (Obj::Warehouse | Obj::Address)) = self.ty(a) {
                    let what = match obj {
                        Obj::Address => "the customer's address",
                        _ => "a warehouse",
                    };
                    self.lints.push(Lint {
                        code: crate::error::code::RULE_RUNTIME,
                        error: false,
                        message: format!(
                            "`distance_km` fails for orders where {what} has no location"
                        ),
                        help: Some(
                            "test `.location != ()` first, e.g. `if warehouse.location != () && order.ship_to.location != () { distance_km(warehouse, order.ship_to) } else { 0 }`"
                                .into(),
                        ),
                        pos,
                        hook: self.hook,
                    });
                    break;
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Dot(x, _, _) => {
                self.expr(&x.lhs);
                let mut ty = self.ty(&x.lhs);
                let mut rhs = &x.rhs;
                loop {
                    let (this, next) = match rhs {
                        Expr::Dot(y, _, _) | Expr::Index(y, _, _) => (&y.lhs, Some(&y.rhs)),
                        other => (other, None),
                    };
                    match this {
                        Expr::Property(p, pos) => {
                            let name = p.2.as_str();
                            if let Ty::View(obj) = ty {
                                if obj.field(name).is_none() {
                                    self.unknown_property(obj, name, *pos);
                                }
                            }
                            ty = prop_ty(ty, name);
                        }
                        Expr::MethodCall(m, pos) => {
                            for a in m.args.iter() {
                                self.expr(a);
                            }
                            let _ = pos;
                            ty = Ty::Unknown;
                        }
                        other => {
                            self.expr(other);
                            ty = Ty::Unknown;
                        }
                    }
                    match next {
                        Some(n) => rhs = n,
                        None => break,
                    }
                }
            }
            Expr::Index(x, _, _) => {
                self.expr(&x.lhs);
                self.expr(&x.rhs);
            }
            Expr::FnCall(x, pos) => self.call(x, *pos),
            Expr::And(items, _) | Expr::Or(items, _) | Expr::Coalesce(items, _) => {
                for i in items.iter() {
                    self.expr(i);
                }
            }
            Expr::Array(items, _) | Expr::InterpolatedString(items, _) => {
                for i in items.iter() {
                    self.expr(i);
                }
            }
            Expr::Map(x, _) => {
                for (_, v) in x.0.iter() {
                    self.expr(v);
                }
            }
            Expr::Stmt(b) => self.block(b.statements()),
            _ => {}
        }
    }

    fn unknown_property(&mut self, obj: Obj, name: &str, pos: Position) {
        let near = super::closest(name, obj.fields().iter().map(|f| f.name));
        self.lints.push(Lint {
            code: crate::error::code::RULE_RUNTIME,
            error: true,
            message: format!("no property `{name}` on {} {}", obj.article(), obj.name()),
            help: Some(match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!(
                    "{} {} has: {}",
                    obj.article(),
                    obj.name(),
                    obj.fields()
                        .iter()
                        .map(|f| format!("`{}`", f.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
            pos,
            hook: self.hook,
        });
    }
}

fn mentions_location(e: &Expr) -> bool {
    let mut found = false;
    let _ = e.walk(&mut Vec::new(), &mut |path: &[rhai::ASTNode]| {
        if let Some(rhai::ASTNode::Expr(Expr::Property(p, _))) = path.last() {
            if p.2.as_str() == "location" {
                found = true;
            }
        }
        true
    });
    found
}

/// Expressions a function can return: its last statement (through blocks, `if` and
/// `switch` branches) and every `return`.
fn returned(stmts: &[Stmt]) -> Vec<Expr> {
    fn tail(s: &Stmt, out: &mut Vec<Expr>) {
        match s {
            Stmt::Expr(e) => match &**e {
                Expr::Stmt(b) => {
                    if let Some(last) = b.statements().last() {
                        tail(last, out);
                    }
                }
                other => out.push(other.clone()),
            },
            Stmt::If(x, _) => {
                for b in [&x.body, &x.branch] {
                    if let Some(last) = b.statements().last() {
                        tail(last, out);
                    }
                }
            }
            Stmt::Switch(x, _) => {
                for b in x.1.expressions.iter() {
                    out.push(b.rhs.clone());
                }
            }
            Stmt::Block(b) => {
                if let Some(last) = b.statements().last() {
                    tail(last, out);
                }
            }
            Stmt::Return(Some(e), _, _) => out.push((**e).clone()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(last) = stmts.last() {
        tail(last, &mut out);
    }
    for s in stmts {
        let _ = s.walk(&mut Vec::new(), &mut |path: &[rhai::ASTNode]| {
            if let Some(rhai::ASTNode::Stmt(Stmt::Return(Some(e), _, _))) = path.last() {
                out.push((**e).clone());
            }
            true
        });
    }
    out
}

/// Policy maps `split` returns as literals, checked key by key like the engine does.
fn split_literals(stmts: &[Stmt], lints: &mut Vec<Lint>) {
    for e in returned(stmts) {
        // A literal map is folded into a constant by Rhai's optimizer when all its values
        // are constants; check both forms.
        let entries: Vec<(String, Option<String>, Position)> = match &e {
            Expr::Map(x, _) => {
                x.0.iter()
                    .map(|(k, v)| {
                        let literal = match v {
                            Expr::StringConstant(s, _) => Some(s.to_string()),
                            _ => None,
                        };
                        (k.name.to_string(), literal, k.pos)
                    })
                    .collect()
            }
            Expr::DynamicConstant(d, pos) => match d.read_lock::<rhai::Map>() {
                Some(m) => m
                    .iter()
                    .map(|(k, v)| {
                        let literal = v
                            .read_lock::<rhai::ImmutableString>()
                            .map(|s| s.to_string());
                        (k.to_string(), literal, *pos)
                    })
                    .collect(),
                None => continue,
            },
            _ => continue,
        };
        for (k, literal, at) in entries {
            let k = k.as_str();
            let bad = |message: String, help: String| Lint {
                code: crate::error::code::RULE_RETURN,
                error: true,
                message,
                help: Some(help),
                pos: at,
                hook: Some(Hook::Split),
            };
            let literal = literal.as_deref();
            match k {
                "strategy" => {
                    if let Some(s) = literal {
                        if Strategy::parse(s).is_none() {
                            let names: Vec<&str> = Strategy::ALL.iter().map(|(_, n)| *n).collect();
                            lints.push(bad(
                                format!("`split` policy `strategy` cannot be `{s}`"),
                                format!("use one of {}", names.join(", ")),
                            ));
                        }
                    }
                }
                "unfulfillable" => {
                    if let Some(s) = literal {
                        if Unfulfillable::parse(s).is_none() {
                            let names: Vec<&str> =
                                Unfulfillable::ALL.iter().map(|(_, n)| *n).collect();
                            lints.push(bad(
                                format!("`split` policy `unfulfillable` cannot be `{s}`"),
                                format!("use one of {}", names.join(", ")),
                            ));
                        }
                    }
                }
                other if !KEYS.contains(&other) => {
                    let near = super::closest(other, KEYS.iter().copied());
                    lints.push(bad(
                        format!("unknown `split` policy key `{other}`"),
                        match near {
                            Some(n) => {
                                format!("did you mean `{n}`? known keys: {}", KEYS.join(", "))
                            }
                            None => format!("known keys: {}", KEYS.join(", ")),
                        },
                    ));
                }
                _ => {}
            }
        }
    }
}

/// Every finding in a rule set.
pub(crate) fn lint(ast: &AST) -> Vec<Lint> {
    let defs: Vec<_> = ast.iter_fn_def().collect();
    let bodies = super::compiled::function_bodies(ast, &defs);
    let mut lints = Vec::new();
    for (def, body) in defs.iter().zip(bodies) {
        let Some(body) = body else {
            continue;
        };
        let hook = Hook::ALL
            .iter()
            .copied()
            .find(|h| h.name() == def.name.as_str() && h.params().len() == def.params.len());
        let mut assigned = HashSet::new();
        assigned_names(&body, &mut assigned);
        let mut w = Walker {
            types: vec![HashMap::new()],
            assigned: &assigned,
            guarded: 0,
            hook,
            lints: Vec::new(),
        };
        if let Some(h) = hook {
            for (p, ty) in def.params.iter().zip(super::compiled::hook_params(h)) {
                w.declare(p.as_str(), ty);
            }
        }
        w.block(&body);
        lints.append(&mut w.lints);
        if hook == Some(Hook::Split) {
            split_literals(&body, &mut lints);
        }
    }
    lints
}
