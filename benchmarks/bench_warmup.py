"""A two-year B-community run in a comparison or sweep: cold against a shared warm-up.

Times, in one process and one run of this script:
- the idiomatic plain-Mesa reference step at the same size (benchmarks/reference_mesa.py,
  agents on ``discrete_space.Network`` cells), the unit of the target;
- a cold run: synthesis, the 104-week warm-up, then 104 recorded weeks (``simulate`` with
  the warm-up cache cleared before each run);
- a run whose warm-up is restored from the snapshot (simgov.warmup), as every arm but the
  first of a comparison's replicate, and every sweep point whose factors leave the warm-up alone.

Target (issue 20): a run with a shared warm-up costs at most 10 reference steps.

    python benchmarks/bench_warmup.py            # 5 runs of each
    python benchmarks/bench_warmup.py --runs 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_mesa import ReferenceModel  # noqa: E402

import simgov  # noqa: E402
from simgov.experiment import simulate  # noqa: E402
from simgov.warmup import WARMUPS  # noqa: E402

TARGET_STEPS = 10.0
WEEKS = 104


def reference_step(n: int, steps: int = 10) -> float:
    model = ReferenceModel(n, "cell")
    model.step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def timed_runs(scenario, runs: int, shared: bool) -> list[float]:
    times = []
    WARMUPS.clear()
    if shared:
        simulate(scenario, weeks=WEEKS, arm="baseline")  # the first arm of the replicate warms up
    for k in range(runs):
        if not shared:
            WARMUPS.clear()
        t0 = time.perf_counter()
        simulate(scenario, weeks=WEEKS, arm="practices" if k % 2 else "door_knocking")
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "bench_warmup.json")
    args = p.parse_args(argv)
    scenario = simgov.load_scenario("b-community")
    # The reference is timed before, between and after the runs (the host's speed drifts).
    steps = [reference_step(scenario.community.residents)]
    cold = statistics.median(timed_runs(scenario, args.runs, shared=False))
    steps.append(reference_step(scenario.community.residents))
    warm = statistics.median(timed_runs(scenario, args.runs, shared=True))
    steps.append(reference_step(scenario.community.residents))
    step = statistics.median(steps)
    row = {"residents": scenario.community.residents, "weeks": WEEKS, "warmup_weeks": scenario.warmup_weeks,
           "mesa_cell_step_s": step, "mesa_cell_steps_s": steps, "cold_run_s": cold, "shared_warmup_run_s": warm,
           "cold_in_reference_steps": cold / step, "shared_in_reference_steps": warm / step,
           "speedup": cold / warm, "target_steps": TARGET_STEPS, "meets_target": warm / step <= TARGET_STEPS}
    print(f"B community, {WEEKS} weeks: reference step {step * 1e3:.1f} ms; cold run {cold:.3f} s "
          f"({cold / step:.1f} steps); shared warm-up {warm:.3f} s ({warm / step:.1f} steps, target <= "
          f"{TARGET_STEPS:g}: {'met' if row['meets_target'] else 'MISSED'}); {cold / warm:.2f}x")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(row, indent=1))
    return 0 if row["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
