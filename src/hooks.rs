//! The typed boundary between the engine and merchant rules.
//!
//! Routing and availability ask rules questions through [`Hooks`] and get typed answers:
//! eligibility is a `bool`, a rank is a tie-break chain of decimals, a split policy is a
//! [`SplitPolicy`], an offer is a quantity, a `route()` plan is a [`PlanDraft`], a
//! replenishment decision is a [`ReplenishAnswer`]. Notes and
//! hold requests come back in the [`Run`] passed to every call, never through shared state.
//! Nothing here knows how rules are written or evaluated: `src/rules/` implements the trait
//! (compiled hook programs, with the Rhai interpreter as fallback and reference).

use crate::error::{Diagnostic, Result};
use crate::inventory::PreparedInventory;
use crate::model::Order;
use crate::routing::policy::SplitPolicy;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::any::Any;

/// The hooks a rule set can define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hook {
    /// `eligible(order, warehouse)` → bool.
    Eligible,
    /// `rank(order, warehouse)` → number or array of numbers, lower first.
    Rank,
    /// `split(order)` → split policy map.
    Split,
    /// `offer(channel, warehouse, sku, qty)` → quantity the channel may offer.
    Offer,
    /// `adjust(channel, sku, qty)` → final channel quantity.
    Adjust,
    /// `route(order, inventory)` → the whole plan.
    Route,
    /// `replenish(warehouse, sku, proposal)` → the quantity to send a consignment location,
    /// a map `#{ propose, reason }`, or `0`/`()`/`false` to veto.
    Replenish,
}

impl Hook {
    /// How many hooks there are.
    pub const COUNT: usize = 7;

    /// Every hook.
    pub const ALL: [Hook; Hook::COUNT] = [
        Hook::Eligible,
        Hook::Rank,
        Hook::Split,
        Hook::Offer,
        Hook::Adjust,
        Hook::Route,
        Hook::Replenish,
    ];

    /// The function name in scripts.
    pub fn name(self) -> &'static str {
        match self {
            Hook::Eligible => "eligible",
            Hook::Rank => "rank",
            Hook::Split => "split",
            Hook::Offer => "offer",
            Hook::Adjust => "adjust",
            Hook::Route => "route",
            Hook::Replenish => "replenish",
        }
    }

    /// The parameter names, in order.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Hook::Eligible | Hook::Rank => &["order", "warehouse"],
            Hook::Split => &["order"],
            Hook::Offer => &["channel", "warehouse", "sku", "qty"],
            Hook::Adjust => &["channel", "sku", "qty"],
            Hook::Route => &["order", "inventory"],
            Hook::Replenish => &["warehouse", "sku", "proposal"],
        }
    }

    /// Position in [`Hook::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A warehouse's rank: a tie-break chain compared element by element, lower first.
pub type RankKey = SmallVec<[Decimal; 4]>;

/// What produced a note in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// `note(text)`.
    Note,
    /// `print(text)`.
    Print,
    /// `debug(value)`.
    Debug,
    /// `hold(reason)`.
    Hold,
}

impl NoteKind {
    /// The trace step name.
    pub fn step(self) -> &'static str {
        match self {
            NoteKind::Note => "note",
            NoteKind::Print => "print",
            NoteKind::Debug => "debug",
            NoteKind::Hold => "hold",
        }
    }
}

/// A line a rule added to the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How it was written.
    pub kind: NoteKind,
    /// The hook that wrote it.
    pub hook: Hook,
    /// The warehouse the hook was asked about, by inventory index.
    pub warehouse: Option<usize>,
    /// The text.
    pub text: String,
}

/// Caps for one run (one order, or one availability computation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Operations for all hook calls of the run together.
    pub operations: u64,
    /// Notes (`note`, `print`, `debug`, `hold`) in the run's trace.
    pub notes: usize,
    /// Bytes of note text in the run's trace.
    pub note_bytes: usize,
}

/// Per-run state, passed explicitly to every hook call: the operation budget, the notes the
/// rules wrote and the first hold they requested. A run is one order (or one availability
/// computation); nothing in it survives the run.
pub struct Run {
    limits: RunLimits,
    used: u64,
    notes: Vec<Note>,
    /// Notes written in the whole run (some may have been taken already).
    noted: usize,
    note_bytes: usize,
    hold: Option<(Hook, String)>,
    /// Scratch space for the rule implementation (for instance the interpreter's view of the
    /// order, built only when an interpreted hook needs it). Dropped with the run.
    pub scratch: Option<Box<dyn Any>>,
    /// Small per-run memo slots for the rule implementation (for instance which row of a
    /// hook's answer cache this order's field values select, found once per order rather
    /// than once per warehouse). Start empty with every run.
    pub memo: [Option<(u64, u32)>; 3],
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("used", &self.used)
            .field("notes", &self.notes.len())
            .field("hold", &self.hold)
            .finish()
    }
}

/// Why a note could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteLimitError {
    /// Too many notes.
    Count(usize),
    /// Too much text.
    Bytes(usize),
}

impl Run {
    /// A fresh run.
    pub fn new(limits: RunLimits) -> Run {
        Run {
            limits,
            used: 0,
            notes: Vec::new(),
            noted: 0,
            note_bytes: 0,
            hold: None,
            scratch: None,
            memo: [None; 3],
        }
    }

    /// The run's caps.
    pub fn limits(&self) -> RunLimits {
        self.limits
    }

