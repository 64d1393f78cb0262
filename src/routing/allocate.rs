//! Allocation strategies: pure functions from ranked warehouses and demand to allocations.
//!
//! Nothing here calls a rule; the hooks have already decided eligibility, rank and policy.
//! Tables are dense: warehouses are positions in the ranking, SKUs are positions in the
//! order's distinct SKUs, and availability is one flat vector.

use rust_decimal::Decimal;
use std::fmt;

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
pub(crate) struct Problem {
    /// Per order line: index of its SKU among the order's distinct SKUs.
    pub line_sku: Vec<usize>,
    /// Per order line: ordered quantity.
    pub qty: Vec<Decimal>,
    /// Number of distinct SKUs.
    pub skus: usize,
    pub units: Vec<Unit>,
    /// Candidate warehouses (inventory indices), best rank first.
    pub ranked: Vec<usize>,
    /// Available stock per (ranked position, SKU): `avail[position * skus + sku]`.
    pub avail: Vec<Decimal>,
}

/// Allocations (ranked position, line, qty) and what remains per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub allocs: Vec<(usize, usize, Decimal)>,
    pub remaining: Vec<Decimal>,
}

/// How an allocation was reached, for the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    OneWarehouse,
    BestSet(usize),
    GreedyBeyondBound(usize),
    PartialBeyondBound,
    NoSet(usize),
    PerLine {
        by_stock: bool,
        limited: Option<usize>,
    },
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::OneWarehouse => write!(f, "one warehouse can ship everything"),
            Why::BestSet(k) => write!(
                f,
                "no single warehouse can ship everything; the best-ranked set of {k} can"
            ),
            Why::GreedyBeyondBound(n) => write!(
                f,
                "more than {MAX_EXACT_SETS} warehouse sets to try exactly; a greedy cover ships everything from {n}"
            ),
            Why::PartialBeyondBound => write!(
                f,
                "no exact set found within the search bound; shipping what a greedy cover can"
            ),
            Why::NoSet(n) => write!(
                f,
                "no set of at most {n} warehouse{} ships everything; shipping what ships most",
                if *n == 1 { "" } else { "s" }
            ),
            Why::PerLine { by_stock, limited } => {
                f.write_str(if *by_stock {
                    "each line taken from the warehouse with most stock first"
                } else {
                    "each line taken from warehouses in rank order"
                })?;
                if let Some(max) = limited {
                    write!(f, ", limited to the best-ranked {max} warehouse(s)")?;
                }
                Ok(())
            }
        }
    }
}

impl Outcome {
    pub fn complete(&self) -> bool {
        self.remaining.iter().all(|r| r.is_zero())
    }

    /// (fully covered lines, allocated quantity): what a partial plan maximises.
    fn score(&self, problem: &Problem) -> (usize, Decimal) {
        let covered = self.remaining.iter().filter(|r| r.is_zero()).count();
        let total: Decimal = problem.qty.iter().copied().sum();
        let left: Decimal = self.remaining.iter().copied().sum();
        (covered, total - left)
    }

