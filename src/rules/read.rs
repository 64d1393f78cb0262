//! Reading what an interpreted hook returned into the typed answers of [`Hooks`]: every
//! wrong type or value is a `rule.return` diagnostic at the hook, in the rule's words.
//!
//! [`Hooks`]: crate::hooks::Hooks

use super::{as_decimal, type_name, RuleSet};
use crate::error::{code, Diagnostic, Result, StockrouteError};
use crate::hooks::{Hook, PlanDraft, RankKey, ReplenishAnswer};
use crate::routing::policy::{KeepTogether, SplitPolicy, Strategy, Unfulfillable, KEYS};
use rhai::{Array, Dynamic, Map};
use rust_decimal::Decimal;

impl RuleSet {
    /// A wrong-return-type diagnostic for a hook.
    pub(crate) fn return_error(
        &self,
        hook: Hook,
        expected: &str,
        got: &Dynamic,
        warehouse: Option<&str>,
    ) -> Diagnostic {
        let mut d = self.blame_hook(
            hook,
            Diagnostic::new(
                code::RULE_RETURN,
                format!(
                    "`{}` must return {expected}, got {}",
                    hook.name(),
                    type_name(got)
                ),
            ),
        );
        d.warehouse = warehouse.map(str::to_string);
        d
    }

    pub(crate) fn read_bool(&self, v: &Dynamic, warehouse: Option<&str>) -> Result<bool> {
        v.as_bool().map_err(|_| {
            self.return_error(Hook::Eligible, "a bool (true or false)", v, warehouse)
                .into()
        })
    }

    pub(crate) fn read_number(
        &self,
        hook: Hook,
        v: &Dynamic,
        warehouse: Option<&str>,
    ) -> Result<Decimal> {
        as_decimal(v).ok_or_else(|| {
            self.return_error(hook, "a number (the quantity to offer)", v, warehouse)
                .into()
        })
    }

    pub(crate) fn read_rank(&self, v: &Dynamic, warehouse: Option<&str>) -> Result<RankKey> {
        let expected = "a number or an array of numbers";
        if let Some(d) = as_decimal(v) {
            let mut key = RankKey::new();
            key.push(d);
            return Ok(key);
        }
        if let Some(items) = v.read_lock::<Array>() {
            let mut key = RankKey::with_capacity(items.len());
            for item in items.iter() {
                match as_decimal(item) {
                    Some(d) => key.push(d),
                    None => {
                        let mut d = self.return_error(Hook::Rank, expected, item, warehouse);
                        d.message = format!(
                            "`rank` must return a number or an array of numbers, got an array containing {}",
                            type_name(item)
                        );
                        return Err(d.into());
                    }
                }
            }
            return Ok(key);
        }
        Err(self.return_error(Hook::Rank, expected, v, warehouse).into())
    }

