"""Throughput of a comparison under parameter uncertainty (issue 17: "a 200-draw comparison of
B community's arms"): seconds per (draw, replicate) task, each task every arm of one draw
(its warm-up simulated once and restored for the other arms), and the extrapolation to the
full workload on the given workers.

    .venv/bin/python benchmarks/bench_uncertain_compare.py                    # 4 draws, 1 rep, 156 weeks
    .venv/bin/python benchmarks/bench_uncertain_compare.py --draws 8 --workers 2 --target-draws 200

CPU seconds are this process's (serial executor, the default with one worker), so a loaded
machine does not inflate them; wall seconds are what it took here.
"""

from __future__ import annotations

import argparse
import json
import time

from simgov.scenario import load_scenario
from simgov.uncertainty.comparison import run_uncertain_comparison


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="b-community")
    ap.add_argument("--draws", type=int, default=4)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=156)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--target-draws", type=int, default=200)
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    wall, cpu = time.perf_counter(), time.process_time()
    result = run_uncertain_comparison(scenario, "prior", args.draws, args.reps, args.weeks, workers=args.workers,
                                      progress=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tasks = args.draws * args.reps
    per_task = (cpu if args.workers == 1 else wall * args.workers) / tasks
    target = args.target_draws * args.reps * per_task
    print(json.dumps({"scenario": scenario.name, "arms": result.arms, "draws": args.draws, "reps": args.reps,
                      "weeks": args.weeks, "workers": args.workers, "status": result.status,
                      "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
                      "cpu_seconds_per_task": round(per_task, 2),
                      f"estimated_minutes_{args.target_draws}_draws_on_2_cores": round(target / 2 / 60, 1)},
                     indent=1))


if __name__ == "__main__":
    main()
