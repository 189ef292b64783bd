//! Demand records: each row is checked and placed (the zone it came from, the site it is
//! attributed to), then the counts are aggregated with polars by site and by zone.
//!
//! Attribution: the row's `site` where given; otherwise the nearest open site offering the row's
//! service (straight-line), from the contact's point or its zone's point. Rows whose service no
//! site offers still count for their zone, and are reported as unattributed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::Coord;
use polars::prelude::*;
use rayon::prelude::*;

use crate::crs::{Crs, Transformer};
use crate::error::{Error, Problem, Result};
use crate::index::{PointIndex, PolygonIndex};
use crate::load::fields::{resolve, MAX_COUNT};
use crate::load::open::{open_input, Source};
use crate::load::points::{input_crs, resolve_points, PointSpecs};
use crate::load::settings::DemandInput;
use crate::load::LoadOptions;
use crate::mode::ModeParams;
use crate::model::{
    Assignment, Category, CategoryChannel, Channel, Demand, InputFile, LoadReport, Origin, Site,
    SiteLookup, Zone,
};

/// Counts are summed as integers of a millionth of a contact, so that totals are exact and do
/// not depend on the order of summation (and so on the number of threads).
const MICRO: f64 = 1e6;

/// How many skipped rows are quoted in full in the report.
const EXAMPLES: usize = 10;

struct Placed {
    zone: i64,
    site: i64,
    service: u32,
    category: u32,
    channel: u32,
    count: i64,
    /// Where the contact came from, when the record does not say where it was served (the
    /// site is then chosen: the nearest, or by the assignment model).
    chosen_from: Option<Coord<f64>>,
}

/// How records that do not say where they were served are given to sites, and the straight-line
/// travel that the choice is made on.
pub(crate) struct Choice {
    /// The model.
    pub(crate) assignment: Assignment,
    /// The mode whose straight-line minutes the choice is made on (the study's first).
    pub(crate) mode: ModeParams,
    /// Only sites within this many minutes are chosen among (the largest band).
    pub(crate) max_minutes: f64,
}

/// Where demand can be placed: zones, sites and the indexes over them.
struct Places<'a> {
    zones: &'a [Zone],
    sites: &'a [Site],
    zone_ids: HashMap<&'a str, usize>,
    site_ids: SiteLookup<'a>,
    zone_points: PointIndex,
    zone_polygons: PolygonIndex<'a>,
    all_polygons: bool,
    /// Open sites offering each service (lower-cased), as an index.
    by_service: HashMap<String, PointIndex>,
    /// The zones' extent, for the hint of swapped coordinates.
    area: Option<super::area::StudyArea>,
}

impl<'a> Places<'a> {
    fn new(zones: &'a [Zone], sites: &'a [Site], crs: &Crs) -> Self {
        let mut offering: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in sites.iter().enumerate().filter(|(_, s)| !s.candidate) {
            for svc in &s.services {
                offering.entry(svc.to_lowercase()).or_default().push(i);
            }
        }
        let by_service = offering
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    PointIndex::with_indices(v.into_iter().map(|i| (i, sites[i].point))),
                )
            })
            .collect();
        let polys: Vec<_> = zones
            .iter()
            .enumerate()
            .filter_map(|(i, z)| z.polygon.as_ref().map(|p| (i, p)))
            .collect();
        let all_polygons = polys.len() == zones.len();
        Places {
            zones,
            sites,
            zone_ids: zones
                .iter()
                .enumerate()
                .map(|(i, z)| (z.id.as_str(), i))
                .collect(),
            site_ids: SiteLookup::new(sites),
            zone_points: PointIndex::new(zones.iter().map(|z| z.point)),
            zone_polygons: PolygonIndex::new(polys),
            all_polygons,
            by_service,
            area: super::area::StudyArea::of(zones, crs),
        }
    }

    /// The zone a point lies in (or, where zones are points, the nearest zone point).
    fn zone_of(&self, at: Coord<f64>) -> Option<usize> {
        match self.zone_polygons.locate(at) {
            Some(z) => Some(z),
            None if self.all_polygons => None,
            None => self.zone_points.nearest(at).map(|(z, _)| z),
        }
    }

    /// The nearest open site offering a service.
    fn nearest_offering(&self, service: &str, at: Coord<f64>) -> Option<usize> {
        self.by_service
            .get(&service.to_lowercase())
            .and_then(|t| t.nearest(at))
            .map(|(s, _)| s)
    }
}

