//! Spatial indexes (R-trees): nearest point, points within a radius, and point in polygon, each a
//! tree query rather than a loop over all pairs. Ties are broken by the lower index so that
//! answers never depend on the tree's internal order.

use geo::{BoundingRect, Coord, Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type IndexedPoint = GeomWithData<[f64; 2], u32>;

/// An R-tree of points, each carrying its index in the caller's list.
pub struct PointIndex {
    tree: RTree<IndexedPoint>,
}

impl PointIndex {
    /// Bulk-loads the points; their positions in the iterator are their indices.
    pub fn new(points: impl IntoIterator<Item = Coord<f64>>) -> Self {
        Self::with_indices(points.into_iter().enumerate())
    }

    /// Bulk-loads points with explicit indices (e.g. a subset of sites).
    pub fn with_indices(points: impl IntoIterator<Item = (usize, Coord<f64>)>) -> Self {
        let items: Vec<IndexedPoint> = points
            .into_iter()
            .map(|(i, c)| GeomWithData::new([c.x, c.y], i as u32))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The nearest point and its distance; on a tie, the lowest index.
    pub fn nearest(&self, at: Coord<f64>) -> Option<(usize, f64)> {
        let mut it = self
            .tree
            .nearest_neighbor_iter_with_distance_2(&[at.x, at.y]);
        let (first, d2) = it.next()?;
        let mut best = first.data;
        for (p, e2) in it {
            if e2 > d2 {
                break;
            }
            best = best.min(p.data);
        }
        Some((best as usize, d2.sqrt()))
    }

    /// The nearest point that passes `keep`, and its distance; on a tie, the lowest index.
    pub fn nearest_where(
        &self,
        at: Coord<f64>,
        keep: impl Fn(usize) -> bool,
    ) -> Option<(usize, f64)> {
        let mut best: Option<(u32, f64)> = None;
        for (p, d2) in self
            .tree
            .nearest_neighbor_iter_with_distance_2(&[at.x, at.y])
        {
            if let Some((b, bd2)) = best {
                if d2 > bd2 {
                    break;
                }
                if keep(p.data as usize) && p.data < b {
                    best = Some((p.data, d2));
                }
            } else if keep(p.data as usize) {
                best = Some((p.data, d2));
            }
        }
        best.map(|(i, d2)| (i as usize, d2.sqrt()))
    }

    /// Calls `f(index, distance)` for every point within `radius` (inclusive).
    pub fn for_each_within(&self, at: Coord<f64>, radius: f64, mut f: impl FnMut(usize, f64)) {
        for p in self
            .tree
            .locate_within_distance([at.x, at.y], radius * radius)
        {
            let [x, y] = *p.geom();
            f(
                p.data as usize,
                ((x - at.x).powi(2) + (y - at.y).powi(2)).sqrt(),
            );
        }
    }
}

type IndexedBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// An R-tree of polygon bounding boxes, refined by an exact point-in-polygon test.
pub struct PolygonIndex<'a> {
    tree: RTree<IndexedBox>,
    polygons: Vec<&'a MultiPolygon<f64>>,
    indices: Vec<usize>,
}

impl<'a> PolygonIndex<'a> {
    /// Indexes polygons given with the caller's indices.
    pub fn new(polygons: impl IntoIterator<Item = (usize, &'a MultiPolygon<f64>)>) -> Self {
        let mut polys = Vec::new();
        let mut indices = Vec::new();
        let mut items = Vec::new();
        for (i, p) in polygons {
            if let Some(r) = p.bounding_rect() {
                items.push(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    polys.len() as u32,
                ));
                polys.push(p);
                indices.push(i);
            }
        }
        PolygonIndex {
            tree: RTree::bulk_load(items),
            polygons: polys,
            indices,
        }
    }

    /// Number of polygons.
    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    /// Whether there are no polygons.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// The polygon containing the point (boundary included); where several do, the lowest index.
    pub fn locate(&self, at: Coord<f64>) -> Option<usize> {
        let p = Point(at);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([at.x, at.y]))
            .filter(|b| self.polygons[b.data as usize].intersects(&p))
            .map(|b| self.indices[b.data as usize])
            .min()
    }
}
