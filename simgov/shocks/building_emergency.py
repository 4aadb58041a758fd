"""Building emergency (a flood, a failed lift): a building-wide issue that needs collective action.

In practice: A flooded basement or stairwell, or a lift that fails in a high-rise of elderly
residents, hits a whole building at once: homes need repair, people are stuck, and who should
fix it (the property company, the owners, the committee) is a question that can turn into a
group dispute (001: property-management disputes are multi-party; elevator works need the
owners of a stairwell to agree, Tianning). It is settled by the property side or by the
residents organising themselves, with volunteers (001, 003).

Rule (``size`` is the number of buildings hit, at most the community's buildings):

1. Onset (the start week). The ``size`` buildings with the lowest keyed draws (by building)
   are hit. In each, a share ``affected_share`` of residents (each a keyed draw) gets a housing
   and property need of severity ``need_severity`` (raised to it if they had a lesser one); the
   emergency is in plain view, so those needs are known at once. Every resident of a hit
   building gains ``grievance`` of the room left in grievance.
2. Each week of the shock, each hit building whose issue is unresolved: the property side
   settles it with its weekly chance (simgov.dynamics.property_side.settle_chance: the
   property company, else the owners' committee, raised by the three-party mechanism or red
   property management), or the residents settle it by collective action with
   ``collective_action`` times the share of the building's residents who take part in
   community life or volunteer, times the share granted of ``volunteer_hours`` of volunteers'
   work asked of the ``volunteer`` pool for the building (cleaning up, carrying the elderly
   up and down). Each building's outcome is its own keyed draw. While unresolved, its
   residents gain ``grievance_gain`` of the room left in grievance a week.
3. End. A building whose issue is still unresolved at the shock's last week gets a dispute:
   a multi-party dispute between two of its residents (keyed draws), a building issue that
   goes to the property side first and then the committee, as any other
   (simgov.dynamics.disputes).

Parameters: ``size`` (buildings), ``affected_share``, ``need_severity``, ``grievance``,
``grievance_gain``, ``collective_action``, ``volunteer_hours``; the sizes are assumptions.

Sources: 001 (property-management disputes as multi-party; elevator retrofits need the owners
of a stairwell to sign, Tianning; Baibuting's three-party mechanism); 003 (D community's sunk
Party members check wiring, gas and pipes of elderly homes; O community's red property
management); 000 (multi-party property disputes go to online group deliberation).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.community.dispute_book import KINDS
from simgov.dynamics.property_side import settle_chance
from simgov.params import NonNegFloat, PositiveInt, Share, field
from simgov.shocks.base import ShockParams, register
from simgov.vocabulary import NEED_TYPES

HOUSING = NEED_TYPES.index("housing_property")


@register
class BuildingEmergency(ShockParams):
    """A flood or a failed lift in one or more buildings."""

    SIZE_MEANS = "buildings hit (a whole number, at most the community's buildings)"

    type: Literal["building_emergency"] = field("building_emergency", "shock type")
    size: PositiveInt = field(1, "buildings hit")
    affected_share: Share = field(0.5, "share of a hit building's residents whose home needs help",
                                  "assumption; a flood or a failed lift")
    need_severity: Share = field(0.6, "severity of the housing need it causes", "assumption", gt=0.0)
    grievance: Share = field(0.2, "grievance a hit building's residents gain at onset (share of room left)",
                             "assumption")
    grievance_gain: Share = field(0.05, "weekly grievance gained while the issue is unresolved (share of room "
                                  "left)", "assumption; disputes' grievance_gain")
    collective_action: Share = field(
        0.5, "weekly chance residents settle the issue themselves if every resident of the building took part",
        "assumption; 001: owners of a stairwell agree on elevator works")
    volunteer_hours: NonNegFloat = field(
        8.0, "volunteers' hours a week the collective effort needs per building", "assumption", le=1000.0)

    def act(self, state, memory, rng):
        r, week = state.residents, state.week
        starts = state.building_starts()
        if "hit" not in memory:
            memory["hit"] = _onset(self, state, rng)
        hit = memory["hit"]
        open_ = hit[~memory.setdefault("resolved", np.zeros(hit.size, bool))]
        if not open_.size:
            return
        p_side = settle_chance(state)
        size = state.building_size[open_]
        organised = np.add.reduceat((r.active | r.volunteer).astype(np.float64), starts)[open_] / np.maximum(size, 1)
        granted = state.ledger.draw(self.category, volunteer=self.volunteer_hours * open_.size)
        p_collective = self.collective_action * organised * granted
        done = rng.uniform(open_, "settled") < 1.0 - (1.0 - p_side) * (1.0 - p_collective)
        memory["resolved"][np.isin(hit, open_[done])] = True
        left = open_[~done]
        if left.size:
            residents = _residents_of(state, left)
            r.grievance[residents] += self.grievance_gain * (1.0 - r.grievance[residents])
            if week == self.end_week:  # unresolved: a shared grievance becomes a dispute
                first = rng.integers(left, 0, state.building_size[left], "first_party")
                other = (first + 1 + rng.integers(left, 0, state.building_size[left] - 1, "second_party")) \
                    % state.building_size[left]
                state.disputes.open(starts[left] + first, starts[left] + other, left, 2, week,
                                    KINDS.index("building_emergency"))


def _residents_of(state, buildings: np.ndarray) -> np.ndarray:
    mask = np.zeros(state.building_size.size, bool)
    mask[buildings] = True
    return np.flatnonzero(mask[state.residents.building])


def _onset(shock: BuildingEmergency, state, rng) -> np.ndarray:
    """The buildings hit (sorted), and their residents' needs and grievance."""
    r = state.residents
    candidates = np.flatnonzero(state.building_size >= 2)  # a dispute needs two residents
    order = np.argsort(rng.uniform(candidates, "building"), kind="stable")
    hit = np.sort(candidates[order[:shock.size]])
    residents = _residents_of(state, hit)
    affected = rng.happens(residents, shock.affected_share, "affected")
    r.needs[HOUSING, affected] = np.maximum(r.needs[HOUSING, affected], shock.need_severity)
    r.need_known[HOUSING, affected] = True
    r.grievance[residents] += shock.grievance * (1.0 - r.grievance[residents])
    return hit
