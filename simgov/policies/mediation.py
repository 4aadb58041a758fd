"""Mediation (调解), the "1+1+3" model: a mediation studio, legal support, online deliberation.

In practice: B community's "1+1+3" model: a mediation studio, a legal consultation room and
3 estate WeChat groups. Ordinary disputes are mediated on site with a legal expert
consulting and resident representatives watching; multi-party disputes such as property
management go to online group deliberation, then to resident or building meetings; 90+
disputes were resolved (000). In Qingshan's mediation bar (顺顺吧) street judicial staff
mediate, with a pro-bono lawyer every Thursday (001).

Rule (each week the policy is active):

1. The studio takes up to ``cases_per_week`` open disputes in hand, the most serious first,
   among those whose parties accept mediation (a share ``uptake`` of disputes; through the
   disputes mechanism's case handlers). A case taken does not escalate that
   week and ends in agreement with ``agreement``, plus ``legal_agreement_gain`` with a
   legal expert consulting (``legal_support``); cases without agreement stay open and may
   be taken again. Agreements relapse at ``relapse_factor`` times the usual hazard
   (``legal_relapse_factor`` with legal support: procedural justice makes them last).
2. With ``group_deliberation``, multi-party and group disputes (property management,
   shared space) first go to online group deliberation in the estate's WeChat groups,
   followed by resident or building meetings: up to ``group_cases_per_week`` cases, agreement
   ``group_agreement``, and an agreement fixes the issue's source with ``group_source_fix``.
3. Recorded: cases taken and agreements each week (metrics ``cases_mediated``,
   ``mediation_agreements``), relapses, and the share of recent disputes resolved.
4. Cost: the studio is open in a week if the committee can pay its running
   cost (``studio_yuan_per_year`` a week's share, and ``legal_yuan_per_week`` for the legal
   expert); with only part of it paid, it offers that share of its slots. Each slot offered
   reserves ``hours_per_case`` of staff time (``group_hours_per_case`` for group cases) from
   the ``staff`` pool, so the studio offers no more slots than staff can serve; hours of
   slots no case filled are given back after the week's disputes (settle), so the staff
   time used follows the caseload.

Sources: 000 (B community's "1+1+3": a mediation studio, a legal consultation room and 3
estate WeChat groups; multi-party disputes go to online deliberation, then resident
meetings; 90+ disputes resolved); 001 (Qingshan's mediation bar with a weekly pro-bono
lawyer); Garofalo & Connelly (1980) and Cook, Roehl & Sheppard (1980): agreement in 70-90%
of mediated cases (82%); Pruitt et al. (1993): procedural justice predicts lasting
agreements. Official Chinese success rates above 95% are an upper bound (research/domain.md §5).
"""

from __future__ import annotations

from typing import Literal

from simgov.community.state import CaseHandler
from simgov.params import Count, NonNegFloat, Share, field
from simgov.policies.base import PolicyParams, register


@register
class Mediation(PolicyParams):
    """调解 "1+1+3": a mediation studio, a legal consultation room, online group deliberation."""

    ADDITIVE = False
    NOT_ADDITIVE_BECAUSE = "a community has one mediation studio; raise its cases_per_week instead"

    type: Literal["mediation"] = field("mediation", "policy type")
    cases_per_week: Count = field(3, "disputes the studio can take in a week", "assumption; 000: 90+ a year")
    uptake: Share = field(0.5, "share of disputes whose parties bring them to mediation or accept referral",
                          "prior 0.4-0.6 of referrals (research/domain.md §6); Cook, Roehl & Sheppard 1980")
    agreement: Share = field(0.75, "chance a case taken ends in agreement that week",
                             "Garofalo & Connelly 1980: 70-90%")
    legal_support: bool = field(True, "a legal expert consults on cases", "000: legal consultation room; "
                                "001: a lawyer every Thursday")
    legal_agreement_gain: Share = field(0.1, "rise in the agreement chance with legal support", "assumption")
    relapse_factor: NonNegFloat = field(0.7, "relapse hazard of an agreement, relative to an informal "
                                        "settlement", "assumption; Pruitt et al. 1993")
    legal_relapse_factor: NonNegFloat = field(0.5, "relapse factor with legal support", "assumption")
    group_deliberation: bool = field(True, "multi-party disputes go to online group deliberation and "
                                     "resident meetings", "000: 3 estate WeChat groups")
    group_cases_per_week: Count = field(2, "multi-party and group disputes deliberated in a week", "assumption")
    group_agreement: Share = field(0.6, "chance a deliberated case ends in agreement that week", "assumption")
    group_source_fix: Share = field(0.3, "chance a deliberated agreement fixes the issue's source",
                                    "assumption; 000")
    hours_per_case: NonNegFloat = field(3.0, "staff hours per mediated case", "assumption")
    group_hours_per_case: NonNegFloat = field(6.0, "staff hours per deliberated case (online group and "
                                              "meeting)", "assumption")
    studio_yuan_per_year: NonNegFloat = field(6000.0, "the studio's running cost a year, in yuan", "assumption")
    legal_yuan_per_week: NonNegFloat = field(200.0, "the legal expert's stipend a week, in yuan",
                                             "assumption; pro bono in 001")

    def act(self, state, memory, rng):
        ledger = state.ledger
        handlers = state.levers.case_handlers
        legal = self.legal_support
        group_cases = self.group_cases_per_week if self.group_deliberation else 0
        memory["offered"] = {}
        if not (self.cases_per_week or group_cases):
            return
        open_share = ledger.draw(self.category, yuan=self.studio_yuan_per_year / 52.0
                                 + (self.legal_yuan_per_week if legal else 0.0))
        group_cases = ledger.draw_units(self.category, int(group_cases * open_share),
                                        staff=self.group_hours_per_case)
        cases = ledger.draw_units(self.category, int(self.cases_per_week * open_share), staff=self.hours_per_case)
        memory["offered"] = {"online_deliberation": (group_cases, self.group_hours_per_case),
                             "mediation": (cases, self.hours_per_case)}
        if group_cases:
            handlers.append(CaseHandler("online_deliberation", group_cases, 2, self.group_agreement,
                                        self.relapse_factor, self.group_source_fix, self.uptake))
        if cases:
            agreement = min(1.0, self.agreement + (self.legal_agreement_gain if legal else 0.0))
            handlers.append(CaseHandler("mediation", cases, 1, agreement,
                                        self.legal_relapse_factor if legal else self.relapse_factor,
                                        uptake=self.uptake))

    def settle(self, state, memory, rng):
        taken = state.disputes.handled_by
        for name, (offered, hours) in memory.get("offered", {}).items():
            state.ledger.release(self.category, "staff", (offered - taken.get(name, (0, 0))[0]) * hours)
