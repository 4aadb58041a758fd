"""Pattern validation: run a scenario's arms and hold each pattern against its target range.

A scenario is held to the general targets (``simgov.patterns.GENERAL_TARGETS``) and to its
own (``targets`` in the file; one of its own replaces a general target of the same pattern
and arm). A general target tied to a policy type (mediation's agreement rate) is measured in
the arm named after that type, else the first arm that runs it, and skipped when none does.
A pattern passes when its mean over replicates lies in the target range; the table gives the
95% Student-t interval over replicates beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from simgov.experiment.compare import paired_interval
from simgov.experiment.runs import run_replicates
from simgov.patterns import GENERAL_TARGETS, measure
from simgov.scenario import Scenario, for_arm, load_scenario

COLUMNS = ("scenario", "pattern", "arm", "low", "high", "mean", "ci_low", "ci_high", "replicates", "passed",
           "source")


@dataclass(frozen=True)
class Check:
    pattern: str
    arm: str
    low: float
    high: float
    source: str


def _arm_running(scenario: Scenario, policy: str) -> str | None:
    if policy in scenario.arms and any(p.type == policy for p in for_arm(scenario, policy).policies):
        return policy
    for arm in scenario.arm_names:
        if any(p.type == policy for p in for_arm(scenario, arm).policies):
            return arm
    return None


def checks(scenario: Scenario) -> list[Check]:
    """Every pattern the scenario is held to, general targets first, in a stable order."""
    own = {(t.pattern, t.arm): Check(t.pattern, t.arm, t.range[0], t.range[1], t.source) for t in scenario.targets}
    out: list[Check] = []
    for g in GENERAL_TARGETS:
        arm = _arm_running(scenario, g.policy) if g.policy else "baseline"
        if arm is not None and (g.pattern, arm) not in own:
            out.append(Check(g.pattern, arm, g.low, g.high, g.source))
    return out + list(own.values())


def measure_model(model, names: tuple[str, ...]) -> dict[str, float]:
    """The named patterns of a finished model (run in worker processes: module level)."""
    return measure(model.timeseries(), model.state, names)


def pattern_values(scenario: Scenario | str, reps: int | None = None, weeks: int | None = None,
                   workers: int = 1, progress: bool | None = None, only: list[Check] | None = None
                   ) -> pd.DataFrame:
    """One row per (arm, replicate) with the value of every pattern measured in that arm."""
    scenario = load_scenario(scenario)
    wanted = only if only is not None else checks(scenario)
    arms = list(dict.fromkeys(c.arm for c in wanted))
    names = tuple(dict.fromkeys(c.pattern for c in wanted))
    rows = []
    for r in run_replicates(scenario, reps or scenario.replicates, arms, weeks, progress=progress,
                            workers=workers, inspect=partial(measure_model, names=names)):
        rows.append({"arm": r.arm, "replicate": r.replicate, **r.inspected})
    return pd.DataFrame(rows).sort_values(["arm", "replicate"], ignore_index=True)


def judge(scenario: Scenario, values: pd.DataFrame, wanted: list[Check] | None = None) -> pd.DataFrame:
    """The validation table: each check with the model's mean, interval and pass or miss."""
    rows = []
    for c in wanted if wanted is not None else checks(scenario):
        x = values.loc[values.arm == c.arm, c.pattern].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        mean, lo, hi = paired_interval(x) if x.size else (math.nan, math.nan, math.nan)
        rows.append({"scenario": scenario.name, "pattern": c.pattern, "arm": c.arm, "low": c.low, "high": c.high,
                     "mean": mean, "ci_low": lo, "ci_high": hi, "replicates": int(x.size),
                     "passed": bool(c.low <= mean <= c.high), "source": c.source})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def validate_patterns(scenario: Scenario | str, reps: int | None = None, weeks: int | None = None,
                      workers: int = 1, progress: bool | None = None) -> pd.DataFrame:
    """Run the scenario's arms that the checks need and judge every pattern."""
    scenario = load_scenario(scenario)
    wanted = checks(scenario)
    return judge(scenario, pattern_values(scenario, reps, weeks, workers, progress, wanted), wanted)


__all__ = ["COLUMNS", "Check", "checks", "judge", "measure_model", "pattern_values",
           "validate_patterns"]
