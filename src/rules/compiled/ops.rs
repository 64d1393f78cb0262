//! Operators on values with Rhai's semantics (the built-in operators of Rhai 1.27 with
//! `only_i64`, `decimal` and `no_float`): checked integer and decimal arithmetic, integers and
//! decimals mixing, string concatenation and comparison, `()` comparisons, and `false` /
//! `true` for `==` / `!=` between values of different kinds. Everything else — and every
//! error — is a [`Bail`]: the interpreter answers instead.

use super::frame::{Bail, Caps, Frame, R};
use crate::rules::value::Value;
use rust_decimal::Decimal;
use std::rc::Rc;

/// A binary operator the compiled code evaluates itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn from_name(name: &str) -> Option<Op> {
        Some(match name {
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "%" => Op::Rem,
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    fn compare(self) -> bool {
        matches!(self, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }
}

/// The Rhai type a value has, for operator dispatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unit,
    Bool,
    Int,
    Dec,
    Str,
    Char,
    Array,
    Map,
    /// A registered view type (a custom type in Rhai terms), by object kind.
    View(crate::rules::schema::Obj),
    /// An integer range (also a custom type to Rhai).
    Range,
}

fn kind(v: &Value<'_>) -> Kind {
    match v {
        Value::Unit => Kind::Unit,
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Dec(_) => Kind::Dec,
        Value::Str(_) | Value::Owned(_) => Kind::Str,
        Value::Char(_) => Kind::Char,
        Value::Tags(_) | Value::Seq(..) | Value::Array(_) => Kind::Array,
        Value::Attrs(_) | Value::Loc(_) | Value::Map(_) => Kind::Map,
        Value::View(o, _) => Kind::View(*o),
        Value::Range(..) => Kind::Range,
        Value::Json(j) => match j {
            serde_json::Value::Null => Kind::Unit,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(n) => match crate::rules::value::json_number(n) {
                Some(Value::Int(_)) => Kind::Int,
                Some(Value::Dec(_)) => Kind::Dec,
                _ => Kind::Unit,
            },
            serde_json::Value::String(_) => Kind::Str,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Map,
        },
    }
}

/// A JSON leaf as the value Rhai would see; containers stay as they are.
fn leaf<'a>(v: &Value<'a>) -> Value<'a> {
    match v {
        Value::Json(j) => match j {
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => v.clone(),
            _ => Value::from_json(j),
        },
        _ => v.clone(),
    }
}

/// Whether an operator involving this value goes through a registered function call (one
/// more operation) rather than Rhai's built-in fast path: custom types do.
pub(crate) fn is_variant(v: &Value<'_>) -> bool {
    matches!(v, Value::View(..) | Value::Range(..))
}

