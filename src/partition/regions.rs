//! Which region each zone belongs to: tiles of equal zone counts cut across the study's longer
//! side in turn (a k-d split), or the values of one of the zones' columns.

use std::collections::BTreeMap;

use geo::Coord;

/// Regions of the zones: a name per region, and per zone its region's index.
#[derive(Debug, Clone, PartialEq)]
pub struct Regions {
    /// The regions' names, in region order.
    pub names: Vec<String>,
    /// Per zone (study order): its region.
    pub of_zone: Vec<u32>,
}

impl Regions {
    /// `n` tiles holding as near the same number of zones as may be: the zones are cut in two
    /// across the longer side of their bounding box, in proportion to the tiles each side
    /// gets, and each side again, until every side is one tile. Ties of coordinate go by zone
    /// order, so the same zones always give the same tiles.
    pub fn tiles(points: &[Coord<f64>], n: usize) -> Regions {
        let n = n.clamp(1, points.len().max(1));
        let mut of_zone = vec![0u32; points.len()];
        let mut next = 0u32;
        let all: Vec<u32> = (0..points.len() as u32).collect();
        cut(points, all, n, &mut next, &mut of_zone);
        Regions {
            names: (1..=n).map(|t| format!("tile {t} of {n}")).collect(),
            of_zone,
        }
    }

    /// One region per distinct value, in sorted order of the values (as numbers where every
    /// value is one, so that 2 comes before 10).
    pub fn by_values(values: &[String]) -> Regions {
        let mut names: Vec<&str> = values.iter().map(String::as_str).collect();
        names.sort_unstable();
        names.dedup();
        let numbers: Option<Vec<f64>> = names.iter().map(|v| v.parse::<f64>().ok()).collect();
        if let Some(n) = numbers {
            let mut order: Vec<usize> = (0..names.len()).collect();
            order.sort_by(|&a, &b| n[a].total_cmp(&n[b]).then(names[a].cmp(names[b])));
            names = order.into_iter().map(|i| names[i]).collect();
        }
        let index: BTreeMap<&str, u32> = names
            .iter()
            .enumerate()
            .map(|(i, v)| (*v, i as u32))
            .collect();
        Regions {
            names: names.iter().map(|k| k.to_string()).collect(),
            of_zone: values.iter().map(|v| index[v.as_str()]).collect(),
        }
    }

    /// The zones of each region, in zone order.
    pub fn zones(&self) -> Vec<Vec<usize>> {
        let mut z = vec![Vec::new(); self.names.len()];
        for (i, &r) in self.of_zone.iter().enumerate() {
            z[r as usize].push(i);
        }
        z
    }
}

/// Splits `zones` into `n` tiles numbered from `next`.
fn cut(points: &[Coord<f64>], mut zones: Vec<u32>, n: usize, next: &mut u32, of: &mut [u32]) {
    if n <= 1 || zones.len() <= 1 {
        for &z in &zones {
            of[z as usize] = *next;
        }
        *next += n as u32;
        return;
    }
    let (lo, hi) = zones.iter().fold(
        (
            Coord {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Coord {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        ),
        |(lo, hi), &z| {
            let p = points[z as usize];
            (
                Coord {
                    x: lo.x.min(p.x),
                    y: lo.y.min(p.y),
                },
                Coord {
                    x: hi.x.max(p.x),
                    y: hi.y.max(p.y),
                },
            )
        },
    );
    let along_x = hi.x - lo.x >= hi.y - lo.y;
    let key = |z: &u32| {
        let p = points[*z as usize];
        if along_x {
            p.x
        } else {
            p.y
        }
    };
    zones.sort_by(|a, b| key(a).total_cmp(&key(b)).then(a.cmp(b)));
    let left = n / 2;
    let at = (zones.len() * left + n / 2) / n;
    let right = zones.split_off(at.clamp(1, zones.len() - 1));
    cut(points, zones, left, next, of);
    cut(points, right, n - left, next, of);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cut_the_longer_side_into_equal_counts() {
        // 8 points in a row along x, 2 high: 4 tiles of 4, 2, ... cut along x first.
        let points: Vec<Coord<f64>> = (0..16)
            .map(|i| Coord {
                x: (i % 8) as f64 * 10.0,
                y: (i / 8) as f64,
            })
            .collect();
        let r = Regions::tiles(&points, 4);
        let zones = r.zones();
        assert_eq!(zones.len(), 4);
        assert!(zones.iter().all(|z| z.len() == 4), "{zones:?}");
        // Each tile is two columns wide: x of 0-10, 20-30, 40-50, 60-70.
        for (t, z) in zones.iter().enumerate() {
            for &i in z {
                assert_eq!((i % 8) / 2, t, "zone {i} in tile {t}");
            }
        }
        // Three tiles of 16 zones: 5, 5, 6 (the cut in proportion to the tiles each side).
        let mut sizes: Vec<usize> = Regions::tiles(&points, 3)
            .zones()
            .iter()
            .map(Vec::len)
            .collect();
        sizes.sort();
        assert_eq!(sizes, vec![5, 5, 6]);
        // More tiles than zones: one zone each.
        assert_eq!(Regions::tiles(&points[..3], 10).names.len(), 3);
    }

    #[test]
    fn values_give_one_region_each_in_sorted_order() {
        let v: Vec<String> = ["b", "a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let r = Regions::by_values(&v);
        assert_eq!(r.names, vec!["a", "b", "c"]);
        assert_eq!(r.of_zone, vec![1, 0, 1, 2]);
        let v: Vec<String> = ["10", "2", "1", "2"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(Regions::by_values(&v).names, vec!["1", "2", "10"]);
    }
}
