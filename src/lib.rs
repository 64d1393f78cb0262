//! # stockroute
//!
//! A rules engine for order routing with consignment stock. Merchants write Rhai rules;
//! the engine aggregates available stock per sales channel and decides, per order, which
//! warehouse ships which lines, what to split, backorder or hold.
//!
//! ## Map of the crate
//!
//! | module | what it does |
//! |---|---|
//! | [`model`] | serde types: inventory, order, plan, availability (quantities are `Decimal`) |
//! | [`inventory`] | validates an inventory once and indexes it for many orders |
//! | [`availability`](crate::Router::available) | per channel and SKU offered stock with its breakdown |
//! | [`hooks`] | the typed boundary: the questions routing and availability ask rules |
//! | [`routing`] | one walk per order: decide, allocate, validate, assemble |
//! | [`rules`] | merchant rules in Rhai answering [`Hooks`]: compile, views, helpers, diagnostics |
//! | [`consignment`] | forwarding emails and requests with packing slip / pro forma (HTML, PDF), period ends, settlement |
//! | [`error`] | one structured [`Diagnostic`] shape for every error |
//! | [`json`] | JSON parsing that names the failing field |
//! | [`decimal`] | exact decimal input: numbers and numeric strings, never rounded |
//! | `wasm` | (wasm32 only) the thin WebAssembly binding over [`Router`] |
//!
//! The core has no WebAssembly dependency: native tests, Node and the browser run the same
//! code path.

pub mod cases;
pub mod consignment;
pub mod decimal;
pub mod error;
pub mod geo;
pub mod hooks;
pub mod inventory;
pub mod json;
pub mod model;
pub mod routing;
pub mod rules;

mod availability;
mod router;

#[cfg(target_arch = "wasm32")]
mod wasm;

// Generates the npm package's TypeScript declarations from the model (test-only).
#[cfg(test)]
mod typescript;

// The Rust examples of the docs run as doctests (`cargo test --doc`); tests/node/docs.test.mjs
// checks that every doc with a ```rust block is included here.
#[cfg(doctest)]
#[doc = include_str!("../docs/test-cases.md")]
mod doc_test_cases {}

pub use error::{Diagnostic, Severity, StockrouteError};
pub use hooks::{Hook, Hooks};
pub use inventory::PreparedInventory;
pub use model::*;
pub use router::{
    check, BatchOptions, RouteOptions, Router, RouterOptions, ValidateOptions, NOT_IN_STOCK,
};
pub use routing::policy::{KeepTogether, SplitPolicy, Strategy, Unfulfillable};
pub use rules::compiled::HookMode;
pub use rules::{CheckReport, Execution, HookModeInfo, Limits};

/// The crate version, as reported by `version()` in JavaScript.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
