//! Scenario files: reading and checking them against the study, every problem with its file
//! and field.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Scenario;
use crate::error::{Error, Problem, Result};
use crate::ids::ModeIx;
use crate::mode::Mode;
use crate::model::{Category, Channel, SiteLookup, Study};

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
    let file: ScenarioFile = crate::load::settings::parse_toml(path, &text)?;
    let mut r = Reader {
        study,
        path,
        lookup: SiteLookup::new(&study.sites),
        problems: Vec::new(),
        closed_at: HashMap::new(),
    };
    let name = r.name(&file);
    let close = r.close(&file.close);
    let open = r.open(&file.open);
    let shares = r.shares(&file.share, &open);
    let warnings = r.fixed_closed();
    let capacity = r.capacities(&file.capacity);
    let opening_hours = r.opening_hours(&file.opening_hours);
    let shift = r.shifts(&file.channel_shift);
    let route_mode = r.route_mode(file.mode);
    if !r.problems.is_empty() {
        return Err(Error::Input(r.problems));
    }
    Ok(Scenario {
        name,
        description: file.description,
        path: path.to_path_buf(),
        sha256: crate::fingerprint::sha256(text.as_bytes()),
        bytes: text.len() as u64,
        close,
        open,
        shares,
        shift,
        capacity,
        opening_hours,
        route_mode: ModeIx::from(route_mode),
        warnings,
    })
}

/// The checks of one scenario file, collecting every problem.
struct Reader<'a> {
    study: &'a Study,
    path: &'a Path,
    lookup: SiteLookup<'a>,
    problems: Vec<Problem>,
    /// Every site the scenario closes, with where it is closed, to refuse closing one twice.
    closed_at: HashMap<usize, String>,
}

