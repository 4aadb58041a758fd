"""No dead parameters: every declared parameter changes some output when moved across its range.

Every field of every mechanism's ``Params`` (simgov.dynamics), of the scenario's ``actors``,
``community`` and ``network`` sections (nested blocks included) and of every policy type is
listed here automatically (``PARAMETERS``), so a new parameter is tested as soon as it is
declared. Each is moved to a value far from its default within its declared range
(``moved``) on a small scenario (teaching-estate, 360 residents, ``WARMUP`` weeks of warm-up
and ``WEEKS`` weeks), and some column of the weekly record must differ from the run at the
defaults (cached per base). A parameter that acts only in conditions a short run does not
reach gets a longer or targeted run in ``SETUPS``, each with its reason; there is no
exemption list. Every shock type's fields are listed too, each moved with the shock striking
in week ``SHOCK_AT``.
"""

from __future__ import annotations

import functools
import types
import typing

import pytest
from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel

from simgov.dynamics import MECHANISMS
from simgov.model import CommunityModel
from simgov.policies import POLICY_TYPES
from simgov.scenario import load_scenario
from simgov.scenario.schema import Actors, Community, NetworkSpec, ResidentMix
from simgov.shocks import SHOCK_TYPES

SCENARIO = "teaching-estate"
WARMUP = 52
WEEKS = 52
#: Policy fields every policy shares, moved like any other: (start_week, end_week).
POLICY_WEEKS = {"start_week": 10, "end_week": 5}
#: When the shock under test strikes at its defaults, and where its timing is moved to.
SHOCK_AT = {"start_week": 10, "weeks": 8}
SHOCK_WEEKS = {"start_week": 30, "weeks": 30}

#: A busier estate: more disputes and needs, sunk Party members. Rules that act on what a
#: quiet 360-resident estate rarely has in a year (group disputes, escalations, capacity that
#: binds, organisations that fold or fill up) are tested here, over two years.
BUSY = (("parameters", "disputes", "neighbor_disputes_per_1000"), 80.0), \
    (("parameters", "disputes", "building_issues_per_year"), 4.0), \
    (("parameters", "needs", "incidence_scale"), 3.0), (("actors", "party_members_sunk"), 6)
#: A bigger estate (four times the residents, more groups) for the organisations' rules.
BIG = BUSY + ((("community", "residents"), 1440), (("community", "households"), 588),
              (("actors", "self_organisations"), 6), (("actors", "professional_organisations"), 2),
              (("parameters", "organisations", "founding_per_1000"), 50.0))
#: Volunteers who serve long hours, so that fatigue builds to burn-out.
STRAINED = BUSY + ((("parameters", "services", "volunteer_hours"), 20.0),
                   (("parameters", "resources", "volunteer_hours"), 20.0),  # the pool must hold those hours
                   (("parameters", "needs", "incidence_scale"), 8.0))
LONG = 52

