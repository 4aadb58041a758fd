"""The disputes' week in a few passes over the book (simgov.dynamics.disputes, rules 3-5):
each open dispute's course, relapses, and what open disputes do to their parties.

The numpy path made some forty small array operations a week on a book of a few hundred
rows; each pass here reads the rows once. The arithmetic and the keyed draws are the same
(tests/test_kernels.py), so the same disputes resolve, escalate and relapse.
"""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.draws import unit

OPEN = np.iinfo(np.int32).max  # DisputeBook.OPEN


@numba.njit(cache=True, nogil=True)
def course(rows: np.ndarray, handled: np.ndarray, stage: np.ndarray, keys: np.ndarray, closed: np.ndarray,
           week: int, base: np.uint64, resolve_p: np.ndarray, escalate_p: np.ndarray, base_hostile: np.uint64,
           p_hostile: float) -> tuple[int, np.ndarray, np.ndarray]:
    """Rule 3's informal course of the open disputes ``rows`` not ``handled`` by a service this
    week, in place: on its keyed uniform ``u``, a dispute at stage ``s`` resolves (closed this
    ``week``) if ``u < resolve_p[s]``, else escalates one stage if ``u < resolve_p[s] +
    escalate_p[s]``; an escalating dispute's parties fall out on its keyed uniform below
    ``p_hostile``. Returns (how many resolved, the rows escalated, the rows whose parties fall out)."""
    escalated = np.empty(rows.size, np.int64)
    hostile = np.empty(rows.size, np.int64)
    resolved = 0
    ne = 0
    nh = 0
    for j in range(rows.size):
        if handled[j]:
            continue
        row = rows[j]
        s = stage[row]
        u = unit(keys[row], base)
        if u < resolve_p[s]:
            closed[row] = week
            resolved += 1
        elif u < resolve_p[s] + escalate_p[s]:
            stage[row] = s + 1
            escalated[ne] = row
            ne += 1
            if unit(keys[row], base_hostile) < p_hostile:
                hostile[nh] = row
                nh += 1
    return resolved, escalated[:ne].copy(), hostile[:nh].copy()


