"""Which priors a scenario's patterns inform: Morris screening of the validation patterns.

In practice: calibration can fit only a few parameters, and those worth fitting are the ones
the patterns respond to; a parameter that moves no pattern is left to its prior (the patterns
say nothing about it), however much it moves a policy's effect (simgov.analysis.screening
ranks those for the decisions).

Rule:

- Every named prior is a coordinate of the unit cube, spanning its central 95% as in
  simgov.analysis.screening (``quantiles``); SALib's Morris design (``trajectories`` one-at-a-time
  paths on a ``levels`` grid; Morris 1991).
- A point's outputs are the scenario's patterns (simgov.experiment.validation), measured as
  calibration measures a particle (simgov.uncertainty.calibration.PatternModel: every arm the
  checks need, the scenario's replicate seeds, so points differ by their values alone), each
  divided by its target range's width (by the bound's size for an open range).
- A parameter's importance for a pattern is its mu* (Campolongo et al. 2007) in those units:
  how many range widths one step of it moves the pattern on average. Its overall importance is
  the largest over patterns, with the pattern where it is largest. A pattern that cannot be
  measured at a point counts at its mean over the points (it says nothing there).
- Patterns with an open range (a bound on one side only, e.g. clustering at least 10 times a
  random graph's) are not screened: any value beyond the bound fits, so how far a parameter
  moves the pattern there says nothing about fitting it (B community's clustering ratio lies
  near 400 against its bound of 10, and would rank the network's parameters first).
- ``rank_patterns`` takes at most ``per_pattern`` parameters from any one pattern, so that the
  few fitted ones inform several patterns rather than the single most sensitive one.

Cost: ``trajectories * (D + 1)`` particle simulations for D priors.

Sources: Morris 1991; Campolongo, Cariboni & Saltelli 2007; SALib (Herman & Usher 2017).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from simgov.experiment.executors import make_executor
from simgov.uncertainty.calibration import PatternModel, wanted_checks, widths
from simgov.uncertainty.space import select

RANKING_COLUMNS = ["parameter", "importance", "pattern", "arm"]


@dataclass
class PatternScreening:
    effects: pd.DataFrame  # pattern, arm, parameter, mu_star (range widths), mu_star_conf
    ranking: pd.DataFrame  # RANKING_COLUMNS, most important first


def _point(model: PatternModel, job: tuple[int, np.ndarray]) -> tuple[int, dict]:
    i, u = job
    return i, model({f"u{j}": float(x) for j, x in enumerate(u)})


def screen_patterns(scenario, paths=None, exclude=(), trajectories: int = 2, levels: int = 4, reps: int = 1,
                    weeks: int | None = None, seed: int = 0, executor: str = "serial",
                    workers: int | None = None) -> PatternScreening:
    """Morris elementary effects of the priors named by ``paths`` (all but ``exclude`` when
    None) on each of the scenario's patterns, in units of the pattern's range width."""
    from SALib.analyze import morris as analyse
    from SALib.sample import morris as sample

    from simgov.analysis.screening import quantiles

    entries = [e for e in select(scenario, paths) if e.path not in set(exclude)]
    wanted = wanted_checks(scenario)
    names = [e.path for e in entries]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    raw = sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    model = PatternModel(scenario, entries, wanted, reps, weeks)
    ex = make_executor(executor, workers)
    try:
        found = dict(ex.map_unordered(partial(_point, model), enumerate(quantiles(raw))))
    finally:
        ex.close()
    scale = widths([c.low for c in wanted], [c.high for c in wanted])
    values = np.array([[found[i][f"pattern_{k}"] for k in range(len(wanted))] for i in range(len(raw))]) / scale
    rows = []
    for k, c in enumerate(wanted):
        y = values[:, k]
        if not (np.isfinite(c.low) and np.isfinite(c.high)) or not np.isfinite(y).any():
            continue
        y = np.where(np.isfinite(y), y, np.nanmean(y))
        result = analyse.analyze(problem, raw, y, num_levels=levels, seed=seed)
        rows += [{"pattern": c.pattern, "arm": c.arm, "parameter": p, "mu_star": float(m), "mu_star_conf": float(ci)}
                 for p, m, ci in zip(names, result["mu_star"], result["mu_star_conf"], strict=True)]
    effects = pd.DataFrame(rows, columns=["pattern", "arm", "parameter", "mu_star", "mu_star_conf"])
    return PatternScreening(effects, rank_patterns(effects))


def rank_patterns(effects: pd.DataFrame, per_pattern: int | None = None) -> pd.DataFrame:
    """Parameters by their largest mu* over patterns, most important first (ties by name); with
    ``per_pattern``, at most that many whose largest is on any one pattern."""
    if effects.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    best = effects.sort_values(["mu_star", "parameter"], ascending=[False, True]).drop_duplicates("parameter")
    out = best.rename(columns={"mu_star": "importance"})[RANKING_COLUMNS]
    out = out.sort_values(["importance", "parameter"], ascending=[False, True])
    if per_pattern is not None:
        out = out[out.groupby(["pattern", "arm"]).cumcount() < per_pattern]
    return out.reset_index(drop=True)


__all__ = ["PatternScreening", "rank_patterns", "screen_patterns"]
