//! Coordinate reference systems: every input is read in its own EPSG CRS, worked in one metric CRS
//! and written back as WGS84 longitude/latitude.
//!
//! The default build is pure Rust:
//! - EPSG:4326 (WGS84 lon/lat) is the pivot.
//! - EPSG:27700 (British National Grid) uses Ordnance Survey's OSTN15 transformation
//!   (`lonlat_bng`), which reproduces OS's test points to 1 mm; outside OSTN15's coverage it falls
//!   back to the published 7-parameter Helmert (a few metres).
//! - Every other EPSG code, including EPSG:3857 and the WGS84 UTM zones EPSG:326xx/327xx, goes
//!   through `proj4rs` with the definition from the EPSG list in `crs-definitions`: exact for
//!   projections on WGS84, Helmert (`towgs84`) accuracy, typically 1-5 m, for other datums.
//!
//! With `--features proj`, every code but those two goes through PROJ instead (the `pj`
//! module): the full EPSG database and PROJ's datum transformations.

#[cfg(feature = "proj")]
mod pj;

use std::fmt;

/// A coordinate reference system, identified by its EPSG code.
#[derive(Clone)]
pub struct Crs {
    code: u32,
    kind: CrsKind,
}

#[derive(Clone)]
enum CrsKind {
    Wgs84,
    BritishNationalGrid,
    Proj4 {
        proj: Box<proj4rs::Proj>,
        geographic: bool,
    },
    /// Through PROJ (`--features proj`).
    #[cfg(feature = "proj")]
    Pj {
        geographic: bool,
        metric: bool,
    },
}

impl fmt::Debug for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.code)
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.code)
    }
}

impl PartialEq for Crs {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

/// The lon/lat box covered by OSTN15 and by the British National Grid as frontdoor uses it.
const GB_LON: (f64, f64) = (-8.82, 1.92);
const GB_LAT: (f64, f64) = (49.79, 60.94);

impl Crs {
    /// WGS84 longitude/latitude (EPSG:4326, axis order lon, lat as in GeoJSON).
    pub fn wgs84() -> Crs {
        Crs {
            code: 4326,
            kind: CrsKind::Wgs84,
        }
    }

    /// British National Grid (EPSG:27700).
    pub fn bng() -> Crs {
        Crs {
            code: 27700,
            kind: CrsKind::BritishNationalGrid,
        }
    }

    /// The CRS with this EPSG code.
    pub fn from_epsg(code: u32) -> Result<Crs, String> {
        match code {
            4326 => Ok(Crs::wgs84()),
            27700 => Ok(Crs::bng()),
            #[cfg(feature = "proj")]
            _ => Crs::through_proj(code),
            #[cfg(not(feature = "proj"))]
            _ => {
                let def = u16::try_from(code)
                    .ok()
                    .and_then(crs_definitions::from_code)
                    .ok_or_else(|| {
                        format!(
                            "unknown CRS EPSG:{code}: expected an EPSG code such as EPSG:4326 \
                             (lon/lat), EPSG:27700 (British National Grid) or EPSG:326NN (UTM)"
                        )
                    })?;
                let proj = proj4rs::Proj::from_proj_string(def.proj4)
                    .map_err(|e| format!("EPSG:{code} ({}) is not supported: {e}", def.proj4))?;
                let geographic = proj.is_latlong();
                Ok(Crs {
                    code,
                    kind: CrsKind::Proj4 {
                        proj: Box::new(proj),
                        geographic,
                    },
                })
            }
        }
    }

    /// A CRS through PROJ: degrees or metres from the EPSG list where it has the code, else
    /// from PROJ.
    #[cfg(feature = "proj")]
    fn through_proj(code: u32) -> Result<Crs, String> {
        pj::check(code).map_err(|e| format!("unknown CRS EPSG:{code}: {e}"))?;
        let listed = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .and_then(|d| proj4rs::Proj::from_proj_string(d.proj4).ok());
        let (geographic, metric) = match listed {
            Some(p) => (p.is_latlong(), !p.is_latlong() && p.to_meter() == 1.0),
            None => {
                let g = pj::is_geographic(code)?;
                (g, !g)
            }
        };
        Ok(Crs {
            code,
            kind: CrsKind::Pj { geographic, metric },
        })
    }

    /// The library that transforms coordinates other than WGS84 and British National Grid.
    pub fn engine() -> String {
        #[cfg(feature = "proj")]
        return pj::version();
        #[cfg(not(feature = "proj"))]
        return "proj4rs (pure Rust)".into();
    }

    /// Parses "EPSG:27700", "epsg:27700", "27700", "urn:ogc:def:crs:EPSG::27700" or
    /// "urn:ogc:def:crs:OGC:1.3:CRS84" / "CRS84" (the last two are WGS84 lon/lat).
    pub fn parse(text: &str) -> Result<Crs, String> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase();
        if upper == "CRS84" || upper.ends_with(":CRS84") || upper == "WGS84" {
            return Ok(Crs::wgs84());
        }
        let digits = upper
            .strip_prefix("EPSG:")
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG::"))
            .or_else(|| upper.strip_prefix("URN:OGC:DEF:CRS:EPSG:6.6:"))
            .or_else(|| upper.strip_prefix("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/"))
            .unwrap_or(&upper);
        let code: u32 = digits.trim().parse().map_err(|_| {
            format!("\"{t}\" is not a CRS: expected an EPSG code such as \"EPSG:27700\"")
        })?;
        Crs::from_epsg(code)
    }

