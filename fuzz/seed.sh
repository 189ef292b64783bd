#!/usr/bin/env bash
# Builds the fuzzers' seed corpora in fuzz/corpus/<target>/ from the demo study, the tests'
# studies, ../shared (read there, never committed) and a tiny network run of frontdoor.
# Usage: fuzz/seed.sh   (from the repository root; needs target/debug/frontdoor or builds it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
c="$root/fuzz/corpus"
shared="$root/../shared/data"
rm -rf "$c" && mkdir -p "$c"/{study_toml,table_csv,table_geojson,table_parquet,table_xlsx,table_gpkg,osm_xml,osm_pbf,graph_cache,scenario,costs}
bin="$root/target/debug/frontdoor"
[ -x "$bin" ] || (cd "$root" && cargo build --locked -q)
cp "$root"/data/demo/study.toml "$root"/tests/studies/*.toml "$c/study_toml/"
cp "$root"/data/demo/scenarios/*.toml "$c/scenario/"
for f in "$root"/data/demo/*.csv "$shared"/porto-alegre/poa_hexgrid.csv "$shared"/porto-alegre/poa_points_of_interest.csv; do
  head -n 40 "$f" > "$c/table_csv/$(basename "$f")"
done
python3 - "$root/data/demo/zones.geojson" "$c/table_geojson/zones3.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["features"] = d["features"][:3]
json.dump(d, open(sys.argv[2], "w"))
PY
printf 'demand_id,site_id,cost\nD1,S1,3\nD1,S2,7.5\nD2,S1,1\nD3,S2,0\n' > "$c/costs/costs.csv"
cp "$shared"/oxford-centre-osm/oxford_centre_2015.osm.pbf "$c/osm_pbf/"
# A tiny network study: its OSM file is a seed, its caches and matrix.parquet are others.
t=$(mktemp -d)
cat > "$t/net.osm" <<'OSM'
<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6">
<node id="1" lat="51.7500" lon="-1.2600"/>
<node id="2" lat="51.7500" lon="-1.2540"/>
<node id="3" lat="51.7540" lon="-1.2540"/>
<node id="4" lat="51.7540" lon="-1.2600"/>
<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="residential"/></way>
<way id="11"><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="highway" v="primary"/><tag k="oneway" v="yes"/></way>
</osm>
OSM
printf 'id,population,lon,lat\nZ1,100,-1.2590,51.7505\nZ2,50,-1.2550,51.7535\n' > "$t/zones.csv"
printf 'id,name,agency,kind,lon,lat\nS1,Hall,Council,office,-1.2545,51.7502\n' > "$t/sites.csv"
printf 'name = "seed"\n[zones]\npath = "zones.csv"\n[[sites]]\npath = "sites.csv"\n[travel]\nmodes = ["walk", "drive"]\nnetwork = "net.osm"\n' > "$t/study.toml"
"$bin" reach "$t/study.toml" --out "$t/out" -q --format csv --format geoparquet --format gpkg
cp "$t/net.osm" "$c/osm_xml/"
cp "$t/study.toml" "$c/study_toml/tiny.toml"
cp "$t/out/matrix.parquet" "$t/out/catchments.parquet" "$c/table_parquet/"
cp "$t/out/frontdoor.gpkg" "$c/table_gpkg/"
python3 -c "import openpyxl, sys; wb = openpyxl.Workbook(); ws = wb.active; ws.append(['id', 'population', 'lon', 'lat']); ws.append(['Z1', 100, -1.259, 51.75]); wb.save(sys.argv[1])" "$c/table_xlsx/zones.xlsx" || true
for f in "$t"/*.fdgraph; do
  cp "$f" "$c/graph_cache/$(basename "$f")"
  tail -c +49 "$f" > "$c/graph_cache/$(basename "$f").body"
done
rm -rf "$t"
echo "seed corpora in $c:"; for d in "$c"/*; do echo "  $(basename "$d"): $(ls "$d" | wc -l) files"; done
