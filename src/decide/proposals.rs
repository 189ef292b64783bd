//! Shared-site proposals (One Public Estate): sites of different agencies within a short walk of
//! each other whose face-to-face demand fits in one building; and the reverse, street furniture
//! and partner sites that could host a digital or assisted-digital point where demand is far
//! from any front door.

use crate::access::ByZone;
use crate::decide::scorecard::{people, within, Providers, SiteCard};
use crate::decide::Rules;
use crate::index::PointIndex;
use crate::measured::Measured;
use crate::model::{Category, Channel, Study};
use crate::num::Sum;

/// Whether the guests' demand fits in the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Host capacity covers its own and the guests' face-to-face contacts.
    Fits,
    /// The host has no capacity in the study: not checked.
    NotChecked,
}

/// One shared-site proposal: a host and the guests that would move into it.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// `P1`, `P2`... in the order found.
    pub id: String,
    /// The host site.
    pub host: usize,
    /// The guests, nearest first.
    pub guests: Vec<usize>,
    /// Per guest: walking minutes to the host (straight-line estimate, one decimal).
    pub guest_minutes: Vec<f64>,
    /// Whether the demand fits.
    pub fit: Fit,
    /// Face-to-face contacts a year at the host after the move.
    pub face_to_face_after: f64,
    /// People within the catchment band of any site of the cluster.
    pub catchment_before: f64,
    /// People within the catchment band of the host.
    pub catchment_after: f64,
    /// People losing one of the guests' services within the band (the scenario engine's count).
    pub losing: f64,
    /// Each vulnerable group losing.
    pub losing_vulnerable: Vec<f64>,
    /// Annual cost saved (guests with a cost).
    pub saving: f64,
    /// Guests without a cost in the study.
    pub guests_without_cost: usize,
    /// Guests at which no demand is recorded: their move cannot be judged.
    pub unrecorded_guests: Vec<usize>,
    /// Within the rules: recommended.
    pub recommended: bool,
}

/// The shares found, and the partners' sites each host was refused by the hosts table.
pub struct Shares {
    /// The proposals, in the order found.
    pub proposals: Vec<Proposal>,
    /// (host, nearby partners' sites it may not host), for hosts that had any.
    pub refused: Vec<(usize, Vec<usize>)>,
    /// (host, nearby partners' sites whose floor area it is too small for).
    pub too_small: Vec<(usize, Vec<usize>)>,
}

impl Proposal {
    /// Host then guests.
    pub fn sites(&self) -> Vec<usize> {
        let mut v = vec![self.host];
        v.extend(&self.guests);
        v
    }
}

/// Sites near a host, with their distance in metres.
type Near = Vec<(usize, f64)>;

/// Condition grades A (best) to E; none last.
fn condition_rank(c: &Option<String>) -> u8 {
    match c.as_deref().map(|s| s.trim().to_ascii_uppercase()) {
        Some(s) if s.len() == 1 && ("A"..="E").contains(&s.as_str()) => s.as_bytes()[0] - b'A',
        _ => 9,
    }
}

