//! Reach: from travel times (straight-line estimates, or the network's), per zone and per site.
//!
//! Travel times of a mode come as [`ModeTimes`]: for every site, the zones within the largest
//! band (a sparse matrix), and for every zone its nearest open site overall and of each kind.
//! Without a network they are straight-line distance × circuity / speed, found with R-tree
//! radius and nearest-neighbour queries, never a loop over all zone-site pairs.
//!
//! From them, two parallel passes:
//! 1. per zone: how many open sites (of each kind) lie within each band, remembering the site
//!    where there is only one;
//! 2. per site: the population (and each vulnerable group) within each band, and the unique
//!    population: people for whom this is the only site of its kind within the band. For a
//!    candidate site (not open in the baseline), unique means people with no site of its kind
//!    within the band that it would reach.
//!
//! Sums use Neumaier's compensated summation over zones in index order, so results are the same
//! at any thread count.

use rayon::prelude::*;

use crate::index::PointIndex;
use crate::model::Study;
use crate::study::ModeParams;

/// Neumaier's compensated sum of an iterator of values.
pub fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut acc = Sum::default();
    for v in values {
        acc.add(v);
    }
    acc.value()
}

/// A compensated (Neumaier) running sum.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    total: f64,
    compensation: f64,
}

impl Sum {
    /// Adds a value.
    pub fn add(&mut self, v: f64) {
        let t = self.total + v;
        if self.total.abs() >= v.abs() {
            self.compensation += (self.total - t) + v;
        } else {
            self.compensation += (v - t) + self.total;
        }
        self.total = t;
    }

    /// The sum so far.
    pub fn value(&self) -> f64 {
        self.total + self.compensation
    }
}

/// How travel times were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeBasis {
    /// Straight-line distance × circuity / speed.
    StraightLine,
    /// Shortest paths on an OpenStreetMap network.
    Network,
}

impl TimeBasis {
    /// The name written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            TimeBasis::StraightLine => "straight_line_estimate",
            TimeBasis::Network => "network",
        }
    }
}

/// Travel times of one mode: a sparse zones × sites matrix within the largest band, and each
/// zone's nearest open site at any distance.
#[derive(Debug, Clone)]
pub struct ModeTimes {
    /// The mode and its parameters.
    pub params: ModeParams,
    /// How the times were found.
    pub basis: TimeBasis,
    /// Per site (open or candidate): zones within the largest band, in zone order, with minutes.
    pub by_site: Vec<Vec<(u32, f64)>>,
    /// Per zone: the nearest open site and minutes to it.
    pub nearest: Vec<Option<(usize, f64)>>,
    /// Per zone, per kind (study order): the nearest open site of that kind.
    pub kind_nearest: Vec<Vec<Option<(usize, f64)>>>,
}

/// Per-zone reach for one mode.
#[derive(Debug, Clone)]
pub struct ZoneReach {
    /// Nearest open site and minutes to it.
    pub nearest: Option<(usize, f64)>,
    /// Open sites within each band.
    pub within: Vec<u32>,
    /// Per kind (study order): nearest open site of that kind and minutes to it.
    pub kind_nearest: Vec<Option<(usize, f64)>>,
    /// Per kind and band, `[kind * bands + band]`: open sites of that kind within the band.
    pub kind_within: Vec<u32>,
    /// Per kind and band: the site, where it is the only one of its kind within the band.
    pub kind_only: Vec<Option<u32>>,
}

/// Per-site reach for one mode.
#[derive(Debug, Clone)]
pub struct SiteReach {
    /// Population within each band.
    pub population: Vec<f64>,
    /// Population for whom this is the only site of its kind within each band.
    pub unique_population: Vec<f64>,
    /// Per band then vulnerable group, `[band * groups + group]`.
    pub vulnerable: Vec<f64>,
    /// Likewise, unique.
    pub unique_vulnerable: Vec<f64>,
}

