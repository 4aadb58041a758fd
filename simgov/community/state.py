"""The state of a simulated community: residents as arrays, the network, disputes, money.

Residents are many, so their state is a struct of numpy arrays indexed by resident number;
residents are numbered by grid, building and household, so that neighbours sit near one
another in memory. Mechanisms update these arrays in place; nothing loops over residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from simgov.arrays import unique
from simgov.community.dispute_book import DisputeBook
from simgov.community.ledger import Capacity, Ledger
from simgov.community.levers import CaseHandler, Levers
from simgov.kernels.network import (
    compress_ties,
    drop_entries,
    friendly_rows,
    friends_outside,
    influence_weights,
    splice,
    unsigned,
)
from simgov.kernels.outreach import find_needs
from simgov.kernels.residents import any_need, any_unknown_need
from simgov.kernels.threads import threads_for
from simgov.vocabulary import HOUSEHOLD, LIFE_STAGES, NEED_TYPES, NEVER, SHARED, TIE_KINDS  # noqa: F401 (re-exported)

__all__ = ["CaseHandler", "Capacity", "CommunityState", "DisputeBook", "Ledger", "Levers", "LinkageState",
           "Residents", "SocialNetwork"]


@dataclass
class Residents:
    """Per-resident state; every array has one entry per resident."""

    household: np.ndarray  # int32, households numbered in building order
    building: np.ndarray  # int32
    grid: np.ndarray  # int32
    stage: np.ndarray  # int8, index into LIFE_STAGES
    empty_nest: np.ndarray  # bool: elderly living alone or only with an elderly spouse
    disabled: np.ndarray  # bool
    low_income: np.ndarray  # bool: household on subsistence aid (低保)
    special: np.ndarray  # bool: community correction, released prisoner, severe mental illness
    party_member: np.ndarray  # bool
    volunteer: np.ndarray  # bool: steady volunteer
    sociability: np.ndarray  # float64 >= 0, mean about 1: propensity to form ties
    trust: np.ndarray  # float64 in [0, 1]: trust in neighbours
    trust0: np.ndarray  # disposition the resident's trust returns to
    trust_committee: np.ndarray  # float64 in [0, 1]: trust in the committee and Party branch
    belonging: np.ndarray  # float64 in [0, 1]
    belonging0: np.ndarray  # disposition the resident's belonging returns to
    active: np.ndarray  # bool: took part in a community activity recently
    threshold: np.ndarray  # float64: share of friends taking part that draws the resident in
    fatigue: np.ndarray  # float64 >= 0: volunteer strain; at 1 a volunteer burns out
    resting_until: np.ndarray  # int32: week until which a burned-out volunteer rests (NEVER if not)
    grievance: np.ndarray  # float64 in [0, 1]
    # Needs are stored one row per need type, (len(NEED_TYPES), n): reductions over types are
    # then elementwise over contiguous rows, ~17x faster than along a short inner axis.
    needs: np.ndarray  # float32 (types, n): severity of each open need, 0 = none
    need_known: np.ndarray  # bool (types, n): known to the committee or a service
    trust_committee0: np.ndarray | None = None  # disposition trust in the committee returns to (default: start)
    need_reach: np.ndarray | None = None  # uint8 (types, n): forces that may serve a known need, bit per FORCES

    def __post_init__(self):
        if self.trust_committee0 is None:
            self.trust_committee0 = self.trust_committee.copy()
        if self.need_reach is None:
            self.need_reach = np.zeros(self.needs.shape, np.uint8)

    def find_needs(self, residents: np.ndarray, force: int) -> None:
        """Every open need of ``residents`` becomes known, in the channel of ``FORCES[force]``
        (a need already known keeps the forces it reached and gains this one)."""
        find_needs(np.asarray(residents, np.int64), np.uint8(1 << force), self.needs, self.need_known,
                   self.need_reach)  # one pass (simgov.kernels.outreach, which outreach's rules share)

    def forget_needs(self, flat: np.ndarray) -> None:
        """Needs (flat indices into the (types, n) arrays) that are closed: no longer known."""
        self.need_known.reshape(-1)[flat] = False
        self.need_reach.reshape(-1)[flat] = 0

    def reach(self) -> np.ndarray:
        """``need_reach``, where a need known with no channel recorded (set by code that only
        marks ``need_known``) is on the shared list, as every known need was before linkage
        was explicit."""
        lost = self.need_known & (self.need_reach == 0)
        if lost.any():
            self.need_reach[lost] = SHARED
        return self.need_reach

    @property
    def n(self) -> int:
        return self.household.size

    def available_volunteers(self, week: int) -> np.ndarray:
        """Steady volunteers not resting after a burn-out in ``week``."""
        return self.volunteer & (self.resting_until <= week)

    def has_unmet_need(self) -> np.ndarray:
        return any_need(self.needs, threads_for(self.n))

    def has_undetected_need(self) -> np.ndarray:
        """An unmet need that no service knows of."""
        return any_unknown_need(self.needs, self.need_known, threads_for(self.n))

    @property
    def vulnerable(self) -> np.ndarray:
        return self.empty_nest | self.disabled | self.low_income | self.special

    def group_sizes(self) -> dict[str, int]:
        counts = np.bincount(self.stage, minlength=len(LIFE_STAGES))
        return dict(zip(LIFE_STAGES, counts.tolist(), strict=True))


#: Weeks between consolidations of the network: tie changes made by the mechanisms (new
#: activity ties, ties turned hostile) are queued and take effect together every this many
#: weeks. Ties change slowly; a monthly rhythm lets derived operators be reused for a month.
CONSOLIDATE_EVERY = 4


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


@dataclass
class LinkageState:
    """How strongly the five forces are linked (simgov.dynamics.linkage), in [0, 1]."""

    level: float = 1.0  # strength the community keeps up by its own routines (the scenario's)
    strength: float = 1.0  # strength of the platform now
    working: float = 1.0  # this week's working strength: strength times the share of its costs paid
    paid: float = 1.0  # share of this week's linkage costs the pools could pay


@dataclass
class CommunityState:
    """Everything the mechanisms read and update."""

    residents: Residents
    network: SocialNetwork
    building_size: np.ndarray  # residents per building
    capacity: Capacity = field(default_factory=Capacity)
    organisations: list = field(default_factory=list)  # the Organisation agents, in creation order
    disputes: DisputeBook = field(default_factory=DisputeBook)
    ledger: Ledger = field(default_factory=Ledger)
    levers: Levers = field(default_factory=Levers)
    linkage: LinkageState = field(default_factory=LinkageState)
    week: int = 0  # the week being simulated (negative during the warm-up)
    services_this_week: int = 0  # needs met this week
    moved_in_this_week: int = 0  # residents who moved in this week (as many moved out: simgov.dynamics.turnover)
    arrivals: tuple | None = None  # (households, residents) who moved in at the last turnover, yet to settle in
    newcomers: object = None  # who moves in, and how often (simgov.dynamics.turnover.Newcomers), set by the model
    disorder: np.ndarray | None = None  # per building, measured at the start of the week

    recent_services: list = field(default_factory=list)  # needs met in each of the last weeks
    new_organisation: object = None  # factory(kind, services, members) -> organisation, set by the model
    cursors: dict = field(default_factory=dict)  # where each visiting programme has got to
    programmes: dict = field(default_factory=dict)  # what policies share across instances (e.g. pairs)
    building_issue_factor: np.ndarray | None = None  # per building: issues' rate after fixed sources
    #: Organisations' random decisions, (week, organisation key, "founded" | "renewed" | "ended" | "folded"),
    #: so that runs can be compared decision by decision (common random numbers).
    organisation_log: list = field(default_factory=list)
    #: Weeks at which a professional organisation's contract place, ended unrenewed, is
    #: tendered again (simgov.dynamics.organisations, rule 4).
    tenders: list = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        if self.building_issue_factor is None:
            self.building_issue_factor = np.ones(self.building_size.size)

    def active_organisations(self) -> list:
        return [o for o in self.organisations if o.active]

    def cache(self, key: str, build):
        """A value derived from state that does not change during a run, built once."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def memo(self, name: str, key, build):
        """A derived value rebuilt only when ``key`` (e.g. the network's version) changes."""
        hit = self._memo.get(name)
        if hit is None or hit[0] != key:
            hit = (key, build())
            self._memo[name] = hit
        return hit[1]

    def vulnerable(self) -> np.ndarray:
        """Residents.vulnerable, built once: the profile flags it combines never change in a run
        (a newcomer keeps the flat's profile: simgov.dynamics.turnover)."""
        return self.cache("vulnerable", lambda: self.residents.vulnerable)

    def household_bounds(self) -> np.ndarray:
        """Index of each household's first resident, and the number of residents at the end
        (households are numbered 0..H-1 and their members are consecutive): household ``h`` is
        residents ``bounds[h]`` to ``bounds[h + 1] - 1``."""
        return self.cache("household_bounds", lambda: np.searchsorted(
            self.residents.household, np.arange(self.residents.household[-1] + 2)))

    def building_starts(self) -> np.ndarray:
        """Index of each building's first resident (residents are numbered building by building)."""
        return self.cache("building_starts", lambda: np.searchsorted(
            self.residents.building, np.arange(self.building_size.size)))

    def measure_disorder(self) -> None:
        """Take the week's disorder reading (``disorder``), as residents perceive it at its start."""
        self.disorder = self.building_disorder()

    def building_disorder(self) -> np.ndarray:
        """Per building: residents with an unmet need or in an open dispute, per resident."""
        r = self.residents
        troubled = r.has_unmet_need()
        mask = self.disputes.open_mask()
        if mask.any():
            troubled[self.disputes.party_a[mask]] = True
            troubled[self.disputes.party_b[mask]] = True
        # Residents are numbered building by building: a segmented sum per building.
        counts = np.add.reduceat(troubled.astype(np.float64), self.building_starts()) if r.n else np.zeros(0)
        counts[self.building_size == 0] = 0.0  # reduceat repeats a value for an empty segment
        return counts / np.maximum(self.building_size, 1)
