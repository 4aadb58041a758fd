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
                             needs,
                             organisations,
                             outreach,
                             participation,
                             resources,
                             services,
)

#: Phases in the order they run each week: needs arise, are found, are met; disputes arise
#: and move; people take part; organisations and money change; attitudes spread.
MECHANISMS = (needs, outreach, services, disputes, participation, organisations, resources, influence)

__all__ = ["MECHANISMS"]
