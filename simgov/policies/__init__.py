"""Policies: timed interventions declared in a scenario's ``policies`` lists.

Each policy type is a module here (its docstring states the rule, parameters and sources)
with a ``PolicyParams`` subclass registered under its type name in ``POLICY_TYPES``. The
scenario loader validates every entry against the registered type; an unknown type or
parameter is an input error that lists the allowed ones. See ``simgov.policies.base`` for
how a policy acts on the model.
"""

from simgov.policies.base import POLICY_TYPES, AnyPolicy, PolicyParams, conflicts, register

# Importing a policy module registers its type.
from simgov.policies import (  # noqa: E402, F401  isort: skip
    door_knocking, mediation, micro_venture_fund, volunteer_pairing, needs_assessment, org_incubation,
    purchased_services, social_enterprise, deliberation_platform, grid_management, employment_priority,
    volunteer_rewards, mutual_aid_day, linkage_platform,
)

# The catalogue's order (a module may register another first by importing it).
_ORDER = ("door_knocking", "mediation", "micro_venture_fund", "volunteer_pairing", "needs_assessment",
          "org_incubation", "purchased_services", "social_enterprise", "deliberation_platform",
          "grid_management", "employment_priority", "volunteer_rewards", "mutual_aid_day", "linkage_platform")
_registered = dict(POLICY_TYPES)
POLICY_TYPES.clear()
POLICY_TYPES.update({name: _registered.pop(name) for name in _ORDER if name in _registered})
POLICY_TYPES.update(_registered)

__all__ = ["POLICY_TYPES", "AnyPolicy", "PolicyParams", "conflicts", "register"]