#: Parameters that act only in conditions the default run does not reach, and the run that
#: reaches them: (extra weeks, scenario changes as (path, value) pairs, reason).
SETUPS: dict[str, tuple[int, tuple, str]] = {
    **{f"parameters.disputes.{k}": (LONG, BUSY, "acts on escalated or group disputes, rare in a quiet year")
       for k in ("resolve_group", "building_grievance_gain", "hostile_on_escalation")},
    "parameters.needs.worsening": (LONG, BUSY, "severity matters only where needs compete for capacity"),
    **{f"parameters.party_members.{k}": (0, BUSY, "the teaching estate has no sunk Party members")
       for k in ("visits_per_member", "care_hours")},
    "parameters.participation.inactive_quit": (3 * LONG, BIG + ((("actors", "volunteer_teams"), 0),),
                                               "acts on volunteers who drift away, which members of a team (who "
                                               "take part) do not: tested with no teams"),
    **{f"parameters.participation.{k}": (LONG, STRAINED, "acts on volunteers who burn out: at 1 hour a week "
                                         "of service fatigue never reaches 1")
       for k in ("burnout_hours", "recovery", "rest_weeks")},
    "parameters.services.social_worker_boost": (LONG, BUSY, "raises organisations' hours, which bind only "
                                                "when needs are many"),
    **{f"parameters.organisations.{k}": (LONG, BIG, "acts on organisations founded, folding, full or "
                                         "needed, rare in one quiet year of a small estate")
       for k in ("founding_size", "newness_hazard", "max_members", "fold_weeks",
                 "professional_hours", "renewal")},
    "parameters.organisations.newness_weeks": (3 * LONG, BIG + ((("parameters", "organisations", "min_members"), 1),),
                                               "acts on the fold hazard of young organisations, a few a year in a "
                                               "small estate, which otherwise fold for want of members first"),
    "parameters.resources.ask_below_yuan": (LONG, BUSY, "acts when the fund falls low and a donor is asked"),
    **{f"parameters.{k}": (LONG, BUSY, "acts where needs exceed what the earlier providers serve, not in a "
                           "quiet year of a small estate")
       for k in ("services.cadre_hours", "services.self_org_hours_per_member", "needs.initial_severity",
                 "performance.unmet_known_loss")},
    **{f"parameters.disputes.{k}": (LONG, BUSY, "grievance drives escalation, which a quiet year rarely has")
       for k in ("grievance_gain", "grievance_decay")},
    "policy.org_incubation.group_size": (LONG, BUSY + ((("actors", "budget_yuan_per_year"), 200_000.0),),
                                         "acts on the groups incubated, whose start grants a small estate's "
                                         "committee cannot pay once it pays its own groups' start funds"),
    "parameters.organisations.contract_weeks": (LONG, BIG, "a contract ends and is renewed within the run"),
    "parameters.organisations.tender_weeks": (LONG, BIG + ((("parameters", "organisations", "renewal"), 0.0),),
                                              "a contract ends unrenewed and its place is tendered again"),
    "policy.deliberation_platform.grievance_relief": (LONG, BUSY, "acts through grievance and escalation, which "
                                                      "a quiet year barely moves"),
    "parameters.outreach.household_spillover": (0, (), "acts through policy visits: tested with door_knocking"),
    **{f"policy.{k}": (0, BUSY, "acts on the few cases a quiet estate brings to mediation or deliberation "
                                "(multi-party and group disputes above all)")
       for k in ("deliberation_platform.relapse_factor", "deliberation_platform.source_fix",
                 "mediation.legal_agreement_gain", "mediation.legal_relapse_factor", "mediation.relapse_factor",
                 "mediation.group_deliberation", "mediation.group_cases_per_week", "mediation.group_agreement",
                 "mediation.group_hours_per_case", "mediation.group_source_fix",
                 "micro_venture_fund.dispute_source_fix")},
    **{f"policy.{k}": (0, BUSY, "acts where needs exceed the hours of those who serve, not in a quiet estate")
       for k in ("purchased_services.yuan_per_hour", "volunteer_rewards.full_effect_yuan_per_hour")},
    "policy.door_knocking.invite": (LONG, BUSY, "an invitation tips only residents near their threshold: "
                                    "tested with 80 visits a week (POLICY_VALUES)"),
    "policy.deliberation_platform.attendees_per_meeting": (3 * LONG, BUSY, "an invitation tips only residents "
                                                           "near their threshold: tested with a free meeting a "
                                                           "day (POLICY_VALUES)"),
    "policy.micro_venture_fund.selection": (LONG, BUSY, "selection matters only with more proposals than grants: "
                                            "one grant a round, many proposers (POLICY_VALUES)"),
    **{f"actors.{k}": (LONG, BUSY + ((("actors", "owners_committee"), True),),
                       "the owners' committee acts only where there is one (none by default)")
       for k in ("owners_committee_cases_per_week", "owners_committee_resolution")},
    "policy.red_property_management.source_fix": (LONG, BUSY, "acts on building issues the property side "
                                                   "settles, a few a year in a quiet estate"),
    "policy.three_party_mechanism.capacity_gain": (LONG, BUSY + ((("actors", "property_cases_per_week"), 1),
                                                                 (("parameters", "disputes",
                                                                   "building_issues_per_year"), 20.0)),
                                                   "raises the property side's capacity, which binds only when "
                                                   "issues are many or its capacity small"),
    **{f"shock.building_emergency.{k}": (0, ((("actors", "property_company"), False),),
                                         "acts while the emergency is unresolved: the estate's property company "
                                         "would settle it in a week or two")
       for k in ("weeks", "grievance_gain", "collective_action")},
    "parameters.turnover.settling": (0, ((("community", "move_out_per_year"), 0.5),),
                                     "acts on newcomers: the teaching estate has no turnover"),
    "parameters.linkage.coordination": (0, ((("policies",), (POLICY_TYPES["needs_assessment"](),)),
                                            (("parameters", "linkage", "listing"), 0.0)),
                                        "acts on needs social workers found (a needs assessment) and not yet on "
                                        "the shared list"),
    "parameters.linkage.drift": (0, ((("actors", "budget_yuan_per_year"), 0.0),),
                                 "acts when strength is off the community's level: here its upkeep goes unpaid"),
    "policy.needs_assessment.retarget_types": (0, BUSY + ((("parameters", "organisations", "renewal"), 1.0),),
                                               "retargets professional organisations; the estate's one "
                                               "contract may have ended unrenewed in the warm-up"),
}
#: Other values of the policy under test, where its parameter acts only at a higher intensity.
POLICY_VALUES = {"policy.door_knocking.invite": {"visits_per_week": 80},
                 # a meeting a day, free, so that the committee's budget does not cut the meetings held
                 "policy.deliberation_platform.attendees_per_meeting": {"meetings_per_month": 28,
                                                                         "yuan_per_meeting": 0.0},
                 "policy.micro_venture_fund.selection": {"max_projects_per_round": 1, "proposal_rate": 0.5,
                                                         "rounds_per_year": 12}}
