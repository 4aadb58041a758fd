"""Synthesis of residents: households, buildings, grids, life stages and traits.

1. Residents per life stage are the scenario's shares rounded by largest remainder.
2. Empty-nest elderly (空巢/独居) form elderly-only households: a share live as couples,
   the rest alone.
3. Every other household gets a head drawn from the adults and remaining elderly; the
   other residents join households at random, children and migrant elderly (随迁老人)
   only where the head is a working-age adult (they live with their parents' or adult
   children's family). Sizes come out near Poisson around the scenario's mean.
4. Households are shuffled and cut into buildings of near-equal size, buildings into
   grids (网格), and residents are numbered in that order (grid, building, household).
5. Traits are drawn by weighted sampling without replacement: disability rises with age,
   subsistence aid (低保) is likelier in households with a disabled member, special
   groups are adults, Party members and steady volunteers lean to the retired.
6. Attitudes are Beta-distributed around the scenario's means.

Sources: the counts are the scenario's (000 for B community); the trait weights are
assumptions stated in ``TRAIT_WEIGHTS`` (the sources give counts, not joint distributions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.community.state import Residents
from simgov.dynamics.participation import initial_thresholds, is_core
from simgov.dynamics.turnover import beta_shape
from simgov.vocabulary import CHILD, ELDERLY, LIFE_STAGES, MIGRANT, NEED_TYPES, NEVER, OTHER, WORKING

if TYPE_CHECKING:  # annotations only: importing the scenario package here would close a cycle
    from simgov.scenario import Scenario  # (scenario -> policies -> community.state -> community)

#: Relative likelihood of each trait by life stage (children, working, other, elderly, migrant).
TRAIT_WEIGHTS = {
    "disabled": (0.3, 0.6, 2.0, 2.5, 1.5),  # disability prevalence rises with age
    "special": (0.0, 1.0, 3.0, 0.3, 0.0),  # adults, mostly out of work
    "party_member": (0.0, 1.0, 0.6, 1.5, 0.8),  # retired members are ~21% of all (CPC 2024)
    "volunteer": (0.1, 0.6, 1.2, 2.0, 1.0),  # retirees are the volunteering core (001, 003)
}
#: Share of resident Party members active at the start (assumption; 000: members "lead").
PARTY_ACTIVE_SHARE = 0.5


def weighted_sample(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` distinct indices, each drawn with probability proportional to ``weights``.

    Efraimidis & Spirakis (2006) exponential keys: O(n), unlike repeated ``choice``.
    """
    if k <= 0:
        return np.empty(0, np.int64)
    positive = np.flatnonzero(weights > 0)
    if k > positive.size:
        raise ValueError(f"cannot draw {k} from {positive.size} eligible residents")
    keys = rng.exponential(size=positive.size) / weights[positive]
    return positive[np.argpartition(keys, k - 1)[:k]]


