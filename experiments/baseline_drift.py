"""Is the baseline settled? Year 1 against year 10 of a 10-year baseline, every bundled scenario.

    python experiments/baseline_drift.py                 # writes docs/data/baseline-drift.csv
    python experiments/baseline_drift.py --reps 1 --scenarios teaching-estate

After the warm-up the baseline should be near its steady state (issue 15, part 4): the
year-10 mean of the cohesion index, both trusts and participation within ``SHARE_TOLERANCE``
(absolute) of the year-1 mean, and steady volunteers and active organisations within
``COUNT_TOLERANCE`` (relative). Each row is one scenario and metric: the year-1 and year-10
means (over weeks 1-52 and 469-520, then over replicates), the change, and whether it is
within tolerance. x-street (111,000 residents) is run with fewer replicates (``--big-reps``).

    python experiments/baseline_drift.py --warmup 260 --scenarios longnan-courtyards \
        --out /tmp/baseline-drift-warmup260.csv

measures the same after another warm-up (docs/data/baseline-drift-warmup260.csv is such a
table from before the stocks were settled). A count drifts where the steady state of its
rates lies far from the scenario's input count, which experiments/settle_stocks.py mends
per scenario, or where the stock is still relaxing after the warm-up, which a scenario's
``warmup_weeks`` mends (five years in Longnan, whose unmet needs rise for about five years
from the synthetic start; ten in Qingshan, whose volunteers overshoot while belonging is
high). Longnan's volunteers still drift (docs/odd.md, section 5, Initialization).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
#: Scenarios too large for several replicates in a short check.
BIG = ("x-street",)


def drift(ts: pd.DataFrame, weeks: int) -> list[dict]:
    """Rows (metric, year 1, last year, change, tolerance, ok) for one scenario's runs."""
    first = ts[(ts.week >= 1) & (ts.week <= 52)].groupby("replicate").mean(numeric_only=True).mean()
    last = ts[ts.week > weeks - 52].groupby("replicate").mean(numeric_only=True).mean()
    rows = []
    for m in SHARE_METRICS + COUNT_METRICS:
        a, b = float(first[m]), float(last[m])
        relative = m in COUNT_METRICS
        change = (b - a) / a if relative and a else b - a
        tol = COUNT_TOLERANCE if relative else SHARE_TOLERANCE
        rows.append({"metric": m, "year_1": round(a, 4), "year_last": round(b, 4),
                     "change": round(change, 4), "kind": "relative" if relative else "absolute",
                     "tolerance": tol, "ok": abs(change) <= tol})
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=2, help="replicates per scenario")
    ap.add_argument("--big-reps", type=int, default=1, help="replicates for x-street")
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
        reps = args.big_reps if name in BIG else args.reps
        runs = list(run_replicates(scenario, reps, ["baseline"], weeks=args.weeks, workers=args.workers,
                                   progress=False))
        ts = pd.concat([r.timeseries.assign(replicate=r.replicate) for r in runs])
        for row in drift(ts, args.weeks):
            out.append({"scenario": name, "replicates": reps, "warmup_weeks": scenario.warmup_weeks,
                        "weeks": args.weeks, **row})
        print(pd.DataFrame(out[-len(SHARE_METRICS + COUNT_METRICS):]).to_string(index=False), flush=True)
    table = pd.DataFrame(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False)
    bad = table[~table.ok]
    print(f"\n{len(table) - len(bad)} of {len(table)} within tolerance; written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
