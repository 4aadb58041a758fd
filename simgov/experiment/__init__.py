"""Experiments: single runs, replicates of arms with common random numbers, comparisons, outputs."""

from simgov.experiment.compare import Comparison, compare, paired_interval, run_comparison
from simgov.experiment.runs import RunResult, in_plan_order, plan, run_replicates, simulate, summarise

__all__ = ["Comparison", "RunResult", "compare", "in_plan_order", "paired_interval", "plan", "run_comparison",
           "run_replicates", "simulate", "summarise"]
