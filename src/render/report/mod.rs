//! `report.html`: one self-contained page built only from a run's output files (so
//! `frontdoor report OUTDIR` rebuilds it). First the cabinet summary (the plan in sentences, who
//! loses what and where, what it rests on), the interactive map and the decisions in short (the
//! printed summary: two pages); then the appendices: the scorecard by recommendation, the
//! shared-site proposals with their maps, digital points, the gap analysis, the scenarios side
//! by side, data sources and parameters. The map is drawn by the page's own script on a canvas
//! from data embedded in the page ([`mapdata`]); nothing is fetched (the Content-Security-Policy
//! forbids it).

mod csv;
mod html;
mod inputs;
mod mapdata;
mod outlines;
mod proposals;
mod scenarios;
mod scorecard;
mod summary;
mod words;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::render::decide::{DIGITAL_POINT_COLUMNS, HOT_SPOT_COLUMNS, NEW_SITE_COLUMNS};
use csv::Csv;
use html::{esc, plain, table, SCRIPT, STYLE};
use inputs::Inputs;

/// Long tables (digital points) show this many rows; the rest are in the CSV beside the report.
const MOST_ROWS: usize = 100;

/// The map's script (canvas drawing, pan and zoom, hover, cards, filters, search, lazy lists).
const MAP_SCRIPT: &str = include_str!("map.js");

/// Builds report.html from a run's files, read through `read` (None: the file is absent).
pub fn build(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<String> {
    let r = Inputs::read(read)?;
    let sections: [fn(&Inputs) -> String; 12] = [
        page_head,
        summary::summary,
        map,
        scorecard::decisions,
        scorecard::scorecard,
        proposals::proposals,
        digital_points,
        gaps,
        scenarios::scenarios,
        sources,
        parameters,
        footer,
    ];
    Ok(sections.iter().map(|section| section(&r)).collect())
}

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
        "<header><h1>{}: which front doors to keep, share, close or open</h1>\n<p class=\"lede\">frontdoor {} · decisions on reach by {} within {} min · travel times: {}</p></header>\n",
        esc(study_name),
        esc(run["frontdoor"]["version"].as_str().unwrap_or("")),
        esc(mode),
        minutes,
        esc(basis)
    ));
    h.push_str("<nav class=\"noprint\"><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#map\">Map</a></li><li><a href=\"#decisions\">Decisions</a></li><li><a href=\"#scorecard\">Scorecard</a></li><li><a href=\"#proposals\">Shared sites</a></li><li><a href=\"#digital\">Digital points</a></li><li><a href=\"#gaps\">Gap analysis</a></li><li><a href=\"#scenarios\">Scenarios</a></li><li><a href=\"#sources\">Data sources</a></li><li><a href=\"#parameters\">Parameters</a></li></ul></nav>\n");

    h
}

/// The interactive map: toolbar (search, filters, layers), canvas, legend and the site card.
fn map(r: &Inputs) -> String {
    let mut h = String::from("<section id=\"map\" class=\"mapsec\"><h2>Map</h2>\n");
    h.push_str(&format!(
        "<p class=\"note noprint\">Drag to pan, scroll or use + and − to zoom; hover a site for its name, click it for its card. Zones are shaded by minutes {} to the nearest front door today, or by people who would lose a service within {} min under the plan.</p>\n",
        esc(&r.mode), r.minutes
    ));
    h.push_str(concat!(
        "<div class=\"toolbar noprint\">",
        "<label>Find <input id=\"fd-search\" type=\"search\" placeholder=\"site name or id\" autocomplete=\"off\"></label>",
        "<label>Agency <select id=\"fd-agency\"><option value=\"\">all</option></select></label>",
        "<label>Kind <select id=\"fd-kind\"><option value=\"\">all</option></select></label>",
        "<label>Recommendation <select id=\"fd-rec\"><option value=\"\">all</option></select></label>",
        "<label>Zones <select id=\"fd-zones\"><option value=\"before\">minutes today</option><option value=\"losing\">losing a service (plan)</option><option value=\"none\">none</option></select></label>",
        "<label><input id=\"fd-catchments\" type=\"checkbox\"> catchments</label>",
        "<label><input id=\"fd-proposals\" type=\"checkbox\" checked> share proposals</label>",
        "<label><input id=\"fd-furniture\" type=\"checkbox\"> street furniture</label>",
        "</div>\n<ul id=\"fd-results\" class=\"results noprint\" hidden></ul>\n",
        "<div class=\"mapwrap\"><canvas id=\"fd-map\" aria-label=\"map of sites and zones\"></canvas>",
        "<div class=\"zoom noprint\"><button id=\"fd-in\" type=\"button\" aria-label=\"zoom in\">+</button><button id=\"fd-out\" type=\"button\" aria-label=\"zoom out\">−</button><button id=\"fd-home\" type=\"button\" aria-label=\"whole study\">⌂</button></div>",
        "<div id=\"fd-tip\" class=\"tip\" hidden></div>",
        "<aside id=\"fd-card\" class=\"sitecard\" hidden></aside></div>\n",
        "<div id=\"fd-legend\" class=\"legend\"></div>\n",
        "<p id=\"fd-count\" class=\"note\"></p>\n"
    ));
    h.push_str("<noscript><p>The map needs JavaScript; recommendations.svg beside this report is the same map as a picture.</p></noscript>\n</section>\n");
    h
}

