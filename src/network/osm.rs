//! Reading OpenStreetMap: `.osm.pbf` (osmpbf, blocks decoded in parallel) or `.osm` XML
//! (optionally gzipped). Only what routing needs is kept: highway ways with the tags that decide
//! access, direction and speed, and the coordinates of their nodes.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use osmpbf::{Element, ElementReader};

use crate::error::{Error, Problem, Result};

/// Tags that routing reads; every other tag is dropped on reading.
pub const ROUTING_TAGS: &[&str] = &[
    "highway",
    "access",
    "foot",
    "bicycle",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "oneway",
    "oneway:bicycle",
    "oneway:foot",
    "junction",
    "maxspeed",
    "area",
    "cycleway",
    "name",
];

/// A highway way: its id, node ids in order, and routing tags.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// OSM way id.
    pub id: i64,
    /// Node ids in order.
    pub nodes: Vec<i64>,
    /// Routing tags (key, value).
    pub tags: Vec<(String, String)>,
}

impl OsmWay {
    /// The value of a tag.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Highway ways and the lon/lat of their nodes.
#[derive(Debug, Clone, Default)]
pub struct OsmData {
    /// Ways, sorted by id.
    pub ways: Vec<OsmWay>,
    /// Node id -> (lon, lat).
    pub nodes: HashMap<i64, (f64, f64)>,
}

fn keep_tags<'a>(tags: impl Iterator<Item = (&'a str, &'a str)>) -> Option<Vec<(String, String)>> {
    let kept: Vec<(String, String)> = tags
        .filter(|(k, _)| ROUTING_TAGS.contains(k))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    kept.iter().any(|(k, _)| k == "highway").then_some(kept)
}

/// Reads an OSM file (format from the extension: `.pbf`, `.osm`, `.osm.gz`).
pub fn read_osm(path: &Path) -> Result<OsmData> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if !path.exists() {
        return Err(Error::problem(Problem::file(
            path,
            "file not found: check the network path, which is relative to the study file",
        )));
    }
    let mut data = if name.ends_with(".pbf") {
        read_pbf(path)?
    } else if name.ends_with(".osm") || name.ends_with(".osm.gz") || name.ends_with(".xml") {
        read_xml(path)?
    } else {
        return Err(Error::problem(Problem::file(
            path,
            "cannot tell the network format: expected .osm.pbf, .osm or .osm.gz",
        )));
    };
    if data.ways.is_empty() {
        return Err(Error::problem(Problem::file(
            path,
            "no highways in the file (no way tagged highway=*): is it an OpenStreetMap extract \
             of the study area, and is the download complete?",
        )));
    }
    data.ways.sort_by_key(|w| w.id);
    let missing: usize = data
        .ways
        .iter()
        .flat_map(|w| &w.nodes)
        .filter(|n| !data.nodes.contains_key(n))
        .count();
    if missing > 0 {
        log::warn!("{}: {missing} way node references have no coordinates (clipped extract); those ways are cut there", path.display());
    }
    Ok(data)
}

fn read_pbf(path: &Path) -> Result<OsmData> {
    let fail = |e: osmpbf::Error| {
        Error::problem(Problem::file(
            path,
            format!("not a readable OSM PBF file: {e}"),
        ))
    };
    let ways = ElementReader::from_path(path)
        .map_err(fail)?
        .par_map_reduce(
            |el| match el {
                Element::Way(w) => match keep_tags(w.tags()) {
                    Some(tags) => vec![OsmWay {
                        id: w.id(),
                        nodes: w.refs().collect(),
                        tags,
                    }],
                    None => vec![],
                },
                _ => vec![],
            },
            Vec::new,
            |mut a, mut b| {
                a.append(&mut b);
                a
            },
        )
        .map_err(fail)?;
    let wanted: HashSet<i64> = ways.iter().flat_map(|w| w.nodes.iter().copied()).collect();
    let nodes = ElementReader::from_path(path)
        .map_err(fail)?
        .par_map_reduce(
            |el| match el {
                Element::DenseNode(n) if wanted.contains(&n.id()) => {
                    vec![(n.id(), (n.lon(), n.lat()))]
                }
                Element::Node(n) if wanted.contains(&n.id()) => vec![(n.id(), (n.lon(), n.lat()))],
                _ => vec![],
            },
            Vec::new,
            |mut a, mut b| {
                a.append(&mut b);
                a
            },
        )
        .map_err(fail)?;
    Ok(OsmData {
        ways,
        nodes: nodes.into_iter().collect(),
    })
}

