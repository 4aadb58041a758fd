"""The report of a sweep folder: the experiment, its runs, responses, sensitivity, discovery.

Reads ``manifest.json``, ``design.csv`` and what ``simgov.analysis.analyse_sweep`` wrote
(``points.csv``, ``sensitivity.csv``, ``discovery.csv``); the base scenario is described as
in every report.
"""

from __future__ import annotations

import pandas as pd

from simgov.experiment.store import RunStore
from simgov.report import labels as L
from simgov.report.html import _e, _Report, _table
from simgov.report.sweep_figures import INDICES, discovery_figure, response_figure, sensitivity_figure

MAX_FAILED_SHOWN = 10


class SweepReport(_Report):
    def __init__(self, folder, lang):
        super().__init__(folder, lang)
        self.experiment = self.manifest["experiment"]
        self.points = self._csv("points.csv")
        self.labels = {f["path"]: f.get("label") or ".".join(f["path"].split(".")[-2:])
                       for f in self.experiment["factors"]}

    def factor(self, path: str) -> str:
        return self.labels.get(path, path)

    def experiment_section(self) -> str:
        e, d = self.experiment, self.manifest["design"]
        rows = []
        for f in e["factors"]:
            if f.get("values") is not None:
                span = ", ".join(map(str, f["values"]))
            else:
                span = f"{f['low']} – {f['high']}" + (f" ({f['levels']} {self.t('levels')})" if f.get("levels") else "")
            rows.append((self.factor(f["path"]), f["path"], span))
        factors = pd.DataFrame(rows, columns=[self.t("factor"), self.t("path"), self.t("range")])
        design = self.t("design_line").format(method=e["design"]["method"], points=d["points"],
                                              reps=d["replicates"], runs=d["runs"], weeks=d["weeks"],
                                              stat=L.t(f"stat_{d['statistic']}", self.lang))
        return f"""
<h2>{self.t('experiment')}</h2>
<p>{_e(e.get('description', ''))}</p>
<p>{_e(design)} {self.t('crn_note')}</p>
{_table(factors)}"""

    def runs_section(self) -> str:
        runs = self.manifest.get("runs", {})
        sessions = pd.DataFrame([(s["session"], s["executor"], s.get("workers", ""), s["runs_done"], s["failed"],
                                  s.get("seconds", ""), s["status"]) for s in self.manifest["sessions"]],
                                columns=[self.t("session"), self.t("executor"), self.t("workers"),
                                         self.t("runs"), self.t("failed"), self.t("seconds"), self.t("status")])
        text = self.t("runs_line").format(ok=runs.get("ok", 0), total=runs.get("total", 0),
                                          failed=runs.get("failed", 0), missing=runs.get("missing", 0))
        failed = ""
        if runs.get("failed"):
            table = RunStore(self.folder, 0).read(columns=["point", "replicate", "seed", "status", "error"])
            bad = table[table.status != "ok"].head(MAX_FAILED_SHOWN).drop(columns="status")
            failed = f"<p>{self.t('failed_runs')}</p>{_table(bad)}"
        return f"<h2>{self.t('runs_heading')}</h2><p>{_e(text)}</p>{_table(sessions)}{failed}"

    def response_section(self) -> str:
        if self.points is None or not len(self.points):
            return ""
        outcomes = [o for o in self.experiment["outcomes"] if f"mean:{o}" in self.points]
        factors = [f["path"] for f in self.experiment["factors"]]
        fig = response_figure(self.points, factors, outcomes, self.lang, self.factor)
        caption = self.t("response_caption").format(reps=self.manifest["design"]["replicates"])
        return (f"<h2>{self.t('response')}</h2>{self.figure(fig, 'sweep-response', self.t('response'))}"
                f"<p class='caption'>{_e(caption)}</p>")

    def sensitivity_section(self) -> str:
        notes = (self.manifest.get("analysis") or {}).get("notes", [])
        note_list = "".join(f"<li>{_e(n)}</li>" for n in notes)
        table = self.sensitivity
        if table is None or not len(table):
            return (f"<h2>{self.t('sensitivity')}</h2><p>{self.t('no_indices')}</p>"
                    + (f"<ul>{note_list}</ul>" if note_list else ""))
        method = table["method"].iloc[0]
        fig = sensitivity_figure(table, self.lang, self.factor)
        cols = [c for spec in INDICES[method] for c in spec[:2] if c]
        shown = table.assign(outcome=[L.metric(o, self.lang) for o in table.outcome],
                             factor=[self.factor(f) for f in table.factor])[["outcome", "factor", *cols]]
        shown[cols] = shown[cols].astype(float).round(3)
        return f"""
<h2>{self.t('sensitivity')}</h2>
{self.figure(fig, 'sensitivity', self.t('sensitivity'))}
<p class="caption">{_e(self.t(f'sens_caption_{method}'))}</p>
{_table(shown)}
{f"<p><b>{self.t('notes')}.</b></p><ul>{note_list}</ul>" if note_list else ''}"""

    def discovery_section(self) -> str:
        boxes, analysis = self.discovery, self.manifest.get("analysis") or {}
        if boxes is None:
            return ""
        conditions = " & ".join(analysis.get("discovery", []))
        caption = self.t("discovery_caption").format(conditions=conditions, good=analysis.get("good_points", 0))
        head = f"<h2>{self.t('discovery')}</h2><p>{_e(caption)}</p>"
        if not len(boxes):
            return head + f"<p>{self.t('no_boxes')}</p>"
        factors = [f["path"] for f in self.experiment["factors"]]
        fig = discovery_figure(self.points, boxes, factors, self.lang, self.factor)
        shown = boxes[["box", "rule", "coverage", "density", "points"]].copy()
        for path in sorted(factors, key=len, reverse=True):
            shown["rule"] = shown["rule"].str.replace(path, self.factor(path), regex=False)
        shown[["coverage", "density"]] = (shown[["coverage", "density"]] * 100).round(0).astype(int).astype(str) + "%"
        shown.columns = [self.t(c) for c in shown.columns]
        return head + self.figure(fig, "discovery", self.t("discovery")) + _table(shown)

    def page(self) -> str:
        e, m, d = self.experiment, self.manifest, self.manifest["design"]
        body = "\n".join([self.experiment_section(), self.runs_section(), self.response_section(),
                          self.sensitivity_section(), self.discovery_section(), self.scenario_section()])
        last = m["sessions"][-1] if m["sessions"] else {}
        version = last.get("environment", {}).get("simgov", "")
        meta = (f"simgov {_e(version)} · <code>{_e(e['name'])}</code> · {_e(self.scenario['name'])} · "
                f"{_e(e['design']['method'])} · {d['points']:,} {self.t('points')} × {d['replicates']} "
                f"{self.t('replicates')} · {d['weeks']} {self.t('weeks')} · {self.t('seed')} {d['seed']} · "
                f"{self.t('status')}: {_e(m['status'])}")
        resume = f"simgov sweep {m.get('experiment_file') or 'EXPERIMENT'} --out {self.folder} --resume"
        after = f'\n<p class="muted">{self.t("resume_note")} <code>{_e(resume)}</code></p>'
        return self.document(e.get("title") or e["name"], self.t("sweep_report"), meta, body, version,
                             last.get("command", ""), after)
