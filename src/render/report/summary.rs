//! The cabinet summary, the report's first screen and first printed page: the plan in plain
//! sentences (what closes, moves and opens, what it saves), who would lose a service and where,
//! the largest rises in travel time, what the evidence rests on and how sure the optimiser is.

use std::collections::BTreeMap;

use serde_json::Value;

use super::csv::Csv;
use super::html::esc;
use super::inputs::Inputs;
use super::words::{count, either, figure, group, list, list_of, minutes};
use crate::text::{money, whole};

/// The place a zone is in, from its name: the name without a trailing code ("Cherwell 008A" ->
/// "Cherwell", "East Weston 003" -> "East Weston"); the whole name where it ends in a word.
pub(super) fn place_of(zone_name: &str) -> &str {
    match zone_name.trim().rsplit_once(' ') {
        Some((head, code)) if code.chars().any(|c| c.is_ascii_digit()) && !head.is_empty() => {
            head.trim_end()
        }
        _ => zone_name.trim(),
    }
}

/// One service lost under the plan: how many people, and the places with most of them.
struct Loss {
    service: String,
    people: f64,
    places: Vec<(String, f64)>,
}

/// What the plan's per-zone table says: each service's losses, and the zones whose travel
/// time rises most.
struct PlanZones {
    losses: Vec<Loss>,
    rises: Vec<(String, f64)>,
}

/// Reads the plan scenario's zones: a zone loses a service where it was within the decision
/// band before and is not after.
fn plan_zones(zones: &Csv, minutes_band: u64, mode: &str) -> PlanZones {
    let band = minutes_band as f64;
    let prefix = format!("minutes_{mode}_");
    let services: Vec<String> = zones
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix(&prefix)?.strip_suffix("_before"))
        .map(str::to_string)
        .collect();
    let pop_col = zones.col("population");
    let name_col = zones.col("name");
    let num = |row: &[String], i: Option<usize>| -> Option<f64> {
        row.get(i?).and_then(|v| v.parse::<f64>().ok())
    };
    let mut losses = Vec::new();
    for s in &services {
        let (b, a) = (
            zones.col(&format!("{prefix}{s}_before")),
            zones.col(&format!("{prefix}{s}_after")),
        );
        let mut by_place: BTreeMap<String, f64> = BTreeMap::new();
        let mut people = 0.0;
        for row in &zones.rows {
            let before = num(row, b);
            let after = num(row, a);
            let lost = before.is_some_and(|v| v <= band) && after.is_none_or(|v| v > band);
            if lost {
                let p = num(row, pop_col).unwrap_or(0.0);
                people += p;
                let name = name_col.and_then(|i| row.get(i)).map_or("", String::as_str);
                *by_place.entry(place_of(name).to_string()).or_default() += p;
            }
        }
        if people > 0.0 {
            let mut places: Vec<(String, f64)> = by_place.into_iter().collect();
            places.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            losses.push(Loss {
                service: s.replace('_', " "),
                people,
                places,
            });
        }
    }
    losses.sort_by(|x, y| {
        y.people
            .total_cmp(&x.people)
            .then(x.service.cmp(&y.service))
    });
    let change = zones.col(&format!("minutes_{mode}_change"));
    let mut rises: Vec<(String, f64)> = zones
        .rows
        .iter()
        .filter_map(|row| {
            let c = num(row, change)?;
            let name = name_col.and_then(|i| row.get(i))?;
            (c > 0.0).then(|| (name.clone(), c))
        })
        .collect();
    rises.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    rises.truncate(3);
    PlanZones { losses, rises }
}

/// The names of the sites with a recommendation, as "Name (kind, agency)".
fn named(sites: &Csv, rec: &str) -> Vec<String> {
    sites
        .rows
        .iter()
        .filter(|r| sites.get(r, "recommendation") == rec)
        .map(|r| esc(sites.get(r, "name")))
        .collect()
}

