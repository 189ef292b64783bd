//! HTML pieces of the report: escaping, cells for people, tables (sortable), inline SVG, the
//! style sheet and the table sorter.

use serde_json::Value;

/// Escapes text for HTML.
pub(super) fn esc(s: &str) -> String {
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
pub(super) fn show(v: &str) -> String {
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
pub(super) fn table(columns: &[&str], rows: &[Vec<String>], sortable: bool, id: &str) -> String {
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
pub(super) fn inline_svg(svg: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let body = &svg[start..];
    let body = body.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    );
    format!("<figure class=\"map\">{body}</figure>\n")
}

pub(super) const STYLE: &str = r#"
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

pub(super) const SCRIPT: &str = r#"
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
/// "1 site", "2 sites", "no sites".
pub(super) fn count_sites(n: f64) -> String {
    match n as u64 {
        0 => "no sites".into(),
        1 => "1 site".into(),
        k => format!("{k} sites"),
    }
}

pub(super) fn plain(v: &Value) -> String {
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
