"""The names every layer shares: life stages, need types, tie kinds, special weeks.

A leaf module (it imports nothing of simgov), so that scenario, community and dynamics can
all use these at import time without import cycles.
"""

import numpy as np

#: Life-stage groups of residents, in the order of the scenario's ``mix`` and of the group codes.
LIFE_STAGES = ("children", "working_adults", "other_adults", "elderly", "migrant_elderly")
CHILD, WORKING, OTHER, ELDERLY, MIGRANT = range(len(LIFE_STAGES))

#: Kinds of need a resident can have (rows of ``Residents.needs``).
NEED_TYPES = ("elderly_care", "disability_support", "health", "employment", "legal",
              "child_care", "housing_property")

#: Kinds of tie (values of ``SocialNetwork.kind``).
TIE_KINDS = ("household", "neighbor", "building", "acquaintance", "activity")
HOUSEHOLD, NEIGHBOR, BUILDING, ACQUAINTANCE, ACTIVITY = range(len(TIE_KINDS))

#: The forces of five-society linkage that find and serve needs, each in its own channel
#: (simgov.dynamics.linkage): a need carries a bit per force that may serve it
#: (``Residents.need_reach``), bit ``1 << i`` for ``FORCES[i]``.
FORCES = ("committee", "social_workers", "organisations", "volunteers", "party")
COMMITTEE, SOCIAL_WORKERS, ORGANISATIONS, VOLUNTEERS, PARTY = range(len(FORCES))
#: A need every force may serve: it is on the shared list.
SHARED = (1 << len(FORCES)) - 1

#: A week before any simulated week (warm-up weeks are negative), e.g. "has never rested".
NEVER = np.iinfo(np.int32).min
