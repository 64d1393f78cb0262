//! Turning Rhai errors into [`Diagnostic`]s with script positions in both column encodings.

use crate::error::{code, Diagnostic};
use rhai::{EvalAltResult, ParseError, Position};

/// Converts a Rhai position to (line, column, UTF-16 column), all 1-based.
pub(crate) fn position(source: &str, pos: Position) -> Option<(u32, u32, u32)> {
    let line = pos.line()?;
    let column = pos.position().unwrap_or(1).max(1);
    let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
    let utf16: usize = text
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf16)
        .sum();
    Some((
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
        u32::try_from(utf16 + 1).unwrap_or(u32::MAX),
    ))
}

pub(crate) fn at(mut d: Diagnostic, source: &str, pos: Position) -> Diagnostic {
    d.set_position(position(source, pos));
    d
}

/// Lowercases the first letter, following the message style guide.
pub(crate) fn style(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) if !chars.as_str().starts_with(|c: char| c.is_uppercase()) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => message.to_string(),
    }
}

/// `Unknown property 'foo' - a getter is not registered for type 'i64'` and other dot errors.
fn dot_expr(text: &str) -> String {
    let parts: Vec<&str> = text.split('\'').collect();
    match parts.as_slice() {
        [head, prop, middle, ty, ..]
            if head.starts_with("Unknown property") && middle.contains("for type") =>
        {
            format!("no property `{prop}` on {}", type_words(ty))
        }
        _ => scrub(&style(text)),
    }
}

fn strip_position(message: &str) -> &str {
    match message.rfind(" (line ") {
        Some(i) if message.ends_with(')') => message.get(..i).unwrap_or(message),
        _ => message,
    }
}

pub(crate) fn parse_error(source: &str, err: &ParseError) -> Diagnostic {
    use rhai::ParseErrorType as P;
    let d = match err.err_type() {
        P::TooManyFunctions => Diagnostic::new(
            code::RULE_LIMIT,
            format!(
                "more than {} functions (closures included) in one rule set",
                super::sandbox::MAX_FUNCTIONS
            ),
        )
        .with_help("split the rule set, or merge helpers that do the same thing"),
        // The sandbox's cap on declarations per function, raised while tokenizing.
        P::BadInput(rhai::LexError::ImproperSymbol(_, message))
            if message.ends_with(super::sandbox::DECLARATIONS_LIMIT) =>
        {
            Diagnostic::new(code::RULE_LIMIT, message.clone())
                .with_help("split the function, or keep values in an array or map")
        }
        other => {
            let message = match other {
                P::VariableUndefined(name) => format!("undefined variable `{name}`"),
                P::FnDuplicatedDefinition(name, n) => {
                    format!("function `{name}` with {n} parameters is defined twice")
                }
                P::MismatchedType(expected, actual) => {
                    format!(
                        "expecting {}, not {}",
                        type_words(expected),
                        type_words(actual)
                    )
                }
                other => scrub(&style(&other.to_string())),
            };
            Diagnostic::new(code::RULE_SYNTAX, message)
        }
    };
    at(d, source, err.position())
}

/// A Rhai type name (`i64`, `&str | ImmutableString | String`, `rust_decimal::Decimal`,
/// `Array`, ...) in the words of a rule author.
pub(crate) fn type_words(name: &str) -> String {
    let words = match name.trim() {
        "&str | ImmutableString | String"
        | "ImmutableString"
        | "String"
        | "&str"
        | "string"
        | "alloc::string::String" => "a string",
        "i64" | "i32" | "u64" | "u32" | "usize" | "INT" | "integer" | "int" => "a number",
        "decimal" | "Decimal" | "rust_decimal::Decimal" => "a number",
        "array" | "Array" => "an array",
        "map" | "Map" => "a map",
        "bool" | "boolean" => "a boolean",
        "char" => "a character",
        "()" | "unit" => "nothing (`()`)",
        "Fn" | "FnPtr" | "rhai::FnPtr" => "a function pointer",
        "blob" | "Blob" => "a blob",
        "range" | "Range<i64>" | "RangeInclusive<i64>" | "ExclusiveRange" | "InclusiveRange" => {
            "a range"
        }
        "?" | "Dynamic" | "rhai::Dynamic" => "any value",
        n if n.starts_with("a ") || n.starts_with("an ") => return n.to_string(),
        n if n.contains("Vec<") => "an array",
        n if n.contains("BTreeMap<") || n.contains("HashMap<") => "a map",
        n => {
            // An unknown registered type: its last path segment, never a Rust path.
            let short = n.rsplit("::").next().unwrap_or(n);
            return format!("a `{short}` value");
        }
    };
    words.to_string()
}

