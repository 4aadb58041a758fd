"""How long does a scenario take to relax from its synthetic start? The evidence for ``warmup_weeks``.

    python experiments/relaxation_time.py --scenarios longnan-courtyards --seeds 20 --years 23 --out a.csv
    python experiments/relaxation_time.py --scenarios x-street --seeds 4 --years 20 --out b.csv
    python experiments/relaxation_time.py --scenarios longnan-courtyards x-street \
        --table docs/data/relaxation-time.csv          # the reading again, from the stored runs

A run starts from a synthesised community (simgov.community), not from the steady state of
the dynamics, and the warm-up (``warmup_weeks``, unrecorded, no policies) is there to let it
relax before week 1 (issue 15, part 4). This runs the baseline with no warm-up for ``--years``
years over ``--seeds`` seeds and writes the yearly means (over weeks 1-52, 53-104, ...) of the
stocks and indices that experiments/baseline_drift.py checks, one row per scenario, seed and
year, to ``--out``.

The reading is the check's own: for each candidate warm-up of W years, the 10-year drift
that experiments/baseline_drift.py would measure after it (the seeds' mean of year W + 10
against year W + 1: absolute for shares, relative for counts). A metric is settled from the
first W whose drift and the drifts of the next ``--confirm`` candidates are all within
``MARGIN`` of the check's tolerance (one lucky year is not a steady state, and the rest of the
tolerance is left to the noise of the check's replicates); the slowest metric, in weeks, is
what the scenario's ``warmup_weeks`` needs. Small counts (a few organisations) swing from
year to year whatever the warm-up, which more seeds, not a longer warm-up, resolve: read the
printed table of drifts before taking the slowest metric's figure.

docs/data/relaxation-time.csv holds these runs (2026-12-01, with the inflow rates settled now
and the volunteer teams holding the volunteers of the day): Longnan, 40 seeds and 35 years
(``--seeds 40 --years 35``: 20 seeds over 23 years had read the volunteers' fall as endless;
over 35 they hold near 30 from about year 20, hence its 18-year warm-up); the teaching estate,
40 seeds and 16 years; B community, Cuizhuyuan and Ruiquan, 8 seeds and 20 years; X street, 4
seeds and 20 years. Read them with ``--table``. B community's runs show a slow tipping rather
than a relaxation: in 7 of its 8 seeds unmet needs start to climb in years 8-15 (from about
0.11 of residents to 0.15-0.29 in year 19) and the volunteers fall with them (docs/odd.md,
section 5).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from simgov.experiment import run_replicates
from simgov.scenario import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baseline_drift import COUNT_METRICS, COUNT_TOLERANCE, SHARE_METRICS, SHARE_TOLERANCE  # noqa: E402

METRICS = SHARE_METRICS + COUNT_METRICS + ("unmet_needs_share", "belonging")
#: The share of the drift check's tolerance a settled metric's drift may use.
MARGIN = 2 / 3


def yearly(name: str, seeds: int, years: int, workers: int) -> pd.DataFrame:
    """Yearly means per seed of a ``years``-year baseline with no warm-up."""
    scenario = load_scenario(name).model_copy(update={"warmup_weeks": 0})
    runs = run_replicates(scenario, seeds, ["baseline"], weeks=52 * years, workers=workers, progress=False)
    rows = []
    for r in runs:
        ts = r.timeseries[r.timeseries.week >= 1]
        means = ts.groupby((ts.week - 1) // 52 + 1)[list(METRICS)].mean()
        rows.append(means.rename_axis("year").reset_index().assign(scenario=name, seed=r.seed))
    return pd.concat(rows)[["scenario", "seed", "year", *METRICS]]


def drifts(table: pd.DataFrame, horizon: int = 10) -> pd.DataFrame:
    """Per candidate warm-up W (years, rows) and metric: the drift of the seeds' mean, year
    W + ``horizon`` against year W + 1 (relative for counts, absolute for shares)."""
    mean = table.groupby("year")[list(METRICS)].mean()
    rows = {}
    for w in range(int(mean.index.max()) - horizon + 1):
        a, b = mean.loc[w + 1], mean.loc[w + horizon]
        rows[w] = {m: (b[m] - a[m]) / a[m] if m in COUNT_METRICS and a[m] else b[m] - a[m] for m in METRICS}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("warmup_years")


def settled_from(drift: pd.DataFrame, confirm: int) -> pd.DataFrame:
    """Per metric: the first warm-up (years, weeks) from which it and the next ``confirm``
    warm-ups leave the 10-year drift within ``MARGIN`` of the check's tolerance (None: no
    such warm-up)."""
    out = []
    for m in drift.columns:
        tol = MARGIN * (COUNT_TOLERANCE if m in COUNT_METRICS else SHARE_TOLERANCE)
        ok = (drift[m].abs() <= tol).to_numpy()
        first = next((w for w in range(len(ok) - confirm) if ok[w:w + confirm + 1].all()), None)
        out.append({"metric": m, "warmup_years": first, "warmup_weeks": None if first is None else 52 * first})
    return pd.DataFrame(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", required=True)
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--years", type=int, default=30)
    ap.add_argument("--confirm", type=int, default=2, help="later warm-ups that must stay within tolerance too")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="CSV of the yearly means (default: not written)")
    ap.add_argument("--table", type=Path, default=None, help="read the yearly means from this CSV (an earlier "
                    "--out) instead of running")
    args = ap.parse_args(argv)
    tables = []
    earlier = pd.read_csv(args.table) if args.table is not None else None
    for name in args.scenarios:
        if earlier is not None:
            table = earlier[earlier.scenario == name]
        else:
            table = yearly(name, args.seeds, args.years, args.workers)
        tables.append(table)
        print(f"\n{name}: yearly means over {table.seed.nunique()} seeds, no warm-up")
        print(table.groupby("year")[list(METRICS)].mean().round(3).to_string())
        drift = drifts(table)
        print("\n10-year drift after a warm-up of W years (relative for counts, absolute for shares)")
        print(drift.round(3).to_string())
        print(settled_from(drift, args.confirm).to_string(index=False), flush=True)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        pd.concat(tables).round(4).to_csv(args.out, index=False)
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
