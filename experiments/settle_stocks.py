"""Settle each bundled scenario's stocks: the rates that make its input counts its steady state.

    python experiments/settle_stocks.py                          # every scenario but x-street
    python experiments/settle_stocks.py --scenarios b-community --iterations 1 --dry-run
    python experiments/settle_stocks.py --scenarios x-street --reps 1 --workers 1 --iterations 2
    python experiments/settle_stocks.py --scenarios teaching-estate --stocks self_organisations

A scenario gives its steady volunteers and its self-organisations as counts (000: 125
volunteers; 001: 90 organisations in Cuizhuyuan), but the rates that move those stocks
(``participation.volunteer_recruit``, ``organisations.founding_per_1000``) are assumptions
shared by every scenario, so a baseline drifts from the input count to whatever the shared
rates sustain (issue 15: Qingshan's volunteers fell 60% in ten years). This script sets the
inflow rate of each stock per scenario so that its steady state is the input count, holding
the outflows (quitting, folding: the sources' and the literature's rates) as they are.

Rule, volunteers: a stock with inflow ``a`` and outflow hazard ``h`` settles at ``a / h``;
the inflow is proportional to its rate parameter, so the rate that gives the target ``T`` is
about the current rate times ``T / S``, where ``S`` is the stock's mean over the last five of
ten baseline years (volunteers turn over in a few years, so ``S`` is near the steady state).

Rule, self-organisations (target: the scenario's ``self_organisations``): an established
group folds at about 5% a year (organisations' ``fold_hazard``), so the groups a scenario
puts in are still most of the stock ten years on and the late mean ``S`` is not the steady
state: it is ``A + B``, ``A`` the groups put in that are still active (which the founding
rate does not move) and ``B`` the groups founded since (proportional to the founding rate,
founding_per_1000 a year per 1,000 participants). The rate that gives ``T`` is the current
rate times ``(T - A) / B``. Volunteer teams (which do not fold) and professional
organisations (bought in by contract, not founded) are not part of this stock.

Each step is repeated (``--iterations``, damped by ``--damping`` on the log scale, at most a
factor ``MAX_STEP`` a step) because the eligible pool and the money for grants move with the
stocks. The values are written into each scenario's YAML, marked "settled by
experiments/settle_stocks.py", with a `settled` record; the history of the steps goes to
docs/data/settled-stocks.csv (rows of the scenarios settled now replace their old rows).
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
#: The late window: the last five of the ten baseline years.
LATE = 260
#: At most this factor up or down on a rate in one step (a few replicates are noisy).
MAX_STEP = 4.0
VOLUNTEER_RATE = "parameters.participation.volunteer_recruit"
FOUNDING_RATE = "parameters.organisations.founding_per_1000"
#: The rate parameters and their bounds (a weekly chance; a yearly rate per 1,000 participants).
RATES = {VOLUNTEER_RATE: (1e-6, 1.0), FOUNDING_RATE: (1e-3, 1e3)}
#: Each stock and the rate that moves its inflow.
STOCKS = {"volunteers": VOLUNTEER_RATE, "self_organisations": FOUNDING_RATE}


def current(scenario, path: str) -> float:
    block, mech, name = path.split(".")
    return float(getattr(getattr(getattr(scenario, block), mech), name))


def self_organisations(model, late: int = LATE) -> dict[str, float]:
    """Means over the last ``late`` weeks of the active self-organisations put in at the start
    (``put_in``) and of those founded since (``founded``), from the organisations' founding
    weeks and their log (the weekly record counts every kind together)."""
    weeks = model.weeks
    window = np.arange(weeks - late + 1, weeks + 1)
    ended = {key: week for week, key, event in model.state.organisation_log if event in ("folded", "ended")}
    out = {"put_in": 0.0, "founded": 0.0}
    for org in model.state.organisations:
        if org.kind != "self":
            continue
        # Active in the record of week w if founded by then and not folded by then.
        alive = (window >= org.founded) & (window < ended.get(org.key, weeks + 1))
        out["put_in" if org.founded < -model.spec.warmup_weeks else "founded"] += alive.mean()
    return out


def measure(scenario, reps: int, workers: int) -> dict[str, float]:
    runs = list(run_replicates(scenario, reps, ["baseline"], weeks=WEEKS, workers=workers, progress=False,
                               inspect=self_organisations))
    ts = pd.concat([r.timeseries for r in runs])
    return {"volunteers": float(ts[ts.week > WEEKS - LATE].volunteers.mean()),
            **{f"self_orgs_{k}": float(np.mean([r.inspected[k] for r in runs])) for k in ("put_in", "founded")}}


def targets(scenario) -> dict[str, float]:
    return {"volunteers": scenario.actors.steady_volunteers, "self_orgs": scenario.actors.self_organisations}


def factors(means: dict[str, float], target: dict[str, float]) -> dict[str, float]:
    """The factor on each rate that would bring its stock to the target (module docstring)."""
    volunteers = target["volunteers"] / max(means["volunteers"], 0.5)
    put_in, founded = means["self_orgs_put_in"], means["self_orgs_founded"]
    # Nothing founded yet measures nothing: the cap on a step bounds the move.
    wanted = max(target["self_orgs"] - put_in, 0.05 * target["self_orgs"])
    founding = wanted / max(founded, 0.05) if target["self_orgs"] > 0 else 0.0
    return {VOLUNTEER_RATE: volunteers, FOUNDING_RATE: founding}


def step(values: dict[str, float], factor: dict[str, float], damping: float) -> dict[str, float]:
    out = dict(values)
    for path, f in factor.items():
        lo, hi = RATES[path]
        f = np.clip(max(f, 1e-12) ** damping, 1.0 / MAX_STEP, MAX_STEP)
        out[path] = float(np.clip(values[path] * f, lo, hi))
    return out


def settle(name: str, iterations: int, damping: float, reps: int, workers: int,
           stocks=tuple(STOCKS)) -> tuple[dict, list[dict]]:
    """The settled rates of ``stocks`` (the others' rates held) and the history of the steps."""
    base = load_scenario(name)
    moved = {STOCKS[k] for k in stocks}
    target = targets(base)
    values = {path: current(base, path) for path in RATES}
    history = []
    for it in range(iterations + 1):
        means = measure(base.with_values(values), reps, workers)
        row = {"scenario": name, "iteration": it, "replicates": reps, "warmup_weeks": base.warmup_weeks,
               "volunteers_target": target["volunteers"], "volunteers_late_mean": round(means["volunteers"], 2),
               "self_orgs_target": target["self_orgs"],
               "self_orgs_late_mean": round(means["self_orgs_put_in"] + means["self_orgs_founded"], 2),
               "self_orgs_put_in_late_mean": round(means["self_orgs_put_in"], 2),
               "self_orgs_founded_late_mean": round(means["self_orgs_founded"], 2), **values}
        history.append(row)
        print(pd.DataFrame([row]).to_string(index=False), flush=True)
        if it < iterations:
            values = step(values, {p: f for p, f in factors(means, target).items() if p in moved}, damping)
    return values, history


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="*", default=[p.stem for p in sorted(
        (ROOT / "simgov" / "scenarios").glob("*.yaml")) if p.stem != "x-street"])
    ap.add_argument("--iterations", type=int, default=3)
    ap.add_argument("--damping", type=float, default=0.8)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--stocks", nargs="+", choices=tuple(STOCKS), default=tuple(STOCKS),
                    help="stocks to settle (the others' rates are held)")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "data" / "settled-stocks.csv")
    args = ap.parse_args(argv)
    rows = []
    for name in args.scenarios:
        before = {path: current(load_scenario(name), path) for path in RATES}
        values, history = settle(name, args.iterations, args.damping, args.reps, args.workers, args.stocks)
        values = {STOCKS[k]: values[STOCKS[k]] for k in args.stocks}
        rows += history
        if not args.dry_run:
            last = history[-1]
            write_values(name, values, lambda p, b=before: f"settled by experiments/settle_stocks.py (was {b[p]:g})",
                         ("settled", {"method": "experiments/settle_stocks.py: inflow rates for a steady state "
                                                "at the input counts (volunteers: late mean; self-organisations: "
                                                "those founded against those put in)",
                                      "date": dt.date.today().isoformat(), "replicates": args.reps,
                                      "warmup_weeks": last["warmup_weeks"],
                                      "late_means": {"volunteers": last["volunteers_late_mean"],
                                                     "self_organisations": last["self_orgs_late_mean"]},
                                      "parameters": {k: nice(v) for k, v in values.items()}}))
    if not args.dry_run:
        new = pd.DataFrame(rows)
        if args.out.exists():  # keep the rows of scenarios not settled now
            old = pd.read_csv(args.out)
            columns = list(new.columns) + [c for c in old.columns if c not in new.columns]
            new = pd.concat([old[~old.scenario.isin(new.scenario)], new], ignore_index=True)[columns]
        new.to_csv(args.out, index=False)
        print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