    /// Operations still available to hook calls of this run.
    pub fn operations_left(&self) -> u64 {
        self.limits.operations.saturating_sub(self.used)
    }

    /// Operations used so far.
    pub fn operations_used(&self) -> u64 {
        self.used
    }

    /// Charges `n` operations to the run.
    pub fn charge(&mut self, n: u64) {
        self.used = self.used.saturating_add(n);
    }

    /// Adds a note, or reports which cap it would exceed.
    pub fn note(&mut self, note: Note) -> std::result::Result<(), NoteLimitError> {
        if self.noted >= self.limits.notes {
            return Err(NoteLimitError::Count(self.limits.notes));
        }
        let bytes = self.note_bytes.saturating_add(note.text.len());
        if bytes > self.limits.note_bytes {
            return Err(NoteLimitError::Bytes(self.limits.note_bytes));
        }
        self.note_bytes = bytes;
        self.noted += 1;
        self.notes.push(note);
        Ok(())
    }

    /// Notes the run may still add.
    pub fn notes_left(&self) -> usize {
        self.limits.notes.saturating_sub(self.noted)
    }

    /// Bytes of note text the run may still add.
    pub fn note_bytes_left(&self) -> usize {
        self.limits.note_bytes.saturating_sub(self.note_bytes)
    }

    /// Records a hold request; the first one wins.
    pub fn request_hold(&mut self, hook: Hook, reason: String) {
        if self.hold.is_none() {
            self.hold = Some((hook, reason));
        }
    }

    /// The first hold requested, with the hook that asked.
    pub fn hold(&self) -> Option<(Hook, &str)> {
        self.hold.as_ref().map(|(h, r)| (*h, r.as_str()))
    }

    /// Takes the notes written so far.
    pub fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }

    /// Notes written so far.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }
}

/// A plan as a rule's `route()` proposed it, with warehouse and line ids as the rule wrote
/// them. The engine validates and completes it (see `routing::plan`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanDraft {
    /// (warehouse id, [(line id, quantity)]).
    pub shipments: Vec<(String, Vec<(String, Decimal)>)>,
    /// (line id, quantity).
    pub backorders: Vec<(String, Decimal)>,
    /// Hold the whole order for manual routing, with this reason.
    pub hold: Option<String>,
}

/// What a `replenish` hook decided about a proposal (see `docs/replenishment.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplenishAnswer {
    /// The quantity to send instead of the engine's; `None` keeps the engine's (`true`),
    /// `Some(0)` vetoes (`0`, `()`, `false`). The engine still caps it at the proposal's
    /// `limit` and rounds whole units down.
    pub propose: Option<Decimal>,
    /// The rule's reason, added to the proposal's `why`.
    pub reason: Option<String>,
}

/// The order a hook is asked about, with the inventory it is routed against.
#[derive(Debug, Clone, Copy)]
pub struct OrderInput<'a> {
    /// The order (validated against the inventory).
    pub order: &'a Order,
    /// The inventory.
    pub inventory: &'a PreparedInventory,
    /// The day the order is routed on (consignment periods end relative to it).
    pub as_of: Option<time::Date>,
}

/// The questions the engine asks rules. Every method answers for one order (or one channel
/// and SKU) and records notes and hold requests in `run`. Errors are complete diagnostics
/// (rule name, hook, script position).
pub trait Hooks {
    /// Whether the rules define `hook`; the engine uses its default for those they do not.
    fn defines(&self, hook: Hook) -> bool;

    /// May `warehouse` (inventory index) ship this order?
    fn eligible(&self, run: &mut Run, order: OrderInput<'_>, warehouse: usize) -> Result<bool>;

    /// The preference of `warehouse` for this order, lower first.
    fn rank(&self, run: &mut Run, order: OrderInput<'_>, warehouse: usize) -> Result<RankKey>;

    /// The split policy for this order.
    fn split(&self, run: &mut Run, order: OrderInput<'_>) -> Result<SplitPolicy>;

    /// The whole plan, as the rule builds it.
    fn route(&self, run: &mut Run, order: OrderInput<'_>) -> Result<PlanDraft>;

    /// How much of `qty` available at `warehouse` the channel (inventory index) may offer.
    fn offer(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        channel: usize,
        warehouse: usize,
        sku: &str,
        qty: Decimal,
    ) -> Result<Decimal>;

    /// The channel's final quantity for a SKU, from `qty` after safety and reservations.
    fn adjust(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        channel: usize,
        sku: &str,
        qty: Decimal,
    ) -> Result<Decimal>;

    /// Whether the rules decide themselves about consignment locations whose period has
    /// ended (their `eligible` reads `warehouse.period_ended`); otherwise the engine
    /// excludes such locations before `eligible` runs.
    fn decides_period_end(&self) -> bool {
        false
    }

    /// What to send consignment location `warehouse` (inventory index) of `proposal.sku`:
    /// the engine's proposal (with its caps in `limit`) kept, changed or vetoed.
    fn replenish(
        &self,
        run: &mut Run,
        inventory: &PreparedInventory,
        warehouse: usize,
        proposal: &crate::consignment::replenish::Proposal,
    ) -> Result<ReplenishAnswer>;

    /// Attributes a diagnostic about what `hook` returned to the rule: rule name, hook, and
    /// the position of the hook's definition.
    fn blame(&self, hook: Hook, diagnostic: Diagnostic) -> Diagnostic;
}
