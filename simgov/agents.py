"""The few actors of five-society linkage, as Mesa agents.

Residents are many and live as arrays (``simgov.community.state``); the actors here are
few (tens to a few thousand) and heterogeneous, so each is a Mesa agent registered with
the model. Actors that are also residents hold their resident number.
"""

from __future__ import annotations

import mesa
import numpy as np


class Committee(mesa.Agent):
    """The residents' committee with the community Party branch: the platform (社区)."""

    def __init__(self, model, cadres: int, grid_workers: int, budget_yuan_per_year: float):
        super().__init__(model)
        self.cadres = cadres  # committee staff
        self.grid_workers = grid_workers  # grid workers, one or more per grid
        self.budget_yuan_per_year = budget_yuan_per_year  # the committee's yearly budget, in yuan


class PartyMember(mesa.Agent):
    """A Party member: a resident (``resident`` is the number) or sunk from a work unit (None)."""

    def __init__(self, model, resident: int | None):
        super().__init__(model)
        self.resident = resident  # resident number, or None for a member sunk from a work unit

    @property
    def sunk(self) -> bool:
        return self.resident is None


class SocialWorker(mesa.Agent):
    """A professional social worker (社会工作者)."""


class Organisation(mesa.Agent):
    """A social organisation: a residents' self-organisation, a volunteer team, or a
    professional organisation bought in (社会组织)."""

    KINDS = ("self", "volunteer_team", "professional")

    def __init__(self, model, kind: str, services: tuple[str, ...], members: np.ndarray,
                 hours_per_week: float = 0.0, contract_end: int | None = None, leader: int | None = None,
                 key: int = 0):
        super().__init__(model)
        if kind not in self.KINDS:
            raise ValueError(f"unknown organisation kind {kind!r}")
        self.kind = kind  # self (residents' self-organisation), volunteer_team or professional
        self.services = services  # need types it serves
        self.members = members  # resident numbers
        self.hours_per_week = hours_per_week  # service hours (professional organisations)
        self.contract_end = contract_end  # last week of a purchased contract
        first = int(members[0]) if len(members) else -1
        self.leader = first if leader is None else leader  # resident number of its leader (-1: none)
        # The order of creation differs between arms, so draws are keyed otherwise (CommunityModel._new_organisation).
        self.key = key  # key of its random draws, from its kind, founding week and leader (not Mesa's unique_id)
        self.funds = 0.0  # yuan it holds (self-organisations: grants and project money)
        self.founded = 0  # week it was founded (set by the model; the set-up's are founded in its first week)
        self.weeks_in_debt = 0  # weeks its funds have been below zero
        self.incubated_until: int | None = None  # last week of social workers' incubation
        self.active = True  # False once it has folded (or its contract ended unrenewed)

    def keep_members(self, keep: np.ndarray) -> None:
        """Keep the members for whom ``keep`` (per resident) holds; a leader who goes is
        replaced by the first member left (-1 when none is)."""
        self.members = self.members[keep[self.members]]
        if self.leader >= 0 and not keep[self.leader]:
            self.leader = int(self.members[0]) if len(self.members) else -1


def keep_members_of(orgs: list[Organisation], keep: np.ndarray) -> None:
    """:meth:`Organisation.keep_members` for each of ``orgs`` with a member for whom ``keep``
    fails, found in one pass over every membership (keeping changes nothing in the others:
    a leader is one of the members), so the work does not grow with the organisations."""
    orgs = [o for o in orgs if len(o.members)]
    if not orgs:
        return
    sizes = np.array([len(o.members) for o in orgs])
    lost = np.add.reduceat(~keep[np.concatenate([o.members for o in orgs])], np.cumsum(sizes) - sizes)
    for k in np.flatnonzero(lost):
        orgs[k].keep_members(keep)


class Donor(mesa.Agent):
    """A source of social charity resources (社会慈善资源): a business, charity or benefactor."""
