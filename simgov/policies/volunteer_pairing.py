"""Volunteer pairing (结对帮扶): volunteers paired with elderly and disabled residents.

In practice: In Baibuting (Wuhan) volunteers are paired with 1,000+ empty-nest elderly and
500+ disabled residents: a greeting every day, a service every week (001).

Rule (each week the policy is active):

1. Pairing. Up to ``pairs`` residents among the empty-nest elderly and the disabled are
   paired with available steady volunteers, each volunteer taking at most
   ``pairs_per_volunteer``; the isolated (no friendly tie outside the household) first.
   A pair becomes a friendly tie (an activity tie, at the network's next monthly
   consolidation). A pair whose volunteer stops volunteering dissolves, and its resident is
   paired again as soon as a volunteer is free.
2. Daily greeting: every need of a paired resident becomes known at once.
3. Weekly service: ``hours_per_pair`` hours a week per pair of light care (elderly care,
   disability support, health), as a service provider in the services mechanism (the
   paired, vulnerable residents have priority there).
4. Cost: volunteers' hours (service plus ``greeting_hours`` a week per pair, from the
   ``volunteer`` pool) and ``yuan_per_pair_per_year`` (training, insurance), paid by the
   committee. A week serves only the pairs both allow; the others are greeted but not served.

Programmes of this type add up: a second one pairs residents the first has not paired; when
a programme ends, its residents may be paired by another.

Sources: 001 (Baibuting: volunteers paired with 1,000+ empty-nest elderly and 500+ disabled
residents, "daily greeting, weekly service"); 000 (volunteer teams serving the elderly and
disabled); Cacioppo, Fowler & Christakis (2009) on loneliness at the network periphery.
Hours and costs are assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.params import Count, NonNegFloat, PositiveInt, field
from simgov.policies.base import PolicyParams, register
from simgov.streams import combine
from simgov.vocabulary import ACTIVITY, VOLUNTEERS

#: Need types a paired volunteer helps with.
PAIR_SERVICES = ("elderly_care", "disability_support", "health")
#: Strength of the tie a pairing makes.
PAIR_TIE_WEIGHT = 0.4


@register
class VolunteerPairing(PolicyParams):
    """结对帮扶: each paired vulnerable resident has a volunteer who greets daily and serves weekly."""

    type: Literal["volunteer_pairing"] = field("volunteer_pairing", "policy type")
    pairs: Count = field(50, "vulnerable residents paired with a volunteer",
                         "assumption; 001: 1,500+ pairs in Baibuting")
    pairs_per_volunteer: PositiveInt = field(2, "residents one volunteer is paired with at most", "assumption",
                                             le=20)
    hours_per_pair: NonNegFloat = field(1.0, "hours of service a week per pair", "001: weekly service")
    greeting_hours: NonNegFloat = field(0.5, "hours a week of daily greetings per pair", "001: daily greeting")
    yuan_per_pair_per_year: NonNegFloat = field(100.0, "training and insurance per pair a year, in yuan",
                                                "assumption")

    def act(self, state, memory, rng):
        r = state.residents
        pairs = memory.setdefault("pairs", {})  # resident -> volunteer
        # Every programme's pairs: resident -> (volunteer, last week its programme acted). A pair
        # not renewed last week belongs to a programme that has ended, and is free again.
        taken = state.programmes.setdefault("paired", {})
        for resident, volunteer in list(pairs.items()):
            if not r.volunteer[volunteer]:
                del pairs[resident]
                taken.pop(resident, None)
            else:
                taken[resident] = (volunteer, state.week)
        for resident in [k for k, (_, week) in taken.items() if week < state.week - 1]:
            del taken[resident]
        if len(pairs) < self.pairs:
            self._pair(state, pairs, taken, rng)
        if not pairs:
            return
        residents = np.fromiter(pairs, np.int64)
        r.find_needs(residents, VOLUNTEERS)
        # Pairs served this week: as many as volunteers' hours and the budget allow.
        served = state.ledger.draw_units(self.category, len(pairs), yuan=self.yuan_per_pair_per_year / 52.0,
                                         volunteer=self.hours_per_pair + self.greeting_hours)
        state.levers.bought.append(("volunteer_pairing", PAIR_SERVICES, served * self.hours_per_pair))

    def _pair(self, state, pairs: dict, taken: dict, rng) -> None:
        r = state.residents
        eligible = (r.empty_nest | r.disabled) & ~r.volunteer
        eligible[list(taken)] = False
        targets = np.flatnonzero(eligible)
        isolated = state.network.friends_outside_household()[targets] == 0
        targets = targets[np.lexsort((rng.uniform(targets, "pair_order"), ~isolated))][: self.pairs - len(pairs)]
        load = np.bincount(np.fromiter((v for v, _ in taken.values()), np.int64, len(taken)), minlength=r.n)
        free = np.flatnonzero(r.available_volunteers(state.week) & (load < self.pairs_per_volunteer))
        slots = np.repeat(free, self.pairs_per_volunteer - load[free])
        # Each of a volunteer's free slots draws with the key (volunteer, slot number).
        slots = rng.shuffled(slots, "slot_order", keys=combine(slots, np.arange(slots.size)
                                                               - np.searchsorted(slots, slots)))[: targets.size]
        targets = targets[: slots.size]
        if not targets.size:
            return
        for resident, volunteer in zip(targets.tolist(), slots.tolist(), strict=True):
            pairs[resident] = volunteer
            taken[resident] = (volunteer, state.week)
        state.network.queue_ties(targets, slots, PAIR_TIE_WEIGHT, ACTIVITY)
