//! Outputs of the decision layer: the scorecard and recommendation columns of `sites.csv`, the
//! far and hot-spot columns of `zones.csv`, `proposals.csv`, `digital_points.csv`,
//! `hot_spots.csv`, `new_sites.csv`, `decide.json` and the maps.

use geo::Coord;
use plotters::style::RGBColor;

use crate::decide::gaps::NewSiteType;
use crate::decide::{Decisions, Evidence, Recommendation};
use crate::model::Study;
use crate::render::map::Shading;
use crate::render::tables::{published, Cell, OutTable};

fn opt(v: Option<f64>, decimals: i32) -> Cell {
    v.map(|v| Cell::rounded(v, decimals)).unwrap_or(Cell::Null)
}

fn ids(study: &Study, sites: &[usize]) -> Cell {
    Cell::Text(
        sites
            .iter()
            .map(|&j| study.sites[j].id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// Appends the scorecard and recommendation columns to the sites table (rows in study order).
pub fn append_site_columns(study: &Study, d: &Decisions, t: &mut OutTable) {
    let r = &d.rules;
    let mode = r.mode_name;
    let groups = study.group_columns();
    let mut cols: Vec<String> = vec!["assessed".into(), "catchment_population".into()];
    cols.extend(groups.iter().map(|g| format!("catchment_{g}")));
    cols.extend(
        [
            "overlap_percent",
            "main_overlap_site",
            "main_overlap_name",
            "main_overlap_percent",
        ]
        .map(String::from),
    );
    for b in &study.bands {
        cols.push(format!("close_alone_losing_{b}min_{mode}"));
        cols.extend(
            groups
                .iter()
                .map(|g| format!("close_alone_{g}_losing_{b}min_{mode}")),
        );
    }
    cols.extend(
        [
            "losing_with_closures",
            "face_to_face_a_year",
            "right_first_time_percent",
            "once_and_done_percent",
            "load_percent_baseline",
            "overloaded_baseline",
            "recommendation",
            "evidence",
            "role",
            "proposal",
            "partners",
            "share_walk_minutes",
            "proposal_face_to_face_after",
            "proposal_losing",
        ]
        .map(String::from),
    );
    cols.extend(groups.iter().map(|g| format!("proposal_{g}_losing")));
    cols.extend(
        [
            "proposal_saving",
            "digital_point",
            "digital_point_zones",
            "digital_point_population",
            "new_site_rank",
            "new_site_population_covered",
            "new_site_zones_covered",
            "reasons",
        ]
        .map(String::from),
    );
    t.columns.extend(cols);
    let k = study.suppress_below;
    for (j, row) in t.rows.iter_mut().enumerate() {
        let c = &d.cards[j];
        let s = &d.sites[j];
        row.push(Cell::Bool(c.assessed));
        if c.assessed {
            row.push(Cell::rounded(c.catchment, 0));
            row.extend(c.catchment_vulnerable.iter().map(|v| Cell::rounded(*v, 0)));
        } else {
            row.extend((0..=groups.len()).map(|_| Cell::Null));
        }
        row.push(opt(c.overlap_percent, 1));
        match c.main_overlap {
            Some((o, p)) => {
                row.push(Cell::Text(study.sites[o].id.clone()));
                row.push(Cell::Text(study.sites[o].name.clone()));
                row.push(Cell::rounded(p, 1));
            }
            None => row.extend([Cell::Null, Cell::Null, Cell::Null]),
        }
        for b in 0..study.bands.len() {
            if c.assessed {
                row.push(Cell::rounded(c.losing_alone[b], 0));
                row.extend(
                    c.losing_alone_vulnerable[b]
                        .iter()
                        .map(|v| Cell::rounded(*v, 0)),
                );
            } else {
                row.extend((0..=groups.len()).map(|_| Cell::Null));
            }
        }
        row.push(opt(c.losing_with_closures, 0));
        let f2f = published(c.face_to_face_total, k);
        let suppressed = f2f == Cell::Null;
        row.push(if suppressed {
            Cell::Null
        } else {
            Cell::rounded(c.face_to_face_total, 0)
        });
        row.push(opt(c.right_first_time_percent.filter(|_| !suppressed), 1));
        row.push(opt(c.once_and_done_percent.filter(|_| !suppressed), 1));
        let site = &study.sites[j];
        let load = site
            .capacity
            .filter(|&cap| cap > 0.0 && !site.candidate)
            .map(|cap| 100.0 * c.face_to_face_total / cap);
        row.push(opt(load.filter(|_| !suppressed), 1));
        row.push(match (site.capacity, site.candidate) {
            (Some(cap), false) => Cell::Bool(c.face_to_face_total > cap),
            _ => Cell::Null,
        });
        row.push(Cell::Text(s.recommendation.name().into()));
        row.push(Cell::Text(s.evidence.name().into()));
        row.push(s.role.map(|r| Cell::Text(r.into())).unwrap_or(Cell::Null));
        match s.proposal.map(|p| &d.proposals[p]) {
            Some(p) => {
                row.push(Cell::Text(p.id.clone()));
                let partners: Vec<usize> = p.sites().into_iter().filter(|&x| x != j).collect();
                row.push(ids(study, &partners));
                row.push(match p.guests.iter().position(|&g| g == j) {
                    Some(i) => Cell::rounded(p.guest_minutes[i], 1),
                    None => Cell::Null,
                });
                row.push(published(p.face_to_face_after, k));
                row.push(Cell::rounded(p.losing, 0));
                row.extend(p.losing_vulnerable.iter().map(|v| Cell::rounded(*v, 0)));
                row.push(Cell::rounded(p.saving, 2));
            }
            None => row.extend((0..6 + groups.len()).map(|_| Cell::Null)),
        }
        match s.digital_point.map(|x| &d.digital_points[x]) {
            Some(dp) => {
                row.push(Cell::Text(dp.id.clone()));
                row.push(Cell::Number(dp.zones.len() as f64));
                row.push(Cell::rounded(dp.population, 0));
            }
            None => row.extend([Cell::Null, Cell::Null, Cell::Null]),
        }
        match s.new_site.map(|r| &d.gaps.new_sites[r - 1]) {
            Some(ns) => {
                row.push(Cell::Number(ns.rank as f64));
                row.push(Cell::rounded(ns.population_covered, 0));
                row.push(Cell::Number(ns.zones_covered.len() as f64));
            }
            None => row.extend([Cell::Null, Cell::Null, Cell::Null]),
        }
        row.push(Cell::Text(s.reasons.join("; ")));
    }
}

/// Appends per zone: minutes to the nearest front door, far, hot spot and why, digital point.
pub fn append_zone_columns(study: &Study, d: &Decisions, t: &mut OutTable) {
    let r = &d.rules;
    t.columns.extend([
        format!("front_door_minutes_{}", r.mode_name),
        "far_from_front_door".into(),
        "hot_spot".into(),
        "hot_spot_reason".into(),
        "digital_point".into(),
    ]);
    let mut hot = vec![None; study.zones.len()];
    for h in &d.gaps.hot_spots {
        hot[h.zone] = Some(h);
    }
    let mut point = vec![None; study.zones.len()];
    for dp in &d.digital_points {
        for &z in &dp.zones {
            point[z] = Some(dp.id.clone());
        }
    }
    for (z, row) in t.rows.iter_mut().enumerate() {
        let m = d.front_door_minutes[z];
        row.push(opt(m, 2));
        row.push(Cell::Bool(m.is_none_or(|m| m > r.far_minutes as f64)));
        row.push(Cell::Bool(hot[z].is_some()));
        row.push(match hot[z] {
            Some(h) => Cell::Text(hot_spot_reason(study, h)),
            None => Cell::Null,
        });
        row.push(Cell::opt_text(&point[z]));
    }
}

fn hot_spot_reason(study: &Study, h: &crate::decide::gaps::HotSpot) -> String {
    let mut why = Vec::new();
    if h.high_demand {
        why.push("high demand per head".to_string());
    }
    for (g, &hv) in h.high_vulnerable.iter().enumerate() {
        if hv {
            why.push(format!(
                "high share of {}",
                crate::decide::group_label(study, g)
            ));
        }
    }
    why.join("; ")
}

/// The first columns of `proposals.csv` (each vulnerable group's losing follows).
pub(crate) const PROPOSAL_COLUMNS: [&str; 18] = [
    "proposal",
    "recommended",
    "host",
    "host_name",
    "host_agency",
    "host_kind",
    "host_capacity",
    "host_condition",
    "guests",
    "guest_names",
    "guest_agencies",
    "guest_walk_minutes",
    "agencies",
    "fit",
    "face_to_face_after",
    "catchment_before",
    "catchment_after",
    "losing",
];

/// The last columns of `proposals.csv`, after each vulnerable group's losing.
pub(crate) const PROPOSAL_LAST_COLUMNS: [&str; 2] = ["annual_cost_saved", "guests_without_cost"];

/// The first columns of `digital_points.csv` (each vulnerable group follows).
pub(crate) const DIGITAL_POINT_COLUMNS: [&str; 10] = [
    "digital_point",
    "host",
    "host_name",
    "host_agency",
    "host_kind",
    "zones",
    "zone_ids",
    "need",
    "need_basis",
    "population",
];

/// The columns of `hot_spots.csv`.
pub(crate) const HOT_SPOT_COLUMNS: [&str; 7] = [
    "zone",
    "name",
    "population",
    "front_door_minutes",
    "demand_per_head",
    "reason",
    "covered_by_new_site",
];

/// The columns of `new_sites.csv`.
pub(crate) const NEW_SITE_COLUMNS: [&str; 10] = [
    "rank",
    "site",
    "name",
    "agency",
    "kind",
    "candidate",
    "proposal_type",
    "population_covered",
    "zones_covered",
    "zone_ids",
];

/// `proposals.csv`: one row per shared-site proposal.
pub fn proposals_table(study: &Study, d: &Decisions) -> OutTable {
    let groups = study.group_columns();
    let mut t = OutTable {
        columns: PROPOSAL_COLUMNS.map(String::from).to_vec(),
        ..OutTable::default()
    };
    t.columns
        .extend(groups.iter().map(|g| format!("{g}_losing")));
    t.columns.extend(PROPOSAL_LAST_COLUMNS.map(String::from));
    let k = study.suppress_below;
    for p in &d.proposals {
        let h = &study.sites[p.host];
        let join = |f: &dyn Fn(usize) -> String| -> Cell {
            Cell::Text(p.guests.iter().map(|&g| f(g)).collect::<Vec<_>>().join(";"))
        };
        let mut agencies: Vec<&str> = p
            .sites()
            .iter()
            .map(|&j| study.sites[j].agency.as_str())
            .collect();
        agencies.sort_unstable();
        agencies.dedup();
        let mut row = vec![
            Cell::Text(p.id.clone()),
            Cell::Bool(p.recommended),
            Cell::Text(h.id.clone()),
            Cell::Text(h.name.clone()),
            Cell::Text(h.agency.clone()),
            Cell::Text(h.kind.clone()),
            opt(h.capacity, 2),
            Cell::opt_text(&h.condition),
            ids(study, &p.guests),
            join(&|g| study.sites[g].name.clone()),
            join(&|g| study.sites[g].agency.clone()),
            Cell::Text(
                p.guest_minutes
                    .iter()
                    .map(|m| crate::text::format_number(*m))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            Cell::Text(agencies.join(";")),
            Cell::Text(
                match p.fit {
                    crate::decide::proposals::Fit::Fits => "fits",
                    crate::decide::proposals::Fit::NotChecked => "not_checked",
                }
                .into(),
            ),
            published(p.face_to_face_after, k),
            Cell::rounded(p.catchment_before, 0),
            Cell::rounded(p.catchment_after, 0),
            Cell::rounded(p.losing, 0),
        ];
        row.extend(p.losing_vulnerable.iter().map(|v| Cell::rounded(*v, 0)));
        row.push(Cell::rounded(p.saving, 2));
        row.push(Cell::Number(p.guests_without_cost as f64));
        t.rows.push(row);
    }
    t
}

/// `digital_points.csv`: one row per proposed digital point.
pub fn digital_points_table(study: &Study, d: &Decisions) -> OutTable {
    let groups = study.group_columns();
    let contacts = crate::decide::proposals::has_face_to_face(study);
    let mut t = OutTable {
        columns: DIGITAL_POINT_COLUMNS.map(String::from).to_vec(),
        ..OutTable::default()
    };
    t.columns.extend(groups.iter().cloned());
    for dp in &d.digital_points {
        let h = &study.sites[dp.host];
        let mut row = vec![
            Cell::Text(dp.id.clone()),
            Cell::Text(h.id.clone()),
            Cell::Text(h.name.clone()),
            Cell::Text(h.agency.clone()),
            Cell::Text(h.kind.clone()),
            Cell::Number(dp.zones.len() as f64),
            Cell::Text(
                dp.zones
                    .iter()
                    .map(|&z| study.zones[z].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            if contacts {
                published(dp.need, study.suppress_below)
            } else {
                Cell::rounded(dp.need, 0)
            },
            Cell::Text(
                if contacts {
                    "once_and_done_face_to_face_a_year"
                } else {
                    "population"
                }
                .into(),
            ),
            Cell::rounded(dp.population, 0),
        ];
        row.extend(dp.vulnerable.iter().map(|v| Cell::rounded(*v, 0)));
        t.rows.push(row);
    }
    t
}

/// `hot_spots.csv`: the hot-spot zones, most people first.
pub fn hot_spots_table(study: &Study, d: &Decisions) -> OutTable {
    let mut t = OutTable {
        columns: HOT_SPOT_COLUMNS.map(String::from).to_vec(),
        ..OutTable::default()
    };
    let mut covered = vec![None; study.zones.len()];
    for ns in &d.gaps.new_sites {
        for &z in &ns.zones_covered {
            covered[z] = Some(study.sites[ns.site].id.clone());
        }
    }
    let mut hs: Vec<&crate::decide::gaps::HotSpot> = d.gaps.hot_spots.iter().collect();
    hs.sort_by(|a, b| {
        study.zones[b.zone]
            .population
            .total_cmp(&study.zones[a.zone].population)
            .then(a.zone.cmp(&b.zone))
    });
    for h in hs {
        let z = &study.zones[h.zone];
        t.rows.push(vec![
            Cell::Text(z.id.clone()),
            Cell::opt_text(&z.name),
            Cell::rounded(z.population, 0),
            opt(h.minutes, 2),
            Cell::rounded(h.demand_per_head, 4),
            Cell::Text(hot_spot_reason(study, h)),
            Cell::opt_text(&covered[h.zone]),
        ]);
    }
    t
}

/// `new_sites.csv`: the new sites proposed, ranked.
pub fn new_sites_table(study: &Study, d: &Decisions) -> OutTable {
    let mut t = OutTable {
        columns: NEW_SITE_COLUMNS.map(String::from).to_vec(),
        ..OutTable::default()
    };
    for ns in &d.gaps.new_sites {
        let s = &study.sites[ns.site];
        t.rows.push(vec![
            Cell::Number(ns.rank as f64),
            Cell::Text(s.id.clone()),
            Cell::Text(s.name.clone()),
            Cell::Text(s.agency.clone()),
            Cell::Text(s.kind.clone()),
            Cell::Bool(s.candidate),
            Cell::Text(ns.kind.name().into()),
            Cell::rounded(ns.population_covered, 0),
            Cell::Number(ns.zones_covered.len() as f64),
            Cell::Text(
                ns.zones_covered
                    .iter()
                    .map(|&z| study.zones[z].id.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
        ]);
    }
    t
}

/// The one line a reader must see first, if any: the study has no demand data.
pub fn notice(d: &Decisions) -> Option<String> {
    (!d.demand_data).then(|| {
        "No demand data: the study records no contacts at any site, so there is no evidence of \
         which buildings are used. frontdoor closes nothing; buildings the reach rules would \
         close are marked review. Add demand records (contacts or footfall by site and service) \
         to decide on closures."
            .to_string()
    })
}

/// `decide.json`: the rules, the counts of each recommendation, the gap analysis's optimiser
/// answer and the whole plan's effect.
pub fn decide_json(study: &Study, d: &Decisions) -> String {
    use serde_json::json;
    let mut rules = serde_json::Map::new();
    for (k, v) in d.rules.parameters() {
        rules.insert(k.into(), v);
    }
    let recommendations: serde_json::Map<String, serde_json::Value> = Recommendation::ALL
        .iter()
        .map(|&r| (r.name().to_string(), json!(d.count(r))))
        .collect();
    let evidence: serde_json::Map<String, serde_json::Value> = [
        Evidence::DemandAndCost,
        Evidence::Demand,
        Evidence::ReachOnly,
    ]
    .iter()
    .map(|&e| {
        let n = d
            .sites
            .iter()
            .zip(&d.cards)
            .filter(|(s, c)| c.assessed && s.evidence == e)
            .count();
        (e.name().to_string(), json!(n))
    })
    .collect();
    let new_sites_by_type: serde_json::Map<String, serde_json::Value> = [
        NewSiteType::Candidate,
        NewSiteType::PartnerBuilding,
        NewSiteType::DigitalPoint,
    ]
    .iter()
    .map(|&t| {
        let n = d.gaps.new_sites.iter().filter(|ns| ns.kind == t).count();
        (t.name().to_string(), json!(n))
    })
    .collect();
    let solution = d.gaps.solution.as_ref().map(|s| {
        json!({
            "model": s.model.name(),
            "p": d.gaps.new_sites.len(),
            "objective": s.objective,
            "bound": s.bound,
            "gap": s.gap,
            "optimal": s.optimal,
            "method": s.method,
        })
    });
    let plan = d.plan.as_ref().map(|ev| {
        let s = &ev.summary;
        let (m, b) = (d.rules.mode, d.rules.band);
        json!({
            "sites_closed": s.sites_closed,
            "sites_opened": s.sites_opened,
            "sites_shared": s.sites_shared,
            "annual_cost_saved": s.annual_cost_saved,
            "sites_without_cost": s.sites_without_cost,
            "population_losing": s.population_losing[m][b],
            "population_gaining": s.population_gaining[m][b],
            "face_to_face_rerouted": s.face_to_face_rerouted,
            "face_to_face_unplaced": s.face_to_face_unplaced,
            "newly_overloaded_sites": s.newly_overloaded_sites,
            "already_overloaded_sites": s.already_overloaded_sites,
        })
    });
    let v = json!({
        "study": study.name,
        "rules": rules,
        "recommendations": recommendations,
        "assessed": d.cards.iter().filter(|c| c.assessed).count(),
        "evidence": evidence,
        "demand_data": d.demand_data,
        "notice": notice(d),
        "currency": d.currency,
        "proposals": d.proposals.len(),
        "proposals_recommended": d.proposals.iter().filter(|p| p.recommended).count(),
        "digital_points": d.digital_points.len(),
        "hot_spots": d.gaps.hot_spots.len(),
        "hot_spot_population": d.gaps.hot_spot_population,
        "study_demand_per_head": d.gaps.study_demand_per_head,
        "new_sites": d.gaps.new_sites.len(),
        "new_sites_by_type": new_sites_by_type,
        "new_sites_solution": solution,
        "plan": plan,
        "plan_scenario": d.plan.as_ref().map(|_| "scenario-recommended"),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON serialises");
    s.push('\n');
    s
}

const KEEP_NEAR: RGBColor = RGBColor(198, 219, 239);
const FAR: RGBColor = RGBColor(253, 208, 162);
const HOT: RGBColor = RGBColor(230, 85, 13);

/// The recommendations map: zones near a front door, far, or hot spots; closed and vacated sites
/// crossed, share hosts and new sites ringed. With `only`, the map shows just those sites'
/// surroundings (a proposal's small map).
pub fn recommendations_shading(study: &Study, d: &Decisions, only: Option<&[usize]>) -> Shading {
    let r = &d.rules;
    let mut hot = vec![false; study.zones.len()];
    for h in &d.gaps.hot_spots {
        hot[h.zone] = true;
    }
    let far = |z: usize| d.front_door_minutes[z].is_none_or(|m| m > r.far_minutes as f64);
    let zone_colour = (0..study.zones.len())
        .map(|z| {
            if hot[z] {
                HOT
            } else if far(z) {
                FAR
            } else {
                KEEP_NEAR
            }
        })
        .collect();
    let keep = |j: usize| only.is_none_or(|o| o.contains(&j));
    let closed = (0..study.sites.len())
        .filter(|&j| {
            keep(j)
                && (d.sites[j].recommendation == Recommendation::Close
                    || (d.sites[j].recommendation == Recommendation::Share
                        && d.sites[j].role == Some("guest")))
        })
        .collect();
    let ringed = (0..study.sites.len())
        .filter(|&j| {
            keep(j)
                && (d.sites[j].role == Some("host")
                    && d.sites[j].recommendation == Recommendation::Share
                    || d.sites[j].new_site.is_some())
        })
        .collect();
    let pad = r.walk.metres(r.share_minutes).max(300.0);
    let extent = only.map(|o| {
        crate::render::map::envelope(o.iter().map(|&j| {
            let p = study.sites[j].point;
            (
                Coord {
                    x: p.x - pad,
                    y: p.y - pad,
                },
                Coord {
                    x: p.x + pad,
                    y: p.y + pad,
                },
            )
        }))
    });
    Shading {
        heading: vec![format!(
            "Recommendations; zones by minutes to the nearest front door, {}",
            r.mode_name
        )],
        zone_colour,
        legend: vec![
            (
                KEEP_NEAR,
                format!("front door within {} min", r.far_minutes),
            ),
            (FAR, format!("further than {} min", r.far_minutes)),
            (HOT, "hot spot: far, high demand or need".into()),
        ],
        closed,
        closed_label: "close, or move out (share guest)".into(),
        ringed,
        ringed_label: "share host, or new site".into(),
        extent,
    }
}
