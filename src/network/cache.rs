//! The graph of each mode, cached on disk (`<file>.<mode>.fdgraph`, next to the OSM file or in
//! the study's `cache_dir`), so a second run skips reading OpenStreetMap. A cache holds a key:
//! the SHA-256 of the OSM file, the mode, the walking and cycling speeds, the working CRS and
//! the format version; a cache whose key differs is rebuilt. Its body carries its own SHA-256,
//! checked before anything is read, and every count in it is checked against the bytes left
//! before anything is allocated: a damaged cache (a flipped bit, a cut-off file) is rebuilt with
//! a warning, never used and never a crash. Caches are written to a temporary file and renamed;
//! a folder or cache file marked read-only is left alone even when the user could override the
//! mark (root), and temporary files of runs that died are removed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use geo::Coord;

use crate::crs::Crs;
use crate::mode::Mode;
use crate::network::graph::{Graph, Link, NodeId};

const MAGIC: &[u8; 8] = b"FDGRAPH2";

/// The cache file of a mode's graph: in `folder`, or beside the OSM file.
pub fn cache_path(osm: &Path, mode: Mode, folder: Option<&Path>) -> PathBuf {
    let mut name = osm
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{}.fdgraph", mode.name()));
    match folder {
        Some(f) => f.join(name),
        None => osm.with_file_name(name),
    }
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
    fn finite(&mut self) -> Option<f64> {
        self.f64().filter(|v| v.is_finite())
    }
    fn coord(&mut self) -> Option<Coord> {
        Some(Coord {
            x: self.finite()?,
            y: self.finite()?,
        })
    }
    /// A count of items of at least `size` bytes each, refused if the bytes left cannot hold
    /// them (so a damaged count never allocates).
    fn count(&mut self, size: usize) -> Option<usize> {
        let n = self.u64()?;
        self.fits(n, size)
    }
    /// `n` items of at least `size` bytes each, if the bytes left can hold them.
    fn fits(&self, n: u64, size: usize) -> Option<usize> {
        let n = usize::try_from(n).ok()?;
        (n <= self.0.len() / size).then_some(n)
    }
    /// A link between two of the `n` nodes.
    fn link(&mut self, n: usize) -> Option<Link> {
        let (a, b) = (self.u32()?, self.u32()?);
        if a as usize >= n || b as usize >= n {
            return None;
        }
        let length_m = self.finite()?;
        let (ab, ba) = (self.u32()?, self.u32()?);
        let way = self.i64()?;
        let k = self.u32()?;
        let k = self.fits(u64::from(k), 16)?;
        let mut geometry = Vec::with_capacity(k);
        for _ in 0..k {
            geometry.push(self.coord()?);
        }
        Some(Link {
            a: NodeId(a),
            b: NodeId(b),
            length_m,
            ms_ab: (ab != NONE).then_some(ab),
            ms_ba: (ba != NONE).then_some(ba),
            way,
            geometry,
        })
    }
}

const NONE: u32 = u32::MAX;

/// The bytes of a cache file: magic, body length, the body's SHA-256, the body.
pub fn encode(key: &str, g: &Graph) -> Vec<u8> {
    seal(&encode_body(key, g))
}

/// A cache file around a body: the magic, the body's length and its SHA-256.
pub fn seal(body: &[u8]) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(body.len() + 48));
    w.0.extend_from_slice(MAGIC);
    w.u64(body.len() as u64);
    w.0.extend_from_slice(&crate::fingerprint::sha256_bytes(body));
    w.0.extend_from_slice(body);
    w.0
}

/// The body of a cache file: the key, the nodes, the links, the counts dropped.
pub fn encode_body(key: &str, g: &Graph) -> Vec<u8> {
    let mut w = Writer(Vec::new());
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
    w.0
}

/// Writes a graph to its cache file (best effort: a failure is logged, not returned).
pub fn save(path: &Path, key: &str, g: &Graph) {
    if let Some(why) = not_writable(path) {
        log::info!("graph cache not written ({}): {why}", path.display());
        return;
    }
    remove_dead_temporaries(path);
    let tmp = temporary(path, std::process::id());
    let _pending = crate::interrupt::Pending::new(&tmp);
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&encode(key, g)))
        .and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        log::info!("graph cache not written ({}): {e}", path.display());
    }
}

