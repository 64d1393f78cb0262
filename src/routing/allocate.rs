//! Allocation strategies: pure functions from ranked warehouses and demand to allocations.
//!
//! Nothing here calls a rule; the hooks have already decided eligibility, rank and policy.

use rust_decimal::Decimal;
use std::collections::HashMap;

/// Upper bound on warehouse sets tried by the exact fewest-shipments search. Beyond it the
/// search switches to a greedy cover (pick the warehouse that ships most of what remains,
/// repeatedly), which is within a small factor of optimal and linear in warehouses.
pub const MAX_EXACT_SETS: usize = 5_000;

/// Lines that must be allocated as one (`whole`: from a single warehouse, complete).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub lines: Vec<usize>,
    pub whole: bool,
}

/// One routing problem: order lines, how they group, and what ranked warehouses hold.
#[derive(Debug)]
pub(crate) struct Problem<'a> {
    /// (sku, qty) per order line.
    pub lines: Vec<(&'a str, Decimal)>,
    pub units: Vec<Unit>,
    /// Candidate warehouse indices, best rank first.
    pub ranked: Vec<usize>,
    pub avail: HashMap<(usize, &'a str), Decimal>,
}

/// Allocations (warehouse, line, qty) and what remains per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub allocs: Vec<(usize, usize, Decimal)>,
    pub remaining: Vec<Decimal>,
}

impl Outcome {
    pub fn complete(&self) -> bool {
        self.remaining.iter().all(|r| r.is_zero())
    }

    /// (fully covered lines, allocated quantity): what a partial plan maximises.
    fn score(&self, problem: &Problem<'_>) -> (usize, Decimal) {
        let covered = self.remaining.iter().filter(|r| r.is_zero()).count();
        let total: Decimal = problem.lines.iter().map(|l| l.1).sum();
        let left: Decimal = self.remaining.iter().copied().sum();
        (covered, total - left)
    }

    pub fn warehouses_used(&self) -> Vec<usize> {
        let mut used: Vec<usize> = Vec::new();
        for (w, _, _) in &self.allocs {
            if !used.contains(w) {
                used.push(*w);
            }
        }
        used
    }
}

