//! Coordinates as the synthetic study's files hold them: lon/lat from the British National Grid,
//! to 7 decimal places.

use crate::crs::Crs;
use crate::error::{Error, Result};

/// Lon/lat of a BNG point.
pub(super) fn lonlat(x: f64, y: f64) -> Result<(f64, f64)> {
    Crs::bng().to_lonlat(x, y).map_err(Error::Internal)
}

/// Degrees rounded to 7 decimal places (about a centimetre), as written in the files.
pub(super) fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}
