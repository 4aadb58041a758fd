"""The social network's ties: undirected, weighted and signed, held as edge arrays with a
cached CSR view and the operators the mechanisms read (influence's weights, the friendly
ties, friends outside the household), rebuilt only when the ties change (once a month, at
the consolidation). Changes are queued and applied together there.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simgov.arrays import unique
from simgov.kernels.network import (
    compress_ties,
    drop_entries,
    friendly_rows,
    friends_outside,
    influence_weights,
    splice,
    unsigned,
)
from simgov.kernels.threads import threads_for
from simgov.vocabulary import HOUSEHOLD

__all__ = ["SocialNetwork", "tie_numbers"]


def _runs(batches: list[tuple[np.ndarray, np.ndarray, float, int]]) -> list[tuple]:
    """Consecutive batches of pairs with the same (weight, kind) joined into one."""
    out: list[tuple] = []
    for a, b, weight, kind in batches:
        if out and out[-1][2:] == (weight, kind):
            out[-1] = (np.concatenate([out[-1][0], a]), np.concatenate([out[-1][1], b]), weight, kind)
        else:
            out.append((a, b, weight, kind))
    return out


def tie_numbers(ties: int) -> type:
    """The integer type for tie numbers among ``ties`` ties: int32 where they fit."""
    return np.int32 if ties < 2**31 else np.int64


class SocialNetwork:
    """Undirected weighted, signed ties held as edge arrays, with a cached CSR view.

    ``weight`` > 0 is a friendly tie of that strength, < 0 a hostile one. Mechanisms queue
    changes (:meth:`queue_ties`, :meth:`queue_hostile`); :meth:`consolidate` applies them.
    Code that edits ``weight`` directly must call :meth:`touch`.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: np.ndarray):
        self.n = n
        self.u = u.astype(np.int32)  # int32: one end of each tie (resident number, the lower)
        self.v = v.astype(np.int32)  # int32: the other end
        self.weight = weight.astype(np.float64)  # float64 in [-1, 1]: > 0 friendly tie of that strength, < 0 hostile
        self.kind = kind.astype(np.int8)  # int8, index into TIE_KINDS: household, neighbour, building, ...
        self.version = 0
        self._structure = None  # (indptr, indices, entry -> edge, sorted entry keys)
        self._cache: dict[str, tuple[int, object]] = {}
        self._shells: dict[str, sp.csr_array] = {}
        self._ones_vec: np.ndarray | None = None
        self._queued_ties: list[tuple[np.ndarray, np.ndarray, float, int]] = []
        self._queued_hostile: list[tuple[np.ndarray, np.ndarray]] = []
        self._queued_renewals: list[tuple[np.ndarray, np.ndarray, float, int]] = []
        self._queued_leavers: list[np.ndarray] = []

    def queue_ties(self, u: np.ndarray, v: np.ndarray, weight: float, kind: int) -> None:
        """New ties between pairs (not yet tied ones), from the next consolidation."""
        self._queued_ties.append((np.asarray(u), np.asarray(v), weight, kind))

    def queue_hostile(self, a: np.ndarray, b: np.ndarray) -> None:
        """Pairs whose tie turns hostile (or who become enemies if untied), from the next consolidation."""
        self._queued_hostile.append((np.asarray(a), np.asarray(b)))

    def queue_renewals(self, a: np.ndarray, b: np.ndarray, weight: float, kind: int) -> None:
        """Pairs whose tie of ``kind``, if weaker than ``weight`` and not hostile, is renewed to
        ``weight`` from the next consolidation (a lapsed one, at 0, revives)."""
        self._queued_renewals.append((np.asarray(a), np.asarray(b), weight, kind))

    @property
    def queued(self) -> int:
        return sum(x[0].size for x in (*self._queued_ties, *self._queued_hostile, *self._queued_renewals))

    def consolidate(self, hostile_weight: float, hostile_kind: int, spare_kind: int) -> None:
        """Apply the queued changes. Existing ties of ``spare_kind`` (household) do not turn
        hostile; untied pairs that fall out get a ``hostile_weight`` tie of ``hostile_kind``;
        leavers lose every tie but those of ``spare_kind`` first."""
        if self._queued_leavers:
            gone = np.logical_or.reduce(self._queued_leavers)
            self.drop(np.flatnonzero((gone[self.u] | gone[self.v]) & (self.kind != spare_kind)))
            self._queued_leavers.clear()
            # What the leavers queued before they moved leaves with them (not to the newcomers in their flats).
            self._queued_ties = [(u[k], v[k], w, kind) for u, v, w, kind in self._queued_ties
                                 for k in [~gone[u] & ~gone[v]]]
            self._queued_renewals = [(a[k], b[k], w, kind) for a, b, w, kind in self._queued_renewals
                                     for k in [~gone[a] & ~gone[b]]]
            self._queued_hostile = [(a[k], b[k]) for a, b in self._queued_hostile for k in [~gone[a] & ~gone[b]]]
        if self._queued_hostile:
            a = np.concatenate([x[0] for x in self._queued_hostile])
            b = np.concatenate([x[1] for x in self._queued_hostile])
            edges = self.find(np.minimum(a, b), np.maximum(a, b))
            turned = edges[edges >= 0]
            turned = turned[self.kind[turned] != spare_kind]
            w = self.weight[turned]  # a lapsed tie (weight 0) that turns hostile takes the strangers' weight
            self.weight[turned] = np.where(w == 0.0, hostile_weight, -np.abs(w))
            self._queued_ties.append((a[edges < 0], b[edges < 0], hostile_weight, hostile_kind))
            self._queued_hostile.clear()
            self.touch()
        for a, b, weight, kind in _runs(self._queued_renewals):  # after the fallings-out: a hostile tie stays hostile
            edges = self.find(np.minimum(a, b), np.maximum(a, b))
            edges = edges[edges >= 0]
            w = self.weight[edges]
            edges = edges[(self.kind[edges] == kind) & (w >= 0) & (w < weight)]
            if edges.size:
                self.weight[edges] = weight
                self.touch()
        self._queued_renewals.clear()
        self._add_queued_ties()

    def _add_queued_ties(self) -> None:
        """The queued new ties, in one splice: batches of the same (weight, kind) in the order
        first queued, each batch's pairs sorted; a pair already tied, or queued in an earlier
        batch, is left as it is (the first kind queued wins)."""
        groups: dict[tuple[float, int], list] = {}
        for u, v, weight, kind in self._queued_ties:
            groups.setdefault((weight, kind), []).append((u, v))
        self._queued_ties.clear()
        if not groups:
            return
        pairs = [p for batch in groups.values() for p in batch]
        u = np.concatenate([p[0] for p in pairs]).astype(np.int64)
        v = np.concatenate([p[1] for p in pairs]).astype(np.int64)
        group = np.repeat(np.arange(len(groups)), [sum(p[0].size for p in batch) for batch in groups.values()])
        keys = np.minimum(u, v) * self.n + np.maximum(u, v)
        # Each pair once, in its first group; then only pairs not yet tied.
        order = np.lexsort((group, keys))
        sorted_keys = keys[order]
        first = order[np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))] if keys.size else order
        keys, group = keys[first], group[first]
        fresh = self.find(keys // self.n, keys % self.n) < 0
        keys, group = keys[fresh], group[fresh]
        if not keys.size:
            return
        order = np.lexsort((keys, group))  # appended batch by batch, each batch's pairs sorted
        keys, group = keys[order], group[order]
        weights = np.array([w for w, _ in groups], np.float64)
        kinds = np.array([k for _, k in groups], np.int8)
        self.add(keys // self.n, keys % self.n, weights[group], kinds[group])

    @property
    def edges(self) -> int:
        return self.u.size

    def touch(self) -> None:
        """Mark weights as changed (invalidates derived operators)."""
        self.version += 1

    def add(self, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind) -> None:
        """Append ties (pairs not already tied, u != v) of ``kind`` (one, or one per tie)."""
        first = self.edges
        u, v = u.astype(np.int32), v.astype(np.int32)
        self.u = np.concatenate([self.u, u])
        self.v = np.concatenate([self.v, v])
        self.weight = np.concatenate([self.weight, weight.astype(np.float64)])
        self.kind = np.concatenate([self.kind, np.broadcast_to(np.asarray(kind, np.int8), u.shape)])
        if self._structure is not None:  # splice into the sorted CSR: O(ties), no re-sort
            ids = np.arange(first, self.edges)
            rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
            new_keys = rows.astype(np.int64) * self.n + cols
            order = np.argsort(new_keys)
            indptr, indices, emap, keys = self._structure
            emap = emap.astype(np.result_type(emap.dtype, tie_numbers(self.edges)), copy=False)
            keys, indices, emap = splice(keys, indices, emap, new_keys[order], cols[order].astype(indices.dtype),
                                         np.concatenate([ids, ids])[order].astype(emap.dtype))
            indptr = indptr.copy()
            indptr[1:] += np.cumsum(np.bincount(rows, minlength=self.n))
            self._structure = (indptr, indices, emap, keys)
        self.touch()

    def drop(self, edges: np.ndarray) -> None:
        """Remove ties (by tie number); the sorted CSR is kept by deleting their entries,
        O(ties), no re-sort. Tie numbers after them shift down."""
        edges = unique(edges)
        if not edges.size:
            return
        keep = np.ones(self.edges, bool)
        keep[edges] = False
        renumber = np.empty(self.edges, tie_numbers(self.edges))
        u, v, weight, kind = compress_ties(keep, self.u, self.v, self.weight, self.kind, renumber)
        if self._structure is not None:
            indptr, indices, emap, keys = self._structure
            rows = np.concatenate([self.u[edges], self.v[edges]])
            indptr = indptr.copy()
            indptr[1:] -= np.cumsum(np.bincount(rows, minlength=self.n)).astype(indptr.dtype)
            keys, indices, emap = drop_entries(keys, indices, emap, keep, renumber)
            self._structure = (indptr, indices, emap, keys)
        self.u, self.v, self.weight, self.kind = u, v, weight, kind
        self.touch()

    def queue_leavers(self, gone: np.ndarray) -> None:
        """Residents who left (a bool mask): from the next consolidation every tie of theirs goes
        but household ties (a household moves as a whole, so its own ties stay with the flat's
        new household); the tie changes queued for them so far are dropped now."""
        self._queued_leavers.append(gone.copy())
        self._queued_ties = [(u[~(gone[u] | gone[v])], v[~(gone[u] | gone[v])], w, k)
                             for u, v, w, k in self._queued_ties]
        self._queued_hostile = [(a[~(gone[a] | gone[b])], b[~(gone[a] | gone[b])])
                                for a, b in self._queued_hostile]

    def structure(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR (indptr, indices) of the symmetric adjacency and, per entry, its edge number."""
        if self._structure is None:
            rows = np.concatenate([self.u, self.v]).astype(np.int64)
            cols = np.concatenate([self.v, self.u])
            keys = rows * self.n + cols
            order = np.argsort(keys)
            itype = np.int32 if 2 * self.edges < 2**31 - 1 else np.int64  # one dtype for both, as scipy wants
            indptr = np.zeros(self.n + 1, itype)
            np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
            # Tie numbers as int32 where they fit: half the bytes of every pass that reads or
            # rewrites them (the monthly drop and splice, influence's weights), the costliest
            # part of the consolidation at a million residents (benchmarks/bench_phases.py).
            ids = np.arange(self.edges, dtype=tie_numbers(self.edges))
            emap = np.concatenate([ids, ids])[order]
            self._structure = (indptr, cols[order].astype(itype), emap, keys[order])
        return self._structure[:3]

    def _cached(self, key: str, build):
        hit = self._cache.get(key)
        if hit is None or hit[0] != self.version:
            hit = (self.version, build())
            self._cache[key] = hit
        return hit[1]

    def _entry(self, per_edge: np.ndarray) -> np.ndarray:
        """A per-tie array spread onto the CSR entries (both directions)."""
        return per_edge[self.structure()[2]]

    def _entry_weights(self) -> np.ndarray:
        return self._cached("entry_weights", lambda: self._entry(self.weight))

    def _matrix(self, name: str, data: np.ndarray) -> sp.csr_array:
        """A CSR matrix on the current structure with ``data`` per entry.

        The matrix object is kept and its arrays swapped in place: scipy's constructor
        validates its input, which costs ~7x a matrix-vector product at 6,000 residents.
        """
        indptr, indices, _ = self.structure()
        shell = self._shells.get(name)
        if shell is None:
            shell = sp.csr_array((data, indices, indptr), shape=(self.n, self.n))
            self._shells[name] = shell
        else:
            shell.indptr, shell.indices = indptr, indices
        shell.data = data
        return shell

    def influence_operators(self) -> tuple[sp.csr_array, np.ndarray, np.ndarray, np.ndarray]:
        """(friendly-tie matrix W+, 1 / its row sums (0 for residents without friends),
        1.0 where a resident has friends else 0.0, hostile share of each resident's tie weight)."""
        def build():  # one pass over the entries (simgov.kernels.network)
            indptr, _, emap = self.structure()
            data, inverse, has, hostile = influence_weights(indptr, emap, self.weight, threads=threads_for(self.n))
            return self._matrix("positive", data), inverse, has, hostile
        return self._cached("influence", build)

    def friendly_binary(self) -> sp.csr_array:
        """Adjacency with 1 for every friendly tie and 0 elsewhere."""
        return self._cached("friendly", lambda: self._matrix(
            "friendly", (self._entry_weights() > 0).astype(np.float64)))

    def friendly_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr, indices) of the friendly ties alone, indices unsigned (for the kernels:
        simgov.kernels.network.unsigned), each row in the order of the full structure."""
        def build():  # one pass over the entries and their friendly weights (simgov.kernels.network)
            indptr, indices, _ = self.structure()
            out_ptr, out = friendly_rows(indptr, indices, self.influence_operators()[0].data)
            return out_ptr, unsigned(out)
        return self._cached("friendly_csr", build)

    def friends(self, residents) -> np.ndarray:
        """The friends (ends of friendly ties) of each of ``residents``, one after another
        (a friend of two of them appears twice). Not the rows of :meth:`friendly_binary`,
        whose entries include every tie, the hostile and lapsed ones at 0."""
        return self.friend_rows(residents)[1]

    def friend_rows(self, residents) -> tuple[np.ndarray, np.ndarray]:
        """(how many friends each of ``residents`` has, :meth:`friends` of them)."""
        indptr, indices = self.friendly_csr()
        residents = np.atleast_1d(np.asarray(residents, np.int64))
        starts = indptr[residents].astype(np.int64)
        counts = indptr[residents + 1] - starts
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return counts, indices[np.repeat(starts, counts) + offsets].astype(np.int64)

    def friendly_degree(self) -> np.ndarray:
        return self._cached("friendly_degree", lambda: self.friendly_binary() @ self._ones())

    def friends_outside_household(self) -> np.ndarray:
        """Number of friendly ties each resident has beyond the own household."""
        def build():  # counted over the ties, both ends, in one pass (simgov.kernels.network)
            return friends_outside(self.n, self.u, self.v, self.weight, self.kind, HOUSEHOLD)
        return self._cached("outside", build)

    def find(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The tie number of each pair (a, b), or -1 where they have no tie."""
        self.structure()
        keys, emap = self._structure[3], self._structure[2]
        want = np.asarray(a, np.int64) * self.n + np.asarray(b, np.int64)
        if keys.size == 0:
            return np.full(want.size, -1, np.int64)
        pos = np.minimum(np.searchsorted(keys, want), keys.size - 1)
        return np.where(keys[pos] == want, emap[pos].astype(np.int64), -1)

    def add_ties(self, u: np.ndarray, v: np.ndarray, weight: float, kind: int) -> int:
        """Add ties between pairs not yet tied (existing pairs are left as they are); returns how many."""
        lo = np.minimum(u, v).astype(np.int64)
        hi = np.maximum(u, v).astype(np.int64)
        keys = unique(lo * self.n + hi)
        lo, hi = keys // self.n, keys % self.n
        fresh = self.find(lo, hi) < 0
        if fresh.any():
            self.add(lo[fresh], hi[fresh], np.full(int(fresh.sum()), weight), kind)
        return int(fresh.sum())

    def _ones(self) -> np.ndarray:
        if self._ones_vec is None:
            self._ones_vec = np.ones(self.n)
        return self._ones_vec

    def degree(self) -> np.ndarray:
        return np.bincount(self.u, minlength=self.n) + np.bincount(self.v, minlength=self.n)

    def to_networkx(self, nodes: np.ndarray | None = None):
        """The network (or the subgraph on ``nodes``) as a networkx Graph, for measuring."""
        import networkx as nx

        g = nx.Graph()
        keep = np.ones(self.edges, bool)
        if nodes is None:
            g.add_nodes_from(range(self.n))
        else:
            g.add_nodes_from(nodes.tolist())
            inside = np.zeros(self.n, bool)
            inside[nodes] = True
            keep = inside[self.u] & inside[self.v]
        g.add_weighted_edges_from(zip(self.u[keep].tolist(), self.v[keep].tolist(),
                                      self.weight[keep].tolist(), strict=True))
        return g
