//! The zones input: small areas with population and profile, points and polygons (in the file
//! or joined from a boundaries file); the zones decide the working CRS.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use geo::{
    BoundingRect, Centroid, Contains, Coord, Geometry, InteriorPoint, MapCoords, MultiPolygon,
};

use crate::crs::{Crs, Transformer};
use crate::error::Problem;
use crate::load::fields::{resolve, Field, MAX_POPULATION};
use crate::load::open::{keep, open_rows, record, table_crs, table_points, Source};
use crate::load::points::{PointColumns, PointSpecs};
use crate::load::settings::{FieldSpec, ZonesInput};
use crate::load::table::{read_table, Table};
use crate::model::{InputFile, LoadReport, Zone};

/// The zones, the working CRS, the profile columns and the vulnerable groups among them.
pub(crate) type ZonesLoaded = (Vec<Zone>, Crs, Vec<String>, Vec<usize>);

type Problems = Vec<Problem>;

/// A zone as read, before projection.
struct RawZone {
    id: String,
    name: Option<String>,
    population: f64,
    profile: Vec<f64>,
    point: Option<(f64, f64)>,
    geometry: Option<Geometry<f64>>,
}

/// Loads the zones; `working` is the study's CRS setting, if any.
pub(crate) fn load_zones(
    dir: &Path,
    input: &ZonesInput,
    working: Option<&str>,
    study_path: &Path,
    inputs: &mut Vec<InputFile>,
    report: &mut LoadReport,
) -> Result<ZonesLoaded, Problems> {
    let one = |p: Problem| vec![p];
    let table = open_zones(dir, input, inputs).map_err(one)?;
    let crs = table_crs(&table, input.crs.as_deref()).map_err(one)?;
    let specs = PointSpecs::new(&input.x, &input.y, &input.lon, &input.lat);
    let required = table.geometries.is_none() && input.boundaries.is_none();
    let (points, src_crs) = table_points(&table, &specs, crs, required).map_err(one)?;
    let fields = ZoneFields::resolve(&table, input)?;
    let mut raw = raw_zones(&table, &fields, points.as_ref())?;
    let boundaries_crs = join_boundaries(dir, input, &mut raw, inputs, report)?;
    let geometry_crs = boundaries_crs.unwrap_or_else(|| src_crs.clone());
    let working = match working {
        Some(c) => Crs::parse(c).map_err(|m| one(Problem::field(study_path, "crs", m)))?,
        None => working_crs_for(&table, &raw, &src_crs, &geometry_crs)?,
    };
    let zones = project(&table, raw, &src_crs, &geometry_crs, &working)?;
    let vulnerable = input
        .vulnerable
        .iter()
        .map(|v| {
            fields
                .profile_names
                .iter()
                .position(|p| p == v)
                .expect("vulnerable columns are in the profile")
        })
        .collect();
    Ok((zones, working, fields.profile_names, vulnerable))
}

/// The zones input read (filtered) and recorded among the run's inputs.
pub(crate) fn open_zones(
    dir: &Path,
    input: &ZonesInput,
    inputs: &mut Vec<InputFile>,
) -> Result<Table, Problem> {
    open_rows(
        dir,
        Source {
            path: &input.path,
            format: input.format,
            layer: input.layer.as_deref(),
        },
        &input.filter,
        "zones",
        inputs,
    )
}

/// The zone fields of the table.
struct ZoneFields<'a> {
    id: Field<'a>,
    name: Field<'a>,
    population: Field<'a>,
    /// The profile columns, then the vulnerable ones not among them.
    profile_names: Vec<String>,
    profile: Vec<Field<'a>>,
}

