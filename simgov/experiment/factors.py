"""Factor paths of sweeps: where a swept value goes in a scenario, and the scenario of a design point.

The path language lives with the scenario (``simgov.scenario.overrides``), so that
``Scenario.with_values``, ``simulate``, ``compare`` and the sweep read paths alike; this module
is its name in the experiment layer.
"""

from simgov.scenario.overrides import FIXED, Target, apply, resolve, with_values

__all__ = ["FIXED", "Target", "apply", "resolve", "with_values"]
