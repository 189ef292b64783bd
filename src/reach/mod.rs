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

mod matrix;
mod straight;

use rayon::prelude::*;

use crate::mode::ModeParams;
use crate::model::Study;
use crate::network::Network;
use crate::num::Sum;
pub use crate::times::{ModeTimes, TimeBasis};
pub use matrix::{matrix_times, nearest_in_matrix};
pub use straight::{straight_line_nearest, straight_line_times, zones_within};

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
    /// What a map's footer credits: public transport where any mode is, else [`Reach::basis`].
    pub fn map_basis(&self) -> TimeBasis {
        if self
            .modes
            .iter()
            .any(|m| m.times.basis == TimeBasis::PublicTransport)
        {
            TimeBasis::PublicTransport
        } else {
            self.basis()
        }
    }

    /// How the street modes' travel times were found (the same for every street mode of a
    /// run; a run measuring public transport alone is on the network).
    pub fn basis(&self) -> TimeBasis {
        let mut bases = self.modes.iter().map(|m| m.times.basis);
        match bases.find(|b| *b != TimeBasis::PublicTransport) {
            Some(b) => b,
            None if self.modes.is_empty() => TimeBasis::StraightLine,
            None => TimeBasis::Network,
        }
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

/// Reach of every mode from another tool's travel-time matrix (`[travel] matrix`).
pub fn from_matrix(study: &Study, matrix: &crate::model::TravelMatrix) -> Reach {
    let times = (0..study.modes.len())
        .map(|m| matrix_times(study, matrix, m))
        .collect();
    reach_from_times(study, times)
}

/// Network reach of every mode, from the network's travel times.
pub fn on_network(study: &Study, net: &Network, progress: &(dyn Fn(u64) + Sync)) -> Reach {
    reach_from_times(study, crate::network::network_times(study, net, progress))
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
