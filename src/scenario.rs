//! What-if scenarios: close, open and share sites, change capacity or opening hours, shift
//! face-to-face demand to other channels; and their evaluation against the baseline.
//!
//! A scenario file (TOML):
//! ```toml
//! name = "west-libraries"            # default: the file name without extension
//! description = "Close the libraries of West Oxfordshire"
//! close = ["Witney Library", "Carterton Library"]
//! open = ["NEW-1"]                   # candidate sites (not open in the baseline)
//! share = [{ host = "Didcot Library", guests = ["Didcot Civic Hall"] }]
//! capacity = { "Didcot Library" = 90000 }
//! opening_hours = { "Wantage Library" = 20 }   # scales capacity unless capacity is also set
//! mode = "walk"                      # mode demand is re-routed by (default: the study's first)
//! [[channel_shift]]                  # no category: the once-and-done categories
//! share = 0.3                        # of face-to-face contacts
//! to = "digital"                     # default digital
//! ```
//!
//! **Scope.** Access is measured per service: a site offers its `services` (or its kind where it
//! lists none), and a share host also offers its guests' services. A scenario's scope is every
//! service offered by a site it closes (outright or into a host) or opens; without one (a pure channel shift or a
//! capacity change), any open site. Per zone and mode, the minutes before and after are to the
//! farthest of the scope's services, each at its nearest providing site, at any distance: a zone
//! *loses access* within a band when some service in scope was within it before and is not
//! after; it *gains* access in the opposite case.
//!
//! **Demand.** The face-to-face contacts of a site a share closes go to its host. Those of a
//! site closed outright go, zone of origin by zone of origin and service by service (as the
//! demand records say), to that zone's nearest open site (by the scenario's mode) offering the
//! service; contacts with no such site in reach are counted as unplaced. Opening a site draws no demand from open ones (there
//! is no choice model). Channel shift then moves the given share of each category's
//! face-to-face contacts (at every site, and in total over every zone) to the other channel.
//! Loads are contacts a year (counts over `demand_years`), set against capacity (visits a
//! year): a site is overloaded when its face-to-face load after exceeds its capacity.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::access::{scores, Scores};
use crate::error::{Error, Problem, Result};
use crate::model::{Category, CategoryChannel, Channel, Estate, Mode, Study};
use crate::reach::{straight_line_nearest, Sum};
use crate::Measured;

/// A scenario file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name (default: the file name without extension).
    pub name: Option<String>,
    /// A sentence saying what the scenario is.
    pub description: Option<String>,
    /// Sites to close.
    #[serde(default)]
    pub close: Vec<String>,
    /// Candidate sites to open.
    #[serde(default)]
    pub open: Vec<String>,
    /// Shares: a host takes the services of its guests, which close.
    #[serde(default)]
    pub share: Vec<ShareInput>,
    /// Moves of face-to-face demand to other channels.
    #[serde(default)]
    pub channel_shift: Vec<ShiftInput>,
    /// New capacities, visits a year, by site id.
    #[serde(default)]
    pub capacity: BTreeMap<String, f64>,
    /// New opening hours a week, by site id.
    #[serde(default)]
    pub opening_hours: BTreeMap<String, f64>,
    /// Travel mode demand is re-routed by (default: the study's first).
    pub mode: Option<Mode>,
}

/// A share as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    /// The site that stays open and takes the services.
    pub host: String,
    /// The sites that move in and close.
    pub guests: Vec<String>,
}

/// A channel shift as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftInput {
    /// Service category (default: the once-and-done categories: simple, registered,
    /// information).
    pub category: Option<String>,
    /// Share of face-to-face contacts that move, 0 to 1.
    pub share: f64,
    /// Channel they move to (default digital).
    pub to: Option<String>,
}

