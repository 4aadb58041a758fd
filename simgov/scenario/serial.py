"""The one way a scenario, an arm, a policy or a parameter block is written out and read back.

``show``, the run and compare manifests, the sweep manifest (and its fingerprint) and so the
report all write through ``dump``, so what they record loads back equal, every parameter of
every policy included (policy fields are typed ``AnyPolicy``: see ``simgov.policies.base``).

Encoding of numbers that are not finite (``.inf`` as a target's upper bound, an unbounded
parameter): YAML writes them as YAML 1.1's ``.inf``, ``-.inf`` and ``.nan``; JSON writes them
as the tokens ``Infinity``, ``-Infinity`` and ``NaN``, as Python's ``json`` module does by
default (``allow_nan``) and as ``json.loads``, pydantic's JSON parser and pandas read them.
These tokens are not in RFC 8259 (JavaScript's ``JSON.parse`` refuses them). Strings such as
``"Infinity"`` would be standard JSON, but the schema's numbers are strict (a quoted number in
a scenario file is an error worth reporting), so they would not load back as numbers without
a decoder that knows which fields are numbers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from simgov.errors import InputError, Problem
from simgov.policies import AnyPolicy, PolicyParams
from simgov.scenario.loader import Reporter, validate
from simgov.scenario.schema import Scenario


def dump(spec: BaseModel) -> dict:
    """A scenario, arm, policy or parameter block as plain data (mappings, lists, strings,
    numbers, null), every field and default written out; non-finite numbers stay floats."""
    return spec.model_dump(mode="json")


def to_yaml(spec: BaseModel) -> str:
    return yaml.safe_dump(dump(spec), allow_unicode=True, sort_keys=False)


def to_json(data: BaseModel | dict, indent: int | None = 2) -> str:
    """``data`` (a block, or a mapping such as a manifest that holds dumped blocks) as JSON text."""
    if isinstance(data, BaseModel):
        data = dump(data)
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=True)


def load(data: Any, kind: type = Scenario, source: str | Path = "<data>") -> Any:
    """``dump``'s data read back as ``kind``: a Scenario (validated like a file, its checks
    across fields included), a policy (``PolicyParams``: read as the class registered under its
    ``type``), or any other block class; problems are input errors naming ``source`` and the field."""
    if kind is Scenario:
        if not isinstance(data, dict):
            raise InputError(Problem(f"a scenario is a mapping, not a {type(data).__name__}", Path(source)))
        return validate(data, {}, Path(source))
    try:
        return TypeAdapter(AnyPolicy if kind is PolicyParams else kind).validate_python(data)
    except ValidationError as exc:
        rep = Reporter(Path(source), {})
        rep.add_pydantic(exc, (), kind)
        rep.raise_if_any()
        raise


def from_yaml(text: str, kind: type = Scenario, source: str | Path = "<yaml>") -> Any:
    return load(yaml.safe_load(text), kind, source)


def from_json(text: str, kind: type = Scenario, source: str | Path = "<json>") -> Any:
    return load(json.loads(text), kind, source)
