//! The knapsack branch-and-bound against brute force on small random instances.

use super::*;
use crate::optimise::assignment::assign_with_capacity;
use crate::rng::Rng;

/// The capacitated p-median's search, with the regret heuristic.
fn cpmedian(inst: &Instance, p: usize, cap: &[f64], limits: Limits) -> Searched {
    let assign = |open: &[bool]| {
        assign_with_capacity(inst, open, cap).map(|(v, to)| (v, to.into_iter().map(Some).collect()))
    };
    let c = Capacitated {
        inst,
        pairs: &inst.costs,
        unserved: None,
        cap,
        p,
        assign: &assign,
    };
    search(&c, None, dearest(inst), limits, Instant::now())
}

/// The cheapest single-source assignment by brute force: every assignment whose sites,
/// with the fixed ones, are at most p, none forbidden, within capacities.
fn brute_force(inst: &Instance, p: usize, cap: &[f64]) -> Option<f64> {
    let n = inst.demand_ids.len();
    let m = inst.site_ids.len();
    let mut best: Option<f64> = None;
    let mut to = vec![0usize; n];
    loop {
        let mut load = vec![0.0; m];
        let mut cost = 0.0;
        let mut ok = true;
        for i in 0..n {
            match inst.costs[i].iter().find(|x| x.0 as usize == to[i]) {
                Some(&(_, c)) if !inst.forbidden[to[i]] => {
                    cost += inst.weights[i] * c;
                    load[to[i]] += inst.weights[i];
                }
                _ => ok = false,
            }
        }
        let used = (0..m).filter(|&j| inst.fixed[j] || to.contains(&j)).count();
        if ok && used <= p && (0..m).all(|j| load[j] <= cap[j] + 1e-9) {
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        // The next assignment, as a number in base m.
        let mut k = 0;
        while k < n {
            to[k] += 1;
            if to[k] < m {
                break;
            }
            to[k] = 0;
            k += 1;
        }
        if k == n {
            return best;
        }
    }
}

/// A random instance, capacities between a third and all of the total weight, some sites
/// fixed or forbidden.
fn random(rng: &mut Rng) -> (Instance, usize, Vec<f64>) {
    let n = 3 + rng.below(5);
    let m = 2 + rng.below(4);
    let p = 1 + rng.below(m);
    let weights: Vec<f64> = (0..n).map(|_| 1.0 + rng.below(9) as f64).collect();
    let costs: Vec<Vec<(u32, f64)>> = (0..n)
        .map(|_| {
            let mut row: Vec<(u32, f64)> = Vec::new();
            for j in 0..m as u32 {
                if rng.below(10) < 9 {
                    row.push((j, rng.below(30) as f64 + rng.range(0.0, 1.0)));
                }
            }
            row.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            row
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let cap: Vec<f64> = (0..m)
        .map(|_| (total * rng.range(0.3, 1.0)).round())
        .collect();
    let mut inst = Instance::bare(weights, costs, m);
    if rng.below(4) == 0 {
        inst.fixed[rng.below(m)] = true;
    }
    if rng.below(4) == 0 {
        let j = rng.below(m);
        inst.forbidden[j] = !inst.fixed[j];
    }
    (inst, p, cap)
}

/// Each point's weighted cost at its dearest site: multipliers far from the optimum's.
fn dearest(inst: &Instance) -> Vec<f64> {
    (inst.costs.iter().zip(&inst.weights))
        .map(|(r, a)| a * r.iter().map(|x| x.1).fold(0.0, f64::max))
        .collect()
}

#[test]
fn equals_brute_force_from_no_incumbent() {
    let mut rng = Rng::new(23);
    let (mut solved, mut branched, mut stronger) = (0, 0, 0);
    for case in 0..300 {
        let (inst, p, cap) = random(&mut rng);
        let opt = brute_force(&inst, p, &cap);
        let s = cpmedian(&inst, p, &cap, Limits::default());
        assert!(s.finished, "case {case}");
        let Some(opt) = opt else {
            assert!(
                s.best.is_none(),
                "case {case}: a solution where none exists"
            );
            continue;
        };
        solved += 1;
        let (chosen, to) = s.best.expect("a solution");
        assert!(
            (s.value - opt).abs() <= 1e-9 * opt.max(1.0),
            "case {case}: {} against the optimum {opt}",
            s.value
        );
        // The solution is what it says: its cost, p sites at most, within capacities.
        let mut load = vec![0.0; cap.len()];
        let mut cost = 0.0;
        for (i, &j) in to.iter().enumerate() {
            let j = j.expect("every point served");
            assert!(chosen.contains(&j) && !inst.forbidden[j], "case {case}");
            load[j] += inst.weights[i];
            cost += inst.weights[i] * inst.costs[i].iter().find(|x| x.0 as usize == j).unwrap().1;
        }
        assert!(
            (cost - s.value).abs() <= 1e-9 * cost.max(1.0),
            "case {case}"
        );
        assert!(chosen.len() <= p && (0..cap.len()).all(|j| load[j] <= cap[j] + 1e-9));
        assert!((0..cap.len()).all(|j| !inst.fixed[j] || chosen.contains(&j)));
        // The root's knapsack bound holds, and beats the uncapacitated optimum where
        // capacities bind.
        assert!(s.root_bound <= opt + 1e-9 * opt.max(1.0), "case {case}");
        let uncapacitated = brute_force(&inst, p, &vec![f64::INFINITY; cap.len()]).unwrap();
        if s.root_bound > uncapacitated + 1e-6 {
            stronger += 1;
        }
        if s.nodes > 1 {
            branched += 1;
        }
    }
    assert!(solved >= 150, "{solved} feasible instances");
    assert!(branched >= 80, "branched on {branched} instances only");
    assert!(
        stronger >= 40,
        "the knapsack bound beat the uncapacitated {stronger} times"
    );
}

#[test]
fn a_stopped_search_bounds_the_optimum() {
    let mut rng = Rng::new(29);
    for case in 0..100 {
        let (inst, p, cap) = random(&mut rng);
        let Some(opt) = brute_force(&inst, p, &cap) else {
            continue;
        };
        let limits = Limits {
            seconds: 0.0,
            gap: 0.0,
        };
        let s = cpmedian(&inst, p, &cap, limits);
        assert!(
            s.bound <= opt + 1e-9 * opt.max(1.0),
            "case {case}: {} > {opt}",
            s.bound
        );
    }
}
