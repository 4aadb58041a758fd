"""Wall times of the three workloads issue 17 must make usable on 2 cores, each against a
"before" reference timed in the same run:

1. calibrating B community (``simgov calibrate``, ABC-SMC of the parameters its shipped
   posterior fits, simgov/scenarios/b-community.posterior.json, with ``--population 100
   --generations 4 --reps 1`` over its 260 weeks: ``CALIBRATE`` below);
2. a 200-draw probabilistic comparison of its arms
   (``simgov compare b-community --uncertainty prior --draws 200 --reps 2 --weeks 156``);
3. a 40-generation optimisation (``simgov optimise b-community --budget 200000 --objectives
   unmet_needs_share:min,cohesion_index:max --generations 40 --population 20 --reps 3
   --weeks 104``, the analysts' guide's example).

Each runs as the command a user types, in a fresh process with ``--executor processes
--workers 2``, once per configuration:

- ``after``: the code as it is;
- ``no-snapshots``: warm-up snapshots off (SIMGOV_WARMUP_MAX_BYTES=0, simgov.warmup), so every
  run warms up cold, as before issue 20's "warm-up once".

The code offers no switch for the numba kernels (simgov.kernels has no numpy path to select at
run time), so the "before" of the kernels is the same script run on a checkout from before
them, with ``--label``: e.g.
``git worktree add /tmp/before COMMIT && PYTHONPATH=/tmp/before python benchmarks/bench_workloads.py
--configs after --label before-kernels`` adds its rows to the same JSON.

    python benchmarks/bench_workloads.py                 # the full sizes (an hour or more at idle)
    python benchmarks/bench_workloads.py --quick         # scaled-down sizes, labelled "quick"
    python benchmarks/bench_workloads.py --only compare --configs after

Writes benchmarks/out/bench_workloads.json (rows of earlier runs with other labels or sizes are
kept): per workload and configuration the wall seconds, the command, and the work done (runs
or simulations), with the ratio after / no-snapshots.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "bench_workloads.json"
SCENARIO = "b-community"
WORKERS = 2
#: Calibration settings; the parameters are those of B community's shipped posterior when it has one.
CALIBRATE = {"params": "parameters.needs.worsening,parameters.participation.invitation", "population": 100,
             "generations": 4, "reps": 1}
#: Scaled-down sizes of --quick (seconds to a few minutes): the numbers say "quick".
QUICK = {"calibrate": {"population": 10, "generations": 2, "weeks": 26},
         "compare": {"draws": 4, "reps": 1, "weeks": 26},
         "optimise": {"generations": 2, "population": 4, "reps": 1, "weeks": 26}}
CONFIGS = {"after": {}, "no-snapshots": {"SIMGOV_WARMUP_MAX_BYTES": "0"}}
WORKLOADS = ("calibrate", "compare", "optimise")


def calibration_settings() -> dict:
    """``CALIBRATE``, fitting the parameters of B community's shipped posterior (its record) if any."""
    record = ROOT / "simgov" / "scenarios" / f"{SCENARIO}.posterior.json"
    if not record.is_file():
        return dict(CALIBRATE)
    return {**CALIBRATE, "params": ",".join(json.loads(record.read_text(encoding="utf-8"))["parameters"])}


def command(workload: str, out: Path, quick: bool, workers: int = WORKERS) -> list[str]:
    """The CLI arguments of ``workload`` at its full or quick size."""
    size = QUICK[workload] if quick else {}
    common = ["--executor", "processes", "--workers", str(workers), "--out", str(out), "--quiet"]
    if workload == "calibrate":
        s = {**calibration_settings(), **size}
        return ["calibrate", SCENARIO, "--params", s["params"], "--population", str(s["population"]),
                "--generations", str(s["generations"]), "--reps", str(s.get("reps", 1)),
                *(["--weeks", str(s["weeks"])] if "weeks" in s else []), *common]
    if workload == "compare":
        s = {"draws": 200, "reps": 2, "weeks": 156, **size}
        return ["compare", SCENARIO, "--uncertainty", "prior", "--draws", str(s["draws"]), "--reps", str(s["reps"]),
                "--weeks", str(s["weeks"]), *common]
    s = {"generations": 40, "population": 20, "reps": 3, "weeks": 104, **size}
    return ["optimise", SCENARIO, "--budget", "200000", "--objectives", "unmet_needs_share:min,cohesion_index:max",
            "--generations", str(s["generations"]), "--population", str(s["population"]), "--reps", str(s["reps"]),
            "--weeks", str(s["weeks"]), *common]