/// Loads every demand file, places and aggregates the rows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn load_demand(
    dir: &Path,
    inputs: &[DemandInput],
    zones: &[Zone],
    sites: &[Site],
    working: &Crs,
    options: &LoadOptions,
    choice: Option<&Choice>,
    files: &mut Vec<InputFile>,
    report: &mut LoadReport,
) -> Result<Demand> {
    let places = Places::new(zones, sites, working);
    let mut services = ServiceNames::default();
    let mut placed: Vec<Placed> = Vec::new();
    let mut refused: Vec<Problem> = Vec::new();
    let mut file_problems: Vec<Problem> = Vec::new();
    for input in inputs {
        match load_file(dir, input, &places, working, files, &mut services) {
            Ok((rows, skipped, n)) => {
                report.demand_rows += n;
                report.demand_rows_placed += rows.len();
                if n > 0 && rows.is_empty() {
                    // Every row is bad: a mapping mistake, not a few stray records.
                    let mut p: Vec<Problem> =
                        skipped.into_iter().map(|(_, p)| p).take(20).collect();
                    p.insert(0, Problem::file(&dir.join(&input.path), format!("none of the {n} demand rows could be placed; the first problems follow")));
                    file_problems.extend(p);
                    continue;
                }
                for (reason, p) in skipped {
                    match report.demand_skipped.iter_mut().find(|(r, _)| *r == reason) {
                        Some((_, c)) => *c += 1,
                        None => report.demand_skipped.push((reason.to_string(), 1)),
                    }
                    if report.demand_skipped_examples.len() < EXAMPLES {
                        report.demand_skipped_examples.push(p.to_string());
                    }
                    refused.push(p);
                }
                placed.extend(rows);
            }
            Err(mut p) => file_problems.append(&mut p),
        }
    }
    if !file_problems.is_empty() {
        return Err(Error::Input(file_problems));
    }
    if options.strict && !refused.is_empty() {
        return Err(Error::Input(refused));
    }
    if let Some(c) = choice.filter(|c| c.assignment != Assignment::Nearest) {
        placed = choose(placed, &places, &services, c);
    }
    refuse_overflow(&placed, inputs.iter().map(|i| dir.join(&i.path)).collect())?;
    let mut demand = aggregate(&placed, zones.len(), places.sites.len())
        .map_err(|e| Error::Internal(format!("aggregating demand: {e}")))?;
    demand.services = services.names;
    Ok(demand)
}

/// Refuses demand whose counts add up beyond what the exact sums (whole millionths in 64 bits)
/// hold: about 9.2 million million contacts, far beyond any real service.
fn refuse_overflow(placed: &[Placed], files: Vec<PathBuf>) -> Result<()> {
    let total: i128 = placed.iter().map(|p| p.count as i128).sum();
    if total <= i64::MAX as i128 {
        return Ok(());
    }
    Err(Error::Input(
        files
            .iter()
            .map(|f| {
                Problem::field(
                    f,
                    "count",
                    format!(
                        "the demand counts add up to {} contacts, more than the {} frontdoor \
                         can add exactly; check the count column (a unit or a misplaced column?)",
                        crate::text::whole(total as f64 / MICRO),
                        crate::text::whole(i64::MAX as f64 / MICRO)
                    ),
                )
            })
            .collect(),
    ))
}