/// A checked scenario, with sites as indices into the study.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Its name, used in output file names.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Sites closed outright.
    pub close: Vec<usize>,
    /// Candidate sites opened.
    pub open: Vec<usize>,
    /// Shares: host and guests.
    pub shares: Vec<(usize, Vec<usize>)>,
    /// `[category][channel]`: share of face-to-face contacts moved to the channel.
    pub shift: [[f64; 5]; 5],
    /// New capacities.
    pub capacity: Vec<(usize, f64)>,
    /// New opening hours.
    pub opening_hours: Vec<(usize, f64)>,
    /// Index of the mode demand is re-routed by.
    pub route_mode: usize,
    /// Things the user should know (e.g. a fixed site closed).
    pub warnings: Vec<String>,
}

/// Reads and checks scenario files against the study; every problem of every file is
/// reported, and two scenarios may not share a name.
pub fn read_scenarios(study: &Study, paths: &[PathBuf]) -> Result<Vec<Scenario>> {
    let mut problems = Vec::new();
    let mut out: Vec<Scenario> = Vec::new();
    for p in paths {
        match read_scenario(study, p) {
            Ok(s) => {
                if let Some(o) = out.iter().find(|o| o.name == s.name) {
                    problems.push(Problem::field(
                        p,
                        "name",
                        format!(
                            "the scenario name \"{}\" is also used by {}: names must differ (set `name` in one of them)",
                            s.name,
                            o.path.display()
                        ),
                    ));
                }
                out.push(s);
            }
            Err(Error::Input(mut p)) => problems.append(&mut p),
            Err(e) => return Err(e),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(problems))
    }
}

