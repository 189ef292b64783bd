//! `frontdoor network`: an OpenStreetMap file read as frontdoor's routing graph of one mode,
//! optionally exported for checking with other tools.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::crs::Crs;
use crate::error::{Error, Result};
use crate::mode::{default_mode_params, Mode};
use crate::network::{self, graph, osm};
use crate::render::OutputDir;

/// What `frontdoor network` found.
pub struct NetworkSummary {
    /// Highway ways read.
    pub ways: usize,
    /// Nodes of those ways.
    pub nodes: usize,
    /// Time to read the file.
    pub read: Duration,
    /// The working CRS of the graph.
    pub crs: Crs,
    /// The graph of the mode.
    pub graph: graph::Graph,
    /// Time to build the graph.
    pub built: Duration,
}

/// Reads `file`, builds the graph of `mode` in `crs` (default: BNG in Great Britain, else the
/// local UTM zone). [`export_network`] writes the graph out.
pub fn inspect_network(file: &Path, mode: Mode, crs: Option<&str>) -> Result<NetworkSummary> {
    let t = std::time::Instant::now();
    let data = osm::read_osm(file)?;
    let read = t.elapsed();
    let crs = match crs {
        Some(c) => Crs::parse(c).map_err(Error::Usage)?,
        None => network::working_crs_for(&data)?,
    };
    let walk = default_mode_params(Mode::Walk).speed_kmh;
    let cycle = default_mode_params(Mode::Cycle).speed_kmh;
    let t2 = std::time::Instant::now();
    let g = graph::build_graph(&data, mode, walk, cycle, &crs)?;
    let built = t2.elapsed();
    Ok(NetworkSummary {
        ways: data.ways.len(),
        nodes: data.nodes.len(),
        read,
        crs,
        graph: g,
        built,
    })
}

/// Writes a graph as nodes.csv and arcs.csv into `dir` (replacing the folder as a whole, like
/// every output folder); `file` is the OSM file it came from, which the folder must not hold.
pub fn export_network(g: &graph::Graph, file: &Path, dir: &Path) -> Result<PathBuf> {
    let mut out = OutputDir::create(dir, &[file.to_path_buf()])?;
    for (name, text) in network::graph_tables(g) {
        out.write(name, text.as_bytes())?;
    }
    out.commit()
}
