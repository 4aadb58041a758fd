"""Organisation incubation (社会组织孵化): social workers turn active groups into organisations.

In practice: In X street (Wuhan) social workers turned residents' interest groups into self-
organisations, such as the "公益农夫" rooftop garden of migrant elderly and the "八爪鱼互助帮" mutual-
help group (003); Longnan incubated 10 self-organisations (004).

Rule (each week the policy is active):

1. Capacity. Social workers give ``share_of_time`` of a 40-hour week to incubation, at
   ``hours_per_group_week`` per group in incubation: that bounds how many groups can be
   incubated at once (no social workers, no incubation).
2. Finding groups. New groups are taken on at ``groups_per_year`` (Poisson, weekly) while
   capacity allows: an active interest group is a participant who could lead (belonging
   above 0.6, leading nothing) with at least ``min_group - 1`` friends taking part. The
   group becomes a self-organisation (simgov.dynamics.organisations) with a start grant of
   ``seed_yuan``.
3. Incubation. For ``incubation_weeks`` the organisation cannot fold (social workers keep it
   going through early trouble), and its members' friends are invited to take part.
4. Cost: social workers' hours per group in incubation (from the ``social_worker`` pool),
   and the start grants (committee). A group is taken on only if the committee can pay its
   grant; a group whose week of support the pool cannot give leaves incubation.

Sources: 003 (social workers incubated resident interest groups into organisations, e.g.
the "公益农夫" rooftop garden of migrant elderly, "八爪鱼互助帮"); 004 (10 self-organisations
incubated in Longnan); Hannan & Freeman (1989) on the liability of newness. Rates are
assumptions.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.dynamics.organisations import found, leader_candidates
from simgov.params import Count, NonNegFloat, PositiveInt, Share, field
from simgov.policies.base import WORK_WEEK_HOURS, PolicyParams, register


@register
class OrgIncubation(PolicyParams):
    """社会组织孵化: social workers turn interest groups into lasting self-organisations."""

    type: Literal["org_incubation"] = field("org_incubation", "policy type")
    groups_per_year: NonNegFloat = field(5.0, "groups taken into incubation a year",
                                         "004: 10 self-organisations incubated")
    min_group: PositiveInt = field(4, "members an interest group needs, its leader included", "assumption",
                                   le=100)
    group_size: PositiveInt = field(8, "members the new organisation starts with at most", "assumption", le=100)
    incubation_weeks: Count = field(26, "weeks of incubation, during which the group cannot fold",
                                    "assumption; Hannan & Freeman 1989")
    share_of_time: Share = field(0.25, "share of social workers' time incubation may take", "assumption")
    hours_per_group_week: NonNegFloat = field(3.0, "social workers' hours a week per group in incubation",
                                              "assumption; 003")
    seed_yuan: NonNegFloat = field(2_000.0, "start grant of an incubated organisation, in yuan", "assumption")

    def act(self, state, memory, rng):
        week = state.week
        groups = memory.setdefault("groups", [])
        groups[:] = [o for o in groups if o.active and week <= o.incubated_until]
        hours = state.capacity.social_workers * WORK_WEEK_HOURS * self.share_of_time
        room = int(hours // self.hours_per_group_week) if self.hours_per_group_week else 10**9
        wanted = rng.poisson(self.groups_per_year / 52.0, "groups")
        for _ in range(min(wanted, room - len(groups))):
            leader = self._leader(state, rng)
            if leader is None or not state.ledger.draw_units(self.category, 1, yuan=self.seed_yuan):
                break
            org = found(state, leader, self.group_size, self.seed_yuan, rng)
            org.incubated_until = week + self.incubation_weeks
            groups.append(org)
        # Groups get this week's support as far as social workers' hours go; one without it
        # is not kept from folding this week and invites no one.
        supported = state.ledger.draw_units(self.category, len(groups), social_worker=self.hours_per_group_week)
        for org in groups[supported:]:
            org.incubated_until = min(org.incubated_until, week - 1)
        groups[:] = groups[:supported]
        if groups:
            members = np.concatenate([o.members for o in groups])
            friends = state.network.friends(members)
            state.levers.invite(friends, state.residents.n)

    def _leader(self, state, rng) -> int | None:
        """A participant who could lead, with enough friends taking part to form a group."""
        r = state.residents
        candidates = leader_candidates(state)
        if not candidates.size:
            return None
        friends_active = state.network.friendly_binary()[candidates] @ r.active.astype(np.float64)
        candidates = candidates[friends_active >= self.min_group - 1]
        # Keyed by resident: each later group's leader is the next of the same draw.
        return int(rng.sample(candidates, 1, "leader")[0]) if candidates.size else None
