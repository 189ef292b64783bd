//! Reach without a network: travel time is straight-line distance × circuity / speed, per mode.
//!
//! Two passes, each parallel with rayon and each a radius query on an R-tree, never a loop over
//! all zone-site pairs:
//! 1. per zone: the nearest open site and its time, and how many open sites (of each kind) lie
//!    within each band, remembering the site where there is only one;
//! 2. per site: the population (and each vulnerable group) within each band, and the unique
//!    population: people for whom this is the only site of its kind within the band. For a
//!    candidate site (not open in the baseline), unique means people with no site of its kind
//!    within the band that it would reach.
//!
//! Sums use Neumaier's compensated summation over zones in index order, so results are the same
//! at any thread count.

use geo::Coord;
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

/// Indexes shared by every mode.
struct Indexes {
    open: PointIndex,
    open_by_kind: Vec<PointIndex>,
    zones: PointIndex,
}

/// Computes reach for every mode. `progress` is told of each zone and site done.
pub fn compute(study: &Study, progress: &(dyn Fn(u64) + Sync)) -> Reach {
    let open = |i: &usize| !study.sites[*i].candidate;
    let idx = Indexes {
        open: PointIndex::with_indices(
            (0..study.sites.len())
                .filter(open)
                .map(|i| (i, study.sites[i].point)),
        ),
        open_by_kind: (0..study.kinds.len())
            .map(|k| {
                PointIndex::with_indices(
                    (0..study.sites.len())
                        .filter(open)
                        .filter(|&i| study.kind_index(&study.sites[i]) == k)
                        .map(|i| (i, study.sites[i].point)),
                )
            })
            .collect(),
        zones: PointIndex::new(study.zones.iter().map(|z| z.point)),
    };
    let site_kind: Vec<usize> = study.sites.iter().map(|s| study.kind_index(s)).collect();
    let modes = study
        .modes
        .iter()
        .map(|p| {
            let zones: Vec<ZoneReach> = study
                .zones
                .par_iter()
                .map(|z| {
                    let r = zone_reach(study, &idx, &site_kind, p, z.point);
                    progress(1);
                    r
                })
                .collect();
            let sites: Vec<SiteReach> = (0..study.sites.len())
                .into_par_iter()
                .map(|s| {
                    let r = site_reach(study, &idx, &site_kind, &zones, p, s);
                    progress(1);
                    r
                })
                .collect();
            ModeReach {
                params: *p,
                zones,
                sites,
            }
        })
        .collect();
    Reach { modes }
}

/// Work units `compute` reports to its progress callback.
pub fn work_units(study: &Study) -> u64 {
    ((study.zones.len() + study.sites.len()) * study.modes.len()) as u64
}

fn radius(p: &ModeParams, minutes: u32) -> f64 {
    p.metres(minutes as f64) * (1.0 + 1e-9)
}

fn zone_reach(
    study: &Study,
    idx: &Indexes,
    site_kind: &[usize],
    p: &ModeParams,
    at: Coord<f64>,
) -> ZoneReach {
    let nb = study.bands.len();
    let nk = study.kinds.len();
    let mut within = vec![0u32; nb];
    let mut kind_within = vec![0u32; nk * nb];
    let mut kind_only: Vec<Option<u32>> = vec![None; nk * nb];
    let max_band = *study.bands.last().expect("at least one band");
    idx.open.for_each_within(at, radius(p, max_band), |s, d| {
        let m = p.minutes(d);
        let k = site_kind[s];
        for (b, &band) in study.bands.iter().enumerate() {
            if m <= band as f64 {
                within[b] += 1;
                let slot = k * nb + b;
                kind_within[slot] += 1;
                kind_only[slot] = if kind_within[slot] == 1 {
                    Some(s as u32)
                } else {
                    None
                };
            }
        }
    });
    let nearest = idx.open.nearest(at).map(|(s, d)| (s, p.minutes(d)));
    // Nearest site of each kind: reported with `per_kind`, and used by the map.
    let kind_nearest = idx
        .open_by_kind
        .iter()
        .map(|t| t.nearest(at).map(|(s, d)| (s, p.minutes(d))))
        .collect();
    ZoneReach {
        nearest,
        within,
        kind_nearest,
        kind_within,
        kind_only,
    }
}

fn site_reach(
    study: &Study,
    idx: &Indexes,
    site_kind: &[usize],
    zones: &[ZoneReach],
    p: &ModeParams,
    s: usize,
) -> SiteReach {
    let nb = study.bands.len();
    let nv = study.vulnerable.len();
    let site = &study.sites[s];
    let k = site_kind[s];
    let max_band = *study.bands.last().expect("at least one band");
    let mut near: Vec<(usize, f64)> = Vec::new();
    idx.zones
        .for_each_within(site.point, radius(p, max_band), |z, d| {
            near.push((z, p.minutes(d)))
        });
    near.sort_unstable_by_key(|&(z, _)| z);
    let mut pop = vec![Sum::default(); nb];
    let mut uniq = vec![Sum::default(); nb];
    let mut vul = vec![Sum::default(); nb * nv];
    let mut uvul = vec![Sum::default(); nb * nv];
    for (z, m) in near {
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
