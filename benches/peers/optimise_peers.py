"""spopt 0.7.0 with PuLP's CBC on the instances `cargo bench --bench optimise` writes to
target/bench-optimise/<name>/ (demand.csv with weights and points, sites.csv with points):
Euclidean costs (scipy cdist), as ../shared/peers/README.md timed them.

Run after the bench:  python3 benches/peers/optimise_peers.py [name ...] [--time-limit S]
(no names: every instance the bench wrote)
Prints, per instance, spopt's build and solve times, status and objective.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
import pulp
from scipy.spatial.distance import cdist
from spopt.locate import MCLP, PMedian

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "target", "bench-optimise"))

args = [a for a in sys.argv[1:] if not a.startswith("--")]
limit = None
if "--time-limit" in sys.argv:
    limit = float(sys.argv[sys.argv.index("--time-limit") + 1])
    args = [a for a in args if a != sys.argv[sys.argv.index("--time-limit") + 1]]
names = args or sorted(os.listdir(ROOT))

for name in names:
    d = pd.read_csv(os.path.join(ROOT, name, "demand.csv"))
    s = pd.read_csv(os.path.join(ROOT, name, "sites.csv"))
    cost = cdist(d[["x", "y"]].values, s[["x", "y"]].values)
    w = d.weight.values.astype(float)
    p = int(name.split("_p")[1].split("_")[0])
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=limit)
    t0 = time.perf_counter()
    if name.startswith("cpmedian"):
        cap = s.capacity.values.astype(float)
        model = PMedian.from_cost_matrix(cost, w, p_facilities=p, facility_capacities=cap)
    elif name.startswith("pmedian"):
        model = PMedian.from_cost_matrix(cost, w, p_facilities=p)
    else:
        model = MCLP.from_cost_matrix(cost, w, service_radius=1500.0, p_facilities=p)
    t1 = time.perf_counter()
    model = model.solve(solver)
    t2 = time.perf_counter()
    status = pulp.LpStatus[model.problem.status]
    print(f"{name}: spopt build {t1 - t0:.2f} s, CBC solve {t2 - t1:.2f} s, total {t2 - t0:.2f} s; "
          f"status {status}, objective {pulp.value(model.problem.objective):.6e}", flush=True)
