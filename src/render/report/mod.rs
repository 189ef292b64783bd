//! `report.html`: one self-contained page built only from a run's output files (so
//! `frontdoor report OUTDIR` rebuilds it): the recommendations map, the sortable scorecard, the
//! shared-site proposals with their small maps, digital points, the gap analysis, the scenarios,
//! data sources with attributions, and the parameters. Maps are inline SVG; the only script is
//! the table sorter, inline; no fonts, images or anything else are fetched.

mod csv;
mod html;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::render::decide::{DIGITAL_POINT_COLUMNS, HOT_SPOT_COLUMNS, NEW_SITE_COLUMNS};
use csv::Csv;
use html::{count_sites, esc, inline_svg, plain, show, table, SCRIPT, STYLE};

/// A CSV table read back from an output file.
/// What every section reads: the run's files and the decision rules' basics.
struct Inputs<'a> {
    read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    run: Value,
    decide: Value,
    sites: Csv,
    minutes: u64,
    mode: String,
    far: u64,
    study_name: String,
    basis: String,
}

impl<'a> Inputs<'a> {
    /// Reads run.json, decide.json and sites.csv; refused, saying what is missing, where the
    /// folder is not a run's.
    fn read(read: &'a dyn Fn(&str) -> Option<Vec<u8>>) -> Result<Inputs<'a>> {
        let text = |name: &str| read(name).map(|b| String::from_utf8_lossy(&b).into_owned());
        let json = |name: &str| -> Result<Value> {
            let t = text(name).ok_or_else(|| {
                Error::Usage(format!(
                    "{name} is missing: `frontdoor report` needs the folder of a `frontdoor run`"
                ))
            })?;
            serde_json::from_str(&t)
                .map_err(|e| Error::Usage(format!("{name}: not valid JSON: {e}")))
        };
        let run = json("run.json")?;
        let decide = json("decide.json")?;
        let sites = Csv::parse(&text("sites.csv").ok_or_else(|| {
            Error::Usage(
                "sites.csv is missing: `frontdoor report` needs the folder of a `frontdoor run`"
                    .into(),
            )
        })?);
        let rules = &decide["rules"];
        Ok(Inputs {
            read,
            minutes: rules["minutes"].as_u64().unwrap_or(0),
            mode: rules["mode"].as_str().unwrap_or("walk").to_string(),
            far: rules["far_minutes"].as_u64().unwrap_or(0),
            study_name: run["study"]["name"].as_str().unwrap_or("study").to_string(),
            basis: run["parameters"]["time_basis"]
                .as_str()
                .unwrap_or("")
                .replace('_', " ")
                + &transit_note(&run)
                    .map(|t| format!("; {t}"))
                    .unwrap_or_default(),
            run,
            decide,
            sites,
        })
    }

    /// An output file as text, if the run wrote it.
    fn text(&self, name: &str) -> Option<String> {
        (self.read)(name).map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// Builds report.html from a run's files, read through `read` (None: the file is absent).
pub fn build(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<String> {
    let r = Inputs::read(read)?;
    let sections: [fn(&Inputs) -> String; 11] = [
        page_head,
        summary,
        map,
        scorecard,
        proposals,
        digital_points,
        gaps,
        scenarios,
        sources,
        parameters,
        footer,
    ];
    Ok(sections.iter().map(|section| section(&r)).collect())
}

/// The figures shown for each proposal, with the `proposals.csv` column each comes from.
const PROPOSAL_FIGURES: [(&str, &str); 13] = [
    ("host", "host"),
    ("host agency", "host_agency"),
    ("host capacity (visits a year)", "host_capacity"),
    ("host condition", "host_condition"),
    ("guests", "guests"),
    ("guest agencies", "guest_agencies"),
    ("walk to host (min)", "guest_walk_minutes"),
    ("demand fits", "fit"),
    ("face-to-face a year after", "face_to_face_after"),
    ("people within reach before", "catchment_before"),
    ("people within reach of host", "catchment_after"),
    ("people losing a service", "losing"),
    ("annual cost saved", "annual_cost_saved"),
];

/// The columns of a table but those left out, in order.
fn columns_except<'a>(columns: &[&'a str], left_out: &[&str]) -> Vec<&'a str> {
    columns
        .iter()
        .copied()
        .filter(|c| !left_out.contains(c))
        .collect()
}

/// The page's head, title, header and navigation.
fn page_head(r: &Inputs) -> String {
    let run = &r.run;
    let minutes = r.minutes;
    let mode = &r.mode;
    let study_name = &r.study_name;
    let basis = &r.basis;
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    h.push_str(&format!(
        "<title>{} — frontdoor recommendations</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(study_name)
    ));
    h.push_str(&format!(
        "<header><h1>{}: keep, share, close or open</h1>\n<p class=\"lede\">frontdoor {} · decisions by {} within {} min · travel times: {}</p></header>\n",
        esc(study_name),
        esc(run["frontdoor"]["version"].as_str().unwrap_or("")),
        esc(mode),
        minutes,
        esc(basis)
    ));
    h.push_str("<nav><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#map\">Map</a></li><li><a href=\"#scorecard\">Scorecard</a></li><li><a href=\"#proposals\">Shared sites</a></li><li><a href=\"#digital\">Digital points</a></li><li><a href=\"#gaps\">Gap analysis</a></li><li><a href=\"#scenarios\">Scenarios</a></li><li><a href=\"#sources\">Data sources</a></li><li><a href=\"#parameters\">Parameters</a></li></ul></nav>\n");

    h
}

/// The summary: counts of each recommendation and the plan in a paragraph.
fn summary(r: &Inputs) -> String {
    let decide = &r.decide;
    let minutes = r.minutes;
    let mode = &r.mode;
    let mut h = String::new();
    let recs = &decide["recommendations"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    h.push_str("<section id=\"summary\"><h2>Summary</h2>\n");
    if let Some(notice) = decide["notice"].as_str() {
        h.push_str(&format!("<p class=\"notice\"><b>{}</b></p>\n", esc(notice)));
    }
    h.push_str("<div class=\"cards\">");
    for (label, v) in [
        ("buildings assessed", n(&decide["assessed"])),
        ("close", n(&recs["close"])),
        ("review (no demand data)", n(&recs["review"])),
        ("share", n(&recs["share"])),
        ("keep", n(&recs["keep"])),
        ("open", n(&recs["open"])),
        ("share proposals", n(&decide["proposals"])),
        ("digital points", n(&decide["digital_points"])),
        ("hot-spot zones", n(&decide["hot_spots"])),
    ] {
        h.push_str(&format!(
            "<div class=\"card\"><b>{}</b>{}</div>",
            crate::text::whole(v as f64),
            esc(label)
        ));
    }
    h.push_str("</div>\n");
    let ev = &decide["evidence"];
    let with_demand = n(&ev["demand_and_cost"]) + n(&ev["demand"]);
    h.push_str(&format!(
        "<p>Evidence: demand is recorded at {} of the {} buildings assessed ({} with their running cost); the others rest on reach alone, and none of them is closed.</p>\n",
        crate::text::whole(with_demand as f64),
        crate::text::whole(n(&decide["assessed"]) as f64),
        crate::text::whole(n(&ev["demand_and_cost"]) as f64)
    ));
    if let Some(plan) = decide["plan"].as_object() {
        let f = |k: &str| plan.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        let money = |v: f64| crate::text::money(v, decide["currency"].as_str());
        h.push_str(&format!(
            "<p>Taken together, the recommendations close {} outright, move {} into partners' buildings and open {}: {}; <b>{}</b> people would lose a service within {} min {} and {} would gain one. {} face-to-face contacts a year are re-routed to the nearest open site offering the service{}{} (in this scenario the contacts of sites closed to digital are re-routed like any other closure's, not moved to another channel).</p>\n",
            count_sites(f("sites_closed")),
            count_sites(f("sites_shared")),
            count_sites(f("sites_opened")),
            match (f("annual_cost_saved"), f("sites_without_cost")) {
                (s, n) if s == 0.0 && n > 0.0 => format!("the study gives no running cost for the {} concerned", count_sites(n)),
                (s, n) if n > 0.0 => format!("they save <b>{}</b> a year (and {} have no cost in the study)", money(s), count_sites(n)),
                (s, _) => format!("they save <b>{}</b> a year", money(s)),
            },
            crate::text::whole(f("population_losing")),
            minutes,
            esc(mode),
            crate::text::whole(f("population_gaining")),
            crate::text::whole(f("face_to_face_rerouted")),
            if f("face_to_face_unplaced") > 0.0 {
                format!(
                    "; {} have no open site offering their service",
                    crate::text::whole(f("face_to_face_unplaced"))
                )
            } else {
                String::new()
            },
            if f("newly_overloaded_sites") > 0.0 {
                format!("; {} sites would then be over capacity that are not today", f("newly_overloaded_sites") as u64)
            } else {
                String::new()
            }
        ));
    } else {
        match n(&recs["review"]) {
            0 => h.push_str("<p>The rules recommend no change.</p>\n"),
            k => h.push_str(&format!(
                "<p>The rules close nothing: {} for review, to be decided once {} use is recorded.</p>\n",
                if k == 1 { "1 building is".to_string() } else { format!("{} buildings are", crate::text::whole(k as f64)) },
                if k == 1 { "its" } else { "their" }
            )),
        }
    }
    h.push_str("</section>\n");

    h
}

/// The map of recommendations.
fn map(r: &Inputs) -> String {
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str("<section id=\"map\"><h2>Map of recommendations</h2>\n");
    match text("recommendations.svg") {
        Some(svg) => h.push_str(&inline_svg(&svg, "map of recommendations")),
        None => h.push_str("<p class=\"note\">recommendations.svg is missing.</p>"),
    }
    h.push_str("</section>\n");

    h
}

/// The scorecard: every building assessed and every candidate, sortable.
fn scorecard(r: &Inputs) -> String {
    let sites = &r.sites;
    let minutes = r.minutes;
    let mode = &r.mode;
    let mut h = String::new();
    let band_col = format!("close_alone_losing_{minutes}min_{mode}");
    let wanted = [
        "id",
        "name",
        "agency",
        "kind",
        "recommendation",
        "evidence",
        "role",
        "catchment_population",
        "overlap_percent",
        band_col.as_str(),
        "face_to_face_a_year",
        "right_first_time_percent",
        "annual_cost",
        "cost_per_face_to_face",
        "condition",
        "lease_end",
        "reasons",
    ];
    let shown: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|c| sites.col(c).is_some())
        .collect();
    h.push_str(&format!(
        "<section id=\"scorecard\"><h2>Scorecard</h2>\n<p class=\"note\">Every building assessed and every candidate (street furniture is in the digital points and new sites below). Catchment: people within {minutes} min {}; overlap: the share of them who have all the site's services at another open site as near; losing: people left without one of its services within {minutes} min if it closed alone. Click a heading to sort.</p>\n",
        esc(mode)
    ));
    let mut rows = Vec::new();
    for r in &sites.rows {
        let listed = sites.get(r, "assessed") == "true" || sites.get(r, "candidate") == "true";
        if listed {
            rows.push(
                shown
                    .iter()
                    .map(|c| sites.get(r, c).to_string())
                    .collect::<Vec<_>>(),
            );
        }
    }
    h.push_str(&table(&shown, &rows, true, "scorecard-table"));
    h.push_str("</section>\n");

    h
}

/// The shared-site proposals, each with its figures and map.
fn proposals(r: &Inputs) -> String {
    let rules = &r.decide["rules"];
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str("<section id=\"proposals\"><h2>Shared-site proposals</h2>\n");
    h.push_str(&format!("<p class=\"note\">Sites of different agencies within {} min walk of a host whose capacity takes their face-to-face contacts. Each is run as a share scenario: the host takes the guests' services, guests' contacts move to the host.</p>\n", rules["share_minutes"]));
    let props = Csv::parse(&text("proposals.csv").unwrap_or_default());
    if props.rows.is_empty() {
        h.push_str(
            "<p>No cluster of partners' sites was found within the walking threshold.</p>\n",
        );
    }
    for r in &props.rows {
        let id = props.get(r, "proposal");
        h.push_str(&format!(
            "<article class=\"proposal\"><h3>{}: {} hosting {} — {}</h3><div class=\"grid\"><dl>",
            esc(id),
            esc(props.get(r, "host_name")),
            esc(&props.get(r, "guest_names").replace(';', ", ")),
            if props.get(r, "recommended") == "true" {
                "recommended"
            } else {
                "not recommended"
            }
        ));
        for (label, col) in PROPOSAL_FIGURES {
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>",
                esc(label),
                show(props.get(r, col)).replace(';', ", ")
            ));
        }
        h.push_str("</dl>");
        if let Some(svg) = text(&format!("proposal-{id}.svg")) {
            h.push_str(&inline_svg(&svg, &format!("map of proposal {id}")));
        }
        h.push_str("</div></article>\n");
    }
    h.push_str("</section>\n");

    h
}

