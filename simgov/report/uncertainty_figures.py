"""Figures of the uncertainty studies, in the report style.

- ``screening_figure``: which assumptions matter: a heat map of each parameter's Morris
  importance (mu* over the output's largest) for every main outcome and policy effect, the
  most important parameters first;
- ``sobol_figure``: total Sobol' index (with its interval) of the screened few per output;
- ``posterior_figure``: each calibrated parameter's weighted posterior histogram over its
  prior's 95% interval, and the tolerance by generation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt

from simgov.report.style import PALETTE, rc

#: Parameters shown in the screening heat map.
MAX_PARAMETERS = 20


def screening_figure(morris: pd.DataFrame, ranking: pd.DataFrame, top: int = MAX_PARAMETERS):
    names = list(ranking.parameter.head(top))
    outputs = list(dict.fromkeys(morris.output))
    grid = morris.pivot_table(index="parameter", columns="output", values="importance").reindex(
        index=names, columns=outputs).fillna(0.0)
    with plt.rc_context(rc("en")):
        width, height = 5.0 + 0.4 * max(len(outputs), 4), 2.6 + 0.3 * max(len(names), 3)
        fig, ax = plt.subplots(figsize=(width, height))
        im = ax.imshow(grid.to_numpy(), cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_yticks(range(len(names)), names, fontsize="x-small")
        ax.set_xticks(range(len(outputs)), outputs, rotation=60, ha="right", fontsize="x-small")
        ax.grid(False)
        fig.colorbar(im, ax=ax).set_label("importance: mu* / the output's largest", fontsize="x-small")
        ax.set_title("Which assumptions matter (Morris)", fontsize="small")
        # room for the long parameter paths and the slanted output names
        fig.subplots_adjust(left=3.4 / width, right=0.98, bottom=2.2 / height, top=1 - 0.5 / height)
    return fig


def sobol_figure(sobol: pd.DataFrame):
    outputs = list(dict.fromkeys(sobol.output))
    names = list(dict.fromkeys(sobol.parameter))
    with plt.rc_context(rc("en")):
        fig, ax = plt.subplots(figsize=(6.4, 1.0 + 0.35 * len(outputs) * max(len(names), 1) ** 0.5 + 1))
        height = 0.8 / max(len(names), 1)
        y = np.arange(len(outputs))
        for k, name in enumerate(names):
            rows = sobol[sobol.parameter == name].set_index("output").reindex(outputs)
            ax.barh(y + k * height, rows.ST, height=height, xerr=rows.ST_conf, label=name,
                    color=PALETTE[k % len(PALETTE)], error_kw={"elinewidth": 1, "capsize": 2})
        ax.set_yticks(y + 0.4 - height / 2, outputs, fontsize="x-small")
        ax.invert_yaxis()
        ax.axvline(0, color="#444", linewidth=0.8)
        ax.set_xlabel("total Sobol' index ST")
        ax.legend(fontsize="x-small", loc="lower right")
        fig.tight_layout()
    return fig


def posterior_figure(posterior: pd.DataFrame, parameters: pd.DataFrame, generations: pd.DataFrame):
    names = list(parameters.parameter)
    with plt.rc_context(rc("en")):
        fig, axes = plt.subplots(1, len(names) + 1, figsize=(3.4 * (len(names) + 1), 3.0), squeeze=False)
        for ax, row in zip(axes[0], parameters.itertuples(), strict=False):
            x = posterior[row.parameter]
            lo, hi = min(row.prior_low, x.min()), max(row.prior_high, x.max())
            bins = np.linspace(lo, hi, 21) if hi > lo else 20
            ax.hist(x, bins=bins, weights=posterior.weight, density=True, color=PALETTE[0],
                    alpha=0.8, label="posterior")
            ax.axvline(row.value, color=PALETTE[1], linewidth=1.2, label="scenario's value")
            ax.axvspan(row.prior_low, row.prior_high, color="#ddd", zorder=0, label="prior 95%")
            ax.set_title(row.parameter.split(".", 1)[-1], fontsize="small")
        axes[0][0].legend(fontsize="x-small")
        ax = axes[0][-1]
        ax.plot(generations.generation, generations.epsilon, marker="o", color=PALETTE[2])
        ax.set_xlabel("generation")
        ax.set_ylabel("tolerance (normalised misses)")
        ax.set_title("ABC-SMC tolerance", fontsize="small")
        fig.tight_layout()
    return fig


__all__ = ["posterior_figure", "screening_figure", "sobol_figure"]
