"""Hazards turned into events in one pass: each entity's keyed uniform (simgov.kernels.draws)
against ``1 - exp(-hazard)``, the hazard computed in the loop from its parts."""

from __future__ import annotations

import math

import numba
import numpy as np

from simgov.kernels.draws import unit
from simgov.kernels.threads import in_chunks

#: 1 - exp(-h) <= h for h >= 0; the margin covers expm1's last-bit rounding.
_MARGIN = 1.0 + 1e-12


@numba.njit(cache=True, nogil=True, inline="always")
def occurs(u: float, hazard: float) -> bool:
    """``u < 1 - exp(-hazard)``, exactly as written, with expm1 (the costly part) evaluated
    only when ``u`` is below ``hazard``: since ``1 - exp(-h) <= h``, a larger ``u`` cannot
    pass, so the answer is the same for every ``u`` (most draws stop at the comparison)."""
    return u < hazard * _MARGIN and u < -math.expm1(-hazard)


# The chunk kernels read their entries through slices (``a[lo:hi]``), so that every index
# counts from 0: indexed from ``lo``, each access pays numba's check for a negative index
# (simgov.kernels.residents).
@numba.njit(cache=True, nogil=True)
def tie_disputes_rows(a: np.ndarray, b: np.ndarray, static: np.ndarray, keys: np.ndarray, grievance: np.ndarray,
                      busy: np.ndarray, half_effect: float, per_tie: float, base: np.uint64, lo: int,
                      hi: int) -> np.ndarray:
    """:func:`tie_disputes` over the candidate ties ``lo`` to ``hi``."""
    a, b, static, keys = a[lo:hi], b[lo:hi], static[lo:hi], keys[lo:hi]
    out = np.empty(a.size, np.int64)
    k = 0
    for t in range(a.size):
        w = (1.0 + half_effect * (grievance[a[t]] + grievance[b[t]])) * static[t]
        if not busy[a[t]] and not busy[b[t]] and occurs(unit(np.uint64(keys[t]), base), per_tie * w):
            out[k] = lo + t
            k += 1
    return out[:k].copy()


def tie_disputes(a: np.ndarray, b: np.ndarray, static: np.ndarray, keys: np.ndarray, grievance: np.ndarray,
                 busy: np.ndarray, half_effect: float, per_tie: float, base: np.uint64,
                 threads: int = 1) -> np.ndarray:
    """Positions ``t`` of the candidate ties whose dispute arises this week
    (simgov.dynamics.disputes): hazard ``per_tie * (1 + half_effect * (g[a] + g[b])) * static``,
    event where the tie's keyed uniform (key ``keys[t]``) is below ``1 - exp(-hazard)``, kept
    only where neither end is ``busy`` (a party of an open dispute). The ties split over
    ``threads`` threads (simgov.kernels.threads: the same positions, in order, as one)."""
    parts = in_chunks(lambda lo, hi: tie_disputes_rows(a, b, static, keys, grievance, busy, half_effect, per_tie,
                                                       base, lo, hi), a.size, threads)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def need_onsets(base_total: np.ndarray, open_rate: np.ndarray, disorder: np.ndarray, building: np.ndarray,
                resonance: float, base: np.uint64, threads: int = 1) -> np.ndarray:
    """Residents (by number) who get a new need this week (simgov.dynamics.needs): yearly hazard
    ``(base_total - open_rate) * (1 + resonance * disorder[building])``, a week's
    ``1 - exp(-hazard / 52)`` against the resident's keyed uniform. The residents split over
    ``threads`` threads (the same residents, in order, as one)."""
    parts = in_chunks(lambda lo, hi: _need_onsets_rows(base_total, open_rate, disorder, building, resonance, base,
                                                       lo, hi), base_total.size, threads)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


@numba.njit(cache=True, nogil=True)
def _need_onsets_rows(base_total: np.ndarray, open_rate: np.ndarray, disorder: np.ndarray, building: np.ndarray,
                      resonance: float, base: np.uint64, lo: int, hi: int) -> np.ndarray:
    base_total, open_rate, building = base_total[lo:hi], open_rate[lo:hi], building[lo:hi]
    out = np.empty(base_total.size, np.int64)
    k = 0
    for j in range(base_total.size):
        total = (base_total[j] - open_rate[j]) * (1.0 + resonance * disorder[building[j]]) / 52.0
        if occurs(unit(np.uint64(lo + j), base), total):
            out[k] = lo + j
            k += 1
    return out[:k].copy()


