//! Property tests: on random small studies, the R-tree reach equals a brute-force loop over
//! every zone-site pair.

use frontdoor::crs::Crs;
use frontdoor::ids::Bands;
use frontdoor::mode::Mode;
use frontdoor::mode::ModeParams;
use frontdoor::model::{Site, Study, Zone};
use frontdoor::reach;
use geo::Coord;
use proptest::prelude::*;

fn study(zones: Vec<(f64, f64, f64)>, sites: Vec<(f64, f64, usize, bool)>) -> Study {
    let kinds = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    let zones: Vec<Zone> = zones
        .into_iter()
        .enumerate()
        .map(|(i, (x, y, p))| Zone {
            id: format!("z{i}"),
            name: None,
            population: p,
            profile: vec![p / 4.0],
            point: Coord { x, y },
            polygon: None,
        })
        .collect();
    let sites: Vec<Site> = sites
        .into_iter()
        .enumerate()
        .map(|(i, (x, y, k, candidate))| Site {
            agency: "x".into(),
            candidate,
            ..Site::at(format!("s{i}"), &kinds[k], Coord { x, y })
        })
        .collect();
    let mode = ModeParams {
        mode: Mode::Walk,
        speed_kmh: 4.8,
        circuity: 1.2,
    };
    let bands = Bands::new(vec![5, 15, 30]).unwrap();
    let mut study = Study::in_memory("random", Crs::bng(), zones, sites, vec![mode], bands);
    study.profile = vec!["old".into()];
    study.vulnerable = vec![0];
    study.kinds = kinds;
    study.per_kind = true;
    study
}

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn rtree_reach_equals_brute_force(
        zones in prop::collection::vec((0.0..4000.0f64, 0.0..4000.0f64, 0.0..2000.0f64), 1..25),
        sites in prop::collection::vec((0.0..4000.0f64, 0.0..4000.0f64, 0usize..3, prop::bool::weighted(0.2)), 1..15),
    ) {
        let s = study(zones, sites);
        let r = reach::compute(&s, &|_| {});
        let p = s.modes[0];
        let m = &r.modes[0];
        let open: Vec<usize> = (0..s.sites.len()).filter(|&i| !s.sites[i].candidate).collect();
        for (zi, z) in s.zones.iter().enumerate() {
            // Nearest open site: the smallest time, lowest index on ties.
            let best = open.iter().map(|&i| (p.minutes(dist(z.point, s.sites[i].point)), i))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            match (best, m.zones[zi].nearest) {
                (None, None) => {}
                (Some((bm, bi)), Some((gi, gm))) => {
                    prop_assert_eq!(bi, gi);
                    prop_assert!((bm - gm).abs() < 1e-9);
                }
                (a, b) => prop_assert!(false, "nearest differs: {:?} vs {:?}", a, b),
            }
            for (b, band) in s.bands.iter().enumerate() {
                let n = open.iter().filter(|&&i| p.minutes(dist(z.point, s.sites[i].point)) <= *band as f64).count();
                prop_assert_eq!(m.zones[zi].within[b] as usize, n);
            }
        }
        for (si, site) in s.sites.iter().enumerate() {
            for (b, band) in s.bands.iter().enumerate() {
                let within = |zp: Coord<f64>, q: &Site| p.minutes(dist(zp, q.point)) <= *band as f64;
                let mut pop = 0.0;
                let mut uniq = 0.0;
                for z in &s.zones {
                    if !within(z.point, site) {
                        continue;
                    }
                    pop += z.population;
                    let others = open.iter().filter(|&&i| i != si && s.sites[i].kind == site.kind && within(z.point, &s.sites[i])).count();
                    if others == 0 {
                        uniq += z.population;
                    }
                }
                prop_assert!((m.sites[si].population[b] - pop).abs() < 1e-6, "population");
                prop_assert!((m.sites[si].unique_population[b] - uniq).abs() < 1e-6, "unique");
                prop_assert!(m.sites[si].unique_population[b] <= m.sites[si].population[b] + 1e-9);
                if b > 0 {
                    prop_assert!(m.sites[si].population[b] >= m.sites[si].population[b - 1]);
                }
            }
        }
    }

    #[test]
    fn scenario_losses_equal_brute_force(
        zones in prop::collection::vec((0.0..4000.0f64, 0.0..4000.0f64, 0.0..2000.0f64), 1..25),
        sites in prop::collection::vec((0.0..4000.0f64, 0.0..4000.0f64, 0usize..3, prop::bool::weighted(0.2)), 1..15),
        flips in prop::collection::vec(prop::bool::weighted(0.3), 15),
    ) {
        let s = study(zones, sites);
        // Close the open sites flipped, open the candidates flipped.
        let close: Vec<usize> = (0..s.sites.len()).filter(|&j| !s.sites[j].candidate && flips[j]).collect();
        let open: Vec<usize> = (0..s.sites.len()).filter(|&j| s.sites[j].candidate && flips[j]).collect();
        let changes = frontdoor::scenario::Changes { close: close.clone(), open: open.clone(), shares: vec![] };
        let sc = frontdoor::scenario::Scenario::new(&s, "p", frontdoor::ids::ModeIx(0), changes).unwrap();
        let reach = reach::compute(&s, &|_| {});
        let m = frontdoor::Measured { study: s, network: None, reach, measures: vec![], access: vec![] };
        let ev = frontdoor::scenario::evaluate(&m, &frontdoor::scenario::BaselineCache::default(), &sc);
        let s = &m.study;
        let p = s.modes[0];
        let is_open_before = |j: usize| !s.sites[j].candidate;
        let is_open_after = |j: usize| (is_open_before(j) && !close.contains(&j)) || open.contains(&j);
        // Scope: the kinds (sites list no services) of the sites closed or opened.
        let mut scope: Vec<String> = close.iter().chain(&open).map(|&j| s.sites[j].kind.clone()).collect();
        scope.sort();
        scope.dedup();
        let nearest = |z: &Zone, kind: Option<&String>, keep: &dyn Fn(usize) -> bool| -> Option<f64> {
            (0..s.sites.len())
                .filter(|&j| keep(j) && kind.is_none_or(|k| &s.sites[j].kind == k))
                .map(|j| p.minutes(dist(z.point, s.sites[j].point)))
                .min_by(f64::total_cmp)
        };
        let kinds: Vec<Option<&String>> = if scope.is_empty() { vec![None] } else { scope.iter().map(Some).collect() };
        for (b, band) in s.bands.iter().enumerate() {
            let mut losing = 0.0;
            for (zi, z) in s.zones.iter().enumerate() {
                let loses = kinds.iter().any(|k| {
                    let was = nearest(z, *k, &is_open_before).is_some_and(|t| t <= *band as f64);
                    let is = nearest(z, *k, &is_open_after).is_some_and(|t| t <= *band as f64);
                    was && !is
                });
                prop_assert_eq!(ev.modes[0].loses[b][zi], loses, "zone {} band {}", zi, band);
                if loses {
                    losing += z.population;
                }
            }
            prop_assert!((ev.summary.population_losing[0][b] - losing).abs() < 1e-6);
        }
        // Minutes after: to the farthest kind in scope, each at its nearest open site.
        for (zi, z) in s.zones.iter().enumerate() {
            let each: Vec<Option<f64>> = kinds.iter().map(|k| nearest(z, *k, &is_open_after)).collect();
            let want = if each.iter().all(Option::is_some) {
                each.iter().map(|t| t.unwrap()).max_by(f64::total_cmp)
            } else {
                None
            };
            match (want, ev.modes[0].after[zi]) {
                (None, None) => {}
                (Some(w), Some((_, g))) => prop_assert!((w - g).abs() < 1e-9),
                (a, b) => prop_assert!(false, "after differs: {:?} vs {:?}", a, b),
            }
        }
    }

    #[test]
    fn british_national_grid_round_trips(lon in -5.5..1.7f64, lat in 50.2..55.8f64) {
        let bng = Crs::bng();
        let (e, n) = bng.from_lonlat(lon, lat).unwrap();
        let (lon2, lat2) = bng.to_lonlat(e, n).unwrap();
        // OSTN15 rounds to the millimetre: about 1.5e-8 degrees.
        prop_assert!((lon - lon2).abs() < 1e-7 && (lat - lat2).abs() < 1e-7);
    }

    #[test]
    fn categories_and_channels_parse_their_own_names(i in 0usize..5) {
        let c = frontdoor::model::Category::ALL[i];
        prop_assert_eq!(frontdoor::model::Category::parse(c.name()), Some(c));
        prop_assert_eq!(frontdoor::model::Category::parse(&c.name().to_uppercase()), Some(c));
        let h = frontdoor::model::Channel::ALL[i];
        prop_assert_eq!(frontdoor::model::Channel::parse(&h.name().replace('_', " ")), Some(h));
    }
}

