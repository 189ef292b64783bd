//! Scenario outputs: per zone and per site before and after, and one summary line per scenario.

use plotters::style::RGBColor;

use crate::access::{Measure, Scores};
use crate::model::{column_part, Channel, Study};
use crate::reach::TimeBasis;
use crate::render::map::{basis_note, map_mode, Shading};
use crate::render::tables::{published, score_cell, Cell, OutTable};
use crate::scenario::{Evaluation, Nearest};

fn minutes(n: Option<(usize, f64)>) -> Cell {
    n.map(|(_, m)| Cell::rounded(m, 2)).unwrap_or(Cell::Null)
}

fn site_id(study: &Study, n: Option<(usize, f64)>) -> Cell {
    n.map(|(s, _)| Cell::Text(study.sites[s].id.clone()))
        .unwrap_or(Cell::Null)
}

fn change(before: Option<f64>, after: Option<f64>, decimals: i32) -> Cell {
    match (before, after) {
        (Some(b), Some(a)) => Cell::rounded(a - b, decimals),
        _ => Cell::Null,
    }
}

/// Per zone: minutes before and after by mode (to the farthest service in scope, and per
/// service when there are several), access lost and gained per band, accessibility scores.
pub fn zones_table(
    study: &Study,
    measures: &[Measure],
    baseline: &[Scores],
    ev: &Evaluation,
) -> OutTable {
    let mut t = OutTable::default();
    let mut cols: Vec<String> = vec!["id".into(), "name".into(), "population".into()];
    for &v in &study.vulnerable {
        cols.push(column_part(&study.profile[v]));
    }
    let several = ev.scope.len() > 1;
    for p in &study.modes {
        let mode = p.mode;
        cols.extend([
            format!("nearest_{mode}_before"),
            format!("minutes_{mode}_before"),
            format!("nearest_{mode}_after"),
            format!("minutes_{mode}_after"),
            format!("minutes_{mode}_change"),
        ]);
        for b in &study.bands {
            cols.push(format!("loses_{b}min_{mode}"));
            cols.push(format!("gains_{b}min_{mode}"));
        }
        if several {
            for s in ev.scope.iter().flatten() {
                let s = column_part(s);
                cols.push(format!("minutes_{mode}_{s}_before"));
                cols.push(format!("minutes_{mode}_{s}_after"));
            }
        }
    }
    for m in measures {
        cols.push(format!("access_{}_before", m.name));
        cols.push(format!("access_{}_after", m.name));
        cols.push(format!("access_{}_change", m.name));
    }
    t.columns = cols;
    for (z, zone) in study.zones.iter().enumerate() {
        let mut r = vec![
            Cell::Text(zone.id.clone()),
            Cell::opt_text(&zone.name),
            Cell::rounded(zone.population, 2),
        ];
        for &v in &study.vulnerable {
            r.push(Cell::rounded(zone.profile[v], 4));
        }
        for mc in &ev.modes {
            let (b, a) = (mc.before[z], mc.after[z]);
            r.extend([
                site_id(study, b),
                minutes(b),
                site_id(study, a),
                minutes(a),
                change(b.map(|x| x.1), a.map(|x| x.1), 2),
            ]);
            for band in 0..study.bands.len() {
                r.push(Cell::Bool(mc.loses[band][z]));
                r.push(Cell::Bool(mc.gains[band][z]));
            }
            if several {
                for (before, after) in mc.by_service_before.iter().zip(&mc.by_service_after) {
                    let (before, after): (&Nearest, &Nearest) = (before, after);
                    r.push(minutes(before[z]));
                    r.push(minutes(after[z]));
                }
            }
        }
        for (before, after) in baseline.iter().zip(&ev.access_after) {
            r.push(score_cell(before.raw[z]));
            r.push(score_cell(after.raw[z]));
            r.push(match (before.raw[z], after.raw[z]) {
                (Some(b), Some(a)) => Cell::Number(a - b),
                _ => Cell::Null,
            });
        }
        t.rows.push(r);
    }
    t
}

