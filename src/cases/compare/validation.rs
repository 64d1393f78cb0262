//! Expectations of a plan made by hand: valid or not, the completed plan, every violation
//! (compared exactly: a missing or extra one fails).

use super::Expectation;
use crate::cases::schema::ValidateExpect;
use crate::error::Diagnostic;
use crate::model::Validation;

impl Expectation for ValidateExpect {
    type Actual = Validation;

    fn mismatches(&self, v: &Validation) -> Vec<String> {
        let x = self;
        let mut f = Vec::new();
        if x.valid != v.valid {
            let first = v
                .violations
                .first()
                .map(|d| format!(" (first violation: {})", d.message))
                .unwrap_or_default();
            f.push(format!(
                "expected the plan to be {}, got {}{first}",
                if x.valid { "valid" } else { "invalid" },
                if v.valid { "valid" } else { "invalid" }
            ));
        }
        if let (Some(px), Some(plan)) = (&x.plan, &v.plan) {
            f.extend(px.mismatches(plan));
        }
        if let Some(expected) = &x.violations {
            let mut unmatched: Vec<&Diagnostic> = v.violations.iter().collect();
            for e in expected {
                let hit = unmatched.iter().position(|d| {
                    e.line
                        .as_ref()
                        .is_none_or(|l| d.order_line.as_ref() == Some(l))
                        && e.warehouse
                            .as_ref()
                            .is_none_or(|w| d.warehouse.as_ref() == Some(w))
                        && e.path.as_ref().is_none_or(|p| d.path.as_ref() == Some(p))
                        && e.message_contains
                            .as_ref()
                            .is_none_or(|m| d.message.contains(m.as_str()))
                });
                match hit {
                    Some(i) => {
                        unmatched.remove(i);
                    }
                    None => f.push(format!(
                        "expected a violation{}{}{}, got none such",
                        e.line
                            .as_ref()
                            .map(|l| format!(" of line `{l}`"))
                            .unwrap_or_default(),
                        e.warehouse
                            .as_ref()
                            .map(|w| format!(" at `{w}`"))
                            .unwrap_or_default(),
                        e.message_contains
                            .as_ref()
                            .map(|m| format!(" saying `{m}`"))
                            .unwrap_or_default()
                    )),
                }
            }
            for d in unmatched {
                f.push(format!("unexpected violation: {}", d.message));
            }
        }
        f
    }
}
