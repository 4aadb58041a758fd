"""The indicators recorded every week: cohesion, conflict, needs and resources.

Every share and index is in [0, 1]; counts are numbers of disputes or organisations;
money is in yuan. ``cohesion_index`` is the equal-weight mean of five components that
cover the horizontal and vertical, subjective and behavioural cells of Chan, To & Chan's
(2006) definition of social cohesion: trust in neighbours and belonging (horizontal,
subjective), participation and not being isolated (horizontal, behavioural), trust in
the committee (vertical).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgov.community.ledger import BOUNDED_PAYERS, WORKERS
from simgov.community.state import CommunityState
from simgov.kernels.disputes import book_counts
from simgov.kernels.network import local_clustering
from simgov.kernels.residents import weekly_counts
from simgov.kernels.threads import threads_for

#: Weeks between recomputations of the network measures (carried forward in between).
NETWORK_MEASURE_EVERY = 26
#: Residents sampled (evenly spaced) for clustering: standard error about 0.01.
CLUSTERING_SAMPLE = 1000


#: The range of a metric by unit, where the metric does not state its own.
UNIT_RANGES = {"share": "[0, 1]", "index": "[0, 1]", "count": "0, 1, 2, ...", "yuan": ">= 0", "hours": ">= 0"}


@dataclass(frozen=True)
class Metric:
    name: str
    description: str
    unit: str  # "share", "index", "count", "yuan" or "hours"
    better: str = ""  # "higher" or "lower" when the metric has a better direction, else ""
    instrument: str = ""  # the empirical measure it stands for, where there is one (docs/metrics.md)
    range: str = ""  # the values it can take, where the unit's range (UNIT_RANGES) does not say

    @property
    def values(self) -> str:
        """The values the metric can take."""
        return self.range or UNIT_RANGES[self.unit]


#: The hour pools as a reader says them (simgov.community.ledger.WORKERS).
POOL_WORDS = {"staff": "staff (cadres and grid workers)", "social_worker": "social workers",
              "volunteer": "steady volunteers", "organisation": "professional organisations"}

METRICS = (
    Metric("trust_neighbors", "mean trust in neighbours", "index", "higher",
           "the social cohesion and trust items of collective efficacy ('people around here can be "
           "trusted', 'willing to help their neighbours'; Sampson, Raudenbush & Earls 1997), a 5-point "
           "Likert mean rescaled to [0, 1]; the starting level is set from generalised trust (WVS 'most "
           "people can be trusted', China 52-64%)"),
    Metric("trust_committee", "mean trust in the residents' committee and Party branch", "index", "higher",
           "vertical trust, the trust in institutions and leaders of Chan, To & Chan (2006): a survey item "
           "of trust in the residents' committee and the community Party branch, rescaled to [0, 1]"),
    Metric("belonging", "mean sense of belonging to the community", "index", "higher",
           "the membership and shared emotional connection subscales of the Sense of Community Index "
           "SCI-2 (Chavis, Lee & Acosta 2008; McMillan & Chavis 1986), rescaled to [0, 1]; the belonging "
           "cell of Chan, To & Chan (2006)"),
    Metric("participation_rate", "share of residents who took part in a community activity recently", "share",
           "higher", "the share of residents who report taking part in at least one community activity in "
           "the recall period (a quarter; research/domain.md §3.3); the horizontal, behavioural cell of "
           "Chan, To & Chan (2006)"),
    Metric("isolated_share", "share of residents with no friendly tie outside their household", "share", "lower",
           "the isolate share of a name-generator network survey; a structural proxy for loneliness, "
           "which the UCLA Loneliness Scale (version 3, Russell 1996) measures directly (Cacioppo, Fowler "
           "& Christakis 2009: loneliness sits at the network periphery)"),
    Metric("cohesion_index", "mean of trust_neighbors, trust_committee, belonging, participation_rate "
           "and 1 - isolated_share (Chan, To & Chan 2006)", "index", "higher",
           "social cohesion after Chan, To & Chan (2006): horizontal and vertical, subjective and "
           "behavioural components with equal weights; its horizontal, subjective part is the cohesion "
           "half of collective efficacy (Sampson, Raudenbush & Earls 1997)"),
    Metric("clustering", f"mean local clustering of friendly ties (sampled, every "
           f"{NETWORK_MEASURE_EVERY} weeks)", "index", "",
           "the mean local clustering coefficient (Watts & Strogatz 1998) of a whole-community "
           "name-generator network"),
    Metric("organizations_active", "social organisations active", "count", "higher",
           "the social organisations registered or filed (备案) with the street office and active in the "
           "community (003, 004 count them)"),
    Metric("disputes_new", "disputes that arose this week", "count", "lower",
           "the committee's dispute register (矛盾纠纷台账); the national people's-mediation statistics give "
           "10.6 mediated disputes per 1,000 people a year (2022)"),
    Metric("disputes_open", "disputes open at the end of the week", "count", "lower",
           "the open cases of the committee's dispute register"),
    Metric("group_disputes_open", "open disputes that have escalated to group disputes", "count", "lower",
           "group disputes (群体性纠纷) in the committee's register: many parties, e.g. a building against "
           "its property company; the last stage of staged escalation (Glasl 1982)"),
    Metric("disputes_resolved", "disputes resolved this week", "count", "",
           "cases closed in the dispute register (000: 90+ disputes resolved)"),
    Metric("disputes_relapsed", "resolved disputes that reopened this week", "count", "lower",
           "settled cases that reopen at follow-up (Pruitt et al. 1993 followed cases up after 4-8 months; "
           "10-30% relapse within a year is the prior, research/domain.md §6)"),
    Metric("resolved_share", "share of the disputes that arose in the past 52 weeks that are resolved", "share",
           "higher", "the share of a year's registered disputes settled within the community (矛盾不上交)"),
    Metric("cases_mediated", "disputes taken in hand by mediation or deliberation this week", "count", "",
           "the mediation caseload of people's-mediation statistics (cases accepted)"),
    Metric("mediation_agreements", "of those, cases that ended in agreement", "count", "",
           "mediated cases ending in agreement; the agreement rate is 70-90% in community mediation "
           "(Garofalo & Connelly 1980; Cook, Roehl & Sheppard 1980), above 95% in official Chinese figures"),
    Metric("property_settled", "building issues (property, shared space) the property company or the owners' "
           "committee settled this week", "count", "",
           "the property company's complaint and repair records and the owners' committee's minutes "
           "(001: the three parties under the Party branch)"),
    Metric("group_dispute_share", "share of all disputes so far that reached the group stage", "share", "lower",
           "the escalation profile of the dispute register: the share reaching the last stage"),
    Metric("unmet_needs_share", "share of residents with at least one unmet need", "share", "lower",
           "a household needs survey (需求调查; 000: 1,500 questionnaires over three years)"),
    Metric("vulnerable_unmet_needs_share", "share of vulnerable residents (empty-nest, disabled, "
           "low-income, special groups) with at least one unmet need", "share", "lower",
           "the needs survey among the residents on the committee's files of vulnerable groups (帮扶台账)"),
    Metric("undetected_needs_share", "share of residents with an unmet need no service knows of", "share", "lower",
           "no direct instrument: the needs a door-to-door survey finds that no service record holds (001: "
           "door-knocking finds hidden needs)"),
    Metric("needs_met", "needs met by a service this week", "count", "higher",
           "service records of the committee, social workers and organisations"),
    Metric("volunteers", "steady volunteers (resting ones included)", "count", "higher",
           "volunteers who serve regularly (000: 125 steady volunteers), not registered volunteers, "
           "who are many more"),
    Metric("linkage_strength", "working strength of the linkage this week: how readily a need one force "
           "finds reaches the others (simgov.dynamics.linkage)", "index", "",
           "no direct instrument: the share of cases referred across organisations in a referral-network "
           "survey comes closest"),
    Metric("moved_in", "residents who moved in this week (as many moved out)", "count", "",
           "the committee's register of residents moving in and out (户籍与流动人口登记)"),
    Metric("spend_yuan_total", "money spent on services and policies since the start", "yuan", "",
           "the committee's, the community fund's and project accounts"),
    Metric("fund_balance_yuan", "balance of the community fund", "yuan", "",
           "the community fund's accounts (004: 20% of the social enterprise's net profit goes into it)"),
    Metric("committee_balance_yuan", "the committee's budget left this budget year", "yuan", "",
           "the committee's accounts of its yearly allocation"),
    Metric("visits_short", "home visits a programme asked for this week beyond what its visitors could make",
           "count", "lower"),
    Metric("policy_yuan_total", "money spent on policies since the start (any payer)", "yuan"),
    Metric("policy_staff_hours_total", "paid staff hours worked for policies since the start", "hours"),
    Metric("policy_social_worker_hours_total", "social workers' hours worked for policies since the start",
           "hours"),
    Metric("policy_volunteer_hours_total", "volunteer hours given to policies since the start", "hours"),
    *(Metric(f"{who}_hours_{what}", f"{POOL_WORDS[who]}' hours {words} this week", "hours")
      for who in WORKERS for what, words in (("available", "available"), ("used", "used"),
                                             ("short", "asked for and not available"))),
    *(Metric(f"{payer}_yuan_short", f"yuan asked of the {payer}{' budget' if payer == 'committee' else ''} "
             "this week and not paid for want of money", "yuan") for payer in BOUNDED_PAYERS),
)
METRIC_NAMES = tuple(m.name for m in METRICS)


#: Weeks of the final year, over which final-year means are taken.
FINAL_YEAR_WEEKS = 52


def final_year(values):
    """The rows of a weekly record (a frame or a series) in the final year simulated: the last
    52 weeks, week 0 (the start, not simulated) excluded unless it is all there is."""
    simulated = values.iloc[1:] if len(values) > 1 else values
    return simulated.iloc[-FINAL_YEAR_WEEKS:]


def clustering(state: CommunityState) -> float:
    """Mean local clustering coefficient of the friendly-tie graph over a fixed sample (one
    pass over the sample's neighbour lists: simgov.kernels.network.local_clustering)."""
    net = state.network
    n = net.n
    sample = np.unique(np.linspace(0, n - 1, min(n, CLUSTERING_SAMPLE)).astype(np.int64))
    indptr, indices = net.friendly_csr()
    return float(local_clustering(indptr, indices, sample).mean()) if sample.size else 0.0


def clustering_numpy(state: CommunityState) -> float:
    """The reference of :func:`clustering`: sparse products over the sampled rows."""
    net = state.network
    n = net.n
    a = net.friendly_binary()
    sample = np.unique(np.linspace(0, n - 1, min(n, CLUSTERING_SAMPLE)).astype(np.int64))
    rows = a[sample]
    deg = np.asarray(rows.sum(axis=1)).ravel()
    triangles = np.asarray((rows @ a).multiply(rows).sum(axis=1)).ravel() / 2
    pairs = deg * (deg - 1) / 2
    local = np.divide(triangles, pairs, out=np.zeros_like(pairs), where=pairs > 0)
    return float(local.mean()) if sample.size else 0.0


class Recorder:
    """Weekly metric values in a preallocated array (one row per week, week 0 = start)."""

    def __init__(self, weeks: int):
        self.values = np.zeros((weeks + 1, len(METRICS)))
        self.weeks_recorded = 0
        self._clustering = 0.0
        self._col = {name: i for i, name in enumerate(METRIC_NAMES)}

    def record(self, week: int, state: CommunityState) -> None:
        r = state.residents
        row = self.values[week]
        c = self._col
        n = r.n
        # np.add.reduce and count_nonzero: ~2-6x cheaper than .mean() on arrays of this size.
        row[c["trust_neighbors"]] = np.add.reduce(r.trust) / n
        row[c["trust_committee"]] = np.add.reduce(r.trust_committee) / n
        row[c["belonging"]] = np.add.reduce(r.belonging) / n
        vulnerable = state.vulnerable()
        taking, volunteers, isolated, unmet, vulnerable_unmet, undetected = weekly_counts(
            r.active, r.volunteer, vulnerable, state.network.friends_outside_household(), r.needs,
            r.need_known, threads_for(n)).tolist()  # one pass over the residents (simgov.kernels.residents)
        row[c["participation_rate"]] = taking / n
        row[c["isolated_share"]] = isolated / n
        row[c["cohesion_index"]] = (row[c["trust_neighbors"]] + row[c["trust_committee"]]
                                    + row[c["belonging"]] + row[c["participation_rate"]]
                                    + 1.0 - row[c["isolated_share"]]) / 5
        if week % NETWORK_MEASURE_EVERY == 0:
            self._clustering = clustering(state)
        row[c["clustering"]] = self._clustering
        row[c["organizations_active"]] = sum(1 for o in state.organisations if o.active)
        d = state.disputes
        # Open, group open, opened in the last year, of which closed, group: one pass over the book.
        open_, group_open, recent, recent_closed, group = book_counts(d.stage, d.opened, d.closed, state.week).tolist()
        row[c["disputes_new"]] = d.new_this_week
        row[c["disputes_open"]] = open_
        row[c["group_disputes_open"]] = group_open
        row[c["disputes_resolved"]] = d.resolved_this_week
        row[c["disputes_relapsed"]] = d.relapsed_this_week
        row[c["resolved_share"]] = recent_closed / recent if recent else 0.0
        row[c["cases_mediated"]] = d.handled_this_week
        row[c["mediation_agreements"]] = d.agreed_this_week
        row[c["property_settled"]] = d.property_settled_this_week
        row[c["group_dispute_share"]] = group / len(d) if len(d) else 0.0
        row[c["unmet_needs_share"]] = unmet / n
        vulnerable_count = state.cache("vulnerable_count", lambda: np.count_nonzero(vulnerable))
        row[c["vulnerable_unmet_needs_share"]] = vulnerable_unmet / max(vulnerable_count, 1)
        row[c["undetected_needs_share"]] = undetected / n
        row[c["needs_met"]] = state.services_this_week
        row[c["volunteers"]] = volunteers
        row[c["linkage_strength"]] = state.linkage.working
        row[c["moved_in"]] = state.moved_in_this_week
        row[c["spend_yuan_total"]] = state.ledger.total
        row[c["fund_balance_yuan"]] = state.ledger.fund_balance
        row[c["visits_short"]] = state.levers.visits_short
        row[c["policy_yuan_total"]] = state.ledger.policy_yuan()
        row[c["policy_staff_hours_total"]] = state.ledger.policy_hours("staff")
        row[c["policy_volunteer_hours_total"]] = state.ledger.policy_hours("volunteer")
        led = state.ledger
        row[c["committee_balance_yuan"]] = led.committee_balance
        row[c["policy_social_worker_hours_total"]] = led.policy_hours("social_worker")
        for who in WORKERS:
            row[c[f"{who}_hours_available"]] = led.available[who]
            row[c[f"{who}_hours_used"]] = led.used[who]
            row[c[f"{who}_hours_short"]] = led.short[who]
        for payer in BOUNDED_PAYERS:
            row[c[f"{payer}_yuan_short"]] = led.short[payer]
        self.weeks_recorded = week + 1


__all__ = ["FINAL_YEAR_WEEKS", "METRICS", "METRIC_NAMES", "UNIT_RANGES", "Metric", "Recorder", "clustering",
           "final_year"]