/// Reads and checks one scenario file.
pub fn read_scenario(study: &Study, path: &Path) -> Result<Scenario> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::problem(Problem::file(
            path,
            format!("cannot read the scenario file: {e}"),
        ))
    })?;
    let file: ScenarioFile = crate::study::parse_toml(path, &text)?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let name = file.name.clone().unwrap_or(stem);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        problems.push(Problem::field(
            path,
            "name",
            format!(
                "\"{name}\" cannot be used in file names: use letters, digits, '-', '_' or '.'"
            ),
        ));
    }
    let index: HashMap<&str, usize> = study
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let find = |field: String, id: &str, problems: &mut Vec<Problem>| -> Option<usize> {
        match index.get(id) {
            Some(&i) => Some(i),
            None => {
                let hint = study
                    .sites
                    .iter()
                    .find(|s| s.id.eq_ignore_ascii_case(id.trim()))
                    .map(|s| format!(" (did you mean \"{}\"?)", s.id))
                    .unwrap_or_default();
                problems.push(Problem::field(
                    path,
                    field,
                    format!(
                        "no site in the study has the id \"{id}\"{hint}; ids must match exactly"
                    ),
                ));
                None
            }
        }
    };
    // Every site a scenario closes, with where it is closed, to refuse closing one twice.
    let mut closed_at: HashMap<usize, String> = HashMap::new();
    let mut mark_closed = |i: usize, field: &str, problems: &mut Vec<Problem>| {
        if let Some(first) = closed_at.get(&i) {
            problems.push(Problem::field(
                path,
                field,
                format!(
                    "site \"{}\" is closed twice: also by {first}",
                    study.sites[i].id
                ),
            ));
            false
        } else {
            closed_at.insert(i, field.to_string());
            true
        }
    };
    let mut close = Vec::new();
    for (n, id) in file.close.iter().enumerate() {
        let field = format!("close[{n}]");
        if let Some(i) = find(field.clone(), id, &mut problems) {
            if study.sites[i].candidate {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("site \"{id}\" is a candidate, not open in the baseline: there is nothing to close"),
                ));
            } else if mark_closed(i, &field, &mut problems) {
                close.push(i);
            }
        }
    }
    let mut open = Vec::new();
    for (n, id) in file.open.iter().enumerate() {
        let field = format!("open[{n}]");
        if let Some(i) = find(field.clone(), id, &mut problems) {
            if !study.sites[i].candidate {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("site \"{id}\" is already open in the baseline: only candidate sites (candidate = true in the study) can be opened"),
                ));
            } else if open.contains(&i) {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("site \"{id}\" is opened twice"),
                ));
            } else {
                open.push(i);
            }
        }
    }
    let mut shares = Vec::new();
    for (n, s) in file.share.iter().enumerate() {
        let host = find(format!("share[{n}].host"), &s.host, &mut problems);
        if s.guests.is_empty() {
            problems.push(Problem::field(
                path,
                format!("share[{n}].guests"),
                "expected at least one guest site",
            ));
        }
        let mut guests = Vec::new();
        for (g, id) in s.guests.iter().enumerate() {
            let field = format!("share[{n}].guests[{g}]");
            if let Some(i) = find(field.clone(), id, &mut problems) {
                if study.sites[i].candidate {
                    problems.push(Problem::field(
                        path,
                        &field,
                        format!("site \"{id}\" is a candidate, not open in the baseline: it cannot move into a host"),
                    ));
                } else if Some(i) == host {
                    problems.push(Problem::field(
                        path,
                        &field,
                        format!("site \"{id}\" cannot be its own guest"),
                    ));
                } else if mark_closed(i, &field, &mut problems) {
                    guests.push(i);
                }
            }
        }
        if let Some(h) = host {
            let hosted_open = !study.sites[h].candidate || open.contains(&h);
            if !hosted_open {
                problems.push(Problem::field(
                    path,
                    format!("share[{n}].host"),
                    format!("host \"{}\" is a candidate site that the scenario does not open: add it to `open`", s.host),
                ));
            }
            shares.push((h, guests));
        }
    }
    // Hosts must stay open.
    for (n, (h, _)) in shares.iter().enumerate() {
        if let Some(at) = closed_at.get(h) {
            problems.push(Problem::field(
                path,
                format!("share[{n}].host"),
                format!(
                    "host \"{}\" is closed by {at}: a host must stay open",
                    study.sites[*h].id
                ),
            ));
        }
    }
    for &i in closed_at.keys() {
        if study.sites[i].fixed {
            warnings.push(format!(
                "site \"{}\" is fixed (must keep) in the study, and this scenario closes it",
                study.sites[i].id
            ));
        }
    }
    warnings.sort();
    let mut capacity = Vec::new();
    for (id, &v) in &file.capacity {
        let field = format!("capacity.\"{id}\"");
        if let Some(i) = find(field.clone(), id, &mut problems) {
            if !(v >= 0.0 && v.is_finite()) {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("expected a capacity (visits a year) of zero or more, found {v}"),
                ));
            } else {
                capacity.push((i, v));
            }
        }
    }
    let mut opening_hours = Vec::new();
    for (id, &v) in &file.opening_hours {
        let field = format!("opening_hours.\"{id}\"");
        if let Some(i) = find(field.clone(), id, &mut problems) {
            if !(v > 0.0 && v <= 168.0) {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("expected hours a week above 0 and at most 168, found {v}; to close a site use `close`"),
                ));
            } else if study.sites[i].opening_hours.is_none() {
                problems.push(Problem::field(
                    path,
                    &field,
                    format!("site \"{id}\" has no opening_hours in the study, so a change cannot be applied to its capacity: add the column to the sites input"),
                ));
            } else {
                opening_hours.push((i, v));
            }
        }
    }
    let mut shift = [[0.0; 5]; 5];
    let mut shifted_categories: Vec<Category> = Vec::new();
    for (n, s) in file.channel_shift.iter().enumerate() {
        let cats: Vec<Category> = match &s.category {
            None => Category::ALL
                .into_iter()
                .filter(|c| c.once_and_done())
                .collect(),
            Some(c) => match Category::parse(c) {
                Some(c) => vec![c],
                None => {
                    problems.push(Problem::field(
                        path,
                        format!("channel_shift[{n}].category"),
                        format!("expected one of simple, registered, information, facilitated, advocacy, found \"{c}\""),
                    ));
                    continue;
                }
            },
        };
        let to = match s.to.as_deref().map(Channel::parse) {
            None => Channel::Digital,
            Some(Some(Channel::FaceToFace)) | Some(None) => {
                problems.push(Problem::field(
                    path,
                    format!("channel_shift[{n}].to"),
                    format!(
                        "expected phone, digital, post or email, found \"{}\"",
                        s.to.as_deref().unwrap_or_default()
                    ),
                ));
                continue;
            }
            Some(Some(c)) => c,
        };
        if !(0.0..=1.0).contains(&s.share) {
            problems.push(Problem::field(
                path,
                format!("channel_shift[{n}].share"),
                format!(
                    "expected a share of face-to-face contacts from 0 to 1, found {}",
                    s.share
                ),
            ));
            continue;
        }
        for c in cats {
            shift[c.index()][to.index()] += s.share;
            shifted_categories.push(c);
        }
    }
    for c in Category::ALL {
        let total: f64 = shift[c.index()].iter().sum();
        if total > 1.0 + 1e-12 {
            problems.push(Problem::field(
                path,
                "channel_shift",
                format!(
                    "the shares moved from face to face for category {} add up to {total}, more than 1",
                    c.name()
                ),
            ));
        }
    }
    let route_mode = match file.mode {
        None => 0,
        Some(m) => match study.modes.iter().position(|p| p.mode == m) {
            Some(i) => i,
            None => {
                problems.push(Problem::field(
                    path,
                    "mode",
                    format!("{m} is not one of the study's travel modes"),
                ));
                0
            }
        },
    };
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Scenario {
        name,
        description: file.description,
        path: path.to_path_buf(),
        sha256: crate::load::table::hex(&Sha256::digest(text.as_bytes())),
        bytes: text.len() as u64,
        close,
        open,
        shares,
        shift,
        capacity,
        opening_hours,
        route_mode,
        warnings,
    })
}

