"""The state of a simulated community: residents as arrays, the network, disputes, money.

Residents are many, so their state is a struct of numpy arrays indexed by resident number;
residents are numbered by grid, building and household, so that neighbours sit near one
another in memory. Mechanisms update these arrays in place; nothing loops over residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from simgov.scenario import LIFE_STAGES

#: Kinds of need a resident can have (columns of ``Residents.needs``).
NEED_TYPES = ("elderly_care", "disability_support", "health", "employment", "legal",
              "child_care", "housing_property")

#: Kinds of tie (values of ``SocialNetwork.kind``).
TIE_KINDS = ("household", "neighbor", "building", "acquaintance", "activity")
HOUSEHOLD = TIE_KINDS.index("household")


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
    belonging0: np.ndarray
    active: np.ndarray  # bool: took part in a community activity recently
    grievance: np.ndarray  # float64 in [0, 1]
    # Needs are stored one row per need type, (len(NEED_TYPES), n): reductions over types are
    # then elementwise over contiguous rows, ~17x faster than along a short inner axis.
    needs: np.ndarray  # float32 (types, n): severity of each open need, 0 = none
    need_known: np.ndarray  # bool (types, n): known to the committee or a service

    @property
    def n(self) -> int:
        return self.household.size

    def has_unmet_need(self) -> np.ndarray:
        return (self.needs > 0).any(axis=0)

    @property
    def vulnerable(self) -> np.ndarray:
        return self.empty_nest | self.disabled | self.low_income | self.special

    def group_sizes(self) -> dict[str, int]:
        counts = np.bincount(self.stage, minlength=len(LIFE_STAGES))
        return dict(zip(LIFE_STAGES, counts.tolist(), strict=True))


class SocialNetwork:
    """Undirected weighted, signed ties held as edge arrays, with a cached CSR view.

    ``weight`` > 0 is a friendly tie of that strength, < 0 a hostile one. Mechanisms that
    change weights in place call :meth:`touch`; those that add ties call :meth:`add`.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: np.ndarray):
        self.n = n
        self.u, self.v = u.astype(np.int32), v.astype(np.int32)
        self.weight = weight.astype(np.float64)
        self.kind = kind.astype(np.int8)
        self.version = 0
        self._structure = None  # (indptr, indices, entry -> edge), rebuilt when ties are added
        self._cache: dict[str, tuple[int, object]] = {}

    @property
    def edges(self) -> int:
        return self.u.size

    def touch(self) -> None:
        """Mark weights as changed (invalidates derived operators)."""
        self.version += 1

    def add(self, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: int) -> None:
        self.u = np.concatenate([self.u, u.astype(np.int32)])
        self.v = np.concatenate([self.v, v.astype(np.int32)])
        self.weight = np.concatenate([self.weight, weight.astype(np.float64)])
        self.kind = np.concatenate([self.kind, np.full(u.size, kind, np.int8)])
        self._structure = None
        self.touch()

    def structure(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR (indptr, indices) of the symmetric adjacency and, per entry, its edge number."""
        if self._structure is None:
            rows = np.concatenate([self.u, self.v])
            cols = np.concatenate([self.v, self.u])
            order = np.lexsort((cols, rows))
            indptr = np.zeros(self.n + 1, np.int64)
            np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
            emap = np.concatenate([np.arange(self.edges), np.arange(self.edges)])[order]
            self._structure = (indptr, cols[order].astype(np.int32), emap)
        return self._structure

    def _cached(self, key: str, build):
        hit = self._cache.get(key)
        if hit is None or hit[0] != self.version:
            hit = (self.version, build())
            self._cache[key] = hit
        return hit[1]

    def adjacency(self, weights: np.ndarray | None = None) -> sp.csr_array:
        """Symmetric sparse matrix with per-edge ``weights`` (default: the tie weights)."""
        indptr, indices, emap = self.structure()
        data = (self.weight if weights is None else weights)[emap]
        return sp.csr_array((data, indices, indptr), shape=(self.n, self.n))

    def _row_sums(self, per_edge: np.ndarray) -> np.ndarray:
        return (np.bincount(self.u, per_edge, self.n) + np.bincount(self.v, per_edge, self.n))

    def influence_operators(self) -> tuple[sp.csr_array, np.ndarray, np.ndarray]:
        """(friendly-tie matrix, its row sums, hostile share of each resident's tie weight)."""
        def build():
            pos = np.maximum(self.weight, 0.0)
            neg = np.maximum(-self.weight, 0.0)
            pos_sum = self._row_sums(pos)
            total = pos_sum + self._row_sums(neg)
            hostile = np.divide(total - pos_sum, total, out=np.zeros(self.n), where=total > 0)
            return self.adjacency(pos), pos_sum, hostile
        return self._cached("influence", build)

    def friends_outside_household(self) -> np.ndarray:
        """Number of friendly ties each resident has beyond the own household."""
        def build():
            outside = ((self.weight > 0) & (self.kind != HOUSEHOLD)).astype(np.float64)
            return self._row_sums(outside)
        return self._cached("outside", build)

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
class DisputeBook:
    """Open and past disputes (a small set: one row per dispute, grown as they arise)."""

    party_a: list[int] = field(default_factory=list)
    party_b: list[int] = field(default_factory=list)
    building: list[int] = field(default_factory=list)
    stage: list[int] = field(default_factory=list)  # 1 individual, 2 multi-party, 3 group dispute
    opened_week: list[int] = field(default_factory=list)
    closed_week: list[int] = field(default_factory=list)  # -1 while open
    new_this_week: int = 0
    resolved_this_week: int = 0

    STAGES = ("individual", "multi_party", "group")

    def open_mask(self) -> np.ndarray:
        return np.asarray(self.closed_week, dtype=np.int64) < 0

    def open_count(self) -> int:
        return int(self.open_mask().sum())

    def group_open_count(self) -> int:
        stage = np.asarray(self.stage, dtype=np.int64)
        return int(((stage == 3) & self.open_mask()).sum())


@dataclass
class Ledger:
    """Money in yuan: what each policy and service spent, and the community fund."""

    spent: dict[str, float] = field(default_factory=dict)
    fund_balance: float = 0.0

    def spend(self, category: str, yuan: float) -> None:
        self.spent[category] = self.spent.get(category, 0.0) + float(yuan)

    @property
    def total(self) -> float:
        return float(sum(self.spent.values()))


@dataclass
class CommunityState:
    """Everything the mechanisms read and update."""

    residents: Residents
    network: SocialNetwork
    building_size: np.ndarray  # residents per building
    disputes: DisputeBook = field(default_factory=DisputeBook)
    ledger: Ledger = field(default_factory=Ledger)

    def building_disorder(self) -> np.ndarray:
        """Per building: residents with an unmet need or in an open dispute, per resident."""
        r = self.residents
        troubled = r.has_unmet_need()
        mask = self.disputes.open_mask()
        if mask.any():
            troubled[np.asarray(self.disputes.party_a)[mask]] = True
            troubled[np.asarray(self.disputes.party_b)[mask]] = True
        counts = np.bincount(r.building, weights=troubled, minlength=self.building_size.size)
        return counts / np.maximum(self.building_size, 1)
