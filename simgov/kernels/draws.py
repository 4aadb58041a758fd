"""Keyed draws in one pass: splitmix64's output function of ``key * GAMMA + base`` (uint64,
wrapping), the top 53 bits scaled to [0, 1) — the same numbers as simgov.streams' numpy path."""

from __future__ import annotations

import numba
import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@numba.njit(cache=True, nogil=True, inline="always")
def mix(z: np.uint64) -> np.uint64:
    """splitmix64's output function (wrapping uint64 arithmetic)."""
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


@numba.njit(cache=True, nogil=True, inline="always")
def unit(key: np.uint64, base: np.uint64) -> float:
    """The keyed uniform of one key."""
    return (mix(key * GAMMA + base) >> _S11) * _TO_UNIT


@numba.njit(cache=True, nogil=True)
def combine_rows(parts: np.ndarray) -> np.ndarray:
    """One key per column of ``parts`` (key parts by row, uint64): ``z = mix((z + GAMMA) ^ part)``
    over the rows from ``z = 0``, as simgov.streams.combine's numpy path."""
    k, n = parts.shape
    out = np.empty(n, np.uint64)
    for i in range(n):
        z = np.uint64(0)
        for j in range(k):
            z = mix((z + GAMMA) ^ parts[j, i])
        out[i] = z
    return out


@numba.njit(cache=True, nogil=True)
def keyed_uniform(keys: np.ndarray, base: np.uint64) -> np.ndarray:
    """Uniform floats in [0, 1), one per uint64 key."""
    out = np.empty(keys.size)
    for i in range(keys.size):
        out[i] = unit(keys[i], base)
    return out


@numba.njit(cache=True, nogil=True)
def select_scalar(mask: np.ndarray, p: float, base: np.uint64) -> np.ndarray:
    """The positions ``i`` (as int64) where ``mask[i]`` and the keyed uniform of key ``i`` is
    below ``p``, in increasing order."""
    out = np.empty(mask.size, np.int64)
    k = 0
    for i in range(mask.size):
        if mask[i] and unit(np.uint64(i), base) < p:
            out[k] = i
            k += 1
    return out[:k].copy()


@numba.njit(cache=True, nogil=True)
def select_array(mask: np.ndarray, p: np.ndarray, base: np.uint64) -> np.ndarray:
    """As :func:`select_scalar` with one probability per position, ``p[i]``."""
    out = np.empty(mask.size, np.int64)
    k = 0
    for i in range(mask.size):
        if mask[i] and unit(np.uint64(i), base) < p[i]:
            out[k] = i
            k += 1
    return out[:k].copy()


#: Means above which :func:`poisson_quantile` leaves an element to scipy (the sum of terms
#: stays accurate far beyond; the counts simgov draws have means near 1).
POISSON_SUM_MAX = 30.0


@numba.njit(cache=True, nogil=True)
def poisson_quantile(q: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """The Poisson quantile (the least ``k`` with ``P(X <= k) >= q``) of each ``q`` at mean
    ``mu`` (0 where ``mu <= 0``), by summing the probability terms; -1 where ``mu`` exceeds
    ``POISSON_SUM_MAX``, for the caller to compute otherwise. Equal to ``stats.poisson.ppf``
    except where ``q`` lies within rounding of a distribution value (tests/test_kernels.py)."""
    out = np.empty(q.size, np.int64)
    for i in range(q.size):
        m = mu[i]
        if m <= 0.0:
            out[i] = 0
            continue
        if m > POISSON_SUM_MAX:
            out[i] = -1
            continue
        k = 0
        pmf = np.exp(-m)
        cdf = pmf
        while cdf < q[i] and pmf > 0.0:
            k += 1
            pmf *= m / k
            cdf += pmf
        out[i] = k
    return out
