"""Three-party mechanism (三方联动, 三位一体): committee, owners and property company meet under the Party.

In practice: In Baibuting (Wuhan) the Party organisation brings together the property company,
the residents' committee and the owners' committee, which have no line of authority over one
another ("三位一体": 把社区里没有隶属关系的物业公司、居委会、业委会整合协调起来), and they meet
regularly on the estate's building issues (001); Cuizhuyuan's four-party platform adds the
social organisations and meets monthly (001).

Rule (each week the policy is active):

1. Meetings. The residents' committee spends ``meeting_hours`` of staff time a week on the joint
   meetings (from the ``staff`` pool); if the pool cannot give them all, the meetings do the
   share granted, and so does every effect below (no hours, no meetings: no effect).
2. Effect, through the property side of building disputes (simgov.dynamics.property_side):
   the property company's and the owners' committee's chance to settle a building issue they
   take rises by ``resolution_gain`` (lever ``property_resolution_gain``, as ``1 - (1 - p)(1 -
   g)``), and the issues they take a week rise by ``capacity_gain`` (lever
   ``property_capacity_factor``): issues are brought to the table rather than passed on. Where
   the community has neither a property company nor an owners' committee (nor a stand-in) the
   meetings have no one to bring together and change nothing, though their hours are spent.
3. Cost: ``meeting_hours`` staff hours a week (cadres' time), drawn before the committee's
   ordinary services.

Sources: 001 (Baibuting's "three in one" under the Party: property company, residents'
committee and owners' committee; Cuizhuyuan's four-party platform meeting monthly with rules of
procedure). The effect sizes and hours are assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class ThreePartyMechanism(PolicyParams):
    """三方联动: the residents' committee, owners' committee and property company meet under the Party."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "the three parties meet at one table; raise its hours or effects instead"

    type: Literal["three_party_mechanism"] = field("three_party_mechanism", "policy type")
    meeting_hours: NonNegFloat = field(
        4.0, "staff hours a week on the joint meetings and their follow-up",
        "assumption; 001: the four-party platform meets monthly", le=200.0)
    resolution_gain: Share = field(
        0.4, "rise in the property side's chance to settle a building issue (share of the chance to fail)",
        "assumption; 001: Baibuting")
    capacity_gain: NonNegFloat = field(
        1.0, "relative rise in the building issues the property side takes a week (1: doubled)",
        "assumption; 001", le=10.0)

    def act(self, state, memory, rng):
        granted = state.ledger.draw(self.category, staff=self.meeting_hours) if self.meeting_hours > 0 else 0.0
        lev = state.levers
        lev.raise_property_resolution(self.resolution_gain * granted)
        lev.property_capacity_factor *= 1.0 + self.capacity_gain * granted
