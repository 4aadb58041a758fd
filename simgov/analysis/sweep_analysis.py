"""Analysing a sweep folder: point means, sensitivity indices, scenario-discovery boxes.

``analyse_sweep(folder)`` reads what ``simgov sweep`` wrote (``manifest.json``,
``design.csv``, the runs) and writes

- ``points.csv``: each design point's factor values, the mean of every analysed outcome over
  its finished replicates, and whether it is *good* for scenario discovery;
- ``sensitivity.csv``: indices per outcome and factor (:mod:`simgov.analysis.sensitivity`);
- ``discovery.csv``: boxes of the factor space with coverage and density
  (:mod:`simgov.analysis.discovery`);
- ``prim.csv``: PRIM's peeling trajectory, each step's coverage, density and limits, the chosen
  step marked (only with EMA Workbench installed; else the manifest says PRIM was skipped);

and records the notes (guardrail warnings) and discovery conditions in the manifest. It can
be rerun at any time, e.g. after changing the outcomes or the discovery conditions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.analysis.discovery import PRIM_SKIPPED, boxes, chosen_box, good_points, prim_trajectory
from simgov.analysis.sensitivity import analyse, point_means
from simgov.errors import InputError, Problem
from simgov.experiment.design import design_table, problem, sample
from simgov.experiment.factors import Target
from simgov.experiment.output import atomic_write, write_manifest
from simgov.experiment.spec import Experiment
from simgov.experiment.store import RunStore
from simgov.scenario import load


@dataclass
class SweepAnalysis:
    sensitivity: pd.DataFrame
    discovery: pd.DataFrame
    points: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    prim: pd.DataFrame | None = None  # PRIM's peeling trajectory (None without EMA Workbench)


def experiment_of(manifest: dict, folder: Path) -> Experiment:
    """The experiment recorded in a sweep's manifest."""
    return load(manifest["experiment"], Experiment, folder / "manifest.json")


def _targets(design: pd.DataFrame, exp: Experiment) -> tuple[Target, ...]:
    kinds = {"b": "bool", "i": "int", "u": "int", "f": "float"}
    return tuple(Target(f.path, (), kinds[design[f.path].dtype.kind], None) for f in exp.factors)


def _same_sample(design: pd.DataFrame, regenerated: pd.DataFrame) -> bool:
    if regenerated.shape != design.shape or list(regenerated.columns) != list(design.columns):
        return False
    for column in design.columns:
        a, b = regenerated[column].to_numpy(), design[column].to_numpy()
        same = np.allclose(a, b, rtol=1e-9, atol=0) if a.dtype.kind == "f" else np.array_equal(a, b)
        if not same:
            return False
    return True


def analyse_sweep(folder: str | Path) -> SweepAnalysis:
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("kind") != "sweep":
        raise InputError(Problem(f"{folder} does not hold a sweep", path="folder"))
    exp = experiment_of(manifest, folder)
    seed = manifest["design"]["seed"]
    design = pd.read_csv(folder / "design.csv")
    factors = exp.factor_names
    targets = _targets(design, exp)
    outcomes = list(dict.fromkeys(list(exp.outcomes) + [c.outcome for c in exp.discovery]))
    runs = RunStore(folder, 0).read(columns=["point", "replicate", "status", *outcomes])
    means, noise = point_means(runs, outcomes, len(design))

    raw = sample(exp, seed, targets)
    if not _same_sample(design, design_table(exp, targets, seed, raw)):
        raise InputError(Problem(
            f"{folder}/design.csv is not the sample this experiment draws now (was it edited, or made by another "
            "SALib version?); sensitivity indices would be meaningless, so none are computed", path="design"))
    d = exp.design
    table, notes = analyse(d.method, problem(exp), raw, means[list(exp.outcomes)], noise, d.second_order,
                           d.levels, d.samples, seed)
    good, conditions = good_points(means, exp.discovery)
    found = boxes(design, factors, good)
    trajectory = prim_trajectory(design, factors, good)
    points = pd.concat([design, means.add_prefix("mean:").reset_index(drop=True),
                        pd.Series(good.to_numpy(), name="good")], axis=1)
    atomic_write(folder / "sensitivity.csv", table.to_csv(index=False))
    atomic_write(folder / "discovery.csv", found.to_csv(index=False))
    atomic_write(folder / "points.csv", points.to_csv(index=False))
    if trajectory is None:
        (folder / "prim.csv").unlink(missing_ok=True)  # not an earlier analysis's
    else:
        atomic_write(folder / "prim.csv", trajectory.to_csv(index=False))
    best = chosen_box(trajectory)
    manifest["analysis"] = {"notes": notes, "discovery": conditions, "good_points": int(good.sum()),
                            "prim": PRIM_SKIPPED if trajectory is None else
                            (None if best is None else best.rule)}
    write_manifest(folder, manifest)
    return SweepAnalysis(table, found, points, notes, conditions, trajectory)
