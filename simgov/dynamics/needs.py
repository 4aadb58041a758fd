"""Needs: residents develop needs by group, unmet needs worsen, problems resonate.

Rule (each week):

1. Incidence. A resident without an open need of type k develops one at the yearly
   hazard ``rate_k`` (at most one new need per resident per week): the incidence of type k
   among those eligible for it (elderly care: elderly and migrant elderly; disability support: disabled;
   child care: children; employment: adults of working age; legal: adults; health, housing
   and property: everyone), times ``vulnerability_multiplier`` for empty-nest, low-income
   and special-group residents, times ``incidence_scale``.
2. Problem resonance (问题共振效应, 000): the rate is multiplied by
   ``1 + resonance * disorder_b``, where disorder_b is the share of residents of the
   resident's building with an unmet need or in an open dispute (measured at the start of
   the week).
3. A shock may multiply a resident's rates this week (lever ``need_rate_factor``: an
   epidemic raises the elderly and isolated residents' needs, simgov.shocks).
4. A new need starts at severity ``initial_severity``; an unmet need worsens by
   ``worsening`` of the room left each week; some needs pass without help
   (``self_resolution`` per week).

Whether anyone knows of a need is the outreach mechanism's business: isolated residents'
needs stay hidden until someone visits (simgov.dynamics.outreach).

Sources: 000 (problem resonance in estates that concentrate vulnerable people; the need
types named there and in 001, 003, 004). The sources give no rates: the incidences below
are assumptions of the order of Chinese community-survey prevalences, to be calibrated to
the unmet-need patterns in docs/baseline.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.kernels import threads_for
from simgov.kernels.events import need_onsets, need_types, needs_course
from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream
from simgov.vocabulary import NEED_TYPES

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "needs"

#: Life stages eligible for each need type (0 children, 1 working adults, 2 other adults, 3 elderly,
#: 4 migrant elderly); None: by the disabled flag, not by stage.
ELIGIBLE_STAGES = {
    "elderly_care": (3, 4),
    "disability_support": None,  # by the disabled flag, not by stage
    "health": (0, 1, 2, 3, 4),
    "employment": (1, 2),
    "legal": (1, 2, 3, 4),
    "child_care": (0,),
    "housing_property": (0, 1, 2, 3, 4),
}


class Params(Spec):
    """Parameters of the needs mechanism (rates per year unless stated)."""

    elderly_care: NonNegFloat = field(0.20, "yearly incidence of elderly-care needs among the elderly",
                                      "assumption; 000, 001 (empty-nest elderly)")
    disability_support: NonNegFloat = field(0.40, "yearly incidence of disability-support needs among "
                                            "disabled residents", "assumption; 000")
    health: NonNegFloat = field(0.06, "yearly incidence of health needs", "assumption")
    employment: NonNegFloat = field(0.08, "yearly incidence of employment needs among working-age adults",
                                    "assumption; 000: employment help for residents")
    legal: NonNegFloat = field(0.02, "yearly incidence of legal needs among adults", "assumption; 000, 001")
    child_care: NonNegFloat = field(0.06, "yearly incidence of child-care needs among children",
                                    "assumption; 000: left-behind children's home")
    housing_property: NonNegFloat = field(0.04, "yearly incidence of housing and property needs",
                                          "assumption; 001, 004")
    vulnerability_multiplier: NonNegFloat = field(
        2.0, "multiplier on every rate for empty-nest, low-income and special-group residents",
        "assumption; 000")
    incidence_scale: NonNegFloat = field(1.0, "multiplier on every rate (for calibration)")
    resonance: NonNegFloat = field(1.0, "rise in rates per unit of building disorder (问题共振效应)",
                                   "000; strength assumed")
    initial_severity: Share = field(0.3, "severity of a new need, in (0, 1]")
    worsening: Share = field(0.03, "weekly growth of an unmet need's severity, as a share of the room left",
                             "assumption")
    self_resolution: Share = field(0.01, "weekly chance that a need passes without help", "assumption")


def eligibility(state: CommunityState) -> np.ndarray:
    """(types, residents) bool: who can have each kind of need."""
    r = state.residents
    out = np.zeros((len(NEED_TYPES), r.n), bool)
    for k, kind in enumerate(NEED_TYPES):
        stages = ELIGIBLE_STAGES[kind]
        out[k] = r.disabled if stages is None else np.isin(r.stage, stages)
    return out


def _base_rates(state: CommunityState, params: Params) -> np.ndarray:
    """(types, residents): yearly incidence of each need for each resident, before resonance."""
    r = state.residents
    rates = np.array([getattr(params, k) for k in NEED_TYPES]) * params.incidence_scale
    person = np.where(r.empty_nest | r.low_income | r.special, params.vulnerability_multiplier, 1.0)
    return eligibility(state) * rates[:, None] * person[None, :]


def _totals(base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return base, base.sum(axis=0)


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    r = state.residents
    # Keyed by the parameters: the warm-up and an arm may run with different ones.
    base, base_total = state.memo("need_rates", params, lambda: _totals(_base_rates(state, params)))
    # Open needs pass (keyed by (type, resident)) or worsen, in one pass (simgov.kernels.events),
    # which also sums the rates of the needs still open: a resident's hazard of a new need is
    # the sum over the types they do not have yet, the full sum less the (few) open ones.
    open_rate = needs_course(r.needs, r.need_known, r.need_reach, params.self_resolution,
                             np.uint64(rng.base("passes")), params.worsening, base, threads=threads_for(r.n))

    # New needs: at most one per resident per week (competing risks; hazards are small).
    # Keyed by resident: 1 - exp(-hazard) against each one's uniform, in one pass (simgov.kernels.events).
    factor = state.levers.need_rate_factor
    if factor is not None:  # a shock (an epidemic) multiplies some residents' rates (1.0 leaves the rest exact)
        base_total, open_rate = base_total * factor, open_rate * factor
    hit = need_onsets(base_total, open_rate, state.disorder, r.building, params.resonance,
                      np.uint64(rng.base("onset")), threads=threads_for(r.n))
    if hit.size:
        kind = need_types(base, r.needs, hit, rng.uniform(hit, "type"))  # by the rates of the types not open
        r.needs[kind, hit] = params.initial_severity
        r.forget_needs(kind * r.n + hit)