/// Records whose site was chosen, spread over the open sites offering the service within the
/// largest band by the assignment model (the nearest where none is within it). Counts are split
/// in whole millionths by largest remainder, so every contact is given exactly once.
fn choose(
    placed: Vec<Placed>,
    places: &Places,
    services: &ServiceNames,
    c: &Choice,
) -> Vec<Placed> {
    let radius = c.mode.metres(c.max_minutes) * (1.0 + 1e-9);
    let mut out = Vec::with_capacity(placed.len());
    for p in placed {
        let Some(from) = p.chosen_from else {
            out.push(p);
            continue;
        };
        let service = &services.names[p.service as usize];
        let mut near: Vec<(usize, f64)> = Vec::new();
        if let Some(index) = places.by_service.get(service) {
            index.for_each_within(from, radius, |j, d| near.push((j, c.mode.minutes(d))));
        }
        near.retain(|&(_, t)| t <= c.max_minutes);
        near.sort_by_key(|&(j, _)| j);
        if near.len() < 2 {
            out.push(p);
            continue;
        }
        let candidates: Vec<(f64, Option<f64>)> = near
            .iter()
            .map(|&(j, t)| (t, places.sites[j].capacity))
            .collect();
        let shares = c.assignment.shares(&candidates);
        for ((j, _), count) in near.iter().zip(split(p.count, &shares)) {
            if count != 0 {
                out.push(Placed {
                    site: *j as i64,
                    count,
                    ..p
                });
            }
        }
    }
    out
}

/// `total` split by `shares` (adding up to 1) into whole parts that add up to it exactly:
/// floors, then the largest remainders (the first on a tie) get one more.
fn split(total: i64, shares: &[f64]) -> Vec<i64> {
    let exact: Vec<f64> = shares.iter().map(|s| s * total as f64).collect();
    let mut parts: Vec<i64> = exact.iter().map(|e| e.floor() as i64).collect();
    let mut left = total - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &k in order.iter().cycle() {
        if left <= 0 {
            break;
        }
        parts[k] += 1;
        left -= 1;
    }
    parts
}

/// Service names of the demand records (lower-cased), numbered in the order first met.
#[derive(Default)]
struct ServiceNames {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl ServiceNames {
    fn add(&mut self, name: &str) {
        let key = name.trim().to_lowercase();
        if !self.index.contains_key(&key) {
            self.index.insert(key.clone(), self.names.len() as u32);
            self.names.push(key);
        }
    }