def work_done(workload: str, out: Path) -> dict:
    """What the run did, read from its outputs: simulations or runs."""
    import pandas as pd

    if workload == "calibrate":
        d = pd.read_csv(out / "diagnostics.csv")
        return {"generations": int(len(d)), "simulations": int(d.simulations.sum())}
    if workload == "compare":
        return {"runs": int(len(pd.read_parquet(out / "runs.parquet")))}
    evaluated = pd.read_csv(out / "evaluated.csv")
    return {"generations": int(evaluated.generation.nunique()), "candidates": int(len(evaluated))}


def time_one(workload: str, config: str, quick: bool, workers: int = WORKERS) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{workload}-"))
    out = folder / "out"
    args = command(workload, out, quick, workers)
    env = {**os.environ, "PYTHONPATH": str(ROOT), **CONFIGS[config]}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "simgov", "-q", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    row = {"workload": workload, "config": config, "size": "quick" if quick else "full", "workers": workers,
           "command": "simgov " + " ".join(args).replace(str(out), "DIR"), "env": CONFIGS[config],
           "wall_seconds": round(wall, 1), "exit": done.returncode}
    if done.returncode == 0:
        row.update(work_done(workload, out))
    else:
        row["error"] = done.stderr.strip().splitlines()[-1:] or [""]
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(row), flush=True)
    return row


def merge(rows: list[dict], label: str) -> dict:
    """Earlier results with this run's rows (same label, size, workload and config replaced)."""
    old = json.loads(OUT.read_text(encoding="utf-8")) if OUT.is_file() else {}
    kept = [r for r in old.get("rows", []) if not any(
        (r.get("label"), r["size"], r["workload"], r["config"], r.get("workers")) ==
        (label, n["size"], n["workload"], n["config"], n["workers"])
        for n in rows)]
    new = kept + [{**r, "label": label} for r in rows]
    ratios = {}
    for r in new:
        key = (r.get("label"), r["size"], r["workload"], r.get("workers"))
        ref = next((b for b in new if (b.get("label"), b["size"], b["workload"], b.get("workers")) == key
                    and b["config"] == "no-snapshots" and b["exit"] == 0), None)
        if r["config"] == "after" and r["exit"] == 0 and ref:
            ratios["/".join(map(str, key))] = round(r["wall_seconds"] / ref["wall_seconds"], 3)
    return {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
            "rows": new, "after_over_no_snapshots": ratios}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="scaled-down sizes (their numbers are labelled quick)")
    ap.add_argument("--only", default=",".join(WORKLOADS), help=f"workloads, comma-separated ({', '.join(WORKLOADS)})")
    ap.add_argument("--configs", default=",".join(CONFIGS), help=f"configurations ({', '.join(CONFIGS)})")
    ap.add_argument("--workers", type=int, default=WORKERS, help=f"worker processes (default: {WORKERS}, the "
                    "workloads' 2 cores; fewer only to check the script on a busy machine)")
    ap.add_argument("--label", default="current", help="a name for this checkout's rows (e.g. before-kernels)")
    args = ap.parse_args(argv)
    workloads, configs = args.only.split(","), args.configs.split(",")
    bad = [w for w in workloads if w not in WORKLOADS] + [c for c in configs if c not in CONFIGS]
    if bad:
        print(f"unknown: {', '.join(bad)}", file=sys.stderr)
        return 2
    rows = [time_one(w, c, args.quick, args.workers) for w in workloads for c in configs]
    result = merge(rows, args.label)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
