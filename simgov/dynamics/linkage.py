"""Linkage: what one force finds, another can serve; the shared platform, its cost and strength.

In practice: the five forces find needs in their own channels: residents tell the committee
(self-report), grid workers and door-knockers visit for it, volunteers and Party members hear
of needs from their friends, sunk Party members call on the elderly, social workers survey.
Linkage is what lets a need found by one force be served by another: a shared platform (X
street's "Wuhan micro-neighbourhood" mini-program, its "three-society linkage platform" and
WeChat grid groups, 003; B community's internal linkage mechanism and WeChat and QQ groups
that "share information and resources", 000), joint meetings, referrals and a shared list of
needs, resources and projects, with a division of labour: social workers assess needs and
supervise, organisations design professional services, volunteers deliver (003). Without
it each force serves only what it finds itself and "is too weak alone" (003).

Rule (each week, after outreach and before services):

1. Channels. Every known need carries the forces that may serve it
   (``Residents.need_reach``: one bit per force of simgov.vocabulary.FORCES: committee,
   social workers, organisations, volunteers, Party). A need becomes known in the channel
   of the force that found it (simgov.dynamics.outreach and the policies that visit or
   survey); the services mechanism lets a provider serve only needs that reached its force.
2. Costs. A platform of strength s costs, every week, ``meeting_hours`` x s hours of each
   cadre and grid worker (``staff`` pool) and of each social worker (``social_worker``
   pool) for joint meetings, the shared list and the groups' moderation, and
   ``upkeep_yuan_per_resident`` x residents x s / 52 of the committee's budget (booked under ``linkage``,
   simgov.community.ledger). The pools grant a share g of it; this week's working
   strength is w = s g (meetings not held link no one).
3. Sharing. Each known need not yet on the shared list is posted to it with probability
   ``listing`` x w (a keyed draw by need: type and resident); a posted need reaches every
   force, so whichever has capacity serves it. Social workers coordinate volunteers and
   organisations: a need in the social workers' channel reaches volunteers and organisations
   with probability ``coordination`` x w (003: social workers assess, organisations design,
   volunteers deliver). Donors' money is matched to known needs at w (services: when the
   committee's budget cannot pay a case's materials the community fund pays a share w).
4. Strength. The community keeps up its own level L (the scenario's ``actors.linkage.strength``);
   a ``linkage_platform`` policy raises the level to its target while it runs, closing
   ``build_rate`` of the gap a week. Otherwise strength moves towards L at ``drift`` a week
   (above L it fades: after a policy ends a share (1 - drift)^k of its gain is left after
   k weeks; below L the community's routines restore it). Costs not paid erode it:
   strength falls by ``drift`` x (1 - g) of itself a week.

At strength 1 with ``listing`` 1 every found need is shared in the week it is found, which
is how simgov ran before linkage was explicit (fully linked, at no cost).

Sources: 003 (X street: the platform where social workers, residents, sunk Party members and
volunteers meet, so that "needs are fully exposed and the distance between service and served
shrinks"; the division of labour; regular meetings, check-ins and appraisal keep it going);
000 (B community: an internal linkage mechanism and WeChat/QQ groups sharing information and
resources); 001 (social organisations "link resources", 资源链接). The costs, rates and the
drift are assumptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.kernels import threads_for
from simgov.kernels.residents import share_needs
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream
from simgov.vocabulary import ORGANISATIONS, SHARED, SOCIAL_WORKERS, VOLUNTEERS

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "linkage"
#: The social workers' bit of a need's reach.
_SW_BIT = np.uint8(1 << SOCIAL_WORKERS)
#: The forces social workers pass their cases to: volunteers and organisations.
_COORDINATED = np.uint8((1 << VOLUNTEERS) | (1 << ORGANISATIONS))


class Params(Spec):
    """Parameters of the linkage mechanism (weekly unless stated)."""

    listing: Share = field(1.0, "weekly chance, at full strength, that a found need is posted to the shared "
                           "list (1: in the week it is found)", "assumption; 003: needs 'fully exposed' on the "
                           "platform")
    coordination: Share = field(0.5, "weekly chance, at full strength, that social workers pass a case they "
                                "know of to volunteers and organisations", "assumption; 003: social workers "
                                "assess and supervise, organisations design services, volunteers deliver")
    meeting_hours: NonNegFloat = field(
        1.0, "hours a week each cadre, grid worker and social worker spends on linkage at full strength "
        "(joint meetings, the shared list, moderating the WeChat groups)",
        "assumption; 003: regular meetings and check-ins (定期会议, 打卡)", le=40.0)
    upkeep_yuan_per_resident: NonNegFloat = field(
        0.5, "yearly upkeep of the platform per resident at full strength (venue, printing, data, small "
        "allowances), from the committee's budget", "assumption: about 3,000 yuan a year in B community; WeChat "
        "and QQ groups cost nothing (000); the city's mini-program is not the community's cost (003)")
    drift: Share = field(0.02, "weekly share of the gap between strength and the community's own level "
                         "that closes; also the weekly relative loss when its costs go unpaid",
                         "assumption: half-life ln 2 / drift, about 35 weeks at 0.02; 003: meetings, check-ins "
                         "and appraisal keep the linkage going")


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    lk, cap = state.linkage, state.capacity
    s = lk.strength
    paid = state.ledger.draw("linkage", yuan=params.upkeep_yuan_per_resident * state.residents.n / 52.0 * s,
                             staff=(cap.cadres + cap.grid_workers) * params.meeting_hours * s,
                             social_worker=cap.social_workers * params.meeting_hours * s)
    lk.paid, lk.working = paid, s * paid
    _share(state, params, rng, lk.working)
    lev = state.levers
    level = max(lk.level, lev.linkage_target)
    building = lev.linkage_target > lk.level and s < level
    rate = lev.linkage_build if building else params.drift
    lk.strength = min(max(s + rate * (level - s) - params.drift * (1.0 - paid) * s, 0.0), 1.0)  # in [0, 1]


def _share(state: CommunityState, params: Params, rng: KeyedStream, working: float) -> None:
    """Post known needs to the shared list and pass social workers' cases on (keyed by need)."""
    if working <= 0:
        return
    r = state.residents
    # One pass over the known needs (simgov.kernels.residents.share_needs).
    share_needs(r.need_known, r.need_reach, np.uint8(SHARED), params.listing * working, np.uint64(rng.base("list")),
                _SW_BIT, _COORDINATED, params.coordination * working, np.uint64(rng.base("coordinate")),
                threads=threads_for(r.n))
