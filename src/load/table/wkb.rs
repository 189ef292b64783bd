//! Geometries stored as WKB (GeoParquet) or as GeoPackage blobs (a header, then WKB), read
//! with the georust `wkb` crate.

use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;

/// A WKB geometry as a geo geometry, or what is wrong with it.
pub(super) fn from_wkb(bytes: &[u8]) -> Result<Geometry<f64>, String> {
    let w = wkb::reader::read_wkb(bytes).map_err(|e| format!("not a valid WKB geometry: {e}"))?;
    w.try_to_geometry()
        .ok_or_else(|| "an empty point, which has no place".to_string())
}

/// A GeoPackage geometry blob (GeoPackage 1.x, section 2.1.3) as a geo geometry; None for an
/// empty geometry.
pub(super) fn from_gpkg_blob(b: &[u8]) -> Result<Option<Geometry<f64>>, String> {
    if b.len() < 8 || &b[..2] != b"GP" {
        return Err("not a GeoPackage geometry (it does not start with \"GP\")".into());
    }
    let flags = b[3];
    if flags & 0b0010_0000 != 0 {
        return Err("an extended GeoPackage geometry, which frontdoor does not read".into());
    }
    if flags & 0b0001_0000 != 0 {
        return Ok(None);
    }
    // Envelope: none, xy, xyz, xym, xyzm: 0, 4, 6, 6 or 8 doubles.
    let doubles = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 4,
        2 | 3 => 6,
        4 => 8,
        e => return Err(format!("an unknown envelope code {e}")),
    };
    let start = 8 + 8 * doubles;
    if b.len() <= start {
        return Err("a GeoPackage geometry cut short".into());
    }
    from_wkb(&b[start..]).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_blob_reads_back() {
        let mut b = vec![b'G', b'P', 0, 1];
        b.extend(27700i32.to_le_bytes());
        b.extend([1, 1, 0, 0, 0]);
        b.extend(450000.0f64.to_le_bytes());
        b.extend(206000.5f64.to_le_bytes());
        match from_gpkg_blob(&b).unwrap() {
            Some(Geometry::Point(p)) => assert_eq!((p.x(), p.y()), (450000.0, 206000.5)),
            other => panic!("{other:?}"),
        }
        assert!(from_gpkg_blob(b"XX").is_err());
        b[3] = 0b1_0001;
        assert!(from_gpkg_blob(&b).unwrap().is_none(), "the empty flag");
    }
}