/// The plan's sentence: what closes, moves and opens, and what it saves.
fn plan_sentence(r: &Inputs, plan: &serde_json::Map<String, Value>) -> String {
    let f = |k: &str| plan.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let closed = named(&r.sites, "close");
    let opened = named(&r.sites, "open");
    let props = Csv::parse(&r.text("proposals.csv").unwrap_or_default());
    let moves: Vec<String> = props
        .rows
        .iter()
        .filter(|p| props.get(p, "recommended") == "true")
        .map(|p| {
            format!(
                "{} into {}",
                esc(&props.get(p, "guest_names").replace(';', ", ")),
                esc(props.get(p, "host_name"))
            )
        })
        .collect();
    let mut parts = Vec::new();
    if !closed.is_empty() {
        parts.push(format!(
            "closes <b>{}</b> ({})",
            count(closed.len(), "building", "buildings"),
            list_of(&closed, 6, "other", "others")
        ));
    }
    if !moves.is_empty() {
        parts.push(format!(
            "moves <b>{}</b> into partners' buildings ({})",
            count(
                f("sites_shared") as usize,
                "service point",
                "service points"
            ),
            list_of(&moves, 4, "other move", "other moves")
        ));
    }
    if !opened.is_empty() {
        parts.push(format!(
            "opens <b>{}</b> ({})",
            count(opened.len(), "site", "sites"),
            list(&opened, 6)
        ));
    }
    let saving = match (f("annual_cost_saved"), f("sites_without_cost")) {
        (s, n) if s == 0.0 && n > 0.0 => format!(
            "The study gives no running cost for the {} concerned.",
            count(n as usize, "building", "buildings")
        ),
        (s, n) if n > 0.0 => format!(
            "It saves <b>{}</b> a year in running costs ({} have no cost in the study).",
            money(s, r.decide["currency"].as_str()),
            count(n as usize, "building", "buildings")
        ),
        (s, _) => format!(
            "It saves <b>{}</b> a year in running costs.",
            money(s, r.decide["currency"].as_str())
        ),
    };
    if parts.is_empty() {
        return "<p class=\"plan\">The plan changes no building.</p>\n".into();
    }
    format!(
        "<p class=\"plan\">The plan {}. {saving}</p>\n",
        list(&parts, 3)
    )
}

/// The scenario row of the plan in scenarios.csv, as column -> number.
fn plan_row(r: &Inputs) -> BTreeMap<String, f64> {
    let sc = Csv::parse(&r.text("scenarios.csv").unwrap_or_default());
    let Some(row) = sc
        .rows
        .iter()
        .find(|x| sc.get(x, "scenario") == "recommended")
    else {
        return BTreeMap::new();
    };
    sc.columns
        .iter()
        .zip(row)
        .filter_map(|(c, v)| Some((c.clone(), v.parse::<f64>().ok()?)))
        .collect()
}

/// The cards: people and each vulnerable group losing a service, the saving, the re-routed
/// contacts.
fn cards(r: &Inputs, plan: &serde_json::Map<String, Value>, row: &BTreeMap<String, f64>) -> String {
    let f = |k: &str| plan.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let (m, mode) = (r.minutes, &r.mode);
    let mut cards = vec![(
        whole(f("population_losing")),
        format!("people would lose a service within {m} min {mode}"),
        true,
    )];
    for g in &r.vulnerable {
        if let Some(v) = row.get(&format!("{g}_losing_{m}min_{mode}")) {
            cards.push((whole(*v), format!("of them {}", group(g)), true));
        }
    }
    cards.push((
        money(f("annual_cost_saved"), r.decide["currency"].as_str()),
        "saved a year".into(),
        false,
    ));
    cards.push((
        whole(f("face_to_face_rerouted")),
        "face-to-face contacts a year re-routed".into(),
        false,
    ));
    let mut h = String::from("<div class=\"cards\">");
    for (v, label, harm) in cards {
        h.push_str(&format!(
            "<div class=\"card{}\"><b>{v}</b>{}</div>",
            if harm { " harm" } else { "" },
            esc(&label)
        ));
    }
    h.push_str("</div>\n");
    h
}

