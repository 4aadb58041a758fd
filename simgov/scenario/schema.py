"""The scenario file format: every section, field, type, range and default.

A scenario is a validated, immutable description of one community and what to run on it.
The YAML file mirrors these classes key for key; ``simgov validate FILE`` checks a file
against them, and docs/scenario-format.md is generated from them.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, create_model, model_validator

from simgov.dynamics import MECHANISMS
from simgov.params import Count, NonNegFloat, PositiveInt, Share, Spec, field
from simgov.patterns import PATTERN_NAMES
from simgov.policies import AnyPolicy
from simgov.shocks import AnyShock
from simgov.vocabulary import LIFE_STAGES

Name = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64, strict=True)]



class ResidentMix(Spec):
    """Shares of residents by life stage; they must add up to 1."""

    children: Share = field(0.15, "children under 18", "assumption; China 2020 census: 18% under 15")
    working_adults: Share = field(0.45, "adults in work")
    other_adults: Share = field(0.12, "adults out of work: unemployed, carers, unable to work")
    elderly: Share = field(0.25, "residents aged 60 and over (other than migrant elderly)",
                           "China 2020 census: 18.7% aged 60+; higher in affordable housing (000)")
    migrant_elderly: Share = field(
        0.03, "elderly who moved in to look after grandchildren (随迁老人)", "003, 004")

    @model_validator(mode="after")
    def _adds_up(self):
        total = sum(getattr(self, k) for k in LIFE_STAGES)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the shares add up to {total:.6g}, not 1")
        return self


class InitialAttitudes(Spec):
    """Starting attitudes, drawn per resident from Beta distributions with these means."""

    trust_neighbors: Share = field(0.55, "mean trust in neighbours, in [0, 1]",
                                   "WVS China 'most people can be trusted' 52-64%")
    trust_committee: Share = field(0.6, "mean trust in the residents' committee and Party branch")
    belonging: Share = field(0.5, "mean sense of belonging to the community")
    spread: Annotated[float, Field(gt=0.0, le=0.3, strict=True)] = field(
        0.15, "standard deviation of each attitude across residents")
    participation: Share = field(
        0.05, "share of residents (beyond steady volunteers) taking part in activities at the start",
        "assumption: 'high willingness, low actual participation' (research/domain.md §5)")


class Community(Spec):
    """Who lives where: residents in households, households in buildings, buildings in grids."""

    residents: Annotated[int, Field(ge=2, strict=True)] = field(
        6221, "number of residents (at least 2: the model is of ties between them)", "000: 6221 residents")
    households: PositiveInt = field(2534, "number of occupied households", "000: 2534 households")
    buildings: PositiveInt = field(18, "number of residential buildings", "000: 18 buildings")
    grids: PositiveInt = field(10, "number of grids (网格), each a group of buildings", "000: 10 grids")
    area_km2: Annotated[float, Field(gt=0.0, strict=True)] | None = field(
        None, "area in square kilometres (for density); null if unknown", "000: 0.05 km2")
    mix: ResidentMix = field(ResidentMix(), "shares of residents by life stage")
    empty_nest_elderly: Share = field(
        0.35, "share of elderly who live alone or only with an elderly spouse (空巢/独居)",
        "assumption; 000 names empty-nest elderly as a main group")
    empty_nest_couples: Share = field(
        0.5, "share of empty-nest elderly living with a spouse rather than alone", "assumption")
    disabled: Share = field(0.06, "share of residents with a disability",
                            "China 2006 disability survey: 6.3%; higher in public rental (000)")
    low_income_households: Share = field(
        0.15, "share of households on subsistence aid (低保)", "000: many low-income households")
    special_groups: Share = field(
        0.01, "share of residents in special groups: community correction, released prisoners, "
        "severe mental illness", "000")
    initial: InitialAttitudes = field(InitialAttitudes(), "starting attitudes")
    move_out_per_year: Share = field(
        0.0, "share of households that move out in a year; each flat is let again at once to a newcomer "
        "household (simgov.dynamics.turnover); 0 = a settled community",
        "0 unless a scenario states its rate, so that a community calibrated without turnover runs as it was. "
        "For a rate: Huang & Deng 2006 (Housing Studies 21(5), a retrospective survey in 20 Chinese cities) find "
        "residential mobility in Chinese cities low, though rising since the housing reform, below the US rate "
        "of about 10% of people a year (US Census CPS 2019); estates of public-rental tenants move more "
        "(000: 流动性大)")

    def group_counts(self) -> dict[str, int]:
        """Residents per life stage: shares times residents, rounded by largest remainder."""
        shares = [getattr(self.mix, k) for k in LIFE_STAGES]
        exact = [s * self.residents for s in shares]
        counts = [int(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in by_remainder[: self.residents - sum(counts)]:
            counts[i] += 1
        return dict(zip(LIFE_STAGES, counts, strict=True))

    def empty_nest_plan(self) -> tuple[int, int]:
        """(empty-nest elderly, households they form): couples share a household."""
        n = round(self.empty_nest_elderly * self.group_counts()["elderly"])
        couples = int(n * self.empty_nest_couples) // 2
        return n, n - couples


class Linkage(Spec):
    """How strongly the five forces are linked: what one finds, another can serve
    (simgov.dynamics.linkage)."""

    strength: Share = field(
        0.6, "linkage strength the community keeps up by its own routines, in [0, 1]: 0 = each force serves "
        "only the needs it finds itself, 1 = every need found is on a shared list in the week it is found",
        "assumption where a source is silent: the five forces work together in every bundled community, "
        "through the committee, but without the shared platform of 003 or 000")


class Actors(Spec):
    """The actors of five-society linkage, beyond the residents themselves."""

    cadres: Count = field(9, "residents' committee staff (社区干部)", "000: 9 cadres")
    grid_workers: Count | None = field(None, "grid workers; null = one per grid", "000: grid chiefs")
    party_members_resident: Count = field(53, "Party members living in the community",
                                          "000: 53 Party members")
    party_members_sunk: Count = field(
        0, "Party members 'sunk' from work units who serve in the community (下沉党员)", "001, 003")
    social_workers: Count = field(2, "professional social workers serving the community",
                                  "assumption; 003: 7 for 111,000 residents")
    steady_volunteers: Count = field(125, "residents who volunteer regularly",
                                     "000: 125 steady volunteers")
    volunteer_teams: Count = field(11, "volunteer teams, which hold the steady volunteers of the day (members "
                                   "take part)", "000: 11 volunteer teams")
    self_organisations: Count = field(
        5, "residents' self-organisations (interest and mutual-aid groups)", "assumption")
    professional_organisations: Count = field(
        1, "professional social organisations working in the community: the government's contract places, "
        "each tendered again when its contract ends unrenewed",
        "000: services bought from social-work organisations")
    donors: Count = field(3, "donors: businesses, charities and benefactors", "000: online fundraising")
    linkage: Linkage = field(Linkage(), "how strongly the forces are linked (the platform, meetings, shared list)")
    budget_yuan_per_year: NonNegFloat = field(
        100_000.0, "the committee's yearly budget for services and activities, in yuan",
        "assumption: 000 gives no figure, only that the collective income keeps the office running and money "
        "for activities is short (仅能维持社区日常办公运转, 社区活动经费…开支困难); so below the roughly 350,000 "
        "yuan a year that Chengdu's participatory public-service funds gave each village or neighbourhood "
        "(over US$232 M a year across 4,300 by 2018; Participedia case 5969). 000's 150,000+ yuan (先后投入15余万元) "
        "was a capital investment in rooms, with no period, not a yearly budget")
    property_company: bool = field(
        True, "the estate has a property company (物业) that building issues go to first",
        "000: B community's property company hires residents (物业公司已招聘小区居民35人); most urban estates "
        "have one; 004's 'three-no' courtyards have none")
    property_cases_per_week: Count = field(
        2, "building issues (property, shared space) the property company takes a week", "assumption")
    property_resolution: Share = field(
        0.3, "chance the property company settles a building issue it takes",
        "assumption; 003: where responsibilities are unclear they are pushed around (责任推诿)")
    owners_committee: bool = field(
        False, "the estate has an owners' committee (业委会) that takes building issues the property company "
        "did not settle", "assumption: most estates have none; 001: Baibuting and Cuizhuyuan have one; 004: "
        "none in the 'three-no' courtyards")
    owners_committee_cases_per_week: Count = field(
        1, "building issues the owners' committee takes a week", "assumption")
    owners_committee_resolution: Share = field(
        0.2, "chance the owners' committee settles a building issue it takes", "assumption")


class TieWeights(Spec):
    """Initial strength of a tie by kind, in (0, 1]."""

    household: Share = field(1.0, "ties between members of one household")
    neighbor: Share = field(0.5, "ties between nearby households of one building")
    building: Share = field(0.3, "other ties within a building")
    acquaintance: Share = field(0.4, "ties anywhere in the community")


class NetworkSpec(Spec):
    """How the social network is built: household cliques, neighbours, building and acquaintance ties."""

    neighbor_span: Annotated[int, Field(ge=0, le=10, strict=True)] = field(
        2, "households on each side (in a building's order) that count as next-door neighbours")
    neighbor_tie_prob: Share = field(
        0.5, "probability that two next-door households know each other",
        "assumption; 000: neighbour relations fragile in public rental")
    building_ties_per_resident: Annotated[float, Field(ge=0.0, le=50.0, strict=True)] = field(
        1.0, "mean number of further ties per resident within the building")
    acquaintance_ties_per_resident: Annotated[float, Field(ge=0.0, le=50.0, strict=True)] = field(
        0.6, "mean number of ties per resident anywhere in the community (small-world shortcuts)",
        "Watts & Strogatz 1998")
    homophily: Share = field(
        0.6, "share of acquaintance ties made within one's own life stage",
        "McPherson, Smith-Lovin & Cook 2001; Neal & Neal 2014")
    isolation: Share = field(
        0.5, "how much less sociable empty-nest elderly, disabled and special-group residents are "
        "(0 = as sociable as others, 1 = no ties beyond the household)",
        "Cacioppo, Fowler & Christakis 2009 (loneliness at the periphery); 000")
    hostile_tie_share: Share = field(0.01, "share of ties beyond the household that start hostile")
    weights: TieWeights = field(TieWeights(), "initial tie strength by kind")


#: Mechanism parameters, one block per mechanism module, composed from the modules themselves.
Parameters = create_model(
    "Parameters",
    __base__=Spec,
    __doc__="Mechanism parameters: one block per module in simgov.dynamics.",
    **{m.NAME: (m.Params, Field(m.Params(), description=(m.__doc__ or "").strip().splitlines()[0]))
       for m in MECHANISMS},
)


class Arm(Spec):
    """A named variant of the scenario: its own policies and parameter overrides."""

    description: str = field("", "what this arm represents")
    description_zh: str = field("", "the description in Chinese, for Chinese reports and the demo "
                                "(default: the description)")
    label: str = field("", "the arm's name in English reports (default: its policy's name, when the arm is "
                       "named after a policy type, else its name)")
    label_zh: str = field("", "the arm's name in Chinese reports (default: its policy's Chinese name, "
                          "when the arm is named after a policy type, else its name)")
    policies: tuple[AnyPolicy, ...] = field((), "policies added to the scenario's own in this arm")
    shocks: tuple[AnyShock, ...] = field((), "shocks added to the scenario's own in this arm (e.g. the same "
                                         "community with and without an epidemic)")
    parameters: dict = field({}, "parameter overrides for this arm, merged key by key")


#: A target's end: infinite for no bound (NaN is refused by the range's check).
_Bound = Annotated[float, Field(allow_inf_nan=True)]


class Target(Spec):
    """A pattern the community is known to show: the run's value should fall in ``range``."""

    pattern: Literal[PATTERN_NAMES] = field(..., "the pattern measured (see docs/validation.md)")
    range: tuple[_Bound, _Bound] = field(..., "lowest and highest value consistent with the source "
                                         "(.inf for no upper bound)")
    arm: Name = field("baseline", "the arm the pattern is measured in")
    source: str = field("", "where the range comes from (a seed file or a study)")

    @model_validator(mode="after")
    def _ordered(self):
        if any(math.isnan(x) for x in self.range):
            raise ValueError(f"range must be two numbers (.inf or -.inf for no bound), not {list(self.range)}")
        if self.range[0] > self.range[1]:
            raise ValueError(f"range must be [low, high] with low <= high, not {list(self.range)}")
        return self


