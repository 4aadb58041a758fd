"""Paired standard deviation of policy effects: how much noise common random numbers leave.

Runs B community's baseline, ``door_knocking`` and ``practices`` arms with the same replicate
seeds and prints, per arm and main metric, the mean and the standard deviation over
replicates of the paired difference ``arm_i - baseline_i`` of the final-year mean (the
effect ``simgov compare`` reports). The smaller the paired SD, the less of the difference is
noise from events no policy touched. Issue 15 measured it before and after exact common
random numbers (keyed draws, simgov/streams.py); docs/data/crn_paired_sd.csv holds both.

    python experiments/crn_paired_sd.py                      # 20 replicates, 104 weeks, 2 workers

docs/data/crn_paired_sd.csv is the two tables one after the other: ``--label "main
(sequential streams)"`` run in an export of main before the keyed draws (``git archive``),
and ``--label "keyed draws"`` on the branch that made them (about 1.5 minutes each).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from simgov.experiment.compare import run_comparison

ARMS = ("door_knocking", "practices")
METRICS = ("unmet_needs_share", "undetected_needs_share", "trust_committee", "cohesion_index",
           "participation_rate", "organizations_active", "disputes_open", "volunteers")


def paired_sd(reps: int, weeks: int, workers: int, label: str) -> pd.DataFrame:
    result = run_comparison("b-community", reps=reps, weeks=weeks, arms=list(ARMS), workers=workers,
                            progress=False, interactions=False)  # the paired spread of these arms alone
    final = {(r.arm, r.replicate): r.summary["final_year_mean"] for r in result.results}
    rows = []
    for arm in ARMS:
        for metric in METRICS:
            d = pd.Series([final[arm, i][metric] - final["baseline", i][metric] for i in range(reps)])
            rows.append({"code": label, "arm": arm, "metric": metric, "reps": reps, "weeks": weeks,
                         "effect_mean": d.mean(), "paired_sd": d.std(ddof=1)})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--weeks", type=int, default=104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--label", default="keyed draws", help="which code was run (a column of the output)")
    ap.add_argument("--out", type=Path, help="write the table as CSV here")
    args = ap.parse_args(argv)
    table = paired_sd(args.reps, args.weeks, args.workers, args.label)
    pd.set_option("display.width", 160)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    if args.out:
        table.to_csv(args.out, index=False, float_format="%.6g")
    return 0


if __name__ == "__main__":
    sys.exit(main())