fn temporary(path: &Path, pid: u32) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(format!(".tmp{pid}"));
    PathBuf::from(name)
}

/// Why the cache must not be written: its folder missing or marked read-only, or the cache
/// file itself marked read-only (permissions are respected even by a user who could override
/// them).
fn not_writable(path: &Path) -> Option<&'static str> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match std::fs::metadata(folder) {
        Err(_) => return Some("the folder does not exist"),
        Ok(m) if m.permissions().readonly() => return Some("the folder is read-only"),
        Ok(_) => {}
    }
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().readonly() => Some("the cache file is read-only"),
        _ => None,
    }
}

/// Removes the temporary cache files of runs that died while writing this cache.
fn remove_dead_temporaries(path: &Path) {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str()))
    else {
        return;
    };
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let prefix = format!("{name}.tmp");
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name();
        let pid = file
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix)?.parse::<u32>().ok());
        if pid.is_some_and(|p| !crate::interrupt::process_alive(p)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Reads a graph from its cache file if the file exists, is whole and its key matches; a
/// damaged file is reported with a warning (the caller rebuilds it).
pub fn load(path: &Path, key: &str, mode: Mode) -> Option<Graph> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    match decode(&bytes, key, mode) {
        Ok(g) => Some(g),
        Err(Unusable::Stale) => {
            log::info!(
                "graph cache {} is for other inputs; rebuilding",
                path.display()
            );
            None
        }
        Err(Unusable::Damaged(why)) => {
            log::warn!(
                "graph cache {} is damaged ({why}); rebuilding it",
                path.display()
            );
            None
        }
    }
}

/// Why a cache cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub enum Unusable {
    /// It was made for other inputs, settings or another version of frontdoor.
    Stale,
    /// Its bytes are not what was written (said how).
    Damaged(&'static str),
}

/// A graph from the bytes of a cache file, checked whole before it is read.
pub fn decode(bytes: &[u8], key: &str, mode: Mode) -> Result<Graph, Unusable> {
    let mut r = Reader(bytes);
    match r.take::<8>() {
        Some(m) if &m == MAGIC => {}
        Some(m) if m.starts_with(b"FDGRAPH") => return Err(Unusable::Stale),
        _ => return Err(Unusable::Damaged("not a frontdoor graph cache")),
    }
    let len = r.u64().ok_or(Unusable::Damaged("cut short"))?;
    let sum = r.take::<32>().ok_or(Unusable::Damaged("cut short"))?;
    if len != r.0.len() as u64 {
        return Err(Unusable::Damaged("its length is not the one recorded"));
    }
    if crate::fingerprint::sha256_bytes(r.0) != sum {
        return Err(Unusable::Damaged("its checksum does not match"));
    }
    parse(r.0, key, mode)
}

/// The body: every count is checked against the bytes left before anything is allocated.
fn parse(bytes: &[u8], key: &str, mode: Mode) -> Result<Graph, Unusable> {
    const BAD: Unusable = Unusable::Damaged("its contents are inconsistent");
    let mut r = Reader(bytes);
    let klen = r.u32().ok_or(BAD)? as usize;
    if r.0.len() < klen {
        return Err(BAD);
    }
    if &r.0[..klen] != key.as_bytes() {
        return Err(Unusable::Stale);
    }
    r.0 = &r.0[klen..];
    let n = r.count(24).ok_or(BAD)?;
    let mut nodes = Vec::with_capacity(n);
    let mut osm_ids = Vec::with_capacity(n);
    for _ in 0..n {
        nodes.push(r.coord().ok_or(BAD)?);
        osm_ids.push(r.i64().ok_or(BAD)?);
    }
    let m = r.count(36).ok_or(BAD)?;
    let mut links = Vec::with_capacity(m);
    for _ in 0..m {
        links.push(r.link(n).ok_or(BAD)?);
    }
    let dropped_nodes = r.u64().ok_or(BAD)? as usize;
    let dropped_links = r.u64().ok_or(BAD)? as usize;
    if !r.0.is_empty() {
        return Err(BAD);
    }
    Ok(Graph::from_parts(
        mode,
        nodes,
        osm_ids,
        links,
        dropped_nodes,
        dropped_links,
    ))
}
