"""The budget optimiser: NSGA-II over policy mixes, their levers and start weeks, within a budget.

Rule: pymoo's NSGA-II for mixed variables (``MixedVariableGA`` with rank-and-crowding survival,
Deb et al. 2002) searches the space of simgov.optimise.levers: each policy's on/off switch
(binary), start week and whole-number levers (integer), real levers (real) and named choices
(choice), each sampled and mutated as its kind. Every generation's candidates are judged by
simgov.optimise.evaluate (replicates paired with the reference, and parameter draws with
``uncertainty``) on the executor given (serial, processes, dask). The yearly cost is a
constraint, ``yuan_per_year / budget - 1 <= 0`` (and ``staff_hours_per_year / staff_hours - 1
<= 0`` when staff hours are given): pymoo ranks a feasible mix above every infeasible one, and
infeasible ones by how far they exceed the budget (Deb's constraint domination), so the search
is drawn into the budget. A mix that cannot run is infeasible with the worst objectives. The
first generation is pymoo's random sample with its first candidate switched off entirely
(doing nothing: feasible for any budget, and the zero every effect is measured from).

Why pymoo over Optuna's NSGA-II: pymoo declares mixed variables (binary, integer, real, choice)
with their own sampling, crossover and mutation and handles inequality constraints natively,
and its ask/tell interface lets a whole generation go to the executor at once; Optuna's
NSGAIISampler draws one trial at a time and takes constraints through a callback, and its
conditional parameters (levers only when a policy is on) fit its define-by-run style but not
a resumable generation-wise evaluation. The same seed gives the same candidates and, with the
same (stored) evaluations, the same front.

Outputs (simgov.optimise.outputs): ``evaluated.csv`` (every candidate of every generation),
``pareto.csv`` (the non-dominated feasible mixes), ``front.png`` and ``mixes/<name>.yaml``.
Resumable: evaluations are stored in ``cache/`` as they finish (simgov.optimise.evaluate),
so ``resume`` replays the search and re-evaluates nothing already stored (an interruption loses
at most the runs of the mixes in flight).
"""

from __future__ import annotations

import shlex
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem, whole_number
from simgov.experiment.executors import make_executor
from simgov.experiment.folder import read_manifest, resumable, writable
from simgov.experiment.lock import folder_lock
from simgov.experiment.output import environment, write_manifest
from simgov.experiment.runs import MAX_REPS, MAX_WEEKS, check_arms
from simgov.log import logger
from simgov.optimise import levers as L
from simgov.optimise.evaluate import ROBUST, Cache, Setting, check_objectives, evaluate, ident, plain, summarise
from simgov.optimise.front import front
from simgov.scenario import Scenario, as_arm, load_scenario

#: Objective value given to a mix that cannot run (pymoo minimises; constraints rank it last anyway).
WORST = 1e15
MAX_GENERATIONS, MAX_POPULATION, MAX_DRAWS = 10_000, 10_000, 10_000


@dataclass
class Optimisation:
    """What an optimisation did: its folder, every candidate, the front, and the runs it made."""

    folder: Path
    evaluated: pd.DataFrame
    pareto: pd.DataFrame
    objectives: list[tuple[str, str]]
    runs_made: int
    seconds: float


def parameter_draws(scenario: Scenario, base: Scenario, policies: list[str], uncertainty: str | Path | None,
                    k: int, seed: int) -> pd.DataFrame | None:
    """The draws an optimisation judges mixes over: none, the priors' (of the scenario and of every
    searched policy type, its levers and start weeks excepted: those the search sets), a bundled
    scenario's shipped posterior, or a posterior.csv file."""
    from simgov.policies import POLICY_TYPES
    from simgov.uncertainty.draws import posterior_draws, prior_draws, read_posterior
    from simgov.uncertainty.shipped import check_posterior, not_shipped, shipped_posterior

    if uncertainty is None:
        return None
    whole_number(k, "draws", 1, MAX_DRAWS)
    if str(uncertainty) == "prior":
        searched = base.model_copy(update={"policies": base.policies + tuple(POLICY_TYPES[t]() for t in policies)})
        table = prior_draws(searched, k, seed)
    else:
        shipped = str(uncertainty) == "posterior"
        file = shipped_posterior(scenario) if shipped else Path(uncertainty)
        if shipped and not file.is_file():
            raise not_shipped(scenario)
        posterior = read_posterior(file)
        check_posterior(scenario, file, shipped=shipped)  # a stale shipped posterior is refused, as in compare
        table = posterior_draws(posterior, k, seed)
    chosen = {f"policies.{p}.{name}" for p in policies for name in ["start_week"] + [v.name for v in L.LEVERS[p]]}
    return table.drop(columns=[c for c in table.columns if c in chosen])  # the search sets these


