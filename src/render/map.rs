//! The overview map: zones shaded by minutes to the nearest site, sites as symbols by kind,
//! a legend, a scale bar and the attribution. Drawn with plotters to PNG and SVG.

use std::sync::Once;

use geo::{BoundingRect, Coord};
use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Error, Result};
use crate::model::Study;
use crate::reach::{Reach, TimeBasis};
use crate::render::map_index::MapIndex;
use crate::render::symbols::{outline, symbol, Shape};

/// Image height in pixels; the width follows the study area's shape.
pub const HEIGHT: u32 = 1000;
/// Widest the map part of the image may be, in pixels.
const MAX_MAP_WIDTH: f64 = 1500.0;
/// Narrowest the map part may be, so the scale bar and north arrow fit.
const MIN_MAP_WIDTH: f64 = 520.0;
const PANEL: i32 = 330;
const MARGIN: i32 = 24;
const FONT: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans, brought by cargo: no system fonts are needed.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Colour classes of minutes to the nearest site: the band limits, halves of the first band,
/// and beyond the last.
pub(crate) fn classes(bands: &[u32]) -> Vec<(f64, String)> {
    let mut out = Vec::new();
    let first = bands[0] as f64;
    out.push((
        first / 2.0,
        format!("up to {} min", format_minutes(first / 2.0)),
    ));
    let mut lo = first / 2.0;
    for &b in bands {
        out.push((b as f64, format!("{}-{} min", format_minutes(lo), b)));
        lo = b as f64;
    }
    out.push((
        f64::INFINITY,
        format!("over {} min", bands[bands.len() - 1]),
    ));
    out
}

fn format_minutes(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{}", m as i64)
    } else {
        format!("{m:.1}")
    }
}

