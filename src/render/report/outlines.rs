//! Reading the run's own GeoJSON layers back for the map, lean: each feature's few properties
//! the map uses and its geometry's lines, parsed straight from the text into lon/lat pairs
//! (no document tree: a nation's catchments.geojson is hundreds of megabytes).

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

/// A GeoJSON FeatureCollection with properties `P`.
#[derive(Deserialize)]
pub(super) struct Features<P> {
    pub(super) features: Vec<Feature<P>>,
}

/// One feature: the properties the map reads and the geometry's lines.
#[derive(Deserialize)]
pub(super) struct Feature<P> {
    pub(super) properties: P,
    pub(super) geometry: Option<Geometry>,
}

/// A geometry's type and coordinates.
#[derive(Deserialize)]
pub(super) struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Node,
}

impl Geometry {
    /// Every ring of a Polygon or MultiPolygon, or every line of a MultiLineString, as
    /// lon/lat pairs; nothing for other types.
    pub(super) fn lines(self) -> Vec<Vec<(f64, f64)>> {
        match (self.kind.as_str(), self.coordinates) {
            ("Polygon" | "MultiPolygon" | "MultiLineString", Node::Lines(v)) => v,
            _ => Vec::new(),
        }
    }
}

/// A level of GeoJSON coordinates, whatever its depth: a number, a position (its first two
/// numbers; any height is dropped), a line of positions, or lines (the rings of polygons and
/// the lines of multi-lines, flattened in order).
enum Node {
    Num(f64),
    Pos(f64, f64),
    Line(Vec<(f64, f64)>),
    Lines(Vec<Vec<(f64, f64)>>),
    Empty,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("GeoJSON coordinates")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Num(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Num(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Num(v as f64))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let Some(first) = seq.next_element::<Node>()? else {
            return Ok(Node::Empty);
        };
        match first {
            Node::Num(x) => {
                let y = seq.next_element::<f64>()?.unwrap_or(f64::NAN);
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Node::Pos(x, y))
            }
            Node::Pos(x, y) => {
                let mut line = vec![(x, y)];
                while let Some(n) = seq.next_element::<Node>()? {
                    if let Node::Pos(x, y) = n {
                        line.push((x, y));
                    }
                }
                Ok(Node::Line(line))
            }
            first => {
                let mut lines = Vec::new();
                let mut add = |n: Node| match n {
                    Node::Line(l) => lines.push(l),
                    Node::Lines(ls) => lines.extend(ls),
                    _ => {}
                };
                add(first);
                while let Some(n) = seq.next_element::<Node>()? {
                    add(n);
                }
                Ok(Node::Lines(lines))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Id {
        id: String,
    }

    #[test]
    fn polygons_and_multipolygons_give_their_rings_in_order() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"a","x":[1,2]},
             "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2,9],[0.3,0.2,9],[0.2,0.3,9],[0.2,0.2,9]]]}},
             {"type":"Feature","properties":{"id":"b"},
             "geometry":{"coordinates":[[[[5,5],[6,5],[6,6],[5,5]]],[[[7,7],[8,7],[8,8],[7,7]]]],"type":"MultiPolygon"}},
             {"type":"Feature","properties":{"id":"c"},"geometry":{"type":"Point","coordinates":[1.5,2.5]}},
             {"type":"Feature","properties":{"id":"d"},"geometry":null}]}"#;
        let doc: Features<Id> = serde_json::from_str(text).unwrap();
        type Lines = Vec<Vec<(f64, f64)>>;
        let got: Vec<(String, Lines)> = doc
            .features
            .into_iter()
            .map(|f| {
                (
                    f.properties.id,
                    f.geometry.map(Geometry::lines).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got[0].1.len(), 2);
        assert_eq!(got[0].1[1][1], (0.3, 0.2));
        assert_eq!(got[1].0, "b");
        assert_eq!(
            got[1].1,
            vec![
                vec![(5.0, 5.0), (6.0, 5.0), (6.0, 6.0), (5.0, 5.0)],
                vec![(7.0, 7.0), (8.0, 7.0), (8.0, 8.0), (7.0, 7.0)],
            ]
        );
        assert!(got[2].1.is_empty());
        assert!(got[3].1.is_empty());
    }
}