/// Reach of one mode.
#[derive(Debug, Clone)]
pub struct ModeReach {
    /// The mode and its parameters.
    pub params: ModeParams,
    /// The travel times reach was measured from.
    pub times: ModeTimes,
    /// Per zone, in study order.
    pub zones: Vec<ZoneReach>,
    /// Per site, in study order.
    pub sites: Vec<SiteReach>,
}

/// Reach of every mode of the study.
#[derive(Debug, Clone)]
pub struct Reach {
    /// One per mode, in study order.
    pub modes: Vec<ModeReach>,
}

impl Reach {
    /// How the travel times were found (the same for every mode of a run).
    pub fn basis(&self) -> TimeBasis {
        self.modes
            .first()
            .map(|m| m.times.basis)
            .unwrap_or(TimeBasis::StraightLine)
    }
}

/// Straight-line reach of every mode. `progress` is told of each zone and site done.
pub fn compute(study: &Study, progress: &(dyn Fn(u64) + Sync)) -> Reach {
    let times = study
        .modes
        .iter()
        .map(|p| straight_line_times(study, p, progress))
        .collect();
    reach_from_times(study, times)
}

/// Work units the straight-line `compute` reports to its progress callback.
pub fn work_units(study: &Study) -> u64 {
    ((study.zones.len() + study.sites.len()) * study.modes.len()) as u64
}

/// The zones (of `zone_index`) within `max` straight-line minutes of a point, in zone order,
/// with their minutes.
pub fn zones_within(
    zone_index: &PointIndex,
    at: geo::Coord<f64>,
    p: &ModeParams,
    max: f64,
) -> Vec<(u32, f64)> {
    let mut near = Vec::new();
    zone_index.for_each_within(at, p.metres(max) * (1.0 + 1e-9), |z, d| {
        let m = p.minutes(d);
        if m <= max {
            near.push((z as u32, m));
        }
    });
    near.sort_unstable_by_key(|&(z, _)| z);
    near
}

/// Straight-line travel times of one mode.
pub fn straight_line_times(
    study: &Study,
    p: &ModeParams,
    progress: &(dyn Fn(u64) + Sync),
) -> ModeTimes {
    let zone_index = PointIndex::new(study.zones.iter().map(|z| z.point));
    let max_band = *study.bands.last().expect("at least one band");
    let by_site: Vec<Vec<(u32, f64)>> = study
        .sites
        .par_iter()
        .map(|s| {
            let near = zones_within(&zone_index, s.point, p, max_band as f64);
            progress(1);
            near
        })
        .collect();
    let (nearest, kind_nearest) =
        nearest_overall_and_by_kind(study, &|keep| straight_line_nearest(study, p, keep));
    progress(study.zones.len() as u64);
    ModeTimes {
        params: *p,
        basis: TimeBasis::StraightLine,
        by_site,
        nearest,
        kind_nearest,
    }
}

/// Per zone, the nearest open site overall and of each kind (`[zone][kind]`), from a search
/// for the nearest among the sites a filter keeps.
#[allow(clippy::type_complexity)]
pub fn nearest_overall_and_by_kind(
    study: &Study,
    nearest_among: &dyn Fn(&(dyn Fn(usize) -> bool + Sync)) -> Vec<Option<(usize, f64)>>,
) -> (Vec<Option<(usize, f64)>>, Vec<Vec<Option<(usize, f64)>>>) {
    let open = |i: usize| !study.sites[i].candidate;
    let nearest = nearest_among(&open);
    let kinds: Vec<Vec<Option<(usize, f64)>>> = (0..study.kinds.len())
        .map(|k| nearest_among(&|i| open(i) && study.kind_index(&study.sites[i]) == k))
        .collect();
    let by_kind = (0..study.zones.len())
        .map(|z| kinds.iter().map(|k| k[z]).collect())
        .collect();
    (nearest, by_kind)
}

