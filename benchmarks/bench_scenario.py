"""A bundled scenario's whole run in one process: its speed against the foundation target,
and its peak memory.

    python benchmarks/bench_scenario.py                  # x-street (111,000 residents), 5 years
    python benchmarks/bench_scenario.py x-street --arm practices
    python benchmarks/bench_scenario.py b-community --weeks 52

The run (build, warm-up, the scenario's weeks, one arm) goes in a fresh process so that its
peak RSS is its own. In the same invocation the plain-Mesa reference of the same size
(``reference_mesa.py``, agents on Network cells) is stepped, and the run's time per
simulated week (warm-up included) is reported as a ratio to the reference's step: the
foundation benchmark's target is at most 0.1 (docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(name: str, arm: str, weeks: int | None) -> dict:
    import mesa  # noqa: F401  (libraries loaded before the baseline memory reading)
    import pandas  # noqa: F401
    import scipy.sparse  # noqa: F401

    from simgov.community import estimate_bytes
    from simgov.model import CommunityModel
    from simgov.scenario import load_scenario

    scenario = load_scenario(name)
    weeks = scenario.weeks if weeks is None else weeks
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    model = CommunityModel(scenario, arm=arm, weeks=weeks)
    built = time.perf_counter() - t0
    for _ in range(weeks):
        model.step()
    total = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"scenario": name, "arm": arm, "residents": scenario.community.residents, "weeks": weeks,
            "warmup_weeks": scenario.warmup_weeks, "build_and_warmup_s": built, "total_s": total,
            "week_s": total / (weeks + scenario.warmup_weeks),
            "peak_rss_MiB": peak / 1024, "libraries_MiB": before / 1024,
            "estimate_MiB": estimate_bytes(scenario) / 2**20}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="x-street")
    ap.add_argument("--arm", default="baseline")
    ap.add_argument("--weeks", type=int, default=None, help="default: the scenario's own (x-street: 260)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.scenario, args.arm, args.weeks)))
        return 0
    cmd = [sys.executable, __file__, args.scenario, "--arm", args.arm, "--child"]
    if args.weeks:
        cmd += ["--weeks", str(args.weeks)]
    run = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    sys.path.insert(0, str(HERE))
    from bench_week import time_reference

    ref = time_reference(run["residents"], "cell", steps=5)
    run["reference_step_s"] = ref["step_s"]
    run["ratio"] = run["week_s"] / ref["step_s"]
    print(f"{run['scenario']} ({run['arm']}), {run['residents']:,} residents: {run['weeks']} weeks + "
          f"{run['warmup_weeks']} warm-up in {run['total_s']:.1f} s ({run['week_s'] * 1000:.1f} ms a week, "
          f"build and warm-up {run['build_and_warmup_s']:.1f} s)")
    print(f"plain-Mesa reference step at the same size: {ref['step_s'] * 1000:.0f} ms; "
          f"ratio {run['ratio']:.3f} (target <= 0.1)")
    print(f"peak RSS {run['peak_rss_MiB']:.0f} MiB (libraries {run['libraries_MiB']:.0f} MiB; "
          f"simgov's up-front estimate {run['estimate_MiB']:.0f} MiB)")
    out = HERE / "out" / f"bench_scenario-{args.scenario}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(run, indent=2))
    return 0 if run["ratio"] <= 0.1 else 1


if __name__ == "__main__":
    sys.exit(main())