impl Scenario {
    /// A scenario made by frontdoor itself (not read from a file) that changes nothing yet.
    pub fn made(name: &str, route_mode: usize) -> Scenario {
        Scenario {
            name: name.to_string(),
            description: None,
            path: PathBuf::from(format!("(made by frontdoor: {name})")),
            sha256: String::new(),
            bytes: 0,
            close: Vec::new(),
            open: Vec::new(),
            shares: Vec::new(),
            shift: [[0.0; 5]; 5],
            capacity: Vec::new(),
            opening_hours: Vec::new(),
            route_mode,
            warnings: Vec::new(),
        }
    }

    /// Every site the scenario closes: outright, then share guests.
    pub fn closed(&self) -> Vec<usize> {
        let mut v = self.close.clone();
        for (_, g) in &self.shares {
            v.extend(g);
        }
        v
    }

    /// The estate after the scenario.
    pub fn estate(&self, study: &Study) -> Estate {
        let mut e = Estate::baseline(study);
        for i in self.closed() {
            e.open[i] = false;
        }
        for &i in &self.open {
            e.open[i] = true;
        }
        for (h, guests) in &self.shares {
            for &g in guests {
                let take: Vec<String> = e
                    .offers(g)
                    .filter(|o| !e.offers(*h).any(|x| x == *o))
                    .cloned()
                    .collect();
                for t in take {
                    if !e.extra_offers[*h].contains(&t) {
                        e.extra_offers[*h].push(t);
                    }
                }
            }
        }
        for &(i, h) in &self.opening_hours {
            let before = study.sites[i].opening_hours.expect("checked on reading");
            if let Some(c) = e.capacity[i] {
                e.capacity[i] = Some(if before > 0.0 { c * h / before } else { c });
            }
            e.opening_hours[i] = Some(h);
        }
        for &(i, c) in &self.capacity {
            e.capacity[i] = Some(c);
        }
        e
    }

    /// The services in scope: every service offered by a site the scenario closes (outright or
    /// into a host) or opens (sorted); `[None]` (any open site) when there are none.
    pub fn scope(&self, study: &Study) -> Vec<Option<String>> {
        let mut v: Vec<String> = Vec::new();
        let mut touched = self.closed();
        touched.extend(&self.open);
        for i in touched {
            v.extend(study.sites[i].offers().into_iter().map(str::to_string));
        }
        v.sort();
        v.dedup();
        if v.is_empty() {
            vec![None]
        } else {
            v.into_iter().map(Some).collect()
        }
    }
}

/// Per zone: the nearest site and minutes to it.
pub type Nearest = Vec<Option<(usize, f64)>>;

/// A mode and a service (None: any open site).
type NearestKey = (usize, Option<String>);

