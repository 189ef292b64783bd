//! The `frontdoor` command: parses arguments and calls the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use frontdoor::model::Study;
use frontdoor::{progress, synth, Error, LoadOptions, RunOptions};

/// Which buildings and points of presence to keep, share or close, from where people live,
/// where the front doors are and what residents come for.
#[derive(Parser)]
#[command(name = "frontdoor", version, about, long_about = None)]
struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// More detail on standard error (-v, -vv).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a study: read every input, print counts, CRS and extent, and every problem found.
    ///
    /// Example: frontdoor check studies/oxfordshire.toml
    #[command(after_help = "Example:\n  frontdoor check data/demo/study.toml")]
    Check {
        /// The study file (TOML).
        study: PathBuf,
        /// Treat demand rows that cannot be placed as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Run a study: reach per zone and site, tables, GeoJSON, map and run.json into --out.
    #[command(
        after_help = "Example:\n  frontdoor run data/demo/study.toml --out results/demo\n  frontdoor run data/demo/study.toml --out results/demo --explain S000025\n  frontdoor run data/demo/study.toml --out results/demo --scenario data/demo/scenarios/digital-first.toml"
    )]
    Run {
        /// The study file (TOML).
        study: PathBuf,
        /// Output folder (created; files in it are replaced only once every output is ready).
        #[arg(long)]
        out: PathBuf,
        /// Refuse demand rows that cannot be placed instead of skipping and counting them.
        #[arg(long)]
        strict: bool,
        /// Also evaluate these scenario files against the baseline (repeat for several).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Print the full reasoning for the site with this id.
        #[arg(long, value_name = "SITE")]
        explain: Option<String>,
    },
    /// Rebuild report.html in the output folder of a `frontdoor run` from its files.
    #[command(after_help = "Example:\n  frontdoor report results/demo")]
    Report {
        /// The output folder of a run.
        out: PathBuf,
    },
    /// Travel times only: the sparse matrix (matrix.parquet) and run.json into --out.
    #[command(
        after_help = "Example:\n  frontdoor reach studies/porto-alegre.toml --out results/pa-reach"
    )]
    Reach {
        /// The study file (TOML).
        study: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Refuse demand rows that cannot be placed.
        #[arg(long)]
        strict: bool,
    },
    /// What-if scenarios: close, open or share sites, change capacity or hours, shift
    /// face-to-face demand to other channels; each compared with the baseline.
    #[command(
        after_help = "Example:\n  frontdoor scenario data/demo/study.toml close-east.toml share-hub.toml --out results/scenarios\n\nA scenario file (TOML):\n  close = [\"LIB-03\"]\n  open = [\"CAND-1\"]\n  share = [{ host = \"HUB-1\", guests = [\"OFF-2\"] }]\n  capacity = { \"HUB-1\" = 60000 }\n  [[channel_shift]]\n  share = 0.3          # of once-and-done face-to-face contacts, to digital"
    )]
    Scenario {
        /// The study file (TOML).
        study: PathBuf,
        /// One or more scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Refuse demand rows that cannot be placed.
        #[arg(long)]
        strict: bool,
    },
    /// Location-allocation: the best p sites (p-median, MCLP, p-center), the fewest covering
    /// everyone (LSCP, LSCP-B), with the bound and gap of the answer; on a study's travel times
    /// or on a cost table from another tool.
    #[command(
        after_help = "Example:\n  frontdoor optimise tests/studies/oxfordshire.toml --model pmedian --p 30 --mode walk --kind library --out results/libraries\n  frontdoor optimise --costs costs.csv --demand demand.csv --model mclp --p 4 --standard 5000 --out results/mclp\n\nCOSTS is a long table (CSV or Parquet) with columns demand_id, site_id, cost; pairs absent are unreachable. DEMAND has demand_id, weight."
    )]
    Optimise(Box<OptimiseArgs>),
    /// Inspect an OpenStreetMap file as frontdoor's routing graph of one mode; optionally export
    /// the graph (nodes.csv, arcs.csv) for checking with other tools.
    #[command(
        after_help = "Example:\n  frontdoor network area.osm.pbf --mode walk --crs EPSG:27700 --export graph/"
    )]
    Network {
        /// The OpenStreetMap file (.osm.pbf, .osm or .osm.gz).
        file: PathBuf,
        /// Travel mode.
        #[arg(long, default_value = "walk")]
        mode: String,
        /// Working CRS (default: BNG in Great Britain, else the local UTM zone).
        #[arg(long)]
        crs: Option<String>,
        /// Folder to write nodes.csv (node, osm_id, x, y) and arcs.csv (from, to, ms).
        #[arg(long)]
        export: Option<PathBuf>,
    },
    /// Run the embedded demo study (a synthetic district) into --out.
    #[command(after_help = "Example:\n  frontdoor demo --out frontdoor-demo")]
    Demo {
        /// Output folder.
        #[arg(long, default_value = "frontdoor-demo")]
        out: PathBuf,
    },
    /// Generate a synthetic study (the demo is seed 2024, one tile).
    #[command(
        after_help = "Example:\n  frontdoor synth --out data/demo\n  frontdoor synth --tiles 40 --annual --out /tmp/big"
    )]
    Synth {
        /// Output folder for study.toml and its inputs.
        #[arg(long)]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 2024)]
        seed: u64,
        /// Number of 40 x 30 km district tiles.
        #[arg(long, default_value_t = 1)]
        tiles: usize,
        /// One demand row per zone, service and channel for the year (instead of per quarter).
        #[arg(long)]
        annual: bool,
    },
}

