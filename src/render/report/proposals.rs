//! The shared-site proposals: the recommended ones first, each with its figures and a close-up
//! map (drawn by the report's script when it scrolls into view); where there are many, the
//! others listed in a collapsed table.

use super::csv::Csv;
use super::html::{esc, show};
use super::inputs::Inputs;

/// More proposals than this: only the recommended ones (up to this many) get a card and map.
const MOST_CARDS: usize = 30;

/// The figures shown for each proposal, with the `proposals.csv` column each comes from.
pub(super) const PROPOSAL_FIGURES: [(&str, &str); 13] = [
    ("host id", "host"),
    ("host agency", "host_agency"),
    ("host capacity (visits a year)", "host_capacity"),
    ("host condition", "host_condition"),
    ("guest ids", "guests"),
    ("guest agencies", "guest_agencies"),
    ("walk to host (min)", "guest_walk_minutes"),
    ("demand fits", "fit"),
    ("face-to-face a year after", "face_to_face_after"),
    ("people within reach before", "catchment_before"),
    ("people within reach of host", "catchment_after"),
    ("people losing a service", "losing"),
    ("annual cost saved", "annual_cost_saved"),
];

/// One proposal's card: heading, figures and close-up map.
fn card(props: &Csv, p: &[String], currency: Option<&str>) -> String {
    let id = props.get(p, "proposal");
    let mut h = format!(
        "<article class=\"proposal\"><h3>{}: {} hosting {} — {}</h3><div class=\"grid\"><dl>",
        esc(id),
        esc(props.get(p, "host_name")),
        esc(&props.get(p, "guest_names").replace(';', ", ")),
        if props.get(p, "recommended") == "true" {
            "recommended"
        } else {
            "not recommended"
        }
    );
    for (label, col) in PROPOSAL_FIGURES {
        let v = props.get(p, col);
        let shown = match v.parse::<f64>() {
            Ok(x) if col == "annual_cost_saved" => crate::text::money(x, currency),
            _ if v.is_empty() => "not given".to_string(),
            _ => show(v).replace(';', ", ").replace('_', " "),
        };
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(label), shown));
    }
    h.push_str("</dl>");
    h.push_str(&format!(
        "<figure class=\"closeup\"><canvas class=\"fd-closeup\" data-proposal=\"{0}\" aria-label=\"map of proposal {0}\"></canvas><figcaption class=\"note\">The host (green ring) and its guests (orange), the walk between them, the zones by minutes to the nearest front door and the other front doors around. As a picture: <a href=\"proposal-{0}.svg\">proposal-{0}.svg</a>.</figcaption></figure>",
        esc(id)
    ));
    h.push_str("</div></article>\n");
    h
}

/// The others, one line each.
fn listing(props: &Csv, rows: &[&Vec<String>], currency: Option<&str>) -> String {
    let mut h = String::from("<div class=\"scroll\"><table><thead><tr><th>proposal</th><th>host</th><th>guests</th><th>walk to host (min)</th><th>demand fits</th><th>people losing a service</th><th>annual cost saved</th><th>recommended</th></tr></thead><tbody>\n");
    for p in rows {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            esc(props.get(p, "proposal")),
            esc(props.get(p, "host_name")),
            esc(&props.get(p, "guest_names").replace(';', ", ")),
            esc(&props.get(p, "guest_walk_minutes").replace(';', ", ")),
            esc(&props.get(p, "fit").replace('_', " ")),
            show(props.get(p, "losing")),
            props.get(p, "annual_cost_saved").parse::<f64>().map(|x| crate::text::money(x, currency)).unwrap_or_default(),
            if props.get(p, "recommended") == "true" { "yes" } else { "no" }
        ));
    }
    h.push_str("</tbody></table></div>\n");
    h
}

/// The shared-site proposals section.
pub(super) fn proposals(r: &Inputs) -> String {
    let mut h = String::from(
        "<section id=\"proposals\" class=\"appendix\"><h2>Shared-site proposals</h2>\n",
    );
    h.push_str(&format!("<p class=\"note\">Sites of different agencies within {} min walk of a host whose capacity takes their face-to-face contacts. Each is run as a share scenario: the host takes the guests' services, guests' contacts move to the host.</p>\n", r.decide["rules"]["share_minutes"]));
    let props = Csv::parse(&r.text("proposals.csv").unwrap_or_default());
    let currency = r.decide["currency"].as_str();
    if props.rows.is_empty() {
        h.push_str("<p>No cluster of partners' sites was found within the walking threshold.</p>\n</section>\n");
        return h;
    }
    let recommended = |p: &Vec<String>| props.get(p, "recommended") == "true";
    let (mut cards, mut rest): (Vec<&Vec<String>>, Vec<&Vec<String>>) =
        if props.rows.len() <= MOST_CARDS {
            (props.rows.iter().collect(), Vec::new())
        } else {
            props.rows.iter().partition(|p| recommended(p))
        };
    if cards.len() > MOST_CARDS {
        rest.splice(0..0, cards.split_off(MOST_CARDS));
    }
    cards.sort_by_key(|p| !recommended(p));
    for p in &cards {
        h.push_str(&card(&props, p, currency));
    }
    if !rest.is_empty() {
        h.push_str(&format!(
            "<details class=\"more\"><summary>{} more proposals, one line each (every one in proposals.csv)</summary>\n{}</details>\n",
            crate::text::whole(rest.len() as f64),
            listing(&props, &rest, currency)
        ));
    }
    h.push_str("</section>\n");
    h
}
