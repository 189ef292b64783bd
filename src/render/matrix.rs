//! matrix.parquet: the sparse travel-time matrix, one row per zone, site and mode within the
//! largest band.

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::Study;
use crate::reach::Reach;

/// The matrix as Parquet bytes: columns `zone`, `site`, `mode`, `minutes`, `time_basis` (and,
/// when the study measures public transport, `minutes_pNN` per percentile, null on other
/// modes' rows); rows by
/// mode, then site, then zone, in study order.
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
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    for m in &reach.modes {
        for (s, list) in m.times.by_site.iter().enumerate() {
            for (i, &(z, min)) in list.iter().enumerate() {
                zone.push(study.zones[z as usize].id.as_str());
                site.push(study.sites[s].id.as_str());
                mode.push(m.params.mode.name());
                minutes.push(round(min));
                basis.push(m.times.basis.name());
                for (k, col) in by_percentile.iter_mut().enumerate() {
                    col.push(
                        m.times
                            .transit
                            .as_ref()
                            .and_then(|t| t.by_site[s][i][k])
                            .map(round),
                    );
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