/// The arguments of `frontdoor optimise`.
#[derive(clap::Args)]
struct OptimiseArgs {
    /// The study file (TOML); or give --costs and --demand instead.
    study: Option<PathBuf>,
    /// pmedian, mclp, lscp, lscpb, pcenter or cpmedian (capacitated p-median).
    #[arg(long)]
    model: String,
    /// Number of sites to choose (pmedian, mclp, pcenter, cpmedian).
    #[arg(long)]
    p: Option<usize>,
    /// Service standard: the largest cost that counts as covered (mclp, lscp, lscpb);
    /// minutes on a study.
    #[arg(long)]
    standard: Option<f64>,
    /// Travel mode (study; default its first).
    #[arg(long)]
    mode: Option<String>,
    /// Only sites of this kind are candidates (study).
    #[arg(long)]
    kind: Option<String>,
    /// Only sites offering this service are candidates (study).
    #[arg(long)]
    service: Option<String>,
    /// Demand weight: population, face_to_face or a profile column (study).
    #[arg(long, default_value = "population")]
    weight: String,
    /// Site ids that may not be chosen (comma-separated). Sites `fixed` in the study must be.
    #[arg(long, value_delimiter = ',')]
    forbid: Vec<String>,
    /// Stop after this many seconds and report the gap.
    #[arg(long, default_value_t = 600.0)]
    time_limit: f64,
    /// Stop when the gap (incumbent − bound) / incumbent is at most this (0: prove optimal).
    #[arg(long, default_value_t = 0.0)]
    gap: f64,
    /// Long cost table (demand_id, site_id, cost), CSV or Parquet.
    #[arg(long, requires = "demand")]
    costs: Option<PathBuf>,
    /// Demand table (demand_id, weight), CSV or Parquet.
    #[arg(long, requires = "costs")]
    demand: Option<PathBuf>,
    /// Demand id column of the demand table.
    #[arg(long, default_value = "demand_id")]
    demand_id: String,
    /// Demand id column of the cost table (default: as --demand-id).
    #[arg(long)]
    costs_demand_id: Option<String>,
    /// Site id column of the cost table.
    #[arg(long, default_value = "site_id")]
    site_id: String,
    /// Cost column of the cost table.
    #[arg(long, default_value = "cost")]
    cost_column: String,
    /// Weight column of the demand table.
    #[arg(long, default_value = "weight")]
    weight_column: String,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Refuse demand rows that cannot be placed (study).
    #[arg(long)]
    strict: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    progress::init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Check { study, strict } => check(&study, strict, cli.quiet),
        Command::Run {
            study,
            out,
            strict,
            scenarios,
            explain,
        } => run(
            &study,
            &out,
            &RunOptions { strict },
            &scenarios,
            explain.as_deref(),
            cli.quiet,
        ),
        Command::Report { out } => frontdoor::render::report::rebuild(&out).map(|p| {
            if !cli.quiet {
                println!("wrote {}", p.display());
            }
            ExitCode::SUCCESS
        }),
        Command::Demo { out } => demo(&out, cli.quiet),
        Command::Reach { study, out, strict } => {
            frontdoor::run_reach(&study, &out, &RunOptions { strict }).map(|o| {
                if !cli.quiet {
                    println!(
                        "wrote {} files to {}: {}",
                        o.files.len(),
                        o.out.display(),
                        o.files.join(", ")
                    );
                }
                ExitCode::SUCCESS
            })
        }
        Command::Scenario {
            study,
            scenarios,
            out,
            strict,
        } => frontdoor::run_scenarios(&study, &scenarios, &out, &RunOptions { strict }).map(|o| {
            if !cli.quiet {
                for ev in &o.evaluations {
                    println!("{}", scenario_line(&o.run.study, ev));
                }
                println!(
                    "wrote {} files to {}",
                    o.run.files.len(),
                    o.run.out.display()
                );
            }
            ExitCode::SUCCESS
        }),
        Command::Optimise(args) => (|| {
            let OptimiseArgs {
                study,
                model,
                p,
                standard,
                mode,
                kind,
                service,
                weight,
                forbid,
                time_limit,
                gap,
                costs,
                demand,
                demand_id,
                costs_demand_id,
                site_id,
                cost_column,
                weight_column,
                out,
                strict,
            } = *args;
            let model = frontdoor::optimise::Model::parse(&model).ok_or_else(|| {
                Error::Other(format!(
                    "--model: expected pmedian, mclp, lscp, lscpb, pcenter or cpmedian, found \"{model}\""
                ))
            })?;
            let mode = match mode.as_deref() {
                None => None,
                Some(m) => Some(parse_mode(m)?),
            };
            if !(time_limit >= 0.0 && gap >= 0.0) {
                return Err(Error::Other(
                    "--time-limit and --gap must be zero or more".into(),
                ));
            }
            let req = frontdoor::OptimiseRequest {
                model,
                options: frontdoor::optimise::Options {
                    p,
                    standard,
                    limits: frontdoor::optimise::core::Limits {
                        seconds: time_limit,
                        gap,
                    },
                },
                mode,
                kind,
                service,
                weight,
                forbid,
            };
            let o = match (study, costs, demand) {
                (Some(s), None, None) => {
                    frontdoor::run_optimise(&s, &req, &out, &RunOptions { strict })?
                }
                (None, Some(c), Some(d)) => {
                    let cols = frontdoor::optimise::instance::TableColumns {
                        costs_demand_id: costs_demand_id.unwrap_or_else(|| demand_id.clone()),
                        demand_id,
                        site_id,
                        cost: cost_column,
                        weight: weight_column,
                    };
                    frontdoor::run_optimise_tables(&c, &d, &cols, &req, &out)?
                }
                _ => {
                    return Err(Error::Other(
                        "give either a study file, or --costs and --demand (not both)".into(),
                    ))
                }
            };
            if !cli.quiet {
                let s = &o.solution;
                let mut sites: Vec<&str> = s
                    .chosen
                    .iter()
                    .map(|&j| o.instance.site_ids[j].as_str())
                    .collect();
                sites.sort_unstable();
                println!(
                    "{}: objective {} ({}), bound {}, gap {:.4}%, {} sites in {:.2} s: {}",
                    s.model.name(),
                    frontdoor::render::tables::format_number(s.objective),
                    if s.optimal {
                        "optimal"
                    } else {
                        "not proven optimal"
                    },
                    frontdoor::render::tables::format_number(s.bound),
                    s.gap * 100.0,
                    s.chosen.len(),
                    s.seconds,
                    sites.join(", ")
                );
                println!("wrote {} files to {}", o.files.len(), o.out.display());
            }
            Ok(ExitCode::SUCCESS)
        })(),
        Command::Network {
            file,
            mode,
            crs,
            export,
        } => network(&file, &mode, crs.as_deref(), export.as_deref(), cli.quiet),
        Command::Synth {
            out,
            seed,
            tiles,
            annual,
        } => synth::write_study(
            &out,
            &synth::SynthOptions {
                seed,
                tiles,
                quarterly: !annual,
            },
        )
        .map(|_| {
            if !cli.quiet {
                println!(
                    "wrote a synthetic study to {}",
                    out.join("study.toml").display()
                );
            }
            ExitCode::SUCCESS
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            ExitCode::from(2)
        }
    }
}