/// Who loses which service, and where; the largest rises in travel time.
fn losses(r: &Inputs, row: &BTreeMap<String, f64>) -> String {
    let Some(text) = r.text("scenario-recommended.csv") else {
        return String::new();
    };
    let z = plan_zones(&Csv::parse(&text), r.minutes, &r.mode);
    let (m, mode) = (r.minutes, &r.mode);
    let mut h = String::new();
    if z.losses.is_empty() {
        h.push_str(&format!(
            "<p>No one would lose a service within {m} min {}.</p>\n",
            esc(mode)
        ));
    } else {
        h.push_str("<ul class=\"losses\">");
        // Services lost by the same people in the same places are one line.
        let mut lines: Vec<(Vec<String>, &Loss)> = Vec::new();
        for l in &z.losses {
            match lines
                .iter_mut()
                .find(|(_, o)| o.people == l.people && o.places == l.places)
            {
                Some((names, _)) => names.push(format!("<b>{}</b>", esc(&l.service))),
                None => lines.push((vec![format!("<b>{}</b>", esc(&l.service))], l)),
            }
        }
        for (names, l) in lines.iter().take(6) {
            let places: Vec<String> = l
                .places
                .iter()
                .take(3)
                .map(|(p, n)| format!("{} ({})", esc(p), whole(*n)))
                .collect();
            h.push_str(&format!(
                "<li><b>{}</b> people would no longer have {} within {m} min {}: most in {}.</li>",
                whole(l.people),
                either(names),
                esc(mode),
                list(&places, 3)
            ));
        }
        if lines.len() > 6 {
            let more: usize = lines[6..].iter().map(|(n, _)| n.len()).sum();
            h.push_str(&format!(
                "<li>and {} other services (the plan's scenario table has each zone).</li>",
                more
            ));
        }
        h.push_str("</ul>\n");
    }
    let before = row.get(&format!("mean_minutes_{mode}_before"));
    let after = row.get(&format!("mean_minutes_{mode}_after"));
    if let (Some(b), Some(a), Some((zone, rise))) = (before, after, z.rises.first()) {
        let others: Vec<String> = z.rises[1..]
            .iter()
            .map(|(n, v)| format!("{} (+{} min)", esc(n), minutes(*v)))
            .collect();
        h.push_str(&format!(
            "<p>Travel: the mean time by {} to the services concerned goes from {} to <b>{} min</b> (weighted by population); the largest rise is <b>+{} min</b>, in {}{}.</p>\n",
            esc(mode),
            minutes(*b),
            minutes(*a),
            minutes(*rise),
            esc(zone),
            if others.is_empty() { String::new() } else { format!(", then {}", list(&others, 2)) }
        ));
    }
    h
}

/// Reach today, where there is no plan: people within the band of a front door, and beyond.
fn today(r: &Inputs) -> String {
    let zones = Csv::parse(&r.text("zones.csv").unwrap_or_default());
    let (mut within, mut total) = (0.0, 0.0);
    for row in &zones.rows {
        let p = zones.get(row, "population").parse::<f64>().unwrap_or(0.0);
        total += p;
        if super::inputs::front_door_minutes(row, r).is_some_and(|m| m <= r.minutes as f64) {
            within += p;
        }
    }
    if total == 0.0 {
        return String::new();
    }
    format!(
        "<p>Today <b>{}</b> of {} people ({}%) live within {} min {} of a front door; {} live further away.</p>\n",
        whole(within),
        whole(total),
        figure(100.0 * within / total),
        r.minutes,
        esc(&r.mode),
        whole(total - within)
    )
}

/// What the evidence rests on, and how sure the optimiser is.
fn evidence(r: &Inputs) -> String {
    let d = &r.decide;
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let ev = &d["evidence"];
    let with_demand = n(&ev["demand_and_cost"]) + n(&ev["demand"]);
    let assessed = n(&d["assessed"]);
    let costed = whole(n(&ev["demand_and_cost"]) as f64);
    let mut parts = vec![if with_demand == assessed {
        format!(
            "demand is recorded at all {} assessed ({costed} with their running cost)",
            count(assessed as usize, "building", "buildings")
        )
    } else {
        format!(
            "demand is recorded at {} of the {} assessed ({costed} with their running cost); the other {} rest on reach alone, and none of them is closed",
            whole(with_demand as f64),
            count(assessed as usize, "building", "buildings"),
            whole((assessed - with_demand) as f64)
        )
    }];
    parts.push(format!("travel times: {}", esc(&r.basis)));
    if let Some(s) = d["new_sites_solution"].as_object() {
        let gap = s.get("gap").and_then(Value::as_f64).unwrap_or(0.0);
        let optimal = s.get("optimal").and_then(Value::as_bool) == Some(true);
        parts.push(if optimal {
            "new sites: the optimiser's choice is proven optimal".into()
        } else {
            format!(
                "new sites: the optimiser's choice is within {}% of the best possible (not proven optimal)",
                figure(gap * 100.0)
            )
        });
    }
    format!(
        "<p class=\"basis\"><b>What this rests on:</b> {}.</p>\n",
        parts.join("; ")
    )
}

