//! Evaluating a scenario against the baseline: access per service and mode (who loses and
//! gains within each band), accessibility after, what happens at each site and the summary.

use super::change::{mode_change, ModeChange};
use super::nearest::BaselineCache;
use super::sites::{site_changes, SiteChange};
use super::summary::{summarise, Summary};
use super::Scenario;
use crate::access::{scores, Scores};
use crate::measured::Measured;
use crate::model::Estate;

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
    let modes: Vec<ModeChange> = (0..study.modes.len())
        .map(|mode| mode_change(m, cache, &after, &scope, mode))
        .collect();
    let access_after: Vec<Scores> = m
        .measures
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
