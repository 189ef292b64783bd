"""Independent figures for the Oxfordshire scenarios and accessibility measures, without frontdoor.

Reads the same files in ../shared/data, projects with pyproj (EPSG:4326 -> EPSG:27700), places
libraries in districts with shapely (the LSOA polygon containing each library), and measures
straight-line distances in metres, with the study's speeds (walk 100 m a minute in a straight
line; drive 40 km/h with a circuity of 1.35). Accessibility is computed by PySAL access 1.1.10
itself on the same cost table. Run:
    python3 tests/independent/oxfordshire_scenarios.py
It writes the two scenario files (tests/studies/oxfordshire-*.toml) and its figures to
oxfordshire_scenarios_expected.json beside it; tests/oxfordshire.rs asserts them.
"""
import json
import math
import os

import pandas as pd
from shapely.geometry import Point, shape

import access
from access import weights

from oxfordshire_common import DATA, open_libraries, rows, to_bng

HERE = os.path.dirname(os.path.abspath(__file__))
STUDIES = os.path.normpath(os.path.join(HERE, "..", "studies"))
BANDS = (10, 20, 30)


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def walk_min(d):
    return d / 100.0


def drive_min(d):
    return d * 1.35 / (40.0 * 1000.0 / 60.0)

MODES = {"walk": walk_min, "drive": drive_min}

zones = rows("oxfordshire-population", "lsoa11_population_mid2020_agebands_oxfordshire.csv")
zxy = {z["LSOA11CD"]: to_bng.transform(float(z["centroid_lon"]), float(z["centroid_lat"])) for z in zones}
pop = {z["LSOA11CD"]: float(z["all_ages"]) for z in zones}
old = {z["LSOA11CD"]: float(z["age_65_plus"]) for z in zones}

libraries = open_libraries()
lxy = {l["Name"]: to_bng.transform(float(l["Longitude"]), float(l["Latitude"])) for l in libraries}
# Council offices within 5 km of a zone point (the study's clip_to_zones_km = 5).
offices = {}
for r in rows("oxfordshire-sites", "council_offices_uk.csv"):
    p = to_bng.transform(float(r["longitude"]), float(r["latitude"]))
    if min(dist(p, q) for q in zxy.values()) <= 5000:
        offices[r["name"]] = p
gps = [
    r
    for r in rows("oxfordshire-sites", "gp_practices_epraccur_oxfordshire.csv")
    if r["Status Code"] == "A" and r["Prescribing Setting"] == "4"
]
gxy = {g["org_code"]: to_bng.transform(float(g["longitude"]), float(g["latitude"])) for g in gps}

# District of each library: the LSOA polygon holding it; its name without the "001A" suffix.
with open(os.path.join(DATA, "oxfordshire-population", "lsoa11_boundaries_oxfordshire.geojson"), encoding="utf-8") as f:
    lsoas = [(shape(ft["geometry"]), ft["properties"]["LSOA11NM"]) for ft in json.load(f)["features"]]
district = {}
for l in libraries:
    pt = Point(float(l["Longitude"]), float(l["Latitude"]))
    for poly, name in lsoas:
        if poly.contains(pt):
            district[l["Name"]] = name.rsplit(" ", 1)[0]
            break

DISTRICT = "West Oxfordshire"
closed = sorted(n for n, d in district.items() if d == DISTRICT)

# Services: libraries offer library services and information and advice; council offices
# council tax, street reports and information and advice.
LIB, INFO = "library services", "information and advice"


def providers(service, shut=(), host=None, host_takes=()):
    out = {}
    if service in (LIB, INFO):
        out.update({n: p for n, p in lxy.items() if n not in shut})
    if service == INFO:
        out.update(offices)
    if host is not None and service in host_takes:
        out[host] = offices[host]
    return out


def nearest_minutes(service, mode, **kw):
    ps = list(providers(service, **kw).values())
    return {z: MODES[mode](min(dist(zxy[z], p) for p in ps)) for z in zxy}


