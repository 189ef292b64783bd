//! The agencies' buildings of a tile, as a table per kind of settlement: what each main town,
//! market town and village has, and the two candidate sites.

use super::district::{Settlement, SiteOut};
use crate::rng::Rng;

/// How many of a building a settlement has.
#[derive(Clone, Copy)]
enum Count {
    /// One.
    One,
    /// One per this many people, rounded (numbered in the name).
    PerPeople(f64),
    /// Likewise, at least one.
    PerPeopleAtLeastOne(f64),
}

/// One kind of building of a settlement.
struct Building {
    /// Spread around the settlement's centre, metres (standard deviation).
    spread: f64,
    kind: &'static str,
    agency: &'static str,
    /// The name after the settlement's.
    name: &'static str,
    /// Typical annual cost, capacity (visits a year) and floor area (m²).
    cost: f64,
    capacity: f64,
    area: f64,
    fixed: bool,
    count: Count,
}

const fn b(
    spread: f64,
    kind: &'static str,
    agency: &'static str,
    name: &'static str,
    (cost, capacity, area): (f64, f64, f64),
    fixed: bool,
    count: Count,
) -> Building {
    Building {
        spread,
        kind,
        agency,
        name,
        cost,
        capacity,
        area,
        fixed,
        count,
    }
}

use Count::{One, PerPeople, PerPeopleAtLeastOne};

/// The main town's buildings, in order.
#[rustfmt::skip]
const MAIN_TOWN: &[Building] = &[
    b(150.0, "council_office", "County Council", "Civic Centre", (1_450_000.0, 120_000.0, 5_200.0), true, One),
    b(250.0, "library", "County Council", "Central Library", (620_000.0, 260_000.0, 2_400.0), false, One),
    b(1_400.0, "library", "County Council", "Northgate Library", (180_000.0, 70_000.0, 600.0), false, One),
    // An operational station: its front counter is one use of the building.
    b(300.0, "police_station", "Police", "Police Station", (900_000.0, 15_000.0, 3_000.0), true, One),
    b(300.0, "jobcentre", "DWP", "Jobcentre Plus", (400_000.0, 60_000.0, 1_200.0), false, One),
    b(1_200.0, "community_hub", "District Council", "East Community Hub", (160_000.0, 30_000.0, 500.0), false, One),
    b(600.0, "kiosk", "District Council", "Market Street Kiosk", (12_000.0, 20_000.0, 4.0), false, One),
    b(1_300.0, "gp_practice", "NHS", "Medical Practice", (350_000.0, 60_000.0, 700.0), false, PerPeople(7_000.0)),
];

/// A market town's buildings, in order.
#[rustfmt::skip]
const MARKET_TOWN: &[Building] = &[
    b(200.0, "council_office", "District Council", "Customer Service Centre", (520_000.0, 45_000.0, 1_400.0), false, One),
    b(200.0, "library", "County Council", "Library", (260_000.0, 110_000.0, 900.0), false, One),
    b(300.0, "police_station", "Police", "Police Front Counter", (220_000.0, 5_000.0, 400.0), false, One),
    b(700.0, "gp_practice", "NHS", "Surgery", (300_000.0, 50_000.0, 600.0), false, PerPeopleAtLeastOne(7_000.0)),
    b(500.0, "community_hub", "District Council", "Community Centre", (90_000.0, 20_000.0, 350.0), false, One),
];

/// A village of over 2,000 people.
#[rustfmt::skip]
const LARGE_VILLAGE: &[Building] = &[
    b(120.0, "library", "County Council", "Library", (95_000.0, 35_000.0, 250.0), false, One),
    b(150.0, "gp_practice", "NHS", "Surgery", (240_000.0, 40_000.0, 450.0), false, One),
];

/// A village of 1,200 to 2,000 people.
#[rustfmt::skip]
const MIDDLE_VILLAGE: &[Building] = &[
    b(120.0, "community_hub", "Parish Council", "Village Hall Hub", (30_000.0, 8_000.0, 200.0), false, One),
];

/// The candidate hub, in the second-largest village.
#[rustfmt::skip]
const CANDIDATE_HUB: Building =
    b(100.0, "community_hub", "District Council", "Community Hub (proposed)", (80_000.0, 15_000.0, 300.0), false, One);

/// The candidate library link, in the third-largest village.
#[rustfmt::skip]
const CANDIDATE_LIBRARY: Building =
    b(100.0, "library", "County Council", "Library Link (proposed)", (40_000.0, 12_000.0, 120.0), false, One);

/// The buildings of every settlement of tile `t`, then the two candidate sites.
pub(super) fn buildings(rng: &mut Rng, t: usize, settlements: &[Settlement]) -> Vec<SiteOut> {
    let mut sites = Vec::new();
    for s in settlements {
        let table = match s.rank {
            0 => MAIN_TOWN,
            1 => MARKET_TOWN,
            _ if s.population > 2_000.0 => LARGE_VILLAGE,
            _ if s.population > 1_200.0 => MIDDLE_VILLAGE,
            _ => &[],
        };
        for building in table {
            match building.count {
                One => add(
                    &mut sites,
                    rng,
                    t,
                    s,
                    building,
                    building.name.to_string(),
                    false,
                ),
                PerPeople(n) | PerPeopleAtLeastOne(n) => {
                    let mut count = (s.population / n).round();
                    if matches!(building.count, PerPeopleAtLeastOne(_)) {
                        count = count.max(1.0);
                    }
                    for g in 0..count as usize {
                        let name = format!("{} {}", building.name, g + 1);
                        add(&mut sites, rng, t, s, building, name, false);
                    }
                }
            }
        }
    }
    let mut villages: Vec<&Settlement> = settlements.iter().filter(|s| s.rank == 2).collect();
    villages.sort_by(|a, b| b.population.total_cmp(&a.population));
    for (k, candidate) in [(1, &CANDIDATE_HUB), (2, &CANDIDATE_LIBRARY)] {
        if let Some(v) = villages.get(k).copied() {
            add(
                &mut sites,
                rng,
                t,
                v,
                candidate,
                candidate.name.to_string(),
                true,
            );
        }
    }
    sites
}

/// Adds one building at settlement `s`, named "<settlement> <name>", with its tenure, lease,
/// condition, place and figures drawn around the typical ones.
fn add(
    sites: &mut Vec<SiteOut>,
    rng: &mut Rng,
    t: usize,
    s: &Settlement,
    b: &Building,
    name: String,
    candidate: bool,
) {
    let n = sites.len();
    let tenure = if rng.uniform() < 0.65 {
        "freehold"
    } else {
        "leasehold"
    };
    let lease_end = if tenure == "leasehold" {
        format!("{}-03-31", 2026 + rng.below(15))
    } else {
        String::new()
    };
    let condition = ["A", "B", "B", "C", "C", "D"][rng.below(6)];
    sites.push(SiteOut {
        id: format!("S{t:03}{n:03}"),
        name: format!("{} {name}", s.name),
        agency: b.agency,
        kind: b.kind,
        x: (s.x + b.spread * rng.normal()).round(),
        y: (s.y + b.spread * rng.normal()).round(),
        annual_cost: (b.cost * rng.range(0.8, 1.25) / 100.0).round() * 100.0,
        capacity: (b.capacity * rng.range(0.8, 1.2) / 100.0).round() * 100.0,
        floor_area: (b.area * rng.range(0.8, 1.2)).round(),
        tenure,
        lease_end,
        condition,
        fixed: b.fixed,
        candidate,
    });
}
