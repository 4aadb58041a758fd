"""Figures of a sweep, in the report style and either language.

- ``sensitivity_figure``: a panel per outcome, a row per factor: Sobol' S1 and ST, Morris mu*
  (and sigma), or delta, each with its 95% interval;
- ``response_figure``: each design point's replicate-mean outcome against each factor;
- ``discovery_figure``: the design points on the two factors that bound the best box, good
  points coloured, the box drawn;
- ``prim_figure``: PRIM's peeling trajectory, density against coverage per peel step, coloured
  by the number of factors restricted, the chosen step ringed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.patches import Rectangle

from simgov.analysis.sensitivity import NOISE_WARNING
from simgov.report import labels as L
from simgov.report.figures import _grid, honest_ylim
from simgov.report.style import PALETTE, rc

#: The indices drawn per method: (column, its interval column or None, legend key).
INDICES = {"sobol": (("S1", "S1_conf", "first_order"), ("ST", "ST_conf", "total_order")),
           "morris": (("mu_star", "mu_star_conf", "mu_star"), ("sigma", None, "sigma")),
           "delta": (("delta", "delta_conf", "delta"), ("S1", "S1_conf", "first_order"))}
MAX_FACTORS, MAX_OUTCOMES = 6, 3


def sensitivity_figure(table: pd.DataFrame, lang: str = "en", factor_label=str):
    method = table["method"].iloc[0]
    outcomes = list(dict.fromkeys(table["outcome"]))
    factors = list(dict.fromkeys(table["factor"]))
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(outcomes), 2, 5.6, 0.55 * len(factors) + 1.6)
        y = np.arange(len(factors))
        for ax, outcome in zip(axes, outcomes, strict=True):
            rows = table[table.outcome == outcome].set_index("factor").reindex(factors)
            for k, (col, conf, key) in enumerate(INDICES[method]):
                err = rows[conf].to_numpy() if conf else None
                ax.barh(y + (k - 0.5) * 0.38, rows[col], height=0.36, xerr=err, color=PALETTE[k],
                        error_kw={"elinewidth": 1, "capsize": 2}, label=L.t(key, lang))
            ax.axvline(0, color="#444", linewidth=0.8)
            ax.set_yticks(y, [factor_label(f) for f in factors])
            ax.invert_yaxis()
            title = L.metric(outcome, lang)
            noise = float(rows["noise_share"].iloc[0]) if "noise_share" in rows else float("nan")
            if np.isfinite(noise) and noise > NOISE_WARNING:  # the guardrail, visible on the figure itself
                ax.set_title(f"{title}\n" + L.t("noisy_panel", lang).format(share=noise), color=PALETTE[5])
            else:
                ax.set_title(title)
        axes[0].legend(loc="lower right", fontsize="small")
        fig.suptitle(L.t(f"sens_title_{method}", lang))
    return fig


def response_figure(points: pd.DataFrame, factors: list[str], outcomes: list[str], lang: str = "en",
                    factor_label=str):
    factors, outcomes = factors[:MAX_FACTORS], outcomes[:MAX_OUTCOMES]
    with plt.rc_context(rc(lang)):
        fig, axes = plt.subplots(len(outcomes), len(factors), figsize=(3.6 * len(factors) + 0.8, 3.0 * len(outcomes)),
                                 squeeze=False, constrained_layout=True, sharey="row")
        for i, outcome in enumerate(outcomes):
            y = points[f"mean:{outcome}"]
            for j, factor in enumerate(factors):
                ax = axes[i][j]
                ax.scatter(points[factor].astype(float), y, s=16, alpha=0.6, color=PALETTE[0], linewidths=0)
                if i == len(outcomes) - 1:
                    ax.set_xlabel(factor_label(factor))
                if j == 0:
                    ax.set_ylabel(L.metric(outcome, lang))
            honest_ylim(axes[i][0], outcome, float(y.min()), float(y.max()))  # the row shares its y axis
    return fig


def discovery_figure(points: pd.DataFrame, discovery: pd.DataFrame, factors: list[str], lang: str = "en",
                     factor_label=str):
    best = discovery.iloc[0]
    bounded = [f for f in factors if np.isfinite(best[f"low:{f}"]) or np.isfinite(best[f"high:{f}"])]
    pair = (bounded + [f for f in factors if f not in bounded])[:2]
    good = points["good"].astype(bool)
    with plt.rc_context(rc(lang)):
        fig, ax = plt.subplots(figsize=(6.4, 4.8), constrained_layout=True)
        x = points[pair[0]].astype(float)
        y = points[pair[1]].astype(float) if len(pair) > 1 else pd.Series(np.zeros(len(points)))
        ax.scatter(x[~good], y[~good], s=10, color="#BBBBBB", label=L.t("other_points", lang), linewidths=0)
        ax.scatter(x[good], y[good], s=12, color=PALETTE[2], label=L.t("good_points", lang), linewidths=0)
        lo, hi = [], []
        for f, v in zip(pair + [None], (x, y), strict=False):  # one factor: a strip along x
            low, high = (best[f"low:{f}"], best[f"high:{f}"]) if f else (np.nan, np.nan)
            lo.append(low if np.isfinite(low) else v.min() - (0 if f else 0.5))
            hi.append(high if np.isfinite(high) else v.max() + (0 if f else 0.5))
        ax.add_patch(Rectangle((lo[0], lo[1]), hi[0] - lo[0], hi[1] - lo[1], fill=False, edgecolor=PALETTE[5],
                               linewidth=2, label=L.t("best_box", lang)))
        ax.set_xlabel(factor_label(pair[0]))
        if len(pair) > 1:
            ax.set_ylabel(factor_label(pair[1]))
        ax.legend(loc="best", fontsize="small")
        ax.set_title(L.t("discovery_title", lang).format(coverage=best.coverage, density=best.density))
        others = [f for f in bounded if f not in pair]
        if others:  # bounds the picture cannot show: points inside the drawn box may fail them
            also = "; ".join(_bound(best[f"low:{f}"], best[f"high:{f}"], factor_label(f)) for f in others)
            fig.text(0.01, 0.0, L.t("also_bounded", lang) + also, fontsize="small", va="bottom")
    return fig


def prim_figure(trajectory: pd.DataFrame, lang: str = "en"):
    chosen = trajectory[trajectory["chosen"].astype(bool)]
    with plt.rc_context(rc(lang)):
        fig, ax = plt.subplots(figsize=(6.4, 4.4), constrained_layout=True)
        dots = ax.scatter(trajectory.coverage, trajectory.density, c=trajectory.res_dim, cmap="viridis", s=22,
                          linewidths=0)
        ax.scatter(chosen.coverage, chosen.density, s=160, facecolors="none", edgecolors=PALETTE[5], linewidths=2,
                   label=L.t("prim_chosen", lang))
        fig.colorbar(dots, ax=ax, label=L.t("prim_res_dim", lang), ticks=sorted(set(trajectory.res_dim)))
        ax.set_xlim(0.0, 1.02)
        ax.set_ylim(0.0, 1.02)
        ax.set_xlabel(L.t("coverage", lang))
        ax.set_ylabel(L.t("density", lang))
        ax.legend(loc="lower left", fontsize="small")
        ax.set_title(L.t("prim_title", lang))
    return fig


def _bound(lo: float, hi: float, name: str) -> str:
    if np.isfinite(lo) and np.isfinite(hi):
        return f"{lo:.3g} ≤ {name} ≤ {hi:.3g}"
    return f"{name} ≥ {lo:.3g}" if np.isfinite(lo) else f"{name} ≤ {hi:.3g}"
