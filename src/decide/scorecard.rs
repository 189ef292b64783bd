//! The scorecard of every site: reach, demand, cost, overlap with other sites, and the people who
//! would lose a service if it closed alone.
//!
//! "Losing" is the scenario engine's rule, counted without running a scenario per site: a zone
//! loses within a band when the site is, for one of its services, the only open site offering it
//! within the band. [`Providers`] keeps, per band, zone and service, how many open sites offer the
//! service within the band (and the sum of their indices, which is the site itself when the count
//! is one), so closing a site alone, or after others, is a walk over its own catchment. The
//! equality with `scenario::evaluate` is tested.

use std::collections::{BTreeMap, HashMap};

use crate::access::ByZone;
use crate::decide::Rules;
use crate::ids::ModeIx;
use crate::model::{Category, CategoryChannel, Channel, Site, Study};
use crate::num::Sum;
use crate::reach::Reach;

/// The zones of a site's catchment list (zone, minutes) within `minutes`.
pub fn within(catchment: &[(u32, f64)], minutes: f64) -> impl Iterator<Item = u32> + '_ {
    catchment
        .iter()
        .filter(move |x| x.1 <= minutes)
        .map(|x| x.0)
}

/// Per band, zone and service: open sites offering the service within the band.
#[derive(Clone)]
pub struct Providers {
    bands: Vec<f64>,
    zones: usize,
    services: usize,
    /// `[(band * zones + zone) * services + service]`: (count, sum of site indices).
    counts: Vec<(u32, u64)>,
    /// Per site: its services, as indices, sorted.
    pub site_services: Vec<Vec<u32>>,
    /// Per site: open.
    pub open: Vec<bool>,
}

impl Providers {
    /// Counts the baseline's open sites by the decision mode.
    pub fn new(study: &Study, reach: &Reach, mode: ModeIx) -> Providers {
        let mut names: BTreeMap<&str, u32> = BTreeMap::new();
        for s in &study.sites {
            for o in s.offers() {
                names.insert(o, 0);
            }
        }
        for (i, v) in names.values_mut().enumerate() {
            *v = i as u32;
        }
        let site_services: Vec<Vec<u32>> = study
            .sites
            .iter()
            .map(|s| {
                let mut v: Vec<u32> = s.offers().iter().map(|o| names[o]).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let mut p = Providers {
            bands: study.bands.iter().map(|&b| b as f64).collect(),
            zones: study.zones.len(),
            services: names.len(),
            counts: vec![(0, 0); study.bands.len() * study.zones.len() * names.len()],
            site_services,
            open: study.sites.iter().map(|s| !s.candidate).collect(),
        };
        let by_site = &reach.modes[mode].times.by_site;
        for (j, catchment) in by_site.iter().enumerate() {
            if p.open[j] {
                p.change(j, catchment, true);
            }
        }
        p
    }

    fn at(&self, band: usize, zone: usize, service: u32) -> usize {
        (band * self.zones + zone) * self.services + service as usize
    }

    fn change(&mut self, j: usize, catchment: &[(u32, f64)], add: bool) {
        for &(z, t) in catchment {
            for b in 0..self.bands.len() {
                if t > self.bands[b] {
                    continue;
                }
                for si in 0..self.site_services[j].len() {
                    let k = self.at(b, z as usize, self.site_services[j][si]);
                    let c = &mut self.counts[k];
                    if add {
                        c.0 += 1;
                        c.1 += j as u64;
                    } else {
                        c.0 -= 1;
                        c.1 -= j as u64;
                    }
                }
            }
        }
    }

    /// Closes site `j` (its catchment: the decision mode's zones within the largest band).
    pub fn close(&mut self, j: usize, catchment: &[(u32, f64)]) {
        if self.open[j] {
            self.change(j, catchment, false);
            self.open[j] = false;
        }
    }

    /// Zones of `j`'s catchment that would lose one of its services within band `b` if it
    /// closed now.
    pub fn losing_zones<'a>(
        &'a self,
        j: usize,
        b: usize,
        catchment: &'a [(u32, f64)],
    ) -> impl Iterator<Item = u32> + 'a {
        catchment
            .iter()
            .filter(move |&&(_, t)| t <= self.bands[b])
            .filter(move |&&(z, _)| {
                self.site_services[j].iter().any(|&s| {
                    let (n, sum) = self.counts[self.at(b, z as usize, s)];
                    n == 1 && sum == j as u64
                })
            })
            .map(|&(z, _)| z)
    }

