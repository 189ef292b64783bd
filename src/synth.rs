//! A deterministic synthetic district for the demo and the benchmarks: towns and villages with a
//! realistic spread of people (small areas split until each holds about 1,500), several
//! agencies' buildings, bus stops along the roads between settlements, and demand records by
//! service, category and channel.
//!
//! Larger studies are made of tiles, each its own district of 40 × 30 km, laid out over the
//! British National Grid. The same seed and tile count always give the same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Width of one district tile, metres.
const TILE_W: f64 = 40_000.0;
/// Height of one district tile, metres.
const TILE_H: f64 = 30_000.0;
/// Tiles per row of the layout (15 × 40 km fits the grid's 700 km width).
const TILES_PER_ROW: usize = 15;
/// Easting and northing of the layout's south-west corner (BNG).
const ORIGIN: (f64, f64) = (60_000.0, 10_000.0);
/// Slot of the first tile in the layout: column 8, row 6, inland in southern England.
const FIRST_SLOT: usize = 6 * TILES_PER_ROW + 8;

#[derive(Clone)]
struct Settlement {
    name: String,
    x: f64,
    y: f64,
    population: f64,
    /// Spread of the population, metres.
    sigma: f64,
    rank: u8, // 0 main town, 1 market town, 2 village
}

/// One service of the demo's catalogue.
struct Service {
    name: &'static str,
    category: &'static str,
    /// Contacts a year per 1,000 residents.
    rate: f64,
    /// Share by channel: face_to_face, phone, digital, post, email.
    channels: [f64; 5],
    /// Which site kinds offer it.
    kinds: &'static [&'static str],
}

const CHANNELS: [&str; 5] = ["face_to_face", "phone", "digital", "post", "email"];

const SERVICES: &[Service] = &[
    Service {
        name: "council tax",
        category: "simple",
        rate: 260.0,
        channels: [0.08, 0.27, 0.6, 0.03, 0.02],
        kinds: &["council_office"],
    },
    Service {
        name: "bins and recycling",
        category: "simple",
        rate: 220.0,
        channels: [0.03, 0.25, 0.7, 0.0, 0.02],
        kinds: &["council_office"],
    },
    Service {
        name: "parking permits",
        category: "simple",
        rate: 60.0,
        channels: [0.1, 0.2, 0.68, 0.02, 0.0],
        kinds: &["council_office", "kiosk"],
    },
    Service {
        name: "blue badge",
        category: "registered",
        rate: 18.0,
        channels: [0.3, 0.2, 0.4, 0.1, 0.0],
        kinds: &["council_office", "library"],
    },
    Service {
        name: "births deaths marriages",
        category: "registered",
        rate: 14.0,
        channels: [0.8, 0.2, 0.0, 0.0, 0.0],
        kinds: &["council_office"],
    },
    Service {
        name: "library services",
        category: "information",
        rate: 1500.0,
        channels: [0.72, 0.03, 0.25, 0.0, 0.0],
        kinds: &["library"],
    },
    Service {
        name: "information and advice",
        category: "information",
        rate: 120.0,
        channels: [0.3, 0.35, 0.3, 0.0, 0.05],
        kinds: &["library", "community_hub", "council_office"],
    },
    Service {
        name: "housing advice",
        category: "facilitated",
        rate: 35.0,
        channels: [0.5, 0.45, 0.0, 0.0, 0.05],
        kinds: &["council_office", "community_hub"],
    },
    Service {
        name: "adult social care",
        category: "facilitated",
        rate: 28.0,
        channels: [0.35, 0.6, 0.0, 0.0, 0.05],
        kinds: &["council_office", "community_hub"],
    },
    Service {
        name: "gp appointments",
        category: "facilitated",
        rate: 3200.0,
        channels: [0.7, 0.25, 0.05, 0.0, 0.0],
        kinds: &["gp_practice"],
    },
    Service {
        name: "jobseeker support",
        category: "facilitated",
        rate: 45.0,
        channels: [0.85, 0.1, 0.05, 0.0, 0.0],
        kinds: &["jobcentre"],
    },
    Service {
        name: "welfare benefits advice",
        category: "advocacy",
        rate: 22.0,
        channels: [0.7, 0.3, 0.0, 0.0, 0.0],
        kinds: &["community_hub", "council_office"],
    },
    Service {
        name: "homelessness",
        category: "advocacy",
        rate: 7.0,
        channels: [0.8, 0.2, 0.0, 0.0, 0.0],
        kinds: &["council_office"],
    },
    Service {
        name: "police front counter",
        category: "registered",
        rate: 9.0,
        channels: [0.5, 0.5, 0.0, 0.0, 0.0],
        kinds: &["police_station"],
    },
];

