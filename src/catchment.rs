//! Catchments: for each site, mode and band, the area from which the site is reached within the
//! band, as polygons; and per kind of site, the area with any such site within the band.
//!
//! On a network the method is a grid: every link is sampled at half a cell and each sample's
//! time to the site found from its link's two nodes (or directly along the site's own link);
//! cells holding a sample within the band are kept, widened by one cell for the walk between
//! the street and the door, and merged into polygons (a union of the cells' row runs, so the
//! result is valid and has holes where the network does not reach). Cells are 50 m walking,
//! 100 m cycling and 200 m driving. Without a network the catchment is the disc of the band's
//! straight-line radius. Each feature carries the population (and vulnerable groups) of the
//! zones whose point is within the band: the same figures as `sites.csv`.

use std::collections::BTreeSet;

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;

use crate::mode::Mode;
use crate::model::Study;
use crate::network::route::{Search, UNREACHED};
use crate::network::snap::along_same_link;
use crate::network::{walk_kmh, ModeNetwork, Network};
use crate::reach::{ModeReach, Reach};

/// Most sites of one kind for the kind to get per-site catchments by default (street
/// furniture, with thousands of sites, gets coverage polygons only).
pub const MAX_SITES_PER_KIND: usize = 200;

/// Grid cell size for network catchments, metres.
pub fn cell_size(mode: Mode) -> f64 {
    match mode {
        Mode::Walk => 50.0,
        Mode::Cycle => 100.0,
        Mode::Drive => 200.0,
        Mode::Transit => 100.0,
    }
}

/// One catchment polygon.
#[derive(Debug, Clone)]
pub struct Catchment {
    /// The site, or None for the coverage of every open site of the kind.
    pub site: Option<usize>,
    /// Kind of site.
    pub kind: String,
    /// Travel mode.
    pub mode: Mode,
    /// Band, minutes.
    pub band: u32,
    /// The area (working CRS).
    pub polygon: MultiPolygon<f64>,
    /// Population of zones within the band.
    pub population: f64,
    /// Each vulnerable group likewise.
    pub vulnerable: Vec<f64>,
}

impl Catchment {
    /// Area in km².
    pub fn area_km2(&self) -> f64 {
        self.polygon.unsigned_area() / 1e6
    }
}

/// The kinds that get per-site catchments: those with at most [`MAX_SITES_PER_KIND`] sites.
pub fn catchment_kinds(study: &Study) -> Vec<usize> {
    (0..study.kinds.len())
        .filter(|&k| {
            study
                .sites
                .iter()
                .filter(|s| study.kind_index(s) == k)
                .count()
                <= MAX_SITES_PER_KIND
        })
        .collect()
}

/// Catchments of every site of the catchment kinds, and coverage of every kind, for every mode
/// and band, in a fixed order (mode, then per-site by site, then coverage by kind; bands inside).
pub fn catchments(study: &Study, reach: &Reach, network: Option<&Network>) -> Vec<Catchment> {
    let kinds = catchment_kinds(study);
    let mut out = Vec::new();
    let mut raster: Option<ZoneRaster> = None;
    for (mi, m) in reach.modes.iter().enumerate() {
        // Public transport, and times read from a matrix, reach zones, not places on a network.
        if m.params.mode == Mode::Transit || m.times.basis == crate::times::TimeBasis::Matrix {
            let r = raster.get_or_insert_with(|| ZoneRaster::new(study, cell_size(Mode::Transit)));
            out.extend(transit_catchments(study, m, r, &kinds));
            continue;
        }
        let net = network.map(|n| &n.modes[mi]);
        let sites: Vec<usize> = (0..study.sites.len())
            .filter(|&s| kinds.contains(&study.kind_index(&study.sites[s])))
            .collect();
        let per_site: Vec<Vec<Catchment>> = sites
            .par_iter()
            .map_init(
                || net.map(|n| Search::new(n.graph.node_count())),
                |search, &s| site_catchments(study, m, net, search.as_mut(), s),
            )
            .collect();
        out.extend(per_site.into_iter().flatten());
        for k in 0..study.kinds.len() {
            out.extend(coverage(study, m, net, k));
        }
    }
    out
}

fn populations(study: &Study, zones: impl Iterator<Item = usize>) -> (f64, Vec<f64>) {
    let mut pop = crate::num::Sum::default();
    let mut vul = vec![crate::num::Sum::default(); study.vulnerable.len()];
    for z in zones {
        pop.add(study.zones[z].population);
        for (g, &v) in study.vulnerable.iter().enumerate() {
            vul[g].add(study.zones[z].profile[v]);
        }
    }
    (pop.value(), vul.iter().map(|s| s.value()).collect())
}

