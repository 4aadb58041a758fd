"""A comparison under parameter uncertainty: every arm, for each of K parameter draws, with its
replicates; then effects, the decision table, the CEAC and EVPPI (simgov.uncertainty.decision).

The draws come from the scenario's priors (``prior``), from the posterior shipped beside a
bundled scenario (``posterior``: ``simgov/scenarios/NAME.posterior.csv``, refused when its
record says it was fitted on another version of the scenario: simgov.uncertainty.shipped),
or from a posterior sample file (``FILE``, the ``posterior.csv`` a calibration writes), by
``simgov.uncertainty.draws`` with the scenario's seed, so one seed fixes the draws too.

**Seeds.** Replicate *i* of every draw and every arm uses the seed ``replicate_seed(seed, i)``
of an ordinary comparison: within a draw the arms are paired (common random numbers), and
across draws the replicates share their random streams too, so that two draws differ by
their parameters, not by chance; the replicate spread is carried by each draw's own
interval (the mixture in ``decision.effects_table``). A draw whose values equal the
scenario's therefore reruns the ordinary comparison exactly, and a point-mass prior gives its
intervals.

**Work.** A task is one (draw, replicate): every arm of it in one process, so the draw's
warm-up is simulated once and restored for its other arms (simgov.warmup). Tasks run on the
sweeps' executors (serial, processes, dask) and each task's rows go to the sweeps' Parquet
store (``parts/``, then ``runs.parquet``; simgov.experiment.store) as it finishes: the same
command into the same folder resumes an interrupted comparison and runs only what is missing.
A run that raises is recorded with its error; the tables need every run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem
from simgov.experiment.compare import COST_METRICS, comparison_arms, cost_row, run_yearly_cost
from simgov.experiment.executors import make_executor
from simgov.experiment.runs import MAX_REPS, simulate
from simgov.metrics import METRIC_NAMES
from simgov.scenario import Scenario, load_scenario
from simgov.scenario.loader import is_file
from simgov.streams import replicate_seed
from simgov.uncertainty import decision as D
from simgov.uncertainty.draws import posterior_draws, prior_draws, read_posterior
from simgov.uncertainty.shipped import check_posterior, not_shipped, shipped_posterior

SOURCES = ("prior", "posterior")
DEFAULT_DRAWS = 50
#: Files an uncertain comparison writes besides the manifest and the report.
TABLES = ("draws.csv", "effects.csv", "costs.csv", "decision.csv", "ceac.csv", "evppi.csv", "runs.parquet")
COST_COLUMNS = list(COST_METRICS.values())


def parameter_draws(scenario: Scenario, uncertainty: str, k: int, where: str = "--uncertainty") -> tuple[
        pd.DataFrame, str]:
    """The ``k`` draws of ``uncertainty`` (prior, posterior or a posterior file) for
    ``scenario``, and where they came from; every draw is checked against the scenario."""
    if uncertainty == "prior":
        draws, source = prior_draws(scenario, k, scenario.seed), "prior"
    else:
        file = shipped_posterior(scenario) if uncertainty == "posterior" else Path(uncertainty)
        if uncertainty == "posterior" and not is_file(file):
            raise not_shipped(scenario, where)
        if uncertainty != "posterior" and not is_file(file):
            raise InputError(Problem(f"{uncertainty!r} is neither {' nor '.join(SOURCES)} nor a posterior file "
                                     "(a posterior.csv: weight, then one column per parameter path)", path=where))
        posterior = read_posterior(file)
        check_posterior(scenario, file, shipped=uncertainty == "posterior", where=where)
        draws, source = posterior_draws(posterior, k, scenario.seed), str(file)
    try:  # every draw is a valid scenario, before any run (a few milliseconds each)
        for j in range(len(draws)):
            scenario.with_values(draw_values(draws, j))
    except InputError as exc:
        raise InputError([Problem(f"a draw of {source}: {p.message}", p.file, p.path) for p in exc.problems]) from None
    return draws, source


def draw_values(draws: pd.DataFrame, j: int) -> dict:
    """Draw ``j`` as ``{path: value}`` with Python numbers (whole numbers stay whole)."""
    return {path: draws[path].iloc[j].item() for path in draws.columns}


# ----------------------------------------------------------------------------- one task
@dataclass(frozen=True)
class DrawTask:
    scenario: Scenario  # the draw's scenario
    draw: int
    arms: tuple[str, ...]
    replicate: int
    seed: int
    weeks: int
    session: int = 1


def run_task(task: DrawTask) -> pd.DataFrame:
    """Every arm of one draw and replicate: a row each, with its final-year means and yearly costs."""
    rows = []
    for arm in task.arms:
        started = time.perf_counter()
        row = {"point": task.draw, "replicate": task.replicate, "arm": arm, "seed": task.seed}
        try:
            result = simulate(task.scenario, seed=task.seed, weeks=task.weeks, arm=arm, replicate=task.replicate)
            cost = run_yearly_cost(result.timeseries)
            row.update(status="ok", error="", **result.summary["final_year_mean"].astype(float).to_dict(),
                       **{COST_METRICS[m]: float(cost[m]) for m in COST_METRICS})
        except Exception as exc:  # recorded; the comparison reports it and a rerun retries it
            row.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                       **dict.fromkeys(list(METRIC_NAMES) + COST_COLUMNS, np.nan))
        row.update(seconds=time.perf_counter() - started, session=task.session)
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- the comparison
@dataclass
class UncertainComparison:
    """A comparison over parameter draws: its runs and tables (None until every run is done)."""

    scenario: str
    reference: str
    arms: list[str]
    reps: int
    weeks: int
    source: str
    draws: pd.DataFrame  # draw x parameter path
    runs: pd.DataFrame  # one row per draw, arm and replicate
    yuan_per_unit: float = D.YUAN_PER_UNIT
    status: str = "complete"  # or interrupted (error: the interruption's type) or failed
    error: str = ""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def effects(self) -> pd.DataFrame:
        return self.tables["effects"]

    @property
    def decision(self) -> pd.DataFrame:
        return self.tables["decision"]

    @property
    def ceac(self) -> pd.DataFrame:
        return self.tables["ceac"]

    @property
    def evppi(self) -> pd.DataFrame:
        return self.tables["evppi"]

    @property
    def costs(self) -> pd.DataFrame:
        return self.tables["costs"]


def costs_table(runs: pd.DataFrame, effects: pd.DataFrame, arms: list[str], reference: str) -> pd.DataFrame:
    """costs.csv over the draws: each arm's extra yuan and hours a year (mean over draws and
    replicates) and its yuan per unit of a main outcome's improvement."""
    key = ["draw", "replicate"]
    ref = runs[runs.arm == reference].set_index(key)[COST_COLUMNS]
    reps = int(effects.reps.iloc[0]) if len(effects) else 0
    rows = []
    for arm in arms:
        if arm != reference:
            extra = (runs[runs.arm == arm].set_index(key)[COST_COLUMNS] - ref).mean()
            rows.append(cost_row(arm, reference, reps, extra.rename(dict(zip(COST_COLUMNS, COST_METRICS,
                                                                             strict=True))), effects))
    return pd.DataFrame(rows).assign(draws=int(runs.draw.nunique()))


