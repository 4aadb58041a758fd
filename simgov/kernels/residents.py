"""Reductions over the residents' need matrices (types x residents, C order) in one pass:
numpy's ``(needs > 0).any(axis=0)`` makes a temporary of every type and reduces across
rows with a stride; these read each column once."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def any_need(needs: np.ndarray) -> np.ndarray:
    """Per resident: any need of any type above 0 (reference: ``(needs > 0).any(axis=0)``)."""
    types, n = needs.shape
    out = np.zeros(n, np.bool_)
    for t in range(types):
        for i in range(n):
            if needs[t, i] > 0.0:
                out[i] = True
    return out


@numba.njit(cache=True, nogil=True)
def any_unknown_need(needs: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Per resident: any need above 0 that is not known (reference:
    ``((needs > 0) & ~known).any(axis=0)``)."""
    types, n = needs.shape
    out = np.zeros(n, np.bool_)
    for t in range(types):
        for i in range(n):
            if needs[t, i] > 0.0 and not known[t, i]:
                out[i] = True
    return out


@numba.njit(cache=True, nogil=True)
def weekly_counts(active: np.ndarray, volunteer: np.ndarray, vulnerable: np.ndarray, outside: np.ndarray,
                  needs: np.ndarray, known: np.ndarray) -> np.ndarray:
    """The weekly record's counts of residents in one pass (simgov.metrics): taking part,
    steady volunteers, isolated (no friendly tie outside the household: ``outside == 0``),
    with an unmet need, vulnerable with an unmet need, with an unmet need no service knows of."""
    types, n = needs.shape
    out = np.zeros(6, np.int64)
    for i in range(n):
        unmet = False
        hidden = False
        for t in range(types):
            if needs[t, i] > 0.0:
                unmet = True
                if not known[t, i]:
                    hidden = True
        out[0] += active[i]
        out[1] += volunteer[i]
        out[2] += outside[i] == 0.0
        out[3] += unmet
        out[4] += unmet and vulnerable[i]
        out[5] += hidden
    return out
