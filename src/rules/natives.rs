//! Helpers available in every interpreted hook: `distance_km`, `note`, `hold`, `available`,
//! `stock`, `product`, plus `print`/`debug` routed into the trace instead of the host's
//! stdout. They read and write the state of the current call only ([`CallState`]), which
//! the rule set fills before each call and empties into the caller's `Run` after it.

use super::value::to_dynamic;
use super::views::{location_of, Shared};
use crate::hooks::{Hook, Note, NoteKind};
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString, Position};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::rc::Rc;

type Fallible<T> = Result<T, Box<EvalAltResult>>;

/// The token a helper stops a script with when the run's note caps are reached.
pub(crate) const NOTES_FULL: &str = "stockroute:notes";
/// The token the progress callback stops a script with when the run's budget is used up.
pub(crate) const BUDGET_USED: &str = "stockroute:budget";

/// State of the hook call in progress.
#[derive(Debug)]
pub(crate) struct CallState {
    pub shared: Option<Rc<Shared>>,
    pub hook: Hook,
    pub warehouse: Option<usize>,
    pub notes: Vec<Note>,
    pub notes_left: usize,
    pub bytes_left: usize,
    pub hold: Option<String>,
}

impl Default for CallState {
    fn default() -> Self {
        CallState {
            shared: None,
            hook: Hook::Eligible,
            warehouse: None,
            notes: Vec::new(),
            notes_left: 0,
            bytes_left: 0,
            hold: None,
        }
    }
}

fn fail<T>(message: String) -> Fallible<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message),
        Position::NONE,
    )))
}

fn push_note(state: &Rc<RefCell<CallState>>, kind: NoteKind, text: String) -> Fallible<()> {
    let Ok(mut s) = state.try_borrow_mut() else {
        return Ok(());
    };
    if s.notes_left == 0 || text.len() > s.bytes_left {
        return Err(Box::new(EvalAltResult::ErrorTerminated(
            Dynamic::from(NOTES_FULL),
            Position::NONE,
        )));
    }
    s.notes_left -= 1;
    s.bytes_left -= text.len();
    let (hook, warehouse) = (s.hook, s.warehouse);
    s.notes.push(Note {
        kind,
        hook,
        warehouse,
        text,
    });
    Ok(())
}

fn shared(state: &Rc<RefCell<CallState>>) -> Option<Rc<Shared>> {
    state.try_borrow().ok().and_then(|s| s.shared.clone())
}

pub(crate) fn register(engine: &mut Engine, state: &Rc<RefCell<CallState>>) {
    // `country in EU` is the most common eligibility test. Rhai's generic `contains`
    // dispatches `==` through the function resolver for every element; comparing strings
    // directly gives the same answer (values of other types never equal a string).
    engine.register_fn(
        "contains",
        |items: &mut rhai::Array, needle: ImmutableString| -> bool {
            items.iter().any(|item| {
                item.read_lock::<ImmutableString>()
                    .is_some_and(|s| *s == needle)
            })
        },
    );

    engine.register_fn(
        "distance_km",
        |a: Dynamic, b: Dynamic| -> Fallible<Decimal> {
            let at = |v: &Dynamic, which: &str| match location_of(v) {
                Ok(Some(l)) => Ok(l),
                Ok(None) => fail(format!(
                    "distance_km: `{which}` ({}) has no location",
                    super::type_name(v)
                )),
                Err(e) => fail(format!("distance_km: `{which}` {e}")),
            };
            Ok(crate::geo::distance_km(&at(&a, "a")?, &at(&b, "b")?))
        },
    );

    let s = state.clone();
    engine.register_fn("note", move |text: Dynamic| {
        push_note(&s, NoteKind::Note, text.to_string())
    });

    let s = state.clone();
    engine.register_fn("hold", move |reason: ImmutableString| -> Fallible<()> {
        push_note(&s, NoteKind::Hold, format!("hold requested: {reason}"))?;
        if let Ok(mut st) = s.try_borrow_mut() {
            if st.hold.is_none() {
                st.hold = Some(reason.to_string());
            }
        }
        Ok(())
    });

    // print/debug cannot fail in Rhai: past the cap their text is dropped, and the next
    // `note` or `hold` stops the rule.
    let s = state.clone();
    engine.on_print(move |text| {
        let _ = push_note(&s, NoteKind::Print, text.to_string());
    });
    let s = state.clone();
    engine.on_debug(move |text, _, _| {
        let _ = push_note(&s, NoteKind::Debug, text.to_string());
    });

    let s = state.clone();
    engine.register_fn(
        "available",
        move |warehouse: ImmutableString, sku: ImmutableString| -> Decimal {
            shared(&s)
                .and_then(|sh| {
                    let inv = &sh.inventory;
                    Some(inv.available(inv.warehouse_index(&warehouse)?, &sku))
                })
                .unwrap_or(Decimal::ZERO)
        },
    );

    let s = state.clone();
    engine.register_fn(
        "stock",
        move |warehouse: ImmutableString, sku: ImmutableString| -> Dynamic {
            shared(&s).map_or(Dynamic::UNIT, |sh| {
                to_dynamic(super::schema::stock_of(sh.ctx(), &warehouse, &sku), &sh)
            })
        },
    );

    let s = state.clone();
    engine.register_fn("product", move |sku: ImmutableString| -> Dynamic {
        shared(&s).map_or(Dynamic::UNIT, |sh| {
            to_dynamic(super::schema::product_of(sh.ctx(), &sku), &sh)
        })
    });
}
