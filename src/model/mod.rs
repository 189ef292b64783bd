//! The study as frontdoor works on it: zones, sites and demand in one metric CRS.

use std::path::{Path, PathBuf};

use crate::crs::Crs;
use crate::error::{Error, Problem, Result};
use crate::ids::{Bands, ModeIx, SiteIx};
use crate::mode::{Mode, ModeParams};
use geo::{Coord, MultiPolygon};

mod category;

pub use category::{Category, Channel};

/// A small area with its population profile.
#[derive(Debug, Clone)]
pub struct Zone {
    /// The zone's id.
    pub id: String,
    /// Its name, if given.
    pub name: Option<String>,
    /// Residents.
    pub population: f64,
    /// Values of the study's profile columns, in [`Study::profile`] order.
    pub profile: Vec<f64>,
    /// The point travel is measured from (working CRS).
    pub point: Coord<f64>,
    /// The zone's area, if polygons were given (working CRS).
    pub polygon: Option<MultiPolygon<f64>>,
}

/// A building or piece of street furniture where a service can be met.
#[derive(Debug, Clone)]
pub struct Site {
    /// The site's id, unique in the study.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The agency that runs it.
    pub agency: String,
    /// What kind of site it is (library, gp_practice, bus_stop...).
    pub kind: String,
    /// Services offered.
    pub services: Vec<String>,
    /// Annual running cost.
    pub annual_cost: Option<f64>,
    /// Capacity, visits a year.
    pub capacity: Option<f64>,
    /// Floor area, m².
    pub floor_area_m2: Option<f64>,
    /// Opening hours a week.
    pub opening_hours: Option<f64>,
    /// Tenure.
    pub tenure: Option<String>,
    /// Lease end date.
    pub lease_end: Option<String>,
    /// Condition grade.
    pub condition: Option<String>,
    /// Must be kept.
    pub fixed: bool,
    /// A possible new site, not open in the baseline.
    pub candidate: bool,
    /// Context (None: assessed by the study): it counts for residents' reach and is never
    /// recommended.
    pub context: Option<Context>,
    /// Location (working CRS).
    pub point: Coord<f64>,
}

impl Site {
    /// A site of `kind` at `point` (working CRS), named by its id, run by no agency in
    /// particular, open, with no other attribute: for studies made in memory.
    pub fn at(id: String, kind: &str, point: Coord<f64>) -> Site {
        Site {
            name: id.clone(),
            id,
            agency: String::new(),
            kind: kind.to_string(),
            services: vec![],
            annual_cost: None,
            capacity: None,
            floor_area_m2: None,
            opening_hours: None,
            tenure: None,
            lease_end: None,
            condition: None,
            fixed: false,
            candidate: false,
            context: None,
            point,
        }
    }

    /// Annual cost per contact, given contacts a year (None without a cost or contacts).
    pub fn cost_per_contact(&self, contacts_a_year: f64) -> Option<f64> {
        self.annual_cost
            .filter(|_| contacts_a_year > 0.0)
            .map(|c| c / contacts_a_year)
    }

    /// The services the site offers: its `services`, or its kind where none are listed.
    pub fn offers(&self) -> Vec<&str> {
        if self.services.is_empty() {
            vec![self.kind.as_str()]
        } else {
            self.services.iter().map(String::as_str).collect()
        }
    }
}

/// How records that do not say where they were served are given to sites.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Assignment {
    /// All to the nearest open site offering the service.
    #[default]
    Nearest,
    /// Huff's model: to every open site offering the service within the largest band, with
    /// probability A_j t_j^-beta / Σ_k A_k t_k^-beta (t in minutes, at least 1; A the capacity
    /// or 1); the nearest where none is within the band.
    Huff {
        /// The distance-decay exponent.
        beta: f64,
        /// Attractiveness is the site's capacity (1 where it has none), else 1 for every site.
        by_capacity: bool,
    },
}

