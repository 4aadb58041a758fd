"""Which assumptions matter: Morris screening of every prior, then Sobol' indices for the few.

In practice: an analyst cannot vary a hundred assumed numbers by hand; screening says which
few decide each main outcome and each policy's effect, so that calibration, further study
and the report's caveats go to those.

Rule:

- Every parameter with a prior (simgov.uncertainty.priors) is a coordinate of the unit cube;
  a point's coordinate ``u`` becomes the prior quantile ``TAIL + (1 - 2 TAIL) u`` through the
  prior's ``ppf``, so the screening spans each prior's central 95% (the tails of cut
  log-normals are unbounded) in proportion to its probability.
- Morris (SALib's ``morris.sample`` on a ``levels`` grid, ``trajectories`` one-at-a-time
  paths; Morris 1991, Campolongo, Cariboni & Saltelli 2007): every arm runs every point with
  the same replicate seeds (simgov.uncertainty.arm_sweeps). Outputs: each main outcome
  (simgov.experiment.compare.MAIN_OUTCOMES, final-year mean) in the reference arm, and each
  other arm's *effect* on it, the paired difference arm - reference at the same point and
  seed (common random numbers). Each output is averaged over replicates per point and
  analysed by simgov.analysis.sensitivity (mu, mu*, sigma, the replicate-noise share).
- Ranking: a parameter's importance for an output is its mu* over the largest mu* of that
  output (1 = the most influential, 0 = no effect); its overall importance is the largest
  over outputs, so a parameter that decides one policy's effect ranks high even if it moves
  no level.
- Sobol' (SALib's Saltelli scheme, base size ``sobol_samples``): the ``top`` parameters by
  importance vary over the same quantiles, the others stay at the scenario's values; first
  and total indices per output with bootstrap intervals (Saltelli et al. 2010).

Cost: ``trajectories * (D + 1)`` points for D priors, times arms, times replicates; Sobol'
``sobol_samples * (top + 2)`` points likewise. On B community (about a hundred priors) ten
trajectories are about a thousand points per arm: screening is the costly step.

Sources: Morris 1991; Campolongo, Cariboni & Saltelli 2007 (mu*); Saltelli et al. 2008,
*Global Sensitivity Analysis: the Primer*, ch. 3 (screening first, variance-based indices for
the few); Saltelli et al. 2010 (estimators); SALib (Herman & Usher 2017).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.analysis.sensitivity import analyse, point_means
from simgov.experiment.compare import MAIN_OUTCOMES
from simgov.experiment.output import atomic_write
from simgov.uncertainty.arm_sweeps import run_arms
from simgov.uncertainty.space import select

#: Screened over each prior's central 1 - 2 TAIL.
TAIL = 0.025
REFERENCE = "baseline"
LEVEL, EFFECT = "level", "effect"
SCREENING_COLUMNS = ["output", "arm", "metric", "kind", "parameter", "mu", "mu_star", "mu_star_conf", "sigma",
                     "noise_share", "importance"]
SOBOL_COLUMNS = ["output", "arm", "metric", "kind", "parameter", "S1", "S1_conf", "ST", "ST_conf", "noise_share"]


@dataclass
class Screening:
    folder: Path | None
    morris: pd.DataFrame  # SCREENING_COLUMNS
    ranking: pd.DataFrame  # parameter, importance, output (where it matters most)
    sobol: pd.DataFrame  # SOBOL_COLUMNS (empty when not run)
    notes: list[str] = field(default_factory=list)


def quantiles(u: np.ndarray) -> np.ndarray:
    """Unit-cube coordinates as prior quantiles within the central 1 - 2 TAIL."""
    return TAIL + (1 - 2 * TAIL) * np.asarray(u, dtype=np.float64)


def output_name(arm: str, metric: str, reference: str = REFERENCE) -> str:
    return metric if arm == reference else f"{metric} effect of {arm}"


def outputs(runs: dict[str, pd.DataFrame], metrics=MAIN_OUTCOMES, reference: str = REFERENCE
            ) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """A runs-like frame (point, replicate, status, one column per output) and each output's
    (arm, metric): the reference's levels, and every other arm's paired difference from it."""
    key = ["point", "replicate"]
    ref = runs[reference].loc[lambda t: t.status == "ok", key + list(metrics)].set_index(key)
    table = ref.rename(columns={m: output_name(reference, m, reference) for m in metrics})
    meaning = {output_name(reference, m, reference): (reference, m) for m in metrics}
    for arm, frame in runs.items():
        if arm == reference:
            continue
        mine = frame.loc[frame.status == "ok", key + list(metrics)].set_index(key)
        diff = (mine - ref).dropna(how="all")
        names = {m: output_name(arm, m, reference) for m in metrics}
        meaning.update({names[m]: (arm, m) for m in metrics})
        table = table.join(diff.rename(columns=names), how="outer")
    return table.reset_index().assign(status="ok"), meaning


def importance(table: pd.DataFrame, index: str = "mu_star") -> pd.Series:
    """Each row's ``index`` over the largest of its output (0 where the output moves with none)."""
    top = table.groupby("output")[index].transform("max")
    return (table[index] / top.where(top > 0)).fillna(0.0).clip(lower=0.0)