fn report_error(e: &Error) {
    match e {
        Error::Input(problems) => {
            let n = problems.len();
            for line in e.to_string().lines() {
                eprintln!("error: {line}");
            }
            eprintln!(
                "{n} problem{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
        }
        other => eprintln!("error: {other}"),
    }
}

fn summary(study: &Study) -> Vec<String> {
    let mut lines = vec![
        format!("study: {}", study.name),
        format!("working CRS: {} (metres); outputs in EPSG:4326", study.crs),
        format!(
            "zones: {} ({} with polygons), population {}",
            study.zones.len(),
            study.zones.iter().filter(|z| z.polygon.is_some()).count(),
            frontdoor::render::tables::format_number(study.population().round())
        ),
    ];
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
    lines.push(format!(
        "extent: {:.0}, {:.0} to {:.0}, {:.0} ({} to {}, lon/lat)",
        lo.0,
        lo.1,
        hi.0,
        hi.1,
        ll(lo.0, lo.1),
        ll(hi.0, hi.1)
    ));
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
    lines.push(format!(
        "sites: {} ({})",
        study.sites.len(),
        kinds.join(", ")
    ));
    if study.report.sites_clipped > 0 {
        lines.push(format!(
            "sites dropped by clip_to_zones_km: {}",
            study.report.sites_clipped
        ));
    }
    let r = &study.report;
    lines.push(format!(
        "demand: {} rows, {} placed, {} skipped; {} contacts ({} attributed to no site)",
        r.demand_rows,
        r.demand_rows_placed,
        r.demand_rows_skipped(),
        frontdoor::render::tables::format_number(study.demand.total),
        frontdoor::render::tables::format_number(study.demand.unattributed)
    ));
    for (reason, n) in &r.demand_skipped {
        lines.push(format!("  skipped, {reason}: {n}"));
    }
    for e in &r.demand_skipped_examples {
        lines.push(format!("  e.g. {e}"));
    }
    for w in &r.warnings {
        lines.push(format!("warning: {w}"));
    }
    lines.push(match &study.network {
        Some(n) => format!(
            "travel times: on the network {} (snap limit {} m)",
            n.display(),
            study.snap_limit_m
        ),
        None => "travel times: straight-line estimates (no network)".into(),
    });
    lines
}

fn check(path: &Path, strict: bool, quiet: bool) -> Result<ExitCode, Error> {
    match frontdoor::load_study(path, &LoadOptions { strict }) {
        Ok(study) => {
            if !quiet {
                for l in summary(&study) {
                    println!("{l}");
                }
                println!("no errors");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Input(problems)) => {
            for p in &problems {
                println!("error: {p}");
            }
            println!(
                "{} problem{} found",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            );
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e),
    }
}

fn run(
    path: &Path,
    out: &Path,
    options: &RunOptions,
    scenarios: &[PathBuf],
    explain: Option<&str>,
    quiet: bool,
) -> Result<ExitCode, Error> {
    let outcome = frontdoor::run(path, out, options, scenarios, explain)?;
    if let Some(e) = &outcome.explanation {
        print!("{e}");
        println!();
    }
    if !quiet {
        for l in summary(&outcome.study) {
            println!("{l}");
        }
        if let Some(d) = &outcome.decisions {
            println!("{}", decisions_line(d));
        }
        println!(
            "wrote {} files to {}: {}",
            outcome.files.len(),
            outcome.out.display(),
            outcome.files.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn demo(out: &Path, quiet: bool) -> Result<ExitCode, Error> {
    let dir = frontdoor::synth::embedded_demo()?;
    let scenarios = frontdoor::synth::demo_scenarios(dir.path());
    let code = run(
        &dir.path().join("study.toml"),
        out,
        &RunOptions::default(),
        &scenarios,
        None,
        quiet,
    );
    drop(dir);
    code
}

/// One line on what the decision layer recommends.
fn decisions_line(d: &frontdoor::decide::Decisions) -> String {
    use frontdoor::decide::Recommendation as R;
    let n = |r: R| d.count(r);
    let mut line = format!(
        "recommendations for {} buildings and candidates: keep {}, share {}, close {}, open {}; {} share proposals ({} recommended), {} digital points, {} hot-spot zones, {} new sites",
        d.cards.iter().filter(|c| c.assessed).count() + n(R::Open) + n(R::NotOpened),
        n(R::Keep),
        n(R::Share),
        n(R::Close),
        n(R::Open),
        d.proposals.len(),
        d.proposals.iter().filter(|p| p.recommended).count(),
        d.digital_points.len(),
        d.gaps.hot_spots.len(),
        d.gaps.new_sites.len()
    );
    if let Some(p) = &d.plan {
        let s = &p.summary;
        line.push_str(&format!(
            "; together they save {} a year and leave {} people without a service within {} min {}",
            frontdoor::decide::money(s.annual_cost_saved),
            frontdoor::decide::whole(s.population_losing[d.rules.mode][d.rules.band]),
            d.rules.minutes,
            d.rules.mode_name
        ));
    }
    line
}

/// A travel mode named on the command line.
fn parse_mode(text: &str) -> Result<frontdoor::model::Mode, Error> {
    use frontdoor::model::Mode;
    match text {
        "walk" => Ok(Mode::Walk),
        "cycle" => Ok(Mode::Cycle),
        "drive" => Ok(Mode::Drive),
        other => Err(Error::Other(format!(
            "--mode {other}: expected walk, cycle or drive"
        ))),
    }
}

fn network(
    file: &Path,
    mode: &str,
    crs: Option<&str>,
    export: Option<&Path>,
    quiet: bool,
) -> Result<ExitCode, Error> {
    use frontdoor::model::Mode;
    let mode = parse_mode(mode)?;
    let t = std::time::Instant::now();
    let osm = frontdoor::network::osm::read_osm(file)?;
    let read = t.elapsed();
    let crs = match crs {
        Some(c) => frontdoor::crs::Crs::parse(c).map_err(Error::Other)?,
        None => frontdoor::network::working_crs_for(&osm)?,
    };
    let walk = frontdoor::study::default_mode_params(Mode::Walk).speed_kmh;
    let cycle = frontdoor::study::default_mode_params(Mode::Cycle).speed_kmh;
    let t2 = std::time::Instant::now();
    let g = frontdoor::network::graph::build_graph(&osm, mode, walk, cycle, &crs)?;
    let built = t2.elapsed();
    if !quiet {
        println!(
            "{}: {} highway ways, {} nodes read in {:.2} s",
            file.display(),
            osm.ways.len(),
            osm.nodes.len(),
            read.as_secs_f64()
        );
        println!(
            "{mode} graph in {crs}: {} nodes, {} links, {} arcs; {} nodes and {} links outside the largest strongly connected component dropped; built in {:.2} s",
            g.node_count(),
            g.links.len(),
            g.forward.heads.len(),
            g.dropped_nodes,
            g.dropped_links,
            built.as_secs_f64()
        );
    }
    if let Some(dir) = export {
        frontdoor::network::export_graph(&g, dir)?;
        if !quiet {
            println!(
                "wrote {} and {}",
                dir.join("nodes.csv").display(),
                dir.join("arcs.csv").display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per scenario for the terminal: what it does, what it saves, and how many people
/// lose access within each band by each mode.
fn scenario_line(study: &Study, ev: &frontdoor::scenario::Evaluation) -> String {
    let s = &ev.summary;
    let n = |v: f64| frontdoor::render::tables::format_number(v.round());
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
        ev.scenario.name, s.sites_closed, s.sites_opened, s.sites_shared
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
    if s.overloaded_sites > 0 {
        parts.push(format!("{} sites over capacity", s.overloaded_sites));
    }
    for w in &ev.scenario.warnings {
        parts.push(format!("warning: {w}"));
    }
    parts.join("; ")
}