    /// Ranked positions used, in first-use order.
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

impl Problem {
    /// Allocates units from `set` (ranked positions) in order (or, with `by_stock`, from the
    /// warehouse with the most stock of the unit's SKUs first, rank breaking ties). With
    /// `prefer_whole`, a line goes whole to the first warehouse that can ship all of it before
    /// it is ever shared between warehouses: same number of shipments, fewer partial lines.
    pub fn fill(&self, set: &[usize], by_stock: bool, prefer_whole: bool) -> Outcome {
        let skus = self.skus;
        // Local copy of the rows of `set`: avail[i * skus + sku] for set[i].
        let mut avail: Vec<Decimal> = Vec::with_capacity(set.len() * skus);
        for &w in set {
            match self.avail.get(w * skus..(w + 1) * skus) {
                Some(row) => avail.extend_from_slice(row),
                None => avail.resize(avail.len() + skus, Decimal::ZERO),
            }
        }
        let at = |i: usize, sku: usize| i * skus + sku;
        let mut remaining: Vec<Decimal> = self.qty.clone();
        let mut allocs = Vec::new();
        let mut order: Vec<usize> = (0..set.len()).collect();
        for unit in &self.units {
            if by_stock {
                order.clear();
                order.extend(0..set.len());
                // Stable sort keeps rank order among equal stock.
                order.sort_by_key(|&i| {
                    std::cmp::Reverse(
                        unit.lines
                            .iter()
                            .filter_map(|&l| self.line_sku.get(l))
                            .map(|&sku| avail.get(at(i, sku)).copied().unwrap_or_default())
                            .sum::<Decimal>(),
                    )
                });
            }
            if unit.whole {
                // Need per SKU within the unit (two lines may share a SKU).
                let mut need: Vec<(usize, Decimal)> = Vec::new();
                for &l in &unit.lines {
                    if let (Some(&sku), Some(&q)) = (self.line_sku.get(l), self.qty.get(l)) {
                        match need.iter_mut().find(|(s, _)| *s == sku) {
                            Some(e) => e.1 += q,
                            None => need.push((sku, q)),
                        }
                    }
                }
                let Some(&i) = order.iter().find(|&&i| {
                    need.iter()
                        .all(|&(sku, q)| avail.get(at(i, sku)).is_some_and(|a| *a >= q))
                }) else {
                    continue;
                };
                for &l in &unit.lines {
                    if let (Some(&sku), Some(&q), Some(r)) =
                        (self.line_sku.get(l), self.qty.get(l), remaining.get_mut(l))
                    {
                        if let Some(a) = avail.get_mut(at(i, sku)) {
                            *a -= q;
                        }
                        if let Some(&w) = set.get(i) {
                            allocs.push((w, l, q));
                        }
                        *r = Decimal::ZERO;
                    }
                }
            } else {
                for &l in &unit.lines {
                    let (Some(&sku), Some(r)) = (self.line_sku.get(l), remaining.get_mut(l)) else {
                        continue;
                    };
                    if prefer_whole {
                        if let Some(&i) = order
                            .iter()
                            .find(|&&i| avail.get(at(i, sku)).is_some_and(|a| *a >= *r))
                        {
                            if let Some(a) = avail.get_mut(at(i, sku)) {
                                *a -= *r;
                            }
                            if let Some(&w) = set.get(i) {
                                allocs.push((w, l, *r));
                            }
                            *r = Decimal::ZERO;
                            continue;
                        }
                    }
                    for &i in &order {
                        if r.is_zero() {
                            break;
                        }
                        let Some(a) = avail.get_mut(at(i, sku)) else {
                            continue;
                        };
                        let take = (*a).min(*r);
                        if take > Decimal::ZERO {
                            *a -= take;
                            *r -= take;
                            if let Some(&w) = set.get(i) {
                                allocs.push((w, l, take));
                            }
                        }
                    }
                }
            }
        }
        Outcome { allocs, remaining }
    }

    /// Fewest shipments within `max` warehouses; the best partial outcome when impossible.
    pub fn fewest_shipments(&self, max: usize) -> (Outcome, Why) {
        let n = self.ranked.len();
        for w in 0..n {
            let o = self.fill(&[w], false, true);
            if o.complete() {
                return (o, Why::OneWarehouse);
            }
        }
        let mut tried = 0usize;
        let mut exhausted = false;
        let mut set: Vec<usize> = Vec::new();
        'sizes: for k in 2..=max.min(n) {
            set.clear();
            set.extend(0..k);
            loop {
                tried += 1;
                if tried > MAX_EXACT_SETS {
                    exhausted = true;
                    break 'sizes;
                }
                let o = self.fill(&set, false, true);
                if o.complete() {
                    return (o, Why::BestSet(k));
                }
                if !next_combination(&mut set, n) {
                    break;
                }
            }
        }
        let o = self.greedy_cover(max);
        let why = if o.complete() {
            Why::GreedyBeyondBound(o.warehouses_used().len())
        } else if exhausted {
            Why::PartialBeyondBound
        } else {
            Why::NoSet(max.min(n))
        };
        (o, why)
    }

    /// Repeatedly adds the warehouse that ships most of what remains (rank breaks ties).
    fn greedy_cover(&self, max: usize) -> Outcome {
        let mut chosen: Vec<usize> = Vec::new();
        let mut best = self.fill(&[], false, true);
        let mut set: Vec<usize> = Vec::new();
        while chosen.len() < max {
            let mut round: Option<(Outcome, usize)> = None;
            for w in 0..self.ranked.len() {
                if chosen.contains(&w) {
                    continue;
                }
                set.clear();
                set.extend_from_slice(&chosen);
                set.push(w);
                // Positions are ranks: sorted positions keep the set in rank order.
                set.sort_unstable();
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
    pub fn per_line(&self, max: usize, by_stock: bool) -> (Outcome, Why) {
        let all: Vec<usize> = (0..self.ranked.len()).collect();
        let o = self.fill(&all, by_stock, false);
        let mut used = o.warehouses_used();
        if used.len() <= max {
            return (
                o,
                Why::PerLine {
                    by_stock,
                    limited: None,
                },
            );
        }
        used.sort_unstable();
        used.truncate(max);
        (
            self.fill(&used, by_stock, false),
            Why::PerLine {
                by_stock,
                limited: Some(max),
            },
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
