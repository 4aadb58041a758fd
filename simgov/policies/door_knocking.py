"""Door-knocking (天天敲门): Party members, grid workers and volunteers visit homes every week.

In practice: In Qingshan (Wuhan) a door-knocking group (天天敲门组) of Party members, grid
workers and volunteers knocks on doors every day, the lonely, empty-nest and disabled first,
with "18 door-knocking methods", to find needs early (001). In B community cadres, grid
workers and volunteers made 1,800 visit person-times and handed out 3,000+ leaflets (000), a
cumulative count with no period.

Rule (each week the policy is active):

1. Capacity. The programme asks for ``visits_per_week`` household visits, a share
   ``volunteer_share`` of them by volunteers and the rest by staff (grid workers and cadres).
   Each visit takes ``hours_per_visit`` from the ``staff`` or ``volunteer`` hour pool and
   ``yuan_per_visit`` from the committee's budget (simgov.community.ledger); the programme
   makes as many as the pools can give, and the rest is recorded as their shortfall.
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
4. Cost: ``hours_per_visit`` of staff or volunteer time per visit made, and ``yuan_per_visit``
   in materials (leaflets, small gifts), paid by the committee. Volunteers' visiting hours
   tire them like any volunteer work (participation mechanism).

Sources: 001 (Qingshan's door-knocking group 天天敲门组 visits the lonely, empty-nest and
disabled first and finds needs early); 000 (1,800 visit person-times by cadres, grid workers
and volunteers, 3,000+ leaflets, no period given: over the three years of the study about 12
visits a week); Gerber & Green (2000) and Nickerson
(2008) on personal contact; Mayo-Wilson et al. (2014) on home visits to older adults (small
effects). The effect sizes are assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import Count, NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class DoorKnocking(PolicyParams):
    """天天敲门: regular home visits, the most vulnerable first."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = ("door-knocking programmes share one list of households; give one programme "
                            "the summed visits_per_week, or give them separate weeks")

    type: Literal["door_knocking"] = field("door_knocking", "policy type")
    visits_per_week: Count = field(
        12, "households visited a week",
        "000: 1,800 visit person-times (入户走访1800人次), a cumulative count with no period; spread over the "
        "three years of the study (持续三年跟踪调研), 600 a year, about 12 a week")
    priority: Literal["vulnerable", "isolated", "random"] = field(
        "vulnerable", "who is visited first", "001: the lonely, empty-nest and disabled first")
    volunteer_share: Share = field(0.5, "share of visits made by volunteers (the rest by staff)",
                                   "000: cadres, grid workers and volunteers")
    trust_gain: Share = field(0.1, "trust in the committee a visited resident gains (share of the room left)",
                              "assumption; 001")
    invite: bool = field(True, "a visit invites the household to take part",
                         "Gerber & Green 2000; Nickerson 2008 (household spillover)")
    dispute_catch: Share = field(0.3, "chance a visit settles a brewing individual dispute of the household",
                                 "assumption; 001: problems found early")
    hours_per_visit: NonNegFloat = field(0.5, "hours of work per visit", "assumption")
    yuan_per_visit: NonNegFloat = field(2.0, "materials per visit, in yuan", "000: 3,000+ leaflets")

    def act(self, state, memory, rng):
        ledger = state.ledger
        asked_volunteers = round(self.visits_per_week * self.volunteer_share)
        by_volunteers = ledger.draw_units(self.category, asked_volunteers, yuan=self.yuan_per_visit,
                                          volunteer=self.hours_per_visit)
        by_staff = ledger.draw_units(self.category, self.visits_per_week - asked_volunteers,
                                     yuan=self.yuan_per_visit, staff=self.hours_per_visit)
        visits = by_volunteers + by_staff
        if visits <= 0:
            return
        lev = state.levers
        lev.visits += visits
        lev.visit_priority = self.priority
        lev.visit_trust_gain = self.trust_gain
        lev.visit_invitation = self.invite
        lev.visit_dispute_catch = self.dispute_catch
