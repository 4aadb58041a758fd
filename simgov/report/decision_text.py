"""A comparison under uncertainty in plain words: which arm is best for each main outcome and
with what probability, and which parameter the decision is most sensitive to (the largest
EVPPI). The console (simgov compare --uncertainty) and the report print the same lines.
"""

from __future__ import annotations

import pandas as pd

from simgov.experiment.compare import MAIN_OUTCOMES, effect_unit
from simgov.report import labels as L


def _in_sentence(text: str, lang: str) -> str:
    """A label inside an English sentence: its first letter lower-cased (unless an acronym)."""
    if lang != "en" or len(text) < 2 or text[1].isupper():
        return text
    return text[0].lower() + text[1:]


def decision_lines(decision: pd.DataFrame, evppi: pd.DataFrame, lang: str = "en", arm_label=None,
                   outcomes=MAIN_OUTCOMES) -> list[dict]:
    """For each outcome: its best arm and P(best) and its most decisive parameter, in words
    (``{"metric": name, "best": sentence, "sensitive": sentence}``)."""
    arm_label = arm_label or (lambda name: L.arm(name, lang))
    lines = []
    for metric in outcomes:
        mine = decision[decision.metric == metric]
        if mine.empty:
            continue
        top = mine.sort_values("p_best", ascending=False, kind="stable").iloc[0]
        words = _in_sentence(L.metric(metric, lang), lang)
        best = L.t("decision_best", lang).format(arm=arm_label(top.arm), metric=words, p=f"{top.p_best:.2f}")
        best = best[0].upper() + best[1:]  # "baseline is ..." begins a sentence
        entry = {"metric": metric, "best": best, "sensitive": ""}
        info = evppi[evppi.outcome == metric]
        if len(info):
            unit = L.t("unit_point" if effect_unit(metric) < 1 else "unit_one", lang)
            first = info.sort_values("evppi", ascending=False, kind="stable").iloc[0]
            yuan = f"{first.yuan_per_unit:,.0f}"
            if first.evpi > 0 and first.evppi > 0:
                entry["sensitive"] = L.t("decision_sensitive", lang).format(
                    metric=words, yuan=yuan, unit=unit, path=first.parameter, value=f"{first.evppi:,.0f}",
                    share=f"{first.share_of_evpi:.0%}")
            elif first.evpi == 0:
                entry["sensitive"] = L.t("decision_settled", lang).format(metric=words, yuan=yuan, unit=unit,
                                                                          arm=arm_label(first.best_arm))
        lines.append(entry)
    return lines
