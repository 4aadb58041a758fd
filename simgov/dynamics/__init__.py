"""The mechanisms, one module each, run as the weekly phases of the model in this order.

Each module declares ``NAME``, a ``Params`` block (its parameters with defaults and
sources; the scenario's ``parameters.<NAME>`` section is validated against it) and
``step(state, params, rng)``, which updates the community state in place. Each phase
draws only from its own keyed stream (``simgov.streams.KeyedStream``), each draw keyed by
the entity it concerns, the week and a slot naming the event: adding or removing one
phase never changes the draws of another, and an entity draws the same number in every
arm whatever was drawn before it (exact common random numbers).
"""

from simgov.dynamics import (
                             disputes,
                             influence,
                             linkage,
                             needs,
                             organisations,
                             outreach,
                             participation,
                             party_members,
                             performance,
                             resources,
                             services,
                             turnover,
)

#: Phases in the order they run each week: needs arise; sunk Party members serve; needs are
#: found, shared across the forces and met; disputes arise and move; people take part;
#: organisations and money change; residents judge the committee; attitudes spread; households
#: move out and in (monthly, before the network's consolidation).
MECHANISMS = (needs, party_members, outreach, linkage, services, disputes, participation, organisations,
              resources, performance, influence, turnover)

__all__ = ["MECHANISMS"]
