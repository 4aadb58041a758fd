"""Figures for reports, in one style (simgov.report.style) and either language.

- ``series_figure``: weekly series, median and 10-90% band across replicates, a colour per
  arm, policy starts (dashed) and ends (dotted) marked, shock periods shaded;
- ``forest_figure``: paired effects with 95% intervals, a panel per main outcome, a row per arm;
- ``cost_effect_figure``: improvement per 10,000 yuan a year, per arm and main outcome;
- ``network_figure``: the sampled neighbourhood at the start and the end of replicate 0
  (each panel drawn by ``draw_network``, which the teaching demo also uses);
- ``results_figure`` and ``effects_figure``: the series and forest figures of Python API
  results, for ``RunResult.plot`` and ``Comparison.plot`` (and ``simgov.plot_effects``).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from simgov.experiment.files import atomic_bytes  # noqa: E402
from simgov.metrics import METRICS  # noqa: E402
from simgov.report import labels as L  # noqa: E402
from simgov.report.style import PALETTE, rc  # noqa: E402

#: The narrowest y-range a share or index panel is drawn with, so that a drift of 0.02 looks like one.
MIN_SHARE_SPAN = 0.2
#: The shade of a shock period several arms share.
SHARED_SHOCK = "#777777"
_UNIT = {m.name: m.unit for m in METRICS}


def honest_ylim(ax, metric: str, low: float, high: float) -> None:
    """Y limits from a meaningful baseline: 0 for counts, money and hours; for shares and indices
    a span of at least ``MIN_SHARE_SPAN`` around the data, within [0, 1]."""
    unit = _UNIT.get(metric, "")
    if unit in ("share", "index"):
        span = max(high - low, MIN_SHARE_SPAN)
        mid = (low + high) / 2
        bottom = min(max(mid - span / 2, 0.0), 1.0 - span)
        ax.set_ylim(max(bottom, 0.0), min(bottom + span, 1.0))
    elif unit in ("count", "yuan", "hours") and low >= 0:
        ax.set_ylim(0.0, max(high * 1.08, 1.0))


MAIN_SERIES = ("cohesion_index", "trust_neighbors", "participation_rate",
               "disputes_open", "group_disputes_open", "unmet_needs_share")


def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def _grid(n: int, cols: int, width: float, height: float):
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, min(cols, n), figsize=(width * min(cols, n), height * rows), squeeze=False,
                             constrained_layout=True)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def series_figure(timeseries: pd.DataFrame, lang: str = "en", metrics=MAIN_SERIES,
                  marks: dict[str, list[tuple[int, int | None]]] | None = None, arm_label=None,
                  shocks: dict[str, list[tuple[int, int]]] | None = None):
    """Median and 10-90% band across replicates of each metric, per arm, by week.

    ``marks``: arm -> (start_week, end_week) of its policies, drawn as vertical lines.
    ``shocks``: arm -> (start_week, end_week) of its shocks, shaded (``shock_spans``).
    ``arm_label(arm)``: an arm's display name (default: ``labels.arm``).
    """
    arm_label = arm_label or (lambda a: L.arm(a, lang))
    arms = list(dict.fromkeys(timeseries["arm"]))
    spans = shock_spans(shocks or {}, arms)
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(metrics), 3, 4.4, 3.3)
        last = int(timeseries["week"].max())
        for ax, metric in zip(axes, metrics, strict=True):
            low, high = np.inf, -np.inf
            for k, arm in enumerate(arms):
                wide = timeseries[timeseries["arm"] == arm].pivot(index="week", columns="replicate", values=metric)
                c = _colour(k)
                lo, hi = wide.quantile(0.1, axis=1), wide.quantile(0.9, axis=1)
                low, high = min(low, float(lo.min())), max(high, float(hi.max()))
                ax.fill_between(wide.index, lo, hi, color=c, alpha=0.2, linewidth=0)
                ax.plot(wide.index, wide.median(axis=1), color=c, linewidth=1.8,
                        label=f"{arm_label(arm)} (n={wide.shape[1]})")
                for start, end in (marks or {}).get(arm, []):
                    if 0 < start <= last:
                        ax.axvline(start, color=c, linestyle="--", linewidth=1.0, alpha=0.8)
                    if end is not None and end < last:
                        ax.axvline(end, color=c, linestyle=":", linewidth=1.2, alpha=0.8)
            for i, (start, end, colour) in enumerate(s for s in spans if s[0] <= last):
                ax.axvspan(start - 0.5, min(end, last) + 0.5, color=colour, alpha=0.12, linewidth=0, zorder=0,
                           label=L.t("shock_period", lang) if ax is axes[0] and i == 0 else None)
            honest_ylim(ax, metric, low, high)
            ax.set_title(L.metric(metric, lang))
            ax.set_xlabel(L.t("week", lang))
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(arms), 4), frameon=False)
    return fig


def shock_spans(shocks: dict[str, list[tuple[int, int]]], arms: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, colour) of each shock period to shade: once in grey for a period two or
    more arms share, else in the colour of the one arm that has it."""
    periods = {a: list(dict.fromkeys((int(s), int(e)) for s, e in shocks.get(a, ()))) for a in arms}
    count: dict[tuple[int, int], int] = {}
    for mine in periods.values():
        for span in mine:
            count[span] = count.get(span, 0) + 1
    out = [(s, e, SHARED_SHOCK) for (s, e), n in count.items() if n > 1]
    for k, arm in enumerate(arms):
        out += [(s, e, _colour(k)) for s, e in periods[arm] if count[(s, e)] == 1]
    return out


