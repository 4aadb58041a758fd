"""Money and work that bind: balances and weekly hour pools, drawn in order, with shortfalls.

Rule:

- **Money.** The committee's budget and the community fund are balances. Nothing spends
  money it does not have: a payment from the committee or the fund is cut to the balance,
  and what was asked and not paid is recorded as that payer's shortfall for the week. The
  government (contracts and project money paid from outside the community) is not a pool
  the community draws down; its payments are booked but not bounded.
- **Hours.** Each group that works for residents has a pool of hours that is refilled every
  week (``start_week``) from its headcount (simgov.dynamics.resources sets the sizes):
  ``staff`` (cadres and grid workers, beyond routine duties), ``social_worker``,
  ``volunteer`` (available steady volunteers), and ``organisation`` (service hours of
  professional organisations, contracted or bought in; they bring their own hours with
  ``add_hours``). Hours are drawn, never more than are left; unused hours lapse at the
  week's end (time cannot be saved up).
- **Order of priority** is the order of drawing within the week: policies first, in the
  order the scenario lists them (programmes the committee has committed to are staffed and
  paid first), then the mechanisms in the week's order: outreach, services (casework and
  its materials), participation (activities), organisations and resources (grants). A
  later claimant gets what earlier ones left; so a policy's hours and money are taken from
  the committee's ordinary services, and a poorer or thinner committee does less.
- **Scaling.** ``draw`` asks several pools at once for one activity and grants the same
  share of each (the least any pool can give), so an activity that needs both staff hours
  and money is scaled down as a whole; the caller scales what it does by that share.

Sources: 000 (cadres too few for the workload; collective income "only maintains daily
office work"); the budget constraint is the standard one of public-service production
(e.g. Boyne 2003 on resources and service performance). Pool sizes are in
simgov.dynamics.resources with their sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Who pays money: the committee's budget, the community fund, or the government (unbounded).
PAYERS = ("committee", "fund", "government")
#: Groups whose weekly hours are pools.
WORKERS = ("staff", "social_worker", "volunteer", "organisation")
#: Balances that bind (the government's spending does not draw a community balance).
BOUNDED_PAYERS = ("committee", "fund")


def _zeros(keys) -> dict[str, float]:
    return dict.fromkeys(keys, 0.0)


@dataclass
class Ledger:
    """Money in yuan and work in hours: balances, weekly hour pools, spending and work by category.

    Spending is booked to who pays; hours to who works. Policies book under ``policy:<type>``.
    """

    spent: dict[str, float] = field(default_factory=dict)  # yuan spent since the start, by category
    income: dict[str, float] = field(default_factory=dict)  # paid into the community fund, by source
    hours: dict[tuple[str, str], float] = field(default_factory=dict)  # (category, who) -> hours since the start
    committee_balance: float = 0.0  # yuan the committee has left (its budget arrives weekly), >= 0
    fund_balance: float = 0.0  # yuan in the community fund (donations, social-enterprise profit), >= 0
    donations: float = 0.0  # yuan donors have given since the start
    available: dict[str, float] = field(default_factory=lambda: _zeros(WORKERS))  # hours this week, by group
    used: dict[str, float] = field(default_factory=lambda: _zeros(WORKERS))  # hours drawn this week, by group
    short: dict[str, float] = field(  # asked and not granted this week: hours by group, yuan by payer
        default_factory=lambda: _zeros(WORKERS + BOUNDED_PAYERS))

    # -- the week's pools ------------------------------------------------------------------

    def start_week(self, hours: dict[str, float]) -> None:
        """Refill the hour pools for a new week (unused hours lapse) and clear the shortfalls."""
        for who in WORKERS:
            self.available[who] = max(0.0, float(hours.get(who, 0.0)))
            self.used[who] = 0.0
        for key in self.short:
            self.short[key] = 0.0

    def add_hours(self, who: str, hours: float) -> None:
        """Hours brought in this week (bought services, added workers): the pool grows."""
        self._check_worker(who)
        self.available[who] += max(0.0, float(hours))

    def hours_left(self, who: str) -> float:
        self._check_worker(who)
        return max(0.0, self.available[who] - self.used[who])

    def money_left(self, payer: str) -> float:
        if payer == "committee":
            return self.committee_balance
        if payer == "fund":
            return self.fund_balance
        if payer not in PAYERS:
            raise ValueError(f"unknown payer {payer!r}; one of {PAYERS}")
        return math.inf  # an unbounded payer (the government)

    # -- drawing ---------------------------------------------------------------------------

    def draw(self, category: str, *, yuan: float = 0.0, payer: str = "committee", **hours: float) -> float:
        """Ask for ``yuan`` from ``payer`` and hours from each named group for one activity.

        Returns the share in [0, 1] granted: the same share of every ask is drawn and booked.
        Each bounded pool records as its shortfall the part of its ask it could not cover.
        An empty ask returns 1.
        """
        asks = self._asks(yuan, payer, hours)
        share = min([1.0] + [left / asked for _, asked, left in asks])
        self._book(category, asks, share, payer)
        return share

    def draw_units(self, category: str, units: int, *, yuan: float = 0.0, payer: str = "committee",
                   **hours: float) -> int:
        """Ask for up to ``units`` whole units of an activity (visits, cases, households), each
        needing ``yuan`` from ``payer`` and the given hours from each group. Returns the units
        granted (as many as every pool can pay for), drawn and booked like ``draw``."""
        if units <= 0:
            return 0
        asks = self._asks(yuan * units, payer, {who: h * units for who, h in hours.items()})
        granted = min([units] + [math.floor(left / asked * units + 1e-9) for _, asked, left in asks
                                 if math.isfinite(left)])
        self._book(category, asks, granted / units, payer)
        return granted

    def _asks(self, yuan: float, payer: str, hours: dict[str, float]) -> list[tuple[str, float, float]]:
        """(pool, asked, left) for each positive ask; a payer's pool is named by the payer."""
        asks = [(payer, float(yuan), self.money_left(payer))] if yuan > 0 else []
        asks += [(who, float(h), self.hours_left(who)) for who, h in hours.items() if h > 0]
        return asks

    def _book(self, category: str, asks, share: float, payer: str) -> None:
        for pool, asked, left in asks:
            if pool in WORKERS:
                self._book_hours(category, pool, asked * share)
            else:
                self._pay(category, asked * share, payer)
            if pool in self.short:
                self.short[pool] += max(0.0, asked - left)

    def spend(self, category: str, yuan: float, payer: str = "committee") -> float:
        """Pay ``yuan`` from ``payer``, cut to what it holds; returns the yuan paid."""
        return yuan * self.draw(category, yuan=float(yuan), payer=payer) if yuan > 0 else 0.0

    def work(self, category: str, hours: float, who: str = "staff") -> float:
        """Draw ``hours`` from a group's pool, cut to what is left; returns the hours drawn."""
        self._check_worker(who)
        return hours * self.draw(category, **{who: float(hours)}) if hours > 0 else 0.0

    def release(self, category: str, who: str, hours: float) -> None:
        """Give back hours drawn this week and not used (e.g. a studio's unfilled slots)."""
        hours = min(max(0.0, float(hours)), self.used[who])
        if hours:
            self._book_hours(category, who, -hours)

    def receive(self, category: str, yuan: float) -> None:
        """Money paid into the community fund (e.g. a social enterprise's profit share)."""
        if yuan:
            self.income[category] = self.income.get(category, 0.0) + float(yuan)
            self.fund_balance += float(yuan)

    def _pay(self, category: str, yuan: float, payer: str) -> None:
        if yuan <= 0:
            return
        self.spent[category] = self.spent.get(category, 0.0) + yuan
        if payer == "committee":
            self.committee_balance = max(0.0, self.committee_balance - yuan)
        elif payer == "fund":
            self.fund_balance = max(0.0, self.fund_balance - yuan)

    def _book_hours(self, category: str, who: str, hours: float) -> None:
        if hours:
            self.used[who] += hours
            key = (category, who)
            self.hours[key] = self.hours.get(key, 0.0) + hours

    @staticmethod
    def _check_worker(who: str) -> None:
        if who not in WORKERS:
            raise ValueError(f"unknown worker group {who!r}; one of {WORKERS}")

    # -- totals ----------------------------------------------------------------------------

    @property
    def total(self) -> float:
        return float(sum(self.spent.values()))

    def policy_yuan(self) -> float:
        return float(sum(v for k, v in self.spent.items() if k.startswith("policy:")))

    def policy_hours(self, who: str) -> float:
        return float(sum(v for (k, w), v in self.hours.items() if w == who and k.startswith("policy:")))


@dataclass
class Capacity:
    """The people who serve residents, as counts (the actors themselves are Mesa agents)."""

    cadres: int = 0  # residents' committee staff
    grid_workers: int = 0  # grid workers on routine visits
    social_workers: int = 0  # professional social workers
    donors: int = 0  # donors who may give to the community fund
    party_members_sunk: int = 0  # Party members from work units who serve in the community (下沉党员)
    budget_yuan_per_year: float = 0.0  # the committee's yearly budget, in yuan
    # The property side of building disputes (simgov.dynamics.property_side):
    property_company: bool = False  # the estate has a property company (物业)
    property_cases_per_week: int = 0  # building issues it takes a week
    property_resolution: float = 0.0  # chance it settles one it takes
    owners_committee: bool = False  # the estate has an owners' committee (业委会)
    owners_committee_cases_per_week: int = 0  # building issues it takes a week
    owners_committee_resolution: float = 0.0  # chance it settles one it takes
