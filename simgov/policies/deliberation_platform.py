"""Deliberation platform (四方联席会, 六步议事): joint meetings and six-step deliberation.

In practice: Cuizhuyuan (Nanjing) holds a monthly four-party meeting (四方平台) of the
residents' committee, the owners' committee, the property company and social organisations
under the Party branch, with 10 rules of procedure and surveys before decisions (001, 004);
Baibuting (Wuhan) decides shared matters in six steps (六步议事): topics raised, discussed, a
plan drafted, posted, reviewed, voted (001).

Rule (each week the policy is active):

1. Meetings. ``meetings_per_month`` joint meetings of the four parties (committee, property
   company, owners' committee, social organisations), spread evenly over each four weeks.
2. At a meeting, up to ``cases_per_meeting`` multi-party and group disputes are deliberated
   in six steps (topics raised, discussed, a plan drafted, posted, reviewed, voted; through
   the disputes mechanism's case handlers, before mediation): agreement with ``agreement``,
   and an agreement fixes the shared problem at its source with ``source_fix`` (the
   building's rate of issues halves for good). A case in deliberation does not escalate.
3. Voice: ``attendees_per_meeting`` residents take part, first from the buildings with open
   multi-party disputes; they are invited to take part in community life (participation
   mechanism), and everyone's grievance eases by ``grievance_relief`` in a meeting week
   (a fair procedure, Tyler 1990).
4. Cost: ``hours_per_meeting`` of staff time and ``yuan_per_meeting`` (committee) per meeting;
   a week holds only the meetings the ``staff`` pool and the budget can pay for.

Sources: 001 (Cuizhuyuan's four-party joint meeting; Baibuting's six-step deliberation
六步议事); 000 (multi-party property disputes settled in meetings); Fearon, Humphreys &
Weinstein (2009) on deliberation and tension; Tyler (1990) on procedural justice. Rates are
assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.community.state import CaseHandler
from simgov.params import Count, NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class DeliberationPlatform(PolicyParams):
    """四方联席会 and 六步议事: joint meetings that settle shared problems by deliberation."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "a community has one joint-meeting platform; raise meetings_per_month instead"

    type: Literal["deliberation_platform"] = field("deliberation_platform", "policy type")
    meetings_per_month: Count = field(2, "joint meetings every four weeks", "assumption; 001", le=28)
    cases_per_meeting: Count = field(2, "multi-party or group disputes deliberated per meeting", "assumption")
    agreement: Share = field(0.7, "chance a deliberated case ends in agreement", "assumption")
    relapse_factor: NonNegFloat = field(0.5, "relapse hazard of a deliberated agreement, relative to an "
                                        "informal settlement", "assumption; Pruitt et al. 1993")
    source_fix: Share = field(0.5, "chance an agreement fixes the shared problem at its source",
                              "assumption; 001")
    attendees_per_meeting: Count = field(20, "residents who attend a meeting", "assumption")
    grievance_relief: Share = field(0.01, "fall in everyone's grievance in a meeting week", "assumption; "
                                    "Tyler 1990")
    hours_per_meeting: NonNegFloat = field(8.0, "staff hours per meeting (the four parties)", "assumption")
    yuan_per_meeting: NonNegFloat = field(200.0, "cost per meeting, in yuan", "assumption")

    def meetings(self, week: int) -> int:
        """Meetings this week: ``meetings_per_month`` spread evenly over each four weeks."""
        w = (week - self.start_week) % 4
        return (w + 1) * self.meetings_per_month // 4 - w * self.meetings_per_month // 4

    def act(self, state, memory, rng):
        meetings = state.ledger.draw_units(self.category, self.meetings(state.week), yuan=self.yuan_per_meeting,
                                           staff=self.hours_per_meeting)
        if meetings <= 0:
            return
        lev = state.levers
        if self.cases_per_meeting:
            lev.case_handlers.append(CaseHandler("deliberation_platform", meetings * self.cases_per_meeting, 2,
                                                 self.agreement, self.relapse_factor, self.source_fix))
        lev.grievance_relief = 1.0 - (1.0 - lev.grievance_relief) * (1.0 - self.grievance_relief)
        attendees = self._attendees(state, meetings * self.attendees_per_meeting, rng)
        if attendees.size:
            lev.invite(attendees, state.residents.n)

    @staticmethod
    def _attendees(state, k: int, rng) -> np.ndarray:
        """Residents of buildings with open multi-party disputes first, then anyone."""
        r, d = state.residents, state.disputes
        if k <= 0:
            return np.empty(0, np.int64)
        concerned = np.zeros(state.building_size.size, bool)
        concerned[d.building[d.open_mask() & (d.stage >= 2)]] = True
        first = concerned[r.building]
        order = np.lexsort((rng.uniform(np.arange(r.n), "attendance"), ~first))  # keyed by resident
        return order[:k]
