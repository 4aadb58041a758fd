"""simgov as an EMA Workbench model: uncertainties, levers and outcomes from simgov's own declarations.

EMA Workbench (Kwakkel 2017; ``pip install 'simgov[ema]'``) explores a model over declared
uncertainties and levers and finds the scenarios where a policy fails (PRIM, robust
optimisation). ``ema_model(scenario)`` builds its ``Model`` so that nothing is declared twice:

- **uncertainties**: the scenario's priors (``simgov.uncertainty.priors``, ``simgov priors
  SCENARIO``), each an EMA ``RealParameter`` drawing from the prior itself (its distribution
  and its cut range), so EMA's Latin hypercube and Monte Carlo samplers sample the priors; a
  whole-number field takes the nearest whole number when it is set;
- **levers**: the arm (a ``CategoricalParameter`` over the scenario's arms, unless ``arm`` is
  fixed) and the dose of every policy type the scenario or its arms run
  (``simgov.policies.DOSE``: visits a week, cases a week, budget ...; how well a practice works
  is an uncertainty). Any other numeric or true/false policy parameter can be named a lever
  (start and end weeks aside). A lever's range is the field's declared range
  (``simgov.params.bounds``); where it is open above, it runs to ``OPEN_RANGE_FACTOR`` times the
  value in the scenario. A lever is not also an uncertainty, though the dose may have a prior;
- **outcomes**: the metrics (``simgov.metrics``), each a ``ScalarOutcome`` to maximise or
  minimise by its declared better direction (metrics without one are INFO), of the run's
  ``statistic`` (default: the final-year mean that comparisons use).

Every name is a path of the sweep's language with ``__`` for its dots, since EMA 3 wants Python
identifiers (``policies__door_knocking__visits_per_week``; ``path_of`` and ``ema_name`` convert),
and an experiment is ``simulate(scenario.with_values(values), seed=seed, arm=arm, weeks=weeks)``,
so a run can be repeated outside EMA with the same values and seed. Every experiment uses the
same seed (common random numbers: differences between experiments are the values' doing);
``replications=n`` runs each experiment with the seeds of replicates 0..n-1 instead (EMA's
``ReplicatorModel``; outcomes are then one value per replication).

Sample with EMA's default Latin hypercube (or Monte Carlo) to keep the priors' shapes: the
SALib-based samplers (Sobol', Morris) see only the parameters' bounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from scipy import stats

from simgov.errors import InputError, Problem, allowed, did_you_mean
from simgov.metrics import METRICS
from simgov.params import bounds as field_bounds
from simgov.policies import DOSE
from simgov.scenario import Scenario, load_scenario
from simgov.scenario.overrides import with_values
from simgov.streams import replicate_seed
from simgov.uncertainty.priors import Prior, priors

#: A lever whose declared range is open above runs from its lower bound to this times its value.
OPEN_RANGE_FACTOR = 3.0
STATISTICS = ("final_year_mean", "mean", "final")
INSTALL = "pip install 'simgov[ema]'"


def ema_name(path: str) -> str:
    """A path as an EMA name (a Python identifier): dots become ``__`` (no field name has two
    underscores in a row, so the path can be read back)."""
    return path.replace(".", "__")


def path_of(name: str) -> str:
    """The path of an EMA name (``ema_name``'s inverse)."""
    return name.replace("__", ".")


def _workbench():
    try:
        import ema_workbench
    except ImportError:
        raise InputError(Problem(f"the EMA adapter needs EMA Workbench; install it with: {INSTALL}",
                                 path="ema_workbench")) from None
    return ema_workbench


class _PriorDistribution(stats.rv_continuous):
    """A simgov prior as a scipy distribution, for EMA's ``Parameter.from_dist``: its quantile
    function is the prior's (cut to the prior's range), which is all EMA's samplers call."""

    def __init__(self, prior: Prior, **kwargs):
        super().__init__(**{"a": prior.low, "b": prior.high, "name": f"prior_{prior.dist}", **kwargs})
        self.prior = prior

    def _updated_ctor_param(self):  # scipy rebuilds the distribution from these when freezing it
        return {**super()._updated_ctor_param(), "prior": self.prior}

    def _ppf(self, q):
        return self.prior.ppf(q)

    def _cdf(self, x):
        rv = self.prior._rv()
        if self.prior.dist != "lognormal":
            return rv.cdf(x)
        lo, hi = rv.cdf(self.prior.low), rv.cdf(self.prior.high)
        return (rv.cdf(x) - lo) / (hi - lo)


@dataclass(frozen=True)
class Lever:
    """A policy parameter a decision-maker sets, with its range."""

    path: str
    kind: str  # "int", "float" or "bool"
    low: float = 0.0
    high: float = 1.0


def lever_range(info, value: float) -> tuple[float, float]:
    """A field's declared range, closed above at OPEN_RANGE_FACTOR x ``value`` where it is open."""
    b = field_bounds(info)
    low = float(b.get("ge", b.get("gt", 0.0)))
    high = float(b.get("le", b.get("lt", math.inf)))
    if not math.isfinite(high):
        high = max(OPEN_RANGE_FACTOR * float(value), low + 1.0)
    return low, high


def policy_levers(scenario: Scenario, arms: Iterable[str] | None = None) -> list[Lever]:
    """The numeric and true/false parameters of every policy type the scenario or its ``arms``
    (default: all) run, at its first use, without start and end weeks."""
    out, seen = [], set()
    arms = scenario.arms if arms is None else [a for a in arms if a in scenario.arms]
    for policy in list(scenario.policies) + [p for arm in arms for p in scenario.arms[arm].policies]:
        if policy.type in seen:
            continue
        seen.add(policy.type)
        for name, info in type(policy).model_fields.items():
            path, value = f"policies.{policy.type}.{name}", getattr(policy, name)
            if name in ("type", "start_week", "end_week"):
                continue
            if isinstance(value, bool):
                out.append(Lever(path, "bool"))
            elif isinstance(value, int | float):
                out.append(Lever(path, "int" if isinstance(value, int) else "float", *lever_range(info, value)))
    return out


class SimgovFunction:
    """What EMA calls for one experiment: the metrics' ``statistic`` of one simgov run.

    A class (not a closure) so that EMA's multiprocessing evaluator can pickle it."""

    def __init__(self, scenario: Scenario, weeks: int | None, statistic: str, outcomes: list[str]):
        self.scenario, self.weeks, self.statistic, self.outcomes = scenario, weeks, statistic, outcomes

    def __call__(self, seed: int, arm: str = "baseline", **values) -> dict[str, float]:
        from simgov.experiment import simulate

        values = {path_of(name): value for name, value in values.items()}
        result = simulate(with_values(self.scenario, values), seed=int(seed), weeks=self.weeks, arm=arm)
        column = result.summary[self.statistic]
        return {name: float(column[name]) for name in self.outcomes}


def _check_names(given: Iterable[str], known: list[str], what: str) -> list[str]:
    given = list(given)
    wrong = [g for g in given if g not in known]
    if wrong:
        raise InputError([Problem(f"no {what} '{g}'{did_you_mean(g, known)}; allowed: {allowed(known)}", path=what)
                          for g in wrong])
    return given


def ema_model(scenario: Scenario | str | Path = "b-community", *, arm: str | None = None, weeks: int | None = None,
              seed: int | None = None, replications: int = 1, uncertainties: Iterable[str] | None = None,
              levers: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
              outcomes: Iterable[str] | None = None, statistic: str = "final_year_mean", name: str | None = None):
    """An ``ema_workbench.Model`` (or ``ReplicatorModel`` for ``replications`` > 1) of ``scenario``.

    ``arm``: None makes the arm a lever over the scenario's arms; a name fixes it (and the
    levers are then the parameters of the policies that arm runs).
    ``uncertainties``: paths of priors to vary (default: every prior of the scenario).
    ``levers``: policy paths (default: each policy type's dose, see the module's docstring), or a
    mapping path -> (low, high) to give the ranges. A path that is a lever is not also an
    uncertainty. ``outcomes``: metric names (default: every metric with a better
    direction). ``seed``: the seed of every experiment (default: replicate 0's, as ``simulate``).
    """
    ema = _workbench()
    scenario = load_scenario(scenario)
    if statistic not in STATISTICS:
        raise InputError(Problem(f"unknown statistic {statistic!r}; allowed: {allowed(STATISTICS)}", path="statistic"))
    if arm is not None and arm not in scenario.arm_names:
        raise InputError(Problem(f"no arm '{arm}'{did_you_mean(arm, scenario.arm_names)}; arms: "
                                 f"{allowed(scenario.arm_names)}", path="arm"))
    entries = {e.path: e for e in priors(scenario)}
    lever_list = _levers(scenario, levers, None if arm is None else [arm])
    taken = {lv.path for lv in lever_list}
    paths = [p for p in entries if p not in taken] if uncertainties is None else \
        _check_names(uncertainties, list(entries), "uncertainty")
    metric_names = [m.name for m in METRICS]
    outcome_names = [m.name for m in METRICS if m.better] if outcomes is None else \
        _check_names(outcomes, metric_names, "outcome")

    if replications > 1 and seed is not None:
        raise InputError(Problem("give a seed or replications, not both (replications take replicates' seeds)",
                                 path="seed"))
    function = SimgovFunction(scenario, weeks, statistic, outcome_names)
    identifier = name or "simgov_" + "".join(c if c.isalnum() else "_" for c in scenario.name)
    if replications > 1:
        model = ema.ReplicatorModel(identifier, function=function)
        model.replications = [{"seed": replicate_seed(scenario.seed, i)} for i in range(replications)]
    else:
        model = ema.Model(identifier, function=function)
        model.constants = [ema.Constant("seed", replicate_seed(scenario.seed, 0) if seed is None else int(seed))]
    model.uncertainties = [ema.RealParameter.from_dist(ema_name(p), _PriorDistribution(entries[p].prior)())
                           for p in paths]
    levers_out = [_ema_lever(ema, lv) for lv in lever_list]
    if arm is None and len(scenario.arm_names) > 1:
        levers_out.insert(0, ema.CategoricalParameter("arm", scenario.arm_names))
    elif arm is not None:
        model.constants = [*model.constants, ema.Constant("arm", arm)]
    model.levers = levers_out
    better = {m.name: m.better for m in METRICS}
    kinds = {"higher": ema.ScalarOutcome.MAXIMIZE, "lower": ema.ScalarOutcome.MINIMIZE, "": ema.ScalarOutcome.INFO}
    model.outcomes = [ema.ScalarOutcome(o, kind=kinds[better[o]]) for o in outcome_names]
    return model


def _levers(scenario: Scenario, levers, arms) -> list[Lever]:
    found = {lv.path: lv for lv in policy_levers(scenario, arms)}
    if levers is None:
        return [lv for lv in found.values() if lv.path.split(".")[2] == DOSE.get(lv.path.split(".")[1])]
    given = dict(levers) if isinstance(levers, Mapping) else dict.fromkeys(levers)
    _check_names(given, list(found), "lever")
    out = []
    for path, span in given.items():
        lv = found[path]
        if span is not None:
            low, high = span
            if not low < high:
                raise InputError(Problem(f"a lever's range needs low < high, not ({low}, {high})", path=path))
            lv = Lever(path, lv.kind, float(low), float(high))
        out.append(lv)
    return out


def _ema_lever(ema, lever: Lever):
    name = ema_name(lever.path)
    if lever.kind == "bool":
        return ema.BooleanParameter(name)
    if lever.kind == "int":
        return ema.IntegerParameter(name, int(math.ceil(lever.low)), int(math.floor(lever.high)))
    return ema.RealParameter(name, lever.low, lever.high)
