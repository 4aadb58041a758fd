"""Test helpers read from the pydantic field declarations themselves: Hypothesis strategies,
and a check that dumped data holds every parameter of each policy.

``spec_values(cls)`` draws a value for every field of a parameter class within the type and
range the field declares (``ge``/``gt``/``le``/``lt``, ``min_length``, ``Literal`` choices,
``None`` for optional fields), so a new policy type or parameter is covered without editing
the tests. A field of a kind the builder does not know fails loudly, naming it.
"""

from __future__ import annotations

import math
import types
import typing

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from hypothesis import strategies as st
from pydantic.fields import FieldInfo

from simgov.policies import POLICY_TYPES

#: The largest value drawn for an int with no upper bound (the model's counts stay far below).
BIG_INT = 10**9


def _bounds(metadata) -> dict:
    out = {}
    for m in metadata:
        for cls, key in ((Ge, "ge"), (Gt, "gt"), (Le, "le"), (Lt, "lt"), (MinLen, "min_length"),
                         (MaxLen, "max_length")):
            if isinstance(m, cls):
                out[key] = getattr(m, key)
        if isinstance(m, FieldInfo):
            out |= _bounds(m.metadata)
    return out


def for_annotation(annotation, metadata=(), where: str = "") -> st.SearchStrategy:
    """Values of ``annotation`` within the constraints in ``metadata``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return for_annotation(args[0], (*metadata, *args[1:]), where)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(st.none() if a is type(None) else for_annotation(a, metadata, where) for a in args))
    b = _bounds(metadata)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(for_annotation(args[0], (), where), min_size=b.get("min_length", 0),
                        max_size=b.get("max_length", 5)).map(tuple)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        lo = b.get("ge", b["gt"] + 1 if "gt" in b else -BIG_INT)
        hi = b.get("le", b["lt"] - 1 if "lt" in b else BIG_INT)
        return st.integers(lo, hi)
    if annotation is float:
        lo = b.get("ge", b.get("gt", -math.inf))
        hi = b.get("le", b.get("lt", math.inf))
        # Unbounded ends may take infinity: a non-finite value must survive the round trip too.
        return st.floats(lo, hi, exclude_min="gt" in b, exclude_max="lt" in b, allow_nan=False,
                         allow_infinity=math.isinf(lo) or math.isinf(hi))
    raise TypeError(f"{where}: no strategy for a field of type {annotation!r}; teach tests/specs.py")


def spec_values(cls, skip=(), non_default: bool = False) -> st.SearchStrategy[dict]:
    """A mapping of every field of ``cls`` (but ``skip``) to a value drawn within its
    declaration; with ``non_default``, each value differs from the field's default."""
    def one(name, info):
        values = for_annotation(info.annotation, info.metadata, f"{cls.__name__}.{name}")
        return values.filter(lambda v, d=info.default: v != d) if non_default else values
    return st.fixed_dictionaries({name: one(name, info) for name, info in cls.model_fields.items()
                                  if name not in skip})


def _policies_in(data):
    """Every mapping in ``data`` (dumped data: mappings and lists) that is a policy entry."""
    if isinstance(data, dict):
        if data.get("type") in POLICY_TYPES and "start_week" in data:
            yield data
        for value in data.values():
            yield from _policies_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _policies_in(value)


def assert_whole_policies(data) -> int:
    """Every policy entry in ``data`` lists every parameter of its type; returns how many there are."""
    entries = list(_policies_in(data))
    for entry in entries:
        assert set(entry) == set(POLICY_TYPES[entry["type"]].model_fields), entry
    return len(entries)
