//! Optimiser outputs: the table of chosen sites and assigned zones, the JSON summary, the map.

use plotters::style::RGBColor;
use serde_json::{json, Map, Value};

use crate::model::Study;
use crate::optimise::{Instance, Solution};
use crate::reach::TimeBasis;
use crate::render::map::{basis_note, Shading};
use crate::render::tables::{Cell, OutTable};

/// One row per candidate site (`record = site`: chosen, fixed, load, demand points served)
/// and one per demand point (`record = zone`: assigned site and its cost).
pub fn table(inst: &Instance, sol: &Solution) -> OutTable {
    let mut t = OutTable {
        columns: [
            "record",
            "id",
            "chosen",
            "fixed",
            "forbidden",
            "load",
            "served",
            "assigned_site",
            "cost",
            "weight",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    let mut served = vec![0usize; inst.site_ids.len()];
    for a in sol.assignment.iter().flatten() {
        served[*a] += 1;
    }
    let mut chosen = vec![false; inst.site_ids.len()];
    for &j in &sol.chosen {
        chosen[j] = true;
    }
    for (j, id) in inst.site_ids.iter().enumerate() {
        t.rows.push(vec![
            Cell::Text("site".into()),
            Cell::Text(id.clone()),
            Cell::Bool(chosen[j]),
            Cell::Bool(inst.fixed[j]),
            Cell::Bool(inst.forbidden[j]),
            Cell::rounded(sol.loads[j], 4),
            Cell::Number(served[j] as f64),
            Cell::Null,
            Cell::Null,
            Cell::Null,
        ]);
    }
    for (i, id) in inst.demand_ids.iter().enumerate() {
        t.rows.push(vec![
            Cell::Text("zone".into()),
            Cell::Text(id.clone()),
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            Cell::Null,
            sol.assignment[i]
                .map(|j| Cell::Text(inst.site_ids[j].clone()))
                .unwrap_or(Cell::Null),
            sol.assigned_cost[i]
                .map(|c| Cell::rounded(c, 4))
                .unwrap_or(Cell::Null),
            Cell::rounded(inst.weights[i], 4),
        ]);
    }
    t
}

/// The JSON summary: model, objective, bound, gap, optimal, sites, seconds and the rest.
pub fn summary(inst: &Instance, sol: &Solution, context: &[(&str, Value)]) -> String {
    let mut o = Map::new();
    o.insert("frontdoor".into(), json!(env!("CARGO_PKG_VERSION")));
    o.insert("model".into(), json!(sol.model.name()));
    o.insert("objective".into(), json!(sol.objective));
    o.insert("bound".into(), json!(sol.bound));
    o.insert("gap".into(), json!(sol.gap));
    o.insert("optimal".into(), json!(sol.optimal));
    let mut sites: Vec<&str> = sol
        .chosen
        .iter()
        .map(|&j| inst.site_ids[j].as_str())
        .collect();
    sites.sort_unstable();
    o.insert("sites".into(), json!(sites));
    o.insert(
        "seconds".into(),
        json!((sol.seconds * 1000.0).round() / 1000.0),
    );
    o.insert("method".into(), json!(sol.method));
    o.insert("nodes".into(), json!(sol.nodes));
    for (k, v) in &sol.figures {
        o.insert((*k).into(), v.clone());
    }
    o.insert("demand_points".into(), json!(inst.demand_ids.len()));
    o.insert("candidate_sites".into(), json!(inst.site_ids.len()));
    o.insert(
        "unassigned_demand_points".into(),
        json!(sol.assignment.iter().filter(|a| a.is_none()).count()),
    );
    o.insert(
        "zones_left_out_not_joined_to_the_network".into(),
        json!(inst.left_out),
    );
    for (k, v) in context {
        o.insert((*k).into(), v.clone());
    }
    let mut text = serde_json::to_string_pretty(&Value::Object(o)).expect("serialises");
    text.push('\n');
    text
}

/// Colours for the chosen sites' areas, in turn.
/// Candidates not chosen marked on the map at most (beyond, they are counted in its heading).
const MARKED_CANDIDATES: usize = 300;

const AREAS: [RGBColor; 12] = [
    RGBColor(166, 206, 227),
    RGBColor(178, 223, 138),
    RGBColor(251, 154, 153),
    RGBColor(253, 191, 111),
    RGBColor(202, 178, 214),
    RGBColor(255, 255, 153),
    RGBColor(141, 211, 199),
    RGBColor(190, 186, 218),
    RGBColor(251, 128, 114),
    RGBColor(128, 177, 211),
    RGBColor(179, 222, 105),
    RGBColor(252, 205, 229),
];

/// The map: each zone in the colour of the chosen site serving it, chosen sites ringed,
/// candidates not chosen crossed.
pub fn shading(
    study: &Study,
    basis: TimeBasis,
    inst: &Instance,
    sol: &Solution,
    what: &str,
) -> Shading {
    let colour_of = |k: usize| AREAS[k % AREAS.len()];
    let rank: std::collections::HashMap<usize, usize> = sol
        .chosen
        .iter()
        .enumerate()
        .map(|(r, &j)| (j, r))
        .collect();
    let mut zone_colour = vec![RGBColor(235, 235, 235); study.zones.len()];
    for (i, a) in sol.assignment.iter().enumerate() {
        if let Some(j) = a {
            zone_colour[inst.study_zones[i]] = colour_of(rank[j]);
        }
    }
    let mut legend: Vec<(RGBColor, String)> = sol
        .chosen
        .iter()
        .take(8)
        .enumerate()
        .map(|(r, &j)| {
            let s = &study.sites[inst.study_sites[j]];
            let label = if s.name == s.id {
                s.name.clone()
            } else {
                format!("{} ({})", s.name, s.id)
            };
            (colour_of(r), label)
        })
        .collect();
    if sol.chosen.len() > 8 {
        legend.push((
            RGBColor(255, 255, 255),
            format!("... {} more chosen sites", sol.chosen.len() - 8),
        ));
    }
    if sol.assignment.iter().any(Option::is_none) || !inst.left_out.is_empty() {
        legend.push((RGBColor(235, 235, 235), "not served".into()));
    }
    let chosen: std::collections::HashSet<usize> = sol.chosen.iter().copied().collect();
    let unchosen: Vec<_> = (0..inst.site_ids.len())
        .filter(|j| !chosen.contains(j))
        .map(|j| inst.study_sites[j])
        .collect();
    // Thousands of crosses (every bus stop a candidate) would hide the map: beyond a few
    // hundred, the candidates not chosen are counted in the heading, not marked.
    let marked = unchosen.len() <= MARKED_CANDIDATES;
    let mut heading = vec![
        what.to_string(),
        format!(
            "{} of {} sites; {}",
            sol.chosen.len(),
            inst.site_ids.len(),
            if sol.optimal {
                "optimal".to_string()
            } else {
                format!("gap {:.3}%", sol.gap * 100.0)
            }
        ),
    ];
    if !marked {
        heading.push(format!(
            "{} candidates not chosen (not marked)",
            unchosen.len()
        ));
    }
    heading.push(basis_note(basis).into());
    Shading {
        heading,
        zone_colour,
        legend,
        closed: if marked { unchosen } else { Vec::new() },
        closed_label: "candidate not chosen".into(),
        ringed: sol.chosen.iter().map(|&j| inst.study_sites[j]).collect(),
        ringed_label: "chosen".into(),
        extent: None,
    }
}
