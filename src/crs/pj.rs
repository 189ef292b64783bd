//! PROJ for the coordinate systems other than WGS84 and British National Grid, with
//! `--features proj`: the full EPSG database and PROJ's choice of datum transformation (grid
//! shifts where their files are installed), in place of proj4rs with the `towgs84` Helmert of
//! the EPSG list. British National Grid keeps Ordnance Survey's OSTN15 (`lonlat_bng`), which is
//! the definitive transformation and which PROJ gives only with the OSTN15 grid file.
//!
//! A `proj::Proj` is not shared between threads: each thread keeps its own, per code and
//! direction.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// (EPSG code, towards the code) -> the transformation from or to EPSG:4326.
    static CACHE: RefCell<HashMap<(u32, bool), proj::Proj>> = RefCell::new(HashMap::new());
}

/// Runs `f` with this thread's transformation between EPSG:4326 and EPSG:`code`.
fn with<T>(
    code: u32,
    towards: bool,
    f: impl FnOnce(&proj::Proj) -> Result<T, String>,
) -> Result<T, String> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let std::collections::hash_map::Entry::Vacant(e) = cache.entry((code, towards)) {
            let (wgs84, other) = ("EPSG:4326".to_string(), format!("EPSG:{code}"));
            let (from, to) = if towards {
                (&wgs84, &other)
            } else {
                (&other, &wgs84)
            };
            let p = proj::Proj::new_known_crs(from, to, None)
                .map_err(|e| format!("PROJ has no transformation for EPSG:{code}: {e}"))?;
            e.insert(p);
        }
        f(&cache[&(code, towards)])
    })
}

/// Whether PROJ can transform EPSG:`code` to and from WGS84.
pub(super) fn check(code: u32) -> Result<(), String> {
    with(code, true, |_| Ok(()))?;
    with(code, false, |_| Ok(()))
}

/// A coordinate of EPSG:`code` as WGS84 longitude, latitude.
pub(super) fn to_lonlat(code: u32, x: f64, y: f64) -> Result<(f64, f64), String> {
    with(code, false, |p| {
        p.convert((x, y))
            .map_err(|e| format!("({x}, {y}) cannot be converted from EPSG:{code} by PROJ: {e}"))
    })
}

/// WGS84 longitude, latitude as a coordinate of EPSG:`code`.
pub(super) fn from_lonlat(code: u32, lon: f64, lat: f64) -> Result<(f64, f64), String> {
    with(code, true, |p| {
        p.convert((lon, lat)).map_err(|e| {
            format!("lon {lon}, lat {lat} cannot be converted to EPSG:{code} by PROJ: {e}")
        })
    })
}

/// Whether EPSG:`code` is in degrees, found by moving 0.001 degree east at the centre of its
/// area of use (for the codes the EPSG list of the default build does not have).
pub(super) fn is_geographic(code: u32) -> Result<bool, String> {
    let (lon, lat) = with(code, true, |p| {
        let (area, _) = p
            .area_of_use()
            .map_err(|e| format!("EPSG:{code}: PROJ gives no area of use: {e}"))?;
        let a = area.ok_or_else(|| format!("EPSG:{code}: PROJ gives no area of use"))?;
        Ok(((a.west + a.east) / 2.0, (a.south + a.north) / 2.0))
    })?;
    let (x0, y0) = from_lonlat(code, lon, lat)?;
    let (x1, y1) = from_lonlat(code, lon + 0.001, lat)?;
    Ok((x1 - x0).hypot(y1 - y0) < 0.01)
}

/// The PROJ library's version, for run.json.
pub(super) fn version() -> String {
    use proj::Info;
    proj::ProjBuilder::new()
        .info()
        .map(|i| format!("PROJ {}", i.version))
        .unwrap_or_else(|_| "PROJ".into())
}