/// Where the hot spots are: the places with most of their people (", most in A (n) and B").
fn hot_spot_places(r: &Inputs) -> String {
    let hs = Csv::parse(&r.text("hot_spots.csv").unwrap_or_default());
    let mut by_place: BTreeMap<String, f64> = BTreeMap::new();
    for row in &hs.rows {
        let p = hs.get(row, "population").parse::<f64>().unwrap_or(0.0);
        *by_place
            .entry(place_of(hs.get(row, "name")).to_string())
            .or_default() += p;
    }
    let mut v: Vec<(String, f64)> = by_place.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let named: Vec<String> = v
        .iter()
        .take(3)
        .map(|(p, n)| format!("{} ({})", esc(p), whole(*n)))
        .collect();
    if named.is_empty() {
        String::new()
    } else {
        format!(", most in {}", list(&named, 3))
    }
}

/// The summary section.
pub(super) fn summary(r: &Inputs) -> String {
    let d = &r.decide;
    let mut h = String::from("<section id=\"summary\" class=\"summary\"><h2>Summary</h2>\n");
    if let Some(notice) = d["notice"].as_str() {
        h.push_str(&format!("<p class=\"notice\"><b>{}</b></p>\n", esc(notice)));
    }
    let recs = &d["recommendations"];
    let n = |k: &str| recs[k].as_u64().unwrap_or(0) as usize;
    h.push_str(&format!(
        "<p class=\"counts\">{} assessed: <span class=\"rec-close\">{} close</span>, <span class=\"rec-share\">{} share</span>, <span class=\"rec-open\">{} open</span>, <span class=\"rec-review\">{} for review</span>, <span class=\"rec-keep\">{} keep</span>.</p>\n",
        count(d["assessed"].as_u64().unwrap_or(0) as usize, "building", "buildings"),
        whole(n("close") as f64),
        whole(n("share") as f64),
        whole(n("open") as f64),
        whole(n("review") as f64),
        whole(n("keep") as f64),
    ));
    match d["plan"].as_object() {
        Some(plan) => {
            let row = plan_row(r);
            h.push_str(&plan_sentence(r, plan));
            h.push_str(&cards(r, plan, &row));
            h.push_str(&losses(r, &row));
        }
        None => {
            h.push_str(&match n("review") {
                0 => "<p class=\"plan\">The rules recommend no closure.</p>\n".to_string(),
                k => format!(
                    "<p class=\"plan\">The rules close nothing: {} for review ({}), to be decided once {} use is recorded.</p>\n",
                    count(k, "building is", "buildings are"),
                    list(&named(&r.sites, "review"), 6),
                    if k == 1 { "its" } else { "their" }
                ),
            });
            h.push_str(&today(r));
        }
    }
    let new_sites = d["new_sites"].as_u64().unwrap_or(0);
    if new_sites > 0 {
        h.push_str(&format!(
            "<p>Gaps: {} people live more than {} min {} from any front door in {}{}; {} proposed to reach them (see the gap analysis).</p>\n",
            whole(d["hot_spot_population"].as_f64().unwrap_or(0.0)),
            r.far,
            esc(&r.mode),
            count(d["hot_spots"].as_u64().unwrap_or(0) as usize, "zone with high need", "zones with high need"),
            hot_spot_places(r),
            count(new_sites as usize, "new point of presence is", "new points of presence are"),
        ));
    }
    h.push_str(&evidence(r));
    h.push_str("</section>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_from_zone_names() {
        assert_eq!(place_of("Cherwell 008A"), "Cherwell");
        assert_eq!(place_of("East Weston 003"), "East Weston");
        assert_eq!(place_of("Summertown"), "Summertown");
        assert_eq!(place_of("E01028422"), "E01028422");
    }

    #[test]
    fn a_service_is_lost_where_it_leaves_the_band() {
        let z = Csv::parse(
            "id,name,population,minutes_walk_change,minutes_walk_library_before,minutes_walk_library_after\n\
             a,Town 001,100,5,10,25\nb,Town 002,50,1,19,19.5\nc,Village 001,70,30,30,60\nd,Town 003,20,0,20,\n",
        );
        let p = plan_zones(&z, 20, "walk");
        assert_eq!(p.losses.len(), 1);
        // a (10 -> 25) and d (20 -> none) lose it; b stays within; c was never within.
        assert_eq!(p.losses[0].people, 120.0);
        assert_eq!(p.losses[0].places, vec![("Town".to_string(), 120.0)]);
        assert_eq!(p.rises[0], ("Village 001".to_string(), 30.0));
    }
}