impl Assignment {
    /// The shares of a demand at `minutes` from each candidate site with `capacity` (in the
    /// order given); they add up to 1. Nearest: all to the first of the least minutes.
    pub fn shares(&self, candidates: &[(f64, Option<f64>)]) -> Vec<f64> {
        let mut out = vec![0.0; candidates.len()];
        match *self {
            Assignment::Nearest => {
                if let Some(k) = (0..candidates.len())
                    .min_by(|&a, &b| candidates[a].0.total_cmp(&candidates[b].0))
                {
                    out[k] = 1.0;
                }
            }
            Assignment::Huff { beta, by_capacity } => {
                let weight = |&(t, cap): &(f64, Option<f64>)| {
                    let a = if by_capacity { cap.unwrap_or(1.0) } else { 1.0 };
                    a * (t.max(1.0)).powf(-beta)
                };
                let w: Vec<f64> = candidates.iter().map(weight).collect();
                let total = crate::num::sum(w.iter().copied());
                if total > 0.0 {
                    for (o, wk) in out.iter_mut().zip(&w) {
                        *o = wk / total;
                    }
                } else if !out.is_empty() {
                    return Assignment::Nearest.shares(candidates);
                }
            }
        }
        out
    }
}

/// Why a site is context rather than assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Outside the study area: beyond every zone polygon.
    Outside,
    /// In a site file marked `assess = false`.
    NotAssessed,
}

/// Contacts by category and channel.
pub type CategoryChannel = [[f64; 5]; 5];

/// Demand after placing and aggregating the records.
#[derive(Debug, Clone, Default)]
pub struct Demand {
    /// Contacts attributed to each site, `[category][channel]`.
    pub by_site: Vec<CategoryChannel>,
    /// Contacts by the zone they came from, `[category][channel]`.
    pub by_zone: Vec<CategoryChannel>,
    /// Per site, where its contacts came from, by zone and service (in that order).
    pub site_origins: Vec<Vec<Origin>>,
    /// Service names of the records, lower-cased; `Origin::service` indexes them.
    pub services: Vec<String>,
    /// Contacts placed in a zone but attributed to no site (no site offers the service).
    pub unattributed: f64,
    /// Contacts read and placed in all.
    pub total: f64,
}

/// Contacts of one site from one zone for one service.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The zone they came from.
    pub zone: u32,
    /// The service, an index into `Demand::services`.
    pub service: u32,
    /// Contacts, `[category][channel]`.
    pub contacts: CategoryChannel,
}

/// A record of one input file read: what, where, and its fingerprint.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Role: zones, boundaries, sites or demand.
    pub role: &'static str,
    /// The path as written in the study (relative to it).
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Rows (or features) in the file.
    pub rows: usize,
    /// Rows used after filters.
    pub used: usize,
}

/// Travel times from another tool (`[travel] matrix`), used in place of frontdoor's routing.
#[derive(Debug, Clone)]
pub struct TravelMatrix {
    /// The file, as a path from the working folder.
    pub path: PathBuf,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Rows read.
    pub rows: usize,
    /// Rows skipped (a zone, site or mode the study does not have).
    pub skipped: usize,
    /// Per study mode: (site, zone, minutes) for every pair the file gives, by site then zone.
    pub by_mode: Vec<Vec<(u32, u32, f64)>>,
}

/// What loading found that a user should know, short of an error.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    /// Demand rows read.
    pub demand_rows: usize,
    /// Demand rows placed.
    pub demand_rows_placed: usize,
    /// Demand rows skipped, by reason, in order of first appearance.
    pub demand_skipped: Vec<(String, usize)>,
    /// The first few skipped rows, with why.
    pub demand_skipped_examples: Vec<String>,
    /// Sites dropped by `clip_to_zones_km`.
    pub sites_clipped: usize,
    /// Warnings (e.g. zones without polygons).
    pub warnings: Vec<String>,
}

impl LoadReport {
    /// Demand rows skipped in all.
    pub fn demand_rows_skipped(&self) -> usize {
        self.demand_skipped.iter().map(|(_, n)| n).sum()
    }
}

/// Where the routing graphs built from an OpenStreetMap file are kept between runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphCache {
    /// Beside the OpenStreetMap file (the default).
    BesideNetwork,
    /// In this folder (`[travel] cache_dir`, relative to the study file).
    Folder(PathBuf),
    /// Not cached (`--no-cache`): every run reads the OpenStreetMap file.
    Off,
}

