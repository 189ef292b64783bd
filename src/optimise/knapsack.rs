//! The 0-1 knapsack behind the capacitated models' Lagrangian bound: the most profit from
//! items of given weight within a capacity. Dantzig's bound (the LP relaxation: items by
//! profit per weight, the first that does not fit taken in part) for the subgradient steps,
//! and an exact depth-first branch-and-bound on that bound (Horowitz and Sahni) for the final
//! bound, which gives up after a number of nodes and then answers with Dantzig's.

/// An item: its profit and weight (both positive).
#[derive(Debug, Clone, Copy)]
pub(super) struct Item {
    pub profit: f64,
    pub weight: f64,
    /// The caller's index.
    pub index: u32,
}

/// Sorts items by profit per weight, best first (ties by index).
pub(super) fn by_ratio(items: &mut [Item]) {
    items.sort_by(|a, b| {
        (b.profit * a.weight)
            .total_cmp(&(a.profit * b.weight))
            .then(a.index.cmp(&b.index))
    });
}

/// Dantzig's bound on items sorted by ratio: the value, and the items taken with the fraction
/// of each (1 but for the last).
pub(super) fn dantzig(items: &[Item], capacity: f64) -> (f64, Vec<(u32, f64)>) {
    let mut left = capacity;
    let mut value = 0.0;
    let mut taken = Vec::new();
    for it in items {
        if it.weight <= left {
            left -= it.weight;
            value += it.profit;
            taken.push((it.index, 1.0));
        } else {
            if left > 0.0 {
                let f = left / it.weight;
                value += f * it.profit;
                taken.push((it.index, f));
            }
            break;
        }
    }
    (value, taken)
}

/// The exact optimum of items sorted by ratio and the items it takes (callers' indices), or
/// None when the search passes `limit` nodes.
pub(super) fn exact_taken(items: &[Item], capacity: f64, limit: usize) -> Option<(f64, Vec<u32>)> {
    let mut s = Exact {
        best: 0.0,
        taken: Vec::new(),
        path: Vec::new(),
        nodes: 0,
        limit,
    };
    s.go(items, capacity, 0.0).then_some((s.best, s.taken))
}

/// Depth-first search state: each item in, then out, pruned by Dantzig's bound on the rest.
struct Exact {
    best: f64,
    taken: Vec<u32>,
    path: Vec<u32>,
    nodes: usize,
    limit: usize,
}

impl Exact {
    /// Searches `items` with `left` capacity and `value` so far; false when past the limit.
    fn go(&mut self, items: &[Item], left: f64, value: f64) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            return false;
        }
        if value > self.best {
            self.best = value;
            self.taken.clone_from(&self.path);
        }
        let Some((first, rest)) = items.split_first() else {
            return true;
        };
        let (bound, _) = dantzig(items, left);
        if value + bound <= self.best + 1e-9 * self.best.abs().max(1.0) {
            return true;
        }
        if first.weight <= left {
            self.path.push(first.index);
            let ok = self.go(rest, left - first.weight, value + first.profit);
            self.path.pop();
            if !ok {
                return false;
            }
        }
        self.go(rest, left, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(items: &[Item], capacity: f64, limit: usize) -> Option<f64> {
        exact_taken(items, capacity, limit).map(|(v, _)| v)
    }

    fn items(v: &[(f64, f64)]) -> Vec<Item> {
        let mut it: Vec<Item> = v
            .iter()
            .enumerate()
            .map(|(i, &(profit, weight))| Item {
                profit,
                weight,
                index: i as u32,
            })
            .collect();
        by_ratio(&mut it);
        it
    }

    #[test]
    fn a_hand_case() {
        // By hand: ratios 2 (8/4), 1.2 (6/5), 1 (1/1), 0.83 (5/6).
        let it = items(&[(8.0, 4.0), (5.0, 6.0), (6.0, 5.0), (1.0, 1.0)]);
        assert_eq!(exact(&it, 10.0, 1000), Some(15.0)); // 8 + 6 + 1, weight 10
        let (d, _) = dantzig(&it, 10.0);
        assert!((d - 15.0).abs() < 1e-12);
        assert_eq!(exact(&it, 9.0, 1000), Some(14.0)); // 8 + 6
        let (d, _) = dantzig(&it, 9.0);
        assert!(d >= 14.0 && (d - (8.0 + 6.0)).abs() < 1e-12);
        let (d, _) = dantzig(&it, 8.0);
        assert!((d - (8.0 + 6.0 * 4.0 / 5.0)).abs() < 1e-12);
        assert_eq!(exact(&it, 8.0, 1000), Some(9.0)); // 8 + 1
                                                      // The items taken, by the callers' indices: (8, 4) is 0 and (1, 1) is 3.
        let (v, mut taken) = exact_taken(&it, 8.0, 1000).unwrap();
        taken.sort_unstable();
        assert_eq!((v, taken), (9.0, vec![0, 3]));
    }

    #[test]
    fn gives_up_past_the_node_limit() {
        let it = items(&[(8.0, 4.0), (5.0, 6.0), (6.0, 5.0), (1.0, 1.0)]);
        assert_eq!(exact(&it, 8.0, 2), None);
    }
}