    /// The WGS84 UTM zone (EPSG:326NN north, 327NN south) containing a lon/lat point.
    pub fn utm_for(lon: f64, lat: f64) -> Crs {
        let zone = (((lon + 180.0) / 6.0).floor() as i64).clamp(0, 59) as u32 + 1;
        let code = if lat >= 0.0 {
            32600 + zone
        } else {
            32700 + zone
        };
        Crs::from_epsg(code).expect("every WGS84 UTM zone is in the EPSG list")
    }

    /// Whether British National Grid suits a lon/lat box (it lies within OSTN15's coverage).
    pub fn gb_covers(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> bool {
        min_lon >= GB_LON.0 && max_lon <= GB_LON.1 && min_lat >= GB_LAT.0 && max_lat <= GB_LAT.1
    }

    /// The EPSG code.
    pub fn code(&self) -> u32 {
        self.code
    }

    /// Whether coordinates are degrees of longitude and latitude.
    pub fn is_geographic(&self) -> bool {
        match &self.kind {
            CrsKind::Wgs84 => true,
            CrsKind::BritishNationalGrid => false,
            CrsKind::Proj4 { geographic, .. } => *geographic,
            #[cfg(feature = "proj")]
            CrsKind::Pj { geographic, .. } => *geographic,
        }
    }

    /// Whether coordinates are projected metres (what a working CRS must be).
    pub fn is_metric(&self) -> bool {
        match &self.kind {
            CrsKind::Wgs84 => false,
            CrsKind::BritishNationalGrid => true,
            CrsKind::Proj4 { proj, geographic } => !geographic && proj.to_meter() == 1.0,
            #[cfg(feature = "proj")]
            CrsKind::Pj { metric, .. } => *metric,
        }
    }

    /// Converts a coordinate of this CRS to WGS84 longitude, latitude (degrees).
    pub fn to_lonlat(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        match &self.kind {
            CrsKind::Wgs84 => Ok((x, y)),
            CrsKind::BritishNationalGrid => lonlat_bng::convert_osgb36_to_ll(x, y)
                .or_else(|_| helmert_bng().to_lonlat(x, y))
                .map_err(|e| format!("({x}, {y}) cannot be converted from EPSG:27700: {e}")),
            CrsKind::Proj4 { proj, geographic } => {
                let (ix, iy) = if *geographic {
                    (x.to_radians(), y.to_radians())
                } else {
                    (x, y)
                };
                let mut p = (ix, iy, 0.0);
                proj4rs::transform::transform(proj, wgs84_proj(), &mut p).map_err(|e| {
                    format!(
                        "({x}, {y}) cannot be converted from EPSG:{}: {e}",
                        self.code
                    )
                })?;
                Ok((p.0.to_degrees(), p.1.to_degrees()))
            }
            #[cfg(feature = "proj")]
            CrsKind::Pj { .. } => pj::to_lonlat(self.code, x, y),
        }
    }

    /// Converts WGS84 longitude, latitude (degrees) to this CRS.
    pub fn from_lonlat(&self, lon: f64, lat: f64) -> Result<(f64, f64), String> {
        match &self.kind {
            CrsKind::Wgs84 => Ok((lon, lat)),
            CrsKind::BritishNationalGrid => {
                if !(GB_LON.0..=GB_LON.1).contains(&lon) || !(GB_LAT.0..=GB_LAT.1).contains(&lat) {
                    return Err(format!(
                        "lon {lon}, lat {lat} is outside Great Britain, where EPSG:27700 applies"
                    ));
                }
                lonlat_bng::convert_osgb36(lon, lat)
                    .or_else(|_| helmert_bng().from_lonlat(lon, lat))
                    .map_err(|e| {
                        format!("lon {lon}, lat {lat} cannot be converted to EPSG:27700: {e}")
                    })
            }
            CrsKind::Proj4 { proj, geographic } => {
                let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
                proj4rs::transform::transform(wgs84_proj(), proj, &mut p).map_err(|e| {
                    format!(
                        "lon {lon}, lat {lat} cannot be converted to EPSG:{}: {e}",
                        self.code
                    )
                })?;
                if *geographic {
                    Ok((p.0.to_degrees(), p.1.to_degrees()))
                } else {
                    Ok((p.0, p.1))
                }
            }
            #[cfg(feature = "proj")]
            CrsKind::Pj { .. } => pj::from_lonlat(self.code, lon, lat),
        }
    }
}

fn wgs84_proj() -> &'static proj4rs::Proj {
    static P: std::sync::OnceLock<proj4rs::Proj> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        proj4rs::Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
            .expect("WGS84 definition parses")
    })
}

/// EPSG:27700 through proj4rs with the 7-parameter Helmert, for points beyond OSTN15.
fn helmert_bng() -> &'static Crs {
    static C: std::sync::OnceLock<Crs> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let def = crs_definitions::from_code(27700).expect("EPSG:27700 is in the EPSG list");
        let proj = proj4rs::Proj::from_proj_string(def.proj4).expect("EPSG:27700 parses");
        Crs {
            code: 27700,
            kind: CrsKind::Proj4 {
                proj: Box::new(proj),
                geographic: false,
            },
        }
    })
}

/// Transforms coordinates from one CRS to another through WGS84 (identity when they are equal).
#[derive(Clone, Debug)]
pub struct Transformer {
    from: Crs,
    to: Crs,
}

impl Transformer {
    /// A transformer between two CRSs.
    pub fn new(from: &Crs, to: &Crs) -> Self {
        Transformer {
            from: from.clone(),
            to: to.clone(),
        }
    }

    /// Transforms one coordinate.
    pub fn apply(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        if self.from == self.to {
            return Ok((x, y));
        }
        let (lon, lat) = self.from.to_lonlat(x, y)?;
        self.to.from_lonlat(lon, lat)
    }
}