/// Street reports are placed by point, as a reporting app would.
const STREET_REPORTS: Service = Service {
    name: "street reports",
    category: "simple",
    rate: 90.0,
    channels: [0.0, 0.2, 0.8, 0.0, 0.0],
    kinds: &["council_office"],
};

const TOWNS: &[&str] = &[
    "Kingsbridge",
    "Ashworth",
    "Belminster",
    "Carrow",
    "Dunmere",
    "Elmford",
    "Fairhaven",
    "Greystone",
];
const PREFIX: &[&str] = &[
    "Upper", "Lower", "Great", "Little", "North", "South", "East", "West", "Long", "Kings",
];
const STEM: &[&str] = &[
    "Ashby", "Milton", "Stoke", "Sutton", "Norton", "Horton", "Marston", "Charlton", "Wootton",
    "Compton", "Bourton", "Kington", "Hinton", "Aston", "Newton", "Preston", "Weston", "Easton",
    "Radley", "Cumnor",
];

/// Options of a synthetic study.
#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    /// Seed of the random generator.
    pub seed: u64,
    /// Number of 40 × 30 km district tiles (1 for the demo).
    pub tiles: usize,
    /// Demand records per quarter (true) or per year (false, smaller files).
    pub quarterly: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            seed: 2024,
            tiles: 1,
            quarterly: true,
        }
    }
}

struct ZoneOut {
    id: String,
    name: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    population: f64,
    age_65_plus: f64,
    no_car: f64,
    imd_decile: u32,
}

struct SiteOut {
    id: String,
    name: String,
    agency: &'static str,
    kind: &'static str,
    x: f64,
    y: f64,
    annual_cost: f64,
    capacity: f64,
    floor_area: f64,
    tenure: &'static str,
    lease_end: String,
    condition: &'static str,
    fixed: bool,
    candidate: bool,
}

impl SiteOut {
    fn services(&self) -> Vec<&'static str> {
        SERVICES
            .iter()
            .chain(std::iter::once(&STREET_REPORTS))
            .filter(|s| s.kinds.contains(&self.kind))
            .map(|s| s.name)
            .collect()
    }
}

fn density(settlements: &[Settlement], x: f64, y: f64, rural: f64) -> f64 {
    let mut d = rural;
    for s in settlements {
        let r2 = (x - s.x).powi(2) + (y - s.y).powi(2);
        d += s.population / (2.0 * std::f64::consts::PI * s.sigma * s.sigma)
            * (-r2 / (2.0 * s.sigma * s.sigma)).exp();
    }
    d
}

fn expected_population(
    settlements: &[Settlement],
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    rural: f64,
) -> f64 {
    let n = 6;
    let mut acc = 0.0;
    for i in 0..n {
        for j in 0..n {
            let x = x0 + (x1 - x0) * (i as f64 + 0.5) / n as f64;
            let y = y0 + (y1 - y0) * (j as f64 + 0.5) / n as f64;
            acc += density(settlements, x, y, rural);
        }
    }
    acc / (n * n) as f64 * (x1 - x0) * (y1 - y0)
}

fn nearest_settlement(settlements: &[Settlement], x: f64, y: f64) -> &Settlement {
    settlements
        .iter()
        .min_by(|a, b| {
            let da = (a.x - x).powi(2) + (a.y - y).powi(2);
            let db = (b.x - x).powi(2) + (b.y - y).powi(2);
            da.total_cmp(&db)
        })
        .expect("a tile has settlements")
}

struct Tile {
    zones: Vec<ZoneOut>,
    sites: Vec<SiteOut>,
    stops: Vec<(String, String, f64, f64)>,
    settlements: Vec<Settlement>,
}

