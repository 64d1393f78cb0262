//! Structured errors shared by every entry point (native, Node, browser, CLI).
//!
//! One [`Diagnostic`] shape serves compile errors, runtime errors, data errors and plan
//! violations, so an editor or a backend handles them all the same way. Messages are
//! lowercase with user input in backticks; `code` is stable and meant for programs.

use serde::Serialize;
use std::fmt;

/// Stable error codes. Programs should match on these, never on message text.
pub mod code {
    /// The rule source does not parse.
    pub const RULE_SYNTAX: &str = "rule.syntax";
    /// A hook is defined with the wrong number of parameters.
    pub const RULE_SIGNATURE: &str = "rule.signature";
    /// A hook raised an error while running (unknown property, type mismatch, `throw`, ...).
    pub const RULE_RUNTIME: &str = "rule.runtime";
    /// A hook hit a sandbox limit (operations, call depth, string/array/map size, ...).
    pub const RULE_LIMIT: &str = "rule.limit";
    /// A hook returned a value of the wrong type or an out-of-range value.
    pub const RULE_RETURN: &str = "rule.return";
    /// Input JSON or model data is malformed or inconsistent.
    pub const DATA_INVALID: &str = "data.invalid";
    /// A plan (from the engine or from `route()`) breaks an invariant.
    pub const PLAN_INVALID: &str = "plan.invalid";
    /// Availability computed by rules breaks an invariant.
    pub const AVAILABILITY_INVALID: &str = "availability.invalid";
    /// Options passed to the router are invalid.
    pub const OPTIONS_INVALID: &str = "options.invalid";
    /// An engine bug surfaced as a WebAssembly trap; raised by the JavaScript wrapper, which
    /// rebuilds the instance (never produced by the Rust core itself).
    pub const INTERNAL: &str = "internal";

    /// Every code, for the generated TypeScript `ErrorCode` union.
    pub const ALL: [&str; 10] = [
        RULE_SYNTAX,
        RULE_SIGNATURE,
        RULE_RUNTIME,
        RULE_LIMIT,
        RULE_RETURN,
        DATA_INVALID,
        PLAN_INVALID,
        AVAILABILITY_INVALID,
        OPTIONS_INVALID,
        INTERNAL,
    ];
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops compilation or evaluation.
    Error,
    /// Worth fixing, but the rule set still runs.
    Warning,
}

/// One structured problem, with everything needed to point at its cause.
///
/// Script positions are 1-based. `column` counts Unicode scalar values (what Rhai reports);
/// `column_utf16` (`columnUtf16` in JSON) counts UTF-16 code units, which is what browser
/// editors use.
///
/// This is the one definition of the error fields: the thrown JavaScript error and the
/// TypeScript declarations (`ErrorDetails`, `StockrouteError`) are derived from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable machine-readable code (`rule.syntax`, `data.invalid`, ...).
    #[cfg_attr(test, ts(as = "crate::typescript::ErrorCode"))]
    pub code: &'static str,
    /// Severity of the problem.
    pub severity: Severity,
    /// Human-readable message: lowercase, user input in backticks.
    pub message: String,
    /// A hint on how to fix it, where one is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Name of the rule set (usually its file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The hook being evaluated (`eligible`, `rank`, `split`, `offer`, `adjust`, `route`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(as = "Option<crate::typescript::HookName>"))]
    pub hook: Option<String>,
    /// 1-based script line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based script column in Unicode scalar values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// 1-based script column in UTF-16 code units (for browser editors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_utf16: Option<u32>,
    /// Path of the offending field in input data, e.g. `lines[2].qty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The order concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The order line concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_line: Option<String>,
    /// The warehouse concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
}