/// The digital and assisted-digital points.
fn digital_points(r: &Inputs) -> String {
    let mode = &r.mode;
    let far = r.far;
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str(&format!("<section id=\"digital\"><h2>Digital and assisted-digital points</h2>\n<p class=\"note\">Zones more than {far} min {} from any front door, each given to the nearest street furniture or partner site within {far} min.</p>\n", esc(mode)));
    let dps = Csv::parse(&text("digital_points.csv").unwrap_or_default());
    if dps.rows.is_empty() {
        h.push_str("<p>No far zone with need has a possible host nearby.</p>\n");
    } else {
        let cols = columns_except(&DIGITAL_POINT_COLUMNS, &["zone_ids"]);
        h.push_str(&table(
            &cols,
            &dps.select(&cols, usize::MAX),
            true,
            "digital-table",
        ));
    }
    h.push_str("</section>\n");

    h
}

/// The gap analysis: the optimiser's answer, new sites and hot spots.
fn gaps(r: &Inputs) -> String {
    let decide = &r.decide;
    let rules = &r.decide["rules"];
    let mode = &r.mode;
    let far = r.far;
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str(&format!("<section id=\"gaps\"><h2>Gap analysis</h2>\n<p class=\"note\">Hot spots: zones more than {far} min {} from any front door whose demand per head, or share of a vulnerable group, is at least {} times the study's. New sites: the maximal covering location problem over the hot spots' people, with study candidates, street furniture and partner sites as locations; ranked by the people each adds.</p>\n", esc(mode), rules["hot_spot_ratio"]));
    if let Some(s) = decide["new_sites_solution"].as_object() {
        h.push_str(&format!(
            "<p>Optimiser: {} with p = {}; {} people covered, bound {}, gap {}{}.</p>\n",
            esc(s.get("model").and_then(Value::as_str).unwrap_or("")),
            s.get("p").and_then(Value::as_u64).unwrap_or(0),
            crate::text::whole(s.get("objective").and_then(Value::as_f64).unwrap_or(0.0)),
            crate::text::whole(s.get("bound").and_then(Value::as_f64).unwrap_or(0.0)),
            s.get("gap").and_then(Value::as_f64).unwrap_or(0.0),
            if s.get("optimal").and_then(Value::as_bool) == Some(true) {
                ", proven optimal"
            } else {
                ", not proven optimal"
            }
        ));
    }
    let ns = Csv::parse(&text("new_sites.csv").unwrap_or_default());
    h.push_str("<h3>New sites proposed</h3>\n");
    if ns.rows.is_empty() {
        h.push_str("<p>None: no hot spot, or no possible location within reach of one.</p>\n");
    } else {
        let cols = columns_except(&NEW_SITE_COLUMNS, &["zone_ids"]);
        h.push_str(&table(
            &cols,
            &ns.select(&cols, usize::MAX),
            false,
            "new-sites-table",
        ));
    }
    let hs = Csv::parse(&text("hot_spots.csv").unwrap_or_default());
    h.push_str(&format!(
        "<h3>Hot spots ({} zones, most people first{})</h3>\n",
        hs.rows.len(),
        if hs.rows.len() > 50 {
            "; the first 50, all in hot_spots.csv"
        } else {
            ""
        }
    ));
    if !hs.rows.is_empty() {
        let cols = HOT_SPOT_COLUMNS;
        h.push_str(&table(
            &cols,
            &hs.select(&cols, 50),
            true,
            "hot-spots-table",
        ));
    }
    h.push_str("</section>\n");

    h
}

