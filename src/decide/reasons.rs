//! The reasons of each recommendation, in plain words whose numbers are columns of
//! `sites.csv` (the site's own, its partners' or the main-overlap site's) or rules.

use super::close::Closures;
use super::decision::{group_label, Recommendation, SiteDecision};
use super::gaps::{Gaps, NewSiteType};
use super::proposals::{DigitalPoint, Fit, Proposal};
use super::rules::Rules;
use super::scorecard::{Evidence, SiteCard};
use crate::model::{Context, Site, Study};
use crate::text::{money, pct, whole};

/// What the rules found, for the reasons of each site.
pub(super) struct Found<'a> {
    /// Shares the hosts table refused: (host, guests).
    pub(super) refused_guests: &'a [(usize, Vec<usize>)],
    /// Shares refused for floor area: (host, guests).
    pub(super) too_small: &'a [(usize, Vec<usize>)],
    pub(super) study: &'a Study,
    pub(super) rules: &'a Rules,
    pub(super) cards: &'a [SiteCard],
    pub(super) closures: &'a Closures,
    pub(super) proposals: &'a [Proposal],
    pub(super) digital_points: &'a [DigitalPoint],
    pub(super) gaps: &'a Gaps,
    /// The decision band in words, e.g. "20 min walk".
    pub(super) place: String,
}

