"""The capacitated p-median on spopt's San Francisco data, solved by spopt 0.7.0 with PuLP's CBC
(not by frontdoor): 205 census tracts (POP2000 weights), 16 candidate stores, network distances
in metres, every store given the same capacity, a share over the total weight / p so that
capacities bind; single-source as spopt's (binary assignment variables).
Run:  python3 tests/independent/sf_capacitated.py
Output kept beside it as sf_capacitated_expected.json; tests/optimise_peers.rs asserts it.
"""
import json
import os
import time

import numpy as np
import pandas as pd
import pulp
from spopt.locate import PMedian

HERE = os.path.dirname(os.path.abspath(__file__))
SF = os.path.join(HERE, "..", "..", "..", "shared", "peers", "spopt-san-francisco")

demand = pd.read_csv(os.path.join(SF, "SF_demand_205_centroid_uniform_weight.csv"), dtype={"NAME": str})
costs = pd.read_csv(os.path.join(SF, "SF_network_distance_candidateStore_16_censusTract_205_new.csv"),
                    dtype={"DestinationName": str})
tracts = list(demand.NAME)
stores = sorted(costs.name.unique(), key=lambda s: int(s.split("_")[1]))
matrix = costs.pivot(index="DestinationName", columns="name", values="distance").loc[tracts, stores]
assert not matrix.isna().any().any()
cost = matrix.values
w = demand.POP2000.values.astype(float)
total = w.sum()

out = {"tracts": len(tracts), "stores": len(stores), "total_weight": total, "cases": []}
for p, share in [(4, 1.05), (5, 1.1), (6, 1.02)]:
    cap = np.full(len(stores), share * total / p)
    t = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, w, p_facilities=p, facility_capacities=cap)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    seconds = time.perf_counter() - t
    status = pulp.LpStatus[model.problem.status]
    assert status == "Optimal", status
    chosen = sorted(stores[j] for j in range(len(stores)) if model.fac_vars[j].value() > 0.5)
    case = {
        "p": p,
        "capacity_share": share,
        "capacity": share * total / p,
        "objective": pulp.value(model.problem.objective),
        "chosen": chosen,
        "cbc_seconds": round(seconds, 2),
    }
    print(case, flush=True)
    out["cases"].append(case)

with open(os.path.join(HERE, "sf_capacitated_expected.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
