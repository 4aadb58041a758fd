"""Red property management (红色物业): social workers guide the three parties to settle who does what.

In practice: In O community (X street, Wuhan), on a patch of intermingled jurisdictions
(插花地), responsibilities were unclear and pushed around (权责不清、责任推诿); social workers
guided the three parties to link up and build "red property management", making clear whose
business each community matter is, and order improved greatly (003). Qingshan's "red property
management" brings property services under Party leadership (001).

Rule (each week the policy is active):

1. Guidance. Social workers spend ``social_worker_hours`` a week with the property company, the
   owners' committee and the residents' committee (from the ``social_worker`` pool); if the
   pool cannot give them all, every effect below is scaled by the share granted (no hours, no
   effect).
2. Effect, through the property side of building disputes (simgov.dynamics.property_side):
   responsibilities once clear, the property side settles more of the building issues it takes
   (lever ``property_resolution_gain`` rises by ``resolution_gain``, as ``1 - (1 - p)(1 - g)``),
   and a building issue it settles is settled at its source with ``source_fix`` (lever
   ``property_source_fix``: whose job it is is now known, so the building's rate of issues
   halves for good). Without a property company, owners' committee or stand-in it changes
   nothing, though the hours are spent.
3. Cost: ``social_worker_hours`` a week of social workers' time.

Sources: 003 (O community: social workers guide the three parties to build red property
management where responsibilities were unclear and pushed around); 001 (Qingshan: red property
management under the Party). The effect sizes and hours are assumptions.
"""

from __future__ import annotations

from typing import Literal

from simgov.params import NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class RedPropertyManagement(PolicyParams):
    """红色物业: social workers guide the three parties to clear responsibilities."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "one effort guides the same three parties; raise its hours or effects instead"

    type: Literal["red_property_management"] = field("red_property_management", "policy type")
    social_worker_hours: NonNegFloat = field(
        6.0, "social workers' hours a week guiding the three parties", "assumption; 003: O community", le=200.0)
    resolution_gain: Share = field(
        0.3, "rise in the property side's chance to settle a building issue (share of the chance to fail)",
        "assumption; 003: responsibilities clear, order much improved")
    source_fix: Share = field(
        0.3, "chance a building issue the property side settles is settled at its source",
        "assumption; 003: clear responsibilities for community matters (明确社区事务责属)")

    def act(self, state, memory, rng):
        granted = (state.ledger.draw(self.category, social_worker=self.social_worker_hours)
                   if self.social_worker_hours > 0 else 0.0)
        lev = state.levers
        lev.raise_property_resolution(self.resolution_gain * granted)
        lev.property_source_fix = max(lev.property_source_fix, self.source_fix * granted)
