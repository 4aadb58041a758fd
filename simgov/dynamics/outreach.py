"""Outreach: how needs become known, and home visits.

Rule (each week), for every resident with a need no service knows of:

1. Self-report: the resident reports it with probability ``self_report * trust_committee``
   if they have a friendly tie outside their household; an isolated resident reports with
   ``isolated_report`` of that (default 0: their needs stay hidden until someone comes).
2. Referral: each friendly tie to a steady volunteer or Party member passes the need on
   with probability ``referral`` (volunteers and Party members are the committee's eyes).
   A need found by self-report is in the committee's channel, one passed on by a volunteer
   in the volunteers' and by a Party member in the Party's (simgov.dynamics.linkage: who
   may serve it); when more than one route finds it in the same week, one is drawn in
   proportion to their chances. Routine and policy visits find needs for the committee.
3. Routine visits: grid workers make ``grid_worker_households`` visits each a week to
   households chosen independently at random, so a household is visited with probability
   ``1 - exp(-visits / households)`` (one keyed draw per household); every need of a
   visited household becomes known.
4. Extra visits (policy lever ``visits``, e.g. door-knocking 天天敲门) reach households
   first by ``visit_priority``: the most vulnerable (empty-nest, disabled, low-income,
   special; then the isolated), the most isolated, or at random. Visits find every need of
   the household; the visitor speaks to one member (at random), who gains the visit's
   trust in the committee and belonging and is invited to take part; each other member
   of the household gets ``household_spillover`` of that effect (Nickerson 2008: 60% of a
   personal contact's effect passes to the other household member). Visits may also
   settle brewing individual disputes (policy levers ``visit_trust_gain``,
   ``visit_invitation``, ``visit_dispute_catch``). A programme works
   down its list week after week and ranks the households afresh each time round.
   Added grid workers (lever ``routine_visits``) add routine visits as in 3.
5. A shock that limits in-person contact (lever ``in_person_factor``, an epidemic lockdown)
   cuts the routine visits of 3 and the extra visits of 4 to that share.

Sources: 000 (1,800 visit person-times by cadres, grid workers and volunteers; grid chiefs);
001 (door-knocking group visits the lonely, empty-nest and disabled first, and finds needs
early); Cacioppo, Fowler & Christakis 2009 (loneliness at the network periphery); Nickerson
2008 (APSR 102:49-57, household spillover of a personal contact). Rates are
assumptions calibrated against the patterns in docs/baseline.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.kernels import outreach as kernel
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream
from simgov.vocabulary import COMMITTEE

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "outreach"


class Params(Spec):
    """Parameters of the outreach mechanism (weekly)."""

    self_report: Share = field(0.15, "weekly chance a connected resident who fully trusts the committee "
                               "reports a need (scaled by trust in the committee)", "assumption")
    isolated_report: Share = field(0.0, "self-report chance of an isolated resident, relative to a "
                                   "connected one", "assumption; 001: hidden needs of isolated residents")
    referral: Share = field(0.03, "weekly chance that one friendly tie to a volunteer or Party member "
                            "passes a need on", "assumption")
    grid_worker_households: NonNegFloat = field(
        4.0, "households a grid worker visits in a week of routine work",
        "assumption: every household of a grid of about 250 (000: 2,534 households, 10 grids) about once a "
        "year; 000's grid workers are residents serving part-time (一岗双责). 000's 1,800 visit person-times "
        "are a cumulative count with no period, made by cadres, grid workers and volunteers in a campaign "
        "with 3,000+ leaflets, so they do not fix this routine rate")
    household_spillover: Share = field(
        0.6, "share of a policy visit's effect (trust gained, invitation) that reaches each household member "
        "other than the one visited", "Nickerson 2008: 60% of the effect passes to the other household member")


def visit_order(state: CommunityState, priority: str, rng: KeyedStream) -> np.ndarray:
    """Households in the order a visiting programme reaches them (random orders and ties are
    keyed by household, so a household's place does not depend on earlier draws)."""
    r = state.residents
    households = np.arange(r.household[-1] + 1)  # numbered 0..H-1 in resident order
    noise = rng.uniform(households, "visit_order")
    if priority == "random":
        return np.argsort(noise, kind="stable")
    isolated = state.network.friends_outside_household() == 0
    score_by = {"vulnerable": r.vulnerable * 2.0 + isolated, "isolated": isolated * 2.0 + r.vulnerable}
    score = np.bincount(r.household, weights=score_by[priority], minlength=households.size)
    return np.lexsort((noise, -score))  # the noise breaks ties at random


def visit(state: CommunityState, households: np.ndarray, force: int = COMMITTEE) -> np.ndarray:
    """Make known every need of the members of ``households``, in the channel of the visitors'
    force (``FORCES[force]``, the committee's by default); returns the residents visited."""
    residents = household_members(state, households)
    state.residents.find_needs(residents, force)
    return residents


def household_members(state: CommunityState, households: np.ndarray) -> np.ndarray:
    """The members of ``households`` (in any order, repeats allowed), ascending: each distinct
    household's block of consecutive residents (CommunityState.household_bounds)."""
    bounds = state.household_bounds()
    distinct = np.unique(households)
    starts = bounds[distinct]
    counts = bounds[distinct + 1] - starts
    return np.repeat(starts, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))


