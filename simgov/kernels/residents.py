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
