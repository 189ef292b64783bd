"""The Porto Alegre matrices of benches/network.rs, computed by pandana and networkx on the same
graph, for a speed ratio. Not part of the build or the tests; run by hand:

    cargo run --release -- network ../shared/data/porto-alegre/poa_osm.pbf --mode walk --export /tmp/pa-walk
    cargo run --release -- network ../shared/data/porto-alegre/poa_osm.pbf --mode drive --export /tmp/pa-drive
    python3 benches/peers/matrix_peers.py /tmp/pa-walk /tmp/pa-drive

Origins are the 1,227 hexagon centres, destinations the 117 with a health facility and then all
1,227, each placed at its nearest graph node (frontdoor joins points to the nearest point of the
nearest link instead: slightly more work, never less). Times printed in seconds.
"""
import csv
import os
import sys
import time

import networkx as nx
import numpy as np
import pandas as pd
import pandana as pdna
from pyproj import Transformer
from scipy.spatial import cKDTree

HEX = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "porto-alegre", "poa_hexgrid.csv")
hexes = pd.read_csv(HEX)
x, y = Transformer.from_crs(4326, 32722, always_xy=True).transform(hexes["lon"].values, hexes["lat"].values)
health = (hexes["healthcare"].fillna(0) > 0).values

for folder in sys.argv[1:]:
    nodes = pd.read_csv(os.path.join(folder, "nodes.csv"))
    arcs = pd.read_csv(os.path.join(folder, "arcs.csv"))
    # One arc per ordered pair (the quickest), no loops, and weights in seconds: pandana 0.8
    # scales weights internally, and its contraction hierarchies stall on millisecond integers
    # (seen here: no progress in 5 minutes on 18,631 nodes; 0.5 s with seconds).
    arcs = arcs.sort_values("ms").drop_duplicates(["from", "to"]).sort_values(["from", "to"])
    arcs = arcs[arcs["from"] != arcs["to"]]
    arcs["s"] = arcs["ms"] / 1000.0
    tree = cKDTree(nodes[["x", "y"]].values)
    _, near = tree.query(np.column_stack([x, y]))
    origins = nodes["node"].values[near]
    for label, dests in [("1227x117", origins[health]), ("1227x1227", origins)]:
        # pandana: contraction hierarchies, then one query per origin-destination pair.
        t0 = time.perf_counter()
        net = pdna.Network(nodes.set_index("node")["x"], nodes.set_index("node")["y"], arcs["from"], arcs["to"], arcs[["s"]], twoway=False)
        t1 = time.perf_counter()
        o = np.repeat(origins, len(dests))
        d = np.tile(dests, len(origins))
        lengths = net.shortest_path_lengths(o, d, imp_name="s")
        t2 = time.perf_counter()
        # networkx: one Dijkstra per destination on the reversed graph.
        g = nx.DiGraph()
        for a, b, ms in arcs[["from", "to", "ms"]].itertuples(index=False):
            if not g.has_edge(b, a) or g[b][a]["ms"] > ms:
                g.add_edge(b, a, ms=ms)
        t3 = time.perf_counter()
        for dst in dests:
            nx.single_source_dijkstra_path_length(g, int(dst), weight="ms")
        t4 = time.perf_counter()
        print(f"{os.path.basename(folder)} {label}: pandana {t2 - t0:.2f} s (preprocess {t1 - t0:.2f}, {len(o)} queries {t2 - t1:.2f}); networkx {t4 - t3:.2f} s ({len(dests)} searches; graph load {t3 - t2:.2f})")
