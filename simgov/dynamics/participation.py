"""Participation and volunteering: thresholds over ties, invitations, new ties, burnout.

Rule (each week):

1. Joining (complex contagion). A resident not taking part joins with probability ``join``
   when the share of their friendly ties who take part reaches their threshold and at
   least ``min_active_friends`` of them take part (one for the core). Thresholds are drawn
   at the start from Normal(``threshold_core``, sd) for Party members, elderly residents
   and steady volunteers (the low-threshold core) and Normal(``threshold_other``, sd) for
   the rest, clipped to [0, 1]. An invitation from a friend who is a Party member or a
   member of an organisation lowers the threshold that week by ``invitation``, and so does
   a policy's invitation (lever ``invited``: a home visit, a meeting; times its strength,
   e.g. the household spillover of a visit); policies may lower
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
   A shock that stops activities (lever ``activities_held``, an epidemic lockdown) scales
   the chance of joining, the new ties, the belonging gained and the cost by the share held.
   Activity ties last while they are renewed: an activity tie loses ``tie_decay`` of its
   strength a week (applied at each monthly consolidation), and below ``TIE_FLOOR`` it
   lapses (weight 0, no longer a friendly tie); when its two ends meet again at an activity
   (the pairing above picks them) it is renewed to its starting strength
   ``ACTIVITY_TIE_WEIGHT`` at the next consolidation (with the new ties: the network's
   weights change once a month). Ties made at activities and not kept up fade (Burt 2000, Social
   Networks 22:1-28: new and weak ties decay fast), so their number settles where new ties
   balance lapsed ones.
4. Volunteering. Participants with belonging above 0.6 become steady volunteers with
   probability ``volunteer_recruit`` (times the lever ``volunteer_recruit_factor``);
   volunteers quit with ``volunteer_quit`` (times the lever ``volunteer_retention``), and
   with ``inactive_quit`` times that while they take no part (they have drifted away
   from community life: burned-out volunteers resting are not counted as drifting).
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

from simgov.community.state import CONSOLIDATE_EVERY
from simgov.kernels import participation as kernel
from simgov.kernels import threads_for
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
#: Strength below which an activity tie that is not renewed lapses.
TIE_FLOOR = 0.05


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
    volunteer_recruit: Share = field(0.003, "weekly chance a participant with high belonging becomes a "
                                     "steady volunteer", "assumption; 000: 125 steady volunteers")
    volunteer_quit: Share = field(0.006, "weekly chance a steady volunteer stops (about a quarter a year; more "
                                  "with inactive_quit)", "Eisner et al. 2009: a third of volunteers do not "
                                  "volunteer the next year; rate tuned for a steady baseline")
    inactive_quit: NonNegFloat = field(2.0, "multiplier on the quit chance of a volunteer who takes no part",
                                       "assumption, tuned for a steady baseline", le=100.0)
    tie_decay: Share = field(0.02, "weekly relative loss of strength of an activity tie that is not renewed",
                             "assumption; Burt 2000 (decay of weak ties)")
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
    orgs = state.active_organisations()
    if orgs:  # one assignment over every membership, not one per organisation
        mask[np.concatenate([o.members for o in orgs])] = True
    return mask


def decay_activity_ties(state: CommunityState, params: Params, weeks: int) -> None:
    """Weaken every activity tie by ``weeks`` of decay; those below ``TIE_FLOOR`` lapse (weight 0)."""
    net = state.network
    ties = np.flatnonzero((net.kind == TIE_KINDS.index("activity")) & (net.weight > 0))
    if not ties.size or params.tie_decay <= 0:
        return
    w = net.weight[ties] * (1.0 - params.tie_decay) ** weeks
    w[w < TIE_FLOOR] = 0.0
    net.weight[ties] = w
    net.touch()


def renew_activity_ties(state: CommunityState, a: np.ndarray, b: np.ndarray) -> None:
    """Pairs who meet at an activity: an activity tie they already have (or had) is renewed,
    from the next consolidation (as new ties are made: weights change once a month)."""
    state.network.queue_renewals(a, b, ACTIVITY_TIE_WEIGHT, TIE_KINDS.index("activity"))


def monthly(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    """At the network's consolidation (the end of every CONSOLIDATE_EVERY-th week): activity
    ties decay by that many weeks."""
    decay_activity_ties(state, params, CONSOLIDATE_EVERY)


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r = state.residents
    week = state.week
    members = _members(state)
    resting = r.resting_until > week

    # 1-2. joining by thresholds over friendly ties, with invitations; leaving (one pass over
    # the friendly ties' rows: simgov.kernels.participation). The lever ``invited`` is a
    # policy's invitation (a visit, a meeting); draws keyed by resident.
    indptr, indices = state.network.friendly_csr()
    on = state.levers.activities_held  # share of activities held (a lockdown stops them)
    invited = state.levers.invited if state.levers.invited is not None else np.empty(0)  # none: no policy invites
    inviter, core = kernel.roles(r.party_member, r.volunteer, r.stage, members, ELDERLY)  # as is_core
    join, leave = kernel.join_and_leave(
        indptr, indices, r.active, inviter, core, resting, members, r.threshold, params.invitation,
        np.ascontiguousarray(invited, np.float64), float(state.levers.invitation_boost),
        params.min_active_friends, params.join * on, np.uint64(rng.base("join")), params.leave,
        r.belonging, np.uint64(rng.base("leave")), threads=threads_for(r.n))
    participants = kernel.take_part(r.active, join, leave, members, resting)

    # 3. new ties among participants, and belonging
    held = on * state.ledger.draw("activities", yuan=participants.size * params.activity_yuan_per_participant * on)
    if participants.size >= 2:
        makers = rng.happens(participants, params.new_tie * held, "new_tie")
        partners = participants[rng.integers(makers, 0, participants.size, "partner")]
        ok = makers != partners
        renew_activity_ties(state, makers[ok], partners[ok])
        state.network.queue_ties(makers[ok], partners[ok], ACTIVITY_TIE_WEIGHT, TIE_KINDS.index("activity"))
    r.belonging[participants] += held * params.belonging_gain * (1.0 - r.belonging[participants])

    # 4. volunteers: recruitment, quitting, fatigue and burnout, in one pass (simgov.kernels.
    # participation). Every volunteer hour of the week counts, whoever organised it (services,
    # visits, pairing, events).
    kernel.volunteering(
        r.active, r.volunteer, r.belonging, resting, r.resting_until, r.fatigue, week,
        min(1.0, params.volunteer_recruit * state.levers.volunteer_recruit_factor),
        params.volunteer_quit * state.levers.volunteer_retention, params.inactive_quit,
        np.uint64(rng.base("volunteer")), np.uint64(rng.base("quit")), float(state.ledger.used["volunteer"]),
        params.burnout_hours, np.uint64(rng.base("strain")), params.recovery, params.rest_weeks,
        VOLUNTEER_BELONGING)
