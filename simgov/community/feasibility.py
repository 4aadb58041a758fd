"""Whether a community can be synthesised: the checks the schema cannot make alone.

Rule: the residents given a trait (disabled, special groups, Party members, volunteers)
are drawn only from the life stages whose weight for that trait is above zero
(``simgov.community.population.TRAIT_WEIGHTS``): children are never Party members or in
special groups, for instance. A scenario asking for more residents with a trait than its
mix has in those stages cannot be built, and is an input error before any run starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simgov.community.population import TRAIT_WEIGHTS
from simgov.errors import InputError, Problem
from simgov.vocabulary import LIFE_STAGES

if TYPE_CHECKING:
    from simgov.scenario import Scenario


def feasibility_problems(scenario: Scenario) -> list[Problem]:
    c, a = scenario.community, scenario.actors
    counts = c.group_counts()
    wanted = {"disabled": ("community.disabled", round(c.disabled * c.residents)),
              "special": ("community.special_groups", round(c.special_groups * c.residents)),
              "party_member": ("actors.party_members_resident", a.party_members_resident),
              "volunteer": ("actors.steady_volunteers", a.steady_volunteers)}
    problems = []
    for trait, (where, k) in wanted.items():
        stages = [s for s, w in zip(LIFE_STAGES, TRAIT_WEIGHTS[trait], strict=True) if w > 0]
        eligible = sum(counts[s] for s in stages)
        if k > eligible:
            problems.append(Problem(f"{k:,} residents asked for, but only {eligible:,} residents are in the life "
                                    f"stages that can have this trait ({', '.join(stages)})", path=where))
    return problems


def check_feasible(scenario: Scenario) -> None:
    """An ``InputError`` listing every trait the community cannot be given."""
    problems = feasibility_problems(scenario)
    if problems:
        raise InputError(problems)