/// Per site: what the scenario does to it, its face-to-face load before and after, what it
/// receives and sends, capacity and overload. Contacts are a year; small counts suppressed.
pub fn sites_table(study: &Study, ev: &Evaluation) -> OutTable {
    let k = study.suppress_below;
    let mut t = OutTable {
        columns: [
            "id",
            "name",
            "agency",
            "kind",
            "action",
            "open_before",
            "open_after",
            "services_after",
            "annual_cost",
            "capacity_before",
            "capacity_after",
            "opening_hours_before",
            "opening_hours_after",
            "face_to_face_before",
            "face_to_face_received",
            "received_from",
            "sent_to",
            "face_to_face_shifted",
            "face_to_face_after",
            "load_share",
            "overloaded",
            "overloaded_before",
            "newly_overloaded",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: Vec::new(),
    };
    let flows = |list: &[(Option<usize>, f64)]| -> Cell {
        if list.is_empty() {
            return Cell::Null;
        }
        Cell::Text(
            list.iter()
                .map(|(to, v)| {
                    let who = to
                        .map(|s| study.sites[s].id.clone())
                        .unwrap_or_else(|| "(unplaced)".into());
                    let amount = match published(*v, k) {
                        Cell::Null => "suppressed".to_string(),
                        c => c.csv(),
                    };
                    format!("{who}: {amount}")
                })
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let opt = |v: Option<f64>| v.map(|x| Cell::rounded(x, 2)).unwrap_or(Cell::Null);
    for (j, (s, c)) in study.sites.iter().zip(&ev.sites).enumerate() {
        let before: f64 = crate::num::sum(c.face_to_face_before.iter().copied());
        let received: f64 = crate::num::sum(c.received.iter().copied());
        let from: Vec<(Option<usize>, f64)> =
            c.received_from.iter().map(|&(s, v)| (Some(s), v)).collect();
        t.rows.push(vec![
            Cell::Text(s.id.clone()),
            Cell::Text(s.name.clone()),
            Cell::Text(s.agency.clone()),
            Cell::Text(s.kind.clone()),
            if c.action.is_empty() {
                Cell::Null
            } else {
                Cell::Text(c.action.into())
            },
            Cell::Bool(c.open_before),
            Cell::Bool(c.open_after),
            Cell::Text(ev.after.offers(j).cloned().collect::<Vec<_>>().join(";")),
            opt(s.annual_cost),
            opt(s.capacity),
            opt(c.capacity_after),
            opt(s.opening_hours),
            opt(ev.after.opening_hours[j]),
            published(before, k),
            published(received, k),
            flows(&from),
            flows(&c.sent_to),
            published(c.shifted, k),
            published(c.face_to_face_after, k),
            c.load_share
                .map(|v| Cell::rounded(v, 4))
                .unwrap_or(Cell::Null),
            Cell::Bool(c.overloaded),
            Cell::Bool(c.overloaded_before),
            Cell::Bool(c.open_after && c.overloaded && !c.overloaded_before),
        ]);
    }
    t
}

/// One row per scenario, side by side.
pub fn summary_table(study: &Study, measures: &[Measure], evs: &[Evaluation]) -> OutTable {
    let k = study.suppress_below;
    let mut t = OutTable::default();
    let mut cols: Vec<String> = [
        "scenario",
        "description",
        "scope",
        "sites_closed",
        "sites_opened",
        "sites_shared",
        "annual_cost_saved",
        "sites_without_cost",
        "face_to_face_rerouted",
        "face_to_face_unplaced",
        "newly_overloaded_sites",
        "already_overloaded_sites",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for ch in &Channel::ALL[1..] {
        cols.push(format!("face_to_face_moved_to_{}", ch.name()));
    }
    for p in &study.modes {
        let mode = p.mode;
        for b in &study.bands {
            cols.push(format!("population_losing_{b}min_{mode}"));
            cols.push(format!("population_gaining_{b}min_{mode}"));
            for &v in &study.vulnerable {
                let g = column_part(&study.profile[v]);
                cols.push(format!("{g}_losing_{b}min_{mode}"));
                cols.push(format!("{g}_gaining_{b}min_{mode}"));
            }
        }
        cols.push(format!("mean_minutes_{mode}_before"));
        cols.push(format!("mean_minutes_{mode}_after"));
        cols.push(format!("max_minutes_increase_{mode}"));
    }
    for m in measures {
        cols.push(format!("access_{}_mean_before", m.name));
        cols.push(format!("access_{}_mean_after", m.name));
        cols.push(format!("access_{}_demand_worse", m.name));
        cols.push(format!("access_{}_demand_better", m.name));
    }
    t.columns = cols;
    for ev in evs {
        let s = &ev.summary;
        let mut r = vec![
            Cell::Text(ev.scenario.name.clone()),
            Cell::opt_text(&ev.scenario.description),
            Cell::Text(
                ev.scope
                    .iter()
                    .map(|s| s.clone().unwrap_or_else(|| "any site".into()))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Cell::Number(s.sites_closed as f64),
            Cell::Number(s.sites_opened as f64),
            Cell::Number(s.sites_shared as f64),
            Cell::rounded(s.annual_cost_saved, 2),
            Cell::Number(s.sites_without_cost as f64),
            published(s.face_to_face_rerouted, k),
            published(s.face_to_face_unplaced, k),
            Cell::Number(s.newly_overloaded_sites as f64),
            Cell::Number(s.already_overloaded_sites as f64),
        ];
        for ch in &Channel::ALL[1..] {
            r.push(published(s.face_to_face_moved[ch.index()], k));
        }
        for m in 0..study.modes.len() {
            for b in 0..study.bands.len() {
                r.push(Cell::rounded(s.population_losing[m][b], 2));
                r.push(Cell::rounded(s.population_gaining[m][b], 2));
                for g in 0..study.vulnerable.len() {
                    r.push(Cell::rounded(s.vulnerable_losing[m][b][g], 2));
                    r.push(Cell::rounded(s.vulnerable_gaining[m][b][g], 2));
                }
            }
            r.push(Cell::rounded(s.mean_minutes[m].0, 3));
            r.push(Cell::rounded(s.mean_minutes[m].1, 3));
            r.push(Cell::rounded(s.max_minutes_increase[m], 2));
        }
        for a in &s.access {
            r.push(Cell::Number(a.mean_before));
            r.push(Cell::Number(a.mean_after));
            r.push(Cell::rounded(a.demand_worse, 2));
            r.push(Cell::rounded(a.demand_better, 2));
        }
        t.rows.push(r);
    }
    t
}

/// The scenario map's shading, by the study's map mode: zones losing access by the first band
/// they lose it in (darkest for the shortest), zones gaining access, zones whose minutes rise
/// without crossing a band, and the rest.
pub fn scenario_shading(study: &Study, basis: TimeBasis, ev: &Evaluation) -> Shading {
    let m = map_mode(study);
    let mc = &ev.modes[m];
    let mode = study.modes[m].mode;
    let reds = [
        RGBColor(165, 15, 21),
        RGBColor(222, 45, 38),
        RGBColor(251, 106, 74),
        RGBColor(252, 146, 114),
        RGBColor(252, 187, 161),
    ];
    let nb = study.bands.len();
    let red = |b: usize| reds[(b * (reds.len() - 1)) / nb.max(2).saturating_sub(1).max(1)];
    let (gain, slower, same) = (
        RGBColor(49, 163, 84),
        RGBColor(254, 224, 144),
        RGBColor(235, 235, 235),
    );
    let zone_colour = (0..study.zones.len())
        .map(|z| {
            if let Some(b) = (0..nb).find(|&b| mc.loses[b][z]) {
                red(b.min(reds.len() - 1))
            } else if (0..nb).any(|b| mc.gains[b][z]) {
                gain
            } else if matches!((mc.before[z], mc.after[z]), (Some(b), Some(a)) if a.1 > b.1 + 0.005)
            {
                slower
            } else {
                same
            }
        })
        .collect();
    let mut legend: Vec<(RGBColor, String)> = study
        .bands
        .iter()
        .enumerate()
        .map(|(b, band)| {
            (
                red(b.min(reds.len() - 1)),
                format!("loses access within {band} min"),
            )
        })
        .collect();
    legend.extend([
        (gain, "gains access within a band".to_string()),
        (slower, "further, no band lost".to_string()),
        (same, "unchanged".to_string()),
    ]);
    let scope = ev
        .scope
        .iter()
        .map(|s| s.clone().unwrap_or_else(|| "any site".into()))
        .collect::<Vec<_>>()
        .join(", ");
    let mut ringed = ev.scenario.open.clone();
    ringed.extend(ev.scenario.shares.iter().map(|(h, _)| *h));
    Shading {
        heading: vec![
            format!("Scenario: {}", ev.scenario.name),
            format!("Access to {scope} by {mode}"),
            basis_note(basis).into(),
        ],
        zone_colour,
        legend,
        closed: ev.scenario.closed(),
        closed_label: "closed".into(),
        ringed,
        ringed_label: "opened, or hosting a share".into(),
        extent: None,
    }
}