fn int(v: &Value<'_>) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

fn dec(v: &Value<'_>) -> Option<Decimal> {
    match v {
        Value::Dec(d) => Some(*d),
        Value::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

fn ordering(op: Op, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => o == Equal,
        Op::Ne => o != Equal,
        Op::Lt => o == Less,
        Op::Le => o != Greater,
        Op::Gt => o == Greater,
        Op::Ge => o != Less,
        _ => false,
    }
}

/// `a op b` as Rhai computes it, or `Bail`.
pub(crate) fn binary<'a>(op: Op, a: &Value<'a>, b: &Value<'a>, caps: &Caps) -> R<Value<'a>> {
    let (a, b) = (leaf(a), leaf(b));
    let (ka, kb) = (kind(&a), kind(&b));
    match (ka, kb) {
        (Kind::Int, Kind::Int) => {
            let (x, y) = (int(&a).ok_or(Bail)?, int(&b).ok_or(Bail)?);
            Ok(match op {
                Op::Add => Value::Int(x.checked_add(y).ok_or(Bail)?),
                Op::Sub => Value::Int(x.checked_sub(y).ok_or(Bail)?),
                Op::Mul => Value::Int(x.checked_mul(y).ok_or(Bail)?),
                Op::Div => {
                    if y == 0 {
                        return Err(Bail);
                    }
                    Value::Int(x.checked_div(y).ok_or(Bail)?)
                }
                Op::Rem => Value::Int(x.checked_rem(y).ok_or(Bail)?),
                _ => Value::Bool(ordering(op, x.cmp(&y))),
            })
        }
        (Kind::Dec, Kind::Dec) | (Kind::Dec, Kind::Int) | (Kind::Int, Kind::Dec) => {
            let (x, y) = (dec(&a).ok_or(Bail)?, dec(&b).ok_or(Bail)?);
            Ok(match op {
                Op::Add => Value::Dec(x.checked_add(y).ok_or(Bail)?),
                Op::Sub => Value::Dec(x.checked_sub(y).ok_or(Bail)?),
                Op::Mul => Value::Dec(x.checked_mul(y).ok_or(Bail)?),
                Op::Div => {
                    if y.is_zero() {
                        return Err(Bail);
                    }
                    Value::Dec(x.checked_div(y).ok_or(Bail)?)
                }
                Op::Rem => Value::Dec(x.checked_rem(y).ok_or(Bail)?),
                _ => Value::Bool(ordering(op, x.cmp(&y))),
            })
        }
        (Kind::Bool, Kind::Bool) => {
            let (Value::Bool(x), Value::Bool(y)) = (&a, &b) else {
                return Err(Bail);
            };
            if op.compare() {
                Ok(Value::Bool(ordering(op, x.cmp(y))))
            } else {
                Err(Bail)
            }
        }
        (Kind::Str, Kind::Str) => {
            let (x, y) = (a.as_str().ok_or(Bail)?, b.as_str().ok_or(Bail)?);
            match op {
                Op::Add => {
                    let len = x.len() + y.len();
                    if len > caps.string {
                        return Err(Bail);
                    }
                    let mut s = String::with_capacity(len);
                    s.push_str(x);
                    s.push_str(y);
                    Ok(Value::Owned(Rc::from(s)))
                }
                _ if op.compare() => Ok(Value::Bool(ordering(op, x.cmp(y)))),
                _ => Err(Bail),
            }
        }
        (Kind::Unit, Kind::Unit) => match op {
            Op::Eq => Ok(Value::Bool(true)),
            Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Value::Bool(false)),
            _ => Err(Bail),
        },
        (Kind::Unit, Kind::Str) | (Kind::Str, Kind::Unit) => match op {
            Op::Add => Ok(if ka == Kind::Str { a } else { b }),
            Op::Ne => Ok(Value::Bool(true)),
            Op::Eq | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Value::Bool(false)),
            _ => Err(Bail),
        },
        // Two views of the same kind: the registered `==` compares identity.
        (Kind::View(x), Kind::View(y)) if x == y => {
            let (Value::View(_, i), Value::View(_, j)) = (&a, &b) else {
                return Err(Bail);
            };
            match op {
                Op::Eq => Ok(Value::Bool(i == j)),
                Op::Ne => Ok(Value::Bool(i != j)),
                _ => Err(Bail),
            }
        }
        // Chars, arrays, maps among themselves: registered functions; the interpreter.
        (x, y) if x == y => Err(Bail),
        (Kind::Char, Kind::Str) | (Kind::Str, Kind::Char) => Err(Bail),
        // Different kinds, not both numbers: never equal, never ordered.
        _ => match op {
            Op::Ne => Ok(Value::Bool(true)),
            Op::Eq | Op::Lt | Op::Le | Op::Gt | Op::Ge => Ok(Value::Bool(false)),
            _ => Err(Bail),
        },
    }
}