fn site_catchments(
    study: &Study,
    m: &ModeReach,
    net: Option<&ModeNetwork>,
    search: Option<&mut Search>,
    s: usize,
) -> Vec<Catchment> {
    let site = &study.sites[s];
    let max_band = study.bands.largest();
    let polygons: Vec<MultiPolygon<f64>> = match (net, search) {
        (Some(net), Some(search)) => {
            let Some(snap) = net.site_snaps[s] else {
                return Vec::new();
            };
            let leg = crate::network::graph::millis(snap.distance_m, walk_kmh(study));
            let sources = net.site_entries(s, walk_kmh(study));
            search.run(&net.graph.reverse, &sources, max_band * 60_000);
            let own = Some((snap, leg));
            study
                .bands
                .iter()
                .map(|&b| grid_polygon(net, search, own, b * 60_000, cell_size(m.params.mode)))
                .collect()
        }
        _ => study
            .bands
            .iter()
            .map(|&b| disc(site.point, m.params.metres(b as f64), 64))
            .collect(),
    };
    study
        .bands
        .iter()
        .zip(polygons)
        .map(|(&b, polygon)| {
            let zones = m.times.by_site[s]
                .iter()
                .filter(|(_, min)| *min <= b as f64)
                .map(|(z, _)| *z as usize);
            let (population, vulnerable) = populations(study, zones);
            Catchment {
                site: Some(s),
                kind: site.kind.clone(),
                mode: m.params.mode,
                band: b,
                polygon,
                population,
                vulnerable,
            }
        })
        .collect()
}

fn coverage(study: &Study, m: &ModeReach, net: Option<&ModeNetwork>, k: usize) -> Vec<Catchment> {
    let nb = study.bands.len();
    let max_band = study.bands.largest();
    let open: Vec<usize> = (0..study.sites.len())
        .filter(|&s| !study.sites[s].candidate && study.kind_index(&study.sites[s]) == k)
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    let polygons: Vec<MultiPolygon<f64>> = match net {
        Some(net) => {
            let walk = walk_kmh(study);
            let sources: Vec<(u32, u32)> = open
                .iter()
                .flat_map(|&s| net.site_entries(s, walk))
                .collect();
            let mut search = Search::new(net.graph.node_count());
            search.run(&net.graph.reverse, &sources, max_band * 60_000);
            study
                .bands
                .iter()
                .map(|&b| grid_polygon(net, &search, None, b * 60_000, cell_size(m.params.mode)))
                .collect()
        }
        None => study
            .bands
            .iter()
            .map(|&b| {
                // Cells whose centre is within the radius of a site, at 1/20 of the radius.
                let r = m.params.metres(b as f64);
                let cell = (r / 20.0).max(10.0);
                let points = open.iter().map(|&s| study.sites[s].point);
                runs_to_polygon(disc_runs(points, r, cell), cell)
            })
            .collect(),
    };
    study
        .bands
        .iter()
        .enumerate()
        .zip(polygons)
        .map(|((bi, &b), polygon)| {
            let zones = (0..study.zones.len()).filter(|&z| m.zones[z].kind_within[k * nb + bi] > 0);
            let (population, vulnerable) = populations(study, zones);
            Catchment {
                site: None,
                kind: study.kinds[k].clone(),
                mode: m.params.mode,
                band: b,
                polygon,
                population,
                vulnerable,
            }
        })
        .collect()
}

/// A regular polygon approximating a disc, counter-clockwise.
fn disc(c: Coord<f64>, r: f64, n: usize) -> MultiPolygon<f64> {
    let pts: Vec<Coord<f64>> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % n) as f64 / n as f64;
            Coord {
                x: c.x + r * a.cos(),
                y: c.y + r * a.sin(),
            }
        })
        .collect();
    MultiPolygon(vec![Polygon::new(LineString::from(pts), vec![])])
}

