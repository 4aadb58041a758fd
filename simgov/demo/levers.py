"""The policy panel: one switch and one main slider per policy type, and the policies they make.

Each lever names the parameter a class moves (door-knocking's visits a week, mediation's
capacity, the fund's budget ...) and its slider's range, scaled to the community where a
fixed range would not fit all sizes. Every other parameter of a policy comes from the
scenario's arm that has that policy (the teaching estate's arms are sized for it), else from
the policy type's defaults. A policy switched on or changed mid-run starts in the next week
simulated (``start_week``), so that its rounds and cycles count from then.
"""

from __future__ import annotations

from dataclasses import dataclass

from simgov.errors import InputError, Problem, allowed, did_you_mean
from simgov.policies import POLICY_TYPES, PolicyParams
from simgov.scenario import Scenario, bundled_names, load_scenario

#: Scenarios with more residents than this are too big to draw every resident in class.
MAX_DEMO_RESIDENTS = 2000
DEFAULT_SCENARIO = "teaching-estate"
#: How ``simgov demo --scenario`` tells the app (served by Solara in the same process) what to show.
SCENARIO_ENV = "SIMGOV_DEMO_SCENARIO"


@dataclass(frozen=True)
class Lever:
    """A policy type's slider: ``param`` from ``lo`` to ``hi`` in steps of ``step``; ``hi_per_household``
    (if set) raises ``hi`` to that many times the community's households."""

    type: str
    param: str
    lo: float
    hi: float
    step: float
    hi_per_household: float = 0.0

    def range(self, scenario: Scenario) -> tuple[float, float, float]:
        hi = max(self.hi, round(self.hi_per_household * scenario.community.households))
        return self.lo, hi, self.step

    @property
    def is_float(self) -> bool:
        return POLICY_TYPES[self.type].model_fields[self.param].annotation is float


LEVERS = (
    Lever("door_knocking", "visits_per_week", 0, 20, 1, hi_per_household=0.5),
    Lever("mediation", "cases_per_week", 0, 10, 1),
    Lever("micro_venture_fund", "budget_yuan", 0, 100_000, 2_000),
    Lever("volunteer_pairing", "pairs", 0, 20, 1, hi_per_household=0.5),
    Lever("needs_assessment", "households_per_round", 0, 50, 5, hi_per_household=1.0),
    Lever("org_incubation", "groups_per_year", 0, 12, 1),
    Lever("purchased_services", "budget_yuan_per_year", 0, 100_000, 5_000),
    Lever("social_enterprise", "staff", 0, 20, 1),
    Lever("deliberation_platform", "meetings_per_month", 0, 8, 1),
    Lever("grid_management", "workers_per_grid", 0, 3, 0.5),
    Lever("employment_priority", "jobs_per_year", 0, 30, 1),
    Lever("volunteer_rewards", "yuan_per_hour", 0, 30, 1),
    Lever("mutual_aid_day", "every_weeks", 1, 12, 1),
    Lever("three_party_mechanism", "meeting_hours", 0, 20, 1),
    Lever("red_property_management", "social_worker_hours", 0, 20, 1),
    Lever("linkage_platform", "target", 0, 1, 0.1),
)
LEVER = {lever.type: lever for lever in LEVERS}


@dataclass(frozen=True)
class Setting:
    """One policy's state on the panel: switched on or off, and its main parameter's value."""

    on: bool
    value: float


def small_scenarios(limit: int = MAX_DEMO_RESIDENTS) -> list[str]:
    """Bundled scenarios with at most ``limit`` residents (every resident can be drawn)."""
    return [name for name in bundled_names() if load_scenario(name).community.residents <= limit]


def demo_scenario(name: str) -> Scenario:
    """The bundled scenario ``name`` if the demo can show it, else an input error naming the allowed ones."""
    small = small_scenarios()
    if name in small:
        return load_scenario(name)
    if name in bundled_names():
        why = (f"has {load_scenario(name).community.residents:,} residents, too many to draw in class "
               f"(at most {MAX_DEMO_RESIDENTS:,})")
    else:
        why = f"is not a bundled scenario{did_you_mean(name, small)}"
    raise InputError(Problem(f"'{name}' {why}; allowed: {allowed(small)}", path="--scenario"))


def arm_parameters(scenario: Scenario, policy_type: str) -> dict:
    """The parameters the scenario gives this policy type (its first arm or baseline policy
    of that type), without its timing; {} if it has none."""
    for policy in (*scenario.policies, *(p for arm in scenario.arms.values() for p in arm.policies)):
        if policy.type == policy_type:
            return policy.model_dump(exclude={"type", "start_week", "end_week"})
    return {}


def default_settings(scenario: Scenario, policies=()) -> dict[str, Setting]:
    """The panel at start: a policy is on if it is among ``policies``; its value is that policy's,
    else the scenario's arm's, else the type's default, kept within the slider's range."""
    running = {p.type: p for p in policies}
    settings = {}
    for lever in LEVERS:
        lo, hi, _ = lever.range(scenario)
        source = running.get(lever.type)
        value = (getattr(source, lever.param) if source is not None else
                 arm_parameters(scenario, lever.type).get(lever.param,
                                                          POLICY_TYPES[lever.type].model_fields[lever.param].default))
        settings[lever.type] = Setting(source is not None, float(min(max(value, lo), hi)))
    return settings


def make_policy(scenario: Scenario, policy_type: str, value: float, start_week: int) -> PolicyParams:
    """A policy of ``policy_type`` with its main parameter at ``value``, acting from ``start_week``."""
    lever = LEVER[policy_type]
    params = arm_parameters(scenario, policy_type)
    params[lever.param] = float(value) if lever.is_float else int(round(value))
    return POLICY_TYPES[policy_type](type=policy_type, start_week=start_week, **params)
