"""Participation's joining and leaving in one pass over the friendly ties' CSR rows
(simgov.dynamics.participation, rules 1 and 2).

The numpy path made two sparse products over everyone (friends taking part, friends who
invite) and about a dozen elementwise passes and temporaries before its two keyed draws;
here each resident's row is read once, and only residents who could join count their
friends. Counts are exact, and the comparisons the same IEEE operations, so the same
residents join and leave as in the reference (tests/test_kernels.py).
"""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.draws import unit


@numba.njit(cache=True, nogil=True, inline="always")
def _outcome(i: int, indptr: np.ndarray, indices: np.ndarray, code: np.ndarray, active: np.ndarray,
             core: np.ndarray, resting: np.ndarray, members: np.ndarray, threshold: np.ndarray, invitation: float,
             invited: np.ndarray, boost: float, min_active_friends: int, p_join: float, base_join: np.uint64,
             leave: float, belonging: np.ndarray, base_leave: np.uint64) -> int:
    """Resident ``i``'s week: 1 joins, 2 leaves, 0 neither (see :func:`join_and_leave`)."""
    if active[i]:
        if not members[i] and unit(np.uint64(i), base_leave) < leave * 2.0 * (1.0 - belonging[i]):
            return 2
        return 0
    if resting[i]:
        return 0
    lo = indptr[i]
    hi = indptr[i + 1]
    total = np.int64(0)
    for e in range(lo, hi):
        total += code[indices[e]]
    taking = float(total & 0xFFFFFFFF)
    asked = 1.0 if (total >> 32) > 0 else 0.0
    if invited.size > 0 and invited[i] > asked:
        asked = invited[i]
    share = taking / (hi - lo) if hi > lo else 0.0
    needed = 1.0 if core[i] else float(min_active_friends)
    if taking >= needed and share >= threshold[i] - invitation * asked - boost \
            and unit(np.uint64(i), base_join) < p_join:
        return 1
    return 0


@numba.njit(cache=True, nogil=True)
def _codes(active: np.ndarray, inviter: np.ndarray) -> np.ndarray:
    """Each resident's two flags in one word, so a row's counts take one gather per tie."""
    code = np.empty(active.size, np.int64)
    for j in range(active.size):
        code[j] = np.int64(active[j]) + (np.int64(inviter[j]) << 32)
    return code


