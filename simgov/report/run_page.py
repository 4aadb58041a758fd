"""The report of a run or a comparison: the answer first, then the details.

The summary (``<section id="summary">``, before any figure) says what was compared, over how
many replicates and years; for each arm that ran, its most important effects on the main
outcomes with their intervals and whether they are better or worse (each metric declares its
better direction), its yearly cost and the resources that bound it; and what the result rests
on (the scenario's validation record). Then: effects (forest plot and table), costs, the key
numbers of every metric, the series over time, the network, and the scenario itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simgov.experiment.compare import MAIN_OUTCOMES, effect_unit, improvement
from simgov.experiment.constraints import binding, constraints_table
from simgov.metrics import FINAL_YEAR_WEEKS
from simgov.report import labels as L
from simgov.report import numbers as N
from simgov.report.base import ReportBase, render, table
from simgov.report.figures import MAIN_SERIES, cost_effect_figure, forest_figure, network_figure, series_figure
from simgov.report.interactions_page import derived_label, factorial_context, interactions_context
from simgov.report.scenario_text import scenario_context
from simgov.report.validation_status import validation_record
from simgov.shocks.outcomes import PEAK_AFTER, PRE_WEEKS, RECOVERY_TOLERANCE

#: Effects the summary names per arm (the largest relative changes among the main outcomes).
SUMMARY_EFFECTS = 3
#: Levels the summary of a run names per arm.
RUN_OUTCOMES = ("cohesion_index", "disputes_open", "unmet_needs_share")


def cumulative(metric: str) -> bool:
    """Totals to date and balances: read at the end, not averaged over the final year."""
    return metric.endswith("_total") or metric.endswith("_balance_yuan")


def _quantiles(values: pd.Series, metric: str) -> str:
    """The 10th and 90th percentiles of a metric's values over replicates, as ``[a, b]``."""
    return f"[{N.metric_value(values.quantile(0.1), metric)}, {N.metric_value(values.quantile(0.9), metric)}]"


