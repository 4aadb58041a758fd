"""Epidemic lockdown (疫情防控): needs jump, the emergency response takes hours, activities stop.

In practice: In B community's epidemic response the 53 Party members "gave up their holidays,
showed who they were and went to the front line", carrying the measures "to every household
and every person" (覆盖到户，实施到人), gatherings were cut and activities managed, and the
committee helped the government with health checks, disease management and publicity (000).
In D community (X street, Wuhan) sunk Party members and volunteers formed a "one kilometre"
team after the 2020 epidemic to serve elderly residents at home: health checks, wiring and gas
checks, shopping and company (003).

Rule (each week of the shock; ``size`` in (0, 1] is its intensity, 1 a full lockdown):

1. Needs jump. The incidence of every need of elderly residents (elderly and migrant elderly)
   and of isolated residents (no friendly tie outside the household) is multiplied by
   ``1 + need_jump * size`` (lever ``need_rate_factor``, read by the needs mechanism); other
   residents' rates are unchanged.
2. Pools stretched. The emergency response (gates, screening, deliveries, publicity) takes
   ``response_share * size`` of the week's ``staff`` and ``volunteer`` hour pools, drawn before
   any policy or service (booked under ``shock:epidemic_lockdown``); what is left is what
   policies and services can use.
3. Activities stop: only ``1 - activities_stop * size`` of the community's activities are held
   (lever ``activities_held``): the chance of joining, the ties made at activities and the
   belonging they give fall in proportion, and so does their cost (participation mechanism).
4. In-person outreach limited: routine grid visits and policy visits (door-knocking) are cut to
   ``1 - outreach_limit * size`` of what was planned (lever ``in_person_factor``, outreach
   mechanism); the hours policies drew for them are spent on calls that find nothing.
5. Door to door. Each resident Party member checks ``party_member_checks * size`` households a
   week with an elderly or isolated member, chosen independently at random (each household is
   checked with probability ``1 - exp(-checks / households)``, its own keyed draw): every need
   of a checked household becomes known (simgov.dynamics.outreach.visit), in the Party's
   channel: the Party members found it, so in a community without linkage only the forces
   the Party reaches serve it (simgov.dynamics.linkage). Their time is their own (000: they
   gave up their holidays), so it draws no pool.

After the last week every lever is back at its default: needs arise at their usual rates,
pools are whole, activities resume.

Parameters: ``size`` (intensity), ``need_jump``, ``response_share``, ``activities_stop``,
``outreach_limit``, ``party_member_checks``; the effect sizes are assumptions.

Sources: 000 (B community's epidemic response: 53 Party members door to door, gatherings cut,
the committee assisting health checks and disease control); 003 (D community's "one kilometre"
team of sunk Party members and volunteers serving elderly residents at home after the
epidemic).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.dynamics.outreach import visit
from simgov.params import NonNegFloat, Share, field
from simgov.shocks.base import ShockParams, register
from simgov.vocabulary import ELDERLY, MIGRANT, PARTY


@register
class EpidemicLockdown(ShockParams):
    """疫情防控: an epidemic lockdown."""

    SIZE_MEANS = "intensity in (0, 1]: 1 is a full lockdown"

    type: Literal["epidemic_lockdown"] = field("epidemic_lockdown", "shock type")
    size: Share = field(1.0, "intensity of the lockdown, in (0, 1] (1: full lockdown)", gt=0.0)
    need_jump: NonNegFloat = field(
        1.0, "rise in the incidence of elderly and isolated residents' needs at full size (1: doubled)",
        "assumption; 000, 003: the elderly at home needed care in and after the epidemic", le=20.0)
    response_share: Share = field(
        0.5, "share of the staff and volunteer hour pools the emergency response takes at full size",
        "assumption; 000: the committee assisted health checks, disease control and publicity")
    activities_stop: Share = field(1.0, "share of community activities stopped at full size",
                                   "000: gatherings cut (减少社区人员聚集)")
    outreach_limit: Share = field(0.8, "share of in-person visits (routine and policy) not made at full size",
                                  "assumption; home visits are limited in a lockdown")
    party_member_checks: NonNegFloat = field(
        4.0, "households with an elderly or isolated member each resident Party member checks a week at "
        "full size", "assumption; 000: the 53 Party members carried the measures to every household "
        "(覆盖到户)", le=100.0)

    def act(self, state, memory, rng):
        r, lev, ledger = state.residents, state.levers, state.ledger
        size = self.size
        hit = _elderly(state) | (state.network.friends_outside_household() == 0)
        factor = np.where(hit, 1.0 + self.need_jump * size, 1.0)
        lev.need_rate_factor = factor if lev.need_rate_factor is None else lev.need_rate_factor * factor
        for who in ("staff", "volunteer"):
            ledger.work(self.category, ledger.hours_left(who) * self.response_share * size, who)
        lev.activities_held *= 1.0 - self.activities_stop * size
        lev.in_person_factor *= 1.0 - self.outreach_limit * size
        checks = np.count_nonzero(r.party_member) * self.party_member_checks * size
        households = np.unique(r.household[hit])
        if checks > 0 and households.size:
            checked = rng.happens(households, -np.expm1(-checks / households.size), "check")
            visit(state, checked, PARTY)  # found by the Party members (000)


def _elderly(state) -> np.ndarray:
    r = state.residents
    return state.cache("elderly", lambda: (r.stage == ELDERLY) | (r.stage == MIGRANT))
