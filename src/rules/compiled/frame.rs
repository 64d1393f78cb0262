//! The state of one compiled hook call: locals, the operation count, the helpers' notes
//! and hold request. A frame lives for one call; nothing in it survives.

use crate::hooks::{Hook, Note, NoteKind};
use crate::rules::value::{Ctx, Value};

/// The compiled code cannot answer this call exactly as the interpreter would (an error, a
/// limit, a case it does not cover): the caller runs the interpreter instead, which gives
/// the reference answer. Bailing is always safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

pub(crate) type R<T> = Result<T, Bail>;

/// How a statement ended.
#[derive(Debug, Clone)]
pub(crate) enum Flow<'a> {
    /// Normally, with the statement's value (the block's value if it is the last).
    Next(Value<'a>),
    Break(Value<'a>),
    Continue,
    Return(Value<'a>),
}

/// Caps a compiled call obeys; they mirror the engine's limits so that a call the
/// interpreter would stop is one the compiled code bails out of.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caps {
    /// Operations: the smaller of the per-call limit and what the run has left.
    pub operations: u64,
    pub call_levels: usize,
    pub array: usize,
    pub map: usize,
    pub string: usize,
    pub variables: usize,
    pub notes: usize,
    pub note_bytes: usize,
}

pub(crate) struct Frame<'a> {
    pub fns: &'a [super::compile::Func],
    pub ctx: Ctx<'a>,
    /// Locals of every active call, the current one from `base`; on the stack for hooks
    /// with few locals.
    pub slots: smallvec::SmallVec<[Value<'a>; 12]>,
    pub base: usize,
    pub ops: u64,
    pub level: usize,
    pub caps: Caps,
    pub hook: Hook,
    pub warehouse: Option<usize>,
    pub notes: Vec<Note>,
    pub note_bytes: usize,
    pub hold: Option<String>,
}

impl<'a> Frame<'a> {
    pub fn new(
        fns: &'a [super::compile::Func],
        ctx: Ctx<'a>,
        caps: Caps,
        hook: Hook,
        warehouse: Option<usize>,
    ) -> Frame<'a> {
        Frame {
            fns,
            ctx,
            slots: smallvec::SmallVec::new(),
            base: 0,
            ops: 0,
            level: 0,
            caps,
            hook,
            warehouse,
            notes: Vec::new(),
            note_bytes: 0,
            hold: None,
        }
    }

    /// Counts one operation, exactly where the interpreter counts one.
    #[inline]
    pub fn tick(&mut self) -> R<()> {
        self.ops += 1;
        if self.ops > self.caps.operations {
            Err(Bail)
        } else {
            Ok(())
        }
    }

    /// Operations the call used, as the sandbox's meter counts them: nested calls and
    /// variable reads included.
    pub fn used(&self) -> u64 {
        self.ops
    }

    /// Counts `n` operations at once.
    #[inline]
    pub fn ticks(&mut self, n: u64) -> R<()> {
        self.ops = self.ops.saturating_add(n);
        if self.ops > self.caps.operations {
            Err(Bail)
        } else {
            Ok(())
        }
    }

    #[inline]
    pub fn get(&self, slot: usize) -> R<&Value<'a>> {
        self.slots.get(self.base + slot).ok_or(Bail)
    }

    #[inline]
    pub fn get_mut(&mut self, slot: usize) -> R<&mut Value<'a>> {
        self.slots.get_mut(self.base + slot).ok_or(Bail)
    }

    #[inline]
    pub fn set(&mut self, slot: usize, value: Value<'a>) -> R<()> {
        *self.get_mut(slot)? = value;
        Ok(())
    }

    /// Records a note from a helper; past the run's caps the interpreter reports the limit.
    pub fn note(&mut self, kind: NoteKind, text: String) -> R<()> {
        if self.notes.len() >= self.caps.notes
            || self.note_bytes.saturating_add(text.len()) > self.caps.note_bytes
        {
            return Err(Bail);
        }
        self.note_bytes += text.len();
        self.notes.push(Note {
            kind,
            hook: self.hook,
            warehouse: self.warehouse,
            text,
        });
        Ok(())
    }
}
