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

mod change;
mod evaluate;
mod file;
mod nearest;
mod sites;
mod summary;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ids::ModeIx;
use crate::model::{Estate, Study};

pub use change::{AccessChange, ModeChange};
pub use evaluate::{evaluate, Evaluation};
pub use file::{read_scenario, read_scenarios, ScenarioFile, ShareInput, ShiftInput};
pub use nearest::{nearest_providing, BaselineCache, Nearest};
pub use sites::SiteChange;
pub use summary::Summary;

/// A checked scenario, with sites as indices into the study. Made by reading a scenario file
/// ([`read_scenario`]) or, in code, by [`Scenario::new`]: both check it against the study, so
/// a scenario can always be evaluated.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) path: PathBuf,
    pub(crate) sha256: String,
    pub(crate) bytes: u64,
    /// Sites closed outright.
    pub(crate) close: Vec<usize>,
    /// Candidate sites opened.
    pub(crate) open: Vec<usize>,
    /// Shares: host and guests.
    pub(crate) shares: Vec<(usize, Vec<usize>)>,
    /// `[category][channel]`: share of face-to-face contacts moved to the channel.
    pub(crate) shift: [[f64; 5]; 5],
    /// New capacities.
    pub(crate) capacity: Vec<(usize, f64)>,
    /// New opening hours.
    pub(crate) opening_hours: Vec<(usize, f64)>,
    /// The mode demand is re-routed by.
    pub(crate) route_mode: ModeIx,
    /// Things the user should know (e.g. a fixed site closed).
    pub(crate) warnings: Vec<String>,
}

/// Changes to the estate for a scenario made in code, as site indices.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Sites to close outright (open in the baseline).
    pub close: Vec<usize>,
    /// Candidate sites to open.
    pub open: Vec<usize>,
    /// Shares: a host that stays open and the guests that move into it and close.
    pub shares: Vec<(usize, Vec<usize>)>,
}

impl Scenario {
    /// A scenario made in code: `changes` re-routed by study mode `route_mode`. Refused, saying
    /// why, when a site index is out of range, a candidate is closed, an open site opened, a site
    /// closed twice or a host closed or never opened.
    pub fn new(
        study: &Study,
        name: &str,
        route_mode: ModeIx,
        changes: Changes,
    ) -> Result<Scenario> {
        check_changes(study, route_mode, &changes)
            .map_err(|m| Error::Usage(format!("scenario \"{name}\": {m}")))?;
        Ok(Scenario {
            name: name.to_string(),
            description: None,
            path: PathBuf::from(format!("(made by frontdoor: {name})")),
            sha256: String::new(),
            bytes: 0,
            close: changes.close,
            open: changes.open,
            shares: changes.shares,
            shift: [[0.0; 5]; 5],
            capacity: Vec::new(),
            opening_hours: Vec::new(),
            route_mode,
            warnings: Vec::new(),
        })
    }

    /// The same scenario with a sentence saying what it is.
    pub fn with_description(mut self, description: &str) -> Scenario {
        self.description = Some(description.to_string());
        self
    }

    /// Its name, used in output file names.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it is, if said.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// SHA-256 of the file, hex (empty for a scenario made in code).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Size of the file in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Sites closed outright.
    pub fn close(&self) -> &[usize] {
        &self.close
    }

    /// Candidate sites opened.
    pub fn open(&self) -> &[usize] {
        &self.open
    }

    /// Shares: host and guests.
    pub fn shares(&self) -> &[(usize, Vec<usize>)] {
        &self.shares
    }

    /// Whether the scenario changes which sites are open.
    pub fn changes_sites(&self) -> bool {
        !(self.close.is_empty() && self.open.is_empty() && self.shares.is_empty())
    }

    /// Things the user should know (e.g. a fixed site closed).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
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

/// What is wrong with changes made in code, if anything.
fn check_changes(
    study: &Study,
    route_mode: ModeIx,
    c: &Changes,
) -> std::result::Result<(), String> {
    let n = study.sites.len();
    if route_mode.ix() >= study.modes.len() {
        let m = route_mode.ix();
        return Err(format!("mode {m} is not one of the study's modes"));
    }
    let guests = c.shares.iter().flat_map(|(_, g)| g.iter().copied());
    let hosts = c.shares.iter().map(|(h, _)| *h);
    if let Some(j) = c
        .close
        .iter()
        .chain(&c.open)
        .copied()
        .chain(hosts)
        .chain(guests.clone())
        .find(|&j| j >= n)
    {
        return Err(format!("site index {j} is beyond the study's {n} sites"));
    }
    let id = |j: usize| &study.sites[j].id;
    let mut closed = std::collections::HashSet::new();
    for j in c.close.iter().copied().chain(guests) {
        if study.sites[j].candidate {
            return Err(format!(
                "site \"{}\" is a candidate, not open in the baseline",
                id(j)
            ));
        }
        if !closed.insert(j) {
            return Err(format!("site \"{}\" is closed twice", id(j)));
        }
    }
    let mut opened = std::collections::HashSet::new();
    for &j in &c.open {
        if !study.sites[j].candidate || !opened.insert(j) {
            return Err(format!("site \"{}\" is already open", id(j)));
        }
    }
    for (h, _) in &c.shares {
        if closed.contains(h) || (study.sites[*h].candidate && !opened.contains(h)) {
            return Err(format!("host \"{}\" is not open in the scenario", id(*h)));
        }
    }
    Ok(())
}
