"""Comparing arms: paired effects with confidence intervals, and what they cost.

Every arm runs with the same replicate seeds (common random numbers): replicate i of an arm
and of the reference share their synthetic community, warm-up and random streams, so their
difference is the policy's effect in that replicate, and the spread of the differences is
far smaller than the spread of the outcomes themselves.

For each arm and metric, the effect is the mean over replicates of the paired difference
``arm_i - reference_i`` of the metric's final-year mean (its mean over the last 52 simulated
weeks), with a two-sided 95% Student-t interval on ``reps - 1`` degrees of freedom:
``mean(d) +- t(0.975, reps - 1) * sd(d) / sqrt(reps)``. With one replicate there is no
interval (NaN); with identical arms the difference and its interval are exactly zero.

Costs per arm are the policy spending and hours per simulated year (from the cumulative
``policy_*_total`` metrics), paired against the reference like the effects; the cost per unit
of effect divides the yearly cost by the improvement in a main outcome (a percentage point
for shares and indices, one for counts), where the improvement's interval excludes zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simgov.errors import InputError, Problem, allowed, whole_number
from simgov.experiment.interactions import plan
from simgov.experiment.paired import final_year, paired_interval
from simgov.experiment.runs import MAX_REPS, RunResult, check_arms, in_plan_order, run_replicates
from simgov.metrics import METRIC_NAMES, METRICS
from simgov.scenario import Scenario, load_scenario

#: Columns of the effects table.
EFFECT_COLUMNS = ["arm", "reference", "metric", "reference_mean", "arm_mean", "difference",
                  "ci_low", "ci_high", "reps"]
#: Outcomes whose cost per unit of effect is reported.
MAIN_OUTCOMES = ("cohesion_index", "participation_rate", "unmet_needs_share", "undetected_needs_share",
                 "disputes_open", "group_disputes_open")
#: Cumulative cost metrics and the cost columns they give.
COST_METRICS = {"policy_yuan_total": "yuan_per_year", "policy_staff_hours_total": "staff_hours_per_year",
                "policy_social_worker_hours_total": "social_worker_hours_per_year",
                "policy_volunteer_hours_total": "volunteer_hours_per_year"}
_BY_NAME = {m.name: m for m in METRICS}


def effect_unit(metric: str) -> float:
    """The unit effects are costed in: a percentage point for shares and indices, else one."""
    return 0.01 if _BY_NAME[metric].unit in ("share", "index") else 1.0


def improvement(effect) -> float:
    """An effects-table row's improvement in the metric's better direction (its difference,
    negated where lower is better), or NaN where its 95% interval includes zero."""
    better = _BY_NAME[effect.metric].better
    sure = effect.ci_low > 0 or effect.ci_high < 0
    if not better or not sure:
        return float("nan")
    return -effect.difference if better == "lower" else effect.difference


@dataclass
class Comparison:
    """Paired effects of every arm against the reference, their costs, and the runs."""

    scenario: str
    reference: str
    arms: list[str]
    reps: int
    weeks: int
    effects: pd.DataFrame  # EFFECT_COLUMNS, one row per arm and metric
    costs: pd.DataFrame  # one row per arm: yearly yuan and hours, and cost per unit of effect
    results: list[RunResult]
    interactions: pd.DataFrame | None = None  # INTERACTION_COLUMNS (simgov.experiment.interactions), if asked
    factorial: pd.DataFrame | None = None  # FACTORIAL_COLUMNS, when a factorial was asked for

    def plot(self, metrics=None, lang: str = "en"):
        """The effects with their 95% intervals, a panel per metric (default: the main outcomes),
        a row per arm, as in the report; a matplotlib Figure."""
        from simgov.report.figures import effects_figure

        return effects_figure(self.effects, metrics, lang)

    def plot_series(self, metrics="cohesion_index", lang: str = "en"):
        """Every arm's weekly series (median and 10-90% band over the replicates); a Figure."""
        from simgov.report.figures import results_figure

        return results_figure(self.results, metrics, lang)


def run_yearly_cost(timeseries: pd.DataFrame) -> pd.Series:
    """One run's cost metrics: each cumulative cost at the end, per simulated year (spending
    is often front-loaded, e.g. a fund spent in its first rounds, while effects last)."""
    ts = timeseries[list(COST_METRICS)]
    return (ts.iloc[-1] - ts.iloc[0]) / (max(len(ts) - 1, 1) / 52.0)


def yearly_cost(results: list[RunResult], arm: str, reps: int) -> pd.DataFrame:
    """Replicates x cost metrics: each run's :func:`run_yearly_cost`."""
    rows = {r.replicate: run_yearly_cost(r.timeseries) for r in results if r.arm == arm}
    return pd.DataFrame([rows[i] for i in range(reps)], index=range(reps))


def effects_table(results: list[RunResult], arms: list[str], reference: str, reps: int) -> pd.DataFrame:
    ref = final_year(results, reference, reps)
    rows = []
    for arm in arms:
        if arm == reference:
            continue
        values = final_year(results, arm, reps)
        for metric in METRIC_NAMES:
            diff, lo, hi = paired_interval(values[metric].to_numpy() - ref[metric].to_numpy())
            rows.append((arm, reference, metric, float(ref[metric].mean()), float(values[metric].mean()),
                         diff, lo, hi, reps))
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def costs_table(results: list[RunResult], effects: pd.DataFrame, arms: list[str], reference: str,
                reps: int) -> pd.DataFrame:
    ref = yearly_cost(results, reference, reps)
    rows = []
    for arm in arms:
        if arm == reference:
            continue
        rows.append(cost_row(arm, reference, reps, (yearly_cost(results, arm, reps) - ref).mean(), effects))
    return pd.DataFrame(rows)


