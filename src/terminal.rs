//! What the commands print on the terminal: the study's summary, problems, one line per
//! scenario, the optimiser's answer, the decisions and the files written.

use std::path::Path;

use crate::decide::gaps::NewSiteType;
use crate::decide::{Decisions, Recommendation as R};
use crate::error::{Error, Problem};
use crate::mode::Mode;
use crate::model::Study;
use crate::pipeline::{
    NetworkSummary, OptimiseOutcome, PartitionOutcome, RunOutcome, ScenarioOutcome,
};
use crate::scenario::Evaluation;
use crate::text::{format_number, money, whole};

/// `wrote N files to OUT: a, b, c`.
pub fn files_line(out: &Path, files: &[String]) -> String {
    format!(
        "wrote {} files to {}: {}",
        files.len(),
        out.display(),
        files.join(", ")
    )
}

/// What `frontdoor partition` wrote: the buffer, and each part's zones and sites.
pub fn partition_lines(o: &PartitionOutcome) -> Vec<String> {
    let mut lines = vec![format!(
        "split {} zones and {} sites into {} parts in {}; sites' buffer: {}",
        whole(o.whole.0 as f64),
        whole(o.whole.1 as f64),
        o.parts.len(),
        o.out.display(),
        match o.buffer {
            crate::partition::Buffer::Metres(m) => format!("{} m", whole(m)),
            crate::partition::Buffer::AllSites => "every site (network times)".into(),
        }
    )];
    for (i, p) in o.parts.iter().enumerate() {
        lines.push(format!(
            "  {}  {}: {} zones, {} sites",
            crate::partition::manifest::part_name(i),
            p.region,
            whole(p.zones.len() as f64),
            whole(p.sites.len() as f64)
        ));
    }
    lines.push(format!(
        "measure each part with `frontdoor reach PART/study.toml --out PART/out` (or all on Ray: python3 ray/frontdoor_ray.py), then `frontdoor merge {} --out DIR`",
        o.out.display()
    ));
    lines
}

/// The lines of an error on standard error; input problems are counted.
pub fn error_lines(e: &Error) -> Vec<String> {
    match e {
        Error::Input(problems) => {
            let n = problems.len();
            let mut lines: Vec<String> = e
                .to_string()
                .lines()
                .map(|l| format!("error: {l}"))
                .collect();
            lines.push(format!(
                "{} problem{} found; nothing was written",
                crate::text::whole(n as f64),
                if n == 1 { "" } else { "s" }
            ));
            lines
        }
        other => vec![format!("error: {other}")],
    }
}

/// What `frontdoor check` prints of a study's problems.
pub fn check_problems(problems: &[Problem]) -> Vec<String> {
    let mut lines: Vec<String> = crate::error::grouped(problems)
        .into_iter()
        .map(|p| format!("error: {p}"))
        .collect();
    lines.push(format!(
        "{} problem{} found",
        crate::text::whole(problems.len() as f64),
        if problems.len() == 1 { "" } else { "s" }
    ));
    lines
}

/// What a run prints: the study's summary, the decisions and the files written.
pub fn run_lines(o: &RunOutcome) -> Vec<String> {
    let mut lines = study_summary(&o.study);
    if let Some(d) = &o.decisions {
        lines.extend(decisions_lines(d));
    }
    lines.push(files_line(&o.out, &o.files));
    lines
}

/// The study as loaded: counts, CRS, extent, sites by kind, demand, warnings, travel times.
pub fn study_summary(study: &Study) -> Vec<String> {
    let mut lines = vec![
        format!("study: {}", study.name),
        format!("working CRS: {} (metres); outputs in EPSG:4326", study.crs),
        format!(
            "zones: {} ({} with polygons), population {}",
            study.zones.len(),
            study.zones.iter().filter(|z| z.polygon.is_some()).count(),
            format_number(study.population().round())
        ),
        extent_line(study),
        sites_line(study),
    ];
    if study.report.sites_clipped > 0 {
        lines.push(format!(
            "sites dropped by clip_to_zones_km: {}",
            study.report.sites_clipped
        ));
    }
    lines.extend(demand_lines(study));
    lines.push(match (&study.network, &study.travel_matrix) {
        (Some(n), _) => format!(
            "travel times: on the network {} (snap limit {} m)",
            n.display(),
            study.snap_limit_m
        ),
        (None, Some(t)) => format!(
            "travel times: read from {} ({} rows, {} pairs used, {} skipped), not computed by frontdoor",
            t.path.display(),
            t.rows,
            t.by_mode.iter().map(Vec::len).sum::<usize>(),
            t.skipped
        ),
        (None, None) => "travel times: straight-line estimates (no network)".into(),
    });
    if let Some(t) = &study.transit {
        lines.push(format!(
            "public transport: {} feeds, leaving every minute from {:02}:{:02} for {} minutes on {}, percentiles {:?}",
            t.gtfs.len(),
            t.departure_s / 3600,
            t.departure_s / 60 % 60,
            t.window_minutes,
            t.date,
            t.percentiles
        ));
    }
    lines
}

