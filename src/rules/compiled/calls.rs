//! Built-in functions, methods, properties and indexing for compiled hooks, each with the
//! semantics of the function Rhai (or our interpreter's helpers) would call. Anything
//! outside the exact cases handled here bails to the interpreter.

use super::frame::{Bail, Frame, R};
use super::ops::{self, Op};
use crate::hooks::NoteKind;
use crate::rules::schema::{self, Obj};
use crate::rules::value::Value;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Arguments of a call, kept on the stack for the usual few.
pub(crate) type Args<'a> = smallvec::SmallVec<[Value<'a>; 4]>;

/// A native function: arguments in call order (for methods, the object first).
pub(crate) type Native = for<'a> fn(&mut Frame<'a>, &mut [Value<'a>]) -> R<Value<'a>>;

fn arg<'v, 'a>(args: &'v [Value<'a>], i: usize) -> R<&'v Value<'a>> {
    args.get(i).ok_or(Bail)
}

fn num(v: &Value<'_>) -> Option<Value<'static>> {
    match v {
        Value::Int(i) => Some(Value::Int(*i)),
        Value::Dec(d) => Some(Value::Dec(*d)),
        Value::Json(serde_json::Value::Number(n)) => crate::rules::value::json_number(n),
        _ => None,
    }
}

fn text<'v>(v: &'v Value<'_>) -> R<&'v str> {
    match v {
        Value::Json(serde_json::Value::String(s)) => Ok(s),
        other => other.as_str().ok_or(Bail),
    }
}

/// The text `to_string` gives a value, for string interpolation and `note`.
pub(crate) fn display(v: &Value<'_>) -> R<String> {
    Ok(match v {
        Value::Unit => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Dec(d) => d.to_string(),
        Value::Char(c) => c.to_string(),
        Value::Str(_) | Value::Owned(_) => v.as_str().unwrap_or_default().to_string(),
        Value::Json(j) => match num(v) {
            Some(n) => display(&n)?,
            None => match j {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => return Err(Bail),
            },
        },
        _ => return Err(Bail),
    })
}

/// The hash Rhai's `switch` computes for a value (the same hasher, in the same process).
pub(crate) fn switch_hash(v: &Value<'_>) -> R<u64> {
    use std::hash::{Hash, Hasher};
    let d = match v {
        Value::Unit => rhai::Dynamic::UNIT,
        Value::Bool(b) => rhai::Dynamic::from_bool(*b),
        Value::Int(i) => rhai::Dynamic::from_int(*i),
        Value::Dec(d) => rhai::Dynamic::from_decimal(*d),
        Value::Char(c) => rhai::Dynamic::from_char(*c),
        Value::Str(_) | Value::Owned(_) => {
            rhai::Dynamic::from(rhai::ImmutableString::from(v.as_str().unwrap_or_default()))
        }
        Value::Json(j) => match j {
            serde_json::Value::Array(_) | serde_json::Value::Object(_) => return Err(Bail),
            _ => return switch_hash(&Value::from_json(j)),
        },
        _ => return Err(Bail),
    };
    let mut hasher = ahash::AHasher::default();
    d.hash(&mut hasher);
    Ok(hasher.finish())
}

/// `value.name` on a value that is not a view: a map entry.
pub(crate) fn property<'a>(v: &Value<'a>, name: &str) -> R<Value<'a>> {
    match v {
        Value::Map(m) => m.get(name).cloned().ok_or(Bail),
        Value::Attrs(a) => a.get(name).map(Value::Json).ok_or(Bail),
        Value::Json(serde_json::Value::Object(o)) => o.get(name).map(Value::Json).ok_or(Bail),
        Value::Loc(l) => match name {
            "lat" => Ok(Value::Dec(l.lat)),
            "lon" => Ok(Value::Dec(l.lon)),
            _ => Err(Bail),
        },
        _ => Err(Bail),
    }
}

fn position(len: usize, index: i64) -> Option<usize> {
    if index < 0 {
        let back = usize::try_from(index.unsigned_abs()).ok()?;
        len.checked_sub(back)
    } else {
        let i = usize::try_from(index).ok()?;
        (i < len).then_some(i)
    }
}

