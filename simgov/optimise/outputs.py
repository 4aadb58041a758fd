"""What an optimisation writes: the tables, a figure of the front, and a scenario per chosen mix.

- ``evaluated.csv``: every candidate of every generation (a mix met again is read from the cache):
  generation, the policies switched on, each policy's switch, start week and levers, the yearly
  costs against the reference, each objective with its interval, ``feasible`` and ``error``.
- ``pareto.csv``: one row per mix on the front (simgov.optimise.front), cheapest first, named
  ``mix-01``, ``mix-02``, ..., with the scenario file that runs it.
- ``front.png``: each objective against the yuan a year of every feasible mix, the front marked.
- ``mixes/<name>.yaml``: a scenario that extends the base scenario (a bundled name, or the file's
  absolute path; a scenario given in code is written beside it as ``mixes/base.yaml``) with one
  arm, the reference arm's policies and parameters plus the mix's, and the optimisation's weeks
  and replicates, so ``simgov compare mixes/<name>.yaml --arm <name> --reference REFERENCE``
  measures the same paired effect again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from simgov.experiment.files import atomic, atomic_write
from simgov.scenario import Scenario, dump
from simgov.scenario.loader import bundled_names


def _extends(source, scenario: Scenario, folder: Path) -> str:
    if isinstance(source, str) and source in bundled_names():
        return source
    if isinstance(source, str | Path) and Path(source).is_file():
        return str(Path(source).resolve())
    data = dump(scenario)
    data["extends"] = None
    atomic_write(folder / "base.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return "base.yaml"


def write_mix(folder: Path, name: str, mix: list[dict], extends: str, scenario: Scenario, reference: str,
              weeks: int, reps: int, note: str) -> Path:
    """``folder/<name>.yaml``: the base scenario with an arm ``name`` running the reference arm and ``mix``."""
    arm = scenario.arms.get(reference)
    policies = [dump(p) for p in (arm.policies if arm else ())] + [dict(p) for p in mix]
    data = {"extends": extends, "name": f"{scenario.name}-{name}"[:64], "weeks": weeks, "replicates": reps,
            "arms": {name: {"description": note, "policies": policies,
                            **({"parameters": dict(arm.parameters)} if arm and arm.parameters else {})}}}
    header = (f"# A mix on the Pareto front of simgov optimise: {note}\n"
              f"# Compare it with the reference as the optimiser did:\n"
              f"#   simgov compare {folder.name}/{name}.yaml --arm {name} --reference {reference}\n")
    path = folder / f"{name}.yaml"
    atomic_write(path, header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def _figure(path: Path, evaluated: pd.DataFrame, pareto: pd.DataFrame, objectives, budget: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    feasible = evaluated[evaluated.feasible.astype(bool)].drop_duplicates("mix_id")
    fig, axes = plt.subplots(1, len(objectives), figsize=(4.5 * len(objectives), 3.8), squeeze=False)
    for ax, (metric, sense) in zip(axes[0], objectives, strict=True):
        ax.scatter(feasible.yuan_per_year, feasible[metric], s=12, color="0.7", label="feasible mixes")
        ax.errorbar(pareto.yuan_per_year, pareto[metric],
                    yerr=[(pareto[metric] - pareto[f"{metric}:low"]).abs().fillna(0),
                          (pareto[f"{metric}:high"] - pareto[metric]).abs().fillna(0)],
                    fmt="o", color="C3", label="Pareto front")
        ax.axvline(budget, color="0.3", linestyle="--", linewidth=1, label="budget")
        ax.set_xlabel("yuan a year (against the reference)")
        ax.set_ylabel(f"{metric} effect ({sense})")
        ax.legend(fontsize=7)
    fig.tight_layout()
    with atomic(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110)
    plt.close(fig)


def write_outputs(out: Path, evaluated: pd.DataFrame, pareto: pd.DataFrame, objectives, source,
                  scenario: Scenario, reference: str, weeks: int, reps: int, budget: float,
                  staff_hours: float | None) -> pd.DataFrame:
    """Write every output; returns the front as written (named, cheapest first, with its file)."""
    import json

    pareto = pareto.sort_values(["yuan_per_year", "policies"], kind="stable").reset_index(drop=True)
    names = [f"mix-{i + 1:02d}" for i in range(len(pareto))]
    folder = out / "mixes"
    folder.mkdir(parents=True, exist_ok=True)
    extends = _extends(source, scenario, folder) if len(pareto) else ""
    files = []
    for name, row in zip(names, pareto.itertuples(index=False), strict=True):
        note = (f"{row.policies}, {row.yuan_per_year:,.0f} yuan a year against '{reference}' "
                f"(budget {budget:,.0f}{'' if staff_hours is None else f', {staff_hours:,.0f} staff hours'})")
        files.append(str(write_mix(folder, name, json.loads(row.mix_id), extends, scenario, reference, weeks, reps,
                                   note).relative_to(out)))
    pareto.insert(0, "name", names)
    pareto["scenario_file"] = files
    atomic_write(out / "evaluated.csv", evaluated.to_csv(index=False))
    atomic_write(out / "pareto.csv", pareto.to_csv(index=False))
    _figure(out / "front.png", evaluated, pareto, objectives, budget)
    return pareto