/// Nearest-site searches of the baseline, kept across the scenarios of a run.
#[derive(Default)]
pub struct BaselineCache {
    nearest: Mutex<HashMap<NearestKey, Arc<Nearest>>>,
}

impl BaselineCache {
    fn get(&self, m: &Measured, mode: usize, service: &Option<String>) -> Arc<Nearest> {
        let key = (mode, service.clone());
        if let Some(v) = self.nearest.lock().expect("not poisoned").get(&key) {
            return v.clone();
        }
        let base = Estate::baseline(&m.study);
        let v = Arc::new(nearest_providing(m, mode, &|j| {
            base.provides(j, service.as_deref())
        }));
        self.nearest
            .lock()
            .expect("not poisoned")
            .insert(key, v.clone());
        v
    }
}

/// Per zone, the nearest kept site by a mode: on the network when the study has one, else
/// straight-line.
pub fn nearest_providing(
    m: &Measured,
    mode: usize,
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Nearest {
    let p = &m.study.modes[mode];
    match &m.network {
        Some(net) => crate::network::times::network_nearest(
            &net.modes[mode],
            crate::network::walk_kmh(&m.study),
            keep,
        ),
        None => straight_line_nearest(&m.study, p, keep),
    }
}

/// Change of access by one mode.
#[derive(Debug, Clone)]
pub struct ModeChange {
    /// Per scope service (in scope order), per zone: nearest providing site before.
    pub by_service_before: Vec<Arc<Nearest>>,
    /// Likewise after.
    pub by_service_after: Vec<Nearest>,
    /// Per zone: the farthest of the scope's services before (None: one is out of reach).
    pub before: Nearest,
    /// Likewise after.
    pub after: Nearest,
    /// Per band, per zone: loses access within the band.
    pub loses: Vec<Vec<bool>>,
    /// Per band, per zone: gains access within the band.
    pub gains: Vec<Vec<bool>>,
}

/// What happens at one site.
#[derive(Debug, Clone, Default)]
pub struct SiteChange {
    /// Open in the baseline.
    pub open_before: bool,
    /// Open after.
    pub open_after: bool,
    /// What the scenario does to it: `close`, `open`, `host`, `guest` or empty.
    pub action: &'static str,
    /// Face-to-face contacts a year before, by category.
    pub face_to_face_before: [f64; 5],
    /// Face-to-face contacts a year received from closed sites, by category.
    pub received: [f64; 5],
    /// Sites it received from, with contacts a year.
    pub received_from: Vec<(usize, f64)>,
    /// For a closed site: where its contacts went, with contacts a year (None: unplaced).
    pub sent_to: Vec<(Option<usize>, f64)>,
    /// Face-to-face contacts a year moved to other channels.
    pub shifted: f64,
    /// Face-to-face contacts a year after.
    pub face_to_face_after: f64,
    /// Capacity after.
    pub capacity_after: Option<f64>,
    /// Load after over capacity after.
    pub load_share: Option<f64>,
    /// Load after exceeds capacity.
    pub overloaded: bool,
}

/// One line per scenario.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Sites closed outright.
    pub sites_closed: usize,
    /// Candidate sites opened.
    pub sites_opened: usize,
    /// Sites moved into hosts.
    pub sites_shared: usize,
    /// Running cost of closed sites less that of opened ones, a year.
    pub annual_cost_saved: f64,
    /// Closed or opened sites without an annual cost.
    pub sites_without_cost: usize,
    /// Face-to-face contacts a year moved to each channel, `[channel]`.
    pub face_to_face_moved: [f64; 5],
    /// Face-to-face contacts a year of closed sites placed at other sites.
    pub face_to_face_rerouted: f64,
    /// Face-to-face contacts a year of closed sites with no site to go to.
    pub face_to_face_unplaced: f64,
    /// Open sites whose load exceeds capacity after.
    pub overloaded_sites: usize,
    /// Per mode, per band: population losing and gaining access.
    pub population_losing: Vec<Vec<f64>>,
    /// Likewise gaining.
    pub population_gaining: Vec<Vec<f64>>,
    /// Per mode, per band, per vulnerable group: losing.
    pub vulnerable_losing: Vec<Vec<Vec<f64>>>,
    /// Likewise gaining.
    pub vulnerable_gaining: Vec<Vec<Vec<f64>>>,
    /// Per mode: population-weighted mean minutes to the scope, before and after (zones with
    /// the scope in reach both times).
    pub mean_minutes: Vec<(f64, f64)>,
    /// Per mode: the largest increase in minutes of any zone.
    pub max_minutes_increase: Vec<f64>,
    /// Per measure, in study order: how its scores moved.
    pub access: Vec<AccessChange>,
}

