"""Dominance and the Pareto front of a table of evaluated mixes.

Rule: objectives are given as ``(column, "max" | "min")``. Mix ``a`` dominates mix ``b`` when
it is at least as good on every objective and better on one. Only feasible mixes (those with
``feasible`` true: within the budget, and every run done) take part; the front is the feasible
mixes that no other feasible mix dominates. The non-dominated sorting is pymoo's (the library
the search uses), so the front written is the one the search's survival ranks first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _minimised(table: pd.DataFrame, objectives: list[tuple[str, str]]) -> np.ndarray:
    """The objective columns as a matrix to minimise (maximised ones negated)."""
    return np.column_stack([table[c].to_numpy(float) * (-1.0 if sense == "max" else 1.0)
                            for c, sense in objectives])


def dominates(a: pd.Series, b: pd.Series, objectives: list[tuple[str, str]]) -> bool:
    """True if ``a`` is at least as good as ``b`` on every objective and better on one."""
    fa, fb = (_minimised(pd.DataFrame([row]), objectives)[0] for row in (a, b))
    return bool(np.all(fa <= fb) and np.any(fa < fb))


def front(table: pd.DataFrame, objectives: list[tuple[str, str]]) -> pd.DataFrame:
    """The rows of ``table`` on the Pareto front: feasible, and dominated by no feasible row."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    feasible = table[table.feasible.astype(bool)]
    if feasible.empty:
        return feasible
    F = _minimised(feasible, objectives)
    if not np.isfinite(F).all():
        raise ValueError("objective values must be finite for the front")
    best = NonDominatedSorting().do(F, only_non_dominated_front=True)
    return feasible.iloc[np.sort(best)]
