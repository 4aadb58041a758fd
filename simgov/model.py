"""CommunityModel: one simulated community, stepped one week at a time.

The model owns the community state (residents as arrays, the network, disputes, money),
the actors (Mesa agents), the random streams and the weekly record. Each week runs the
mechanisms of ``simgov.dynamics`` in their fixed order, each with its own keyed random
stream (``simgov.streams``: an entity's draw depends on the seed, the stream, the week and
the entity, so arms share it exactly), then records the metrics. Shocks that are on
(``simgov.shocks``: an epidemic, a building emergency) act first, then active policies
(``simgov.policies``) act before the mechanisms (setting the week's levers) and settle
their costs after them. The community is
synthesised and warmed up (``warmup_weeks``, unrecorded, no policies) from the scenario
alone, so every arm starts from the same community; week 0 is the state after the
warm-up, and step k simulates week k with the arm's parameters and policies.

Mesa's conventions hold: ``running`` turns False after the last configured week (a step past it
does nothing), so ``model.run_model()`` runs the whole scenario; ``model.datacollector`` is a
``mesa.DataCollector`` with a model reporter per metric (``simgov.metrics``), made on first use
and filled with the weeks already recorded, then collecting every step; a run that never asks
for it pays nothing (the weekly record is ``model.recorder``, a preallocated array).
"""

from __future__ import annotations

from functools import partial

import mesa
import numpy as np
import pandas as pd

from simgov.agents import Committee, Donor, Organisation, PartyMember, SocialWorker
from simgov.community import CommunityState, build_network, synthesize_residents
from simgov.community.state import CONSOLIDATE_EVERY, Capacity, Levers, LinkageState
from simgov.dynamics import MECHANISMS, resources, services
from simgov.dynamics.disputes import consolidate_network
from simgov.dynamics.organisations import ESTABLISHED_WEEKS, buy_contract
from simgov.dynamics.services import LIGHT_CARE, SELF_ORG_SERVICES
from simgov.dynamics.turnover import Newcomers
from simgov.metrics import METRIC_NAMES, Recorder
from simgov.policies import PolicyParams
from simgov.scenario import Scenario, for_arm, load_scenario
from simgov.shocks import ShockParams
from simgov.streams import KeyedStream, Streams, combine, replicate_seed
from simgov.warmup import WARMUPS, WarmupCache, warmup_key


