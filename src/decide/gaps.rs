//! Gap analysis: locality hot spots (far from any front door, with high demand per head or a
//! high share of a vulnerable group) and the new sites that would cover most of their people,
//! chosen by the maximal covering location problem and ranked by what each adds.

use crate::access::ByZone;
use crate::decide::Rules;
use crate::error::Result;
use crate::model::Study;
use crate::num::Sum;
use crate::optimise::{self, Instance, Model, Options, Solution};

/// A zone far from any front door with high demand or a high vulnerable share.
#[derive(Debug, Clone)]
pub struct HotSpot {
    /// The zone.
    pub zone: usize,
    /// Minutes to the nearest front door (None: none within the largest band).
    pub minutes: Option<f64>,
    /// Contacts a year (any channel) per head.
    pub demand_per_head: f64,
    /// Demand per head at least the ratio times the study's.
    pub high_demand: bool,
    /// Per vulnerable group: its share at least the ratio times the study's.
    pub high_vulnerable: Vec<bool>,
}

/// A proposed new site.
#[derive(Debug, Clone)]
pub struct NewSite {
    /// 1 = adds most.
    pub rank: usize,
    /// The site (a candidate, street furniture or a partner site).
    pub site: usize,
    /// What it would be: a new building, a front door in a partner's, or a digital point.
    pub kind: NewSiteType,
    /// Hot-spot people it covers that the sites ranked before it do not.
    pub population_covered: f64,
    /// Hot-spot zones it covers that those before it do not.
    pub zones_covered: Vec<usize>,
}

/// What the gap analysis found.
#[derive(Debug, Clone)]
pub struct Gaps {
    /// Contacts a year per head over the study.
    pub study_demand_per_head: f64,
    /// Per vulnerable group, its share of the study's people.
    pub study_vulnerable_share: Vec<f64>,
    /// Hot spots, in zone order.
    pub hot_spots: Vec<HotSpot>,
    /// People in hot spots.
    pub hot_spot_population: f64,
    /// New sites, ranked.
    pub new_sites: Vec<NewSite>,
    /// The optimiser's answer (None when there was nothing to cover).
    pub solution: Option<Solution>,
}

/// Finds the hot spots and the new sites that cover most of their people.
pub fn gaps(
    study: &Study,
    rules: &Rules,
    by_zone: &ByZone,
    front_door: &[Option<f64>],
) -> Result<Gaps> {
    let far = rules.far_minutes as f64;
    let per_zone_demand: Vec<f64> = study
        .demand
        .by_zone
        .iter()
        .map(|r| crate::num::sum(r.iter().flatten().copied()) / study.demand_years)
        .collect();
    let population = study.population();
    let study_rate = if population > 0.0 {
        crate::num::sum(per_zone_demand.iter().copied()) / population
    } else {
        0.0
    };
    let shares: Vec<f64> = study
        .vulnerable
        .iter()
        .map(|&v| {
            let s = crate::num::sum(study.zones.iter().map(|z| z.profile[v]));
            if population > 0.0 {
                s / population
            } else {
                0.0
            }
        })
        .collect();
    let mut hot_spots = Vec::new();
    for (z, zone) in study.zones.iter().enumerate() {
        if front_door[z].is_some_and(|t| t <= far) || zone.population <= 0.0 {
            continue;
        }
        let rate = per_zone_demand[z] / zone.population;
        let high_demand = study_rate > 0.0 && rate >= rules.hot_spot_ratio * study_rate;
        let high_vulnerable: Vec<bool> = study
            .vulnerable
            .iter()
            .zip(&shares)
            .map(|(&v, &s)| {
                s > 0.0 && zone.profile[v] / zone.population >= rules.hot_spot_ratio * s
            })
            .collect();
        if high_demand || high_vulnerable.iter().any(|&h| h) {
            hot_spots.push(HotSpot {
                zone: z,
                minutes: front_door[z],
                demand_per_head: rate,
                high_demand,
                high_vulnerable,
            });
        }
    }
    let hot_spot_population =
        crate::num::sum(hot_spots.iter().map(|h| study.zones[h.zone].population));
    let (new_sites, solution) = new_sites(study, rules, by_zone, &hot_spots)?;
    Ok(Gaps {
        study_demand_per_head: study_rate,
        study_vulnerable_share: shares,
        hot_spots,
        hot_spot_population,
        new_sites,
        solution,
    })
}

