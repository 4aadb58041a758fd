"""Parameter sweeps: every design point times every replicate, streamed to disk, resumable.

Replicate i uses the seed ``replicate_seed(seed, i)`` at every design point (common random
numbers: differences between points are not blurred by different draws), where ``seed`` is
the experiment's (or its scenario's). A run's result therefore depends on its point and
replicate alone, never on the executor, the order in which runs finish, or how they were
batched, and any run can be repeated from the seed and parameters in its row.

``run_sweep`` writes into the output folder ``design.csv`` (the points), ``manifest.json``
(the experiment, the base scenario, the environment, each session) and the runs as they
finish (:mod:`simgov.experiment.store`). A run that raises is recorded with its error and
the sweep goes on. ``resume=True`` reruns only runs without a record (and failed ones).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import shlex
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem
from simgov.experiment import factors as F
from simgov.experiment.design import design_table, points
from simgov.experiment.executors import make_executor
from simgov.experiment.folder import check_files, read_manifest, record_files, resumable, writable
from simgov.experiment.lock import folder_lock
from simgov.experiment.output import atomic_write, environment, write_manifest
from simgov.experiment.runs import simulate
from simgov.experiment.spec import Experiment, load_experiment
from simgov.experiment.store import RunStore
from simgov.metrics import METRIC_NAMES
from simgov.provenance import code_digest
from simgov.scenario import Scenario, as_arm, dump, load, load_scenario, resolve_path
from simgov.scenario.loader import check
from simgov.streams import replicate_seed

MAX_RUNS = 10_000_000
#: Columns of the runs table, before the factors and after them (then every metric).
RUN_KEYS = ["point", "replicate", "seed"]
RUN_STATUS = ["status", "error", "seconds", "session"]


@dataclass(frozen=True)
class Plan:
    """An experiment resolved against its scenario: everything needed to run and analyse it."""

    experiment: Experiment
    file: Path | None
    base: Scenario  # the arm's scenario with the experiment's policies, no arms
    targets: tuple[F.Target, ...]
    design: pd.DataFrame  # point, then a column per factor path
    seed: int
    weeks: int

    @property
    def runs(self) -> int:
        return len(self.design) * self.experiment.replicates

    def fingerprint(self) -> str:
        """What the runs depend on; a resumed sweep must have the same."""
        e = self.experiment
        key = {"scenario": dump(self.base), "design": self.design.to_csv(index=False),
               "replicates": e.replicates, "weeks": self.weeks, "seed": self.seed, "statistic": e.statistic,
               "series": e.series, "code": code_digest()}  # other model code: another sweep
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def prepare(experiment: str | Path | Experiment, scenario: Scenario | None = None) -> Plan:
    """Load and check an experiment: its scenario, arm, factor paths and ranges, and design.
    ``scenario`` (e.g. ``load_scenario(...).with_values(...)``) replaces the file's base scenario."""
    if isinstance(experiment, Experiment):
        exp, file, marks = experiment, None, {}
    else:
        exp, file, marks = load_experiment(experiment)

    def problem(message: str, *where) -> Problem:
        mark = next((marks[w] for w in (tuple(where[:k]) for k in range(len(where), 0, -1)) if w in marks), None)
        return Problem(message, file, ".".join(map(str, where)), *(mark[1:] if mark else ()))

    try:
        scenario = scenario or load_scenario(resolve_path(exp.scenario, relative_to=file))
    except InputError as exc:
        raise InputError([problem(str(p), "scenario") for p in exc.problems]) from None
    try:
        arm = as_arm(scenario, exp.arm)
    except InputError as exc:
        raise InputError([problem(p.message, "arm") for p in exc.problems]) from None
    weeks = exp.weeks or scenario.weeks
    seed = scenario.seed if exp.seed is None else exp.seed
    base = arm.model_copy(update={"policies": arm.policies + exp.policies, "weeks": weeks})
    try:
        check(base, file)
    except InputError as exc:
        raise InputError([problem(p.message, "policies") for p in exc.problems]) from None

    problems, targets = [], []
    for i, f in enumerate(exp.factors):
        try:
            target = F.resolve(base, f.path)
        except ValueError as exc:
            problems.append(problem(str(exc), "factors", i, "path"))
            continue
        targets.append(target)
        problems += _check_range(f, target, base, lambda m, i=i: problem(m, "factors", i))
    if problems:
        raise InputError(problems)
    size = points(exp)  # from the factor counts: a design too large is refused before it is built
    runs = size * exp.replicates
    if runs > MAX_RUNS:
        raise InputError(problem(f"{size:,} points x {exp.replicates} replicates = {runs:,} runs, more "
                                 f"than {MAX_RUNS:,} (simgov.experiment.sweep.MAX_RUNS); reduce samples, levels "
                                 "or replicates", "design"))
    design = design_table(exp, tuple(targets), seed)
    return Plan(exp, file, base, tuple(targets), design, seed, weeks)