def analyse(runs: pd.DataFrame, draws: pd.DataFrame, arms: list[str], reference: str,
            yuan_per_unit: float = D.YUAN_PER_UNIT) -> dict[str, pd.DataFrame]:
    """Every table of an uncertain comparison from its runs and draws (pure: no simulation)."""
    effects = D.effects_table(runs, arms, reference)
    return {"effects": effects, "costs": costs_table(runs, effects, arms, reference),
            "decision": D.decision_table(runs, arms, reference), "ceac": D.ceac(runs, arms, reference),
            "evppi": D.evppi_table(runs, draws, arms, reference, yuan_per_unit)}


def plan_tasks(scenario: Scenario, draws: pd.DataFrame, arms: list[str], reps: int, weeks: int,
               done: set[tuple[int, int]] = frozenset(), session: int = 1):
    """The tasks not ``done`` (draw, replicate), lazily: one draw's scenario at a time."""
    seeds = [replicate_seed(scenario.seed, i) for i in range(reps)]
    for j in range(len(draws)):
        todo = [i for i in range(reps) if (j, i) not in done]
        if todo:
            mine = scenario.with_values(draw_values(draws, j))
            for i in todo:
                yield DrawTask(mine, j, tuple(arms), i, seeds[i], weeks, session)


def run_uncertain_comparison(scenario: Scenario | str, uncertainty: str = "prior", draws: int = DEFAULT_DRAWS,
                             reps: int | None = None, weeks: int | None = None, arms: list[str] | None = None,
                             reference: str = "baseline", executor: str | None = None, workers: int = 1,
                             scheduler: str | None = None, yuan_per_unit: float = D.YUAN_PER_UNIT,
                             progress: bool | None = None, store=None, done: set | None = None,
                             session: int = 1) -> UncertainComparison:
    """Run every arm for ``draws`` parameter draws of ``uncertainty`` and analyse them.

    ``store`` (a ``RunStore``) keeps each task's rows as it finishes and supplies the runs of
    ``done`` (draw, replicate) tasks from an earlier session; without one, runs stay in memory.
    """
    from tqdm.auto import tqdm

    from simgov.errors import whole_number

    scenario = load_scenario(scenario)
    reps = scenario.replicates if reps is None else whole_number(reps, "reps", 1, MAX_REPS)
    weeks = scenario.weeks if weeks is None else whole_number(weeks, "weeks", 1, 5200)
    names = comparison_arms(scenario, arms, reference)
    table, source = parameter_draws(scenario, uncertainty, draws)
    done = done or set()
    kind = executor or ("processes" if workers > 1 else "serial")
    total = len(table) * reps - len(done)
    ex = make_executor(kind, workers, scheduler) if total else None
    frames, status, error, abandon = [], "complete", "", False
    show = progress if progress is not None else total * len(names) * weeks * scenario.community.residents > 1e6
    try:
        with tqdm(total=total, unit="draw-rep", disable=None if show else True, leave=False) as bar:
            tasks = plan_tasks(scenario, table, names, reps, weeks, done, session)
            for rows in (ex.map_unordered(run_task, tasks) if ex else ()):
                if store is not None:
                    store.write(rows)
                else:
                    frames.append(rows)
                bar.update()
    except KeyboardInterrupt as exc:
        status, abandon, error = "interrupted", True, type(exc).__name__
    except Exception as exc:  # the executor broke
        status, abandon, error = "failed", True, f"{type(exc).__name__}: {exc}"
    finally:
        if ex is not None:
            ex.close(abandon=abandon)
    runs = store.read() if store is not None else (pd.concat(frames, ignore_index=True) if frames else
                                                   pd.DataFrame(columns=["point", "replicate", "arm", "status"]))
    runs = runs.rename(columns={"point": "draw"})
    result = UncertainComparison(scenario.name, reference, names, reps, weeks, source, table, runs,
                                 float(yuan_per_unit), status, error)
    failed = runs[runs.status != "ok"]
    if status == "complete" and len(failed):
        result.status, result.error = "failed", f"{len(failed)} runs failed, e.g. {failed.error.iloc[0]}"
    elif status == "complete" and len(runs) < len(table) * reps * len(names):
        result.status, result.error = "failed", f"{len(table) * reps * len(names) - len(runs)} runs have no record"
    if result.status == "complete":
        result.tables = analyse(runs.sort_values(["draw", "replicate"], kind="stable"), table, names, reference,
                                yuan_per_unit)
    return result


def compare_uncertain(scenario: Scenario | str, uncertainty: str = "prior", draws: int = DEFAULT_DRAWS,
                      reps: int | None = None, weeks: int | None = None, arms: list[str] | None = None,
                      reference: str = "baseline", progress: bool | None = None, workers: int = 1,
                      executor: str | None = None, yuan_per_unit: float = D.YUAN_PER_UNIT) -> pd.DataFrame:
    """The effects table of a comparison under uncertainty, with the decision table, CEAC,
    EVPPI and costs in ``table.attrs`` (what ``simgov.compare(..., uncertainty=...)`` returns)."""
    result = run_uncertain_comparison(scenario, uncertainty, draws, reps, weeks, arms, reference, executor, workers,
                                      yuan_per_unit=yuan_per_unit, progress=progress)
    if result.status != "complete":
        raise RuntimeError(f"the comparison did not finish: {result.error or result.status}")
    table = result.effects
    for name in ("costs", "decision", "ceac", "evppi"):
        table.attrs[name] = result.tables[name]
    table.attrs["draws"] = result.draws
    return table
