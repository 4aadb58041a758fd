"""Passes over the tie network's CSR arrays (``indptr``, ``indices``, one datum per entry:
simgov.community.state.Network's matrices), each fusing what numpy does in several
sparse products and elementwise passes. Sums run over a row's entries in CSR order, as
scipy's product does, so the results are the same.

At B community's size scipy's product is as fast per entry as a compiled loop, and the
fused pass gains little; it pays where the state no longer fits in cache (X street, a
million residents: benchmarks/bench_week.py), since it reads each array once instead of
about ten times."""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.threads import in_chunks


def unsigned(indices: np.ndarray) -> np.ndarray:
    """CSR column indices viewed as unsigned, for the kernels: numba checks every signed index
    for a negative (Python's wrap-around), which costs a quarter of a sparse product's time."""
    return indices.view(np.uint32 if indices.dtype == np.int32 else np.uint64)


@numba.njit(cache=True, nogil=True, inline="always")
def _pull(s: float, inv: float, x: float, factor: float, anchor: float, x0: float, loss: float) -> float:
    d = s * inv
    d = d - x
    d = d * factor
    d = d + anchor * (x0 - x)
    d = d - loss * x
    v = x + d
    return min(max(v, 0.0), 1.0)


@numba.njit(cache=True, nogil=True)
def influence_rows(indptr: np.ndarray, indices: np.ndarray, pos: np.ndarray, inverse: np.ndarray,
                   has_friends: np.ndarray, loss: np.ndarray, anchor: float,
                   trust: np.ndarray, trust0: np.ndarray, trust_rate: float,
                   belonging: np.ndarray, belonging0: np.ndarray, belonging_rate: float,
                   new_t: np.ndarray, new_b: np.ndarray, lo: int, hi: int) -> None:
    """Rows ``lo`` to ``hi - 1`` of :func:`influence`, into ``new_t`` and ``new_b``."""
    for i in range(lo, hi):
        st = 0.0
        sb = 0.0
        for e in range(indptr[i], indptr[i + 1]):
            w = pos[e]
            j = indices[e]
            st += w * trust[j]
            sb += w * belonging[j]
        new_t[i] = _pull(st, inverse[i], trust[i], trust_rate * has_friends[i], anchor, trust0[i], loss[i])
        new_b[i] = _pull(sb, inverse[i], belonging[i], belonging_rate * has_friends[i], anchor, belonging0[i],
                         loss[i])


def influence(indptr: np.ndarray, indices: np.ndarray, pos: np.ndarray, inverse: np.ndarray,
              has_friends: np.ndarray, loss: np.ndarray, anchor: float,
              trust: np.ndarray, trust0: np.ndarray, trust_rate: float,
              belonging: np.ndarray, belonging0: np.ndarray, belonging_rate: float, threads: int = 1) -> None:
    """One week of influence on trust and belonging, in place (simgov.dynamics.influence):
    each moves toward the friendly-tie-weighted mean of the friends' values (the values
    before this week's update), toward its own anchor, and loses ``loss`` of itself; both
    clipped to [0, 1]. The same sequence of operations as the numpy reference; the rows split
    over ``threads`` threads (simgov.kernels.threads) give the same result."""
    n = indptr.size - 1
    new_t = np.empty(n)
    new_b = np.empty(n)
    in_chunks(lambda lo, hi: influence_rows(indptr, indices, pos, inverse, has_friends, loss, anchor, trust, trust0,
                                            trust_rate, belonging, belonging0, belonging_rate, new_t, new_b, lo, hi),
              n, threads)
    trust[:] = new_t
    belonging[:] = new_b


def influence_numpy(matrix, inverse, has_friends, loss, anchor, trust, trust0, trust_rate, belonging, belonging0,
                    belonging_rate) -> None:
    """The reference of :func:`influence`: two sparse products (``matrix``, a scipy CSR array)
    and elementwise passes. (scipy's sparse-times-(n x 2) product measured 4x slower than two.)"""
    for x, x0, rate in ((trust, trust0, trust_rate), (belonging, belonging0, belonging_rate)):
        delta = matrix @ x
        delta *= inverse
        delta -= x
        delta *= rate * has_friends  # no averaging term for residents without friends
        delta += anchor * (x0 - x)
        delta -= loss * x
        x += delta
        np.clip(x, 0.0, 1.0, out=x)


