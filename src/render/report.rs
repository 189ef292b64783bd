//! `report.html`: one self-contained page built only from a run's output files (so
//! `frontdoor report OUTDIR` rebuilds it): the recommendations map, the sortable scorecard, the
//! shared-site proposals with their small maps, digital points, the gap analysis, the scenarios,
//! data sources with attributions, and the parameters. Maps are inline SVG; the only script is
//! the table sorter, inline; no fonts, images or anything else are fetched.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// A CSV table read back from an output file.
struct Csv {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    /// Parses RFC 4180 text as written by frontdoor.
    fn parse(text: &str) -> Csv {
        let mut records: Vec<Vec<String>> = Vec::new();
        let mut field = String::new();
        let mut record = Vec::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, '\r') => {}
                (false, c) => field.push(c),
            }
        }
        if !field.is_empty() || !record.is_empty() {
            record.push(field);
            records.push(record);
        }
        let mut it = records.into_iter();
        Csv {
            columns: it.next().unwrap_or_default(),
            rows: it.collect(),
        }
    }

    /// The first `limit` rows, with these columns (blank where a column is absent).
    fn select(&self, columns: &[&str], limit: usize) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .take(limit)
            .map(|r| columns.iter().map(|c| self.get(r, c).to_string()).collect())
            .collect()
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    fn get<'a>(&'a self, row: &'a [String], name: &str) -> &'a str {
        self.col(name)
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A value for display: numbers with thousands separators, the rest escaped.
fn show(v: &str) -> String {
    match v.parse::<f64>() {
        Ok(x)
            if x.is_finite()
                && !v.is_empty()
                && v.chars().all(|c| c.is_ascii_digit() || ".-e".contains(c)) =>
        {
            if x.fract() == 0.0 && x.abs() >= 1000.0 {
                crate::text::whole(x)
            } else {
                esc(v)
            }
        }
        _ => esc(v),
    }
}

/// A table; `sortable` adds the click-to-sort header. A `reasons` column is not a column: it
/// is written as a full-width row under its row (each pair in its own `tbody`, sorted together).
fn table(columns: &[&str], rows: &[Vec<String>], sortable: bool, id: &str) -> String {
    let mut h = format!(
        "<div class=\"scroll\"><table id=\"{}\"{}>\n<thead><tr>",
        esc(id),
        if sortable { " class=\"sortable\"" } else { "" }
    );
    let reasons = columns.iter().position(|c| *c == "reasons");
    let shown = columns.len() - usize::from(reasons.is_some());
    for c in columns.iter().filter(|c| **c != "reasons") {
        h.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            esc(&c.replace('_', " "))
        ));
    }
    h.push_str("</tr></thead>\n");
    if reasons.is_none() {
        h.push_str("<tbody>\n");
    }
    for r in rows {
        if reasons.is_some() {
            h.push_str("<tbody>");
        }
        h.push_str("<tr>");
        for (c, v) in columns.iter().zip(r) {
            if *c == "reasons" {
                continue;
            }
            if *c == "recommendation" {
                h.push_str(&format!("<td class=\"rec rec-{0}\">{0}</td>", esc(v)));
                continue;
            }
            let num = v.parse::<f64>().is_ok();
            h.push_str(&format!(
                "<td{}{}>{}</td>",
                if num { " class=\"n\"" } else { "" },
                if num {
                    format!(" data-v=\"{}\"", esc(v))
                } else {
                    String::new()
                },
                show(v)
            ));
        }
        h.push_str("</tr>\n");
        if let Some(i) = reasons {
            let items: Vec<String> = r[i]
                .split("; ")
                .map(|x| format!("<li>{}</li>", esc(x)))
                .collect();
            h.push_str(&format!(
                "<tr class=\"why\"><td colspan=\"{shown}\"><ul>{}</ul></td></tr></tbody>\n",
                items.join("")
            ));
        }
    }
    if reasons.is_none() {
        h.push_str("</tbody>");
    }
    h.push_str("</table></div>\n");
    h
}

/// An SVG file inline, without its XML prologue, scaled by CSS.
fn inline_svg(svg: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    let body = body.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    );
    format!("<figure class=\"map\">{body}</figure>\n")
}

