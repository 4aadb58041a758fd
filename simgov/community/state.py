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
from simgov.vocabulary import HOUSEHOLD, LIFE_STAGES, NEED_TYPES, NEVER, TIE_KINDS  # noqa: F401 (re-exported)


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
    threshold: np.ndarray  # float64: share of friends taking part that draws the resident in
    fatigue: np.ndarray  # float64 >= 0: volunteer strain; at 1 a volunteer burns out
    resting_until: np.ndarray  # int32: week until which a burned-out volunteer rests (NEVER if not)
    grievance: np.ndarray  # float64 in [0, 1]
    # Needs are stored one row per need type, (len(NEED_TYPES), n): reductions over types are
    # then elementwise over contiguous rows, ~17x faster than along a short inner axis.
    needs: np.ndarray  # float32 (types, n): severity of each open need, 0 = none
    need_known: np.ndarray  # bool (types, n): known to the committee or a service

    @property
    def n(self) -> int:
        return self.household.size

    def available_volunteers(self, week: int) -> np.ndarray:
        """Steady volunteers not resting after a burn-out in ``week``."""
        return self.volunteer & (self.resting_until <= week)

    def has_unmet_need(self) -> np.ndarray:
        return (self.needs > 0).any(axis=0)

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


class SocialNetwork:
    """Undirected weighted, signed ties held as edge arrays, with a cached CSR view.

    ``weight`` > 0 is a friendly tie of that strength, < 0 a hostile one. Mechanisms queue
    changes (:meth:`queue_ties`, :meth:`queue_hostile`); :meth:`consolidate` applies them.
    Code that edits ``weight`` directly must call :meth:`touch`.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: np.ndarray):
        self.n = n
        self.u, self.v = u.astype(np.int32), v.astype(np.int32)
        self.weight = weight.astype(np.float64)
        self.kind = kind.astype(np.int8)
        self.version = 0
        self._structure = None  # (indptr, indices, entry -> edge, sorted entry keys)
        self._cache: dict[str, tuple[int, object]] = {}
        self._shells: dict[str, sp.csr_array] = {}
        self._ones_vec: np.ndarray | None = None
        self._queued_ties: list[tuple[np.ndarray, np.ndarray, float, int]] = []
        self._queued_hostile: list[tuple[np.ndarray, np.ndarray]] = []

    def queue_ties(self, u: np.ndarray, v: np.ndarray, weight: float, kind: int) -> None:
        """New ties between pairs (not yet tied ones), from the next consolidation."""
        self._queued_ties.append((np.asarray(u), np.asarray(v), weight, kind))

    def queue_hostile(self, a: np.ndarray, b: np.ndarray) -> None:
        """Pairs whose tie turns hostile (or who become enemies if untied), from the next consolidation."""
        self._queued_hostile.append((np.asarray(a), np.asarray(b)))

    @property
    def queued(self) -> int:
        return sum(x[0].size for x in self._queued_ties) + sum(x[0].size for x in self._queued_hostile)

    def consolidate(self, hostile_weight: float, hostile_kind: int, spare_kind: int) -> None:
        """Apply the queued changes. Existing ties of ``spare_kind`` (household) do not turn
        hostile; untied pairs that fall out get a ``hostile_weight`` tie of ``hostile_kind``."""
        if self._queued_hostile:
            a = np.concatenate([x[0] for x in self._queued_hostile])
            b = np.concatenate([x[1] for x in self._queued_hostile])
            edges = self.find(np.minimum(a, b), np.maximum(a, b))
            turned = edges[edges >= 0]
            turned = turned[self.kind[turned] != spare_kind]
            self.weight[turned] = -np.abs(self.weight[turned])
            self._queued_ties.append((a[edges < 0], b[edges < 0], hostile_weight, hostile_kind))
            self._queued_hostile.clear()
            self.touch()
        groups: dict[tuple[float, int], list] = {}  # one splice per kind of tie, not per batch
        for u, v, weight, kind in self._queued_ties:
            groups.setdefault((weight, kind), []).append((u, v))
        for (weight, kind), pairs in groups.items():
            u = np.concatenate([p[0] for p in pairs])
            if u.size:
                self.add_ties(u, np.concatenate([p[1] for p in pairs]), weight, kind)
        self._queued_ties.clear()

    @property
    def edges(self) -> int:
        return self.u.size

    def touch(self) -> None:
        """Mark weights as changed (invalidates derived operators)."""
        self.version += 1

    def add(self, u: np.ndarray, v: np.ndarray, weight: np.ndarray, kind: int) -> None:
        """Append ties (pairs not already tied, u != v)."""
        first = self.edges
        u, v = u.astype(np.int32), v.astype(np.int32)
        self.u = np.concatenate([self.u, u])
        self.v = np.concatenate([self.v, v])
        self.weight = np.concatenate([self.weight, weight.astype(np.float64)])
        self.kind = np.concatenate([self.kind, np.full(u.size, kind, np.int8)])
        if self._structure is not None:  # splice into the sorted CSR: O(ties), no re-sort
            ids = np.arange(first, self.edges)
            rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
            new_keys = rows.astype(np.int64) * self.n + cols
            order = np.argsort(new_keys)
            indptr, indices, emap, keys = self._structure
            at = np.searchsorted(keys, new_keys[order])
            keys = np.insert(keys, at, new_keys[order])
            indices = np.insert(indices, at, cols[order].astype(indices.dtype))
            emap = np.insert(emap, at, np.concatenate([ids, ids])[order])
            indptr = indptr.copy()
            indptr[1:] += np.cumsum(np.bincount(rows, minlength=self.n))
            self._structure = (indptr, indices, emap, keys)
        self.touch()

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
            emap = np.concatenate([np.arange(self.edges), np.arange(self.edges)])[order]
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
        def build():
            w = self._entry_weights()
            pos = self._matrix("positive", np.maximum(w, 0.0))
            pos_sum = pos @ self._ones()
            total = self._matrix("absolute", np.abs(w)) @ self._ones()
            hostile = np.divide(total - pos_sum, total, out=np.zeros(self.n), where=total > 0)
            inverse = np.divide(1.0, pos_sum, out=np.zeros(self.n), where=pos_sum > 0)
            return pos, inverse, (pos_sum > 0).astype(np.float64), hostile
        return self._cached("influence", build)

    def friendly_binary(self) -> sp.csr_array:
        """Adjacency with 1 for every friendly tie and 0 elsewhere."""
        return self._cached("friendly", lambda: self._matrix(
            "friendly", (self._entry_weights() > 0).astype(np.float64)))

    def friendly_degree(self) -> np.ndarray:
        return self._cached("friendly_degree", lambda: self.friendly_binary() @ self._ones())

    def friends_outside_household(self) -> np.ndarray:
        """Number of friendly ties each resident has beyond the own household."""
        def build():
            outside = (self._entry_weights() > 0) & (self._entry(self.kind) != HOUSEHOLD)
            return self._matrix("outside", outside.astype(np.float64)) @ self._ones()
        return self._cached("outside", build)

    def find(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The tie number of each pair (a, b), or -1 where they have no tie."""
        self.structure()
        keys, emap = self._structure[3], self._structure[2]
        want = np.asarray(a, np.int64) * self.n + np.asarray(b, np.int64)
        if keys.size == 0:
            return np.full(want.size, -1, np.int64)
        pos = np.minimum(np.searchsorted(keys, want), keys.size - 1)
        return np.where(keys[pos] == want, emap[pos], -1)

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


