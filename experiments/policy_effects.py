"""What each policy type does on its own in B community: the table of docs/policies.md.

    python experiments/policy_effects.py                 # 20 replicates x 156 weeks, 2 workers
    python experiments/policy_effects.py --reps 3 --weeks 20 --out /tmp/effects.csv
    python -m simgov.docgen                              # then render the table into docs/policies.md

Every policy type runs alone, with its default parameters from week 1, against the
``b-community`` baseline, with common random numbers (replicate i of every arm shares its
community, warm-up and random streams; simgov.experiment.compare). For each policy and main
outcome the CSV holds the mean over replicates of the paired difference of the outcome's
final-year mean, with its 95% Student-t interval; the yearly costs (yuan, staff and
volunteer hours per simulated year) are paired the same way. A JSON file beside the CSV
records how it was made (scenario, replicates, weeks, seed, versions, seconds).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import simgov
from simgov.experiment.compare import COST_METRICS, paired_interval, run_comparison, yearly_cost
from simgov.policies import POLICY_TYPES
from simgov.scenario import load_scenario
from simgov.scenario.schema import Arm

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "docs" / "data" / "policy-effects.csv"
#: The outcomes tabulated, in the order of the table's columns.
OUTCOMES = ("cohesion_index", "trust_neighbors", "trust_committee", "participation_rate",
            "group_disputes_open", "unmet_needs_share", "resolved_share")
#: The yearly costs tabulated (from the cumulative cost metrics).
COSTS = tuple(COST_METRICS.values())
COLUMNS = ["policy", "outcome", "reference_mean", "policy_mean", "difference", "ci_low", "ci_high", "reps"]


def policy_scenario(name: str = "b-community"):
    """``name`` with one arm per policy type (named after it), that type alone with its defaults."""
    base = load_scenario(name)
    arms = {kind: Arm(description=f"{kind} alone, with its default parameters", policies=(cls(),))
            for kind, cls in POLICY_TYPES.items()}
    # The file's targets name its own arms, which these replace.
    return base.model_copy(update={"arms": arms, "targets": tuple(t for t in base.targets if t.arm == "baseline")})


def policy_effects(reps: int, weeks: int, workers: int, progress: bool = True) -> pd.DataFrame:
    scenario = policy_scenario()
    comparison = run_comparison(scenario, reps=reps, weeks=weeks, arms=list(POLICY_TYPES),
                                progress=progress, workers=workers)
    effects = comparison.effects[comparison.effects.metric.isin(OUTCOMES)]
    rows = [(e.arm, e.metric, e.reference_mean, e.arm_mean, e.difference, e.ci_low, e.ci_high, e.reps)
            for e in effects.itertuples()]
    reference = yearly_cost(comparison.results, "baseline", reps).rename(columns=COST_METRICS)
    for kind in POLICY_TYPES:
        costs = yearly_cost(comparison.results, kind, reps).rename(columns=COST_METRICS)
        for column in COSTS:
            diff, lo, hi = paired_interval(costs[column].to_numpy() - reference[column].to_numpy())
            rows.append((kind, column, float(reference[column].mean()), float(costs[column].mean()),
                         diff, lo, hi, reps))
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = {kind: i for i, kind in enumerate(POLICY_TYPES)}
    outcome_order = {name: i for i, name in enumerate(OUTCOMES + COSTS)}
    return table.sort_values(["policy", "outcome"], key=lambda s: s.map(order if s.name == "policy"
                                                                         else outcome_order)).reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--weeks", type=int, default=156)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=CSV, help="the CSV to write (a .json of the same name beside it)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    table = policy_effects(args.reps, args.weeks, args.workers, progress=not args.quiet)
    seconds = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, float_format="%.6g")
    scenario = load_scenario("b-community")
    about = {
        "scenario": scenario.name, "reps": args.reps, "weeks": args.weeks, "warmup_weeks": scenario.warmup_weeks,
        "seed": scenario.seed, "statistic": "final-year mean (the last 52 weeks), paired difference, "
        "95% Student-t interval", "policies": "each type alone, default parameters, from week 1",
        "command": "python experiments/policy_effects.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "workers": args.workers, "seconds": round(seconds, 1), "simgov": simgov.__version__,
        "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
    }
    args.out.with_suffix(".json").write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print(f"wrote {args.out} ({len(table)} rows) in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