/// The cells whose samples reach the target within `bound` ms, as polygons. `own` is the
/// site's snap and walk leg, for samples on the site's own link.
fn grid_polygon(
    net: &ModeNetwork,
    search: &Search,
    own: Option<(crate::network::snap::Snap, u32)>,
    bound: u32,
    cell: f64,
) -> MultiPolygon<f64> {
    let g = &net.graph;
    let mut cells: BTreeSet<(i64, i64)> = BTreeSet::new();
    let mut links: Vec<usize> = Vec::new();
    // Links with an end reached within the bound.
    let reached = |n: u32| search.dist[n as usize] != UNREACHED && search.dist[n as usize] <= bound;
    for (i, l) in g.links.iter().enumerate() {
        if reached(l.a.0) || reached(l.b.0) || own.is_some_and(|(s, _)| s.link.0 as usize == i) {
            links.push(i);
        }
    }
    for i in links {
        let l = &g.links[i];
        let (da, db) = (search.dist[l.a.0 as usize], search.dist[l.b.0 as usize]);
        let time_at = |x: f64| -> u32 {
            let f = if l.length_m > 0.0 {
                x / l.length_m
            } else {
                0.0
            };
            let mut t = UNREACHED;
            if let (Some(ms), true) = (l.ms_ba, da != UNREACHED) {
                t = t.min(da.saturating_add((ms as f64 * f).round() as u32));
            }
            if let (Some(ms), true) = (l.ms_ab, db != UNREACHED) {
                t = t.min(db.saturating_add((ms as f64 * (1.0 - f)).round() as u32));
            }
            if let Some((snap, leg)) = own.filter(|(s, _)| s.link.0 as usize == i) {
                let from = crate::network::snap::Snap {
                    link: snap.link,
                    along_m: x,
                    distance_m: 0.0,
                };
                if let Some(ms) = along_same_link(g, &from, &snap) {
                    t = t.min(ms.saturating_add(leg));
                }
            }
            t
        };
        let mut along = 0.0;
        for w in l.geometry.windows(2) {
            let seg = (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
            let steps = ((seg / (cell / 2.0)).ceil() as usize).max(1);
            for k in 0..=steps {
                let f = k as f64 / steps as f64;
                if time_at(along + seg * f) <= bound {
                    let p = Coord {
                        x: w[0].x + (w[1].x - w[0].x) * f,
                        y: w[0].y + (w[1].y - w[0].y) * f,
                    };
                    cells.insert(((p.x / cell).floor() as i64, (p.y / cell).floor() as i64));
                }
            }
            along += seg;
        }
    }
    // Widen by one cell, for the walk between the street and the door.
    let mut wide: BTreeSet<(i64, i64)> = BTreeSet::new();
    for &(cx, cy) in &cells {
        for dy in -1..=1 {
            for dx in -1..=1 {
                wide.insert((cy + dy, cx + dx));
            }
        }
    }
    cells_to_polygon(wide, cell)
}

/// Grid cells (row, column), in row then column order, as polygons: each row's runs become
/// rectangles, and their union is valid by construction.
fn cells_to_polygon(cells: impl IntoIterator<Item = (i64, i64)>, cell: f64) -> MultiPolygon<f64> {
    let mut runs: Vec<Run> = Vec::new();
    for (row, col) in cells {
        match runs.last_mut() {
            Some(r) if r.0 == row && r.2 + 1 == col => r.2 = col,
            _ => runs.push((row, col, col)),
        }
    }
    runs_to_polygon(runs, cell)
}

/// A row run of grid cells: (row, first column, last column).
type Run = (i64, i64, i64);

/// The cells whose centre is within `r` of any of the points, as row runs in row then column
/// order, disjoint and not touching: each disc gives one run per row it crosses (its chord at
/// the row's centre line), and a row's runs are merged where they overlap or abut. The cost
/// grows with the points and the rows each crosses, not with the area they span.
fn disc_runs(points: impl Iterator<Item = Coord<f64>>, r: f64, cell: f64) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for p in points {
        let (first, last) = (
            ((p.y - r) / cell).floor() as i64,
            ((p.y + r) / cell).floor() as i64,
        );
        for row in first..=last {
            let dy = (row as f64 + 0.5) * cell - p.y;
            if dy.abs() > r {
                continue;
            }
            let half = (r * r - dy * dy).sqrt();
            let a = ((p.x - half) / cell - 0.5).ceil() as i64;
            let b = ((p.x + half) / cell - 0.5).floor() as i64;
            if a <= b {
                runs.push((row, a, b));
            }
        }
    }
    runs.sort_unstable();
    let mut merged: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs {
        match merged.last_mut() {
            Some(m) if m.0 == run.0 && run.1 <= m.2 + 1 => m.2 = m.2.max(run.2),
            _ => merged.push(run),
        }
    }
    merged
}