/// The extent of zones and sites, in the working CRS and in lon/lat.
fn extent_line(study: &Study) -> String {
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for c in study
        .zones
        .iter()
        .map(|z| z.point)
        .chain(study.sites.iter().map(|s| s.point))
    {
        lo = (lo.0.min(c.x), lo.1.min(c.y));
        hi = (hi.0.max(c.x), hi.1.max(c.y));
    }
    let ll = |x: f64, y: f64| {
        study
            .crs
            .to_lonlat(x, y)
            .map(|(a, b)| format!("{a:.4}, {b:.4}"))
            .unwrap_or_default()
    };
    format!(
        "extent: {:.0}, {:.0} to {:.0}, {:.0} ({} to {}, lon/lat)",
        lo.0,
        lo.1,
        hi.0,
        hi.1,
        ll(lo.0, lo.1),
        ll(hi.0, hi.1)
    )
}

fn sites_line(study: &Study) -> String {
    let kinds: Vec<String> = study
        .kinds
        .iter()
        .map(|k| {
            format!(
                "{k} {}",
                study.sites.iter().filter(|s| &s.kind == k).count()
            )
        })
        .collect();
    format!("sites: {} ({})", study.sites.len(), kinds.join(", "))
}

fn demand_lines(study: &Study) -> Vec<String> {
    let r = &study.report;
    let mut lines = vec![format!(
        "demand: {} rows, {} placed, {} skipped; {} contacts ({} attributed to no site)",
        r.demand_rows,
        r.demand_rows_placed,
        r.demand_rows_skipped(),
        format_number(study.demand.total),
        format_number(study.demand.unattributed)
    )];
    for (reason, n) in &r.demand_skipped {
        lines.push(format!("  skipped, {reason}: {n}"));
    }
    for e in &r.demand_skipped_examples {
        lines.push(format!("  e.g. {e}"));
    }
    for w in &r.warnings {
        lines.push(format!("warning: {w}"));
    }
    lines
}

/// What the decision layer recommends: a notice where the study has no demand data, then one
/// line of counts (each the number of rows of sites.csv with that recommendation) and the plan.
pub fn decisions_lines(d: &Decisions) -> Vec<String> {
    let mut lines: Vec<String> = crate::render::decide::notice(d)
        .map(|n| format!("notice: {n}"))
        .into_iter()
        .collect();
    lines.push(decisions_line(d));
    lines
}

/// One line on what the decision layer recommends.
pub fn decisions_line(d: &Decisions) -> String {
    let n = |r: R| d.count(r);
    let by_type = |t: NewSiteType| d.gaps.new_sites.iter().filter(|ns| ns.kind == t).count();
    let mut line = format!(
        "recommendations for {} buildings assessed and {} candidates: close {}, review {}, share {}, keep {}, open {} ({} not opened); not assessed: {} street furniture, {} context sites; {} share proposals ({} recommended), {} digital points, {} hot-spot zones; gap analysis: {} new sites, {} partner buildings, {} digital points at street furniture",
        d.cards.iter().filter(|c| c.assessed).count(),
        n(R::Open) + n(R::NotOpened),
        n(R::Close),
        n(R::Review),
        n(R::Share),
        n(R::Keep),
        n(R::Open),
        n(R::NotOpened),
        n(R::NotAssessed),
        n(R::Context),
        d.proposals.len(),
        d.proposals.iter().filter(|p| p.recommended).count(),
        d.digital_points.len(),
        d.gaps.hot_spots.len(),
        by_type(NewSiteType::Candidate),
        by_type(NewSiteType::PartnerBuilding),
        by_type(NewSiteType::DigitalPoint),
    );
    if let Some(p) = &d.plan {
        let s = &p.summary;
        line.push_str(&format!(
            "; together they save {} a year and leave {} people without a service within {} min {}",
            money(s.annual_cost_saved, d.currency.as_deref()),
            whole(s.population_losing[d.rules.mode][d.rules.band]),
            d.rules.minutes,
            d.rules.mode_name
        ));
    }
    line
}

/// What `frontdoor scenario` prints: a line per scenario, then the files written.
pub fn scenario_lines(o: &ScenarioOutcome) -> Vec<String> {
    let mut lines: Vec<String> = o
        .evaluations
        .iter()
        .map(|ev| scenario_line(&o.run.study, ev))
        .collect();
    lines.push(format!(
        "wrote {} files to {}",
        o.run.files.len(),
        o.run.out.display()
    ));
    lines
}

