//! Presolve of a coverage problem (MCLP and the covering questions behind LSCP and p-center):
//! choose exactly `p` sites to minimise the weight of the demand points no chosen site covers.
//!
//! Each reduction keeps the optimum's value, and a solution of the reduced problem maps back to
//! one of the original with the same value:
//! - fixed sites are chosen outright: the demand they cover is covered in every solution, and
//!   `p` falls by their number;
//! - forbidden sites are dropped; demand no remaining site covers is uncovered in every solution
//!   (a constant); demand of zero weight is dropped;
//! - demand points covered by the same sites are merged (their weights summed);
//! - a site whose covered demand is a subset of another's is dropped while at least `p` sites
//!   remain (dominated: swapping it for the other, or for any unchosen site when the other is
//!   already chosen, never uncovers anything). Of sites covering the same demand, the lowest
//!   index stays.

use std::collections::HashMap;

/// A coverage problem: per demand point, the sites covering it (ascending) and its weight.
#[derive(Debug, Clone)]
pub(crate) struct Coverage {
    /// Per demand point: covering sites, ascending.
    pub rows: Vec<Vec<u32>>,
    /// Per demand point: its weight.
    pub weights: Vec<f64>,
    /// Number of sites.
    pub sites: usize,
    /// Sites that must be chosen.
    pub fixed: Vec<bool>,
    /// Sites that may not be chosen.
    pub forbidden: Vec<bool>,
    /// How many sites to choose.
    pub p: usize,
}

/// A reduced coverage problem and the way back.
#[derive(Debug, Clone)]
pub(crate) struct Reduced {
    /// The reduced problem: no fixed or forbidden sites, `p` less the fixed ones.
    pub problem: Coverage,
    /// Original index of each reduced site.
    pub site_of: Vec<usize>,
    /// Original sites chosen outright (the fixed ones).
    pub chosen: Vec<usize>,
    /// Weight uncovered in every solution.
    pub uncovered: f64,
    /// What each reduction removed (for the record and the tests).
    pub stats: Stats,
}

/// Counts of what presolve removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Demand points covered by a fixed site.
    pub covered_by_fixed: usize,
    /// Demand points no allowed site covers, or of zero weight.
    pub dropped_demand: usize,
    /// Demand points merged into another with the same covering sites.
    pub merged_demand: usize,
    /// Sites dropped as dominated (or covering nothing).
    pub dominated_sites: usize,
}

/// Presolves a coverage problem (`p` at least the fixed sites and at most the allowed ones).
pub(crate) fn presolve(c: &Coverage) -> Reduced {
    let mut stats = Stats::default();
    let chosen: Vec<usize> = (0..c.sites).filter(|&j| c.fixed[j]).collect();
    let free: Vec<bool> = (0..c.sites)
        .map(|j| !c.fixed[j] && !c.forbidden[j])
        .collect();
    let mut uncovered = Vec::new();
    let mut rows: Vec<Vec<u32>> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for (row, &w) in c.rows.iter().zip(&c.weights) {
        if row.iter().any(|&j| c.fixed[j as usize]) {
            stats.covered_by_fixed += 1;
            continue;
        }
        let allowed: Vec<u32> = row.iter().copied().filter(|&j| free[j as usize]).collect();
        if allowed.is_empty() || w == 0.0 {
            uncovered.push(w);
            stats.dropped_demand += 1;
            continue;
        }
        rows.push(allowed);
        weights.push(w);
    }
    let (rows, weights, merged) = merge(rows, weights);
    stats.merged_demand = merged;
    let p = c.p - chosen.len();
    let candidates: Vec<usize> = (0..c.sites).filter(|&j| free[j]).collect();
    let kept = undominated(&rows, c.sites, &candidates, p);
    stats.dominated_sites = candidates.len() - kept.len();
    let mut index = vec![u32::MAX; c.sites];
    for (k, &j) in kept.iter().enumerate() {
        index[j] = k as u32;
    }
    // Rows keep their kept sites (a row always keeps one: its dominating site covers it too),
    // and rows now alike merge.
    let renamed: Vec<Vec<u32>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&j| index[j as usize])
                .filter(|&k| k != u32::MAX)
                .collect()
        })
        .collect();
    let (rows, weights, again) = merge(renamed, weights);
    stats.merged_demand += again;
    let m = kept.len();
    Reduced {
        problem: Coverage {
            rows,
            weights,
            sites: m,
            fixed: vec![false; m],
            forbidden: vec![false; m],
            p,
        },
        site_of: kept,
        chosen,
        uncovered: crate::num::sum(uncovered),
        stats,
    }
}

