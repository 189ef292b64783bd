//! Who may travel along a way, in which direction, and how fast: the routing profile of each
//! mode, read from OpenStreetMap tags.
//!
//! | highway | walk | cycle | drive (km/h) |
//! |---|---|---|---|
//! | motorway | no | no | 96 (oneway implied) |
//! | motorway_link | no | no | 64 (oneway implied) |
//! | trunk / trunk_link | yes | yes | 80 / 56 |
//! | primary / primary_link | yes | yes | 64 / 48 |
//! | secondary / secondary_link | yes | yes | 56 / 40 |
//! | tertiary / tertiary_link | yes | yes | 48 / 40 |
//! | unclassified, road | yes | yes | 40, 32 |
//! | residential | yes | yes | 32 |
//! | living_street, service | yes | yes | 16 |
//! | track | yes | yes | no |
//! | cycleway | yes | yes | no |
//! | footway, pedestrian, steps, corridor | yes | only if bicycle=yes/designated/permissive | no |
//! | path, bridleway | yes | yes | no |
//!
//! Driving speed is `maxspeed` where it can be read (km/h, `mph`, `GB:nsl_single` 60 mph,
//! `GB:nsl_dual` and `GB:motorway` 70 mph, `walk` 6 km/h), else the table. Walking and cycling
//! use the study's speeds for those modes. Access: the most specific tag present decides (walk:
//! `foot`; cycle: `bicycle`, then `vehicle`; drive: `motorcar`, `motor_vehicle`, `vehicle`), then
//! `access`; `no`, `private`, `agricultural`, `forestry`, `delivery` and `use_sidepath` refuse.
//! Direction: `oneway=yes|true|1` forward only, `oneway=-1|reverse` backward only,
//! `junction=roundabout|circular` and motorways oneway unless `oneway=no`; cycling is two-way
//! where `oneway:bicycle=no` or `cycleway=opposite*`; walking ignores oneway (except
//! `oneway:foot=yes`). Turn restrictions are not modelled.

use crate::mode::Mode;
use crate::network::osm::OsmWay;

/// How a way can be travelled by one mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traversal {
    /// Along the way's node order.
    pub forward: bool,
    /// Against it.
    pub backward: bool,
    /// Speed, km/h.
    pub speed_kmh: f64,
}

fn drive_speed(highway: &str) -> Option<f64> {
    Some(match highway {
        "motorway" => 96.0,
        "motorway_link" => 64.0,
        "trunk" => 80.0,
        "trunk_link" => 56.0,
        "primary" => 64.0,
        "primary_link" => 48.0,
        "secondary" => 56.0,
        "secondary_link" | "tertiary_link" => 40.0,
        "tertiary" => 48.0,
        "unclassified" => 40.0,
        "residential" | "road" => 32.0,
        "living_street" | "service" => 16.0,
        _ => return None,
    })
}

fn walk_default(highway: &str) -> bool {
    matches!(
        highway,
        "trunk"
            | "trunk_link"
            | "primary"
            | "primary_link"
            | "secondary"
            | "secondary_link"
            | "tertiary"
            | "tertiary_link"
            | "unclassified"
            | "road"
            | "residential"
            | "living_street"
            | "service"
            | "track"
            | "cycleway"
            | "footway"
            | "pedestrian"
            | "steps"
            | "corridor"
            | "path"
            | "bridleway"
    )
}

/// Cycling is allowed by default where walking is, except on ways built for people on foot.
fn cycle_default(highway: &str) -> bool {
    walk_default(highway) && !matches!(highway, "footway" | "pedestrian" | "steps" | "corridor")
}

/// Whether an access value lets people through (None: the value says nothing).
fn access_value(v: &str) -> Option<bool> {
    match v {
        "no" | "private" | "agricultural" | "forestry" | "delivery" | "use_sidepath" => Some(false),
        "yes" | "permissive" | "designated" | "destination" | "customers" | "permit"
        | "official" | "discouraged" => Some(true),
        _ => None,
    }
}

/// Parses `maxspeed` into km/h.
pub fn parse_maxspeed(v: &str) -> Option<f64> {
    let v = v.trim();
    match v {
        "GB:nsl_single" | "UK:nsl_single" => return Some(96.56),
        "GB:nsl_dual" | "UK:nsl_dual" | "GB:motorway" | "UK:motorway" => return Some(112.65),
        "walk" => return Some(6.0),
        _ => {}
    }
    if let Some(mph) = v.strip_suffix("mph") {
        return mph
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| *x > 0.0)
            .map(|x| x * 1.609344);
    }
    v.strip_suffix("km/h")
        .unwrap_or(v)
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| *x > 0.0)
}

/// How `mode` may travel along `way`, or None where it may not (public transport's streets are
/// the walking network's).
pub fn traversal(mode: Mode, way: &OsmWay, walk_kmh: f64, cycle_kmh: f64) -> Option<Traversal> {
    let mode = mode.street_mode();
    let highway = way.tag("highway")?;
    let class_ok = match mode {
        Mode::Walk | Mode::Transit => walk_default(highway),
        Mode::Cycle => cycle_default(highway),
        Mode::Drive => drive_speed(highway).is_some(),
    };
    if way.tag("area") == Some("yes") && mode != Mode::Walk {
        return None;
    }
    let specific: &[&str] = match mode {
        Mode::Walk | Mode::Transit => &["foot"],
        Mode::Cycle => &["bicycle", "vehicle"],
        Mode::Drive => &["motorcar", "motor_vehicle", "vehicle"],
    };
    let decided = specific
        .iter()
        .find_map(|k| way.tag(k).and_then(access_value))
        .or_else(|| {
            way.tag("access")
                .and_then(access_value)
                .filter(|a| !a || class_ok)
        });
    let allowed = match decided {
        Some(a) => {
            a && (class_ok || matches!(mode, Mode::Walk | Mode::Cycle) && walk_default(highway))
        }
        None => class_ok,
    };
    if !allowed {
        return None;
    }
    let oneway = way.tag("oneway").unwrap_or("");
    let implied = way
        .tag("junction")
        .is_some_and(|j| j == "roundabout" || j == "circular")
        || highway == "motorway"
        || highway == "motorway_link";
    let (mut forward, mut backward) = match oneway {
        "yes" | "true" | "1" => (true, false),
        "-1" | "reverse" => (false, true),
        "no" | "false" | "0" => (true, true),
        _ if implied => (true, false),
        _ => (true, true),
    };
    match mode {
        Mode::Walk | Mode::Transit => {
            if way.tag("oneway:foot") != Some("yes") {
                forward = true;
                backward = true;
            }
        }
        Mode::Cycle => {
            let contraflow = way.tag("oneway:bicycle") == Some("no")
                || way
                    .tag("cycleway")
                    .is_some_and(|c| c.starts_with("opposite"));
            if contraflow
                || matches!(
                    highway,
                    "footway" | "pedestrian" | "path" | "track" | "bridleway"
                )
            {
                forward = true;
                backward = true;
            }
        }
        Mode::Drive => {}
    }
    let speed_kmh = match mode {
        Mode::Walk | Mode::Transit => walk_kmh,
        Mode::Cycle => cycle_kmh,
        Mode::Drive => way
            .tag("maxspeed")
            .and_then(parse_maxspeed)
            .or_else(|| drive_speed(highway))?,
    };
    Some(Traversal {
        forward,
        backward,
        speed_kmh,
    })
}
