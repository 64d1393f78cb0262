//! Values as rules see them: read from the model (borrowed from the order and inventory
//! where possible) or built by a compiled hook. Both ways of running a hook read the model
//! through these: compiled hooks compute with them directly, the interpreter converts them
//! to Rhai values ([`to_dynamic`]).

use super::schema::Obj;
use crate::inventory::PreparedInventory;
use crate::model::{Location, Order};
use rhai::{Array, Dynamic, ImmutableString, Map};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A value read from the model or built by a compiled hook. Arrays and maps built by a hook
/// are shared copy-on-write, which behaves like Rhai's copy-on-assignment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    /// Nothing (`()`): an absent optional field.
    Unit,
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    Str(&'a str),
    /// A read-only list of strings (`tags`).
    Tags(&'a [String]),
    /// Free-form attributes: a map of JSON values.
    Attrs(&'a crate::model::Attributes),
    /// A position: a map `#{ lat, lon }` to rules.
    Loc(&'a Location),
    /// One object of the model by index (a line by line index, a warehouse by inventory index).
    View(Obj, u32),
    /// All objects of a kind, as an array (`order.lines`, `inventory.warehouses`).
    Seq(Obj, u32),
    /// One JSON value inside attributes.
    Json(&'a serde_json::Value),
    /// A string a hook built.
    Owned(Rc<str>),
    Char(char),
    /// An array a hook built.
    Array(Rc<Vec<Value<'a>>>),
    /// A map a hook built.
    Map(Rc<BTreeMap<Rc<str>, Value<'a>>>),
    /// `start..end` (an inclusive range is stored with its end plus one).
    Range(i64, i64),
}

impl<'a> Value<'a> {
    /// The text of a string value (borrowed or built).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Owned(s) => Some(s),
            _ => None,
        }
    }

    /// A JSON value as a rule value: numbers as integers when they fit, else decimals;
    /// arrays and objects copied, their strings borrowed.
    pub fn from_json(j: &'a serde_json::Value) -> Value<'a> {
        match j {
            serde_json::Value::Null => Value::Unit,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => json_number(n).unwrap_or(Value::Unit),
            serde_json::Value::String(s) => Value::Str(s),
            serde_json::Value::Array(a) => {
                Value::Array(Rc::new(a.iter().map(Value::from_json).collect()))
            }
            serde_json::Value::Object(o) => Value::Map(Rc::new(
                o.iter()
                    .map(|(k, v)| (Rc::from(k.as_str()), Value::from_json(v)))
                    .collect(),
            )),
        }
    }
}

/// What a view reads from: the order (absent for availability hooks) and the inventory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub order: Option<&'a Order>,
    pub inventory: &'a PreparedInventory,
    /// The routing day, for `warehouse.period_ended`.
    pub as_of: Option<time::Date>,
    /// The replenishment proposal a `replenish` hook is asked about.
    pub proposal: Option<&'a crate::consignment::replenish::Proposal>,
}

/// JSON attribute values: integers stay integers, other numbers become decimals.
pub(crate) fn json_to_dynamic(value: &serde_json::Value) -> Dynamic {
    match value {
        serde_json::Value::Null => Dynamic::UNIT,
        serde_json::Value::Bool(b) => Dynamic::from_bool(*b),
        serde_json::Value::Number(n) => json_number(n).map_or(Dynamic::UNIT, |n| match n {
            Value::Int(i) => Dynamic::from_int(i),
            Value::Dec(d) => Dynamic::from_decimal(d),
            _ => Dynamic::UNIT,
        }),
        serde_json::Value::String(s) => Dynamic::from(s.clone()),
        serde_json::Value::Array(a) => Dynamic::from_array(a.iter().map(json_to_dynamic).collect()),
        serde_json::Value::Object(o) => Dynamic::from_map(
            o.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
                .collect(),
        ),
    }
}

/// A JSON number as a rule number: integer when it fits, else decimal, else nothing.
pub(crate) fn json_number(n: &serde_json::Number) -> Option<Value<'static>> {
    if let Some(i) = n.as_i64() {
        return Some(Value::Int(i));
    }
    let text = n.to_string();
    text.parse::<Decimal>()
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
        .map(Value::Dec)
}

fn location(l: &Location) -> Dynamic {
    let mut m = Map::new();
    m.insert("lat".into(), Dynamic::from_decimal(l.lat));
    m.insert("lon".into(), Dynamic::from_decimal(l.lon));
    Dynamic::from_map(m)
}

/// Converts a model value to a Rhai value. Views become the registered view types, which
/// refer to `shared` (the interpreter's owned copy of order and inventory); everything
/// else is a read-only copy, so a rule can change neither the model nor what the next call
/// sees.
pub(crate) fn to_dynamic(value: Value<'_>, shared: &std::rc::Rc<super::views::Shared>) -> Dynamic {
    let d = match value {
        Value::Unit => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(b),
        Value::Int(i) => Dynamic::from_int(i),
        Value::Dec(d) => Dynamic::from_decimal(d),
        Value::Str(s) => Dynamic::from(ImmutableString::from(s)),
        Value::Tags(t) => Dynamic::from_array(
            t.iter()
                .map(|s| Dynamic::from(ImmutableString::from(s.as_str())))
                .collect(),
        ),
        Value::Attrs(a) => Dynamic::from_map(
            a.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
                .collect(),
        ),
        Value::Loc(l) => location(l),
        Value::View(obj, index) => super::views::view(shared, obj, index),
        Value::Seq(obj, count) => Dynamic::from_array(
            (0..count)
                .map(|i| super::views::view(shared, obj, i))
                .collect::<Array>(),
        ),
        Value::Json(j) => json_to_dynamic(j),
        Value::Owned(s) => Dynamic::from(ImmutableString::from(&*s)),
        Value::Char(c) => Dynamic::from_char(c),
        Value::Range(a, b) => Dynamic::from(a..b),
        // Built by the hook itself: the rule's own, so not read-only.
        Value::Array(a) => {
            return Dynamic::from_array(
                a.iter()
                    .map(|v| to_dynamic(v.clone(), shared))
                    .collect::<Array>(),
            )
        }
        Value::Map(m) => {
            return Dynamic::from_map(
                m.iter()
                    .map(|(k, v)| ((&**k).into(), to_dynamic(v.clone(), shared)))
                    .collect::<Map>(),
            )
        }
    };
    d.into_read_only()
}

/// A value as a Rhai value without any view in it (what `split` and `route` return);
/// `None` when it holds a view, which only the interpreter's values can represent.
pub(crate) fn plain_dynamic(value: &Value<'_>) -> Option<Dynamic> {
    Some(match value {
        Value::Unit => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Int(i) => Dynamic::from_int(*i),
        Value::Dec(d) => Dynamic::from_decimal(*d),
        Value::Str(s) => Dynamic::from(ImmutableString::from(*s)),
        Value::Owned(s) => Dynamic::from(ImmutableString::from(&**s)),
        Value::Char(c) => Dynamic::from_char(*c),
        Value::Tags(t) => Dynamic::from_array(
            t.iter()
                .map(|s| Dynamic::from(ImmutableString::from(s.as_str())))
                .collect(),
        ),
        Value::Json(j) => json_to_dynamic(j),
        Value::Attrs(a) => Dynamic::from_map(
            a.iter()
                .map(|(k, v)| (k.as_str().into(), json_to_dynamic(v)))
                .collect(),
        ),
        Value::Loc(l) => location(l),
        Value::Array(a) => {
            Dynamic::from_array(a.iter().map(plain_dynamic).collect::<Option<Array>>()?)
        }
        Value::Map(m) => Dynamic::from_map(
            m.iter()
                .map(|(k, v)| Some(((&**k).into(), plain_dynamic(v)?)))
                .collect::<Option<Map>>()?,
        ),
        Value::Range(a, b) => Dynamic::from(*a..*b),
        Value::View(..) | Value::Seq(..) => return None,
    })
}
