"""Volunteer rewards (志愿积分): volunteer hours earn rent relief or priority.

In practice: In public-rental housing, volunteer hours earn rent reductions and priority for
jobs (002): a points scheme (志愿积分) in the manner of time banking.

Rule (each week the policy is active, while this year's budget lasts):

1. The reward's strength is ``s = min(1, yuan_per_hour / full_effect_yuan_per_hour)``.
2. Volunteers quit less (quit hazard times ``1 - retention_effect * s``), participants
   become volunteers more readily (times ``1 + recruit_effect * s``), and volunteers give
   more hours (times ``1 + hours_effect * s``), through the participation and services
   mechanisms. More hours also mean more fatigue, and burn-out comes sooner.
3. Cost: every hour volunteers actually serve, in any programme, earns ``yuan_per_hour``
   (paid by ``payer``, as far as it holds the money),
   up to ``budget_yuan_per_year`` a year (counted from the policy's start); when the budget
   is spent, rewards stop until the next year. ``admin_hours`` of staff time a week keep
   the accounts.

Sources: 002 (volunteer hours earn rent reductions and priority for jobs in public-rental
housing); time banking (Cahn 2000). Rewards can crowd out intrinsic motivation (Frey &
Goette 1999), which this rule does not model: its effects are assumptions, upper bounds.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, Share, field
from simgov.policies.base import PAYERS, PolicyParams, register


@register
class VolunteerRewards(PolicyParams):
    """志愿积分: volunteer hours earn rent relief, so volunteers stay, join and give more."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "two reward schemes for the same hours do not add up; raise yuan_per_hour instead"

    type: Literal["volunteer_rewards"] = field("volunteer_rewards", "policy type")
    yuan_per_hour: NonNegFloat = field(10.0, "reward per hour served, in yuan (rent relief)", "assumption; 002")
    full_effect_yuan_per_hour: NonNegFloat = field(10.0, "reward at which the effects are full", "assumption",
                                                   gt=0)
    retention_effect: Share = field(0.5, "fall in volunteers' quit hazard at full effect", "assumption")
    recruit_effect: NonNegFloat = field(1.0, "rise in recruitment of volunteers at full effect", "assumption")
    hours_effect: NonNegFloat = field(0.2, "rise in volunteers' weekly hours at full effect", "assumption")
    budget_yuan_per_year: NonNegFloat = field(50_000.0, "rewards paid at most a year, in yuan", "assumption")
    payer: Literal[PAYERS] = field("government", "who pays the rewards", "002: rent relief in public "
                                   "rental housing")
    admin_hours: NonNegFloat = field(2.0, "staff hours a week keeping the accounts", "assumption")

    def act(self, state, memory, rng):
        if (state.week - self.start_week) % 52 == 0:
            memory["left"] = self.budget_yuan_per_year
        s = min(1.0, self.yuan_per_hour / self.full_effect_yuan_per_hour)
        memory["on"] = s > 0 and memory.get("left", self.budget_yuan_per_year) > 0
        if not memory["on"]:
            return
        lev = state.levers
        lev.volunteer_retention *= 1.0 - self.retention_effect * s
        lev.volunteer_recruit_factor *= 1.0 + self.recruit_effect * s
        lev.volunteer_hours_factor *= 1.0 + self.hours_effect * s
        # Volunteers give more hours: their pool grows as their services' hours do.
        state.ledger.add_hours("volunteer", state.ledger.available["volunteer"] * self.hours_effect * s)
        self.work(state, self.admin_hours)

    def settle(self, state, memory, rng):
        if not memory.get("on"):
            return
        paid = min(state.ledger.used["volunteer"] * self.yuan_per_hour, memory["left"])
        memory["left"] -= paid
        self.spend(state, paid, self.payer)
