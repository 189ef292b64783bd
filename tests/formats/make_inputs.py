"""Writes the demo study's inputs in the formats analysts keep them in, with their own tools:
zones as a GeoPackage (geopandas/GDAL) and as GeoParquet (geopandas), the buildings as a
GeoParquet of British National Grid points (with the CRS in its metadata) and as an Excel
workbook (pandas/openpyxl, the sites on a sheet named "Sites" after a notes sheet), the
demand as an Excel workbook. The study files that read them are written beside.

usage: make_inputs.py DEMO_DIR OUT_DIR
"""
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd

demo, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
zones = gpd.read_file(demo / "zones.geojson")
zones.to_file(out / "zones.gpkg", layer="small_areas", driver="GPKG")
zones.to_parquet(out / "zones.parquet")
sites = pd.read_csv(demo / "sites.csv", dtype=str, keep_default_na=False)
g = gpd.GeoDataFrame(
    sites.drop(columns=["easting", "northing"]),
    geometry=gpd.points_from_xy(sites["easting"].astype(float), sites["northing"].astype(float)),
    crs="EPSG:27700",
)
g.to_parquet(out / "sites.parquet")
with pd.ExcelWriter(out / "estate.xlsx") as x:
    pd.DataFrame({"notes": ["the estate register, exported"]}).to_excel(x, sheet_name="Notes", index=False)
    # Numbers as numbers (as a spreadsheet holds them), text as text.
    typed = sites.copy()
    for c in ["annual_cost", "capacity", "floor_area_m2", "easting", "northing"]:
        typed[c] = pd.to_numeric(typed[c])
    typed.to_excel(x, sheet_name="Sites", index=False)
demand = pd.read_csv(demo / "demand.csv", dtype=str, keep_default_na=False)
demand["count"] = pd.to_numeric(demand["count"])
demand.to_excel(out / "demand.xlsx", index=False)
shutil.copy(demo / "bus_stops.csv", out / "bus_stops.csv")
study = (demo / "study.toml").read_text()
gpkg = (
    study.replace('path = "zones.geojson"', 'path = "zones.gpkg"\nlayer = "small_areas"')
    .replace('path = "sites.csv"\ncrs = "EPSG:27700"\nx = "easting"\ny = "northing"', 'path = "sites.parquet"')
    .replace('path = "demand.csv"', 'path = "demand.xlsx"')
)
(out / "gpkg.toml").write_text(gpkg)
xlsx = (
    study.replace('path = "zones.geojson"', 'path = "zones.parquet"')
    .replace('path = "sites.csv"', 'path = "estate.xlsx"\nlayer = "Sites"')
    .replace('path = "demand.csv"', 'path = "demand.xlsx"')
)
(out / "xlsx.toml").write_text(xlsx)
(out / "xlsx-bad.toml").write_text(xlsx.replace("estate.xlsx", "estate-bad.xlsx"))
# Two mistakes as a user makes them: text in a money cell (F4), a row without its id (A6).
import openpyxl

wb = openpyxl.load_workbook(out / "estate.xlsx")
wb["Sites"]["F4"] = "lots"
wb["Sites"]["A6"] = None
wb.save(out / "estate-bad.xlsx")
print("ok")
