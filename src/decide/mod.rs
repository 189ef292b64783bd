//! The decision layer: a scorecard per site, and a recommendation (`keep`, `share`, `close`,
//! `open`, or `not_opened` for a candidate left out) with its reasons in plain words, each number
//! in them also a column of `sites.csv`.
//!
//! The rules, in order (thresholds from the study's `[decide]`, defaults in [`rules`]):
//! 1. Street furniture is not assessed (it may host a digital point or be proposed as a new point
//!    of presence); a `fixed` site, and a site of a kind the study never closes (`never_close`,
//!    default GP practices, pharmacies and hospitals: partners' clinical sites), is kept, though
//!    it may host a share or a digital point.
//! 2. **Close**: first, to digital or phone: a building whose face-to-face contacts a year are
//!    at most `digital_max_contacts` and at most `close_max_right_first_time` facilitated or
//!    advocacy. Then, by overlap: a building whose contacts pass the same right-first-time test
//!    (or that records none), where at least `close_min_overlap` of the people within the
//!    catchment band keep every one of its services at another open site within the band, and
//!    at most `close_max_losing` people lose one within that band and every wider one. Sites are
//!    taken in order of fewest losing, then highest cost per face-to-face contact, then largest
//!    cost, and each is checked again after the closures before it, so two sites that cover for
//!    each other are not both closed. A site with nobody within the band is not closed by
//!    overlap.
//! 3. **Share**: among the buildings left, sites of different agencies within `share_minutes`'
//!    walk of a host whose capacity takes their face-to-face contacts (hosts in order: fixed,
//!    best condition, most capacity, most floor area, most services, most people within the
//!    band; where the
//!    host has no capacity the fit is not checked, and said); each cluster is run through the scenario
//!    engine as a share, and recommended when it leaves at most `close_max_losing` people, and at
//!    most `1 - close_min_overlap` of the cluster's catchment, without a service within the band.
//! 4. **Keep** every other building, with the reasons it is needed.
//! 5. **Open**: candidates chosen by the gap analysis (MCLP over the hot spots); other candidates
//!    are `not_opened`.
//!
//! The whole plan (every close, share and open together) is then evaluated as one scenario,
//! `recommended`.

pub mod explain;
pub mod gaps;
pub mod proposals;
pub mod rules;
pub mod scorecard;

pub use rules::Rules;

use crate::access::ByZone;
use crate::error::Result;
use crate::measured::Measured;
use crate::model::Study;
use crate::scenario::{evaluate, BaselineCache, Changes, Evaluation, Scenario};
use crate::text::{money, pct, whole};
use gaps::Gaps;
use proposals::{DigitalPoint, Fit, Proposal};
use scorecard::{Providers, SiteCard};

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
}

impl Recommendation {
    /// The word written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Recommendation::Keep => "keep",
            Recommendation::Share => "share",
            Recommendation::Close => "close",
            Recommendation::Open => "open",
            Recommendation::NotOpened => "not_opened",
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
}

impl Decisions {
    /// How many buildings assessed, and candidates, have this recommendation (street furniture,
    /// kept as it is, is not counted).
    pub fn count(&self, r: Recommendation) -> usize {
        self.sites
            .iter()
            .zip(&self.cards)
            .filter(|(s, c)| s.recommendation == r && (c.assessed || r != Recommendation::Keep))
            .count()
    }
}

/// A vulnerable group's name in plain words (`age_65_plus` → `age 65 plus`).
pub fn group_label(study: &Study, g: usize) -> String {
    study.profile[study.vulnerable[g]].replace('_', " ")
}

fn with_groups(study: &Study, people: f64, groups: &[f64]) -> String {
    if groups.is_empty() {
        return format!("{} people", whole(people));
    }
    let parts: Vec<String> = groups
        .iter()
        .enumerate()
        .map(|(g, v)| format!("{} {}", whole(*v), group_label(study, g)))
        .collect();
    format!("{} people ({})", whole(people), parts.join(", "))
}

