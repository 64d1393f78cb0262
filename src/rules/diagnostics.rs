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

fn strip_position(message: &str) -> &str {
    match message.rfind(" (line ") {
        Some(i) if message.ends_with(')') => message.get(..i).unwrap_or(message),
        _ => message,
    }
}

pub(crate) fn parse_error(source: &str, err: &ParseError) -> Diagnostic {
    let d = match err.err_type() {
        rhai::ParseErrorType::TooManyFunctions => Diagnostic::new(
            code::RULE_LIMIT,
            format!(
                "more than {} functions (closures included) in one rule set",
                super::sandbox::MAX_FUNCTIONS
            ),
        )
        .with_help("split the rule set, or merge helpers that do the same thing"),
        // The sandbox's cap on declarations per function, raised while tokenizing.
        rhai::ParseErrorType::BadInput(rhai::LexError::ImproperSymbol(_, message))
            if message.ends_with(super::sandbox::DECLARATIONS_LIMIT) =>
        {
            Diagnostic::new(code::RULE_LIMIT, message.clone())
                .with_help("split the function, or keep values in an array or map")
        }
        other => Diagnostic::new(code::RULE_SYNTAX, style(&other.to_string())),
    };
    at(d, source, err.position())
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
    let message = match inner {
        EvalAltResult::ErrorRuntime(value, _) => {
            // `throw "..."` in a rule: show the thrown value as the message.
            format!("rule threw: {value}")
        }
        EvalAltResult::ErrorAssignmentToConstant(name, _) => format!(
            "cannot modify `{name}`: orders, warehouses and inventory are read-only in rules"
        ),
        other => style(strip_position(&other.to_string())),
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
        d.help = Some(format!("raised inside `{}`", chain.join("` → `")));
    }
    at(d, source, inner.position())
}
