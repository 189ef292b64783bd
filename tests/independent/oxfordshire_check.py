"""Independent figures for the Oxfordshire study, computed without frontdoor.

Reads the same files in ../shared/data, projects with pyproj (EPSG:4326 -> EPSG:27700) and
measures straight-line distances in metres. Run:  python3 tests/independent/oxfordshire_check.py
Its output is kept beside it as oxfordshire_expected.json, and tests/oxfordshire.rs asserts it.
"""
import json
import math
import os

from oxfordshire_common import open_libraries, rows, to_bng

HERE = os.path.dirname(os.path.abspath(__file__))

zones = rows("oxfordshire-population", "lsoa11_population_mid2020_agebands_oxfordshire.csv")
libraries = open_libraries()
gps = [
    r
    for r in rows("oxfordshire-sites", "gp_practices_epraccur_oxfordshire.csv")
    if r["Status Code"] == "A" and r["Prescribing Setting"] == "4"
]
stops = rows("oxfordshire-sites", "bus_stops_naptan_oxfordshire_2016.csv")
fms = [r for r in rows("oxfordshire-demand-fixmystreet", "fms_reports_lsoa11_all_total.csv") if r["period"] == "all_time"]

zxy = {z["LSOA11CD"]: to_bng.transform(float(z["centroid_lon"]), float(z["centroid_lat"])) for z in zones}
lxy = {l["Name"]: to_bng.transform(float(l["Longitude"]), float(l["Latitude"])) for l in libraries}


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])

out = {
    "zones": len(zones),
    "population": sum(int(z["all_ages"]) for z in zones),
    "age_65_plus": sum(int(z["age_65_plus"]) for z in zones),
    "libraries": len(libraries),
    "gp_practices": len(gps),
    "bus_stops": len(stops),
    "fixmystreet_reports_all_time": sum(int(r["reports"]) for r in fms),
}

# Nearest library of named zones, with distance.
named = ["E01028422", "E01028494", "E01028560", "E01028632", "E01028703", "E01028774"]
nearest = {}
for code in named:
    d, name = min((dist(zxy[code], p), n) for n, p in lxy.items())
    nearest[code] = {"library": name, "metres": round(d, 1)}
out["nearest_library"] = nearest

# Population with a library within 1, 2, 3 km; and the closest any zone-library distance comes
# to those thresholds (so that a metre of projection difference cannot change the answer).
margin = min(abs(dist(zxy[z], p) - t) for z in zxy for p in lxy.values() for t in (1000, 2000, 3000))
within = {}
for t in (1000, 2000, 3000):
    within[str(t)] = sum(int(z["all_ages"]) for z in zones if any(dist(zxy[z["LSOA11CD"]], p) <= t for p in lxy.values()))
out["population_with_library_within_m"] = within
out["threshold_margin_m"] = round(margin, 2)

# Per library, 2 km: population within, and unique (no other library within 2 km of the zone).
per = {}
for name in ["Oxfordshire County Library", "Witney", "Banbury", "Headington"]:
    p = lxy[name]
    inside = [z for z in zones if dist(zxy[z["LSOA11CD"]], p) <= 2000]
    unique = [z for z in inside if sum(1 for q in lxy.values() if dist(zxy[z["LSOA11CD"]], q) <= 2000) == 1]
    per[name] = {
        "population": sum(int(z["all_ages"]) for z in inside),
        "unique_population": sum(int(z["all_ages"]) for z in unique),
        "unique_age_65_plus": sum(int(z["age_65_plus"]) for z in unique),
    }
out["library_2km"] = per

text = json.dumps(out, indent=2, sort_keys=True)
with open(os.path.join(HERE, "oxfordshire_expected.json"), "w") as f:
    f.write(text + "\n")
print(text)