/// The sizes Rhai's data-size check measures: (array elements, map entries, string bytes),
/// nested values included.
pub(crate) fn sizes(v: &Value<'_>) -> (usize, usize, usize) {
    fn json(j: &serde_json::Value) -> (usize, usize, usize) {
        match j {
            serde_json::Value::String(s) => (0, 0, s.len()),
            serde_json::Value::Array(items) => items.iter().fold((0, 0, 0), |acc, x| {
                let (a, m, s) = json(x);
                (acc.0 + 1 + a, acc.1 + m, acc.2 + s)
            }),
            serde_json::Value::Object(o) => o.values().fold((0, 0, 0), |acc, x| {
                let (a, m, s) = json(x);
                (acc.0 + a, acc.1 + 1 + m, acc.2 + s)
            }),
            _ => (0, 0, 0),
        }
    }
    fn inner(v: &Value<'_>) -> (usize, usize, usize) {
        match v {
            Value::Str(s) => (0, 0, s.len()),
            Value::Owned(s) => (0, 0, s.len()),
            Value::Tags(t) => (t.len(), 0, t.iter().map(String::len).sum()),
            Value::Seq(_, n) => (*n as usize, 0, 0),
            Value::Loc(_) => (0, 2, 0),
            Value::Json(j) => json(j),
            Value::Attrs(a) => a.values().fold((0, 0, 0), |acc, x| {
                let (aa, m, s) = json(x);
                (acc.0 + aa, acc.1 + 1 + m, acc.2 + s)
            }),
            Value::Array(items) => items.iter().fold((0, 0, 0), |acc, x| {
                let (a, m, s) = inner(x);
                (acc.0 + 1 + a, acc.1 + m, acc.2 + s)
            }),
            Value::Map(m) => m.values().fold((0, 0, 0), |acc, x| {
                let (a, mm, s) = inner(x);
                (acc.0 + a, acc.1 + 1 + mm, acc.2 + s)
            }),
            _ => (0, 0, 0),
        }
    }
    inner(v)
}

/// Bails when a value is over the engine's size limits (the interpreter reports it).
pub(crate) fn check_size(v: &Value<'_>, caps: &Caps) -> R<()> {
    let (a, m, s) = sizes(v);
    if a > caps.array || m > caps.map || s > caps.string {
        Err(Bail)
    } else {
        Ok(())
    }
}

/// Operations Rhai spends on `old op= value` beyond the assignment itself: none when a
/// built-in op-assignment exists for the types; otherwise two (looking up `op=`, then
/// calling `op`). `Bail` for combinations only the interpreter handles.
pub(crate) fn op_assign_cost(old: &Value<'_>, value: &Value<'_>) -> R<u64> {
    let (a, b) = (leaf(old), leaf(value));
    match (kind(&a), kind(&b)) {
        (Kind::Int, Kind::Int)
        | (Kind::Dec, Kind::Dec)
        | (Kind::Dec, Kind::Int)
        | (Kind::Str, Kind::Str)
        | (Kind::Bool, Kind::Bool) => Ok(0),
        (Kind::Int, Kind::Dec) => Ok(2),
        _ => Err(Bail),
    }
}

