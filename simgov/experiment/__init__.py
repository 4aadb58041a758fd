"""Experiments: single runs, replicates of arms with common random numbers, outputs."""

from simgov.experiment.runs import RunResult, plan, run_replicates, simulate, summarise

__all__ = ["RunResult", "plan", "run_replicates", "simulate", "summarise"]
