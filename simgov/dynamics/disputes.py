"""Disputes: they arise on ties and in buildings, escalate if left, resolve, relapse.

Rule (each week):

1. Neighbour disputes arise on ties between neighbours, building mates and hostile pairs
   at a weekly hazard scaled so that a community at average grievance has
   ``neighbor_disputes_per_1000`` a year per 1,000 residents at zero grievance; the hazard of a tie rises
   with its parties' grievance (``grievance_effect``), is ``hostile_multiplier`` times
   higher on a hostile tie, and rises with building crowding (``density_effect``); each
   tie gets a dispute with probability ``1 - exp(-hazard)`` that week, from its own keyed
   draw (the law of the Poisson number of events placed on ties by hazard drawn before
   exact common random numbers, issue 15).
2. Building issues (property management, shared space: 物业, 公共空间) arise in each
   building at ``building_issues_per_year``, raised by the building's disorder; they start
   as multi-party disputes between two residents of the building. They go first to the
   property company and the owners' committee, where the community has them
   (simgov.dynamics.property_side); what those do not settle goes on as below.
3. An open dispute escalates one stage (individual -> multi-party -> group dispute) with
   probability ``escalation[stage]`` a week, resolves informally with
   ``informal_resolution[stage]``, or goes on. Services that policies set up (lever
   ``case_handlers``: mediation, online and joint deliberation) take cases first, each up
   to its weekly capacity, the most serious first, among the disputes whose parties accept
   it (a share ``uptake`` of disputes, the same parties each week): a case taken ends in
   agreement with the service's probability, and does not escalate that week. A case
   that fails is not taken again at its stage (the parties turn to other channels or
   settle informally), only if it escalates or relapses; so the agreement rate per case is
   the service's probability, as community-mediation studies count it. An
   agreement on a building issue may fix its source (the service's ``source_fix``), which
   halves that building's rate of issues for good. Without those policies only informal
   resolution exists.
4. A resolved dispute relapses (reopens at its stage) with ``relapse`` a week during the
   ``relapse_window`` weeks after it closed, times the relapse factor of the service that
   settled it (agreements reached with procedural justice last longer, Pruitt et al. 1993).
5. While open, a dispute lowers its parties' trust in neighbours (``trust_loss``) and
   raises their grievance (``grievance_gain``); a group dispute raises the grievance of
   the whole building. On escalation the parties' tie turns hostile (``hostile_on_escalation``)
   or, where they had none, a hostile tie forms (at the network's monthly consolidation;
   family ties stay friendly). Grievance decays by ``grievance_decay``.
6. Enmity fades: at each monthly consolidation a hostile tie whose parties have no open
   dispute lapses (weight 0: no longer hostile, not yet friendly) with ``hostility_fade``
   a week, so hostile ties are a stock with an outflow as well as an inflow (McCullough,
   Fincham & Tsang 2003: forgiveness grows and the wish to avoid the offender falls with
   time since the offence).

Sources: 000 (the "1+1+3" model; 90+ disputes resolved since 2021 in 6,221 residents;
property-management disputes as multi-party); national people's-mediation figures (about
10 mediated disputes per 1,000 people a year, 2022; research/domain.md §5); Glasl (1982)
and Pruitt & Kim (2004) for staged escalation; McCullough, Fincham & Tsang (2003, J. Personality
and Social Psychology 84:540-557) for forgiveness over time; 10-30% relapse within a year in community
mediation (Pruitt et al. 1993); about 89% of neighbour disputes settled informally (UK,
Hansard 1997). Rates are assumptions calibrated to these patterns (docs/baseline.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.community.dispute_book import KINDS, SOURCE_FIX_FACTOR
from simgov.community.state import CONSOLIDATE_EVERY
from simgov.dynamics import property_side
from simgov.kernels import disputes as kernel
from simgov.kernels import threads_for
from simgov.kernels.events import tie_disputes
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream, combine
from simgov.uncertainty.priors import triangular
from simgov.vocabulary import TIE_KINDS

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "disputes"
#: Weight of the hostile tie that forms between strangers whose dispute escalates.
HOSTILE_TIE_WEIGHT = -0.3


def consolidate_network(state: CommunityState) -> None:
    """Apply the queued tie changes: family ties never turn hostile; strangers become enemies."""
    state.network.consolidate(HOSTILE_TIE_WEIGHT, TIE_KINDS.index("neighbor"), TIE_KINDS.index("household"))


class Params(Spec):
    """Parameters of the disputes mechanism (weekly probabilities unless stated)."""

    neighbor_disputes_per_1000: NonNegFloat = field(
        11.0, "neighbour disputes a year per 1,000 residents at zero grievance",
        "000: 90+ disputes resolved in ~a year among 6,221; national mediation ~10.6 per 1,000 (2022)")
    building_issues_per_year: NonNegFloat = field(
        0.5, "property and shared-space issues a year per building, at no disorder", "assumption; 000, 001")
    grievance_effect: NonNegFloat = field(4.0, "rise in a tie's dispute hazard per unit of its parties' "
                                          "mean grievance", "assumption")
    hostile_multiplier: NonNegFloat = field(5.0, "dispute hazard on a hostile tie relative to a friendly one",
                                            "assumption")
    density_effect: NonNegFloat = field(0.5, "elasticity of the dispute hazard to a building's residents "
                                        "relative to the mean building", "assumption", le=5.0)
    escalate_individual: Share = field(0.02, "weekly chance an individual dispute becomes multi-party",
                                       "assumption; Glasl 1982")
    escalate_multi_party: Share = field(0.005, "weekly chance a multi-party dispute becomes a group dispute",
                                        "assumption")
    resolve_individual: Share = field(0.10, "weekly chance of informal resolution of an individual dispute",
                                      "assumption; ~89% settled informally (Hansard 1997)")
    resolve_multi_party: Share = field(0.05, "weekly chance of informal resolution of a multi-party dispute",
                                       "assumption")
    resolve_group: Share = field(0.04, "weekly chance of informal resolution of a group dispute", "assumption")
    relapse: Share = field(0.01, "weekly chance a resolved dispute reopens within the window",
                           "Pruitt et al. 1993: 10-30% relapse within a year",
                           prior=triangular(0.004, 0.01, 0.0137, "10-30% of agreements relapse within a year "
                                            "(Pruitt et al. 1993): 1 - (1 - p)^26 over the 26-week window"))
    relapse_window: int = field(26, "weeks after resolution during which a dispute can relapse", ge=0, le=520)
    trust_loss: Share = field(0.02, "weekly relative loss of trust in neighbours for a party to an open dispute",
                              "assumption")
    grievance_gain: Share = field(0.05, "weekly rise of a party's grievance (share of room left)", "assumption")
    building_grievance_gain: Share = field(0.01, "weekly rise of grievance in a building with a group dispute",
                                           "assumption")
    grievance_decay: Share = field(0.03, "weekly decay of everyone's grievance", "assumption")
    hostile_on_escalation: Share = field(0.5, "chance the parties' tie turns hostile when a dispute escalates",
                                         "assumption; Antal, Krapivsky & Redner 2005 (signed ties)")
    hostility_fade: Share = field(0.01, "weekly chance a hostile tie without an open dispute lapses",
                                  "assumption, tuned for a steady baseline; McCullough, Fincham & Tsang 2003")


def _candidate_ties(state: CommunityState, p: Params):
    """Ties on which neighbour disputes can arise (neighbours, building mates, hostile pairs),
    their ends, and the part of their hazard that depends only on the network."""
    net, r = state.network, state.residents

    def build():
        near = (net.kind == TIE_KINDS.index("neighbor")) | (net.kind == TIE_KINDS.index("building"))
        ties = np.flatnonzero(near | (net.weight < 0))
        a, b = net.u[ties], net.v[ties]
        crowding = (state.building_size[r.building[a]] / state.building_size.mean()) ** p.density_effect
        keys = np.minimum(a, b).astype(np.int64) * r.n + np.maximum(a, b)  # a tie's key: its two ends
        return ties, a, b, crowding * np.where(net.weight[ties] < 0, p.hostile_multiplier, 1.0), keys
    return state.memo("dispute_ties", (net.version, p), build)  # an arm may change p after the warm-up


def _arise(state: CommunityState, p: Params, rng: KeyedStream, busy: np.ndarray) -> None:
    r, d = state.residents, state.disputes
    ties, a, b, static, keys = _candidate_ties(state, p)
    if ties.size and p.neighbor_disputes_per_1000 > 0:
        # Scale so that at zero grievance, friendly ties, average crowding, the yearly count is as set.
        per_tie = p.neighbor_disputes_per_1000 * r.n / 1000.0 / 52.0 / ties.size
        # Each tie gets a dispute with probability 1 - exp(-hazard), from its own keyed draw, where
        # neither end has an open dispute (one at a time); one pass (simgov.kernels.events).
        hit = tie_disputes(a, b, static, keys, r.grievance, busy, p.grievance_effect * 0.5, per_tie,
                           np.uint64(rng.base("tie_dispute")), threads=threads_for(r.n))
        if hit.size:
            d.open(a[hit], b[hit], r.building[a[hit]], 1, state.week)
    if p.building_issues_per_year > 0:
        rate = p.building_issues_per_year / 52.0 * (1.0 + state.disorder) \
            * state.building_issue_factor * state.levers.building_issue_factor
        hit = np.flatnonzero(rng.uniform(state.cache("building_keys", lambda: np.arange(rate.size)),
                                         "building_issue") < rate)
        starts = state.building_starts()
        size = state.building_size[hit]
        ok = size >= 2
        hit, size = hit[ok], size[ok]
        if hit.size:
            first = rng.integers(hit, 0, size, "first_party")  # positions within the building
            other = (first + 1 + rng.integers(hit, 0, size - 1, "second_party")) % size  # != first
            d.open(starts[hit] + first, starts[hit] + other, hit, 2, state.week, KINDS.index("building_issue"))


def _busy(state: CommunityState) -> np.ndarray:
    d = state.disputes
    return kernel.busy_parties(state.residents.n, d.party_a, d.party_b, d.closed)


def _willingness(d, rows: np.ndarray, rng: KeyedStream) -> np.ndarray:
    """Each dispute's parties' willingness to bring it to a service, uniform on [0, 1): drawn
    once, the first time a service is offered, and kept (the same parties refuse again);
    timeless, so the same whichever week a service first offers."""
    w = d.willingness[rows]
    fresh = np.isnan(w)
    if fresh.any():
        w[fresh] = rng.uniform(d.key[rows[fresh]], "willingness", timeless=True)
        d.willingness[rows[fresh]] = w[fresh]
    return w


def _escalate_and_resolve(state: CommunityState, p: Params, rng: KeyedStream) -> None:
    d = state.disputes
    open_rows = np.flatnonzero(d.open_mask() & (d.opened < state.week))  # new ones wait a week
    if not open_rows.size:
        return
    stage = d.stage[open_rows]
    handled = np.zeros(open_rows.size, bool)
    # Policies take cases first: the services for multi-party disputes (deliberation) before
    # those that take any (mediation); each takes the most serious of its eligible cases.
    for h in sorted(state.levers.case_handlers, key=lambda h: -h.min_stage):
        if h.cases <= 0:
            continue
        eligible = (stage >= h.min_stage) & ~handled
        if h.uptake < 1.0:
            eligible &= _willingness(d, open_rows, rng) < h.uptake
        eligible &= stage > d.tried_stage[open_rows]  # a failed case is not retried at its stage
        pick = np.flatnonzero(eligible)
        pick = pick[np.argsort(-stage[pick], kind="stable")][:h.cases]
        handled[pick] = True
        d.taken[open_rows[pick]] = True
        success = rng.uniform(d.key[open_rows[pick]], "agreement") < h.agreement
        d.tried_stage[open_rows[pick[~success]]] = stage[pick[~success]]
        agreed = open_rows[pick[success]]
        d.resolve(agreed, state.week)
        d.mediated[agreed] = True
        d.relapse_factor[agreed] = h.relapse_factor
        d.handled_this_week += pick.size
        d.agreed_this_week += agreed.size
        taken, done = d.handled_by.get(h.name, (0, 0))
        d.handled_by[h.name] = (taken + pick.size, done + agreed.size)
        if h.source_fix > 0:  # a shared problem settled at its source: the building's issues recede
            fixed = agreed[(d.stage[agreed] >= 2) & (rng.uniform(d.key[agreed], "source_fix") < h.source_fix)]
            state.building_issue_factor[d.building[fixed]] *= SOURCE_FIX_FACTOR
    # The informal course of the rest, and the escalating parties falling out, in one pass
    # (simgov.kernels.disputes; the hostile ties from the network's next consolidation).
    resolved, escalated, hostile = kernel.course(
        open_rows, handled, d.stage, d.key, d.closed, state.week, np.uint64(rng.base("course")),
        np.array([0.0, p.resolve_individual, p.resolve_multi_party, p.resolve_group]),
        np.array([0.0, p.escalate_individual, p.escalate_multi_party, 0.0]), np.uint64(rng.base("hostile")),
        p.hostile_on_escalation)
    d.resolved_this_week += resolved
    d.escalated_this_week += escalated.size
    if hostile.size:
        state.network.queue_hostile(d.party_a[hostile], d.party_b[hostile])


def _relapse(state: CommunityState, p: Params, rng: KeyedStream, busy: np.ndarray) -> None:
    d = state.disputes
    if len(d):
        d.relapsed_this_week += kernel.relapse(
            busy, d.party_a, d.party_b, d.closed, d.key, d.relapse_factor, d.relapses, d.mediated, d.tried_stage,
            d.property_tried, state.week, p.relapse_window, p.relapse, np.uint64(rng.base("relapse")))


def _consequences(state: CommunityState, p: Params) -> None:
    r, d = state.residents, state.disputes
    kernel.consequences(r.grievance, r.trust, r.building, state.building_size.size, d.party_a, d.party_b,
                        d.stage, d.building, d.closed, 1.0 - p.grievance_decay, float(state.levers.grievance_relief),
                        1.0 - p.trust_loss, p.grievance_gain, p.building_grievance_gain)


def _fade_hostility(state: CommunityState, p: Params, rng: KeyedStream, busy: np.ndarray) -> None:
    """Hostile ties between residents with no open dispute lapse at ``hostility_fade`` a week
    (each tie its own keyed draw, by its two ends)."""
    net = state.network
    hostile = np.flatnonzero(net.weight < 0)
    hostile = hostile[~busy[net.u[hostile]] & ~busy[net.v[hostile]]]
    if not hostile.size or p.hostility_fade <= 0:
        return
    gone = rng.happens(hostile, 1.0 - (1.0 - p.hostility_fade) ** CONSOLIDATE_EVERY, "fade",
                       keys=combine(net.u[hostile], net.v[hostile]))
    if gone.size:
        net.weight[gone] = 0.0
        net.touch()


def monthly(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    """At the network's consolidation (the end of every CONSOLIDATE_EVERY-th week): hostility fades."""
    _fade_hostility(state, params, rng, _busy(state))


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    property_side.take(state, rng)  # building issues go to the property side first
    _escalate_and_resolve(state, params, rng)
    busy = _busy(state)  # one open dispute per resident at a time
    _relapse(state, params, rng, busy)
    _arise(state, params, rng, busy)
    _consequences(state, params)