/// The scenarios, one column each.
fn scenarios(r: &Inputs) -> String {
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str("<section id=\"scenarios\"><h2>Scenarios</h2>\n");
    let sc = Csv::parse(&text("scenarios.csv").unwrap_or_default());
    if sc.rows.is_empty() {
        h.push_str("<p>No scenario was run.</p>\n");
    } else {
        h.push_str("<p class=\"note\">Each scenario against the baseline; <code>recommended</code> is every recommendation together. One column per scenario.</p>\n");
        let mut cols = vec!["measure".to_string()];
        cols.extend(sc.rows.iter().map(|r| sc.get(r, "scenario").to_string()));
        let rows: Vec<Vec<String>> = sc
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.as_str() != "scenario")
            .map(|(i, c)| {
                let mut v = vec![c.clone()];
                v.extend(
                    sc.rows
                        .iter()
                        .map(|r| r.get(i).cloned().unwrap_or_default()),
                );
                v
            })
            .collect();
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        h.push_str(&table(&cols, &rows, false, "scenarios-table"));
    }
    h.push_str("</section>\n");

    h
}

/// The data sources: attributions and the input files with their fingerprints.
fn sources(r: &Inputs) -> String {
    let run = &r.run;
    let basis = &r.basis;
    let mut h = String::new();
    h.push_str("<section id=\"sources\"><h2>Data sources</h2>\n");
    if let Some(att) = run["study"]["attribution"].as_array() {
        h.push_str("<ul>");
        for a in att {
            h.push_str(&format!("<li>{}</li>", esc(a.as_str().unwrap_or(""))));
        }
        if basis.starts_with("network") {
            h.push_str("<li>Road and path network © OpenStreetMap contributors (ODbL 1.0)</li>");
        }
        if let Some(feeds) = run["parameters"]["transit"]["feeds"].as_array() {
            let names: Vec<String> = feeds
                .iter()
                .map(|f| esc(f["file"].as_str().unwrap_or("")))
                .collect();
            h.push_str(&format!(
                "<li>Public-transport timetables (GTFS): {}</li>",
                names.join(", ")
            ));
        }
        h.push_str("</ul>\n");
    }
    if let Some(inputs) = run["inputs"].as_array() {
        let cols = ["role", "path", "rows", "rows_used", "sha256"];
        let rows: Vec<Vec<String>> = inputs
            .iter()
            .map(|i| {
                cols.iter()
                    .map(|c| match &i[*c] {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        v => v.to_string(),
                    })
                    .collect()
            })
            .collect();
        h.push_str(&table(&cols, &rows, false, "inputs-table"));
    }
    h.push_str("</section>\n");

    h
}

