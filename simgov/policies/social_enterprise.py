"""Social enterprise (社区社会企业): a community service company that feeds the community fund.

In practice: In Longnan (Luzhou), whose courtyards had no property company, no owners'
committee and no oversight ("three-no" courtyards), a community-owned company runs property
management at 0.5 yuan/m2 with 20 property staff, and 20% of its net profit goes into the
community fund: "self blood-making" (自我造血) (004).

Rule (each week the policy is active):

1. The company employs ``staff`` people, hiring residents who need work first: each free
   post goes to a resident with an employment need (the most severe first; their need is
   met), else to someone from outside. Staff leave at ``staff_turnover`` a year.
2. It manages the estate's shared property at a low fee: the rate of building issues
   (property, shared space) falls by ``management_effect``, and its staff give
   ``repair_hours_per_staff`` hours a week to residents' housing and property needs (a
   service provider in the services mechanism). Where the estate has no property company it
   stands in for one: building issues go to it first, with the actors'
   ``property_cases_per_week`` and ``property_resolution`` (simgov.dynamics.property_side).
3. Its net profit, ``net_profit_per_staff_yuan`` a year per employee, is shared:
   ``profit_share`` goes into the community fund every week (自我造血, self-financing), where
   it pays grants to self-organisations when the committee's budget runs out (resources).
4. Cost: a start-up cost ``setup_yuan`` in its first week (outside money: in Longnan the
   company, residents and donors raised it), and ``oversight_hours`` of staff time a week
   (the committee's oversight, from the ``staff`` pool). The company's own wages are paid
   from its revenue, not from public money; its repair hours are its own (``organisation``
   pool).

Sources: 004 (Longnan, Luzhou: a community-owned company runs property management of the
"three-no" courtyards at 0.5 yuan/m2 with 20 property staff; 20% of net profit goes to the
community fund; 200,000 yuan co-financed for the estates' facilities). Profit and effect sizes are
assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import Count, NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register
from simgov.policies.employment_priority import hire


@register
class SocialEnterprise(PolicyParams):
    """社区社会企业: a community-owned property-service company whose profit feeds the fund."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "a community has one property-service company; raise its staff instead"

    type: Literal["social_enterprise"] = field("social_enterprise", "policy type")
    staff: Count = field(20, "employees", "004: 20 property staff")
    staff_turnover: Share = field(0.2, "share of staff who leave in a year", "assumption")
    management_effect: Share = field(0.3, "fall in the rate of building issues under its management",
                                     "assumption; 004: 'three-no' courtyards gain property management")
    repair_hours_per_staff: NonNegFloat = field(5.0, "hours a week each employee gives to residents' housing "
                                                "and property needs", "assumption")
    net_profit_per_staff_yuan: NonNegFloat = field(
        2_500.0, "net profit a year per employee, in yuan",
        "assumption: a thin margin, since 004's company kept the old fee of 0.5 yuan/m2 (物业费仍按原收费标准"
        "0.5元/平方米执行) while serving at a four-star standard; it also earns from parking and services. "
        "The policy has no fee parameter and 004 gives no floor area, so the fee fixes no number here")
    profit_share: Share = field(0.2, "share of net profit paid into the community fund",
                                "004: 20% of net profit to the community fund")
    setup_yuan: NonNegFloat = field(
        200_000.0, "start-up cost in its first week, in yuan (outside money, not the committee's or the fund's)",
        "004: on taking over in 2021-11 the company, residents and donors raised 200,000 yuan (社企担一点+居民出"
        "一点+社会资源解决一点, 筹集资金20万元) for waste stations, parking, chargers and fire equipment")
    oversight_hours: NonNegFloat = field(4.0, "the committee's hours a week overseeing the company", "assumption")

    def act(self, state, memory, rng):
        if self.staff <= 0:
            return
        weekly = 1.0 - (1.0 - self.staff_turnover) ** (1 / 52)
        if "local" not in memory:  # set up: posts go to residents who need work first
            memory["local"] = hire(state, self.staff, rng).size
            self.spend(state, self.setup_yuan, "government")
        else:  # turnover: freed posts go to residents who need work first, else to outsiders
            local_leaving = rng.binomial(memory["local"], weekly, "local_leaving")
            vacancies = local_leaving + rng.binomial(self.staff - memory["local"], weekly, "outside_leaving")
            memory["local"] += hire(state, vacancies, rng).size - local_leaving
        lev = state.levers
        lev.building_issue_factor *= 1.0 - self.management_effect
        lev.property_stand_in = True  # it is the estate's property company (simgov.dynamics.property_side)
        repairs = self.staff * self.repair_hours_per_staff
        lev.bought.append(("social_enterprise", ("housing_property",), repairs))
        state.ledger.add_hours("organisation", repairs)  # its own staff's hours
        self.work(state, repairs, "organisation")
        profit = self.staff * self.net_profit_per_staff_yuan / 52.0 * self.profit_share
        state.ledger.receive(self.category, profit)
        self.work(state, self.oversight_hours)  # the committee's oversight, from the staff pool