/// How one accessibility measure moved.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccessChange {
    /// Demand-weighted mean score before (for 2SFCA this is total supply per head of demand,
    /// so it moves only when supply is removed or added).
    pub mean_before: f64,
    /// Likewise after.
    pub mean_after: f64,
    /// Demand (population or the measure's column) in zones whose score falls.
    pub demand_worse: f64,
    /// Demand in zones whose score rises.
    pub demand_better: f64,
}

/// A scenario evaluated against the baseline.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The scenario.
    pub scenario: Scenario,
    /// The services in scope.
    pub scope: Vec<Option<String>>,
    /// The estate after.
    pub after: Estate,
    /// Per mode, in study order.
    pub modes: Vec<ModeChange>,
    /// Per measure: scores after (before are the run's baseline scores).
    pub access_after: Vec<Scores>,
    /// Per site, in study order.
    pub sites: Vec<SiteChange>,
    /// The summary line.
    pub summary: Summary,
}

/// Evaluates a scenario against the baseline of a measured study.
pub fn evaluate(m: &Measured, cache: &BaselineCache, sc: &Scenario) -> Evaluation {
    let study = &m.study;
    let after = sc.estate(study);
    let base = Estate::baseline(study);
    let scope = sc.scope(study);
    let nz = study.zones.len();
    let modes: Vec<ModeChange> = (0..study.modes.len())
        .map(|mode| {
            let by_service_before: Vec<_> = scope.iter().map(|s| cache.get(m, mode, s)).collect();
            let by_service_after: Vec<Nearest> = scope
                .iter()
                .map(|s| nearest_providing(m, mode, &|j| after.provides(j, s.as_deref())))
                .collect();
            let farthest = |lists: &[&Nearest]| -> Nearest {
                (0..nz)
                    .map(|z| {
                        let mut worst: Option<(usize, f64)> = None;
                        for l in lists {
                            let v = l[z]?;
                            if worst.is_none_or(|w| v.1 > w.1) {
                                worst = Some(v);
                            }
                        }
                        worst
                    })
                    .collect()
            };
            let before = farthest(&by_service_before.iter().map(|a| &**a).collect::<Vec<_>>());
            let after_n = farthest(&by_service_after.iter().collect::<Vec<_>>());
            let within = |n: Option<(usize, f64)>, b: u32| n.is_some_and(|(_, t)| t <= b as f64);
            let change = |gain: bool| -> Vec<Vec<bool>> {
                study
                    .bands
                    .iter()
                    .map(|&b| {
                        (0..nz)
                            .map(|z| {
                                (0..scope.len()).any(|s| {
                                    let was = within(by_service_before[s][z], b);
                                    let is = within(by_service_after[s][z], b);
                                    if gain {
                                        !was && is
                                    } else {
                                        was && !is
                                    }
                                })
                            })
                            .collect()
                    })
                    .collect()
            };
            ModeChange {
                loses: change(false),
                gains: change(true),
                by_service_before,
                by_service_after,
                before,
                after: after_n,
            }
        })
        .collect();
    let access_after: Vec<Scores> = study
        .access
        .iter()
        .map(|a| scores(study, &m.reach, &after, a))
        .collect();
    let sites = site_changes(m, sc, &base, &after);
    let summary = summarise(m, sc, &modes, &access_after, &sites);
    Evaluation {
        scenario: sc.clone(),
        scope,
        after,
        modes,
        access_after,
        sites,
        summary,
    }
}

