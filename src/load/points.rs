//! Point coordinates in a table: which columns, which CRS, and checking each value.

use crate::crs::{Crs, Transformer};
use crate::error::Problem;
use crate::load::fields::{resolve, Field};
use crate::load::settings::FieldSpec;
use crate::load::table::Table;

/// Default column names tried for each coordinate when the study names none.
const LON: &[&str] = &["lon", "longitude", "lng", "long"];
const LAT: &[&str] = &["lat", "latitude"];
const X: &[&str] = &["x", "easting"];
const Y: &[&str] = &["y", "northing"];

/// The coordinate columns of a table and their CRS.
pub struct PointColumns<'a> {
    x: Field<'a>,
    y: Field<'a>,
    /// The CRS the coordinates are in.
    pub crs: Crs,
}

/// The coordinate fields the study gives for one input.
pub struct PointSpecs<'s> {
    /// Easting.
    pub x: Option<&'s FieldSpec>,
    /// Northing.
    pub y: Option<&'s FieldSpec>,
    /// Longitude.
    pub lon: Option<&'s FieldSpec>,
    /// Latitude.
    pub lat: Option<&'s FieldSpec>,
}

impl<'s> PointSpecs<'s> {
    /// The coordinate fields as the study names them.
    pub fn new(
        x: &'s Option<FieldSpec>,
        y: &'s Option<FieldSpec>,
        lon: &'s Option<FieldSpec>,
        lat: &'s Option<FieldSpec>,
    ) -> Self {
        PointSpecs {
            x: x.as_ref(),
            y: y.as_ref(),
            lon: lon.as_ref(),
            lat: lat.as_ref(),
        }
    }
}

/// Parses the CRS an input names, as a problem of that input where it is unknown.
pub fn input_crs(table: &Table, crs: Option<&str>) -> Result<Option<Crs>, Problem> {
    crs.map(|c| Crs::parse(c).map_err(|m| Problem::field(&table.path, "crs", m)))
        .transpose()
}

/// Finds the coordinate columns: x/y or lon/lat as the study says, else by their usual names.
/// Returns None where the table has no coordinates (allowed when `required` is false).
pub fn resolve_points<'a>(
    table: &'a Table,
    specs: &PointSpecs,
    crs: Option<Crs>,
    required: bool,
) -> Result<Option<PointColumns<'a>>, Problem> {
    let named_xy = specs.x.is_some() || specs.y.is_some();
    let named_ll = specs.lon.is_some() || specs.lat.is_some();
    if named_xy && named_ll {
        return Err(Problem::field(
            &table.path,
            "x/y and lon/lat",
            "give either x and y (projected) or lon and lat (degrees), not both",
        ));
    }
    let use_xy = if named_xy {
        true
    } else if named_ll {
        false
    } else {
        // Nothing named: a projected CRS means x/y, otherwise lon/lat where those columns exist.
        let projected = crs.as_ref().is_some_and(|c| !c.is_geographic());
        let has_ll = LON.iter().any(|c| table.find_column(c).is_some())
            && LAT.iter().any(|c| table.find_column(c).is_some());
        let has_xy = X.iter().any(|c| table.find_column(c).is_some())
            && Y.iter().any(|c| table.find_column(c).is_some());
        if !has_ll && !has_xy {
            if required {
                return Err(Problem::field(
                    &table.path,
                    "location",
                    "no coordinate columns: expected lon and lat (or x and y with a projected \
                     crs), or name them in the study with lon = \"...\", lat = \"...\"",
                ));
            }
            return Ok(None);
        }
        projected && has_xy || !has_ll
    };
    let (x, y) = if use_xy {
        (
            resolve(table, "x", specs.x, X, true)?,
            resolve(table, "y", specs.y, Y, true)?,
        )
    } else {
        (
            resolve(table, "lon", specs.lon, LON, true)?,
            resolve(table, "lat", specs.lat, LAT, true)?,
        )
    };
    let crs = match crs {
        Some(c) => {
            if !use_xy && !c.is_geographic() {
                return Err(Problem::field(
                    &table.path,
                    "crs",
                    format!("lon/lat columns need a geographic CRS such as EPSG:4326, found {c}; use x/y for projected coordinates"),
                ));
            }
            c
        }
        None if use_xy => {
            return Err(Problem::field(
                &table.path,
                "crs",
                "x/y coordinates need their CRS: add crs = \"EPSG:....\" (e.g. EPSG:27700) to this input",
            ))
        }
        None => Crs::wgs84(),
    };
    Ok(Some(PointColumns { x, y, crs }))
}

impl PointColumns<'_> {
    /// Whether the columns are x/y or lon/lat named in messages.
    fn geographic(&self) -> bool {
        self.crs.is_geographic()
    }

    /// The coordinate of row `i` in the input CRS; None where both cells are empty.
    pub fn read(&self, t: &Table, i: usize) -> Result<Option<(f64, f64)>, Problem> {
        let (xs, ys) = (self.x.get(i), self.y.get(i));
        if xs.is_none() && ys.is_none() {
            return Ok(None);
        }
        let (xe, ye) = if self.geographic() {
            (
                "a longitude in degrees (-180 to 180)",
                "a latitude in degrees (-90 to 90)",
            )
        } else {
            ("a number (easting)", "a number (northing)")
        };
        let x = self.x.number(t, i, xe)?.ok_or_else(|| {
            self.x
                .problem(t, i, format!("expected {xe}, found an empty cell"))
        })?;
        let y = self.y.number(t, i, ye)?.ok_or_else(|| {
            self.y
                .problem(t, i, format!("expected {ye}, found an empty cell"))
        })?;
        if self.geographic() {
            let lat_ok = (-90.0..=90.0).contains(&y);
            let lon_ok = (-180.0..=180.0).contains(&x);
            if !lat_ok || !lon_ok {
                let swapped = (-90.0..=90.0).contains(&x) && (-180.0..=180.0).contains(&y);
                let grid = (0.0..=700_000.0).contains(&x) && (0.0..=1_300_000.0).contains(&y);
                let hint = if swapped {
                    "; the longitude and latitude look swapped"
                } else if grid {
                    "; these look like British National Grid eastings and northings: set crs = \"EPSG:27700\" and name the columns with x and y instead of lon and lat"
                } else {
                    ""
                };
                let (f, v, e) = if !lat_ok {
                    (&self.y, y, ye)
                } else {
                    (&self.x, x, xe)
                };
                return Err(f.problem(t, i, format!("expected {e}, found {v}{hint}")));
            }
        }
        Ok(Some((x, y)))
    }

    /// The coordinate of row `i` transformed into the working CRS.
    pub fn read_working(
        &self,
        t: &Table,
        i: usize,
        to: &Transformer,
    ) -> Result<Option<(f64, f64)>, Problem> {
        match self.read(t, i)? {
            None => Ok(None),
            Some((x, y)) => to.apply(x, y).map(Some).map_err(|m| {
                // Swapped longitude and latitude that both pass the range checks.
                let hint = if self.geographic() && to.apply(y, x).is_ok() {
                    "; the longitude and latitude look swapped: swapped, the point can be placed"
                } else {
                    ""
                };
                self.x
                    .problem(t, i, format!("the point cannot be placed: {m}{hint}"))
            }),
        }
    }
}
