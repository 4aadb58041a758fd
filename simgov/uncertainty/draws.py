"""Parameter draws: K sets of values for a scenario's uncertain parameters, from their priors or
from a posterior sample.

- ``prior_draws(scenario, k, seed, paths=None)``: a Latin hypercube of ``k`` points in the unit
  cube (``scipy.stats.qmc.LatinHypercube``, scrambled, seeded: one stratum of every parameter
  per draw, so a few draws already span each prior), mapped through each prior's quantile
  function (``Prior.ppf``). Whole-number parameters are rounded, as the scenario takes them.
  A Latin hypercube rather than Sobol' points: Sobol' balance needs a power of two of draws,
  and a comparison's K is whatever the analyst can afford. The same seed gives the same draws.
- ``read_posterior(file)``: a calibration's weighted sample (``posterior.csv``: a column
  ``weight`` that sums to 1, then one column per parameter named by its path), checked.
- ``posterior_draws(posterior, k, seed)``: ``k`` particles resampled by weight, with
  replacement (systematic resampling: each particle drawn within one of its expected count
  ``k * weight``, so the draws follow the weights more closely than independent picks; Douc,
  Cappé & Moulines 2005). The same seed gives the same draws.

Every frame has one row per draw (index ``draw``, 0 to k - 1) and one column per parameter
path (the sweep's path language, ``simgov.experiment.factors``), ready for
``Scenario.with_values(dict(row))``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import qmc

from simgov.errors import InputError, Problem
from simgov.uncertainty.priors import priors

#: The column of a posterior sample holding each particle's weight.
WEIGHT = "weight"
#: A posterior's weights must add up to 1 within this.
WEIGHT_TOLERANCE = 1e-6
MAX_DRAWS = 100_000


def _check_k(k: int, what: str = "draws") -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_DRAWS:
        raise InputError(Problem(f"must be a whole number from 1 to {MAX_DRAWS:,}, not {k!r}", path=what))
    return int(k)


def _frame(columns: dict, k: int) -> pd.DataFrame:
    return pd.DataFrame(columns, index=pd.RangeIndex(k, name="draw"))


def prior_draws(scenario, k: int, seed: int, paths: list[str] | None = None) -> pd.DataFrame:
    """``k`` draws of the scenario's uncertain parameters (``paths``, default every one with a
    prior) from their priors, by a seeded Latin hypercube."""
    k = _check_k(k)
    entries = priors(scenario)
    if paths is not None:
        by_path = {e.path: e for e in entries}
        unknown = [p for p in paths if p not in by_path]
        if unknown:
            raise InputError(Problem(f"no prior for {', '.join(unknown)} in scenario '{scenario.name}' "
                                     "(`simgov priors SCENARIO` lists the parameters that have one)", path="paths"))
        entries = [by_path[p] for p in paths]
    if not entries:
        return _frame({}, k)
    unit = qmc.LatinHypercube(d=len(entries), seed=np.random.default_rng(seed)).random(k)
    columns = {}
    for j, e in enumerate(entries):
        values = e.prior.ppf(unit[:, j])
        columns[e.path] = np.rint(values).astype(np.int64) if e.kind == "int" else values
    return _frame(columns, k)


def read_posterior(file: str | Path) -> pd.DataFrame:
    """A posterior sample (``weight`` then one column per parameter path), checked: weights
    non-negative and adding up to 1, values finite. Every problem names the file and column."""
    file = Path(file)
    try:
        table = pd.read_csv(file)
    except FileNotFoundError:
        raise InputError(Problem("no such file", file)) from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(Problem(f"cannot be read as a posterior sample (CSV): {exc}", file)) from None
    if WEIGHT not in table.columns or list(table.columns).index(WEIGHT) != 0:
        raise InputError(Problem(f"a posterior sample's first column is '{WEIGHT}' (then one column per parameter "
                                 f"path); this file has: {', '.join(map(str, table.columns)) or 'no columns'}", file))
    if len(table) == 0 or len(table.columns) < 2:
        raise InputError(Problem("a posterior sample needs at least one particle (row) and one parameter column",
                                 file))
    problems = []
    for column in table.columns:
        values = pd.to_numeric(table[column], errors="coerce")
        if values.isna().any() or not np.isfinite(values).all():
            problems.append(Problem("every value must be a finite number", file, column))
        table[column] = values
    w = table[WEIGHT]
    if not problems and ((w < 0).any() or abs(float(w.sum()) - 1.0) > WEIGHT_TOLERANCE):
        problems.append(Problem(f"weights must be at least 0 and add up to 1 (they add up to {float(w.sum()):.6g})",
                                file, WEIGHT))
    if problems:
        raise InputError(problems)
    return table.reset_index(drop=True)


def posterior_draws(posterior: pd.DataFrame, k: int, seed: int) -> pd.DataFrame:
    """``k`` particles of ``posterior`` resampled by weight (systematic resampling, seeded)."""
    k = _check_k(k)
    w = posterior[WEIGHT].to_numpy(dtype=np.float64)
    edges = np.cumsum(w / w.sum())
    edges[-1] = 1.0
    u = (np.random.default_rng(seed).random() + np.arange(k)) / k
    picked = np.searchsorted(edges, u, side="right")
    # Shuffle the order (seeded): systematic picks come sorted by particle, and a draw's number
    # should not say which particle it is.
    picked = np.random.default_rng([seed, 1]).permutation(picked)
    values = posterior.drop(columns=WEIGHT).iloc[picked]
    return values.reset_index(drop=True).rename_axis("draw")
