//! The rules applied in order: scorecards, closures, shares, digital points, gaps, each site's
//! recommendation with its reasons, and the whole plan evaluated as one scenario.

use super::decision::{Decisions, Recommendation, SiteDecision};
use super::gaps::{self, Gaps};
use super::proposals::{self, DigitalPoint, Proposal};
use super::rules::Rules;
use super::scorecard::{self, Providers};
use super::{close, reasons};
use crate::access::ByZone;
use crate::error::Result;
use crate::measured::Measured;
use crate::scenario::{evaluate, BaselineCache, Changes, Evaluation, Scenario};

/// Runs the decision layer on a measured study, by the study's rules.
pub fn decide(m: &Measured, rules: &Rules) -> Result<Decisions> {
    let study = &m.study;
    let rules = rules.clone();
    let n = study.sites.len();
    let times = &m.reach.modes[rules.mode].times;
    let baseline = Providers::new(study, &m.reach, rules.mode);
    let by_zone = ByZone::transpose(&times.by_site, study.zones.len());
    let mut cards = scorecard::scorecards(study, &m.reach, &rules, &baseline, &by_zone);
    let mut providers = baseline.clone();
    let front_door = proposals::front_door_minutes(study, &rules, &by_zone);

    // 1-2. Closures.
    let closures = close::closures(study, &rules, &mut cards, times, &mut providers);

    // 3. Shares among the buildings left; digital points and gaps.
    let eligible: Vec<bool> = (0..n)
        .map(|j| cards[j].assessed && !closures.closed[j])
        .collect();
    let shares = proposals::share_proposals(m, &rules, &cards, &eligible, &baseline);
    let (proposals, refused_guests, too_small) =
        (shares.proposals, shares.refused, shares.too_small);
    let digital_points = proposals::digital_points(study, &rules, &by_zone, &front_door);
    let gaps = gaps::gaps(study, &rules, &by_zone, &front_door)?;

    // 4-5. Decisions and reasons.
    let mut sites = roles(n, &proposals, &digital_points, &gaps);
    for (s, c) in sites.iter_mut().zip(&cards) {
        s.evidence = c.evidence;
    }
    let found = reasons::Found {
        refused_guests: &refused_guests,
        too_small: &too_small,
        study,
        rules: &rules,
        cards: &cards,
        closures: &closures,
        proposals: &proposals,
        digital_points: &digital_points,
        gaps: &gaps,
        place: format!("{} min {}", rules.minutes, rules.mode_name),
    };
    for j in 0..n {
        let (rec, reasons) = reasons::recommend(&found, &sites, j);
        sites[j].recommendation = rec;
        sites[j].reasons = reasons;
    }
    let plan = plan(m, &rules, &sites, &proposals)?;
    Ok(Decisions {
        rules,
        cards,
        sites,
        proposals,
        digital_points,
        front_door_minutes: front_door,
        gaps,
        plan,
        demand_data: study.demand.total > 0.0,
        refused_guests,
        currency: study.currency.clone(),
    })
}

/// Every site kept, with its roles: in a share proposal, as a digital point's host, as a new
/// site.
fn roles(
    n: usize,
    proposals: &[Proposal],
    digital_points: &[DigitalPoint],
    gaps: &Gaps,
) -> Vec<SiteDecision> {
    let mut sites: Vec<SiteDecision> = (0..n)
        .map(|_| SiteDecision {
            recommendation: Recommendation::Keep,
            evidence: Default::default(),
            role: None,
            proposal: None,
            digital_point: None,
            new_site: None,
            reasons: Vec::new(),
        })
        .collect();
    for (p, prop) in proposals.iter().enumerate() {
        sites[prop.host].proposal = Some(p);
        sites[prop.host].role = Some("host");
        for &g in &prop.guests {
            sites[g].proposal = Some(p);
            sites[g].role = Some("guest");
        }
    }
    for (d, dp) in digital_points.iter().enumerate() {
        sites[dp.host].digital_point = Some(d);
    }
    for ns in &gaps.new_sites {
        sites[ns.site].new_site = Some(ns.rank);
    }
    sites
}

/// The whole plan as one scenario, evaluated (None when it changes no site).
fn plan(
    m: &Measured,
    rules: &Rules,
    sites: &[SiteDecision],
    proposals: &[Proposal],
) -> Result<Option<Evaluation>> {
    let n = sites.len();
    let changes = Changes {
        close: (0..n)
            .filter(|&j| sites[j].recommendation == Recommendation::Close)
            .collect(),
        open: (0..n)
            .filter(|&j| sites[j].recommendation == Recommendation::Open)
            .collect(),
        shares: proposals
            .iter()
            .filter(|p| p.recommended)
            .map(|p| (p.host, p.guests.clone()))
            .collect(),
    };
    let plan_scenario = Scenario::new(&m.study, "recommended", rules.mode, changes)?
        .with_description("every recommendation together: closures, shares and new sites");
    Ok(plan_scenario
        .changes_sites()
        .then(|| evaluate(m, &BaselineCache::default(), &plan_scenario)))
}