/// A sequential ramp from pale yellow (near) to dark blue (far).
pub(crate) fn ramp(i: usize, n: usize) -> RGBColor {
    const STOPS: [(u8, u8, u8); 6] = [
        (255, 255, 204),
        (199, 233, 180),
        (127, 205, 187),
        (65, 182, 196),
        (44, 127, 184),
        (37, 52, 148),
    ];
    let t = if n <= 1 {
        0.0
    } else {
        i as f64 / (n - 1) as f64
    };
    let x = t * (STOPS.len() - 1) as f64;
    let k = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - k as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Kinds with more sites than this are drawn as small dots (street furniture).
const MANY: usize = 150;

struct View {
    min: Coord<f64>,
    scale: f64,
    /// Pixel row of the map's bottom edge.
    bottom: i32,
    /// Pixel column where the map starts (centred in its part of the image).
    left: i32,
}

impl View {
    fn px(&self, c: Coord<f64>) -> (i32, i32) {
        let x = self.left as f64 + (c.x - self.min.x) * self.scale;
        let y = self.bottom as f64 - (c.y - self.min.y) * self.scale;
        (x.round() as i32, y.round() as i32)
    }
}

/// Where everything goes: the image width, the map's scale and place, the footer.
struct Layout {
    width: u32,
    map_width: i32,
    view: View,
    lo: Coord<f64>,
    hi: Coord<f64>,
    footer_lines: Vec<String>,
}

/// The smallest box holding every `(lower-left, upper-right)` box given.
pub fn envelope(boxes: impl IntoIterator<Item = (Coord<f64>, Coord<f64>)>) -> [Coord<f64>; 2] {
    let mut lo = Coord {
        x: f64::MAX,
        y: f64::MAX,
    };
    let mut hi = Coord {
        x: f64::MIN,
        y: f64::MIN,
    };
    for (a, b) in boxes {
        lo = Coord {
            x: lo.x.min(a.x),
            y: lo.y.min(a.y),
        };
        hi = Coord {
            x: hi.x.max(b.x),
            y: hi.y.max(b.y),
        };
    }
    [lo, hi]
}

fn layout(study: &Study, basis: TimeBasis, extent: Option<[Coord<f64>; 2]>) -> Layout {
    let [lo, hi] = extent.unwrap_or_else(|| {
        envelope(study.zones.iter().map(
            |z| match z.polygon.as_ref().and_then(|p| p.bounding_rect()) {
                Some(r) => (r.min(), r.max()),
                None => (z.point, z.point),
            },
        ))
    });
    let mut footer_lines: Vec<String> = study.attribution.clone();
    footer_lines.push(format!(
        "frontdoor {} · {} · {}",
        env!("CARGO_PKG_VERSION"),
        study.crs,
        match basis {
            TimeBasis::StraightLine => "travel times are straight-line estimates",
            TimeBasis::Network =>
                "travel times on the OpenStreetMap network (© OpenStreetMap contributors, ODbL)",
            TimeBasis::PublicTransport =>
                "travel times by public transport (GTFS timetables) and on the OpenStreetMap network (© OpenStreetMap contributors, ODbL)",
            TimeBasis::Matrix => "travel times read from the study's travel-time matrix (another tool's)",
        }
    ));
    let footer = 15 * footer_lines.len() as i32 + 16;
    let (dx, dy) = ((hi.x - lo.x).max(1.0), (hi.y - lo.y).max(1.0));
    let map_h = (HEIGHT as i32 - footer - 2 * MARGIN) as f64;
    let scale = (map_h / dy).min(MAX_MAP_WIDTH / dx);
    let map_width = (dx * scale).max(MIN_MAP_WIDTH) as i32 + 2 * MARGIN;
    let drawn_w = (dx * scale) as i32;
    let view = View {
        min: lo,
        scale,
        bottom: MARGIN + (dy * scale).round() as i32,
        left: MARGIN + (map_width - 2 * MARGIN - drawn_w) / 2,
    };
    Layout {
        width: (map_width + PANEL) as u32,
        map_width,
        view,
        lo,
        hi,
        footer_lines,
    }
}

/// What the zones are shaded by: minutes by one mode to the nearest site, or to the nearest site
/// of one kind.
fn shading(study: &Study, reach: &Reach) -> (usize, Option<usize>) {
    let m = study
        .map_mode
        .and_then(|mode| reach.modes.iter().position(|r| r.params.mode == mode))
        .unwrap_or(0);
    let k = study
        .map_kind
        .as_ref()
        .and_then(|k| study.kinds.iter().position(|x| x == k));
    (m, k)
}

fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shape: Shape,
    at: (i32, i32),
    size: i32,
    colour: RGBColor,
    filled: bool,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = if filled {
        colour.filled()
    } else {
        colour.stroke_width(2)
    };
    if shape == Shape::Circle {
        return area.draw(&Circle::new(at, size, style));
    }
    let corners: Vec<(i32, i32)> = outline(shape, at.0 as f64, at.1 as f64, size as f64)
        .into_iter()
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect();
    if filled {
        area.draw(&Polygon::new(corners, style))
    } else {
        let mut ring = corners.clone();
        ring.push(corners[0]);
        area.draw(&PathElement::new(ring, style))
    }
}

/// The colour of a kind's symbol.
fn kind_colour(kind: &str) -> RGBColor {
    let (r, g, b) = symbol(kind).colour;
    RGBColor(r, g, b)
}

/// What a map shows: a colour per zone with its legend, and marks on changed sites.
pub struct Shading {
    /// Lines above the legend saying what the colours are.
    pub heading: Vec<String>,
    /// Per zone, its colour.
    pub zone_colour: Vec<RGBColor>,
    /// Legend entries, top to bottom.
    pub legend: Vec<(RGBColor, String)>,
    /// Sites marked with a red cross (closed, not chosen), and the legend's word for them.
    pub closed: Vec<usize>,
    /// Legend text for the crossed sites.
    pub closed_label: String,
    /// Sites ringed (opened, hosting, chosen).
    pub ringed: Vec<usize>,
    /// Legend text for the ringed sites.
    pub ringed_label: String,
    /// Draw only this part of the study area (lower-left and upper-right corners, working CRS);
    /// None: all of it.
    pub extent: Option<[Coord<f64>; 2]>,
}

