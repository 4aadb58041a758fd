"""Needs assessment (需求调查): social workers survey households and retarget services.

In practice: Social workers survey residents to find their real pain points before they
design services (003); B community collected 1,500 questionnaires over three years (000).

Rule:

1. Rounds. Every ``every_weeks`` weeks from its start, social workers survey
   ``households_per_round`` households, spread over ``survey_weeks`` weeks, working through the
   households in a random order that covers everyone before anyone is asked twice. Their
   capacity limits the pace: each gives ``share_of_time`` of a 40-hour week, at
   ``hours_per_household`` per household (no social workers, no survey).
2. Every need of a surveyed household becomes known.
3. Retargeting: at the end of a round, the professional organisations serve the
   ``retarget_types`` need types the survey found most often unmet (instead of the types
   they were contracted for), so that bought hours go where the needs are.
4. Cost: social workers' hours (``hours_per_household``, from the ``social_worker`` pool,
   at most ``share_of_time`` of their week), and ``yuan_per_household`` (questionnaires,
   small gifts), paid by the committee; a week surveys only the households both allow.

Sources: 000 (1,500 questionnaires over three years, by which services were designed); 003
(social workers assess needs before designing services). Rates are assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.dynamics.outreach import next_households, visit
from simgov.params import Count, NonNegFloat, PositiveInt, Share, field
from simgov.policies.base import WORK_WEEK_HOURS, PolicyParams, cycle_week, register
from simgov.vocabulary import NEED_TYPES, SOCIAL_WORKERS


@register
class NeedsAssessment(PolicyParams):
    """需求调查: social workers' household surveys, and services retargeted to what they find."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = ("two surveys would draw on the same social workers; raise households_per_round "
                            "instead, or give them separate weeks")

    type: Literal["needs_assessment"] = field("needs_assessment", "policy type")
    households_per_round: Count = field(500, "households surveyed in a round",
                                        "000: 1,500 questionnaires over three years")
    every_weeks: PositiveInt = field(52, "weeks between the starts of rounds", "000", le=520)
    survey_weeks: PositiveInt = field(8, "weeks a round's fieldwork takes", "assumption", le=520)
    share_of_time: Share = field(0.25, "share of social workers' time the survey may take", "assumption")
    hours_per_household: NonNegFloat = field(1.0, "social workers' hours per household surveyed", "assumption")
    retarget_types: Count = field(3, "need types the professional organisations are retargeted to "
                                  "(0: no retargeting)", "assumption; 003", le=len(NEED_TYPES))
    yuan_per_household: NonNegFloat = field(10.0, "cost per household surveyed, in yuan", "assumption")

    def act(self, state, memory, rng):
        r = state.residents
        week = state.week
        if cycle_week(week, self.start_week, self.every_weeks):
            memory["round_left"] = self.households_per_round
            memory["round_end"] = week + self.survey_weeks - 1
            memory["found"] = np.zeros(len(NEED_TYPES))
        if memory.get("round_left", 0) <= 0 or week > memory["round_end"]:
            return
        weeks_left = memory["round_end"] - week + 1
        hours = state.capacity.social_workers * WORK_WEEK_HOURS * self.share_of_time
        pace = int(hours // self.hours_per_household) if self.hours_per_household else memory["round_left"]
        k = state.ledger.draw_units(self.category, min(-(-memory["round_left"] // weeks_left), pace,
                                                       memory["round_left"]),
                                    yuan=self.yuan_per_household, social_worker=self.hours_per_household)
        if k <= 0:
            return
        households = next_households(memory, "order", k,
                                     lambda: rng.shuffled(np.arange(r.household[-1] + 1), "survey_order"))
        residents = visit(state, households, SOCIAL_WORKERS)
        memory["round_left"] -= k
        memory["found"] += (r.needs[:, residents] > 0).sum(axis=1)
        if (memory["round_left"] <= 0 or week == memory["round_end"]) and self.retarget_types:
            top = np.argsort(-memory["found"], kind="stable")[: self.retarget_types]
            services = tuple(NEED_TYPES[i] for i in sorted(top) if memory["found"][i] > 0)
            for org in state.active_organisations():
                if org.kind == "professional" and services:
                    org.services = services

