"""Reductions over the residents' need matrices (types x residents, C order) in one pass:
numpy's ``(needs > 0).any(axis=0)`` makes a temporary of every type and reduces across
rows with a stride; these read each column once. At a million residents each pass reads tens
of megabytes from memory: the residents split over ``threads`` threads (simgov.kernels.threads),
each thread its own columns, so a threaded pass gives exactly the serial one's result."""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.draws import unit
from simgov.kernels.threads import in_chunks


# The chunk kernels read their columns through slices (``needs[t, lo:hi]``): indexed from
# ``lo`` instead, every access pays numba's check for a negative index, which stops the loop
# from vectorising (17 ms against 1.2 ms for any_need at a million residents).
@numba.njit(cache=True, nogil=True)
def _any_need_rows(needs: np.ndarray, out: np.ndarray, lo: int, hi: int) -> None:
    o = out[lo:hi]
    for t in range(needs.shape[0]):
        row = needs[t, lo:hi]
        for i in range(row.size):
            if row[i] > 0.0:
                o[i] = True


@numba.njit(cache=True, nogil=True)
def _any_unknown_need_rows(needs: np.ndarray, known: np.ndarray, out: np.ndarray, lo: int, hi: int) -> None:
    o = out[lo:hi]
    for t in range(needs.shape[0]):
        row, k = needs[t, lo:hi], known[t, lo:hi]
        for i in range(row.size):
            if row[i] > 0.0 and not k[i]:
                o[i] = True


def any_need(needs: np.ndarray, threads: int = 1) -> np.ndarray:
    """Per resident: any need of any type above 0 (reference: ``(needs > 0).any(axis=0)``)."""
    out = np.zeros(needs.shape[1], np.bool_)
    in_chunks(lambda lo, hi: _any_need_rows(needs, out, lo, hi), out.size, threads)
    return out


def any_unknown_need(needs: np.ndarray, known: np.ndarray, threads: int = 1) -> np.ndarray:
    """Per resident: any need above 0 that is not known (reference:
    ``((needs > 0) & ~known).any(axis=0)``)."""
    out = np.zeros(needs.shape[1], np.bool_)
    in_chunks(lambda lo, hi: _any_unknown_need_rows(needs, known, out, lo, hi), out.size, threads)
    return out


def weekly_counts(active: np.ndarray, volunteer: np.ndarray, vulnerable: np.ndarray, outside: np.ndarray,
                  needs: np.ndarray, known: np.ndarray, threads: int = 1) -> np.ndarray:
    """The weekly record's counts of residents in one pass (simgov.metrics): taking part,
    steady volunteers, isolated (no friendly tie outside the household: ``outside == 0``),
    with an unmet need, vulnerable with an unmet need, with an unmet need no service knows of."""
    parts = in_chunks(lambda lo, hi: _weekly_counts_rows(active, volunteer, vulnerable, outside, needs, known, lo,
                                                         hi), active.size, threads)
    return parts[0] if len(parts) == 1 else np.sum(parts, axis=0)


@numba.njit(cache=True, nogil=True)
def _weekly_counts_rows(active: np.ndarray, volunteer: np.ndarray, vulnerable: np.ndarray, outside: np.ndarray,
                        needs: np.ndarray, known: np.ndarray, lo: int, hi: int) -> np.ndarray:
    # Per resident: 1 an unmet need, 2 one no service knows of; type by type, as the matrix
    # lies in memory (a type-inner loop read seven rows at once, several times slower).
    flags = np.zeros(hi - lo, np.uint8)
    for t in range(needs.shape[0]):
        row, k = needs[t, lo:hi], known[t, lo:hi]
        for i in range(row.size):
            if row[i] > 0.0:
                flags[i] |= 1 if k[i] else 3
    act, vol, vul, outs = active[lo:hi], volunteer[lo:hi], vulnerable[lo:hi], outside[lo:hi]
    out = np.zeros(6, np.int64)
    for i in range(flags.size):
        unmet = (flags[i] & 1) != 0
        out[0] += act[i]
        out[1] += vol[i]
        out[2] += outs[i] == 0.0
        out[3] += unmet
        out[4] += unmet and vul[i]
        out[5] += (flags[i] & 2) != 0
    return out


def share_needs(known: np.ndarray, reach: np.ndarray, shared: np.uint8, p_list: float, base_list: np.uint64,
                social_worker: np.uint8, coordinated: np.uint8, p_coordinate: float,
                base_coordinate: np.uint64, threads: int = 1) -> None:
    """The linkage's week on the known needs (simgov.dynamics.linkage), in place, keyed by a
    need's flat index: a known need with no channel recorded is on the shared list
    (``Residents.reach``); one not yet on it is posted with ``p_list``; one social workers
    know of and not posted is passed to ``coordinated`` with ``p_coordinate``."""
    in_chunks(lambda lo, hi: _share_needs_rows(known, reach, shared, p_list, base_list, social_worker, coordinated,
                                               p_coordinate, base_coordinate, lo, hi), known.size, threads)