/// The parameters: decision rules, travel and run.
fn parameters(r: &Inputs) -> String {
    let run = &r.run;
    let rules = &r.decide["rules"];
    let mut h = String::new();
    h.push_str("<section id=\"parameters\"><h2>Parameters</h2>\n<h3>Decision rules</h3><dl>");
    if let Some(o) = rules.as_object() {
        for (k, v) in o {
            h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(&plain(v))));
        }
    }
    h.push_str("</dl>\n<h3>Travel and run</h3><dl>");
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    if let Some(o) = run["parameters"].as_object() {
        for (k, v) in o {
            if k != "network" {
                params.insert(k.clone(), plain(v));
            }
        }
    }
    for (k, v) in params {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(&k), esc(&v)));
    }
    h.push_str("</dl>\n</section>\n");
    h
}

/// The footer and the table sorter.
fn footer(r: &Inputs) -> String {
    let run = &r.run;
    let mut h = String::new();
    h.push_str(&format!("<footer class=\"note\"><p>Made by frontdoor {} from the files beside this report; rebuild it with <code>frontdoor report &lt;folder&gt;</code>.</p></footer>\n", esc(run["frontdoor"]["version"].as_str().unwrap_or(""))));
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    h
}

/// Rebuilds `report.html` in a run's output folder (written to a temporary file, then renamed).
pub fn rebuild(dir: &Path) -> Result<std::path::PathBuf> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a folder; give the --out folder of a `frontdoor run`",
            dir.display()
        )));
    }
    let html = build(&|name| std::fs::read(dir.join(name)).ok())
        .map_err(|e| Error::Usage(format!("{}: {e}", dir.display())))?;
    let tmp = dir.join(format!(".report.html.{}", std::process::id()));
    let target = dir.join("report.html");
    let _pending = crate::interrupt::Pending::new(&tmp);
    let written = std::fs::write(&tmp, html).map_err(|e| Error::io(&target, e));
    let renamed =
        written.and_then(|_| std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e)));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed.map(|_| target)
}

