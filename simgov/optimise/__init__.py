"""The budget optimiser: the Pareto front of policy mixes within a yearly budget.

Between uncertainty (parameter draws) and analysis: it drives paired runs through the
experiment layer's executors (simgov.optimise.evaluate), searches with pymoo's NSGA-II
(simgov.optimise.search) over the levers of simgov.optimise.levers, and writes its tables,
figure and scenario files (simgov.optimise.outputs).
"""

from simgov.optimise.front import dominates, front
from simgov.optimise.search import Optimisation, optimise

__all__ = ["Optimisation", "dominates", "front", "optimise"]
