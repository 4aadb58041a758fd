"""Shocks: timed events a scenario lists under ``shocks`` (an epidemic lockdown, a building
emergency), one module per type with its rule, parameters and sources, registered in
``SHOCK_TYPES``; ``simgov.shocks.outcomes`` measures what a shock did to a run (peak unmet
needs, weeks to recover, disputes during it). See ``simgov.shocks.base`` for how a shock acts.
"""

from simgov.shocks.base import SHOCK_TYPES, AnyShock, ShockParams, register

# Importing a shock module registers its type.
from simgov.shocks import epidemic_lockdown, building_emergency  # noqa: E402, F401  isort: skip

__all__ = ["SHOCK_TYPES", "AnyShock", "ShockParams", "register"]