impl<'a> ZoneFields<'a> {
    fn resolve(table: &'a Table, input: &ZonesInput) -> Result<Self, Problems> {
        let mut problems = Vec::new();
        let id = resolve(table, "id", input.id.as_ref(), &["id"], true);
        let name = resolve(table, "name", input.name.as_ref(), &["name"], false);
        let population = resolve(
            table,
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
            .map(|c| resolve(table, c, Some(&FieldSpec::Column(c.clone())), &[], true))
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
        Ok(ZoneFields {
            id,
            name,
            population,
            profile_names,
            profile,
        })
    }
}

/// Every row checked (id, population, profile, point; ids unique) into a zone as read.
fn raw_zones(
    table: &Table,
    f: &ZoneFields,
    points: Option<&PointColumns>,
) -> Result<Vec<RawZone>, Problems> {
    let mut problems = Vec::new();
    let mut raw = Vec::with_capacity(table.len());
    let mut ids: HashMap<String, usize> = HashMap::new();
    for i in 0..table.len() {
        let n0 = problems.len();
        let zid = keep(&mut problems, f.id.required_text(table, i, "a zone id"));
        let pop = keep(
            &mut problems,
            f.population
                .non_negative(table, i, "a population of zero or more", MAX_POPULATION),
        );
        let pop = match pop {
            Some(None) => {
                problems.push(f.population.problem(
                    table,
                    i,
                    "expected a population of zero or more, found an empty cell",
                ));
                None
            }
            p => p.flatten(),
        };
        let prof: Vec<f64> = f
            .profile
            .iter()
            .map(|c| {
                keep(&mut problems, c.number(table, i, "a number"))
                    .flatten()
                    .unwrap_or(0.0)
            })
            .collect();
        let point = match points {
            Some(p) => keep(&mut problems, p.read(table, i)).flatten(),
            None => None,
        };
        let row_ok = problems.len() == n0;
        let geometry = table.geometries.as_ref().and_then(|g| g[i].clone());
        if let (Some(zid), Some(pop)) = (zid, pop) {
            if let Some(&first) = ids.get(&zid) {
                problems.push(f.id.problem(
                    table,
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
                    name: f.name.text(i),
                    population: pop,
                    profile: prof,
                    point,
                    geometry,
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(raw)
    } else {
        Err(problems)
    }
}

/// Polygons from a separate boundaries file, joined by id; returns the file's CRS.
fn join_boundaries(
    dir: &Path,
    input: &ZonesInput,
    raw: &mut [RawZone],
    inputs: &mut Vec<InputFile>,
    report: &mut LoadReport,
) -> Result<Option<Crs>, Problems> {
    let one = |p: Problem| vec![p];
    let Some(b) = &input.boundaries else {
        return Ok(None);
    };
    let bt = read_table(&dir.join(&b.path), None, None, &BTreeMap::new()).map_err(one)?;
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
        Some(&FieldSpec::Column(b.id.clone())),
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
    Crs::parse(c)
        .map(Some)
        .map_err(|m| one(Problem::field(&bt.path, "crs", m)))
}

/// The working CRS when the study sets none: BNG within Great Britain, else the local UTM zone.
fn working_crs_for(
    table: &Table,
    raw: &[RawZone],
    src_crs: &Crs,
    geometry_crs: &Crs,
) -> Result<Crs, Problems> {
    let mut lonlat = Vec::new();
    for z in raw {
        if let Some((x, y)) = z.point {
            lonlat.push(src_crs.to_lonlat(x, y));
        } else if let Some(r) = z.geometry.as_ref().and_then(|g| g.bounding_rect()) {
            lonlat.push(geometry_crs.to_lonlat(r.center().x, r.center().y));
        }
    }
    let pts: Vec<(f64, f64)> = lonlat.into_iter().filter_map(|r| r.ok()).collect();
    if pts.is_empty() {
        return Err(vec![Problem::file(
            &table.path,
            "no zone has a location (point or polygon)",
        )]);
    }
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for (x, y) in &pts {
        lo = (lo.0.min(*x), lo.1.min(*y));
        hi = (hi.0.max(*x), hi.1.max(*y));
    }
    Ok(if Crs::gb_covers(lo.0, lo.1, hi.0, hi.1) {
        Crs::bng()
    } else {
        Crs::utm_for((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0)
    })
}

/// The zones in the working CRS: polygons projected, points projected or else taken from a
/// point geometry or inside the polygon.
fn project(
    table: &Table,
    raw: Vec<RawZone>,
    src_crs: &Crs,
    geometry_crs: &Crs,
    working: &Crs,
) -> Result<Vec<Zone>, Problems> {
    let to_point = Transformer::new(src_crs, working);
    let to_geom = Transformer::new(geometry_crs, working);
    let mut problems = Vec::new();
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
            None => match point_of(table, i, &to_point, polygon.as_ref()) {
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
            },
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
    if problems.is_empty() {
        Ok(zones)
    } else {
        Err(problems)
    }
}

/// A zone without coordinates: its point geometry, else a point inside its polygon.
fn point_of(
    table: &Table,
    i: usize,
    to_point: &Transformer,
    polygon: Option<&MultiPolygon<f64>>,
) -> Option<Coord<f64>> {
    let from_geom = match &table.geometries.as_ref().and_then(|g| g[i].clone()) {
        Some(Geometry::Point(p)) => to_point
            .apply(p.x(), p.y())
            .ok()
            .map(|(x, y)| Coord { x, y }),
        _ => None,
    };
    from_geom.or_else(|| polygon.and_then(representative_point))
}

fn project_polygon(m: &MultiPolygon<f64>, t: &Transformer) -> Result<MultiPolygon<f64>, String> {
    m.try_map_coords(|c| t.apply(c.x, c.y).map(|(x, y)| Coord { x, y }))
}

/// The centroid of a polygon where it lies inside, else a point surely inside.
fn representative_point(m: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    let c = m.centroid()?;
    if m.contains(&c) {
        Some(c.0)
    } else {
        m.interior_point().map(|p| p.0)
    }
}
