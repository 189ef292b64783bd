//! What drawing many maps of one study needs once: each zone's box and each site's kind, and
//! R-trees of both, so that a close-up (a share proposal's map) visits only the zones and
//! sites in its extent. Without it each of a nation's thousand close-ups walked every zone's
//! outline and every site: the maps' cost grew with the square of the study.

use geo::{BoundingRect, Coord};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::model::Study;

/// The study's zones and sites indexed for drawing.
pub struct MapIndex {
    zones: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    sites: RTree<GeomWithData<[f64; 2], usize>>,
    /// Each site's kind (an index into the study's kinds).
    pub(crate) site_kind: Vec<usize>,
    /// Sites of each kind.
    pub(crate) counts: Vec<usize>,
}

impl MapIndex {
    /// Indexes a study's zones (by their outline's box, or their point) and sites.
    pub fn new(study: &Study) -> MapIndex {
        let zones = study
            .zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let (lo, hi) = match z.polygon.as_ref().and_then(|p| p.bounding_rect()) {
                    Some(r) => (r.min(), r.max()),
                    None => (z.point, z.point),
                };
                GeomWithData::new(Rectangle::from_corners([lo.x, lo.y], [hi.x, hi.y]), i)
            })
            .collect();
        let sites = study
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| GeomWithData::new([s.point.x, s.point.y], i))
            .collect();
        let site_kind: Vec<usize> = study.sites.iter().map(|s| study.kind_index(s)).collect();
        let mut counts = vec![0; study.kinds.len()];
        for &k in &site_kind {
            counts[k] += 1;
        }
        MapIndex {
            zones: RTree::bulk_load(zones),
            sites: RTree::bulk_load(sites),
            site_kind,
            counts,
        }
    }

    /// The zones whose box meets the extent (every zone without one), in study order.
    pub(crate) fn zones_in(&self, extent: Option<[Coord<f64>; 2]>) -> Vec<usize> {
        let Some([lo, hi]) = extent else {
            return (0..self.zones.size()).collect();
        };
        let mut v: Vec<usize> = self
            .zones
            .locate_in_envelope_intersecting(&AABB::from_corners([lo.x, lo.y], [hi.x, hi.y]))
            .map(|g| g.data)
            .collect();
        v.sort_unstable();
        v
    }

    /// The sites inside the extent (every site without one), in study order.
    pub(crate) fn sites_in(&self, extent: Option<[Coord<f64>; 2]>) -> Vec<usize> {
        let Some([lo, hi]) = extent else {
            return (0..self.site_kind.len()).collect();
        };
        let mut v: Vec<usize> = self
            .sites
            .locate_in_envelope(&AABB::from_corners([lo.x, lo.y], [hi.x, hi.y]))
            .map(|g| g.data)
            .collect();
        v.sort_unstable();
        v
    }
}