@numba.njit(cache=True, nogil=True)
def join_and_leave(indptr: np.ndarray, indices: np.ndarray, active: np.ndarray, inviter: np.ndarray,
                   core: np.ndarray, resting: np.ndarray, members: np.ndarray, threshold: np.ndarray,
                   invitation: float, invited: np.ndarray, boost: float, min_active_friends: int,
                   p_join: float, base_join: np.uint64, leave: float, belonging: np.ndarray,
                   base_leave: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """(residents who join, residents who leave), in increasing order, from the state before
    either; ``indptr``, ``indices``: the friendly ties only (SocialNetwork.friendly_csr).

    A resident not taking part nor resting joins, on their keyed uniform below ``p_join``, when
    the share of their friendly ties who take part reaches their threshold (lowered by
    ``invitation`` if a friend is an inviter, or by the policy lever ``invited`` where larger:
    an empty array when no policy invites; and by ``boost``) and at least one (core) or
    ``min_active_friends`` friends take part. One taking part and not a member of an active
    organisation leaves on their keyed uniform below ``leave * 2 (1 - belonging)``."""
    n = active.size
    code = _codes(active, inviter)
    joins = np.empty(n, np.int64)
    leaves = np.empty(n, np.int64)
    nj = 0
    nl = 0
    for i in range(n):
        o = _outcome(i, indptr, indices, code, active, core, resting, members, threshold, invitation, invited,
                     boost, min_active_friends, p_join, base_join, leave, belonging, base_leave)
        if o == 1:
            joins[nj] = i
            nj += 1
        elif o == 2:
            leaves[nl] = i
            nl += 1
    return joins[:nj].copy(), leaves[:nl].copy()


@numba.njit(cache=True, nogil=True, parallel=True)
def join_and_leave_outcomes(indptr: np.ndarray, indices: np.ndarray, active: np.ndarray, inviter: np.ndarray,
                            core: np.ndarray, resting: np.ndarray, members: np.ndarray, threshold: np.ndarray,
                            invitation: float, invited: np.ndarray, boost: float, min_active_friends: int,
                            p_join: float, base_join: np.uint64, leave: float, belonging: np.ndarray,
                            base_leave: np.uint64) -> np.ndarray:
    """:func:`join_and_leave` over numba's threads, as each resident's outcome (1 joins, 2
    leaves, 0 neither), for one big community."""
    n = active.size
    code = _codes(active, inviter)
    out = np.zeros(n, np.int8)
    for i in numba.prange(n):
        out[i] = _outcome(i, indptr, indices, code, active, core, resting, members, threshold, invitation,
                          invited, boost, min_active_friends, p_join, base_join, leave, belonging, base_leave)
    return out


def join_and_leave_threaded(*args) -> tuple[np.ndarray, np.ndarray]:
    """:func:`join_and_leave`'s result from :func:`join_and_leave_outcomes`."""
    out = join_and_leave_outcomes(*args)
    return np.flatnonzero(out == 1), np.flatnonzero(out == 2)


@numba.njit(cache=True, nogil=True)
def volunteering(active: np.ndarray, volunteer: np.ndarray, belonging: np.ndarray, resting: np.ndarray,
                 resting_until: np.ndarray, fatigue: np.ndarray, week: int, p_recruit: float, quit: float,
                 inactive_quit: float, base_recruit: np.uint64, base_quit: np.uint64, hours: float,
                 burnout_hours: float, base_strain: np.uint64, recovery: float, rest_weeks: int,
                 belonging_floor: float) -> int:
    """Rule 4 in place: recruitment (taking part, belonging above ``belonging_floor``, keyed
    uniform below ``p_recruit``), quitting (``quit``, times ``inactive_quit`` while taking no
    part and not resting), then the week's ``hours`` of volunteer work shared over the
    volunteers on duty: fatigue ``+= hours / on_duty / burnout_hours * (0.5 + u)``, recovery of
    everyone's fatigue by ``recovery``, and burn-out at 1 (rest ``rest_weeks``, no part taken).
    ``resting``: resting before this week's burn-outs. Returns the volunteers on duty."""
    n = active.size
    on_duty = 0
    for i in range(n):
        if volunteer[i]:
            q = quit * (inactive_quit if not active[i] and not resting[i] else 1.0)
            if unit(np.uint64(i), base_quit) < min(1.0, q):
                volunteer[i] = False
        elif active[i] and belonging[i] > belonging_floor and unit(np.uint64(i), base_recruit) < p_recruit:
            volunteer[i] = True
        if volunteer[i] and resting_until[i] <= week:
            on_duty += 1
    strain = burnout_hours > 0.0 and hours > 0.0
    load = hours / max(on_duty, 1) / burnout_hours if strain else 0.0
    for i in range(n):
        duty = volunteer[i] and resting_until[i] <= week
        if strain and duty:
            fatigue[i] += load * (0.5 + unit(np.uint64(i), base_strain))
        if fatigue[i] > 0.0:
            fatigue[i] *= 1.0 - recovery
        if duty and fatigue[i] >= 1.0:
            resting_until[i] = week + rest_weeks
            fatigue[i] = 0.0
            active[i] = False
    return on_duty


def join_and_leave_numpy(friendly, active, inviter, core, resting, members, threshold, invitation, invited,
                         boost, min_active_friends, p_join, leave, belonging, select):
    """The reference of :func:`join_and_leave`: ``friendly`` the scipy CSR matrix of 1 per
    friendly tie (0 on others), ``invited`` None or the lever, ``select(mask, p, slot)`` the
    stream's keyed selection (slots "join" and "leave")."""
    degree = friendly @ np.ones(active.size)
    active_friends = friendly @ active.astype(np.float64)
    asked = ((friendly @ inviter.astype(np.float64)) > 0).astype(np.float64)
    share = np.divide(active_friends, degree, out=np.zeros(active.size), where=degree > 0)
    if invited is not None:
        np.maximum(asked, invited, out=asked)
    lowered = threshold - invitation * asked - boost
    enough = active_friends >= np.where(core, 1, min_active_friends)
    join = select(~active & ~resting & enough & (share >= lowered), p_join, "join")
    return join, select(active & ~members, leave * 2.0 * (1.0 - belonging), "leave")


def volunteering_numpy(active, volunteer, belonging, resting, resting_until, fatigue, week, p_recruit, quit,
                       inactive_quit, hours, burnout_hours, recovery, rest_weeks, belonging_floor, rng) -> int:
    """The reference of :func:`volunteering`, in place, with ``rng`` the keyed stream (slots
    "volunteer", "quit", "strain")."""
    recruits = rng.select(active & ~volunteer & (belonging > belonging_floor), p_recruit, "volunteer")
    drifting = ~active & ~resting
    quits = rng.select(volunteer, np.minimum(1.0, quit * np.where(drifting, inactive_quit, 1.0)), "quit")
    volunteer[recruits] = True
    volunteer[quits] = False
    on_duty = np.flatnonzero(volunteer & (resting_until <= week))
    load = hours / max(on_duty.size, 1)
    if burnout_hours > 0 and load > 0:
        fatigue[on_duty] += load / burnout_hours * (0.5 + rng.uniform(on_duty, "strain"))
    tired = np.flatnonzero(fatigue > 0)
    fatigue[tired] *= 1.0 - recovery
    burned = on_duty[fatigue[on_duty] >= 1.0]
    resting_until[burned] = week + rest_weeks
    fatigue[burned] = 0.0
    active[burned] = False
    return int(on_duty.size)