/// How public-transport times were found, from run.json, e.g. "public transport from GTFS
/// timetables, leaving 14:00-15:00 on 2019-05-13, median (p50)".
fn transit_note(run: &Value) -> Option<String> {
    let t = &run["parameters"]["transit"];
    let day = t["service_day"].as_str()?;
    let first = t["first_departure"].as_str().unwrap_or("");
    let window = t["window_minutes"].as_u64().unwrap_or(0);
    let end = first
        .split_once(':')
        .and_then(|(h, m)| Some(h.parse::<u64>().ok()? * 60 + m.parse::<u64>().ok()?))
        .map(|m| m + window)
        .map(|m| format!("{:02}:{:02}", m / 60 % 24, m % 60))
        .unwrap_or_default();
    let p = t["percentiles"][0].as_u64().unwrap_or(50);
    let which = if p == 50 {
        "median".to_string()
    } else {
        format!("{p}th percentile")
    };
    Some(format!(
        "public transport from GTFS timetables, leaving {first}-{end} on {day}, {which} (p{p})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::decide::{PROPOSAL_COLUMNS, PROPOSAL_LAST_COLUMNS};

    #[test]
    fn every_figure_shown_is_a_column_the_writer_produces() {
        for (_, col) in PROPOSAL_FIGURES {
            let written = PROPOSAL_COLUMNS.contains(&col) || PROPOSAL_LAST_COLUMNS.contains(&col);
            assert!(written, "{col}");
        }
    }
}