/// The overview map's shading: minutes by one mode to the nearest site (of one kind).
fn baseline_shading(study: &Study, reach: &Reach) -> Shading {
    let (m, kind) = shading(study, reach);
    let mode = &reach.modes[m];
    let minutes = |z: usize| -> Option<f64> {
        match kind {
            Some(k) => mode.zones[z].kind_nearest[k].map(|n| n.1),
            None => mode.zones[z].nearest.map(|n| n.1),
        }
    };
    let classes = classes(&study.bands);
    let class_of = |m: Option<f64>| -> usize {
        match m {
            Some(m) => classes
                .iter()
                .position(|(lim, _)| m <= *lim)
                .unwrap_or(classes.len() - 1),
            None => classes.len() - 1,
        }
    };
    let what = match kind {
        Some(k) => format!(
            "Minutes to the nearest {}, {}",
            study.kinds[k], mode.params.mode
        ),
        None => format!("Minutes to the nearest site, {}", mode.params.mode),
    };
    Shading {
        heading: vec![what, basis_note(mode.times.basis).into()],
        zone_colour: (0..study.zones.len())
            .map(|z| ramp(class_of(minutes(z)), classes.len()))
            .collect(),
        legend: classes
            .iter()
            .enumerate()
            .map(|(i, (_, l))| (ramp(i, classes.len()), l.clone()))
            .collect(),
        closed: Vec::new(),
        closed_label: String::new(),
        ringed: Vec::new(),
        ringed_label: String::new(),
        extent: None,
    }
}

/// Splits text into lines of at most `width` characters at spaces (longer words stay whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// How travel times were found, as a legend line.
pub fn basis_note(basis: TimeBasis) -> &'static str {
    match basis {
        TimeBasis::StraightLine => "(straight-line estimate)",
        TimeBasis::Network => "(on the OpenStreetMap network)",
        TimeBasis::PublicTransport => "(by public transport, from GTFS timetables)",
        TimeBasis::Matrix => "(from the study's travel-time matrix)",
    }
}

/// The map mode's index among the study's modes.
pub fn map_mode(study: &Study) -> usize {
    study
        .map_mode
        .and_then(|mode| study.modes.iter().position(|p| p.mode == mode))
        .unwrap_or(0)
}

/// What drawing on a backend gives.
type Drawn<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    study: &Study,
    shade: &Shading,
    lay: &Layout,
    index: &MapIndex,
) -> Drawn<DB> {
    area.fill(&WHITE)?;
    let map_area = area.clone().shrink((0, 0), (lay.map_width as u32, HEIGHT));
    draw_zones(&map_area, study, shade, lay, index)?;
    draw_sites(area, &map_area, study, shade, lay, index)?;
    draw_scale_and_north(area, lay)?;
    draw_legend(area, study, shade, lay, &index.counts)?;
    draw_attribution(area, lay)
}

/// The zones in their colours (within the extent of a close-up).
fn draw_zones<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    study: &Study,
    shade: &Shading,
    lay: &Layout,
    index: &MapIndex,
) -> Drawn<DB> {
    let view = &lay.view;
    let map_area = area;
    let extent = shade.extent.map(|_| [lay.lo, lay.hi]);
    for i in index.zones_in(extent) {
        let z = &study.zones[i];
        let colour = shade.zone_colour[i];
        match &z.polygon {
            Some(mp) => {
                for p in &mp.0 {
                    let pts: Vec<(i32, i32)> = p.exterior().0.iter().map(|c| view.px(*c)).collect();
                    map_area.draw(&Polygon::new(pts.clone(), colour.filled()))?;
                    map_area.draw(&PathElement::new(
                        pts,
                        RGBColor(150, 150, 150).stroke_width(1),
                    ))?;
                }
            }
            None => {
                map_area.draw(&Circle::new(view.px(z.point), 5, colour.filled()))?;
            }
        }
    }
    Ok(())
}