/// `value[index]`.
pub(crate) fn index<'a>(f: &mut Frame<'a>, v: &Value<'a>, i: &Value<'a>) -> R<Value<'a>> {
    match (v, i) {
        (Value::Array(a), Value::Int(i)) => a
            .get(position(a.len(), *i).ok_or(Bail)?)
            .cloned()
            .ok_or(Bail),
        (Value::Tags(t), Value::Int(i)) => t
            .get(position(t.len(), *i).ok_or(Bail)?)
            .map(|s| Value::Str(s))
            .ok_or(Bail),
        (Value::Seq(o, n), Value::Int(i)) => {
            let p = position(*n as usize, *i).ok_or(Bail)?;
            Ok(Value::View(*o, u32::try_from(p).map_err(|_| Bail)?))
        }
        (Value::Json(serde_json::Value::Array(a)), Value::Int(i)) => a
            .get(position(a.len(), *i).ok_or(Bail)?)
            .map(Value::Json)
            .ok_or(Bail),
        (Value::View(obj, at), key) => {
            // A registered indexer: a native call.
            f.tick()?;
            let key = text(key)?;
            let field = obj.field(key).ok_or(Bail)?;
            Ok((field.get)(f.ctx, *at))
        }
        (_, key) if key.as_str().is_some() => property(v, text(key)?),
        _ => Err(Bail),
    }
}

/// `target[key]` as an owned value, to change and store back.
pub(crate) fn index_owned<'a>(target: &Value<'a>, key: &Value<'a>) -> R<Value<'a>> {
    match (target, key) {
        (Value::Array(a), Value::Int(i)) => a
            .get(position(a.len(), *i).ok_or(Bail)?)
            .cloned()
            .ok_or(Bail),
        (Value::Map(m), k) => m.get(text(k)?).cloned().ok_or(Bail),
        _ => Err(Bail),
    }
}

/// An owned array from any array-like value (Rhai copies on `let`, so writes are allowed).
fn owned_array<'a>(v: &Value<'a>) -> R<Vec<Value<'a>>> {
    Ok(match v {
        Value::Array(a) => a.as_ref().clone(),
        Value::Tags(t) => t.iter().map(|s| Value::Str(s)).collect(),
        Value::Seq(o, n) => (0..*n).map(|i| Value::View(*o, i)).collect(),
        Value::Json(serde_json::Value::Array(a)) => a.iter().map(Value::Json).collect(),
        _ => return Err(Bail),
    })
}

fn owned_map<'a>(v: &Value<'a>) -> R<BTreeMap<Rc<str>, Value<'a>>> {
    Ok(match v {
        Value::Map(m) => m.as_ref().clone(),
        Value::Attrs(a) => a
            .iter()
            .map(|(k, v)| (Rc::from(k.as_str()), Value::Json(v)))
            .collect(),
        Value::Json(serde_json::Value::Object(o)) => o
            .iter()
            .map(|(k, v)| (Rc::from(k.as_str()), Value::Json(v)))
            .collect(),
        Value::Loc(l) => [
            (Rc::from("lat"), Value::Dec(l.lat)),
            (Rc::from("lon"), Value::Dec(l.lon)),
        ]
        .into_iter()
        .collect(),
        _ => return Err(Bail),
    })
}

