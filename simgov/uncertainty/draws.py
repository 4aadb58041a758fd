"""Parameter draws: sets of values for a scenario's uncertain parameters, from the priors or a posterior.

A draw is one row of a frame whose columns are parameter paths (the sweep's path language,
simgov.experiment.factors) and whose values ``Scenario.with_values`` applies.

- ``prior_draws(scenario, k, seed, paths=None)``: ``k`` draws from the priors of
  ``simgov.uncertainty.priors`` by a scrambled Latin hypercube (scipy.stats.qmc, seeded) through
  each prior's quantile function: the same seed gives the same draws, and every prior's range is
  covered evenly even for small ``k``; whole-number parameters are rounded.
- ``read_posterior(file)``: a ``posterior.csv`` (a ``weight`` column summing to 1, then one column
  per parameter path), checked.
- ``posterior_draws(table, k, seed)``: ``k`` particles resampled by weight (seeded).

(The smallest version the optimiser needs; the decisions branch owns this module.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem


def prior_draws(scenario, k: int, seed: int, paths: list[str] | None = None) -> pd.DataFrame:
    """``k`` draws of the priors of ``scenario`` (or of those at ``paths``), one row per draw."""
    from scipy.stats import qmc

    from simgov.uncertainty.priors import priors

    entries = priors(scenario)
    if paths is not None:
        known = {e.path: e for e in entries}
        missing = [p for p in paths if p not in known]
        if missing:
            raise InputError(Problem(f"no prior for {', '.join(missing)}; see simgov priors {scenario.name}",
                                     path="paths"))
        entries = [known[p] for p in paths]
    if not entries:
        return pd.DataFrame(index=range(k))
    u = qmc.LatinHypercube(d=len(entries), seed=np.random.default_rng(seed)).random(k)
    columns = {}
    for j, e in enumerate(entries):
        values = e.prior.ppf(u[:, j])
        columns[e.path] = np.rint(values).astype(np.int64) if e.kind == "int" else values
    return pd.DataFrame(columns)


def read_posterior(file: str | Path) -> pd.DataFrame:
    """A posterior sample: ``weight`` (non-negative, summing to 1) and one column per parameter path."""
    file = Path(file)
    try:
        table = pd.read_csv(file)
    except (OSError, ValueError) as exc:
        raise InputError(Problem(f"cannot read a posterior sample: {exc}", file)) from None
    if "weight" not in table.columns or len(table.columns) < 2 or not len(table):
        raise InputError(Problem("a posterior sample needs a 'weight' column and one column per parameter path, "
                                 "one row per particle", file, "weight"))
    bad = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    if bad:
        raise InputError(Problem(f"columns {', '.join(bad)} are not numbers", file, bad[0]))
    w = table.weight.to_numpy(float)
    if not np.all(np.isfinite(w)) or (w < 0).any() or not np.isclose(w.sum(), 1.0, atol=1e-6):
        raise InputError(Problem("weights must be finite, non-negative and sum to 1", file, "weight"))
    return table


def posterior_draws(table: pd.DataFrame, k: int, seed: int) -> pd.DataFrame:
    """``k`` particles of a posterior sample drawn with replacement by weight, without the weights."""
    w = table.weight.to_numpy(float)
    rows = np.random.default_rng(seed).choice(len(table), size=k, replace=True, p=w / w.sum())
    return table.drop(columns="weight").iloc[rows].reset_index(drop=True)
