//! The one-line summary of a scenario: sites changed, money saved, contacts moved, people
//! losing and gaining access per mode and band, minutes before and after, and how each
//! accessibility measure moved.

use super::change::{AccessChange, ModeChange};
use super::sites::{face_to_face, SiteChange};
use super::Scenario;
use crate::access::Scores;
use crate::measured::Measured;
use crate::num::Sum;

/// One line per scenario.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Sites closed outright.
    pub sites_closed: usize,
    /// Candidate sites opened.
    pub sites_opened: usize,
    /// Sites moved into hosts.
    pub sites_shared: usize,
    /// Running cost of closed sites less that of opened ones, a year.
    pub annual_cost_saved: f64,
    /// Closed or opened sites without an annual cost.
    pub sites_without_cost: usize,
    /// Face-to-face contacts a year moved to each channel, `[channel]`.
    pub face_to_face_moved: [f64; 5],
    /// Face-to-face contacts a year of closed sites placed at other sites.
    pub face_to_face_rerouted: f64,
    /// Face-to-face contacts a year of closed sites with no site to go to.
    pub face_to_face_unplaced: f64,
    /// Open sites over capacity after that were not in the baseline: what the scenario causes.
    pub newly_overloaded_sites: usize,
    /// Open sites over capacity after that already were in the baseline.
    pub already_overloaded_sites: usize,
    /// Per mode, per band: population losing and gaining access.
    pub population_losing: Vec<Vec<f64>>,
    /// Likewise gaining.
    pub population_gaining: Vec<Vec<f64>>,
    /// Per mode, per band, per vulnerable group: losing.
    pub vulnerable_losing: Vec<Vec<Vec<f64>>>,
    /// Likewise gaining.
    pub vulnerable_gaining: Vec<Vec<Vec<f64>>>,
    /// Per mode: population-weighted mean minutes to the scope, before and after (zones with
    /// the scope in reach both times).
    pub mean_minutes: Vec<(f64, f64)>,
    /// Per mode: the largest increase in minutes of any zone.
    pub max_minutes_increase: Vec<f64>,
    /// Per measure, in study order: how its scores moved.
    pub access: Vec<AccessChange>,
}

pub(super) fn summarise(
    m: &Measured,
    sc: &Scenario,
    modes: &[ModeChange],
    access_after: &[Scores],
    sites: &[SiteChange],
) -> Summary {
    let study = &m.study;
    let mut s = Summary {
        sites_closed: sc.close.len(),
        sites_opened: sc.open.len(),
        sites_shared: sc.shares.iter().map(|(_, g)| g.len()).sum(),
        ..Default::default()
    };
    let mut saved = Sum::default();
    for j in sc.closed() {
        match study.sites[j].annual_cost {
            Some(c) => saved.add(c),
            None => s.sites_without_cost += 1,
        }
    }
    for &j in &sc.open {
        match study.sites[j].annual_cost {
            Some(c) => saved.add(-c),
            None => s.sites_without_cost += 1,
        }
    }
    s.annual_cost_saved = saved.value();
    for ch in 0..5 {
        let mut moved = Sum::default();
        for z in &study.demand.by_zone {
            for (c, v) in face_to_face(z, study.demand_years).iter().enumerate() {
                moved.add(v * sc.shift[c][ch]);
            }
        }
        s.face_to_face_moved[ch] = moved.value();
    }
    let mut rerouted = Sum::default();
    let mut unplaced = Sum::default();
    for site in sites {
        for &(to, v) in &site.sent_to {
            if to.is_some() {
                rerouted.add(v);
            } else {
                unplaced.add(v);
            }
        }
    }
    s.face_to_face_rerouted = rerouted.value();
    s.face_to_face_unplaced = unplaced.value();
    let overloaded = |before: bool| {
        sites
            .iter()
            .filter(|x| x.open_after && x.overloaded && x.overloaded_before == before)
            .count()
    };
    s.newly_overloaded_sites = overloaded(false);
    s.already_overloaded_sites = overloaded(true);
    let nv = study.vulnerable.len();
    for mc in modes {
        let total = |flags: &[bool], value: &dyn Fn(usize) -> f64| {
            crate::num::sum((0..flags.len()).filter(|&z| flags[z]).map(value))
        };
        let pop = |z: usize| study.zones[z].population;
        s.population_losing
            .push(mc.loses.iter().map(|f| total(f, &pop)).collect());
        s.population_gaining
            .push(mc.gains.iter().map(|f| total(f, &pop)).collect());
        let groups = |flags: &Vec<Vec<bool>>| -> Vec<Vec<f64>> {
            flags
                .iter()
                .map(|f| {
                    (0..nv)
                        .map(|g| total(f, &|z| study.zones[z].profile[study.vulnerable[g]]))
                        .collect()
                })
                .collect()
        };
        s.vulnerable_losing.push(groups(&mc.loses));
        s.vulnerable_gaining.push(groups(&mc.gains));
        let (mut wb, mut wa, mut w) = (Sum::default(), Sum::default(), Sum::default());
        let mut max_inc = 0.0f64;
        for (z, zone) in study.zones.iter().enumerate() {
            if let (Some(b), Some(a)) = (mc.before[z], mc.after[z]) {
                wb.add(zone.population * b.1);
                wa.add(zone.population * a.1);
                w.add(zone.population);
                max_inc = max_inc.max(a.1 - b.1);
            }
        }
        let w = w.value();
        s.mean_minutes.push(if w > 0.0 {
            (wb.value() / w, wa.value() / w)
        } else {
            (0.0, 0.0)
        });
        s.max_minutes_increase.push(max_inc);
    }
    for (a, (before, after)) in m.measures.iter().zip(m.access.iter().zip(access_after)) {
        let demand = |z: usize| match a.demand {
            None => study.zones[z].population,
            Some(c) => study.zones[z].profile[c],
        };
        let mean = |v: &Scores| {
            let (mut num, mut den) = (Sum::default(), Sum::default());
            for (z, x) in v.raw.iter().enumerate() {
                if let Some(x) = x {
                    num.add(demand(z) * x);
                    den.add(demand(z));
                }
            }
            if den.value() > 0.0 {
                num.value() / den.value()
            } else {
                0.0
            }
        };
        let (mut worse, mut better) = (Sum::default(), Sum::default());
        for (z, (b, a)) in before.raw.iter().zip(&after.raw).enumerate() {
            let (b, a) = (b.unwrap_or(0.0), a.unwrap_or(0.0));
            // Beyond rounding: a relative change of more than 1e-12.
            let tol = 1e-12 * b.abs().max(a.abs());
            if a < b - tol {
                worse.add(demand(z));
            } else if a > b + tol {
                better.add(demand(z));
            }
        }
        s.access.push(AccessChange {
            mean_before: mean(before),
            mean_after: mean(after),
            demand_worse: worse.value(),
            demand_better: better.value(),
        });
    }
    s
}
