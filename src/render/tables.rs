//! The sites and zones tables: one set of columns, written as CSV and as GeoJSON properties.

use crate::access::{Measure, Scores};
use crate::model::{column_part, Category, Channel, Study};
use crate::network::Network;
use crate::reach::Reach;
pub(crate) use crate::text::format_number;

/// A value in an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (unknown, not applicable or suppressed).
    Null,
    /// Text.
    Text(String),
    /// A number, already rounded for output.
    Number(f64),
    /// True or false.
    Bool(bool),
}

impl Cell {
    /// A number rounded to `decimals` places.
    pub fn rounded(v: f64, decimals: i32) -> Cell {
        let f = 10f64.powi(decimals);
        let r = (v * f).round() / f;
        Cell::Number(if r == 0.0 { 0.0 } else { r })
    }

    /// Text, or Null where absent.
    pub fn opt_text(v: &Option<String>) -> Cell {
        v.as_ref()
            .map(|s| Cell::Text(s.clone()))
            .unwrap_or(Cell::Null)
    }

    /// The value as it is written in CSV.
    pub fn csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => {
                // Text that reads as a number that is not finite is quoted, so that the last
                // check of outputs (render::finite) can tell it from a defect.
                if s.contains([',', '"', '\n', '\r'])
                    || crate::render::finite::NOT_FINITE.contains(&s.as_str())
                {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.clone()
                }
            }
            Cell::Number(v) => format_number(*v),
            Cell::Bool(b) => b.to_string(),
        }
    }

    /// The value as JSON text.
    pub fn json(&self) -> String {
        match self {
            Cell::Null => "null".into(),
            Cell::Text(s) => serde_json::to_string(s).expect("strings serialise"),
            Cell::Number(v) => format_number(*v),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

/// A table of outputs: named columns, one row per zone or site.
#[derive(Debug, Clone, Default)]
pub struct OutTable {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl OutTable {
    /// The table as CSV text (RFC 4180, `\n` line ends).
    pub fn to_csv(&self) -> String {
        debug_assert!(
            self.rows.iter().all(|r| r.len() == self.columns.len()),
            "ragged table"
        );
        let mut s = String::new();
        s.push_str(
            &self
                .columns
                .iter()
                .map(|c| Cell::Text(c.clone()).csv())
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push('\n');
        for r in &self.rows {
            s.push_str(&r.iter().map(Cell::csv).collect::<Vec<_>>().join(","));
            s.push('\n');
        }
        s
    }
}

/// The type a column is written as in typed formats (Parquet, GeoPackage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Numbers, with blanks.
    Number,
    /// True or false, with blanks.
    Bool,
    /// Text: also a column of mixed cells, or one blank throughout.
    Text,
}

impl OutTable {
    /// The type of column `j`: Number or Bool when every cell that is not blank is one, else
    /// Text.
    pub fn column_type(&self, j: usize) -> ColumnType {
        let mut seen = None;
        for r in &self.rows {
            let t = match &r[j] {
                Cell::Null => continue,
                Cell::Number(_) => ColumnType::Number,
                Cell::Bool(_) => ColumnType::Bool,
                Cell::Text(_) => return ColumnType::Text,
            };
            match seen {
                None => seen = Some(t),
                Some(s) if s != t => return ColumnType::Text,
                _ => {}
            }
        }
        seen.unwrap_or(ColumnType::Text)
    }
}

/// A demand count for publication: counts from 1 up to the study's threshold are suppressed.
pub fn published(v: f64, suppress_below: u32) -> Cell {
    if v > 0.0 && v < suppress_below as f64 {
        Cell::Null
    } else {
        Cell::rounded(v, 2)
    }
}

/// An accessibility score at full precision (blank where it has no value).
pub fn score_cell(v: Option<f64>) -> Cell {
    v.map(Cell::Number).unwrap_or(Cell::Null)
}

/// Longitude and latitude (WGS84, 7 decimals) of a working-CRS point, blank if it has none.
fn lonlat_cells(study: &Study, p: geo::Coord<f64>) -> [Cell; 2] {
    match study.crs.to_lonlat(p.x, p.y) {
        Ok((lon, lat)) => [Cell::rounded(lon, 7), Cell::rounded(lat, 7)],
        Err(_) => [Cell::Null, Cell::Null],
    }
}

/// A site's attributes as the study file gives them, and its point (`x`, `y`, working CRS):
/// the first columns of the sites table, and of a partition's sites.parquet.
pub const SITE_ATTRIBUTES: [&str; 16] = [
    "id",
    "name",
    "agency",
    "kind",
    "services",
    "annual_cost",
    "capacity",
    "floor_area_m2",
    "opening_hours",
    "tenure",
    "lease_end",
    "condition",
    "fixed",
    "candidate",
    "x",
    "y",
];

/// Builds the sites table.
pub fn sites_table(study: &Study, reach: &Reach, network: Option<&Network>) -> OutTable {
    let mut t = OutTable::default();
    let mut cols: Vec<String> = SITE_ATTRIBUTES
        .iter()
        .chain(&["lon", "lat"])
        .map(|s| s.to_string())
        .collect();
    for m in &reach.modes {
        let mode = m.params.mode;
        for b in &study.bands {
            cols.push(format!("population_{b}min_{mode}"));
            cols.push(format!("unique_population_{b}min_{mode}"));
            for &v in &study.vulnerable {
                let g = column_part(&study.profile[v]);
                cols.push(format!("{g}_{b}min_{mode}"));
                cols.push(format!("unique_{g}_{b}min_{mode}"));
            }
        }
    }
    cols.push("demand_total".into());
    for c in Category::ALL {
        cols.push(format!("demand_{}", c.name()));
    }
    for c in Channel::ALL {
        cols.push(format!("demand_{}", c.name()));
    }
    for c in Category::ALL {
        cols.push(format!("face_to_face_{}", c.name()));
    }
    cols.push("face_to_face_once_and_done_share".into());
    cols.push("cost_per_face_to_face".into());
    if let Some(net) = network {
        for (m, _) in reach.modes.iter().zip(&net.modes) {
            cols.push(format!("snap_m_{}", m.params.mode));
        }
    }
    cols.push("time_basis".into());
    t.columns = cols;

    let k = study.suppress_below;
    let nv = study.vulnerable.len();
    for (i, s) in study.sites.iter().enumerate() {
        let mut r = vec![
            Cell::Text(s.id.clone()),
            Cell::Text(s.name.clone()),
            Cell::Text(s.agency.clone()),
            Cell::Text(s.kind.clone()),
            if s.services.is_empty() {
                Cell::Null
            } else {
                Cell::Text(s.services.join(";"))
            },
            s.annual_cost
                .map(|v| Cell::rounded(v, 2))
                .unwrap_or(Cell::Null),
            s.capacity
                .map(|v| Cell::rounded(v, 2))
                .unwrap_or(Cell::Null),
            s.floor_area_m2
                .map(|v| Cell::rounded(v, 2))
                .unwrap_or(Cell::Null),
            s.opening_hours
                .map(|v| Cell::rounded(v, 2))
                .unwrap_or(Cell::Null),
            Cell::opt_text(&s.tenure),
            Cell::opt_text(&s.lease_end),
            Cell::opt_text(&s.condition),
            Cell::Bool(s.fixed),
            Cell::Bool(s.candidate),
            Cell::rounded(s.point.x, 2),
            Cell::rounded(s.point.y, 2),
        ];
        r.extend(lonlat_cells(study, s.point));
        for m in &reach.modes {
            let sr = &m.sites[i];
            for b in 0..study.bands.len() {
                r.push(Cell::rounded(sr.population[b], 2));
                r.push(Cell::rounded(sr.unique_population[b], 2));
                for g in 0..nv {
                    r.push(Cell::rounded(sr.vulnerable[b * nv + g], 2));
                    r.push(Cell::rounded(sr.unique_vulnerable[b * nv + g], 2));
                }
            }
        }
        let d = &study.demand.by_site[i];
        let total: f64 = crate::num::sum(d.iter().flatten().copied());
        r.push(published(total, k));
        for c in Category::ALL {
            r.push(published(crate::num::sum(d[c.index()].iter().copied()), k));
        }
        for h in Channel::ALL {
            r.push(published(
                crate::num::sum(d.iter().map(|row| row[h.index()])),
                k,
            ));
        }
        let f2f = Channel::FaceToFace.index();
        for c in Category::ALL {
            r.push(published(d[c.index()][f2f], k));
        }
        let f2f_total = crate::num::sum(d.iter().map(|row| row[f2f]));
        let once = crate::num::sum(
            Category::ALL
                .iter()
                .filter(|c| c.once_and_done())
                .map(|c| d[c.index()][f2f]),
        );
        let f2f_suppressed = f2f_total > 0.0 && f2f_total < k as f64;
        r.push(if f2f_total > 0.0 && !f2f_suppressed {
            Cell::rounded(once / f2f_total, 4)
        } else {
            Cell::Null
        });
        r.push(match s.cost_per_contact(f2f_total / study.demand_years) {
            Some(c) if !f2f_suppressed => Cell::rounded(c, 2),
            _ => Cell::Null,
        });
        if let Some(net) = network {
            for m in &net.modes {
                r.push(
                    m.site_snap_m[i]
                        .map(|d| Cell::rounded(d, 1))
                        .unwrap_or(Cell::Null),
                );
            }
        }
        r.push(Cell::Text(reach.basis().name().into()));
        t.rows.push(r);
    }
    t
}

/// Builds the zones table.
pub fn zones_table(
    study: &Study,
    reach: &Reach,
    network: Option<&Network>,
    measures: &[Measure],
    access: &[Scores],
) -> OutTable {
    let mut t = OutTable::default();
    let mut cols: Vec<String> = vec!["id".into(), "name".into(), "population".into()];
    for p in &study.profile {
        cols.push(column_part(p));
    }
    cols.extend([
        "x".into(),
        "y".into(),
        "lon".into(),
        "lat".into(),
        "demand_total".into(),
        "demand_face_to_face".into(),
    ]);
    for m in &reach.modes {
        let mode = m.params.mode;
        cols.push(format!("nearest_site_{mode}"));
        cols.push(format!("minutes_{mode}"));
        for b in &study.bands {
            cols.push(format!("sites_{b}min_{mode}"));
        }
        if study.per_kind {
            for kind in &study.kinds {
                let k = column_part(kind);
                cols.push(format!("nearest_{k}_{mode}"));
                cols.push(format!("minutes_{k}_{mode}"));
                for b in &study.bands {
                    cols.push(format!("{k}_{b}min_{mode}"));
                }
            }
        }
    }
    for m in measures {
        cols.push(format!("access_{}", m.name));
        cols.push(format!("access_{}_normalised", m.name));
    }
    if let Some(net) = network {
        for (m, _) in reach.modes.iter().zip(&net.modes) {
            cols.push(format!("snap_m_{}", m.params.mode));
        }
    }
    cols.push("time_basis".into());
    t.columns = cols;
    let ks = study.suppress_below;
    let nb = study.bands.len();
    for (i, z) in study.zones.iter().enumerate() {
        let mut r = vec![
            Cell::Text(z.id.clone()),
            Cell::opt_text(&z.name),
            Cell::rounded(z.population, 2),
        ];
        for v in &z.profile {
            r.push(Cell::rounded(*v, 4));
        }
        r.push(Cell::rounded(z.point.x, 2));
        r.push(Cell::rounded(z.point.y, 2));
        r.extend(lonlat_cells(study, z.point));
        let d = &study.demand.by_zone[i];
        r.push(published(crate::num::sum(d.iter().flatten().copied()), ks));
        r.push(published(
            crate::num::sum(d.iter().map(|row| row[Channel::FaceToFace.index()])),
            ks,
        ));
        for m in &reach.modes {
            let zr = &m.zones[i];
            match zr.nearest {
                Some((s, min)) => {
                    r.push(Cell::Text(study.sites[s].id.clone()));
                    r.push(Cell::rounded(min, 2));
                }
                None => r.extend([Cell::Null, Cell::Null]),
            }
            for b in 0..nb {
                r.push(Cell::Number(zr.within[b] as f64));
            }
            if study.per_kind {
                for k in 0..study.kinds.len() {
                    match zr.kind_nearest[k] {
                        Some((s, min)) => {
                            r.push(Cell::Text(study.sites[s].id.clone()));
                            r.push(Cell::rounded(min, 2));
                        }
                        None => r.extend([Cell::Null, Cell::Null]),
                    }
                    for b in 0..nb {
                        r.push(Cell::Number(zr.kind_within[k * nb + b] as f64));
                    }
                }
            }
        }
        for s in access {
            r.push(score_cell(s.raw[i]));
            r.push(score_cell(s.normalised[i]));
        }
        if let Some(net) = network {
            for m in &net.modes {
                r.push(
                    m.zone_snap_m[i]
                        .map(|d| Cell::rounded(d, 1))
                        .unwrap_or(Cell::Null),
                );
            }
        }
        r.push(Cell::Text(reach.basis().name().into()));
        t.rows.push(r);
    }
    t
}