/// Everything frontdoor knows about a study after loading.
#[derive(Debug, Clone)]
pub struct Study {
    /// Name of the study.
    pub name: String,
    /// The study file.
    pub path: PathBuf,
    /// SHA-256 of the study file.
    pub sha256: String,
    /// Working CRS (metres).
    pub crs: Crs,
    /// Data attributions.
    pub attribution: Vec<String>,
    /// Zones, in input order.
    pub zones: Vec<Zone>,
    /// Names of the zones' profile columns.
    pub profile: Vec<String>,
    /// Indices into `profile` of the vulnerable groups.
    pub vulnerable: Vec<usize>,
    /// Sites of all site files, in input order.
    pub sites: Vec<Site>,
    /// Kinds of site, sorted.
    pub kinds: Vec<String>,
    /// Demand placed and aggregated.
    pub demand: Demand,
    /// Years the demand covers.
    pub demand_years: f64,
    /// Travel modes with their parameters.
    pub modes: Vec<ModeParams>,
    /// Time bands, minutes, increasing (at least one).
    pub bands: Bands,
    /// Report per site kind as well.
    pub per_kind: bool,
    /// The OpenStreetMap file for network travel times (resolved against the study's folder).
    pub network: Option<PathBuf>,
    /// Points further than this from the network are not joined to it, metres.
    pub snap_limit_m: f64,
    /// Travel times from another tool, in place of frontdoor's routing (`[travel] matrix`).
    pub travel_matrix: Option<TravelMatrix>,
    /// Where the routing graphs built from the network are cached.
    pub graph_cache: GraphCache,
    /// Public transport, when the study measures the `transit` mode.
    pub transit: Option<TransitSettings>,
    /// How records that do not say where they were served are given to sites.
    pub assignment: Assignment,
    /// How money is written (a symbol such as "£" or a code such as "BRL"; None: plain numbers).
    pub currency: Option<String>,
    /// Suppress demand counts below this in outputs (0: none).
    pub suppress_below: u32,
    /// The map shades zones by this mode (None: the first).
    pub map_mode: Option<Mode>,
    /// The map shades zones by minutes to this kind of site (None: any site).
    pub map_kind: Option<String>,
    /// Input files read.
    pub inputs: Vec<InputFile>,
    /// What loading found.
    pub report: LoadReport,
}

impl Study {
    /// A study made in memory (for benchmarks, tests and library users) from zones and sites in
    /// the working CRS `crs`, with its modes and bands: no demand, no network, no profile; its
    /// kinds those of the sites, sorted; every other setting at its default. Set the public
    /// fields for more (`profile` and `vulnerable`, `per_kind`, `kinds`).
    pub fn in_memory(
        name: &str,
        crs: Crs,
        zones: Vec<Zone>,
        sites: Vec<Site>,
        modes: Vec<ModeParams>,
        bands: Bands,
    ) -> Study {
        let mut kinds: Vec<String> = sites.iter().map(|s| s.kind.clone()).collect();
        kinds.sort();
        kinds.dedup();
        Study {
            name: name.into(),
            path: PathBuf::new(),
            sha256: String::new(),
            crs,
            attribution: vec![],
            demand: Demand {
                by_site: vec![Default::default(); sites.len()],
                by_zone: vec![Default::default(); zones.len()],
                ..Default::default()
            },
            zones,
            profile: vec![],
            vulnerable: vec![],
            sites,
            kinds,
            demand_years: 1.0,
            modes,
            bands,
            per_kind: false,
            network: None,
            snap_limit_m: 1000.0,
            travel_matrix: None,
            graph_cache: GraphCache::Off,
            transit: None,
            currency: None,
            assignment: Default::default(),
            suppress_below: 0,
            map_mode: None,
            map_kind: None,
            inputs: vec![],
            report: LoadReport::default(),
        }
    }