/// Per zone, the nearest site among those kept and the straight-line minutes to it.
pub fn straight_line_nearest(
    study: &Study,
    p: &ModeParams,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<(usize, f64)>> {
    let index = PointIndex::with_indices(
        (0..study.sites.len())
            .filter(|&i| keep(i))
            .map(|i| (i, study.sites[i].point)),
    );
    study
        .zones
        .par_iter()
        .map(|z| index.nearest(z.point).map(|(s, d)| (s, p.minutes(d))))
        .collect()
}

/// Reach from travel times, one [`ModeTimes`] per mode of the study.
pub fn reach_from_times(study: &Study, times: Vec<ModeTimes>) -> Reach {
    let site_kind: Vec<usize> = study.sites.iter().map(|s| study.kind_index(s)).collect();
    let modes = times
        .into_iter()
        .map(|t| {
            // The matrix by zone (open sites only), sites in index order.
            let mut by_zone: Vec<Vec<(u32, f64)>> = vec![Vec::new(); study.zones.len()];
            for (s, list) in t.by_site.iter().enumerate() {
                if study.sites[s].candidate {
                    continue;
                }
                for &(z, m) in list {
                    by_zone[z as usize].push((s as u32, m));
                }
            }
            let zones: Vec<ZoneReach> = (0..study.zones.len())
                .into_par_iter()
                .map(|z| zone_reach(study, &site_kind, &t, &by_zone[z], z))
                .collect();
            let sites: Vec<SiteReach> = (0..study.sites.len())
                .into_par_iter()
                .map(|s| site_reach(study, &site_kind, &zones, &t.by_site[s], s))
                .collect();
            ModeReach {
                params: t.params,
                times: t,
                zones,
                sites,
            }
        })
        .collect();
    Reach { modes }
}

fn zone_reach(
    study: &Study,
    site_kind: &[usize],
    t: &ModeTimes,
    near: &[(u32, f64)],
    z: usize,
) -> ZoneReach {
    let nb = study.bands.len();
    let nk = study.kinds.len();
    let mut within = vec![0u32; nb];
    let mut kind_within = vec![0u32; nk * nb];
    let mut kind_only: Vec<Option<u32>> = vec![None; nk * nb];
    for &(s, m) in near {
        let k = site_kind[s as usize];
        for (b, &band) in study.bands.iter().enumerate() {
            if m <= band as f64 {
                within[b] += 1;
                let slot = k * nb + b;
                kind_within[slot] += 1;
                kind_only[slot] = if kind_within[slot] == 1 {
                    Some(s)
                } else {
                    None
                };
            }
        }
    }
    ZoneReach {
        nearest: t.nearest[z],
        within,
        kind_nearest: t.kind_nearest[z].clone(),
        kind_within,
        kind_only,
    }
}

fn site_reach(
    study: &Study,
    site_kind: &[usize],
    zones: &[ZoneReach],
    near: &[(u32, f64)],
    s: usize,
) -> SiteReach {
    let nb = study.bands.len();
    let nv = study.vulnerable.len();
    let site = &study.sites[s];
    let k = site_kind[s];
    let mut pop = vec![Sum::default(); nb];
    let mut uniq = vec![Sum::default(); nb];
    let mut vul = vec![Sum::default(); nb * nv];
    let mut uvul = vec![Sum::default(); nb * nv];
    for &(z, m) in near {
        let z = z as usize;
        let zone = &study.zones[z];
        for (b, &band) in study.bands.iter().enumerate() {
            if m > band as f64 {
                continue;
            }
            let slot = k * nb + b;
            let unique = if site.candidate {
                zones[z].kind_within[slot] == 0
            } else {
                zones[z].kind_only[slot] == Some(s as u32)
            };
            pop[b].add(zone.population);
            if unique {
                uniq[b].add(zone.population);
            }
            for (g, &v) in study.vulnerable.iter().enumerate() {
                vul[b * nv + g].add(zone.profile[v]);
                if unique {
                    uvul[b * nv + g].add(zone.profile[v]);
                }
            }
        }
    }
    let values = |v: Vec<Sum>| v.iter().map(Sum::value).collect();
    SiteReach {
        population: values(pop),
        unique_population: values(uniq),
        vulnerable: values(vul),
        unique_vulnerable: values(uvul),
    }
}
