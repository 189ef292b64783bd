"""Shortest paths on frontdoor's routing graphs, computed by networkx (an independent Dijkstra).

For each graph, frontdoor exports its nodes and arcs:
    frontdoor network FILE --mode MODE --export DIR
This script picks 1,000 node pairs with a fixed seed and writes, for each, the shortest travel
time in milliseconds that networkx finds over the same arcs:
    python3 tests/independent/shortest_paths.py NAME DIR
writes tests/independent/paths_NAME.csv (source_osm, target_osm, ms). tests/network_peers.rs
builds the same graph from the same file and asserts frontdoor's Dijkstra gives the same times.
"""
import csv
import os
import random
import sys

import networkx as nx

name, folder = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
osm = {}
with open(os.path.join(folder, "nodes.csv")) as f:
    for r in csv.DictReader(f):
        osm[int(r["node"])] = int(r["osm_id"])
g = nx.DiGraph()
g.add_nodes_from(osm)
with open(os.path.join(folder, "arcs.csv")) as f:
    for r in csv.DictReader(f):
        a, b, ms = int(r["from"]), int(r["to"]), int(r["ms"])
        # Parallel arcs: keep the quickest, as a shortest path would.
        if not g.has_edge(a, b) or g[a][b]["ms"] > ms:
            g.add_edge(a, b, ms=ms)
rng = random.Random(20261123)
nodes = sorted(osm)
pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(1000)]
by_source = {}
for s, t in pairs:
    by_source.setdefault(s, []).append(t)
times = {}
for s, targets in by_source.items():
    dist = nx.single_source_dijkstra_path_length(g, s, weight="ms")
    for t in targets:
        times[(s, t)] = dist.get(t, -1)
out = os.path.join(here, f"paths_{name}.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["source_osm", "target_osm", "ms"])
    for s, t in pairs:
        w.writerow([osm[s], osm[t], times[(s, t)]])
print(f"{out}: {len(pairs)} pairs on {g.number_of_nodes()} nodes, {g.number_of_edges()} arcs")