def _beta(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    return rng.beta(*beta_shape(mean, sd), n)


def _households(scenario: Scenario, rng: np.random.Generator):
    """Per resident (not yet in building order): life stage, household, empty-nest flag."""
    c = scenario.community
    counts = c.group_counts()
    stage = np.repeat(np.arange(len(LIFE_STAGES), dtype=np.int8), list(counts.values()))
    rng.shuffle(stage)  # which resident of a stage is which is arbitrary; shuffle once
    n = stage.size
    household = np.full(n, -1, np.int64)
    empty_nest = np.zeros(n, bool)

    nest, nest_households = c.empty_nest_plan()
    elderly = np.flatnonzero(stage == ELDERLY)
    nest_people = elderly[:nest]
    empty_nest[nest_people] = True
    couples = nest - nest_households
    household[nest_people[: 2 * couples]] = np.repeat(np.arange(couples), 2)
    household[nest_people[2 * couples:]] = np.arange(couples, nest_households)

    others = c.households - nest_households
    free = np.flatnonzero(household < 0)
    if free.size == 0:
        return stage, household, empty_nest
    head_ok = free[(stage[free] != CHILD)]
    heads = rng.choice(head_ok, size=others, replace=False)
    household[heads] = nest_households + np.arange(others)
    # children and migrant elderly live where the head is of working age, if any such head
    adult_headed = nest_households + np.flatnonzero(np.isin(stage[heads], (WORKING, OTHER)))
    any_head = nest_households + np.arange(others)
    rest = np.flatnonzero(household < 0)
    dependent = np.isin(stage[rest], (CHILD, MIGRANT))
    pool_dep = adult_headed if adult_headed.size else any_head
    household[rest[dependent]] = rng.choice(pool_dep, size=int(dependent.sum()))
    household[rest[~dependent]] = rng.choice(any_head, size=int((~dependent).sum()))
    return stage, household, empty_nest


def synthesize_residents(scenario: Scenario, rng: np.random.Generator) -> Residents:
    """Residents of ``scenario``'s community, numbered by grid, building and household."""
    c, a = scenario.community, scenario.actors
    stage, household, empty_nest = _households(scenario, rng)

    # Shuffle households, cut them into buildings and grids, renumber residents in that order.
    order_of_household = rng.permutation(c.households)  # new number of each household
    household = order_of_household[household]
    building_of_household = np.repeat(np.arange(c.buildings), _split(c.households, c.buildings))
    grid_of_building = np.repeat(np.arange(c.grids), _split(c.buildings, c.grids))
    order = np.argsort(household, kind="stable")
    stage, household, empty_nest = stage[order], household[order], empty_nest[order]
    building = building_of_household[household]
    grid = grid_of_building[building]
    n = stage.size

    def draw(trait: str, k: int, extra: np.ndarray | None = None) -> np.ndarray:
        w = np.asarray(TRAIT_WEIGHTS[trait])[stage]
        if extra is not None:
            w = w * extra
        mask = np.zeros(n, bool)
        mask[weighted_sample(rng, w, k)] = True
        return mask

    disabled = draw("disabled", round(c.disabled * n))
    has_disabled = np.bincount(household, weights=disabled, minlength=c.households) > 0
    hh_weight = np.where(has_disabled, 2.0, 1.0)  # aid is likelier where someone is disabled
    poor_households = np.zeros(c.households, bool)
    poor_households[weighted_sample(rng, hh_weight, round(c.low_income_households * c.households))] = True
    low_income = poor_households[household]
    special = draw("special", round(c.special_groups * n))
    party = draw("party_member", a.party_members_resident)
    volunteer = draw("volunteer", a.steady_volunteers, np.where(party, 3.0, 1.0))

    sociability = rng.lognormal(-0.125, 0.5, n)  # mean 1
    prone = empty_nest | disabled | special
    sociability[prone] *= 1.0 - scenario.network.isolation

    init = c.initial
    trust = _beta(rng, init.trust_neighbors, init.spread, n)
    trust_committee = _beta(rng, init.trust_committee, init.spread, n)
    belonging = _beta(rng, init.belonging, init.spread, n)
    active = volunteer | (party & (rng.random(n) < PARTY_ACTIVE_SHARE))
    extra = round(init.participation * n)
    if extra:
        active[weighted_sample(rng, np.where(active, 0.0, sociability), min(extra, int((~active).sum())))] = True

    threshold = initial_thresholds(is_core(party, volunteer, stage), scenario.parameters.participation, rng)

    return Residents(
        household=household.astype(np.int32), building=building.astype(np.int32),
        grid=grid.astype(np.int32), stage=stage, empty_nest=empty_nest, disabled=disabled,
        low_income=low_income, special=special, party_member=party, volunteer=volunteer,
        sociability=sociability, trust=trust, trust0=trust.copy(),
        trust_committee=trust_committee, belonging=belonging, belonging0=belonging.copy(),
        active=active, threshold=threshold, fatigue=np.zeros(n), resting_until=np.full(n, NEVER, np.int32),
        grievance=np.zeros(n),
        needs=np.zeros((len(NEED_TYPES), n), np.float32),
        need_known=np.zeros((len(NEED_TYPES), n), bool),
    )


def _split(total: int, parts: int) -> np.ndarray:
    """``total`` items in ``parts`` near-equal consecutive blocks (sizes)."""
    base, extra = divmod(total, parts)
    return np.array([base + (i < extra) for i in range(parts)])