/// Face-to-face contacts a year, by category.
fn face_to_face(cc: &CategoryChannel, years: f64) -> [f64; 5] {
    let f2f = Channel::FaceToFace.index();
    std::array::from_fn(|c| cc[c][f2f] / years)
}

fn add_into(target: &mut [f64; 5], amounts: &[f64; 5]) {
    for (t, a) in target.iter_mut().zip(amounts) {
        *t += a;
    }
}

fn site_changes(m: &Measured, sc: &Scenario, base: &Estate, after: &Estate) -> Vec<SiteChange> {
    let study = &m.study;
    let years = study.demand_years;
    let n = study.sites.len();
    let mut out: Vec<SiteChange> = (0..n)
        .map(|j| {
            let f2f = match study.demand.by_site.get(j) {
                Some(d) if base.open[j] => face_to_face(d, years),
                _ => [0.0; 5],
            };
            SiteChange {
                open_before: base.open[j],
                open_after: after.open[j],
                face_to_face_before: f2f,
                capacity_after: after.capacity[j],
                ..Default::default()
            }
        })
        .collect();
    for &j in &sc.close {
        out[j].action = "close";
    }
    for &j in &sc.open {
        out[j].action = "open";
    }
    for (h, guests) in &sc.shares {
        out[*h].action = "host";
        for &g in guests {
            out[g].action = "guest";
            let moved = out[g].face_to_face_before;
            let total = crate::reach::sum(moved);
            add_into(&mut out[*h].received, &moved);
            if total > 0.0 {
                out[*h].received_from.push((g, total));
                out[g].sent_to.push((Some(*h), total));
            }
        }
    }
    // Closed outright: zone of origin by zone of origin and service by service, to the zone's
    // nearest open site offering the service, by the scenario's mode.
    let mut by_service: HashMap<u32, Nearest> = HashMap::new();
    for &x in &sc.close {
        let mut flows: BTreeMap<Option<usize>, [f64; 5]> = BTreeMap::new();
        for o in study.demand.site_origins.get(x).into_iter().flatten() {
            let dest = by_service.entry(o.service).or_insert_with(|| {
                let name = &study.demand.services[o.service as usize];
                nearest_providing(m, sc.route_mode, &|j| {
                    after.open[j] && after.offers(j).any(|s| s.trim().to_lowercase() == *name)
                })
            });
            let to = dest[o.zone as usize].map(|(s, _)| s);
            add_into(
                flows.entry(to).or_default(),
                &face_to_face(&o.contacts, years),
            );
        }
        for (to, amounts) in flows {
            let total = crate::reach::sum(amounts.iter().copied());
            if total <= 0.0 {
                continue;
            }
            if let Some(t) = to {
                add_into(&mut out[t].received, &amounts);
                out[t].received_from.push((x, total));
            }
            out[x].sent_to.push((to, total));
        }
    }
    for (j, s) in out.iter_mut().enumerate() {
        s.received_from.sort_by_key(|&(from, _)| from);
        if !s.open_after {
            continue;
        }
        let mut after_f2f = Sum::default();
        let mut shifted = Sum::default();
        for c in 0..5 {
            let load = s.face_to_face_before[c] + s.received[c];
            let moved: f64 = sc.shift[c].iter().sum::<f64>() * load;
            shifted.add(moved);
            after_f2f.add(load - moved);
        }
        s.shifted = shifted.value();
        s.face_to_face_after = after_f2f.value();
        if let Some(cap) = after.capacity[j] {
            if cap > 0.0 {
                s.load_share = Some(s.face_to_face_after / cap);
            }
            s.overloaded = s.face_to_face_after > cap;
        }
    }
    out
}