def _check_range(f, target: F.Target, base: Scenario, problem) -> list[Problem]:
    """Every end of the factor's range, or every listed value, applied alone to the base."""
    if target.kind == "bool" and f.values is None:
        return [problem(f"{f.path} is true or false: list values: [true, false] (full_factorial)")]
    ends = list(f.values) if f.values is not None else [f.low, f.high]
    out = []
    for value in ends:
        try:
            F.apply(base, (target,), (value,))
        except (ValueError, InputError) as exc:
            out.append(problem(f"{f.path} = {value!r}: {exc}"))
    return out


def reproduce(folder: str | Path, point: int, replicate: int, snapshots: bool = False):
    """Run ``point``/``replicate`` of the sweep in ``folder`` again, from its manifest and
    design alone (the experiment file is not needed): the same scenario, parameters, seed and
    weeks, so its summary equals the run's row in the runs table."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None or manifest.get("kind") != "sweep" or not (folder / "design.csv").is_file():
        raise InputError(Problem(f"{folder} holds no sweep (no manifest.json of a sweep and design.csv)",
                                 folder / "manifest.json"))
    check_files(folder, manifest)
    base = load(manifest["scenario"], source=folder / "manifest.json")
    design = pd.read_csv(folder / "design.csv").set_index("point")
    if point not in design.index or not 0 <= replicate < manifest["design"]["replicates"]:
        raise InputError(Problem(f"the sweep has points 0 to {len(design) - 1} and replicates 0 to "
                                 f"{manifest['design']['replicates'] - 1}", folder / "design.csv"))
    paths = [f["path"] for f in manifest["experiment"]["factors"]]
    targets = tuple(F.resolve(base, p) for p in paths)
    scenario = F.apply(base, targets, tuple(design.loc[point, paths]))
    seed = replicate_seed(manifest["design"]["seed"], replicate)
    return simulate(scenario, seed=seed, weeks=manifest["design"]["weeks"], replicate=replicate, snapshots=snapshots)


# ----------------------------------------------------------------------------- the work of one task
@dataclass(frozen=True)
class Task:
    base: Scenario
    targets: tuple[F.Target, ...]
    runs: tuple[tuple[int, tuple, int, int], ...]  # (point, factor values, replicate, seed)
    weeks: int
    statistic: str
    series: bool
    session: int


def run_task(task: Task) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Run a task's runs; a run that raises becomes a row with its error."""
    paths = [t.path for t in task.targets]
    rows, series = [], []
    scenario, current = None, None
    for point, values, replicate, seed in task.runs:
        started = time.perf_counter()
        row = {"point": point, "replicate": replicate, "seed": seed, **dict(zip(paths, values, strict=True))}
        try:
            if current != point:
                scenario, current = F.apply(task.base, task.targets, values), point
            result = simulate(scenario, seed=seed, weeks=task.weeks)
            stats = result.summary[task.statistic].astype(float)
            row.update(status="ok", error="", **{m: stats[m] for m in METRIC_NAMES})
            if task.series:
                series.append(result.timeseries.assign(point=point, replicate=replicate))
        except Exception as exc:  # recorded, and the sweep goes on
            row.update(status="failed", error=f"{type(exc).__name__}: {exc}", **dict.fromkeys(METRIC_NAMES, np.nan))
        row.update(seconds=time.perf_counter() - started, session=task.session)
        rows.append(row)
    table = pd.DataFrame(rows)
    table = table[RUN_KEYS + paths + RUN_STATUS + list(METRIC_NAMES)]
    weekly = None
    if series:
        weekly = pd.concat(series, ignore_index=True)
        weekly = weekly[["point", "replicate"] + [c for c in weekly.columns if c not in ("point", "replicate")]]
    return table, weekly


