//! One district tile of a synthetic study: settlements with a realistic spread of people,
//! small areas, the agencies' buildings and bus stops.

use super::buildings::buildings;
use super::catalogue::{PREFIX, STEM, TOWNS};
use super::district::{Settlement, Tile, ZoneOut};
use crate::rng::Rng;

/// Width of one district tile, metres.
pub(super) const TILE_W: f64 = 40_000.0;
/// Height of one district tile, metres.
pub(super) const TILE_H: f64 = 30_000.0;
/// Tiles per row of the layout (15 × 40 km fits the grid's 700 km width).
pub(super) const TILES_PER_ROW: usize = 15;
/// Easting and northing of the layout's south-west corner (BNG).
pub(super) const ORIGIN: (f64, f64) = (60_000.0, 10_000.0);
/// Slot of the first tile in the layout: column 8, row 6, inland in southern England.
pub(super) const FIRST_SLOT: usize = 6 * TILES_PER_ROW + 8;

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

/// One district tile: settlements, small areas, buildings and bus stops.
pub(super) fn make_tile(rng: &mut Rng, t: usize) -> Tile {
    let slot = t + FIRST_SLOT;
    let (ox, oy) = (
        ORIGIN.0 + (slot % TILES_PER_ROW) as f64 * TILE_W,
        ORIGIN.1 + (slot / TILES_PER_ROW) as f64 * TILE_H,
    );
    let settlements = settlements(rng, t, ox, oy);
    let zones = small_areas(rng, t, ox, oy, &settlements);
    let sites = buildings(rng, t, &settlements);
    let stops = bus_stops(rng, t, ox, oy, &settlements);
    Tile {
        zones,
        sites,
        stops,
        settlements,
    }
}

/// One main town, two market towns and a dozen villages, kept apart.
fn settlements(rng: &mut Rng, t: usize, ox: f64, oy: f64) -> Vec<Settlement> {
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
    settlements
}

/// Small areas: cells split until each holds about 1,500 people (as LSOAs do), with
/// population and profile.
fn small_areas(
    rng: &mut Rng,
    t: usize,
    ox: f64,
    oy: f64,
    settlements: &[Settlement],
) -> Vec<ZoneOut> {
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
        let p = expected_population(settlements, x0, y0, x1, y1, rural);
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
        let exp = expected_population(settlements, x0, y0, x1, y1, rural);
        let population = (exp * (1.0 + 0.08 * rng.normal())).max(40.0).round();
        let s = nearest_settlement(settlements, cx, cy);
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
    zones
}

/// Bus stops: in settlements (one per ~450 people) and every ~600 m along roads between them.
fn bus_stops(
    rng: &mut Rng,
    t: usize,
    ox: f64,
    oy: f64,
    settlements: &[Settlement],
) -> Vec<(String, String, f64, f64)> {
    let mut stops = Vec::new();
    for s in settlements {
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
    stops
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
        .collect()
}
