#!/usr/bin/env python3
"""Run a frontdoor study in parts on Ray.

frontdoor stays the kernel: this script only calls its binary. It

1. splits the study (`frontdoor partition STUDY --tiles N --out WORK`, or `--by COLUMN`),
2. measures every part as a Ray task (`frontdoor reach PART/study.toml --out PART/out`),
3. joins the parts' travel times and runs the whole study on them
   (`frontdoor merge WORK --out OUT`): the same tables as `frontdoor run STUDY`,
4. with `--sweep`, evaluates many scenario files on the joined times in slices, one Ray task
   per slice (`frontdoor merge WORK --scenarios-only --scenario ... --out SLICE`), and joins
   the slices into one folder with one scenarios.csv, as `frontdoor scenario STUDY FILES...`
   would write it.

Locally (`ray.init()` on this machine) nothing else is needed. On a cluster, give
`--address` and put the binary, the study and WORK on a file system every node mounts.

Install: python3 -m pip install "ray>=2.9" (Ray is the only dependency).

Example:
  python3 ray/frontdoor_ray.py data/demo/study.toml --tiles 4 --work parts --out merged
  python3 ray/frontdoor_ray.py study.toml --by LAD22CD --work parts --out national \\
      --sweep scenarios/*.toml --sweep-out sweep --slices 8
"""

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def binary_default():
    here = Path(__file__).resolve().parent.parent
    for p in (here / "target" / "release" / "frontdoor", here / "target" / "debug" / "frontdoor"):
        if p.is_file():
            return str(p)
    return shutil.which("frontdoor") or "frontdoor"


def call(args, threads=None):
    """Runs frontdoor; returns (seconds, return code, standard error)."""
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    t = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, env=env)
    return time.monotonic() - t, p.returncode, p.stderr.strip()


def fail(what, stderr):
    print(f"error: {what}", file=sys.stderr)
    if stderr:
        print(stderr, file=sys.stderr)
    sys.exit(1)


def slices(items, n):
    """`items` cut into at most n runs of consecutive items, as even as may be."""
    n = max(1, min(n, len(items)))
    k, r = divmod(len(items), n)
    out, at = [], 0
    for i in range(n):
        size = k + (1 if i < r else 0)
        out.append(items[at:at + size])
        at += size
    return out


def join_sweep(slice_dirs, out):
    """One folder from the sweep's slices: every scenario's files, and one scenarios.csv
    (the slices' rows in the order the files were given)."""
    tmp = Path(tempfile.mkdtemp(prefix=".sweep-", dir=Path(out).resolve().parent))
    header, rows = None, []
    for d in slice_dirs:
        with open(d / "scenarios.csv", newline="") as f:
            text = f.read()
        first, _, rest = text.partition("\n")
        if header is None:
            header = first
        elif first != header:
            fail(f"{d}/scenarios.csv has other columns than the first slice's", "")
        rows.append(rest)
        for f in sorted(d.iterdir()):
            if f.name.startswith("scenario-"):
                shutil.copy2(f, tmp / f.name)
    (tmp / "scenarios.csv").write_text(header + "\n" + "".join(rows))
    (tmp / "sweep.json").write_text(json.dumps(
        {"slices": [str(d) for d in slice_dirs]}, indent=2) + "\n")
    if Path(out).exists():
        shutil.rmtree(out)
    os.replace(tmp, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("study", help="the whole study's study.toml")
    split = ap.add_mutually_exclusive_group(required=True)
    split.add_argument("--tiles", type=int, help="this many tiles of about equal zone counts")
    split.add_argument("--by", help="one part per value of this column of the zones file")
    ap.add_argument("--work", required=True, help="folder for the parts (partition.json and part-NNN/)")
    ap.add_argument("--out", required=True, help="output folder of the merged run")
    ap.add_argument("--binary", default=binary_default(), help="the frontdoor binary (default: this checkout's)")
    ap.add_argument("--address", help="a Ray cluster's address (default: Ray on this machine)")
    ap.add_argument("--num-cpus", type=int, help="CPUs Ray may use on this machine")
    ap.add_argument("--cpus-per-part", type=int, default=1, help="threads each part's run uses (default 1)")
    ap.add_argument("--sweep", nargs="*", default=[], help="scenario files to evaluate on the joined times")
    ap.add_argument("--sweep-out", help="output folder of the sweep (one scenarios.csv)")
    ap.add_argument("--slices", type=int, default=0, help="Ray tasks the sweep is cut into (default: one per CPU)")
    a = ap.parse_args()
    if a.sweep and not a.sweep_out:
        ap.error("--sweep needs --sweep-out")

    import ray  # imported here so that --help works without Ray

    fd = a.binary
    split_args = ["--tiles", str(a.tiles)] if a.tiles else ["--by", a.by]
    took, rc, err = call([fd, "-q", "partition", a.study, *split_args, "--out", a.work])
    if rc != 0:
        fail(f"frontdoor partition {a.study} failed", err)
    work = Path(a.work).resolve()
    manifest = json.loads((work / "partition.json").read_text())
    parts = [p["name"] for p in manifest["parts"]]
    print(f"partitioned {a.study} into {len(parts)} parts in {took:.1f} s ({manifest['buffer']})")

    if a.address:
        ray.init(address=a.address, log_to_driver=False)
    else:
        ray.init(num_cpus=a.num_cpus, include_dashboard=False, log_to_driver=False)

    @ray.remote(num_cpus=a.cpus_per_part)
    def measure(name):
        part = work / name
        return (name,) + call(
            [fd, "-q", "reach", str(part / "study.toml"), "--out", str(part / "out")],
            threads=a.cpus_per_part)

    t = time.monotonic()
    results = ray.get([measure.remote(n) for n in parts])
    failed = [r for r in results if r[2] != 0]
    if failed:
        name, _, rc, err = failed[0]
        fail(f"{len(failed)} of {len(parts)} parts failed; {name} (exit {rc}):", err)
    busy = sum(r[1] for r in results)
    print(f"measured {len(parts)} parts on Ray in {time.monotonic() - t:.1f} s "
          f"({busy:.1f} s of part runs; slowest {max(r[1] for r in results):.1f} s)")

    took, rc, err = call([fd, "-q", "merge", str(work), "--out", a.out])
    if rc != 0:
        fail("frontdoor merge failed", err)
    print(f"merged into {a.out} in {took:.1f} s")

    if a.sweep:
        n = a.slices or int(ray.available_resources().get("CPU", 1)) or 1
        cut = slices([str(Path(s).resolve()) for s in a.sweep], n)
        sweep_dir = work / "sweep"
        sweep_dir.mkdir(exist_ok=True)

        @ray.remote(num_cpus=a.cpus_per_part)
        def evaluate(i, files):
            out = sweep_dir / f"slice-{i + 1:03}"
            args = [fd, "-q", "merge", str(work), "--scenarios-only", "--out", str(out)]
            for f in files:
                args += ["--scenario", f]
            return (out,) + call(args, threads=a.cpus_per_part)

        t = time.monotonic()
        done = ray.get([evaluate.remote(i, files) for i, files in enumerate(cut)])
        bad = [d for d in done if d[2] != 0]
        if bad:
            fail(f"a slice of the sweep failed ({bad[0][0]}):", bad[0][3])
        join_sweep([d[0] for d in done], a.sweep_out)
        print(f"evaluated {len(a.sweep)} scenarios in {len(cut)} slices on Ray in "
              f"{time.monotonic() - t:.1f} s into {a.sweep_out}")
    ray.shutdown()


if __name__ == "__main__":
    main()