/// Merges rows with the same sites (in order of first appearance), summing their weights;
/// also gives how many rows were merged into others.
fn merge(rows: Vec<Vec<u32>>, weights: Vec<f64>) -> (Vec<Vec<u32>>, Vec<f64>, usize) {
    let mut at: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut out_rows: Vec<Vec<u32>> = Vec::new();
    let mut out_weights: Vec<f64> = Vec::new();
    let mut merged = 0;
    for (row, w) in rows.into_iter().zip(weights) {
        match at.get(&row) {
            Some(&k) => {
                out_weights[k] += w;
                merged += 1;
            }
            None => {
                at.insert(row.clone(), out_rows.len());
                out_rows.push(row);
                out_weights.push(w);
            }
        }
    }
    (out_rows, out_weights, merged)
}

/// The candidate sites that no other candidate dominates, dropping dominated ones (in index
/// order) only while more than `p` remain.
fn undominated(rows: &[Vec<u32>], sites: usize, candidates: &[usize], p: usize) -> Vec<usize> {
    let mut cover: Vec<Vec<u32>> = vec![Vec::new(); sites];
    for (i, row) in rows.iter().enumerate() {
        for &j in row {
            cover[j as usize].push(i as u32);
        }
    }
    // A site dominating j covers every demand j covers: in particular j's demand point with the
    // fewest covering sites, so only those sites are compared.
    let dominated: Vec<bool> = candidates
        .iter()
        .map(|&j| {
            let col = &cover[j];
            let Some(&rarest) = col.iter().min_by_key(|&&i| (rows[i as usize].len(), i)) else {
                return true; // covers nothing
            };
            rows[rarest as usize].iter().any(|&k| {
                let k = k as usize;
                k != j && subset(col, &cover[k]) && (cover[k].len() > col.len() || k < j)
            })
        })
        .collect();
    let mut left = candidates.len();
    let mut kept = Vec::with_capacity(candidates.len());
    for (&j, &d) in candidates.iter().zip(&dominated) {
        if d && left > p {
            left -= 1;
        } else {
            kept.push(j);
        }
    }
    kept
}

/// Whether sorted `a` is a subset of sorted `b`.
fn subset(a: &[u32], b: &[u32]) -> bool {
    if a.len() > b.len() {
        return false;
    }
    let mut it = b.iter();
    a.iter().all(|x| it.by_ref().any(|y| y == x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(rows: Vec<Vec<u32>>, weights: Vec<f64>, sites: usize, p: usize) -> Coverage {
        Coverage {
            rows,
            weights,
            sites,
            fixed: vec![false; sites],
            forbidden: vec![false; sites],
            p,
        }
    }

    #[test]
    fn subsets() {
        assert!(subset(&[1, 3], &[0, 1, 2, 3]));
        assert!(!subset(&[1, 4], &[0, 1, 2, 3]));
        assert!(subset(&[], &[2]));
        assert!(!subset(&[2], &[]));
    }

    #[test]
    fn merges_drops_and_fixes() {
        // Site 1 covers {0, 1}, site 0 covers {0}: 0 is dominated. Demand 2 and 3 share sites.
        let mut c = problem(
            vec![vec![0, 1], vec![1], vec![2], vec![2], vec![], vec![3]],
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            4,
            2,
        );
        c.fixed[3] = true;
        let r = presolve(&c);
        assert_eq!(r.chosen, vec![3]);
        assert_eq!(r.uncovered, 5.0);
        assert_eq!(
            r.stats,
            Stats {
                covered_by_fixed: 1,
                dropped_demand: 1,
                merged_demand: 2,
                dominated_sites: 1,
            }
        );
        assert_eq!(r.site_of, vec![1, 2]);
        assert_eq!(r.problem.p, 1);
        assert_eq!(r.problem.weights, vec![3.0, 7.0]);
    }

    #[test]
    fn equal_sites_keep_the_lowest_index_and_at_least_p() {
        let c = problem(vec![vec![0, 1, 2]], vec![1.0], 3, 2);
        let r = presolve(&c);
        // Sites 1 and 2 are both dominated by 0; only one may go, the first.
        assert_eq!(r.site_of, vec![0, 2]);
    }
}
