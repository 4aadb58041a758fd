"""Paths into a scenario and values set at them: the path language of sweeps and of
``Scenario.with_values``.

A path is either a scenario field, dotted (``community.initial.trust_neighbors``,
``actors.social_workers``, ``network.hostile_tie_share``, ``parameters.disputes.escalate_multi_party``),
or a policy parameter, ``policies.TYPE.PARAMETER`` (``policies.TYPE.K.PARAMETER`` for the K-th
policy of that type, counting from 0, when the base runs several). Values are cast to the
field's type: whole-number fields take the nearest whole number, so designs stay on valid
values, and the applied (rounded) value is what the runs table records. Every result is
validated like a scenario file: a value out of range, or an invalid combination, is an
``InputError`` naming the path.

``with_values(scenario, values)`` is the public form: a policy path that the scenario's common
policies do not run goes to every arm that runs that policy type (B community's
door-knocking is an arm, so ``policies.door_knocking.visits_per_week`` sets the arm's visits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from simgov.errors import InputError, Problem, allowed, did_you_mean
from simgov.scenario.loader import check
from simgov.scenario.schema import Scenario

#: Scenario fields that a sweep may not vary (identity, or set by the experiment itself).
FIXED = ("name", "title", "description", "sources", "extends", "seed", "replicates", "weeks", "arms")


@dataclass(frozen=True)
class Target:
    """A resolved factor path."""

    path: str
    keys: tuple  # field keys from the scenario; for a policy: ("policies", index in the policy list, param)
    kind: str  # "int", "float" or "bool"
    base: Any  # the value in the base scenario

    @property
    def is_policy(self) -> bool:
        return self.keys[0] == "policies"

    def cast(self, value):
        """``value`` as this field takes it (whole-number fields: the nearest whole number)."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError(f"{self.path} is true or false, not {value!r}")
        if isinstance(value, bool):
            raise ValueError(f"{self.path} is a number, not {value!r}")
        return int(round(float(value))) if self.kind == "int" else float(value)


def _kind(value) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return None


def _fields(obj) -> list[str]:
    return list(type(obj).model_fields) if isinstance(obj, BaseModel) else []


def resolve(base: Scenario, path: str) -> Target:
    """The target of ``path`` in ``base``; a ValueError says what is wrong and what is allowed."""
    parts = path.split(".")
    if parts[0] == "policies":
        return _resolve_policy(base, path, parts[1:])
    if parts[0] in FIXED:
        raise ValueError(f"'{parts[0]}' cannot be swept (it is set by the experiment or names the scenario)")
    obj, keys = base, []
    for part in parts:
        names = _fields(obj)
        if part not in names:
            where = ".".join(keys) or "the scenario"
            choices = [n for n in names if n not in FIXED] if obj is base else names
            if not names:
                raise ValueError(f"'{where}' is a value, it has no field '{part}'")
            raise ValueError(f"no field '{part}' in {where}{did_you_mean(part, choices)}; "
                             f"allowed: {allowed(choices + (['policies'] if obj is base else []))}")
        obj = getattr(obj, part)
        keys.append(part)
    kind = _kind(obj)
    if kind is None:
        raise ValueError(f"'{path}' is {'a block of fields' if isinstance(obj, BaseModel) else 'not a number'}; "
                         f"a factor needs a number or true/false"
                         + (f" (fields here: {allowed(_fields(obj))})" if isinstance(obj, BaseModel) else ""))
    return Target(path, tuple(keys), kind, obj)


def _resolve_policy(base: Scenario, path: str, rest: list[str]) -> Target:
    present = sorted({p.type for p in base.policies})
    if not rest:
        raise ValueError("give policies.TYPE.PARAMETER")
    kind_name, rest = rest[0], rest[1:]
    mine = [i for i, p in enumerate(base.policies) if p.type == kind_name]
    if not mine:
        raise ValueError(f"the base runs no '{kind_name}' policy{did_you_mean(kind_name, present)}; it runs: "
                         f"{allowed(present)}. Add one under 'policies:' in the experiment (or choose an arm "
                         "that has it) to sweep its parameters")
    k = 0
    if rest and rest[0].isdigit():
        k, rest = int(rest[0]), rest[1:]
        if k >= len(mine):
            raise ValueError(f"the base runs {len(mine)} '{kind_name}' policies (0 to {len(mine) - 1}), not {k + 1}")
    elif len(mine) > 1:
        raise ValueError(f"the base runs {len(mine)} '{kind_name}' policies; say which, e.g. "
                         f"policies.{kind_name}.0.{rest[0] if rest else 'PARAMETER'}")
    policy = base.policies[mine[k]]
    params = [n for n in _fields(policy) if n != "type"]
    if len(rest) != 1 or rest[0] not in params:
        name = rest[0] if rest else ""
        raise ValueError(f"'{kind_name}' has no parameter '{name}'{did_you_mean(name, params)}; "
                         f"allowed: {allowed(params)}")
    value = getattr(policy, rest[0])
    kind = _kind(value)
    if kind is None:
        raise ValueError(f"'{path}' is not a number or true/false (it is {value!r})")
    return Target(path, ("policies", mine[k], rest[0]), kind, value)


