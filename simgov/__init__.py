"""simgov: agent-based simulation of Party-building-led five-society linkage (党建引领 五社联动).

Python API::

    import simgov
    scenario = simgov.load_scenario("b-community")
    result = simgov.simulate(scenario, weeks=52)
    result.timeseries   # one row per week
    result.summary      # final, mean and final-year mean of every metric
    effects = simgov.compare(scenario, reps=20, weeks=156)   # every arm against the baseline
    result = simgov.sweep("experiments/b-community-sobol.yaml")  # a sweep, its analysis and report
"""

__version__ = "0.1.0"

from simgov.api import SweepResult, sweep  # noqa: E402
from simgov.errors import InputError  # noqa: E402
from simgov.experiment import RunResult, compare, simulate  # noqa: E402
from simgov.model import CommunityModel  # noqa: E402
from simgov.scenario import Scenario, load_scenario  # noqa: E402

__all__ = ["CommunityModel", "InputError", "RunResult", "Scenario", "SweepResult", "__version__", "compare",
           "load_scenario", "simulate", "sweep"]
