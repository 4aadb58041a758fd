"""Levers: what policies set each week for the mechanisms to read (simgov.policies)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class CaseHandler:
    """A service that takes open disputes in hand this week (mediation, deliberation)."""

    name: str  # e.g. "mediation", "online_deliberation", "deliberation_platform"
    cases: int  # disputes it can take this week
    min_stage: int  # 1 takes any dispute; 2 only multi-party and group disputes
    agreement: float  # chance a case taken ends in agreement this week
    relapse_factor: float = 1.0  # multiplies the relapse hazard of the agreements it reaches
    source_fix: float = 0.0  # chance an agreed building issue fixes its source for good
    uptake: float = 1.0  # share of disputes whose parties accept this service (willingness below it)


@dataclass
class Levers:
    """What policies change this week; mechanisms read them. Reset to these defaults weekly.

    With every lever at its default the community runs on its ordinary means alone.
    """

    visits: int = 0  # extra home visits (households) this week
    visits_short: int = 0  # visits programmes asked for beyond their visitors' capacity this week
    visit_priority: str = "vulnerable"  # who is visited first: vulnerable, isolated or random
    visit_trust_gain: float = 0.0  # trust gained by a visited resident, relative to the room left
    visit_invitation: bool = False  # a visit invites the household to take part
    visit_dispute_catch: float = 0.0  # chance a visit settles a brewing individual dispute
    routine_visits: float = 0.0  # extra routine visits (households, expected) by added grid workers
    case_handlers: list = field(default_factory=list)  # CaseHandler, most serious cases first
    bought: list = field(default_factory=list)  # (name, need types or None for any, hours) bought in
    volunteer_hours_factor: float = 1.0  # multiplies volunteers' weekly hours
    volunteer_retention: float = 1.0  # multiplies volunteers' weekly quit hazard
    volunteer_recruit_factor: float = 1.0  # multiplies participants' weekly chance to become volunteers
    invitation_boost: float = 0.0  # lowers everyone's participation threshold this week
    invited: np.ndarray | None = None  # per resident, strength of this week's invitation to take part (0-1)
    grievance_relief: float = 0.0  # lowers everyone's grievance this week
    building_issue_factor: float = 1.0  # multiplies the rate of building issues this week
    # The property side of building disputes (simgov.dynamics.property_side):
    property_stand_in: bool = False  # a body runs the property services where no company is (a social enterprise)
    property_resolution_gain: float = 0.0  # raises the property side's chance to settle a building issue
    property_capacity_factor: float = 1.0  # multiplies the building issues the property side takes a week
    property_source_fix: float = 0.0  # chance a building issue the property side settles is fixed at its source
    # Shocks (simgov.shocks); None or 1.0 when no shock is on:
    need_rate_factor: np.ndarray | None = None  # per resident, multiplies the incidence of needs this week
    activities_held: float = 1.0  # share of community activities held this week (0: all stopped)
    in_person_factor: float = 1.0  # multiplies the in-person visits (routine and policy) made this week
    linkage_target: float = 0.0  # strength a linkage platform builds towards (0: none this week)
    linkage_build: float = 0.0  # weekly share of the gap to linkage_target the platform closes

    def invite(self, residents: np.ndarray, n: int, strength: float | np.ndarray = 1.0) -> None:
        """Residents a policy invites this week (invitations lower their threshold, in
        proportion to ``strength``: 1 for the person asked, less for their household)."""
        if self.invited is None:
            self.invited = np.zeros(n)
        self.invited[residents] = np.maximum(self.invited[residents], strength)

    def raise_property_resolution(self, gain: float) -> None:
        """Policies' gains in the property side's chance to settle a building issue compose as
        shares of the chance to fail: ``1 - (1 - g1)(1 - g2)``."""
        self.property_resolution_gain = 1.0 - (1.0 - self.property_resolution_gain) * (1.0 - gain)