def cost_row(arm: str, reference: str, reps: int, extra: pd.Series, effects: pd.DataFrame) -> dict:
    """A costs-table row: the arm's ``extra`` cost metrics a year over the reference (by
    COST_METRICS name) and its yuan per unit of each main outcome's (clear) improvement."""
    row = {"arm": arm, "reference": reference, "reps": reps}
    row.update({column: float(extra[metric]) for metric, column in COST_METRICS.items()})
    mine = effects[effects.arm == arm].set_index("metric", drop=False)
    for metric in MAIN_OUTCOMES:
        gain = improvement(mine.loc[metric]) / effect_unit(metric)
        row[f"yuan_per_unit:{metric}"] = (row["yuan_per_year"] / gain
                                          if gain > 0 and row["yuan_per_year"] > 0 else float("nan"))
    return row


def comparison_arms(scenario: Scenario, arms: list[str] | str | None, reference: str,
                    reference_path: str = "reference") -> list[str]:
    """The arms to run: the reference first, then ``arms`` (default: every other arm).
    An unknown arm or reference, or nothing to compare, is an input error."""
    if reference not in scenario.arm_names:
        raise InputError(Problem(f"no arm named '{reference}' to compare against; arms: "
                                 f"{allowed(scenario.arm_names)}", path=reference_path))
    if not isinstance(reference, str):
        raise InputError(Problem(f"must be an arm name, not {reference!r}", path=reference_path))
    if arms is not None:
        arms = check_arms(scenario, arms)
    names = [reference] + [a for a in (scenario.arm_names if arms is None else arms) if a != reference]
    if len(names) < 2:
        raise InputError(Problem(f"scenario '{scenario.name}' has no arm besides '{reference}' to compare; "
                                 "add arms to it (see docs/scenario-format.md)", path="arms"))
    return names


def effect_cells(effects: pd.DataFrame, fmt) -> pd.DataFrame:
    """Main outcomes x arms: each effect as ``fmt(difference) [fmt(low), fmt(high)]``."""
    main = effects[effects.metric.isin(MAIN_OUTCOMES)]
    cells = main.assign(effect=[f"{fmt(d)} [{fmt(lo)}, {fmt(hi)}]" for d, lo, hi in
                                zip(main.difference, main.ci_low, main.ci_high, strict=True)])
    table = cells.pivot(index="metric", columns="arm", values="effect").reindex(list(MAIN_OUTCOMES))
    return table[list(dict.fromkeys(main.arm))]


def run_comparison(scenario: Scenario | str, reps: int | None = None, weeks: int | None = None,
                   arms: list[str] | None = None, reference: str = "baseline",
                   progress: bool | None = None, workers: int = 1, on_result=None,
                   interactions: bool = True, factorial: list[str] | str | None = None) -> Comparison:
    """Run every arm (or ``arms``) and the reference with the same seeds, and compare them.

    ``interactions`` also runs the parts of every arm that combines policies, each alone,
    and estimates the interaction (``Comparison.interactions``); ``factorial`` (factor names,
    or one arm that combines policies) runs all 2^k cells of those factors and estimates main
    effects and two-way interactions (``Comparison.factorial``). See
    ``simgov.experiment.interactions``. ``on_result(result)`` is called as each run finishes
    (e.g. to save it), so nothing is lost if a later run fails.
    """
    scenario = load_scenario(scenario)
    reps = scenario.replicates if reps is None else whole_number(reps, "reps", 1, MAX_REPS)
    planned = plan(scenario, comparison_arms(scenario, arms, reference), interactions, factorial)
    scenario, names = planned.scenario, planned.arms
    results = []
    for result in run_replicates(scenario, reps, names, weeks, progress=progress, workers=workers):
        results.append(result)
        if on_result is not None:
            on_result(result)
    results = in_plan_order(results, names)
    effects = effects_table(results, names, reference, reps)
    inter, fact = planned.tables(results, reps)
    return Comparison(scenario.name, reference, names, reps, scenario.weeks if weeks is None else weeks,
                      effects, costs_table(results, effects, names, reference, reps), results, inter, fact)


def compare(scenario: Scenario | str, reps: int | None = None, weeks: int | None = None,
            arms: list[str] | None = None, reference: str = "baseline",
            progress: bool | None = None, workers: int = 1, interactions: bool = True,
            factorial: list[str] | str | None = None) -> pd.DataFrame:
    """The effects table of :func:`run_comparison` (columns ``EFFECT_COLUMNS``); the cost
    lines are in ``table.attrs["costs"]``, the interactions in ``table.attrs["interactions"]``
    and the factorial's effects (None without ``factorial``) in ``table.attrs["factorial"]``."""
    result = run_comparison(scenario, reps, weeks, arms, reference, progress, workers,
                            interactions=interactions, factorial=factorial)
    table = result.effects
    table.attrs.update(costs=result.costs, interactions=result.interactions, factorial=result.factorial)
    return table