/// Site `j`'s recommendation and its reasons, given its roles in `sites`.
pub(super) fn recommend(
    f: &Found,
    sites: &[SiteDecision],
    j: usize,
) -> (Recommendation, Vec<String>) {
    let (study, rules, cards, proposals, digital_points, gaps) = (
        f.study,
        f.rules,
        f.cards,
        f.proposals,
        f.digital_points,
        f.gaps,
    );
    let (closed, digital, place) = (&f.closures.closed, &f.closures.digital, &f.place);
    let b = rules.band.ix();
    let s = &study.sites[j];
    let c = &cards[j];
    let mut reasons = Vec::new();
    let rec = if s.candidate {
        match sites[j].new_site {
            Some(r) => {
                reasons.push(new_site_reason(rules, gaps, r));
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
    } else if let Some(why) = s.context {
        reasons.push(context_reason(s, why));
        Recommendation::Context
    } else if !c.assessed {
        reasons.push(
            "street furniture: not assessed for keep, share or close (it may host a digital point)"
                .to_string(),
        );
        Recommendation::NotAssessed
    } else if f.closures.review[j] {
        reasons.extend(overlap_reason(study, c, place, ""));
        reasons.push(format!(
            "closing it alone would leave {} without one of its services within {place}",
            with_groups(study, c.losing_alone[b], &c.losing_alone_vulnerable[b])
        ));
        reasons.push(
            "no demand is recorded at it: collect footfall and contacts before deciding".into(),
        );
        Recommendation::Review
    } else if closed[j] {
        if digital[j] {
            reasons.push(format!(
                "its {} face-to-face contacts a year are few (the rule closes at most {}) and {} once and done: they can move to digital or phone",
                contacts(study, c.face_to_face_total),
                whole(rules.digital_max_contacts),
                pct(c.once_and_done_percent.unwrap_or(0.0))
            ));
        } else {
            reasons.extend(overlap_reason(study, c, place, ""));
            reasons.push(demand_reason(study, rules, c, ""));
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
            let mut r = format!("saves {} a year", money(cost, study.currency.as_deref()));
            if let Some(cpf) = c.cost_per_face_to_face {
                r.push_str(&format!(
                    " ({} per face-to-face contact)",
                    money(cpf, study.currency.as_deref())
                ));
            }
            reasons.push(r);
        }
        Recommendation::Close
    } else if let Some(p) = sites[j].proposal.filter(|&p| proposals[p].recommended) {
        reasons.extend(share_reasons(study, rules, &proposals[p], j, place));
        reasons.push(demand_reason(study, rules, c, ""));
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
        reasons.extend(keep_reasons(study, rules, c, kept, place));
        if let Some(p) = sites[j].proposal {
            reasons.push(not_recommended_reason(study, &proposals[p], place));
        }
        Recommendation::Keep
    };
    if let Some((_, refused)) = f.refused_guests.iter().find(|(h, _)| *h == j) {
        reasons.push(refused_reason(study, rules, s, refused));
    }
    if let Some((_, small)) = f.too_small.iter().find(|(h, _)| *h == j) {
        reasons.push(format!(
            "too small to take in {}: the buildings that would move in have more floor area than decide.share_max_floor_ratio allows against its own",
            names(study, small)
        ));
    }
    if c.assessed {
        reasons.push(evidence_reason(c.evidence));
    }
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
        reasons.push(new_site_reason(rules, gaps, r));
    }
    (rec, reasons)
}

/// Why a context site is not assessed.
fn context_reason(s: &Site, why: Context) -> String {
    if why == Context::NotAssessed {
        format!(
            "context: in a site file marked assess = false ({} of {}): it counts for residents' reach, and the study does not decide on it",
            s.kind.replace('_', " "),
            s.agency
        )
    } else {
        "context: outside the study area (beyond every zone): it counts for residents' reach, and the study does not decide on it".to_string()
    }
}

/// What the recommendation rests on, in words.
fn evidence_reason(e: Evidence) -> String {
    match e {
        Evidence::DemandAndCost => "evidence: demand_and_cost (contacts recorded at it, and its running cost)".into(),
        Evidence::Demand => "evidence: demand (contacts recorded at it; no running cost in the study)".into(),
        Evidence::ReachOnly => "evidence: reach_only (no demand recorded at it: only where people live and how far it is)".into(),
    }
}

/// Why a share proposal is not recommended.
fn not_recommended_reason(study: &Study, prop: &Proposal, place: &str) -> String {
    let head = format!(
        "share proposal {} ({} with {}) is not recommended",
        prop.id,
        study.sites[prop.host].name,
        names(study, &prop.guests)
    );
    if !prop.unrecorded_guests.is_empty() {
        format!(
            "{head}: no demand is recorded at {}, so its move cannot be judged",
            names(study, &prop.unrecorded_guests)
        )
    } else {
        format!(
            "{head}: it leaves {} people without one of the guests' services within {place}",
            whole(prop.losing)
        )
    }
}

/// Why a host may not take nearby partners' sites: the hosts table.
fn refused_reason(study: &Study, rules: &Rules, host: &Site, refused: &[usize]) -> String {
    let allowed = rules.hosts_of(&host.kind);
    format!(
        "may not host {}: the hosts table (decide.hosts) lets a {} host only these kinds or services: {}",
        names(study, refused),
        host.kind.replace('_', " "),
        if allowed.is_empty() {
            host.kind.replace('_', " ")
        } else {
            allowed.join(", ").replace('_', " ")
        }
    )
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
fn demand_reason(study: &Study, rules: &Rules, c: &SiteCard, rule: &str) -> String {
    let needs_people = if !rules.digital.is_empty() {
        "need people (right first time: facilitated, advocacy, or a service the study keeps face to face)"
    } else {
        "are facilitated or advocacy (right first time)"
    };
    match c.right_first_time_percent {
        Some(p) => format!(
            "{} of its {} face-to-face contacts a year {needs_people}{rule}, and {} are once and done and could move to digital or phone",
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
    let b = rules.band.ix();
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
    out.push(demand_reason(study, rules, c, &rule));
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
            money(p.saving, study.currency.as_deref())
        ));
    }
    if j == p.host {
        let mut kinds: Vec<String> = p
            .guests
            .iter()
            .map(|&g| study.sites[g].kind.replace('_', " "))
            .collect();
        kinds.dedup();
        out.push(format!(
            "the hosts table (decide.hosts) lets a {} host a {}",
            host.kind.replace('_', " "),
            kinds.join(" and a ")
        ));
    }
    out
}

fn new_site_reason(rules: &Rules, gaps: &Gaps, rank: usize) -> String {
    let ns = &gaps.new_sites[rank - 1];
    let what = match ns.kind {
        NewSiteType::Candidate => "new site",
        NewSiteType::PartnerBuilding => "a front door in this partner building",
        NewSiteType::DigitalPoint => "a digital point of presence (not a building)",
    };
    format!(
        "gap analysis proposal {}, {what}: it would bring {} people in {} within {} min {} of a front door",
        rank,
        whole(ns.population_covered),
        zones(ns.zones_covered.len()).replace("zone", "hot-spot zone"),
        rules.far_minutes,
        rules.mode_name
    )
}