class DisputeBook:
    """Disputes, one row each, in growable numpy arrays (a small set: hundreds to thousands).

    Stages: 1 individual, 2 multi-party, 3 group dispute. ``closed`` is ``OPEN`` while open
    (weeks can be negative during the warm-up, so no small number can mean "open").
    """

    OPEN = np.iinfo(np.int32).max
    FIELDS = {"party_a": np.int32, "party_b": np.int32, "building": np.int32, "stage": np.int8,
              "opened": np.int32, "closed": np.int32, "relapses": np.int16, "mediated": np.bool_,
              "relapse_factor": np.float32, "willingness": np.float32}

    def __init__(self, capacity: int = 256):
        self.size = 0
        self._data = {k: np.zeros(capacity, t) for k, t in self.FIELDS.items()}
        self.new_this_week = 0
        self.resolved_this_week = 0
        self.escalated_this_week = 0
        self.relapsed_this_week = 0
        self.handled_this_week = 0  # cases taken in hand by mediation or deliberation
        self.agreed_this_week = 0  # of which ended in agreement
        self.handled_by: dict[str, tuple[int, int]] = {}  # service -> (cases taken, agreed) this week

    def __getattr__(self, name):
        """``book.stage`` etc.: a view of the rows in use (writes go to the book)."""
        data = self.__dict__.get("_data")
        if data is not None and name in data:
            return data[name][: self.size]
        raise AttributeError(name)

    def __len__(self) -> int:
        return self.size

    def open(self, party_a, party_b, building, stage, week: int) -> np.ndarray:
        """Open new disputes (arrays of equal length); returns their row numbers."""
        party_a = np.atleast_1d(party_a)
        k = party_a.size
        if self.size + k > self._data["stage"].size:
            cap = max(2 * self._data["stage"].size, self.size + k)
            for key, arr in self._data.items():
                grown = np.zeros(cap, arr.dtype)
                grown[: self.size] = arr[: self.size]
                self._data[key] = grown
        rows = np.arange(self.size, self.size + k)
        d = self._data
        d["party_a"][rows], d["party_b"][rows], d["building"][rows] = party_a, party_b, building
        d["stage"][rows], d["opened"][rows], d["closed"][rows] = stage, week, self.OPEN
        d["relapses"][rows] = 0
        d["mediated"][rows] = False
        d["relapse_factor"][rows] = 1.0
        d["willingness"][rows] = np.nan  # drawn when a service first offers to take the case
        self.size += k
        self.new_this_week += k
        return rows

    def resolve(self, rows: np.ndarray, week: int) -> None:
        """Close the open disputes among ``rows`` in ``week``."""
        rows = np.asarray(rows)
        rows = rows[self._data["closed"][rows] == self.OPEN]
        self._data["closed"][rows] = week
        self.resolved_this_week += rows.size

    def start_week(self) -> None:
        self.new_this_week = self.resolved_this_week = 0
        self.escalated_this_week = self.relapsed_this_week = 0
        self.handled_this_week = self.agreed_this_week = 0
        self.handled_by = {}

    def reopen(self, rows: np.ndarray) -> None:
        """A resolved dispute relapses: open again at the stage it had."""
        self._data["closed"][rows] = self.OPEN
        self._data["relapses"][rows] += 1
        self._data["mediated"][rows] = False
        self._data["relapse_factor"][rows] = 1.0
        self.relapsed_this_week += len(rows)

    def open_mask(self) -> np.ndarray:
        return self.closed == self.OPEN

    def open_count(self) -> int:
        return int(np.count_nonzero(self.open_mask()))

    def group_open_count(self) -> int:
        return int(np.count_nonzero((self.stage == 3) & self.open_mask()))