/// One line per scenario: what it does, what it saves, and how many people lose access within
/// each band by each mode.
pub fn scenario_line(study: &Study, ev: &Evaluation) -> String {
    let s = &ev.summary;
    let n = |v: f64| format_number(v.round());
    let saved = if s.sites_without_cost > 0 {
        format!(
            "{} a year saved on the sites with a known cost ({} have none)",
            n(s.annual_cost_saved),
            s.sites_without_cost
        )
    } else {
        format!("{} a year saved", n(s.annual_cost_saved))
    };
    let mut parts = vec![format!(
        "{}: {} closed, {} opened, {} shared; {saved}",
        ev.scenario.name(),
        s.sites_closed,
        s.sites_opened,
        s.sites_shared
    )];
    for (m, p) in study.modes.iter().enumerate() {
        let losing: Vec<String> = study
            .bands
            .iter()
            .enumerate()
            .map(|(b, band)| format!("{} within {band} min", n(s.population_losing[m][b])))
            .collect();
        parts.push(format!(
            "people losing access by {}: {}",
            p.mode,
            losing.join(", ")
        ));
    }
    if s.newly_overloaded_sites > 0 {
        parts.push(format!(
            "{} sites newly over capacity",
            s.newly_overloaded_sites
        ));
    }
    if s.already_overloaded_sites > 0 {
        parts.push(format!(
            "{} already over capacity before the change",
            s.already_overloaded_sites
        ));
    }
    for w in ev.scenario.warnings() {
        parts.push(format!("warning: {w}"));
    }
    parts.join("; ")
}

/// What `frontdoor optimise` prints: the answer with its bound and gap, then the files.
pub fn optimise_lines(o: &OptimiseOutcome) -> Vec<String> {
    let s = &o.solution;
    let mut sites: Vec<&str> = s
        .chosen
        .iter()
        .map(|&j| o.instance.site_ids[j].as_str())
        .collect();
    sites.sort_unstable();
    vec![
        format!(
            "{}: objective {} ({}), bound {}, gap {:.4}%, {} sites in {:.2} s: {}",
            s.model.name(),
            format_number(s.objective),
            if s.optimal {
                "optimal"
            } else {
                "not proven optimal"
            },
            format_number(s.bound),
            s.gap * 100.0,
            s.chosen.len(),
            s.seconds,
            sites.join(", ")
        ),
        format!("wrote {} files to {}", o.files.len(), o.out.display()),
    ]
}

/// What `frontdoor network` prints of the file and the graph.
pub fn network_lines(file: &Path, mode: Mode, n: &NetworkSummary) -> Vec<String> {
    let g = &n.graph;
    vec![
        format!(
            "{}: {} highway ways, {} nodes read in {:.2} s",
            file.display(),
            n.ways,
            n.nodes,
            n.read.as_secs_f64()
        ),
        format!(
            "{mode} graph in {}: {} nodes, {} links, {} arcs; {} nodes and {} links outside the largest strongly connected component dropped; built in {:.2} s",
            n.crs,
            g.node_count(),
            g.links.len(),
            g.forward.heads.len(),
            g.dropped_nodes,
            g.dropped_links,
            n.built.as_secs_f64()
        ),
    ]
}

/// What `frontdoor transit` prints: per feed, what it holds and runs on the day.
pub fn transit_lines(
    date: crate::model::ServiceDate,
    feeds: &[crate::network::transit::summary::FeedSummary],
) -> Vec<String> {
    let n = |v: usize| crate::text::whole(v as f64);
    let mut out = Vec::new();
    for f in feeds {
        out.push(format!("{}:", f.path.display()));
        out.push(format!(
            "  agencies: {}",
            if f.agencies.is_empty() {
                "none named".to_string()
            } else {
                f.agencies.join(", ")
            }
        ));
        out.push(format!(
            "  {} routes, {} stops called at, {} trips; service days {}",
            n(f.routes),
            n(f.stops),
            n(f.trips),
            f.covers
        ));
        let share = if f.trips_on_day > 0 {
            format!(
                " ({:.0}% frequency-based)",
                100.0 * f.frequency_trips as f64 / f.trips_on_day as f64
            )
        } else {
            String::new()
        };
        out.push(format!(
            "  on {date}: {} trips run{share}",
            n(f.trips_on_day)
        ));
        out.push(format!(
            "  stop times: {} in all, {} blank (interpolated by distance between stops)",
            n(f.stop_times),
            n(f.interpolated)
        ));
        for p in &f.problems {
            out.push(format!("  problem: {p}"));
        }
    }
    out
}
