//! Replenishment expectations: per location and SKU, the fields given and the reasons.

use super::{name_of, q, Expectation};
use crate::cases::schema::ProposalExpect;
use crate::consignment::replenish::{Replenishment, RuleDecision};
use rust_decimal::Decimal;

impl Expectation for [ProposalExpect] {
    type Actual = Replenishment;

    fn mismatches(&self, r: &Replenishment) -> Vec<String> {
        let mut f = Vec::new();
        for x in self {
            let Some(p) = r
                .proposals
                .iter()
                .find(|p| p.warehouse == x.warehouse && p.sku == x.sku)
            else {
                f.push(format!(
                    "expected a proposal for `{}` at `{}`, got none",
                    x.sku, x.warehouse
                ));
                continue;
            };
            let at = format!("`{}` at `{}`", x.sku, x.warehouse);
            for (what, want, got) in [
                ("propose", x.propose, p.propose),
                ("limit", x.limit, p.limit),
                ("reorder_point", x.reorder_point, p.reorder_point),
                ("target", x.target, p.target),
                ("sold_per_day", x.sold_per_day, p.sold_per_day),
            ] {
                if let Some(w) = want {
                    if w != got {
                        f.push(format!("{at}: {what} expected {}, got {}", q(w), q(got)));
                    }
                }
            }
            if let Some(want) = x.days_of_cover {
                if want != p.days_of_cover {
                    let show = |v: Option<Decimal>| v.map_or_else(|| "none".to_string(), q);
                    f.push(format!(
                        "{at}: days_of_cover expected {}, got {}",
                        show(want),
                        show(p.days_of_cover)
                    ));
                }
            }
            if let Some(want) = x.rule {
                if Some(want) != p.rule {
                    let show = |v: Option<RuleDecision>| {
                        v.map_or_else(
                            || "no rule decision".to_string(),
                            |d| format!("`{}`", name_of(&d)),
                        )
                    };
                    f.push(format!(
                        "{at}: rule expected {}, got {}",
                        show(Some(want)),
                        show(p.rule)
                    ));
                }
            }
            for needle in &x.why_contains {
                if !p.why.iter().any(|w| w.contains(needle.as_str())) {
                    f.push(format!("{at}: no reason contains `{needle}`"));
                }
            }
        }
        f
    }
}
