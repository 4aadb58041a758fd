"""Turnover: households move out, and newcomers move into their flats without ties.

In practice: B community is a public-rental estate whose residents are "highly mobile"
(流动性大, 000): tenants leave when their lease or eligibility ends and the flat is let to
another eligible household. A household that leaves takes its ties, its volunteering, its
memberships and its open disputes with it; the newcomers know no one, no service knows of
their needs, and they trust as newcomers do.

Rule (monthly, at the end of the week in which the network consolidates, every
``EVERY`` weeks: the last of the week's mechanisms, so the network's consolidation right after
it applies the moves; moving weekly would rebuild the network's operators every week):

1. Moving out. Each household moves out with probability ``1 - (1 - m)^(4/52)``, m the
   scenario's ``community.move_out_per_year`` (one keyed draw per household and month).
   The whole household leaves together.
2. Moving in. The flat is let again at once, so the number of residents stays fixed: each
   leaver's row becomes a newcomer's. The newcomer keeps the flat's profile drawn at the
   set-up (life stage, disability, subsistence aid, empty-nest, special group,
   sociability and participation threshold), so the population's composition stays as
   the scenario sets it (an allocation to a household of the same kind).
3. What leaves with the leavers: their ties beyond the household (removed from the
   network at the consolidation; the flat's household ties stay, as the newcomers' family ties) and the tie
   changes queued for them; their needs; steady volunteering (the volunteers' stock loses
   them), fatigue and rest; their memberships (each organisation loses the member; a
   leader who leaves is followed by the first remaining member); their open disputes (closed
   in the week they leave, not as resolved by anyone, and never relapsing); their taking part.
4. What newcomers bring: no ties beyond the household, no known needs, no grievance;
   trust in neighbours, in the committee and belonging drawn afresh (and as their
   dispositions) from the scenario's starting distributions (``community.initial``,
   Beta with those means and spread, keyed by resident and week); Party membership with the
   scenario's share of resident Party members (a keyed draw).
5. Settling in: newcomers arrive without ties beyond the household; at the next month's
   turnover (their ties made at the consolidation after it, four weeks after they arrived)
   they make the ties the network rule gives a resident at the
   set-up (simgov.community.network), times ``settling``: the newcomer household gets to
   know each next-door household (within ``neighbor_span`` in the building) with the rule's
   chance (``neighbor_tie_prob``, scaled by sociability); each newcomer makes a Poisson number
   of building and of acquaintance ties (the rule's ties per resident times their
   sociability) to residents drawn in proportion to sociability, acquaintances a share
   ``homophily`` within the life stage; all start friendly at the kind's strength. The ties
   that lapse with the leavers' (activity ties, ties made stronger or hostile over years)
   are not remade: every stock built over time (ties, volunteers, members, trust) has an
   outflow here.

Sources: 000 (B community's residents are highly mobile, 流动性大); Huang & Deng (2006,
Housing Studies 21(5)) on residential mobility in Chinese cities; the rate is the scenario's
(simgov.scenario.schema.Community.move_out_per_year); how newcomers settle in is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from simgov.agents import keep_members_of
from simgov.arrays import unique_first
from simgov.community.state import CONSOLIDATE_EVERY
from simgov.kernels.draws import poisson_quantile
from simgov.kernels.turnover import further_ties
from simgov.params import Share, Spec, field
from simgov.streams import KeyedStream, combine
from simgov.vocabulary import ACQUAINTANCE, BUILDING, NEIGHBOR, NEVER

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "turnover"
#: Moves are made monthly, in the week of the network's consolidation (which applies them).
EVERY = CONSOLIDATE_EVERY


class Params(Spec):
    """Parameters of turnover (the rate itself is the scenario's ``community.move_out_per_year``)."""

    settling: Share = field(1.0, "share of the ties the network rule gives a resident at the set-up that a "
                            "newcomer makes in their first month (0: newcomers stay strangers until they take part)",
                            "assumption: neighbours on a floor and in a building meet soon after a move; lower it "
                            "to study newcomers who stay strangers")


@dataclass(frozen=True)
class Newcomers:
    """What the scenario says about who moves in (set by the model from the scenario)."""

    move_out_per_year: float = 0.0
    trust: tuple[float, float] = (0.55, 0.15)  # mean and sd of trust in neighbours
    trust_committee: tuple[float, float] = (0.6, 0.15)
    belonging: tuple[float, float] = (0.5, 0.15)
    party_share: float = 0.0  # share of residents who are Party members
    neighbor_span: int = 2  # the network rule (simgov.community.network), for newcomers' ties
    neighbor_tie_prob: float = 0.5
    building_ties: float = 1.0  # mean further ties per resident within the building
    acquaintance_ties: float = 0.6  # mean ties per resident anywhere
    homophily: float = 0.6
    weights: tuple[float, float, float] = (0.5, 0.3, 0.4)  # neighbour, building, acquaintance tie strength

    @classmethod
    def of(cls, scenario) -> Newcomers:
        c, init, net = scenario.community, scenario.community.initial, scenario.network
        return cls(move_out_per_year=c.move_out_per_year, trust=(init.trust_neighbors, init.spread),
                   trust_committee=(init.trust_committee, init.spread), belonging=(init.belonging, init.spread),
                   party_share=scenario.actors.party_members_resident / c.residents,
                   neighbor_span=net.neighbor_span, neighbor_tie_prob=net.neighbor_tie_prob,
                   building_ties=net.building_ties_per_resident, acquaintance_ties=net.acquaintance_ties_per_resident,
                   homophily=net.homophily,
                   weights=(net.weights.neighbor, net.weights.building, net.weights.acquaintance))


def beta_shape(mean: float, sd: float) -> tuple[float, float]:
    """Beta shape parameters (a, b) with ``mean`` and about ``sd`` (concentration at least 0.5),
    as the set-up draws attitudes (simgov.community.population)."""
    mean = min(max(mean, 1e-3), 1 - 1e-3)
    concentration = max(mean * (1 - mean) / sd**2 - 1.0, 0.5)
    return mean * concentration, (1 - mean) * concentration



def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    state.moved_in_this_week = 0
    rule: Newcomers = state.newcomers
    if rule is None or state.week % EVERY:
        return
    r = state.residents
    households = state.cache("household_keys", lambda: np.arange(r.household[-1] + 1))
    moving = np.empty(0, np.int64)
    if rule.move_out_per_year > 0:
        moving = rng.happens(households, 1.0 - (1.0 - rule.move_out_per_year) ** (EVERY / 52.0), "move_out")
    gone = np.zeros(households.size, bool)
    gone[moving] = True
    if moving.size:
        leaving = gone[r.household]
        who = np.flatnonzero(leaving)
        state.moved_in_this_week = int(who.size)
        _leave(state, leaving, who)
        _arrive(state, rule, who, rng)
    if state.arrivals is not None:  # last month's newcomers settle in (those still here)
        settled, newcomers = state.arrivals
        settled = settled[~gone[settled]]
        newcomers = newcomers[~gone[r.household[newcomers]]]
        _next_door(state, rule, params, settled, rng)
        _further_ties(state, rule, params, newcomers, rng)
    state.arrivals = (moving, np.flatnonzero(gone[r.household])) if moving.size else None


def _leave(state: CommunityState, leaving: np.ndarray, who: np.ndarray) -> None:
    r = state.residents
    r.needs[:, who] = 0.0
    r.need_known[:, who] = False
    r.need_reach[:, who] = 0
    r.volunteer[who] = False
    r.active[who] = False
    r.fatigue[who] = 0.0
    r.resting_until[who] = NEVER
    r.grievance[who] = 0.0
    state.network.queue_leavers(leaving)
    keep_members_of(state.active_organisations(), ~leaving)
    d = state.disputes
    if len(d):
        rows = np.flatnonzero(d.open_mask() & (leaving[d.party_a] | leaving[d.party_b]))
        d.closed[rows] = state.week
        d.relapse_factor[rows] = 0.0


def _arrive(state: CommunityState, rule: Newcomers, who: np.ndarray, rng: KeyedStream) -> None:
    r = state.residents
    for slot, now, disposition, (mean, sd) in (
            ("trust", r.trust, r.trust0, rule.trust),
            ("trust_committee", r.trust_committee, r.trust_committee0, rule.trust_committee),
            ("belonging", r.belonging, r.belonging0, rule.belonging)):
        # special.betaincinv is what stats.beta.ppf computes, without its per-call argument checks
        now[who] = disposition[who] = special.betaincinv(*beta_shape(mean, sd), rng.uniform(who, slot))
    r.party_member[who] = rng.uniform(who, "party") < rule.party_share


def _next_door(state: CommunityState, rule: Newcomers, params: Params, moving: np.ndarray,
               rng: KeyedStream) -> None:
    """Queue the newcomers' next-door ties, by the network rule (keyed by the pair of households)."""
    r = state.residents
    bounds = state.household_bounds()
    starts = bounds[:-1]
    sizes = state.cache("household_sizes", lambda: np.diff(bounds))
    building = state.cache("household_buildings", lambda: r.building[starts])
    pairs = []
    for d in range(1, rule.neighbor_span + 1):
        for h, other in ((moving, moving + d), (moving - d, moving)):
            ok = (h >= 0) & (other < starts.size)
            h, other = h[ok], other[ok]
            ok = building[h] == building[other]
            pairs.append((h[ok], other[ok]))
    lo = np.concatenate([p[0] for p in pairs])
    hi = np.concatenate([p[1] for p in pairs])
    if not lo.size:
        return
    key, first = unique_first(combine(lo, hi))  # two newcomer households next door: once
    lo, hi = lo[first], hi[first]
    a = starts[lo] + (rng.uniform(key, "member_a") * sizes[lo]).astype(np.int64)
    b = starts[hi] + (rng.uniform(key, "member_b") * sizes[hi]).astype(np.int64)
    p = params.settling * np.minimum(1.0, rule.neighbor_tie_prob * np.sqrt(r.sociability[a] * r.sociability[b]))
    meet = rng.uniform(key, "meet") < p
    if meet.any():
        state.network.queue_ties(a[meet], b[meet], rule.weights[0], NEIGHBOR)


def _further_ties(state: CommunityState, rule: Newcomers, params: Params, who: np.ndarray,
                  rng: KeyedStream) -> None:
    """Queue the newcomers' building and acquaintance ties by the network rule: a newcomer
    makes a Poisson number of each with mean ``settling`` x the rule's ties per resident x
    their sociability, to residents drawn in proportion to sociability (within the building;
    acquaintances a share ``homophily`` within the life stage). Keyed by (newcomer, tie number);
    the ties of each kind in one pass (simgov.kernels.turnover), as :func:`_further_ties_numpy`."""
    r = state.residents
    cum, by_stage, stage_cum, stage_sorted = _sociability_sums(state)
    spans = state.cache("stage_spans", lambda: (np.searchsorted(stage_sorted, np.arange(stage_sorted.max() + 1)),
                                                np.searchsorted(stage_sorted, np.arange(stage_sorted.max() + 1),
                                                                side="right")))
    starts = state.building_starts()
    ends = np.append(starts[1:], r.n)
    for kind, per_resident, weight in ((BUILDING, rule.building_ties, rule.weights[1]),
                                       (ACQUAINTANCE, rule.acquaintance_ties, rule.weights[2])):
        count = poisson_counts(rng.uniform(who, f"ties:{kind}"), params.settling * per_resident * r.sociability[who])
        if kind == BUILDING:
            lo, hi, homophily = starts[r.building[who]], ends[r.building[who]], 0.0
        else:
            lo, hi, homophily = np.zeros_like(who), np.full_like(who, r.n), rule.homophily
        owner, partner = further_ties(who.astype(np.int64), count, np.uint64(rng.base(f"partner:{kind}")), cum,
                                      lo.astype(np.int64), hi.astype(np.int64),
                                      np.uint64(rng.base(f"homophily:{kind}")), float(homophily), by_stage,
                                      stage_cum, *spans, r.stage)
        if owner.size:
            state.network.queue_ties(owner, partner, weight, kind)


def _sociability_sums(state: CommunityState):
    """(running sum of sociability over residents, residents ordered by life stage, the running
    sum in that order, their stages in that order), built once."""
    r = state.residents
    soc = r.sociability
    everyone = state.cache("sociability_cum", lambda: np.cumsum(soc))  # residents numbered by building
    by_stage = state.cache("stage_order", lambda: np.argsort(r.stage, kind="stable"))
    stage_cum = state.cache("stage_sociability_cum", lambda: np.cumsum(soc[by_stage]))
    stage_sorted = state.cache("stage_sorted", lambda: r.stage[by_stage])
    return everyone, by_stage, stage_cum, stage_sorted


def _further_ties_numpy(state: CommunityState, rule: Newcomers, params: Params, who: np.ndarray,
                        rng: KeyedStream) -> None:
    """The reference of :func:`_further_ties`."""
    r = state.residents
    everyone, by_stage, stage_cum, stage_sorted = _sociability_sums(state)
    starts = state.building_starts()
    ends = np.append(starts[1:], r.n)
    for kind, per_resident, weight in ((BUILDING, rule.building_ties, rule.weights[1]),
                                       (ACQUAINTANCE, rule.acquaintance_ties, rule.weights[2])):
        mean = params.settling * per_resident * r.sociability[who]
        count = poisson_counts(rng.uniform(who, f"ties:{kind}"), mean)
        owner = np.repeat(who, count)
        if not owner.size:
            continue
        key = combine(owner, np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count))
        u = rng.uniform(key, f"partner:{kind}")
        if kind == BUILDING:
            lo, hi = starts[r.building[owner]], ends[r.building[owner]]
            partner = _pick(everyone, lo, hi, u)
        else:
            partner = _pick(everyone, np.zeros_like(owner), np.full_like(owner, r.n), u)
            same = rng.uniform(key, f"homophily:{kind}") < rule.homophily
            lo = np.searchsorted(stage_sorted, r.stage[owner[same]], side="left")
            hi = np.searchsorted(stage_sorted, r.stage[owner[same]], side="right")
            partner[same] = by_stage[_pick(stage_cum, lo, hi, u[same])]
        ok = partner != owner
        state.network.queue_ties(owner[ok], partner[ok], weight, kind)


def poisson_counts(q: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """The Poisson quantiles at ``q``: summed terms in one pass (simgov.kernels.draws) for the
    usual small means, :func:`poisson_ppf` for the rest."""
    out = poisson_quantile(q, mu)
    big = out < 0
    if big.any():
        out[big] = poisson_ppf(q[big], mu[big])
    return out


def poisson_ppf(q: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """The Poisson quantile at ``q`` (as ``stats.poisson.ppf`` computes it, from scipy.special,
    without its per-call overhead of about a millisecond)."""
    vals = np.ceil(special.pdtrik(q, mu))
    lower = np.maximum(vals - 1.0, 0.0)
    out = np.where(special.pdtr(lower, mu) >= q, lower, vals)
    return np.where(mu > 0, out, 0.0).astype(np.int64)


def _pick(cum: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each draw u, a position in [lo, hi) in proportion to the weights whose running sum is ``cum``."""
    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    target = base + u * (cum[hi - 1] - base)
    return np.clip(np.searchsorted(cum, target, side="right"), lo, hi - 1)
