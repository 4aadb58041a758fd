"""The report of a sweep folder: the experiment, its runs, responses, sensitivity, discovery.

Reads ``manifest.json``, ``design.csv`` and what ``simgov.analysis.analyse_sweep`` wrote
(``points.csv``, ``sensitivity.csv``, ``discovery.csv``, ``prim.csv``); the base scenario is
described as in every report. The summary at the top says what was swept, how many runs
finished, which factor matters most for each outcome and the best boxes of scenario discovery
(the tree's and PRIM's).
"""

from __future__ import annotations

import pandas as pd

from simgov.analysis.discovery import PRIM_MIN_COVERAGE, chosen_box
from simgov.experiment.store import RunStore
from simgov.report import labels as L
from simgov.report.base import ReportBase, render, table
from simgov.report.scenario_text import scenario_context
from simgov.report.sweep_figures import INDICES, discovery_figure, prim_figure, response_figure, sensitivity_figure

MAX_FAILED_SHOWN = 10
#: The index that ranks factors per method, for the summary.
RANK_BY = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}


class SweepReport(ReportBase):
    def __init__(self, folder, lang):
        super().__init__(folder, lang)
        self.experiment = self.manifest["experiment"]
        self.points = self._csv("points.csv")
        self.sensitivity = self._csv("sensitivity.csv")
        self.discovery = self._csv("discovery.csv")
        self.prim = self._csv("prim.csv")
        self.labels = {f["path"]: f.get("label") or ".".join(f["path"].split(".")[-2:])
                       for f in self.experiment["factors"]}

    def factor(self, path: str) -> str:
        return self.labels.get(path, path)

    def summary_context(self) -> dict:
        e, d, runs = self.experiment, self.manifest["design"], self.manifest.get("runs", {})
        lines = [self.t("sweep_summary", factors=", ".join(self.factor(f["path"]) for f in e["factors"]),
                        scenario=self.text(self.scenario, "title") or self.scenario["name"], points=d["points"],
                        reps=d["replicates"], weeks=d["weeks"], ok=runs.get("ok", 0), total=runs.get("total", 0))]
        s = self.sensitivity
        if s is not None and len(s):
            col = RANK_BY[s["method"].iloc[0]]
            for outcome, rows in s.groupby("outcome", sort=False):
                top = rows.sort_values(col, ascending=False).iloc[0]
                lines.append(self.t("sweep_top_factor", outcome=L.metric(outcome, self.lang),
                                    factor=self.factor(top.factor), index=col, value=f"{top[col]:.2f}"))
        boxes = self.discovery
        if boxes is not None and len(boxes):
            best = boxes.iloc[0]
            lines.append(self.t("sweep_best_box", rule=self.rule(best.rule), coverage=f"{best.coverage:.0%}",
                                density=f"{best.density:.0%}"))
        best = chosen_box(self.prim)
        if best is not None:
            lines.append(self.t("sweep_prim_box", rule=self.rule(best.rule), coverage=f"{best.coverage:.0%}",
                                density=f"{best.density:.0%}"))
        return {"lines": lines}

    def rule(self, text: str) -> str:
        for path in sorted(self.labels, key=len, reverse=True):
            text = text.replace(path, self.factor(path))
        return text

    def experiment_context(self) -> dict:
        e, d = self.experiment, self.manifest["design"]
        rows = []
        for f in e["factors"]:
            if f.get("values") is not None:
                span = ", ".join(map(str, f["values"]))
            else:
                span = f"{f['low']} – {f['high']}" + (f" ({f['levels']} {self.t('levels')})" if f.get("levels") else "")
            rows.append((self.factor(f["path"]), f["path"], span))
        factors = pd.DataFrame(rows, columns=[self.t("factor"), self.t("path"), self.t("range")])
        design = self.t("design_line", method=e["design"]["method"], points=d["points"], reps=d["replicates"],
                        runs=d["runs"], weeks=d["weeks"], stat=L.t(f"stat_{d['statistic']}", self.lang))
        return {"description": self.text(e, "description"), "design": design, "factors": table(factors, 3)}

    def runs_context(self) -> dict:
        runs = self.manifest.get("runs", {})
        sessions = pd.DataFrame([(s["session"], s["executor"], s.get("workers", ""), s["runs_done"], s["failed"],
                                  s.get("seconds", ""), s["status"]) for s in self.manifest["sessions"]],
                                columns=[self.t("session"), self.t("executor"), self.t("workers"),
                                         self.t("runs"), self.t("failed"), self.t("seconds"), self.t("status")])
        text = self.t("runs_line", ok=runs.get("ok", 0), total=runs.get("total", 0), failed=runs.get("failed", 0),
                      missing=runs.get("missing", 0))
        failed = None
        if runs.get("failed"):
            frame = RunStore(self.folder, 0).read(columns=["point", "replicate", "seed", "status", "error"])
            failed = table(frame[frame.status != "ok"].head(MAX_FAILED_SHOWN).drop(columns="status"), 4)
        return {"text": text, "sessions": table(sessions, 2), "failed": failed}

    def response_context(self) -> dict | None:
        if self.points is None or not len(self.points):
            return None
        outcomes = [o for o in self.experiment["outcomes"] if f"mean:{o}" in self.points]
        factors = [f["path"] for f in self.experiment["factors"]]
        fig = response_figure(self.points, factors, outcomes, self.lang, self.factor)
        return {"figure": self.figure(fig, "sweep-response", self.t("response")),
                "caption": self.t("response_caption", reps=self.manifest["design"]["replicates"])}

    def sensitivity_context(self) -> dict:
        notes = (self.manifest.get("analysis") or {}).get("notes", [])
        s = self.sensitivity
        if s is None or not len(s):
            return {"notes": notes, "figure": None}
        method = s["method"].iloc[0]
        cols = [c for spec in INDICES[method] for c in spec[:2] if c]
        shown = s.assign(outcome=[L.metric(o, self.lang) for o in s.outcome],
                         factor=[self.factor(f) for f in s.factor])[["outcome", "factor", *cols]]
        shown[cols] = shown[cols].astype(float).map(lambda v: f"{v:.3f}")
        return {"notes": notes, "figure": self.figure(sensitivity_figure(s, self.lang, self.factor), "sensitivity",
                                                      self.t("sensitivity")),
                "caption": self.t(f"sens_caption_{method}"), "table": table(shown, 2)}

    def discovery_context(self) -> dict | None:
        boxes, analysis = self.discovery, self.manifest.get("analysis") or {}
        if boxes is None:
            return None
        caption = self.t("discovery_caption", conditions=" & ".join(analysis.get("discovery", [])),
                         good=analysis.get("good_points", 0))
        prim = self.prim_context()
        if not len(boxes):
            return {"caption": caption, "figure": None, "prim": prim}
        factors = [f["path"] for f in self.experiment["factors"]]
        fig = discovery_figure(self.points, boxes, factors, self.lang, self.factor)
        shown = boxes[["box", "rule", "coverage", "density", "points"]].copy()
        shown["rule"] = shown["rule"].map(self.rule)
        shown[["coverage", "density"]] = (shown[["coverage", "density"]] * 100).round(0).astype(int).astype(str) + "%"
        shown.columns = [self.t(c) for c in shown.columns]
        return {"caption": caption, "figure": self.figure(fig, "discovery", self.t("discovery")),
                "table": table(shown, 2), "prim": prim}

    def prim_context(self) -> dict:
        """PRIM's trajectory figure and its chosen box's limits, or why there is none."""
        if self.prim is None:
            return {"skipped": f"simgov sweep {self.manifest.get('experiment_file') or 'EXPERIMENT'} "
                               f"--out {self.folder} --resume"}
        best = chosen_box(self.prim)
        if best is None:
            return {"none": True}
        factors = [f["path"] for f in self.experiment["factors"]]
        limits = pd.DataFrame([(self.factor(f), f"{best[f'low:{f}']:.4g}", f"{best[f'high:{f}']:.4g}")
                               for f in factors if pd.notna(best[f"low:{f}"])],
                              columns=[self.t("factor"), self.t("low"), self.t("high")])
        stats = self.t("sweep_prim_box", rule=self.rule(best.rule), coverage=f"{best.coverage:.0%}",
                       density=f"{best.density:.0%}")
        return {"figure": self.figure(prim_figure(self.prim, self.lang), "prim", self.t("prim_title")),
                "caption": self.t("prim_caption", coverage=f"{PRIM_MIN_COVERAGE:.0%}"), "stats": stats,
                "table": table(limits, 1) if len(limits) else None}

    def page(self) -> str:
        e, m, d = self.experiment, self.manifest, self.manifest["design"]
        last = m["sessions"][-1] if m["sessions"] else {}
        version = last.get("environment", {}).get("simgov", "")
        meta = [f"simgov {version}", e["name"], self.scenario["name"], e["design"]["method"],
                f"{d['points']:,} {self.t('points')} × {d['replicates']} {self.t('replicates')}",
                f"{d['weeks']} {self.t('weeks')}", f"{self.t('seed')} {d['seed']}",
                f"{self.t('status')}: {self.status(m['status'])}"]
        resume = f"simgov sweep {m.get('experiment_file') or 'EXPERIMENT'} --out {self.folder} --resume"
        context = self.page_context(self.text(e, "title") or e["name"], self.t("sweep_report"), version,
                                    last.get("command", ""))
        return render("sweep.html.j2", **context, meta=meta, summary=self.summary_context(),
                      experiment=self.experiment_context(), runs=self.runs_context(),
                      response=self.response_context(), sensitivity=self.sensitivity_context(),
                      discovery=self.discovery_context(), resume=resume,
                      scenario=scenario_context(self, {e.get("arm") or "baseline"}))
