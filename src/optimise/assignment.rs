//! Single-source assignment of demand points to open sites within capacities, the primal
//! side of the capacitated p-median: regret order (the points that lose most by missing their
//! cheapest site go first), then local search by shifts (a point to a cheaper site with room)
//! and swaps (two points at two sites exchange places, where both fit and the cost falls).

use super::Instance;
use crate::num::sum;

/// Each point's open sites: `(site, cost)` by cost, and by site (for lookups).
struct Options {
    by_cost: Vec<Vec<(u32, f64)>>,
    by_site: Vec<Vec<(u32, f64)>>,
}

impl Options {
    fn new(inst: &Instance, open: &[bool]) -> Options {
        let by_cost: Vec<Vec<(u32, f64)>> = (inst.costs.iter())
            .map(|row| {
                row.iter()
                    .copied()
                    .filter(|&(j, _)| open[j as usize])
                    .collect()
            })
            .collect();
        let by_site = (by_cost.iter())
            .map(|row| {
                let mut r = row.clone();
                r.sort_by_key(|x| x.0);
                r
            })
            .collect();
        Options { by_cost, by_site }
    }

    /// Point i's cost at site j, if it may be served there.
    fn cost(&self, i: usize, j: usize) -> Option<f64> {
        let row = &self.by_site[i];
        row.binary_search_by_key(&(j as u32), |x| x.0)
            .ok()
            .map(|k| row[k].1)
    }
}

/// Single-source assignment of every demand point to the open sites within capacities, by
/// regret, then shifts and swaps until neither helps. None if some point finds no room.
pub(super) fn assign_with_capacity(
    inst: &Instance,
    open: &[bool],
    cap: &[f64],
) -> Option<(f64, Vec<usize>)> {
    let o = Options::new(inst, open);
    let mut a = Assignment::by_regret(inst, &o, cap)?;
    loop {
        let shifted = a.shift(inst, &o);
        let swapped = a.swap(inst, &o);
        if !shifted && !swapped {
            break;
        }
    }
    let cost = sum((0..a.to.len())
        .map(|i| inst.weights[i] * o.cost(i, a.to[i]).expect("assigned to an open site")));
    Some((cost, a.to))
}

/// An assignment being improved: each point's site and each site's room left.
struct Assignment {
    to: Vec<usize>,
    left: Vec<f64>,
}

impl Assignment {
    /// Points by regret (largest first), each to its cheapest open site with room.
    fn by_regret(inst: &Instance, o: &Options, cap: &[f64]) -> Option<Assignment> {
        let n = inst.demand_ids.len();
        let mut order: Vec<(f64, usize)> = (0..n)
            .map(|i| {
                let r = &o.by_cost[i];
                let regret = match (r.first(), r.get(1)) {
                    (Some(a), Some(b)) => (b.1 - a.1) * inst.weights[i],
                    _ => f64::INFINITY,
                };
                (regret, i)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut left = cap.to_vec();
        let mut to = vec![usize::MAX; n];
        for &(_, i) in &order {
            let a = inst.weights[i];
            let &(j, _) = o.by_cost[i]
                .iter()
                .find(|&&(j, _)| left[j as usize] + 1e-9 >= a)?;
            left[j as usize] -= a;
            to[i] = j as usize;
        }
        Some(Assignment { to, left })
    }

    /// One pass of shifts: each point to its cheapest cheaper site with room. Whether any.
    fn shift(&mut self, inst: &Instance, o: &Options) -> bool {
        let mut moved = false;
        for i in 0..self.to.len() {
            let a = inst.weights[i];
            let here = o.cost(i, self.to[i]).expect("assigned to an open site");
            let to = (o.by_cost[i].iter())
                .take_while(|&&(_, c)| c < here)
                .find(|&&(j, _)| self.left[j as usize] + 1e-9 >= a);
            if let Some(&(j, _)) = to {
                self.left[self.to[i]] += a;
                self.left[j as usize] -= a;
                self.to[i] = j as usize;
                moved = true;
            }
        }
        moved
    }

    /// One pass of swaps: point i at site s and point k at a site t cheaper for i exchange
    /// sites where both fit and the cost falls. Whether any.
    fn swap(&mut self, inst: &Instance, o: &Options) -> bool {
        let m = self.left.len();
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); m];
        for (i, &j) in self.to.iter().enumerate() {
            at[j].push(i);
        }
        let mut moved = false;
        for i in 0..self.to.len() {
            let (s, a) = (self.to[i], inst.weights[i]);
            let here = o.cost(i, s).expect("assigned to an open site");
            let cheaper: Vec<(u32, f64)> = (o.by_cost[i].iter())
                .take_while(|&&(_, c)| c < here)
                .copied()
                .collect();
            'sites: for (t, ct) in cheaper {
                let t = t as usize;
                for (pos, &k) in at[t].iter().enumerate() {
                    let b = inst.weights[k];
                    let fits = self.left[s] + a + 1e-9 >= b && self.left[t] + b + 1e-9 >= a;
                    let Some(ks) = o.cost(k, s).filter(|_| fits) else {
                        continue;
                    };
                    let kt = o.cost(k, t).expect("assigned to an open site");
                    let delta = a * (ct - here) + b * (ks - kt);
                    if delta < -1e-9 * (a * here + b * kt).max(1.0) {
                        self.left[s] += a - b;
                        self.left[t] += b - a;
                        self.to[i] = t;
                        self.to[k] = s;
                        at[t][pos] = i;
                        let q = at[s].iter().position(|&x| x == i).expect("listed");
                        at[s][q] = k;
                        moved = true;
                        break 'sites;
                    }
                }
            }
        }
        moved
    }
}