const STYLE: &str = r#"
:root { --ink:#1b1b1b; --muted:#555; --rule:#ccc; --keep:#2b6cb0; --share:#2f855a; --close:#c53030; --open:#805ad5; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin: .4rem 0; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.lede { color: var(--muted); margin-top: 0; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .6rem; margin: 1rem 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .8rem; }
.card b { display: block; font-size: 1.5rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th { background: #f2f2f2; position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort=ascending]::after { content: " \25B2"; } table.sortable th[aria-sort=descending]::after { content: " \25BC"; }
tr.why td { border-bottom: 1px solid #999; padding-top: 0; color: #333; font-size: 12.5px; }
tr.why ul { margin: 0 0 .3rem; padding-left: 1.2rem; }
#scorecard-table tbody tr:first-child td { border-bottom: none; }
.rec { font-weight: 600; } .rec-keep { color: var(--keep); } .rec-share { color: var(--share); } .rec-close { color: var(--close); } .rec-open { color: var(--open); }
figure.map { margin: .5rem 0; } figure.map svg { width: 100%; height: auto; border: 1px solid var(--rule); }
.proposal { border: 1px solid var(--rule); border-radius: 6px; padding: .5rem 1rem 1rem; margin: 1rem 0; break-inside: avoid; }
.proposal .grid { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(300px, 1.4fr); gap: 1rem; align-items: start; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; } dt { color: var(--muted); } dd { margin: 0; }
.note { color: var(--muted); font-size: 13px; }
@media (max-width: 800px) { .proposal .grid { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; font-size: 10pt; padding: 0; }
  nav, .noprint { display: none; }
  h2 { break-after: avoid; } table { font-size: 8pt; } th { position: static; }
  .scroll { overflow: visible; } tr, tbody, .proposal, figure.map { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('table.sortable').forEach(function (t) {
  t.querySelectorAll('th').forEach(function (th, i) {
    th.tabIndex = 0;
    function sort() {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      t.querySelectorAll('th').forEach(function (o) { o.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var many = t.tBodies.length > 1;
      var body = many ? t : t.tBodies[0];
      var rows = Array.prototype.slice.call(many ? t.tBodies : body.rows);
      rows.sort(function (a, b) {
        var x = many ? a.rows[0].cells[i] : a.cells[i], y = many ? b.rows[0].cells[i] : b.cells[i];
        var xv = x.getAttribute('data-v'), yv = y.getAttribute('data-v');
        var xe = x.textContent === '', ye = y.textContent === '';
        if (xe || ye) { return xe === ye ? 0 : (xe ? 1 : -1); }
        var r;
        if (xv !== null && yv !== null) { r = parseFloat(xv) - parseFloat(yv); }
        else if (xv !== null) { r = -1; } else if (yv !== null) { r = 1; }
        else { r = x.textContent.localeCompare(y.textContent); }
        return asc ? r : -r;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(); } });
  });
});
"#;

/// Builds report.html from a run's files, read by name (None: absent).
pub fn build(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<String> {
    let text = |name: &str| read(name).map(|b| String::from_utf8_lossy(&b).into_owned());
    let json = |name: &str| -> Result<Value> {
        let t = text(name).ok_or_else(|| {
            Error::Usage(format!(
                "{name} is missing: `frontdoor report` needs the folder of a `frontdoor run`"
            ))
        })?;
        serde_json::from_str(&t).map_err(|e| Error::Usage(format!("{name}: not valid JSON: {e}")))
    };
    let run = json("run.json")?;
    let decide = json("decide.json")?;
    let sites = Csv::parse(&text("sites.csv").ok_or_else(|| {
        Error::Usage(
            "sites.csv is missing: `frontdoor report` needs the folder of a `frontdoor run`".into(),
        )
    })?);
    let rules = &decide["rules"];
    let minutes = rules["minutes"].as_u64().unwrap_or(0);
    let mode = rules["mode"].as_str().unwrap_or("walk").to_string();
    let far = rules["far_minutes"].as_u64().unwrap_or(0);
    let study_name = run["study"]["name"].as_str().unwrap_or("study").to_string();
    let basis = run["parameters"]["time_basis"]
        .as_str()
        .unwrap_or("")
        .to_string();

    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
    h.push_str(&format!(
        "<title>{} — frontdoor recommendations</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&study_name)
    ));
    h.push_str(&format!(
        "<header><h1>{}: keep, share, close or open</h1>\n<p class=\"lede\">frontdoor {} · decisions by {} within {} min · travel times: {}</p></header>\n",
        esc(&study_name),
        esc(run["frontdoor"]["version"].as_str().unwrap_or("")),
        esc(&mode),
        minutes,
        esc(&basis.replace('_', " "))
    ));
    h.push_str("<nav><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#map\">Map</a></li><li><a href=\"#scorecard\">Scorecard</a></li><li><a href=\"#proposals\">Shared sites</a></li><li><a href=\"#digital\">Digital points</a></li><li><a href=\"#gaps\">Gap analysis</a></li><li><a href=\"#scenarios\">Scenarios</a></li><li><a href=\"#sources\">Data sources</a></li><li><a href=\"#parameters\">Parameters</a></li></ul></nav>\n");

    // Summary.
    let recs = &decide["recommendations"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    h.push_str("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">");
    for (label, v) in [
        ("buildings assessed", n(&recs["assessed"])),
        ("keep", n(&recs["keep"])),
        ("share", n(&recs["share"])),
        ("close", n(&recs["close"])),
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
    if let Some(plan) = decide["plan"].as_object() {
        let f = |k: &str| plan.get(k).and_then(Value::as_f64).unwrap_or(0.0);
        h.push_str(&format!(
            "<p>Taken together, the recommendations close {} outright, move {} into partners' buildings and open {}: {}; <b>{}</b> people would lose a service within {} min {} and {} would gain one. {} face-to-face contacts a year are re-routed to the nearest open site offering the service{}{} (in this scenario the contacts of sites closed to digital are re-routed like any other closure's, not moved to another channel).</p>\n",
            count_sites(f("sites_closed")),
            count_sites(f("sites_shared")),
            count_sites(f("sites_opened")),
            match (f("annual_cost_saved"), f("sites_without_cost")) {
                (s, n) if s == 0.0 && n > 0.0 => format!("the study gives no running cost for the {} concerned", count_sites(n)),
                (s, n) if n > 0.0 => format!("they save <b>{}</b> a year (and {} have no cost in the study)", crate::text::money(s), count_sites(n)),
                (s, _) => format!("they save <b>{}</b> a year", crate::text::money(s)),
            },
            crate::text::whole(f("population_losing")),
            minutes,
            esc(&mode),
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
            if f("overloaded_sites") > 0.0 {
                format!("; {} sites would then be over capacity", f("overloaded_sites") as u64)
            } else {
                String::new()
            }
        ));
    } else {
        h.push_str("<p>The rules recommend no change.</p>\n");
    }
    h.push_str("</section>\n");

    // Map.
    h.push_str("<section id=\"map\"><h2>Map of recommendations</h2>\n");
    match text("recommendations.svg") {
        Some(svg) => h.push_str(&inline_svg(&svg, "map of recommendations")),
        None => h.push_str("<p class=\"note\">recommendations.svg is missing.</p>"),
    }
    h.push_str("</section>\n");

    // Scorecard.
    let band_col = format!("close_alone_losing_{minutes}min_{mode}");
    let wanted = [
        "id",
        "name",
        "agency",
        "kind",
        "recommendation",
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
        esc(&mode)
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

    // Proposals.
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
        for (label, col) in [
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
        ] {
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

    // Digital points.
    h.push_str(&format!("<section id=\"digital\"><h2>Digital and assisted-digital points</h2>\n<p class=\"note\">Zones more than {far} min {} from any front door, each given to the nearest street furniture or partner site within {far} min.</p>\n", esc(&mode)));
    let dps = Csv::parse(&text("digital_points.csv").unwrap_or_default());
    if dps.rows.is_empty() {
        h.push_str("<p>No far zone with need has a possible host nearby.</p>\n");
    } else {
        let cols = [
            "digital_point",
            "host",
            "host_name",
            "host_agency",
            "host_kind",
            "zones",
            "need",
            "need_basis",
            "population",
        ];
        h.push_str(&table(
            &cols,
            &dps.select(&cols, usize::MAX),
            true,
            "digital-table",
        ));
    }
    h.push_str("</section>\n");

    // Gaps.
    h.push_str(&format!("<section id=\"gaps\"><h2>Gap analysis</h2>\n<p class=\"note\">Hot spots: zones more than {far} min {} from any front door whose demand per head, or share of a vulnerable group, is at least {} times the study's. New sites: the maximal covering location problem over the hot spots' people, with study candidates, street furniture and partner sites as locations; ranked by the people each adds.</p>\n", esc(&mode), rules["hot_spot_ratio"]));
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
        let cols = [
            "rank",
            "site",
            "name",
            "agency",
            "kind",
            "candidate",
            "population_covered",
            "zones_covered",
        ];
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
        let cols = [
            "zone",
            "name",
            "population",
            "front_door_minutes",
            "demand_per_head",
            "reason",
            "covered_by_new_site",
        ];
        h.push_str(&table(
            &cols,
            &hs.select(&cols, 50),
            true,
            "hot-spots-table",
        ));
    }
    h.push_str("</section>\n");

    // Scenarios.
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

    // Sources.
    h.push_str("<section id=\"sources\"><h2>Data sources</h2>\n");
    if let Some(att) = run["study"]["attribution"].as_array() {
        h.push_str("<ul>");
        for a in att {
            h.push_str(&format!("<li>{}</li>", esc(a.as_str().unwrap_or(""))));
        }
        if basis == "network" {
            h.push_str("<li>Road and path network © OpenStreetMap contributors (ODbL 1.0)</li>");
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

    // Parameters.
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
    h.push_str(&format!("<footer class=\"note\"><p>Made by frontdoor {} from the files beside this report; rebuild it with <code>frontdoor report &lt;folder&gt;</code>.</p></footer>\n", esc(run["frontdoor"]["version"].as_str().unwrap_or(""))));
    h.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    Ok(h)
}

/// "1 site", "2 sites", "no sites".
fn count_sites(n: f64) -> String {
    match n as u64 {
        0 => "no sites".into(),
        1 => "1 site".into(),
        k => format!("{k} sites"),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => "none".into(),
        v => v.to_string(),
    }
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
    std::fs::write(&tmp, html).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
    Ok(target)
}