@dataclass
class Ledger:
    """Money in yuan and work in hours: balances, and all spending and work by category.

    Spending is booked to who pays: the committee's budget, the community fund (donations,
    social-enterprise profits), or the government (contracts paid from outside). Hours are
    booked as paid staff time or volunteer time. Policies book under ``policy:<type>``.
    """

    spent: dict[str, float] = field(default_factory=dict)
    income: dict[str, float] = field(default_factory=dict)  # paid into the community fund, by source
    hours: dict[tuple[str, str], float] = field(default_factory=dict)  # (category, who) -> hours
    committee_balance: float = 0.0
    fund_balance: float = 0.0
    donations: float = 0.0

    PAYERS = ("committee", "fund", "government")
    WORKERS = ("staff", "volunteer")

    def spend(self, category: str, yuan: float, payer: str = "committee") -> None:
        if payer not in self.PAYERS:
            raise ValueError(f"unknown payer {payer!r}; one of {self.PAYERS}")
        yuan = float(yuan)
        if yuan == 0.0:
            return
        self.spent[category] = self.spent.get(category, 0.0) + yuan
        if payer == "committee":
            self.committee_balance -= yuan
        elif payer == "fund":
            self.fund_balance -= yuan

    def receive(self, category: str, yuan: float) -> None:
        """Money paid into the community fund (e.g. a social enterprise's profit share)."""
        if yuan:
            self.income[category] = self.income.get(category, 0.0) + float(yuan)
            self.fund_balance += float(yuan)

    def work(self, category: str, hours: float, who: str = "staff") -> None:
        if who not in self.WORKERS:
            raise ValueError(f"unknown worker {who!r}; one of {self.WORKERS}")
        if hours:
            key = (category, who)
            self.hours[key] = self.hours.get(key, 0.0) + float(hours)

    @property
    def total(self) -> float:
        return float(sum(self.spent.values()))

    def policy_yuan(self) -> float:
        return float(sum(v for k, v in self.spent.items() if k.startswith("policy:")))

    def policy_hours(self, who: str) -> float:
        return float(sum(v for (k, w), v in self.hours.items() if w == who and k.startswith("policy:")))