def forest_figure(effects: pd.DataFrame, metrics, lang: str = "en", arm_label=None):
    """Paired effects with 95% intervals: a panel per metric, a row per arm."""
    arm_label = arm_label or (lambda a: L.arm(a, lang))
    arms = list(dict.fromkeys(effects["arm"]))
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(metrics), 3, 4.4, 0.5 * len(arms) + 1.5)
        for ax, metric in zip(axes, metrics, strict=True):
            rows = effects[effects.metric == metric].set_index("arm").reindex(arms)
            scale = 100.0 if _UNIT.get(metric) == "share" else 1.0  # shares in percentage points
            y = np.arange(len(arms))[::-1]
            for k, (yy, (_, e)) in enumerate(zip(y, rows.iterrows(), strict=True)):
                d, lo, hi = e.difference * scale, e.ci_low * scale, e.ci_high * scale
                ax.errorbar(d, yy, xerr=[[d - lo], [hi - d]] if np.isfinite(lo) else None, fmt="o",
                            color=_colour(k + 1), capsize=4, markersize=8, linewidth=2)
            ax.axvline(0.0, color="#555", linewidth=1.0)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.set_yticks(y, [arm_label(a) for a in arms])
            ax.set_title(L.metric(metric, lang))
            ax.set_xlabel(L.t("difference_pp" if scale != 1.0 else "difference", lang))
            ax.grid(axis="y", alpha=0)
        fig.suptitle(L.t("forest_title", lang))
    return fig


def cost_effect_figure(table: pd.DataFrame, lang: str = "en", arm_label=None):
    """Improvement per 10,000 yuan a year: a panel per main outcome, a bar per arm.
    ``table``: arm, metric, per_10k_yuan (NaN where the effect is not clear)."""
    arm_label = arm_label or (lambda a: L.arm(a, lang))
    metrics = list(dict.fromkeys(table["metric"]))
    arms = list(dict.fromkeys(table["arm"]))
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(metrics), 3, 4.4, 0.5 * len(arms) + 1.5)
        for ax, metric in zip(axes, metrics, strict=True):
            rows = table[table.metric == metric].set_index("arm").reindex(arms)
            y = np.arange(len(arms))[::-1]
            values = rows["per_10k_yuan"].to_numpy(dtype=float)
            ax.barh(y, np.nan_to_num(values), color=[_colour(k + 1) for k in range(len(arms))])
            for yy, v in zip(y, values, strict=True):
                ax.text(0, yy, "  –" if not np.isfinite(v) else "", va="center")
            ax.set_yticks(y, [arm_label(a) for a in arms])
            ax.set_title(L.metric(metric, lang))
            ax.grid(axis="y", alpha=0)
        fig.suptitle(L.t("ce_title", lang))
    return fig


def _metric_list(metrics) -> list[str]:
    from simgov.errors import InputError, Problem, allowed, did_you_mean
    from simgov.metrics import METRIC_NAMES

    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    wrong = [m for m in metrics if m not in METRIC_NAMES]
    if wrong or not metrics:
        raise InputError([Problem(f"no metric '{m}'{did_you_mean(m, list(METRIC_NAMES))}; allowed: "
                                  f"{allowed(list(METRIC_NAMES))}", path="metrics") for m in wrong]
                         or Problem("name at least one metric", path="metrics"))
    return metrics


def results_figure(results, metrics=MAIN_SERIES, lang: str = "en"):
    """Weekly series of one or more ``RunResult``s (a line per arm; with several replicates of an
    arm, their median and 10-90% band), a panel per metric."""
    results = [results] if not isinstance(results, list | tuple) else list(results)
    frames = [r.timeseries.assign(arm=r.arm, replicate=r.replicate) for r in results]
    shocks: dict[str, list[tuple[int, int]]] = {}
    for r in results:
        if r.shocks is not None:
            shocks.setdefault(r.arm, []).extend(zip(r.shocks.start_week, r.shocks.end_week, strict=True))
    return series_figure(pd.concat(frames, ignore_index=True), L.check_lang(lang), _metric_list(metrics),
                         shocks=shocks)


def effects_figure(effects: pd.DataFrame, metrics=None, lang: str = "en"):
    """The forest figure of an effects table (``simgov.compare``'s, or ``Comparison.effects``):
    by default the main outcomes' effects (simgov.experiment.compare.MAIN_OUTCOMES)."""
    from simgov.experiment.compare import MAIN_OUTCOMES

    return forest_figure(effects, _metric_list(MAIN_OUTCOMES if metrics is None else metrics), L.check_lang(lang))


