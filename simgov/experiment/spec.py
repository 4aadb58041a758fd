"""The experiment file format: a base scenario, factors, a design, replicates, outcomes, executor.

An experiment file (YAML, usually in ``experiments/``) says what to sweep::

    name: b-community-levers
    scenario: b-community          # a bundled name, or a path relative to this file
    arm: baseline                  # the arm whose policies and parameters are the base
    policies:                      # added to the base, so their parameters can be swept
      - type: door_knocking
    weeks: 104
    replicates: 4
    design: {method: sobol, samples: 64}
    factors:
      - path: policies.door_knocking.visits_per_week
        low: 0
        high: 70
      - path: parameters.disputes.escalate_multi_party
        low: 0.01
        high: 0.05
    outcomes: [cohesion_index, group_disputes_open]

It is validated like a scenario: every problem names the file, line, field and allowed values.
Factor paths are resolved against the base scenario by :mod:`simgov.experiment.factors`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from simgov.errors import InputError, Problem, allowed, did_you_mean
from simgov.metrics import METRIC_NAMES
from simgov.params import PositiveInt, Share, Spec, field
from simgov.policies import AnyPolicy
from simgov.scenario.loader import Reporter, parse_policies, read_yaml
from simgov.scenario.schema import Name

Number = int | float
METHODS = ("full_factorial", "latin_hypercube", "sobol", "morris")
EXECUTORS = ("serial", "processes", "dask")
STATISTICS = ("final_year_mean", "final", "mean")


def _check_metric(name: str) -> str:
    if name not in METRIC_NAMES:
        raise ValueError(f"unknown metric '{name}'{did_you_mean(name, METRIC_NAMES)}; "
                         f"allowed: {allowed(METRIC_NAMES)}")
    return name


class Factor(Spec):
    """One swept quantity: a path into the base scenario and the range or values it takes."""

    path: str = field(..., "where the value goes: a scenario field such as community.initial.trust_neighbors "
                      "or parameters.disputes.escalate_multi_party, or policies.TYPE.PARAMETER (policies.TYPE.K."
                      "PARAMETER for the K-th policy of a type, from 0)")
    low: Number | None = field(None, "lowest value (for every design but an explicit list of values)")
    high: Number | None = field(None, "highest value")
    levels: Annotated[int, Field(ge=2, le=1000, strict=True)] | None = field(
        None, "full_factorial: this many evenly spaced values from low to high")
    values: tuple[Number | bool, ...] | None = field(
        None, "full_factorial: the values to take, listed (instead of low, high and levels)")
    label: str = field("", "a short name for tables and figures (default: the path's last two parts)")

    @model_validator(mode="after")
    def _range(self):
        if self.values is not None:
            if self.low is not None or self.high is not None or self.levels is not None:
                raise ValueError("give either values, or low and high (and levels), not both")
            if not self.values:
                raise ValueError("values is empty")
            return self
        if self.low is None or self.high is None:
            raise ValueError("give low and high (or, for full_factorial, a list of values)")
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    @property
    def name(self) -> str:
        return self.label or ".".join(self.path.split(".")[-2:])


class Design(Spec):
    """How the design points are drawn from the factors' ranges (SALib samplers)."""

    method: Literal[METHODS] = field(..., f"one of {', '.join(METHODS)}")
    samples: PositiveInt | None = field(
        None, "latin_hypercube: points; sobol: base sample N, a power of 2 (N*(D+2) points, N*(2D+2) with "
        "second_order); morris: trajectories (r*(D+1) points); not used by full_factorial")
    second_order: bool = field(False, "sobol: also sample for second-order indices")
    levels: Annotated[int, Field(ge=2, le=100, strict=True)] = field(
        4, "morris: levels of the grid each factor moves on (an even number)")

    @model_validator(mode="after")
    def _fits_method(self):
        if self.method != "full_factorial" and self.samples is None:
            raise ValueError(f"{self.method} needs samples")
        if self.method == "full_factorial" and self.samples is not None:
            raise ValueError("full_factorial takes no samples: its points are every combination of the factors' "
                             "values (set values or levels on each factor)")
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of 2 (Saltelli's scheme keeps its balance "
                             f"only then), not {self.samples}; nearest: {_powers_near(self.samples)}")
        if self.method == "morris" and self.levels % 2:
            raise ValueError(f"morris levels must be even (Morris 1991), not {self.levels}")
        return self


def _powers_near(n: int) -> str:
    lower = 1 << (n.bit_length() - 1)
    return f"{lower} or {lower * 2}"


