"""Interactions of combined policies, and full 2^k factorials of policies.

In practice: the sources claim that linked forces do more together than apart (issue 16).
A comparison answers that for an arm that combines policies by running each of its policies
alone, the same way, and comparing the combination's effect with the sum of its parts'.

Cells. A *cell* is the scenario with one subset of a list of factors switched on: each factor
is one or more policies (and parameter overrides) added to a *setting*. For an arm's
interaction the factors are the arm's own policies, each exactly as the arm runs it (its
parameters, start and end weeks), and the setting is the arm's parameter overrides (an
arm's overrides are the conditions its policies work in, so its parts and its base run
with them too). Every cell runs as an arm with the comparison's replicate seeds (common
random numbers). A cell equal to an arm already in the scenario (the same policies in the
same order and the same parameters, once resolved) is that arm; any other is added to the
scenario under a generated name (``<arm>--<policy>`` for a part, ``<arm>--none`` for a base
that differs from every arm, ``<factor>--<factor>...`` for a factorial cell), so the run's
manifest lists it and ``simgov run manifest.json`` reruns the same arms.

Interaction (``interactions.csv``). For arm A with parts p = 1..k and base B (the setting
without A's policies; the baseline when A overrides no parameter), per replicate i:
``I_i = (Y_A,i - Y_B,i) - sum_p (Y_p,i - Y_B,i)``, on each metric's final-year mean; the
table gives the mean combined effect, the mean sum of the parts' effects, and the mean of
``I_i`` with its paired 95% Student-t interval over replicates (``simgov.experiment.paired``).
``I = 0`` is additivity; for two parts, ``I`` is the difference of differences
``ab - a - b + (1)``, twice the factorial ``AB`` effect below.

Factorial (``factorial.csv``). All 2^k cells of k factors (k = 2..MAX_FACTORS). Effects
coding after Montgomery, *Design and Analysis of Experiments* (§6.2-6.3): each factor is -1
when off and +1 when on; the effect of a term T (a factor, or a pair of factors) is
``(1 / 2^(k-1)) * sum_cells sign_T(cell) * Y_cell``, where ``sign_T`` is the product of the
signs of T's factors, i.e. the mean response where the sign is + minus the mean where it is
-. A main effect is thus a factor's effect averaged over every combination of the others
(not its effect alone), and a two-way interaction is half the difference between one
factor's effect with the other on and with it off. The contrast is taken within each
replicate (the cells of a replicate share its seed, so a replicate is a block) and
summarised over replicates with the paired interval, rather than Montgomery's pooled error
mean square: the interval then needs no assumption that every cell has the same variance.

Cost: a part, base or cell that is not an arm of the scenario costs one more arm's runs
(``reps`` runs each); ``--no-interactions`` skips the interactions' extra arms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from simgov.errors import InputError, Problem, allowed
from simgov.experiment.paired import final_year, paired_interval
from simgov.experiment.runs import RunResult
from simgov.metrics import METRIC_NAMES
from simgov.policies import POLICY_TYPES, PolicyParams
from simgov.scenario import Scenario
from simgov.scenario.loader import _merge, for_arm
from simgov.scenario.schema import Arm

#: Joins the pieces of a generated arm name (allowed in arm names, rare in hand-written ones).
SEPARATOR = "--"
#: The most factors a factorial takes (2^6 = 64 cells).
MAX_FACTORS = 6
#: Longest arm name the scenario schema allows.
MAX_NAME = 64

INTERACTION_COLUMNS = ["arm", "base", "parts", "metric", "combined_effect", "sum_of_parts", "interaction",
                       "ci_low", "ci_high", "reps"]
FACTORIAL_COLUMNS = ["term", "order", "metric", "effect", "ci_low", "ci_high", "reps"]


@dataclass(frozen=True)
class Factor:
    """One factor: its name, the policies it switches on, and parameter overrides it brings."""

    name: str
    policies: tuple[PolicyParams, ...]
    parameters: dict = field(default_factory=dict)


@dataclass
class Decomposition:
    """An arm split into its parts: arm -> base and part arms (by policy name), all run."""

    arm: str
    base: str
    parts: dict[str, str]  # part name -> the arm that runs it alone


@dataclass
class Factorial:
    """A 2^k factorial: its factors and the arm of each cell (a tuple of 0/1, one per factor)."""

    factors: list[str]
    cells: dict[tuple[int, ...], str]


@dataclass
class Plan:
    """What a comparison runs beyond the asked arms, and what it derives from them."""

    scenario: Scenario  # with every added arm
    arms: list[str]  # the asked arms first, then the added ones
    decompositions: list[Decomposition] = field(default_factory=list)
    factorial: Factorial | None = None
    added: dict[str, dict] = field(default_factory=dict)  # added arm -> {"of": arm or None, "on": [names]}
    interactions: bool = True  # whether interactions were asked for

    def tables(self, results: list[RunResult], reps: int) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """The interactions table and the factorial's, each None if not asked for."""
        values = values_by_arm(results, self.arms, reps)
        return (interaction_table(values, self.decompositions) if self.interactions else None,
                None if self.factorial is None else factorial_table(values, self.factorial))

    def record(self) -> dict:
        """What the manifest keeps, so a report labels the arms and a rerun repeats the plan."""
        return {"interactions": [{"arm": d.arm, "base": d.base, "parts": d.parts} for d in self.decompositions],
                "factorial": (None if self.factorial is None else
                              {"factors": self.factorial.factors,
                               "cells": {"".join(map(str, c)): a for c, a in self.factorial.cells.items()}}),
                "arms": self.added}


