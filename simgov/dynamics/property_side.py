"""The property side of building disputes: the property company (物业) and the owners' committee (业委会).

In practice: Building issues (repairs, shared space, parking, rubbish: 物业, 公共空间) are the
property company's business first; where an owners' committee exists it presses the company or
organises the owners; only what they leave unsettled reaches the residents' committee, its
mediators and its deliberation (001: Baibuting's residents' committee, owners' committee and
property company under the Party branch; Cuizhuyuan's four-party platform). Where
responsibilities are unclear they push them around (003: O community, 权责不清、责任推诿).

Rule (each week, before the disputes mechanism moves its cases; called from it):

1. Building issues are the disputes that arose in a building over its property or shared
   space (simgov.dynamics.disputes, rule 2) and the disputes a building emergency leaves
   (simgov.shocks.building_emergency). Open ones the property side has not yet tried at their
   stage go to it, the most serious first, then the oldest.
2. The property company, if the community has one (actors ``property_company``; or a body that
   stands in for it, lever ``property_stand_in``: Longnan's social enterprise, 004), takes up
   to ``property_cases_per_week`` of them (times the lever ``property_capacity_factor``) and
   settles each with ``property_resolution``; then the owners' committee, if there is one
   (``owners_committee``), takes up to ``owners_committee_cases_per_week`` of those the company
   did not settle (it failed, or had no room: the owners press the company or organise) and
   settles each with ``owners_committee_resolution``. Policies raise both chances by the lever
   ``property_resolution_gain`` g, as ``1 - (1 - p)(1 - g)`` (the three-party mechanism, red
   property management).
3. A settled issue is resolved (informally: it may relapse like any other); with the lever
   ``property_source_fix`` it is settled at its source, which halves the building's rate of
   issues for good (as a mediated one, disputes rule 3). An issue the property side took and
   did not settle is not taken again at its stage: it goes on as today, to informal
   resolution, escalation, and the committee's mediation and deliberation.

Parameters: the actors' ``property_company``, ``property_cases_per_week``,
``property_resolution``, ``owners_committee``, ``owners_committee_cases_per_week`` and
``owners_committee_resolution`` (simgov.scenario.schema.Actors, with their sources).

Sources: 000 (B community's property company, which hires residents); 001 (Baibuting's
"three in one": property company, residents' committee and owners' committee under the Party;
Cuizhuyuan's four-party platform); 003 (O community: responsibilities pushed around until
social workers guided the three parties); 004 (Longnan's "three-no" courtyards: no property
company, no owners' committee). The chances and capacities are assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.community.dispute_book import SOURCE_FIX_FACTOR
from simgov.streams import KeyedStream

if TYPE_CHECKING:
    from simgov.community.state import CommunityState


def bodies(state: CommunityState) -> list[tuple[str, int, float]]:
    """The property side this week: (body, building issues it can take, chance it settles one),
    the property company first; empty where there is neither."""
    cap, lev = state.capacity, state.levers
    gain = lev.property_resolution_gain
    out = []
    if cap.property_company or lev.property_stand_in:
        out.append(("property_company", int(round(cap.property_cases_per_week * lev.property_capacity_factor)),
                    1.0 - (1.0 - cap.property_resolution) * (1.0 - gain)))
    if cap.owners_committee:
        out.append(("owners_committee", int(round(cap.owners_committee_cases_per_week * lev.property_capacity_factor)),
                    1.0 - (1.0 - cap.owners_committee_resolution) * (1.0 - gain)))
    return out


def settle_chance(state: CommunityState) -> float:
    """The chance in a week that the property side settles one building-wide issue it takes
    (a building emergency): the company, else the owners' committee."""
    fail = 1.0
    for _, cases, p in bodies(state):
        if cases > 0:
            fail *= 1.0 - p
    return 1.0 - fail


def take(state: CommunityState, rng: KeyedStream) -> None:
    """Building issues go to the property side first (rules 1-3); the disputes mechanism's hook."""
    d = state.disputes
    if not len(d):
        return
    side = bodies(state)
    if not side:
        return
    rows = np.flatnonzero(d.open_mask() & (d.kind > 0) & (d.opened < state.week) & (d.stage > d.property_tried))
    # (new issues wait a week, as for the other channels)
    if not rows.size:
        return
    rows = rows[np.lexsort((d.opened[rows], -d.stage[rows]))]  # the most serious, then the oldest
    pending = np.ones(rows.size, bool)  # not settled this week
    tried = np.zeros(rows.size, bool)
    for name, cases, p in side:
        pick = np.flatnonzero(pending)[:max(cases, 0)]
        if not pick.size:
            continue
        tried[pick] = True
        taken = rows[pick]
        ok = rng.uniform(d.key[taken], f"property:{name}") < p
        pending[pick[ok]] = False
        settled = taken[ok]
        d.resolve(settled, state.week)
        d.property_settled_this_week += settled.size
        taken_before, done = d.handled_by.get(name, (0, 0))
        d.handled_by[name] = (taken_before + taken.size, done + settled.size)
        fix = state.levers.property_source_fix
        if fix > 0 and settled.size:
            fixed = settled[rng.uniform(d.key[settled], "property_source_fix") < fix]
            state.building_issue_factor[d.building[fixed]] *= SOURCE_FIX_FACTOR
    failed = rows[tried & pending]
    d.property_tried[failed] = d.stage[failed]