impl Diagnostic {
    /// A new error-severity diagnostic with only code and message set.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            rule: None,
            hook: None,
            line: None,
            column: None,
            column_utf16: None,
            path: None,
            order: None,
            order_line: None,
            warehouse: None,
        }
    }
    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// Sets the data path.
    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    /// Sets the hook name.
    pub fn with_hook(mut self, hook: impl Into<String>) -> Self {
        self.hook = Some(hook.into());
        self
    }
    /// Sets the order line id.
    pub fn with_line_id(mut self, line: impl Into<String>) -> Self {
        self.order_line = Some(line.into());
        self
    }
    /// Sets the warehouse id.
    pub fn with_warehouse(mut self, warehouse: impl Into<String>) -> Self {
        self.warehouse = Some(warehouse.into());
        self
    }
    /// Sets line, column and UTF-16 column from a `(line, column, column_utf16)` position;
    /// `None` leaves the diagnostic unpositioned.
    pub fn set_position(&mut self, position: Option<(u32, u32, u32)>) {
        if let Some((line, column, column_utf16)) = position {
            self.line = Some(line);
            self.column = Some(column);
            self.column_utf16 = Some(column_utf16);
        }
    }

    /// Marks the diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(rule) = &self.rule {
            write!(f, "{rule}:")?;
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        } else if self.rule.is_some() {
            write!(f, " ")?;
        }
        if let Some(hook) = &self.hook {
            write!(f, "in `{hook}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(p) = &self.path {
            write!(f, " (at `{p}`)")?;
        }
        Ok(())
    }
}

/// The error type of every fallible stockroute operation: one or more diagnostics,
/// the first being the primary one.
///
/// It serializes as the error object JavaScript receives (TypeScript `ErrorDetails`): every
/// field of the primary diagnostic at top level, `message` being the full message
/// ([`fmt::Display`] of the primary diagnostic, with rule, position and hook), plus
/// `diagnostics`. The field list is the [`Diagnostic`]'s, never repeated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockrouteError {
    /// Code of the primary diagnostic (repeated here so callers can match without indexing).
    pub code: &'static str,
    /// Message of the primary diagnostic.
    pub message: String,
    /// Every diagnostic, primary first.
    pub diagnostics: Vec<Diagnostic>,
}

impl StockrouteError {
    /// Wraps a list of diagnostics; returns a generic error if the list is empty.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Self {
        let (code, message) = match diagnostics.first() {
            Some(d) => (d.code, d.to_string()),
            None => (code::RULE_RUNTIME, "unknown error".to_string()),
        };
        StockrouteError {
            code,
            message,
            diagnostics,
        }
    }

    /// The primary diagnostic.
    pub fn primary(&self) -> Option<&Diagnostic> {
        self.diagnostics.first()
    }

    /// Sets the order id on every diagnostic that has none.
    pub fn for_order(mut self, order: &str) -> Self {
        for d in &mut self.diagnostics {
            if d.order.is_none() {
                d.order = Some(order.to_string());
            }
        }
        self
    }
}

impl From<Diagnostic> for StockrouteError {
    fn from(d: Diagnostic) -> Self {
        StockrouteError::from_diagnostics(vec![d])
    }
}

impl fmt::Display for StockrouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for d in &self.diagnostics {
            if !first {
                writeln!(f)?;
            }
            first = false;
            write!(f, "{d}")?;
        }
        if first {
            write!(f, "{}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for StockrouteError {}

impl Serialize for StockrouteError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        // The primary diagnostic through its own `Serialize`, so a field added to
        // `Diagnostic` reaches JavaScript without a second list to update.
        let primary = match self.primary() {
            Some(d) => serde_json::to_value(d).map_err(S::Error::custom)?,
            None => serde_json::Value::Null,
        };
        let fields = primary.as_object();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code)?;
        map.serialize_entry("message", &self.message)?;
        for (key, value) in fields.into_iter().flatten() {
            if key != "code" && key != "message" {
                map.serialize_entry(key, value)?;
            }
        }
        map.serialize_entry("diagnostics", &self.diagnostics)?;
        map.end()
    }
}

/// Shorthand result type.
pub type Result<T, E = StockrouteError> = std::result::Result<T, E>;