fn make_tile(rng: &mut Rng, t: usize) -> Tile {
    let slot = t + FIRST_SLOT;
    let (ox, oy) = (
        ORIGIN.0 + (slot % TILES_PER_ROW) as f64 * TILE_W,
        ORIGIN.1 + (slot / TILES_PER_ROW) as f64 * TILE_H,
    );
    // Settlements: one main town, two market towns, a dozen villages, kept apart.
    let mut settlements: Vec<Settlement> = Vec::new();
    let mut plan: Vec<(u8, f64)> = vec![(0, rng.range(38_000.0, 52_000.0))];
    for _ in 0..2 {
        plan.push((1, rng.range(11_000.0, 18_000.0)));
    }
    for _ in 0..13 {
        plan.push((2, rng.range(400.0, 3_200.0)));
    }
    for (k, (rank, pop)) in plan.into_iter().enumerate() {
        let min_gap: f64 = match rank {
            0 => 0.0,
            1 => 11_000.0,
            _ => 3_500.0,
        };
        let (mut x, mut y);
        let mut tries = 0;
        loop {
            let margin = if rank == 0 { 12_000.0 } else { 3_000.0 };
            x = ox + rng.range(margin, TILE_W - margin);
            y = oy + rng.range(margin * 0.8, TILE_H - margin * 0.8);
            tries += 1;
            if settlements.iter().all(|s| {
                ((s.x - x).powi(2) + (s.y - y).powi(2)).sqrt()
                    > min_gap.max(if s.rank < 2 { 6_000.0 } else { 0.0 })
            }) || tries > 200
            {
                break;
            }
        }
        let name = match rank {
            0 | 1 => TOWNS[(t * 3 + k) % TOWNS.len()].to_string(),
            _ => format!(
                "{} {}",
                PREFIX[rng.below(PREFIX.len())],
                STEM[rng.below(STEM.len())]
            ),
        };
        let sigma = match rank {
            0 => 1_900.0,
            1 => 1_100.0,
            _ => 250.0 + pop / 10.0,
        };
        settlements.push(Settlement {
            name,
            x,
            y,
            population: pop,
            sigma,
            rank,
        });
    }
    // Rural population: about 12% of the tile's people, spread evenly.
    let town_pop: f64 = settlements.iter().map(|s| s.population).sum();
    let rural = town_pop * 0.12 / (TILE_W * TILE_H);
    // Small areas: split cells until each holds about 1,500 people (as LSOAs do).
    let mut cells: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut stack: Vec<(f64, f64, f64, f64)> = Vec::new();
    // Start from 5 km squares, so rural areas are a few tens of km² as rural LSOAs are.
    for i in 0..8 {
        for j in 0..6 {
            stack.push((
                ox + i as f64 * 5_000.0,
                oy + j as f64 * 5_000.0,
                ox + (i + 1) as f64 * 5_000.0,
                oy + (j + 1) as f64 * 5_000.0,
            ));
        }
    }
    while let Some((x0, y0, x1, y1)) = stack.pop() {
        let p = expected_population(&settlements, x0, y0, x1, y1, rural);
        if p > 2_400.0 && x1 - x0 > 300.0 {
            let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            stack.extend([
                (x0, y0, mx, my),
                (mx, y0, x1, my),
                (x0, my, mx, y1),
                (mx, my, x1, y1),
            ]);
        } else {
            cells.push((x0, y0, x1, y1));
        }
    }
    cells.sort_by(|a, b| (a.1, a.0).partial_cmp(&(b.1, b.0)).expect("finite"));
    // Merge nearly empty cells' people into the count but keep every cell: areas tile the land.
    let mut counters: Vec<usize> = vec![0; settlements.len()];
    let mut zones = Vec::new();
    for (n, (x0, y0, x1, y1)) in cells.into_iter().enumerate() {
        let cx = (x0 + x1) / 2.0;
        let cy = (y0 + y1) / 2.0;
        let exp = expected_population(&settlements, x0, y0, x1, y1, rural);
        let population = (exp * (1.0 + 0.08 * rng.normal())).max(40.0).round();
        let s = nearest_settlement(&settlements, cx, cy);
        let si = settlements
            .iter()
            .position(|q| q.name == s.name && q.x == s.x)
            .expect("found");
        counters[si] += 1;
        let dist = ((s.x - cx).powi(2) + (s.y - cy).powi(2)).sqrt();
        let urban = (-(dist / (2.5 * s.sigma)).powi(2)).exp() * if s.rank < 2 { 1.0 } else { 0.3 };
        let old_share = (0.16 + 0.12 * (1.0 - urban) + 0.03 * rng.normal()).clamp(0.08, 0.4);
        let no_car_share =
            (0.06 + 0.3 * urban * if s.rank == 0 { 1.0 } else { 0.6 } + 0.03 * rng.normal())
                .clamp(0.02, 0.55);
        let imd = ((5.5 + 3.0 * rng.normal() - 2.5 * urban * if s.rank == 0 { 1.0 } else { 0.0 })
            .round() as i64)
            .clamp(1, 10) as u32;
        zones.push(ZoneOut {
            id: format!("DM{t:03}{n:04}"),
            name: format!("{} {:03}", s.name, counters[si]),
            x0,
            y0,
            x1,
            y1,
            population,
            age_65_plus: (population * old_share).round(),
            no_car: (population * no_car_share).round(),
            imd_decile: imd,
        });
    }
    // Sites of several agencies.
    let mut sites = Vec::new();
    let mut add = |rng: &mut Rng,
                   s: &Settlement,
                   spread: f64,
                   kind: &'static str,
                   agency: &'static str,
                   name: String,
                   cost: f64,
                   cap: f64,
                   area: f64,
                   fixed: bool,
                   candidate: bool| {
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
            name,
            agency,
            kind,
            x: (s.x + spread * rng.normal()).round(),
            y: (s.y + spread * rng.normal()).round(),
            annual_cost: (cost * rng.range(0.8, 1.25) / 100.0).round() * 100.0,
            capacity: (cap * rng.range(0.8, 1.2) / 100.0).round() * 100.0,
            floor_area: (area * rng.range(0.8, 1.2)).round(),
            tenure,
            lease_end,
            condition,
            fixed,
            candidate,
        });
    };
    for s in settlements.clone() {
        match s.rank {
            0 => {
                add(
                    rng,
                    &s,
                    150.0,
                    "council_office",
                    "County Council",
                    format!("{} Civic Centre", s.name),
                    1_450_000.0,
                    120_000.0,
                    5_200.0,
                    true,
                    false,
                );
                add(
                    rng,
                    &s,
                    250.0,
                    "library",
                    "County Council",
                    format!("{} Central Library", s.name),
                    620_000.0,
                    260_000.0,
                    2_400.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    1_400.0,
                    "library",
                    "County Council",
                    format!("{} Northgate Library", s.name),
                    180_000.0,
                    70_000.0,
                    600.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    300.0,
                    "police_station",
                    "Police",
                    format!("{} Police Station", s.name),
                    900_000.0,
                    15_000.0,
                    3_000.0,
                    // An operational station: its front counter is one use of the building.
                    true,
                    false,
                );
                add(
                    rng,
                    &s,
                    300.0,
                    "jobcentre",
                    "DWP",
                    format!("{} Jobcentre Plus", s.name),
                    400_000.0,
                    60_000.0,
                    1_200.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    1_200.0,
                    "community_hub",
                    "District Council",
                    format!("{} East Community Hub", s.name),
                    160_000.0,
                    30_000.0,
                    500.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    600.0,
                    "kiosk",
                    "District Council",
                    format!("{} Market Street Kiosk", s.name),
                    12_000.0,
                    20_000.0,
                    4.0,
                    false,
                    false,
                );
                for g in 0..(s.population / 7_000.0).round() as usize {
                    add(
                        rng,
                        &s,
                        1_300.0,
                        "gp_practice",
                        "NHS",
                        format!("{} Medical Practice {}", s.name, g + 1),
                        350_000.0,
                        60_000.0,
                        700.0,
                        false,
                        false,
                    );
                }
            }
            1 => {
                add(
                    rng,
                    &s,
                    200.0,
                    "council_office",
                    "District Council",
                    format!("{} Customer Service Centre", s.name),
                    520_000.0,
                    45_000.0,
                    1_400.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    200.0,
                    "library",
                    "County Council",
                    format!("{} Library", s.name),
                    260_000.0,
                    110_000.0,
                    900.0,
                    false,
                    false,
                );
                add(
                    rng,
                    &s,
                    300.0,
                    "police_station",
                    "Police",
                    format!("{} Police Front Counter", s.name),
                    220_000.0,
                    5_000.0,
                    400.0,
                    false,
                    false,
                );
                for g in 0..(s.population / 7_000.0).round().max(1.0) as usize {
                    add(
                        rng,
                        &s,
                        700.0,
                        "gp_practice",
                        "NHS",
                        format!("{} Surgery {}", s.name, g + 1),
                        300_000.0,
                        50_000.0,
                        600.0,
                        false,
                        false,
                    );
                }
                add(
                    rng,
                    &s,
                    500.0,
                    "community_hub",
                    "District Council",
                    format!("{} Community Centre", s.name),
                    90_000.0,
                    20_000.0,
                    350.0,
                    false,
                    false,
                );
            }
            _ => {
                if s.population > 2_000.0 {
                    add(
                        rng,
                        &s,
                        120.0,
                        "library",
                        "County Council",
                        format!("{} Library", s.name),
                        95_000.0,
                        35_000.0,
                        250.0,
                        false,
                        false,
                    );
                    add(
                        rng,
                        &s,
                        150.0,
                        "gp_practice",
                        "NHS",
                        format!("{} Surgery", s.name),
                        240_000.0,
                        40_000.0,
                        450.0,
                        false,
                        false,
                    );
                } else if s.population > 1_200.0 {
                    add(
                        rng,
                        &s,
                        120.0,
                        "community_hub",
                        "Parish Council",
                        format!("{} Village Hall Hub", s.name),
                        30_000.0,
                        8_000.0,
                        200.0,
                        false,
                        false,
                    );
                }
            }
        }
    }
    // Two candidate sites: a hub in the largest village without one, and a library kiosk.
    let mut villages: Vec<&Settlement> = settlements.iter().filter(|s| s.rank == 2).collect();
    villages.sort_by(|a, b| b.population.total_cmp(&a.population));
    if let Some(v) = villages.get(1).copied().cloned() {
        add(
            rng,
            &v,
            100.0,
            "community_hub",
            "District Council",
            format!("{} Community Hub (proposed)", v.name),
            80_000.0,
            15_000.0,
            300.0,
            false,
            true,
        );
    }
    if let Some(v) = villages.get(2).copied().cloned() {
        add(
            rng,
            &v,
            100.0,
            "library",
            "County Council",
            format!("{} Library Link (proposed)", v.name),
            40_000.0,
            12_000.0,
            120.0,
            false,
            true,
        );
    }
    // Bus stops: in settlements (one per ~450 people) and every ~600 m along roads between them.
    let mut stops = Vec::new();
    for s in &settlements {
        let n = (s.population / 450.0).ceil() as usize;
        for _ in 0..n {
            let (x, y) = (
                s.x + 1.1 * s.sigma * rng.normal(),
                s.y + 1.1 * s.sigma * rng.normal(),
            );
            stops.push((format!("{} stop", s.name), x, y));
        }
    }
    let hubs: Vec<usize> = (0..settlements.len())
        .filter(|&i| settlements[i].rank < 2)
        .collect();
    let mut roads: Vec<(usize, usize)> = Vec::new();
    for i in 0..settlements.len() {
        // Each settlement connects to its nearest town; towns connect to the main town.
        let target = if settlements[i].rank == 0 {
            continue;
        } else if settlements[i].rank == 1 {
            0
        } else {
            *hubs
                .iter()
                .min_by(|&&a, &&b| {
                    let da = (settlements[a].x - settlements[i].x)
                        .hypot(settlements[a].y - settlements[i].y);
                    let db = (settlements[b].x - settlements[i].x)
                        .hypot(settlements[b].y - settlements[i].y);
                    da.total_cmp(&db)
                })
                .expect("there are towns")
        };
        roads.push((i, target));
    }
    for (a, b) in roads {
        let (sa, sb) = (&settlements[a], &settlements[b]);
        let len = (sb.x - sa.x).hypot(sb.y - sa.y);
        let n = (len / 600.0) as usize;
        for k in 1..n {
            let f = k as f64 / n as f64;
            let (x, y) = (
                sa.x + (sb.x - sa.x) * f + 40.0 * rng.normal(),
                sa.y + (sb.y - sa.y) * f + 40.0 * rng.normal(),
            );
            stops.push((format!("{} Road", sb.name), x, y));
        }
    }
    let stops = stops
        .into_iter()
        .enumerate()
        .map(|(i, (name, x, y))| {
            (
                format!("{:04}BS{t:03}{i:04}", 3400 + t),
                name,
                x.clamp(ox, ox + TILE_W),
                y.clamp(oy, oy + TILE_H),
            )
        })
        .collect();
    Tile {
        zones,
        sites,
        stops,
        settlements,
    }
}

