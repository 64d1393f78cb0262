//! JSON input with errors that name the field and say, in the user's words, what was wrong.
//!
//! Parsing runs plain `serde_json` first (the fast path every good input takes); only when
//! it fails is the input parsed again through `serde_path_to_error` to find the failing
//! field. The serde and serde_json wording (`invalid type: map, expected a string`,
//! `expected ident at line 1 column 2`) is translated into messages such as
//! "`lines[0].qty` must be a number such as `2` or `"2.5"`, got `"lots"`".

use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::model::Order;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// Parses JSON text into `T`. On failure the diagnostic's `path` names the field
/// (`lines[2].qty`); syntax errors give the line and column in the JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|plain| explain_str::<T>(text, what, &plain))
}

/// Parses an order from JSON text like [`from_str`]; when it fails, the error still names
/// the order (`order`) whenever its `id` can be read.
pub fn order_from_str(text: &str) -> Result<Order> {
    from_str(text, "order").map_err(|e| match order_id(text) {
        Some(id) => e.for_order(&id),
        None => e,
    })
}

/// Deserializes `T` from an already-parsed JSON value, naming the failing field.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T> {
    match T::deserialize(&value) {
        Ok(v) => Ok(v),
        Err(plain) => Err(match serde_path_to_error::deserialize::<_, T>(value) {
            Err(e) => {
                let path = e.path().to_string();
                data_error(what, &path, &e.into_inner(), None).into()
            }
            Ok(_) => data_error(what, "", &plain, None).into(),
        }),
    }
}

fn explain_str<T: DeserializeOwned>(
    text: &str,
    what: &str,
    plain: &serde_json::Error,
) -> StockrouteError {
    let mut de = serde_json::Deserializer::from_str(text);
    let d = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => {
            let path = e.path().to_string();
            data_error(what, &path, e.inner(), Some(text))
        }
        Ok(_) => match de.end() {
            Err(e) => data_error(what, "", &e, Some(text)),
            Ok(()) => data_error(what, "", plain, Some(text)),
        },
    };
    d.into()
}

/// The `id` of a JSON object whose top-level `id` is a string, read even when the rest of
/// the text is not a valid order (or not valid JSON after the `id`).
pub fn order_id(text: &str) -> Option<String> {
    struct Capture<'a>(&'a mut Option<String>);
    impl<'de> DeserializeSeed<'de> for Capture<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Capture<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "id" {
                    // Stored before anything later in the text can fail.
                    if let serde_json::Value::String(id) = map.next_value()? {
                        *self.0 = Some(id);
                    }
                    return Ok(());
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(())
        }
    }
    let mut id = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = Capture(&mut id).deserialize(&mut de);
    id
}

/// A `data.invalid` diagnostic for a deserialization error of `what` (`order`,
/// `inventory`, ...) at `path`, in the user's words. `message` is the error's text as serde
/// or serde_json word it; `text` is the JSON input, when there is one, for hints.
pub fn data_error(
    what: &str,
    path: &str,
    error: &serde_json::Error,
    text: Option<&str>,
) -> Diagnostic {
    use serde_json::error::Category;
    let raw = error.to_string();
    let message = strip_position(&raw);
    let path = match path {
        "" | "." | "?" => None,
        p => Some(p),
    };
    match error.classify() {
        // serde_json reports a value of the wrong kind for an enum (`"kind": true`) as a
        // syntax error; in valid JSON it is a data error at `path`.
        Category::Syntax
            if message == "expected value"
                && path.is_some()
                && text.is_some_and(|t| serde_json::from_str::<IgnoredAny>(t).is_ok()) =>
        {
            describe(
                what,
                path,
                "must be one of its allowed names, written as a string",
            )
        }
        Category::Syntax | Category::Eof | Category::Io => {
            let mut d = Diagnostic::new(
                code::DATA_INVALID,
                format!(
                    "invalid {what}: {} at line {} column {}",
                    syntax_words(message, what),
                    error.line(),
                    error.column()
                ),
            );
            if text.is_some_and(|t| t.starts_with('\u{feff}')) {
                d.help =
                    Some("remove the byte-order mark (U+FEFF) at the start of the text".into());
            } else if message == "recursion limit exceeded" {
                d.help = Some("flatten the data: at most 128 nested arrays and objects".into());
            }
            if let Some(p) = path {
                d.path = Some(p.to_string());
            }
            d
        }
        Category::Data => {
            let mut d = describe(what, path, message);
            if text.is_some() && error.line() > 0 {
                d.message = format!(
                    "{} (line {} column {})",
                    d.message,
                    error.line(),
                    error.column()
                );
            }
            d
        }
    }
}

/// A `data.invalid` diagnostic from a serde data-error message (any deserializer, e.g.
/// JavaScript values), in the user's words.
pub fn describe(what: &str, path: Option<&str>, message: &str) -> Diagnostic {
    let subject = match path {
        Some(p) => format!("`{p}`"),
        None => format!("the {what}"),
    };
    let (text, help) = translate(&subject, message);
    let mut d = Diagnostic::new(code::DATA_INVALID, format!("invalid {what}: {text}"));
    d.help = help;
    if let Some(p) = path {
        d.path = Some(p.to_string());
    }
    d
}

/// serde_json appends " at line L column C"; the position is given separately.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message.get(i..).is_some_and(|t| t.contains(" column ")) => {
            message.get(..i).unwrap_or(message)
        }
        _ => message,
    }
}

