"""Figures for reports: weekly series with bands across replicates, one colour per arm."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from simgov.metrics import METRICS  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
MAIN_SERIES = ("cohesion_index", "trust_neighbors", "participation_rate",
               "disputes_open", "group_disputes_open", "unmet_needs_share")
_DESCRIPTION = {m.name: m.description for m in METRICS}


def series_figure(timeseries: pd.DataFrame, metrics=MAIN_SERIES):
    """Median and 10-90% band across replicates of each metric, per arm, by week."""
    cols = 3
    rows = -(-len(metrics) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 3.4 * rows), squeeze=False,
                             constrained_layout=True)
    arms = list(dict.fromkeys(timeseries["arm"]))
    for ax, metric in zip(axes.flat, metrics, strict=False):
        for k, arm in enumerate(arms):
            wide = timeseries[timeseries["arm"] == arm].pivot(index="week", columns="replicate", values=metric)
            colour = PALETTE[k % len(PALETTE)]
            ax.fill_between(wide.index, wide.quantile(0.1, axis=1), wide.quantile(0.9, axis=1),
                            color=colour, alpha=0.2, linewidth=0)
            ax.plot(wide.index, wide.median(axis=1), color=colour, linewidth=1.8,
                    label=f"{arm} (n={wide.shape[1]})")
        ax.set_title(metric, fontsize=12)
        ax.set_xlabel("week")
        ax.tick_params(labelsize=10)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=9, frameon=False)
    return fig


def png_bytes(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def caption(metrics=MAIN_SERIES) -> str:
    parts = "; ".join(f"{m}: {_DESCRIPTION[m]}" for m in metrics)
    return ("Lines: median across replicates; bands: 10th to 90th percentile. n = replicates per arm. "
            + parts + ".")
