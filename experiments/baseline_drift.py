"""Is the baseline settled? Year 1 against year 10 of a 10-year baseline, every bundled scenario.

    python experiments/baseline_drift.py                 # writes docs/data/baseline-drift.csv
    python experiments/baseline_drift.py --scenarios longnan-courtyards   # rerun one; the others' rows are kept
    python experiments/baseline_drift.py --reps 1 --scenarios teaching-estate --out /tmp/drift.csv

After the warm-up the baseline should be near its steady state (issue 15, part 4): the
year-10 mean of the cohesion index, both trusts and participation within ``SHARE_TOLERANCE``
(absolute) of the year-1 mean, and steady volunteers and active organisations within
``COUNT_TOLERANCE`` (relative). Each row is one scenario and metric: the year-1 and year-10
means (over weeks 1-52 and 469-520, then over replicates), the change, its standard error
over the replicates, and whether the change is within tolerance.

Replicates (``REPLICATES``). A count that swings from year to year needs replicates enough for
the check to measure a drift rather than the swing: the standard error of its change (the
``se`` column) at most a third of the tolerance (5%). X street's organisations swing by 10-20%
between years (its self-organisations outgrow what the community fund can pay in grants and
fold together when it runs dry, about every two years); one replicate's 10-year change of them
spreads by 7-13% (4 seeds, warm-ups of four to six years, experiments/relaxation_time.py),
which asks for 2-7 replicates; 10, since four seeds measure a spread roughly (the table's
standard error came out 5.5%). Longnan's counts are small (about 30 volunteers; 4
organisations), so one replicate's change spreads by about 20-30% (the 20 seeds of
docs/data/relaxation-time.csv), and 40 replicates (ten seconds each) give 3-5%. Elsewhere 8
replicates are the default: with 2, the change of the volunteers in Cuizhuyuan and Ruiquan
read +15% and +24% (standard errors 3% and 7%), with 8 +8% and +13% (3% and 4%); the ``se``
column shows where 8 still measure little. The teaching estate's 6-10 volunteers change by
about 90% from one replicate to the next over ten years (8 replicates: standard error 31%), so
it runs 64 (about 5%; a second each).

    python experiments/baseline_drift.py --warmup 260 --scenarios longnan-courtyards \
        --out /tmp/baseline-drift-warmup260.csv

measures the same after another warm-up. A count drifts where the steady state of its
rates lies far from the scenario's input count, which experiments/settle_stocks.py mends
per scenario, or where the stock is still relaxing after the warm-up, which a scenario's
``warmup_weeks`` mends (experiments/relaxation_time.py measures how long each scenario
takes: eighteen years in Longnan, whose unmet needs rise for about eleven years from the
synthetic start and whose volunteers fall with belonging's upper tail until about year 20;
ten in Qingshan, whose volunteers overshoot while belonging is high; four in X street, whose
first fold of self-organisations comes in year 3 or 4). After twelve years Longnan's
volunteers still drifted (-22%, standard error 4%, 40 replicates): docs/odd.md, section 5.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment import run_replicates
from simgov.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted(p.stem for p in (ROOT / "simgov" / "scenarios").glob("*.yaml"))
WEEKS = 520
#: Metrics whose drift is measured in absolute terms (shares and indices) ...
SHARE_METRICS = ("cohesion_index", "trust_committee", "trust_neighbors", "participation_rate")
SHARE_TOLERANCE = 0.03
#: ... and counts, whose drift is relative.
COUNT_METRICS = ("volunteers", "organizations_active")
COUNT_TOLERANCE = 0.15
#: Replicates per scenario (``--reps`` overrides them all): eight by default; more where a count
#: swings from year to year, so that the standard error of its change is at most a third of
#: the tolerance (a per-replicate spread s of the change needs (s / 0.05)^2 replicates; s
#: measured by experiments/relaxation_time.py, see the module docstring).
REPLICATES = {"longnan-courtyards": 40, "x-street": 10, "teaching-estate": 64}
DEFAULT_REPLICATES = 8


def drift(ts: pd.DataFrame, weeks: int) -> list[dict]:
    """Rows (metric, year 1, last year, change, its standard error, tolerance, ok) for one
    scenario's runs. The change is that of the means over replicates; its standard error is
    the delta method's over the replicates' own (year 1, last year) pairs, so a reader can
    tell a drift from the noise of the replicates (a change within two of them is noise)."""
    first = ts[(ts.week >= 1) & (ts.week <= 52)].groupby("replicate").mean(numeric_only=True)
    last = ts[ts.week > weeks - 52].groupby("replicate").mean(numeric_only=True)
    n = len(first)
    rows = []
    for m in SHARE_METRICS + COUNT_METRICS:
        a, b = float(first[m].mean()), float(last[m].mean())
        relative = m in COUNT_METRICS
        change = (b - a) / a if relative and a else b - a
        # Per replicate, what the change is made of: b - a, or for a ratio of means (b - c a) / mean a.
        parts = (last[m] - (b / a if a else 0.0) * first[m]) / a if relative and a else last[m] - first[m]
        se = float(parts.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
        tol = COUNT_TOLERANCE if relative else SHARE_TOLERANCE
        rows.append({"metric": m, "year_1": round(a, 4), "year_last": round(b, 4),
                     "change": round(change, 4), "se": round(se, 4), "kind": "relative" if relative else "absolute",
                     "tolerance": tol, "ok": abs(change) <= tol})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=None, help="replicates per scenario (default: REPLICATES, else "
                    f"{DEFAULT_REPLICATES})")
    ap.add_argument("--weeks", type=int, default=WEEKS, help="baseline weeks after the warm-up")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=None, help="warm-up weeks (default: each scenario's own)")
    ap.add_argument("--scenarios", nargs="*", default=SCENARIOS)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "data" / "baseline-drift.csv")
    args = ap.parse_args(argv)
    out = []
    for name in args.scenarios:
        scenario = load_scenario(name)
        if args.warmup is not None:
            scenario = scenario.model_copy(update={"warmup_weeks": args.warmup})
        reps = args.reps or REPLICATES.get(name, DEFAULT_REPLICATES)
        runs = list(run_replicates(scenario, reps, ["baseline"], weeks=args.weeks, workers=args.workers,
                                   progress=False))
        ts = pd.concat([r.timeseries.assign(replicate=r.replicate) for r in runs])
        for row in drift(ts, args.weeks):
            out.append({"scenario": name, "replicates": reps, "warmup_weeks": scenario.warmup_weeks,
                        "weeks": args.weeks, **row})
        print(pd.DataFrame(out[-len(SHARE_METRICS + COUNT_METRICS):]).to_string(index=False), flush=True)
    table = pd.DataFrame(out)
    if args.out.exists():  # keep the rows of the scenarios not run now, in the table's order
        old = pd.read_csv(args.out)
        if set(table.columns) == set(old.columns):
            table = pd.concat([old[~old.scenario.isin(table.scenario)], table], ignore_index=True)
            table = table.sort_values("scenario", kind="stable", ignore_index=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    bad = table[~table.ok]
    print(f"\n{len(table) - len(bad)} of {len(table)} within tolerance; written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