/// Sites: street furniture first (small dots), then buildings on top; the ringed and crossed
/// sites; in a close-up, their names, and white margins.
fn draw_sites<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    map_area: &DrawingArea<DB, Shift>,
    study: &Study,
    shade: &Shading,
    lay: &Layout,
    index: &MapIndex,
) -> Drawn<DB> {
    let view = &lay.view;
    let shown = index.sites_in(Some([lay.lo, lay.hi]));
    for pass in [true, false] {
        for &i in &shown {
            let (s, k) = (&study.sites[i], index.site_kind[i]);
            if (index.counts[k] > MANY) != pass {
                continue;
            }
            let colour = kind_colour(&s.kind);
            let shape = symbol(&s.kind).shape;
            let at = view.px(s.point);
            if pass {
                map_area.draw(&Circle::new(at, 1, colour.filled()))?;
            } else {
                marker(map_area, shape, at, 6, WHITE, true)?;
                marker(map_area, shape, at, 4, colour, !s.candidate)?;
            }
        }
    }
    for &j in &shade.ringed {
        let at = view.px(study.sites[j].point);
        map_area.draw(&Circle::new(at, 9, RGBColor(0, 90, 50).stroke_width(3)))?;
    }
    for &j in &shade.closed {
        let (x, y) = view.px(study.sites[j].point);
        for (a, b) in [
            ((x - 7, y - 7), (x + 7, y + 7)),
            ((x - 7, y + 7), (x + 7, y - 7)),
        ] {
            map_area.draw(&PathElement::new(vec![a, b], WHITE.stroke_width(5)))?;
            map_area.draw(&PathElement::new(
                vec![a, b],
                RGBColor(200, 0, 0).stroke_width(3),
            ))?;
        }
    }
    if shade.extent.is_some() {
        // A close-up: name the marked sites.
        let label = (FONT, 26).into_font();
        for &j in shade.ringed.iter().chain(&shade.closed) {
            let (x, y) = view.px(study.sites[j].point);
            area.draw(&Text::new(
                study.sites[j].name.clone(),
                (x + 14, y - 12),
                label.clone(),
            ))?;
        }
        // Zones cut by the extent may spill beyond the map: white out the margins and panel.
        let (w, h) = (lay.width as i32, HEIGHT as i32);
        for r in [
            [(0, 0), (w, MARGIN)],
            [(0, view.bottom), (w, h)],
            [(0, 0), (MARGIN, h)],
            [(lay.map_width - MARGIN, 0), (w, h)],
        ] {
            area.draw(&Rectangle::new(r, WHITE.filled()))?;
        }
    }
    Ok(())
}

/// The scale bar at the map's bottom left, and the north arrow top right.
fn draw_scale_and_north<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lay: &Layout,
) -> Drawn<DB> {
    let view = &lay.view;
    let target = (lay.map_width - 2 * MARGIN) as f64 / 5.0 / view.scale;
    let nice = [
        100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6,
    ];
    let len_m = nice
        .iter()
        .copied()
        .rfind(|n| *n <= target)
        .unwrap_or(100.0);
    let len_px = (len_m * view.scale).round() as i32;
    let (x0, y0) = (MARGIN + 8, view.bottom + 22);
    let label = if len_m >= 1000.0 {
        format!("{} km", len_m / 1000.0)
    } else {
        format!("{len_m} m")
    };
    area.draw(&Rectangle::new(
        [(x0, y0), (x0 + len_px, y0 + 6)],
        BLACK.filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0 + len_px / 2, y0 + 1), (x0 + len_px - 1, y0 + 5)],
        WHITE.filled(),
    ))?;
    area.draw(&Text::new(
        label,
        (x0 + len_px + 8, y0 - 4),
        (FONT, 14).into_font(),
    ))?;
    area.draw(&Text::new(
        "N ↑",
        (lay.map_width - MARGIN - 30, MARGIN),
        (FONT, 18).into_font(),
    ))?;
    Ok(())
}