    fn get(&self, name: &str) -> u32 {
        self.index[&name.trim().to_lowercase()]
    }
}

type FileResult = (Vec<Placed>, Vec<(&'static str, Problem)>, usize);

fn load_file(
    dir: &Path,
    input: &DemandInput,
    places: &Places,
    working: &Crs,
    files: &mut Vec<InputFile>,
    services: &mut ServiceNames,
) -> std::result::Result<FileResult, Vec<Problem>> {
    let one = |p: Problem| vec![p];
    let table = open_input(
        dir,
        Source {
            path: &input.path,
            format: input.format,
            layer: input.layer.as_deref(),
        },
        &input.filter,
        "demand",
        files,
    )
    .map_err(one)?;
    let crs = input_crs(&table, input.crs.as_deref()).map_err(one)?;
    let specs = PointSpecs::new(&input.x, &input.y, &input.lon, &input.lat);
    let points = resolve_points(&table, &specs, crs, false).map_err(one)?;
    let to = Transformer::new(points.as_ref().map(|p| &p.crs).unwrap_or(working), working);
    let mut problems = Vec::new();
    let mut get = |field: &str, spec, required| {
        resolve(&table, field, spec, &[field], required).unwrap_or_else(|p| {
            problems.push(p);
            crate::load::fields::Field::absent(field)
        })
    };
    let service = get("service", input.service.as_ref(), true);
    let category = get("category", input.category.as_ref(), true);
    let channel = get("channel", input.channel.as_ref(), true);
    let zone = get("zone", input.zone.as_ref(), false);
    let site = get("site", input.site.as_ref(), false);
    let date = get("date", input.date.as_ref(), false);
    let count = get("count", input.count.as_ref(), false);
    if !problems.is_empty() {
        return Err(problems);
    }
    if points.is_none() && !zone.is_present() && !site.is_present() {
        return Err(one(Problem::field(
            &table.path,
            "location",
            "demand records need a location: a point (lon/lat or x/y), a zone column or a site column",
        )));
    }
    let n = table.len();
    for i in 0..n {
        if let Some(s) = service.get(i) {
            services.add(s);
        }
    }
    let services = &*services;
    let outcomes: Vec<std::result::Result<Placed, (&'static str, Problem)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let svc = service.get(i).ok_or_else(|| ("missing service", service.problem(&table, i, "expected a service name, found an empty cell")))?;
            let cat = category.get(i).and_then(Category::parse).ok_or_else(|| {
                ("unknown category", category.problem(&table, i, format!(
                    "expected one of simple, registered, information, facilitated, advocacy, found \"{}\"",
                    category.get(i).unwrap_or("")
                )))
            })?;
            let chan = channel.get(i).and_then(Channel::parse).ok_or_else(|| {
                ("unknown channel", channel.problem(&table, i, format!(
                    "expected one of face_to_face, phone, digital, post, email, found \"{}\"",
                    channel.get(i).unwrap_or("")
                )))
            })?;
            let c = if count.is_present() {
                count
                    .non_negative(&table, i, "a count of zero or more", MAX_COUNT)
                    .map_err(|p| ("bad count", p))?
                    .ok_or_else(|| ("bad count", count.problem(&table, i, "expected a count of zero or more, found an empty cell")))?
            } else {
                1.0
            };
            if let Some(d) = date.get(i) {
                if !looks_like_date(d) {
                    return Err(("bad date", date.problem(&table, i, format!("expected a date such as 2024-03-31, found \"{d}\""))));
                }
            }
            // Where the contact came from, and where it was served.
            let mut z: Option<usize> = None;
            if let Some(code) = zone.get(i) {
                z = Some(*places.zone_ids.get(code).ok_or_else(|| ("unknown zone id", zone.problem(&table, i, format!("no zone has the id \"{code}\""))))?);
            }
            let mut s: Option<usize> = None;
            if let Some(code) = site.get(i) {
                let k = places.site_ids.find(code).map_err(|e| ("unknown site id", site.problem(&table, i, e.to_string())))?.ix();
                if places.sites[k].candidate {
                    return Err(("candidate site", site.problem(&table, i, format!("site \"{code}\" is a candidate, not open in the baseline"))));
                }
                s = Some(k);
            }
            let mut at: Option<Coord<f64>> = None;
            if let Some(p) = &points {
                if let Some((x, y)) = p.read_working(&table, i, &to).map_err(|p| ("bad coordinates", p))? {
                    at = Some(Coord { x, y });
                    if z.is_none() {
                        z = Some(places.zone_of(Coord { x, y }).ok_or_else(|| {
                            let hint = places.area.as_ref().and_then(|a| a.swap_hint(Coord { x, y }));
                            let message = match hint {
                                Some(h) => format!("the point is outside every zone of the study; {h}"),
                                None => "the point is outside every zone of the study".to_string(),
                            };
                            ("outside every zone", Problem::at(&table.path, table.location(i), "location", message))
                        })?);
                    }
                }
            }
            if z.is_none() {
                if let Some(k) = s {
                    z = places.zone_of(places.sites[k].point).or_else(|| places.zone_points.nearest(places.sites[k].point).map(|(z, _)| z));
                }
            }
            let z = z.ok_or_else(|| ("no location", Problem::at(&table.path, table.location(i), "location", "the row has no point, zone or site")))?;
            let mut chosen_from = None;
            if s.is_none() {
                let from = at.unwrap_or(places.zones[z].point);
                s = places.nearest_offering(svc, from);
                chosen_from = Some(from);
            }
            Ok(Placed {
                zone: z as i64,
                site: s.map(|s| s as i64).unwrap_or(-1),
                service: services.get(svc),
                category: cat.index() as u32,
                channel: chan.index() as u32,
                count: (c * MICRO).round() as i64,
                chosen_from,
            })
        })
        .collect();
    let mut rows = Vec::with_capacity(n);
    let mut skipped = Vec::new();
    for o in outcomes {
        match o {
            Ok(p) => rows.push(p),
            Err(e) => skipped.push(e),
        }
    }
    Ok((rows, skipped, n))
}

/// ISO dates: YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a time.
fn looks_like_date(s: &str) -> bool {
    let d = s.split(['T', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = d.split('-').collect();
    let num = |p: &str, n: usize, lo: u32, hi: u32| {
        p.len() == n && p.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v))
    };
    match parts.as_slice() {
        [y] => num(y, 4, 1000, 9999),
        [y, m] => num(y, 4, 1000, 9999) && num(m, 2, 1, 12),
        [y, m, dd] => num(y, 4, 1000, 9999) && num(m, 2, 1, 12) && num(dd, 2, 1, 31),
        _ => false,
    }
}

/// Sums the placed rows by site and by zone, each by category and channel.
fn aggregate(rows: &[Placed], n_zones: usize, n_sites: usize) -> PolarsResult<Demand> {
    let df = DataFrame::new(
        rows.len(),
        vec![
            Column::new(
                "zone".into(),
                rows.iter().map(|r| r.zone).collect::<Vec<_>>(),
            ),
            Column::new(
                "site".into(),
                rows.iter().map(|r| r.site).collect::<Vec<_>>(),
            ),
            Column::new(
                "service".into(),
                rows.iter().map(|r| r.service).collect::<Vec<_>>(),
            ),
            Column::new(
                "category".into(),
                rows.iter().map(|r| r.category).collect::<Vec<_>>(),
            ),
            Column::new(
                "channel".into(),
                rows.iter().map(|r| r.channel).collect::<Vec<_>>(),
            ),
            Column::new(
                "count".into(),
                rows.iter().map(|r| r.count).collect::<Vec<_>>(),
            ),
        ],
    )?;
    let mut demand = Demand {
        by_site: vec![CategoryChannel::default(); n_sites],
        by_zone: vec![CategoryChannel::default(); n_zones],
        ..Default::default()
    };
    let mut unattributed = 0i64;
    let mut total = 0i64;
    for (key, target) in [("site", 0), ("zone", 1)] {
        let g = df
            .clone()
            .lazy()
            .group_by([col(key), col("category"), col("channel")])
            .agg([col("count").sum()])
            .collect()?;
        let keys = g.column(key)?.i64()?;
        let cats = g.column("category")?.u32()?;
        let chans = g.column("channel")?.u32()?;
        let counts = g.column("count")?.i64()?;
        for i in 0..g.height() {
            let (k, c, h, n) = (
                keys.get(i).unwrap_or(-1),
                cats.get(i).unwrap_or(0) as usize,
                chans.get(i).unwrap_or(0) as usize,
                counts.get(i).unwrap_or(0),
            );
            if target == 0 {
                if k < 0 {
                    unattributed += n;
                } else {
                    demand.by_site[k as usize][c][h] = n as f64 / MICRO;
                }
            } else {
                total += n;
                demand.by_zone[k as usize][c][h] = n as f64 / MICRO;
            }
        }
    }
    // Where each site's contacts came from.
    let g = df
        .lazy()
        .filter(col("site").gt_eq(lit(0)))
        .group_by([
            col("site"),
            col("zone"),
            col("service"),
            col("category"),
            col("channel"),
        ])
        .agg([col("count").sum()])
        .sort(
            ["site", "zone", "service", "category", "channel"],
            Default::default(),
        )
        .collect()?;
    let (sites_col, zones_col) = (g.column("site")?.i64()?, g.column("zone")?.i64()?);
    let services_col = g.column("service")?.u32()?;
    let cats = g.column("category")?.u32()?;
    let chans = g.column("channel")?.u32()?;
    let counts = g.column("count")?.i64()?;
    demand.site_origins = vec![Vec::new(); n_sites];
    for i in 0..g.height() {
        let (Some(s), Some(z), Some(v)) = (sites_col.get(i), zones_col.get(i), services_col.get(i))
        else {
            continue;
        };
        let list = &mut demand.site_origins[s as usize];
        if list.last().map(|o| (o.zone as i64, o.service)) != Some((z, v)) {
            list.push(Origin {
                zone: z as u32,
                service: v,
                contacts: CategoryChannel::default(),
            });
        }
        let (c, h) = (
            cats.get(i).unwrap_or(0) as usize,
            chans.get(i).unwrap_or(0) as usize,
        );
        list.last_mut().expect("pushed").contacts[c][h] = counts.get(i).unwrap_or(0) as f64 / MICRO;
    }
    demand.unattributed = unattributed as f64 / MICRO;
    demand.total = total as f64 / MICRO;
    Ok(demand)
}