@numba.njit(cache=True, nogil=True)
def busy_parties(n: int, party_a: np.ndarray, party_b: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """Per resident: a party to an open dispute."""
    busy = np.zeros(n, np.bool_)
    for row in range(closed.size):
        if closed[row] == OPEN:
            busy[party_a[row]] = True
            busy[party_b[row]] = True
    return busy


@numba.njit(cache=True, nogil=True)
def relapse(busy: np.ndarray, party_a: np.ndarray, party_b: np.ndarray, closed: np.ndarray, keys: np.ndarray,
            factor: np.ndarray, relapses: np.ndarray, mediated: np.ndarray, tried_stage: np.ndarray,
            property_tried: np.ndarray, week: int, window: int, p_relapse: float, base: np.uint64) -> int:
    """Rule 4 in place: a dispute closed 1 to ``window`` weeks ago reopens on its keyed uniform
    below ``p_relapse * factor`` (in float32, as the book's factor) unless a party is ``busy``
    (in an open dispute before this week's relapses); reopened disputes lose what their
    settlement recorded, and their parties become busy. Returns how many reopened."""
    back = np.empty(closed.size, np.int64)
    k = 0
    p32 = np.float32(p_relapse)
    for row in range(closed.size):
        since = week - np.int64(closed[row])
        if since > 0 and since <= window:
            if unit(keys[row], base) < p32 * factor[row] and not busy[party_a[row]] and not busy[party_b[row]]:
                back[k] = row
                k += 1
    for j in range(k):
        row = back[j]
        closed[row] = OPEN
        relapses[row] += 1
        mediated[row] = False
        tried_stage[row] = 0
        property_tried[row] = 0
        factor[row] = 1.0
        busy[party_a[row]] = True
        busy[party_b[row]] = True
    return k


@numba.njit(cache=True, nogil=True)
def consequences(grievance: np.ndarray, trust: np.ndarray, building: np.ndarray, buildings: int,
                 party_a: np.ndarray, party_b: np.ndarray, stage: np.ndarray, dispute_building: np.ndarray,
                 closed: np.ndarray, keep: float, relief: float, trust_keep: float, gain: float,
                 building_gain: float) -> None:
    """Rule 5 in place: everyone's grievance decays (``keep`` of it stays, then ``1 - relief``
    if a policy relieves it); each party to an open dispute, once however many, keeps
    ``trust_keep`` of their trust in neighbours and gains ``gain`` of the room left in
    grievance; residents of a building with an open group dispute gain ``building_gain``."""
    n = grievance.size
    party = np.zeros(n, np.bool_)
    grouped = np.zeros(buildings, np.bool_)
    any_open = False
    any_group = False
    for row in range(closed.size):
        if closed[row] == OPEN:
            any_open = True
            party[party_a[row]] = True
            party[party_b[row]] = True
            if stage[row] == 3:
                grouped[dispute_building[row]] = True
                any_group = True
    for i in range(n):
        g = grievance[i] * keep
        if relief != 0.0:
            g = g * (1.0 - relief)
        if any_open and party[i]:
            trust[i] = trust[i] * trust_keep
            g = g + gain * (1.0 - g)
        if any_group and grouped[building[i]]:
            g = g + building_gain * (1.0 - g)
        grievance[i] = g


def course_numpy(rows, handled, stage, keys, closed, week, resolve_p, escalate_p, p_hostile, uniform):
    """The reference of :func:`course`; ``uniform(keys, slot)`` the stream's keyed uniforms
    (slots "course" and "hostile")."""
    s = stage[rows]
    u = uniform(keys[rows], "course")
    r_p, e_p = resolve_p[s], np.where(handled, 0.0, escalate_p[s])
    resolved = ~handled & (u < r_p)
    escalated = ~resolved & (u >= r_p) & (u < r_p + e_p)
    closed[rows[resolved]] = week
    up = rows[escalated]
    stage[up] += 1
    return int(resolved.sum()), up, up[uniform(keys[up], "hostile") < p_hostile]


def relapse_numpy(busy, party_a, party_b, closed, keys, factor, relapses, mediated, tried_stage, property_tried,
                  week, window, p_relapse, uniform) -> int:
    """The reference of :func:`relapse` (slot "relapse")."""
    since = week - closed.astype(np.int64)
    rows = np.flatnonzero((since > 0) & (since <= window))
    back = rows[uniform(keys[rows], "relapse") < p_relapse * factor[rows]]
    back = back[~busy[party_a[back]] & ~busy[party_b[back]]]
    closed[back] = OPEN
    relapses[back] += 1
    mediated[back] = False
    tried_stage[back] = 0
    property_tried[back] = 0
    factor[back] = 1.0
    busy[party_a[back]] = busy[party_b[back]] = True
    return int(back.size)


def consequences_numpy(grievance, trust, building, buildings, party_a, party_b, stage, dispute_building, closed,
                       keep, relief, trust_keep, gain, building_gain) -> None:
    """The reference of :func:`consequences`."""
    grievance *= keep
    if relief:
        grievance *= 1.0 - relief
    open_ = closed == OPEN
    if not open_.any():
        return
    parties = np.concatenate([party_a[open_], party_b[open_]])
    trust[parties] *= trust_keep
    grievance[parties] += gain * (1.0 - grievance[parties])
    group = open_ & (stage == 3)
    if group.any():
        hit = np.isin(building, dispute_building[group])
        grievance[hit] += building_gain * (1.0 - grievance[hit])


@numba.njit(cache=True, nogil=True)
def book_counts(stage: np.ndarray, opened: np.ndarray, closed: np.ndarray, week: int) -> np.ndarray:
    """The weekly record's counts over the book in one pass (simgov.metrics): disputes open,
    group disputes (stage 3) open, disputes opened in the last 52 weeks, of which closed, and
    group disputes in the whole book."""
    out = np.zeros(5, np.int64)
    for row in range(stage.size):
        is_open = closed[row] == OPEN
        group = stage[row] == 3
        out[0] += is_open
        out[1] += group and is_open
        if opened[row] > week - 52:
            out[2] += 1
            out[3] += not is_open
        out[4] += group
    return out