/// Finds clusters among `eligible` sites and evaluates each as a share against the baseline: the
/// people losing a guest's service within the band by the scenario engine's rule, counted on
/// provider counts (a test checks it equals `frontdoor scenario` with the share).
pub fn share_proposals(
    m: &Measured,
    rules: &Rules,
    cards: &[SiteCard],
    eligible: &[bool],
    baseline: &Providers,
) -> Shares {
    let study = &m.study;
    let n = study.sites.len();
    let index = PointIndex::with_indices(
        (0..n)
            .filter(|&j| eligible[j])
            .map(|j| (j, study.sites[j].point)),
    );
    // Hosts: fixed sites first (they stay), then best condition, most capacity, most floor area,
    // most services (a hub before a single-purpose site), most people within the catchment band.
    let mut hosts: Vec<usize> = (0..n).filter(|&j| eligible[j]).collect();
    hosts.sort_by(|&a, &b| {
        let (sa, sb) = (&study.sites[a], &study.sites[b]);
        sb.fixed
            .cmp(&sa.fixed)
            .then(condition_rank(&sa.condition).cmp(&condition_rank(&sb.condition)))
            .then(
                sb.capacity
                    .unwrap_or(-1.0)
                    .total_cmp(&sa.capacity.unwrap_or(-1.0)),
            )
            .then(
                sb.floor_area_m2
                    .unwrap_or(-1.0)
                    .total_cmp(&sa.floor_area_m2.unwrap_or(-1.0)),
            )
            .then(sb.offers().len().cmp(&sa.offers().len()))
            .then(cards[b].catchment.total_cmp(&cards[a].catchment))
            .then(a.cmp(&b))
    });
    let radius = rules.walk.metres(rules.share_minutes);
    // A site moves only into one ranked above it as a host: once considered as a host, a site
    // that found no guests may not then become a guest of a lesser one.
    let mut considered = vec![false; n];
    let mut taken = vec![false; n];
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let mut small = Vec::new();
    let times = &m.reach.modes[rules.mode].times;
    let band = rules.minutes as f64;
    for h in hosts {
        if taken[h] {
            continue;
        }
        considered[h] = true;
        let host = &study.sites[h];
        let mut near: Vec<(usize, f64)> = Vec::new();
        index.for_each_within(host.point, radius, |k, d| {
            let s = &study.sites[k];
            if !considered[k] && !taken[k] && rules.may_close(s) && s.agency != host.agency {
                near.push((k, d));
            }
        });
        near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        // The hosts table: which kinds may move into this one.
        let (near, not_hosted): (Near, Near) = near
            .into_iter()
            .partition(|&(k, _)| rules.may_host(host, &study.sites[k]));
        if !not_hosted.is_empty() {
            refused.push((h, not_hosted.iter().map(|&(k, _)| k).collect()));
        }
        let fit = if host.capacity.is_some() {
            Fit::Fits
        } else {
            Fit::NotChecked
        };
        let Taken {
            guests,
            guest_minutes,
            load,
            too_small,
        } = take_guests(study, rules, cards, h, near);
        if !too_small.is_empty() {
            small.push((h, too_small));
        }
        if guests.is_empty() {
            continue;
        }
        taken[h] = true;
        for &g in &guests {
            taken[g] = true;
        }
        let id = format!("P{}", out.len() + 1);
        let mut zones: Vec<u32> = std::iter::once(h)
            .chain(guests.iter().copied())
            .flat_map(|j| within(&times.by_site[j], band))
            .collect();
        zones.sort_unstable();
        zones.dedup();
        let catchment_before = people(study, zones).0;
        let catchment_after = people(study, within(&times.by_site[h], band)).0;
        let (losing, losing_vulnerable) = people(
            study,
            baseline.share_losing_zones(h, &guests, rules.band.ix(), &times.by_site),
        );
        let unrecorded_guests: Vec<usize> = guests
            .iter()
            .copied()
            .filter(|&g| !cards[g].evidence.has_demand())
            .collect();
        let mut saving = Sum::default();
        for &g in &guests {
            saving.add(study.sites[g].annual_cost.unwrap_or(0.0));
        }
        out.push(Proposal {
            id,
            host: h,
            guest_minutes,
            fit,
            face_to_face_after: (load * 100.0).round() / 100.0,
            catchment_before,
            catchment_after,
            losing,
            losing_vulnerable,
            saving: saving.value(),
            guests_without_cost: guests
                .iter()
                .filter(|&&g| study.sites[g].annual_cost.is_none())
                .count(),
            recommended: losing <= rules.close_max_losing
                && losing <= (1.0 - rules.close_min_overlap) * catchment_before
                && unrecorded_guests.is_empty(),
            unrecorded_guests,
            guests,
        });
    }
    Shares {
        proposals: out,
        refused,
        too_small: small,
    }
}

/// The guests a host takes, nearest first: while its spare capacity holds their face-to-face
/// contacts and (where host and guest give floor areas) the guests' buildings together are at
/// most `share_max_floor_ratio` times the host's; at most `share_max_guests`.
fn take_guests(study: &Study, rules: &Rules, cards: &[SiteCard], h: usize, near: Near) -> Taken {
    let host = &study.sites[h];
    let mut t = Taken {
        load: cards[h].face_to_face_total,
        ..Taken::default()
    };
    let mut area = 0.0;
    for (k, d) in near {
        if t.guests.len() >= rules.share_max_guests {
            break;
        }
        let after = t.load + cards[k].face_to_face_total;
        if host.capacity.is_some_and(|c| after > c) {
            continue;
        }
        let guest_area = study.sites[k].floor_area_m2;
        if let (Some(h), Some(g)) = (host.floor_area_m2, guest_area) {
            if area + g > h * rules.share_max_floor_ratio {
                t.too_small.push(k);
                continue;
            }
        }
        area += guest_area.unwrap_or(0.0);
        t.load = after;
        t.guests.push(k);
        t.guest_minutes
            .push((rules.walk.minutes(d) * 10.0).round() / 10.0);
    }
    t
}

