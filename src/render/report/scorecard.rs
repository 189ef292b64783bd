//! The scorecard, grouped by recommendation (close, review, share and open first and open;
//! keep and the rest collapsed), each site's reasons behind a toggle. A group of more than
//! [`LAZY`] sites is not written into the page: the report's script lists it from the map's
//! data, a page at a time, when the group is opened (England has tens of thousands to keep).

use super::html::{esc, show};
use super::inputs::Inputs;
use super::words::count;

/// Groups larger than this are listed by the script on opening.
pub(super) const LAZY: usize = 300;

/// The groups, in order, with their heading and whether they start open.
const GROUPS: [(&str, &str, bool); 7] = [
    ("close", "Close", true),
    ("review", "For review (no demand data)", true),
    ("share", "Share a building", true),
    ("open", "Open", true),
    ("keep", "Keep", false),
    ("not_opened", "Candidates not opened", false),
    ("context", "Context (beyond the study's own estate)", false),
];

/// The columns: heading, sites.csv column (the band's column is filled in).
fn columns(r: &Inputs) -> Vec<(String, String)> {
    let (m, mode) = (r.minutes, &r.mode);
    [
        ("site", "name".to_string()),
        ("agency", "agency".to_string()),
        ("kind", "kind".to_string()),
        ("evidence", "evidence".to_string()),
        ("people within reach", format!("population_{m}min_{mode}")),
        (
            "losing a service if it closed alone",
            format!("close_alone_losing_{m}min_{mode}"),
        ),
        ("face-to-face a year", "face_to_face_a_year".to_string()),
        ("needing people (%)", "right_first_time_percent".to_string()),
        ("annual cost", "annual_cost".to_string()),
        ("condition", "condition".to_string()),
    ]
    .into_iter()
    .map(|(h, c)| (h.to_string(), c))
    .filter(|(_, c)| r.sites.col(c).is_some())
    .collect()
}

/// One site's row, its reasons in the last cell behind a toggle.
fn row(r: &Inputs, site: &[String], cols: &[(String, String)]) -> String {
    let s = &r.sites;
    let mut h = String::from("<tr>");
    for (_, c) in cols {
        let v = s.get(site, c);
        if c == "name" {
            h.push_str(&format!(
                "<td><b>{}</b> <span class=\"id\">{}</span></td>",
                esc(v),
                esc(s.get(site, "id"))
            ));
        } else if v.parse::<f64>().is_ok() {
            h.push_str(&format!(
                "<td class=\"n\" data-v=\"{}\">{}</td>",
                esc(v),
                show(v)
            ));
        } else {
            h.push_str(&format!("<td>{}</td>", esc(&v.replace('_', " "))));
        }
    }
    let reasons: Vec<String> = s
        .get(site, "reasons")
        .split("; ")
        .filter(|x| !x.is_empty())
        .map(|x| format!("<li>{}</li>", esc(x)))
        .collect();
    h.push_str(&format!(
        "<td><details class=\"why\"><summary>why</summary><ul>{}</ul></details></td></tr>\n",
        reasons.join("")
    ));
    h
}

/// The scorecard section.
pub(super) fn scorecard(r: &Inputs) -> String {
    let cols = columns(r);
    let mut h = format!(
        "<section id=\"scorecard\" class=\"appendix\"><h2>Scorecard</h2>\n<p class=\"note\">Every building assessed and every candidate, by recommendation (street furniture is under digital points and new sites). People within reach: within {m} min {mode}; losing: people left without one of its services within {m} min {mode} if it closed alone. Click a heading to sort; <i>why</i> opens a site's reasons.</p>\n",
        m = r.minutes,
        mode = esc(&r.mode)
    );
    let s = &r.sites;
    for (rec, title, open) in GROUPS {
        let members: Vec<&Vec<String>> = s
            .rows
            .iter()
            .filter(|x| s.get(x, "recommendation") == rec)
            .collect();
        if members.is_empty() {
            continue;
        }
        h.push_str(&format!(
            "<details class=\"group rec-{rec}\"{} data-rec=\"{rec}\"><summary><span class=\"rec rec-{rec}\">{}</span> — {}</summary>\n",
            if open && members.len() <= LAZY { " open" } else { "" },
            esc(title),
            count(members.len(), "site", "sites")
        ));
        let head: String = cols
            .iter()
            .map(|(t, _)| format!("<th scope=\"col\">{}</th>", esc(t)))
            .collect();
        h.push_str(&format!(
            "<div class=\"scroll\"><table class=\"sortable scorecard\" id=\"scorecard-{rec}\"><thead><tr>{head}<th scope=\"col\">reasons</th></tr></thead><tbody>\n"
        ));
        if members.len() <= LAZY {
            for m in &members {
                h.push_str(&row(r, m, &cols));
            }
            h.push_str("</tbody></table></div>\n");
        } else {
            h.push_str(&format!(
                "</tbody></table></div><p class=\"note lazy\" data-rec=\"{rec}\">{} sites: listed here when the group is opened, 200 at a time (all of them in sites.csv).</p>\n",
                crate::text::whole(members.len() as f64)
            ));
        }
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
    h
}

/// The plan's decisions in short, for the summary's second page: every site to close, share,
/// open or review, at most 40 (the rest in the scorecard).
pub(super) fn decisions(r: &Inputs) -> String {
    let s = &r.sites;
    let rows: Vec<&Vec<String>> = ["close", "share", "open", "review"]
        .iter()
        .flat_map(|rec| {
            s.rows
                .iter()
                .filter(move |x| s.get(x, "recommendation") == *rec)
        })
        .collect();
    let mut h = String::from("<section id=\"decisions\"><h2>Decisions</h2>\n");
    if rows.is_empty() {
        h.push_str("<p>No building to close, share, open or review.</p></section>\n");
        return h;
    }
    let band = format!("close_alone_losing_{}min_{}", r.minutes, r.mode);
    h.push_str("<div class=\"scroll\"><table class=\"decisions\"><thead><tr><th>recommendation</th><th>site</th><th>kind</th><th>agency</th><th>losing a service if closed alone</th><th>annual cost</th><th>the main reason</th></tr></thead><tbody>\n");
    for x in rows.iter().take(40) {
        let rec = s.get(x, "recommendation");
        let first = s.get(x, "reasons").split("; ").next().unwrap_or("");
        h.push_str(&format!(
            "<tr><td class=\"rec rec-{rec}\">{rec}</td><td><b>{}</b></td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"reason\">{}</td></tr>\n",
            esc(s.get(x, "name")),
            esc(&s.get(x, "kind").replace('_', " ")),
            esc(s.get(x, "agency")),
            show(s.get(x, &band)),
            match s.get(x, "annual_cost").parse::<f64>() {
                Ok(v) => crate::text::money(v, r.decide["currency"].as_str()),
                Err(_) => String::new(),
            },
            esc(first)
        ));
    }
    h.push_str("</tbody></table></div>\n");
    if rows.len() > 10 {
        h.push_str("<p class=\"note printonly\">Printed: the first 10; every one is in the scorecard.</p>\n");
    }
    if rows.len() > 40 {
        h.push_str(&format!(
            "<p class=\"note noprint\">The first 40 of {}; every one is in the scorecard.</p>\n",
            crate::text::whole(rows.len() as f64)
        ));
    }
    h.push_str("</section>\n");
    h
}
