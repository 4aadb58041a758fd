"""Running the model: one run, and replicates of one or more arms.

Replicate i of every arm uses the seed ``replicate_seed(scenario.seed, i)``, so arms share
their random streams replicate by replicate (common random numbers), and every run can be
repeated from its recorded seed alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simgov.community import check_feasible, check_memory
from simgov.errors import InputError, Problem, whole_number
from simgov.metrics import METRIC_NAMES, final_year
from simgov.model import CommunityModel
from simgov.scenario import Scenario, for_arm, load_scenario
from simgov.scenario.loader import warn_idle_policies
from simgov.shocks.outcomes import shock_outcomes
from simgov.streams import replicate_seed

#: Summary statistics per metric, over the weeks of a run.
SUMMARY_STATS = ("final", "mean", "final_year_mean")


@dataclass
class RunResult:
    """The outcome of one run: its weekly record and a summary per metric."""

    scenario: str
    arm: str
    replicate: int
    seed: int
    timeseries: pd.DataFrame  # one row per week (week 0 = start), a column per metric
    seconds: float = 0.0
    snapshots: dict = field(default_factory=dict)  # week -> network sample (simgov.community.network_view)
    inspected: Any = None  # what ``inspect`` returned on the final model, if one was given
    shocks: pd.DataFrame | None = None  # one row per shock of the arm (simgov.shocks.outcomes), None if none
    summary: pd.DataFrame = field(init=False)  # rows: metrics; columns: SUMMARY_STATS

    def __post_init__(self):
        self.summary = summarise(self.timeseries)

    def plot(self, metrics="cohesion_index", lang: str = "en"):
        """A matplotlib Figure of ``metrics`` (a name or a list) by week, a panel per metric:
        ``simgov.simulate(s).plot("cohesion_index")``. Drawn by the report's figure code
        (simgov.report.figures), imported only when plotting."""
        from simgov.report.figures import results_figure

        return results_figure(self, metrics, lang)


def summarise(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Final value, mean over simulated weeks, and mean over the final 52 weeks, per metric."""
    values = timeseries[list(METRIC_NAMES)]
    simulated = values.iloc[1:] if len(values) > 1 else values
    return pd.DataFrame({
        "final": values.iloc[-1],
        "mean": simulated.mean(),
        "final_year_mean": final_year(values).mean(),
    }).rename_axis("metric")


#: Bounds of the arguments the library takes, as the scenario file's fields have them.
MAX_WEEKS, MAX_SEED, MAX_REPS = 5200, 2**63 - 1, 100_000


def _check_weeks(weeks: int | None) -> None:
    if weeks is not None:
        whole_number(weeks, "weeks", 1, MAX_WEEKS)


def check_arms(scenario: Scenario, arms) -> list[str]:
    """``arms`` as a list of known, distinct arm names (a single name is taken as one arm)."""
    if isinstance(arms, str):
        arms = [arms]
    if not isinstance(arms, list | tuple) or not all(isinstance(a, str) for a in arms):
        raise InputError(Problem(f"arms must be a list of arm names, not {arms!r}", path="arms"))
    twice = sorted({a for a in arms if list(arms).count(a) > 1})
    if twice:
        raise InputError(Problem(f"arm {', '.join(map(repr, twice))} is given more than once; give each arm once",
                                 path="arms"))
    for arm in arms:
        for_arm(scenario, arm)
    return list(arms)


def simulate(scenario: Scenario | str | Path = "b-community", seed: int | None = None,
             weeks: int | None = None, arm: str = "baseline", replicate: int = 0,
             snapshots: bool = False, inspect: Callable | None = None) -> RunResult:
    """Run one arm of a scenario once.

    ``seed`` None takes the seed of replicate ``replicate`` (by default the first), so
    ``simulate(s)`` repeats replicate 0 of ``simgov run``. ``snapshots`` keeps a sample of
    the network at the start and the end, for the report's network picture. ``inspect``, a
    function of the final model (picklable, for worker processes), measures what the weekly
    record does not hold, e.g. patterns of the final network; its value is ``inspected``.
    """
    from simgov.community.network_view import snapshot

    scenario = load_scenario(scenario)
    _check_weeks(weeks)
    weeks = scenario.weeks if weeks is None else int(weeks)
    whole_number(replicate, "replicate", 0, MAX_REPS)
    if seed is not None:
        whole_number(seed, "seed", 0, MAX_SEED)
    check_arms(scenario, arm)  # an unknown arm is an input error before anything is built
    check_feasible(scenario)
    check_memory(scenario)
    seed = replicate_seed(scenario.seed, replicate) if seed is None else int(seed)
    started = time.perf_counter()
    model = CommunityModel.started(scenario, arm=arm, rng=seed, weeks=weeks)  # the warm-up once per process
    pictures = {0: snapshot(model.state)} if snapshots else {}
    for _ in range(weeks):
        model.step()
    if snapshots:
        pictures[weeks] = snapshot(model.state)
    inspected = inspect(model) if inspect is not None else None
    timeseries = model.timeseries()
    shocks = shock_outcomes(model.spec.shocks, timeseries) if model.spec.shocks else None
    return RunResult(scenario.name, arm, replicate, seed, timeseries, seconds=time.perf_counter() - started,
                     snapshots=pictures, inspected=inspected, shocks=shocks)


