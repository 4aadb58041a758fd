"""What the lesson plan's experiments showed, as the demo's info panel and docs/teaching.md cite it.

``experiments/teaching_lesson.py`` runs the three experiments of the lesson (docs/teaching.md)
over its seeds and writes every number, per seed, to docs/data/teaching-lesson.json; the wheel
carries it as ``simgov/data/teaching-lesson.json`` (pyproject's force-include). The info panel's
"things to try" and the guide's generated blocks (simgov.docgen_teaching) read it from here, so
neither can drift from what the model does.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parents[1]
PLACES = (_HERE / "data" / "teaching-lesson.json", _HERE.parent / "docs" / "data" / "teaching-lesson.json")
DOOR_3, DOOR_15 = "door-knocking, 3 visits a week", "door-knocking, 15 visits a week"
MEDIATION_1, MEDIATION_5 = "mediation, 1 case a week", "mediation, 5 cases a week"
FUND = "micro-venture fund, 20,000 yuan"


def read(path: Path | None = None) -> dict:
    """The lesson's record (a FileNotFoundError saying how to make it if there is none)."""
    for place in [path] if path is not None else PLACES:
        if place.is_file():
            return json.loads(place.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"no {PLACES[-1].name}; run: python experiments/teaching_lesson.py")


class Numbers:
    """Means over the seeds (and the first seed's values) of the lesson's measurements."""

    def __init__(self, data: dict):
        self.data, self.seeds = data, data["settings"]["seeds"]

    def mean(self, experiment: str, outcome: str, side: str) -> float:
        return float(np.mean(self.data["experiments"][experiment]["outcomes"][outcome][side]))

    def first(self, experiment: str, outcome: str, side: str) -> float:
        return float(self.data["experiments"][experiment]["outcomes"][outcome][side][0])

    def diff(self, experiment: str, outcome: str) -> float:
        return self.mean(experiment, outcome, "with") - self.mean(experiment, outcome, "without")

    def off(self, outcome: str, side: str) -> float:
        return float(np.mean(self.data["switch_off"][outcome][side]))


@cache
def panel_numbers() -> dict[str, str]:
    """The numbers the info panel's "things to try" cites, formatted, by placeholder."""
    n = Numbers(read())
    u, t, d, g = "undetected_needs_share", "trust_committee", "disputes_open", "group_disputes_open"
    r, o, p = "resolved_share", "organizations_active", "participation_rate"
    return {
        "seeds": str(len(n.seeds)),
        "d3_u0": f"{n.mean(DOOR_3, u, 'without'):.1%}", "d3_u1": f"{n.mean(DOOR_3, u, 'with'):.1%}",
        "d3_t0": f"{n.mean(DOOR_3, t, 'without'):.2f}", "d3_t1": f"{n.mean(DOOR_3, t, 'with'):.2f}",
        "d15_u1": f"{n.mean(DOOR_15, u, 'with'):.1%}", "d15_t1": f"{n.mean(DOOR_15, t, 'with'):.2f}",
        "m_d0": f"{n.mean(MEDIATION_1, d, 'without'):.1f}", "m_d1": f"{n.mean(MEDIATION_1, d, 'with'):.1f}",
        "m5_d1": f"{n.mean(MEDIATION_5, d, 'with'):.1f}",
        "m_r0": f"{n.mean(MEDIATION_1, r, 'without'):.0%}", "m_r1": f"{n.mean(MEDIATION_1, r, 'with'):.0%}",
        "m_g0": f"{n.mean(MEDIATION_1, g, 'without'):.2f}", "m_g1": f"{n.mean(MEDIATION_1, g, 'with'):.2f}",
        "f_o0": f"{n.mean(FUND, o, 'without'):.0f}", "f_o1": f"{n.mean(FUND, o, 'with'):.0f}",
        "f_p0": f"{n.mean(FUND, p, 'without'):.1%}", "f_p1": f"{n.mean(FUND, p, 'with'):.1%}",
        "off_u": f"{n.off(u, 'off'):.1%}", "kept_u": f"{n.off(u, 'kept'):.1%}", "never_u": f"{n.off(u, 'never'):.1%}",
        "off_t": f"{n.off(t, 'off'):.2f}", "kept_t": f"{n.off(t, 'kept'):.2f}", "never_t": f"{n.off(t, 'never'):.2f}",
    }