class Scenario(Spec):
    """A whole scenario file, validated."""

    name: Name = field(..., "short identifier: lower case letters, digits, - and _")
    title: str = field("", "one-line title")
    title_zh: str = field("", "the title in Chinese, for Chinese reports and the demo (default: the title)")
    description: str = field("", "what the scenario represents (a file that extends another does not "
                             "inherit it: the parent's words describe the parent)")
    description_zh: str = field("", "the description in Chinese (default: the description)")
    sources: tuple[str, ...] = field((), "citations for the numbers in the file")
    extends: str | None = field(None, "a bundled scenario name or a path that this file overrides key by key")
    weeks: Annotated[int, Field(ge=1, le=5200, strict=True)] = field(260, "weeks to simulate (52 = one year)")
    warmup_weeks: Annotated[int, Field(ge=0, le=1040, strict=True)] = field(
        104, "weeks simulated before week 0, unrecorded, so that needs, disputes and ties settle from "
        "the synthetic start; run with the scenario's own parameters and no policies, so every arm "
        "starts from the same community")
    seed: Annotated[int, Field(ge=0, lt=2**63, strict=True)] = field(
        20211201, "random seed; replicates derive their seeds from it")
    replicates: Annotated[int, Field(ge=1, le=100_000, strict=True)] = field(
        10, "independent runs per arm")
    community: Community = field(Community(), "residents, households, buildings and grids")
    actors: Actors = field(Actors(), "committee, Party members, social workers, organisations, donors")
    network: NetworkSpec = field(NetworkSpec(), "how the social network is built")
    parameters: Parameters = field(Parameters(), "mechanism parameters")  # type: ignore[valid-type]
    policies: tuple[AnyPolicy, ...] = field((), "policies that run in every arm")
    shocks: tuple[AnyShock, ...] = field((), "timed shocks that hit the community in every arm: each a type "
                                         "(epidemic_lockdown, building_emergency), a start_week, its length "
                                         "in weeks and a size (simgov.shocks)")
    arms: dict[Name, Arm] = field({}, "named variants; 'baseline' (implicit if absent) is the reference")
    targets: tuple[Target, ...] = field((), "patterns this community is known to show, beyond the general "
                                        "ones every community is held to (docs/validation.md)")
    calibration: dict = field({}, "record of the last fit of uncertain parameters, written by "
                              "experiments/calibrate.py (the fitted values themselves stand in place)")
    settled: dict = field({}, "record of the inflow rates set so that the input counts of volunteers and "
                          "organisations are the baseline's steady state, written by experiments/settle_stocks.py "
                          "(the values themselves stand in place)")

    def with_values(self, values: dict) -> Scenario:
        """This scenario with each path of ``values`` set, in the sweep's path language
        (``{"policies.door_knocking.visits_per_week": 70, "actors.social_workers": 4}``), validated
        like a file; the result goes to ``simulate``, ``compare`` and ``prepare`` (a sweep) alike.
        See ``simgov.scenario.overrides``."""
        from simgov.scenario.overrides import with_values

        return with_values(self, values)

    @property
    def arm_names(self) -> list[str]:
        """All arms, 'baseline' first."""
        return ["baseline"] + [a for a in self.arms if a != "baseline"]
