//! What a scenario does at each site: face-to-face contacts received from closed sites (by
//! share, or zone of origin by zone of origin and service by service), shifted to other
//! channels, and the load after against capacity.

use std::collections::{BTreeMap, HashMap};

use super::nearest::{nearest_providing, Nearest};
use super::Scenario;
use crate::access::ByZone;
use crate::measured::Measured;
use crate::model::{Assignment, CategoryChannel, Channel, Estate};
use crate::num::Sum;

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
    /// Open and over capacity already in the baseline (its own contacts above its capacity).
    pub overloaded_before: bool,
}

/// Face-to-face contacts a year, by category.
pub(super) fn face_to_face(cc: &CategoryChannel, years: f64) -> [f64; 5] {
    let f2f = Channel::FaceToFace.index();
    std::array::from_fn(|c| cc[c][f2f] / years)
}

fn add_into(target: &mut [f64; 5], amounts: &[f64; 5]) {
    for (t, a) in target.iter_mut().zip(amounts) {
        *t += a;
    }
}

pub(super) fn site_changes(
    m: &Measured,
    sc: &Scenario,
    base: &Estate,
    after: &Estate,
) -> Vec<SiteChange> {
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
                // As sites.csv's overloaded_baseline: the site's contacts a year over capacity.
                overloaded_before: base.open[j]
                    && base.capacity[j].is_some_and(|cap| study.face_to_face_a_year(j) > cap),
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
            let total = crate::num::sum(moved);
            add_into(&mut out[*h].received, &moved);
            if total > 0.0 {
                out[*h].received_from.push((g, total));
                out[g].sent_to.push((Some(*h), total));
            }
        }
    }
    // Closed outright: zone of origin by zone of origin and service by service, to the zone's
    // nearest open site offering the service by the scenario's mode (or, with Huff's model,
    // spread over those within the largest band).
    let mut by_service: HashMap<u32, Nearest> = HashMap::new();
    let huff = (!sc.close.is_empty() && study.assignment != Assignment::Nearest).then(|| {
        let times = &m.reach.modes[sc.route_mode.ix()].times;
        ByZone::transpose(&times.by_site, study.zones.len())
    });
    for &x in &sc.close {
        let mut flows: BTreeMap<Option<usize>, [f64; 5]> = BTreeMap::new();
        for o in study.demand.site_origins.get(x).into_iter().flatten() {
            let name = &study.demand.services[o.service as usize];
            let provides = |j: usize| {
                after.open[j] && after.offers(j).any(|s| s.trim().to_lowercase() == *name)
            };
            let contacts = face_to_face(&o.contacts, years);
            if let Some(by_zone) = &huff {
                let near: Vec<(usize, f64)> = by_zone
                    .row(o.zone as usize)
                    .iter()
                    .map(|&(j, t)| (j as usize, t))
                    .filter(|&(j, _)| provides(j))
                    .collect();
                if !near.is_empty() {
                    let candidates: Vec<(f64, Option<f64>)> =
                        near.iter().map(|&(j, t)| (t, after.capacity[j])).collect();
                    for ((j, _), share) in near.iter().zip(study.assignment.shares(&candidates)) {
                        add_into(
                            flows.entry(Some(*j)).or_default(),
                            &contacts.map(|v| v * share),
                        );
                    }
                    continue;
                }
            }
            let dest = by_service
                .entry(o.service)
                .or_insert_with(|| nearest_providing(m, sc.route_mode.ix(), &provides));
            let to = dest[o.zone as usize].map(|(s, _)| s);
            add_into(flows.entry(to).or_default(), &contacts);
        }
        for (to, amounts) in flows {
            let total = crate::num::sum(amounts.iter().copied());
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
