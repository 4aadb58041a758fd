"""Settle each bundled scenario's stocks: the rates that make its input counts its steady state.

    python experiments/settle_stocks.py                          # every scenario but x-street
    python experiments/settle_stocks.py --scenarios b-community --iterations 1 --dry-run

A scenario gives its steady volunteers and its self-organisations as counts (000: 125
volunteers; 001: 90 organisations in Cuizhuyuan), but the rates that move those stocks
(``participation.volunteer_recruit``, ``organisations.founding_per_1000``) are assumptions
shared by every scenario, so a baseline drifts from the input count to whatever the shared
rates sustain (issue 15: Qingshan's volunteers fell 60% in ten years). This script sets the
inflow rate of each stock per scenario so that its steady state is the input count, holding
the outflows (quitting, folding: the sources' and the literature's rates) as they are.

Rule: a stock with inflow ``a`` and outflow hazard ``h`` settles at ``a / h``; the inflow is
proportional to its rate parameter, so the rate that gives the target ``T`` is about the
current rate times ``T / S``, where ``S`` is the stock's mean over the last five of ten
baseline years. The step is repeated (``--iterations``, damped by ``--damping`` on the log
scale) because the eligible pool moves with the stock. The values are written into each
scenario's YAML, marked "settled by experiments/settle_stocks.py", with a `settled` record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment import run_replicates
from simgov.scenario import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenario_files import nice, write_values  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 520
#: (metric, target from the scenario, rate parameter moving its inflow)
STOCKS = (
    ("volunteers", lambda s: s.actors.steady_volunteers, "parameters.participation.volunteer_recruit"),
    # every organisation the set-up makes counts in organizations_active, volunteer teams included
    ("organizations_active", lambda s: (s.actors.self_organisations + s.actors.professional_organisations
                                        + s.actors.volunteer_teams), "parameters.organisations.founding_per_1000"),
)


def current(scenario, path: str) -> float:
    block, mech, name = path.split(".")
    return float(getattr(getattr(getattr(scenario, block), mech), name))


def measure(scenario, reps: int, workers: int) -> dict[str, float]:
    runs = run_replicates(scenario, reps, ["baseline"], weeks=WEEKS, workers=workers, progress=False)
    ts = pd.concat([r.timeseries for r in runs])
    late = ts[ts.week > WEEKS - 260]
    return {metric: float(late[metric].mean()) for metric, _, _ in STOCKS}


def settle(name: str, iterations: int, damping: float, reps: int, workers: int) -> tuple[dict, list[dict]]:
    base = load_scenario(name)
    values = {path: current(base, path) for _, _, path in STOCKS}
    history = []
    for it in range(iterations + 1):
        scenario = base.with_values(values)
        means = measure(scenario, reps, workers)
        row = {"scenario": name, "iteration": it, **{f"{m}_target": t(base) for m, t, _ in STOCKS},
               **{f"{m}_late_mean": round(means[m], 2) for m, _, _ in STOCKS}, **values}
        history.append(row)
        print(pd.DataFrame([row]).to_string(index=False), flush=True)
        if it == iterations:
            break
        for metric, target, path in STOCKS:
            t, s = target(base), max(means[metric], 0.5)
            if t > 0:
                top = 1.0 if "recruit" in path else 1e3  # a weekly chance; a yearly rate
                values[path] = float(np.clip(values[path] * (t / s) ** damping, 1e-6, top))
    return values, history


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="*", default=[p.stem for p in sorted(
        (ROOT / "simgov" / "scenarios").glob("*.yaml")) if p.stem != "x-street"])
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--damping", type=float, default=0.8)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "data" / "settled-stocks.csv")
    args = ap.parse_args(argv)
    rows = []
    for name in args.scenarios:
        before = {path: current(load_scenario(name), path) for _, _, path in STOCKS}
        values, history = settle(name, args.iterations, args.damping, args.reps, args.workers)
        rows += history
        if not args.dry_run:
            last = history[-1]
            write_values(name, values, lambda p, b=before: f"settled by experiments/settle_stocks.py (was {b[p]:g})",
                         ("settled", {"method": "experiments/settle_stocks.py: inflow rates for a steady state "
                                                "at the input counts",
                                      "date": dt.date.today().isoformat(), "replicates": args.reps,
                                      "late_means": {m: last[f"{m}_late_mean"] for m, _, _ in STOCKS},
                                      "parameters": {k: nice(v) for k, v in values.items()}}))
    if not args.dry_run:
        pd.DataFrame(rows).to_csv(args.out, index=False)
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