    /// Zones that would lose one of the guests' services within band `b` if the guests moved
    /// into `host` (the host then offers their services): the scenario engine's rule for a share,
    /// counted locally. `catchments` are the decision mode's per-site zone lists.
    pub fn share_losing_zones(
        &self,
        host: usize,
        guests: &[usize],
        b: usize,
        catchments: &[Vec<(u32, f64)>],
    ) -> Vec<u32> {
        let near = |j: usize| -> std::collections::HashSet<u32> {
            within(&catchments[j], self.bands[b]).collect()
        };
        let host_near = near(host);
        let guests_near: Vec<_> = guests.iter().map(|&g| near(g)).collect();
        let mut zones: Vec<u32> = guests_near.iter().flatten().copied().collect();
        zones.sort_unstable();
        zones.dedup();
        let mut services: Vec<u32> = guests
            .iter()
            .flat_map(|&g| self.site_services[g].iter().copied())
            .collect();
        services.sort_unstable();
        services.dedup();
        zones
            .into_iter()
            .filter(|&z| {
                services.iter().any(|&s| {
                    let before = self.counts[self.at(b, z as usize, s)].0 as usize;
                    let leaving = guests
                        .iter()
                        .zip(&guests_near)
                        .filter(|(&g, near)| {
                            near.contains(&z) && self.site_services[g].contains(&s)
                        })
                        .count();
                    let arriving = usize::from(
                        host_near.contains(&z)
                            && self.open[host]
                            && self.site_services[host].binary_search(&s).is_err(),
                    );
                    before > 0 && before - leaving + arriving == 0
                })
            })
            .collect()
    }

    /// Whether sites `a` and `b` share a service.
    pub fn share_a_service(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.site_services[a], &self.site_services[b]);
        x.iter().any(|s| y.binary_search(s).is_ok())
    }
}

/// People, and each vulnerable group, of a set of zones (compensated sums in zone order).
pub fn people(study: &Study, zones: impl IntoIterator<Item = u32>) -> (f64, Vec<f64>) {
    let mut pop = Sum::default();
    let mut groups = vec![Sum::default(); study.vulnerable.len()];
    for z in zones {
        let zone = &study.zones[z as usize];
        pop.add(zone.population);
        for (g, &v) in study.vulnerable.iter().enumerate() {
            groups[g].add(zone.profile[v]);
        }
    }
    (pop.value(), groups.iter().map(Sum::value).collect())
}

/// What a recommendation rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Evidence {
    /// Contacts recorded at the site (or records of its services attributed to it) and its
    /// running cost.
    DemandAndCost,
    /// Contacts, but no running cost.
    Demand,
    /// Where people live and how far the sites are, and nothing of the site's use.
    #[default]
    ReachOnly,
}

impl Evidence {
    /// The words written in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::DemandAndCost => "demand_and_cost",
            Evidence::Demand => "demand",
            Evidence::ReachOnly => "reach_only",
        }
    }

    /// Whether any demand is recorded at the site.
    pub fn has_demand(self) -> bool {
        self != Evidence::ReachOnly
    }
}

/// One site's scorecard.
#[derive(Debug, Clone, Default)]
pub struct SiteCard {
    /// Assessed for keep/share/close: open in the baseline, not street furniture, not context.
    pub assessed: bool,
    /// What a recommendation on it can rest on: its demand and cost.
    pub evidence: Evidence,
    /// People within the catchment band by the decision mode.
    pub catchment: f64,
    /// Each vulnerable group within it.
    pub catchment_vulnerable: Vec<f64>,
    /// Per band: people who would lose one of its services within the band if it closed alone.
    pub losing_alone: Vec<f64>,
    /// Per band, per vulnerable group: likewise.
    pub losing_alone_vulnerable: Vec<Vec<f64>>,
    /// Share of the catchment that keeps every service of the site at another site within the
    /// band, percent (None when nobody lives within it).
    pub overlap_percent: Option<f64>,
    /// The other site offering one of its services to most of its catchment, and the percent.
    pub main_overlap: Option<(usize, f64)>,
    /// Face-to-face contacts a year, by category.
    pub face_to_face: [f64; 5],
    /// Face-to-face contacts a year.
    pub face_to_face_total: f64,
    /// Percent of face-to-face contacts that are facilitated or advocacy.
    pub right_first_time_percent: Option<f64>,
    /// Percent of face-to-face contacts that are once and done.
    pub once_and_done_percent: Option<f64>,
    /// Annual cost per face-to-face contact.
    pub cost_per_face_to_face: Option<f64>,
    /// People losing within the band if it closed after the closures recommended before it
    /// (set for sites considered for closure).
    pub losing_with_closures: Option<f64>,
}

