"""Priors: how uncertain each parameter is, declared beside its default.

A parameter's prior is a distribution over the values it may take, with its reason or
source. It is declared in the parameter's ``field(..., prior=...)`` (simgov.params) where a
study or a seed gives a range; every other number whose source is an assumption gets the
**default rule**, stated here once so that no assumed number is silently treated as known:

- a share (a field bounded to [0, 1]) with default ``d`` in (0, 1): Beta with mean ``d`` and
  standard deviation ``min(d, 1 - d) / 3`` (so the 95% range stays inside [0, 1] and spans
  about a factor of two around small shares);
- any other positive number: log-normal with median ``d`` and 95% of its mass within a factor
  of 2 of it (``LOGNORMAL_FACTOR``), cut to the field's declared range;
- a default of 0 (a switch that is off, no money) and true/false or named choices are design
  choices, not uncertain quantities: they get no prior; nor do the life-stage shares
  (``community.mix``), which must add up to 1 and so are not free to vary one by one, nor a
  policy's start and end weeks (a design choice).

Parameters are named by the sweep's path language (simgov.experiment.factors):
``parameters.MECHANISM.NAME``, ``actors.NAME``, ``community.NAME``, ``network.NAME`` and
``policies.TYPE.NAME`` for the policies the scenario or its arms run.

Sources for the default rule: a factor-of-two spread is the convention for an order-of-
magnitude-known quantity in probabilistic sensitivity analysis of health-economic models
(Briggs, Claxton & Sculpher 2006, ch. 4: log-normal for ratios and multipliers, beta for
probabilities); it is an assumption, and every declared prior replaces it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel
from scipy import stats

from simgov.params import bounds as field_bounds

#: Blocks whose numbers are not free to vary one by one (shares that add up to 1).
NOT_FREE = ("community.mix",)
#: A policy's schedule: design choices, without a prior.
SCHEDULE = ("start_week", "end_week")
#: 95% of a default log-normal prior lies within this factor of the default.
LOGNORMAL_FACTOR = 2.0
DISTRIBUTIONS = ("uniform", "triangular", "beta", "lognormal")


@dataclass(frozen=True)
class Prior:
    """A distribution over a parameter's values, cut to ``[low, high]``.

    ``dist`` is one of DISTRIBUTIONS: ``uniform`` on [low, high]; ``triangular`` with its
    ``mode``; ``beta`` with ``mean`` and ``sd`` on [low, high]; ``lognormal`` with median
    ``mean`` and ``factor`` (95% within median x/÷ factor), cut to [low, high].
    """

    dist: str
    low: float
    high: float
    reason: str
    mean: float | None = None  # beta: mean; lognormal: median
    sd: float | None = None  # beta
    mode: float | None = None  # triangular
    factor: float | None = None  # lognormal
    rule: bool = False  # True for the default rule, False when declared beside the parameter

    def __post_init__(self):
        if self.dist not in DISTRIBUTIONS:
            raise ValueError(f"unknown prior distribution {self.dist!r}; allowed: {', '.join(DISTRIBUTIONS)}")
        if not (self.low < self.high):
            raise ValueError(f"a prior needs low < high, not [{self.low}, {self.high}]")

    def _rv(self):
        lo, hi = self.low, self.high
        if self.dist == "uniform":
            return stats.uniform(lo, hi - lo)
        if self.dist == "triangular":
            return stats.triang((self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if self.dist == "beta":
            m = (self.mean - lo) / (hi - lo)
            v = (self.sd / (hi - lo)) ** 2
            k = m * (1 - m) / v - 1  # method of moments: a + b
            return stats.beta(m * k, (1 - m) * k, loc=lo, scale=hi - lo)
        return stats.lognorm(math.log(self.factor) / 1.959964, scale=self.mean)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The values at quantiles ``u`` (uniforms in [0, 1]), within [low, high]: for a cut
        log-normal, the quantiles of the distribution conditioned on [low, high]."""
        rv = self._rv()
        u = np.asarray(u, dtype=np.float64)
        if self.dist == "lognormal":
            a, b = rv.cdf(self.low), rv.cdf(self.high)
            u = a + u * (b - a)
        return np.clip(rv.ppf(u), self.low, self.high)

    @property
    def median(self) -> float:
        return float(self.ppf(np.array([0.5]))[0])

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        lo, hi = self.ppf(np.array([(1 - level) / 2, (1 + level) / 2]))
        return float(lo), float(hi)

    def describe(self) -> str:
        if self.dist == "uniform":
            return f"uniform({self.low:g}, {self.high:g})"
        if self.dist == "triangular":
            return f"triangular({self.low:g}, {self.mode:g}, {self.high:g})"
        if self.dist == "beta":
            return f"beta(mean {self.mean:.3g}, sd {self.sd:.3g})" + (
                "" if (self.low, self.high) == (0.0, 1.0) else f" on [{self.low:g}, {self.high:g}]")
        return f"lognormal(median {self.mean:g}, x/÷{self.factor:g})" + (
            f" cut to [{self.low:g}, {self.high:g}]" if math.isfinite(self.high) or self.low > 0 else "")

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "rule"}


def uniform(low: float, high: float, reason: str) -> dict:
    """A declared prior for ``field(prior=...)``: uniform on [low, high]."""
    return Prior("uniform", low, high, reason).as_dict()