/// What reading a variable holding `v` costs in operations, as the sandbox's meter charges
/// the interpreter (`rules/sandbox.rs`: one per [`VALUES_PER_OPERATION`] values and per
/// [`BYTES_PER_OPERATION`] bytes, counted on the Rhai value the interpreter would hold).
/// `Bail` when the value is past a limit or the nesting bound: the interpreter reports it.
///
/// [`VALUES_PER_OPERATION`]: crate::rules::sandbox::VALUES_PER_OPERATION
/// [`BYTES_PER_OPERATION`]: crate::rules::sandbox::BYTES_PER_OPERATION
pub(crate) fn read_cost(v: &Value<'_>, caps: &Caps) -> R<u64> {
    use crate::rules::sandbox::{BYTES_PER_OPERATION, MAX_DEPTH, VALUES_PER_OPERATION};
    // Scalars, views and short strings: nothing to measure (the common case, kept cheap).
    match v {
        Value::Str(s) => return Ok((s.len() / BYTES_PER_OPERATION) as u64),
        Value::Owned(s) => return Ok((s.len() / BYTES_PER_OPERATION) as u64),
        Value::Json(serde_json::Value::String(s)) => {
            return Ok((s.len() / BYTES_PER_OPERATION) as u64)
        }
        Value::Array(_)
        | Value::Map(_)
        | Value::Tags(_)
        | Value::Seq(..)
        | Value::Attrs(_)
        | Value::Loc(_)
        | Value::Json(serde_json::Value::Array(_) | serde_json::Value::Object(_)) => {}
        _ => return Ok(0),
    }
    #[derive(Default)]
    struct Walk {
        values: usize,
        arrays: usize,
        maps: usize,
        bytes: usize,
        depth: usize,
    }
    impl Walk {
        fn json(&mut self, j: &serde_json::Value, depth: usize) {
            self.values += 1;
            let inner = depth + 1;
            match j {
                serde_json::Value::String(s) => self.bytes += s.len(),
                serde_json::Value::Array(items) => {
                    self.depth = self.depth.max(inner);
                    self.arrays += items.len();
                    if inner <= MAX_DEPTH {
                        items.iter().for_each(|x| self.json(x, inner));
                    }
                }
                serde_json::Value::Object(o) => {
                    self.depth = self.depth.max(inner);
                    self.maps += o.len();
                    if inner <= MAX_DEPTH {
                        for (k, x) in o {
                            self.bytes += k.len();
                            self.json(x, inner);
                        }
                    }
                }
                _ => {}
            }
        }

        fn value(&mut self, v: &Value<'_>, depth: usize) {
            let inner = depth + 1;
            match v {
                Value::Json(j) => return self.json(j, depth),
                Value::Attrs(a) => {
                    self.values += 1;
                    self.depth = self.depth.max(inner);
                    self.maps += a.len();
                    if inner <= MAX_DEPTH {
                        for (k, x) in a.iter() {
                            self.bytes += k.len();
                            self.json(x, inner);
                        }
                    }
                    return;
                }
                _ => {}
            }
            self.values += 1;
            match v {
                Value::Str(s) => self.bytes += s.len(),
                Value::Owned(s) => self.bytes += s.len(),
                Value::Tags(t) => {
                    self.depth = self.depth.max(inner);
                    self.arrays += t.len();
                    self.values += t.len();
                    self.bytes += t.iter().map(String::len).sum::<usize>();
                }
                Value::Seq(_, n) => {
                    self.depth = self.depth.max(inner);
                    self.arrays += *n as usize;
                    self.values += *n as usize;
                }
                // `#{ lat, lon }`: two entries, two keys of three bytes.
                Value::Loc(_) => {
                    self.depth = self.depth.max(inner);
                    self.maps += 2;
                    self.values += 2;
                    self.bytes += 6;
                }
                Value::Array(items) => {
                    self.depth = self.depth.max(inner);
                    self.arrays += items.len();
                    if inner <= MAX_DEPTH {
                        items.iter().for_each(|x| self.value(x, inner));
                    }
                }
                Value::Map(m) => {
                    self.depth = self.depth.max(inner);
                    self.maps += m.len();
                    if inner <= MAX_DEPTH {
                        for (k, x) in m.iter() {
                            self.bytes += k.len();
                            self.value(x, inner);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut w = Walk::default();
    w.value(v, 0);
    if w.depth > MAX_DEPTH || w.arrays > caps.array || w.maps > caps.map || w.bytes > caps.string {
        return Err(Bail);
    }
    Ok((w.values / VALUES_PER_OPERATION + w.bytes / BYTES_PER_OPERATION) as u64)
}

/// Charges `f` for reading the variable in `slot`, as the sandbox's meter charges the
/// interpreter for a variable lookup (see [`read_cost`]).
#[inline]
pub(crate) fn charge_read(f: &mut Frame<'_>, slot: usize) -> R<()> {
    let cost = read_cost(f.get(slot)?, &f.caps)?;
    if cost > 0 {
        f.ticks(cost)?;
    }
    Ok(())
}
