"""Micro-venture fund (微创投): funding rounds for residents' micro-projects from a seed fund.

In practice: Longnan community (Luzhou) runs a seed-fund pool for residents' micro-projects
(微创投) inside its community fund, which 20% of its social enterprise's net profit and the
merchants feed; 10+ micro-venture projects were started (004).

Rule:

1. Rounds. ``rounds_per_year`` calls for proposals, the first in the policy's first week.
   Each participant who could lead (belonging above 0.6; simgov.dynamics.organisations)
   proposes with ``proposal_rate``; so do the leaders of active self-organisations (to
   strengthen their group).
2. Selection, up to ``max_projects_per_round`` and what the fund has left (``budget_yuan``
   over the policy's life, ``grant_yuan`` per project): by ``merit`` (proposers with more
   friends taking part first: a team that can deliver), ``need`` (proposers from the buildings
   with most disorder first), or at ``random``.
3. A funded project creates a self-organisation around its proposer, with up to
   ``team_size - 1`` friends (taking part or not: the project draws them in), funded with the
   grant; a group that already exists gets the grant and goes on. Team members become tied
   to one another (activity ties, at the network's next monthly consolidation). For
   ``project_weeks`` the team invites its friends to take part (participation mechanism).
   With ``dispute_source_fix`` the project fixes a source of disputes in its building
   (shared space, a garden, a corridor): the building's issue rate is halved for good and
   its open multi-party disputes are resolved.
4. Cost: the grants (paid by ``payer``; a committee or fund payer funds no more grants
   than it holds), and ``support_hours_per_project_week`` of social workers' time per
   running project (from the ``social_worker`` pool; a project without support that week
   does not reach out).

Sources: 004 (Longnan's micro-venture projects, 10+ funded, a seed fund inside the community
fund fed by the social enterprise); 003 (projects that became self-organisations);
List & Lucking-Reiley (2002) on seed money; Casey, Glennerster & Miguel (2012) and White,
Menon & Waddington (2018): community-driven funds build public goods more surely than social
capital (research/domain.md §6). Amounts and rates are assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.dynamics.disputes import SOURCE_FIX_FACTOR
from simgov.dynamics.organisations import found, leader_candidates
from simgov.dynamics.participation import ACTIVITY_TIE_WEIGHT
from simgov.params import Count, NonNegFloat, PositiveInt, Share, field
from simgov.policies.base import PAYERS, PolicyParams, cycle_week, register
from simgov.vocabulary import ACTIVITY


@register
class MicroVentureFund(PolicyParams):
    """微创投: rounds of small grants for residents' own projects."""

    type: Literal["micro_venture_fund"] = field("micro_venture_fund", "policy type")
    budget_yuan: NonNegFloat = field(
        100_000.0, "the seed fund over the policy's life, in yuan",
        "assumption: 20 grants of 5,000; 004 gives no size for its seed fund (种子基金库), and its 321,800 yuan "
        "of pilot money paid the social-work organisation's projects, not the fund")
    grant_yuan: NonNegFloat = field(5_000.0, "grant per project, in yuan", "assumption")
    rounds_per_year: PositiveInt = field(2, "calls for proposals a year", "assumption", le=52)
    max_projects_per_round: Count = field(5, "projects funded at most per round", "assumption; 004: 10+ projects")
    proposal_rate: Share = field(0.1, "chance a resident who could lead proposes in a round", "assumption")
    selection: Literal["merit", "need", "random"] = field("merit", "how proposals are chosen", "assumption")
    team_size: PositiveInt = field(6, "members of a new project team, the proposer included", "assumption",
                                   le=100)
    project_weeks: Count = field(26, "weeks a project runs, inviting neighbours to take part", "assumption")
    dispute_source_fix: Share = field(0.3, "chance a project fixes a source of disputes in its building",
                                      "assumption; 004: shared courtyards repaired")
    support_hours_per_project_week: NonNegFloat = field(2.0, "social workers' hours a week per running "
                                                        "project", "assumption; 003")
    payer: Literal[PAYERS] = field("government", "who pays the grants",
                                   "assumption: outside money; in 004 the seed fund sits in the community fund "
                                   "(payer fund)")

    def act(self, state, memory, rng):
        left = memory.setdefault("left", self.budget_yuan)
        projects = memory.setdefault("projects", [])
        week = state.week
        if cycle_week(week, self.start_week, max(1, round(52 / self.rounds_per_year))):
            grants = min(self.max_projects_per_round, int(left // self.grant_yuan) if self.grant_yuan else 0)
            if self.payer != "government" and self.grant_yuan:  # a community payer pays what it holds
                grants = min(grants, int(state.ledger.money_left(self.payer) // self.grant_yuan))
            for leader in self._select(state, rng, grants):
                projects.append((week + self.project_weeks, self._fund(state, int(leader), rng)))
                memory["left"] -= self.grant_yuan
        projects[:] = [(end, team) for end, team in projects if week < end]
        # Running projects get social workers' support as far as their hours go; a project
        # without support this week does not reach out to neighbours.
        supported = state.ledger.draw_units(self.category, len(projects),
                                            social_worker=self.support_hours_per_project_week)
        if supported:
            teams = np.concatenate([team for _, team in projects[:supported]])
            friends = state.network.friends(teams)
            state.levers.invite(np.r_[teams, friends], state.residents.n)

    def _select(self, state, rng, grants: int) -> np.ndarray:
        if grants <= 0:
            return np.empty(0, np.int64)
        r = state.residents
        leaders = np.array([o.leader for o in state.active_organisations() if o.kind == "self"], np.int64)
        pool = np.r_[leader_candidates(state), leaders]
        proposers = rng.happens(pool, self.proposal_rate, "proposes")  # keyed by resident
        if self.selection == "random":
            return rng.shuffled(proposers, "selection")[:grants]
        if self.selection == "merit":
            score = state.network.friendly_binary()[proposers] @ r.active.astype(np.float64)
        else:  # need: the most troubled buildings first
            score = state.disorder[r.building[proposers]]
        return proposers[np.lexsort((rng.uniform(proposers, "selection"), -score))][:grants]

    def _fund(self, state, leader: int, rng) -> np.ndarray:
        """The grant goes to the proposer's group, founded if new; returns the team."""
        org = next((o for o in state.active_organisations() if o.kind == "self" and o.leader == leader), None)
        if org is None:
            org = found(state, leader, self.team_size, 0.0, rng, beyond_participants=True)
            team = org.members
            lo, hi = np.triu_indices(team.size, 1)
            state.network.queue_ties(team[lo], team[hi], ACTIVITY_TIE_WEIGHT, ACTIVITY)
        team = org.members.copy()
        org.funds += self.grant_yuan
        self.spend(state, self.grant_yuan, self.payer)
        if rng.uniform(leader, "source_fix") < self.dispute_source_fix:
            b = state.residents.building[leader]
            state.building_issue_factor[b] *= SOURCE_FIX_FACTOR
            d = state.disputes
            d.resolve(np.flatnonzero(d.open_mask() & (d.building == b) & (d.stage >= 2)), state.week)
        return team
