//! Travel times from another tool's matrix (`[travel] matrix`): the pairs the file gives,
//! within the largest band for the sparse matrix, and at any minutes for the nearest site.

use crate::model::{Study, TravelMatrix};
use crate::times::{nearest_overall_and_by_kind, ModeTimes, TimeBasis};

/// The travel times of study mode `mode` from the matrix.
pub fn matrix_times(study: &Study, matrix: &TravelMatrix, mode: usize) -> ModeTimes {
    let max = study.bands.largest() as f64;
    let mut by_site: Vec<Vec<(u32, f64)>> = vec![Vec::new(); study.sites.len()];
    // The pairs are sorted by site, then zone: each site's list is in zone order.
    for &(s, z, min) in &matrix.by_mode[mode] {
        if min <= max {
            by_site[s as usize].push((z, min));
        }
    }
    let pairs = &matrix.by_mode[mode];
    let (nearest, kind_nearest) = nearest_overall_and_by_kind(study, &|keep| {
        nearest_in_matrix(study.zones.len(), pairs, keep)
    });
    ModeTimes {
        params: study.modes[mode],
        basis: TimeBasis::Matrix,
        by_site,
        nearest,
        kind_nearest,
        transit: None,
    }
}

/// Per zone, the nearest site among those kept that the matrix gives a time for (ties: the
/// first site in study order); None where the matrix gives none.
pub fn nearest_in_matrix(
    zones: usize,
    pairs: &[(u32, u32, f64)],
    keep: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<(usize, f64)>> {
    let mut best: Vec<Option<(usize, f64)>> = vec![None; zones];
    for &(s, z, min) in pairs {
        let s = s as usize;
        if !keep(s) {
            continue;
        }
        let b = &mut best[z as usize];
        // Pairs come by site in study order, so a later site replaces only a strictly nearer one.
        if b.is_none_or(|(_, m)| min < m) {
            *b = Some((s, min));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_kept_site_wins_and_ties_go_to_the_first() {
        let pairs = vec![
            (0, 0, 5.0),
            (0, 1, 9.0),
            (1, 0, 5.0),
            (1, 1, 3.0),
            (2, 1, 1.0),
        ];
        let all = nearest_in_matrix(3, &pairs, &|_| true);
        assert_eq!(all, vec![Some((0, 5.0)), Some((2, 1.0)), None]);
        let no_two = nearest_in_matrix(3, &pairs, &|s| s != 2);
        assert_eq!(no_two[1], Some((1, 3.0)));
    }
}
