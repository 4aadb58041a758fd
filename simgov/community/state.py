"""The state of a simulated community: residents as arrays, the network, disputes, money.

Residents are many, so their state is a struct of numpy arrays indexed by resident number;
residents are numbered by grid, building and household, so that neighbours sit near one
another in memory. Mechanisms update these arrays in place; nothing loops over residents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simgov.community.dispute_book import DisputeBook
from simgov.community.ledger import Capacity, Ledger
from simgov.community.levers import CaseHandler, Levers
from simgov.community.ties import SocialNetwork
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
