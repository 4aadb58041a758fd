"""Synthesis of the social network: household, neighbour, building and acquaintance ties.

- Household: every pair of members of a household (strength ``weights.household``).
- Neighbour: households next to each other in a building's order (the same floor or
  stairwell, up to ``neighbor_span`` on each side) know each other with probability
  ``neighbor_tie_prob``, scaled by the two residents' sociability; one tie joins a member
  of each.
- Building: ``building_ties_per_resident`` further ties per resident on average, to
  residents of the same building, both ends chosen in proportion to sociability.
- Acquaintance: ``acquaintance_ties_per_resident`` ties per resident anywhere in the
  community; a share ``homophily`` stay within the resident's own life stage (McPherson,
  Smith-Lovin & Cook 2001). These are the shortcuts that make the network a small world
  (Watts & Strogatz 1998): clustered by household and building, yet with short paths.

A share ``hostile_tie_share`` of the ties beyond households starts hostile (negative
weight). Built with numpy in O(ties): networkx's generators are ~1000x slower at 100,000
residents (../shared/research/performance.md §5d); networkx is used to measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.community.state import Residents
from simgov.community.ties import SocialNetwork
from simgov.vocabulary import ACQUAINTANCE, BUILDING, HOUSEHOLD, NEIGHBOR, TIE_KINDS

if TYPE_CHECKING:  # annotations only: the scenario package imports the community at load time
    from simgov.scenario.schema import NetworkSpec


def _starts(labels: np.ndarray) -> np.ndarray:
    """Start index of each run of equal values in a sorted label array."""
    return np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])


class _Sampler:
    """Draws residents in proportion to sociability, overall or within blocks of an ordering."""

    def __init__(self, weights: np.ndarray, order: np.ndarray | None = None):
        self.order = np.arange(weights.size) if order is None else order
        self.cum = np.cumsum(weights[self.order])

    def within(self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """One draw per pair (lo, hi): a position in [lo, hi) of the ordering, weighted."""
        base = np.where(lo > 0, self.cum[np.maximum(lo - 1, 0)], 0.0)
        target = base + rng.random(lo.size) * (self.cum[hi - 1] - base)
        pos = np.clip(np.searchsorted(self.cum, target, side="right"), lo, hi - 1)
        return self.order[pos]

    def anywhere(self, rng: np.random.Generator, size: int) -> np.ndarray:
        n = self.cum.size
        return self.within(rng, np.zeros(size, np.int64), np.full(size, n, np.int64))


def build_network(residents: Residents, spec: NetworkSpec, rng: np.random.Generator) -> SocialNetwork:
    n = residents.n
    hh = residents.household
    soc = residents.sociability
    parts: list[tuple[np.ndarray, np.ndarray, int]] = []

    # Household cliques: members are numbered consecutively.
    hh_start = _starts(hh)
    hh_size = np.diff(np.r_[hh_start, n])
    for d in range(1, int(hh_size.max())):
        i = np.flatnonzero(hh[:-d] == hh[d:])
        parts.append((i, i + d, HOUSEHOLD))

    # Next-door households within a building.
    hh_building = residents.building[hh_start]
    for d in range(1, spec.neighbor_span + 1):
        h = np.flatnonzero(hh_building[:-d] == hh_building[d:])
        a = hh_start[h] + (rng.random(h.size) * hh_size[h]).astype(np.int64)
        b = hh_start[h + d] + (rng.random(h.size) * hh_size[h + d]).astype(np.int64)
        p = np.minimum(1.0, spec.neighbor_tie_prob * np.sqrt(soc[a] * soc[b]))
        keep = rng.random(h.size) < p
        parts.append((a[keep], b[keep], NEIGHBOR))

    everyone = _Sampler(soc)
    # Further ties within the building (residents are numbered building by building).
    m = rng.poisson(n * spec.building_ties_per_resident / 2)
    a = everyone.anywhere(rng, m)
    b_start = _starts(residents.building)
    b_end = np.r_[b_start[1:], n]
    bld = np.searchsorted(b_start, a, side="right") - 1
    parts.append((a, everyone.within(rng, b_start[bld], b_end[bld]), BUILDING))

    # Acquaintances anywhere, a share within the own life stage.
    m = rng.poisson(n * spec.acquaintance_ties_per_resident / 2)
    a = everyone.anywhere(rng, m)
    b = everyone.anywhere(rng, m)
    same = rng.random(m) < spec.homophily
    by_stage = np.argsort(residents.stage, kind="stable")
    stage_sorted = residents.stage[by_stage]
    s_start = np.searchsorted(stage_sorted, residents.stage[a[same]], side="left")
    s_end = np.searchsorted(stage_sorted, residents.stage[a[same]], side="right")
    b[same] = _Sampler(soc, by_stage).within(rng, s_start, s_end)
    parts.append((a, b, ACQUAINTANCE))

    u = np.concatenate([p[0] for p in parts]).astype(np.int64)
    v = np.concatenate([p[1] for p in parts]).astype(np.int64)
    kind = np.concatenate([np.full(p[0].size, p[2], np.int8) for p in parts])
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    ok = lo != hi
    lo, hi, kind = lo[ok], hi[ok], kind[ok]
    # One tie per pair; the first kind listed wins (household before neighbour, ...).
    keys = lo * n + hi
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    first = order[np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]]
    lo, hi, kind = lo[first], hi[first], kind[first]

    base = np.array([getattr(spec.weights, k) if k in type(spec.weights).model_fields else 0.0
                     for k in TIE_KINDS])
    weight = np.clip(base[kind] * rng.uniform(0.8, 1.2, kind.size), 0.0, 1.0)
    hostile = (kind != HOUSEHOLD) & (rng.random(kind.size) < spec.hostile_tie_share)
    weight[hostile] *= -1.0
    return SocialNetwork(n, lo, hi, weight, kind)
