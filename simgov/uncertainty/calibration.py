"""Bayesian calibration: the priors of the parameters that matter, fitted to a scenario's
patterns by approximate Bayesian computation (ABC-SMC, with pyabc).

In practice: a point fit hides that many parameter sets fit the patterns equally well; ABC
keeps them all, weighted, so that comparisons run under the posterior carry the uncertainty
the patterns leave.

Rule:

- Parameters: the named priors (simgov.uncertainty.space), each given to pyabc as a
  uniform(0, 1) coordinate and mapped through its prior's ``ppf`` in the model, so simgov's
  cut and shaped priors are exact whatever pyabc supports.
- A particle's simulation: the scenario with its values, every arm the checks need, the
  scenario's replicate seeds (``reps`` replicates, common random numbers across particles as
  in validation and experiments/calibrate.py, so particles differ by their values alone);
  each pattern's mean over replicates (simgov.experiment.validation).
- Distance: the root sum of squares of the patterns' normalised misses: how far the mean lies
  outside its target range, in units of the range's width (of the bound, for an open range);
  an unmeasurable pattern counts as one width off. It is 0 for a particle that puts every
  pattern in range: the ABC posterior with a tolerance of 0 is the prior cut to the region
  that reproduces every pattern (the ranges say where a value is credible, not more).
- ABC-SMC (Toni et al. 2009; Beaumont et al. 2009; pyabc: Klinger, Rickert & Hasenauer 2018,
  Schälte et al. 2022): ``population`` particles a generation, the tolerance each generation
  the median distance of the last (``QuantileEpsilon``), a multivariate normal transition fitted
  to the last population, at most ``generations`` generations; it stops early when the
  tolerance reaches ``min_epsilon`` (0: every pattern in range) or the acceptance rate falls
  below ``min_acceptance``. ``adaptive`` lets pyabc size each population to the transition's
  needs (``AdaptivePopulationSize``, up to 4 x ``population``).

Why pyabc: maintained (ICB Munich), ABC-SMC with adaptive tolerance and population, a
resumable SQLite history of every generation, and samplers for any ``concurrent.futures``
executor and for Dask. Executors: ``serial`` is pyabc's single-core sampler (seeded: the
same seed gives the same posterior); ``processes`` is pyabc's ``ConcurrentFutureSampler`` on
simgov's spawned process pool (simgov.experiment.executors.Processes); ``dask`` is pyabc's
``DaskDistributedSampler`` on simgov's Dask client (a local cluster or ``scheduler``). Under
the parallel samplers the workers draw proposals from their own generators, so a rerun gives
another (equally valid) sample.

Outputs in ``out``: ``abc.db`` (pyabc's history; ``resume`` continues it), ``posterior.csv``
(one row per particle: ``weight``, summing to 1, then one column per parameter path, in
parameter values) with its record ``posterior.json`` (simgov.uncertainty.shipped),
``diagnostics.csv`` (per generation: tolerance, particles, simulations,
acceptance rate, effective sample size), ``predictive.csv`` (each pattern's interval over the
last population against its target), ``parameters.csv`` (prior and posterior 95% intervals)
and ``diagnostics.json`` (all of it with the settings).

Sources: Toni et al. 2009 (ABC-SMC); Beaumont et al. 2009 (adaptive ABC); van der Vaart et
al. 2015 and Hartig et al. 2011 (ABC and pattern-oriented fitting of individual-based models);
Kish's effective sample size for weighted samples.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem
from simgov.experiment.output import atomic_write
from simgov.experiment.validation import Check, checks, judge, pattern_values
from simgov.provenance import code_digest
from simgov.scenario import load_scenario
from simgov.uncertainty.priors import Entry
from simgov.uncertainty.shipped import scenario_digest
from simgov.uncertainty.space import select, to_values

DB = "abc.db"
SETTINGS = "calibration.json"
#: Most particles a generation may have with an adaptive population, as a multiple of ``population``.
ADAPTIVE_MAX = 4


def widths(lows, highs) -> np.ndarray:
    """Each target range's width (the bound's size for an open range): the unit of its misses."""
    lo, hi = (np.asarray(a, dtype=np.float64) for a in (lows, highs))
    finite = np.isfinite(hi) & np.isfinite(lo) & (hi > lo)
    bound = np.where(np.isfinite(lo), np.abs(lo), np.abs(hi))
    return np.where(finite, hi - lo, np.maximum(bound, 1e-9))


def normalised_misses(means, lows, highs) -> np.ndarray:
    """Each pattern's distance outside its range in units of the range's width (``widths``);
    1 for a pattern that could not be measured (NaN)."""
    x, lo, hi = (np.asarray(a, dtype=np.float64) for a in (means, lows, highs))
    width = widths(lo, hi)
    with np.errstate(invalid="ignore"):
        gap = np.maximum.reduce([lo - x, np.zeros_like(x), x - hi])
    return np.where(np.isnan(x), 1.0, gap / width)


def _key(i: int) -> str:
    return f"pattern_{i}"


def range_distance(x: dict, x_0: dict) -> float:
    """ABC distance: root sum of squares of the normalised misses of ``x`` (simulated pattern
    means by key) against ``x_0`` (each key's [low, high])."""
    keys = sorted(x_0)
    lo = [x_0[k][0] for k in keys]
    hi = [x_0[k][1] for k in keys]
    return float(np.sqrt(np.sum(normalised_misses([x[k] for k in keys], lo, hi) ** 2)))


@dataclass
class PatternModel:
    """One particle's simulation: the scenario at the particle's values, its patterns' means."""

    scenario: object
    entries: list[Entry]
    wanted: list[Check]
    reps: int
    weeks: int | None

    def values(self, par) -> dict:
        u = np.array([[float(par[_coordinate(j)]) for j in range(len(self.entries))]])
        row = to_values(self.entries, u).iloc[0]
        return {e.path: row[e.path].item() for e in self.entries}

    def __call__(self, par) -> dict:
        try:
            scenario = self.scenario.with_values(self.values(par))
        except InputError:  # an invalid combination reproduces nothing
            return {_key(i): math.nan for i in range(len(self.wanted))}
        table = judge(scenario, pattern_values(scenario, self.reps, self.weeks, workers=1, progress=False,
                                               only=self.wanted), self.wanted)
        return {_key(i): float(m) for i, m in enumerate(table["mean"])}


def _coordinate(j: int) -> str:
    return f"u{j}"


def wanted_checks(scenario, patterns=None) -> list[Check]:
    """The scenario's checks (simgov.experiment.validation), or those of the named patterns."""
    every = checks(scenario)
    if patterns is None:
        return every
    known = {c.pattern for c in every}
    missing = [p for p in patterns if p not in known]
    if missing:
        raise InputError(Problem(f"the scenario is held to no pattern {', '.join(map(repr, missing))}; its patterns: "
                                 f"{', '.join(sorted(known))}", path="--patterns"))
    return [c for c in every if c.pattern in set(patterns)]


def _sampler(executor: str, workers: int | None, scheduler: str | None):
    """pyabc's sampler on simgov's executor, and the executor to close afterwards."""
    import pyabc

    from simgov.experiment.executors import make_executor

    if executor == "serial":
        return pyabc.sampler.SingleCoreSampler(), None
    ex = make_executor(executor, workers, scheduler)
    if executor == "processes":
        return pyabc.sampler.ConcurrentFutureSampler(cfuture_executor=ex.pool, client_max_jobs=2 * ex.workers), ex
    return pyabc.sampler.DaskDistributedSampler(dask_client=ex.client, client_max_jobs=2 * ex.workers), ex


def _settings(scenario, entries, wanted, reps, weeks) -> dict:
    return {"scenario": scenario.name, "digest": scenario_digest(scenario), "code": code_digest(),
            "parameters": [e.path for e in entries],
            "patterns": [[c.pattern, c.arm, c.low, c.high] for c in wanted], "replicates": reps,
            "weeks": weeks or scenario.weeks}


def _check_folder(out: Path, settings: dict, resume: bool) -> bool:
    """Whether ``out`` holds a calibration to continue; refuse a mismatch or an unasked overwrite."""
    db, record = out / DB, out / SETTINGS
    if not db.is_file():
        if resume:
            raise InputError(Problem(f"{out} holds no calibration to resume (no {DB})", path="--resume"))
        return False
    if not resume:
        raise InputError(Problem(f"{out} already holds a calibration; add --resume to continue it, or choose "
                                 "another --out", path="--out"))
    old = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
    if {k: old.get(k) for k in settings} != json.loads(json.dumps(settings)):
        raise InputError(Problem(f"the calibration in {out} was made with other settings (scenario, its inputs, "
                                 "simgov's model code, parameters, patterns, replicates or weeks); choose another "
                                 "--out", path="--resume"))
    return True


@dataclass
class Calibration:
    folder: Path
    posterior: pd.DataFrame  # weight, then one column per path
    generations: pd.DataFrame
    predictive: pd.DataFrame
    parameters: pd.DataFrame
    seconds: float


def calibrate(scenario, out: str | Path, paths=None, patterns=None, population: int = 100, generations: int = 8,
              reps: int = 1, weeks: int | None = None, seed: int | None = None, executor: str = "serial",
              workers: int | None = None, scheduler: str | None = None, resume: bool = False,
              min_epsilon: float = 0.0, min_acceptance: float = 0.01, adaptive: bool = False,
              command: str = "", max_minutes: float | None = None) -> Calibration:
    """Fit the priors named by ``paths`` (all of them when None) to the scenario's patterns
    (those named by ``patterns``, else all) by ABC-SMC; write the outputs into ``out``, with
    the posterior's record (simgov.uncertainty.shipped: scenario digest, version, ``command``,
    settings, diagnostics) as ``posterior.json``. ``max_minutes`` stops starting generations
    after that long (pyabc's ``max_walltime``; ``resume`` continues)."""
    import pyabc

    scenario = load_scenario(scenario)
    entries = select(scenario, paths)
    wanted = wanted_checks(scenario, patterns)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = _settings(scenario, entries, wanted, reps, weeks)
    again = _check_folder(out, settings, resume)
    atomic_write(out / SETTINGS, json.dumps(settings, indent=2))
    seed = scenario.seed if seed is None else seed
    np.random.seed(seed % 2**32)  # pyabc draws from numpy's global generator (and Python's)
    random.seed(seed)

    prior = pyabc.Distribution(**{_coordinate(j): pyabc.RV("uniform", 0, 1) for j in range(len(entries))})
    sampler, ex = _sampler(executor, workers, scheduler)
    size = pyabc.AdaptivePopulationSize(population, max_population_size=ADAPTIVE_MAX * population) \
        if adaptive else population
    abc = pyabc.ABCSMC(PatternModel(scenario, entries, wanted, reps, weeks), prior, range_distance,
                       population_size=size, sampler=sampler, eps=pyabc.epsilon.QuantileEpsilon(alpha=0.5))
    db = f"sqlite:///{(out / DB).resolve()}"
    started = time.perf_counter()
    try:
        if again:
            abc.load(db, 1)
        else:
            abc.new(db, {_key(i): np.array([c.low, c.high]) for i, c in enumerate(wanted)})
        left = generations - (abc.history.max_t + 1)
        if left > 0:
            abc.run(max_nr_populations=left, minimum_epsilon=min_epsilon, min_acceptance_rate=min_acceptance,
                    max_walltime=None if max_minutes is None else timedelta(minutes=max_minutes))
    finally:
        if ex is not None:
            ex.close()
    result = summarise(abc.history, entries, wanted, out, time.perf_counter() - started)
    from simgov.uncertainty.shipped import record_of, write_record

    run = {"population": population, "generations": generations, "reps": reps, "weeks": weeks or scenario.weeks,
           "seed": seed, "executor": executor, "workers": workers, "adaptive": adaptive, "min_epsilon": min_epsilon,
           "min_acceptance": min_acceptance, "max_minutes": max_minutes}
    write_record(out / "posterior.csv", record_of(scenario, result, run, command))
    return result


def weighted_quantiles(x: np.ndarray, w: np.ndarray, q) -> np.ndarray:
    """Quantiles ``q`` of values ``x`` with weights ``w`` (the weighted empirical distribution,
    interpolated between the midpoints of each value's weight)."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    keep = np.isfinite(x) & (w > 0)
    x, w = x[keep], w[keep]
    if not x.size:
        return np.full(len(np.atleast_1d(q)), np.nan)
    order = np.argsort(x)
    x, w = x[order], w[order]
    cum = (np.cumsum(w) - w / 2) / w.sum()
    return np.interp(q, cum, x)


def effective_sample_size(w: np.ndarray) -> float:
    """Kish's effective sample size of weights ``w``: (sum w)^2 / sum w^2."""
    w = np.asarray(w, dtype=np.float64)
    return float(w.sum() ** 2 / (w**2).sum())


def summarise(history, entries: list[Entry], wanted: list[Check], out: Path, seconds: float = 0.0) -> Calibration:
    """The posterior and diagnostics of a finished (or resumed) history, written into ``out``."""
    t_max = history.max_t
    frame, w = history.get_distribution(m=0, t=t_max)
    u = frame[[_coordinate(j) for j in range(len(entries))]].to_numpy()
    w = np.asarray(w, dtype=np.float64) / np.sum(w)
    posterior = pd.concat([pd.DataFrame({"weight": w}), to_values(entries, u)], axis=1)

    pops = history.get_all_populations()
    rows = []
    for p in pops[pops.t >= 0].itertuples():
        _, wt = history.get_distribution(m=0, t=int(p.t))
        rows.append({"generation": int(p.t), "epsilon": float(p.epsilon), "particles": int(p.particles),
                     "simulations": int(p.samples), "acceptance_rate": p.particles / p.samples if p.samples else np.nan,
                     "ess": effective_sample_size(wt), "seconds": float(p.wall_time or 0.0)})
    generations = pd.DataFrame(rows, columns=["generation", "epsilon", "particles", "simulations", "acceptance_rate",
                                              "ess", "seconds"])

    weights, stats = history.get_weighted_sum_stats(t=t_max)
    weights = np.asarray(weights, dtype=np.float64)
    pred = []
    for i, c in enumerate(wanted):
        x = np.array([s[_key(i)] for s in stats], dtype=np.float64)
        lo, mid, hi = weighted_quantiles(x, weights, [0.025, 0.5, 0.975])
        inside = np.isfinite(x) & (x >= c.low) & (x <= c.high)
        pred.append({"pattern": c.pattern, "arm": c.arm, "low": c.low, "high": c.high, "median": mid,
                     "pi_low": lo, "pi_high": hi, "share_in_range": float(weights[inside].sum() / weights.sum())})
    predictive = pd.DataFrame(pred)

    params = []
    for e in entries:
        lo, mid, hi = weighted_quantiles(posterior[e.path], w, [0.025, 0.5, 0.975])
        plo, phi = e.prior.interval()
        params.append({"parameter": e.path, "value": e.value, "prior": e.prior.describe(), "prior_low": plo,
                       "prior_high": phi, "posterior_median": mid, "posterior_low": lo, "posterior_high": hi,
                       "narrowing": (hi - lo) / (phi - plo) if phi > plo else np.nan})
    parameters = pd.DataFrame(params)

    atomic_write(out / "posterior.csv", posterior.to_csv(index=False))
    atomic_write(out / "diagnostics.csv", generations.to_csv(index=False))
    atomic_write(out / "predictive.csv", predictive.to_csv(index=False))
    atomic_write(out / "parameters.csv", parameters.to_csv(index=False))
    atomic_write(out / "diagnostics.json", json.dumps(
        {"generations": generations.to_dict("records"), "predictive": predictive.to_dict("records"),
         "parameters": parameters.to_dict("records"), "seconds": round(seconds, 3)},
        indent=2, default=float, allow_nan=True))
    return Calibration(out, posterior, generations, predictive, parameters, seconds)


__all__ = ["Calibration", "PatternModel", "calibrate", "effective_sample_size", "normalised_misses",
           "range_distance", "summarise", "wanted_checks", "weighted_quantiles", "widths"]