def _set(data: dict, keys: tuple, value) -> None:
    for key in keys[:-1]:
        data = data[key]
    data[keys[-1]] = value


def apply(base: Scenario, targets: tuple[Target, ...], values) -> Scenario:
    """``base`` with each target set to its value, validated like a scenario file.

    An invalid combination (say, more households than residents) raises ``InputError``.
    """
    policies = list(base.policies)
    fields: dict[tuple, Any] = {}
    for target, value in zip(targets, values, strict=True):
        value = target.cast(value)
        if target.is_policy:
            _, index, param = target.keys
            p = policies[index]
            try:
                policies[index] = type(p).model_validate({**p.model_dump(), param: value})
            except ValidationError as exc:
                raise InputError(_problems(exc, target)) from None
        else:
            fields[target.keys] = value
    try:
        if fields:
            data = base.model_dump(exclude={"policies"})
            for keys, value in fields.items():
                _set(data, keys, value)
            scenario = Scenario.model_validate({**data, "policies": tuple(policies)})
        else:
            scenario = base.model_copy(update={"policies": tuple(policies)})
    except ValidationError as exc:
        raise InputError(_problems(exc, None)) from None
    check(scenario, top=None)
    return scenario


def _problems(exc: ValidationError, target: Target | None) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        where = target.path if target else ".".join(str(p) for p in err["loc"])
        out.append(Problem(f"{err['msg']} (got {err.get('input')!r})", path=where))
    return out


def with_values(scenario: Scenario, values: dict[str, Any]) -> Scenario:
    """``scenario`` with each path of ``values`` set, validated; see the module's docstring.

    A policy path the common policies do not run is applied in every arm that runs that type;
    a path nothing runs, an unknown field or a value out of range raises ``InputError``."""
    common, by_arm, problems = [], {}, []
    for path, value in values.items():
        parts = path.split(".")
        runs_common = parts[0] != "policies" or len(parts) < 2 or any(p.type == parts[1] for p in scenario.policies)
        arms = [a for a, spec in scenario.arms.items() if any(p.type == parts[1] for p in spec.policies)] \
            if not runs_common else []
        if runs_common or not arms:
            try:
                common.append((resolve(scenario, path), value))
            except ValueError as exc:
                problems.append(Problem(str(exc), path=path))
            continue
        for arm in arms:
            spec = scenario.arms[arm]
            try:
                by_arm.setdefault(arm, []).append((resolve(scenario.model_copy(update={"policies": spec.policies}),
                                                           path), value))
            except ValueError as exc:
                problems.append(Problem(f"in arm '{arm}': {exc}", path=path))
    if problems:
        raise InputError(problems)
    out = apply(scenario, tuple(t for t, _ in common), [v for _, v in common]) if common else scenario
    if by_arm:
        arms = dict(out.arms)
        for arm, pairs in by_arm.items():
            policies = _set_policies(arms[arm].policies, pairs)
            arms[arm] = arms[arm].model_copy(update={"policies": policies})
        out = out.model_copy(update={"arms": arms})
        check(out, top=None)
    return out


def _set_policies(policies, pairs) -> tuple:
    policies = list(policies)
    for target, value in pairs:
        _, index, param = target.keys
        p = policies[index]
        try:
            policies[index] = type(p).model_validate({**p.model_dump(), param: target.cast(value)})
        except (ValidationError, ValueError) as exc:
            raise InputError(_problems(exc, target) if isinstance(exc, ValidationError)
                             else [Problem(str(exc), path=target.path)]) from None
    return tuple(policies)