def tie_disputes_numpy(a, b, static, keys, grievance, busy, half_effect, per_tie, uniform) -> np.ndarray:
    """The reference of :func:`tie_disputes`; ``uniform(keys)`` gives the ties' keyed uniforms."""
    weight = (1.0 + half_effect * (grievance[a] + grievance[b])) * static
    hit = np.flatnonzero(uniform(keys) < -np.expm1(-per_tie * weight))
    return hit[~busy[a[hit]] & ~busy[b[hit]]]


def need_onsets_numpy(base_total, open_rate, disorder, building, resonance, uniform) -> np.ndarray:
    """The reference of :func:`need_onsets`; ``uniform(keys)`` gives the residents' keyed uniforms."""
    total = (base_total - open_rate) * (1.0 + resonance * disorder[building]) / 52.0
    return np.flatnonzero(uniform(np.arange(base_total.size)) < -np.expm1(-total))


def needs_course(needs: np.ndarray, known: np.ndarray, reach: np.ndarray, p_pass: float, base: np.uint64,
                 worsening: float, rates: np.ndarray, threads: int = 1) -> np.ndarray:
    """Rule 4's course of the open needs (types x residents, float32), in place, in one pass
    (simgov.dynamics.needs): a need passes on its keyed uniform (key: its flat index
    ``type * n + resident``) below ``p_pass`` (and is no longer known), else worsens by
    ``worsening`` of the room left, in float32 as the array is. Returns per resident the sum of
    ``rates`` over the needs still open (whose hazard a resident no longer has). The residents
    split over ``threads`` threads (each its own columns: the same result as one)."""
    open_rate = np.zeros(needs.shape[1])
    in_chunks(lambda lo, hi: _needs_course_rows(needs, known, reach, p_pass, base, worsening, rates, open_rate, lo,
                                                hi), open_rate.size, threads)
    return open_rate


@numba.njit(cache=True, nogil=True)
def _needs_course_rows(needs: np.ndarray, known: np.ndarray, reach: np.ndarray, p_pass: float, base: np.uint64,
                       worsening: float, rates: np.ndarray, open_rate: np.ndarray, lo: int, hi: int) -> None:
    types, n = needs.shape
    w = np.float32(worsening)
    one = np.float32(1.0)
    rate_out = open_rate[lo:hi]
    for t in range(types):
        row, k, r, rt = needs[t, lo:hi], known[t, lo:hi], reach[t, lo:hi], rates[t, lo:hi]
        first = t * n + lo  # the flat index of the row's first need
        for i in range(row.size):
            x = row[i]
            if x > 0.0:
                if unit(np.uint64(first + i), base) < p_pass:
                    row[i] = 0.0
                    k[i] = False
                    r[i] = 0
                else:
                    row[i] = x + w * (one - x)
                    rate_out[i] += rt[i]


def needs_course_numpy(needs, known, reach, p_pass, worsening, rates, uniform) -> np.ndarray:
    """The reference of :func:`needs_course`; ``uniform(keys)`` the keyed uniforms (slot "passes")."""
    n = needs.shape[1]
    flat = needs.reshape(-1)
    idx = np.flatnonzero(flat > 0)
    passing = idx[uniform(idx) < p_pass]
    flat[passing] = 0.0
    known.reshape(-1)[passing] = False
    reach.reshape(-1)[passing] = 0
    idx = idx[flat[idx] > 0]
    flat[idx] += worsening * (1.0 - flat[idx])
    return np.bincount(idx % n, weights=rates.reshape(-1)[idx], minlength=n)


@numba.njit(cache=True, nogil=True)
def need_types(rates: np.ndarray, needs: np.ndarray, hit: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The type of each new need of residents ``hit`` (simgov.dynamics.needs): the first type
    whose running sum of ``rates`` over the types the resident has no need of reaches ``u``
    times their total (reference: :func:`need_types_numpy`)."""
    types = rates.shape[0]
    kind = np.empty(hit.size, np.int64)
    for j in range(hit.size):
        i = hit[j]
        total = 0.0
        for t in range(types):
            total += rates[t, i] * (1.0 if needs[t, i] == 0 else 0.0)
        pick = u[j] * total
        running = 0.0
        k = 0
        for t in range(types):
            running += rates[t, i] * (1.0 if needs[t, i] == 0 else 0.0)
            if running < pick:
                k += 1
        kind[j] = k
    return kind


def need_types_numpy(rates, needs, hit, u) -> np.ndarray:
    """The reference of :func:`need_types`."""
    cum = np.cumsum(rates[:, hit] * (needs[:, hit] == 0), axis=0)
    return (cum < u * cum[-1]).sum(axis=0)