/// Row runs, in row then column order, as polygons: runs of the same columns in consecutive
/// rows become one rectangle, and the rectangles' union is valid by construction.
fn runs_to_polygon(runs: Vec<Run>, cell: f64) -> MultiPolygon<f64> {
    // Rectangles (first row, last row, first column, last column), grown downwards while the
    // next row has a run of the same columns.
    let mut open: std::collections::BTreeMap<(i64, i64), (i64, i64)> = Default::default();
    let mut rects: Vec<Polygon<f64>> = Vec::new();
    let rect = |(r0, r1): (i64, i64), (c0, c1): (i64, i64)| {
        let (y0, y1) = (r0 as f64 * cell, (r1 + 1) as f64 * cell);
        let (x0, x1) = (c0 as f64 * cell, (c1 + 1) as f64 * cell);
        Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )
    };
    let mut i = 0;
    while i < runs.len() {
        let row = runs[i].0;
        let mut next: std::collections::BTreeMap<(i64, i64), (i64, i64)> = Default::default();
        while i < runs.len() && runs[i].0 == row {
            let cols = (runs[i].1, runs[i].2);
            let rows = match open.remove(&cols) {
                Some((r0, r1)) if r1 + 1 == row => (r0, row),
                Some(done) => {
                    rects.push(rect(done, cols));
                    (row, row)
                }
                None => (row, row),
            };
            next.insert(cols, rows);
            i += 1;
        }
        for (cols, rows) in std::mem::replace(&mut open, next) {
            rects.push(rect(rows, cols));
        }
    }
    for (cols, rows) in open {
        rects.push(rect(rows, cols));
    }
    if rects.is_empty() {
        return MultiPolygon(vec![]);
    }
    geo::unary_union(&rects)
}

/// The study area as grid cells, each given to the zone whose point is nearest its centre
/// (within one and a half times the typical spacing of zone points): public transport's
/// catchments are drawn as the areas of the zones that reach a site, as its times are known
/// from the zones only.
pub(crate) struct ZoneRaster {
    x0: i64,
    y0: i64,
    w: usize,
    cell: f64,
    owner: Vec<u32>,
}

impl ZoneRaster {
    fn new(study: &Study, cell: f64) -> ZoneRaster {
        use rstar::primitives::GeomWithData;
        let pts: Vec<GeomWithData<[f64; 2], u32>> = study
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| GeomWithData::new([z.point.x, z.point.y], i as u32))
            .collect();
        let tree = rstar::RTree::bulk_load(pts);
        // Typical spacing: the median distance from a zone point to its nearest neighbour.
        let mut gaps: Vec<f64> = study
            .zones
            .iter()
            .filter_map(|z| {
                tree.nearest_neighbor_iter(&[z.point.x, z.point.y])
                    .nth(1)
                    .map(|n| (n.geom()[0] - z.point.x).hypot(n.geom()[1] - z.point.y))
            })
            .collect();
        gaps.sort_by(f64::total_cmp);
        let reach = gaps.get(gaps.len() / 2).copied().unwrap_or(cell) * 1.5;
        let reach = reach.max(cell);
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for z in &study.zones {
            lo = (lo.0.min(z.point.x - reach), lo.1.min(z.point.y - reach));
            hi = (hi.0.max(z.point.x + reach), hi.1.max(z.point.y + reach));
        }
        if study.zones.is_empty() {
            return ZoneRaster {
                x0: 0,
                y0: 0,
                w: 0,
                cell,
                owner: Vec::new(),
            };
        }
        let (x0, y0) = ((lo.0 / cell).floor() as i64, (lo.1 / cell).floor() as i64);
        let (x1, y1) = ((hi.0 / cell).floor() as i64, (hi.1 / cell).floor() as i64);
        let w = (x1 - x0 + 1) as usize;
        let h = (y1 - y0 + 1) as usize;
        let owner: Vec<u32> = (0..w * h)
            .into_par_iter()
            .map(|i| {
                let (cx, cy) = (x0 + (i % w) as i64, y0 + (i / w) as i64);
                let c = [(cx as f64 + 0.5) * cell, (cy as f64 + 0.5) * cell];
                match tree.nearest_neighbor(&c) {
                    Some(n) if (n.geom()[0] - c[0]).hypot(n.geom()[1] - c[1]) <= reach => n.data,
                    _ => u32::MAX,
                }
            })
            .collect();
        ZoneRaster {
            x0,
            y0,
            w,
            cell,
            owner,
        }
    }

    /// The area of the zones `inside` says are in, as polygons.
    fn polygon(&self, inside: &[bool]) -> MultiPolygon<f64> {
        let cells = self
            .owner
            .iter()
            .enumerate()
            .filter(|&(_, &z)| z != u32::MAX && inside[z as usize])
            .map(|(i, _)| (self.y0 + (i / self.w) as i64, self.x0 + (i % self.w) as i64));
        cells_to_polygon(cells, self.cell)
    }
}

