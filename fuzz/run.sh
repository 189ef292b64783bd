#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 240), two at a time, from the seed corpora
# (fuzz/seed.sh), and prints executions and crashes per target. Needs the nightly toolchain
# and cargo-fuzz (`cargo install cargo-fuzz`); the first build takes about 35 minutes on 2 cores
# (polars, instrumented). Crashes land in fuzz/artifacts/<target>/; keep each, once fixed, in
# tests/fuzz_cases/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-240}
[ -d corpus ] || ./seed.sh
cargo +nightly fuzz build -s none
logs=$(mktemp -d)
targets=(graph_cache study_toml osm_xml scenario table_csv table_geojson table_parquet table_xlsx table_gpkg osm_pbf costs)
run() {
  cargo +nightly fuzz run -s none "$1" "corpus/$1" -- -max_total_time="$secs" \
    -print_final_stats=1 -rss_limit_mb=4096 -timeout=20 > "$logs/$1.log" 2>&1
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  [ -n "${targets[i+1]:-}" ] && run "${targets[i+1]}" &
  wait
done
total=0
for t in "${targets[@]}"; do
  n=$(grep -oP 'stat::number_of_executed_units: \K[0-9]+' "$logs/$t.log" || echo 0)
  crash=$(grep -c 'ERROR: libFuzzer' "$logs/$t.log")
  cov=$(grep -oP '#\d+\s+DONE\s+cov: \K[0-9]+' "$logs/$t.log" || grep -oP 'cov: \K[0-9]+' "$logs/$t.log" | tail -1)
  printf '%-14s %12s executions  coverage %6s  crashes %s\n' "$t" "$n" "${cov:-?}" "$crash"
  total=$((total + n))
done
echo "total: $total executions; logs in $logs"