/// The evidence on a site: contacts recorded at it or attributed to it (any channel), and its
/// running cost.
fn evidence(s: &Site, demand: &CategoryChannel) -> Evidence {
    let contacts = demand.iter().flatten().any(|&v| v > 0.0);
    match (contacts, s.annual_cost.is_some()) {
        (true, true) => Evidence::DemandAndCost,
        (true, false) => Evidence::Demand,
        (false, _) => Evidence::ReachOnly,
    }
}

/// Face-to-face contacts a year at site `j` that need people: by category (facilitated,
/// advocacy), unless the study says of the service that it can, or cannot, move to digital.
fn needs_people(study: &Study, rules: &Rules, j: usize) -> f64 {
    let f2f = Channel::FaceToFace.index();
    let mut sum = Sum::default();
    for o in &study.demand.site_origins[j] {
        let service = &study.demand.services[o.service as usize];
        for c in Category::ALL {
            let digital = rules
                .digital
                .get(service)
                .copied()
                .unwrap_or(c.once_and_done());
            if !digital {
                sum.add(o.contacts[c.index()][f2f]);
            }
        }
    }
    sum.value() / study.demand_years
}

/// Percent rounded to one decimal.
pub fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| (1000.0 * part / whole).round() / 10.0)
}

/// Builds every site's scorecard.
pub fn scorecards(
    study: &Study,
    reach: &Reach,
    rules: &Rules,
    providers: &Providers,
    by_zone: &ByZone,
) -> Vec<SiteCard> {
    let times = &reach.modes[rules.mode].times;
    let band = rules.minutes as f64;
    let f2f = Channel::FaceToFace.index();
    (0..study.sites.len())
        .map(|j| {
            let s = &study.sites[j];
            let catchment = &times.by_site[j];
            let face_to_face: [f64; 5] =
                std::array::from_fn(|c| study.demand.by_site[j][c][f2f] / study.demand_years);
            // Summed before dividing by the years, as sites.csv's cost per contact is.
            let total = study.face_to_face_a_year(j);
            let rft = if rules.digital.is_empty() {
                face_to_face[Category::Facilitated.index()]
                    + face_to_face[Category::Advocacy.index()]
            } else {
                needs_people(study, rules, j)
            };
            let mut card = SiteCard {
                assessed: !s.candidate && s.context.is_none() && !rules.is_furniture(s),
                evidence: evidence(s, &study.demand.by_site[j]),
                face_to_face,
                face_to_face_total: total,
                right_first_time_percent: percent(rft, total),
                once_and_done_percent: percent(total - rft, total),
                cost_per_face_to_face: s
                    .cost_per_contact(total)
                    .map(|c| (c * 100.0).round() / 100.0),
                ..SiteCard::default()
            };
            if !card.assessed {
                return card;
            }
            (card.catchment, card.catchment_vulnerable) = people(study, within(catchment, band));
            for b in 0..study.bands.len() {
                let (p, v) = people(study, providers.losing_zones(j, b, catchment));
                card.losing_alone.push(p);
                card.losing_alone_vulnerable.push(v);
            }
            card.overlap_percent = percent(
                card.catchment - card.losing_alone[rules.band],
                card.catchment,
            );
            let mut others: HashMap<u32, Sum> = HashMap::new();
            for &(z, t) in catchment {
                if t > band {
                    continue;
                }
                for &(k, tk) in by_zone.row(z as usize) {
                    let k = k as usize;
                    if k != j && tk <= band && providers.open[k] && providers.share_a_service(j, k)
                    {
                        others
                            .entry(k as u32)
                            .or_default()
                            .add(study.zones[z as usize].population);
                    }
                }
            }
            card.main_overlap = others
                .into_iter()
                .map(|(k, p)| (k as usize, p.value()))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .and_then(|(k, p)| percent(p, card.catchment).map(|pc| (k, pc)));
            card
        })
        .collect()
}
