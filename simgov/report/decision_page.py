"""The report of a comparison under parameter uncertainty (``simgov compare --uncertainty``).

The answer first: what was compared over how many parameter draws; for each main outcome,
in plain words, the arm most likely to be best and with what probability, and the parameter
the decision is most sensitive to (simgov.report.decision_text); each arm's largest effects
with intervals covering parameter and replicate uncertainty. Then: the effects (table and
forest plot) and costs as in an ordinary comparison (simgov.report.run_page), the decision
table, the cost-effectiveness acceptability curves, the EVPPI table, and the scenario.
"""

from __future__ import annotations

import pandas as pd

from simgov.experiment.compare import MAIN_OUTCOMES
from simgov.report import labels as L
from simgov.report.base import ReportBase, render, table
from simgov.report.decision_figures import ceac_figure
from simgov.report.decision_text import decision_lines
from simgov.report.run_page import RunReport
from simgov.report.scenario_text import scenario_context
from simgov.report.validation_status import validation_record

#: Parameters the EVPPI table shows per outcome.
EVPPI_SHOWN = 5


class DecisionReport(RunReport):
    """A folder written by ``simgov.uncertainty.output``: no weekly series, but draws and decisions."""

    def __init__(self, folder, lang):
        ReportBase.__init__(self, folder, lang)  # no timeseries.csv: the runs are summarised per draw
        self.summary = None
        self.effects, self.costs = self._csv("effects.csv"), self._csv("costs.csv")
        self.decision, self.ceac, self.evppi = self._csv("decision.csv"), self._csv("ceac.csv"), self._csv("evppi.csv")
        self.arms = list(self.manifest["arms"])
        self.reps, self.weeks = int(self.manifest["replicates"]), int(self.manifest["weeks"])
        self.uncertainty = self.manifest["uncertainty"]

    def source_words(self) -> str:
        source = self.uncertainty["source"]
        return self.t("source_prior") if source == "prior" else self.t("source_posterior", file=source)

    def summary_context(self) -> dict:
        sc, reference = self.scenario, self.arms[0]
        years = f"{self.weeks / 52:.1f}".rstrip("0").rstrip(".")
        lead = self.t("decision_lead", arms=", ".join(self.arm(a) for a in self.arms), reference=self.arm(reference),
                      scenario=self.text(sc, "title") or sc["name"], draws=self.uncertainty["draws"],
                      source=self.source_words(), reps=self.reps, years=years, weeks=self.weeks)
        arms = [{"name": a, "label": self.arm(a), "effects": self.top_effects(a), "cost": self.cost_line(a)}
                for a in self.arms[1:]]
        return {"lead": lead, "lines": decision_lines(self.decision, self.evppi, self.lang, self.arm), "arms": arms,
                "rests_on": self.rests_on()}

    def rests_on(self) -> list[str]:
        lines = []
        record = validation_record(self.scenario["name"])
        if record is None:
            lines.append(self.t("validation_none", name=self.scenario["name"]))
        else:
            passed, total, reps = record
            lines.append(self.t("validation_all" if passed == total else "validation_some", passed=passed,
                                total=total, reps=reps))
        lines += [self.t("crn_draws"), self.t("interval_both"),
                  self.t("status_line", status=self.status(self.manifest["status"]))]
        return lines

    def decision_context(self) -> dict:
        """Main outcome x arm: P(best), with P(better than the reference) beneath."""
        reference = self.arms[0]
        rows = []
        for metric in MAIN_OUTCOMES:
            mine = self.decision[self.decision.metric == metric].set_index("arm")
            cells = [L.metric(metric, self.lang)]
            for arm in self.arms:
                r = mine.loc[arm]
                sub = "" if arm == reference else self.t("p_beats", reference=self.arm(reference)) + \
                    f" {r.p_beats_reference:.2f}"
                cells.append({"text": f"{r.p_best:.2f}", "sub": sub, "cls": ""})
            rows.append(cells)
        frame = pd.DataFrame(rows, columns=[self.t("p_best")] + [self.arm(a) for a in self.arms])
        return {"table": table(frame), "caption": self.t("decision_caption")}

    def ceac_context(self) -> dict:
        fig = ceac_figure(self.ceac, self.lang, self.arm)
        return {"figure": self.figure(fig, "ceac", self.t("ceac_title")), "caption": self.t("ceac_caption")}

    def evppi_context(self) -> dict:
        rows = []
        for outcome in MAIN_OUTCOMES:
            mine = self.evppi[self.evppi.outcome == outcome].sort_values("evppi", ascending=False).head(EVPPI_SHOWN)
            rows += [(L.metric(outcome, self.lang), r.parameter, f"{r.evppi:,.0f}", f"{r.share_of_evpi:.0%}")
                     for r in mine.itertuples()]
        frame = pd.DataFrame(rows, columns=[self.t("outcome"), self.t("parameter"), self.t("evppi"),
                                            self.t("share_of_evpi")])
        yuan = f"{self.uncertainty['yuan_per_unit']:,.0f}"
        return {"table": table(frame, numeric_from=2),
                "caption": self.t("evppi_caption", yuan=yuan, n=EVPPI_SHOWN)}

    def page(self) -> str:
        sc, m = self.scenario, self.manifest
        version = m["environment"]["simgov"]
        meta = [f"simgov {version}", sc["name"], f"{self.weeks} {self.t('weeks')}",
                f"{self.uncertainty['draws']} × {self.reps} {self.t('replicates')}", f"{self.t('seed')} {sc['seed']}"]
        context = self.page_context(self.text(sc, "title") or sc["name"], self.t("decision_report"), version,
                                    m.get("command", ""))
        return render("decision.html.j2", **context, meta=meta, summary=self.summary_context(),
                      effects=self.effects_context(), decision=self.decision_context(), ceac=self.ceac_context(),
                      evppi=self.evppi_context(), scenario=scenario_context(self, set(self.arms)))
