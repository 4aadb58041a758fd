"""Judging a candidate mix: its runs paired with the reference's, its yearly cost, its objectives.

Rule: a mix is run as the reference arm plus the mix's policies, for replicates ``0..reps-1``
(replicate i with the seed ``replicate_seed(scenario.seed, i)``, the seed the reference's
replicate i has: common random numbers, as ``simgov compare`` pairs arms) and, with parameter
draws, once per draw and replicate (the draw's values applied to the mix's scenario and to the
reference's alike; a policy parameter in a draw applies where the mix runs that policy).

- Effect on a metric: per draw, the mean over replicates of the paired difference of its
  final-year mean (``mix_i - reference_i``, simgov.experiment.compare). Without draws the
  objective is that mean and its interval the paired 95% Student-t interval over replicates;
  with draws, the interval is the central 95% of the per-draw effects (parameter uncertainty;
  replicate noise is averaged within a draw), and the objective is either their ``mean`` or,
  robustly, their ``quantile``: the ``q``-quantile on the bad side (the ``q``-quantile of a
  maximised metric, the ``1 - q``-quantile of a minimised one): the effect the mix reaches in
  all but a share ``q`` of the draws (EMA Workbench's robustness metrics; Kwakkel 2017).
- Yearly cost: per run, each cumulative cost metric at the end per simulated year
  (simgov.experiment.compare.run_yearly_cost), less the paired reference run's, averaged over
  every run. A mix is feasible when its yuan a year (and, if given, its staff hours a year)
  is no more than the budget and every run finished.

Every finished evaluation (all runs of one mix) is stored as a file keyed by a digest of the
setting and the mix, so an interrupted or resumed optimisation re-runs nothing it has.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment.compare import COST_METRICS, paired_interval, run_yearly_cost
from simgov.experiment.files import atomic_write
from simgov.experiment.runs import simulate
from simgov.metrics import METRIC_NAMES
from simgov.provenance import code_digest
from simgov.scenario import Scenario, dump
from simgov.streams import replicate_seed

COSTS = list(COST_METRICS.values())  # yuan_per_year, staff_hours_per_year, ...
ROBUST = ("quantile", "mean")


def plain(value):
    """A numpy scalar as the Python value it holds (for JSON and pydantic's strict fields)."""
    return value.item() if hasattr(value, "item") else value


@dataclass(frozen=True)
class Setting:
    """What every evaluation depends on: the reference's scenario, weeks, replicates and draws."""

    base: Scenario  # the reference arm as a scenario of its own (no arms)
    weeks: int
    reps: int
    draws: pd.DataFrame | None = None  # one row per draw, columns = parameter paths

    @property
    def n_draws(self) -> int:
        return 1 if self.draws is None else len(self.draws)

    def draw(self, d: int) -> dict:
        return {} if self.draws is None else {k: plain(v) for k, v in self.draws.iloc[d].items()}

    def fingerprint(self) -> str:
        key = {"scenario": dump(self.base), "weeks": self.weeks, "reps": self.reps,
               "draws": None if self.draws is None else self.draws.to_csv(index=False),
               "code": code_digest()}  # an evaluation by other model code is not reused
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]

    def key(self, mix: tuple[dict, ...]) -> str:
        text = json.dumps({"setting": self.fingerprint(), "mix": list(mix)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def mix_scenario(base: Scenario, mix: tuple[dict, ...], draw: dict) -> Scenario:
    """The reference's scenario with the mix's policies added and the draw's values set
    (a policy parameter of a type the mix does not run is left out: nothing runs it)."""
    from simgov.scenario import load

    data = dump(base)
    data["policies"] = list(data["policies"]) + [dict(p) for p in mix]
    scenario = load(data, source="the candidate mix")
    running = {p.type for p in scenario.policies}
    values = {k: v for k, v in draw.items() if not k.startswith("policies.") or k.split(".")[1] in running}
    return scenario.with_values(values) if values else scenario


def run_one(task: tuple) -> tuple:
    """One run of a mix (``()`` is the reference) for a draw and replicate: its final-year means
    and yearly costs, or the error that stopped it."""
    base, mix, draw, d, replicate, weeks = task
    try:
        scenario = mix_scenario(base, mix, draw)
        result = simulate(scenario, seed=replicate_seed(base.seed, replicate), weeks=weeks, replicate=replicate)
        row = result.summary["final_year_mean"].astype(float).to_dict()
        row.update({COST_METRICS[m]: float(v) for m, v in run_yearly_cost(result.timeseries).items()})
        return mix, d, replicate, row, ""
    except Exception as exc:  # a mix that cannot run (an invalid combination) is judged infeasible
        return mix, d, replicate, None, f"{type(exc).__name__}: {exc}"


class Cache:
    """Each mix's runs as a JSON file in ``folder``, named by its key, written whole."""

    def __init__(self, folder: Path, setting: Setting):
        self.folder = Path(folder)
        self.setting = setting

    def _path(self, mix) -> Path:
        return self.folder / f"{self.setting.key(mix)}.json"

    def get(self, mix) -> dict | None:
        path = self._path(mix)
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # damaged: evaluated again

    def put(self, mix, runs: dict, error: str) -> dict:
        record = {"mix": list(mix), "runs": {f"{d}/{r}": row for (d, r), row in runs.items()}, "error": error}
        atomic_write(self._path(mix), json.dumps(record, sort_keys=True) + "\n")
        return record


def ident(mix: tuple[dict, ...]) -> str:
    """A mix as canonical text: the key of its records."""
    return json.dumps(list(mix), sort_keys=True)


def evaluate(mixes: list[tuple[dict, ...]], setting: Setting, cache: Cache, executor) -> tuple[dict, int]:
    """The stored record of each mix (and of the reference, ``()``) by :func:`ident`, running what
    the cache lacks on ``executor``; returns the records and the number of runs made."""
    wanted = {ident(m): m for m in [(), *mixes]}
    records = {k: cache.get(m) for k, m in wanted.items()}
    todo = [k for k in wanted if records[k] is None]
    if not todo:
        return records, 0
    pending: dict[str, dict] = {k: {} for k in todo}
    errors = dict.fromkeys(todo, "")
    per_mix = setting.n_draws * setting.reps
    tasks = ((setting.base, wanted[k], setting.draw(d), d, r, setting.weeks)
             for k in todo for d in range(setting.n_draws) for r in range(setting.reps))
    made = 0
    for mix, d, r, row, error in executor.map_unordered(run_one, tasks):
        made += 1
        k = ident(mix)
        pending[k][(d, r)] = row
        errors[k] = errors[k] or error
        if len(pending[k]) == per_mix:  # stored as soon as the mix's last run is in
            records[k] = cache.put(mix, pending.pop(k), errors[k])
    return records, made


def _matrix(record: dict, setting: Setting, column: str) -> np.ndarray:
    """Draws x replicates of one column of a mix's runs."""
    return np.array([[record["runs"][f"{d}/{r}"][column] for r in range(setting.reps)]
                     for d in range(setting.n_draws)], dtype=np.float64)


def summarise(record: dict, reference: dict, setting: Setting, objectives: list[tuple[str, str]],
              robust: str = "quantile", q: float = 0.1) -> dict:
    """A mix's yearly costs and, per objective metric, its effect (the value optimised), interval,
    and with draws its mean and bad-side quantile; ``error`` if a run failed."""
    out: dict = {}
    error = record["error"] or reference["error"]
    if error:
        out.update(dict.fromkeys(COSTS, np.nan), error=error)
        for metric, _ in objectives:
            out.update({metric: np.nan, f"{metric}:low": np.nan, f"{metric}:high": np.nan})
        return out
    for column in COSTS:
        out[column] = float((_matrix(record, setting, column) - _matrix(reference, setting, column)).mean())
    for metric, sense in objectives:
        diff = _matrix(record, setting, metric) - _matrix(reference, setting, metric)
        if setting.draws is None:
            value, low, high = paired_interval(diff[0])
        else:
            per_draw = diff.mean(axis=1)
            mean = float(per_draw.mean())
            bad = float(np.quantile(per_draw, q if sense == "max" else 1.0 - q))
            low, high = (float(v) for v in np.quantile(per_draw, [0.025, 0.975]))
            out.update({f"{metric}:mean": mean, f"{metric}:quantile": bad})
            value = bad if robust == "quantile" else mean
        out.update({metric: value, f"{metric}:low": low, f"{metric}:high": high})
    out["error"] = ""
    return out


def check_objectives(text: str) -> list[tuple[str, str]]:
    """``METRIC:max,METRIC:min,...`` as (metric, sense) pairs, checked."""
    from simgov.errors import InputError, Problem, allowed, did_you_mean

    pairs = []
    for item in (t.strip() for t in text.split(",")):
        metric, _, sense = item.partition(":")
        if metric not in METRIC_NAMES:
            raise InputError(Problem(f"unknown metric '{metric}'{did_you_mean(metric, METRIC_NAMES)}; allowed: "
                                     f"{allowed(METRIC_NAMES)}", path="--objectives"))
        if sense not in ("max", "min"):
            raise InputError(Problem(f"'{item}': say METRIC:max or METRIC:min", path="--objectives"))
        pairs.append((metric, sense))
    if len({m for m, _ in pairs}) != len(pairs):
        raise InputError(Problem("give each metric once", path="--objectives"))
    return pairs
