"""The unit cube of a scenario's priors: which parameters a study varies, and their values at
quantiles.

Screening (simgov.uncertainty.screening) and calibration (simgov.uncertainty.calibration)
both work in the unit cube, one coordinate per parameter, and map each coordinate ``u``
through the parameter's prior quantile function (``Prior.ppf``): a sample uniform in the
cube is then a sample from the priors, exactly, whatever their shape or cut (Saltelli et al.
2008, ch. 2). Whole-number parameters take the nearest whole number when applied
(simgov.scenario.overrides).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem, did_you_mean
from simgov.uncertainty.priors import Entry, priors


def select(scenario, paths=None, where: str = "--params") -> list[Entry]:
    """The priors of ``scenario`` named by ``paths`` (all of them when None), in the given order;
    an unknown path or one without a prior is an ``InputError`` naming ``where``."""
    entries = priors(scenario)
    if paths is None:
        return entries
    by_path = {e.path: e for e in entries}
    problems = [Problem(f"'{p}' has no prior in scenario '{scenario.name}'{did_you_mean(p, by_path)}; its "
                        f"{len(by_path)} priors are listed by `simgov priors {scenario.name}`", path=where)
                for p in paths if p not in by_path]
    if problems:
        raise InputError(problems)
    if not paths:
        raise InputError(Problem("name at least one parameter", path=where))
    return [by_path[p] for p in dict.fromkeys(paths)]


def to_values(entries: list[Entry], u: np.ndarray) -> pd.DataFrame:
    """One row per row of ``u`` (points x parameters, in [0, 1]), one column per path: each
    coordinate through its prior's quantile function; whole-number parameters rounded."""
    u = np.atleast_2d(np.asarray(u, dtype=np.float64))
    if u.shape[1] != len(entries):
        raise ValueError(f"{u.shape[1]} coordinates for {len(entries)} parameters")
    columns = {}
    for j, e in enumerate(entries):
        x = e.prior.ppf(u[:, j])
        if e.kind == "int":  # the nearest whole number within the prior's range
            x = np.clip(np.rint(x), np.ceil(e.prior.low), np.floor(e.prior.high)).astype(np.int64)
        columns[e.path] = x
    return pd.DataFrame(columns)
