//! Coordinate conversions against an independent implementation: expected values were computed
//! with pyproj 3.7 (PROJ 9) for the same points. PROJ without OS grid files uses the Helmert
//! transformation for EPSG:27700, about 1-2 m from OSTN15; UTM and Web Mercator are exact maths.

use frontdoor::crs::{Crs, Transformer};

use crate::support::close;

#[test]
fn utm_and_web_mercator_match_proj_to_the_millimetre() {
    // (lon, lat, EPSG, x, y) from pyproj: Transformer.from_crs(4326, EPSG, always_xy=True).
    let cases = [
        (-51.2177, -30.0346, 32722, 479010.6010, 6677360.7184),
        (24.9384, 60.1699, 32635, 385611.3167, 6672118.3803),
        (-1.2577, 51.752, 32630, 620265.3625, 5734891.7716),
        (-1.2577, 51.752, 3857, -140006.5236, 6755407.4917),
        (151.2093, -33.8688, 32756, 334368.6336, 6250948.3454),
    ];
    for (lon, lat, code, x, y) in cases {
        let crs = Crs::from_epsg(code).unwrap();
        let (gx, gy) = crs.from_lonlat(lon, lat).unwrap();
        close(gx, x, 0.001, &format!("EPSG:{code} x"));
        close(gy, y, 0.001, &format!("EPSG:{code} y"));
        let (blon, blat) = crs.to_lonlat(gx, gy).unwrap();
        close(blon, lon, 1e-9, "round trip lon");
        close(blat, lat, 1e-9, "round trip lat");
    }
}

#[test]
fn british_national_grid_agrees_with_proj_helmert_within_its_accuracy() {
    // Gloucester Green bus station, Oxford: pyproj (Helmert) 451003.16, 206380.72; the NaPTAN
    // file's own easting/northing (also pyproj) 451003.2, 206380.7.
    let bng = Crs::bng();
    let (e, n) = bng.from_lonlat(-1.2625258906, 51.7538038208).unwrap();
    close(e, 451003.16, 2.0, "easting");
    close(n, 206380.72, 2.0, "northing");
    let (lon, lat) = bng.to_lonlat(e, n).unwrap();
    close(lon, -1.2625258906, 1e-7, "lon back");
    close(lat, 51.7538038208, 1e-7, "lat back");
}

#[test]
fn every_bus_stop_in_the_naptan_file_agrees_with_its_published_grid_reference() {
    let Some(shared) = crate::support::shared() else {
        return;
    };
    let rows = crate::support::read_csv(
        &shared.join("data/oxfordshire-sites/bus_stops_naptan_oxfordshire_2016.csv"),
    );
    let bng = Crs::bng();
    let mut worst: f64 = 0.0;
    for r in &rows {
        let (lon, lat): (f64, f64) = (
            r["longitude"].parse().unwrap(),
            r["latitude"].parse().unwrap(),
        );
        let (e, n) = bng.from_lonlat(lon, lat).unwrap();
        let (pe, pn): (f64, f64) = (
            r["easting"].parse().unwrap(),
            r["northing"].parse().unwrap(),
        );
        worst = worst.max((e - pe).hypot(n - pn));
    }
    assert_eq!(rows.len(), 4337);
    // OSTN15 against PROJ's Helmert: a couple of metres at most across the county.
    assert!(worst < 3.0, "worst difference {worst} m");
}

#[test]
fn crs_names_parse_and_unknown_codes_are_refused() {
    assert_eq!(Crs::parse("EPSG:27700").unwrap().code(), 27700);
    assert_eq!(Crs::parse("epsg:4326").unwrap().code(), 4326);
    assert_eq!(
        Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84").unwrap().code(),
        4326
    );
    assert_eq!(
        Crs::parse("urn:ogc:def:crs:EPSG::32630").unwrap().code(),
        32630
    );
    assert!(Crs::parse("EPSG:99999")
        .unwrap_err()
        .contains("unknown CRS"));
    assert!(Crs::parse("British Grid").is_err());
    assert_eq!(Crs::utm_for(-1.25, 51.75).code(), 32630);
    assert_eq!(Crs::utm_for(-51.2, -30.0).code(), 32722);
    let t = Transformer::new(&Crs::bng(), &Crs::bng());
    assert_eq!(t.apply(1.5, 2.5).unwrap(), (1.5, 2.5));
}