    /// Every file the study reads (the study file, its tables and its OpenStreetMap file), as
    /// paths from the working folder: an output folder must never replace them.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        let dir = self.path.parent().unwrap_or(Path::new(""));
        let mut paths = vec![self.path.clone()];
        paths.extend(self.inputs.iter().map(|i| dir.join(&i.path)));
        paths.extend(self.network.iter().cloned());
        paths.extend(self.transit.iter().flat_map(|t| t.gtfs.iter().cloned()));
        paths
    }

    /// Index of a site's kind in [`Study::kinds`].
    pub fn kind_index(&self, site: &Site) -> usize {
        self.kinds
            .binary_search(&site.kind)
            .expect("every site kind is listed")
    }

    /// Column-name parts of the vulnerable groups (`age_65_plus`), in study order.
    pub fn group_columns(&self) -> Vec<String> {
        self.vulnerable
            .iter()
            .map(|&v| column_part(&self.profile[v]))
            .collect()
    }

    /// Total population of the zones.
    pub fn population(&self) -> f64 {
        crate::num::sum(self.zones.iter().map(|z| z.population))
    }

    /// Face-to-face contacts a year recorded at (or attributed to) site `j`: summed over the
    /// categories, then divided by the years the records cover.
    pub fn face_to_face_a_year(&self, j: usize) -> f64 {
        let f2f = Channel::FaceToFace.index();
        self.demand.by_site.get(j).map_or(0.0, |d| {
            crate::num::sum(d.iter().map(|r| r[f2f])) / self.demand_years
        })
    }

    /// The index of the study mode `mode`, if the study has it.
    pub fn mode_ix(&self, mode: Mode) -> Option<ModeIx> {
        self.modes
            .iter()
            .position(|p| p.mode == mode)
            .map(ModeIx::from)
    }

    /// The site with this id, for a user's id given in `field` (of the study file, a scenario
    /// file or the command line): the one rule of every command. Ids match exactly; an unknown
    /// id is refused with the ids it may have meant.
    pub fn site_ix(&self, id: &str, field: &str) -> Result<SiteIx> {
        SiteLookup::new(&self.sites)
            .find(id)
            .map_err(|e| Error::problem(e.problem(&self.path, field)))
    }
}

/// Site ids to site indices, built once for many look-ups (demand rows, scenario files).
pub struct SiteLookup<'a> {
    sites: &'a [Site],
    by_id: std::collections::HashMap<&'a str, usize>,
}

impl<'a> SiteLookup<'a> {
    /// An index over the ids of `sites`.
    pub fn new(sites: &'a [Site]) -> Self {
        let mut by_id = std::collections::HashMap::with_capacity(sites.len());
        for (i, s) in sites.iter().enumerate() {
            by_id.entry(s.id.as_str()).or_insert(i);
        }
        SiteLookup { sites, by_id }
    }

    /// The site with exactly this id, or what the user may have meant.
    pub fn find(&self, id: &str) -> std::result::Result<SiteIx, UnknownSite> {
        match self.by_id.get(id) {
            Some(&i) => Ok(SiteIx::from(i)),
            None => Err(UnknownSite {
                id: id.to_string(),
                suggestions: self.suggestions(id),
            }),
        }
    }

    /// Ids of sites whose id matches `id` but for case and surrounding spaces, or whose name
    /// matches it but for case (at most three).
    fn suggestions(&self, id: &str) -> Vec<String> {
        let wanted = id.trim();
        self.sites
            .iter()
            .filter(|s| s.id.eq_ignore_ascii_case(wanted) || s.name.eq_ignore_ascii_case(wanted))
            .map(|s| s.id.clone())
            .take(3)
            .collect()
    }
}

/// A site id that no site of the study has.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownSite {
    /// The id as given.
    pub id: String,
    /// Ids of sites the user may have meant.
    pub suggestions: Vec<String>,
}

impl std::fmt::Display for UnknownSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no site has the id \"{}\"", self.id)?;
        if !self.suggestions.is_empty() {
            let quoted: Vec<String> = self
                .suggestions
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect();
            write!(f, "; did you mean {}?", quoted.join(" or "))?;
        }
        Ok(())
    }
}

impl UnknownSite {
    /// The problem, in `file` at `field`.
    pub fn problem(&self, file: &std::path::Path, field: &str) -> Problem {
        Problem::field(file, field, self.to_string())
    }
}

