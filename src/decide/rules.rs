//! The rules and thresholds of the decision layer, from the study's `[decide]` section with
//! documented defaults.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Problem;
use crate::ids::{BandIx, Bands, ModeIx};
use crate::load::settings::DecideInput;
use crate::mode::Mode;
use crate::mode::ModeParams;
use crate::model::Site;

/// Street furniture kinds unless the study says otherwise.
pub const DEFAULT_STREET_FURNITURE: [&str; 3] = ["bus_stop", "kiosk", "phone_box"];
/// Kinds never closed unless the study says otherwise.
pub const DEFAULT_NEVER_CLOSE: [&str; 3] = ["gp_practice", "pharmacy", "hospital"];
/// Partner kinds that may host a digital point unless the study says otherwise.
pub const DEFAULT_DIGITAL_POINT_HOSTS: [&str; 2] = ["gp_practice", "pharmacy"];

/// Civic front doors: they host each other's front counters, advice, jobcentre and police
/// front-counter services (as One Public Estate co-locations do).
const CIVIC: [&str; 10] = [
    "council_office",
    "library",
    "community_hub",
    "community_centre",
    "customer_service_centre",
    "jobcentre",
    "police_station",
    "advice",
    "citizens_advice",
    "children_centre",
];

/// Clinical sites host health services only (and digital points).
const CLINICAL: [&str; 7] = [
    "gp_practice",
    "health_centre",
    "hospital",
    "pharmacy",
    "clinic",
    "dentist",
    "health",
];

/// The default hosts table: kind → the kinds or services it may host. A kind absent hosts only
/// its own kind.
pub fn default_hosts() -> BTreeMap<String, Vec<String>> {
    let civic_hosts = [
        "council_office",
        "library",
        "community_hub",
        "community_centre",
        "customer_service_centre",
    ];
    let mut t = BTreeMap::new();
    for k in civic_hosts {
        t.insert(k.to_string(), CIVIC.map(String::from).to_vec());
    }
    for k in CLINICAL {
        t.insert(k.to_string(), CLINICAL.map(String::from).to_vec());
    }
    t.insert(
        "jobcentre".into(),
        ["jobcentre", "council_office", "advice", "citizens_advice"]
            .map(String::from)
            .to_vec(),
    );
    t.insert("police_station".into(), vec!["police_station".to_string()]);
    t
}

/// The defaults with the study's rows in place of theirs.
fn hosts_table(given: Option<&BTreeMap<String, Vec<String>>>) -> BTreeMap<String, Vec<String>> {
    let mut t = default_hosts();
    for (kind, hosted) in given.into_iter().flatten() {
        t.insert(kind.clone(), hosted.clone());
    }
    t
}

/// The resolved rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// The study mode decisions are made by.
    pub mode: ModeIx,
    /// The mode itself.
    pub mode_name: Mode,
    /// The catchment band among the study's bands.
    pub band: BandIx,
    /// The catchment band, minutes.
    pub minutes: u32,
    /// Street furniture kinds.
    pub street_furniture: Vec<String>,
    /// Partner kinds that may host digital points (besides street furniture).
    pub digital_point_hosts: Vec<String>,
    /// Kinds never closed or moved out.
    pub never_close: Vec<String>,
    /// Least share of the catchment that keeps its services elsewhere for a closure.
    pub close_min_overlap: f64,
    /// Most people who may lose a service within the band for a closure or a share.
    pub close_max_losing: f64,
    /// Most share of face-to-face contacts that are right first time for a closure.
    pub close_max_right_first_time: f64,
    /// Face-to-face contacts a year at or below which a mostly once-and-done site closes.
    pub digital_max_contacts: f64,
    /// Walking minutes between sites that may share.
    pub share_minutes: f64,
    /// Guests per host.
    pub share_max_guests: usize,
    /// The guests' floor area together at most this times the host's (where both give one).
    pub share_max_floor_ratio: f64,
    /// Walking speed and circuity for minutes between sites (the study's walk settings).
    pub walk: ModeParams,
    /// Minutes beyond which a zone is far from a front door.
    pub far_minutes: u32,
    /// Ratio to the study's rate that makes a far zone a hot spot.
    pub hot_spot_ratio: f64,
    /// New sites the gap analysis proposes.
    pub new_sites: usize,
    /// Kind → the kinds or services a building of that kind may host.
    pub hosts: BTreeMap<String, Vec<String>>,
    /// Service (lower case) → whether its face-to-face contacts can move to digital, over its
    /// category's rule.
    pub digital: BTreeMap<String, bool>,
}

impl Rules {
    /// Whether a site is street furniture (never closed or shared).
    pub fn is_furniture(&self, s: &Site) -> bool {
        self.street_furniture.contains(&s.kind)
    }

    /// Whether the rules may close a site or move it into another (not furniture, not a kind
    /// never closed, not fixed).
    pub fn may_close(&self, s: &Site) -> bool {
        !s.fixed && !self.is_furniture(s) && !self.never_close.contains(&s.kind)
    }

    /// The kinds or services a building of this kind may host (its own kind always).
    pub fn hosts_of(&self, kind: &str) -> Vec<String> {
        self.hosts.get(kind).cloned().unwrap_or_default()
    }

    /// Whether `host` may take in `guest`: the guest's kind or one of its services is in the
    /// host kind's row of the hosts table, or both are of one kind.
    pub fn may_host(&self, host: &Site, guest: &Site) -> bool {
        if host.kind == guest.kind {
            return true;
        }
        let allowed = self.hosts.get(&host.kind);
        allowed.is_some_and(|a| {
            a.contains(&guest.kind) || guest.offers().iter().any(|o| a.iter().any(|x| x == o))
        })
    }