def evaluate(name, **after):
    res = {"population_losing": {}, "age_65_plus_losing": {}, "zones_losing": {}}
    margin = float("inf")
    for mode in MODES:
        before = {s: nearest_minutes(s, mode) for s in (LIB, INFO)}
        aft = {s: nearest_minutes(s, mode, **after) for s in (LIB, INFO)}
        for b in BANDS:
            losing = [
                z for z in zxy if any(before[s][z] <= b and aft[s][z] > b for s in (LIB, INFO))
            ]
            key = f"{b}min_{mode}"
            res["population_losing"][key] = sum(pop[z] for z in losing)
            res["age_65_plus_losing"][key] = sum(old[z] for z in losing)
            res["zones_losing"][key] = sorted(losing)
            for s in (LIB, INFO):
                for z in zxy:
                    margin = min(margin, abs(before[s][z] - b), abs(aft[s][z] - b))
        # Minutes to the farther of the two services, for a few zones.
        res[f"minutes_{mode}"] = {
            z: [round(max(before[LIB][z], before[INFO][z]), 4), round(max(aft[LIB][z], aft[INFO][z]), 4)]
            for z in ["E01028422", "E01028560", "E01028703", "E01028774"]
        }
    res["threshold_margin_minutes"] = round(margin, 4)
    return res

out = {"district": DISTRICT, "closed_libraries": closed}
out["close_district"] = evaluate("close", shut=set(closed))

# Share: Witney library moves into the offices of West Oxfordshire District Council (named
# "West Oxfordshire" in the council offices file), which takes on library services.
HOST = "West Oxfordshire"
assert HOST in offices, sorted(offices)
out["share"] = evaluate("share", shut={"Witney"}, host=HOST, host_takes=(LIB, INFO))
out["share"]["host"] = HOST

with open(os.path.join(STUDIES, "oxfordshire-close-west-libraries.toml"), "w") as f:
    f.write(f"# Written by tests/independent/oxfordshire_scenarios.py: every library in {DISTRICT}\n")
    f.write(f'description = "Close every library in {DISTRICT}"\n')
    f.write("close = [" + ", ".join(json.dumps(n) for n in closed) + "]\n")
with open(os.path.join(STUDIES, "oxfordshire-share-witney.toml"), "w") as f:
    f.write("# Written by tests/independent/oxfordshire_scenarios.py\n")
    f.write(f'description = "Move Witney library into the offices of {HOST}"\n')
    f.write(f'share = [{{ host = "{HOST}", guests = ["Witney"] }}]\n')

# PySAL access on the same cost tables: 2SFCA of library services within 20 min walk
# (population), and E2SFCA of GP practices by car for people aged 65+ (default steps).


def access_scores(sites_xy, mode, demand, max_cost, method):
    cost = pd.DataFrame(
        [
            (z, s, MODES[mode](dist(zxy[z], p)))
            for z in zxy
            for s, p in sites_xy.items()
        ],
        columns=["origin", "dest", "cost"],
    )
    cost = cost[cost.cost <= 30.0]  # frontdoor keeps travel times up to the largest band
    dem = pd.DataFrame({"geoid": list(zxy), "demand": [demand[z] for z in zxy]})
    sup = pd.DataFrame({"geoid": list(sites_xy), "supply": [1.0] * len(sites_xy)})
    a = access.Access(
        demand_df=dem, demand_index="geoid", demand_value="demand",
        supply_df=sup, supply_index="geoid", supply_value="supply",
        cost_df=cost, cost_origin="origin", cost_dest="dest", cost_name="cost",
    )
    if method == "2sfca":
        r = a.two_stage_fca(name="x", max_cost=max_cost)
    else:
        r = a.enhanced_two_stage_fca(name="x", max_cost=max_cost)
    col = r.columns[0]
    return {z: (None if pd.isna(v) else float(v)) for z, v in r[col].items()}

out["access_2sfca_walk_library_services"] = access_scores(lxy, "walk", pop, 20.0, "2sfca")
out["access_e2sfca_drive_gp_65_plus"] = access_scores(gxy, "drive", old, 30.0, "e2sfca")

text = json.dumps(out, indent=1, sort_keys=True)
with open(os.path.join(HERE, "oxfordshire_scenarios_expected.json"), "w") as f:
    f.write(text + "\n")
print(json.dumps({k: v for k, v in out.items() if not k.startswith("access")}, indent=1)[:3000])
