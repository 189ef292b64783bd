//! The `frontdoor` command: parses arguments and calls the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use frontdoor::optimise::{self, instance::TableColumns, Limits, Model};
use frontdoor::pipeline::{self, OptimiseRequest, RunOptions};
use frontdoor::terminal;
use frontdoor::{progress, synth, Error, Mode};

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
    /// Neither read nor write the routing graphs' caches (every run reads the OSM file).
    #[arg(long, global = true)]
    no_cache: bool,
    /// Output formats: csv, geojson, geoparquet, gpkg (repeat for several; default: the
    /// study's [output] formats, else csv and geojson).
    #[arg(long = "format", global = true, value_name = "FORMAT")]
    formats: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a study: read every input, print counts, CRS and extent, and every problem found.
    ///
    #[command(after_help = "Example:\n  frontdoor check data/demo/study.toml")]
    Check {
        /// The study file (TOML).
        study: PathBuf,
        /// Treat demand rows that cannot be placed as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Run a study: reach, accessibility, recommendations with their reasons, the tables,
    /// layers, maps, run.json and report.html into --out.
    #[command(
        after_help = "Example:\n  frontdoor run data/demo/study.toml --out results/demo\n  frontdoor run data/demo/study.toml --out results/demo --explain S000025\n  frontdoor run data/demo/study.toml --out results/demo --scenario data/demo/scenarios/digital-first.toml\n  frontdoor run data/demo/study.toml --out results/demo-gis --format csv --format geoparquet --format gpkg"
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
        after_help = "Example:\n  frontdoor reach tests/studies/porto-alegre.toml --out results/pa-reach"
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
        after_help = "Example:\n  frontdoor scenario data/demo/study.toml data/demo/scenarios/close-small-libraries.toml data/demo/scenarios/share-town-hub.toml --out results/scenarios\n\nA scenario file (TOML):\n  close = [\"LIB-03\"]\n  open = [\"CAND-1\"]\n  share = [{ host = \"HUB-1\", guests = [\"OFF-2\"] }]\n  capacity = { \"HUB-1\" = 60000 }\n  [[channel_shift]]\n  share = 0.3          # of once-and-done face-to-face contacts, to digital"
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
        after_help = "Example:\n  frontdoor optimise tests/studies/oxfordshire.toml --model pmedian --p 30 --mode walk --kind library --out results/libraries\n  frontdoor optimise --costs ../shared/peers/spopt-san-francisco/SF_network_distance_candidateStore_16_censusTract_205_new.csv --demand ../shared/peers/spopt-san-francisco/SF_demand_205_centroid_uniform_weight.csv --demand-id NAME --costs-demand-id DestinationName --site-id name --cost-column distance --weight-column POP2000 --model mclp --p 4 --standard 5000 --out results/mclp\n\nCOSTS is a long table (CSV or Parquet) with columns demand_id, site_id, cost; pairs absent are unreachable. DEMAND has demand_id, weight."
    )]
    Optimise(Box<OptimiseArgs>),
    /// Inspect an OpenStreetMap file as frontdoor's routing graph of one mode; optionally export
    /// the graph (nodes.csv, arcs.csv) for checking with other tools.
    #[command(
        after_help = "Example:\n  frontdoor network ../shared/data/oxford-centre-osm/oxford_centre_2015.osm.pbf --mode walk --crs EPSG:27700 --export results/graph"
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
    /// Inspect GTFS feeds: agencies, routes, stops, the trips running on a day (and how many
    /// are frequency-based), blank stop times interpolated, and problems found.
    #[command(
        after_help = "Example:\n  frontdoor transit ../shared/data/porto-alegre/poa_eptc.zip --date 2019-05-13"
    )]
    Transit {
        /// GTFS feeds (zip files or folders).
        #[arg(required = true)]
        feeds: Vec<PathBuf>,
        /// The service day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
    },
    /// Split a study into parts for a national run: each part's zones, the sites they need so
    /// that their travel times are exact, and a study file, with partition.json, into --out.
    #[command(
        after_help = "Example:\n  frontdoor partition results/county/study.toml --tiles 8 --out results/county-parts\n  frontdoor partition study.toml --by LAD22CD --out parts\n\nThen measure each part (`frontdoor reach PARTS/part-001/study.toml --out PARTS/part-001/out`, or all of them on Ray with ray/frontdoor_ray.py) and join them with `frontdoor merge PARTS --out DIR`."
    )]
    #[command(group(clap::ArgGroup::new("split").required(true).args(["tiles", "by"])))]
    Partition {
        /// The study file (TOML).
        study: PathBuf,
        /// This many tiles of about equal zone counts.
        #[arg(long)]
        tiles: Option<usize>,
        /// One part per value of this column of the zones file (a local authority code, say).
        #[arg(long, value_name = "COLUMN")]
        by: Option<String>,
        /// Output folder for the parts and partition.json.
        #[arg(long)]
        out: PathBuf,
    },
    /// Join the travel times of a partition's measured parts and run the whole study on them:
    /// the same outputs as `frontdoor run` on the whole study, into --out.
    #[command(
        after_help = "Example:\n  frontdoor merge results/county-parts --out results/county\n  frontdoor merge results/county-parts --out results/county-plus --scenario s1.toml --scenario s2.toml\n  frontdoor merge results/county-parts --scenarios-only --scenario s1.toml --scenario s2.toml --out results/sweep-1"
    )]
    Merge {
        /// The partition's folder (from `frontdoor partition`), its parts measured.
        parts: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Also evaluate these scenario files against the baseline (repeat for several).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Evaluate only the scenarios, as `frontdoor scenario` does (a slice of a sweep).
        #[arg(long, requires = "scenarios")]
        scenarios_only: bool,
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
        after_help = "Example:\n  frontdoor synth --out results/synthetic\n  frontdoor synth --tiles 40 --annual --out results/county"
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
    /// pmedian, mclp, lscp, lscpb, pcenter, cpmedian (capacitated p-median) or cmclp
    /// (capacitated MCLP).
    #[arg(long)]
    model: String,
    /// Number of sites to choose (pmedian, mclp, pcenter, cpmedian, cmclp).
    #[arg(long)]
    p: Option<usize>,
    /// Service standard: the largest cost that counts as covered (mclp, lscp, lscpb, cmclp);
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

impl OptimiseArgs {
    /// Checks the arguments and turns them into the library's request, and where the model's
    /// inputs come from (the study file, or a cost and a demand table), and the output folder.
    fn into_request(
        self,
        options: RunOptions,
    ) -> Result<(OptimiseRequest, Source, PathBuf), Error> {
        let model: Model = self
            .model
            .parse()
            .map_err(|e| Error::Usage(format!("--model: {e}")))?;
        let mode = self.mode.as_deref().map(parse_mode).transpose()?;
        if !(self.time_limit >= 0.0 && self.gap >= 0.0) {
            return Err(Error::Usage(
                "--time-limit and --gap must be zero or more".into(),
            ));
        }
        let source = match (self.study, self.costs, self.demand) {
            (Some(s), None, None) => Source::Study(
                s,
                RunOptions {
                    strict: self.strict,
                    ..options
                },
            ),
            (None, Some(costs), Some(demand)) => Source::Tables {
                costs,
                demand,
                columns: TableColumns {
                    costs_demand_id: self
                        .costs_demand_id
                        .unwrap_or_else(|| self.demand_id.clone()),
                    demand_id: self.demand_id,
                    site_id: self.site_id,
                    cost: self.cost_column,
                    weight: self.weight_column,
                },
            },
            _ => {
                return Err(Error::Usage(
                    "give either a study file, or --costs and --demand (not both)".into(),
                ))
            }
        };
        let req = OptimiseRequest {
            model,
            options: optimise::Options {
                p: self.p,
                standard: self.standard,
                limits: Limits {
                    seconds: self.time_limit,
                    gap: self.gap,
                },
            },
            mode,
            kind: self.kind,
            service: self.service,
            weight: self.weight,
            forbid: self.forbid,
        };
        Ok((req, source, self.out))
    }
}

/// Where an optimiser's instance comes from.
enum Source {
    Study(PathBuf, RunOptions),
    Tables {
        costs: PathBuf,
        demand: PathBuf,
        columns: TableColumns,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    progress::init_logging(cli.verbose, cli.quiet);
    frontdoor::interrupt::install();
    let quiet = cli.quiet;
    let no_cache = cli.no_cache;
    let formats = match parse_formats(&cli.formats) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    let options = |strict: bool| RunOptions {
        strict,
        no_cache,
        formats,
    };
    let say = |lines: Vec<String>| {
        if !quiet {
            for l in lines {
                println!("{l}");
            }
        }
    };
    let result = match cli.command {
        Command::Check { study, strict } => check(&study, strict, quiet),
        Command::Run {
            study,
            out,
            strict,
            scenarios,
            explain,
        } => run(
            &study,
            &out,
            &options(strict),
            &scenarios,
            explain.as_deref(),
            quiet,
        ),
        Command::Report { out } => pipeline::rebuild_report(&out).map(|p| {
            say(vec![format!("wrote {}", p.display())]);
            ExitCode::SUCCESS
        }),
        Command::Demo { out } => demo(&out, quiet),
        Command::Reach { study, out, strict } => {
            pipeline::run_reach(&study, &out, &options(strict)).map(|o| {
                say(vec![terminal::files_line(&o.out, &o.files)]);
                ExitCode::SUCCESS
            })
        }
        Command::Scenario {
            study,
            scenarios,
            out,
            strict,
        } => pipeline::run_scenarios(&study, &scenarios, &out, &options(strict)).map(|o| {
            say(terminal::scenario_lines(&o));
            ExitCode::SUCCESS
        }),
        Command::Optimise(args) => optimise_command(*args, options(false)).map(|lines| {
            say(lines);
            ExitCode::SUCCESS
        }),
        Command::Network {
            file,
            mode,
            crs,
            export,
        } => network(&file, &mode, crs.as_deref(), export.as_deref(), &say),
        Command::Transit { feeds, date } => transit(&feeds, &date, &say),
        Command::Partition {
            study,
            tiles,
            by,
            out,
        } => {
            let split = match (tiles, by) {
                (Some(n), _) => frontdoor::partition::Split::Tiles(n),
                (None, Some(c)) => frontdoor::partition::Split::By(c),
                (None, None) => unreachable!("clap requires --tiles or --by"),
            };
            pipeline::partition(&study, &split, &out, &options(false)).map(|o| {
                say(terminal::partition_lines(&o));
                ExitCode::SUCCESS
            })
        }
        Command::Merge {
            parts,
            out,
            scenarios,
            scenarios_only: true,
        } => pipeline::merge_scenarios(&parts, &scenarios, &out, &options(false)).map(|o| {
            say(terminal::scenario_lines(&o));
            ExitCode::SUCCESS
        }),
        Command::Merge {
            parts,
            out,
            scenarios,
            scenarios_only: false,
        } => pipeline::merge(&parts, &out, &options(false), &scenarios).map(|o| {
            say(terminal::run_lines(&o));
            ExitCode::SUCCESS
        }),
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
            say(vec![format!(
                "wrote a synthetic study to {}",
                out.join("study.toml").display()
            )]);
            ExitCode::SUCCESS
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Prints an error and gives the exit code of a failed command.
fn fail(e: &Error) -> ExitCode {
    for line in terminal::error_lines(e) {
        eprintln!("{line}");
    }
    ExitCode::from(2)
}

/// The formats of `--format` (None when not given).
fn parse_formats(names: &[String]) -> Result<Option<frontdoor::Formats>, Error> {
    if names.is_empty() {
        return Ok(None);
    }
    frontdoor::Formats::parse(names)
        .map(Some)
        .map_err(|e| Error::Usage(format!("--format: {e}")))
}

fn check(path: &Path, strict: bool, quiet: bool) -> Result<ExitCode, Error> {
    match pipeline::load(
        path,
        &RunOptions {
            strict,
            no_cache: true,
            formats: None,
        },
    ) {
        Ok(loaded) => {
            // The timetables are inputs too: what they run on the study's day.
            let feeds = match &loaded.study.transit {
                Some(t) => Some((t.date, pipeline::inspect_transit(&t.gtfs, t.date)?)),
                None => None,
            };
            let no_service = feeds
                .as_ref()
                .is_some_and(|(_, f)| f.iter().all(|s| s.trips_on_day == 0));
            if !quiet {
                for l in terminal::study_summary(&loaded.study) {
                    println!("{l}");
                }
                if let Some((day, f)) = &feeds {
                    for l in terminal::transit_lines(*day, f) {
                        println!("{l}");
                    }
                }
            }
            if no_service {
                println!("error: no trip of the GTFS feeds runs on the departure day (travel.transit.departure)");
                return Ok(ExitCode::from(1));
            }
            if !quiet {
                println!("no errors");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Input(problems)) => {
            for l in terminal::check_problems(&problems) {
                println!("{l}");
            }
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
    let outcome = pipeline::run(path, out, options, scenarios, explain)?;
    if let Some(e) = &outcome.explanation {
        print!("{e}");
        println!();
    }
    if !quiet {
        for l in terminal::run_lines(&outcome) {
            println!("{l}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn demo(out: &Path, quiet: bool) -> Result<ExitCode, Error> {
    let dir = synth::embedded_demo()?;
    let scenarios = synth::demo_scenarios(dir.path());
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

fn optimise_command(args: OptimiseArgs, options: RunOptions) -> Result<Vec<String>, Error> {
    let (req, source, out) = args.into_request(options)?;
    let o = match source {
        Source::Study(study, options) => pipeline::run_optimise(&study, &req, &out, &options)?,
        Source::Tables {
            costs,
            demand,
            columns,
        } => pipeline::run_optimise_tables(&costs, &demand, &columns, &req, &out)?,
    };
    Ok(terminal::optimise_lines(&o))
}

/// A travel mode named on the command line.
fn parse_mode(text: &str) -> Result<Mode, Error> {
    text.parse()
        .map_err(|e| Error::Usage(format!("--mode {text}: {e}")))
}

fn transit(feeds: &[PathBuf], date: &str, say: &dyn Fn(Vec<String>)) -> Result<ExitCode, Error> {
    let day = frontdoor::model::ServiceDate::parse(date).ok_or_else(|| {
        Error::Usage(format!(
            "--date {date}: expected a day as YYYY-MM-DD, e.g. 2019-05-13"
        ))
    })?;
    let summaries = pipeline::inspect_transit(feeds, day)?;
    say(terminal::transit_lines(day, &summaries));
    Ok(ExitCode::SUCCESS)
}

fn network(
    file: &Path,
    mode: &str,
    crs: Option<&str>,
    export: Option<&Path>,
    say: &dyn Fn(Vec<String>),
) -> Result<ExitCode, Error> {
    let mode = parse_mode(mode)?;
    let summary = pipeline::inspect_network(file, mode, crs)?;
    say(terminal::network_lines(file, mode, &summary));
    if let Some(dir) = export {
        pipeline::export_network(&summary.graph, file, dir)?;
        say(vec![format!(
            "wrote {} and {}",
            dir.join("nodes.csv").display(),
            dir.join("arcs.csv").display()
        )]);
    }
    Ok(ExitCode::SUCCESS)
}
