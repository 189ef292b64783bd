"""PySAL access on the instance `cargo bench --bench scenario` writes to target/bench-access/.

10,000 demand points and 1,000 supply points uniform in a 10 km square, Euclidean metres;
2SFCA within 1,500 m and E2SFCA with steps {1500: 1, 3000: 0.68, 4500: 0.22}, as in
../shared/peers/README.md. The cost table holds every pair (10 M rows), as the peer timings did.
Prints access's times and the largest difference from frontdoor's scores (zones that access
leaves without a value, NaN, are compared with frontdoor's documented 0).

Run after the bench:  python3 benches/peers/access_peers.py
"""
import os
import time

import numpy as np
import pandas as pd

import access
from access import weights

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = os.path.normpath(os.path.join(HERE, "..", "..", "target", "bench-access"))

dem = pd.read_csv(os.path.join(DIR, "demand.csv"))
sup = pd.read_csv(os.path.join(DIR, "supply.csv"))
t0 = time.perf_counter()
dx = dem.x.values[:, None] - sup.x.values[None, :]
dy = dem.y.values[:, None] - sup.y.values[None, :]
cost = pd.DataFrame(
    {
        "origin": np.repeat(dem.id.values, len(sup)),
        "dest": np.tile(sup.id.values, len(dem)),
        "cost": np.sqrt(dx * dx + dy * dy).ravel(),
    }
)
print(f"cost table: {len(cost):,} rows in {time.perf_counter() - t0:.2f} s")

a = access.Access(
    demand_df=dem, demand_index="id", demand_value="demand",
    supply_df=sup, supply_index="id", supply_value="supply",
    cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost",
)


def compare(name, series):
    fd = pd.read_csv(os.path.join(DIR, f"frontdoor_{name}.csv")).set_index("id")["score"]
    ours = series.reindex(fd.index).fillna(0.0)
    diff = (ours - fd).abs()
    rel = (diff / fd.abs().where(fd.abs() > 0, 1.0)).max()
    print(f"  {name}: max |access - frontdoor| = {diff.max():.3e} (relative {rel:.3e}); "
          f"{series.isna().sum() + (len(fd) - len(series.dropna()))} zones without a value in access")


t = time.perf_counter()
r = a.two_stage_fca(name="tsfca", max_cost=1500)
print(f"access 2SFCA: {time.perf_counter() - t:.2f} s")
compare("2sfca", r[r.columns[0]])

t = time.perf_counter()
r = a.enhanced_two_stage_fca(
    name="e2sfca", max_cost=4500, weight_fn=weights.step_fn({1500: 1, 3000: 0.68, 4500: 0.22})
)
print(f"access E2SFCA: {time.perf_counter() - t:.2f} s")
compare("e2sfca", r[r.columns[0]])
