"""What every policy type shares: timing, cost booking, the registry.

A policy type is a pydantic model (its parameters, validated from the scenario file) with
two hooks the model calls in every week in which the policy is active:

- ``act(state, memory, rng)`` before the mechanisms: set this week's levers
  (``state.levers``), or add events (a funding round, a survey), and book costs;
- ``settle(state, memory, rng)`` after them: book costs that depend on what happened
  (cases actually mediated, hours actually served).

``memory`` is a dict the policy keeps from week to week (money left in a fund, the pairs
it made); ``rng`` is the policy's own keyed stream (``simgov.streams.KeyedStream``): each
draw is keyed by the entity it concerns (a resident, a household), the week and a slot
naming the event, so that adding a policy never shifts the draws of the mechanisms or of
another policy, and an entity's draw is the same whatever was drawn before it.

Costs are booked in the ledger under ``policy:<type>``: yuan (with who pays) and hours
(paid staff, or volunteers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import numpy as np
from pydantic import BeforeValidator, ConfigDict, SerializeAsAny, model_validator

from simgov.community.ledger import PAYERS as LEDGER_PAYERS
from simgov.params import Spec, Week, field, registered, registrar
from simgov.streams import KeyedStream

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

#: Who pays a policy's money: the ledger's payers (re-exported for the policies' fields).
PAYERS = LEDGER_PAYERS
#: A paid worker's week, in hours.
WORK_WEEK_HOURS = 40.0


class PolicyParams(Spec):
    """What every policy entry has: its type and the weeks in which it acts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: True if two policies of this type may run in the same weeks (their capacities add up).
    ADDITIVE: ClassVar[bool] = True
    #: Why two overlapping policies of this type are refused (when not ADDITIVE).
    NOT_ADDITIVE_BECAUSE: ClassVar[str] = ""

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

    def overlaps(self, other: PolicyParams) -> bool:
        end = self.end_week if self.end_week is not None else np.inf
        other_end = other.end_week if other.end_week is not None else np.inf
        return self.start_week <= other_end and other.start_week <= end

    @property
    def category(self) -> str:
        """The ledger category its costs are booked under."""
        return f"policy:{self.type}"

    def act(self, state: CommunityState, memory: dict, rng: KeyedStream) -> None:
        """Before the week's mechanisms: set levers, add events, book costs."""

    def settle(self, state: CommunityState, memory: dict, rng: KeyedStream) -> None:
        """After the week's mechanisms: book the costs of what was done."""

    def spend(self, state: CommunityState, yuan: float, payer: str = "committee") -> None:
        state.ledger.spend(self.category, yuan, payer)

    def work(self, state: CommunityState, hours: float, who: str = "staff") -> None:
        state.ledger.work(self.category, hours, who)


#: Policy type name -> its parameter class. Filled by ``register``.
POLICY_TYPES: dict[str, type[PolicyParams]] = {}


#: Class decorator: make a policy type known to scenario files under its ``type`` name.
register = registrar(POLICY_TYPES, "policy")


#: The type of a policy field: it loads a mapping as the class registered under its
#: ``type`` and dumps every parameter of that class. Typed as plain ``PolicyParams``,
#: pydantic would dump only ``type``, ``start_week`` and ``end_week`` and refuse the rest
#: on loading. A dispatch on the registry (rather than a discriminated union over the 13
#: classes) keeps ``POLICY_TYPES`` the one list of policy types, covers a type registered
#: after the scenario schema was built, and leaves the schema and its generated docs as
#: they were.
AnyPolicy = Annotated[SerializeAsAny[PolicyParams], BeforeValidator(registered(POLICY_TYPES, "policy"))]


def conflicts(policies) -> list[tuple[int, int, str]]:
    """(i, j, reason) for each pair of same-type policies that may not run in the same weeks."""
    out = []
    for j, b in enumerate(policies):
        for i in range(j):
            a = policies[i]
            if a.type == b.type and not type(a).ADDITIVE and a.overlaps(b):
                out.append((i, j, type(a).NOT_ADDITIVE_BECAUSE))
    return out


def cycle_week(week: int, start_week: int, every: int) -> bool:
    """True in the first week of each ``every``-week cycle counted from ``start_week``."""
    return every > 0 and (week - start_week) % every == 0