/// Last resort for Rhai messages not rewritten one by one: no Rust type names remain.
fn scrub(message: &str) -> String {
    let mut out = message.to_string();
    for (from, to) in [
        ("&str | ImmutableString | String", "string"),
        ("ImmutableString", "string"),
        ("alloc::string::String", "string"),
        ("rust_decimal::Decimal", "number"),
        ("&str", "string"),
    ] {
        out = out.replace(from, to);
    }
    // Whole-word `i64` only (never inside a user's identifier).
    let words: Vec<&str> = out.split(' ').collect();
    words
        .iter()
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            if core == "i64" {
                w.replace("i64", "number")
            } else {
                (*w).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `function not found: - (&str | ImmutableString | String, i64)` → "cannot subtract a
/// number from a string", with help where the fix is known.
fn function_not_found(signature: &str) -> (String, Option<String>) {
    let (name, args) = match signature.split_once(" (") {
        Some((name, rest)) => (name.trim(), rest.strip_suffix(')').unwrap_or(rest)),
        None => (signature.trim(), ""),
    };
    let args: Vec<String> = if args.trim().is_empty() {
        Vec::new()
    } else {
        args.split(", ").map(type_words).collect()
    };
    let has_string = args.iter().any(|a| a == "a string");
    let has_number = args.iter().any(|a| a == "a number");
    let convert = (has_string && has_number).then(|| {
        "convert one side first: `n.to_string()` makes a string, `parse_int(s)` or `parse_decimal(s)` a number".to_string()
    });
    let op = name.strip_suffix('=').filter(|o| {
        !o.is_empty() && !["=", "!", "<", ">"].contains(o) // `==`, `!=`, `<=`, `>=` are operators of their own
    });
    let op = op.unwrap_or(name);
    let message = match (op, args.as_slice()) {
        ("+", [a, b]) => format!("cannot add {b} to {a}"),
        ("-", [a, b]) => format!("cannot subtract {b} from {a}"),
        ("*", [a, b]) => format!("cannot multiply {a} by {b}"),
        ("/", [a, b]) => format!("cannot divide {a} by {b}"),
        ("%", [a, b]) => format!("cannot take the remainder of {a} divided by {b}"),
        ("**", [a, b]) => format!("cannot raise {a} to the power of {b}"),
        ("<" | ">" | "<=" | ">=" | "==" | "!=", [a, b]) => {
            format!("cannot compare {a} with {b} using `{op}`")
        }
        ("&" | "|" | "^" | "&&" | "||", [a, b]) => {
            format!("cannot combine {a} and {b} with `{op}`")
        }
        ("<<" | ">>", [a, b]) => format!("cannot shift {a} by {b}"),
        (".." | "..=", [a, b]) => format!("cannot make a range from {a} to {b}"),
        ("-", [a]) => format!("cannot negate {a}"),
        ("!", [a]) => format!("`!` needs a boolean, got {a}"),
        ("index$get$", [a, b]) => format!("cannot index {a} with {b}"),
        ("index$set$", [a, b, ..]) => format!("cannot assign into {a} at an index of {b}"),
        (n, [a, ..]) if n.starts_with("get$") => {
            format!("no property `{}` on {a}", n.trim_start_matches("get$"))
        }
        (n, [a, ..]) if n.starts_with("set$") => {
            format!(
                "cannot set property `{}` on {a}",
                n.trim_start_matches("set$")
            )
        }
        (n, []) => format!("no function `{n}` that takes no arguments"),
        (n, args) => format!("no function `{n}` that takes ({})", args.join(", ")),
    };
    let help = convert.or_else(|| {
        let word = op.chars().all(|c| c.is_alphanumeric() || c == '_');
        word.then(|| {
            "check the name and the argument types; docs/rules-api.md lists the helpers".to_string()
        })
    });
    (message, help)
}

/// Maps a runtime error to a diagnostic at its innermost position (inside the called
/// function, not at the call site), with the function chain in `help`.
pub(crate) fn eval_error(source: &str, err: &EvalAltResult) -> Diagnostic {
    let mut chain = Vec::new();
    let mut inner = err;
    while let EvalAltResult::ErrorInFunctionCall(name, _, next, _) = inner {
        chain.push(name.clone());
        inner = next;
    }
    if let Some(stop) = super::sandbox::stopped(inner) {
        let d = Diagnostic::new(stop.code, stop.message).with_help(stop.help);
        return at(d, source, inner.position());
    }
    let limit = matches!(
        inner,
        EvalAltResult::ErrorTooManyOperations(..)
            | EvalAltResult::ErrorStackOverflow(..)
            | EvalAltResult::ErrorDataTooLarge(..)
            | EvalAltResult::ErrorTooManyVariables(..)
            | EvalAltResult::ErrorTooManyModules(..)
            | EvalAltResult::ErrorTerminated(..)
    );
    let mut known_help = None;
    let message = match inner {
        EvalAltResult::ErrorRuntime(value, _) => {
            // `throw "..."` in a rule: show the thrown value as the message.
            format!("rule threw: {value}")
        }
        EvalAltResult::ErrorAssignmentToConstant(name, _) => format!(
            "cannot modify `{name}`: orders, warehouses and inventory are read-only in rules"
        ),
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            let (message, help) = function_not_found(signature);
            known_help = help;
            message
        }
        EvalAltResult::ErrorMismatchDataType(expected, actual, _)
        | EvalAltResult::ErrorMismatchOutputType(expected, actual, _) => {
            match (expected.is_empty(), actual.is_empty()) {
                (false, false) => format!(
                    "wrong type: expected {}, got {}",
                    type_words(expected),
                    type_words(actual)
                ),
                (false, true) => format!("wrong type: expected {}", type_words(expected)),
                _ => format!("wrong type: {}", type_words(actual)),
            }
        }
        EvalAltResult::ErrorIndexingType(what, _) => match what.split_once(" [") {
            Some((target, index)) => format!(
                "cannot index {} with {}",
                type_words(target),
                type_words(index.trim_end_matches(']'))
            ),
            None => format!("cannot index {}", type_words(what)),
        },
        EvalAltResult::ErrorPropertyNotFound(name, _) => format!("no property `{name}`"),
        EvalAltResult::ErrorFor(_) => {
            "a `for` loop needs an array, a string or a range to go through".to_string()
        }
        EvalAltResult::ErrorDotExpr(text, _) => dot_expr(text),
        EvalAltResult::ErrorArithmetic(text, _)
            if text.starts_with("Error parsing integer number") =>
        {
            match text.split('\'').nth(1) {
                Some(value) => format!("`parse_int` cannot read `{value}` as a whole number"),
                None => "`parse_int` cannot read this text as a whole number".to_string(),
            }
        }
        other => scrub(&style(strip_position(&other.to_string()))),
    };
    let mut d = Diagnostic::new(
        if limit {
            code::RULE_LIMIT
        } else {
            code::RULE_RUNTIME
        },
        message,
    );
    if limit {
        d.help = Some(
            "the rule hit a sandbox limit; look for unbounded loops, recursion or growing strings, arrays and maps"
                .into(),
        );
    } else if !chain.is_empty() {
        let inside = format!("raised inside `{}`", chain.join("` → `"));
        d.help = Some(match known_help {
            Some(help) => format!("{help} ({inside})"),
            None => inside,
        });
    } else {
        d.help = known_help;
    }
    at(d, source, inner.position())
}