fn summarise(
    m: &Measured,
    sc: &Scenario,
    modes: &[ModeChange],
    access_after: &[Scores],
    sites: &[SiteChange],
) -> Summary {
    let study = &m.study;
    let mut s = Summary {
        sites_closed: sc.close.len(),
        sites_opened: sc.open.len(),
        sites_shared: sc.shares.iter().map(|(_, g)| g.len()).sum(),
        ..Default::default()
    };
    let mut saved = Sum::default();
    for j in sc.closed() {
        match study.sites[j].annual_cost {
            Some(c) => saved.add(c),
            None => s.sites_without_cost += 1,
        }
    }
    for &j in &sc.open {
        match study.sites[j].annual_cost {
            Some(c) => saved.add(-c),
            None => s.sites_without_cost += 1,
        }
    }
    s.annual_cost_saved = saved.value();
    for ch in 0..5 {
        let mut moved = Sum::default();
        for z in &study.demand.by_zone {
            for (c, v) in face_to_face(z, study.demand_years).iter().enumerate() {
                moved.add(v * sc.shift[c][ch]);
            }
        }
        s.face_to_face_moved[ch] = moved.value();
    }
    let mut rerouted = Sum::default();
    let mut unplaced = Sum::default();
    for site in sites {
        for &(to, v) in &site.sent_to {
            if to.is_some() {
                rerouted.add(v);
            } else {
                unplaced.add(v);
            }
        }
    }
    s.face_to_face_rerouted = rerouted.value();
    s.face_to_face_unplaced = unplaced.value();
    s.overloaded_sites = sites
        .iter()
        .filter(|x| x.open_after && x.overloaded)
        .count();
    let nv = study.vulnerable.len();
    for mc in modes {
        let total = |flags: &[bool], value: &dyn Fn(usize) -> f64| {
            crate::reach::sum((0..flags.len()).filter(|&z| flags[z]).map(value))
        };
        let pop = |z: usize| study.zones[z].population;
        s.population_losing
            .push(mc.loses.iter().map(|f| total(f, &pop)).collect());
        s.population_gaining
            .push(mc.gains.iter().map(|f| total(f, &pop)).collect());
        let groups = |flags: &Vec<Vec<bool>>| -> Vec<Vec<f64>> {
            flags
                .iter()
                .map(|f| {
                    (0..nv)
                        .map(|g| total(f, &|z| study.zones[z].profile[study.vulnerable[g]]))
                        .collect()
                })
                .collect()
        };
        s.vulnerable_losing.push(groups(&mc.loses));
        s.vulnerable_gaining.push(groups(&mc.gains));
        let (mut wb, mut wa, mut w) = (Sum::default(), Sum::default(), Sum::default());
        let mut max_inc = 0.0f64;
        for (z, zone) in study.zones.iter().enumerate() {
            if let (Some(b), Some(a)) = (mc.before[z], mc.after[z]) {
                wb.add(zone.population * b.1);
                wa.add(zone.population * a.1);
                w.add(zone.population);
                max_inc = max_inc.max(a.1 - b.1);
            }
        }
        let w = w.value();
        s.mean_minutes.push(if w > 0.0 {
            (wb.value() / w, wa.value() / w)
        } else {
            (0.0, 0.0)
        });
        s.max_minutes_increase.push(max_inc);
    }
    for (a, (before, after)) in study.access.iter().zip(m.access.iter().zip(access_after)) {
        let demand = |z: usize| match a.demand {
            None => study.zones[z].population,
            Some(c) => study.zones[z].profile[c],
        };
        let mean = |v: &Scores| {
            let (mut num, mut den) = (Sum::default(), Sum::default());
            for (z, x) in v.raw.iter().enumerate() {
                if let Some(x) = x {
                    num.add(demand(z) * x);
                    den.add(demand(z));
                }
            }
            if den.value() > 0.0 {
                num.value() / den.value()
            } else {
                0.0
            }
        };
        let (mut worse, mut better) = (Sum::default(), Sum::default());
        for (z, (b, a)) in before.raw.iter().zip(&after.raw).enumerate() {
            let (b, a) = (b.unwrap_or(0.0), a.unwrap_or(0.0));
            // Beyond rounding: a relative change of more than 1e-12.
            let tol = 1e-12 * b.abs().max(a.abs());
            if a < b - tol {
                worse.add(demand(z));
            } else if a > b + tol {
                better.add(demand(z));
            }
        }
        s.access.push(AccessChange {
            mean_before: mean(before),
            mean_after: mean(after),
            demand_worse: worse.value(),
            demand_better: better.value(),
        });
    }
    s
}
