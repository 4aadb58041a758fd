"""Resources: the week's pools of money and hours, grants to organisations, donations, the fund.

Rule (each week):

1. At the start of the week (``refill``, before any policy acts) the committee's yearly
   budget arrives in weekly instalments (``budget_yuan_per_year`` of the actors), plus any
   government project money (``government_yuan_per_year``). The budget is a yearly
   allocation: at the start of each budget year (every 52 weeks) the committee keeps only
   ``carry_over`` of what it did not spend. The hour pools are refilled from headcounts
   (simgov.community.ledger: what they are and the order in which they are drawn):
   ``staff`` = cadres x ``cadre_hours`` + grid workers x ``grid_worker_hours``;
   ``social_worker`` = social workers x ``social_worker_hours``; ``volunteer`` =
   available steady volunteers x ``volunteer_hours``; ``organisation`` = the weekly
   service hours of active professional organisations (raised by social workers' support,
   services' ``social_worker_boost``).
2. Grants: the committee tops up each active self-organisation whose funds have fallen
   below ``grant_floor_yuan`` with a grant of ``grant_yuan`` if it has that much left;
   otherwise the community fund pays if it can; otherwise there is no grant (``grant``,
   which also pays a new self-organisation's start-up funds: simgov.dynamics.organisations).
3. Donations: each donor gives with probability ``gift_rate`` a week, raised by visible
   results (``results_effect`` times the share of residents who had a need met in the past
   quarter, per percent) and doubled (``ask_effect``) when the community fund is low and
   the committee asks; gifts average ``gift_yuan`` (log-normal) and go to the community fund.
   Each donor's giving and gift are its own keyed draws (by donor number).
4. All spending is booked by category. Every week the record holds both balances and, per
   hour pool, the hours available, used and asked for but not granted (``*_short``), so a
   report can say which constraint bound.

Sources: 000 (collective income only covers daily office costs; 20,000+ yuan raised from
residents and online for 3 patients; 150,000+ yuan invested in rooms); 004 (community fund,
20% of social-enterprise profit, pilot funding 321,800 yuan); List & Lucking-Reiley (2002)
on seed money raising donations. Amounts are assumptions unless a scenario cites them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simgov.params import NonNegFloat, Share, Spec, field
from simgov.streams import KeyedStream

if TYPE_CHECKING:
    from simgov.community.ledger import Ledger
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
    carry_over: Share = field(0.0, "share of the committee's unspent budget kept at the end of a budget year",
                              "assumption: community budgets are yearly allocations from the street office")
    cadre_hours: NonNegFloat = field(
        10.0, "hours a week each cadre can give to residents' work (casework, visits, mediation, meetings) "
        "beyond administration", "assumption; 000: cadres overloaded with administration and inspections",
        le=60.0)
    grid_worker_hours: NonNegFloat = field(4.0, "hours a week each grid worker can give beyond routine visits",
                                           "assumption", le=60.0)
    social_worker_hours: NonNegFloat = field(
        30.0, "hours a week each social worker gives to the community (casework, surveys, incubation, "
        "projects), beyond supervision and reporting", "assumption; 003: 7 social workers serve 111,000 residents",
        le=60.0)
    volunteer_hours: NonNegFloat = field(4.0, "hours a week an available steady volunteer can give at most",
                                         "assumption", le=60.0)


#: Weeks in a budget year.
BUDGET_YEAR = 52


def refill(state: CommunityState, params: Params, support: float) -> None:
    """Start of the week: the budget instalment arrives and the hour pools are refilled.

    ``support`` multiplies professional organisations' hours (social workers' support)."""
    ledger, cap = state.ledger, state.capacity
    if state.week % BUDGET_YEAR == 1:  # a new budget year: unspent money lapses
        ledger.committee_balance *= params.carry_over
    ledger.committee_balance += (cap.budget_yuan_per_year + params.government_yuan_per_year) / BUDGET_YEAR
    volunteers = np.count_nonzero(state.residents.available_volunteers(state.week))
    professional = sum(o.hours_per_week for o in state.active_organisations() if o.kind == "professional")
    ledger.start_week({
        "staff": cap.cadres * params.cadre_hours + cap.grid_workers * params.grid_worker_hours,
        "social_worker": cap.social_workers * params.social_worker_hours,
        "volunteer": volunteers * params.volunteer_hours,
        "organisation": professional * support,
    })


def grant(ledger: Ledger, yuan: float, category: str) -> float:
    """A grant to a self-organisation, whole or not at all: the committee pays if it has
    ``yuan``, else the community fund if it has; otherwise nothing is paid and the sum is
    the committee's shortfall. Returns the yuan paid."""
    if yuan <= 0:
        return 0.0
    payer = next((p for p in ("committee", "fund") if ledger.money_left(p) >= yuan), None)
    if payer is None:
        ledger.short["committee"] += yuan  # a grant the community could not pay
        return 0.0
    ledger.spend(category, yuan, payer=payer)
    return yuan


def step(state: CommunityState, params: Params, rng: KeyedStream) -> None:
    ledger = state.ledger
    for org in state.active_organisations():
        if org.kind == "self" and org.funds < params.grant_floor_yuan:
            org.funds += grant(ledger, params.grant_yuan, "grants")

    # Visible results: needs met over the past 13 weeks, per resident.
    state.recent_services.append(state.services_this_week)
    del state.recent_services[:-13]
    helped_pct = 100.0 * sum(state.recent_services) / state.residents.n
    donors = state.capacity.donors
    if donors:
        p = params.gift_rate * (1.0 + params.results_effect * helped_pct)
        if ledger.fund_balance < params.ask_below_yuan:
            p *= params.ask_effect
        giving = rng.happens(np.arange(donors), min(p, 1.0), "gives")  # keyed by donor number
        if giving.size:
            sigma = 0.8
            amount = np.exp(np.log(params.gift_yuan) - sigma**2 / 2 + sigma * rng.normal(giving, "gift")).sum()
            ledger.fund_balance += amount
            ledger.donations += amount