def _batches(runs, size: int):
    runs = iter(runs)
    while chunk := tuple(itertools.islice(runs, size)):
        yield chunk


def auto_batch(runs: int, workers: int) -> int:
    """Runs per task: about 16 tasks per worker for balance, at most 16 runs to a task."""
    return max(1, min(16, math.ceil(runs / (workers * 16))))


# ----------------------------------------------------------------------------- the sweep
class SweepInterrupted(KeyboardInterrupt):
    """A sweep stopped by Ctrl-C or SIGTERM; ``result`` says what it had finished."""

    def __init__(self, result: SweepRun):
        super().__init__(f"sweep interrupted after {result.this_session} runs")
        self.result = result


@dataclass
class SweepRun:
    """What a sweep did: its folder, plan, and counts."""

    folder: Path
    plan: Plan
    status: str  # complete, interrupted or failed
    total: int
    done: int  # runs with an ok record
    failed: int
    this_session: int
    seconds: float
    error: str = ""
    store: RunStore = field(repr=False, default=None)

    def runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        return self.store.read(columns=columns)


def _existing(out: Path, plan: Plan, resume: bool) -> dict | None:
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    return resumable(out, manifest, "sweep", "a sweep", plan.fingerprint(), resume,
                     already=f"a sweep ({(manifest or {}).get('status')}); add --resume to finish it",
                     differs=f"the sweep in {out} was made from a different experiment (its scenario, design, "
                             "replicates, weeks, seed or statistic differ); choose another --out")


def run_sweep(experiment: str | Path | Experiment | Plan, out: str | Path | None = None,
              executor: str | None = None, workers: int | None = None, scheduler: str | None = None,
              batch: int | None = None, resume: bool = False, progress: bool | None = None,
              csv: bool | None = None, command: str | None = None) -> SweepRun:
    """Run (or finish) a sweep into ``out``; arguments left None come from the experiment file.

    An interruption (Ctrl-C, or SIGTERM turned into one by the CLI) keeps every finished
    run, records the session, and re-raises ``KeyboardInterrupt``. The folder is locked
    while the sweep runs (``simgov.experiment.lock``): a second sweep there is refused.
    """
    plan = experiment if isinstance(experiment, Plan) else prepare(experiment)
    exp = plan.experiment
    ex_spec = exp.executor
    kind = executor or ex_spec.type
    scheduler = scheduler or ex_spec.scheduler
    out = Path(out) if out is not None else Path("results") / f"{exp.name}-sweep"
    writable(out)
    with folder_lock(out):
        return _run_locked(plan, out, kind, workers, scheduler, batch, resume, progress, csv, command)