fn read_xml(path: &Path) -> Result<OsmData> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn Read> = if path.to_string_lossy().to_ascii_lowercase().ends_with(".gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    parse_xml(path, BufReader::new(reader))
}

/// An attribute of an element: None where absent, an error naming the element where it is not
/// the kind of value OSM puts there (ids and refs whole numbers, lon and lat decimals).
fn attribute<T: std::str::FromStr>(
    attr: &HashMap<String, String>,
    key: &str,
    element: &str,
) -> std::result::Result<Option<T>, String> {
    let Some(v) = attr.get(key) else {
        return Ok(None);
    };
    v.trim().parse::<T>().map(Some).map_err(|_| {
        let id = attr.get("id").map(|i| format!(" {i}")).unwrap_or_default();
        let want = if key == "lon" || key == "lat" {
            "a number in degrees"
        } else {
            "a whole number"
        };
        format!("{element}{id}: {key}=\"{v}\" is not {want}")
    })
}

/// A node's lon/lat, refused where not finite or outside the globe.
fn coordinates(id: i64, lon: f64, lat: f64) -> std::result::Result<(f64, f64), String> {
    if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
        return Err(format!(
            "node {id}: lon {lon}, lat {lat} is not a place on Earth (lon -180 to 180, lat -90 to 90)"
        ));
    }
    Ok((lon, lat))
}

/// Parses OSM XML from a reader (the path is used in messages).
pub fn parse_xml(path: &Path, input: impl BufRead) -> Result<OsmData> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut all_nodes: HashMap<i64, (f64, f64)> = HashMap::new();
    let mut ways = Vec::new();
    let mut current: Option<OsmWay> = None;
    let bad = |xml: &quick_xml::Reader<_>, m: String| {
        Error::problem(Problem::file(
            path,
            format!("not valid OSM XML near byte {}: {m}", xml.buffer_position()),
        ))
    };
    loop {
        let ev = xml
            .read_event_into(&mut buf)
            .map_err(|e| bad(&xml, e.to_string()))?;
        match ev {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let mut attr = HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|err| bad(&xml, err.to_string()))?;
                    let v = a
                        .unescape_value()
                        .map_err(|err| bad(&xml, err.to_string()))?
                        .to_string();
                    attr.insert(String::from_utf8_lossy(a.key.as_ref()).to_string(), v);
                }
                let element = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let int = |k: &str| attribute::<i64>(&attr, k, &element).map_err(|m| bad(&xml, m));
                let deg = |k: &str| attribute::<f64>(&attr, k, &element).map_err(|m| bad(&xml, m));
                match e.name().as_ref() {
                    b"node" => {
                        let (id, lon, lat) = (int("id")?, deg("lon")?, deg("lat")?);
                        if let (Some(id), Some(lon), Some(lat)) = (id, lon, lat) {
                            let (lon, lat) = coordinates(id, lon, lat).map_err(|m| bad(&xml, m))?;
                            all_nodes.insert(id, (lon, lat));
                        }
                    }
                    b"way" => {
                        let id =
                            int("id")?.ok_or_else(|| bad(&xml, "a way without an id".into()))?;
                        current = Some(OsmWay {
                            id,
                            nodes: Vec::new(),
                            tags: Vec::new(),
                        });
                        if is_empty {
                            current = None;
                        }
                    }
                    b"nd" => {
                        let r = int("ref")?;
                        if let (Some(w), Some(r)) = (current.as_mut(), r) {
                            w.nodes.push(r);
                        }
                    }
                    b"tag" => {
                        if let (Some(w), Some(k), Some(v)) =
                            (current.as_mut(), attr.get("k"), attr.get("v"))
                        {
                            w.tags.push((k.clone(), v.clone()));
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) if e.name().as_ref() == b"way" => {
                if let Some(w) = current.take() {
                    if let Some(tags) =
                        keep_tags(w.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    {
                        ways.push(OsmWay { tags, ..w });
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    let wanted: HashSet<i64> = ways
        .iter()
        .flat_map(|w: &OsmWay| w.nodes.iter().copied())
        .collect();
    all_nodes.retain(|id, _| wanted.contains(id));
    Ok(OsmData {
        ways,
        nodes: all_nodes,
    })
}