@dataclass
class Capacity:
    """The people who serve residents, as counts (the actors themselves are Mesa agents)."""

    cadres: int = 0
    grid_workers: int = 0
    social_workers: int = 0
    donors: int = 0
    budget_yuan_per_year: float = 0.0


@dataclass(frozen=True)
class CaseHandler:
    """A service that takes open disputes in hand this week (mediation, deliberation)."""

    name: str  # e.g. "mediation", "online_deliberation", "deliberation_platform"
    cases: int  # disputes it can take this week
    min_stage: int  # 1 takes any dispute; 2 only multi-party and group disputes
    agreement: float  # chance a case taken ends in agreement this week
    relapse_factor: float = 1.0  # multiplies the relapse hazard of the agreements it reaches
    source_fix: float = 0.0  # chance an agreed building issue fixes its source for good
    uptake: float = 1.0  # share of disputes whose parties accept this service (willingness below it)


@dataclass
class Levers:
    """What policies change this week; mechanisms read them. Reset to these defaults weekly.

    With every lever at its default the community runs on its ordinary means alone.
    """

    visits: int = 0  # extra home visits (households) this week
    visit_priority: str = "vulnerable"  # who is visited first: vulnerable, isolated or random
    visit_trust_gain: float = 0.0  # trust gained by a visited resident, relative to the room left
    visit_invitation: bool = False  # a visit invites the household to take part
    visit_dispute_catch: float = 0.0  # chance a visit settles a brewing individual dispute
    routine_visits: float = 0.0  # extra routine visits (households, expected) by added grid workers
    case_handlers: list = field(default_factory=list)  # CaseHandler, most serious cases first
    bought: list = field(default_factory=list)  # (name, need types or None for any, hours) bought in
    volunteer_hours_factor: float = 1.0  # multiplies volunteers' weekly hours
    volunteer_retention: float = 1.0  # multiplies volunteers' weekly quit hazard
    volunteer_recruit_factor: float = 1.0  # multiplies participants' weekly chance to become volunteers
    invitation_boost: float = 0.0  # lowers everyone's participation threshold this week
    invited: np.ndarray | None = None  # residents a policy invited to take part this week (bool)
    grievance_relief: float = 0.0  # lowers everyone's grievance this week
    building_issue_factor: float = 1.0  # multiplies the rate of building issues this week

    def invite(self, residents: np.ndarray, n: int) -> None:
        """Residents a policy invites this week (invitations lower their threshold)."""
        if self.invited is None:
            self.invited = np.zeros(n, bool)
        self.invited[residents] = True


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
    week: int = 0
    services_this_week: int = 0  # needs met this week
    volunteer_load: float = 0.0  # hours served this week per available volunteer
    volunteer_hours: float = 0.0  # hours steady volunteers served this week
    disorder: np.ndarray | None = None  # per building, measured at the start of the week

    recent_services: list = field(default_factory=list)  # needs met in each of the last weeks
    new_organisation: object = None  # factory(kind, services, members) -> organisation, set by the model
    cursors: dict = field(default_factory=dict)  # where each visiting programme has got to
    programmes: dict = field(default_factory=dict)  # what policies share across instances (e.g. pairs)
    building_issue_factor: np.ndarray | None = None  # per building: issues' rate after fixed sources
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