@numba.njit(cache=True, nogil=True)
def splice(keys: np.ndarray, indices: np.ndarray, emap: np.ndarray, new_keys: np.ndarray,
           new_indices: np.ndarray, new_emap: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR entries (sorted ``keys``, their column ``indices`` and tie numbers ``emap``) with
    new entries merged in at their places (``new_keys`` sorted, none equal to an old key): one
    merge pass for the three arrays, as ``np.insert`` at ``np.searchsorted(keys, new_keys)``
    does in three."""
    m = keys.size + new_keys.size
    out_keys = np.empty(m, keys.dtype)
    out_indices = np.empty(m, indices.dtype)
    out_emap = np.empty(m, emap.dtype)
    i = 0
    j = 0
    for k in range(m):
        if j < new_keys.size and (i >= keys.size or new_keys[j] < keys[i]):
            out_keys[k] = new_keys[j]
            out_indices[k] = new_indices[j]
            out_emap[k] = new_emap[j]
            j += 1
        else:
            out_keys[k] = keys[i]
            out_indices[k] = indices[i]
            out_emap[k] = emap[i]
            i += 1
    return out_keys, out_indices, out_emap


@numba.njit(cache=True, nogil=True)
def drop_entries(keys: np.ndarray, indices: np.ndarray, emap: np.ndarray, keep: np.ndarray,
                 renumber: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The CSR entries of the ties kept (``keep[tie]``), their tie numbers renumbered
    (``renumber[tie]``, so ``renumber[-1] + 1`` ties are kept, each with its two entries): one
    pass for the three arrays, as boolean indexing does in four."""
    m = 2 * (renumber[-1] + 1) if renumber.size else 0
    out_keys = np.empty(m, keys.dtype)
    out_indices = np.empty(m, indices.dtype)
    out_emap = np.empty(m, emap.dtype)
    k = 0
    for e in range(emap.size):
        t = emap[e]
        if keep[t]:
            out_keys[k] = keys[e]
            out_indices[k] = indices[e]
            out_emap[k] = renumber[t]
            k += 1
    return out_keys, out_indices, out_emap


@numba.njit(cache=True, nogil=True)
def compress_ties(keep: np.ndarray, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: np.ndarray,
                  renumber: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ties kept (``keep[tie]``): their ends, weights and kinds, in one pass where boolean
    indexing took five; and, into ``renumber`` (as long as ``keep``; int32 where the ties allow,
    so that the entries' random reads of it stay in cache), every tie's new number
    (``cumsum(keep) - 1``)."""
    m = 0
    for t in range(keep.size):
        m += keep[t]
        renumber[t] = m - 1
    out_u = np.empty(m, u.dtype)
    out_v = np.empty(m, v.dtype)
    out_w = np.empty(m, weight.dtype)
    out_k = np.empty(m, kind.dtype)
    j = 0
    for t in range(keep.size):
        if keep[t]:
            out_u[j] = u[t]
            out_v[j] = v[t]
            out_w[j] = weight[t]
            out_k[j] = kind[t]
            j += 1
    return out_u, out_v, out_w, out_k


@numba.njit(cache=True, nogil=True)
def local_clustering(indptr: np.ndarray, indices: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """The local clustering coefficient of each resident in ``sample`` on the friendly ties
    (``indptr``, ``indices``: SocialNetwork.friendly_csr, each row's columns ascending):
    triangles through the resident over pairs of their friends (0 with fewer than two),
    triangles counted by merging sorted neighbour lists."""
    out = np.zeros(sample.size)
    for s in range(sample.size):
        i = sample[s]
        lo, hi = indptr[i], indptr[i + 1]
        twice = 0.0  # each triangle is counted from both of its other corners
        for e in range(lo, hi):
            k = indices[e]
            a, b = lo, indptr[k]
            b_end = indptr[k + 1]
            while a < hi and b < b_end:
                x, y = indices[a], indices[b]
                if x == y:
                    twice += 1.0
                    a += 1
                    b += 1
                elif x < y:
                    a += 1
                else:
                    b += 1
        deg = float(hi - lo)
        pairs = deg * (deg - 1.0) / 2.0
        if pairs > 0.0:
            out[s] = twice / 2.0 / pairs
    return out


def influence_weights(indptr: np.ndarray, emap: np.ndarray, weight: np.ndarray,
                      threads: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Influence's operators in one pass over the CSR entries (``emap``: each entry's tie):
    (each entry's friendly weight ``max(w, 0)``, 1 / each row's sum of them (0 without
    friends), 1.0 where a row has friends, the hostile share of the row's absolute weight).
    Row sums in entry order, as scipy's product with a vector of ones gives them. The rows
    split over ``threads`` threads (each writes its own rows and entries: the same result)."""
    n = indptr.size - 1
    pos = np.empty(emap.size)
    inverse = np.zeros(n)
    has = np.zeros(n)
    hostile = np.zeros(n)
    in_chunks(lambda lo, hi: influence_weight_rows(indptr, emap, weight, pos, inverse, has, hostile, lo, hi),
              n, threads)
    return pos, inverse, has, hostile


@numba.njit(cache=True, nogil=True)
def influence_weight_rows(indptr: np.ndarray, emap: np.ndarray, weight: np.ndarray, pos: np.ndarray,
                          inverse: np.ndarray, has: np.ndarray, hostile: np.ndarray, lo: int, hi: int) -> None:
    """:func:`influence_weights` of rows ``lo`` to ``hi``, into the arrays given."""
    for i in range(lo, hi):
        ps = 0.0
        total = 0.0
        for e in range(indptr[i], indptr[i + 1]):
            w = weight[emap[e]]
            p = max(w, 0.0)
            pos[e] = p
            ps += p
            total += abs(w)
        if total > 0.0:
            hostile[i] = (total - ps) / total
        if ps > 0.0:
            inverse[i] = 1.0 / ps
            has[i] = 1.0


@numba.njit(cache=True, nogil=True)
def friendly_rows(indptr: np.ndarray, indices: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, indices) of the CSR entries whose tie is friendly (``pos``, each entry's friendly
    weight from :func:`influence_weights`, above 0), each row's entries in their order: two
    passes, counting then filling, both reading the entries in order (not each tie's weight
    through the entry-to-tie map, a random gather that cost half the time at a million residents)."""
    n = indptr.size - 1
    out_ptr = np.zeros(n + 1, indptr.dtype)
    for i in range(n):
        c = 0
        for e in range(indptr[i], indptr[i + 1]):
            if pos[e] > 0.0:
                c += 1
        out_ptr[i + 1] = out_ptr[i] + c
    out = np.empty(out_ptr[n], indices.dtype)
    k = 0
    for e in range(indices.size):
        if pos[e] > 0.0:
            out[k] = indices[e]
            k += 1
    return out_ptr, out


@numba.njit(cache=True, nogil=True)
def friends_outside(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: np.ndarray,
                    household: int) -> np.ndarray:
    """Per resident, the friendly ties (weight > 0) of a kind other than ``household``."""
    out = np.zeros(n)
    for t in range(u.size):
        if weight[t] > 0.0 and kind[t] != household:
            out[u[t]] += 1.0
            out[v[t]] += 1.0
    return out
