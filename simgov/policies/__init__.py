"""Policies: timed interventions declared in a scenario's ``policies`` lists.

A policy type is a module here that subclasses :class:`PolicyParams` with its own
parameters and registers a ``Policy`` under its type name in ``POLICY_TYPES``. The
scenario loader validates every entry against the registered type; an unknown type is an
input error that lists the allowed ones.
"""

from __future__ import annotations

from pydantic import ConfigDict, model_validator

from simgov.params import Spec, Week, field


class PolicyParams(Spec):
    """What every policy entry has: its type and the weeks in which it acts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = field(..., "policy type name, e.g. door_knocking")
    start_week: Week = field(1, "first week in which the policy acts (week 1 is the first simulated week)")
    end_week: Week | None = field(None, "last week in which the policy acts; null = to the end of the run")

    @model_validator(mode="after")
    def _weeks_in_order(self):
        if self.end_week is not None and self.end_week < self.start_week:
            raise ValueError(
                f"end_week {self.end_week} is before start_week {self.start_week}")
        return self

    def active(self, week: int) -> bool:
        return self.start_week <= week and (self.end_week is None or week <= self.end_week)


#: Policy type name -> its parameter class. Filled by the policy modules.
POLICY_TYPES: dict[str, type[PolicyParams]] = {}

__all__ = ["POLICY_TYPES", "PolicyParams"]
