//! Expectations of a ledger step: the rows it changed, as a set of (warehouse, sku), and
//! their quantities after it.

use super::{q, Expectation};
use crate::cases::schema::ChangeExpect;
use crate::model::StockChange;
use rust_decimal::Decimal;

impl Expectation for [ChangeExpect] {
    type Actual = [StockChange];

    fn mismatches(&self, changes: &[StockChange]) -> Vec<String> {
        let expected = self;
        let mut f = Vec::new();
        for x in expected {
            let Some(c) = changes
                .iter()
                .find(|c| c.warehouse == x.warehouse && c.sku == x.sku)
            else {
                f.push(format!(
                    "expected a change of sku `{}` at `{}`, got none",
                    x.sku, x.warehouse
                ));
                continue;
            };
            let mut check = |what: &str, want: Option<Decimal>, got: Decimal| {
                if let Some(w) = want {
                    if w != got {
                        f.push(format!(
                            "sku `{}` at `{}`: {what} expected {}, got {}",
                            x.sku,
                            x.warehouse,
                            q(w),
                            q(got)
                        ));
                    }
                }
            };
            check("on_hand", x.on_hand, c.after.on_hand);
            check("reserved", x.reserved, c.after.reserved);
            check("available", x.available, c.after.available);
            check("backorder", x.backorder, c.after.backorder);
            if let Some(new) = x.new {
                if new != c.before.is_none() {
                    f.push(format!(
                        "sku `{}` at `{}`: expected {}",
                        x.sku,
                        x.warehouse,
                        if new { "a new row" } else { "an existing row" }
                    ));
                }
            }
        }
        for c in changes {
            if !expected
                .iter()
                .any(|x| x.warehouse == c.warehouse && x.sku == c.sku)
            {
                f.push(format!(
                    "unexpected change of sku `{}` at `{}`",
                    c.sku, c.warehouse
                ));
            }
        }
        f
    }
}
