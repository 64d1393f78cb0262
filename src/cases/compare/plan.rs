//! Plan expectations: status, shipments (as a set, then in rank order), backorders, hold,
//! trace.

use super::{describe_lines, doc_names, q, status_name, totals, Expectation};
use crate::cases::schema::{PlanExpect, ShipmentExpect};
use crate::model::Plan;
use rust_decimal::Decimal;

impl Expectation for PlanExpect {
    type Actual = Plan;

    fn mismatches(&self, plan: &Plan) -> Vec<String> {
        let x = self;
        let mut f = Vec::new();
        if let Some(s) = x.status {
            if s != plan.status {
                f.push(format!(
                    "status expected `{}`, got `{}`",
                    status_name(s),
                    status_name(plan.status)
                ));
            }
        }
        if let Some(reason) = &x.hold {
            match &plan.hold {
                None => f.push(format!(
                    "expected the order to be held (reason containing `{reason}`), got status `{}`",
                    status_name(plan.status)
                )),
                Some(h) if !h.reason.contains(reason.as_str()) => f.push(format!(
                    "hold reason expected to contain `{reason}`, got `{}`",
                    h.reason
                )),
                Some(_) => {}
            }
        }
        if let Some(expected) = &x.shipments {
            compare_shipments(expected, plan, &mut f);
        }
        if let Some(expected) = &x.backorders {
            let want = totals(expected.iter().map(|l| (l.line.as_str(), l.qty)));
            let got = totals(plan.backorders.iter().map(|l| (l.line.as_str(), l.qty)));
            for (line, n) in &want {
                match got.iter().find(|(l, _)| l == line) {
                    None => f.push(format!(
                        "backorder of line `{line}`: expected {}, got none",
                        q(*n)
                    )),
                    Some((_, g)) if g != n => f.push(format!(
                        "backorder of line `{line}`: expected {}, got {}",
                        q(*n),
                        q(*g)
                    )),
                    Some(_) => {}
                }
            }
            for (line, n) in &got {
                if !want.iter().any(|(l, _)| l == line) {
                    f.push(format!("unexpected backorder of line `{line}` × {}", q(*n)));
                }
            }
        }
        for needle in x.trace_contains.iter().flatten() {
            if !plan
                .trace
                .iter()
                .any(|t| t.message.contains(needle.as_str()))
            {
                f.push(format!("no trace entry contains `{needle}`"));
            }
        }
        f
    }
}

fn compare_shipments(expected: &[ShipmentExpect], plan: &Plan, f: &mut Vec<String>) {
    for s in expected {
        let want = totals(s.lines.iter().map(|l| (l.line.as_str(), l.qty)));
        let Some(actual) = plan.shipments.iter().find(|a| a.warehouse == s.warehouse) else {
            f.push(format!(
                "expected a shipment from `{}` ({}), got none",
                s.warehouse,
                describe_lines(&want)
            ));
            continue;
        };
        let got = totals(actual.lines.iter().map(|l| (l.line.as_str(), l.qty)));
        for l in &s.lines {
            let Some(want_bo) = l.on_backorder else {
                continue;
            };
            let got_bo: Decimal = actual
                .lines
                .iter()
                .filter(|a| a.line == l.line)
                .filter_map(|a| a.on_backorder)
                .sum();
            if got_bo != want_bo {
                f.push(format!(
                    "shipment from `{}`: line `{}` expected {} on backorder, got {}",
                    s.warehouse,
                    l.line,
                    q(want_bo),
                    q(got_bo)
                ));
            }
        }
        for (line, n) in &want {
            match got.iter().find(|(l, _)| l == line) {
                None => f.push(format!(
                    "shipment from `{}`: line `{line}` expected {}, got none",
                    s.warehouse,
                    q(*n)
                )),
                Some((_, g)) if g != n => f.push(format!(
                    "shipment from `{}`: line `{line}` expected {}, got {}",
                    s.warehouse,
                    q(*n),
                    q(*g)
                )),
                Some(_) => {}
            }
        }
        for (line, n) in &got {
            if !want.iter().any(|(l, _)| l == line) {
                f.push(format!(
                    "shipment from `{}`: unexpected line `{line}` × {}",
                    s.warehouse,
                    q(*n)
                ));
            }
        }
        if let Some(docs) = &s.documents {
            let (w, g) = (doc_names(docs), doc_names(&actual.documents));
            if w != g {
                f.push(format!(
                    "shipment from `{}`: documents expected {w}, got {g}",
                    s.warehouse
                ));
            }
        }
    }
    for a in &plan.shipments {
        if !expected.iter().any(|s| s.warehouse == a.warehouse) {
            let got = totals(a.lines.iter().map(|l| (l.line.as_str(), l.qty)));
            f.push(format!(
                "unexpected shipment from `{}` ({})",
                a.warehouse,
                describe_lines(&got)
            ));
        }
    }
    // Order only matters once the sets agree: it says which warehouse the plan ranks first.
    let want: Vec<&str> = expected.iter().map(|s| s.warehouse.as_str()).collect();
    let got: Vec<&str> = plan
        .shipments
        .iter()
        .map(|s| s.warehouse.as_str())
        .collect();
    let mut ws = want.clone();
    let mut gs = got.clone();
    ws.sort_unstable();
    gs.sort_unstable();
    if ws == gs && want != got {
        let list = |v: &[&str]| {
            v.iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        f.push(format!(
            "shipments expected in the order {}, got {}",
            list(&want),
            list(&got)
        ));
    }
}
