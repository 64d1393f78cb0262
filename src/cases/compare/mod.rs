//! Comparing what the engine produced with what a case expects: one [`Expectation`] per
//! kind of result, each in its own file, each answering with one readable sentence per
//! mismatch.

mod availability;
mod changes;
mod error;
mod plan;
mod replenishment;
mod validation;

pub(super) use availability::ChannelOffers;

use crate::model::{Document, PlanStatus};
use rust_decimal::Decimal;
use serde::Serialize;

/// An expectation of a case, held against what the engine produced.
pub(super) trait Expectation {
    /// What the engine produced: a plan, an availability, proposals, a validation, the
    /// stock changes of a ledger step, or an error.
    type Actual: ?Sized;

    /// Every mismatch as a sentence (``status expected `split`, got `single` ``); empty
    /// when the expectation holds.
    fn mismatches(&self, actual: &Self::Actual) -> Vec<String>;
}

/// A serialized enum's name (`split`, `packing_slip`).
fn name_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// A plan status as cases write it.
pub(super) fn status_name(s: PlanStatus) -> String {
    name_of(&s)
}

fn doc_names(docs: &[Document]) -> String {
    let mut names: Vec<String> = docs.iter().map(name_of).collect();
    names.sort();
    format!("[{}]", names.join(", "))
}

/// A quantity as cases write it (`2`, `2.5`: no trailing zeros).
fn q(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Sums quantities per key, keeping first-seen key order.
fn totals<'a>(items: impl Iterator<Item = (&'a str, Decimal)>) -> Vec<(&'a str, Decimal)> {
    let mut out: Vec<(&str, Decimal)> = Vec::new();
    for (k, v) in items {
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some(e) => e.1 += v,
            None => out.push((k, v)),
        }
    }
    out
}

fn describe_lines(lines: &[(&str, Decimal)]) -> String {
    lines
        .iter()
        .map(|(l, n)| format!("line `{l}` × {}", q(*n)))
        .collect::<Vec<_>>()
        .join(", ")
}
