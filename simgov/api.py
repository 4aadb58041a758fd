"""Whole workflows in one call, for scripts and notebooks (what the command line does).

``sweep`` runs an experiment file (or resumes it), analyses it and writes its report::

    import simgov
    result = simgov.sweep("experiments/b-community-sobol.yaml", out="results/sobol", workers=2)
    result.sensitivity      # Sobol' indices per outcome and factor (sensitivity.csv)
    result.runs()           # one row per run: point, replicate, seed, factors, status, metrics
    result.prim             # PRIM's peeling trajectory (prim.csv; None without EMA Workbench)

``plot_effects(simgov.compare(...))`` draws a comparison's effects with their intervals.

``compare`` compares a scenario's arms; with ``uncertainty`` ("prior", "posterior" or a
posterior.csv) over ``draws`` parameter draws (simgov.uncertainty.comparison)::

    effects = simgov.compare("b-community", reps=2, weeks=52, uncertainty="prior", draws=20)
    effects.attrs["decision"]   # P(best) and P(better than the reference), per metric and arm
    effects.attrs["evppi"]      # expected value of partial perfect information, per parameter
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simgov.analysis import SweepAnalysis, analyse_sweep
from simgov.experiment.spec import Experiment
from simgov.experiment.sweep import SweepRun, run_sweep


def compare(scenario, reps: int | None = None, weeks: int | None = None, arms: list[str] | None = None,
            reference: str = "baseline", progress: bool | None = None, workers: int = 1,
            uncertainty: str | None = None, draws: int | None = None, executor: str | None = None,
            yuan_per_unit: float | None = None, interactions: bool = True,
            factorial: list[str] | str | None = None) -> pd.DataFrame:
    """The effects table of every arm (or ``arms``) against ``reference`` with common random
    numbers (``simgov.experiment.compare``; costs in ``table.attrs["costs"]``; the interactions
    of arms that combine policies in ``table.attrs["interactions"]`` unless ``interactions`` is
    False, and with ``factorial`` its main effects and two-way interactions in
    ``table.attrs["factorial"]``: ``simgov.experiment.interactions``). With
    ``uncertainty``, over ``draws`` parameter draws: intervals cover parameter and replicate
    uncertainty, and ``table.attrs`` also holds ``decision``, ``ceac``, ``evppi`` and ``draws``
    (``simgov.uncertainty.comparison.compare_uncertain``)."""
    if uncertainty is None:
        if draws is not None or yuan_per_unit is not None:
            from simgov.errors import InputError, Problem

            raise InputError(Problem("draws and yuan_per_unit need uncertainty ('prior', 'posterior' or a "
                                     "posterior.csv)", path="uncertainty"))
        from simgov.experiment.compare import compare as plain

        return plain(scenario, reps, weeks, arms, reference, progress, workers, interactions, factorial)
    if factorial:
        from simgov.errors import InputError, Problem

        raise InputError(Problem("factorial is for a comparison without uncertainty", path="factorial"))
    from simgov.uncertainty.comparison import DEFAULT_DRAWS, compare_uncertain
    from simgov.uncertainty.decision import YUAN_PER_UNIT

    return compare_uncertain(scenario, uncertainty, draws or DEFAULT_DRAWS, reps, weeks, arms, reference, progress,
                             workers, executor, YUAN_PER_UNIT if yuan_per_unit is None else yuan_per_unit)


@dataclass
class SweepResult:
    """A finished sweep: where it is, what ran, and its analysis (None if unfinished)."""

    run: SweepRun
    analysis: SweepAnalysis | None

    @property
    def folder(self) -> Path:
        return self.run.folder

    @property
    def sensitivity(self) -> pd.DataFrame | None:
        return self.analysis.sensitivity if self.analysis else None

    @property
    def discovery(self) -> pd.DataFrame | None:
        return self.analysis.discovery if self.analysis else None

    @property
    def prim(self) -> pd.DataFrame | None:
        return self.analysis.prim if self.analysis else None

    @property
    def points(self) -> pd.DataFrame | None:
        return self.analysis.points if self.analysis else None

    def runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        return self.run.runs(columns)


def sweep(experiment: str | Path | Experiment, out: str | Path | None = None, executor: str | None = None,
          workers: int | None = None, scheduler: str | None = None, batch: int | None = None,
          resume: bool = False, progress: bool | None = None, csv: bool | None = None,
          report: bool = True, lang: str = "en", scenario=None) -> SweepResult:
    """Run an experiment's sweep into ``out`` (default ``results/NAME-sweep``), analyse it, and
    write ``report.html``. Arguments left None come from the experiment file; ``executor`` is
    serial, processes or dask (``scheduler``: a Dask address; none starts a local cluster).
    ``scenario`` (a ``Scenario``, e.g. with ``.with_values(...)``) replaces the file's base scenario."""
    command = f"simgov.sweep({str(experiment)!r}{', scenario=...' if scenario is not None else ''})"
    if scenario is not None:
        from simgov.experiment.sweep import prepare

        experiment = prepare(experiment, scenario)
    done = run_sweep(experiment, out, executor or ("dask" if scheduler else None), workers, scheduler, batch,
                     resume, progress, csv, command=command)
    analysis = None
    if done.status == "complete" and done.done:
        analysis = analyse_sweep(done.folder)
        if report:
            from simgov.report import build_report

            build_report(done.folder, lang)
    return SweepResult(done, analysis)


def plot_effects(effects: pd.DataFrame, metrics=None, lang: str = "en"):
    """A matplotlib Figure of an effects table (``simgov.compare``'s): each arm's effect on each
    metric (default: the main outcomes) with its 95% interval, as in the report."""
    from simgov.report.figures import effects_figure

    return effects_figure(effects, metrics, lang)
