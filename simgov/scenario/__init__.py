"""Scenarios: the validated, immutable description of a community and what to run on it."""

from simgov.scenario.loader import as_arm, bundled_names, for_arm, load_scenario, resolve_path
from simgov.scenario.schema import LIFE_STAGES, Scenario
from simgov.scenario.serial import dump, from_json, from_yaml, load, to_json, to_yaml

__all__ = ["LIFE_STAGES", "Scenario", "as_arm", "bundled_names", "dump", "for_arm", "from_json", "from_yaml",
           "load", "load_scenario", "resolve_path", "to_json", "to_yaml"]
