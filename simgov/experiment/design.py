"""Design points: every combination (full factorial) or a sample drawn with SALib.

- ``full_factorial``: the product of each factor's values (listed, or ``levels`` evenly spaced
  from low to high), in row-major order;
- ``latin_hypercube``: ``samples`` points, one per stratum of every factor (McKay, Beckman and
  Conover 1979; ``SALib.sample.latin``);
- ``sobol``: Saltelli's extension of a scrambled Sobol' sequence with base size N, N*(D+2)
  points (N*(2D+2) with second order), for first and total indices (Saltelli et al. 2010;
  ``SALib.sample.sobol``);
- ``morris``: ``samples`` one-at-a-time trajectories of D+1 points on a ``levels`` grid
  (Morris 1991; Campolongo, Cariboni and Saltelli 2007; ``SALib.sample.morris``).

The sample is drawn from the experiment's seed, so it is the same on every machine, and the
analysis regenerates it to check that it matches the sweep's (SALib's order-dependent
estimators give nonsense on any other order). Whole-number factors are rounded when applied
(``simgov.experiment.factors``); the raw sample, not the rounded one, feeds Morris' analysis.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from simgov.experiment.factors import Target
from simgov.experiment.spec import Experiment

#: Columns of design.csv before the factors.
POINT = "point"


def problem(exp: Experiment) -> dict:
    """The SALib problem: factor names (paths) and bounds."""
    bounds = [[float(min(f.values)), float(max(f.values))] if f.values is not None else [float(f.low), float(f.high)]
              for f in exp.factors]
    return {"num_vars": len(exp.factors), "names": exp.factor_names, "bounds": bounds}


def points(exp: Experiment) -> int:
    """How many design points the experiment's design has, from its factor counts alone
    (before any is built: a design is checked against the run limit first). For
    full_factorial, the product of each factor's listed values or levels (an upper bound:
    casting to whole numbers may merge levels)."""
    d, k = exp.design, len(exp.factors)
    if d.method == "full_factorial":
        return math.prod(len(f.values) if f.values is not None else f.levels for f in exp.factors)
    if d.method == "latin_hypercube":
        return d.samples
    if d.method == "sobol":
        return d.samples * (2 * k + 2 if d.second_order else k + 2)
    return d.samples * (k + 1)


def factor_values(factor, target: Target) -> list:
    """The full-factorial values of one factor, cast to its field type, without repeats."""
    if factor.values is not None:
        raw = list(factor.values)
    else:
        raw = list(np.linspace(factor.low, factor.high, factor.levels))
    return list(dict.fromkeys(target.cast(v) for v in raw))


def sample(exp: Experiment, seed: int, targets: tuple[Target, ...] = ()) -> np.ndarray:
    """The raw design matrix (points x factors), before casting to field types.

    ``targets`` is needed for full_factorial only (to cast and de-duplicate the levels).
    """
    d = exp.design
    if d.method == "full_factorial":
        levels = [factor_values(f, t) for f, t in zip(exp.factors, targets, strict=True)]
        return np.array(list(itertools.product(*levels)), dtype=object)
    from SALib.sample import latin, morris, sobol

    prob = problem(exp)
    if d.method == "latin_hypercube":
        return latin.sample(prob, d.samples, seed=seed)
    if d.method == "sobol":
        return sobol.sample(prob, d.samples, calc_second_order=d.second_order, scramble=True, seed=seed)
    return morris.sample(prob, d.samples, num_levels=d.levels, seed=seed)


def design_table(exp: Experiment, targets: tuple[Target, ...], seed: int,
                 raw: np.ndarray | None = None) -> pd.DataFrame:
    """One row per design point: ``point`` (0, 1, ...) and each factor's applied value (cast
    from ``raw``, by default the experiment's sample)."""
    raw = sample(exp, seed, targets) if raw is None else raw
    columns = {POINT: np.arange(len(raw), dtype=np.int64)}
    for j, target in enumerate(targets):
        values = [target.cast(v) for v in raw[:, j]]
        columns[target.path] = pd.array(values, dtype={"int": "int64", "float": "float64", "bool": "bool"}[target.kind])
    return pd.DataFrame(columns)
