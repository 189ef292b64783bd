//! The scenarios side by side: a row per question, a column per scenario, the plan first; the
//! questions of the decision band first, every other measure behind a toggle, all labelled in
//! words and formatted for people.

use super::csv::Csv;
use super::html::esc;
use super::inputs::Inputs;
use super::words::{figure, measure};
use crate::text::money;

/// The columns asked first, with the decision band's mode and minutes filled in.
fn key_columns(r: &Inputs) -> Vec<String> {
    let (m, mode) = (r.minutes, &r.mode);
    let mut v: Vec<String> = [
        "sites_closed",
        "sites_shared",
        "sites_opened",
        "annual_cost_saved",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(format!("population_losing_{m}min_{mode}"));
    for g in &r.vulnerable {
        v.push(format!("{g}_losing_{m}min_{mode}"));
    }
    v.push(format!("population_gaining_{m}min_{mode}"));
    v.extend(
        [
            "face_to_face_rerouted",
            "face_to_face_unplaced",
            "newly_overloaded_sites",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    v.push(format!("mean_minutes_{mode}_before"));
    v.push(format!("mean_minutes_{mode}_after"));
    v.push(format!("max_minutes_increase_{mode}"));
    v
}

/// One labelled row of the comparison.
fn row(r: &Inputs, sc: &Csv, column: &str) -> Option<String> {
    let i = sc.col(column)?;
    let m = measure(column, &r.vulnerable)?;
    let cells: String = sc
        .rows
        .iter()
        .map(|x| {
            let v = x.get(i).map_or("", String::as_str);
            let shown = match v.parse::<f64>() {
                Ok(n) if m.money => money(n, r.decide["currency"].as_str()),
                Ok(n) => figure(n * m.scale),
                Err(_) => esc(v),
            };
            format!("<td class=\"n\">{shown}</td>")
        })
        .collect();
    Some(format!(
        "<tr><th scope=\"row\">{}</th>{cells}</tr>\n",
        esc(&m.label)
    ))
}

/// The scenarios section.
pub(super) fn scenarios(r: &Inputs) -> String {
    let mut h = String::from("<section id=\"scenarios\" class=\"appendix\"><h2>Scenarios</h2>\n");
    let mut sc = Csv::parse(&r.text("scenarios.csv").unwrap_or_default());
    if sc.rows.is_empty() {
        h.push_str("<p>No scenario was run.</p>\n</section>\n");
        return h;
    }
    // The plan first, then the study's scenarios in their order.
    let name = sc.col("scenario");
    sc.rows
        .sort_by_key(|x| name.and_then(|i| x.get(i)).map(String::as_str) != Some("recommended"));
    h.push_str("<p class=\"note\">Each scenario against today. <i>The plan</i> is every recommendation together. Access is the 2SFCA family's supply per head, shown per 1,000 people.</p>\n");
    let head: String = sc
        .rows
        .iter()
        .map(|x| {
            let name = sc.get(x, "scenario");
            let title = if name == "recommended" {
                "the plan"
            } else {
                name
            };
            format!(
                "<th scope=\"col\" title=\"{}\">{}</th>",
                esc(sc.get(x, "description")),
                esc(title)
            )
        })
        .collect();
    let what: String = sc
        .rows
        .iter()
        .map(|x| format!("<td class=\"what\">{}</td>", esc(sc.get(x, "description"))))
        .collect();
    let key = key_columns(r);
    h.push_str(&format!(
        "<div class=\"scroll\"><table class=\"compare\"><thead><tr><th></th>{head}</tr></thead><tbody>\n<tr><th scope=\"row\">what it does</th>{what}</tr>\n"
    ));
    for c in &key {
        if let Some(x) = row(r, &sc, c) {
            h.push_str(&x);
        }
    }
    h.push_str("</tbody></table></div>\n");
    let rest: Vec<String> = sc
        .columns
        .iter()
        .filter(|c| !key.contains(c))
        .filter_map(|c| row(r, &sc, c))
        .collect();
    if !rest.is_empty() {
        h.push_str(&format!(
            "<details class=\"more\"><summary>Every other measure ({}): other bands and modes, access</summary><div class=\"scroll\"><table class=\"compare\"><thead><tr><th></th>{head}</tr></thead><tbody>\n{}</tbody></table></div></details>\n",
            rest.len(),
            rest.join("")
        ));
    }
    h.push_str("</section>\n");
    h
}
