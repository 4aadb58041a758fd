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
    volunteer_rewards, mutual_aid_day, three_party_mechanism, red_property_management, linkage_platform,
)

# The catalogue's order (a module may register another first by importing it).
_ORDER = ("door_knocking", "mediation", "micro_venture_fund", "volunteer_pairing", "needs_assessment",
          "org_incubation", "purchased_services", "social_enterprise", "deliberation_platform",
          "grid_management", "employment_priority", "volunteer_rewards", "mutual_aid_day",
          "three_party_mechanism", "red_property_management", "linkage_platform")
_registered = dict(POLICY_TYPES)
POLICY_TYPES.clear()
POLICY_TYPES.update({name: _registered.pop(name) for name in _ORDER if name in _registered})
POLICY_TYPES.update(_registered)

#: Each type's dose: the parameter that says how much of the practice is done (visits, cases,
#: money, meetings), as against how well it works (effect sizes, which have priors). The demo's
#: slider (simgov.demo.levers) and the EMA adapter's default levers (simgov.adapters.ema).
DOSE = {"door_knocking": "visits_per_week", "mediation": "cases_per_week", "micro_venture_fund": "budget_yuan",
        "volunteer_pairing": "pairs", "needs_assessment": "households_per_round",
        "org_incubation": "groups_per_year", "purchased_services": "budget_yuan_per_year",
        "social_enterprise": "staff", "deliberation_platform": "meetings_per_month",
        "grid_management": "workers_per_grid", "employment_priority": "jobs_per_year",
        "volunteer_rewards": "yuan_per_hour", "mutual_aid_day": "every_weeks",
        "three_party_mechanism": "meeting_hours", "red_property_management": "social_worker_hours",
        "linkage_platform": "target"}

__all__ = ["DOSE", "POLICY_TYPES", "AnyPolicy", "PolicyParams", "conflicts", "register"]
