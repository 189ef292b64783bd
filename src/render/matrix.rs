//! matrix.parquet: the sparse travel-time matrix, one row per zone, site and mode within the
//! largest band.

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::Study;
use crate::reach::Reach;

/// The matrix as Parquet bytes: columns `zone`, `site`, `mode`, `minutes` (full precision),
/// `time_basis` (and, when the study measures public transport, `minutes_pNN` per
/// percentile, null on other modes' rows); rows by mode, then site, then zone, in study order.
/// Every pair within the largest band is there, and so is each zone's nearest open site,
/// overall and of each kind, where it is further: given back as `[travel] matrix`, the file
/// gives the same zones' figures.
pub fn matrix_parquet(study: &Study, reach: &Reach) -> Result<Vec<u8>> {
    let (mut zone, mut site, mut mode, mut minutes, mut basis) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    // One column per public-transport percentile, null on other modes' rows.
    let percentiles: Vec<u8> = reach
        .modes
        .iter()
        .find_map(|m| m.times.transit.as_ref().map(|t| t.percentiles.clone()))
        .unwrap_or_default();
    let mut by_percentile: Vec<Vec<Option<f64>>> = vec![Vec::new(); percentiles.len()];
    for m in &reach.modes {
        let beyond = nearest_beyond_band(study, &m.times);
        for (s, list) in m.times.by_site.iter().enumerate() {
            // Within the band (with its index, for the percentiles), then the nearest beyond.
            let mut rows: Vec<(u32, f64, Option<usize>)> = list
                .iter()
                .enumerate()
                .map(|(i, &(z, min))| (z, min, Some(i)))
                .collect();
            rows.extend(beyond[s].iter().map(|&(z, min)| (z, min, None)));
            rows.sort_by_key(|r| r.0);
            for (z, min, i) in rows {
                zone.push(study.zones[z as usize].id.as_str());
                site.push(study.sites[s].id.as_str());
                mode.push(m.params.mode.name());
                minutes.push(min);
                basis.push(m.times.basis.name());
                for (k, col) in by_percentile.iter_mut().enumerate() {
                    // Beyond the band only the minutes (the first percentile) are known.
                    col.push(match (m.times.transit.as_ref(), i) {
                        (Some(t), Some(i)) => t.by_site[s][i][k],
                        (Some(_), None) if k == 0 => Some(min),
                        _ => None,
                    });
                }
            }
        }
    }
    if let Some(i) = minutes.iter().position(|v| !v.is_finite()) {
        let what = format!("row {}, column minutes is {}", i + 1, minutes[i]);
        return Err(super::finite::defect("matrix.parquet", what));
    }
    let n = zone.len();
    let fail = |e: PolarsError| Error::Output(format!("writing matrix.parquet: {e}"));
    let mut columns = vec![
        Column::new("zone".into(), zone),
        Column::new("site".into(), site),
        Column::new("mode".into(), mode),
        Column::new("minutes".into(), minutes),
        Column::new("time_basis".into(), basis),
    ];
    for (p, col) in percentiles.iter().zip(by_percentile) {
        columns.push(Column::new(format!("minutes_p{p}").into(), col));
    }
    let mut df = DataFrame::new(n, columns).map_err(fail)?;
    super::parquet::parquet_bytes("matrix.parquet", &mut df, Vec::new())
}

/// Per site, the zones whose nearest open site (overall or of a kind) it is at more than the
/// largest band, with the minutes, in zone order and without repeats.
fn nearest_beyond_band(study: &Study, t: &crate::reach::ModeTimes) -> Vec<Vec<(u32, f64)>> {
    let max = study.bands.largest() as f64;
    let mut out: Vec<Vec<(u32, f64)>> = vec![Vec::new(); study.sites.len()];
    for z in 0..study.zones.len() {
        let mut seen: Vec<usize> = Vec::new();
        for (s, min) in t.nearest[z]
            .iter()
            .chain(t.kind_nearest[z].iter().flatten())
        {
            if *min > max && !seen.contains(s) {
                seen.push(*s);
                out[*s].push((z as u32, *min));
            }
        }
    }
    out
}