/// Demand in a reason, with small counts suppressed as the study asks.
fn contacts(study: &Study, v: f64) -> String {
    let k = study.suppress_below as f64;
    if v > 0.0 && v < k {
        format!("fewer than {}", whole(k))
    } else {
        whole(v)
    }
}

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
    let place = format!("{} min {}", rules.minutes, rules.mode_name);
    let b = rules.band;

    // 1-2. Closures: first sites with few, mostly once-and-done contacts (they move to digital
    // or phone); then by overlap, fewest losing first, each checked after those before it.
    let demand_ok = |c: &SiteCard| {
        c.right_first_time_percent
            .is_none_or(|p| p <= 100.0 * rules.close_max_right_first_time)
    };
    let to_digital = |j: usize| {
        let c = &cards[j];
        c.assessed
            && rules.may_close(&study.sites[j])
            && c.face_to_face_total > 0.0
            && c.face_to_face_total <= rules.digital_max_contacts
            && demand_ok(c)
    };
    let mut closed = vec![false; n];
    let mut digital = vec![false; n];
    for j in 0..n {
        if to_digital(j) {
            providers.close(j, &times.by_site[j]);
            closed[j] = true;
            digital[j] = true;
        }
    }
    // Overlap at the band, and few losing at the band and every wider one.
    let passes = |catchment: f64, losing: &dyn Fn(usize) -> f64| {
        let l = losing(b);
        catchment > 0.0
            && catchment - l >= rules.close_min_overlap * catchment
            && (b..study.bands.len()).all(|w| losing(w) <= rules.close_max_losing)
    };
    let mut order: Vec<usize> = (0..n)
        .filter(|&j| {
            let c = &cards[j];
            c.assessed
                && !closed[j]
                && rules.may_close(&study.sites[j])
                && demand_ok(c)
                && passes(c.catchment, &|w| c.losing_alone[w])
        })
        .collect();
    let desc = |a: Option<f64>, b: Option<f64>| b.unwrap_or(-1.0).total_cmp(&a.unwrap_or(-1.0));
    order.sort_by(|&x, &y| {
        cards[x].losing_alone[b]
            .total_cmp(&cards[y].losing_alone[b])
            .then(desc(
                cards[x].cost_per_face_to_face,
                cards[y].cost_per_face_to_face,
            ))
            .then(desc(study.sites[x].annual_cost, study.sites[y].annual_cost))
            .then(x.cmp(&y))
    });
    for j in order {
        let catchment = &times.by_site[j];
        let now: Vec<f64> = (0..study.bands.len())
            .map(|w| scorecard::people(study, providers.losing_zones(j, w, catchment)).0)
            .collect();
        cards[j].losing_with_closures = Some(now[b]);
        if passes(cards[j].catchment, &|w| now[w]) {
            providers.close(j, catchment);
            closed[j] = true;
        }
    }

    // 3. Shares among the buildings left.
    let eligible: Vec<bool> = (0..n).map(|j| cards[j].assessed && !closed[j]).collect();
    let proposals = proposals::share_proposals(m, &rules, &cards, &eligible, &baseline);
    let digital_points = proposals::digital_points(study, &rules, &by_zone, &front_door);
    let gaps = gaps::gaps(study, &rules, &by_zone, &front_door)?;

    // 4-5. Decisions and reasons.
    let mut sites: Vec<SiteDecision> = (0..n)
        .map(|_| SiteDecision {
            recommendation: Recommendation::Keep,
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
    for j in 0..n {
        let s = &study.sites[j];
        let c = &cards[j];
        let mut reasons = Vec::new();
        let rec = if s.candidate {
            match sites[j].new_site {
                Some(r) => {
                    reasons.push(new_site_reason(&rules, &gaps, r));
                    Recommendation::Open
                }
                None => {
                    reasons.push(if gaps.hot_spots.is_empty() {
                        "not proposed: no zone is a hot spot".to_string()
                    } else {
                        "not proposed: it adds fewer hot-spot people than the new sites proposed"
                            .to_string()
                    });
                    Recommendation::NotOpened
                }
            }
        } else if !c.assessed {
            reasons.push("street furniture: not assessed for closure".to_string());
            Recommendation::Keep
        } else if closed[j] {
            if digital[j] {
                reasons.push(format!(
                    "its {} face-to-face contacts a year are few (the rule closes at most {}) and {} once and done: they can move to digital or phone",
                    contacts(study, c.face_to_face_total),
                    whole(rules.digital_max_contacts),
                    pct(c.once_and_done_percent.unwrap_or(0.0))
                ));
            } else {
                reasons.extend(overlap_reason(study, c, &place, ""));
                reasons.push(demand_reason(study, c, ""));
            }
            reasons.push(format!(
                "closing it alone leaves {} without one of its services within {place}",
                with_groups(study, c.losing_alone[b], &c.losing_alone_vulnerable[b])
            ));
            if let Some(w) = c.losing_with_closures.filter(|&w| w != c.losing_alone[b]) {
                reasons.push(format!(
                    "with the closures recommended before it, {} people lose a service",
                    whole(w)
                ));
            }
            if let Some(cost) = s.annual_cost {
                let mut r = format!("saves {} a year", money(cost));
                if let Some(cpf) = c.cost_per_face_to_face {
                    r.push_str(&format!(" ({} per face-to-face contact)", money(cpf)));
                }
                reasons.push(r);
            }
            Recommendation::Close
        } else if let Some(p) = sites[j].proposal.filter(|&p| proposals[p].recommended) {
            reasons.extend(share_reasons(study, &rules, &proposals[p], j, &place));
            reasons.push(demand_reason(study, c, ""));
            Recommendation::Share
        } else {
            let kept = !rules.may_close(s);
            if s.fixed {
                reasons.push("fixed in the study: it must be kept".to_string());
            } else if kept {
                reasons.push(format!(
                    "a {} is never closed by the study's rules (never_close)",
                    s.kind.replace('_', " ")
                ));
            }
            reasons.extend(keep_reasons(study, &rules, c, kept, &place));
            if let Some(p) = sites[j].proposal {
                let prop = &proposals[p];
                reasons.push(format!(
                    "share proposal {} ({} with {}) is not recommended: it leaves {} people without one of the guests' services within {place}",
                    prop.id,
                    study.sites[prop.host].name,
                    names(study, &prop.guests),
                    whole(prop.losing)
                ));
            }
            Recommendation::Keep
        };
        if let Some(d) = sites[j].digital_point {
            let dp = &digital_points[d];
            reasons.push(format!(
                "could host digital point {} for {}, {} people more than {} min {} from any front door",
                dp.id,
                zones(dp.zones.len()),
                whole(dp.population),
                rules.far_minutes,
                rules.mode_name
            ));
        }
        if let (Some(r), false) = (sites[j].new_site, s.candidate) {
            reasons.push(new_site_reason(&rules, &gaps, r));
        }
        sites[j].recommendation = rec;
        sites[j].reasons = reasons;
    }

    // The whole plan as one scenario.
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
    let plan_scenario = Scenario::new(study, "recommended", rules.mode, changes)?
        .with_description("every recommendation together: closures, shares and new sites");
    let plan = plan_scenario
        .changes_sites()
        .then(|| evaluate(m, &BaselineCache::default(), &plan_scenario));
    Ok(Decisions {
        rules,
        cards,
        sites,
        proposals,
        digital_points,
        front_door_minutes: front_door,
        gaps,
        plan,
    })
}

/// "1 zone", "2 zones".
fn zones(n: usize) -> String {
    if n == 1 {
        "1 zone".into()
    } else {
        format!("{n} zones")
    }
}

/// Names and ids of sites, joined.
pub fn names(study: &Study, sites: &[usize]) -> String {
    sites
        .iter()
        .map(|&j| format!("{} ({})", study.sites[j].name, study.sites[j].id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The overlap in words; `rule` (e.g. "(the rule asks 90%)") follows the overlap itself.
fn overlap_reason(study: &Study, c: &SiteCard, place: &str, rule: &str) -> Option<String> {
    let ov = c.overlap_percent?;
    let mut r = format!(
        "{}{} of the {} people within {place} have all its services at another open site as near{rule}",
        if rule.is_empty() { "" } else { "only " },
        pct(ov),
        whole(c.catchment)
    );
    if let Some((k, p)) = c.main_overlap {
        r.push_str(&format!(
            ", and {} of them live as near {} ({}), which offers one of its services",
            pct(p),
            study.sites[k].name,
            study.sites[k].id
        ));
    }
    Some(r)
}

/// Face-to-face demand in words; `rule` follows the right-first-time share.
fn demand_reason(study: &Study, c: &SiteCard, rule: &str) -> String {
    match c.right_first_time_percent {
        Some(p) => format!(
            "{} of its {} face-to-face contacts a year are facilitated or advocacy (right first time){rule}, and {} are once and done and could move to digital or phone",
            pct(p),
            contacts(study, c.face_to_face_total),
            pct(c.once_and_done_percent.unwrap_or(0.0))
        ),
        None => "no face-to-face contacts are recorded at it".to_string(),
    }
}

fn keep_reasons(
    study: &Study,
    rules: &Rules,
    c: &SiteCard,
    kept: bool,
    place: &str,
) -> Vec<String> {
    let b = rules.band;
    let mut out = Vec::new();
    let rule = if !kept
        && c.right_first_time_percent
            .is_some_and(|p| p > 100.0 * rules.close_max_right_first_time)
    {
        format!(
            " (the rule keeps a site above {})",
            pct(100.0 * rules.close_max_right_first_time)
        )
    } else {
        String::new()
    };
    out.push(demand_reason(study, c, &rule));
    let losing = c.losing_alone[b];
    out.push(format!(
        "closing it alone leaves {} without one of its services within {place}{}",
        with_groups(study, losing, &c.losing_alone_vulnerable[b]),
        if !kept && losing > rules.close_max_losing {
            format!(" (the rule allows {})", whole(rules.close_max_losing))
        } else {
            String::new()
        }
    ));
    if !kept && losing <= rules.close_max_losing {
        for w in b + 1..study.bands.len() {
            if c.losing_alone[w] > rules.close_max_losing {
                out.push(format!(
                    "but {} people within {} min {} (the rule allows {} in every band from {} min)",
                    whole(c.losing_alone[w]),
                    study.bands[w],
                    rules.mode_name,
                    whole(rules.close_max_losing),
                    rules.minutes
                ));
                break;
            }
        }
    }
    if c.catchment <= 0.0 {
        out.push(format!(
            "nobody lives within {place}, so its overlap with other sites cannot be judged at this band"
        ));
    }
    if let Some(ov) = c.overlap_percent {
        let rule = if !kept && ov < 100.0 * rules.close_min_overlap {
            format!(" (the rule asks {})", pct(100.0 * rules.close_min_overlap))
        } else {
            String::new()
        };
        out.extend(overlap_reason(study, c, place, &rule));
    }
    if let Some(w) = c.losing_with_closures.filter(|_| !kept) {
        if w > losing {
            out.push(format!(
                "it would qualify for closure alone, but after the closures recommended before it {} people would lose a service within {place}",
                whole(w)
            ));
        }
    }
    out
}

fn share_reasons(study: &Study, rules: &Rules, p: &Proposal, j: usize, place: &str) -> Vec<String> {
    let host = &study.sites[p.host];
    let mut out = Vec::new();
    if j == p.host {
        let guests: Vec<String> = p
            .guests
            .iter()
            .zip(&p.guest_minutes)
            .map(|(&g, m)| {
                format!(
                    "{} ({}, {} of {}, {} min walk)",
                    study.sites[g].name,
                    study.sites[g].id,
                    study.sites[g].kind.replace('_', " "),
                    study.sites[g].agency,
                    crate::text::format_number(*m)
                )
            })
            .collect();
        out.push(format!(
            "host of share proposal {}: take in {}",
            p.id,
            guests.join(", ")
        ));
        out.push(match (p.fit, host.capacity) {
            (Fit::Fits, Some(cap)) => format!(
                "its capacity of {} visits a year takes the {} face-to-face contacts a year of the partners together",
                whole(cap),
                contacts(study, p.face_to_face_after)
            ),
            _ => "it has no capacity in the study: whether the partners fit is not checked".to_string(),
        });
        if let Some(cond) = &host.condition {
            out.push(format!("condition {cond}"));
        }
    } else {
        let k = p.guests.iter().position(|&g| g == j).expect("a guest");
        let others: Vec<usize> = p.guests.iter().copied().filter(|&g| g != j).collect();
        let mut r = format!(
            "guest in share proposal {}: move into {} ({}, {} of {}), {} min walk away",
            p.id,
            host.name,
            host.id,
            host.kind.replace('_', " "),
            host.agency,
            crate::text::format_number(p.guest_minutes[k])
        );
        if !others.is_empty() {
            r.push_str(&format!(", with {}", names(study, &others)));
        }
        out.push(r);
    }
    out.push(format!(
        "the move leaves {} without one of the partners' services within {place} (the rule allows {})",
        with_groups(study, p.losing, &p.losing_vulnerable),
        whole(rules.close_max_losing)
    ));
    if p.saving > 0.0 {
        out.push(format!(
            "the partners save {} a year in running costs of the buildings vacated",
            money(p.saving)
        ));
    }
    out
}

fn new_site_reason(rules: &Rules, gaps: &Gaps, rank: usize) -> String {
    let ns = &gaps.new_sites[rank - 1];
    format!(
        "new site {} in the gap analysis: it would bring {} people in {} within {} min {} of a front door",
        rank,
        whole(ns.population_covered),
        zones(ns.zones_covered.len()).replace("zone", "hot-spot zone"),
        rules.far_minutes,
        rules.mode_name
    )
}
