"""The mechanisms, one module each, run as the weekly phases of the model in this order.

Each module declares ``NAME``, a ``Params`` block (its parameters with defaults and
sources; the scenario's ``parameters.<NAME>`` section is validated against it) and
``step(state, params, rng)``, which updates the community state in place. Each phase
draws only from its own random stream, so adding or removing one never changes the
draws of another (common random numbers).
"""

from simgov.dynamics import influence

#: Phases in the order they run each week.
MECHANISMS = (influence,)

__all__ = ["MECHANISMS"]
