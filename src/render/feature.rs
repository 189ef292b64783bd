//! A spatial layer of outputs (a table with a geometry per row) and the encodings of its
//! geometries that the file formats share: WKB and bounding boxes.

use geo::{BoundingRect, Coord, Geometry, Point};

use crate::error::{Error, Result};
use crate::render::tables::OutTable;

/// The geometry of a feature.
#[derive(Debug, Clone)]
pub enum FeatureGeometry {
    /// A point, lon/lat.
    Point(Coord<f64>),
    /// Polygons, lon/lat, oriented.
    MultiPolygon(geo::MultiPolygon<f64>),
}

impl FeatureGeometry {
    /// The OGC name of the geometry type, as GeoParquet and GeoPackage list it.
    pub fn type_name(&self) -> &'static str {
        match self {
            FeatureGeometry::Point(_) => "Point",
            FeatureGeometry::MultiPolygon(_) => "MultiPolygon",
        }
    }

    /// The geometry as little-endian ISO WKB (2D).
    pub fn wkb(&self) -> Result<Vec<u8>> {
        let g: Geometry<f64> = match self {
            FeatureGeometry::Point(c) => Geometry::Point(Point(*c)),
            FeatureGeometry::MultiPolygon(m) => Geometry::MultiPolygon(m.clone()),
        };
        let mut out = Vec::new();
        let options = wkb::writer::WriteOptions {
            endianness: wkb::Endianness::LittleEndian,
        };
        wkb::writer::write_geometry(&mut out, &g, &options)
            .map_err(|e| Error::Output(format!("encoding a geometry as WKB: {e}")))?;
        Ok(out)
    }

    /// The bounding box `[xmin, ymin, xmax, ymax]`; None for an empty multipolygon.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        match self {
            FeatureGeometry::Point(c) => Some([c.x, c.y, c.x, c.y]),
            FeatureGeometry::MultiPolygon(m) => m.bounding_rect().map(|r| {
                let (lo, hi) = (r.min(), r.max());
                [lo.x, lo.y, hi.x, hi.y]
            }),
        }
    }
}

/// The union of bounding boxes; None when none is given.
pub fn union_bbox(boxes: impl IntoIterator<Item = [f64; 4]>) -> Option<[f64; 4]> {
    boxes.into_iter().reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

/// One spatial output: a table and, per row, its geometry (lon/lat, WGS84).
#[derive(Debug, Clone)]
pub struct Layer {
    /// The layer's name, also the stem of its files (`sites`, `scenario-recommended`).
    pub name: String,
    /// The attributes.
    pub table: OutTable,
    /// One geometry per row of `table`; None where a row has none.
    pub geometries: Vec<Option<FeatureGeometry>>,
    /// The geometry type declared when the layer has no rows (`Point`, `MultiPolygon`), so
    /// that an empty layer still opens as points or polygons.
    pub when_empty: &'static str,
}

impl Layer {
    /// The geometry types present, in OGC names, sorted and without repeats (of an empty
    /// layer, its declared type).
    pub fn geometry_types(&self) -> Vec<&'static str> {
        if self.geometries.iter().all(Option::is_none) {
            return vec![self.when_empty];
        }
        let mut t: Vec<&'static str> = self
            .geometries
            .iter()
            .flatten()
            .map(FeatureGeometry::type_name)
            .collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    /// The bounding box of every geometry.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        union_bbox(self.geometries.iter().flatten().filter_map(|g| g.bbox()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_wkb_is_the_iso_encoding() {
        // 01 (little-endian), type 1 (Point), then x and y as f64: 21 bytes.
        let w = FeatureGeometry::Point(Coord { x: 1.5, y: -2.0 })
            .wkb()
            .unwrap();
        let mut want = vec![1u8, 1, 0, 0, 0];
        want.extend(1.5f64.to_le_bytes());
        want.extend((-2.0f64).to_le_bytes());
        assert_eq!(w, want);
    }

    #[test]
    fn boxes_unite() {
        let b = union_bbox([[0.0, 1.0, 2.0, 3.0], [-1.0, 2.0, 1.0, 5.0]]);
        assert_eq!(b, Some([-1.0, 1.0, 2.0, 5.0]));
        assert_eq!(union_bbox([]), None);
    }
}