    /// Reads the value a `split` hook returned. `()` means the defaults.
    pub(crate) fn read_split(&self, value: &Dynamic) -> Result<SplitPolicy> {
        let mut policy = SplitPolicy::default();
        if value.is_unit() {
            return Ok(policy);
        }
        let Some(map) = value.read_lock::<Map>() else {
            return Err(self
                .return_error(
                    Hook::Split,
                    "a policy map such as `#{ max_shipments: 2 }`",
                    value,
                    None,
                )
                .into());
        };
        let bad = |key: &str, expected: &str, got: &Dynamic| {
            let mut d = self.blame_hook(
                Hook::Split,
                Diagnostic::new(
                    code::RULE_RETURN,
                    format!(
                        "`split` policy `{key}` must be {expected}, got {}",
                        type_name(got)
                    ),
                ),
            );
            d.path = Some(key.to_string());
            StockrouteError::from(d)
        };
        let one_of = |names: &[&str]| {
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let groups_shape = "an array of arrays of line ids or SKUs, or an attribute name";
        for (key, v) in map.iter() {
            match key.as_str() {
                "strategy" => {
                    let names: Vec<&str> = Strategy::ALL.iter().map(|(_, n)| *n).collect();
                    policy.strategy = match v.read_lock::<rhai::ImmutableString>() {
                        None => return Err(bad(key, "a string", v)),
                        Some(s) => match Strategy::parse(&s) {
                            Some(strategy) => strategy,
                            None => return Err(bad(key, &format!("one of {}", one_of(&names)), v)),
                        },
                    }
                }
                "max_shipments" => {
                    policy.max_shipments = if v.is_unit() {
                        None
                    } else {
                        match v.as_int() {
                            Ok(n) if n >= 1 => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                            _ => return Err(bad(key, "an integer of at least 1, or `()`", v)),
                        }
                    }
                }
                "min_split_value" => {
                    policy.min_split_value = if v.is_unit() {
                        None
                    } else {
                        match as_decimal(v) {
                            Some(d) if !d.is_sign_negative() => Some(d),
                            _ => return Err(bad(key, "a non-negative number", v)),
                        }
                    }
                }
                "unfulfillable" => {
                    let names: Vec<&str> = Unfulfillable::ALL.iter().map(|(_, n)| *n).collect();
                    policy.unfulfillable = match v.read_lock::<rhai::ImmutableString>() {
                        None => return Err(bad(key, "a string", v)),
                        Some(s) => match Unfulfillable::parse(&s) {
                            Some(u) => u,
                            None => return Err(bad(key, &format!("one of {}", one_of(&names)), v)),
                        },
                    }
                }
                "split_lines" => match v.as_bool() {
                    Ok(b) => policy.split_lines = b,
                    Err(_) => return Err(bad(key, "a bool", v)),
                },
                "keep_together" => {
                    policy.keep_together = if v.is_unit() {
                        KeepTogether::None
                    } else if v.is_string() {
                        KeepTogether::Attribute(v.to_string())
                    } else if let Some(groups) = v.read_lock::<Array>() {
                        let mut out = Vec::new();
                        for g in groups.iter() {
                            let Some(items) = g.read_lock::<Array>() else {
                                return Err(bad(key, groups_shape, v));
                            };
                            let mut group = Vec::new();
                            for item in items.iter() {
                                if !item.is_string() {
                                    return Err(bad(key, groups_shape, item));
                                }
                                group.push(item.to_string());
                            }
                            out.push(group);
                        }
                        KeepTogether::Groups(out)
                    } else {
                        return Err(bad(key, groups_shape, v));
                    }
                }
                other => {
                    let mut d = self.blame_hook(
                        Hook::Split,
                        Diagnostic::new(
                            code::RULE_RETURN,
                            format!("unknown `split` policy key `{other}`"),
                        )
                        .with_help(
                            match super::closest(other, KEYS.iter().copied()) {
                                Some(near) => format!(
                                    "did you mean `{near}`? known keys: {}",
                                    KEYS.join(", ")
                                ),
                                None => format!("known keys: {}", KEYS.join(", ")),
                            },
                        ),
                    );
                    d.path = Some(other.to_string());
                    return Err(d.into());
                }
            }
        }
        Ok(policy)
    }

    /// Reads what `replenish` returned: a quantity (≥ 0), `true` (keep the engine's),
    /// `0`/`()`/`false` (veto), or a map `#{ propose, reason }` (both optional).
    pub(crate) fn read_replenish(
        &self,
        value: &Dynamic,
        warehouse: Option<&str>,
    ) -> Result<ReplenishAnswer> {
        let shape = "a quantity, `true` to keep the proposal, `0`, `()` or `false` to veto it, or a map `#{ propose, reason }`";
        let quantity = |v: &Dynamic, key: Option<&str>| -> Result<Decimal> {
            match as_decimal(v) {
                Some(d) if !d.is_sign_negative() || d.is_zero() => Ok(d),
                Some(d) => {
                    let mut e = self.return_error(Hook::Replenish, shape, v, warehouse);
                    e.message = match key {
                        Some(k) => format!(
                            "`replenish` must return a quantity of at least 0 in `{k}`, got `{d}`"
                        ),
                        None => {
                            format!("`replenish` must return a quantity of at least 0, got `{d}`")
                        }
                    };
                    e.path = key.map(str::to_string);
                    Err(e.into())
                }
                None => {
                    let mut e = self.return_error(Hook::Replenish, shape, v, warehouse);
                    if let Some(k) = key {
                        e.message = format!(
                            "`replenish` must return a number in `{k}`, got {}",
                            type_name(v)
                        );
                        e.path = Some(k.to_string());
                    }
                    Err(e.into())
                }
            }
        };
        let veto = Ok(ReplenishAnswer {
            propose: Some(Decimal::ZERO),
            reason: None,
        });
        if value.is_unit() {
            return veto;
        }
        if let Ok(b) = value.as_bool() {
            return if b {
                Ok(ReplenishAnswer::default())
            } else {
                veto
            };
        }
        if let Some(map) = value.read_lock::<Map>() {
            let mut answer = ReplenishAnswer::default();
            for (key, v) in map.iter() {
                match key.as_str() {
                    "propose" => answer.propose = Some(quantity(v, Some("propose"))?),
                    "reason" if v.is_string() => answer.reason = Some(v.to_string()),
                    "reason" => {
                        let mut e = self.return_error(Hook::Replenish, shape, v, warehouse);
                        e.message = format!(
                            "`replenish` must return a text in `reason`, got {}",
                            type_name(v)
                        );
                        e.path = Some("reason".into());
                        return Err(e.into());
                    }
                    other => {
                        let mut e = self.blame_hook(
                            Hook::Replenish,
                            Diagnostic::new(
                                code::RULE_RETURN,
                                format!("unknown key `{other}` in what `replenish` returned"),
                            )
                            .with_help(
                                match super::closest(other, ["propose", "reason"].into_iter()) {
                                    Some(near) => format!(
                                        "did you mean `{near}`? known keys: propose, reason"
                                    ),
                                    None => "known keys: propose, reason".to_string(),
                                },
                            ),
                        );
                        e.path = Some(other.to_string());
                        e.warehouse = warehouse.map(str::to_string);
                        return Err(e.into());
                    }
                }
            }
            return Ok(answer);
        }
        Ok(ReplenishAnswer {
            propose: Some(quantity(value, None)?),
            reason: None,
        })
    }

    /// Reads what `route()` returned into a draft.
    pub(crate) fn read_route(&self, value: &Dynamic) -> Result<PlanDraft> {
        let shape = "a plan map `#{ shipments: [#{ warehouse, lines: [#{ line, qty }] }], backorders: [#{ line, qty }], hold: \"reason\" }`";
        let bad = |what: String| {
            let mut d = self.return_error(Hook::Route, shape, value, None);
            d.message = format!("`route` returned an invalid plan: {what}");
            StockrouteError::from(d)
        };
        let Some(map) = value.read_lock::<Map>() else {
            return Err(self.return_error(Hook::Route, shape, value, None).into());
        };
        let mut p = PlanDraft::default();
        for key in map.keys() {
            if !matches!(key.as_str(), "shipments" | "backorders" | "hold") {
                return Err(bad(format!(
                    "unknown key `{key}` (expected shipments, backorders, hold)"
                )));
            }
        }
        if let Some(h) = map.get("hold").filter(|h| !h.is_unit()) {
            if !h.is_string() {
                return Err(bad(format!(
                    "`hold` must be a reason string, got {}",
                    type_name(h)
                )));
            }
            p.hold = Some(h.to_string());
        }
        let get_str = |m: &Map, key: &str| -> Option<String> {
            m.get(key).filter(|v| v.is_string()).map(|v| v.to_string())
        };
        let read_lines = |v: &Dynamic, at: &str| -> Result<Vec<(String, Decimal)>> {
            let Some(items) = v.read_lock::<Array>() else {
                return Err(bad(format!(
                    "`{at}` must be an array, got {}",
                    type_name(v)
                )));
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let Some(m) = item.read_lock::<Map>() else {
                    return Err(bad(format!("`{at}[{i}]` must be a map `#{{ line, qty }}`")));
                };
                let Some(line) = get_str(&m, "line") else {
                    return Err(bad(format!("`{at}[{i}].line` must be a line id string")));
                };
                let Some(qty) = m.get("qty").and_then(as_decimal) else {
                    return Err(bad(format!("`{at}[{i}].qty` must be a number")));
                };
                out.push((line, qty));
            }
            Ok(out)
        };
        if let Some(v) = map.get("shipments") {
            let Some(items) = v.read_lock::<Array>() else {
                return Err(bad("`shipments` must be an array".into()));
            };
            for (i, item) in items.iter().enumerate() {
                let Some(m) = item.read_lock::<Map>() else {
                    return Err(bad(format!(
                        "`shipments[{i}]` must be a map `#{{ warehouse, lines }}`"
                    )));
                };
                let Some(w) = get_str(&m, "warehouse") else {
                    return Err(bad(format!(
                        "`shipments[{i}].warehouse` must be a warehouse id string"
                    )));
                };
                let lines = match m.get("lines") {
                    Some(l) => read_lines(l, &format!("shipments[{i}].lines"))?,
                    None => return Err(bad(format!("`shipments[{i}].lines` is missing"))),
                };
                p.shipments.push((w, lines));
            }
        }
        if let Some(v) = map.get("backorders") {
            p.backorders = read_lines(v, "backorders")?;
        }
        Ok(p)
    }
}
