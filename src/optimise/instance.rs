//! A location-allocation instance: demand points, candidate sites, a sparse cost table; from a
//! study's travel times or from a user's cost and demand tables.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::load::table::read_table;
use crate::model::{SiteLookup, Study};
use crate::reach::Reach;

/// Demand points, candidate sites and the costs between them.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Demand point ids.
    pub demand_ids: Vec<String>,
    /// Demand weights (population, a profile column, face-to-face contacts, or a column).
    pub weights: Vec<f64>,
    /// Candidate site ids.
    pub site_ids: Vec<String>,
    /// Per demand point: `(site, cost)` for every reachable site, sorted by cost then site.
    pub costs: Vec<Vec<(u32, f64)>>,
    /// Sites that must be chosen.
    pub fixed: Vec<bool>,
    /// Sites that may not be chosen.
    pub forbidden: Vec<bool>,
    /// Site capacities (for the capacitated p-median).
    pub capacity: Option<Vec<f64>>,
    /// For instances from a study: the study index of each candidate site.
    pub study_sites: Vec<usize>,
    /// For instances from a study: the study index of each demand point (zone).
    pub study_zones: Vec<usize>,
    /// Zones left out: not joined to the network, so no site can be reached from them.
    pub left_out: Vec<String>,
}

impl Instance {
    /// Sorts every demand point's costs (by cost, then site index).
    pub fn sort(&mut self) {
        for row in &mut self.costs {
            row.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        }
    }

    /// An instance of ids `d0.., s0..` from weights, per-demand `(site, cost)` rows and `m`
    /// sites, none fixed or forbidden (for tests and benches).
    pub fn bare(weights: Vec<f64>, costs: Vec<Vec<(u32, f64)>>, m: usize) -> Instance {
        Instance {
            demand_ids: (0..weights.len()).map(|i| format!("d{i}")).collect(),
            weights,
            site_ids: (0..m).map(|j| format!("s{j}")).collect(),
            costs,
            fixed: vec![false; m],
            forbidden: vec![false; m],
            capacity: None,
            study_sites: vec![],
            study_zones: vec![],
            left_out: vec![],
        }
    }

    /// The largest cost in the table (0 when empty).
    pub fn max_cost(&self) -> f64 {
        self.costs
            .iter()
            .flatten()
            .map(|&(_, c)| c)
            .fold(0.0, f64::max)
    }
}

/// Which demand weight a study instance uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weight {
    /// Zone population.
    Population,
    /// A profile column, by index.
    Profile(usize),
    /// Face-to-face contacts a year from the zone.
    FaceToFace,
}

impl Weight {
    /// Parses `population`, `face_to_face` or a profile column name.
    pub fn parse(study: &Study, text: &str) -> std::result::Result<Weight, String> {
        match text {
            "population" => Ok(Weight::Population),
            "face_to_face" => Ok(Weight::FaceToFace),
            other => study
                .profile
                .iter()
                .position(|p| p == other)
                .map(Weight::Profile)
                .ok_or_else(|| {
                    format!(
                        "expected population, face_to_face or a profile column ({}), found \"{other}\"",
                        study.profile.join(", ")
                    )
                }),
        }
    }
}