#: Fields that describe the community for readers and the report and drive no rule.
DESCRIPTIVE = {"community.area_km2": "shown in the report's header (density); no rule reads the area"}
#: Values for fields that the generic rule (``moved``) cannot move validly.
MOVES = {"community.households": (120, "4x the households would leave households without residents"),
         "community.grids": (1, "4x the grids would leave grids without a building (4 buildings)"),
         "community.special_groups": (0.1, "the generic 0.9 is more residents than may be drawn"),
         "shock.building_emergency.size": (3, "the teaching estate has 4 buildings"),
         "shock.building_emergency.weeks": (1, "a one-week emergency ends unresolved; a longer one than the "
                                               "default is settled before it ends, as the default one is"),
         "policy.needs_assessment.households_per_round": (20, "one social worker surveys at most 80 of the 147 "
                                                          "households in a round, so only a lower number binds")}


def _bounds(info) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in info.metadata:
        lo = m.ge if isinstance(m, Ge) else m.gt if isinstance(m, Gt) else lo
        hi = m.le if isinstance(m, Le) else m.lt if isinstance(m, Lt) else hi
    return lo, hi


def _base_type(annotation):
    """The annotation without None and Annotated wrappers."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0]
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _metadata(annotation) -> list:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return list(getattr(annotation, "__metadata__", ()))


def moved(model: type[BaseModel], name: str, default) -> list:
    """Values of field ``name`` of ``model`` far from ``default`` within its declared range:
    one above it and one below it where the range allows (a cap that does not bind above
    its default binds below it), every other choice of a choice or a flag."""
    info = model.model_fields[name]
    kind = _base_type(info.annotation)
    lo, hi = _bounds(info)
    for m in _metadata(info.annotation):  # Annotated[..., Field(ge=...)] constraints
        for c in getattr(m, "metadata", ()):
            lo = c.ge if isinstance(c, Ge) else c.gt if isinstance(c, Gt) else lo
            hi = c.le if isinstance(c, Le) else c.lt if isinstance(c, Lt) else hi
    if any(isinstance(m, Gt) for m in info.metadata) and default:  # an open lower bound: a quarter
        lo = default / 4
    if typing.get_origin(kind) is typing.Literal:
        return [c for c in typing.get_args(kind) if c != default]
    if typing.get_origin(kind) is tuple:  # a tuple of choices: each choice alone
        (choice,) = typing.get_args(kind)[:1]
        return [(c,) for c in typing.get_args(choice) if (c,) != tuple(default)]
    if kind is bool:
        return [not default]
    if kind is int:
        low = int(lo or 0)
        high = 5 if default is None else default * 4 + 4
        high = min(high, int(hi)) if hi is not None else high
        down = low if default is None else max(low, default // 4 if default // 4 != default else low)
        return [v for v in dict.fromkeys((high, down)) if v != default]
    if kind is float:
        if model is ResidentMix:  # shares of one whole: move by a tenth
            return [round(default + 0.1 if default < 0.5 else default - 0.1, 6)]
        low = float(lo or 0.0)
        if hi is not None and hi <= 1.0:
            values = (hi - 0.1 * (hi - low), low + 0.02 * (hi - low))
        else:
            high = 1.0 if not default else default * 4.0
            values = (min(high, hi) if hi is not None else high, low)
        return [v for v in dict.fromkeys(values) if v != default]
    raise TypeError(f"no rule to move {model.__name__}.{name} of type {kind}")


def _scenario_fields(model: type[BaseModel], path: tuple) -> list[tuple]:
    out = []
    for name, info in model.model_fields.items():
        kind = _base_type(info.annotation)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += _scenario_fields(kind, path + (name,))
        else:
            out.append(path + (name,))
    return out


def _parameters() -> list[tuple]:
    out = [("parameters", m.NAME, f) for m in MECHANISMS for f in m.Params.model_fields]
    for section, model in (("actors", Actors), ("community", Community), ("network", NetworkSpec)):
        out += _scenario_fields(model, (section,))
    for t, cls in sorted(POLICY_TYPES.items()):
        out += [("policy", t, f) for f in cls.model_fields if f != "type"]
    for t, cls in sorted(SHOCK_TYPES.items()):
        out += [("shock", t, f) for f in cls.model_fields if f != "type"]
    return out


#: Every declared parameter, as a path: ("parameters", mechanism, field), ("actors", field),
#: ("community", "mix", field), ..., ("policy", type, field), ("shock", type, field).
PARAMETERS = _parameters()


def _replace(spec: BaseModel, path: tuple, value) -> BaseModel:
    """``spec`` with the field at ``path`` set to ``value``, validated (within its range).
    Shares that must sum to 1 (the resident mix) give the difference to the largest other."""
    head, *rest = path
    if not rest:
        data = spec.model_dump()
        if isinstance(spec, ResidentMix):
            other = max((k for k in data if k != head), key=data.get)
            data[other] += data[head] - value
        data[head] = value
        return type(spec).model_validate(data)
    return spec.model_copy(update={head: _replace(getattr(spec, head), tuple(rest), value)})


def _get(spec: BaseModel, path: tuple):
    for p in path:
        spec = getattr(spec, p)
    return spec


def _model_of(spec: BaseModel, path: tuple) -> type[BaseModel]:
    return type(_get(spec, path[:-1]))


@functools.cache
def _base_scenario():
    # No arms or targets: the policy under test runs in the scenario itself, alone.
    return load_scenario(SCENARIO).model_copy(update={"warmup_weeks": WARMUP, "policies": (), "arms": {},
                                                      "targets": ()})


def _run(scenario, weeks: int):
    model = CommunityModel(scenario, weeks=weeks)
    for _ in range(weeks):
        model.step()
    return model.timeseries()


def _with_policy(scenario, policy_type: str | None, values: dict):
    """The scenario with one policy of ``policy_type``, or with one shock (``shock:<type>``)."""
    if policy_type is None:
        return scenario
    if policy_type.startswith("shock:"):
        shock = SHOCK_TYPES[policy_type.removeprefix("shock:")](**{**SHOCK_AT, **values})
        return scenario.model_copy(update={"shocks": (shock,)})
    return scenario.model_copy(update={"policies": (POLICY_TYPES[policy_type](**values),)})


def _label(path: tuple) -> str:
    return ".".join(path)


@functools.cache
def _base_run(policy_type: str | None, weeks: int, changes: tuple, policy_values: tuple = ()):
    return _run(_with_policy(_changed(_base_scenario(), changes), policy_type, dict(policy_values)), weeks)


def _changed(scenario, changes: tuple):
    for path, value in changes:
        scenario = _replace(scenario, path, value)
    return scenario


@pytest.mark.parametrize("path", PARAMETERS, ids=_label)
def test_parameter_changes_some_output(path):
    label = _label(path)
    if label in DESCRIPTIVE:
        pytest.skip(DESCRIPTIVE[label])
    extra, changes, _reason = SETUPS.get(label, (0, (), ""))
    weeks = WEEKS + extra
    base = _changed(_base_scenario(), changes)
    policy_type = None
    if path[0] == "policy":
        _, policy_type, name = path
        cls = POLICY_TYPES[policy_type]
        values = [POLICY_WEEKS[name]] if name in POLICY_WEEKS else [MOVES[label][0]] if label in MOVES \
            else moved(cls, name, cls.model_fields[name].default)
        extra_values = POLICY_VALUES.get(label, {})
        scenarios = [_with_policy(base, policy_type, {**extra_values, name: v}) for v in values]
    elif path[0] == "shock":
        _, kind, name = path
        policy_type, cls = f"shock:{kind}", SHOCK_TYPES[kind]
        values = [MOVES[label][0]] if label in MOVES else [SHOCK_WEEKS[name]] if name in SHOCK_WEEKS \
            else moved(cls, name, cls.model_fields[name].default)
        scenarios = [_with_policy(base, policy_type, {name: v}) for v in values]
    elif path == ("parameters", "outreach", "household_spillover"):  # acts on a policy's visits
        policy_type, values = "door_knocking", [0.0]
        scenarios = [_with_policy(_replace(base, path, 0.0), policy_type, {})]
    else:
        values = [MOVES[label][0]] if label in MOVES else moved(_model_of(base, path), path[-1], _get(base, path))
        scenarios = [_replace(base, path, v) for v in values]
    before = _base_run(policy_type, weeks, changes, tuple(sorted(POLICY_VALUES.get(label, {}).items())))
    for scenario in scenarios:
        after = _run(scenario, weeks)
        if any(not before[c].equals(after[c]) for c in before.columns):
            return
    pytest.fail(f"{label} moved from its default to each of {values!r} changes no output")


def test_every_setup_names_a_declared_parameter():
    labels = {_label(p) for p in PARAMETERS}
    assert set(SETUPS) | set(DESCRIPTIVE) | set(MOVES) | set(POLICY_VALUES) <= labels
