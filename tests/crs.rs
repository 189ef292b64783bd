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

#[test]
fn british_national_grid_reproduces_ordnance_surveys_ostn15_test_points() {
    // Ordnance Survey's published OSTN15 test data (OSTN15_OSGM15_TestInput_ETRStoOSGB.csv and
    // ..._TestOutput_ETRStoOSGB.csv, the 40 points TP01-TP40): ETRS89 lon, lat -> OSGB36 E, N.
    let points = [
        ("TP01", -6.29977752, 49.92226394, 91492.146, 11318.804),
        ("TP02", -5.2030461, 49.96006138, 170370.718, 11572.405),
        ("TP03", -4.108645636, 50.43885826, 250359.811, 62016.569),
        ("TP04", -1.297822772, 50.57563665, 449816.371, 75335.861),
        ("TP05", -1.450514337, 50.93127938, 438710.92, 114792.25),
        ("TP06", -3.551283492, 51.4007822, 292184.87, 168003.465),
        ("TP07", 1.444547304, 51.37447026, 639821.835, 169565.858),
        ("TP08", -2.544076183, 51.42754743, 362269.991, 169978.69),
        ("TP09", -0.119925572, 51.48936565, 530624.974, 178388.464),
        ("TP10", -4.30852477, 51.85890896, 241124.584, 220332.641),
        ("TP11", 0.89724327, 51.89436637, 599445.59, 225722.826),
        ("TP12", -2.154586144, 52.25529382, 389544.19, 261912.153),
        ("TP13", -0.91248957, 52.25160951, 474335.969, 262047.755),
        ("TP14", 0.401535471, 52.75136687, 562180.547, 319784.995),
        ("TP15", -1.197476559, 52.96219109, 454002.834, 340834.943),
        ("TP16", -2.640493208, 53.3448028, 357455.843, 383290.436),
        ("TP17", -4.289180698, 53.41628516, 247958.971, 393492.909),
        ("TP18", -4.289177929, 53.41630925, 247959.241, 393495.583),
        ("TP19", -3.040454907, 53.77911026, 331534.564, 431920.794),
        ("TP20", -1.663791682, 53.8002152, 422242.186, 433818.701),
        ("TP21", -4.634521682, 54.08666318, 227778.33, 468847.388),
        ("TP22", -0.077731332, 54.11685144, 525745.67, 470703.214),
        ("TP23", -4.388491181, 54.32919541, 244780.636, 495254.887),
        ("TP24", -2.938277411, 54.8954234, 339921.145, 556034.761),
        ("TP25", -1.616576852, 54.97912274, 424639.355, 565012.703),
        ("TP26", -4.296490163, 55.85399953, 256340.925, 664697.269),
        ("TP27", -3.294792193, 55.92478266, 319188.434, 670947.534),
        ("TP28", -5.828366919, 57.00606696, 167634.202, 797067.144),
        ("TP29", -2.048560307, 57.13902519, 397160.491, 805349.736),
        ("TP30", -4.219263986, 57.48625001, 267056.768, 846176.972),
        ("TP31", -8.578544561, 57.81351838, 9587.909, 899448.996),
        ("TP32", -7.592555606, 58.21262247, 71713.132, 938516.404),
        ("TP33", -6.260914555, 58.51560361, 151968.652, 966483.78),
        ("TP34", -3.726310221, 58.58120461, 299721.891, 967202.992),
        ("TP35", -3.214540011, 59.03743871, 330398.323, 1017347.016),
        ("TP36", -4.417576746, 59.09335035, 261596.778, 1025447.602),
        ("TP37", -5.827993398, 59.09671617, 180862.461, 1029604.114),
        ("TP38", -1.625169661, 59.53470794, 421300.525, 1072147.239),
        ("TP39", -1.274869104, 59.85409914, 440725.073, 1107878.448),
        ("TP40", -2.073828228, 60.13308092, 395999.668, 1138728.951),
    ];
    let bng = Crs::bng();
    for (id, lon, lat, e, n) in points {
        let (ge, gn) = bng.from_lonlat(lon, lat).unwrap();
        close(ge, e, 0.0015, &format!("{id} easting"));
        close(gn, n, 0.0015, &format!("{id} northing"));
        let (glon, glat) = bng.to_lonlat(e, n).unwrap();
        // 1e-7 degrees is about 1 cm.
        close(glon, lon, 1e-7, &format!("{id} lon"));
        close(glat, lat, 1e-7, &format!("{id} lat"));
    }
}

/// With `--features proj` (CI builds and tests it once): PROJ transforms the codes the default
/// build's EPSG list lacks, and says so in run.json. Values from pyproj (its PROJ 9.5.1):
/// Transformer.from_crs(4326, 9377, always_xy=True).transform(-74.0, 4.6).
#[cfg(feature = "proj")]
#[test]
fn with_the_proj_feature_codes_beyond_the_list_transform_through_proj() {
    assert!(Crs::engine().starts_with("PROJ "), "{}", Crs::engine());
    // MAGNA-SIRGAS / Origen-Nacional (Colombia, 2020): not in the default build's list.
    let c = Crs::parse("EPSG:9377").unwrap();
    assert!(c.is_metric() && !c.is_geographic());
    let (x, y) = c.from_lonlat(-74.0, 4.6).unwrap();
    close(x, 4_889_119.870_028_624, 0.001, "EPSG:9377 x");
    close(y, 2_066_372.845_696_751, 0.001, "EPSG:9377 y");
    let (lon, lat) = c.to_lonlat(x, y).unwrap();
    close(lon, -74.0, 1e-9, "round trip lon");
    close(lat, 4.6, 1e-9, "round trip lat");
    assert!(Crs::parse("EPSG:99999")
        .unwrap_err()
        .contains("unknown CRS"));
    // British National Grid stays on OSTN15 (the Gloucester Green check above holds).
    assert_eq!(Crs::parse("EPSG:27700").unwrap(), Crs::bng());
}

/// Without the feature, run.json says the transformations are pure Rust.
#[cfg(not(feature = "proj"))]
#[test]
fn without_the_proj_feature_the_engine_is_pure_rust() {
    assert_eq!(Crs::engine(), "proj4rs (pure Rust)");
    assert!(Crs::parse("EPSG:9377").unwrap_err().contains("unknown CRS"));
}