# ----------------------------------------------------------------------------- cells
def _key(scenario: Scenario, arm: str) -> tuple:
    """What makes two arms run the same: their resolved policies and parameters."""
    resolved = for_arm(scenario, arm)
    return resolved.policies, resolved.parameters


class _Cells:
    """Finds the arm that runs a cell, adding one to the scenario where none does."""

    def __init__(self, scenario: Scenario):
        self.arms = dict(scenario.arms)
        self.base = scenario
        self.keys = {_key(scenario, a): a for a in reversed(scenario.arm_names)}  # first equal arm wins
        self.added: dict[str, dict] = {}

    def arm(self, policies: tuple, parameters: dict, name: str, of: str | None, on: list[str]) -> str:
        what = " + ".join(on)
        spec = Arm(description=f"added by simgov compare: {what or 'no policy'}"
                               f"{f' as arm {of!r} runs it' if of else ''}",
                   description_zh=f"由 simgov compare 添加：{f'按方案 {of} 的设置' if of else ''}"
                                  f"{f'运行 {what}' if what else '不运行其政策'}",
                   policies=policies, parameters=parameters)
        probe = self.base.model_copy(update={"arms": {**self.base.arms, "~probe": spec}})
        key = _key(probe, "~probe")
        if key in self.keys:
            return self.keys[key]
        name = self._free(name)
        self.arms[name] = spec
        self.keys[key] = name
        self.added[name] = {"of": of, "on": on}
        return name

    def _free(self, name: str) -> str:
        if len(name) > MAX_NAME:
            name = name[:MAX_NAME - 4].rstrip("-_")
        stem, k = name, 2
        while name in self.arms or name == "baseline":
            name = f"{stem}-{k}"
            k += 1
        return name

    def scenario(self) -> Scenario:
        """The scenario with the added arms, validated like a file (conflicting policies refused)."""
        from simgov.scenario.serial import dump, load

        if not self.added:
            return self.base
        return load(dump(self.base.model_copy(update={"arms": self.arms})), source="simgov compare")


def _names(policies: tuple[PolicyParams, ...]) -> list[str]:
    """A name per policy: its type, numbered where an arm has a type twice."""
    types = [p.type for p in policies]
    seen: dict[str, int] = {}
    out = []
    for t in types:
        seen[t] = seen.get(t, 0) + 1
        out.append(t if types.count(t) == 1 else f"{t}-{seen[t]}")
    return out


def combines(scenario: Scenario, arm: str) -> bool:
    """True for an arm that adds two or more policies of its own."""
    return arm in scenario.arms and len(scenario.arms[arm].policies) >= 2


