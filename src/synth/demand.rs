//! The demand records of a synthetic study: contacts by service, category and channel per
//! zone and quarter (face to face at a nearby site offering the service), and street reports
//! by point.

use std::fmt::Write as _;

use super::catalogue::{CHANNELS, SERVICES, STREET_REPORTS};
use super::coords::{lonlat, round7};
use super::district::{SiteOut, Tile};
use super::SynthOptions;
use crate::error::Result;
use crate::rng::Rng;

/// The demand table (CSV).
pub(super) fn demand_csv(tiles: &[Tile], rng: &mut Rng, options: &SynthOptions) -> Result<String> {
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