@numba.njit(cache=True, nogil=True)
def _share_needs_rows(known: np.ndarray, reach: np.ndarray, shared: np.uint8, p_list: float, base_list: np.uint64,
                      social_worker: np.uint8, coordinated: np.uint8, p_coordinate: float,
                      base_coordinate: np.uint64, lo: int, hi: int) -> None:
    flat_known = known.reshape(-1)[lo:hi]
    flat = reach.reshape(-1)[lo:hi]
    for j in range(flat.size):
        if not flat_known[j]:
            continue
        if flat[j] == 0:
            flat[j] = shared
        if flat[j] == shared:
            continue
        key = np.uint64(lo + j)  # the need's flat index
        if unit(key, base_list) < p_list:
            flat[j] = shared
        elif (flat[j] & social_worker) != 0 and unit(key, base_coordinate) < p_coordinate:
            flat[j] |= coordinated


def share_needs_numpy(known, reach, shared, p_list, social_worker, coordinated, p_coordinate, uniform) -> None:
    """The reference of :func:`share_needs`; ``uniform(keys, slot)`` the keyed uniforms (slots
    "list" and "coordinate")."""
    reach[known & (reach == 0)] = shared
    flat = reach.reshape(-1)
    pending = np.flatnonzero(known.reshape(-1) & (flat != shared))
    flat[pending[uniform(pending, "list") < p_list]] = shared
    cases = pending[(flat[pending] & social_worker) != 0]
    cases = cases[flat[cases] != shared]
    flat[cases[uniform(cases, "coordinate") < p_coordinate]] |= coordinated


def judge_performance(trust: np.ndarray, trust0: np.ndarray, needs: np.ndarray, known: np.ndarray,
                      lingering: np.ndarray, unmet_loss: float, dispute_loss: float, anchor: float,
                      threads: int = 1) -> None:
    """A week's judgement of the committee (simgov.dynamics.performance), in place: trust moves
    ``anchor`` of the way to its disposition and loses ``unmet_loss`` of itself for a resident
    with a known, unmet need and ``dispute_loss`` for a party to a lingering dispute
    (``lingering``: per resident, or empty when the book is), clipped to [0, 1]."""
    in_chunks(lambda lo, hi: _judge_rows(trust, trust0, needs, known, lingering, unmet_loss, dispute_loss, anchor,
                                         lo, hi), trust.size, threads)


@numba.njit(cache=True, nogil=True)
def _judge_rows(trust: np.ndarray, trust0: np.ndarray, needs: np.ndarray, known: np.ndarray,
                lingering: np.ndarray, unmet_loss: float, dispute_loss: float, anchor: float, lo: int,
                hi: int) -> None:
    disputes = lingering.size > 0
    known_unmet = np.zeros(hi - lo, np.bool_)
    for t in range(needs.shape[0]):  # type by type, as the matrix lies in memory
        row, k = needs[t, lo:hi], known[t, lo:hi]
        for i in range(row.size):
            if row[i] > 0.0 and k[i]:
                known_unmet[i] = True
    tr, tr0 = trust[lo:hi], trust0[lo:hi]
    ling = lingering[lo:hi] if disputes else lingering
    for i in range(tr.size):
        unmet = 1.0 if known_unmet[i] else 0.0
        loss = unmet_loss * unmet
        if disputes:
            loss = loss + dispute_loss * (1.0 if ling[i] else 0.0)
        x = tr[i]
        x = x + (anchor * (tr0[i] - x) - loss * x)
        tr[i] = min(max(x, 0.0), 1.0)


@numba.njit(cache=True, nogil=True)
def known_needs(needs: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Flat indices (``type * n + resident``, ascending) of the open needs that are known
    (reference: ``np.flatnonzero(known.ravel() & (needs.ravel() > 0))``)."""
    flat_needs = needs.reshape(-1)
    flat_known = known.reshape(-1)
    out = np.empty(flat_needs.size, np.int64)
    k = 0
    for j in range(flat_needs.size):
        if flat_known[j] and flat_needs[j] > 0.0:
            out[k] = j
            k += 1
    return out[:k].copy()


@numba.njit(cache=True, nogil=True)
def first_eligible(taken: np.ndarray, reach: np.ndarray, bit: np.uint8, serves: np.ndarray, kind: np.ndarray,
                   cases: int) -> np.ndarray:
    """The first ``cases`` positions, in order, of the needs not ``taken`` whose ``reach`` has
    ``bit`` and whose type ``kind`` the provider ``serves`` (reference: ``np.flatnonzero(~taken
    & ((reach & bit) != 0) & serves[kind])[:cases]``)."""
    out = np.empty(min(max(cases, 0), taken.size), np.int64)
    k = 0
    for j in range(taken.size):
        if k == out.size:
            break
        if not taken[j] and (reach[j] & bit) != 0 and serves[kind[j]]:
            out[k] = j
            k += 1
    return out[:k].copy()