# ----------------------------------------------------------------------------- planning
def parse_factors(scenario: Scenario, items: list[str] | str, path: str = "--factorial") -> tuple[list[Factor], dict]:
    """The factors ``items`` name, and the setting they are crossed in.

    One arm that combines policies: its policies are the factors (as it runs them) and its
    parameter overrides the setting. Otherwise each item is a factor: an arm of the scenario
    (its policies and parameter overrides together) or a policy type (its defaults).
    """
    if isinstance(items, str):
        items = [s.strip() for s in items.split(",") if s.strip()]
    if len(items) == 1 and combines(scenario, items[0]):
        spec = scenario.arms[items[0]]
        factors = [Factor(n, (p,)) for n, p in zip(_names(spec.policies), spec.policies, strict=True)]
        setting = spec.parameters
    else:
        factors, setting = [], {}
        for item in items:
            if item in scenario.arms:
                spec = scenario.arms[item]
                factors.append(Factor(item, spec.policies, spec.parameters))
            elif item in POLICY_TYPES:
                factors.append(Factor(item, (POLICY_TYPES[item](),)))
            else:
                raise InputError(Problem(f"'{item}' is neither an arm of scenario '{scenario.name}' nor a policy "
                                         f"type; arms: {allowed(scenario.arm_names)}; policy types: "
                                         f"{allowed(POLICY_TYPES)}", path=path))
    names = [f.name for f in factors]
    if len(set(names)) < len(names):
        raise InputError(Problem(f"a factor is named twice in {items}: give each once", path=path))
    if not 2 <= len(factors) <= MAX_FACTORS:
        raise InputError(Problem(f"a factorial takes 2 to {MAX_FACTORS} factors (2^k arms), not {len(factors)}: "
                                 "give factors separated by commas, or one arm that combines policies", path=path))
    if any(not f.policies for f in factors):
        empty = [f.name for f in factors if not f.policies]
        raise InputError(Problem(f"factor {', '.join(empty)} adds no policy: nothing to switch on", path=path))
    return factors, setting


def _leaves(tree: dict, prefix: tuple = ()) -> dict[tuple, object]:
    out = {}
    for k, v in tree.items():
        out.update(_leaves(v, prefix + (k,)) if isinstance(v, dict) else {prefix + (k,): v})
    return out


def _cell(factors: list[Factor], on: tuple[int, ...], setting: dict, path: str) -> tuple[tuple, dict]:
    """The policies and parameters of one cell: the setting, then each factor switched on."""
    chosen = [f for f, bit in zip(factors, on, strict=True) if bit]
    parameters, seen = setting, _leaves(setting)
    for f in chosen:
        for leaf, value in _leaves(f.parameters).items():
            if leaf in seen and seen[leaf] != value:
                raise InputError(Problem(f"factor {f.name} sets parameters.{'.'.join(leaf)} to {value!r}, another "
                                         f"factor or the setting to {seen[leaf]!r}: factors crossed in one cell may "
                                         "not override the same parameter differently", path=path))
            seen[leaf] = value
        parameters = _merge(parameters, f.parameters)
    return tuple(p for f in chosen for p in f.policies), parameters


def plan(scenario: Scenario, arms: list[str], interactions: bool = True,
         factorial: list[str] | str | None = None) -> Plan:
    """The arms a comparison of ``arms`` runs: the asked ones, the cells of the factorial
    (if any), and the parts and bases of every arm that combines policies (if
    ``interactions``), each found among the scenario's arms or added to it."""
    cells = _Cells(scenario)
    run = list(arms)
    fact = None
    if factorial:
        factors, setting = parse_factors(scenario, factorial)
        k = len(factors)
        table = {}
        for mask in range(2 ** k):
            on = tuple((mask >> j) & 1 for j in range(k))  # Yates's order: (1), a, b, ab, c, ...
            policies, parameters = _cell(factors, on, setting, "--factorial")
            names = [f.name for f, bit in zip(factors, on, strict=True) if bit]
            name = SEPARATOR.join(names) if names else "factorial" + SEPARATOR + "none"
            table[on] = cells.arm(policies, parameters, name, None, names)
        fact = Factorial([f.name for f in factors], table)
        run += [a for a in table.values() if a not in run]
    decompositions = []
    if interactions:
        for arm in list(run):
            spec = cells.arms.get(arm)
            if spec is None or len(spec.policies) < 2:
                continue
            base = cells.arm((), spec.parameters, f"{arm}{SEPARATOR}none", arm, [])
            parts = {}
            for name, policy in zip(_names(spec.policies), spec.policies, strict=True):
                parts[name] = cells.arm((policy,), spec.parameters, f"{arm}{SEPARATOR}{name}", arm, [name])
            decompositions.append(Decomposition(arm, base, parts))
            run += [a for a in (base, *parts.values()) if a not in run]
    return Plan(cells.scenario(), run, decompositions, fact, cells.added, interactions)