def _problem(variables: dict, n_obj: int, n_constr: int):
    from pymoo.core.problem import Problem as PymooProblem
    from pymoo.core.variable import Binary, Choice, Integer, Real

    made = {}
    for name, spec in variables.items():
        kind = spec[0]
        made[name] = (Binary() if kind == "bool" else Choice(options=list(spec[1])) if kind == "choice"
                      else Integer(bounds=spec[1:]) if kind == "int" else Real(bounds=spec[1:]))
    return PymooProblem(vars=made, n_obj=n_obj, n_ieq_constr=n_constr)


def _sampling():
    """pymoo's mixed-variable sampling with the first candidate switched off entirely: doing nothing
    costs nothing against the reference, so the first generation always holds a feasible mix."""
    from pymoo.core.mixed import MixedVariableSampling

    class WithNothing(MixedVariableSampling):
        def _do(self, problem, n_samples, random_state=None, **kwargs):
            X = super()._do(problem, n_samples, random_state=random_state, **kwargs)
            X[0] = {k: (False if k.endswith(".on") else v) for k, v in X[0].items()}
            return X

    return WithNothing()


def optimise(scenario: Scenario | str | Path, budget: float, objectives: str | list[tuple[str, str]],
             out: str | Path, staff_hours: float | None = None, generations: int = 10, population: int = 20,
             reps: int = 3, weeks: int | None = None, reference: str = "baseline", policies: list[str] | None = None,
             uncertainty: str | Path | None = None, draws: int = 10, robust: str = "quantile", quantile: float = 0.1,
             seed: int | None = None, executor: str = "serial", workers: int | None = None,
             scheduler: str | None = None, resume: bool = False, command: str | None = None) -> Optimisation:
    """Search mixes of ``policies`` (default: every type in simgov.optimise.levers) for the Pareto
    front of ``objectives`` within ``budget`` yuan a year, writing into ``out``; see the module."""
    source = scenario
    scenario = load_scenario(scenario)
    objectives = check_objectives(objectives) if isinstance(objectives, str) else list(objectives)
    if not (np.isfinite(budget) and budget >= 0):
        raise InputError(Problem(f"must be a number of yuan, 0 or more, not {budget!r}", path="--budget"))
    if staff_hours is not None and not (np.isfinite(staff_hours) and staff_hours >= 0):
        raise InputError(Problem(f"must be hours, 0 or more, not {staff_hours!r}", path="--staff-hours"))
    if robust not in ROBUST:
        raise InputError(Problem(f"must be one of {', '.join(ROBUST)}", path="--robust"))
    if not 0 < quantile < 0.5:
        raise InputError(Problem(f"must be between 0 and 0.5, not {quantile}", path="--quantile"))
    whole_number(generations, "generations", 1, MAX_GENERATIONS)
    whole_number(population, "population", 2, MAX_POPULATION)
    whole_number(reps, "reps", 1, MAX_REPS)
    weeks = scenario.weeks if weeks is None else whole_number(weeks, "weeks", 1, MAX_WEEKS)
    check_arms(scenario, reference)
    policies = L.searched_policies(policies)
    seed = scenario.seed if seed is None else int(seed)
    base = as_arm(scenario, reference).model_copy(update={"weeks": weeks})
    setting = Setting(base, weeks, reps, parameter_draws(scenario, base, policies, uncertainty, draws, seed))
    out = Path(out)
    writable(out)
    with folder_lock(out):
        manifest = _claim(out, setting, resume)
        manifest.update(kind="optimise", fingerprint=setting.fingerprint(), status="running",
                        command=command or shlex.join(["simgov", *sys.argv[1:]]),
                        scenario=str(source) if not isinstance(source, Scenario) else scenario.name,
                        reference=reference, settings={
                            "budget_yuan_per_year": budget, "staff_hours_per_year": staff_hours,
                            "objectives": [f"{m}:{s}" for m, s in objectives], "generations": generations,
                            "population": population, "reps": reps, "weeks": weeks, "policies": policies,
                            "uncertainty": None if uncertainty is None else str(uncertainty),
                            "draws": setting.n_draws if uncertainty is not None else 0, "robust": robust,
                            "quantile": quantile, "seed": seed},
                        environment=environment())
        manifest.setdefault("sessions", []).append(
            {"started": datetime.now(UTC).isoformat(timespec="seconds"), "executor": executor})
        write_manifest(out, manifest)
        started = time.perf_counter()
        try:
            rows, made = _search(setting, policies, objectives, budget, staff_hours, generations, population, robust,
                                 quantile, seed, Cache(out / "cache", setting),
                                 make_executor(executor, workers, scheduler))
        except BaseException:  # interrupted or broken: every finished evaluation is in cache/ for --resume
            manifest.update(status="interrupted")
            write_manifest(out, manifest)
            raise
        evaluated = pd.DataFrame(rows)
        unique = evaluated.drop_duplicates("mix_id")
        pareto = front(unique, objectives)
        from simgov.optimise.outputs import write_outputs

        pareto = write_outputs(out, evaluated, pareto, objectives, source, scenario, reference, weeks, reps,
                               budget, staff_hours)
        seconds = time.perf_counter() - started
        manifest["sessions"][-1].update(runs_made=made, seconds=round(seconds, 3),
                                        finished=datetime.now(UTC).isoformat(timespec="seconds"))
        manifest.update(status="complete", candidates=len(evaluated), mixes=len(unique), pareto=len(pareto))
        write_manifest(out, manifest)
    return Optimisation(out, evaluated, pareto, objectives, made, seconds)


