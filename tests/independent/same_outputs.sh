#!/usr/bin/env bash
# Runs the same commands with the binaries of two commits and compares every output:
#   tests/independent/same_outputs.sh BEFORE AFTER
# (run from the repository root, with ../shared beside it; the demo of each commit is its own). Outputs must be byte-identical;
# run.json is compared without its timings, thread count and version, and optimise-*.json without
# "seconds" (wall time). Error messages (stderr of refused commands) are listed when they differ.
set -u
before=$1; after=$2
root=$(pwd); work="$root/target/same-outputs"; rm -rf "$work"; mkdir -p "$work"
for rev in "$before" "$after"; do
  git worktree add -f "$work/src-$rev" "$rev" >/dev/null 2>&1
  (cd "$work/src-$rev" && CARGO_TARGET_DIR="$root/target" cargo build -q --locked --bin frontdoor) || exit 2
  cp "$root/target/debug/frontdoor" "$work/frontdoor-$rev"
  mkdir -p "$work/demo-$rev" && git archive "$rev" data/demo | tar -x -C "$work/demo-$rev"
  git worktree remove --force "$work/src-$rev"
done
S=tests/studies; SF=../shared/peers/spopt-san-francisco; OXF=../shared/data/oxford-centre-osm/oxford_centre_2015.osm.pbf
bad_scen="$work/bad-scenario.toml"; printf 'close = ["s000025", "NOPE"]\n' > "$bad_scen"
runall() {
  # Each commit's own demo, always at the same path (run.json records where the study was).
  BIN=$1; D="$work/demo"; rm -rf "$D"; cp -r "$2/data/demo" "$D"; OUT="$work/out"; rm -rf "$OUT"; mkdir -p "$OUT"
  run() { name=$1; shift; "$BIN" "$@" > "$OUT/$name.stdout" 2> "$OUT/$name.stderr"; echo $? > "$OUT/$name.rc"; }
  run demo run "$D/study.toml" --out "$OUT/demo" -q --scenario "$D"/scenarios/close-small-libraries.toml --scenario "$D"/scenarios/digital-first.toml --scenario "$D"/scenarios/share-town-hub.toml
  run demo-explain run "$D/study.toml" --out "$OUT/demo-explain" --explain S000025 -q
  run demo-check check "$D/study.toml"
  run oxon run $S/oxfordshire.toml --out "$OUT/oxon" -q
  run oxon-verbose run $S/oxfordshire.toml --out "$OUT/oxon-v"
  run oxon-scen scenario $S/oxfordshire.toml $S/oxfordshire-close-west-libraries.toml $S/oxfordshire-share-witney.toml --out "$OUT/oxon-scen"
  run oxon-opt optimise $S/oxfordshire.toml --model pmedian --p 30 --mode walk --kind library --out "$OUT/oxon-opt"
  run oxon-mclp optimise $S/oxfordshire.toml --model mclp --p 20 --standard 15 --mode walk --kind library --out "$OUT/oxon-mclp"
  run pa run $S/porto-alegre.toml --out "$OUT/pa" -q
  run pa-reach reach $S/porto-alegre.toml --out "$OUT/pa-reach" -q
  run pa-check check $S/porto-alegre.toml
  run net network $OXF --mode drive --crs EPSG:27700 --export "$OUT/net-export"
  for m in "pmedian --p 4" "mclp --p 4 --standard 5000" "pcenter --p 4" "lscp --standard 8000" "lscpb --standard 8000" "cpmedian --p 4"; do
    n=${m%% *}; run sf-$n optimise --costs $SF/SF_network_distance_candidateStore_16_censusTract_205_new.csv --demand $SF/SF_demand_205_centroid_uniform_weight.csv --demand-id NAME --costs-demand-id DestinationName --site-id name --cost-column distance --weight-column POP2000 --model $m --out "$OUT/sf-$n"
  done
  run synth synth --tiles 2 --out "$OUT/synth2"
  run bad-mode optimise $S/oxfordshire.toml --model pmedian --p 3 --mode bike --out "$OUT/bad"
  run bad-model optimise $S/oxfordshire.toml --model nope --p 3 --out "$OUT/bad"
  run bad-explain run "$D/study.toml" --out "$OUT/bad" --explain s000025
  run bad-scen scenario "$D/study.toml" "$bad_scen" --out "$OUT/bad"
  run bad-forbid optimise $S/oxfordshire.toml --model pmedian --p 3 --kind library --forbid NOPE --out "$OUT/bad"
  run bad-weight optimise $S/oxfordshire.toml --model pmedian --p 3 --weight nope --out "$OUT/bad"
  run bad-kind optimise $S/oxfordshire.toml --model pmedian --p 3 --kind nope --out "$OUT/bad"
  run bad-both optimise --model pmedian --p 3 --out "$OUT/bad"
  run bad-report report "$work"
  run bad-crs network $OXF --crs EPSG:99999
}
runall "$work/frontdoor-$before" "$work/demo-$before"; mv "$work/out" "$work/before"
runall "$work/frontdoor-$after" "$work/demo-$after"; mv "$work/out" "$work/after"
python3 - "$work/before" "$work/after" <<'PY'
import json, os, re, sys
b, a = sys.argv[1], sys.argv[2]
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in ("timings_ms", "threads", "version", "seconds")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
def norm(path):
    data = open(path, "rb").read()
    name = os.path.basename(path)
    if name == "run.json" or re.match(r"optimise-.*\.json$", name):
        d = strip(json.loads(data))
        if name == "run.json":  # the optimiser's JSON holds its wall time: its hash differs
            for o in d.get("outputs", []):
                if isinstance(o, dict) and str(o.get("file", "")).startswith("optimise-") and str(o.get("file", "")).endswith(".json"):
                    o.pop("sha256", None)
        return json.dumps(d, sort_keys=True).encode()
    if name.endswith(".stdout"):
        return re.sub(rb"in [0-9.]+ s", b"in X s", data)
    return data
files = sorted(os.path.relpath(os.path.join(r, f), b) for r, _, fs in os.walk(b) for f in fs)
after = sorted(os.path.relpath(os.path.join(r, f), a) for r, _, fs in os.walk(a) for f in fs)
differ = [f for f in files if f not in after or norm(os.path.join(b, f)) != norm(os.path.join(a, f))]
extra = [f for f in after if f not in files]
outputs = [f for f in differ if not f.endswith(".stderr")]
print(f"{len(files)} files compared: {len(files) - len(differ)} identical; outputs differing: {len(outputs)}; files only after: {len(extra)}")
for f in differ:
    print("differs:", f)
    if f.endswith(".stderr"):
        print("  before:", open(os.path.join(b, f)).read().strip().splitlines()[0])
        print("  after: ", open(os.path.join(a, f)).read().strip().splitlines()[0])
sys.exit(1 if outputs or extra else 0)
PY