impl Reader<'_> {
    fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems
            .push(Problem::field(self.path, field, message));
    }

    /// The scenario's name: `name`, else the file name without extension; usable in file names.
    fn name(&mut self, file: &ScenarioFile) -> String {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let name = file.name.clone().unwrap_or(stem);
        let usable = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
        if name.is_empty() || !name.chars().all(usable) {
            self.problem(
                "name",
                format!(
                    "\"{name}\" cannot be used in file names: use letters, digits, '-', '_' or '.'"
                ),
            );
        }
        name
    }

    /// The site with this id, or a problem at `field`.
    fn find(&mut self, field: &str, id: &str) -> Option<usize> {
        match self.lookup.find(id) {
            Ok(j) => Some(j.ix()),
            Err(e) => {
                self.problems.push(e.problem(self.path, field));
                None
            }
        }
    }

    /// Marks site `i` closed at `field`; false (with a problem) if it is already closed.
    fn mark_closed(&mut self, i: usize, field: &str) -> bool {
        if let Some(first) = self.closed_at.get(&i) {
            let message = format!(
                "site \"{}\" is closed twice: also by {first}",
                self.study.sites[i].id
            );
            self.problem(field, message);
            false
        } else {
            self.closed_at.insert(i, field.to_string());
            true
        }
    }

    fn close(&mut self, ids: &[String]) -> Vec<usize> {
        let mut close = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            let field = format!("close[{n}]");
            if let Some(i) = self.find(&field, id) {
                if self.study.sites[i].candidate {
                    self.problem(&field, format!("site \"{id}\" is a candidate, not open in the baseline: there is nothing to close"));
                } else if self.mark_closed(i, &field) {
                    close.push(i);
                }
            }
        }
        close
    }

    fn open(&mut self, ids: &[String]) -> Vec<usize> {
        let mut open = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            let field = format!("open[{n}]");
            if let Some(i) = self.find(&field, id) {
                if !self.study.sites[i].candidate {
                    self.problem(&field, format!("site \"{id}\" is already open in the baseline: only candidate sites (candidate = true in the study) can be opened"));
                } else if open.contains(&i) {
                    self.problem(&field, format!("site \"{id}\" is opened twice"));
                } else {
                    open.push(i);
                }
            }
        }
        open
    }

    fn shares(&mut self, inputs: &[ShareInput], open: &[usize]) -> Vec<(usize, Vec<usize>)> {
        let mut shares = Vec::new();
        for (n, s) in inputs.iter().enumerate() {
            let host = self.find(&format!("share[{n}].host"), &s.host);
            if s.guests.is_empty() {
                self.problem(
                    format!("share[{n}].guests"),
                    "expected at least one guest site",
                );
            }
            let guests = self.guests(n, &s.guests, host);
            if let Some(h) = host {
                let hosted_open = !self.study.sites[h].candidate || open.contains(&h);
                if !hosted_open {
                    self.problem(format!("share[{n}].host"), format!("host \"{}\" is a candidate site that the scenario does not open: add it to `open`", s.host));
                }
                shares.push((h, guests));
            }
        }
        // Hosts must stay open.
        for (n, (h, _)) in shares.iter().enumerate() {
            if let Some(at) = self.closed_at.get(h) {
                let message = format!(
                    "host \"{}\" is closed by {at}: a host must stay open",
                    self.study.sites[*h].id
                );
                self.problem(format!("share[{n}].host"), message);
            }
        }
        shares
    }

    fn guests(&mut self, n: usize, ids: &[String], host: Option<usize>) -> Vec<usize> {
        let mut guests = Vec::new();
        for (g, id) in ids.iter().enumerate() {
            let field = format!("share[{n}].guests[{g}]");
            if let Some(i) = self.find(&field, id) {
                if self.study.sites[i].candidate {
                    self.problem(&field, format!("site \"{id}\" is a candidate, not open in the baseline: it cannot move into a host"));
                } else if Some(i) == host {
                    self.problem(&field, format!("site \"{id}\" cannot be its own guest"));
                } else if self.mark_closed(i, &field) {
                    guests.push(i);
                }
            }
        }
        guests
    }

    /// Warnings for fixed sites the scenario closes, sorted.
    fn fixed_closed(&self) -> Vec<String> {
        let mut warnings: Vec<String> = self
            .closed_at
            .keys()
            .filter(|&&i| self.study.sites[i].fixed)
            .map(|&i| {
                format!(
                    "site \"{}\" is fixed (must keep) in the study, and this scenario closes it",
                    self.study.sites[i].id
                )
            })
            .collect();
        warnings.sort();
        warnings
    }

    fn capacities(&mut self, given: &BTreeMap<String, f64>) -> Vec<(usize, f64)> {
        let mut capacity = Vec::new();
        for (id, &v) in given {
            let field = format!("capacity.\"{id}\"");
            if let Some(i) = self.find(&field, id) {
                if !(v >= 0.0 && v.is_finite()) {
                    self.problem(
                        &field,
                        format!("expected a capacity (visits a year) of zero or more, found {v}"),
                    );
                } else {
                    capacity.push((i, v));
                }
            }
        }
        capacity
    }

    fn opening_hours(&mut self, given: &BTreeMap<String, f64>) -> Vec<(usize, f64)> {
        let mut hours = Vec::new();
        for (id, &v) in given {
            let field = format!("opening_hours.\"{id}\"");
            if let Some(i) = self.find(&field, id) {
                if !(v > 0.0 && v <= 168.0) {
                    self.problem(&field, format!("expected hours a week above 0 and at most 168, found {v}; to close a site use `close`"));
                } else if self.study.sites[i].opening_hours.is_none() {
                    self.problem(&field, format!("site \"{id}\" has no opening_hours in the study, so a change cannot be applied to its capacity: add the column to the sites input"));
                } else {
                    hours.push((i, v));
                }
            }
        }
        hours
    }

    /// `[category][channel]`: the share of face-to-face contacts moved to each channel.
    fn shifts(&mut self, inputs: &[ShiftInput]) -> [[f64; 5]; 5] {
        let mut shift = [[0.0; 5]; 5];
        for (n, s) in inputs.iter().enumerate() {
            let Some((cats, to)) = self.shift(n, s) else {
                continue;
            };
            for c in cats {
                shift[c.index()][to.index()] += s.share;
            }
        }
        for c in Category::ALL {
            let total: f64 = shift[c.index()].iter().sum();
            if total > 1.0 + 1e-12 {
                self.problem(
                    "channel_shift",
                    format!(
                        "the shares moved from face to face for category {} add up to {total}, more than 1",
                        c.name()
                    ),
                );
            }
        }
        shift
    }

    /// One channel shift's categories and channel, if it is valid.
    fn shift(&mut self, n: usize, s: &ShiftInput) -> Option<(Vec<Category>, Channel)> {
        let cats: Vec<Category> = match &s.category {
            None => Category::ALL
                .into_iter()
                .filter(|c| c.once_and_done())
                .collect(),
            Some(c) => match Category::parse(c) {
                Some(c) => vec![c],
                None => {
                    self.problem(format!("channel_shift[{n}].category"), format!("expected one of simple, registered, information, facilitated, advocacy, found \"{c}\""));
                    return None;
                }
            },
        };
        let to = match s.to.as_deref().map(Channel::parse) {
            None => Channel::Digital,
            Some(Some(Channel::FaceToFace)) | Some(None) => {
                let message = format!(
                    "expected phone, digital, post or email, found \"{}\"",
                    s.to.as_deref().unwrap_or_default()
                );
                self.problem(format!("channel_shift[{n}].to"), message);
                return None;
            }
            Some(Some(c)) => c,
        };
        if !(0.0..=1.0).contains(&s.share) {
            let message = format!(
                "expected a share of face-to-face contacts from 0 to 1, found {}",
                s.share
            );
            self.problem(format!("channel_shift[{n}].share"), message);
            return None;
        }
        Some((cats, to))
    }

    /// Index of the mode demand is re-routed by (default the study's first).
    fn route_mode(&mut self, mode: Option<Mode>) -> usize {
        let Some(m) = mode else { return 0 };
        match self.study.mode_ix(m) {
            Some(i) => i.ix(),
            None => {
                self.problem(
                    "mode",
                    format!("{m} is not one of the study's travel modes"),
                );
                0
            }
        }
    }
}
