"""Sunk Party members (下沉党员): Party members from work units who serve in the community.

They are not residents, so they add capacity rather than resident rows. Rule (each week,
for the ``party_members_sunk`` of the scenario's actors):

1. Home visits. Together they make ``visits_per_member`` visits each, to households chosen
   independently at random (each is visited with probability ``1 - exp(-visits /
   households)``, its own keyed draw) among households with an elderly or vulnerable member (the
   "one kilometre" team of 003 visits the elderly at home). As any visit, it makes every
   need of the household known (simgov.dynamics.outreach.visit), and it invites the
   household to take part (the participation threshold falls by the participation
   mechanism's ``invitation``, as for a policy's invitation).
2. Light care. Each gives ``care_hours`` a week of light care (elderly, disability, child
   care, health: health checks, repairs, shopping and company in 003), served by the
   services mechanism among the hours brought in (lever ``bought``, as
   ``party_members_sunk``), before the residents' own volunteers.

Their time costs the community nothing: their work units release them (在职党员进社区
"双报到"). Sources: 003 (D community's sunk Party members and volunteers form a "one
kilometre" team serving elderly residents at home: doctors check health, electricians
check wiring, gas and pipes, others take the elderly out, shop and talk; sunk members
are rated and clock in, 打卡制); 001 (Party members in the door-knocking group). The hours
are assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.dynamics.outreach import visit
from simgov.dynamics.services import LIGHT_CARE
from simgov.params import NonNegFloat, Spec, field
from simgov.vocabulary import ELDERLY, MIGRANT, PARTY

if TYPE_CHECKING:
    from simgov.community.state import CommunityState
    from simgov.streams import KeyedStream

NAME = "party_members"


class Params(Spec):
    """Parameters of the sunk Party members' service (weekly)."""

    visits_per_member: NonNegFloat = field(0.5, "households each sunk Party member visits a week",
                                           "assumption; 003: home visits to the elderly")
    care_hours: NonNegFloat = field(1.0, "hours of light care each sunk Party member gives a week",
                                    "assumption; 003: health checks, repairs, company")


def _visited_households(state: CommunityState) -> np.ndarray:
    """Households with an elderly or vulnerable member (the ones sunk members call on)."""
    r = state.residents
    elderly = (r.stage == ELDERLY) | (r.stage == MIGRANT)
    return state.cache("sunk_member_households", lambda: np.unique(r.household[elderly | r.vulnerable]))


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    members = state.capacity.party_members_sunk
    if members <= 0:
        return
    expected = members * params.visits_per_member
    households = _visited_households(state)
    # Visits to households chosen independently at random: each household is visited with
    # probability 1 - exp(-visits / households), its own keyed draw (as routine visits).
    if expected > 0 and households.size:
        called = rng.happens(households, -np.expm1(-expected / households.size), "visit")
        if called.size:
            residents = visit(state, called, PARTY)
            state.levers.invite(residents, state.residents.n)
    if params.care_hours > 0:
        state.levers.bought.append(("party_members_sunk", LIGHT_CARE, members * params.care_hours))