/// The digital and assisted-digital points.
fn digital_points(r: &Inputs) -> String {
    let mode = &r.mode;
    let far = r.far;
    let text = |name: &str| r.text(name);
    let mut h = String::new();
    h.push_str(&format!("<section id=\"digital\" class=\"appendix\"><h2>Digital and assisted-digital points</h2>\n<p class=\"note\">Zones more than {far} min {} from any front door, each given to the nearest street furniture or partner site within {far} min.</p>\n", esc(mode)));
    let dps = Csv::parse(&text("digital_points.csv").unwrap_or_default());
    if dps.rows.is_empty() {
        h.push_str("<p>No far zone with need has a possible host nearby.</p>\n");
    } else {
        let cols = columns_except(&DIGITAL_POINT_COLUMNS, &["zone_ids"]);
        if dps.rows.len() > MOST_ROWS {
            h.push_str(&format!("<p class=\"note\">The {MOST_ROWS} with most people of {}; every one is in digital_points.csv.</p>\n", crate::text::whole(dps.rows.len() as f64)));
        }
        h.push_str(&table(
            &cols,
            &dps.select(&cols, MOST_ROWS),
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
    h.push_str(&format!("<section id=\"gaps\" class=\"appendix\"><h2>Gap analysis</h2>\n<p class=\"note\">Hot spots: zones more than {far} min {} from any front door whose demand per head, or share of a vulnerable group, is at least {} times the study's. New sites: the maximal covering location problem over the hot spots' people, with study candidates, street furniture and partner sites as locations; ranked by the people each adds.</p>\n", esc(mode), rules["hot_spot_ratio"]));
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

/// The data sources: attributions and the input files with their fingerprints.
fn sources(r: &Inputs) -> String {
    let run = &r.run;
    let basis = &r.basis;
    let mut h = String::new();
    h.push_str("<section id=\"sources\" class=\"appendix\"><h2>Data sources</h2>\n");
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
    h.push_str("<section id=\"parameters\" class=\"appendix\"><h2>Parameters</h2>\n<h3>Decision rules</h3><dl>");
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
    h.push_str(&format!(
        "<script type=\"application/json\" id=\"fd-data\">{}</script>\n<script>{SCRIPT}</script>\n<script>{MAP_SCRIPT}</script>\n</body>\n</html>\n",
        mapdata::map_data(r)
    ));
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
    refuse_without_tables(dir)?;
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

/// The files report.html is built from; a run's other outputs it never reads.
pub(crate) const SOURCES: [&str; 13] = [
    "run.json",
    "decide.json",
    "sites.csv",
    "zones.csv",
    "zones.geojson",
    "catchments.geojson",
    "roads.geojson",
    "proposals.csv",
    "digital_points.csv",
    "new_sites.csv",
    "hot_spots.csv",
    "scenarios.csv",
    "scenario-recommended.csv",
];

/// A run written without its CSV or GeoJSON files cannot have its report rebuilt: says so.
fn refuse_without_tables(dir: &Path) -> Result<()> {
    let run: Option<Value> = std::fs::read(dir.join("run.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let Some(formats) = run
        .as_ref()
        .and_then(|r| r.get("formats")?.as_array().cloned())
    else {
        return Ok(());
    };
    let has = |f: &str| formats.iter().any(|v| v.as_str() == Some(f));
    let missing: Vec<&str> = ["csv", "geojson"].into_iter().filter(|f| !has(f)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut again = vec!["csv", "geojson"];
    let others: Vec<&str> = formats
        .iter()
        .filter_map(Value::as_str)
        .filter(|f| !again.contains(f))
        .collect();
    again.extend(others);
    let flags: Vec<String> = again.iter().map(|f| format!("--format {f}")).collect();
    Err(Error::Usage(format!(
        "{}: this run was written without {} files, which report.html is built from; run it \
         again with {}",
        dir.display(),
        missing.join(" and "),
        flags.join(" ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::decide::{PROPOSAL_COLUMNS, PROPOSAL_LAST_COLUMNS};

    #[test]
    fn every_figure_shown_is_a_column_the_writer_produces() {
        for (_, col) in proposals::PROPOSAL_FIGURES {
            let written = PROPOSAL_COLUMNS.contains(&col) || PROPOSAL_LAST_COLUMNS.contains(&col);
            assert!(written, "{col}");
        }
    }
}