fn syntax_words(message: &str, what: &str) -> String {
    let words = match message {
        "expected value" => "not valid JSON: expected a value (a string in double quotes, a number, an object, an array, `true`, `false` or `null`)",
        "expected ident" => "not valid JSON: expected `true`, `false` or `null`",
        "key must be a string" => "not valid JSON: an object key must be a string in double quotes",
        "trailing comma" => "not valid JSON: a comma before a closing bracket",
        "expected `:`" => "not valid JSON: expected `:` after an object key",
        "expected `,` or `]`" => "not valid JSON: expected `,` or `]` in an array",
        "expected `,` or `}`" => "not valid JSON: expected `,` or `}` in an object",
        "invalid number" => "not valid JSON: a malformed number",
        "number out of range" => "a number is out of range",
        "invalid escape" => "not valid JSON: an invalid escape in a string",
        "invalid unicode code point" | "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            "a string contains a `\\u` escape that is not text (an unpaired surrogate)"
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "a string contains a raw control character (escape it, e.g. `\\n`)"
        }
        "recursion limit exceeded" => "nested too deeply (more than 128 levels of arrays and objects: recursion limit)",
        "EOF while parsing a value" => "the text ends where a value was expected",
        "EOF while parsing a list" => "the text ends inside an array",
        "EOF while parsing an object" => "the text ends inside an object",
        "EOF while parsing a string" => "the text ends inside a string",
        "trailing characters" => return format!("unexpected text after the end of the {what}"),
        other => return format!("not valid JSON: {other}"),
    };
    words.to_string()
}

/// "`path` must be ..., got ..." from serde's `invalid type: X, expected Y` and friends.
fn translate(subject: &str, message: &str) -> (String, Option<String>) {
    let decimal_help = || {
        Some(
            "write a quantity as a JSON number (`2`) or a numeric string (`\"2.5\"`), with at most 28 decimal places"
                .to_string(),
        )
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((unexpected, expected)) = rest.split_once(", expected ") {
                let expected = expected_words(expected);
                let help = (expected == crate::decimal::EXPECTED)
                    .then(decimal_help)
                    .flatten();
                return (
                    format!(
                        "{subject} must be {expected}, got {}",
                        unexpected_words(unexpected)
                    ),
                    help,
                );
            }
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((variant, expected)) = rest.split_once(", expected ") {
            let variant = variant.trim_matches('`');
            return (
                format!("{subject} must be {expected}, got `\"{variant}\"`"),
                None,
            );
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        if let Some((field, expected)) = rest.split_once(", expected ") {
            return (
                format!("{subject} has an unknown field {field}; known fields: {expected}"),
                None,
            );
        }
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return (
            format!("{subject} is missing the required field {field}"),
            None,
        );
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return (format!("{subject} has the field {field} twice"), None);
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            let expected = expected_words(expected);
            // serde reads an object from an array too; an array of the wrong length is
            // only ever a mistake for an object.
            let message = if expected == "an object" {
                format!("{subject} must be an object, got an array")
            } else {
                format!("{subject} has {n} entries, expected {expected}")
            };
            return (message, None);
        }
    }
    // Messages of the model's own deserializers are phrased as predicates.
    if ["must ", "is ", "has "]
        .iter()
        .any(|p| message.starts_with(p))
    {
        let help = message
            .contains(crate::decimal::EXPECTED)
            .then(decimal_help)
            .flatten()
            .or_else(|| {
                message.contains("decimal places").then(|| {
                    "round the value to the precision you mean: the engine never rounds an input"
                        .to_string()
                })
            });
        return (format!("{subject} {message}"), help);
    }
    (format!("{subject}: {message}"), None)
}

fn expected_words(expected: &str) -> String {
    let words = match expected {
        "a string" | "a borrowed string" | "string" => "a string",
        "a boolean" | "bool" => "`true` or `false`",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" | "a tuple" => "an array",
        "a map" => "an object",
        "unit" => "`null`",
        "a character" | "a char" => "a single character",
        "a Decimal type representing a fixed-point number" => crate::decimal::EXPECTED,
        "any valid JSON value" => "a JSON value",
        e if e.starts_with("struct ")
            || e.starts_with("a struct ")
            || e.starts_with("internally tagged enum ")
            || e.starts_with("adjacently tagged enum ") =>
        {
            "an object"
        }
        e if e.starts_with("tuple struct ") || e.starts_with("a tuple of size ") => "an array",
        e if e.starts_with("enum ") || e == "variant identifier" => "one of the allowed names",
        other => return other.to_string(),
    };
    words.to_string()
}

fn unexpected_words(unexpected: &str) -> String {
    if let Some(s) = unexpected.strip_prefix("string ") {
        return format!("`{s}`");
    }
    for prefix in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = unexpected.strip_prefix(prefix) {
            return v.to_string();
        }
    }
    if let Some(c) = unexpected.strip_prefix("character ") {
        return format!("`\"{}\"`", c.trim_matches('`'));
    }
    let words = match unexpected {
        "null" | "unit value" => "`null`",
        "map" => "an object",
        "sequence" => "an array",
        "byte array" => "bytes",
        u if u.ends_with("variant") => "an object",
        _ => "a value of another type",
    };
    words.to_string()
}
