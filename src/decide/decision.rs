//! What the decision layer gives: a recommendation per site with its roles and reasons, and
//! everything found on the way (scorecards, proposals, digital points, gaps, the plan).

use super::gaps::Gaps;
use super::proposals::{DigitalPoint, Proposal};
use super::rules::Rules;
use super::scorecard::{Evidence, SiteCard};
use crate::model::Study;
use crate::scenario::Evaluation;

/// What to do with a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recommendation {
    /// Keep it as it is.
    Keep,
    /// Share: host partners, or move into a partner's building.
    Share,
    /// Close it.
    Close,
    /// Open it (a candidate).
    Open,
    /// A candidate not proposed.
    NotOpened,
    /// The reach rules would close it, but no demand is recorded at it: collect footfall
    /// before deciding.
    Review,
    /// Street furniture: not assessed for keep, share or close (it may host a digital point).
    NotAssessed,
    /// Outside the study area, or in a site file marked `assess = false`: it counts for
    /// residents' reach, and the study does not decide on it.
    Context,
}

impl Recommendation {
    /// Every recommendation, in the order outputs list them.
    pub const ALL: [Recommendation; 8] = [
        Recommendation::Close,
        Recommendation::Review,
        Recommendation::Share,
        Recommendation::Open,
        Recommendation::Keep,
        Recommendation::NotOpened,
        Recommendation::NotAssessed,
        Recommendation::Context,
    ];

    /// The word written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Recommendation::Keep => "keep",
            Recommendation::Share => "share",
            Recommendation::Close => "close",
            Recommendation::Open => "open",
            Recommendation::NotOpened => "not_opened",
            Recommendation::Review => "review",
            Recommendation::NotAssessed => "not_assessed",
            Recommendation::Context => "context",
        }
    }
}

/// The decision on one site.
#[derive(Debug, Clone)]
pub struct SiteDecision {
    /// What to do.
    pub recommendation: Recommendation,
    /// `host` or `guest` in a share.
    pub role: Option<&'static str>,
    /// The share proposal it is part of (recommended or not), an index into `proposals`.
    pub proposal: Option<usize>,
    /// The digital point it could host, an index into `digital_points`.
    pub digital_point: Option<usize>,
    /// Its rank among the new sites proposed.
    pub new_site: Option<usize>,
    /// What the recommendation rests on.
    pub evidence: Evidence,
    /// The reasons, in plain words with their numbers.
    pub reasons: Vec<String>,
}

/// Everything the decision layer found.
pub struct Decisions {
    /// The rules used.
    pub rules: Rules,
    /// Per site: its scorecard.
    pub cards: Vec<SiteCard>,
    /// Per site: the decision.
    pub sites: Vec<SiteDecision>,
    /// Shared-site proposals, recommended or not.
    pub proposals: Vec<Proposal>,
    /// Digital points proposed.
    pub digital_points: Vec<DigitalPoint>,
    /// Per zone: minutes to the nearest front door by the decision mode.
    pub front_door_minutes: Vec<Option<f64>>,
    /// Hot spots and new sites.
    pub gaps: Gaps,
    /// The whole plan evaluated as one scenario (None when it changes nothing).
    pub plan: Option<Evaluation>,
    /// Whether the study has any demand records (without them nothing is closed).
    pub demand_data: bool,
    /// Shares the hosts table refused: (host, guests it may not host), in host order.
    pub refused_guests: Vec<(usize, Vec<usize>)>,
    /// How money is written (the study's currency).
    pub currency: Option<String>,
}

impl Decisions {
    /// How many sites have this recommendation (the rows of sites.csv with it).
    pub fn count(&self, r: Recommendation) -> usize {
        self.sites.iter().filter(|s| s.recommendation == r).count()
    }
}

/// A vulnerable group's name in plain words (`age_65_plus` → `age 65 plus`).
pub fn group_label(study: &Study, g: usize) -> String {
    study.profile[study.vulnerable[g]].replace('_', " ")
}
