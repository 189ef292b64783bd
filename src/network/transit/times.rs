//! Public-transport travel times as the same [`ModeTimes`] every mode gives: from every zone in
//! parallel, range RAPTOR over the departure window (and over each draw of the
//! frequency-based trips' phases); per site, the travel time at each percentile of those
//! departures; walking alone is always a journey too. The first percentile fills the sparse
//! matrix within the largest band; every site reached within the horizon is kept for each
//! zone's nearest site and the scenarios' searches.
//!
//! A percentile is the nearest rank: of n departures (minutes × draws), the smallest time
//! that at least p% of them achieve, i.e. the ⌈p·n/100⌉-th smallest. A departure that reaches
//! no site within the horizon counts as never arriving.

use rayon::prelude::*;

use crate::mode::ModeParams;
use crate::model::Study;
use crate::network::joined::ModeNetwork;
use crate::network::times::{network_nearest, times_to_sites};
use crate::network::transit::raptor::{Raptor, Window, NEVER};
use crate::network::transit::walk::seconds;
use crate::network::transit::TransitNetwork;
use crate::times::{
    nearest_overall_and_by_kind, nearest_reached, ModeTimes, TimeBasis, TransitTimes,
};

/// The ⌈p·n/100⌉-th smallest of sorted `v` (1-based), NEVER where that is unreached.
pub fn percentile(sorted: &[u32], p: u8) -> u32 {
    let n = sorted.len();
    let rank = (p as usize * n).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// Per zone, the walk alone to each site within the horizon: (site, seconds), by site.
fn direct_walks(
    study: &Study,
    net: &ModeNetwork,
    walk_kmh: f64,
    horizon_s: u32,
) -> Vec<Vec<(u32, u32)>> {
    let all: Vec<usize> = (0..study.sites.len()).collect();
    let by_site = times_to_sites(study, net, walk_kmh, &all, horizon_s * 1000, &|_| {});
    let mut by_zone: Vec<Vec<(u32, u32)>> = vec![Vec::new(); study.zones.len()];
    for (s, list) in by_site.iter().enumerate() {
        for &(z, min) in list {
            by_zone[z as usize].push((s as u32, seconds((min * 60_000.0).round() as u32)));
        }
    }
    by_zone
}

/// Per zone: each site reached within the horizon at the first percentile, with its seconds
/// at every percentile (NEVER where a later percentile is not reached).
pub fn zone_percentiles(
    study: &Study,
    net: &ModeNetwork,
    tn: &TransitNetwork,
    walk_kmh: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Vec<(u32, Vec<u32>)>> {
    let t = &tn.settings;
    let direct = direct_walks(study, net, walk_kmh, tn.horizon_s);
    // The walks alone are searched from the sites: their share of the work.
    progress(study.sites.len() as u64);
    let n_sites = study.sites.len();
    let minutes = t.window_minutes as usize;
    let samples = minutes * tn.timetables.len();
    let n_stops = tn.walks.stop_snaps.len();
    let n_patterns = tn
        .timetables
        .iter()
        .map(|x| x.patterns.len())
        .max()
        .unwrap_or(0);
    let window = Window {
        start: t.departure_s,
        minutes: t.window_minutes,
        horizon: tn.horizon_s,
        max_rides: t.max_rides,
    };
    (0..study.zones.len())
        .into_par_iter()
        .map_init(
            || {
                (
                    Raptor::new(n_stops, n_patterns, t.max_rides),
                    vec![NEVER; n_sites * samples],
                )
            },
            |(raptor, out), z| {
                progress(1);
                let access = &tn.walks.access[z];
                if access.is_empty() && direct[z].is_empty() {
                    return Vec::new();
                }
                for (d, tt) in tn.timetables.iter().enumerate() {
                    raptor.range(
                        tt,
                        &tn.walks,
                        access,
                        &direct[z],
                        window,
                        out,
                        samples,
                        d * minutes,
                    );
                }
                let mut found = Vec::new();
                for s in 0..n_sites {
                    let v = &mut out[s * samples..(s + 1) * samples];
                    if v.iter().all(|&x| x == NEVER) {
                        continue;
                    }
                    v.sort_unstable();
                    let p: Vec<u32> = t.percentiles.iter().map(|&p| percentile(v, p)).collect();
                    if p[0] != NEVER {
                        found.push((s as u32, p));
                    }
                    v.fill(NEVER);
                }
                found
            },
        )
        .collect()
}

/// Public-transport travel times of the study's zones and sites.
pub fn transit_times(
    study: &Study,
    net: &ModeNetwork,
    tn: &TransitNetwork,
    params: &ModeParams,
    walk_kmh: f64,
    progress: &(dyn Fn(u64) + Sync),
) -> ModeTimes {
    let zones = zone_percentiles(study, net, tn, walk_kmh, progress);
    let band_s = study.bands.largest() * 60;
    let minutes = |s: u32| (s != NEVER).then(|| s as f64 / 60.0);
    let mut by_site: Vec<Vec<(u32, f64)>> = vec![Vec::new(); study.sites.len()];
    let mut by_site_p: Vec<Vec<Vec<Option<f64>>>> = vec![Vec::new(); study.sites.len()];
    let mut reached: Vec<Vec<(u32, f64)>> = Vec::with_capacity(zones.len());
    for (z, found) in zones.iter().enumerate() {
        let mut list = Vec::with_capacity(found.len());
        for (s, p) in found {
            let first = p[0] as f64 / 60.0;
            list.push((*s, first));
            if p[0] <= band_s {
                by_site[*s as usize].push((z as u32, first));
                by_site_p[*s as usize].push(p.iter().map(|&x| minutes(x)).collect());
            }
        }
        reached.push(list);
    }
    let (nearest, kind_nearest) = nearest_overall_and_by_kind(study, &|keep| {
        nearest_reached(&reached, keep, &network_nearest(net, walk_kmh, keep))
    });
    ModeTimes {
        params: *params,
        basis: TimeBasis::PublicTransport,
        by_site,
        nearest,
        kind_nearest,
        transit: Some(Box::new(TransitTimes {
            percentiles: tn.settings.percentiles.clone(),
            by_site: by_site_p,
            reached,
        })),
    }
}
