//! matrix.parquet: the sparse travel-time matrix, one row per zone, site and mode within the
//! largest band.

use std::io::Cursor;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::model::Study;
use crate::reach::Reach;

/// The matrix as Parquet bytes: columns `zone`, `site`, `mode`, `minutes`, `time_basis`; rows by
/// mode, then site, then zone, in study order.
pub fn matrix_parquet(study: &Study, reach: &Reach) -> Result<Vec<u8>> {
    let (mut zone, mut site, mut mode, mut minutes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for m in &reach.modes {
        for (s, list) in m.times.by_site.iter().enumerate() {
            for &(z, min) in list {
                zone.push(study.zones[z as usize].id.as_str());
                site.push(study.sites[s].id.as_str());
                mode.push(m.params.mode.name());
                minutes.push((min * 1000.0).round() / 1000.0);
            }
        }
    }
    if let Some(i) = minutes.iter().position(|v| !v.is_finite()) {
        let what = format!("row {}, column minutes is {}", i + 1, minutes[i]);
        return Err(super::finite::defect("matrix.parquet", what));
    }
    let n = zone.len();
    let basis = vec![reach.basis().name(); n];
    let fail = |e: PolarsError| Error::Output(format!("writing matrix.parquet: {e}"));
    let mut df = DataFrame::new(
        n,
        vec![
            Column::new("zone".into(), zone),
            Column::new("site".into(), site),
            Column::new("mode".into(), mode),
            Column::new("minutes".into(), minutes),
            Column::new("time_basis".into(), basis),
        ],
    )
    .map_err(fail)?;
    let mut buf = Cursor::new(Vec::new());
    ParquetWriter::new(&mut buf).finish(&mut df).map_err(fail)?;
    Ok(buf.into_inner())
}