    /// Whether a site may host a digital point.
    pub fn may_host_digital(&self, s: &Site) -> bool {
        self.is_furniture(s) || self.digital_point_hosts.contains(&s.kind)
    }

    /// Whether a site is a front door: a building assessed for keep/share/close that is not a
    /// partner site listed as a digital-point host.
    pub fn is_front_door(&self, s: &Site) -> bool {
        !self.may_host_digital(s)
    }

    /// The rules as (name, value) pairs, for run records and the report.
    pub fn parameters(&self) -> Vec<(&'static str, serde_json::Value)> {
        use serde_json::json;
        vec![
            ("mode", json!(self.mode_name.name())),
            ("minutes", json!(self.minutes)),
            ("street_furniture", json!(self.street_furniture)),
            ("digital_point_hosts", json!(self.digital_point_hosts)),
            ("never_close", json!(self.never_close)),
            ("close_min_overlap", json!(self.close_min_overlap)),
            ("close_max_losing", json!(self.close_max_losing)),
            (
                "close_max_right_first_time",
                json!(self.close_max_right_first_time),
            ),
            ("digital_max_contacts", json!(self.digital_max_contacts)),
            ("share_minutes", json!(self.share_minutes)),
            ("share_max_guests", json!(self.share_max_guests)),
            ("share_max_floor_ratio", json!(self.share_max_floor_ratio)),
            ("far_minutes", json!(self.far_minutes)),
            ("hot_spot_ratio", json!(self.hot_spot_ratio)),
            ("new_sites", json!(self.new_sites)),
            ("hosts", json!(self.hosts)),
            ("digital", json!(self.digital)),
        ]
    }
}

/// Checks the study's `[decide]` section against its modes and bands.
pub fn resolve_rules(
    path: &Path,
    input: &DecideInput,
    modes: &[ModeParams],
    bands: &Bands,
) -> std::result::Result<Rules, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut fail =
        |f: &str, m: String| problems.push(Problem::field(path, format!("decide.{f}"), m));
    let mode = match input.mode {
        Some(m) => modes.iter().position(|p| p.mode == m).unwrap_or_else(|| {
            fail(
                "mode",
                format!("{m} is not one of the study's travel modes"),
            );
            0
        }),
        None => modes.iter().position(|p| p.mode == Mode::Walk).unwrap_or(0),
    };
    let band_of = |minutes: u32| bands.iter().position(|&b| b == minutes);
    let listed = bands
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let band = match input.minutes {
        Some(m) => band_of(m).unwrap_or_else(|| {
            fail(
                "minutes",
                format!("expected one of the study's bands ({listed}), found {m}"),
            );
            0
        }),
        None => bands.len() / 2,
    };
    let minutes = bands.get(band).copied().unwrap_or(0);
    let far_minutes = input.far_minutes.unwrap_or(minutes);
    if far_minutes > bands.largest() {
        fail(
            "far_minutes",
            format!("expected at most the largest band ({listed}), found {far_minutes}"),
        );
    }
    let mut share = |f: &str, v: Option<f64>, default: f64| -> f64 {
        let v = v.unwrap_or(default);
        if !(0.0..=1.0).contains(&v) {
            fail(f, format!("expected a share from 0 to 1, found {v}"));
        }
        v
    };
    let close_min_overlap = share("close_min_overlap", input.close_min_overlap, 0.9);
    let close_max_right_first_time = share(
        "close_max_right_first_time",
        input.close_max_right_first_time,
        0.5,
    );
    let mut positive = |f: &str, v: Option<f64>, default: f64| -> f64 {
        let v = v.unwrap_or(default);
        if !(v.is_finite() && v >= 0.0) {
            fail(f, format!("expected a number of at least 0, found {v}"));
        }
        v
    };
    let close_max_losing = positive("close_max_losing", input.close_max_losing, 500.0);
    let share_minutes = positive("share_minutes", input.share_minutes, 10.0);
    let digital_max_contacts = positive("digital_max_contacts", input.digital_max_contacts, 1000.0);
    let hot_spot_ratio = positive("hot_spot_ratio", input.hot_spot_ratio, 1.5);
    let share_max_floor_ratio = positive("share_max_floor_ratio", input.share_max_floor_ratio, 2.0);
    let list = |v: &Option<Vec<String>>, d: &[&str]| -> Vec<String> {
        v.clone()
            .unwrap_or_else(|| d.iter().map(|s| s.to_string()).collect())
    };
    let walk = modes
        .iter()
        .find(|p| p.mode == Mode::Walk)
        .copied()
        .unwrap_or_else(|| crate::mode::default_mode_params(Mode::Walk));
    let rules = Rules {
        mode: ModeIx::from(mode),
        mode_name: modes.get(mode).map(|p| p.mode).unwrap_or(Mode::Walk),
        band: BandIx::from(band),
        minutes,
        street_furniture: list(&input.street_furniture, &DEFAULT_STREET_FURNITURE),
        digital_point_hosts: list(&input.digital_point_hosts, &DEFAULT_DIGITAL_POINT_HOSTS),
        never_close: list(&input.never_close, &DEFAULT_NEVER_CLOSE),
        close_min_overlap,
        close_max_losing,
        close_max_right_first_time,
        digital_max_contacts,
        share_minutes,
        share_max_guests: input.share_max_guests.unwrap_or(3),
        share_max_floor_ratio,
        walk,
        far_minutes,
        hot_spot_ratio,
        new_sites: input.new_sites.unwrap_or(3),
        hosts: hosts_table(input.hosts.as_ref()),
        digital: input
            .digital
            .iter()
            .flatten()
            .map(|(k, v)| (k.trim().to_lowercase(), *v))
            .collect(),
    };
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}