fn lonlat(x: f64, y: f64) -> Result<(f64, f64)> {
    Crs::bng().to_lonlat(x, y).map_err(Error::Internal)
}

fn write_file(dir: &Path, name: &str, text: &str) -> Result<()> {
    let p = dir.join(name);
    std::fs::write(&p, text).map_err(|e| Error::io(&p, e))
}

/// The study file of a synthetic study.
fn study_toml(options: &SynthOptions) -> String {
    format!(
        r#"# A synthetic district made by `frontdoor synth --seed {seed} --tiles {tiles}`: towns and
# villages, several agencies' sites, bus stops and a year of service demand. Not real data.
name = "Demoshire (synthetic)"
attribution = ["Synthetic data generated by frontdoor (seed {seed}); not a real place"]
demand_years = 1

[zones]
path = "zones.geojson"                   # small areas with polygons, WGS84
id = "code"
name = "name"
population = "population"
profile = ["age_65_plus", "no_car", "imd_decile"]
vulnerable = ["age_65_plus", "no_car"]

[[sites]]                                # buildings of several agencies, British National Grid
path = "sites.csv"
crs = "EPSG:27700"
x = "easting"
y = "northing"

[[sites]]                                # street furniture: one agency and kind for the file
path = "bus_stops.csv"
id = "atco_code"
name = "common_name"
agency = {{ value = "County Council (highways)" }}
kind = {{ value = "bus_stop" }}
lon = "longitude"
lat = "latitude"

[[demand]]                               # contacts by service, category and channel
path = "demand.csv"
zone = "zone"
site = "site"
lon = "lon"
lat = "lat"

[travel]
modes = ["walk", "cycle", "drive"]
bands = [10, 20, 30]
per_kind = true

[privacy]
suppress_below = 5

[[access]]                               # library services per head within 20 min walk
method = "2sfca"
mode = "walk"
service = "library services"
max_minutes = 20

[[access]]                               # GP capacity for people aged 65+ by car, stepped decay
method = "e2sfca"
mode = "drive"
service = "gp appointments"
supply = "capacity"
demand = "age_65_plus"
"#,
        seed = options.seed,
        tiles = options.tiles
    )
}

