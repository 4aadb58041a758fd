"""Array helpers for the hot paths.

``np.unique`` and ``np.isin`` in numpy 2.x hash their input, which measured 8-20x slower
than sorting for the int64 keys of a week's update (1,000-50,000 elements); these do the
same by sorting.
"""

from __future__ import annotations

import numpy as np


def unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of ``x``."""
    s = np.sort(np.asarray(x).ravel())
    if s.size == 0:
        return s
    keep = np.empty(s.size, bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def isin_sorted(x: np.ndarray, sorted_ref: np.ndarray) -> np.ndarray:
    """For each element of ``x``, whether it occurs in the sorted array ``sorted_ref``."""
    x = np.asarray(x)
    if sorted_ref.size == 0:
        return np.zeros(x.shape, bool)
    pos = np.minimum(np.searchsorted(sorted_ref, x), sorted_ref.size - 1)
    return sorted_ref[pos] == x


def unique_first(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of ``x`` and the index of each one's first occurrence, as
    ``np.unique(x, return_index=True)`` gives (without its hash-based path, slow here)."""
    x = np.asarray(x).ravel()
    order = np.argsort(x, kind="stable")
    s = x[order]
    if s.size == 0:
        return s, order
    keep = np.empty(s.size, bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep], order[keep]