impl Problem<'_> {
    /// Allocates units from `set` in order (or, with `by_stock`, from the warehouse with the
    /// most stock of the unit's SKUs first, rank breaking ties). With `prefer_whole`, a line
    /// goes whole to the first warehouse that can ship all of it before it is ever shared
    /// between warehouses: same number of shipments, fewer partial lines to pack.
    pub fn fill(&self, set: &[usize], by_stock: bool, prefer_whole: bool) -> Outcome {
        let mut avail: HashMap<(usize, &str), Decimal> =
            HashMap::with_capacity(set.len() * self.lines.len());
        for &w in set {
            for (sku, _) in &self.lines {
                if let Some(a) = self.avail.get(&(w, *sku)) {
                    avail.insert((w, sku), *a);
                }
            }
        }
        let get = |avail: &HashMap<(usize, &str), Decimal>, w: usize, sku: &str| {
            avail.get(&(w, sku)).copied().unwrap_or(Decimal::ZERO)
        };
        let mut remaining: Vec<Decimal> = self.lines.iter().map(|l| l.1).collect();
        let mut allocs = Vec::new();
        for unit in &self.units {
            let mut order: Vec<usize> = set.to_vec();
            if by_stock {
                // Stable sort keeps rank order among equal stock.
                order.sort_by_key(|&w| {
                    std::cmp::Reverse(
                        unit.lines
                            .iter()
                            .filter_map(|&l| self.lines.get(l))
                            .map(|(sku, _)| get(&avail, w, sku))
                            .sum::<Decimal>(),
                    )
                });
            }
            if unit.whole {
                // Need per SKU within the unit (two lines may share a SKU).
                let mut need: Vec<(&str, Decimal)> = Vec::new();
                for &l in &unit.lines {
                    if let Some((sku, q)) = self.lines.get(l) {
                        match need.iter_mut().find(|(s, _)| s == sku) {
                            Some(e) => e.1 += *q,
                            None => need.push((sku, *q)),
                        }
                    }
                }
                let Some(&w) = order
                    .iter()
                    .find(|&&w| need.iter().all(|(sku, q)| get(&avail, w, sku) >= *q))
                else {
                    continue;
                };
                for &l in &unit.lines {
                    if let (Some((sku, q)), Some(r)) = (self.lines.get(l), remaining.get_mut(l)) {
                        if let Some(a) = avail.get_mut(&(w, *sku)) {
                            *a -= *q;
                        }
                        allocs.push((w, l, *q));
                        *r = Decimal::ZERO;
                    }
                }
            } else {
                for &l in &unit.lines {
                    let (Some((sku, _)), Some(r)) = (self.lines.get(l), remaining.get_mut(l))
                    else {
                        continue;
                    };
                    if prefer_whole {
                        if let Some(&w) = order.iter().find(|&&w| get(&avail, w, sku) >= *r) {
                            if let Some(a) = avail.get_mut(&(w, *sku)) {
                                *a -= *r;
                            }
                            allocs.push((w, l, *r));
                            *r = Decimal::ZERO;
                            continue;
                        }
                    }
                    for &w in &order {
                        if r.is_zero() {
                            break;
                        }
                        let Some(a) = avail.get_mut(&(w, *sku)) else {
                            continue;
                        };
                        let take = (*a).min(*r);
                        if take > Decimal::ZERO {
                            *a -= take;
                            *r -= take;
                            allocs.push((w, l, take));
                        }
                    }
                }
            }
        }
        Outcome { allocs, remaining }
    }

    /// Fewest shipments within `max` warehouses; the best partial outcome when impossible.
    /// Returns the outcome and a sentence for the trace.
    pub fn fewest_shipments(&self, max: usize) -> (Outcome, String) {
        for &w in &self.ranked {
            let o = self.fill(&[w], false, true);
            if o.complete() {
                return (o, "one warehouse can ship everything".into());
            }
        }
        let n = self.ranked.len();
        let mut tried = 0usize;
        let mut exhausted = false;
        'sizes: for k in 2..=max.min(n) {
            let mut idx: Vec<usize> = (0..k).collect();
            loop {
                tried += 1;
                if tried > MAX_EXACT_SETS {
                    exhausted = true;
                    break 'sizes;
                }
                let set: Vec<usize> = idx
                    .iter()
                    .filter_map(|&i| self.ranked.get(i).copied())
                    .collect();
                let o = self.fill(&set, false, true);
                if o.complete() {
                    return (o, format!("no single warehouse can ship everything; the best-ranked set of {k} can"));
                }
                if !next_combination(&mut idx, n) {
                    break;
                }
            }
        }
        let o = self.greedy_cover(max);
        let why = if o.complete() {
            format!(
                "more than {MAX_EXACT_SETS} warehouse sets to try exactly; a greedy cover ships everything from {}",
                o.warehouses_used().len()
            )
        } else if exhausted {
            "no exact set found within the search bound; shipping what a greedy cover can".into()
        } else {
            format!(
                "no set of at most {} warehouse{} ships everything; shipping what ships most",
                max.min(n),
                if max.min(n) == 1 { "" } else { "s" }
            )
        };
        (o, why)
    }

    /// Repeatedly adds the warehouse that ships most of what remains (rank breaks ties).
    fn greedy_cover(&self, max: usize) -> Outcome {
        let mut chosen: Vec<usize> = Vec::new();
        let mut best = self.fill(&[], false, true);
        while chosen.len() < max {
            let mut round: Option<(Outcome, usize)> = None;
            for &w in &self.ranked {
                if chosen.contains(&w) {
                    continue;
                }
                let mut set = chosen.clone();
                set.push(w);
                set.sort_by_key(|x| self.ranked.iter().position(|r| r == x));
                let o = self.fill(&set, false, true);
                let better = match &round {
                    None => o.score(self) > best.score(self),
                    Some((r, _)) => o.score(self) > r.score(self),
                };
                if better {
                    round = Some((o, w));
                }
            }
            match round {
                Some((o, w)) => {
                    chosen.push(w);
                    let done = o.complete();
                    best = o;
                    if done {
                        break;
                    }
                }
                None => break,
            }
        }
        best
    }

    /// Per-line greedy allocation in rank order (or by stock), limited to `max` warehouses:
    /// when more would be used, only the best-ranked `max` of them are kept and refilled.
    pub fn per_line(&self, max: usize, by_stock: bool) -> (Outcome, String) {
        let o = self.fill(&self.ranked, by_stock, false);
        let used = o.warehouses_used();
        let how = if by_stock {
            "each line taken from the warehouse with most stock first"
        } else {
            "each line taken from warehouses in rank order"
        };
        if used.len() <= max {
            return (o, how.into());
        }
        let mut keep: Vec<usize> = self
            .ranked
            .iter()
            .copied()
            .filter(|w| used.contains(w))
            .collect();
        keep.truncate(max);
        (
            self.fill(&keep, by_stock, false),
            format!("{how}, limited to the best-ranked {max} warehouse(s)"),
        )
    }
}

/// Advances `idx` (a k-combination of 0..n in lexicographic order); false when done.
fn next_combination(idx: &mut [usize], n: usize) -> bool {
    let k = idx.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        let limit = n - k + i;
        if idx.get(i).is_some_and(|&v| v < limit) {
            let start = idx.get(i).copied().unwrap_or(0) + 1;
            for (offset, slot) in idx.iter_mut().skip(i).enumerate() {
                *slot = start + offset;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_enumerate_in_lexicographic_order() {
        let mut idx = vec![0, 1];
        let mut seen = vec![idx.clone()];
        while next_combination(&mut idx, 4) {
            seen.push(idx.clone());
        }
        assert_eq!(
            seen,
            vec![
                vec![0, 1],
                vec![0, 2],
                vec![0, 3],
                vec![1, 2],
                vec![1, 3],
                vec![2, 3]
            ]
        );
    }
}
