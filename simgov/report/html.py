"""A self-contained HTML report of a run folder (figures embedded, no network needed)."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from simgov.experiment.output import atomic_write
from simgov.report.figures import MAIN_SERIES, caption, png_bytes, series_figure

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.92em}td,th{padding:.25em .7em;border-bottom:1px solid #eee;
text-align:right}td:first-child,th:first-child{text-align:left}img{max-width:100%}
.caption{font-size:.88em;color:#555}.muted{color:#777}
@media print{body{max-width:none}}
"""


def _e(x) -> str:
    return html.escape(str(x))


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3f}"


def key_numbers(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean over the final year, per metric and arm: mean across replicates [10%-90%]."""
    s = summary.groupby(["metric", "arm"], sort=False)["final_year_mean"]
    stats = s.agg(["mean", lambda x: x.quantile(0.1), lambda x: x.quantile(0.9)])
    stats.columns = ["mean", "p10", "p90"]
    cells = stats.apply(lambda r: f"{_fmt(r['mean'])} [{_fmt(r['p10'])}, {_fmt(r['p90'])}]", axis=1)
    table = cells.unstack("arm")
    order = list(dict.fromkeys(summary["metric"]))
    return table.reindex(order).reset_index()


def _policy_list(policies) -> str:
    if not policies:
        return ""
    items = []
    for p in policies:
        params = ", ".join(f"{k} {v}" for k, v in p.items() if k not in ("type", "start_week", "end_week"))
        items.append(f"<li>{_e(p['type'])}, weeks {p['start_week']}–{p['end_week'] or 'end'}: {_e(params)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _effects_section(effects: pd.DataFrame | None, costs: pd.DataFrame | None) -> str:
    if effects is None or effects.empty:
        return ""
    from simgov.experiment.compare import MAIN_OUTCOMES

    main = effects[effects.metric.isin(MAIN_OUTCOMES)]
    cells = main.assign(effect=[f"{_fmt(d)} [{_fmt(lo)}, {_fmt(hi)}]" for d, lo, hi in
                                zip(main.difference, main.ci_low, main.ci_high, strict=True)])
    table = cells.pivot(index="metric", columns="arm", values="effect").reindex(list(MAIN_OUTCOMES)).reset_index()
    reference, reps = effects.reference.iloc[0], int(effects.reps.iloc[0])
    cost_html = ""
    if costs is not None and not costs.empty:
        c = costs.copy()
        for col in c.columns:
            if c[col].dtype.kind == "f":
                c[col] = c[col].map(lambda x: "–" if pd.isna(x) else f"{x:,.0f}")
        cost_html = f"""<h3>Cost</h3>
<p class="caption">Policy spending (any payer) and hours per simulated year, against {_e(reference)};
yuan_per_unit: yuan a year per percentage point of improvement (shares, indices) or per unit (counts),
where the effect's 95% interval excludes zero (– otherwise). Full table: costs.csv.</p>
{_table(c.drop(columns=["reference", "reps"]))}"""
    return f"""
<h2>Effects against {_e(reference)}</h2>
<p class="caption">Paired difference of final-year means (arm − {_e(reference)}), mean over {reps}
replicates sharing their random streams, with a 95% Student-t interval. Every metric: effects.csv.</p>
{_table(table)}
{cost_html}"""


def _scenario_section(scenario: dict) -> str:
    c, a = scenario["community"], scenario["actors"]
    area = f" on {c['area_km2']} km²" if c.get("area_km2") else ""
    policies = scenario.get("policies") or []
    pol = _policy_list(policies) or "<p>No policies beyond the community's ordinary work.</p>"
    arms = scenario.get("arms") or {}
    arm_list = "".join(f"<li><b>{_e(k)}</b>: {_e(v.get('description', ''))}{_policy_list(v.get('policies'))}</li>"
                       for k, v in arms.items())
    sources = "".join(f"<li>{_e(s)}</li>" for s in scenario.get("sources", []))
    return f"""
<h2>The scenario</h2>
<p>{_e(scenario.get('description', ''))}</p>
<p><b>Community.</b> {c['residents']:,} residents in {c['households']:,} households, {c['buildings']}
buildings and {c['grids']} grids{area}.</p>
<p><b>Actors.</b> {a['cadres']} committee cadres, {a['party_members_resident']} resident and
{a['party_members_sunk']} sunk Party members, {a['social_workers']} social workers,
{a['steady_volunteers']} steady volunteers in {a['volunteer_teams']} teams,
{a['self_organisations']} self-organisations, {a['professional_organisations']} professional
organisations, {a['donors']} donors; a yearly budget of {a['budget_yuan_per_year']:,.0f} yuan.</p>
<p><b>Policies in every arm.</b></p>{pol}
{f'<p><b>Arms.</b></p><ul>{arm_list}</ul>' if arm_list else ''}
<p><b>Sources.</b></p><ul>{sources}</ul>"""


def write_report(out: Path, manifest: dict, timeseries: pd.DataFrame, summary: pd.DataFrame,
                 effects: pd.DataFrame | None = None, costs: pd.DataFrame | None = None) -> Path:
    """Write ``out/report.html`` (and its figure as ``out/figures/timeseries.png``)."""
    scenario = manifest["scenario"]
    png = png_bytes(series_figure(timeseries))
    (out / "figures").mkdir(parents=True, exist_ok=True)
    (out / "figures" / "timeseries.png").write_bytes(png)
    reps = timeseries.groupby("arm")["replicate"].nunique()
    weeks = int(timeseries["week"].max()) if len(timeseries) else 0
    doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(scenario.get('title') or scenario['name'])}</title>
<style>{_STYLE}</style></head><body>
<h1>{_e(scenario.get('title') or scenario['name'])}</h1>
<p class="muted">simgov {_e(manifest['environment']['simgov'])} · scenario <code>{_e(scenario['name'])}</code> ·
{weeks} weeks · {', '.join(f'{_e(k)}: {v} replicates' for k, v in reps.items())} ·
seed {scenario['seed']} · status: {_e(manifest['status'])}</p>
{_scenario_section(scenario)}
<h2>Key numbers</h2>
<p class="caption">Mean over the final 52 weeks of each run: mean across replicates
[10th, 90th percentile across replicates].</p>
{_table(key_numbers(summary))}
{_effects_section(effects, costs)}
<h2>Over time</h2>
<img alt="weekly series of {', '.join(MAIN_SERIES)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">
<p class="caption">{_e(caption())}</p>
<h2>Reproduce</h2>
<p><code>{_e(manifest.get('command', ''))}</code></p>
</body></html>
"""
    path = out / "report.html"
    atomic_write(path, doc)
    return path
