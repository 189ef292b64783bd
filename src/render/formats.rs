//! Which file formats a run writes: `csv` (the tables), `geojson`, `geoparquet` and `gpkg`
//! (the spatial layers), chosen by the study's `[output] formats` or `--format`.

/// The formats of a run's outputs. Maps, run.json, matrix.parquet and report.html are always
/// written; report.html is built from the CSV and GeoJSON files whether or not they are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Tables as CSV (`zones.csv`, `sites.csv`, `proposals.csv`, ...).
    pub csv: bool,
    /// Spatial layers as GeoJSON (`zones.geojson`, ...).
    pub geojson: bool,
    /// Spatial layers as GeoParquet 1.1 (`zones.parquet`, ...).
    pub geoparquet: bool,
    /// Every spatial layer in one GeoPackage (`frontdoor.gpkg`).
    pub gpkg: bool,
}

impl Default for Formats {
    /// CSV and GeoJSON.
    fn default() -> Self {
        Formats {
            csv: true,
            geojson: true,
            geoparquet: false,
            gpkg: false,
        }
    }
}

/// The names of the formats, as the study file and `--format` write them.
pub const NAMES: [&str; 4] = ["csv", "geojson", "geoparquet", "gpkg"];

/// The GeoPackage's file name.
pub const GPKG_FILE: &str = "frontdoor.gpkg";

impl Formats {
    /// The formats named (at least one; each one of [`NAMES`]); the error says which name is
    /// unknown and what is expected.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Formats, String> {
        let mut f = Formats {
            csv: false,
            geojson: false,
            geoparquet: false,
            gpkg: false,
        };
        if names.is_empty() {
            return Err(format!(
                "no format named; expected one or more of {}",
                NAMES.join(", ")
            ));
        }
        for n in names {
            match n.as_ref().trim().to_ascii_lowercase().as_str() {
                "csv" => f.csv = true,
                "geojson" | "json" => f.geojson = true,
                "geoparquet" | "parquet" => f.geoparquet = true,
                "gpkg" | "geopackage" => f.gpkg = true,
                other => {
                    return Err(format!(
                        "unknown format \"{other}\"; expected one or more of {}",
                        NAMES.join(", ")
                    ))
                }
            }
        }
        Ok(f)
    }

    /// The names of the formats chosen, in [`NAMES`] order.
    pub fn names(&self) -> Vec<&'static str> {
        [self.csv, self.geojson, self.geoparquet, self.gpkg]
            .iter()
            .zip(NAMES)
            .filter(|(on, _)| **on)
            .map(|(_, n)| n)
            .collect()
    }

    /// Whether a file of this name is kept in the output folder (CSV and GeoJSON files are
    /// dropped when their format is not chosen; everything else is kept).
    pub(crate) fn keeps(&self, file: &str) -> bool {
        if file.ends_with(".csv") {
            self.csv
        } else if file.ends_with(".geojson") {
            self.geojson
        } else {
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_refuses_others() {
        let f = Formats::parse(&["gpkg", "GeoParquet"]).unwrap();
        assert_eq!(f.names(), vec!["geoparquet", "gpkg"]);
        assert!(!f.keeps("zones.csv") && f.keeps("map.png"));
        let e = Formats::parse(&["shp"]).unwrap_err();
        assert!(e.contains("\"shp\"") && e.contains("gpkg"), "{e}");
        assert!(Formats::parse::<&str>(&[]).is_err());
        assert_eq!(Formats::default().names(), vec!["csv", "geojson"]);
    }
}
