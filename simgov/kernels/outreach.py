"""Outreach's week in a few passes (simgov.dynamics.outreach): needs found by self-report and
referral, routine visits, and the bookkeeping of a found need (known, and in which channel).

The numpy path counted each resident's friendly ties to volunteers and to Party members with
two sparse products over everyone, every week (the volunteers change weekly), though only the
few residents with a hidden need use them; :func:`report` counts them over those residents'
CSR rows only and draws in the same loop. Same numbers as the numpy reference
(tests/test_kernels.py): counts are exact, and the probabilities are the same IEEE operations.
"""

from __future__ import annotations

import numba
import numpy as np

from simgov.kernels.draws import unit
from simgov.vocabulary import COMMITTEE, PARTY, VOLUNTEERS

#: The channels of :func:`report`'s routes, as bits of a need's reach: self-report (the
#: committee's), volunteers, Party members.
ROUTE_BITS = np.array([1 << COMMITTEE, 1 << VOLUNTEERS, 1 << PARTY], np.uint8)


@numba.njit(cache=True, nogil=True, inline="always")
def _find(i: int, bit: np.uint8, needs: np.ndarray, known: np.ndarray, reach: np.ndarray) -> None:
    for t in range(needs.shape[0]):
        if needs[t, i] > 0.0:
            known[t, i] = True
            reach[t, i] |= bit


@numba.njit(cache=True, nogil=True)
def find_needs(residents: np.ndarray, bit: np.uint8, needs: np.ndarray, known: np.ndarray,
               reach: np.ndarray) -> None:
    """Every open need of ``residents`` becomes known and gains the channel ``bit``, in place
    (reference: ``Residents.find_needs``)."""
    for i in residents:
        _find(i, bit, needs, known, reach)


@numba.njit(cache=True, nogil=True)
def report(holders: np.ndarray, indptr: np.ndarray, indices: np.ndarray, volunteer: np.ndarray,
           party: np.ndarray, outside: np.ndarray, trust_committee: np.ndarray, self_report: float,
           isolated_report: float, referral: float, base_report: np.uint64, base_channel: np.uint64,
           bits: np.ndarray, needs: np.ndarray, known: np.ndarray, reach: np.ndarray) -> int:
    """Self-report and referral of the hidden needs of ``holders``, in place; returns how many
    holders' needs were found; ``indptr``, ``indices``: the friendly ties only
    (SocialNetwork.friendly_csr). A holder reports with ``1 - (1 - p_self)(1 - p_vol)(1 - p_party)``
    (``p_vol = 1 - (1 - referral)^k`` over ``k`` friendly ties to volunteers, ``p_party`` the
    same over ties to Party members who are not volunteers), the channel drawn in proportion to
    the three chances; ``bits`` are the channels' bits (committee, volunteers, Party)."""
    found = 0
    keep = 1.0 - referral
    for i in holders:
        vol = 0.0
        par = 0.0
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            if volunteer[j]:
                vol += 1.0
            elif party[j]:
                par += 1.0
        p_self = self_report * trust_committee[i] * (1.0 if outside[i] > 0.0 else isolated_report)
        p_vol = 1.0 - keep ** vol
        p_party = 1.0 - keep ** par
        miss = (1.0 - p_self) * (1.0 - p_vol) * (1.0 - p_party)
        if not unit(np.uint64(i), base_report) < 1.0 - miss:
            continue
        pick = unit(np.uint64(i), base_channel) * (p_self + p_vol + p_party)
        route = (1 if pick >= p_self else 0) + (1 if pick >= p_self + p_vol else 0)
        _find(i, bits[route], needs, known, reach)
        found += 1
    return found


@numba.njit(cache=True, nogil=True)
def routine_visits(starts: np.ndarray, p: float, base: np.uint64, bit: np.uint8, needs: np.ndarray,
                   known: np.ndarray, reach: np.ndarray) -> int:
    """Households (``starts[h]`` to ``starts[h + 1]``: their members, consecutive) visited with
    probability ``p`` each, on household ``h``'s keyed uniform; every need of a visited
    household's members becomes known in the channel ``bit``. Returns the households visited."""
    visited = 0
    for h in range(starts.size - 1):
        if unit(np.uint64(h), base) < p:
            for i in range(starts[h], starts[h + 1]):
                _find(i, bit, needs, known, reach)
            visited += 1
    return visited


def report_numpy(holders, links, outside, trust_committee, self_report, isolated_report, referral, uniform):
    """The reference of :func:`report`'s draws: (found residents, route 0/1/2 of each), with
    ``links`` the (n, 2) counts of friendly ties to volunteers and to other Party members and
    ``uniform(keys, slot)`` the stream's keyed uniforms."""
    connected = outside[holders] > 0
    p_self = self_report * trust_committee[holders] * np.where(connected, 1.0, isolated_report)
    p_vol, p_party = (1.0 - (1.0 - referral) ** links[holders]).T
    miss = (1.0 - p_self) * (1.0 - p_vol) * (1.0 - p_party)
    hit = uniform(holders, "report") < 1.0 - miss
    found = holders[hit]
    weights = np.column_stack([p_self, p_vol, p_party])[hit]
    pick = uniform(found, "channel") * weights.sum(axis=1)
    route = (pick[:, None] >= np.cumsum(weights, axis=1)[:, :2]).sum(axis=1)
    return found, route