def _run_locked(plan: Plan, out: Path, kind: str, workers, scheduler, batch, resume, progress, csv,
                command) -> SweepRun:
    from tqdm.auto import tqdm

    exp = plan.experiment
    ex_spec = exp.executor
    manifest = _existing(out, plan, resume) or {
        "kind": "sweep", "fingerprint": plan.fingerprint(),
        "experiment": dump(exp), "experiment_file": str(plan.file) if plan.file else None,
        "scenario": dump(plan.base),
        "design": {"method": exp.design.method, "points": len(plan.design), "replicates": exp.replicates,
                   "runs": plan.runs, "weeks": plan.weeks, "seed": plan.seed, "statistic": exp.statistic,
                   "replicate_seeds": {str(i): replicate_seed(plan.seed, i) for i in range(exp.replicates)}},
        "sessions": [],
    }
    # A resumed sweep takes the file's analysis settings (outcomes, discovery), which the
    # fingerprint leaves free: resuming a finished sweep re-analyses it with new ones.
    manifest["experiment"] = dump(exp)
    atomic_write(out / "design.csv", plan.design.to_csv(index=False))
    manifest["files"] = record_files(out, ["design.csv"])
    session = len(manifest["sessions"]) + 1
    store = RunStore(out, session)
    for path in store.set_aside_damaged():
        print(f"simgov: warning: {path.name} is damaged (a sweep killed while writing it, or a disk fault); "
              f"moved to {path.parent.name}/ and its runs will run again", file=sys.stderr)
    status = store.status()
    finished = set(zip(status.point[status.status == "ok"], status.replicate[status.status == "ok"], strict=True))
    seeds = [replicate_seed(plan.seed, i) for i in range(exp.replicates)]
    to_do = plan.runs - len(finished)

    def todo():  # lazily: the parent holds the tasks in flight, not a list of every run
        values = plan.design[[t.path for t in plan.targets]].itertuples(index=False, name=None)
        for p, v in enumerate(values):
            for r in range(exp.replicates):
                if (p, r) not in finished:
                    yield p, tuple(v), r, seeds[r]

    # Start the executor before recording the session: a scheduler that cannot be reached is
    # an input error, with nothing written.
    ex = make_executor(kind, workers or ex_spec.workers, scheduler) if to_do else None
    record = {"session": session, "command": command or shlex.join(["simgov", *sys.argv[1:]]),
              "started": datetime.now(UTC).isoformat(timespec="seconds"), "environment": environment(),
              "executor": kind, "workers": ex.workers if ex else 0, "runs_to_do": to_do, "runs_done": 0,
              "failed": 0, "status": "running"}
    manifest["sessions"].append(record)
    manifest["status"] = "running"
    write_manifest(out, manifest)

    started, abandon, error = time.perf_counter(), False, ""
    size = batch or ex_spec.batch or auto_batch(to_do, record["workers"] or 1)
    tasks = (Task(plan.base, plan.targets, chunk, plan.weeks, exp.statistic, exp.series, session)
             for chunk in _batches(todo(), size))
    show = progress if progress is not None else to_do > 1
    try:
        with tqdm(total=to_do, unit="run", disable=None if show else True, smoothing=0.1,
                  desc=exp.name) as bar:
            for table, weekly in (ex.map_unordered(run_task, tasks) if ex else ()):
                store.write(table, weekly)
                failed = int((table.status != "ok").sum())
                record["runs_done"] += len(table)
                record["failed"] += failed
                bar.update(len(table))
                if record["failed"]:
                    bar.set_postfix(failed=record["failed"])
        status_word = "complete"
    except KeyboardInterrupt:
        status_word, abandon = "interrupted", True
    except Exception as exc:  # the executor broke (a worker died, the cluster went away)
        status_word, abandon, error = "failed", True, f"{type(exc).__name__}: {exc}"
    finally:
        if ex is not None:
            ex.close(abandon=abandon)
    seconds = time.perf_counter() - started

    status = store.status()
    recorded, ok = len(status), int((status.status == "ok").sum())
    if status_word == "complete" and recorded == plan.runs:
        store.compact()
        if csv if csv is not None else exp.csv:
            store.export_csv(out / "runs.csv")
    elif status_word == "complete":
        status_word, error = "failed", f"{plan.runs - recorded} runs have no record"
    record.update(status=status_word, seconds=round(seconds, 3), finished=datetime.now(UTC).isoformat(
        timespec="seconds"), **({"error": error} if error else {}))
    manifest.update(status=status_word, runs={"total": plan.runs, "ok": ok, "failed": recorded - ok,
                                              "missing": plan.runs - recorded})
    write_manifest(out, manifest)
    result = SweepRun(out, plan, status_word, plan.runs, ok, recorded - ok, record["runs_done"], seconds, error, store)
    if status_word == "interrupted":
        raise SweepInterrupted(result)
    return result
