"""Patterns: what a run should reproduce of what is known, measured per run.

A pattern (Grimm et al. 2005, pattern-oriented modelling) is one number a run yields from
its weekly record and its final state, to be held against a target range from the sources
or the literature. ``GENERAL_TARGETS`` hold for every community; a scenario adds its own in
``targets`` (a scenario's target replaces a general one of the same pattern and arm).

Periods: "a year" figures average the simulated weeks (week 0, the start, excluded); "final
year" figures average the last 52 weeks; network patterns are measured on the final network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simgov.metrics import final_year

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

#: Shortest-path sources sampled (evenly spaced) for the mean path length.
PATH_SOURCES = 40
#: Weeks before the end after which disputes are too recent to judge their outcome.
OUTCOME_WINDOW = 26


#: How a pattern relates to the inputs: a reader must tell a pattern the model produces from
#: one its inputs restate.
EMERGENT = "emergent"


@dataclass(frozen=True)
class Pattern:
    name: str
    description: str
    measure: Callable[[pd.DataFrame, CommunityState], float]
    #: ``EMERGENT`` if no single input sets it; else which inputs restate it (nearly one for
    #: one) or were calibrated to it, so that matching it is no test of the mechanisms.
    basis: str = EMERGENT


def _years(ts: pd.DataFrame) -> float:
    return (len(ts) - 1) / 52


def _final_year(ts: pd.DataFrame, column: str) -> float:
    return float(final_year(ts[column]).mean())


def _disputes_per_year(ts, state) -> float:
    return float(ts.disputes_new.iloc[1:].sum()) / _years(ts)


def _relapses_per_100(ts, state) -> float:
    resolved = float(ts.disputes_resolved.iloc[1:].sum())
    return 100 * float(ts.disputes_relapsed.iloc[1:].sum()) / resolved if resolved else float("nan")


def _mediation_agreement_rate(ts, state) -> float:
    """Of the disputes taken in hand by a service (opened in the simulated weeks, early enough
    to judge), the share closed by a mediated or deliberated agreement."""
    d = state.disputes
    judged = d.taken & (d.opened >= 0) & (d.opened <= state.week - OUTCOME_WINDOW)
    return float(np.count_nonzero(judged & d.mediated) / np.count_nonzero(judged)) if judged.any() else float("nan")


def _periphery(state) -> np.ndarray:
    """The quarter of residents with fewest friendly ties beyond the household (ties broken
    by resident number, so it is exactly a quarter)."""
    degree = state.network.friends_outside_household()
    order = np.lexsort((np.arange(degree.size), degree))
    return order[:max(degree.size // 4, 1)]


def _periphery_share(flag: np.ndarray, state) -> float:
    """Share of the flagged residents who are in the periphery quarter (0.25 if spread evenly)."""
    total = np.count_nonzero(flag)
    return float(np.count_nonzero(flag[_periphery(state)]) / total) if total else float("nan")


def _periphery_unmet(ts, state) -> float:
    return _periphery_share(state.residents.has_unmet_need(), state)


#: Belonging below which a resident counts as lonely (the bottom of the scale's middle).
LONELY_BELONGING = 0.3


def _periphery_lonely(ts, state) -> float:
    return _periphery_share(state.residents.belonging < LONELY_BELONGING, state)


def mean_path_length(state, sources: int = PATH_SOURCES) -> float:
    """Mean shortest-path length over friendly ties, from evenly spaced residents of the
    largest connected component to every resident of it."""
    from scipy.sparse import csgraph

    a = state.network.friendly_binary()
    _, labels = csgraph.connected_components(a, directed=False)
    giant = np.flatnonzero(labels == np.bincount(labels).argmax())
    start = giant[np.linspace(0, giant.size - 1, min(sources, giant.size)).astype(np.int64)]
    dist = csgraph.shortest_path(a, unweighted=True, directed=False, indices=start)[:, giant]
    return float(dist[np.isfinite(dist) & (dist > 0)].mean())


def _path_length_ratio(ts, state) -> float:
    """Mean path length relative to a random graph's of the same size and mean degree,
    ln N / ln k (Watts & Strogatz 1998): near 1 means short paths despite clustering."""
    n = state.residents.n
    k = float(state.network.friendly_degree().mean())
    return mean_path_length(state) / (np.log(n) / np.log(k)) if k > 1 else float("nan")


def _clustering_ratio(ts, state) -> float:
    """Final-year clustering relative to a random graph's of the same mean degree, k / N."""
    n = state.residents.n
    k = float(state.network.friendly_degree().mean())
    return _final_year(ts, "clustering") / (k / n) if k > 0 else float("nan")


