//! The sites a part needs so that its zones' travel times are those of the whole study: every
//! site within the largest band of one of its zones, and each zone's nearest open site of every
//! kind, wherever it is.
//!
//! A zone's figures read only its own row of the travel-time matrix (the sites within the
//! largest band, and the nearest open site overall and of each kind), so a part needs no zones
//! beyond its own. With straight-line times, a site is within the largest band `B` of mode `m`
//! exactly when it lies within `B × speed / circuity` metres, so the buffer follows from the
//! largest band and the fastest mode; the nearest site of each kind is found in the whole
//! study, and every site of that kind as near (a tie) comes too. On a network, or with public
//! transport or another tool's matrix, a path's length says nothing sure of where it runs
//! short of the network's fastest speed, and the nearest site of a kind may be anywhere: every
//! site comes (sites are few beside zones and the network), and the part's searches are those
//! from its own zones.

use crate::index::PointIndex;
use crate::model::Study;

/// How far a part's sites reach beyond its zones.
#[derive(Debug, Clone, PartialEq)]
pub enum Buffer {
    /// Straight-line times: the radius, metres, of the largest band at the fastest mode.
    Metres(f64),
    /// Network or other times: every site.
    AllSites,
}

impl Buffer {
    /// The buffer a study's times need.
    pub fn of(study: &Study) -> Buffer {
        if study.network.is_some() || study.travel_matrix.is_some() || study.transit.is_some() {
            return Buffer::AllSites;
        }
        let largest = study.bands.largest() as f64;
        let metres = study
            .modes
            .iter()
            .map(|p| p.metres(largest))
            .fold(0.0, f64::max);
        Buffer::Metres(metres)
    }

    /// What the buffer is, in words for partition.json and the terminal.
    pub fn describe(&self, study: &Study) -> String {
        match self {
            Buffer::Metres(m) => format!(
                "{:.0} m: the largest band ({} min) at the fastest mode's straight-line speed, and each zone's nearest open site of every kind",
                m,
                study.bands.largest()
            ),
            Buffer::AllSites => {
                "every site: network (or other tools') times follow paths a straight line does not bound".to_string()
            }
        }
    }
}

/// The sites (study order) that the zones `core` need, by `buffer`.
pub fn sites_for(study: &Study, buffer: &Buffer, core: &[usize], index: &KindIndex) -> Vec<usize> {
    let n = study.sites.len();
    let radius = match buffer {
        Buffer::AllSites => return (0..n).collect(),
        Buffer::Metres(m) => m * (1.0 + 1e-9) + 1e-6,
    };
    let mut need = vec![false; n];
    for &z in core {
        let at = study.zones[z].point;
        index.all.for_each_within(at, radius, |s, _| need[s] = true);
        for kind in &index.kinds {
            // The nearest open site of the kind, and any other as near.
            if let Some((_, d)) = kind.nearest(at) {
                if d > radius {
                    kind.for_each_within(at, d * (1.0 + 1e-12), |s, _| need[s] = true);
                }
            }
        }
    }
    (0..n).filter(|&s| need[s]).collect()
}

/// R-trees of every site, and of the open sites of each kind.
pub struct KindIndex {
    all: PointIndex,
    kinds: Vec<PointIndex>,
}

impl KindIndex {
    /// Indexes the study's sites.
    pub fn new(study: &Study) -> KindIndex {
        let all = PointIndex::new(study.sites.iter().map(|s| s.point));
        let kinds = (0..study.kinds.len())
            .map(|k| {
                PointIndex::with_indices(
                    study
                        .sites
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| !s.candidate && study.kind_index(s) == k)
                        .map(|(i, s)| (i, s.point)),
                )
            })
            .collect();
        KindIndex { all, kinds }
    }
}