def draw_network(ax, s: dict, values=None, cmap="viridis", vmin: float = 0.0, vmax: float = 1.0,
                 size: float = 10.0, roles: bool = False) -> dict:
    """Draw one network snapshot (``simgov.community.network_view.snapshot``) on ``ax``: weak to
    strong friendly ties grey to dark, hostile ties dashed red, parties to open disputes joined
    by a thick orange line, residents coloured by ``values`` (default: trust in neighbours),
    vulnerable residents ringed in black. ``roles`` (the teaching demo) also marks Party members
    (red diamond) and steady volunteers (green square), and group disputes in thicker dark red.
    Returns the artists by name, for a caller that updates them (``dispute_colours`` gives the
    disputes' colours and widths)."""
    x, y = s["x"], s["y"]
    u, v, w = s["edge_u"], s["edge_v"], s["edge_w"]
    seg = np.stack([np.c_[x[u], y[u]], np.c_[x[v], y[v]]], axis=1)
    friendly = w > 0
    shade = np.clip(w[friendly], 0, 1)
    colours = plt.get_cmap("Greys")(0.25 + 0.6 * shade)
    artists = {
        "ties": ax.add_collection(LineCollection(seg[friendly], colors=colours, linewidths=0.3 + 0.9 * shade,
                                                 zorder=1)),
        "hostile": ax.add_collection(LineCollection(seg[~friendly], colors="#D55E00", linewidths=1.0,
                                                    linestyles="--", zorder=2)),
        "disputes": ax.add_collection(LineCollection(dispute_segments(s), zorder=3, **dispute_colours(s, roles))),
        "residents": ax.scatter(x, y, c=s["trust"] if values is None else values, cmap=cmap, vmin=vmin, vmax=vmax,
                                s=size, zorder=4, linewidths=0),
    }
    vul = s["vulnerable"].astype(bool)
    artists["vulnerable"] = ax.scatter(x[vul], y[vul], s=size * 2.4, facecolors="none", edgecolors="#000000",
                                       linewidths=0.5, zorder=5)
    if roles:
        for key, marker, colour in (("party_member", "D", "#C0002A"), ("volunteer", "s", "#009E73")):
            on = s[key].astype(bool)
            artists[key] = ax.scatter(x[on], y[on], s=size * 3.5, marker=marker, facecolors="none", edgecolors=colour,
                                      linewidths=1.4, zorder=6)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(False)
    return artists


def dispute_segments(s: dict) -> np.ndarray:
    """Lines joining the parties of each open dispute in a snapshot."""
    x, y, a, b = s["x"], s["y"], s["dispute_a"], s["dispute_b"]
    return np.stack([np.c_[x[a], y[a]], np.c_[x[b], y[b]]], axis=1).reshape(-1, 2, 2)


def dispute_colours(s: dict, group_apart: bool) -> dict:
    """Colours and widths of the dispute lines: orange, and (if ``group_apart``) group disputes thicker dark red."""
    group = s["dispute_stage"] >= 3 if group_apart else np.zeros(s["dispute_a"].size, bool)
    return {"colors": list(np.where(group, "#C0002A", "#E69F00")), "linewidths": list(np.where(group, 4.0, 3.0))}


def network_figure(panels: list[tuple[str, dict]], lang: str = "en"):
    """The sampled neighbourhood: one panel per (title, snapshot)."""
    first = panels[0][1]
    aspect = np.ptp(first["y"]) / max(np.ptp(first["x"]), 1e-9)
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(panels), 2, 6.0, 6.0 * min(max(aspect, 0.35), 1.5) + 0.7)
        cmap = plt.get_cmap("viridis")
        for ax, (title, s) in zip(axes, panels, strict=True):
            draw_network(ax, s, cmap=cmap)
            ax.set_title(title)
        sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 1))
        fig.colorbar(sm, ax=axes, shrink=0.5, aspect=30, label=L.metric("trust_neighbors", lang))
        fig.legend(handles=network_legend(lang), loc="outside lower center", ncols=4, frameon=False)
    return fig


def network_legend(lang: str = "en") -> list:
    """The network's symbols, for a legend inside the figure (a slide loses the page's caption)."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], color="#555555", linewidth=1.2, label=L.t("friendly_tie", lang)),
            Line2D([], [], color="#D55E00", linewidth=1.2, linestyle="--", label=L.t("demo_hostile", lang)),
            Line2D([], [], color="#E69F00", linewidth=3.0, label=L.t("demo_dispute", lang)),
            Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="#000000",
                   markersize=9, label=L.t("demo_vulnerable", lang))]


def save(fig, path=None, fmt: str = "png") -> bytes:
    """The figure as PNG or SVG bytes (and written to ``path`` if given); closes it."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches="tight")
    plt.close(fig)
    data = buf.getvalue()
    if path is not None:
        atomic_bytes(path, data)  # a full disk leaves no truncated figure
    return data
