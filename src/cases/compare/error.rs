//! Error expectations: some diagnostic of the error has the code and every other field
//! given; otherwise the closest diagnostic explains the difference.

use super::Expectation;
use crate::cases::schema::ExpectError;
use crate::error::{Diagnostic, StockrouteError};

impl Expectation for ExpectError {
    type Actual = StockrouteError;

    fn mismatches(&self, e: &StockrouteError) -> Vec<String> {
        let x = self;
        let matches = |d: &Diagnostic| {
            d.code == x.code
                && x.hook.as_ref().is_none_or(|h| d.hook.as_ref() == Some(h))
                && x.path.as_ref().is_none_or(|p| d.path.as_ref() == Some(p))
                && x.warehouse
                    .as_ref()
                    .is_none_or(|w| d.warehouse.as_ref() == Some(w))
                && x.message_contains.as_ref().is_none_or(|m| {
                    d.message.contains(m.as_str()) || d.to_string().contains(m.as_str())
                })
        };
        if e.diagnostics.iter().any(matches) {
            return Vec::new();
        }
        // Explain against the closest diagnostic: the first with the expected code, else the
        // primary one.
        let Some(d) = e
            .diagnostics
            .iter()
            .find(|d| d.code == x.code)
            .or(e.diagnostics.first())
        else {
            return vec![format!(
                "expected error `{}`, got `{}`: {e}",
                x.code, e.code
            )];
        };
        let opt = |v: &Option<String>| v.as_ref().map_or("none".into(), |s| format!("`{s}`"));
        let mut f = Vec::new();
        if d.code != x.code {
            f.push(format!(
                "error code expected `{}`, got `{}` ({})",
                x.code, d.code, d
            ));
        }
        if let Some(h) = &x.hook {
            if d.hook.as_ref() != Some(h) {
                f.push(format!("error hook expected `{h}`, got {}", opt(&d.hook)));
            }
        }
        if let Some(p) = &x.path {
            if d.path.as_ref() != Some(p) {
                f.push(format!("error path expected `{p}`, got {}", opt(&d.path)));
            }
        }
        if let Some(w) = &x.warehouse {
            if d.warehouse.as_ref() != Some(w) {
                f.push(format!(
                    "error warehouse expected `{w}`, got {}",
                    opt(&d.warehouse)
                ));
            }
        }
        if let Some(m) = &x.message_contains {
            if !d.message.contains(m.as_str()) && !d.to_string().contains(m.as_str()) {
                f.push(format!(
                    "error message expected to contain `{m}`, got `{}`",
                    d.message
                ));
            }
        }
        if f.is_empty() {
            f.push(format!("no diagnostic matches the expected error: {e}"));
        }
        f
    }
}
