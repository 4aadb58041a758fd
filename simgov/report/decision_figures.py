"""The figure of a comparison under uncertainty: the cost-effectiveness acceptability curves,
a panel per main outcome, a line per arm (simgov.uncertainty.decision.ceac)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from simgov.report import labels as L
from simgov.report.figures import _colour, _grid
from simgov.report.style import rc


def ceac_figure(ceac: pd.DataFrame, lang: str = "en", arm_label=None):
    """P(most cost-effective) against yuan a year per unit of effect (symmetric-log axis, so
    that 0 yuan, where only cost counts, is on it)."""
    arm_label = arm_label or (lambda a: L.arm(a, lang))
    outcomes = list(dict.fromkeys(ceac["outcome"]))
    arms = list(dict.fromkeys(ceac["arm"]))
    with plt.rc_context(rc(lang)):
        fig, axes = _grid(len(outcomes), 3, 4.4, 3.2)
        for ax, outcome in zip(axes, outcomes, strict=True):
            mine = ceac[ceac.outcome == outcome]
            for k, arm in enumerate(arms):
                line = mine[mine.arm == arm]
                ax.plot(line.yuan_per_unit, line.p_most_cost_effective, color=_colour(k), label=arm_label(arm))
            ax.set_xscale("symlog", linthresh=100)
            ax.set_ylim(-0.03, 1.03)
            ax.set_title(L.metric(outcome, lang))
            ax.set_xlabel(L.t("yuan_per_unit_axis", lang))
            ax.set_ylabel(L.t("p_most_ce", lang))
        axes[0].legend(loc="best", fontsize="small")
        fig.suptitle(L.t("ceac_title", lang))
    return fig
