"""Scenarios: the validated, immutable description of a community and what to run on it."""

from simgov.scenario.loader import as_arm, bundled_names, for_arm, load_scenario, resolve_path
from simgov.scenario.schema import LIFE_STAGES, Scenario

__all__ = ["LIFE_STAGES", "Scenario", "as_arm", "bundled_names", "for_arm", "load_scenario", "resolve_path"]
