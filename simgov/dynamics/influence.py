"""Influence: trust and belonging spread over the weighted, signed social network.

Rule (each week, synchronous, for x in {trust in neighbours, belonging}):

    m_i = sum_j w+_ij x_j / sum_j w+_ij            (mean over friendly ties, weighted)
    h_i = sum_j |w-_ij| / sum_j |w_ij|             (share of tie weight that is hostile)
    d_i = disorder around i (open disputes and unmet needs in i's building, per resident,
          at the start of the week)
    x_i <- x_i + rate (m_i - x_i) + anchor (x0_i - x_i) - hostility h_i x_i - disorder d_i x_i

clipped to [0, 1]. Residents with no friendly ties skip the averaging term.

- Averaging over ties is DeGroot (1974) social influence; the anchor pulling each resident
  back towards an own disposition x0 is Friedkin & Johnsen (1990), which keeps the spread of
  attitudes that surveys show instead of a false consensus.
- Hostile ties lower trust in proportion to their share of a resident's ties: negative ties
  weigh more than positive ones in shaping attitudes (Labianca & Brass 2006).
- Disorder feeds back into lower cohesion: perceived disorder lowers next-period collective
  efficacy (Hipp 2016, J. Criminal Justice 46:32-44).

Rates are per week. The sources (../shared/seeds) are silent on them; they are the
assumptions stated below, calibrated against docs/baseline.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simgov.kernels import threads_for
from simgov.kernels.network import influence, unsigned
from simgov.params import Share, Spec, field
from simgov.streams import KeyedStream

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "influence"


class Params(Spec):
    """Parameters of the influence mechanism (weekly rates)."""

    trust_rate: Share = field(
        0.05, "weekly weight of the neighbours' mean trust in a resident's update",
        "assumption; DeGroot 1974 form")
    belonging_rate: Share = field(
        0.03, "weekly weight of the neighbours' mean belonging in a resident's update",
        "assumption; belonging changes more slowly than trust")
    anchor_rate: Share = field(
        0.02, "weekly pull of trust and belonging back towards each resident's disposition",
        "Friedkin & Johnsen 1990 form; rate assumed")
    hostility_effect: Share = field(
        0.05, "weekly relative loss of trust and belonging for a resident whose ties are all hostile",
        "assumption; Labianca & Brass 2006 (negative asymmetry)")
    disorder_effect: Share = field(
        0.02, "weekly relative loss of trust and belonging per unit of local disorder",
        "assumption; Hipp 2016 (disorder lowers later collective efficacy)")


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    """Apply one week of influence to ``state`` in place (deterministic: ``rng`` unused)."""
    net = state.network
    pos, inv, has_friends, hostile_share = net.influence_operators()
    r = state.residents
    loss = params.hostility_effect * hostile_share
    loss += params.disorder_effect * state.disorder[r.building]
    # Both attributes and their update in one pass over the ties (simgov.kernels.network,
    # beside its numpy reference), its rows shared over the threads in a big community.
    influence(pos.indptr, unsigned(pos.indices), pos.data, inv, has_friends, loss, params.anchor_rate,
              r.trust, r.trust0, params.trust_rate, r.belonging, r.belonging0, params.belonging_rate,
              threads=threads_for(r.n))
