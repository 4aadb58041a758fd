"""Door-knocking (天天敲门): Party members, grid workers and volunteers visit homes every week.

In practice: In Qingshan (Wuhan) a door-knocking group (天天敲门组) of Party members, grid
workers and volunteers knocks on doors every day, the lonely, empty-nest and disabled first,
with "18 door-knocking methods", to find needs early (001). In B community cadres, grid
workers and volunteers made 1,800 visit person-times and handed out 3,000+ leaflets (000).

Rule (each week the policy is active):

1. Capacity. Staff (grid workers and cadres) make up to ``staff_visits_per_worker`` visits
   each, volunteers (available steady volunteers) up to ``visits_per_volunteer`` each; the
   programme makes ``visits_per_week`` household visits, a share ``volunteer_share`` of them
   by volunteers, as far as each group's capacity allows (``capacity``: the one cap). Visits
   asked for beyond it are not made and are recorded as a shortfall (metric ``visits_short``).
2. Targeting. Households are visited in ``priority`` order: ``vulnerable`` (empty-nest,
   disabled, low-income, special groups first, then the isolated), ``isolated`` (no friendly
   tie outside the household first), or ``random``; the programme works down its list and
   ranks households afresh each time round (simgov.dynamics.outreach).
3. Effects, through the outreach mechanism: every need of a visited household becomes
   known; visited residents gain ``trust_gain`` of the room left in trust in the committee
   (half that in belonging); the household is invited to take part (the participation
   threshold falls by the participation mechanism's ``invitation``: a personal contact,
   Gerber & Green 2000, with household spillover, Nickerson 2008); a brewing individual
   dispute of a visited resident is settled with ``dispute_catch``.
4. Cost: ``hours_per_visit`` of staff or volunteer time per visit, and ``yuan_per_visit``
   in materials (leaflets, small gifts), paid by the committee.

Sources: 001 (Qingshan's door-knocking group 天天敲门组 visits the lonely, empty-nest and
disabled first and finds needs early); 000 (1,800 visit person-times by cadres, grid workers
and volunteers, 3,000+ leaflets: about 35 visits a week); Gerber & Green (2000) and Nickerson
(2008) on personal contact; Mayo-Wilson et al. (2014) on home visits to older adults (small
effects). The effect sizes are assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.params import Count, NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class DoorKnocking(PolicyParams):
    """天天敲门: regular home visits, the most vulnerable first."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = ("door-knocking programmes share one list of households; give one programme "
                            "the summed visits_per_week, or give them separate weeks")

    type: Literal["door_knocking"] = field("door_knocking", "policy type")
    visits_per_week: Count = field(35, "households visited a week", "000: 1,800 visit person-times a year")
    priority: Literal["vulnerable", "isolated", "random"] = field(
        "vulnerable", "who is visited first", "001: the lonely, empty-nest and disabled first")
    volunteer_share: Share = field(0.5, "share of visits made by volunteers (the rest by staff)",
                                   "000: cadres, grid workers and volunteers")
    staff_visits_per_worker: NonNegFloat = field(5.0, "visits a week each grid worker or cadre can make",
                                                 "assumption")
    visits_per_volunteer: NonNegFloat = field(2.0, "visits a week each available volunteer can make",
                                              "assumption")
    trust_gain: Share = field(0.1, "trust in the committee a visited resident gains (share of the room left)",
                              "assumption; 001")
    invite: bool = field(True, "a visit invites the household to take part",
                         "Gerber & Green 2000; Nickerson 2008 (household spillover)")
    dispute_catch: Share = field(0.3, "chance a visit settles a brewing individual dispute of the household",
                                 "assumption; 001: problems found early")
    hours_per_visit: NonNegFloat = field(0.5, "hours of work per visit", "assumption")
    yuan_per_visit: NonNegFloat = field(2.0, "materials per visit, in yuan", "000: 3,000+ leaflets")

    def capacity(self, state) -> tuple[int, int]:
        """The most visits volunteers and staff can make this week: (by volunteers, by staff)."""
        cap = state.capacity
        volunteers = np.count_nonzero(state.residents.available_volunteers(state.week))
        return (int(volunteers * self.visits_per_volunteer),
                int((cap.grid_workers + cap.cadres) * self.staff_visits_per_worker))

    def act(self, state, memory, rng):
        # The one cap on visits: each group's capacity. What is asked beyond it is not made
        # and is recorded as a shortfall (metric visits_short).
        asked_volunteers = round(self.visits_per_week * self.volunteer_share)
        asked_staff = self.visits_per_week - asked_volunteers
        most_volunteers, most_staff = self.capacity(state)
        by_volunteers = min(asked_volunteers, most_volunteers)
        by_staff = min(asked_staff, most_staff)
        visits = by_volunteers + by_staff
        lev = state.levers
        lev.visits_short += self.visits_per_week - visits
        if visits <= 0:
            return
        lev.visits += visits
        lev.visit_priority = self.priority
        lev.visit_trust_gain = self.trust_gain
        lev.visit_invitation = self.invite
        lev.visit_dispute_catch = self.dispute_catch
        self.work(state, by_staff * self.hours_per_visit, "staff")
        self.work(state, by_volunteers * self.hours_per_visit, "volunteer")
        self.spend(state, visits * self.yuan_per_visit)
