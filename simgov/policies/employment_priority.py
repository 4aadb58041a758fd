"""Employment priority (双优先): local employers hire residents first.

In practice: B community's "two priorities" (双优先): the estate's property company hires
residents first and shop fronts go to residents first; 35 residents were hired by the
property company and 15 by shop fronts, and 2 released prisoners found jobs (000; also 001).

Rule (each week the policy is active):

1. Local jobs (the estate's property company, cleaning, security, shop fronts) open at
   ``jobs_per_year`` (Poisson, weekly) and go to residents with an employment need, the most
   severe first, whether or not anyone knew of it (they apply).
2. A hired resident's employment need is met; their trust in the committee rises by
   ``trust_gain`` and their belonging by half that (of the room left).
3. Cost: ``hours_per_placement`` of staff time (job matching) per job filled, from the
   ``staff`` pool: a week fills no more jobs than staff can match; employers pay the wages.

Sources: 000 (B community: 35 residents hired by the property company and 15 by shop fronts,
counted at the time of the survey with no period; 2 released prisoners found jobs; "双优先":
residents first for jobs and shop fronts); 001. The trust effect is an assumption.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from simgov.params import NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register
from simgov.vocabulary import NEED_TYPES

EMPLOYMENT = NEED_TYPES.index("employment")


def hire(state, k: int, rng) -> np.ndarray:
    """Up to ``k`` residents with an employment need, the most severe first; their need is
    met. Returns who was hired."""
    r = state.residents
    seekers = np.flatnonzero(r.needs[EMPLOYMENT] > 0)
    if k <= 0 or not seekers.size:
        return np.empty(0, np.int64)
    order = np.lexsort((rng.uniform(seekers, "hire_order"), -r.needs[EMPLOYMENT, seekers]))  # keyed by resident
    hired = seekers[order[:k]]
    r.needs[EMPLOYMENT, hired] = 0.0
    r.forget_needs(EMPLOYMENT * r.n + hired)
    return hired


@register
class EmploymentPriority(PolicyParams):
    """双优先: residents who need work are hired first by local employers."""

    type: Literal["employment_priority"] = field("employment_priority", "policy type")
    jobs_per_year: NonNegFloat = field(
        17.0, "local jobs a year that go to residents first",
        "000: the property company has hired 35 residents and shop fronts gave work to 15 (已招聘小区居民35人, "
        "解决居民就业15人), a cumulative count with no period; spread over the three years of the study "
        "(持续三年跟踪调研), 50 / 3, about 17 a year")
    trust_gain: Share = field(0.2, "trust in the committee a hired resident gains (share of the room left)",
                              "assumption")
    hours_per_placement: NonNegFloat = field(2.0, "staff hours of job matching per placement", "assumption")

    def act(self, state, memory, rng):
        if self.jobs_per_year <= 0:
            return
        opening = rng.poisson(self.jobs_per_year / 52.0, "jobs")
        matched = state.ledger.draw_units(self.category, opening, staff=self.hours_per_placement)
        hired = hire(state, matched, rng)
        state.ledger.release(self.category, "staff", (matched - hired.size) * self.hours_per_placement)
        if hired.size:
            r = state.residents
            r.trust_committee[hired] += self.trust_gain * (1.0 - r.trust_committee[hired])
            r.belonging[hired] += 0.5 * self.trust_gain * (1.0 - r.belonging[hired])
