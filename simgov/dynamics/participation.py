"""Participation and volunteering: thresholds over ties, invitations, new ties, burnout.

Rule (each week):

1. Joining (complex contagion). A resident not taking part joins with probability ``join``
   when the share of their friendly ties who take part reaches their threshold and at
   least ``min_active_friends`` of them take part (one for the core). Thresholds are drawn
   at the start from Normal(``threshold_core``, sd) for Party members, elderly residents
   and steady volunteers (the low-threshold core) and Normal(``threshold_other``, sd) for
   the rest, clipped to [0, 1]. An invitation from a friend who is a Party member or a
   member of an organisation lowers the threshold that week by ``invitation``, and so does
   a policy's invitation (lever ``invited``: a home visit, a meeting); policies may lower
   everyone's threshold for a week (lever ``invitation_boost``, a community event).
2. Members of active organisations take part. Others leave with probability
   ``leave * 2 (1 - belonging)`` a week.
3. Taking part forms ties: each participant meets another participant chosen at random
   (so also across life stages) with probability ``new_tie`` a week; these acquaintances
   become activity ties at the network's next monthly consolidation. Participants gain belonging
   (``belonging_gain`` of the room left). Activities cost the committee
   ``activity_yuan_per_participant`` a week per participant (venue, tea, materials); when its
   budget cannot pay them all, only the paid share of activities is held: the chance of a
   new tie and the belonging gained fall in proportion (a poorer committee holds fewer).
4. Volunteering. Participants with belonging above 0.6 become steady volunteers with
   probability ``volunteer_recruit`` (times the lever ``volunteer_recruit_factor``);
   volunteers quit with ``volunteer_quit`` (times the lever ``volunteer_retention``).
   Every volunteer hour of the week builds fatigue, whoever organised it (services,
   door-knocking, pairing, a mutual-aid day: the ``volunteer`` pool's hours used, shared
   over the available volunteers): ``fatigue += hours / burnout_hours``, recovering by
   ``recovery`` a week; at 1 the volunteer burns out and rests ``rest_weeks`` weeks, taking no part.

Sources: Granovetter (1978) and Watts (2002) threshold models; Centola & Macy (2007) and
Centola (2010) complex contagion on clustered networks; Oliver, Marwell & Teixeira (1985)
critical mass of a resourceful core (Party members, retirees; 000, 001, 003); McPherson
(1983) organisations compete for members' time. "High willingness, low actual
participation" (research/domain.md §5) and B community's 125 steady volunteers among
6,221 residents (000) are the patterns to match; rates are assumptions calibrated to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream
from simgov.vocabulary import ELDERLY, TIE_KINDS

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "participation"
#: Belonging above which a participant may become a steady volunteer.
VOLUNTEER_BELONGING = 0.6
#: Initial strength of a tie formed at activities.
ACTIVITY_TIE_WEIGHT = 0.3


class Params(Spec):
    """Parameters of the participation and volunteering mechanism (weekly)."""

    threshold_core: Share = field(0.2, "mean threshold of Party members, elderly residents and volunteers",
                                  "assumption; Oliver, Marwell & Teixeira 1985 (critical mass)")
    threshold_other: Share = field(0.6, "mean threshold of other residents",
                                   "assumption; 'high willingness, low actual participation'")
    threshold_sd: Share = field(0.15, "standard deviation of thresholds", "Granovetter 1978 (normal thresholds)")
    min_active_friends: int = field(2, "participating friends needed by residents outside the core "
                                    "(complex contagion)", "Centola & Macy 2007", ge=1, le=10)
    join: Share = field(0.1, "weekly chance of joining once the threshold is reached", "assumption")
    invitation: Share = field(0.1, "threshold reduction for a resident invited by a Party member or "
                              "organisation member friend", "assumption; 000, 001")
    leave: Share = field(0.07, "weekly chance of stopping, at belonging 0.5", "assumption")
    new_tie: Share = field(0.03, "weekly chance a participant forms a tie with another participant",
                           "assumption")
    belonging_gain: Share = field(0.02, "weekly belonging gained by taking part (share of room left)",
                                  "assumption")
    activity_yuan_per_participant: NonNegFloat = field(
        1.0, "the committee's weekly cost of activities per participant, in yuan", "assumption; 000: the "
        "committee's collective income 'only maintains daily office work'", le=1000.0)
    volunteer_recruit: Share = field(0.002, "weekly chance a participant with high belonging becomes a "
                                     "steady volunteer", "assumption; 000: 125 steady volunteers")
    volunteer_quit: Share = field(0.004, "weekly chance a steady volunteer stops", "assumption")
    burnout_hours: NonNegFloat = field(40.0, "hours of unrecovered service that burn a volunteer out",
                                       "assumption")
    recovery: Share = field(0.1, "weekly recovery of a volunteer's fatigue", "assumption")
    rest_weeks: int = field(12, "weeks a burned-out volunteer rests", "assumption", ge=0, le=520)


def is_core(party_member: np.ndarray, volunteer: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """The low-threshold core: Party members, steady volunteers and elderly (retired) residents."""
    return party_member | volunteer | (stage == ELDERLY)


def initial_thresholds(core: np.ndarray, params: Params, rng: np.random.Generator) -> np.ndarray:
    mean = np.where(core, params.threshold_core, params.threshold_other)
    return np.clip(rng.normal(mean, params.threshold_sd), 0.0, 1.0)


def _members(state: CommunityState) -> np.ndarray:
    mask = np.zeros(state.residents.n, bool)
    for o in state.active_organisations():
        mask[o.members] = True
    return mask


def _draw(rng: KeyedStream, mask: np.ndarray, p, slot: str) -> np.ndarray:
    """Residents of ``mask`` (as numbers) for whom the event ``slot`` of probability ``p``
    happens; ``p`` is a number, or a function of those residents' numbers.

    Draws (keyed by resident) only for the residents in ``mask``: most rules concern a small
    part of the community.
    """
    idx = np.flatnonzero(mask)
    return rng.happens(idx, p if np.isscalar(p) else p(idx), slot)


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r = state.residents
    week = state.week
    friendly = state.network.friendly_binary()
    degree = state.network.friendly_degree()
    members = _members(state)
    resting = r.resting_until > week

    # 1. joining by thresholds over friendly ties, with invitations
    active_friends = friendly @ r.active.astype(np.float64)
    invited = (friendly @ (r.party_member | members).astype(np.float64)) > 0
    share = np.divide(active_friends, degree, out=np.zeros(r.n), where=degree > 0)
    if state.levers.invited is not None:  # a policy's invitation (a visit, a meeting) counts too
        invited |= state.levers.invited
    threshold = r.threshold - params.invitation * invited - state.levers.invitation_boost
    core = is_core(r.party_member, r.volunteer, r.stage)
    enough = active_friends >= np.where(core, 1, params.min_active_friends)
    join = _draw(rng, ~r.active & ~resting & enough & (share >= threshold), params.join, "join")

    # 2. organisation members take part; others may leave
    leave = _draw(rng, r.active & ~members, lambda i: params.leave * 2.0 * (1.0 - r.belonging[i]), "leave")
    r.active[join] = True
    r.active |= members
    r.active[leave] = False
    r.active &= ~resting

    # 3. new ties among participants, and belonging
    participants = np.flatnonzero(r.active)
    held = state.ledger.draw("activities", yuan=participants.size * params.activity_yuan_per_participant)
    if participants.size >= 2:
        makers = rng.happens(participants, params.new_tie * held, "new_tie")
        partners = participants[rng.integers(makers, 0, participants.size, "partner")]
        ok = makers != partners
        state.network.queue_ties(makers[ok], partners[ok], ACTIVITY_TIE_WEIGHT, TIE_KINDS.index("activity"))
    r.belonging[participants] += held * params.belonging_gain * (1.0 - r.belonging[participants])

    # 4. volunteers: recruitment, quitting, fatigue and burnout
    recruits = _draw(rng, r.active & ~r.volunteer & (r.belonging > VOLUNTEER_BELONGING),
                     min(1.0, params.volunteer_recruit * state.levers.volunteer_recruit_factor), "volunteer")
    quits = _draw(rng, r.volunteer, params.volunteer_quit * state.levers.volunteer_retention, "quit")
    r.volunteer[recruits] = True
    r.volunteer[quits] = False
    on_duty = np.flatnonzero(r.available_volunteers(week))
    # Every volunteer hour of the week, whoever organised it (services, visits, pairing, events).
    load = state.ledger.used["volunteer"] / max(on_duty.size, 1)
    if params.burnout_hours > 0 and load > 0:
        r.fatigue[on_duty] += load / params.burnout_hours * (0.5 + rng.uniform(on_duty, "strain"))
    tired = np.flatnonzero(r.fatigue > 0)
    r.fatigue[tired] *= 1.0 - params.recovery
    burned = on_duty[r.fatigue[on_duty] >= 1.0]
    r.resting_until[burned] = week + params.rest_weeks
    r.fatigue[burned] = 0.0
    r.active[burned] = False
