"""Mutual-aid day (互助日): one day a month volunteers serve vulnerable residents together.

In practice: On the 10th of every month B community's volunteers serve vulnerable residents
together (000).

Rule (on the first week of every ``every_weeks`` from the policy's start):

1. Every available steady volunteer gives ``hours_per_volunteer`` hours: light care and
   small repairs (elderly care, disability support, child care, health, housing and
   property) through the services mechanism, and visits to ``households_per_volunteer``
   vulnerable households each (chosen at random among households with an empty-nest,
   disabled, low-income or special-group member), whose needs become known.
2. It is a community event: everyone's participation threshold falls by
   ``invitation_boost`` that week (participation mechanism), and the visited households are
   invited personally.
3. Cost: the volunteers' hours, from the ``volunteer`` pool, and ``yuan_per_event``
   (materials; committee). The day is held to the extent both allow (with half the hours
   left, half the service and half the visits); its hours tire volunteers like any other.

Sources: 000 (B community: on the 10th of every month volunteers serve vulnerable residents);
001 (Qingshan's culture teams hold an event every 3 days). Effects are assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.dynamics.outreach import visit
from simgov.dynamics.services import LIGHT_CARE
from simgov.params import NonNegFloat, PositiveInt, Share, field
from simgov.policies.base import PolicyParams, cycle_week, register
from simgov.vocabulary import VOLUNTEERS


@register
class MutualAidDay(PolicyParams):
    """互助日: a monthly day on which volunteers serve and visit the vulnerable."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "two mutual-aid days would call on the same volunteers; raise hours_per_volunteer"

    type: Literal["mutual_aid_day"] = field("mutual_aid_day", "policy type")
    every_weeks: PositiveInt = field(4, "weeks between mutual-aid days", "000: the 10th of every month", le=520)
    hours_per_volunteer: NonNegFloat = field(3.0, "hours each available volunteer gives on the day",
                                             "assumption")
    households_per_volunteer: NonNegFloat = field(1.0, "vulnerable households each volunteer visits on the day",
                                                  "assumption")
    invitation_boost: Share = field(0.05, "fall in everyone's participation threshold in the event's week",
                                    "assumption")
    yuan_per_event: NonNegFloat = field(500.0, "materials per mutual-aid day, in yuan", "assumption")

    def act(self, state, memory, rng):
        if not cycle_week(state.week, self.start_week, self.every_weeks) or self.hours_per_volunteer <= 0:
            return
        r = state.residents
        volunteers = np.count_nonzero(r.available_volunteers(state.week))
        if not volunteers:
            return
        lev = state.levers
        # The day is held to the extent volunteers' hours and the budget allow.
        held = state.ledger.draw(self.category, yuan=self.yuan_per_event,
                                 volunteer=volunteers * self.hours_per_volunteer)
        if held <= 0:
            return
        lev.bought.append(("mutual_aid_day", LIGHT_CARE + ("housing_property",),
                           held * volunteers * self.hours_per_volunteer))
        lev.invitation_boost += self.invitation_boost
        homes = state.cache("vulnerable_households", lambda: np.unique(r.household[r.vulnerable]))
        k = min(homes.size, int(held * volunteers * self.households_per_volunteer))
        if k:
            visited = visit(state, rng.sample(homes, k, "homes"), VOLUNTEERS)  # keyed by household
            lev.invite(visited, r.n)