/// Turns a label such as "GP practice" into a column-name part such as `gp_practice`.
pub fn column_part(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("other");
    }
    out
}

/// The state of the estate: which sites are open, what each offers, their capacity and
/// opening hours. The baseline is the study as loaded; a scenario changes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Estate {
    /// Per site: open.
    pub open: Vec<bool>,
    /// Per site: services taken over from other sites (shares), besides its own.
    pub extra_offers: Vec<Vec<String>>,
    /// Per site: capacity, visits a year.
    pub capacity: Vec<Option<f64>>,
    /// Per site: opening hours a week.
    pub opening_hours: Vec<Option<f64>>,
    own_offers: Vec<Vec<String>>,
}

impl Estate {
    /// The study's baseline: every site open except candidates.
    pub fn baseline(study: &Study) -> Estate {
        Estate {
            open: study.sites.iter().map(|s| !s.candidate).collect(),
            extra_offers: vec![Vec::new(); study.sites.len()],
            capacity: study.sites.iter().map(|s| s.capacity).collect(),
            opening_hours: study.sites.iter().map(|s| s.opening_hours).collect(),
            own_offers: study
                .sites
                .iter()
                .map(|s| s.offers().into_iter().map(str::to_string).collect())
                .collect(),
        }
    }

    /// The services site `j` offers in this estate (whether or not it is open).
    pub fn offers(&self, j: usize) -> impl Iterator<Item = &String> {
        self.own_offers[j].iter().chain(&self.extra_offers[j])
    }

    /// Whether site `j` is open and offers `service` (any open site where `service` is None).
    pub fn provides(&self, j: usize, service: Option<&str>) -> bool {
        self.open[j] && service.is_none_or(|s| self.offers(j).any(|o| o == s))
    }
}

/// A calendar day, as GTFS service days are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceDate {
    /// The year.
    pub year: i32,
    /// The month, 1-12.
    pub month: u32,
    /// The day of the month, 1-31.
    pub day: u32,
}

impl ServiceDate {
    /// Days since 1970-01-01 (negative before), by Howard Hinnant's days-from-civil.
    pub fn days(self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> ServiceDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        ServiceDate { year, month, day }
    }

    /// The day before or after (`delta` days).
    pub fn plus(self, delta: i64) -> ServiceDate {
        ServiceDate::from_days(self.days() + delta)
    }

    /// Day of the week, Monday 0 to Sunday 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.days() + 3).rem_euclid(7) as u32
    }

    /// Parses `YYYY-MM-DD` or GTFS's `YYYYMMDD`.
    pub fn parse(text: &str) -> Option<ServiceDate> {
        let digits: String = text.chars().filter(|c| *c != '-').collect();
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d = ServiceDate {
            year: digits[0..4].parse().ok()?,
            month: digits[4..6].parse().ok()?,
            day: digits[6..8].parse().ok()?,
        };
        (d.month >= 1 && d.month <= 12 && d.day >= 1 && ServiceDate::from_days(d.days()) == d)
            .then_some(d)
    }
}

impl std::fmt::Display for ServiceDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Public-transport settings of a study: its GTFS feeds and the departure window (`[travel]
/// gtfs` and `[travel.transit]`).
#[derive(Debug, Clone, PartialEq)]
pub struct TransitSettings {
    /// GTFS feeds (zip files or folders), resolved against the study's folder.
    pub gtfs: Vec<PathBuf>,
    /// The service day of the departure.
    pub date: ServiceDate,
    /// The first departure, seconds after midnight of the service day (feed local time).
    pub departure_s: u32,
    /// Departures every minute over this many minutes.
    pub window_minutes: u32,
    /// Percentiles of travel time over the window reported (the first feeds every measure).
    pub percentiles: Vec<u8>,
    /// Longest walk to the first stop and from the last, minutes.
    pub max_access_minutes: f64,
    /// Longest walk between stops, metres on the street network.
    pub max_transfer_m: f64,
    /// Most vehicles boarded in one journey.
    pub max_rides: u8,
    /// Random phases of frequency-based trips drawn per departure window.
    pub draws: u32,
}
