//! The study's area (the zones' extent in the working CRS), for the one mistake in a point that
//! passes every range check: longitude and latitude swapped where both are plausible either
//! way (-1.25, 51.75 in Oxford given as 51.75, -1.25 lands in Somalia). A point outside the
//! area whose swapped coordinates fall inside it gets a hint saying so.

use geo::{BoundingRect, Coord, MultiPoint, Point, Rect};

use crate::crs::Crs;
use crate::model::Zone;

/// How far beyond the zones' extent a point still counts as in the area, metres.
const MARGIN_M: f64 = 5_000.0;

/// How far from the area a site must be for a swap to be an error rather than a site just
/// outside the zones, metres.
pub(crate) const FAR_M: f64 = 50_000.0;

/// The zones' extent, widened by 5 km.
pub(crate) struct StudyArea {
    rect: Rect<f64>,
    crs: Crs,
}

impl StudyArea {
    /// The area of `zones` (their polygons where they have them, else their points).
    pub fn of(zones: &[Zone], crs: &Crs) -> Option<StudyArea> {
        let corners: Vec<Point<f64>> = zones
            .iter()
            .flat_map(|z| {
                let r = z
                    .polygon
                    .as_ref()
                    .and_then(|p| p.bounding_rect())
                    .unwrap_or_else(|| Rect::new(z.point, z.point));
                [Point(r.min()), Point(r.max())]
            })
            .collect();
        let r = MultiPoint(corners).bounding_rect()?;
        let m = Coord {
            x: MARGIN_M,
            y: MARGIN_M,
        };
        Some(StudyArea {
            rect: Rect::new(r.min() - m, r.max() + m),
            crs: crs.clone(),
        })
    }

    /// How far a point of the working CRS is outside the area, metres (0 inside).
    pub fn distance(&self, p: Coord<f64>) -> f64 {
        let (lo, hi) = (self.rect.min(), self.rect.max());
        let dx = (lo.x - p.x).max(0.0).max(p.x - hi.x);
        let dy = (lo.y - p.y).max(0.0).max(p.y - hi.y);
        dx.hypot(dy)
    }

    /// For a point outside the area whose longitude and latitude, swapped, fall inside it:
    /// the hint ("the longitude and latitude look swapped: ...").
    pub fn swap_hint(&self, p: Coord<f64>) -> Option<String> {
        let outside = self.distance(p);
        if outside == 0.0 {
            return None;
        }
        let (lon, lat) = self.crs.to_lonlat(p.x, p.y).ok()?;
        if !(-90.0..=90.0).contains(&lon) {
            return None;
        }
        let (x, y) = self.crs.from_lonlat(lat, lon).ok()?;
        (self.distance(Coord { x, y }) == 0.0).then(|| {
            format!(
                "the longitude and latitude look swapped: as given (longitude {}, latitude {}) the point is {} km from the study's zones; swapped, it lies among them",
                round5(lon),
                round5(lat),
                crate::text::whole(outside / 1000.0)
            )
        })
    }
}

fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swapped_oxford_point_is_caught_and_a_right_one_is_not() {
        // A UTM zone places any point (British National Grid refuses those outside Britain).
        let crs = Crs::from_epsg(32630).unwrap();
        let (x, y) = crs.from_lonlat(-1.2577, 51.752).unwrap();
        let zone = Zone {
            id: "Z".into(),
            name: None,
            population: 1.0,
            profile: Vec::new(),
            point: Coord { x, y },
            polygon: None,
        };
        let area = StudyArea::of(&[zone], &crs).unwrap();
        assert!(area.swap_hint(Coord { x, y }).is_none());
        // 51.752, -1.2577 as lon, lat: in the Gulf of Guinea, thousands of km away.
        let (sx, sy) = crs.from_lonlat(51.752, -1.2577).unwrap();
        let hint = area.swap_hint(Coord { x: sx, y: sy }).unwrap();
        assert!(
            hint.contains("look swapped") && hint.contains("longitude 51.752"),
            "{hint}"
        );
    }
}
