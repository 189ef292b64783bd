//! `frontdoor run --explain SITE`: the full reasoning for one site, with its scorecard and what
//! the scenario engine finds when it closes the site alone, in every mode and band.

use crate::decide::{group_label, Decisions};
use crate::measured::Measured;
use crate::model::Category;
use crate::scenario::{evaluate, BaselineCache, Changes, Scenario};
use crate::text::{money, pct, whole};

/// The full reasoning for site `j`.
pub fn explain(m: &Measured, d: &Decisions, j: usize) -> String {
    let parts = [heading, scorecard, facts, alone, rules];
    let mut o = String::new();
    for part in parts {
        for line in part(m, d, j) {
            o.push_str(&line);
            o.push('\n');
        }
    }
    o
}

/// The site, its recommendation and the reasons.
fn heading(m: &Measured, d: &Decisions, j: usize) -> Vec<String> {
    let study = &m.study;
    let s = &study.sites[j];
    let dec = &d.sites[j];
    let mut out = Vec::new();
    let mut line = |t: String| out.push(t);
    line(format!(
        "{} ({}): {} of {}",
        s.name,
        s.id,
        s.kind.replace('_', " "),
        s.agency
    ));
    line(format!(
        "recommendation: {}{}",
        dec.recommendation.name(),
        dec.role.map(|x| format!(" ({x})")).unwrap_or_default()
    ));
    line("because:".into());
    for reason in &dec.reasons {
        line(format!("  - {reason}"));
    }
    out
}

/// Its scorecard by the decision mode and band.
fn scorecard(m: &Measured, d: &Decisions, j: usize) -> Vec<String> {
    let study = &m.study;
    let s = &study.sites[j];
    let c = &d.cards[j];
    let r = &d.rules;
    let mut out = Vec::new();
    let mut line = |t: String| out.push(t);
    line(String::new());
    line(format!(
        "scorecard (decisions by {} within {} min):",
        r.mode_name, r.minutes
    ));
    line(format!("  services: {}", s.offers().join(", ")));
    if c.assessed {
        line(format!(
            "  catchment: {} people{}",
            whole(c.catchment),
            c.catchment_vulnerable
                .iter()
                .enumerate()
                .map(|(g, v)| format!(", {} {}", whole(*v), group_label(study, g)))
                .collect::<String>()
        ));
        if let Some(ov) = c.overlap_percent {
            line(format!(
                "  overlap: {} have all its services at another open site within {} min",
                pct(ov),
                r.minutes
            ));
        }
        if let Some((k, p)) = c.main_overlap {
            line(format!(
                "  most overlap with: {} ({}), {} of the catchment",
                study.sites[k].name,
                study.sites[k].id,
                pct(p)
            ));
        }
        let per_band: Vec<String> = study
            .bands
            .iter()
            .zip(&c.losing_alone)
            .map(|(b, l)| format!("{} within {b} min", whole(*l)))
            .collect();
        line(format!(
            "  people losing a service if it closed alone ({}): {}",
            r.mode_name,
            per_band.join(", ")
        ));
    } else {
        line("  not assessed (street furniture or a candidate)".into());
    }
    out
}

/// Its contacts, cost, capacity, hours, floor area, tenure and condition.
fn facts(m: &Measured, d: &Decisions, j: usize) -> Vec<String> {
    let study = &m.study;
    let s = &study.sites[j];
    let c = &d.cards[j];
    let mut out = Vec::new();
    let mut line = |t: String| out.push(t);
    if c.face_to_face_total > 0.0 {
        let k = study.suppress_below as f64;
        if c.face_to_face_total < k {
            line(format!(
                "  face-to-face contacts a year: fewer than {}",
                whole(k)
            ));
        } else {
            let parts: Vec<String> = Category::ALL
                .iter()
                .map(|cat| format!("{} {}", cat.name(), whole(c.face_to_face[cat.index()])))
                .collect();
            line(format!(
                "  face-to-face contacts a year: {} ({}); right first time {}",
                whole(c.face_to_face_total),
                parts.join(", "),
                pct(c.right_first_time_percent.unwrap_or(0.0))
            ));
        }
    } else {
        line("  face-to-face contacts a year: none recorded".into());
    }
    let cur = study.currency.as_deref();
    let money_or = |v: Option<f64>| {
        v.map(|v| money(v, cur))
            .unwrap_or_else(|| "not given".into())
    };
    line(format!(
        "  annual cost: {}; per face-to-face contact: {}",
        money_or(s.annual_cost),
        money_or(c.cost_per_face_to_face)
    ));
    line(format!(
        "  capacity: {}; opening hours: {}; floor area: {}",
        s.capacity
            .map(|v| format!("{} visits a year", whole(v)))
            .unwrap_or_else(|| "not given".into()),
        s.opening_hours
            .map(|v| format!("{v} a week"))
            .unwrap_or_else(|| "not given".into()),
        s.floor_area_m2
            .map(|v| format!("{} m²", whole(v)))
            .unwrap_or_else(|| "not given".into())
    ));
    line(format!(
        "  tenure: {}; lease end: {}; condition: {}; fixed: {}",
        s.tenure.as_deref().unwrap_or("not given"),
        s.lease_end.as_deref().unwrap_or("not given"),
        s.condition.as_deref().unwrap_or("not given"),
        if s.fixed { "yes" } else { "no" }
    ));
    out
}

/// What the scenario engine finds when it closes the site alone, in every mode.
fn alone(m: &Measured, d: &Decisions, j: usize) -> Vec<String> {
    let study = &m.study;
    let s = &study.sites[j];
    let c = &d.cards[j];
    let r = &d.rules;
    let mut out = Vec::new();
    let mut line = |t: String| out.push(t);
    if c.assessed {
        line(String::new());
        line("closing it alone, by the scenario engine:".into());
        let alone = Changes {
            close: vec![j],
            ..Changes::default()
        };
        let sc = Scenario::new(study, &format!("close-{}", s.id), r.mode, alone)
            .expect("an assessed site is open in the baseline, so closing it alone is valid");
        let ev = evaluate(m, &BaselineCache::default(), &sc);
        let sm = &ev.summary;
        for (mi, p) in study.modes.iter().enumerate() {
            let bands: Vec<String> = study
                .bands
                .iter()
                .enumerate()
                .map(|(b, band)| {
                    format!("{} within {band} min", whole(sm.population_losing[mi][b]))
                })
                .collect();
            let (before, after) = sm.mean_minutes[mi];
            line(format!(
                "  {}: people losing a service: {}; mean minutes to its services {:.1} → {:.1}, largest rise {:.1}",
                p.mode,
                bands.join(", "),
                before,
                after,
                sm.max_minutes_increase[mi]
            ));
        }
        line(format!(
            "  face-to-face contacts a year re-routed to the next nearest site: {}; with nowhere to go: {}",
            whole(sm.face_to_face_rerouted),
            whole(sm.face_to_face_unplaced)
        ));
    }
    out
}

/// The rules the recommendation followed.
fn rules(_: &Measured, d: &Decisions, _: usize) -> Vec<String> {
    let r = &d.rules;
    let mut out = Vec::new();
    let mut line = |t: String| out.push(t);
    line(String::new());
    line(format!(
        "rules: close if right first time ≤ {}, overlap ≥ {}, people losing ≤ {}; shares within {} min walk, at most {} guests; far beyond {} min",
        pct(100.0 * r.close_max_right_first_time),
        pct(100.0 * r.close_min_overlap),
        whole(r.close_max_losing),
        r.share_minutes,
        r.share_max_guests,
        r.far_minutes
    ));
    out
}
