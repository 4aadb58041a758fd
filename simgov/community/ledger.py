"""Money and work: the ledger of spending, income and hours, and the capacity of those who serve."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Ledger:
    """Money in yuan and work in hours: balances, and all spending and work by category.

    Spending is booked to who pays: the committee's budget, the community fund (donations,
    social-enterprise profits), or the government (contracts paid from outside). Hours are
    booked as paid staff time or volunteer time. Policies book under ``policy:<type>``.
    """

    spent: dict[str, float] = field(default_factory=dict)  # yuan spent since the start, by category
    income: dict[str, float] = field(default_factory=dict)  # paid into the community fund, by source
    hours: dict[tuple[str, str], float] = field(default_factory=dict)  # (category, who) -> hours
    committee_balance: float = 0.0  # yuan the committee has left (its budget arrives weekly)
    fund_balance: float = 0.0  # yuan in the community fund (donations, social-enterprise profit)
    donations: float = 0.0  # yuan donors have given since the start

    PAYERS = ("committee", "fund", "government")
    WORKERS = ("staff", "volunteer")

    def spend(self, category: str, yuan: float, payer: str = "committee") -> None:
        if payer not in self.PAYERS:
            raise ValueError(f"unknown payer {payer!r}; one of {self.PAYERS}")
        yuan = float(yuan)
        if yuan == 0.0:
            return
        self.spent[category] = self.spent.get(category, 0.0) + yuan
        if payer == "committee":
            self.committee_balance -= yuan
        elif payer == "fund":
            self.fund_balance -= yuan

    def receive(self, category: str, yuan: float) -> None:
        """Money paid into the community fund (e.g. a social enterprise's profit share)."""
        if yuan:
            self.income[category] = self.income.get(category, 0.0) + float(yuan)
            self.fund_balance += float(yuan)

    def work(self, category: str, hours: float, who: str = "staff") -> None:
        if who not in self.WORKERS:
            raise ValueError(f"unknown worker {who!r}; one of {self.WORKERS}")
        if hours:
            key = (category, who)
            self.hours[key] = self.hours.get(key, 0.0) + float(hours)

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