/// Public transport's catchments: per site of the catchment kinds and per kind, the area of
/// the zones within each band at the first percentile.
fn transit_catchments(
    study: &Study,
    m: &ModeReach,
    raster: &ZoneRaster,
    kinds: &[usize],
) -> Vec<Catchment> {
    let nz = study.zones.len();
    let nb = study.bands.len();
    let sites: Vec<usize> = (0..study.sites.len())
        .filter(|&s| kinds.contains(&study.kind_index(&study.sites[s])))
        .collect();
    let feature = |site: Option<usize>, kind: String, b: u32, inside: Vec<bool>| {
        let zones = (0..nz).filter(|&z| inside[z]);
        let (population, vulnerable) = populations(study, zones);
        Catchment {
            site,
            kind,
            mode: m.params.mode,
            band: b,
            polygon: raster.polygon(&inside),
            population,
            vulnerable,
        }
    };
    let mut out: Vec<Catchment> = sites
        .par_iter()
        .flat_map_iter(|&s| {
            study.bands.iter().map(move |&b| {
                let mut inside = vec![false; nz];
                for &(z, min) in &m.times.by_site[s] {
                    inside[z as usize] = min <= b as f64;
                }
                (s, b, inside)
            })
        })
        .map(|(s, b, inside)| feature(Some(s), study.sites[s].kind.clone(), b, inside))
        .collect();
    for k in 0..study.kinds.len() {
        if !(0..study.sites.len())
            .any(|s| !study.sites[s].candidate && study.kind_index(&study.sites[s]) == k)
        {
            continue;
        }
        for (bi, &b) in study.bands.iter().enumerate() {
            let inside: Vec<bool> = (0..nz)
                .map(|z| m.zones[z].kind_within[k * nb + bi] > 0)
                .collect();
            out.push(feature(None, study.kinds[k].clone(), b, inside));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// The cells whose centre is within `r` of a point, cell by cell over the points' box.
    fn brute_force(points: &[Coord<f64>], r: f64, cell: f64) -> BTreeSet<(i64, i64)> {
        let mut out = BTreeSet::new();
        for p in points {
            let (rows, cols) = (
                ((p.y - r) / cell).floor() as i64..=((p.y + r) / cell).floor() as i64,
                ((p.x - r) / cell).floor() as i64..=((p.x + r) / cell).floor() as i64,
            );
            for row in rows {
                for col in cols.clone() {
                    let (x, y) = ((col as f64 + 0.5) * cell, (row as f64 + 0.5) * cell);
                    if (x - p.x).hypot(y - p.y) <= r {
                        out.insert((row, col));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn disc_runs_hold_the_cells_a_cell_by_cell_test_finds() {
        let mut rng = Rng::new(5);
        let points: Vec<Coord<f64>> = (0..60)
            .map(|_| Coord {
                x: rng.range(-3_000.0, 9_000.0),
                y: rng.range(-2_000.0, 4_000.0),
            })
            .collect();
        let (r, cell) = (1_200.0, 60.0);
        let runs = disc_runs(points.iter().copied(), r, cell);
        let mut cells = BTreeSet::new();
        for w in runs.windows(2) {
            // Sorted, and apart: a run ends before the next one on its row starts.
            assert!(w[0].0 < w[1].0 || w[0].2 + 1 < w[1].1, "{w:?}");
        }
        for &(row, a, b) in &runs {
            for col in a..=b {
                cells.insert((row, col));
            }
        }
        let expected = brute_force(&points, r, cell);
        // Chords and distances may round apart only for a centre exactly on a circle.
        let differ = cells.symmetric_difference(&expected).count();
        assert!(differ <= 2, "{differ} cells differ of {}", expected.len());
        assert!(expected.len() > 10_000);
        // The polygon covers exactly the cells.
        let area = runs_to_polygon(runs, cell).unsigned_area();
        assert!(
            (area - cells.len() as f64 * cell * cell).abs() < 1.0,
            "{area}"
        );
    }

    #[test]
    fn runs_of_the_same_columns_make_one_rectangle() {
        let runs = vec![(0, 0, 2), (1, 0, 2), (2, 0, 2), (3, 5, 5), (5, 5, 5)];
        let p = runs_to_polygon(runs, 10.0);
        // A 30 x 30 square and two separate 10 x 10 cells.
        assert_eq!(p.0.len(), 3);
        assert!((p.unsigned_area() - (900.0 + 200.0)).abs() < 1e-9);
    }
}
