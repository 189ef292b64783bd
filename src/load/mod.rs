//! Loading a study: the study file, then zones, sites and demand, all checked and brought into one
//! metric working CRS.

pub mod demand;
pub mod fields;
pub mod points;
pub mod settings;
pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use geo::{
    BoundingRect, Centroid, Contains, Coord, Geometry, InteriorPoint, MapCoords, MultiPolygon,
};

use crate::crs::{Crs, Transformer};
use crate::error::{Error, Problem, Result};
use crate::ids::Bands;
use crate::index::PointIndex;
use crate::load::fields::resolve;
use crate::load::points::{input_crs, resolve_points, PointSpecs};
use crate::load::settings::{read_study_file, StageSettings, StudyFile, ZonesInput};
use crate::load::table::{read_table, Table};
use crate::mode::{default_mode_params, Mode, ModeParams};
use crate::model::{InputFile, LoadReport, Site, Study, Zone};

/// Options for loading.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Refuse demand rows that cannot be placed instead of skipping and counting them.
    pub strict: bool,
}

/// Loads and checks a study. Every problem found in the inputs is returned together. The
/// settings of the later stages (`[[access]]`, `[decide]`) are not checked here: see
/// [`load_study_with_settings`].
pub fn load_study(path: &Path, options: &LoadOptions) -> Result<Study> {
    load_study_with_settings(path, options).map(|(study, _)| study)
}