/// `target[key] = value` / `target.key = value` (or `op=`) on a rule's own array or map.
pub(crate) fn assign_into<'a>(
    target: &mut Value<'a>,
    key: Value<'a>,
    value: Value<'a>,
    op: Option<Op>,
    caps: &super::frame::Caps,
) -> R<()> {
    let combine = |old: Option<&Value<'a>>, value: Value<'a>| -> R<Value<'a>> {
        match (op, old) {
            (None, _) => Ok(value),
            (Some(op), Some(old)) => {
                if ops::is_variant(old) || ops::is_variant(&value) {
                    return Err(Bail);
                }
                ops::binary(op, old, &value, caps)
            }
            (Some(_), None) => Err(Bail),
        }
    };
    match &key {
        Value::Int(i) => {
            let mut items = match &mut *target {
                Value::Array(a) => std::mem::take(Rc::make_mut(a)),
                other => owned_array(other)?,
            };
            let p = position(items.len(), *i).ok_or(Bail)?;
            let slot = items.get_mut(p).ok_or(Bail)?;
            *slot = combine(Some(slot), value)?;
            *target = Value::Array(Rc::new(items));
            Ok(())
        }
        k if k.as_str().is_some() => {
            let name: Rc<str> = Rc::from(k.as_str().unwrap_or_default());
            let mut map = match &mut *target {
                Value::Map(m) => std::mem::take(Rc::make_mut(m)),
                other => owned_map(other)?,
            };
            let new = combine(map.get(&name), value)?;
            map.insert(name, new);
            *target = Value::Map(Rc::new(map));
            Ok(())
        }
        _ => Err(Bail),
    }
}

/// A method that changes the value it is called on, applied to a place.
pub(crate) fn mutate<'a>(target: &mut Value<'a>, name: &str, args: Args<'a>) -> R<Value<'a>> {
    match name {
        "push" => {
            let mut args = args.into_iter();
            let (Some(item), None) = (args.next(), args.next()) else {
                return Err(Bail);
            };
            let mut items = match &mut *target {
                Value::Array(a) => std::mem::take(Rc::make_mut(a)),
                other => owned_array(other)?,
            };
            items.push(item);
            *target = Value::Array(Rc::new(items));
            Ok(Value::Unit)
        }
        _ => Err(Bail),
    }
}

/// Whether Rhai's methods take this receiver by reference (so a call may have changed it):
/// arrays and maps do; numbers do not.
pub(crate) fn by_ref(receiver: &Value<'_>) -> bool {
    matches!(
        receiver,
        Value::Array(_)
            | Value::Tags(_)
            | Value::Seq(..)
            | Value::Map(_)
            | Value::Attrs(_)
            | Value::Loc(_)
            | Value::Json(serde_json::Value::Array(_) | serde_json::Value::Object(_))
    )
}

/// Methods a compiled chain may call that change their object.
pub(crate) fn is_mutating(name: &str) -> bool {
    matches!(
        name,
        "push"
            | "pop"
            | "shift"
            | "insert"
            | "remove"
            | "clear"
            | "append"
            | "truncate"
            | "extract"
            | "retain"
            | "drain"
            | "splice"
            | "reverse"
            | "sort"
            | "dedup"
            | "mixin"
            | "fill_with"
            | "pad"
            | "trim"
            | "make_upper"
            | "make_lower"
            | "crop"
            | "replace"
            | "chop"
            | "set"
    )
}

fn len<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let n = match arg(args, 0)? {
        Value::Array(a) => a.len(),
        Value::Tags(t) => t.len(),
        Value::Seq(_, n) => *n as usize,
        Value::Str(s) => s.chars().count(),
        Value::Owned(s) => s.chars().count(),
        Value::Map(m) => m.len(),
        Value::Attrs(a) => a.len(),
        Value::Loc(_) => 2,
        Value::Json(serde_json::Value::Array(a)) => a.len(),
        Value::Json(serde_json::Value::Object(o)) => o.len(),
        Value::Json(serde_json::Value::String(s)) => s.chars().count(),
        _ => return Err(Bail),
    };
    Ok(Value::Int(i64::try_from(n).map_err(|_| Bail)?))
}

fn is_empty<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    match len(f, args)? {
        Value::Int(n) => Ok(Value::Bool(n == 0)),
        _ => Err(Bail),
    }
}