def _claim(out: Path, setting: Setting, resume: bool) -> dict:
    return resumable(out, read_manifest(out), "optimise", "an optimisation", setting.fingerprint(), resume,
                     already="an optimisation; add --resume to reuse its evaluations",
                     differs=f"the optimisation in {out} judged mixes differently (another scenario, reference, "
                             "weeks, replicates or draws), so its evaluations do not apply; choose another --out") or {}


def _search(setting, policies, objectives, budget, staff_hours, generations, population, robust, quantile, seed,
            cache, executor) -> tuple[list[dict], int]:
    """Run NSGA-II generation by generation; every candidate's row, and the runs made."""
    from pymoo.algorithms.moo.nsga2 import RankAndCrowding
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.mixed import MixedVariableGA
    from pymoo.problems.static import StaticProblem

    variables = L.variables(policies, setting.weeks)
    problem = _problem(variables, len(objectives), 1 if staff_hours is None else 2)
    algorithm = MixedVariableGA(pop_size=population, sampling=_sampling(), survival=RankAndCrowding())
    algorithm.setup(problem, termination=("n_gen", generations), seed=seed)
    rows, made, generation, abandon = [], 0, 0, True
    try:
        while algorithm.has_next():
            pop = algorithm.ask()
            values = [{k: plain(v) for k, v in ind.X.items()} for ind in pop]
            mixes = [L.mix_of(v, policies) for v in values]
            records, n = evaluate(mixes, setting, cache, executor)
            made += n
            reference = records[ident(())]
            F, G = [], []
            for v, mix in zip(values, mixes, strict=True):
                row = _row(generation, v, mix, policies, summarise(records[ident(mix)], reference, setting,
                                                                    objectives, robust, quantile),
                           budget, staff_hours)
                rows.append(row)
                ok = not row["error"]
                F.append([(-row[m] if s == "max" else row[m]) if ok and np.isfinite(row[m]) else WORST
                          for m, s in objectives])
                g = [row["yuan_per_year"] / budget - 1 if budget > 0 else row["yuan_per_year"]]
                if staff_hours is not None:
                    g.append(row["staff_hours_per_year"] / staff_hours - 1 if staff_hours > 0
                             else row["staff_hours_per_year"])
                G.append([x if ok else WORST for x in g])
            Evaluator().eval(StaticProblem(problem, F=np.array(F), G=np.array(G)), pop)
            algorithm.tell(infills=pop)
            logger.info(f"generation {generation + 1} of {generations}: {len(pop)} candidates, {n} runs")
            generation += 1
        abandon = False
    finally:
        executor.close(abandon=abandon)  # an interruption stops the runs in flight
    return rows, made


def _row(generation: int, values: dict, mix, policies, summary: dict, budget, staff_hours) -> dict:
    row = {"generation": generation, "policies": L.mix_name(mix), "mix_id": ident(mix)}
    on = {p["type"]: p for p in mix}
    for policy in policies:
        row[f"{policy}.on"] = policy in on
        for name in ["start_week"] + [lever.name for lever in L.LEVERS[policy]]:
            row[f"{policy}.{name}"] = on[policy][name] if policy in on else None
    row.update(summary)
    within = not summary["error"] and summary["yuan_per_year"] <= budget and (
        staff_hours is None or summary["staff_hours_per_year"] <= staff_hours)
    row["feasible"] = bool(within)
    return row

