"""Points of the priors' unit cube run in every arm, as sweeps: resumable, on any executor.

Each arm is one sweep (simgov.experiment.sweep) in ``OUT/ARM/``: its base is the arm as a
scenario of its own, its factors the parameters that reach it (a policy's parameter reaches
only the arms that run that policy), its design the given points mapped through the priors
(simgov.uncertainty.space). Every arm runs every point with the replicate seeds of the same
experiment seed, so replicate i of point p in one arm and in the reference share their seed
(common random numbers): their difference is the arm's effect at that point and replicate.
An arm that no parameter reaches runs the scenario's own values once per replicate; its
outcome is the same at every point.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment import factors as F
from simgov.experiment.design import design_table
from simgov.experiment.spec import Design, ExecutorSpec, Experiment, Factor
from simgov.experiment.sweep import Plan, run_sweep
from simgov.scenario import as_arm
from simgov.uncertainty.priors import Entry
from simgov.uncertainty.space import to_values


def reaching(base, entries: list[Entry]) -> list[Entry]:
    """The entries whose path resolves in ``base`` (one arm as a scenario)."""
    out = []
    for e in entries:
        try:
            F.resolve(base, e.path)
        except ValueError:
            continue
        out.append(e)
    return out


def arm_plan(scenario, arm: str, entries: list[Entry], u: np.ndarray, reps: int, weeks: int | None,
             seed: int, label: str) -> Plan:
    """The sweep of ``arm`` at the points ``u`` (points x entries, in [0, 1])."""
    weeks = weeks or scenario.weeks
    base = as_arm(scenario, arm).model_copy(update={"weeks": weeks})
    mine = reaching(base, entries)
    values = to_values(entries, u)[[e.path for e in mine]]
    factors = [Factor(path=e.path, low=float(values[e.path].min()), high=float(values[e.path].max()))
               for e in mine if values[e.path].min() < values[e.path].max()]
    mine = [e for e in mine if any(f.path == e.path for f in factors)]
    targets = tuple(F.resolve(base, e.path) for e in mine)
    spec = {"name": f"{scenario.name}-{label}-{arm}"[:60].lower(), "scenario": scenario.name, "arm": arm,
            "weeks": weeks, "seed": seed, "replicates": reps, "executor": ExecutorSpec(),
            "design": Design(method="latin_hypercube", samples=len(values))}
    if targets:
        exp = Experiment(factors=tuple(factors), **spec)
        raw = values[[t.path for t in targets]].to_numpy(dtype=object)
        design = design_table(exp, targets, seed, raw=raw)
    else:  # nothing reaches this arm: one point stands for all
        exp = Experiment.model_construct(factors=(), **spec)
        design = pd.DataFrame({"point": np.zeros(1, dtype=np.int64)})
    return Plan(exp, None, base, targets, design, seed, weeks)


def run_arms(scenario, entries: list[Entry], u: np.ndarray, arms: list[str], reps: int, weeks: int | None,
             out: Path, seed: int, label: str, executor: str = "processes", workers: int | None = None,
             scheduler: str | None = None, resume: bool = False, progress: bool | None = None
             ) -> dict[str, pd.DataFrame]:
    """Every arm's runs (one row per point and replicate, every metric), by arm; an arm that no
    parameter reaches has its one point's rows repeated for every point."""
    out = Path(out)
    result = {}
    for arm in arms:
        plan = arm_plan(scenario, arm, entries, u, reps, weeks, seed, label)
        done = run_sweep(plan, out / arm, executor, workers, scheduler, resume=resume, progress=progress,
                         csv=False, command=f"simgov {label} {scenario.name}")
        if done.status != "complete":
            raise RuntimeError(f"the runs of arm '{arm}' are {done.status}: {done.error}; finish with --resume")
        runs = done.runs()
        if not plan.targets and len(u) > 1:
            runs = pd.concat([runs.assign(point=p) for p in range(len(u))], ignore_index=True)
        result[arm] = runs
    return result


__all__ = ["arm_plan", "reaching", "run_arms"]