/// An instance from a study: its zones as demand, the sites `keep` says as candidates, and the
/// travel times of one mode between every pair: straight-line, or on the network (an unbounded
/// search from each candidate; pairs the network does not join are unreachable). `fixed` sites
/// of the study must be chosen; `forbid` lists site ids that may not be.
pub fn from_study(
    study: &Study,
    reach: &Reach,
    network: Option<&crate::network::Network>,
    mode: usize,
    weight: &Weight,
    keep: &dyn Fn(usize) -> bool,
    forbid: &[String],
) -> Result<Instance> {
    let sites: Vec<usize> = (0..study.sites.len()).filter(|&j| keep(j)).collect();
    if sites.is_empty() {
        return Err(Error::Usage(
            "no site is a candidate: check --kind or --service".into(),
        ));
    }
    let times = &reach.modes[mode].times;
    let p = &reach.modes[mode].params;
    let costs: Vec<Vec<(u32, f64)>> = match times.basis {
        crate::reach::TimeBasis::StraightLine => study
            .zones
            .iter()
            .map(|z| {
                sites
                    .iter()
                    .enumerate()
                    .map(|(k, &j)| {
                        let s = study.sites[j].point;
                        (
                            k as u32,
                            p.minutes((z.point.x - s.x).hypot(z.point.y - s.y)),
                        )
                    })
                    .collect()
            })
            .collect(),
        crate::reach::TimeBasis::Matrix => {
            let matrix = study
                .travel_matrix
                .as_ref()
                .ok_or_else(|| Error::Internal("matrix travel times without the matrix".into()))?;
            let column: std::collections::HashMap<usize, u32> = sites
                .iter()
                .enumerate()
                .map(|(k, &j)| (j, k as u32))
                .collect();
            let mut rows = vec![Vec::new(); study.zones.len()];
            for &(s, z, min) in &matrix.by_mode[mode] {
                if let Some(&k) = column.get(&(s as usize)) {
                    rows[z as usize].push((k, min));
                }
            }
            rows
        }
        crate::reach::TimeBasis::Network | crate::reach::TimeBasis::PublicTransport => {
            let net = network.ok_or_else(|| {
                Error::Internal("network travel times without the network".into())
            })?;
            let by_site = crate::network::times::times_to_sites(
                study,
                &net.modes[mode],
                crate::network::walk_kmh(study),
                &sites,
                crate::network::route::UNREACHED - 1,
                &|_| {},
            );
            let mut rows = vec![Vec::new(); study.zones.len()];
            for (k, list) in by_site.iter().enumerate() {
                for &(z, m) in list {
                    rows[z as usize].push((k as u32, m));
                }
            }
            rows
        }
    };
    let weights: Vec<f64> = study
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| match weight {
            Weight::Population => z.population,
            Weight::Profile(c) => z.profile[*c],
            Weight::FaceToFace => {
                let f2f = crate::model::Channel::FaceToFace.index();
                crate::num::sum(study.demand.by_zone[i].iter().map(|r| r[f2f])) / study.demand_years
            }
        })
        .collect();
    let mut forbidden = vec![false; sites.len()];
    let mut problems = Vec::new();
    let lookup = SiteLookup::new(&study.sites);
    for id in forbid {
        let site = lookup
            .find(id)
            .map_err(|e| e.problem(&study.path, "--forbid"));
        match site.map(|j| sites.iter().position(|&k| k == j.ix())) {
            Ok(Some(k)) => forbidden[k] = true,
            Ok(None) => problems.push(Problem::field(
                &study.path,
                "--forbid",
                format!("\"{id}\" is not one of the candidate sites"),
            )),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    // Zones the network does not join reach nothing: they are left out, and said.
    let joined: Vec<bool> = match (times.basis, network) {
        (crate::reach::TimeBasis::Network, Some(net)) => net.modes[mode]
            .zone_snaps
            .iter()
            .map(Option::is_some)
            .collect(),
        _ => vec![true; study.zones.len()],
    };
    let zones: Vec<usize> = (0..study.zones.len()).filter(|&z| joined[z]).collect();
    let left_out = (0..study.zones.len())
        .filter(|&z| !joined[z])
        .map(|z| study.zones[z].id.clone())
        .collect();
    let weights: Vec<f64> = zones.iter().map(|&z| weights[z]).collect();
    let mut costs = costs;
    let costs: Vec<Vec<(u32, f64)>> = zones
        .iter()
        .map(|&z| std::mem::take(&mut costs[z]))
        .collect();
    let mut inst = Instance {
        demand_ids: zones.iter().map(|&z| study.zones[z].id.clone()).collect(),
        weights,
        site_ids: sites.iter().map(|&j| study.sites[j].id.clone()).collect(),
        costs,
        fixed: sites.iter().map(|&j| study.sites[j].fixed).collect(),
        forbidden,
        capacity: sites
            .iter()
            .map(|&j| study.sites[j].capacity)
            .collect::<Option<Vec<f64>>>(),
        study_sites: sites,
        study_zones: zones,
        left_out,
    };
    inst.sort();
    Ok(inst)
}

/// Column names of the user's tables.
#[derive(Debug, Clone)]
pub struct TableColumns {
    /// Demand id column of the demand table.
    pub demand_id: String,
    /// Demand id column of the cost table.
    pub costs_demand_id: String,
    /// Site id column of the cost table.
    pub site_id: String,
    /// Cost column.
    pub cost: String,
    /// Weight column of the demand table.
    pub weight: String,
}

impl Default for TableColumns {
    fn default() -> Self {
        TableColumns {
            demand_id: "demand_id".into(),
            costs_demand_id: "demand_id".into(),
            site_id: "site_id".into(),
            cost: "cost".into(),
            weight: "weight".into(),
        }
    }
}

/// An instance from a long cost table (`demand_id, site_id, cost`; CSV or Parquet) and a
/// demand table (`demand_id, weight`). Pairs absent from the cost table are unreachable.
/// Sites are those named in the cost table, in order of first appearance; demand points those
/// of the demand table, in its order.
pub fn from_tables(costs_path: &Path, demand_path: &Path, cols: &TableColumns) -> Result<Instance> {
    let no_filter = Default::default();
    let demand = read_table(demand_path, None, None, &no_filter).map_err(Error::problem)?;
    let costs = read_table(costs_path, None, None, &no_filter).map_err(Error::problem)?;
    let mut problems = Vec::new();
    let column = |t: &crate::load::table::Table, name: &str, problems: &mut Vec<Problem>| {
        let c = t.find_column(name).map(|c| {
            t.strings(c)
                .into_iter()
                .map(|v| v.unwrap_or_default().to_string())
                .collect::<Vec<String>>()
        });
        if c.is_none() {
            problems.push(Problem::field(
                &t.path,
                name,
                format!(
                    "no column \"{name}\"; the columns are: {} (choose others with --demand-id, --site-id, --cost-column, --weight-column)",
                    t.columns.join(", ")
                ),
            ));
        }
        c
    };
    let d_id = column(&demand, &cols.demand_id, &mut problems);
    let d_w = column(&demand, &cols.weight, &mut problems);
    let c_d = column(&costs, &cols.costs_demand_id, &mut problems);
    let c_s = column(&costs, &cols.site_id, &mut problems);
    let c_c = column(&costs, &cols.cost, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let (d_id, d_w, c_d, c_s, c_c) = (
        d_id.unwrap(),
        d_w.unwrap(),
        c_d.unwrap(),
        c_s.unwrap(),
        c_c.unwrap(),
    );
    let mut demand_ids = Vec::new();
    let mut weights = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in 0..demand.len() {
        let id = d_id[r].clone();
        let w = &d_w[r];
        if id.is_empty() {
            problems.push(Problem::at(
                &demand.path,
                demand.location(r),
                &cols.demand_id,
                "expected a demand id, found an empty cell",
            ));
            continue;
        }
        match w.trim().parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => {
                if index.insert(id.clone(), demand_ids.len()).is_some() {
                    problems.push(Problem::at(
                        &demand.path,
                        demand.location(r),
                        &cols.demand_id,
                        format!("duplicate demand id \"{id}\""),
                    ));
                }
                demand_ids.push(id);
                weights.push(v);
            }
            _ => problems.push(Problem::at(
                &demand.path,
                demand.location(r),
                &cols.weight,
                format!("expected a weight of zero or more, found \"{w}\""),
            )),
        }
    }
    let mut site_ids: Vec<String> = Vec::new();
    let mut site_index: HashMap<String, u32> = HashMap::new();
    let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); demand_ids.len()];
    for r in 0..costs.len() {
        let (d, s, c) = (&c_d[r], c_s[r].clone(), &c_c[r]);
        let Some(&i) = index.get(d) else {
            problems.push(Problem::at(
                &costs.path,
                costs.location(r),
                &cols.costs_demand_id,
                format!("\"{d}\" is not a demand id of {}", demand.path.display()),
            ));
            continue;
        };
        if s.is_empty() {
            problems.push(Problem::at(
                &costs.path,
                costs.location(r),
                &cols.site_id,
                "expected a site id, found an empty cell",
            ));
            continue;
        }
        let cost = match c.trim().parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => v,
            _ => {
                problems.push(Problem::at(
                    &costs.path,
                    costs.location(r),
                    &cols.cost,
                    format!("expected a cost of zero or more, found \"{c}\""),
                ));
                continue;
            }
        };
        let next = site_ids.len() as u32;
        let k = *site_index.entry(s.clone()).or_insert_with(|| {
            site_ids.push(s.clone());
            next
        });
        if rows[i].iter().any(|&(j, _)| j == k) {
            problems.push(Problem::at(
                &costs.path,
                costs.location(r),
                &cols.site_id,
                format!("the pair {d}, {s} is given twice"),
            ));
            continue;
        }
        rows[i].push((k, cost));
        if problems.len() > 50 {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    if site_ids.is_empty() {
        return Err(Error::problem(Problem::file(
            &costs.path,
            "the cost table has no rows",
        )));
    }
    let m = site_ids.len();
    let mut inst = Instance {
        demand_ids,
        weights,
        site_ids,
        costs: rows,
        fixed: vec![false; m],
        forbidden: vec![false; m],
        capacity: None,
        study_sites: Vec::new(),
        study_zones: Vec::new(),
        left_out: Vec::new(),
    };
    inst.sort();
    Ok(inst)
}