def plan(scenario: Scenario, reps: int, arms: list[str]) -> list[tuple[str, int, int]]:
    """(arm, replicate, seed) of every run, replicate-major so arms of a replicate run together."""
    return [(arm, i, replicate_seed(scenario.seed, i)) for i in range(reps) for arm in arms]


def in_plan_order(results: list[RunResult], arms: list[str]) -> list[RunResult]:
    """Results sorted as the plan lists them (replicate-major, arms in the given order)."""
    rank = {arm: k for k, arm in enumerate(arms)}
    return sorted(results, key=lambda r: (r.replicate, rank.get(r.arm, len(rank))))


def _run_one(scenario: Scenario, arm: str, replicate: int, seed: int, weeks: int | None,
             inspect: Callable | None = None) -> RunResult:
    # Replicate 0 of each arm keeps network pictures for the report.
    return simulate(scenario, seed=seed, weeks=weeks, arm=arm, replicate=replicate, snapshots=replicate == 0,
                    inspect=inspect)


def run_replicates(scenario: Scenario, reps: int, arms: list[str], weeks: int | None = None,
                   progress: bool | None = None, workers: int = 1,
                   inspect: Callable | None = None) -> Iterator[RunResult]:
    """Every run of the plan, yielded as it finishes (with a progress bar on a terminal).

    ``workers`` > 1 runs them in that many processes (spawned, so it works the same in a
    script, a notebook or a service); results are identical to a serial run, since each run
    depends on its seed alone, but they arrive in the order they finish.
    """
    from tqdm.auto import tqdm

    scenario = load_scenario(scenario)
    arms = check_arms(scenario, arms)
    whole_number(reps, "reps", 1, MAX_REPS)
    whole_number(workers, "workers", 1, 4096)
    _check_weeks(weeks)
    check_feasible(scenario)
    check_memory(scenario)
    warn_idle_policies(scenario, arms, scenario.weeks if weeks is None else weeks)
    runs = plan(scenario, reps, arms)
    total_weeks = (scenario.weeks if weeks is None else weeks) * len(runs)
    # Show a bar when the work is long enough to wait for (~ a million resident-weeks).
    show = progress if progress is not None else total_weeks * scenario.community.residents > 1e6
    # disable=None lets tqdm hide the bar when stderr is not a terminal (logs, CI).
    with tqdm(total=len(runs), unit="run", disable=None if show else True, leave=False) as bar:
        if workers <= 1 or len(runs) <= 1:
            for arm, i, seed in runs:
                bar.set_postfix_str(f"{arm} #{i}")
                yield _run_one(scenario, arm, i, seed, weeks, inspect)
                bar.update()
            return
        from simgov.experiment.executors import Processes

        # With a replicate per worker or more, a task is every arm of one replicate, so that each
        # warm-up is simulated once (simgov.warmup) and restored for the replicate's other arms.
        by_replicate = reps >= workers
        groups: dict = {}
        for arm, i, seed in runs:
            groups.setdefault(i if by_replicate else (arm, i), []).append((scenario, arm, i, seed, weeks, inspect))
        tasks = list(groups.values())
        pool = Processes(min(workers, len(tasks)))
        abandon = True  # unless every run came back: then let the workers exit cleanly
        try:
            for batch in pool.map_unordered(_run_batch, tasks):
                for result in batch:
                    yield result
                    bar.update()
            abandon = False
        finally:
            pool.close(abandon=abandon)


def _run_batch(batch) -> list[RunResult]:
    return [_run_one(*args) for args in batch]
