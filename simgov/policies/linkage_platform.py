"""Linkage platform (联动平台): build the shared platform of the five forces, and keep it going.

In practice: In X street (Wuhan) a "red social work" project (红色社工, commissioned in 2019
by the provincial civil-affairs department and run by a social-work centre) brought social
workers, residents, sunk Party members and volunteers onto one platform: the "Wuhan
micro-neighbourhood" mini-program, a "three-society linkage platform" and WeChat grid
groups, with regular meetings, check-ins and the appraisal of sunk Party members, so that
"needs are fully exposed" and each force does its part (003). B community built an internal
linkage mechanism with WeChat and QQ groups that share information and resources (000).

Rule (each week the policy is active):

1. Building. The platform raises the linkage strength (simgov.dynamics.linkage) towards
   ``target``, closing ``build_rate`` of the gap a week, times the share of its own cost
   paid. Above the community's own level the stronger linkage costs what any linkage costs
   (the linkage mechanism's meeting hours and upkeep, in proportion to strength).
2. After it ends. Nothing keeps the extra strength up: it fades towards the community's own
   level at the linkage mechanism's ``drift`` a week (a share (1 - drift)^k of the gain is
   left k weeks after the end; half-life ln 2 / drift, about 35 weeks at the default 0.02).
3. Cost: ``coordinator_hours`` a week of social workers' time (the project's coordinator:
   training, the groups, the shared list) from the ``social_worker`` pool, and
   ``yuan_per_year`` (the project's running costs), paid by ``payer``. When either cannot be
   paid in full, the platform builds at that share of its rate.

Sources: 003 (X street's platform and project, the division of labour, regular meetings and
check-ins); 000 (B community's linkage mechanism and groups). The rates and costs are
assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, Share, field
from simgov.policies.base import PAYERS, PolicyParams, register


@register
class LinkagePlatform(PolicyParams):
    """联动平台: a shared platform, meetings and a list of needs for the five forces."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = ("a community has one linkage platform; give one policy the target, or give "
                            "the platforms separate weeks")

    type: Literal["linkage_platform"] = field("linkage_platform", "policy type")
    target: Share = field(0.9, "linkage strength the platform builds towards",
                          "assumption; 003: needs 'fully exposed' on the platform")
    build_rate: Share = field(0.05, "weekly share of the gap to the target the platform closes",
                              "assumption: half the gap in about 14 weeks; 003: a long process of running-in "
                              "(长期的磨合过程)")
    coordinator_hours: NonNegFloat = field(4.0, "social workers' hours a week to run the platform",
                                           "assumption; 003: the project's social workers", le=60.0)
    yuan_per_year: NonNegFloat = field(20_000.0, "the project's yearly running costs, in yuan",
                                       "assumption; 003: a project commissioned by the civil-affairs department")
    payer: Literal[PAYERS] = field("government", "who pays the running costs",
                                   "003: commissioned by the provincial civil-affairs department")

    def act(self, state, memory, rng):
        paid = state.ledger.draw(self.category, yuan=self.yuan_per_year / 52.0, payer=self.payer,
                                 social_worker=self.coordinator_hours)
        lev = state.levers
        lev.linkage_target = max(lev.linkage_target, self.target)
        lev.linkage_build = max(lev.linkage_build, self.build_rate * paid)
