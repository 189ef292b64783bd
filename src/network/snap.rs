//! Joining points to the network: an R-tree of link segments per graph; a point joins at the
//! nearest point of the nearest segment. The off-network leg is walked.

use geo::{Coord, Line};
use rstar::primitives::GeomWithData;
use rstar::{PointDistance, RTree};

use crate::network::graph::{Graph, LinkId, NodeId};

/// Where a point joins the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The link joined.
    pub link: LinkId,
    /// Distance along the link from its node `a`, metres.
    pub along_m: f64,
    /// Straight-line distance from the point to the link, metres.
    pub distance_m: f64,
}

/// A way onto or off the network from a snapped point: a node and the milliseconds between it
/// and the point along the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// The node.
    pub node: NodeId,
    /// Milliseconds along the link.
    pub ms: u32,
}

type Segment = GeomWithData<Line<f64>, (u32, f64)>;

/// An R-tree of every segment of every link of a graph.
pub struct LinkIndex {
    tree: RTree<Segment>,
}

impl LinkIndex {
    /// Indexes a graph's links.
    pub fn new(g: &Graph) -> Self {
        let mut segs = Vec::new();
        for (i, l) in g.links.iter().enumerate() {
            let mut along = 0.0;
            for w in l.geometry.windows(2) {
                segs.push(GeomWithData::new(Line::new(w[0], w[1]), (i as u32, along)));
                along += (w[1].x - w[0].x).hypot(w[1].y - w[0].y);
            }
        }
        LinkIndex {
            tree: RTree::bulk_load(segs),
        }
    }

    /// The nearest point of the network; on a tie, the lowest link and position.
    pub fn snap(&self, p: Coord<f64>) -> Option<Snap> {
        let mut best: Option<(f64, u32, f64)> = None;
        for s in self.tree.nearest_neighbor_iter(&geo::Point(p)) {
            let d2 = s.geom().distance_2(&geo::Point(p));
            let (link, start) = s.data;
            let l = s.geom();
            let (dx, dy) = (l.end.x - l.start.x, l.end.y - l.start.y);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (((p.x - l.start.x) * dx + (p.y - l.start.y) * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let along = start + t * len2.sqrt();
            match best {
                Some((bd2, bl, ba)) => {
                    if d2 > bd2 {
                        break;
                    }
                    if (link, along) < (bl, ba) {
                        best = Some((d2, link, along));
                    }
                }
                None => best = Some((d2, link, along)),
            }
        }
        best.map(|(d2, link, along_m)| Snap {
            link: LinkId(link),
            along_m,
            distance_m: d2.sqrt(),
        })
    }
}

fn part(ms: u32, fraction: f64) -> u32 {
    (ms as f64 * fraction.clamp(0.0, 1.0)).round() as u32
}

/// The two ends of a snapped point's link with the milliseconds between point and end:
/// leaving the point (`leaving`) or arriving at it. Going towards node a is travelling b->a
/// along the link; towards b, a->b; arriving reverses both.
fn accesses(g: &Graph, s: &Snap, leaving: bool) -> Vec<Access> {
    let l = &g.links[s.link.0 as usize];
    let f = if l.length_m > 0.0 {
        s.along_m / l.length_m
    } else {
        0.0
    };
    let (to_a, to_b) = if leaving {
        (l.ms_ba, l.ms_ab)
    } else {
        (l.ms_ab, l.ms_ba)
    };
    let mut out = Vec::with_capacity(2);
    if let Some(ms) = to_a {
        out.push(Access {
            node: l.a,
            ms: part(ms, f),
        });
    }
    if let Some(ms) = to_b {
        out.push(Access {
            node: l.b,
            ms: part(ms, 1.0 - f),
        });
    }
    out
}

/// How a traveller at the snapped point reaches the network's nodes (leaving the point).
pub fn exits(g: &Graph, s: &Snap) -> Vec<Access> {
    accesses(g, s, true)
}

/// How a traveller reaches the snapped point from the network's nodes (arriving at the point).
pub fn entries(g: &Graph, s: &Snap) -> Vec<Access> {
    accesses(g, s, false)
}

/// Milliseconds directly along one link from one snapped point to another, where both are on
/// the same link and the direction is allowed.
pub fn along_same_link(g: &Graph, from: &Snap, to: &Snap) -> Option<u32> {
    if from.link != to.link {
        return None;
    }
    let l = &g.links[from.link.0 as usize];
    let f = if l.length_m > 0.0 {
        (to.along_m - from.along_m) / l.length_m
    } else {
        0.0
    };
    if f >= 0.0 {
        l.ms_ab.map(|ms| part(ms, f))
    } else {
        l.ms_ba.map(|ms| part(ms, -f))
    }
}