def triangular(low: float, mode: float, high: float, reason: str) -> dict:
    return Prior("triangular", low, high, reason, mode=mode).as_dict()


def beta(mean: float, sd: float, reason: str, low: float = 0.0, high: float = 1.0) -> dict:
    return Prior("beta", low, high, reason, mean=mean, sd=sd).as_dict()


def lognormal(median: float, factor: float, reason: str, low: float = 0.0, high: float = math.inf) -> dict:
    return Prior("lognormal", low, high, reason, mean=median, factor=factor).as_dict()


# -- the parameters of a scenario and their priors --------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One uncertain parameter of a scenario."""

    path: str  # sweep path language (simgov.experiment.factors)
    value: float  # its value in the scenario
    kind: str  # "int" or "float"
    source: str
    prior: Prior


def _bounds(info) -> tuple[float, float]:
    b = field_bounds(info)
    return float(b.get("ge", b.get("gt", -math.inf))), float(b.get("le", b.get("lt", math.inf)))


def _extra(info) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def default_prior(value: float, low: float, high: float) -> Prior | None:
    """The default rule's prior for an assumed ``value`` of a field bounded to [low, high]."""
    if value <= 0 or not math.isfinite(value):
        return None
    if (low, high) == (0.0, 1.0):
        if value >= 1.0:
            return None
        return Prior("beta", 0.0, 1.0, "default rule for an assumed share", mean=value,
                     sd=min(value, 1.0 - value) / 3, rule=True)
    return Prior("lognormal", max(low, 0.0), high, f"default rule for an assumed number: 95% within a factor "
                 f"of {LOGNORMAL_FACTOR:g}", mean=value, factor=LOGNORMAL_FACTOR, rule=True)


def _entries(block: BaseModel, prefix: str) -> list[Entry]:
    out = []
    for name, info in type(block).model_fields.items():
        value = getattr(block, name)
        if isinstance(value, BaseModel):
            if f"{prefix}.{name}" not in NOT_FREE:
                out += _entries(value, f"{prefix}.{name}")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        extra = _extra(info)
        source = extra.get("source", "")
        low, high = _bounds(info)
        if "prior" in extra:
            prior = Prior(**extra["prior"])
        elif "assumption" in source.lower() or not source:
            prior = default_prior(float(value), low, high)
        else:
            prior = None  # a number the sources give
        if prior is not None:
            out.append(Entry(f"{prefix}.{name}", float(value), "int" if isinstance(value, int) else "float",
                             source, prior))
    return out


def priors(scenario) -> list[Entry]:
    """Every uncertain parameter of ``scenario`` with its prior: the mechanisms' parameters,
    the numbers of ``community``, ``actors`` and ``network`` whose source is an assumption,
    and the parameters of every policy type the scenario or its arms run (at its first use)."""
    out = []
    for section in ("community", "actors", "network"):
        out += _entries(getattr(scenario, section), section)
    out += _entries(scenario.parameters, "parameters")
    seen = set()
    for policy in list(scenario.policies) + [p for arm in scenario.arms.values() for p in arm.policies]:
        if policy.type not in seen:
            seen.add(policy.type)
            # Its timing is a design choice, not an uncertain quantity (but visits_per_week is a rate).
            out += [e for e in _entries(policy, f"policies.{policy.type}")
                    if e.path.rsplit(".", 1)[1] not in SCHEDULE]
    return out


def table(scenario):
    """``priors`` as a frame: path, value, distribution, 95% interval, declared or by rule, reason."""
    import pandas as pd

    rows = [{"path": e.path, "value": e.value, "prior": e.prior.describe(),
             "low_95": e.prior.interval()[0], "high_95": e.prior.interval()[1],
             "declared": not e.prior.rule, "reason": e.prior.reason, "source": e.source} for e in priors(scenario)]
    return pd.DataFrame(rows, columns=["path", "value", "prior", "low_95", "high_95", "declared", "reason",
                                       "source"])


def document(scenario) -> str:
    """docs/priors.md: the priors of ``scenario`` (B community by default) as a table."""
    t = table(scenario)
    declared = int(t.declared.sum())
    lines = ["<!-- Generated by `python -m simgov.docgen` from the parameters' declarations; do not edit. -->\n",
             "# Priors: how uncertain each parameter is\n",
             f"Every uncertain number of the `{scenario.name}` scenario with its prior "
             f"(`simgov priors SCENARIO` lists any scenario's): {len(t)} parameters, {declared} with a prior "
             f"declared beside the parameter from a study or a seed, {len(t) - declared} by the default rule "
             "for assumed numbers (simgov/uncertainty/priors.py: a share gets a beta with its value as mean and "
             "a third of the room to 0 or 1 as standard deviation; any other positive number a log-normal with "
             "95% within a factor of 2). Numbers the sources give, switches and choices have no prior. The "
             "95% interval is the prior's central 95%. `simgov compare SCENARIO --uncertainty prior --draws K` "
             "runs a comparison over K draws from these priors (docs/guide-analysts.md, section 6a).\n",
             "| parameter | value | prior | 95% interval | declared | reason |", "|---|---:|---|---|---|---|"]
    for r in t.itertuples():
        lines.append(f"| `{r.path}` | {r.value:g} | {r.prior} | {r.low_95:.3g} – {r.high_95:.3g} | "
                     f"{'yes' if r.declared else 'rule'} | {r.reason} |")
    return "\n".join(lines) + "\n"
