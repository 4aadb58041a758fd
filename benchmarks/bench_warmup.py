"""A two-year B-community run in a comparison or sweep: cold against a shared warm-up.

Times, in one process and one run of this script:
- the idiomatic plain-Mesa reference step at the same size (benchmarks/reference_mesa.py,
  agents on ``discrete_space.Network`` cells), the unit of the target, timed right after each
  run so that each run is counted in the steps of its own moment (the host's speed drifts);
- a cold run: synthesis, the 104-week warm-up, then 104 recorded weeks (``simulate`` with
  the warm-up cache cleared before each run);
- a run whose warm-up is restored from the snapshot (simgov.warmup), as every arm but the
  first of a comparison's replicate, and every sweep point whose factors leave the warm-up alone.

Target (issue 20): a run with a shared warm-up costs at most 10 reference steps.

    python benchmarks/bench_warmup.py            # 6 runs of each (arms door_knocking and practices in turn)
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


#: Reference steps timed after each run (after one untimed step that brings the reference back
#: into the caches the run displaced), so that each run is paired with the host's speed of its moment.
REF_STEPS = 3


def paired_runs(scenario, runs: int, shared: bool, reference: ReferenceModel) -> list[tuple[float, float]]:
    """(seconds of the run, the reference's mean step right after it), for each of ``runs`` runs."""
    out = []
    WARMUPS.clear()
    if shared:
        simulate(scenario, weeks=WEEKS, arm="baseline")  # the first arm of the replicate warms up
    for k in range(runs):
        if not shared:
            WARMUPS.clear()
        t0 = time.perf_counter()
        simulate(scenario, weeks=WEEKS, arm="practices" if k % 2 else "door_knocking")
        run = time.perf_counter() - t0
        reference.step()
        t0 = time.perf_counter()
        for _ in range(REF_STEPS):
            reference.step()
        out.append((run, (time.perf_counter() - t0) / REF_STEPS))
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=6)
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "bench_warmup.json")
    args = p.parse_args(argv)
    scenario = simgov.load_scenario("b-community")
    reference = ReferenceModel(scenario.community.residents, "cell")
    reference.step()
    cold = paired_runs(scenario, args.runs, False, reference)
    warm = paired_runs(scenario, args.runs, True, reference)
    cold_steps = statistics.median(r / s for r, s in cold)
    warm_steps = statistics.median(r / s for r, s in warm)
    step = statistics.median(s for _, s in cold + warm)
    row = {"residents": scenario.community.residents, "weeks": WEEKS, "warmup_weeks": scenario.warmup_weeks,
           "mesa_cell_step_s": step, "cold_run_s": statistics.median(r for r, _ in cold),
           "shared_warmup_run_s": statistics.median(r for r, _ in warm),
           "cold_in_reference_steps": cold_steps, "shared_in_reference_steps": warm_steps,
           "shared_in_reference_steps_range": [min(r / s for r, s in warm), max(r / s for r, s in warm)],
           "speedup": cold_steps / warm_steps, "target_steps": TARGET_STEPS, "meets_target": warm_steps <= TARGET_STEPS}
    lo, hi = row["shared_in_reference_steps_range"]
    print(f"B community, {WEEKS} weeks: reference step {step * 1e3:.1f} ms; cold run {row['cold_run_s']:.3f} s "
          f"({cold_steps:.1f} steps); shared warm-up {row['shared_warmup_run_s']:.3f} s ({warm_steps:.1f} steps, "
          f"runs {lo:.1f}-{hi:.1f}; target <= {TARGET_STEPS:g}: {'met' if row['meets_target'] else 'MISSED'}); "
          f"{row['speedup']:.2f}x")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(row, indent=1))
    return 0 if row["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