# ----------------------------------------------------------------------------- tables
def values_by_arm(results: list[RunResult], arms: list[str], reps: int) -> dict[str, pd.DataFrame]:
    """Arm -> replicates x metrics of final-year means (the tables below take this)."""
    return {arm: final_year(results, arm, reps) for arm in dict.fromkeys(arms)}


def interaction_table(values: dict[str, pd.DataFrame], decompositions: list[Decomposition],
                      metrics: list[str] | None = None) -> pd.DataFrame:
    """One row per decomposed arm and metric (``INTERACTION_COLUMNS``): the combined effect,
    the sum of its parts' effects and their difference, with the paired 95% interval."""
    rows = []
    for d in decompositions:
        base = values[d.base]
        for metric in metrics or list(METRIC_NAMES):
            b = base[metric].to_numpy(dtype=np.float64)
            combined = values[d.arm][metric].to_numpy(dtype=np.float64) - b
            parts = sum(values[a][metric].to_numpy(dtype=np.float64) - b for a in d.parts.values())
            mean, lo, hi = paired_interval(combined - parts)
            rows.append((d.arm, d.base, "+".join(d.parts), metric, float(combined.mean()), float(parts.mean()),
                         mean, lo, hi, len(b)))
    return pd.DataFrame(rows, columns=INTERACTION_COLUMNS)


def interaction_cells(interactions: pd.DataFrame, metrics, fmt) -> pd.DataFrame:
    """(arm, metric) x combined effect, sum of parts and interaction ``fmt(x) [fmt(low), fmt(high)]``,
    the metrics in the order given."""
    table = interactions.set_index(["arm", "metric"])
    rows = table.loc[[(a, m) for a in dict.fromkeys(interactions.arm) for m in metrics]]
    cells = [f"{fmt(x)} [{fmt(lo)}, {fmt(hi)}]" for x, lo, hi in zip(rows.interaction, rows.ci_low, rows.ci_high,
                                                                       strict=True)]
    return pd.DataFrame({"combined": [fmt(x) for x in rows.combined_effect],
                         "sum of parts": [fmt(x) for x in rows.sum_of_parts], "interaction": cells},
                        index=rows.index)


def factorial_contrasts(cells: dict[tuple[int, ...], np.ndarray],
                        factors: list[str]) -> list[tuple[str, int, np.ndarray]]:
    """(term, order, per-replicate effect) for every main effect and two-way interaction, in
    effects coding: ``(1 / 2^(k-1)) * sum_cells sign_T(cell) * Y_cell`` (module docstring)."""
    k = len(factors)
    if set(cells) != {tuple((m >> j) & 1 for j in range(k)) for m in range(2 ** k)}:
        raise ValueError(f"a 2^{k} factorial needs every one of its {2 ** k} cells")
    terms = [(j,) for j in range(k)] + list(combinations(range(k), 2))
    out = []
    for term in terms:
        total = sum(np.prod([2 * on[j] - 1 for j in term]) * np.asarray(y, dtype=np.float64)
                    for on, y in cells.items())
        out.append((":".join(factors[j] for j in term), len(term), total / 2 ** (k - 1)))
    return out


def factorial_table(values: dict[str, pd.DataFrame], factorial: Factorial,
                    metrics: list[str] | None = None) -> pd.DataFrame:
    """Main effects and two-way interactions of every metric (``FACTORIAL_COLUMNS``), each
    with its paired 95% interval over replicates."""
    rows = []
    for metric in metrics or list(METRIC_NAMES):
        cells = {on: values[arm][metric].to_numpy() for on, arm in factorial.cells.items()}
        for term, order, effect in factorial_contrasts(cells, factorial.factors):
            mean, lo, hi = paired_interval(effect)
            rows.append((term, order, metric, mean, lo, hi, len(effect)))
    return pd.DataFrame(rows, columns=FACTORIAL_COLUMNS)