class CommunityModel(mesa.Model):
    """A community under five-society linkage.

    Args:
        scenario: a validated ``Scenario``, or a bundled name or a path to load one.
        arm: which arm of the scenario to run ('baseline' by default).
        rng: the run seed (an int); None takes the scenario's first replicate seed.
        weeks: weeks the record has room for; None takes the scenario's.
    """

    def __init__(self, scenario: Scenario | str = "b-community", *, arm: str = "baseline",
                 rng: int | None = None, weeks: int | None = None, _warm_only: bool = False):
        scenario = load_scenario(scenario)
        seed = replicate_seed(scenario.seed, 0) if rng is None else int(rng)
        super().__init__(rng=seed)
        self.seed = seed
        self._warm_up(scenario)
        if not _warm_only:
            self._begin(scenario, arm, weeks)

    @classmethod
    def started(cls, scenario: Scenario | str = "b-community", *, arm: str = "baseline", rng: int | None = None,
                weeks: int | None = None, cache: WarmupCache | None = None) -> CommunityModel:
        """A model ready to run week 1, its warm-up restored from ``cache`` (the process's own by
        default) when a run with the same warm-up (simgov.warmup.warmup_key) was made before;
        the same as ``CommunityModel(...)``, number for number, only faster."""
        scenario = load_scenario(scenario)
        seed = replicate_seed(scenario.seed, 0) if rng is None else int(rng)
        cache = WARMUPS if cache is None else cache
        key = warmup_key(scenario, seed)
        model = cache.restore(key)
        if model is None:
            model = cls(scenario, rng=seed, _warm_only=True)
            cache.keep(key, model)
        model._begin(scenario, arm, weeks)
        return model

    def _warm_up(self, scenario: Scenario) -> None:
        """Synthesise the community and simulate its warm-up: everything before week 0, which
        depends on the scenario's inputs and the seed alone (not on the arm or the run length)."""
        self.week = 0
        self.streams = Streams(self.seed)
        residents = synthesize_residents(scenario, self.streams["community"])
        network = build_network(residents, scenario.network, self.streams["network"])
        a = scenario.actors
        capacity = Capacity(
            cadres=a.cadres, social_workers=a.social_workers, donors=a.donors,
            grid_workers=a.grid_workers if a.grid_workers is not None else scenario.community.grids,
            budget_yuan_per_year=a.budget_yuan_per_year, party_members_sunk=a.party_members_sunk,
            property_company=a.property_company, property_cases_per_week=a.property_cases_per_week,
            property_resolution=a.property_resolution, owners_committee=a.owners_committee,
            owners_committee_cases_per_week=a.owners_committee_cases_per_week,
            owners_committee_resolution=a.owners_committee_resolution)
        self.state = CommunityState(
            residents=residents, network=network, capacity=capacity,
            building_size=np.bincount(residents.building, minlength=scenario.community.buildings),
            new_organisation=self._new_organisation)
        self.state.linkage = LinkageState(level=a.linkage.strength, strength=a.linkage.strength,
                                          working=a.linkage.strength)
        self.state.newcomers = Newcomers.of(scenario)
        self.state.measure_disorder()
        # Warm-up: the community as it is, before week 0 (the scenario's parameters, no arm's
        # overrides or policies), so that all arms start from the same settled state.
        self.state.week = -scenario.warmup_weeks
        self._create_actors(scenario)
        self._phases = self._phase_list(scenario)
        self._policies: list[tuple[PolicyParams, dict, KeyedStream]] = []
        self._shocks: list[tuple[ShockParams, dict, KeyedStream]] = []  # none in the warm-up
        for _ in range(scenario.warmup_weeks):
            self._simulate_week()

    def _begin(self, scenario: Scenario, arm: str, weeks: int | None) -> None:
        """Set up the arm after the warm-up: its parameters, its policies, the weekly record."""
        # Mesa owns `model.scenario` (its own Scenario type, used by SolaraViz); ours is `spec`.
        self.spec = for_arm(scenario, arm)
        self.arm = arm
        self.weeks = scenario.weeks if weeks is None else weeks
        self._phases = self._phase_list(self.spec)
        self.set_policies(self.spec.policies)
        self._shocks = self._keyed_runs(self.spec.shocks, "shock")
        self.recorder = Recorder(self.weeks)
        self._datacollector: mesa.DataCollector | None = None
        self._record()
        self.running = self.week < self.weeks

    def __getstate__(self):
        # The phase list holds the mechanism modules, which do not pickle; ``_begin`` rebuilds it.
        state = self.__dict__.copy()
        state["_phases"] = None
        return state

    def _phase_list(self, scenario: Scenario):
        self._params = scenario.parameters
        return [(m, getattr(scenario.parameters, m.NAME), self.streams.keyed(m.NAME, self.state))
                for m in MECHANISMS]

    def set_policies(self, policies) -> None:
        """The policies that act from the next week on. The k-th policy of a type draws from
        the stream ``policy:<type>:<k>``, so the same policy gets the same draws in every arm
        (common random numbers); a policy kept from the current list keeps its memory."""
        self._policies = self._keyed_runs(policies, "policy", {id(p): (m, rng) for p, m, rng in self._policies})

    def _keyed_runs(self, entries, what: str, kept: dict | None = None) -> list[tuple]:
        """(entry, memory, stream) for each policy or shock: the k-th entry of a type draws from
        ``<what>:<type>:<k>``; an entry in ``kept`` keeps its memory and stream."""
        kept = kept or {}
        seen: dict[str, int] = {}
        runs = []
        for p in entries:
            k = seen[p.type] = seen.get(p.type, -1) + 1
            memory, rng = kept.get(id(p), ({}, None))
            runs.append((p, memory, rng if rng is not None else self.streams.keyed(f"{what}:{p.type}:{k}", self.state)))
        return runs

    @property
    def policies(self) -> list[PolicyParams]:
        return [p for p, _, _ in self._policies]

    def _new_organisation(self, kind: str, services: tuple[str, ...], members: np.ndarray,
                          **attributes) -> Organisation:
        """A new organisation, keyed for its random draws by its kind, founding week, leader
        and its rank among those with the same three (so the same organisation has the same
        key in every arm, whatever else was founded before it)."""
        state = self.state
        org = Organisation(self, kind, services, members, **attributes)
        twins = sum(o.kind == kind and o.founded == state.week and o.leader == org.leader
                    for o in state.organisations)
        org.founded = state.week
        org.key = int(combine(Organisation.KINDS.index(kind), state.week, org.leader, twins))
        state.organisations.append(org)
        state.organisation_log.append((state.week, org.key, "founded"))
        return org

    def _create_actors(self, scenario: Scenario) -> None:
        a = scenario.actors
        r = self.state.residents
        cap = self.state.capacity
        rng = self.streams.keyed("actors", self.state)
        params = scenario.parameters.organisations
        self.committee = Committee(self, cap.cadres, cap.grid_workers, cap.budget_yuan_per_year)
        for i in np.flatnonzero(r.party_member):
            PartyMember(self, int(i))
        for _ in range(a.party_members_sunk):
            PartyMember(self, None)
        for _ in range(a.social_workers):
            SocialWorker(self)
        volunteers = np.flatnonzero(r.volunteer)
        teams = np.array_split(rng.shuffled(volunteers, "teams"), a.volunteer_teams) if a.volunteer_teams else []
        for members in teams:
            self._new_organisation("volunteer_team", LIGHT_CARE, np.sort(members))
        active = np.flatnonzero(r.active)
        running = []
        for i in range(a.self_organisations):
            size = min(active.size, rng.integers(i, 8, 30, "self_size"))
            org = self._new_organisation("self", SELF_ORG_SERVICES, np.sort(rng.sample(active, size, f"self:{i}")))
            org.funds = params.start_funds_yuan
            running.append(org)
        # Running groups, past their liability of newness; dated only once all are keyed, since a
        # key counts the groups founded in the same week by the same leader (its twins).
        for org in running:
            org.founded = self.state.week - ESTABLISHED_WEEKS
        for i in range(a.professional_organisations):
            # Contracts already running end at staggered times over their length.
            buy_contract(self.state, params, self.state.week + rng.integers(i, 1, params.contract_weeks + 1,
                                                                            "contract"))
        for _ in range(a.donors):
            Donor(self)

    @property
    def organisations(self) -> list[Organisation]:
        return self.state.organisations

    def _record(self) -> None:
        self.recorder.record(self.week, self.state)

    def step(self) -> None:
        """Simulate one week: every mechanism in order, then record the metrics. After the last
        configured week ``running`` is False and a further step does nothing."""
        if self.week >= self.weeks:
            self.running = False
            return
        self.week += 1
        self._simulate_week()
        self._record()
        if self._datacollector is not None:
            self._datacollector.collect(self)
        self.running = self.week < self.weeks

    @property
    def datacollector(self) -> mesa.DataCollector:
        """A Mesa ``DataCollector``, one model reporter per metric (its value this week), holding
        every week so far (week 0 first) and collecting at each step from now on."""
        if self._datacollector is None:
            collector = mesa.DataCollector(model_reporters={name: partial(_metric_now, i)
                                                            for i, name in enumerate(METRIC_NAMES)})
            n = self.recorder.weeks_recorded
            for i, name in enumerate(METRIC_NAMES):  # the weeks recorded before it was asked for
                collector.model_vars[name] = [float(v) for v in self.recorder.values[:n, i]]
            self._datacollector = collector
        return self._datacollector

    def _simulate_week(self) -> None:
        state = self.state
        state.week += 1
        state.levers = Levers()
        state.disputes.start_week()
        state.measure_disorder()
        # The week's money and hours, before anyone draws on them (simgov.community.ledger).
        resources.refill(state, self._params.resources, services.org_support(state, self._params.services))
        for shock, memory, rng in self._shocks:  # an emergency before planned programmes
            if shock.active(state.week):
                shock.act(state, memory, rng)
        acting = [run for run in self._policies if run[0].active(state.week)]
        for policy, memory, rng in acting:
            policy.act(state, memory, rng)
        for mechanism, params, rng in self._phases:
            mechanism.step(state, params, rng)
        for policy, memory, rng in acting:
            policy.settle(state, memory, rng)
        if state.week % CONSOLIDATE_EVERY == 0:
            # Every change to tie weights at once, so the network's derived operators are
            # rebuilt once a month: the mechanisms' monthly rules (decay, fading), then the
            # queued ties, renewals and fallings-out.
            for mechanism, params, rng in self._phases:
                if hasattr(mechanism, "monthly"):
                    mechanism.monthly(state, params, rng)
            consolidate_network(state)

    def timeseries(self) -> pd.DataFrame:
        """One row per recorded week (week 0 = start) with every metric."""
        n = self.recorder.weeks_recorded
        df = pd.DataFrame(self.recorder.values[:n], columns=list(METRIC_NAMES))
        df.insert(0, "week", np.arange(n))
        return df


def _metric_now(column: int, model: CommunityModel) -> float:
    """A DataCollector reporter: metric ``column`` in the week just recorded."""
    return float(model.recorder.values[model.recorder.weeks_recorded - 1, column])
