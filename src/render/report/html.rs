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
.summary p.plan { font-size: 1.15rem; } .summary .counts { color: var(--muted); }
.card.harm b { color: var(--close); }
ul.losses { padding-left: 1.2rem; } ul.losses li { margin: .2rem 0; }
p.basis { border-left: 3px solid var(--rule); padding-left: .7rem; color: #333; }
.rec-review { color: #b7791f; } .printonly { display: none; }
figure.closeup { margin: 0; } canvas.fd-closeup { display: block; width: 100%; height: 340px; border: 1px solid var(--rule); background: #f7f7f4; }
.toolbar { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; font-size: 13px; margin: .4rem 0; }
.toolbar select, .toolbar input[type=search] { font: inherit; padding: .15rem .3rem; max-width: 14rem; }
.results { list-style: none; margin: 0 0 .4rem; padding: 0; border: 1px solid var(--rule); max-width: 30rem; }
.results button { display: block; width: 100%; text-align: left; border: 0; background: #fff; padding: .3rem .5rem; cursor: pointer; font: inherit; }
.results button:hover { background: #eef4fb; } .id { color: var(--muted); font-size: 12px; }
.mapwrap { position: relative; }
#fd-map { display: block; width: 100%; height: 68vh; min-height: 380px; border: 1px solid var(--rule); touch-action: none; cursor: grab; background: #f7f7f4; }
.zoom { position: absolute; top: 8px; left: 8px; display: flex; flex-direction: column; gap: 2px; }
.zoom button { width: 30px; height: 30px; font-size: 18px; line-height: 1; border: 1px solid #999; background: #fff; cursor: pointer; }
.tip { position: absolute; pointer-events: none; background: rgba(255,255,255,.97); border: 1px solid #888; border-radius: 4px; padding: .3rem .5rem; font-size: 13px; box-shadow: 0 1px 4px rgba(0,0,0,.25); max-width: 18rem; }
.sitecard { position: absolute; top: 8px; right: 8px; width: min(22rem, 70%); max-height: calc(100% - 16px); overflow: auto; background: #fff; border: 1px solid #888; border-radius: 6px; padding: .5rem .8rem; box-shadow: 0 2px 8px rgba(0,0,0,.25); font-size: 13px; }
.sitecard h3 { margin: .2rem 1.5rem .2rem 0; } .sitecard h4 { margin: .6rem 0 .2rem; } .sitecard ul { padding-left: 1.1rem; margin: 0; }
.sitecard .close { position: absolute; top: 4px; right: 6px; border: 0; background: none; font-size: 20px; cursor: pointer; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; font-size: 12.5px; margin: .4rem 0; }
.legend div { display: flex; flex-wrap: wrap; gap: .2rem .9rem; align-items: center; }
.lg { display: inline-flex; align-items: center; gap: .3rem; }
.lg i { display: inline-block; width: 14px; height: 14px; border: 1px solid #bbb; }
.lg i.ring { border: 3px solid; border-radius: 50%; width: 14px; height: 14px; }
details.group { border: 1px solid var(--rule); border-radius: 6px; padding: .3rem .7rem; margin: .5rem 0; }
details.group > summary { cursor: pointer; font-weight: 600; padding: .2rem 0; }
details.why summary { cursor: pointer; color: var(--keep); } details.why ul { margin: .2rem 0; padding-left: 1.1rem; min-width: 22rem; }
table.compare th[scope=row] { font-weight: normal; background: #fafafa; position: static; max-width: 26rem; }
table.compare td.what { font-size: 12px; color: #333; text-align: left; white-space: normal; min-width: 10rem; }
table.decisions td.reason { font-size: 12.5px; color: #333; }
@media (max-width: 800px) { .proposal .grid { grid-template-columns: 1fr; } body { padding: .6rem; } #fd-map { height: 60vh; } .sitecard { width: calc(100% - 16px); top: auto; bottom: 8px; max-height: 55%; } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; font-size: 9.5pt; padding: 0; }
  nav, .noprint, .zoom, .tip, .sitecard, .lazy button { display: none !important; }
  header h1 { font-size: 16pt; margin: 0; } .summary p.plan { font-size: 11pt; }
  h2 { break-after: avoid; margin-top: .6rem; } table { font-size: 7.5pt; } th { position: static; }
  .cards { grid-template-columns: repeat(5, 1fr); margin: .4rem 0; } .card { padding: .3rem .5rem; } .card b { font-size: 13pt; }
  #map h2 { display: none; } .mapwrap { break-inside: avoid; } #fd-map { height: 80mm; min-height: 0; width: 100%; }
  .legend { font-size: 7.5pt; gap: 0 .8rem; margin: .2rem 0; } .legend div { gap: 0 .6rem; }
  #decisions h2 { margin-top: .3rem; } table.decisions tbody tr:nth-child(n+11) { display: none; }
  table.decisions td.reason { line-height: 1.25em; max-height: 2.5em; overflow: hidden; display: block; border: 0; }
  #digital tbody tr:nth-child(n+21) { display: none; }
  #fd-count { display: none; } .printonly { display: block; }
  .appendix h2 { break-after: avoid; } table.compare th[scope=row] { width: 30%; }
  .scroll { overflow: visible; } tr, .proposal, figure.map { break-inside: avoid; }
  details.why ul, details:not([open]) > *:not(summary) { display: none; }
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

/// A JSON value in words (parameters).
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
