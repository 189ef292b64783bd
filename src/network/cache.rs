//! The graph of each mode, cached on disk next to the OSM file (`<file>.<mode>.fdgraph`), so a
//! second run skips reading OpenStreetMap. A cache holds a key: the SHA-256 of the OSM file, the
//! mode, the walking and cycling speeds, the working CRS and the format version; a cache whose
//! key differs, or that cannot be read, is rebuilt. Caches are written to a temporary file and
//! renamed; where the folder is read-only, the run goes on without one.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use geo::Coord;

use crate::crs::Crs;
use crate::mode::Mode;
use crate::network::graph::{Graph, Link, NodeId};

const MAGIC: &[u8; 8] = b"FDGRAPH1";

/// The cache file of a mode's graph.
pub fn cache_path(osm: &Path, mode: Mode) -> PathBuf {
    let mut name = osm
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.fdgraph", mode.name()));
    osm.with_file_name(name)
}

/// What a cache must match to be used.
pub fn cache_key(osm_sha256: &str, mode: Mode, walk_kmh: f64, cycle_kmh: f64, crs: &Crs) -> String {
    format!(
        "{osm_sha256}|{}|{walk_kmh}|{cycle_kmh}|{crs}|{}",
        mode.name(),
        env!("CARGO_PKG_VERSION")
    )
}

struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        if self.0.len() < N {
            return None;
        }
        let (a, b) = self.0.split_at(N);
        self.0 = b;
        a.try_into().ok()
    }
    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    fn i64(&mut self) -> Option<i64> {
        self.take::<8>().map(i64::from_le_bytes)
    }
    fn f64(&mut self) -> Option<f64> {
        self.take::<8>().map(f64::from_le_bytes)
    }
}

const NONE: u32 = u32::MAX;

/// Writes a graph to its cache file (best effort: a failure is logged, not returned).
pub fn save(path: &Path, key: &str, g: &Graph) {
    let mut w = Writer(Vec::new());
    w.0.extend_from_slice(MAGIC);
    w.u32(key.len() as u32);
    w.0.extend_from_slice(key.as_bytes());
    w.u64(g.nodes.len() as u64);
    for (c, id) in g.nodes.iter().zip(&g.osm_ids) {
        w.f64(c.x);
        w.f64(c.y);
        w.i64(*id);
    }
    w.u64(g.links.len() as u64);
    for l in &g.links {
        w.u32(l.a.0);
        w.u32(l.b.0);
        w.f64(l.length_m);
        w.u32(l.ms_ab.unwrap_or(NONE));
        w.u32(l.ms_ba.unwrap_or(NONE));
        w.i64(l.way);
        w.u32(l.geometry.len() as u32);
        for c in &l.geometry {
            w.f64(c.x);
            w.f64(c.y);
        }
    }
    w.u64(g.dropped_nodes as u64);
    w.u64(g.dropped_links as u64);
    let tmp = path.with_extension(format!("fdgraph.tmp{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&w.0))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        log::info!("graph cache not written ({}): {e}", path.display());
    }
}

/// Reads a graph from its cache file if the file exists and its key matches.
pub fn load(path: &Path, key: &str, mode: Mode) -> Option<Graph> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    let g = parse(&bytes, key, mode);
    if g.is_none() {
        log::info!(
            "graph cache {} is stale or unreadable; rebuilding",
            path.display()
        );
    }
    g
}

fn parse(bytes: &[u8], key: &str, mode: Mode) -> Option<Graph> {
    let mut r = Reader(bytes);
    if &r.take::<8>()? != MAGIC {
        return None;
    }
    let klen = r.u32()? as usize;
    if r.0.len() < klen || &r.0[..klen] != key.as_bytes() {
        return None;
    }
    r.0 = &r.0[klen..];
    let n = r.u64()? as usize;
    let mut nodes = Vec::with_capacity(n);
    let mut osm_ids = Vec::with_capacity(n);
    for _ in 0..n {
        nodes.push(Coord {
            x: r.f64()?,
            y: r.f64()?,
        });
        osm_ids.push(r.i64()?);
    }
    let m = r.u64()? as usize;
    let mut links = Vec::with_capacity(m);
    for _ in 0..m {
        let (a, b) = (r.u32()?, r.u32()?);
        if a as usize >= n || b as usize >= n {
            return None;
        }
        let length_m = r.f64()?;
        let (ab, ba) = (r.u32()?, r.u32()?);
        let way = r.i64()?;
        let k = r.u32()? as usize;
        let mut geometry = Vec::with_capacity(k);
        for _ in 0..k {
            geometry.push(Coord {
                x: r.f64()?,
                y: r.f64()?,
            });
        }
        links.push(Link {
            a: NodeId(a),
            b: NodeId(b),
            length_m,
            ms_ab: (ab != NONE).then_some(ab),
            ms_ba: (ba != NONE).then_some(ba),
            way,
            geometry,
        });
    }
    let dropped_nodes = r.u64()? as usize;
    let dropped_links = r.u64()? as usize;
    if !r.0.is_empty() {
        return None;
    }
    Some(Graph::from_parts(
        mode,
        nodes,
        osm_ids,
        links,
        dropped_nodes,
        dropped_links,
    ))
}
