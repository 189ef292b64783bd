"""Reads a frontdoor output folder's GeoParquet layers and GeoPackage with the analyst's tools
(geopandas, pyarrow, DuckDB, geoparquet-validator, GDAL's ogrinfo) and compares every layer
with the CSV and GeoJSON of the same run. Prints one JSON line of findings; exits non-zero on
the first disagreement.

usage: check_layers.py OUT_DIR
"""
import json
import math
import subprocess
import sys
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq

out = Path(sys.argv[1])
found = {"layers": {}, "gpkg_layers": [], "validator": {}, "duckdb": {}}


def fail(msg):
    print(json.dumps({"error": msg}))
    sys.exit(1)


def same_values(a, b, what):
    """Cells equal as the CSV wrote them: numbers to 1e-9, text exactly, blanks as blanks."""
    for col in b.columns:
        if col not in a.columns:
            fail(f"{what}: column {col} missing")
        for i, (x, y) in enumerate(zip(a[col].tolist(), b[col].tolist())):
            xn = x is None or (isinstance(x, float) and math.isnan(x))
            yn = y is None or (isinstance(y, float) and math.isnan(y)) or y == ""
            if xn and yn:
                continue
            if isinstance(x, bool) and isinstance(y, str):
                if str(x).lower() != y:
                    fail(f"{what}: row {i}, {col}: {x!r} != {y!r}")
            elif isinstance(x, bool) or isinstance(y, bool):
                # GDAL reads a boolean column with blanks as numbers (0, 1).
                if float(x) != float(y):
                    fail(f"{what}: row {i}, {col}: {x!r} != {y!r}")
            elif isinstance(x, (int, float)) and not isinstance(x, bool):
                if not math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-9):
                    fail(f"{what}: row {i}, {col}: {x!r} != {y!r}")
            elif str(x) != str(y):
                fail(f"{what}: row {i}, {col}: {x!r} != {y!r}")


layers = sorted(p.stem for p in out.glob("*.parquet") if p.stem != "matrix")
if not layers:
    fail("no GeoParquet layer")
for name in layers:
    path = out / f"{name}.parquet"
    meta = json.loads(pq.read_metadata(path).metadata[b"geo"])
    if meta["version"] != "1.1.0" or meta["columns"]["geometry"]["encoding"] != "WKB":
        fail(f"{name}: geo metadata {meta}")
    schema = pq.read_schema(path)
    views = [f.name for f in schema if "view" in str(f.type)]
    if views:
        fail(f"{name}: view types that old readers refuse: {views}")
    g = gpd.read_parquet(path)
    if str(g.crs) != "OGC:CRS84":
        fail(f"{name}: CRS {g.crs}")
    gj = gpd.read_file(out / f"{name}.geojson")
    if len(g) != len(gj):
        fail(f"{name}: {len(g)} rows in GeoParquet, {len(gj)} in GeoJSON")
    # The same geometries as the GeoJSON (both written from one set of rounded coordinates).
    for i, (a, b) in enumerate(zip(g.geometry, gj.geometry)):
        if not a.equals_exact(b, 1e-9):
            fail(f"{name}: feature {i}: geometry differs from the GeoJSON")
    # bbox covering column equals each geometry's bounds.
    bb = pd.DataFrame(pq.read_table(path, columns=["bbox"]).column("bbox").to_pylist())
    bounds = g.geometry.bounds
    for k in ["xmin", "ymin", "xmax", "ymax"] if len(g) else []:
        other = {"xmin": "minx", "ymin": "miny", "xmax": "maxx", "ymax": "maxy"}[k]
        if (bb[k] - bounds[other]).abs().max() > 1e-12:
            fail(f"{name}: bbox.{k} differs from the geometry's bounds")
    csv = out / f"{name}.csv"
    if csv.exists():
        c = pd.read_csv(csv, dtype=str, keep_default_na=False)
        typed = pd.DataFrame(
            {col: g[col] for col in c.columns}
        )
        if len(c) != len(g):
            fail(f"{name}: {len(g)} rows, {len(c)} in the CSV")
        same_values(typed, c, name)
    v = subprocess.run(
        ["geoparquet-validator", "check", "--json", str(path)],
        capture_output=True,
        text=True,
    )
    if v.returncode != 0:
        fail(f"{name}: geoparquet-validator: {v.stdout[-2000:]} {v.stderr[-500:]}")
    found["validator"][name] = "conformant"
    found["layers"][name] = {
        "rows": len(g),
        "types": sorted(set(g.geometry.geom_type)),
        "bounds": [round(x, 4) for x in g.total_bounds] if len(g) else None,
    }
    con = duckdb.connect()
    n = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
    if n != len(g):
        fail(f"{name}: DuckDB reads {n} rows")
    # DuckDB prunes on the covering bbox column: a window query returns what geopandas says.
    if len(g) == 0:
        found["duckdb"][name] = n
        continue
    x0, y0, x1, y1 = g.total_bounds
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    q = (
        f"select count(*) from read_parquet('{path}') "
        f"where bbox.xmin <= {mx} and bbox.ymin <= {my}"
    )
    window = con.execute(q).fetchone()[0]
    want = int(((bb["xmin"] <= mx) & (bb["ymin"] <= my)).sum())
    if window != want:
        fail(f"{name}: DuckDB window {window}, geopandas {want}")
    found["duckdb"][name] = n

gpkg = out / "frontdoor.gpkg"
if gpkg.exists():
    o = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(gpkg)], capture_output=True, text=True)
    text = o.stdout + o.stderr
    if o.returncode != 0 or "Warning" in text or "ERROR" in text:
        fail(f"ogrinfo: {text[-3000:]}")
    listed = gpd.list_layers(gpkg)
    for name in layers:
        table = name.replace("-", "_")
        if table not in set(listed["name"]):
            fail(f"{table} not in the GeoPackage: {list(listed['name'])}")
        a = gpd.read_file(gpkg, layer=table)
        b = gpd.read_parquet(out / f"{name}.parquet")
        if len(a) != len(b) or str(a.crs) != "EPSG:4326":
            fail(f"{table}: {len(a)} rows, CRS {a.crs}")
        for i, (x, y) in enumerate(zip(a.geometry, b.geometry)):
            if not x.equals_exact(y, 1e-12):
                fail(f"{table}: feature {i}: geometry differs from the GeoParquet")
        cols = [c for c in b.columns if c != "geometry"]
        same_values(a[cols], b[cols].astype(object).where(b[cols].notna(), ""), table)
        found["gpkg_layers"].append(table)
    styles = gpd.read_file(gpkg, layer="layer_styles")
    found["styles"] = sorted(styles["f_table_name"].tolist())
print(json.dumps(found))