/// Whether a site may be proposed as a new point of presence.
fn possible_new_site(study: &Study, rules: &Rules, j: usize) -> bool {
    let s = &study.sites[j];
    s.context.is_none() && (s.candidate || rules.may_host_digital(s))
}

/// What a proposed new point of presence would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSiteType {
    /// A candidate site opened: a new building.
    Candidate,
    /// A front door in a partner's building (a GP practice or pharmacy, say).
    PartnerBuilding,
    /// A digital or assisted-digital point at street furniture: not a building.
    DigitalPoint,
}

impl NewSiteType {
    /// What the site would be.
    pub fn of(rules: &Rules, s: &crate::model::Site) -> NewSiteType {
        if s.candidate {
            NewSiteType::Candidate
        } else if rules.is_furniture(s) {
            NewSiteType::DigitalPoint
        } else {
            NewSiteType::PartnerBuilding
        }
    }

    /// The words written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            NewSiteType::Candidate => "open_candidate",
            NewSiteType::PartnerBuilding => "partner_building",
            NewSiteType::DigitalPoint => "digital_point",
        }
    }
}

/// MCLP over the hot spots (weight: people) with the possible new sites within the far limit;
/// the chosen sites ranked greedily by the people each adds.
fn new_sites(
    study: &Study,
    rules: &Rules,
    by_zone: &ByZone,
    hot: &[HotSpot],
) -> Result<(Vec<NewSite>, Option<Solution>)> {
    let far = rules.far_minutes as f64;
    let mut site_of: Vec<Option<u32>> = vec![None; study.sites.len()];
    let mut sites: Vec<usize> = Vec::new();
    let mut costs: Vec<Vec<(u32, f64)>> = Vec::new();
    for h in hot {
        let mut row = Vec::new();
        for &(j, t) in by_zone.row(h.zone) {
            if t <= far && possible_new_site(study, rules, j as usize) {
                let k = *site_of[j as usize].get_or_insert_with(|| {
                    sites.push(j as usize);
                    (sites.len() - 1) as u32
                });
                row.push((k, t));
            }
        }
        costs.push(row);
    }
    if sites.is_empty() || rules.new_sites == 0 {
        return Ok((Vec::new(), None));
    }
    let mut inst = Instance {
        demand_ids: hot.iter().map(|h| study.zones[h.zone].id.clone()).collect(),
        weights: hot.iter().map(|h| study.zones[h.zone].population).collect(),
        site_ids: sites.iter().map(|&j| study.sites[j].id.clone()).collect(),
        costs,
        fixed: vec![false; sites.len()],
        forbidden: vec![false; sites.len()],
        capacity: None,
        study_sites: sites.clone(),
        study_zones: hot.iter().map(|h| h.zone).collect(),
        left_out: Vec::new(),
    };
    inst.sort();
    let options = Options {
        p: Some(rules.new_sites.min(sites.len())),
        standard: Some(far),
        limits: optimise::Limits {
            seconds: 60.0,
            gap: 0.0,
        },
    };
    let solution = optimise::solve(&inst, Model::Mclp, &options)?;
    // Rank the chosen sites: each time, the one adding most uncovered people.
    let mut covered = vec![false; hot.len()];
    let mut left: Vec<usize> = solution.chosen.clone();
    let mut ranked = Vec::new();
    while !left.is_empty() {
        let gain = |k: usize| -> (f64, Vec<usize>) {
            let mut s = Sum::default();
            let mut zs = Vec::new();
            for (d, row) in inst.costs.iter().enumerate() {
                if !covered[d] && row.iter().any(|&(kk, _)| kk as usize == k) {
                    s.add(inst.weights[d]);
                    zs.push(d);
                }
            }
            (s.value(), zs)
        };
        let (pos, (pop, zs)) = left
            .iter()
            .enumerate()
            .map(|(i, &k)| (i, gain(k)))
            .max_by(|a, b| {
                a.1 .0
                    .total_cmp(&b.1 .0)
                    .then(inst.study_sites[left[b.0]].cmp(&inst.study_sites[left[a.0]]))
            })
            .expect("left is not empty");
        let k = left.remove(pos);
        if pop <= 0.0 {
            continue;
        }
        for &d in &zs {
            covered[d] = true;
        }
        ranked.push(NewSite {
            rank: ranked.len() + 1,
            site: inst.study_sites[k],
            kind: NewSiteType::of(rules, &study.sites[inst.study_sites[k]]),
            population_covered: pop,
            zones_covered: zs.iter().map(|&d| hot[d].zone).collect(),
        });
    }
    Ok((ranked, Some(solution)))
}