/// Writes a synthetic study (study.toml, zones.geojson, sites.csv, bus_stops.csv, demand.csv)
/// into `dir`.
pub fn write_study(dir: &Path, options: &SynthOptions) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut rng = Rng::new(options.seed);
    let tiles: Vec<Tile> = (0..options.tiles.max(1))
        .map(|t| make_tile(&mut rng, t))
        .collect();

    let mut zones = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut first = true;
    for z in tiles.iter().flat_map(|t| &t.zones) {
        let corners = [
            (z.x0, z.y0),
            (z.x1, z.y0),
            (z.x1, z.y1),
            (z.x0, z.y1),
            (z.x0, z.y0),
        ];
        let mut ring = Vec::new();
        for (x, y) in corners {
            let (lon, lat) = lonlat(x, y)?;
            ring.push(format!("[{},{}]", round7(lon), round7(lat)));
        }
        if !first {
            zones.push_str(",\n");
        }
        first = false;
        let _ = write!(
            zones,
            "{{\"type\":\"Feature\",\"properties\":{{\"code\":\"{}\",\"name\":\"{}\",\"population\":{},\"age_65_plus\":{},\"no_car\":{},\"imd_decile\":{}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}}}",
            z.id, z.name, z.population, z.age_65_plus, z.no_car, z.imd_decile, ring.join(",")
        );
    }
    zones.push_str("\n]}\n");
    write_file(dir, "zones.geojson", &zones)?;

    let mut sites = String::from("id,name,agency,kind,services,annual_cost,capacity,floor_area_m2,tenure,lease_end,condition,fixed,candidate,easting,northing\n");
    for s in tiles.iter().flat_map(|t| &t.sites) {
        let _ = writeln!(
            sites,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            s.id,
            s.name,
            s.agency,
            s.kind,
            s.services().join(";"),
            s.annual_cost,
            s.capacity,
            s.floor_area,
            s.tenure,
            s.lease_end,
            s.condition,
            s.fixed,
            s.candidate,
            s.x,
            s.y
        );
    }
    write_file(dir, "sites.csv", &sites)?;

    let mut stops = String::from("atco_code,common_name,longitude,latitude\n");
    for (id, name, x, y) in tiles.iter().flat_map(|t| &t.stops) {
        let (lon, lat) = lonlat(*x, *y)?;
        let _ = writeln!(stops, "{id},{name},{},{}", round7(lon), round7(lat));
    }
    write_file(dir, "bus_stops.csv", &stops)?;

    write_file(dir, "demand.csv", &demand_csv(&tiles, &mut rng, options)?)?;
    write_file(dir, "study.toml", &study_toml(options))?;
    let scenarios = dir.join("scenarios");
    std::fs::create_dir_all(&scenarios).map_err(|e| Error::io(&scenarios, e))?;
    for (name, text) in scenario_files(&tiles) {
        write_file(&scenarios, &name, &text)?;
    }
    Ok(())
}

