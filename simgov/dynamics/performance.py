"""Performance: trust in the committee follows what residents see it do, and falls as well as rises.

Rule (each week, after services and disputes, for each resident's trust in the committee t):

    u_i = 1 if the committee knows of a need of i's that is still unmet at the week's end, else 0
    o_i = 1 if i is a party to a dispute open for more than ``patience_weeks``, else 0
    t_i <- t_i + anchor (t0_i - t_i) - unmet_known_loss u_i t_i - open_dispute_loss o_i t_i

clipped to [0, 1]; t0_i is the resident's disposition (the trust they started with).

- Expectation disconfirmation: residents judge the committee by its performance against
  what they expect of it. A need the committee has been told of, or found on a visit, and
  then leaves unmet disconfirms the expectation the contact raised, and lowers trust week
  by week while it lasts (Van Ryzin 2004, 2007: satisfaction with services and trust in
  local government follow performance relative to expectations; Christensen & Lægreid
  2005: satisfaction with services is a main correlate of trust in government). A need
  nobody knows of does not count against the committee: residents blame it for what it
  knew and did not do. Met needs raise trust (the services mechanism's ``trust_gain``).
- Disputes left open: a party to a dispute that drags on beyond ``patience_weeks`` loses
  trust in the committee that should have settled it (000: the committee as the place
  where neighbour and property disputes are brought).
- Promises not kept: a policy's gains (a visit's ``trust_gain``, a met need) are not
  kept up by themselves. Trust returns towards the resident's disposition at ``anchor`` a
  week (Friedkin & Johnsen 1990 form, as for trust in neighbours in the influence
  mechanism), so once a policy stops its effect on trust fades geometrically: after k
  weeks a share (1 - anchor)^k of it is left, a half-life of ln 2 / anchor weeks (about
  35 weeks at the default 0.02). A need a visit found and the committee then leaves unmet
  counts as u_i = 1 from the week it became known.
- Trust in neighbours falls for the reasons the disputes and influence mechanisms give
  (open disputes, hostile ties, local disorder) and returns to its disposition there.

Bouckaert & Van de Walle (2003) warn that the link from service satisfaction to trust is
weak and partly runs the other way; the losses are therefore small weekly rates, and are
assumptions, tuned so that the baseline stays near its steady state after the warm-up
(experiments/baseline_drift.py, docs/data/baseline-drift.csv).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.kernels import threads_for
from simgov.kernels.residents import judge_performance
from simgov.params import Share, Spec, field

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "performance"


class Params(Spec):
    """Parameters of the performance mechanism (weekly rates)."""

    anchor: Share = field(
        0.02, "weekly pull of trust in the committee back towards each resident's disposition "
        "(a policy's effect on it halves in ln 2 / anchor weeks once the policy stops)",
        "Friedkin & Johnsen 1990 form; rate assumed, tuned for a steady baseline")
    unmet_known_loss: Share = field(
        0.01, "weekly relative loss of trust in the committee for a resident with a known, unmet need",
        "Van Ryzin 2004, 2007 (expectation disconfirmation); rate assumed, tuned for a steady baseline")
    open_dispute_loss: Share = field(
        0.01, "weekly relative loss of trust in the committee for a party to a dispute open longer "
        "than patience_weeks", "assumption; Christensen & Lægreid 2005 (service satisfaction and trust)")
    patience_weeks: int = field(4, "weeks a dispute may stay open before its parties blame the committee",
                                "assumption", ge=0, le=520)


def known_unmet(state: CommunityState) -> np.ndarray:
    """Residents with a need the committee or a service knows of that is still unmet."""
    r = state.residents
    return ((r.needs > 0) & r.need_known).any(axis=0)


def lingering_parties(state: CommunityState, weeks: int) -> np.ndarray:
    """Residents who are party to a dispute open for more than ``weeks`` weeks."""
    d = state.disputes
    out = np.zeros(state.residents.n, bool)
    rows = np.flatnonzero(d.open_mask())
    rows = rows[state.week - d.opened[rows] > weeks]
    out[d.party_a[rows]] = True
    out[d.party_b[rows]] = True
    return out


def step(state: CommunityState, params: Params, rng: np.random.Generator) -> None:
    """Apply one week's performance judgement to trust in the committee (deterministic)."""
    r = state.residents
    lingering = lingering_parties(state, params.patience_weeks) if len(state.disputes) else np.zeros(0, bool)
    judge_performance(r.trust_committee, r.trust_committee0, r.needs, r.need_known, lingering,
                      params.unmet_known_loss, params.open_dispute_loss, params.anchor,
                      threads=threads_for(r.n))  # one pass


def step_numpy(state: CommunityState, params: Params) -> None:
    """The reference of :func:`step`."""
    r = state.residents
    t = r.trust_committee
    loss = params.unmet_known_loss * known_unmet(state)
    if len(state.disputes):
        loss = loss + params.open_dispute_loss * lingering_parties(state, params.patience_weeks)
    t += params.anchor * (r.trust_committee0 - t) - loss * t
    np.clip(t, 0.0, 1.0, out=t)
