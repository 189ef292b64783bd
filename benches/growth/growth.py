"""Growth of a straight-line run with the study's size: wall time, peak memory and each stage's
time (from `frontdoor run -vv`) at 10, 50, 100 and 262 synthetic tiles (a tile is a 40 x 30 km
district of about 129 zones and 520 sites; 262 tiles is England's 33,800 zones).

Then network reach at three grid sizes (62,500, 250,000 and 504,100 nodes, the last the
county grid of 4,000 zones and 5,000 sites), walking and driving within 30 minutes on 1 and 2
threads, from `cargo bench --bench grid_reach` (benches/grid_reach.rs); `--no-network` skips it.

Run after a release build (`cargo build --release`), from the repository root:
    python3 benches/growth/growth.py [TILES ...] [--binary target/release/frontdoor] [--no-network]
Writes the studies and runs under target/growth/ and prints Markdown tables; each run is one
child process, its peak memory its own (os.wait4's ru_maxrss).
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
args = sys.argv[1:]
binary = os.path.join(ROOT, "target", "release", "frontdoor")
if "--binary" in args:
    k = args.index("--binary")
    binary = args[k + 1]
    del args[k : k + 2]
network = "--no-network" not in args
args = [a for a in args if a != "--no-network"]
tiles = [int(a) for a in args] or [10, 50, 100, 262]
work = os.path.join(ROOT, "target", "growth")
os.makedirs(work, exist_ok=True)


def timed(cmd):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stderr text)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_maxrss / 1024.0, err


rows = []
for n in tiles:
    study = os.path.join(work, f"t{n}")
    if not os.path.exists(os.path.join(study, "study.toml")):
        timed([binary, "synth", "--tiles", str(n), "--out", study, "-q"])
    zones = sum(1 for _ in open(os.path.join(study, "zones.geojson")) if '"Feature"' in _) or None
    out = os.path.join(work, f"t{n}-out")
    wall, peak, err = timed([binary, "run", os.path.join(study, "study.toml"), "--out", out, "-vv"])
    stages = dict((m.group(1), float(m.group(2))) for m in re.finditer(r"stage (\w+): ([0-9.]+) s", err))
    with open(os.path.join(out, "zones.csv")) as f:
        zones = sum(1 for _ in f) - 1
    rows.append((n, zones, wall, peak, stages))
    print(f"{n} tiles: {zones} zones, {wall:.1f} s, {peak:.0f} MB, {stages}", file=sys.stderr, flush=True)

names = sorted({k for r in rows for k in r[4]}, key=["load", "reach", "access", "decide", "scenarios", "render"].index)
print("| tiles | zones | wall (s) | peak (MB) | ms per zone | " + " | ".join(f"{k} (s)" for k in names) + " |")
print("|---" * (5 + len(names)) + "|")
for n, zones, wall, peak, st in rows:
    print(f"| {n} | {zones:,} | {wall:.1f} | {peak:,.0f} | {1000 * wall / zones:.2f} | "
          + " | ".join(f"{st.get(k, 0):.1f}" for k in names) + " |")

if network:
    print()
    sys.stdout.flush()
    subprocess.run(["cargo", "bench", "--quiet", "--bench", "grid_reach", "--", "250", "500", "710"],
                   cwd=ROOT, check=True)