/// What a host takes in.
#[derive(Default)]
struct Taken {
    guests: Vec<usize>,
    /// Per guest: walking minutes to the host, one decimal.
    guest_minutes: Vec<f64>,
    /// Face-to-face contacts a year at the host after.
    load: f64,
    /// Nearby sites whose floor area the host is too small for.
    too_small: Vec<usize>,
}

/// A proposed digital or assisted-digital point at street furniture or a partner site.
#[derive(Debug, Clone)]
pub struct DigitalPoint {
    /// `D1`, `D2`... by need, largest first.
    pub id: String,
    /// The host site.
    pub host: usize,
    /// The far zones it would serve (nearest host to each), in zone order.
    pub zones: Vec<usize>,
    /// Their need: once-and-done face-to-face contacts a year, or people where the study has
    /// no face-to-face demand.
    pub need: f64,
    /// Their people.
    pub population: f64,
    /// Each vulnerable group.
    pub vulnerable: Vec<f64>,
}

/// Per zone: minutes to the nearest open front door by the decision mode (None: none within the
/// largest band).
pub fn front_door_minutes(study: &Study, rules: &Rules, by_zone: &ByZone) -> Vec<Option<f64>> {
    (0..study.zones.len())
        .map(|z| {
            by_zone
                .row(z)
                .iter()
                .filter(|&&(j, _)| {
                    let s = &study.sites[j as usize];
                    !s.candidate && rules.is_front_door(s)
                })
                .map(|&(_, t)| t)
                .min_by(f64::total_cmp)
        })
        .collect()
}

/// Whether the study records any face-to-face demand.
pub fn has_face_to_face(study: &Study) -> bool {
    let f2f = Channel::FaceToFace.index();
    study
        .demand
        .by_zone
        .iter()
        .any(|r| r.iter().any(|c| c[f2f] > 0.0))
}

/// Need per zone for digital points: once-and-done face-to-face contacts a year, or people.
pub fn digital_need(study: &Study) -> Vec<f64> {
    let f2f = Channel::FaceToFace.index();
    let contacts = has_face_to_face(study);
    (0..study.zones.len())
        .map(|z| {
            if contacts {
                crate::num::sum(
                    Category::ALL
                        .iter()
                        .filter(|c| c.once_and_done())
                        .map(|c| study.demand.by_zone[z][c.index()][f2f]),
                ) / study.demand_years
            } else {
                study.zones[z].population
            }
        })
        .collect()
}

/// Far zones with need, each given to its nearest possible host within the far limit.
pub fn digital_points(
    study: &Study,
    rules: &Rules,
    by_zone: &ByZone,
    front_door: &[Option<f64>],
) -> Vec<DigitalPoint> {
    let far = rules.far_minutes as f64;
    let need = digital_need(study);
    let mut by_host: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for z in 0..study.zones.len() {
        if front_door[z].is_some_and(|t| t <= far) || need[z] <= 0.0 {
            continue;
        }
        let host = by_zone
            .row(z)
            .iter()
            .filter(|&&(j, t)| {
                let s = &study.sites[j as usize];
                t <= far && !s.candidate && s.context.is_none() && rules.may_host_digital(s)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        if let Some(&(j, _)) = host {
            by_host.entry(j as usize).or_default().push(z);
        }
    }
    let mut points: Vec<DigitalPoint> = by_host
        .into_iter()
        .map(|(host, zones)| {
            let (population, vulnerable) = people(study, zones.iter().map(|&z| z as u32));
            let mut n = Sum::default();
            for &z in &zones {
                n.add(need[z]);
            }
            DigitalPoint {
                id: String::new(),
                host,
                need: (n.value() * 100.0).round() / 100.0,
                zones,
                population,
                vulnerable,
            }
        })
        .collect();
    points.sort_by(|a, b| b.need.total_cmp(&a.need).then(a.host.cmp(&b.host)));
    for (i, p) in points.iter_mut().enumerate() {
        p.id = format!("D{}", i + 1);
    }
    points
}
