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
from simgov.kernels.threads import in_chunks


@numba.njit(cache=True, nogil=True)
def codes(active: np.ndarray, inviter: np.ndarray) -> np.ndarray:
    """Each resident's two flags in one word, so a row's counts take one gather per tie."""
    code = np.empty(active.size, np.int64)
    for j in range(active.size):
        code[j] = np.int64(active[j]) + (np.int64(inviter[j]) << 32)
    return code


@numba.njit(cache=True, nogil=True)
def join_and_leave_rows(indptr: np.ndarray, indices: np.ndarray, code: np.ndarray, active: np.ndarray,
                        core: np.ndarray, resting: np.ndarray, members: np.ndarray, threshold: np.ndarray,
                        invitation: float, invited: np.ndarray, boost: float, min_active_friends: int,
                        p_join: float, base_join: np.uint64, leave: float, belonging: np.ndarray,
                        base_leave: np.uint64, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(residents who join, residents who leave) among residents ``lo`` to ``hi - 1``, in
    increasing order, from the state before either; ``indptr``, ``indices``: the friendly ties
    only (SocialNetwork.friendly_csr); ``code``: :func:`codes` of the residents taking part
    and of the inviters (Party members, members of active organisations).

    A resident not taking part nor resting joins, on their keyed uniform below ``p_join``, when
    the share of their friendly ties who take part reaches their threshold (lowered by
    ``invitation`` if a friend is an inviter, or by the policy lever ``invited`` where larger:
    an empty array when no policy invites; and by ``boost``) and at least one (core) or
    ``min_active_friends`` friends take part. One taking part and not a member of an active
    organisation leaves on their keyed uniform below ``leave * 2 (1 - belonging)``."""
    joins = np.empty(hi - lo, np.int64)
    leaves = np.empty(hi - lo, np.int64)
    nj = 0
    nl = 0
    lever = invited.size > 0
    for i in range(lo, hi):
        if active[i]:
            if not members[i] and unit(np.uint64(i), base_leave) < leave * 2.0 * (1.0 - belonging[i]):
                leaves[nl] = i
                nl += 1
            continue
        # The keyed draw first (the conditions are pure, so their order changes nothing): at a
        # weekly chance of about 0.1 it spares nine rows in ten their count of friends.
        if resting[i] or not unit(np.uint64(i), base_join) < p_join:
            continue
        start = indptr[i]
        stop = indptr[i + 1]
        total = np.int64(0)
        for e in range(start, stop):
            total += code[indices[e]]
        taking = float(total & 0xFFFFFFFF)
        asked = 1.0 if (total >> 32) > 0 else 0.0
        if lever and invited[i] > asked:
            asked = invited[i]
        share = taking / (stop - start) if stop > start else 0.0
        needed = 1.0 if core[i] else float(min_active_friends)
        if taking >= needed and share >= threshold[i] - invitation * asked - boost:
            joins[nj] = i
            nj += 1
    return joins[:nj].copy(), leaves[:nl].copy()


def join_and_leave(indptr, indices, active, inviter, core, resting, members, threshold, invitation, invited,
                   boost, min_active_friends, p_join, base_join, leave, belonging, base_leave,
                   threads: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Rules 1-2 over every resident (:func:`join_and_leave_rows`), the residents split over
    ``threads`` threads (simgov.kernels.threads: the same result as one)."""
    code = codes(active, inviter)
    parts = in_chunks(lambda lo, hi: join_and_leave_rows(
        indptr, indices, code, active, core, resting, members, threshold, invitation, invited, boost,
        min_active_friends, p_join, base_join, leave, belonging, base_leave, lo, hi), active.size, threads)
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


@numba.njit(cache=True, nogil=True)
def roles(party: np.ndarray, volunteer: np.ndarray, stage: np.ndarray, members: np.ndarray,
          elderly: int) -> tuple[np.ndarray, np.ndarray]:
    """(inviters: Party members and members of active organisations; the low-threshold core:
    Party members, steady volunteers and residents of life stage ``elderly``), in one pass
    (reference: ``party | members`` and ``party | volunteer | (stage == elderly)``)."""
    n = party.size
    inviter = np.empty(n, np.bool_)
    core = np.empty(n, np.bool_)
    for i in range(n):
        inviter[i] = party[i] or members[i]
        core[i] = party[i] or volunteer[i] or stage[i] == elderly
    return inviter, core


@numba.njit(cache=True, nogil=True)
def take_part(active: np.ndarray, join: np.ndarray, leave: np.ndarray, members: np.ndarray,
              resting: np.ndarray) -> np.ndarray:
    """The week's taking part, in place, and the residents now taking part (ascending): those
    who ``join`` and the ``members`` of active organisations take part, those who ``leave``
    (never members: :func:`join_and_leave_rows`) and those ``resting`` do not (reference:
    ``active[join] = True; active |= members; active[leave] = False; active &= ~resting``)."""
    for i in join:
        active[i] = True
    for i in leave:
        active[i] = False
    out = np.empty(active.size, np.int64)
    k = 0
    for i in range(active.size):
        a = (active[i] or members[i]) and not resting[i]
        active[i] = a
        if a:
            out[k] = i
            k += 1
    return out[:k].copy()


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
