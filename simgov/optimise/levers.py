"""The optimiser's search space: which policies, their main levers, and when they start.

In practice: an analyst with a yearly budget chooses which programmes to run, how much of each
(visits a week, cases a week, a fund's size) and when to start them; the rest of a policy's
parameters describe how it works (its effect sizes, hours per case), which are not the
analyst's to choose and stay at the scenario's values.

Rule: a candidate mix has, for each policy type searched, an on/off switch, a start week
(whole weeks from 1 to ``start_weeks_max(weeks)``: half the run, so a policy started late still
acts for the final year the objectives are measured on when the run is two years or longer),
and the values of its levers below. A lever is a whole number, a real number or one of a
policy's named choices, as its field is declared. Its search range is written here with its
reason: twice the policy's default unless a source or the sweep examples
(experiments/b-community-sobol.yaml) give one, and never beyond the field's declared range
(simgov.params.bounds; tests/test_optimise.py checks each).

Sources: the defaults' sources in each policy module (simgov/policies/); the levers are those
the sweep examples vary and, for the other types, the parameter that sets the programme's size.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass

from simgov.errors import InputError, Problem, allowed, did_you_mean
from simgov.params import bounds
from simgov.policies import POLICY_TYPES


@dataclass(frozen=True)
class Lever:
    """One searched parameter: its policy type, name, range (or choices) and why that range."""

    policy: str
    name: str
    low: float | None = None
    high: float | None = None
    why: str = ""
    choices: tuple[str, ...] | None = None

    @property
    def kind(self) -> str:
        """``int``, ``float`` or ``choice``, from the field's declaration."""
        if self.choices is not None:
            return "choice"
        return "int" if isinstance(POLICY_TYPES[self.policy].model_fields[self.name].default, int) else "float"


def _choices(policy: str, name: str) -> tuple[str, ...]:
    return tuple(typing.get_args(POLICY_TYPES[policy].model_fields[name].annotation))


#: policy type -> its main levers. Highs are twice the default unless the reason says otherwise.
LEVERS: dict[str, tuple[Lever, ...]] = {
    "door_knocking": (
        Lever("door_knocking", "visits_per_week", 0, 70, "b-community-sobol: up to ~6x B community's 12 a week (000)"),
        Lever("door_knocking", "priority", choices=_choices("door_knocking", "priority"),
              why="every declared choice"),
    ),
    "mediation": (
        Lever("mediation", "cases_per_week", 0, 6, "b-community-sobol: twice the assumed 3 a week (000: 90+ a year)"),
        Lever("mediation", "group_cases_per_week", 0, 4, "b-community-sobol: twice the assumed 2 a week"),
    ),
    "micro_venture_fund": (
        Lever("micro_venture_fund", "budget_yuan", 0, 200_000, "b-community-sobol: twice the assumed 100,000"),
        Lever("micro_venture_fund", "selection", choices=_choices("micro_venture_fund", "selection"),
              why="every declared choice"),
    ),
    "volunteer_pairing": (
        Lever("volunteer_pairing", "pairs", 0, 200, "four times the assumed 50 (001: 1,500+ pairs in a whole "
              "street, Baibuting)"),
    ),
    "needs_assessment": (
        Lever("needs_assessment", "households_per_round", 0, 1000, "twice the 500 a round (000: 1,500 in three years)"),
        Lever("needs_assessment", "every_weeks", 13, 104, "a round every quarter to every two years (000: yearly)"),
    ),
    "org_incubation": (
        Lever("org_incubation", "groups_per_year", 0, 10, "twice the assumed 5 (004: 10 incubated)"),
    ),
    "purchased_services": (
        Lever("purchased_services", "budget_yuan_per_year", 0, 160_000, "twice the assumed 80,000"),
    ),
    "social_enterprise": (
        Lever("social_enterprise", "staff", 0, 40, "twice 004's 20 property staff"),
    ),
    "deliberation_platform": (
        Lever("deliberation_platform", "meetings_per_month", 0, 4, "up to weekly meetings (assumed 2 a month)"),
        Lever("deliberation_platform", "cases_per_meeting", 0, 4, "twice the assumed 2"),
    ),
    "grid_management": (
        Lever("grid_management", "workers_per_grid", 0, 2, "twice the assumed 1 (000: a grid chief per grid)"),
    ),
    "employment_priority": (
        Lever("employment_priority", "jobs_per_year", 0, 34, "twice 000's about 17 a year"),
    ),
    "volunteer_rewards": (
        Lever("volunteer_rewards", "yuan_per_hour", 0, 20, "b-community-sobol: twice the assumed 10 yuan an hour"),
        Lever("volunteer_rewards", "budget_yuan_per_year", 0, 100_000, "twice the assumed 50,000"),
    ),
    "mutual_aid_day": (
        Lever("mutual_aid_day", "every_weeks", 1, 13, "weekly to quarterly (000: monthly)"),
    ),
    "three_party_mechanism": (
        Lever("three_party_mechanism", "meeting_hours", 0, 8, "twice the assumed 4 staff hours a week (001: the "
              "four-party platform meets monthly)"),
    ),
    "red_property_management": (
        Lever("red_property_management", "social_worker_hours", 0, 12, "twice the assumed 6 social-worker hours "
              "a week (003: O community)"),
    ),
    "linkage_platform": (
        Lever("linkage_platform", "target", 0, 1, "the whole range of linkage strength"),
        Lever("linkage_platform", "build_rate", 0.01, 0.2, "from years to a few months to build (assumed 0.05 a "
              "week: about 14 weeks to halve the gap)"),
    ),
}