def rank(table: pd.DataFrame) -> pd.DataFrame:
    """Parameters by overall importance (the largest over outputs), most important first, with
    the output where each matters most; ties by mean importance, then by name."""
    if table.empty:
        return pd.DataFrame(columns=["parameter", "importance", "mean_importance", "output"])
    t = table.assign(importance=importance(table))
    best = t.sort_values(["importance", "output"], ascending=[False, True]).drop_duplicates("parameter")
    out = best[["parameter", "importance", "output"]].merge(
        t.groupby("parameter", as_index=False).importance.mean().rename(columns={"importance": "mean_importance"}))
    out = out.sort_values(["importance", "mean_importance", "parameter"], ascending=[False, False, True])
    return out[["parameter", "importance", "mean_importance", "output"]].reset_index(drop=True)


def _analyse(method, names, raw, runs, samples, levels, seed) -> tuple[pd.DataFrame, list[str]]:
    """SALib's indices of every output (simgov.analysis.sensitivity), with each output's arm and metric."""
    table, meaning = outputs(runs)
    means, noise = point_means(table, list(meaning), len(raw))
    problem = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    result, notes = analyse(method, problem, raw, means, noise, levels=levels, samples=samples, seed=seed)
    result = result.rename(columns={"outcome": "output", "factor": "parameter"})
    result["arm"] = result.output.map(lambda o: meaning[o][0])
    result["metric"] = result.output.map(lambda o: meaning[o][1])
    result["kind"] = np.where(result.arm == REFERENCE, LEVEL, EFFECT)
    return result, notes


def screen(scenario, out: str | Path, paths=None, arms=None, trajectories: int = 10, levels: int = 4,
           reps: int = 1, weeks: int | None = None, top: int = 5, sobol_samples: int = 0, seed: int | None = None,
           executor: str = "processes", workers: int | None = None, scheduler: str | None = None,
           resume: bool = False, progress: bool | None = None) -> Screening:
    """Screen the priors of ``scenario`` (those named by ``paths``, else all), write
    ``screening.csv``, ``ranking.csv`` and (with ``sobol_samples``) ``sobol.csv`` into ``out``."""
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    from simgov.scenario import load_scenario

    scenario = load_scenario(scenario)
    entries = select(scenario, paths)
    arms = list(dict.fromkeys([REFERENCE, *(arms if arms is not None else scenario.arm_names)]))
    seed = scenario.seed if seed is None else seed
    out = Path(out)
    names = [e.path for e in entries]

    problem = {"num_vars": len(entries), "names": names, "bounds": [[0.0, 1.0]] * len(entries)}
    raw = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    runs = run_arms(scenario, entries, quantiles(raw), arms, reps, weeks, out / "morris", seed, "screen",
                    executor, workers, scheduler, resume, progress)
    morris, notes = _analyse("morris", names, raw, runs, trajectories, levels, seed)
    morris["importance"] = importance(morris)
    morris = morris.reindex(columns=SCREENING_COLUMNS)
    ranking = rank(morris)
    atomic_write(out / "screening.csv", morris.to_csv(index=False))
    atomic_write(out / "ranking.csv", ranking.to_csv(index=False))

    sobol = pd.DataFrame(columns=SOBOL_COLUMNS)
    chosen = [e for e in entries if e.path in set(ranking.parameter.head(top))]
    if sobol_samples and len(chosen) < 2:
        notes.append("Sobol' indices need two parameters or more (--top); not computed")
    elif sobol_samples:
        sub = {"num_vars": len(chosen), "names": [e.path for e in chosen], "bounds": [[0.0, 1.0]] * len(chosen)}
        raw_s = sobol_sample.sample(sub, sobol_samples, calc_second_order=False, scramble=True, seed=seed)
        runs_s = run_arms(scenario, chosen, quantiles(raw_s), arms, reps, weeks, out / "sobol", seed, "sobol",
                          executor, workers, scheduler, resume, progress)
        sobol, more = _analyse("sobol", sub["names"], raw_s, runs_s, sobol_samples, levels, seed)
        sobol = sobol.reindex(columns=SOBOL_COLUMNS)
        notes += more
        atomic_write(out / "sobol.csv", sobol.to_csv(index=False))
    atomic_write(out / "notes.txt", "".join(f"{n}\n" for n in notes))
    return Screening(out, morris, ranking, sobol, notes)


def read_screening(folder: str | Path, top: int | None = None) -> list[str]:
    """The parameters a screening in ``folder`` ranked, most important first (the first ``top``)."""
    from simgov.errors import InputError, Problem

    path = Path(folder) / "ranking.csv"
    if not path.is_file():
        raise InputError(Problem(f"{folder} holds no screening (no ranking.csv); run simgov screen first",
                                 path="--params"))
    ranking = pd.read_csv(path)
    ranking = ranking[ranking.importance > 0]
    return list(ranking.parameter.head(top) if top else ranking.parameter)


__all__ = ["EFFECT", "LEVEL", "SCREENING_COLUMNS", "SOBOL_COLUMNS", "Screening", "importance", "outputs",
           "quantiles", "rank", "read_screening", "screen"]
