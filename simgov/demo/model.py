"""DemoModel: the community a class watches, reset by the page's controller, steered mid-run.

The controller (``simgov.demo.controls``, like Mesa's ``ModelController``) resets a model by
calling its class again with the page's setup parameters (``scenario_name``, ``seed``); a Mesa
model that takes ``scenario=`` would be handed Mesa's own Scenario object by Mesa's controller,
so this model names its parameter differently. The run stops (``running``, set by
``CommunityModel``) at the scenario's last week, which disables Play and Step.
"""

from __future__ import annotations

from simgov.demo.levers import DEFAULT_SCENARIO, LEVER, LEVERS, Setting, demo_scenario, make_policy
from simgov.model import CommunityModel
from simgov.streams import replicate_seed


class DemoModel(CommunityModel):
    """The scenario's baseline, run from ``seed`` as replicate 0 of ``simgov run`` would be
    (the scenario's own seed gives the same run), with policies set from the panel."""

    def __init__(self, scenario_name: str = DEFAULT_SCENARIO, seed: int | None = None):
        scenario = demo_scenario(scenario_name)
        self.scenario_seed = scenario.seed if seed is None else int(seed)
        super().__init__(scenario, rng=replicate_seed(self.scenario_seed, 0))
        self.scenario_name = scenario_name
        self.full_spec = scenario  # with its arms: policies switched on take their other parameters from them
        # The panel's settings now in force: at the start, the scenario's own baseline policies.
        self.settings = {p.type: Setting(True, float(getattr(p, LEVER[p.type].param)))
                         for p in self.policies if p.type in LEVER}
        #: (week after which it acts, policy type, its setting) for each change, to mark on the plots
        self.changes: list[tuple[int, str, Setting]] = []

    def apply(self, settings: dict[str, Setting]) -> list[str]:
        """Make the panel's settings the policies from the next week on; returns the types that
        changed. A policy whose setting is unchanged is kept as it is (with its memory: money
        left in a fund, projects running); a changed one starts afresh with the new value."""
        kept = {p.type: p for p in self.policies}
        policies, changed = [], []
        for lever in LEVERS:
            new, old = settings.get(lever.type), self.settings.get(lever.type)
            on, was_on = bool(new and new.on), lever.type in kept
            if on and was_on and new == old:
                policies.append(kept[lever.type])
                continue
            if on:
                policies.append(make_policy(self.full_spec, lever.type, new.value, self.week + 1))
            if on or was_on:
                changed.append(lever.type)
                self.changes.append((self.week, lever.type, new if on else Setting(False, old.value if old else 0)))
        # Policies the panel has no lever for stay as they are.
        policies += [p for p in self.policies if p.type not in LEVER]
        self.set_policies(policies)
        self.settings = {k: v for k, v in settings.items() if v.on}
        return changed
