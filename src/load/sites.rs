//! The sites inputs: buildings and street furniture of one or more agencies, each file read
//! and checked, clipped to the zones where asked, with ids unique across every file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use geo::{Coord, Geometry};

use crate::crs::{Crs, Transformer};
use crate::error::{Location, Problem};
use crate::index::{PointIndex, PolygonIndex};
use crate::load::fields::{
    resolve, Field, MAX_CAPACITY, MAX_FLOOR_AREA, MAX_HOURS_A_WEEK, MAX_MONEY,
};
use crate::load::open::{keep, open_rows, table_crs, table_points, Source};
use crate::load::points::{PointColumns, PointSpecs};
use crate::load::settings::{FieldSpec, SitesInput};
use crate::load::table::Table;
use crate::model::{Context, InputFile, LoadReport, Site, Zone};

/// Every sites file read into one list (clipped to the zones where asked); problems of every
/// file, and ids used twice across files, are added to `problems`.
pub(crate) fn load_sites(
    dir: &Path,
    files: &[SitesInput],
    crs: &Crs,
    zones: &[Zone],
    inputs: &mut Vec<InputFile>,
    report: &mut LoadReport,
    problems: &mut Vec<Problem>,
) -> Vec<Site> {
    let mut sites = Vec::new();
    let mut site_origin: Vec<(PathBuf, Location)> = Vec::new();
    let zone_points = PointIndex::new(zones.iter().map(|z| z.point));
    let area = super::area::StudyArea::of(zones, crs);
    for s in files {
        match load_sites_file(dir, s, crs, inputs) {
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
                    // Far from the zones, and among them with longitude and latitude swapped.
                    if let Some(hint) = area
                        .as_ref()
                        .filter(|a| a.distance(site.point) > super::area::FAR_M)
                        .and_then(|a| a.swap_hint(site.point))
                    {
                        problems.push(Problem::at(&origin.0, origin.1.clone(), "lon/lat", hint));
                        continue;
                    }
                    let mut site = site;
                    site.context = (s.assess == Some(false)).then_some(Context::NotAssessed);
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
    mark_outside(&mut sites, zones);
    sites
}

/// Marks as context the sites outside every zone polygon, where every zone has one (beyond the
/// study area: they count for reach, the study cannot decide on them).
fn mark_outside(sites: &mut [Site], zones: &[Zone]) {
    if zones.is_empty() || zones.iter().any(|z| z.polygon.is_none()) {
        return;
    }
    let index = PolygonIndex::new(
        zones
            .iter()
            .enumerate()
            .filter_map(|(i, z)| z.polygon.as_ref().map(|p| (i, p))),
    );
    for s in sites.iter_mut().filter(|s| s.context.is_none()) {
        if index.locate(s.point).is_none() {
            s.context = Some(Context::Outside);
        }
    }
}

type SitesLoaded = (Vec<Site>, Vec<(PathBuf, Location)>);

/// Reads one sites file into sites in the working CRS, with where each came from.
pub(crate) fn load_sites_file(
    dir: &Path,
    input: &SitesInput,
    working: &Crs,
    inputs: &mut Vec<InputFile>,
) -> std::result::Result<SitesLoaded, Vec<Problem>> {
    let one = |p: Problem| vec![p];
    let table = open_rows(
        dir,
        Source {
            path: &input.path,
            format: input.format,
            layer: input.layer.as_deref(),
        },
        &input.filter,
        "sites",
        inputs,
    )
    .map_err(one)?;
    let crs = table_crs(&table, input.crs.as_deref()).map_err(one)?;
    let specs = PointSpecs::new(&input.x, &input.y, &input.lon, &input.lat);
    let (points, point_crs) =
        table_points(&table, &specs, crs, table.geometries.is_none()).map_err(one)?;
    let to = Transformer::new(&point_crs, working);
    let f = SiteFields::resolve(&table, input)?;
    let mut problems = Vec::new();
    let mut sites = Vec::with_capacity(table.len());
    let mut origins = Vec::with_capacity(table.len());
    for i in 0..table.len() {
        if let Some(site) = site_row(&table, i, &f, points.as_ref(), &to, &mut problems) {
            sites.push(site);
            origins.push((table.path.clone(), table.location(i)));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((sites, origins))
}

/// The site fields of a table.
struct SiteFields<'a> {
    id: Field<'a>,
    name: Field<'a>,
    agency: Field<'a>,
    kind: Field<'a>,
    services: Field<'a>,
    annual_cost: Field<'a>,
    capacity: Field<'a>,
    floor_area: Field<'a>,
    opening_hours: Field<'a>,
    tenure: Field<'a>,
    lease_end: Field<'a>,
    condition: Field<'a>,
    fixed: Field<'a>,
    candidate: Field<'a>,
}

impl<'a> SiteFields<'a> {
    fn resolve(table: &'a Table, input: &SitesInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut get = |field: &str, spec: Option<&FieldSpec>, required: bool| {
            resolve(table, field, spec, &[field], required).unwrap_or_else(|p| {
                problems.push(p);
                Field::absent(field)
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
        Ok(SiteFields {
            id,
            name,
            agency,
            kind,
            services,
            annual_cost,
            capacity,
            floor_area,
            opening_hours,
            tenure,
            lease_end,
            condition,
            fixed,
            candidate,
        })
    }
}

/// One row checked into a site in the working CRS, or None with its problems recorded.
fn site_row(
    table: &Table,
    i: usize,
    f: &SiteFields,
    points: Option<&PointColumns>,
    to: &Transformer,
    problems: &mut Vec<Problem>,
) -> Option<Site> {
    let n0 = problems.len();
    let sid = keep(problems, f.id.required_text(table, i, "a site id"));
    let sname = keep(problems, f.name.required_text(table, i, "a site name"));
    let sagency = keep(
        problems,
        f.agency
            .required_text(table, i, "the agency that runs the site"),
    );
    let skind = keep(problems, f.kind.required_text(table, i, "the kind of site"));
    let cost = keep(
        problems,
        f.annual_cost
            .non_negative(table, i, "an annual cost of zero or more", MAX_MONEY),
    )
    .flatten();
    let cap = keep(
        problems,
        f.capacity.non_negative(
            table,
            i,
            "a capacity (visits a year) of zero or more",
            MAX_CAPACITY,
        ),
    )
    .flatten();
    let area = keep(
        problems,
        f.floor_area
            .non_negative(table, i, "a floor area of zero or more", MAX_FLOOR_AREA),
    )
    .flatten();
    let hours = keep(
        problems,
        f.opening_hours.non_negative(
            table,
            i,
            "opening hours a week, zero or more",
            MAX_HOURS_A_WEEK,
        ),
    )
    .flatten();
    let fx = keep(problems, f.fixed.boolean(table, i)).unwrap_or(false);
    let cand = keep(problems, f.candidate.boolean(table, i)).unwrap_or(false);
    let point = match points {
        Some(p) => keep(problems, p.read_working(table, i, to)).flatten(),
        None => match table.geometries.as_ref().and_then(|g| g[i].clone()) {
            Some(Geometry::Point(p)) => keep(
                problems,
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
        return None;
    }
    let (x, y) = point.expect("checked above");
    let list = f
        .services
        .get(i)
        .map(|s| {
            s.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Some(Site {
        id: sid.expect("checked"),
        name: sname.expect("checked"),
        agency: sagency.expect("checked"),
        kind: skind.expect("checked"),
        services: list,
        annual_cost: cost,
        capacity: cap,
        floor_area_m2: area,
        opening_hours: hours,
        tenure: f.tenure.text(i),
        lease_end: f.lease_end.text(i),
        condition: f.condition.text(i),
        fixed: fx,
        candidate: cand,
        context: None,
        point: Coord { x, y },
    })
}
