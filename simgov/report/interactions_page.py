"""The report's interactions and factorial sections, and the names of the arms they added.

``interactions.csv`` and ``factorial.csv`` (``simgov.experiment.interactions``) are shown on
the main outcomes, each value with its 95% interval, coloured by the outcome's better
direction; the arms a comparison added are named after what they run ("B community's
practices: mutual-aid day alone"), from the plan the manifest keeps under ``derived``.
"""

from __future__ import annotations

import pandas as pd

from simgov.experiment.compare import MAIN_OUTCOMES
from simgov.report import labels as L
from simgov.report import numbers as N
from simgov.report.base import table


def factor_name(report, factor: str) -> str:
    """A factor or part in words: the arm's name where the scenario has that arm, else the policy's."""
    return report.arm(factor) if factor in (report.scenario.get("arms") or {}) else L.policy(factor, report.lang)


def derived_label(report, name: str) -> str | None:
    """The display name of an arm the comparison added, or None for any other arm."""
    entry = ((report.manifest.get("derived") or {}).get("arms") or {}).get(name)
    if not entry:
        return None
    on = [factor_name(report, p) for p in entry.get("on", [])]
    if entry.get("of") is None:
        return " + ".join(on) or report.t("arm_none")
    parent = report.arm(entry["of"])
    return report.t("arm_part", arm=parent, policy=" + ".join(on)) if on else report.t("arm_base", arm=parent)


def _cell(report, metric: str, x: float, low: float, high: float) -> dict:
    d = N.direction(metric, x, low, high)
    return {"text": N.metric_difference(x, metric, report.lang),
            "sub": N.interval(low, high, metric, report.lang, report.t("one_replicate")), "cls": d}


def interactions_context(report, interactions: pd.DataFrame | None) -> dict | None:
    """Per arm, main outcome x combined effect, sum of parts, interaction with its interval."""
    if interactions is None or interactions.empty:
        return None
    arms = []
    for arm in dict.fromkeys(interactions.arm):
        mine = interactions[interactions.arm == arm].set_index("metric")
        rows = []
        for metric in MAIN_OUTCOMES:
            r = mine.loc[metric]
            rows.append([L.metric(metric, report.lang),
                         {"text": N.metric_difference(r.combined_effect, metric, report.lang), "sub": "", "cls": ""},
                         {"text": N.metric_difference(r.sum_of_parts, metric, report.lang), "sub": "", "cls": ""},
                         _cell(report, metric, r.interaction, r.ci_low, r.ci_high)])
        frame = pd.DataFrame(rows, columns=[report.t("metric"), report.t("combined_effect"),
                                            report.t("sum_of_parts"), report.t("interaction")])
        names = interactions[interactions.arm == arm].parts.iloc[0].split("+")
        parts = ", ".join(factor_name(report, a) for a in names)
        arms.append({"label": report.arm(arm), "parts": parts, "table": table(frame)})
    bases = ", ".join(report.arm(b) for b in dict.fromkeys(interactions.base))
    return {"arms": arms, "caption": report.t("interactions_caption", base=bases,
                                               reps=int(interactions.reps.iloc[0]))}


def factorial_context(report, factorial: pd.DataFrame | None) -> dict | None:
    """Term x main outcome: each main effect and two-way interaction with its interval."""
    if factorial is None or factorial.empty:
        return None
    plan = (report.manifest.get("derived") or {}).get("factorial") or {}
    factors = plan.get("factors", [])
    name = lambda factor: factor_name(report, factor)  # noqa: E731
    rows = []
    for term in dict.fromkeys(factorial.term):
        mine = factorial[factorial.term == term].set_index("metric")
        rows.append([" × ".join(name(f) for f in term.split(":"))]
                    + [_cell(report, m, mine.loc[m, "effect"], mine.loc[m, "ci_low"], mine.loc[m, "ci_high"])
                       for m in MAIN_OUTCOMES])
    frame = pd.DataFrame(rows, columns=[report.t("term")] + [L.metric(m, report.lang) for m in MAIN_OUTCOMES])
    return {"table": table(frame),
            "caption": report.t("factorial_caption", factors=", ".join(name(f) for f in factors),
                                cells=len(plan.get("cells", {})), reps=int(factorial.reps.iloc[0]))}
