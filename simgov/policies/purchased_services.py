"""Purchased services (政府购买服务): the government buys a professional organisation's capacity.

In practice: The government buys the services of professional organisations, such as elderly
care and legal aid, for a community (政府购买服务; 002, 003); B community buys services from
social-work organisations (000).

Rule (each week the policy is active):

1. Capacity bought: ``budget_yuan_per_year`` at ``yuan_per_hour`` of professional work buys
   ``budget / price / 52`` hours a week of service for the need types in ``services``.
2. Those hours serve residents through the services mechanism, after the professional
   organisations already there and before volunteers, the most severe known needs first
   (vulnerable residents' doubled). Needs no one knows of are not reached: purchased
   services do not find needs by themselves.
3. Cost: the budget (weekly, paid by the government) and the professionals' hours, which
   the contractor brings to the ``organisation`` pool.

Programmes of this type add up (two contracts buy hours side by side).

Sources: 002 and 003 (government purchase of social-work and professional services, e.g.
elderly care and legal aid); 000 (services bought in for the estate). Prices are
assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, field
from simgov.policies.base import PolicyParams, register
from simgov.vocabulary import NEED_TYPES


@register
class PurchasedServices(PolicyParams):
    """政府购买服务: professional service hours bought by the government."""

    type: Literal["purchased_services"] = field("purchased_services", "policy type")
    budget_yuan_per_year: NonNegFloat = field(80_000.0, "the contract's value a year, in yuan",
                                              "assumption; 002, 003")
    yuan_per_hour: NonNegFloat = field(50.0, "price of an hour of professional service, in yuan", "assumption",
                                       gt=0)
    services: tuple[Literal[NEED_TYPES], ...] = field(("elderly_care", "disability_support"),
                                                      "need types the contract covers", "002, 003", min_length=1)

    def act(self, state, memory, rng):
        hours = self.budget_yuan_per_year / self.yuan_per_hour / 52.0
        if hours <= 0:
            return
        state.levers.bought.append(("purchased_services", self.services, hours))
        self.spend(state, self.budget_yuan_per_year / 52.0, "government")
        state.ledger.add_hours("organisation", hours)  # the contractor's own staff ...
        self.work(state, hours, "organisation")  # ... serve through the services mechanism