mod location_allocation {
    use frontdoor::optimise::core::{Core, Limits};
    use frontdoor::optimise::{solve, Instance, Model, Options};
    use proptest::prelude::*;

    fn instance(
        weights: Vec<u32>,
        costs: Vec<Vec<Option<u32>>>,
        fixed: usize,
        forbidden: usize,
    ) -> Instance {
        let m = costs[0].len();
        let mut inst = Instance {
            demand_ids: (0..weights.len()).map(|i| format!("d{i}")).collect(),
            weights: weights.iter().map(|&w| w as f64).collect(),
            site_ids: (0..m).map(|j| format!("s{j}")).collect(),
            costs: costs
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .filter_map(|(j, c)| c.map(|c| (j as u32, c as f64 * 1.5)))
                        .collect()
                })
                .collect(),
            fixed: (0..m).map(|j| j == fixed).collect(),
            forbidden: (0..m).map(|j| j == forbidden && j != fixed).collect(),
            capacity: None,
            study_sites: vec![],
            study_zones: vec![],
            left_out: vec![],
        };
        inst.sort();
        inst
    }

    /// Every allowed set of exactly p sites (or of any size, with p = None).
    fn subsets(inst: &Instance, p: Option<usize>) -> Vec<Vec<usize>> {
        let m = inst.site_ids.len();
        (0u32..1 << m)
            .filter(|mask| p.is_none_or(|p| mask.count_ones() as usize == p))
            .map(|mask| {
                (0..m)
                    .filter(|j| mask & (1 << j) != 0)
                    .collect::<Vec<usize>>()
            })
            .filter(|s| {
                (0..m).all(|j| !inst.fixed[j] || s.contains(&j))
                    && s.iter().all(|&j| !inst.forbidden[j])
            })
            .collect()
    }

    fn best_cost(inst: &Instance, i: usize, set: &[usize]) -> Option<f64> {
        inst.costs[i]
            .iter()
            .filter(|(j, _)| set.contains(&(*j as usize)))
            .map(|x| x.1)
            .min_by(f64::total_cmp)
    }

    fn options(p: Option<usize>, standard: Option<f64>, seconds: f64) -> Options {
        Options {
            p,
            standard,
            limits: Limits { seconds, gap: 0.0 },
        }
    }

    /// Weights, costs (None: unreachable), the fixed site, the forbidden site, p.
    type Problem = (Vec<u32>, Vec<Vec<Option<u32>>>, usize, usize, usize);

    fn problem() -> impl Strategy<Value = Problem> {
        (2usize..30, 3usize..11).prop_flat_map(|(n, m)| {
            (
                prop::collection::vec(1u32..100, n),
                prop::collection::vec(
                    prop::collection::vec(prop::option::weighted(0.85, 0u32..40), m),
                    n,
                ),
                0..m + 3,
                0..m + 3,
                1..m,
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn p_median_and_mclp_optima_equal_brute_force((weights, costs, fixed, forbidden, p) in problem(), standard in 0u32..40) {
            let inst = instance(weights, costs, fixed, forbidden);
            let standard = standard as f64 * 1.5;
            let sets = subsets(&inst, Some(p));
            // p-median: the best set whose every demand reaches a site.
            let pm = sets.iter().filter_map(|s| {
                let mut t = 0.0;
                for i in 0..inst.demand_ids.len() {
                    t += inst.weights[i] * best_cost(&inst, i, s)?;
                }
                Some(t)
            }).min_by(f64::total_cmp);
            match (pm, solve(&inst, Model::PMedian, &options(Some(p), None, 600.0))) {
                (Some(v), Ok(s)) => {
                    prop_assert!(s.optimal);
                    prop_assert!((s.objective - v).abs() <= 1e-9 * v.max(1.0), "{} vs {}", s.objective, v);
                }
                (None, Err(e)) => prop_assert!(e.to_string().contains("infeasible")),
                (None, Ok(_)) if sets.is_empty() => prop_assert!(false, "solved with no allowed set"),
                (a, b) => prop_assert!(false, "brute force {:?}, solver {:?}", a, b.map(|s| s.objective)),
            }
            // MCLP: most weight within the standard.
            let mc = sets.iter().map(|s| {
                (0..inst.demand_ids.len())
                    .filter(|&i| best_cost(&inst, i, s).is_some_and(|c| c <= standard))
                    .map(|i| inst.weights[i])
                    .sum::<f64>()
            }).max_by(f64::total_cmp);
            if let Some(v) = mc {
                let s = solve(&inst, Model::Mclp, &options(Some(p), Some(standard), 600.0)).unwrap();
                prop_assert!(s.optimal);
                prop_assert_eq!(s.objective, v);
                // Stopped at once, the bound still holds and the incumbent is feasible.
                let q = solve(&inst, Model::Mclp, &options(Some(p), Some(standard), 0.0)).unwrap();
                prop_assert!(q.bound >= v - 1e-9 && q.objective <= v + 1e-9);
            }
            if let Some(v) = pm {
                let q = solve(&inst, Model::PMedian, &options(Some(p), None, 0.0)).unwrap();
                prop_assert!(q.bound <= v + 1e-9 * v.max(1.0), "bound {} above optimum {}", q.bound, v);
                prop_assert!(q.objective >= v - 1e-9 * v.max(1.0));
                // The Lagrangian bound on its own, before any pruning or branching.
                let core = Core {
                    rows: inst.costs.iter().zip(&inst.weights).map(|(r, a)| r.iter().map(|&(j, c)| (j, a * c)).collect()).collect(),
                    fallback: vec![f64::MAX / 4.0; inst.demand_ids.len()],
                    sites: inst.site_ids.len(),
                    fixed: inst.fixed.clone(),
                    forbidden: inst.forbidden.clone(),
                    p,
                    heuristics: true,
                };
                let lb = core.lagrangian_bound(500);
                prop_assert!(lb <= v + 1e-9 * v.max(1.0), "Lagrangian bound {} above optimum {}", lb, v);
                // The proof alone: from a poor start, without local search, branch-and-bound
                // must still reach the optimum.
                let plain = Core { heuristics: false, fallback: vec![1e12; inst.demand_ids.len()], ..core };
                let out = plain.solve(Limits::default());
                prop_assert!(out.optimal);
                prop_assert!((out.objective - v).abs() <= 1e-9 * v.max(1.0), "proof alone: {} vs {}", out.objective, v);
            }
        }

        #[test]
        fn mclp_presolve_keeps_the_optimum_where_demand_repeats_and_sites_are_dominated(
            patterns in prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.3), 9), 3..9),
            demand in prop::collection::vec((0usize..6, 0u32..20), 4..40),
            widen in prop::collection::vec(any::<bool>(), 9),
            fixed in 0usize..12,
            forbidden in 0usize..12,
            p in 1usize..4,
        ) {
            // Demand points drawn from a few coverage patterns (many share their sites), and
            // sites 0..8 with 'widen' ones also covering every point of pattern 0, so that some
            // sites' coverage contains others': merging and dominance both have work to do.
            let m = 9;
            let costs: Vec<Vec<Option<u32>>> = demand
                .iter()
                .map(|&(k, _)| {
                    let k = k % patterns.len();
                    (0..m)
                        .map(|j| (patterns[k][j] || (widen[j] && k == 0)).then_some(1))
                        .collect()
                })
                .collect();
            let weights: Vec<u32> = demand.iter().map(|d| d.1).collect();
            let inst = instance(weights, costs, fixed, forbidden);
            let sets = subsets(&inst, Some(p));
            prop_assume!(!sets.is_empty());
            let standard = 1.5;
            let best = sets
                .iter()
                .map(|s| {
                    (0..inst.demand_ids.len())
                        .filter(|&i| best_cost(&inst, i, s).is_some())
                        .map(|i| inst.weights[i])
                        .sum::<f64>()
                })
                .fold(f64::NEG_INFINITY, f64::max);
            let s = solve(&inst, Model::Mclp, &options(Some(p), Some(standard), 600.0)).unwrap();
            prop_assert!(s.optimal);
            prop_assert_eq!(s.objective, best);
            // The sites it reports are p allowed ones, fixed included, covering what it says.
            prop_assert_eq!(s.chosen.len(), p);
            prop_assert!(sets.iter().any(|set| set == &s.chosen), "{:?} is not an allowed set", s.chosen);
            let covered: f64 = (0..inst.demand_ids.len())
                .filter(|&i| best_cost(&inst, i, &s.chosen).is_some())
                .map(|i| inst.weights[i])
                .sum();
            prop_assert_eq!(covered, best);
        }

        #[test]
        fn mclp_presolve_reduces_repeated_demand_and_dominated_sites(seed in 0u64..1000) {
            // Ten copies of each of 5 points, site 3 covering what sites 0 and 1 do and more.
            let mut rng = frontdoor::rng::Rng::new(seed);
            let cover = [vec![0, 3], vec![1, 3], vec![2], vec![3, 4], vec![2, 4]];
            let costs: Vec<Vec<Option<u32>>> = (0..50)
                .map(|i| (0..5).map(|j| cover[i % 5].contains(&j).then_some(1)).collect())
                .collect();
            let weights: Vec<u32> = (0..50).map(|_| 1 + rng.below(9) as u32).collect();
            let inst = instance(weights, costs, 99, 99);
            // With one site, the best is the heaviest column: weights must survive merging.
            let one = solve(&inst, Model::Mclp, &options(Some(1), Some(1.5), 600.0)).unwrap();
            let by_site = |j: usize| (0..50).filter(|i| cover[i % 5].contains(&j)).map(|i| inst.weights[i]).sum::<f64>();
            prop_assert_eq!(one.objective, (0..5).map(by_site).fold(0.0, f64::max));
            let s = solve(&inst, Model::Mclp, &options(Some(2), Some(1.5), 600.0)).unwrap();
            let fig = |k: &str| s.figures.iter().find(|f| f.0 == k).map(|f| f.1.clone()).unwrap();
            // 45 copies, and the first two points once sites 0 and 1 are gone (dominated by 3).
            prop_assert_eq!(fig("presolve_merged_demand"), serde_json::json!(46));
            prop_assert_eq!(fig("presolve_dominated_sites"), serde_json::json!(2));
        }

        #[test]
        fn k_nearest_p_median_equals_the_full_problem(
            points in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64, 1u32..50), 60),
            sites in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64), 40),
            p in 4usize..12,
        ) {
            // 40 sites, so each demand point first keeps its 20 nearest: the restricted search
            // must reach the optimum of the whole problem.
            let mut inst = Instance {
                demand_ids: (0..points.len()).map(|i| format!("d{i}")).collect(),
                weights: points.iter().map(|x| x.2 as f64).collect(),
                site_ids: (0..sites.len()).map(|j| format!("s{j}")).collect(),
                costs: points.iter().map(|d| sites.iter().enumerate().map(|(j, s)| (j as u32, (d.0 - s.0).hypot(d.1 - s.1))).collect()).collect(),
                fixed: vec![false; sites.len()],
                forbidden: vec![false; sites.len()],
                capacity: None,
                study_sites: vec![],
                study_zones: vec![],
                left_out: vec![],
            };
            inst.sort();
            let s = solve(&inst, Model::PMedian, &options(Some(p), None, 600.0)).unwrap();
            let full = Core {
                rows: inst.costs.iter().zip(&inst.weights).map(|(r, a)| r.iter().map(|&(j, c)| (j, a * c)).collect()).collect(),
                fallback: vec![1e12; inst.demand_ids.len()],
                sites: inst.site_ids.len(),
                fixed: inst.fixed.clone(),
                forbidden: inst.forbidden.clone(),
                p,
                heuristics: true,
            }.solve(Limits::default());
            prop_assert!(s.optimal && full.optimal);
            prop_assert!((s.objective - full.objective).abs() <= 1e-9 * full.objective, "{} vs {}", s.objective, full.objective);
        }

        #[test]
        fn capacitated_p_median_beyond_enumeration_keeps_capacities_and_its_bound(
            points in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64, 1u32..50), 60),
            sites in prop::collection::vec((0.0..100.0f64, 0.0..100.0f64, 0.9..3.0f64), 15),
            p in 3usize..8,
        ) {
            // 60 demand points: beyond the exact enumeration, so the search with a bound runs.
            let total: f64 = points.iter().map(|x| x.2 as f64).sum();
            let mut inst = Instance {
                demand_ids: (0..points.len()).map(|i| format!("d{i}")).collect(),
                weights: points.iter().map(|x| x.2 as f64).collect(),
                site_ids: (0..sites.len()).map(|j| format!("s{j}")).collect(),
                costs: points.iter().map(|d| sites.iter().enumerate().map(|(j, s)| (j as u32, (d.0 - s.0).hypot(d.1 - s.1))).collect()).collect(),
                fixed: vec![false; sites.len()],
                forbidden: vec![false; sites.len()],
                capacity: Some(sites.iter().map(|s| s.2 * total / p as f64).collect()),
                study_sites: vec![],
                study_zones: vec![],
                left_out: vec![],
            };
            inst.sort();
            let uncapacitated = solve(&inst, Model::PMedian, &options(Some(p), None, 600.0)).unwrap();
            match solve(&inst, Model::CapacitatedPMedian, &options(Some(p), None, 600.0)) {
                Ok(s) => {
                    let cap = inst.capacity.as_ref().unwrap();
                    prop_assert_eq!(s.chosen.len(), p);
                    for (j, load) in s.loads.iter().enumerate() {
                        prop_assert!(*load <= cap[j] + 1e-6, "site {} load {} over {}", j, load, cap[j]);
                        prop_assert!(*load == 0.0 || s.chosen.contains(&j));
                    }
                    prop_assert!(s.assignment.iter().all(Option::is_some));
                    let recomputed: f64 = (0..inst.demand_ids.len()).map(|i| inst.weights[i] * s.assigned_cost[i].unwrap()).sum();
                    prop_assert!((recomputed - s.objective).abs() <= 1e-6 * s.objective);
                    // The knapsack Lagrangian: at least the uncapacitated optimum.
                    prop_assert!(s.bound >= uncapacitated.objective * (1.0 - 1e-9), "bound {} below the uncapacitated {}", s.bound, uncapacitated.objective);
                    prop_assert!(s.bound <= s.objective + 1e-9 * s.objective);
                    prop_assert_eq!(s.optimal, s.objective <= s.bound * (1.0 + 1e-9));
                }
                Err(e) => prop_assert!(e.to_string().contains("infeasible"), "{}", e),
            }
            // Room for everyone everywhere: the capacitated answer is the uncapacitated one.
            inst.capacity = Some(vec![total; sites.len()]);
            let s = solve(&inst, Model::CapacitatedPMedian, &options(Some(p), None, 600.0)).unwrap();
            prop_assert!(s.optimal);
            prop_assert!((s.objective - uncapacitated.objective).abs() <= 1e-9 * s.objective);
        }

        #[test]
        fn p_center_and_lscp_equal_brute_force((weights, costs, fixed, forbidden, p) in problem(), standard in 0u32..40) {
            let inst = instance(weights, costs, fixed, forbidden);
            let standard = standard as f64 * 1.5;
            let worst = |s: &Vec<usize>| -> Option<f64> {
                let mut w: f64 = 0.0;
                for i in 0..inst.demand_ids.len() {
                    w = w.max(best_cost(&inst, i, s)?);
                }
                Some(w)
            };
            let pc = subsets(&inst, Some(p)).iter().filter_map(worst).min_by(f64::total_cmp);
            match (pc, solve(&inst, Model::PCenter, &options(Some(p), None, 600.0))) {
                (Some(v), Ok(s)) => {
                    prop_assert!(s.optimal);
                    prop_assert_eq!(s.objective, v);
                }
                (None, Err(_)) => {}
                (a, b) => prop_assert!(false, "brute force {:?}, solver {:?}", a, b.map(|s| s.objective)),
            }
            let covers = |s: &Vec<usize>| (0..inst.demand_ids.len()).all(|i| best_cost(&inst, i, s).is_some_and(|c| c <= standard));
            let lscp = subsets(&inst, None).iter().filter(|s| !s.is_empty() && covers(s)).map(|s| s.len()).min();
            match (lscp, solve(&inst, Model::Lscp, &options(None, Some(standard), 600.0))) {
                (Some(v), Ok(s)) => {
                    prop_assert!(s.optimal);
                    prop_assert_eq!(s.objective, v as f64);
                    prop_assert!(covers(&s.chosen));
                }
                (None, Err(_)) => {}
                (a, b) => prop_assert!(false, "brute force {:?}, solver {:?}", a, b.map(|s| s.objective)),
            }
        }
    }
}