/// `haystack.contains(needle)`, which `needle in haystack` calls.
fn contains<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let (hay, needle) = (arg(args, 0)?, arg(args, 1)?);
    let s = match needle {
        Value::Json(serde_json::Value::String(s)) => Some(s.as_str()),
        other => other.as_str(),
    };
    // Arrays: a string needle goes to our registered string `contains`; any other needle
    // to Rhai's, which compares with `==` item by item (different types: not equal).
    let generic = s.is_none();
    let mut in_items = |items: &mut dyn Iterator<Item = Value<'a>>| -> R<bool> {
        for item in items {
            if generic {
                // Rhai's generic `contains` compares through a nested call of `==` per item,
                // and the sandbox's meter counts every operation of nested calls.
                f.tick()?;
            }
            let equal = match s {
                Some(s) => match &item {
                    Value::Json(serde_json::Value::String(j)) => j == s,
                    other => other.as_str() == Some(s),
                },
                None => matches!(
                    ops::binary(Op::Eq, &item, needle, &f.caps)?,
                    Value::Bool(true)
                ),
            };
            if equal {
                return Ok(true);
            }
        }
        Ok(false)
    };
    Ok(Value::Bool(match hay {
        Value::Array(a) => in_items(&mut a.iter().cloned())?,
        Value::Tags(t) => in_items(&mut t.iter().map(|x| Value::Str(x)))?,
        Value::Seq(o, n) => in_items(&mut (0..*n).map(|i| Value::View(*o, i)))?,
        Value::Json(serde_json::Value::Array(a)) => in_items(&mut a.iter().map(Value::Json))?,
        Value::Map(m) => m.contains_key(s.ok_or(Bail)?),
        Value::Attrs(a) => a.contains_key(s.ok_or(Bail)?),
        Value::Json(serde_json::Value::Object(o)) => o.contains_key(s.ok_or(Bail)?),
        Value::Loc(_) => matches!(s.ok_or(Bail)?, "lat" | "lon"),
        Value::View(obj, _) => obj.field(s.ok_or(Bail)?).is_some(),
        Value::Str(_) | Value::Owned(_) | Value::Json(serde_json::Value::String(_)) => {
            let h = text(hay)?;
            match needle {
                Value::Char(c) => h.contains(*c),
                _ => h.contains(s.ok_or(Bail)?),
            }
        }
        _ => return Err(Bail),
    }))
}

fn get<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let (m, k) = (arg(args, 0)?, arg(args, 1)?);
    let k = text(k)?;
    Ok(match m {
        Value::Map(map) => map.get(k).cloned().unwrap_or(Value::Unit),
        Value::Attrs(a) => a.get(k).map_or(Value::Unit, Value::Json),
        Value::Json(serde_json::Value::Object(o)) => o.get(k).map_or(Value::Unit, Value::Json),
        Value::Loc(_) => return property(m, k).or(Ok(Value::Unit)),
        _ => return Err(Bail),
    })
}

fn dec_only<'a>(args: &[Value<'a>]) -> R<Decimal> {
    match num(arg(args, 0)?) {
        Some(Value::Dec(d)) => Ok(d),
        _ => Err(Bail),
    }
}

fn floor<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Dec(dec_only(args)?.floor()))
}

fn ceiling<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Dec(dec_only(args)?.ceil()))
}

fn round<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let x = dec_only(args)?;
    match args.get(1) {
        None => Ok(Value::Dec(x.round())),
        Some(Value::Int(dp)) => {
            if *dp < 0 {
                return Err(Bail);
            }
            Ok(Value::Dec(match u32::try_from(*dp) {
                Ok(dp) => x.round_dp(dp),
                Err(_) => x,
            }))
        }
        _ => Err(Bail),
    }
}

fn abs<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    match num(arg(args, 0)?) {
        Some(Value::Int(i)) => Ok(Value::Int(i.checked_abs().ok_or(Bail)?)),
        Some(Value::Dec(d)) => Ok(Value::Dec(d.abs())),
        _ => Err(Bail),
    }
}

fn min_max<'a>(args: &[Value<'a>], max: bool) -> R<Value<'a>> {
    let (a, b) = (
        num(arg(args, 0)?).ok_or(Bail)?,
        num(arg(args, 1)?).ok_or(Bail)?,
    );
    // Rhai: `if x >= y { x } else { y }` for max, `if x <= y { x } else { y }` for min;
    // an integer mixed with a decimal gives a decimal.
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Ok(Value::Int(if max == (x >= y) { x } else { y })),
        (x, y) => {
            let to = |v: Value<'_>| match v {
                Value::Int(i) => Some(Decimal::from(i)),
                Value::Dec(d) => Some(d),
                _ => None,
            };
            let (x, y) = (to(x).ok_or(Bail)?, to(y).ok_or(Bail)?);
            let pick_x = if max { x >= y } else { x <= y };
            Ok(Value::Dec(if pick_x { x } else { y }))
        }
    }
}

