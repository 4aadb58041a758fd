"""Newcomers' further ties in one pass (simgov.dynamics.turnover, rule 5): each tie's keyed
draws, its partner found by binary search on the running sums of sociability, where numpy
took about thirty calls on arrays of a few hundred ties each month. The same operations on
the same numbers as the numpy reference (``simgov.dynamics.turnover._further_ties_numpy``),
so the same partners (tests/test_kernels.py)."""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.draws import GAMMA, mix, unit


@numba.njit(cache=True, nogil=True, inline="always")
def _pick(cum: np.ndarray, lo: int, hi: int, u: float) -> int:
    """A position in [lo, hi) in proportion to the weights whose running sum is ``cum``."""
    base = cum[lo - 1] if lo > 0 else 0.0
    target = base + u * (cum[hi - 1] - base)
    pos = np.searchsorted(cum, target, side="right")
    return min(max(pos, lo), hi - 1)


@numba.njit(cache=True, nogil=True)
def further_ties(who: np.ndarray, count: np.ndarray, base_partner: np.uint64, cum: np.ndarray,
                 lo: np.ndarray, hi: np.ndarray, base_homophily: np.uint64, homophily: float,
                 by_stage: np.ndarray, stage_cum: np.ndarray, stage_lo: np.ndarray, stage_hi: np.ndarray,
                 stage: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, partner) of the ties newcomers ``who`` make, ``count[i]`` each, keyed by
    (newcomer, tie number): a partner drawn in proportion to sociability (``cum``, its running
    sum over residents) among residents ``lo[i]`` to ``hi[i] - 1``; where ``homophily`` > 0
    (acquaintances), with that chance within the newcomer's life stage instead (``by_stage``:
    residents ordered by stage, ``stage_cum`` their running sum, ``stage_lo/hi[s]`` stage s's
    span). Ties to oneself are left out."""
    total = 0
    for c in count:
        total += c
    owner = np.empty(total, np.int64)
    partner = np.empty(total, np.int64)
    k = 0
    for i in range(who.size):
        w = who[i]
        for t in range(count[i]):
            key = mix((mix(GAMMA ^ np.uint64(w)) + GAMMA) ^ np.uint64(t))  # streams.combine(w, t)
            u = unit(key, base_partner)
            p = _pick(cum, lo[i], hi[i], u)
            if homophily > 0.0 and unit(key, base_homophily) < homophily:
                s = stage[w]
                p = by_stage[_pick(stage_cum, stage_lo[s], stage_hi[s], u)]
            if p != w:
                owner[k] = w
                partner[k] = p
                k += 1
    return owner[:k].copy(), partner[:k].copy()