def _routine_visits(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r = state.residents
    expected = (state.capacity.grid_workers * params.grid_worker_households + state.levers.routine_visits) \
        * state.levers.in_person_factor
    if expected <= 0:
        return
    # Grid workers choose independently, so a household gets a Poisson(expected / H) number of
    # visits and is visited at least once with 1 - exp(-expected / H): one keyed draw per household.
    starts = state.household_bounds()
    kernel.routine_visits(starts, -np.expm1(-expected / (starts.size - 1)), np.uint64(rng.base("routine_visit")),
                          np.uint8(1 << COMMITTEE), r.needs, r.need_known, r.need_reach)


def next_households(store: dict, key: str, k: int, make_order) -> np.ndarray:
    """The next ``k`` households of a programme that works down a list (``make_order()``)
    week after week, and makes a fresh list each time it has been round; where it has got
    to is kept in ``store[key]``."""
    cursor, order = store.get(key, (0, None))
    parts = []
    while k > 0:
        if order is None or cursor >= order.size:
            order, cursor = make_order(), 0
        part = order[cursor:cursor + k]
        parts.append(part)
        cursor += part.size
        k -= part.size
    store[key] = (cursor, order)
    return np.concatenate(parts) if parts else np.empty(0, np.int64)


def contact_strength(state: CommunityState, households: np.ndarray, residents: np.ndarray, spillover: float,
                     rng: KeyedStream) -> np.ndarray:
    """For each of ``residents`` (the members of the sorted, distinct ``households``, in
    resident order): 1 for the one member of each household the visitor speaks to (a keyed
    draw by household), ``spillover`` for the others."""
    bounds = state.household_bounds()
    starts = bounds[households]
    sizes = bounds[households + 1] - starts
    contact = (rng.uniform(households, "contact") * sizes).astype(np.int64)  # place within the household
    strength = np.full(residents.size, spillover)
    strength[np.cumsum(sizes) - sizes + contact] = 1.0  # residents run household block by block
    return strength


def _policy_visits(state: CommunityState, spillover: float, rng: KeyedStream) -> None:
    lev = state.levers
    visits = lev.visits if lev.in_person_factor == 1.0 else int(lev.visits * lev.in_person_factor)
    if visits <= 0:
        return
    r = state.residents
    households = np.unique(next_households(state.cursors, f"visit_order:{lev.visit_priority}", visits,
                                           lambda: visit_order(state, lev.visit_priority, rng)))
    residents = visit(state, households)
    strength = contact_strength(state, households, residents, spillover, rng)
    gain = lev.visit_trust_gain * strength
    if lev.visit_trust_gain > 0:
        r.trust_committee[residents] += gain * (1.0 - r.trust_committee[residents])
        r.belonging[residents] += 0.5 * gain * (1.0 - r.belonging[residents])
    if lev.visit_invitation:
        lev.invite(residents, r.n, strength)
    if lev.visit_dispute_catch > 0 and len(state.disputes):
        d = state.disputes
        visited = np.zeros(r.n, bool)
        visited[residents] = True
        brewing = np.flatnonzero(d.open_mask() & (d.stage == 1) & visited[d.party_a])
        settled = rng.happens(brewing, lev.visit_dispute_catch, "dispute_catch", keys=d.key[brewing])
        d.resolve(settled, state.week)


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r, net = state.residents, state.network
    holders = np.flatnonzero(r.has_undetected_need())
    if holders.size:
        # One pass over the holders' own ties (simgov.kernels.outreach): their friendly ties to
        # volunteers and Party members, the chances, the keyed draws and the needs found.
        indptr, indices = net.friendly_csr()
        kernel.report(holders, indptr, indices, r.volunteer, r.party_member,
                      net.friends_outside_household(), r.trust_committee, params.self_report,
                      params.isolated_report, params.referral, np.uint64(rng.base("report")),
                      np.uint64(rng.base("channel")), kernel.ROUTE_BITS, r.needs, r.need_known, r.need_reach)
    _routine_visits(state, params, rng)
    _policy_visits(state, params.household_spillover, rng)