fn min<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    min_max(args, false)
}

fn max<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    min_max(args, true)
}

fn starts_with<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Bool(
        text(arg(args, 0)?)?.starts_with(text(arg(args, 1)?)?),
    ))
}

fn ends_with<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Bool(
        text(arg(args, 0)?)?.ends_with(text(arg(args, 1)?)?),
    ))
}

fn to_upper<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Owned(Rc::from(text(arg(args, 0)?)?.to_uppercase())))
}

fn to_lower<'a>(_: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    Ok(Value::Owned(Rc::from(text(arg(args, 0)?)?.to_lowercase())))
}

fn location_of<'a>(f: &Frame<'a>, v: &Value<'a>) -> R<&'a crate::model::Location> {
    let loc = match v {
        Value::View(Obj::Warehouse | Obj::Address, i) => {
            let Value::View(obj, _) = v else {
                return Err(Bail);
            };
            obj.field("location").map(|field| (field.get)(f.ctx, *i))
        }
        Value::Loc(_) => Some(v.clone()),
        _ => None,
    };
    match loc {
        Some(Value::Loc(l)) => Ok(l),
        _ => Err(Bail),
    }
}

fn distance_km<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let a = location_of(f, arg(args, 0)?)?;
    let b = location_of(f, arg(args, 1)?)?;
    Ok(Value::Dec(crate::geo::distance_km(a, b)))
}

fn available<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let (w, sku) = (text(arg(args, 0)?)?, text(arg(args, 1)?)?);
    let inv = f.ctx.inventory;
    Ok(Value::Dec(
        inv.warehouse_index(w)
            .map_or(Decimal::ZERO, |w| inv.available(w, sku)),
    ))
}

fn stock<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let (w, sku) = (text(arg(args, 0)?)?, text(arg(args, 1)?)?);
    Ok(schema::stock_of(f.ctx, w, sku))
}

fn product<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let sku = text(arg(args, 0)?)?;
    Ok(schema::product_of(f.ctx, sku))
}

fn note<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let t = display(arg(args, 0)?)?;
    f.note(NoteKind::Note, t)?;
    Ok(Value::Unit)
}

fn hold<'a>(f: &mut Frame<'a>, args: &mut [Value<'a>]) -> R<Value<'a>> {
    let reason = text(arg(args, 0)?)?.to_string();
    f.note(NoteKind::Hold, format!("hold requested: {reason}"))?;
    if f.hold.is_none() {
        f.hold = Some(reason);
    }
    Ok(Value::Unit)
}

/// The native function `name` with `arity` arguments, called as `name(args)`.
pub(crate) fn function(name: &str, arity: usize) -> Option<Native> {
    Some(match (name, arity) {
        ("distance_km", 2) => distance_km,
        ("available", 2) => available,
        ("stock", 2) => stock,
        ("product", 1) => product,
        ("note", 1) => note,
        ("hold", 1) => hold,
        ("min", 2) => min,
        ("max", 2) => max,
        ("abs", 1) => abs,
        ("floor", 1) => floor,
        ("ceiling", 1) => ceiling,
        ("round", 1 | 2) => round,
        ("len", 1) => len,
        ("is_empty", 1) => is_empty,
        ("contains", 2) => contains,
        ("get", 2) => get,
        ("starts_with", 2) => starts_with,
        ("ends_with", 2) => ends_with,
        ("to_upper", 1) => to_upper,
        ("to_lower", 1) => to_lower,
        _ => return None,
    })
}

/// The native method `name` with `arity` arguments besides the object.
pub(crate) fn method(name: &str, arity: usize) -> Option<Native> {
    if is_mutating(name) {
        return None;
    }
    function(name, arity + 1)
}