/// The legend panel: the study, the shading and every kind of site.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    study: &Study,
    shade: &Shading,
    lay: &Layout,
    counts: &[usize],
) -> Drawn<DB> {
    let px = lay.map_width + 10;
    let mut y = MARGIN;
    let title = (FONT, 20, FontStyle::Bold).into_font();
    let body = (FONT, 14).into_font();
    area.draw(&Text::new(study.name.clone(), (px, y), title))?;
    y += 34;
    for line in shade.heading.iter().flat_map(|l| wrap(l, 44)) {
        area.draw(&Text::new(line, (px, y), body.clone()))?;
        y += 18;
    }
    y += 6;
    for (colour, label) in &shade.legend {
        area.draw(&Rectangle::new(
            [(px, y), (px + 26, y + 16)],
            colour.filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(px, y), (px + 26, y + 16)],
            RGBColor(120, 120, 120).stroke_width(1),
        ))?;
        area.draw(&Text::new(label.clone(), (px + 36, y + 1), body.clone()))?;
        y += 22;
    }
    y += 14;
    area.draw(&Text::new(
        "Sites",
        (px, y),
        (FONT, 16, FontStyle::Bold).into_font(),
    ))?;
    y += 24;
    for (k, kind) in study.kinds.iter().enumerate() {
        let colour = kind_colour(kind);
        if counts[k] > MANY {
            area.draw(&Circle::new((px + 13, y + 8), 2, colour.filled()))?;
        } else {
            marker(area, symbol(kind).shape, (px + 13, y + 8), 5, colour, true)?;
        }
        area.draw(&Text::new(
            format!("{kind} ({})", counts[k]),
            (px + 36, y + 1),
            body.clone(),
        ))?;
        y += 22;
        if y > HEIGHT as i32 - 140 {
            break;
        }
    }
    if study.sites.iter().any(|s| s.candidate) {
        marker(area, Shape::Circle, (px + 13, y + 8), 4, BLACK, false)?;
        area.draw(&Text::new(
            "candidate (hollow)",
            (px + 36, y + 1),
            body.clone(),
        ))?;
        y += 22;
    }
    if !shade.closed.is_empty() {
        let (x, yc) = (px + 13, y + 8);
        for (a, b) in [
            ((x - 7, yc - 7), (x + 7, yc + 7)),
            ((x - 7, yc + 7), (x + 7, yc - 7)),
        ] {
            area.draw(&PathElement::new(
                vec![a, b],
                RGBColor(200, 0, 0).stroke_width(3),
            ))?;
        }
        area.draw(&Text::new(
            shade.closed_label.clone(),
            (px + 36, y + 1),
            body.clone(),
        ))?;
        y += 22;
    }
    if !shade.ringed.is_empty() {
        area.draw(&Circle::new(
            (px + 13, y + 8),
            9,
            RGBColor(0, 90, 50).stroke_width(3),
        ))?;
        area.draw(&Text::new(
            shade.ringed_label.clone(),
            (px + 36, y + 1),
            body.clone(),
        ))?;
    }
    Ok(())
}

/// The attribution lines at the bottom.
fn draw_attribution<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lay: &Layout) -> Drawn<DB> {
    let small = (FONT, 12).into_font().color(&RGBColor(80, 80, 80));
    let mut ya = HEIGHT as i32 - 8 - 15 * (lay.footer_lines.len() as i32 - 1);
    for l in &lay.footer_lines {
        area.draw(&Text::new(
            l.clone(),
            (MARGIN, ya),
            small.clone().pos(Pos::new(HPos::Left, VPos::Bottom)),
        ))?;
        ya += 15;
    }
    Ok(())
}

/// Draws the overview map: the PNG file's bytes and the SVG text.
pub fn render(study: &Study, reach: &Reach) -> Result<(Vec<u8>, String)> {
    render_shading(study, reach.map_basis(), &baseline_shading(study, reach))
}

/// Draws a map of zones shaded as given: the PNG file's bytes and the SVG text. The picture is
/// drawn in memory and encoded here, so writing it is an ordinary file write (whose failure,
/// a full disk say, is reported like any other).
pub fn render_shading(
    study: &Study,
    basis: TimeBasis,
    shade: &Shading,
) -> Result<(Vec<u8>, String)> {
    register_font();
    let index = MapIndex::new(study);
    let lay = layout(study, basis, shade.extent);
    let mut rgb = vec![0u8; lay.width as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (lay.width, HEIGHT)).into_drawing_area();
        draw(&root, study, shade, &lay, &index).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, lay.width, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| fail(e.to_string()))?;
    Ok((png, render_svg(study, basis, shade, &index)?))
}

fn fail(e: String) -> Error {
    Error::Output(format!("drawing the map: {e}"))
}

/// Draws a map of zones shaded as given and returns it as SVG text only (`index`: the
/// study's, from [`MapIndex::new`], made once for many maps).
pub fn render_svg(
    study: &Study,
    basis: TimeBasis,
    shade: &Shading,
    index: &MapIndex,
) -> Result<String> {
    register_font();
    let lay = layout(study, basis, shade.extent);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (lay.width, HEIGHT)).into_drawing_area();
        draw(&root, study, shade, &lay, index).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    Ok(svg)
}
