"""Hazards turned into events in one pass: each entity's keyed uniform (simgov.kernels.draws)
against ``1 - exp(-hazard)``, the hazard computed in the loop from its parts."""

from __future__ import annotations

import math

import numba
import numpy as np

from simgov.kernels.draws import unit

#: 1 - exp(-h) <= h for h >= 0; the margin covers expm1's last-bit rounding.
_MARGIN = 1.0 + 1e-12


@numba.njit(cache=True, nogil=True, inline="always")
def occurs(u: float, hazard: float) -> bool:
    """``u < 1 - exp(-hazard)``, exactly as written, with expm1 (the costly part) evaluated
    only when ``u`` is below ``hazard``: since ``1 - exp(-h) <= h``, a larger ``u`` cannot
    pass, so the answer is the same for every ``u`` (most draws stop at the comparison)."""
    return u < hazard * _MARGIN and u < -math.expm1(-hazard)


@numba.njit(cache=True, nogil=True)
def tie_disputes(a: np.ndarray, b: np.ndarray, static: np.ndarray, keys: np.ndarray, grievance: np.ndarray,
                 busy: np.ndarray, half_effect: float, per_tie: float, base: np.uint64) -> np.ndarray:
    """Positions ``t`` of the candidate ties whose dispute arises this week
    (simgov.dynamics.disputes): hazard ``per_tie * (1 + half_effect * (g[a] + g[b])) * static``,
    event where the tie's keyed uniform (key ``keys[t]``) is below ``1 - exp(-hazard)``, kept
    only where neither end is ``busy`` (a party of an open dispute)."""
    out = np.empty(a.size, np.int64)
    k = 0
    for t in range(a.size):
        w = (1.0 + half_effect * (grievance[a[t]] + grievance[b[t]])) * static[t]
        if not busy[a[t]] and not busy[b[t]] and occurs(unit(np.uint64(keys[t]), base), per_tie * w):
            out[k] = t
            k += 1
    return out[:k].copy()


@numba.njit(cache=True, nogil=True)
def need_onsets(base_total: np.ndarray, open_rate: np.ndarray, disorder: np.ndarray, building: np.ndarray,
                resonance: float, base: np.uint64) -> np.ndarray:
    """Residents (by number) who get a new need this week (simgov.dynamics.needs): yearly hazard
    ``(base_total - open_rate) * (1 + resonance * disorder[building])``, a week's
    ``1 - exp(-hazard / 52)`` against the resident's keyed uniform."""
    out = np.empty(base_total.size, np.int64)
    k = 0
    for i in range(base_total.size):
        total = (base_total[i] - open_rate[i]) * (1.0 + resonance * disorder[building[i]]) / 52.0
        if occurs(unit(np.uint64(i), base), total):
            out[k] = i
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


@numba.njit(cache=True, nogil=True)
def needs_course(needs: np.ndarray, known: np.ndarray, reach: np.ndarray, p_pass: float, base: np.uint64,
                 worsening: float, rates: np.ndarray) -> np.ndarray:
    """Rule 4's course of the open needs (types x residents, float32), in place, in one pass
    (simgov.dynamics.needs): a need passes on its keyed uniform (key: its flat index
    ``type * n + resident``) below ``p_pass`` (and is no longer known), else worsens by
    ``worsening`` of the room left, in float32 as the array is. Returns per resident the sum of
    ``rates`` over the needs still open (whose hazard a resident no longer has)."""
    types, n = needs.shape
    open_rate = np.zeros(n)
    w = np.float32(worsening)
    one = np.float32(1.0)
    for t in range(types):
        for i in range(n):
            x = needs[t, i]
            if x > 0.0:
                if unit(np.uint64(t * n + i), base) < p_pass:
                    needs[t, i] = 0.0
                    known[t, i] = False
                    reach[t, i] = 0
                else:
                    needs[t, i] = x + w * (one - x)
                    open_rate[i] += rates[t, i]
    return open_rate


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
