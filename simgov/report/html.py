"""A self-contained HTML report of a results folder, in English or Chinese.

``build_report(folder, lang)`` reads what a run or a comparison wrote (``manifest.json``,
``timeseries.csv``, ``summary.csv``, and where present ``effects.csv``, ``costs.csv``,
``network.npz``), or a sweep (``simgov.report.sweep_page``), draws the figures
(PNG files in ``figures/`` for slides; SVG with text kept as text inside the report, so
the reader's browser draws the labels with its own fonts), and writes ``report.html``,
which needs no network to open, send or print. ``simgov report DIR`` calls it again
without rerunning anything.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simgov.experiment.output import atomic_write, read_snapshots
from simgov.report import labels as L
from simgov.report.figures import (
    MAIN_SERIES,
    cost_effect_figure,
    forest_figure,
    network_figure,
    save,
    series_figure,
)
from simgov.report.style import CSS_FONTS, cjk_font, rc

_STYLE = f"""
body{{font-family:{CSS_FONTS};max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}}
h1{{font-size:1.6em}}h2{{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}}
table{{border-collapse:collapse;font-size:.92em}}td,th{{padding:.25em .7em;border-bottom:1px solid #eee;
text-align:right}}td:first-child,th:first-child{{text-align:left}}img{{max-width:100%}}
.caption{{font-size:.88em;color:#555}}.muted{{color:#777}}
@media print{{body{{max-width:none}}h2{{break-after:avoid}}img{{break-inside:avoid}}}}
"""


def _e(x) -> str:
    return html.escape(str(x))


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}"


class _Report:
    """The report of one results folder in one language."""

    def __init__(self, folder: Path, lang: str):
        self.folder, self.lang = Path(folder), L.check_lang(lang)
        self.manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self.scenario = self.manifest["scenario"]
        self.timeseries = self._csv("timeseries.csv")
        self.summary = self._csv("summary.csv")
        self.effects = self._csv("effects.csv")
        self.costs = self._csv("costs.csv")
        self.sensitivity = self._csv("sensitivity.csv")
        self.discovery = self._csv("discovery.csv")
        self.snapshots = read_snapshots(self.folder / "network.npz")

    def _csv(self, name: str) -> pd.DataFrame | None:
        path = self.folder / name
        return pd.read_csv(path) if path.is_file() else None

    def t(self, key: str) -> str:
        return L.t(key, self.lang)

    def arm(self, name: str) -> str:
        """An arm's display name: its ``label_zh`` in Chinese if it has one, else ``labels.arm``."""
        spec = (self.scenario.get("arms") or {}).get(name) or {}
        if self.lang == "zh" and spec.get("label_zh"):
            return spec["label_zh"]
        return L.arm(name, self.lang)

    def figure(self, fig, name: str, alt: str) -> str:
        """Save ``fig`` as figures/NAME.png and return it embedded (as SVG) for the page."""
        png = self.folder / "figures" / f"{name}.png"
        with plt.rc_context(rc(self.lang)):  # svg.fonttype and dpi are read when saving
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", bbox_inches="tight")
            save(fig, png, "png")
        svg = buf.getvalue()
        return f'<img alt="{_e(alt)}" src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}">'

    # ------------------------------------------------------------------ sections
    def policy_list(self, policies) -> str:
        if not policies:
            return ""
        items = []
        for p in policies:
            params = ", ".join(f"{k} {v}" for k, v in p.items() if k not in ("type", "start_week", "end_week"))
            end = p["end_week"] if p["end_week"] is not None else self.t("end")
            items.append(f"<li><b>{_e(L.policy(p['type'], self.lang))}</b> (<code>{_e(p['type'])}</code>), "
                         f"{self.t('week')} {p['start_week']}–{_e(end)}: {_e(params)}</li>")
        return "<ul>" + "".join(items) + "</ul>"

    def scenario_section(self) -> str:
        sc, lang = self.scenario, self.lang
        c, a = sc["community"], sc["actors"]
        area = f" · {c['area_km2']} km²" if c.get("area_km2") else ""
        arms = sc.get("arms") or {}
        arm_list = "".join(f"<li><b>{_e(self.arm(k))}</b> (<code>{_e(k)}</code>): {_e(v.get('description', ''))}"
                           f"{self.policy_list(v.get('policies'))}</li>" for k, v in arms.items())
        sources = "".join(f"<li>{_e(s)}</li>" for s in sc.get("sources", []))
        if lang == "zh":
            community = (f"{c['residents']:,}名居民，{c['households']:,}户，{c['buildings']}栋楼，"
                         f"{c['grids']}个网格{area}。")
            actors = (f"社区干部{a['cadres']}名，在册党员{a['party_members_resident']}名、下沉党员"
                      f"{a['party_members_sunk']}名，社会工作者{a['social_workers']}名，稳定志愿者"
                      f"{a['steady_volunteers']}名（{a['volunteer_teams']}支队伍），居民自组织{a['self_organisations']}个，"
                      f"专业社会组织{a['professional_organisations']}个，捐赠方{a['donors']}个；年度预算"
                      f"{a['budget_yuan_per_year']:,.0f}元。")
        else:
            community = (f"{c['residents']:,} residents in {c['households']:,} households, {c['buildings']} "
                         f"buildings and {c['grids']} grids{area}.")
            actors = (f"{a['cadres']} committee cadres, {a['party_members_resident']} resident and "
                      f"{a['party_members_sunk']} sunk Party members, {a['social_workers']} social workers, "
                      f"{a['steady_volunteers']} steady volunteers in {a['volunteer_teams']} teams, "
                      f"{a['self_organisations']} self-organisations, {a['professional_organisations']} "
                      f"professional organisations, {a['donors']} donors; a yearly budget of "
                      f"{a['budget_yuan_per_year']:,.0f} yuan.")
        pol = self.policy_list(sc.get("policies")) or f"<p>{self.t('no_policies')}</p>"
        return f"""
<h2>{self.t('scenario')}</h2>
<p>{_e(sc.get('description', ''))}</p>
<p><b>{self.t('community')}.</b> {_e(community)}</p>
<p><b>{self.t('actors')}.</b> {_e(actors)}</p>
<p><b>{self.t('policies_all')}.</b></p>{pol}
{f"<p><b>{self.t('arms')}.</b></p><ul>{arm_list}</ul>" if arm_list else ''}
<p><b>{self.t('sources')}.</b></p><ul>{sources}</ul>"""

    def key_numbers(self) -> str:
        s = self.summary.groupby(["metric", "arm"], sort=False)["final_year_mean"]
        stats = s.agg(["mean", lambda x: x.quantile(0.1), lambda x: x.quantile(0.9)])
        stats.columns = ["mean", "p10", "p90"]
        cells = stats.apply(lambda r: f"{_fmt(r['mean'])} [{_fmt(r['p10'])}, {_fmt(r['p90'])}]", axis=1)
        table = cells.unstack("arm")
        table = table[[a for a in dict.fromkeys(self.summary["arm"])]]
        table = table.reindex(list(dict.fromkeys(self.summary["metric"])))
        table.index = [L.metric(m, self.lang) for m in table.index]
        table.columns = [self.arm(a) for a in table.columns]
        table = table.rename_axis(self.t("metric")).reset_index()
        return f"""
<h2>{self.t('key_numbers')}</h2>
<p class="caption">{self.t('key_caption')}</p>
{_table(table)}"""

    def marks(self) -> dict[str, list[tuple[int, int | None]]]:
        """Arm -> (start, end) of each policy it runs (the scenario's and its own)."""
        common = self.scenario.get("policies") or []
        arms = self.scenario.get("arms") or {}
        out = {}
        for arm in dict.fromkeys(self.timeseries["arm"]):
            policies = common + ((arms.get(arm) or {}).get("policies") or [])
            out[arm] = [(p["start_week"], p["end_week"]) for p in policies]
        return out

    def series_section(self) -> str:
        fig = series_figure(self.timeseries, self.lang, marks=self.marks(), arm_label=self.arm)
        names = "; ".join(L.metric(m, self.lang) for m in MAIN_SERIES)
        return f"""
<h2>{self.t('over_time')}</h2>
{self.figure(fig, 'timeseries', names)}
<p class="caption">{self.t('series_caption')}</p>"""

    def effects_section(self) -> str:
        if self.effects is None or self.effects.empty:
            return ""
        from simgov.experiment.compare import MAIN_OUTCOMES, effect_cells

        e = self.effects
        reference, reps = e.reference.iloc[0], int(e.reps.iloc[0])
        table = effect_cells(e, _fmt)
        table.index = [L.metric(m, self.lang) for m in table.index]
        table.columns = [self.arm(a) for a in table.columns]
        forest = self.figure(forest_figure(e, MAIN_OUTCOMES, self.lang, self.arm), "effects", self.t("forest_title"))
        return f"""
<h2>{self.t('effects')} {_e(self.arm(reference))}</h2>
{forest}
<p class="caption">{_e(self.t('effects_caption').format(reps=reps))}</p>
{_table(table.rename_axis(self.t('metric')).reset_index())}
{self.cost_section()}"""

    def cost_effectiveness(self) -> pd.DataFrame:
        """Arm x main outcome: improvement a year per 10,000 yuan and per 100 staff hours."""
        from simgov.experiment.compare import MAIN_OUTCOMES, effect_unit, improvement

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

    def cost_section(self) -> str:
        if self.costs is None or self.costs.empty:
            return ""
        lang = self.lang
        ce = self.cost_effectiveness()
        chart = self.figure(cost_effect_figure(ce, lang, self.arm), "cost_effectiveness", self.t("ce_title"))
        money = self.costs[["arm", "yuan_per_year", "staff_hours_per_year", "volunteer_hours_per_year"]].copy()
        money["arm"] = [self.arm(a) for a in money.arm]
        for col in money.columns[1:]:
            money[col] = money[col].map(_fmt)
        money.columns = [self.t("arm"), self.t("yuan_per_year"), self.t("staff_hours_per_year"),
                         self.t("volunteer_hours_per_year")]
        ce_table = ce.assign(arm=[self.arm(a) for a in ce.arm], metric=[L.metric(m, lang) for m in ce.metric],
                             per_10k_yuan=ce.per_10k_yuan.map(_fmt), per_100_hours=ce.per_100_hours.map(_fmt))
        ce_table.columns = [self.t("arm"), self.t("metric"), self.t("per_10k_yuan"), self.t("per_100_hours")]
        return f"""
<h3>{self.t('cost')}</h3>
<p class="caption">{self.t('cost_caption')}</p>
{_table(money)}
{chart}
{_table(ce_table)}"""

    def network_section(self) -> str:
        if not self.snapshots:
            return ""
        arms = list(dict.fromkeys(self.timeseries["arm"]))
        first = arms[0]
        weeks = sorted(w for a, w in self.snapshots if a == first)
        panels = [(f"{self.arm(first)}, {self.t('week')} {weeks[0]}", self.snapshots[(first, weeks[0])])]
        panels += [(f"{self.arm(a)}, {self.t('week')} {w}", self.snapshots[(a, w)])
                   for a in arms for w in sorted(w for b, w in self.snapshots if b == a) if w != weeks[0]]
        sample = panels[0][1]
        caption = self.t("network_caption").format(buildings=np.unique(sample["building"]).size,
                                                   total=int(sample["buildings_total"][0]), n=sample["x"].size)
        return f"""
<h2>{self.t('network')}</h2>
{self.figure(network_figure(panels, self.lang), 'network', self.t('network'))}
<p class="caption">{_e(caption)}</p>"""

    def document(self, title: str, heading: str, meta: str, body: str, version: str, command: str,
                 after: str = "") -> str:
        """The whole page around ``body``: head, title, a line of facts, and how to reproduce it."""
        font = cjk_font() if self.lang == "zh" else None
        return f"""<!doctype html>
<html lang="{'zh-CN' if self.lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="generator" content="simgov {_e(version)}">
<meta name="figure-font" content="{_e(font or 'DejaVu Sans')}">
<title>{_e(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{_e(title)} · {heading}</h1>
<p class="muted">{meta}</p>
{body}
<h2>{self.t('reproduce')}</h2>
<p><code>{_e(command)}</code></p>{after}
</body></html>
"""

    def page(self) -> str:
        sc, m = self.scenario, self.manifest
        reps = self.timeseries.groupby("arm", sort=False)["replicate"].nunique()
        weeks = int(self.timeseries["week"].max()) if len(self.timeseries) else 0
        runs = ", ".join(f"{_e(self.arm(k))}: {v} {self.t('replicates')}" for k, v in reps.items())
        version = m["environment"]["simgov"]
        meta = (f"simgov {_e(version)} · <code>{_e(sc['name'])}</code> · {weeks} {self.t('weeks')} · {runs} · "
                f"{self.t('seed')} {sc['seed']} · {self.t('status')}: {_e(m['status'])}")
        body = "\n".join([self.scenario_section(), self.key_numbers(), self.effects_section(),
                          self.series_section(), self.network_section()])
        return self.document(sc.get("title") or sc["name"], self.t("report"), meta, body, version,
                             m.get("command", ""))


def build_report(folder: Path, lang: str = "en") -> Path:
    """Write ``folder/report.html`` and ``folder/figures/*.png`` from the folder's results."""
    manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("kind") == "sweep":
        from simgov.report.sweep_page import SweepReport

        report = SweepReport(folder, lang)
    else:
        report = _Report(folder, lang)
    path = report.folder / "report.html"
    atomic_write(path, report.page())
    return path
