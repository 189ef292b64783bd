//! QGIS layer styles (QML): sites coloured by their recommendation, as on report.html's map,
//! and zones shaded by minutes to the nearest site in the classes and colours of map.png.
//! Written beside the GeoJSON and GeoParquet layers (`<layer>.qml`, which QGIS loads with a
//! file of the same stem) and stored in the GeoPackage's `layer_styles` table.

use crate::render::symbols::RECOMMENDATION_COLOURS;

/// The QGIS version whose QML is written (read by QGIS 3.16 and later).
const QGIS_VERSION: &str = "3.28.0-Firenze";

fn rgba((r, g, b): (u8, u8, u8)) -> String {
    format!("{r},{g},{b},255")
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A symbol layer's options, as QML's `<Option type="Map">`.
fn options(pairs: &[(&str, String)]) -> String {
    let mut s = String::from("<Option type=\"Map\">");
    for (k, v) in pairs {
        s.push_str(&format!(
            "<Option name=\"{k}\" type=\"QString\" value=\"{}\"/>",
            esc(v)
        ));
    }
    s.push_str("</Option>");
    s
}

/// One symbol: a marker (points) or a fill (polygons) of `colour`.
fn symbol(name: usize, polygons: bool, colour: (u8, u8, u8)) -> String {
    let (kind, class, opts) = if polygons {
        (
            "fill",
            "SimpleFill",
            options(&[
                ("color", rgba(colour)),
                ("style", "solid".into()),
                ("outline_color", "150,150,150,255".into()),
                ("outline_style", "solid".into()),
                ("outline_width", "0.1".into()),
                ("outline_width_unit", "MM".into()),
            ]),
        )
    } else {
        (
            "marker",
            "SimpleMarker",
            options(&[
                ("color", rgba(colour)),
                ("name", "circle".into()),
                ("size", "2.6".into()),
                ("size_unit", "MM".into()),
                ("outline_color", "35,35,35,255".into()),
                ("outline_style", "solid".into()),
                ("outline_width", "0.2".into()),
                ("outline_width_unit", "MM".into()),
            ]),
        )
    };
    format!(
        "<symbol type=\"{kind}\" name=\"{name}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\" \
         frame_rate=\"10\" is_animated=\"0\"><data_defined_properties><Option type=\"Map\">\
         <Option name=\"name\" type=\"QString\" value=\"\"/><Option name=\"properties\"/>\
         <Option name=\"type\" type=\"QString\" value=\"collection\"/></Option>\
         </data_defined_properties><layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\">\
         {opts}</layer></symbol>"
    )
}

fn document(renderer: String) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"{QGIS_VERSION}\" \
         styleCategories=\"Symbology\">\n{renderer}\n<blendMode>0</blendMode>\
         <featureBlendMode>0</featureBlendMode><layerGeometryType>{}</layerGeometryType>\n</qgis>\n",
        if renderer.contains("type=\"fill\"") { 2 } else { 0 }
    )
}

/// The style of a sites layer: one colour per recommendation (sites of a run without
/// decisions fall in no category and are drawn grey).
pub fn recommendation_style() -> String {
    let mut cats = String::new();
    let mut syms = String::new();
    for (i, (value, label, colour)) in RECOMMENDATION_COLOURS.iter().enumerate() {
        cats.push_str(&format!(
            "<category value=\"{value}\" symbol=\"{i}\" label=\"{}\" render=\"true\" type=\"string\"/>",
            esc(label)
        ));
        syms.push_str(&symbol(i, false, *colour));
    }
    let other = RECOMMENDATION_COLOURS.len();
    cats.push_str(&format!(
        "<category value=\"\" symbol=\"{other}\" label=\"Other\" render=\"true\" type=\"string\"/>"
    ));
    syms.push_str(&symbol(other, false, (160, 160, 160)));
    document(format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"recommendation\" forceraster=\"0\" \
         symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\"><categories>{cats}</categories>\
         <symbols>{syms}</symbols></renderer-v2>"
    ))
}

/// The style of a zones layer shaded by `column` (minutes) in `classes` (upper limits with
/// labels, the last unbounded) and their `colours`; zones with no site within reach (a blank)
/// fall in the last class.
pub fn minutes_style(
    column: &str,
    classes: &[(f64, String)],
    colours: &[(u8, u8, u8)],
    polygons: bool,
) -> String {
    // A zone with no site in reach has no minutes: drawn in the last class.
    const BEYOND: f64 = 1.0e9;
    let attr = esc(&format!("coalesce(\"{column}\", {BEYOND})"));
    let mut ranges = String::new();
    let mut syms = String::new();
    let mut lower = 0.0;
    for (i, ((upper, label), colour)) in classes.iter().zip(colours).enumerate() {
        let upper = if upper.is_finite() { *upper } else { BEYOND };
        ranges.push_str(&format!(
            "<range lower=\"{lower}\" upper=\"{upper}\" symbol=\"{i}\" label=\"{}\" render=\"true\" \
             uuid=\"{{00000000-0000-0000-0000-{i:012}}}\"/>",
            esc(label)
        ));
        syms.push_str(&symbol(i, polygons, *colour));
        lower = upper;
    }
    document(format!(
        "<renderer-v2 type=\"graduatedSymbol\" attr=\"{attr}\" graduatedMethod=\"GraduatedColor\" \
         forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\">\
         <ranges>{ranges}</ranges><symbols>{syms}</symbols>\
         <mode name=\"manual\"/><rotation/><sizescale/></renderer-v2>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recommendation_has_a_category() {
        let q = recommendation_style();
        for (value, _, _) in RECOMMENDATION_COLOURS {
            assert!(
                q.contains(&format!("category value=\"{value}\"")),
                "{value}"
            );
        }
        assert!(q.starts_with("<!DOCTYPE qgis"));
    }

    #[test]
    fn minutes_ranges_are_contiguous_and_blank_is_far() {
        let classes = vec![
            (7.5, "a".into()),
            (15.0, "b".into()),
            (f64::INFINITY, "c".into()),
        ];
        let q = minutes_style("minutes_walk", &classes, &[(1, 2, 3); 3], true);
        assert!(q.contains("lower=\"0\" upper=\"7.5\""));
        assert!(q.contains("lower=\"7.5\" upper=\"15\""));
        assert!(q.contains("lower=\"15\" upper=\"1000000000\""));
        assert!(q.contains("coalesce(&quot;minutes_walk&quot;, 1000000000)"));
    }
}
