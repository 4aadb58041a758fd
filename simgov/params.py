"""Typed building blocks for every declared parameter in simgov.

Scenario sections, mechanism parameters (``simgov.dynamics``) and policy parameters
(``simgov.policies``) are all pydantic models built from these pieces, so that a field's
type, range, default and description live in one place: the code that uses it. The
scenario loader validates files against them, and the docs are generated from them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Spec(BaseModel):
    """Base of every declared parameter block: immutable, unknown keys are errors, and numbers
    are finite (a .inf or .nan rate, budget or count would run, and fill the outputs with them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)


# Numbers are strict: YAML already types them, so a quoted "52" is a mistake worth reporting.
Count = Annotated[int, Field(ge=0, strict=True)]
PositiveInt = Annotated[int, Field(ge=1, strict=True)]
Share = Annotated[float, Field(ge=0.0, le=1.0, strict=True)]
NonNegFloat = Annotated[float, Field(ge=0.0, strict=True)]
PositiveFloat = Annotated[float, Field(gt=0.0, strict=True)]
#: A simulated week: week 1 is the first (week 0 is the start, before any step).
Week = Annotated[int, Field(ge=1, le=100_000, strict=True)]


def bounds(info) -> dict[str, float]:
    """A field's declared range as ``{"ge"|"gt"|"le"|"lt": value}``, from its own constraints
    and those of an ``Annotated`` type inside an optional one (``Count | None``)."""
    import typing

    found: dict[str, float] = {}
    metas = list(info.metadata) + [m for arg in typing.get_args(info.annotation)
                                   for m in getattr(arg, "__metadata__", ())]
    for meta in metas:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                found[key] = getattr(meta, key)
    return found


def field(default, description: str, source: str = "", prior: dict | None = None, **constraints):
    """A parameter with its default, a one-line description and where the default comes from.

    ``source`` names a seed file (e.g. ``000_7daf66d9d10e5243.txt``) or a study (author, year);
    it is kept in the schema so that generated docs can cite it. ``prior`` is how uncertain
    the parameter is, with its reason (``simgov.uncertainty.priors.beta(...)`` and its
    siblings); an assumed number without one gets the default rule stated there.
    """
    extra = {k: v for k, v in (("source", source), ("prior", prior)) if v}
    return Field(default, description=description, json_schema_extra=extra or None, **constraints)


def registered(registry: dict[str, type[BaseModel]], what: str):
    """A validator (pydantic ``BeforeValidator``) that reads a mapping as the class registered
    under its ``type`` in ``registry`` (policy types, shock types); an unknown type is refused
    with the allowed ones."""
    def read(value: Any) -> Any:
        if not isinstance(value, dict):
            return value  # an instance (kept as it is), or a wrong type pydantic reports
        cls = registry.get(value.get("type"))
        if cls is None:
            raise ValueError(f"unknown {what} type {value.get('type')!r}; allowed: {', '.join(registry)}")
        return cls.model_validate(value)
    return read


def registrar(registry: dict[str, type[BaseModel]], what: str):
    """A class decorator that makes a type (a policy, a shock) known to scenario files under
    its ``type`` field's default, in ``registry``; a missing or repeated name is refused."""
    def register(cls):
        name = cls.model_fields["type"].default
        if not isinstance(name, str) or name in registry:
            raise ValueError(f"{what} class {cls.__name__} needs a new, unique default 'type'")
        registry[name] = cls
        return cls
    register.__doc__ = f"Class decorator: make a {what} type known to scenario files under its ``type`` name."
    return register
