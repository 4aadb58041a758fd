"""simgov: agent-based simulation of Party-building-led five-society linkage (党建引领 五社联动).

Python API::

    import simgov
    scenario = simgov.load_scenario("b-community")
    result = simgov.simulate(scenario, weeks=52)
    result.timeseries   # one row per week
    result.summary      # final, mean and final-year mean of every metric
    result.plot("cohesion_index")                          # a matplotlib Figure, one line
    effects = simgov.compare(scenario, reps=20, weeks=156)   # every arm against the baseline
    simgov.plot_effects(effects)                           # effects with 95% intervals
    comparison = simgov.run_comparison(scenario, reps=20)  # effects, costs and runs; .plot()
    result = simgov.sweep("experiments/b-community-sobol.yaml")  # a sweep, its analysis and report

The names are imported on first use (PEP 562), so ``simgov --help`` and ``import simgov``
stay fast: the model, pandas and the analysis libraries load only when something needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "CommunityModel": "simgov.model",
    "InputError": "simgov.errors",
    "RunResult": "simgov.experiment",
    "Scenario": "simgov.scenario",
    "SweepResult": "simgov.api",
    "compare": "simgov.api",
    "load_scenario": "simgov.scenario",
    "plot_effects": "simgov.api",
    "run_comparison": "simgov.experiment",
    "simulate": "simgov.experiment",
    "sweep": "simgov.api",
}

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from simgov.api import SweepResult, compare, plot_effects, sweep
    from simgov.errors import InputError
    from simgov.experiment import RunResult, run_comparison, simulate
    from simgov.model import CommunityModel
    from simgov.scenario import Scenario, load_scenario


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'simgov' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))


__all__ = ["CommunityModel", "InputError", "RunResult", "Scenario", "SweepResult", "__version__", "compare",
           "load_scenario", "plot_effects", "run_comparison", "simulate", "sweep"]