/// Loads and checks a study, and returns with it the settings of the later stages as written,
/// for those stages to resolve.
pub fn load_study_with_settings(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Study, StageSettings)> {
    let (file, text) = read_study_file(path)?;
    let sha256 = crate::fingerprint::sha256(text.as_bytes());
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut problems = Vec::new();
    let mut inputs = Vec::new();
    let mut report = LoadReport::default();

    let settings = check_settings(path, &file, &mut problems);

    // Zones first: they decide the working CRS.
    let zones = load_zones(
        &dir,
        &file.zones,
        file.crs.as_deref(),
        path,
        &mut inputs,
        &mut report,
    );
    let (zones, crs, profile, vulnerable) = match zones {
        Ok(z) => z,
        Err(mut p) => {
            problems.append(&mut p);
            // Still read the other inputs to report their problems too.
            let crs = Crs::wgs84();
            for s in &file.sites {
                if let Err(mut p) = load_sites_file(&dir, s, &crs, &mut inputs) {
                    problems.append(&mut p);
                }
            }
            return Err(Error::Input(problems));
        }
    };

    let mut sites = Vec::new();
    let mut site_origin: Vec<(PathBuf, crate::error::Location)> = Vec::new();
    let zone_points = PointIndex::new(zones.iter().map(|z| z.point));
    for s in &file.sites {
        match load_sites_file(&dir, s, &crs, &mut inputs) {
            Ok((file_sites, origins)) => {
                for (site, origin) in file_sites.into_iter().zip(origins) {
                    if let Some(km) = s.clip_to_zones_km {
                        let near = zone_points
                            .nearest(site.point)
                            .is_some_and(|(_, d)| d <= km * 1000.0);
                        if !near {
                            report.sites_clipped += 1;
                            continue;
                        }
                    }
                    sites.push(site);
                    site_origin.push(origin);
                }
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    // Site ids are unique across every site file.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, s) in sites.iter().enumerate() {
        if let Some(&first) = seen.get(s.id.as_str()) {
            let (f0, l0) = &site_origin[first];
            let (f1, l1) = &site_origin[i];
            problems.push(Problem::at(
                f1,
                l1.clone(),
                "id",
                format!(
                    "duplicate site id \"{}\": already used at {}, {l0}; every site needs its own id",
                    s.id,
                    f0.display()
                ),
            ));
        } else {
            seen.insert(&s.id, i);
        }
    }
    if sites.is_empty() && problems.is_empty() {
        problems.push(Problem::file(
            path,
            "the study has no sites: add a [[sites]] input with rows",
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let mut kinds: Vec<String> = sites.iter().map(|s| s.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();

    let demand = demand::load_demand(
        &dir,
        &file.demand,
        &zones,
        &sites,
        &crs,
        options,
        &mut inputs,
        &mut report,
    )?;

    let (modes, bands) = settings.ok_or_else(|| Error::Input(problems.clone()))?;
    if let Some(n) = file.travel.as_ref().and_then(|t| t.network.as_ref()) {
        if !dir.join(n).is_file() {
            return Err(Error::problem(Problem::field(
                path,
                "travel.network",
                format!(
                    "{}: file not found; the path is relative to the study file",
                    dir.join(n).display()
                ),
            )));
        }
    }
    if let Some(k) = &file.map.kind {
        if !kinds.contains(k) {
            return Err(Error::problem(Problem::field(
                path,
                "map.kind",
                format!(
                    "no site has the kind \"{k}\"; the kinds are: {}",
                    kinds.join(", ")
                ),
            )));
        }
    }
    if let Some(m) = file.map.mode {
        if !modes.iter().any(|p| p.mode == m) {
            return Err(Error::problem(Problem::field(
                path,
                "map.mode",
                format!("{m} is not one of the study's travel modes"),
            )));
        }
    }
    let later = StageSettings {
        access: file.access.clone(),
        decide: file.decide.clone(),
    };
    let study = Study {
        name: file.name.clone(),
        path: path.to_path_buf(),
        sha256,
        crs,
        attribution: file.attribution.clone(),
        zones,
        profile,
        vulnerable,
        sites,
        kinds,
        demand,
        demand_years: file.demand_years.unwrap_or(1.0),
        modes,
        bands,
        per_kind: file.travel.as_ref().is_some_and(|t| t.per_kind),
        network: file
            .travel
            .as_ref()
            .and_then(|t| t.network.as_ref())
            .map(|n| dir.join(n)),
        snap_limit_m: file
            .travel
            .as_ref()
            .and_then(|t| t.snap_limit_m)
            .unwrap_or(1000.0),
        suppress_below: file.privacy.suppress_below.unwrap_or(0),
        map_mode: file.map.mode,
        map_kind: file.map.kind.clone(),
        inputs,
        report,
    };
    Ok((study, later))
}

type Settings = (Vec<ModeParams>, Bands);

/// Checks the travel, privacy and CRS settings of the study file.
fn check_settings(path: &Path, file: &StudyFile, problems: &mut Vec<Problem>) -> Option<Settings> {
    let before = problems.len();
    let travel = file.travel.clone();
    let modes = travel
        .as_ref()
        .and_then(|t| t.modes.clone())
        .unwrap_or_else(|| Mode::ALL.to_vec());
    let bands = travel
        .as_ref()
        .and_then(|t| t.bands.clone())
        .unwrap_or_else(|| vec![10, 20, 30]);
    if modes.is_empty() {
        problems.push(Problem::field(
            path,
            "travel.modes",
            "expected at least one of walk, cycle, drive",
        ));
    }
    let mut sorted = modes.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != modes.len() {
        problems.push(Problem::field(
            path,
            "travel.modes",
            "a mode is listed twice",
        ));
    }
    let checked_bands = Bands::new(bands.clone());
    if checked_bands.is_err() {
        problems.push(Problem::field(
            path,
            "travel.bands",
            format!(
                "expected increasing whole minutes above zero, e.g. [10, 20, 30], found {bands:?}"
            ),
        ));
    }
    if let Some(limit) = travel.as_ref().and_then(|t| t.snap_limit_m) {
        if !(limit >= 0.0 && limit.is_finite()) {
            problems.push(Problem::field(
                path,
                "travel.snap_limit_m",
                format!("expected a distance in metres of zero or more, found {limit}"),
            ));
        }
    }
    let mut params = Vec::new();
    for &m in &modes {
        let mut p = default_mode_params(m);
        let given = travel.as_ref().and_then(|t| match m {
            Mode::Walk => t.walk,
            Mode::Cycle => t.cycle,
            Mode::Drive => t.drive,
        });
        if let Some(g) = given {
            if let Some(s) = g.speed_kmh {
                p.speed_kmh = s;
            }
            if let Some(c) = g.circuity {
                p.circuity = c;
            }
        }
        if !(p.speed_kmh > 0.0 && p.speed_kmh.is_finite()) {
            problems.push(Problem::field(
                path,
                format!("travel.{m}.speed_kmh"),
                format!("expected a speed above zero, found {}", p.speed_kmh),
            ));
        }
        if !(p.circuity >= 1.0 && p.circuity.is_finite()) {
            problems.push(Problem::field(path, format!("travel.{m}.circuity"), format!("expected a factor of at least 1 (route length over straight-line distance), found {}", p.circuity)));
        }
        params.push(p);
    }
    if let Some(y) = file.demand_years {
        if !(y > 0.0 && y.is_finite()) {
            problems.push(Problem::field(
                path,
                "demand_years",
                format!("expected a number of years above zero, found {y}"),
            ));
        }
    }
    if let Some(c) = &file.crs {
        match Crs::parse(c) {
            Ok(crs) if !crs.is_metric() => problems.push(Problem::field(
                path,
                "crs",
                format!("the working CRS must be projected in metres, found {crs}: use e.g. EPSG:27700 or a UTM zone"),
            )),
            Ok(_) => {}
            Err(m) => problems.push(Problem::field(path, "crs", m)),
        }
    }
    match checked_bands {
        Ok(bands) if problems.len() == before => Some((params, bands)),
        _ => None,
    }
}

type ZonesLoaded = (Vec<Zone>, Crs, Vec<String>, Vec<usize>);

struct RawZone {
    id: String,
    name: Option<String>,
    population: f64,
    profile: Vec<f64>,
    point: Option<(f64, f64)>,
    geometry: Option<Geometry<f64>>,
}

fn record(inputs: &mut Vec<InputFile>, role: &'static str, written: &Path, t: &Table) {
    inputs.push(InputFile {
        role,
        path: written.to_path_buf(),
        sha256: t.sha256.clone(),
        bytes: t.bytes,
        rows: t.rows_in_file,
        used: t.len(),
    });
}

fn load_zones(
    dir: &Path,
    input: &ZonesInput,
    working: Option<&str>,
    study_path: &Path,
    inputs: &mut Vec<InputFile>,
    report: &mut LoadReport,
) -> std::result::Result<ZonesLoaded, Vec<Problem>> {
    let one = |p: Problem| vec![p];
    let table = read_table(&dir.join(&input.path), input.format, &input.filter).map_err(one)?;
    record(inputs, "zones", &input.path, &table);
    if table.is_empty() {
        return Err(one(Problem::file(
            &table.path,
            "no zones: the file (after filters) has no rows",
        )));
    }
    let crs = input_crs(&table, input.crs.as_deref()).map_err(one)?;
    let crs = crs.or_else(|| {
        table
            .crs_in_file
            .as_deref()
            .and_then(|c| Crs::parse(c).ok())
    });
    let specs = PointSpecs {
        x: input.x.as_ref(),
        y: input.y.as_ref(),
        lon: input.lon.as_ref(),
        lat: input.lat.as_ref(),
    };
    let has_geometry = table.geometries.is_some();
    let points = resolve_points(
        &table,
        &specs,
        crs.clone(),
        !has_geometry && input.boundaries.is_none(),
    )
    .map_err(one)?;
    let src_crs = points
        .as_ref()
        .map(|p| p.crs.clone())
        .or(crs)
        .unwrap_or_else(Crs::wgs84);
    let mut problems = Vec::new();
    let id = resolve(&table, "id", input.id.as_ref(), &["id"], true);
    let name = resolve(&table, "name", input.name.as_ref(), &["name"], false);
    let population = resolve(
        &table,
        "population",
        input.population.as_ref(),
        &["population"],
        true,
    );
    let mut profile_names: Vec<String> = input.profile.clone();
    for v in &input.vulnerable {
        if !profile_names.contains(v) {
            profile_names.push(v.clone());
        }
    }
    let profile: Vec<_> = profile_names
        .iter()
        .map(|c| {
            resolve(
                &table,
                c,
                Some(&crate::load::settings::FieldSpec::Column(c.clone())),
                &[],
                true,
            )
        })
        .collect();
    let (id, name, population) = match (id, name, population) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (a, b, c) => {
            problems.extend([a.err(), b.err(), c.err()].into_iter().flatten());
            problems.extend(profile.into_iter().filter_map(|p| p.err()));
            return Err(problems);
        }
    };
    let profile: Vec<_> = profile
        .into_iter()
        .filter_map(|p| p.map_err(|e| problems.push(e)).ok())
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut raw = Vec::with_capacity(table.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    for i in 0..table.len() {
        let n0 = problems.len();
        let zid = keep(&mut problems, id.required_text(&table, i, "a zone id"));
        let pop = keep(
            &mut problems,
            population.non_negative(&table, i, "a population of zero or more"),
        );
        let pop = match pop {
            Some(None) => {
                problems.push(population.problem(
                    &table,
                    i,
                    "expected a population of zero or more, found an empty cell",
                ));
                None
            }
            p => p.flatten(),
        };
        let prof: Vec<f64> = profile
            .iter()
            .map(|f| {
                keep(&mut problems, f.number(&table, i, "a number"))
                    .flatten()
                    .unwrap_or(0.0)
            })
            .collect();
        let point = match &points {
            Some(p) => keep(&mut problems, p.read(&table, i)).flatten(),
            None => None,
        };
        let row_ok = problems.len() == n0;
        let geometry = table.geometries.as_ref().and_then(|g| g[i].clone());
        if let (Some(zid), Some(pop)) = (zid, pop) {
            if let Some(&first) = ids.get(&zid) {
                problems.push(id.problem(
                    &table,
                    i,
                    format!(
                        "duplicate zone id \"{zid}\": already used at {}",
                        table.location(first)
                    ),
                ));
                continue;
            }
            if row_ok {
                ids.insert(zid.clone(), i);
                raw.push(RawZone {
                    id: zid,
                    name: name.text(i),
                    population: pop,
                    profile: prof,
                    point,
                    geometry,
                });
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    // Polygons from a separate boundaries file, joined by id.
    let mut boundaries_crs = None;
    if let Some(b) = &input.boundaries {
        let bt = read_table(&dir.join(&b.path), None, &BTreeMap::new()).map_err(one)?;
        record(inputs, "boundaries", &b.path, &bt);
        let geoms = bt.geometries.clone().ok_or_else(|| {
            one(Problem::file(
                &bt.path,
                "boundaries must be a GeoJSON file with polygon geometries",
            ))
        })?;
        let bid = resolve(
            &bt,
            "boundaries.id",
            Some(&crate::load::settings::FieldSpec::Column(b.id.clone())),
            &[],
            true,
        )
        .map_err(one)?;
        let mut by_id: HashMap<String, Geometry<f64>> = HashMap::new();
        for (i, g) in geoms.into_iter().enumerate() {
            if let (Some(k), Some(g)) = (bid.text(i), g) {
                by_id.insert(k, g);
            }
        }
        let mut missing = 0;
        for z in raw.iter_mut() {
            match by_id.remove(&z.id) {
                Some(g) => z.geometry = Some(g),
                None => missing += 1,
            }
        }
        if missing > 0 {
            report.warnings.push(format!(
                "{}: {missing} of {} zones have no polygon in the boundaries file",
                bt.path.display(),
                raw.len()
            ));
        }
        let c = b
            .crs
            .as_deref()
            .or(bt.crs_in_file.as_deref())
            .unwrap_or("EPSG:4326");
        boundaries_crs = Some(Crs::parse(c).map_err(|m| one(Problem::field(&bt.path, "crs", m)))?);
    }
    let geometry_crs = boundaries_crs.unwrap_or_else(|| src_crs.clone());

    // The working CRS: the study's, else BNG within Great Britain, else the local UTM zone.
    let working = match working {
        Some(c) => Crs::parse(c).map_err(|m| one(Problem::field(study_path, "crs", m)))?,
        None => {
            let mut lonlat = Vec::new();
            for z in &raw {
                if let Some((x, y)) = z.point {
                    lonlat.push(src_crs.to_lonlat(x, y));
                } else if let Some(r) = z.geometry.as_ref().and_then(|g| g.bounding_rect()) {
                    lonlat.push(geometry_crs.to_lonlat(r.center().x, r.center().y));
                }
            }
            let pts: Vec<(f64, f64)> = lonlat.into_iter().filter_map(|r| r.ok()).collect();
            if pts.is_empty() {
                return Err(one(Problem::file(
                    &table.path,
                    "no zone has a location (point or polygon)",
                )));
            }
            let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
            for (x, y) in &pts {
                lo = (lo.0.min(*x), lo.1.min(*y));
                hi = (hi.0.max(*x), hi.1.max(*y));
            }
            if Crs::gb_covers(lo.0, lo.1, hi.0, hi.1) {
                Crs::bng()
            } else {
                Crs::utm_for((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0)
            }
        }
    };
    let to_point = Transformer::new(&src_crs, &working);
    let to_geom = Transformer::new(&geometry_crs, &working);
    let mut zones = Vec::with_capacity(raw.len());
    for (i, z) in raw.into_iter().enumerate() {
        let polygon = match z.geometry {
            Some(Geometry::Polygon(p)) => Some(MultiPolygon(vec![p])),
            Some(Geometry::MultiPolygon(m)) => Some(m),
            _ => None,
        };
        let polygon = match polygon.map(|m| project_polygon(&m, &to_geom)).transpose() {
            Ok(p) => p,
            Err(m) => {
                problems.push(Problem::at(&table.path, table.location(i), "geometry", m));
                continue;
            }
        };
        let point = match z.point {
            Some((x, y)) => match to_point.apply(x, y) {
                Ok((x, y)) => Coord { x, y },
                Err(m) => {
                    problems.push(Problem::at(&table.path, table.location(i), "location", m));
                    continue;
                }
            },
            None => {
                let from_geom = match &table.geometries.as_ref().and_then(|g| g[i].clone()) {
                    Some(Geometry::Point(p)) => to_point
                        .apply(p.x(), p.y())
                        .ok()
                        .map(|(x, y)| Coord { x, y }),
                    _ => None,
                };
                match from_geom.or_else(|| polygon.as_ref().and_then(representative_point)) {
                    Some(c) => c,
                    None => {
                        problems.push(Problem::at(
                            &table.path,
                            table.location(i),
                            "location",
                            "the zone has neither a point nor a polygon",
                        ));
                        continue;
                    }
                }
            }
        };
        zones.push(Zone {
            id: z.id,
            name: z.name,
            population: z.population,
            profile: z.profile,
            point,
            polygon,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let vulnerable = input
        .vulnerable
        .iter()
        .map(|v| {
            profile_names
                .iter()
                .position(|p| p == v)
                .expect("vulnerable columns are in the profile")
        })
        .collect();
    Ok((zones, working, profile_names, vulnerable))
}

/// The value of a check, or None with its problem recorded.
fn keep<T>(problems: &mut Vec<Problem>, r: std::result::Result<T, Problem>) -> Option<T> {
    r.map_err(|p| problems.push(p)).ok()
}

fn project_polygon(
    m: &MultiPolygon<f64>,
    t: &Transformer,
) -> std::result::Result<MultiPolygon<f64>, String> {
    m.try_map_coords(|c| t.apply(c.x, c.y).map(|(x, y)| Coord { x, y }))
}

/// The centroid of a polygon where it lies inside, else a point surely inside.
pub fn representative_point(m: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    let c = m.centroid()?;
    if m.contains(&c) {
        Some(c.0)
    } else {
        m.interior_point().map(|p| p.0)
    }
}

type SitesLoaded = (Vec<Site>, Vec<(PathBuf, crate::error::Location)>);

fn load_sites_file(
    dir: &Path,
    input: &crate::load::settings::SitesInput,
    working: &Crs,
    inputs: &mut Vec<InputFile>,
) -> std::result::Result<SitesLoaded, Vec<Problem>> {
    let one = |p: Problem| vec![p];
    let table = read_table(&dir.join(&input.path), input.format, &input.filter).map_err(one)?;
    record(inputs, "sites", &input.path, &table);
    if table.is_empty() {
        return Err(one(Problem::file(
            &table.path,
            "no sites: the file (after filters) has no rows",
        )));
    }
    let crs = input_crs(&table, input.crs.as_deref()).map_err(one)?;
    let crs = crs.or_else(|| {
        table
            .crs_in_file
            .as_deref()
            .and_then(|c| Crs::parse(c).ok())
    });
    let specs = PointSpecs {
        x: input.x.as_ref(),
        y: input.y.as_ref(),
        lon: input.lon.as_ref(),
        lat: input.lat.as_ref(),
    };
    let points =
        resolve_points(&table, &specs, crs.clone(), table.geometries.is_none()).map_err(one)?;
    let point_crs = points
        .as_ref()
        .map(|p| p.crs.clone())
        .or(crs)
        .unwrap_or_else(Crs::wgs84);
    let to = Transformer::new(&point_crs, working);
    let mut problems = Vec::new();
    let mut get = |field: &str, spec: Option<&crate::load::settings::FieldSpec>, required: bool| {
        resolve(&table, field, spec, &[field], required).unwrap_or_else(|p| {
            problems.push(p);
            fields::Field::absent(field)
        })
    };
    let id = get("id", input.id.as_ref(), true);
    let name = get("name", input.name.as_ref(), true);
    let agency = get("agency", input.agency.as_ref(), true);
    let kind = get("kind", input.kind.as_ref(), true);
    let services = get("services", input.services.as_ref(), false);
    let annual_cost = get("annual_cost", input.annual_cost.as_ref(), false);
    let capacity = get("capacity", input.capacity.as_ref(), false);
    let floor_area = get("floor_area_m2", input.floor_area_m2.as_ref(), false);
    let opening_hours = get("opening_hours", input.opening_hours.as_ref(), false);
    let tenure = get("tenure", input.tenure.as_ref(), false);
    let lease_end = get("lease_end", input.lease_end.as_ref(), false);
    let condition = get("condition", input.condition.as_ref(), false);
    let fixed = get("fixed", input.fixed.as_ref(), false);
    let candidate = get("candidate", input.candidate.as_ref(), false);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut sites = Vec::with_capacity(table.len());
    let mut origins = Vec::with_capacity(table.len());
    for i in 0..table.len() {
        let n0 = problems.len();
        let sid = keep(&mut problems, id.required_text(&table, i, "a site id"));
        let sname = keep(&mut problems, name.required_text(&table, i, "a site name"));
        let sagency = keep(
            &mut problems,
            agency.required_text(&table, i, "the agency that runs the site"),
        );
        let skind = keep(
            &mut problems,
            kind.required_text(&table, i, "the kind of site"),
        );
        let cost = keep(
            &mut problems,
            annual_cost.non_negative(&table, i, "an annual cost of zero or more"),
        )
        .flatten();
        let cap = keep(
            &mut problems,
            capacity.non_negative(&table, i, "a capacity (visits a year) of zero or more"),
        )
        .flatten();
        let area = keep(
            &mut problems,
            floor_area.non_negative(&table, i, "a floor area of zero or more"),
        )
        .flatten();
        let hours = keep(
            &mut problems,
            opening_hours.non_negative(&table, i, "opening hours a week, zero or more"),
        )
        .flatten();
        let fx = keep(&mut problems, fixed.boolean(&table, i)).unwrap_or(false);
        let cand = keep(&mut problems, candidate.boolean(&table, i)).unwrap_or(false);
        let point = match &points {
            Some(p) => keep(&mut problems, p.read_working(&table, i, &to)).flatten(),
            None => match table.geometries.as_ref().and_then(|g| g[i].clone()) {
                Some(Geometry::Point(p)) => keep(
                    &mut problems,
                    to.apply(p.x(), p.y())
                        .map_err(|m| Problem::at(&table.path, table.location(i), "geometry", m)),
                ),
                _ => {
                    problems.push(Problem::at(
                        &table.path,
                        table.location(i),
                        "geometry",
                        "expected a Point geometry for the site",
                    ));
                    None
                }
            },
        };
        if point.is_none() && problems.len() == n0 {
            problems.push(Problem::at(
                &table.path,
                table.location(i),
                "location",
                "the site has no coordinates",
            ));
        }
        if problems.len() > n0 {
            continue;
        }
        let (x, y) = point.expect("checked above");
        let list = services
            .get(i)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        sites.push(Site {
            id: sid.expect("checked"),
            name: sname.expect("checked"),
            agency: sagency.expect("checked"),
            kind: skind.expect("checked"),
            services: list,
            annual_cost: cost,
            capacity: cap,
            floor_area_m2: area,
            opening_hours: hours,
            tenure: tenure.text(i),
            lease_end: lease_end.text(i),
            condition: condition.text(i),
            fixed: fx,
            candidate: cand,
            point: Coord { x, y },
        });
        origins.push((table.path.clone(), table.location(i)));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((sites, origins))
}