def start_weeks_max(weeks: int) -> int:
    """The latest start week searched: half the run (at least week 1)."""
    return max(1, weeks // 2)


def check_levers() -> list[str]:
    """Problems with LEVERS: a type or field that does not exist, or a range beyond the declared one."""
    out = []
    for policy, levers in LEVERS.items():
        if policy not in POLICY_TYPES:
            out.append(f"{policy}: no such policy type")
            continue
        for lever in levers:
            info = POLICY_TYPES[policy].model_fields.get(lever.name)
            if info is None:
                out.append(f"{policy}.{lever.name}: no such parameter")
                continue
            if lever.choices is not None:
                continue
            b = bounds(info)
            lo, hi = b.get("ge", b.get("gt", float("-inf"))), b.get("le", b.get("lt", float("inf")))
            if not (lo <= lever.low < lever.high <= hi) or ("gt" in b and lever.low <= b["gt"]):
                out.append(f"{policy}.{lever.name}: search range [{lever.low}, {lever.high}] is outside its "
                           f"declared range {b}")
    return out


def searched_policies(names: list[str] | None) -> list[str]:
    """The policy types to search (default: every type with levers), checked."""
    if names is None:
        return list(LEVERS)
    unknown = [n for n in names if n not in LEVERS]
    if unknown:
        raise InputError(Problem(f"unknown policy type '{unknown[0]}'{did_you_mean(unknown[0], LEVERS)}; "
                                 f"allowed: {allowed(LEVERS)}", path="--policies"))
    if len(set(names)) != len(names) or not names:
        raise InputError(Problem("give each policy type once, and at least one", path="--policies"))
    return list(names)


def variables(policies: list[str], weeks: int) -> dict[str, tuple]:
    """The search variables: name -> (kind, low, high) or ("choice", choices); names are
    ``TYPE.on``, ``TYPE.start_week`` and ``TYPE.LEVER``."""
    out: dict[str, tuple] = {}
    for policy in policies:
        out[f"{policy}.on"] = ("bool",)
        out[f"{policy}.start_week"] = ("int", 1, start_weeks_max(weeks))
        for lever in LEVERS[policy]:
            out[f"{policy}.{lever.name}"] = ("choice", lever.choices) if lever.kind == "choice" \
                else (lever.kind, lever.low, lever.high)
    return out


def mix_of(values: dict, policies: list[str]) -> tuple[dict, ...]:
    """The policy entries a candidate's values switch on (type, start week, levers), in catalogue order.
    Levers of switched-off policies are dropped, so candidates differing only there are one mix."""
    mix = []
    for policy in policies:
        if not bool(values[f"{policy}.on"]):
            continue
        entry = {"type": policy, "start_week": int(values[f"{policy}.start_week"])}
        for lever in LEVERS[policy]:
            v = values[f"{policy}.{lever.name}"]
            entry[lever.name] = str(v) if lever.kind == "choice" else int(round(float(v))) if lever.kind == "int" \
                else round(float(v), 6)
        mix.append(entry)
    return tuple(mix)


def mix_name(mix: tuple[dict, ...]) -> str:
    """A short readable name: the policy types joined by '+', or 'nothing'."""
    return "+".join(p["type"] for p in mix) or "nothing"