PATTERNS: dict[str, Pattern] = {p.name: p for p in (
    Pattern("disputes_per_1000_per_year", "disputes arising a year per 1,000 residents",
            lambda ts, s: _disputes_per_year(ts, s) / s.residents.n * 1000,
            "calibrated: the arising rates of disputes (disputes.*) were set to it"),
    Pattern("disputes_per_year", "disputes arising a year", _disputes_per_year,
            "calibrated: the arising rates of disputes (disputes.*) were set to it"),
    Pattern("group_dispute_share", "share of disputes that reached the group stage (at the end)",
            lambda ts, s: float(ts.group_dispute_share.iloc[-1])),
    Pattern("relapses_per_100_resolved", "resolved disputes that reopened, per 100 resolutions", _relapses_per_100,
            "restated: disputes.relapse over disputes.relapse_window sets it"),
    Pattern("resolved_share", "share of the final year's disputes resolved within the community",
            lambda ts, s: _final_year(ts, "resolved_share")),
    Pattern("mediation_agreement_rate", "share of disputes taken to mediation or deliberation that ended "
            "in agreement", _mediation_agreement_rate,
            "restated: the agreement chances of the services (mediation.agreement, group_agreement) set it"),
    Pattern("steady_volunteers", "steady volunteers (final-year mean)", lambda ts, s: _final_year(ts, "volunteers"),
            "restated in part: actors.steady_volunteers sets the start; recruitment and quitting keep it"),
    Pattern("volunteer_share", "steady volunteers as a share of residents (final-year mean)",
            lambda ts, s: _final_year(ts, "volunteers") / s.residents.n,
            "restated in part: actors.steady_volunteers sets the start; recruitment and quitting keep it"),
    Pattern("participation_rate", "share of residents taking part in activities (final-year mean)",
            lambda ts, s: _final_year(ts, "participation_rate")),
    Pattern("organizations_active", "social organisations active (final-year mean)",
            lambda ts, s: _final_year(ts, "organizations_active"),
            "restated in part: actors' organisation counts set the start; founding and folding move it"),
    Pattern("vulnerable_unmet_needs_share", "share of vulnerable residents with an unmet need (final-year mean)",
            lambda ts, s: _final_year(ts, "vulnerable_unmet_needs_share")),
    Pattern("undetected_needs_share", "share of residents with a need no service knows of (final-year mean)",
            lambda ts, s: _final_year(ts, "undetected_needs_share")),
    Pattern("isolated_share", "share of residents with no friendly tie beyond the household (final-year mean)",
            lambda ts, s: _final_year(ts, "isolated_share")),
    Pattern("periphery_share_of_unmet", "share of residents with an unmet need who are in the quarter with "
            "fewest friendly ties beyond the household (0.25 if needs ignored the network)", _periphery_unmet),
    Pattern("periphery_share_of_lonely", f"share of lonely residents (belonging below {LONELY_BELONGING}) who "
            "are in the quarter with fewest ties (0.25 if loneliness ignored the network)", _periphery_lonely),
    Pattern("clustering", "mean local clustering of friendly ties (final-year mean)",
            lambda ts, s: _final_year(ts, "clustering"),
            "restated in part: the network builder's household and neighbour ties (network.*) set most of it"),
    Pattern("clustering_vs_random", "clustering over that of a random graph of equal mean degree (k/N)",
            _clustering_ratio, "restated in part: the network builder's household and neighbour ties set it"),
    Pattern("path_length_vs_random", "mean path length over that of a random graph (ln N / ln k)",
            _path_length_ratio),
)}
PATTERN_NAMES = tuple(PATTERNS)


def measure(ts: pd.DataFrame, state: CommunityState, names=PATTERN_NAMES) -> dict[str, float]:
    """The named patterns of one run, from its weekly record and its final state."""
    return {name: PATTERNS[name].measure(ts, state) for name in names}


@dataclass(frozen=True)
class GeneralTarget:
    pattern: str
    low: float
    high: float
    source: str
    policy: str | None = None  # measured in an arm that runs this policy type (else the baseline)


#: Targets that hold for any community. Sources: research/domain.md §5-§6 (shared notes).
GENERAL_TARGETS = (
    GeneralTarget("disputes_per_1000_per_year", 10.6, 40,
                  "at least the national rate of formally mediated disputes, 10.6 per 1,000 a year "
                  "(14.94 M in 2022; research/domain.md §5); informal ones come on top (upper end assumed)"),
    GeneralTarget("group_dispute_share", 0.0, 0.08,
                  "group disputes are the exception (assumption: under 8%); 000: concentration makes them likely"),
    GeneralTarget("relapses_per_100_resolved", 10, 30, "Pruitt et al. 1993: 10-30% relapse within a year"),
    GeneralTarget("participation_rate", 0.03, 0.25,
                  "'high willingness, low actual participation' in Chinese survey studies (research/domain.md §5)"),
    GeneralTarget("isolated_share", 0.05, 0.30,
                  "a minority without neighbourly ties (Cacioppo, Fowler & Christakis 2009; assumption range)"),
    GeneralTarget("periphery_share_of_unmet", 0.3, 1.0,
                  "unmet needs concentrate at the network periphery (001: door-knocking exists because "
                  "isolated residents' needs stay hidden; Cacioppo et al. 2009): over-represented by a fifth or more "
                  "in the quarter with fewest ties (the threshold is an assumption)"),
    GeneralTarget("periphery_share_of_lonely", 0.3, 1.0,
                  "loneliness concentrates at the network periphery (Cacioppo, Fowler & Christakis 2009): "
                  "over-represented by a fifth or more there (assumption)"),
    GeneralTarget("clustering", 0.1, 0.6, "clustered neighbourhood networks (Watts & Strogatz 1998)"),
    GeneralTarget("clustering_vs_random", 10.0, float("inf"),
                  "small world: clustering far above a random graph's (Watts & Strogatz 1998)"),
    GeneralTarget("path_length_vs_random", 0.8, 2.0,
                  "small world: paths nearly as short as a random graph's (Watts & Strogatz 1998)"),
    GeneralTarget("mediation_agreement_rate", 0.70, 0.90,
                  "agreement in 70-90% of mediated cases (Garofalo & Connelly 1980; Cook, Roehl & Sheppard "
                  "1980: 82%); Chinese official figures above 95% are an upper bound (research/domain.md §5-6)",
                  policy="mediation"),
)

__all__ = ["EMERGENT", "GENERAL_TARGETS", "GeneralTarget", "PATTERNS", "PATTERN_NAMES", "Pattern", "measure",
           "mean_path_length"]