/// Example scenarios for a synthetic study: close the three smallest libraries; move a town's
/// library and police counter into its council office; open the proposed sites and move 30% of
/// once-and-done face-to-face contacts online.
fn scenario_files(tiles: &[Tile]) -> Vec<(String, String)> {
    let sites: Vec<&SiteOut> = tiles.iter().flat_map(|t| &t.sites).collect();
    let quoted = |v: &[&SiteOut]| {
        v.iter()
            .map(|s| format!("\"{}\"", s.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    let mut libraries: Vec<&SiteOut> = sites
        .iter()
        .copied()
        .filter(|s| s.kind == "library" && !s.candidate)
        .collect();
    libraries.sort_by(|a, b| a.capacity.total_cmp(&b.capacity).then(a.id.cmp(&b.id)));
    libraries.truncate(3);
    let names: Vec<&str> = libraries.iter().map(|s| s.name.as_str()).collect();
    out.push((
        "close-small-libraries.toml".to_string(),
        format!(
            "description = \"Close the three smallest libraries ({})\"\nclose = [{}]\n",
            names.join(", "),
            quoted(&libraries)
        ),
    ));
    let near =
        |a: &SiteOut, b: &SiteOut| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() <= 1000.0;
    let share = sites
        .iter()
        .filter(|h| h.kind == "council_office" && !h.fixed && !h.candidate)
        .find_map(|h| {
            let guests: Vec<&SiteOut> = sites
                .iter()
                .copied()
                .filter(|g| {
                    (g.kind == "library" || g.kind == "police_station")
                        && !g.candidate
                        && near(h, g)
                })
                .collect();
            (!guests.is_empty()).then_some((*h, guests))
        });
    if let Some((host, guests)) = share {
        out.push((
            "share-town-hub.toml".to_string(),
            format!(
                "description = \"Move {} into {}\"\nshare = [{{ host = \"{}\", guests = [{}] }}]\n",
                guests
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
                host.name,
                host.id,
                quoted(&guests)
            ),
        ));
    }
    let proposed: Vec<&SiteOut> = sites.iter().copied().filter(|s| s.candidate).collect();
    out.push((
        "digital-first.toml".to_string(),
        format!(
            "description = \"Open the proposed sites; 30% of once-and-done face-to-face contacts move online\"\nopen = [{}]\n\n[[channel_shift]]\nshare = 0.3\nto = \"digital\"\n",
            quoted(&proposed)
        ),
    ));
    out
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

fn demand_csv(tiles: &[Tile], rng: &mut Rng, options: &SynthOptions) -> Result<String> {
    let mut out = String::from("service,category,channel,zone,site,date,count,lon,lat\n");
    let periods: &[&str] = if options.quarterly {
        &["2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01"]
    } else {
        &["2024-04-01"]
    };
    let share = 1.0 / periods.len() as f64;
    for tile in tiles {
        for z in &tile.zones {
            let (cx, cy) = ((z.x0 + z.x1) / 2.0, (z.y0 + z.y1) / 2.0);
            let old = z.age_65_plus / z.population.max(1.0);
            let deprived = (11.0 - z.imd_decile as f64) / 5.5;
            for svc in SERVICES {
                let mut rate = svc.rate * z.population / 1000.0;
                if svc.name == "adult social care" {
                    rate *= 0.5 + 3.0 * old;
                }
                if svc.category == "advocacy"
                    || svc.name == "housing advice"
                    || svc.name == "jobseeker support"
                {
                    rate *= deprived;
                }
                // Face-to-face contacts are recorded at the site that served them: mostly the
                // nearest offering one, sometimes the next.
                let mut offering: Vec<(f64, &SiteOut)> = tile
                    .sites
                    .iter()
                    .filter(|s| !s.candidate && svc.kinds.contains(&s.kind))
                    .map(|s| ((s.x - cx).hypot(s.y - cy), s))
                    .collect();
                offering.sort_by(|a, b| a.0.total_cmp(&b.0));
                for (c, ch) in CHANNELS.iter().enumerate() {
                    if svc.channels[c] == 0.0 {
                        continue;
                    }
                    for date in periods {
                        let expected = rate * svc.channels[c] * share;
                        let count = (expected * (1.0 + 0.15 * rng.normal())).round().max(0.0);
                        if count == 0.0 {
                            continue;
                        }
                        let site = if *ch == "face_to_face" && !offering.is_empty() {
                            let k = if rng.uniform() < 0.8 || offering.len() == 1 {
                                0
                            } else {
                                1
                            };
                            offering[k].1.id.as_str()
                        } else {
                            ""
                        };
                        let _ = writeln!(
                            out,
                            "{},{},{},{},{},{},{},,",
                            svc.name, svc.category, ch, z.id, site, date, count
                        );
                    }
                }
            }
            // Street reports by point, a few per zone.
            let reports = (STREET_REPORTS.rate * z.population / 1000.0 * share).round();
            let points = (reports / 6.0).ceil().min(8.0) as usize;
            for date in periods {
                for p in 0..points {
                    let (x, y) = (rng.range(z.x0, z.x1), rng.range(z.y0, z.y1));
                    let (lon, lat) = lonlat(x, y)?;
                    let c = (reports / points as f64).round().max(1.0);
                    let ch = if p % 5 == 0 { "phone" } else { "digital" };
                    let _ = writeln!(
                        out,
                        "{},{},{},,,{},{},{},{}",
                        STREET_REPORTS.name,
                        STREET_REPORTS.category,
                        ch,
                        date,
                        c,
                        round7(lon),
                        round7(lat)
                    );
                }
            }
        }
    }
    let _ = tiles.iter().map(|t| t.settlements.len()).sum::<usize>();
    Ok(out)
}

/// A study written to a temporary folder, removed when dropped.
pub struct TempStudy {
    path: std::path::PathBuf,
}

impl TempStudy {
    /// The folder holding the study.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempStudy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The demo study committed in `data/demo/` (seed 2024, one tile), carried inside the binary.
const DEMO_FILES: &[(&str, &[u8])] = &[
    ("study.toml", include_bytes!("../data/demo/study.toml")),
    (
        "zones.geojson",
        include_bytes!("../data/demo/zones.geojson"),
    ),
    ("sites.csv", include_bytes!("../data/demo/sites.csv")),
    (
        "bus_stops.csv",
        include_bytes!("../data/demo/bus_stops.csv"),
    ),
    ("demand.csv", include_bytes!("../data/demo/demand.csv")),
    (
        "scenarios/close-small-libraries.toml",
        include_bytes!("../data/demo/scenarios/close-small-libraries.toml"),
    ),
    (
        "scenarios/share-town-hub.toml",
        include_bytes!("../data/demo/scenarios/share-town-hub.toml"),
    ),
    (
        "scenarios/digital-first.toml",
        include_bytes!("../data/demo/scenarios/digital-first.toml"),
    ),
];

/// Writes the embedded demo study to a temporary folder.
pub fn embedded_demo() -> Result<TempStudy> {
    let path = std::env::temp_dir().join(format!("frontdoor-demo-{}", std::process::id()));
    std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    let study = TempStudy { path };
    for (name, bytes) in DEMO_FILES {
        let p = study.path.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))?;
    }
    Ok(study)
}

/// The demo's example scenario files inside a folder written by [`embedded_demo`], in order.
pub fn demo_scenarios(dir: &Path) -> Vec<PathBuf> {
    DEMO_FILES
        .iter()
        .filter(|(name, _)| name.starts_with("scenarios/"))
        .map(|(name, _)| dir.join(name))
        .collect()
}
