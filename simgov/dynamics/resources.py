"""Resources: the committee's budget, grants to organisations, donations, the community fund.

Rule (each week):

1. The committee's yearly budget arrives in weekly instalments (``budget_yuan_per_year``
   of the actors), plus any government project money (``government_yuan_per_year``).
2. Grants: while its balance is positive, the committee tops up each active
   self-organisation whose funds have fallen below ``grant_floor_yuan`` with a grant of
   ``grant_yuan``; when the committee has nothing left, the community fund pays if it can.
3. Donations: each donor gives with probability ``gift_rate`` a week, raised by visible
   results (``results_effect`` times the share of residents who had a need met in the past
   quarter, per percent) and doubled (``ask_effect``) when the community fund is low and
   the committee asks; gifts average ``gift_yuan`` (log-normal) and go to the community fund.
4. All spending is booked by category; ``spend_yuan_total`` and ``fund_balance_yuan`` are
   recorded every week.

Sources: 000 (collective income only covers daily office costs; 20,000+ yuan raised from
residents and online for 3 patients; 150,000+ yuan invested in rooms); 004 (community fund,
20% of social-enterprise profit, pilot funding 321,800 yuan); List & Lucking-Reiley (2002)
on seed money raising donations. Amounts are assumptions unless a scenario cites them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.params import NonNegFloat, Share, Spec, field

if TYPE_CHECKING:
    from simgov.community.state import CommunityState

NAME = "resources"


class Params(Spec):
    """Parameters of the resources mechanism."""

    government_yuan_per_year: NonNegFloat = field(
        0.0, "government project money a year, in yuan",
        "none unless a scenario has a project; 004: Longnan's 321,800 yuan of provincial pilot money "
        "(全省城乡社区治理试点32.18万项目经费), a total with no period, set in longnan-courtyards")
    grant_yuan: NonNegFloat = field(500.0, "grant to a self-organisation running short", "assumption")
    grant_floor_yuan: NonNegFloat = field(100.0, "funds below which a self-organisation gets a grant",
                                          "assumption")
    gift_rate: Share = field(0.01, "weekly chance a donor gives", "assumption")
    gift_yuan: NonNegFloat = field(2000.0, "mean gift, in yuan", "assumption; 000: 20,000+ yuan for 3 patients")
    results_effect: NonNegFloat = field(0.05, "relative rise in giving per percent of residents helped in "
                                        "the past quarter", "assumption")
    ask_effect: NonNegFloat = field(2.0, "multiplier on giving when the fund is low and the committee asks",
                                    "assumption; List & Lucking-Reiley 2002")
    ask_below_yuan: NonNegFloat = field(5000.0, "fund balance below which the committee asks donors",
                                        "assumption")


def step(state: CommunityState, params: Params, rng: np.random.Generator) -> None:
    ledger = state.ledger
    ledger.committee_balance += state.capacity.budget_yuan_per_year / 52.0
    ledger.committee_balance += params.government_yuan_per_year / 52.0

    for org in state.active_organisations():
        if org.kind != "self" or org.funds >= params.grant_floor_yuan:
            continue
        payer = "committee" if ledger.committee_balance >= params.grant_yuan else \
            "fund" if ledger.fund_balance >= params.grant_yuan else None
        if payer is not None:
            ledger.spend("grants", params.grant_yuan, payer=payer)
            org.funds += params.grant_yuan

    # Visible results: needs met over the past 13 weeks, per resident.
    state.recent_services.append(state.services_this_week)
    del state.recent_services[:-13]
    helped_pct = 100.0 * sum(state.recent_services) / state.residents.n
    donors = state.capacity.donors
    if donors:
        p = params.gift_rate * (1.0 + params.results_effect * helped_pct)
        if ledger.fund_balance < params.ask_below_yuan:
            p *= params.ask_effect
        gifts = int(rng.binomial(donors, min(p, 1.0)))
        if gifts:
            sigma = 0.8
            amount = rng.lognormal(np.log(params.gift_yuan) - sigma**2 / 2, sigma, gifts).sum()
            ledger.fund_balance += amount
            ledger.donations += amount