class RunReport(ReportBase):
    """The report of a ``simgov run`` or ``simgov compare`` folder."""

    def __init__(self, folder, lang):
        super().__init__(folder, lang)
        self.summary = self._csv("summary.csv")
        self.effects = self._csv("effects.csv")
        self.costs = self._csv("costs.csv")
        self.shocks = self._csv("shocks.csv")
        self.interactions = self._csv("interactions.csv")
        self.factorial = self._csv("factorial.csv")
        self.arms = list(dict.fromkeys(self.timeseries["arm"]))  # the arms that ran, in run order
        self.reps = int(self.timeseries.groupby("arm")["replicate"].nunique().min()) if len(self.timeseries) else 0
        self.weeks = int(self.timeseries["week"].max()) if len(self.timeseries) else 0

    def arm(self, name: str) -> str:
        """An arm's display name; an arm the comparison added is named after what it runs."""
        own = (self.scenario.get("arms") or {}).get(name) or {}
        return (None if own.get("label") else derived_label(self, name)) or super().arm(name)

    @property
    def compared(self) -> bool:
        return self.effects is not None and not self.effects.empty

    # ------------------------------------------------------------------ summary
    def verdict(self, direction: str) -> str:
        return self.t(f"verdict_{direction}")

    def effect_line(self, e) -> dict:
        d = N.direction(e.metric, e.difference, e.ci_low, e.ci_high)
        return {"metric": L.metric(e.metric, self.lang), "difference": N.metric_difference(e.difference, e.metric,
                                                                                           self.lang),
                "interval": N.interval(e.ci_low, e.ci_high, e.metric, self.lang, self.t("one_replicate")),
                "verdict": self.verdict(d), "direction": d}

    def top_effects(self, arm: str) -> list[dict]:
        """The arm's largest relative changes among the main outcomes, clear ones first."""
        rows = self.effects[(self.effects.arm == arm) & self.effects.metric.isin(MAIN_OUTCOMES)]
        ranked = []
        for e in rows.itertuples():
            d = N.direction(e.metric, e.difference, e.ci_low, e.ci_high)
            size = abs(e.difference) / max(abs(e.reference_mean), effect_unit(e.metric))
            ranked.append((d in ("better", "worse"), size, e))
        ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
        return [self.effect_line(e) for _, size, e in ranked[:SUMMARY_EFFECTS] if size > 0]

    def cost_line(self, arm: str) -> str:
        if self.costs is None or arm not in set(self.costs.arm):
            return ""
        c = self.costs.set_index("arm").loc[arm]
        return self.t("cost_line", yuan=N.value(c.yuan_per_year, "yuan"),
                      staff=N.value(c.staff_hours_per_year, "hours"),
                      volunteer=N.value(c.volunteer_hours_per_year, "hours"))

    def run_cost_line(self, arm: str) -> str:
        """A run's own policy spending a year (a run has no reference to pair against)."""
        ts = self.timeseries[self.timeseries.arm == arm]
        if self.weeks == 0:
            return ""
        last = ts[ts.week == ts.week.max()]
        years = self.weeks / 52.0
        return self.t("cost_line", yuan=N.value(last.policy_yuan_total.mean() / years, "yuan"),
                      staff=N.value(last.policy_staff_hours_total.mean() / years, "hours"),
                      volunteer=N.value(last.policy_volunteer_hours_total.mean() / years, "hours"))

    def constraint_line(self, arm: str) -> str:
        table = constraints_table(self.timeseries[self.timeseries.arm == arm])
        if table.empty:
            return self.t("constraints_not_recorded")
        shares = table.set_index("pool").weeks_binding_share
        bound = binding(table, arm)
        return ("; ".join(self.t("constraint_item", pool=self.t(f"pool_{pool}"), share=f"{shares[pool]:.0%}")
                          for pool in bound) if bound else self.t("constraints_none"))

    def level_line(self, arm: str, metric: str) -> dict:
        values = self.summary[(self.summary.arm == arm) & (self.summary.metric == metric)]["final_year_mean"]
        spread = _quantiles(values, metric) if len(values) > 1 else self.t("one_replicate")
        return {"metric": L.metric(metric, self.lang), "value": N.metric_value(values.mean(), metric),
                "interval": spread}

    def summary_context(self) -> dict:
        sc = self.scenario
        reference = self.effects.reference.iloc[0] if self.compared else None
        years = f"{self.weeks / 52:.1f}".rstrip("0").rstrip(".")
        arms = []
        for arm in self.arms:
            entry = {"name": arm, "label": self.arm(arm), "reference": arm == reference, "effects": [],
                     "levels": [], "constraints": self.constraint_line(arm)}
            if self.compared and arm != reference:
                entry["effects"] = self.top_effects(arm)
                entry["cost"] = self.cost_line(arm)
            else:
                entry["cost"] = self.run_cost_line(arm)
                if not self.compared:
                    entry["levels"] = [self.level_line(arm, m) for m in RUN_OUTCOMES]
            arms.append(entry)
        labels = ", ".join(self.arm(a) for a in self.arms)
        if self.compared:
            lead = self.t("summary_compare", arms=labels, reference=self.arm(reference),
                          scenario=self.text(sc, "title") or sc["name"], reps=self.reps, years=years, weeks=self.weeks)
        else:
            lead = self.t("summary_run", arms=labels, scenario=self.text(sc, "title") or sc["name"], reps=self.reps,
                          years=years, weeks=self.weeks)
        return {"lead": lead, "arms": arms, "rests_on": self.rests_on(),
                "effect_note": self.t("summary_effect_note", reps=self.reps) if self.compared else
                self.t("summary_level_note")}

    def rests_on(self) -> list[str]:
        sc, lines = self.scenario, []
        record = validation_record(sc["name"])
        if record is None:
            lines.append(self.t("validation_none", name=sc["name"]))
        else:
            passed, total, reps = record
            key = "validation_all" if passed == total else "validation_some"
            lines.append(self.t(key, passed=passed, total=total, reps=reps))
        if sc.get("extends"):
            lines.append(self.t("extends_note", parent=sc["extends"]))
        if self.compared:
            lines.append(self.t("crn_compare"))
        lines.append(self.t("status_line", status=self.status(self.manifest["status"])))
        return lines

    # ------------------------------------------------------------------ details
    def key_numbers(self) -> dict:
        rows = []
        for metric in dict.fromkeys(self.summary["metric"]):
            cells = [L.metric(metric, self.lang)]
            column = "final" if cumulative(metric) else "final_year_mean"
            for arm in self.arms:
                v = self.summary[(self.summary.arm == arm) & (self.summary.metric == metric)][column]
                spread = _quantiles(v, metric) if len(v) > 1 else ""
                cells.append({"text": N.metric_value(v.mean(), metric), "sub": spread, "cls": ""})
            rows.append(cells)
        frame = pd.DataFrame(rows, columns=[self.t("metric")] + [self.arm(a) for a in self.arms])
        caption = self.t("key_caption") if self.reps > 1 else self.t("key_caption_one")
        return {"table": table(frame), "caption": caption + " " + self.t("cumulative_note")}

    def marks(self) -> dict[str, list[tuple[int, int | None]]]:
        """Arm -> (start, end) of each policy it runs (the scenario's and its own)."""
        common = self.scenario.get("policies") or []
        arms = self.scenario.get("arms") or {}
        return {arm: [(p["start_week"], p["end_week"]) for p in common + ((arms.get(arm) or {}).get("policies") or [])]
                for arm in self.arms}

    def shock_periods(self) -> dict[str, list[tuple[int, int]]]:
        """Arm -> (start, end) of each shock it had (shocks.csv), shaded on the series."""
        if self.shocks is None or self.shocks.empty:
            return {}
        return {arm: list(dict.fromkeys(zip(rows.start_week, rows.end_week, strict=True)))
                for arm, rows in self.shocks.groupby("arm", sort=False)}

    def series(self) -> dict:
        fig = series_figure(self.timeseries, self.lang, marks=self.marks(), arm_label=self.arm,
                            shocks=self.shock_periods())
        names = "; ".join(L.metric(m, self.lang) for m in MAIN_SERIES)
        return {"figure": self.figure(fig, "timeseries", names), "caption": self.t("series_caption")}

    def shocks_context(self) -> dict | None:
        """Arm x shock: peak unmet needs, weeks to recover and disputes during it, over replicates."""
        if self.shocks is None or self.shocks.empty:
            return None
        rows = []
        for (arm, _), runs in self.shocks.groupby(["arm", "shock"], sort=False):
            first = runs.iloc[0]
            recovered = runs[runs.recovered.astype(bool)]
            recover = (f"{N.value(recovered.weeks_to_recover.mean(), 'count')} "
                       f"({self.t('recovered_of', recovered=len(recovered), runs=len(runs))})"
                       if len(recovered) else self.t("not_recovered"))
            rows.append({self.t("arm"): self.arm(arm), self.t("shock"): L.shock(first.type, self.lang),
                         self.t("shock_weeks"): f"{first.start_week}-{first.end_week}",
                         self.t("peak_unmet"): self._spread(runs.peak_unmet, "unmet_needs_share"),
                         self.t("weeks_to_recover"): recover,
                         self.t("disputes_during"): self._spread(runs.disputes_during, "disputes_new")})
        caption = self.t("shocks_caption", after=PEAK_AFTER, tolerance=f"{100 * RECOVERY_TOLERANCE:g}", pre=PRE_WEEKS)
        return {"table": table(pd.DataFrame(rows)), "caption": caption}

    def _spread(self, values: pd.Series, metric: str) -> str:
        """The mean of a shock outcome over replicates, with its [10th, 90th] percentiles."""
        mean = N.metric_value(values.mean(), metric)
        return f"{mean} {_quantiles(values, metric)}" if len(values) > 1 else mean

    def effects_context(self) -> dict | None:
        if not self.compared:
            return None
        e = self.effects
        reference, reps = e.reference.iloc[0], int(e.reps.iloc[0])
        arms = list(dict.fromkeys(e.arm))
        rows = []
        for metric in MAIN_OUTCOMES:
            cells = [L.metric(metric, self.lang)]
            for arm in arms:
                r = e[(e.arm == arm) & (e.metric == metric)].iloc[0]
                line = self.effect_line(r)
                cells.append({"text": line["difference"], "sub": line["interval"], "cls": line["direction"]})
            rows.append(cells)
        frame = pd.DataFrame(rows, columns=[self.t("metric")] + [self.arm(a) for a in arms])
        forest = self.figure(forest_figure(e, MAIN_OUTCOMES, self.lang, self.arm), "effects", self.t("forest_title"))
        caption = self.t("effects_caption", reps=reps) if reps > 1 else self.t("effects_caption_one")
        return {"reference": self.arm(reference), "figure": forest, "caption": caption, "table": table(frame),
                "cost": self.cost_context()}

    def cost_effectiveness(self) -> pd.DataFrame:
        """Arm x main outcome: improvement a year per 10,000 yuan and per 100 staff hours."""
        costs = self.costs.set_index("arm")
        rows = []
        for arm in costs.index:
            for metric in MAIN_OUTCOMES:
                e = self.effects[(self.effects.arm == arm) & (self.effects.metric == metric)].iloc[0]
                gain = improvement(e) / effect_unit(metric)
                yuan, hours = costs.loc[arm, "yuan_per_year"], costs.loc[arm, "staff_hours_per_year"]
                rows.append({"arm": arm, "metric": metric,
                             "per_10k_yuan": gain / (yuan / 1e4) if yuan > 0 else np.nan,
                             "per_100_hours": gain / (hours / 100) if hours > 0 else np.nan})
        return pd.DataFrame(rows)

    def cost_context(self) -> dict | None:
        if self.costs is None or self.costs.empty:
            return None
        ce = self.cost_effectiveness()
        chart = self.figure(cost_effect_figure(ce, self.lang, self.arm), "cost_effectiveness", self.t("ce_title"))
        money = pd.DataFrame({self.t("arm"): [self.arm(a) for a in self.costs.arm],
                              self.t("yuan_per_year"): [N.value(v, "yuan") for v in self.costs.yuan_per_year],
                              self.t("staff_hours_per_year"): [N.value(v, "hours")
                                                               for v in self.costs.staff_hours_per_year],
                              self.t("volunteer_hours_per_year"): [N.value(v, "hours")
                                                                   for v in self.costs.volunteer_hours_per_year]})
        return {"caption": self.t("cost_caption"), "money": table(money), "figure": chart,
                "per_yuan": self.ratio_table(ce, "per_10k_yuan"), "per_hour": self.ratio_table(ce, "per_100_hours")}

    def ratio_table(self, ce: pd.DataFrame, column: str) -> dict:
        """Main outcome x arm: one cost-effectiveness ratio (a dash where the effect is not clear)."""
        wide = ce.pivot(index="metric", columns="arm", values=column).reindex(list(MAIN_OUTCOMES))
        wide = wide[list(dict.fromkeys(ce.arm))]
        frame = wide.map(lambda v: f"{v:,.2f}" if np.isfinite(v) else N.DASH)
        frame.index = [L.metric(m, self.lang) for m in frame.index]
        frame.columns = [self.arm(a) for a in frame.columns]
        return table(frame.rename_axis(self.t(column)).reset_index())

    def network(self) -> dict | None:
        if not self.snapshots:
            return None
        first = self.arms[0]
        weeks = sorted(w for a, w in self.snapshots if a == first)
        panels = [(f"{self.arm(first)}, {self.t('week')} {weeks[0]}", self.snapshots[(first, weeks[0])])]
        panels += [(f"{self.arm(a)}, {self.t('week')} {w}", self.snapshots[(a, w)])
                   for a in self.arms for w in sorted(w for b, w in self.snapshots if b == a) if w != weeks[0]]
        sample = panels[0][1]
        caption = self.t("network_caption", buildings=np.unique(sample["building"]).size,
                         total=int(sample["buildings_total"][0]), n=sample["x"].size)
        return {"figure": self.figure(network_figure(panels, self.lang), "network", self.t("network")),
                "caption": caption}

    def page(self) -> str:
        sc, m = self.scenario, self.manifest
        version = m["environment"]["simgov"]
        runs = ", ".join(f"{self.arm(a)}: {n} {self.t('replicates')}"
                         for a, n in self.timeseries.groupby("arm", sort=False)["replicate"].nunique().items())
        meta = [f"simgov {version}", sc["name"], f"{self.weeks} {self.t('weeks')}", runs,
                f"{self.t('seed')} {sc['seed']}"]
        context = self.page_context(self.text(sc, "title") or sc["name"], self.t("report"), version,
                                    m.get("command", ""))
        return render("run.html.j2", **context, meta=meta, summary=self.summary_context(),
                      effects=self.effects_context(), shocks=self.shocks_context(),
                      interactions=interactions_context(self, self.interactions),
                      factorial=factorial_context(self, self.factorial), key_numbers=self.key_numbers(),
                      series=self.series(),
                      network=self.network(), scenario=scenario_context(self, set(self.arms)),
                      final_year_weeks=FINAL_YEAR_WEEKS)