class ExecutorSpec(Spec):
    """Where the runs execute; the command line can override each field."""

    type: Literal[EXECUTORS] = field("processes", "serial (in this process), processes (a local pool) "
                                     "or dask (a Dask cluster)")
    workers: PositiveInt | None = field(None, "processes, or workers of a local Dask cluster; null = all cores")
    scheduler: str | None = field(None, "dask: the scheduler's address (tcp://host:8786); null = start a "
                                  "local cluster")
    batch: Annotated[int, Field(ge=1, le=1000, strict=True)] | None = field(
        None, "runs per task; null = chosen from the number of runs and workers")


class Condition(Spec):
    """What counts as a good outcome for scenario discovery."""

    outcome: str = field(..., "a metric")
    keep: Literal["high", "low"] = field(..., "high: good when at or above the threshold; low: at or below")
    quantile: Share | None = field(None, "threshold as a quantile of the design points' means; null (with no "
                                   "threshold) = 0.5, the median")
    threshold: float | None = field(None, "threshold as a value (instead of a quantile)")

    _metric = field_validator("outcome")(_check_metric)

    @model_validator(mode="after")
    def _one_threshold(self):
        if self.threshold is not None and self.quantile is not None:
            raise ValueError("give a quantile or a threshold, not both")
        return self


DEFAULT_DISCOVERY = (Condition(outcome="cohesion_index", keep="high"),
                     Condition(outcome="group_disputes_open", keep="low"))


class Experiment(Spec):
    """A whole experiment file, validated."""

    name: Name = field(..., "short identifier: lower case letters, digits, - and _")
    title: str = field("", "one-line title")
    description: str = field("", "what the experiment asks")
    scenario: str = field(..., "the base scenario: a bundled name or a path (relative to this file)")
    arm: str = field("baseline", "the arm of the scenario whose policies and parameters are the base")
    policies: tuple[AnyPolicy, ...] = field((), "policies added to the base in every run, so that their "
                                               "parameters can be factors")
    weeks: Annotated[int, Field(ge=1, le=5200, strict=True)] | None = field(
        None, "weeks per run; null = the scenario's")
    seed: Annotated[int, Field(ge=0, lt=2**63, strict=True)] | None = field(
        None, "seed of the design and of the replicates; null = the scenario's")
    replicates: Annotated[int, Field(ge=1, le=10_000, strict=True)] = field(
        4, "runs per design point; replicate i has the same seed at every point (common random numbers)")
    factors: tuple[Factor, ...] = field(..., "the swept quantities", min_length=1)
    design: Design = field(..., "how the design points are drawn")
    outcomes: tuple[str, ...] = field(
        ("cohesion_index", "group_disputes_open"), "metrics to analyse (sensitivity, discovery, report); the "
        "runs table keeps every metric", min_length=1)
    statistic: Literal[STATISTICS] = field(
        "final_year_mean", "what each run's row records per metric: the mean over its final 52 weeks, "
        "its final value, or its mean over all weeks")
    series: bool = field(False, "also keep every run's weekly series (timeseries.parquet)")
    csv: bool = field(False, "also write runs.csv")
    executor: ExecutorSpec = field(ExecutorSpec(), "where the runs execute")
    discovery: tuple[Condition, ...] = field(
        DEFAULT_DISCOVERY, "what a good outcome is, for scenario discovery (all conditions together)")

    @field_validator("outcomes")
    @classmethod
    def _metrics(cls, names):
        for name in names:
            _check_metric(name)
        return names

    @model_validator(mode="after")
    def _factors_fit_design(self):
        paths = [f.path for f in self.factors]
        if len(set(paths)) < len(paths):
            twice = sorted({p for p in paths if paths.count(p) > 1})
            raise ValueError(f"factor paths must differ; repeated: {', '.join(twice)}")
        for i, f in enumerate(self.factors):
            if self.design.method == "full_factorial" and f.values is None and f.levels is None:
                raise ValueError(f"factors.{i} ({f.path}): full_factorial needs values or levels")
            if self.design.method != "full_factorial" and (f.values is not None or f.levels is not None):
                raise ValueError(f"factors.{i} ({f.path}): {self.design.method} samples between low and high; "
                                 "values and levels belong to full_factorial")
        return self

    @property
    def factor_names(self) -> list[str]:
        return [f.path for f in self.factors]


def load_experiment(path: str | Path) -> tuple[Experiment, Path, dict]:
    """The validated experiment in ``path``, the file, and where each key was written in it."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputError(Problem(f"no such experiment file: {path}"))
    data, marks = read_yaml(path)
    data.setdefault("name", path.stem.replace(".", "-"))
    rep = Reporter(path, marks)
    data["policies"] = parse_policies(data.get("policies", []), ("policies",), rep)
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        rep.add_pydantic(exc, (), Experiment)
    rep.raise_if_any()
    return exp, path, marks
