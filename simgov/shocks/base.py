"""What every shock type shares: its timing, its hook into the week, the registry.

A shock is a timed event that happens to the community, not a programme anyone chooses: an
epidemic lockdown, a flood or a failed lift. A scenario (or an arm) lists them under
``shocks``; each entry has a ``type``, a ``start_week``, a length in ``weeks`` and a ``size``
whose meaning its type states, and is a pydantic model validated from the file.

The model calls ``act(state, memory, rng)`` in every week in which the shock is on, after the
week's pools are refilled and before any policy acts: an emergency takes hours before planned
programmes do (simgov.community.ledger, order of priority). ``memory`` is a dict the shock
keeps from week to week; ``rng`` is its own keyed stream ``shock:<type>:<k>``
(simgov.streams), so a shock draws nothing from, and shifts no draw of, any mechanism or
policy: a run with a shock is the run without it, number for number, until its start week.
Shocks act only in simulated weeks (week 1 on), never in the warm-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import BeforeValidator, ConfigDict, Field, SerializeAsAny

from simgov.params import Spec, Week, field, registered, registrar
from simgov.streams import KeyedStream

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

#: Longest shock, in weeks (the longest run).
MAX_SHOCK_WEEKS = 5200


class ShockParams(Spec):
    """What every shock entry has: its type, when it starts, how long it lasts, how big it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: What ``size`` measures, for the docs (each type says).
    SIZE_MEANS: ClassVar[str] = ""

    type: str = field(..., "shock type name, e.g. epidemic_lockdown")
    start_week: Week = field(1, "first week of the shock (week 1 is the first simulated week)")
    weeks: Annotated[int, Field(ge=1, le=MAX_SHOCK_WEEKS, strict=True)] = field(
        8, "how many weeks the shock lasts")

    @property
    def end_week(self) -> int:
        """The shock's last week."""
        return self.start_week + self.weeks - 1

    def active(self, week: int) -> bool:
        return self.start_week <= week <= self.end_week

    @property
    def category(self) -> str:
        """The ledger category its hours are booked under."""
        return f"shock:{self.type}"

    def act(self, state: CommunityState, memory: dict, rng: KeyedStream) -> None:
        """In each week of the shock, before policies and mechanisms."""


#: Shock type name -> its parameter class. Filled by ``register``.
SHOCK_TYPES: dict[str, type[ShockParams]] = {}


#: Class decorator: make a shock type known to scenario files under its ``type`` name.
register = registrar(SHOCK_TYPES, "shock")


#: The type of a shock field: a mapping is read as the class registered under its ``type``,
#: and every parameter of that class is dumped (as ``AnyPolicy`` does for policies).
AnyShock = Annotated[SerializeAsAny[ShockParams], BeforeValidator(registered(SHOCK_TYPES, "shock"))]
