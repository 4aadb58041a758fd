"""The lesson plan's numbers (docs/teaching.md), generated from what the lesson script measured.

``experiments/teaching_lesson.py`` runs the plan's three experiments over its seeds and writes
every number, per seed, to ``docs/data/teaching-lesson.json`` (read by simgov.demo.lesson,
which the demo's info panel also cites); ``python -m simgov.docgen`` fills
the "what students should notice" blocks of docs/teaching.md from it, so the guide says what
the model does now, and a test fails when the two disagree. The sentences state numbers and
let their direction show; the teacher's questions stay outside the blocks.
"""

from __future__ import annotations

from pathlib import Path

from simgov.demo.lesson import DOOR_3, DOOR_15, FUND, MEDIATION_1, MEDIATION_5, PLACES, Numbers, read

LESSON = PLACES[-1]  # the source tree's docs/data/teaching-lesson.json (the script writes it)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def door_knocking_block(data: dict) -> str:
    n, h = Numbers(data), data["hidden_needs"]
    u, v, t, c, nb = ("undetected_needs_share", "vulnerable_unmet_needs_share", "trust_committee", "cohesion_index",
                      "trust_neighbors")
    k = len(n.seeds)
    return (
        f"- Who has a need no service knows of, before any policy (seed {h['seed']}, every fourth week): "
        f"{_pct(h['undetected_vulnerable'])} of vulnerable residents against {_pct(h['undetected_others'])} of "
        f"the others; {h['vulnerable_among_undetected']:.0%} of residents with such a need are vulnerable "
        f"({h['vulnerable_all']:.0%} of all residents); they have {h['friends_undetected']:.1f} friends outside "
        f"their household against {h['friends_all']:.1f} on average.\n"
        f"- Over {k} seeds, 3 visits a week took undetected needs in the third year from "
        f"{_pct(n.mean(DOOR_3, u, 'without'))} to {_pct(n.mean(DOOR_3, u, 'with'))} of residents and trust in the "
        f"committee from {n.mean(DOOR_3, t, 'without'):.2f} to {n.mean(DOOR_3, t, 'with'):.2f}; 15 visits took "
        f"them to {_pct(n.mean(DOOR_15, u, 'with'))} and {n.mean(DOOR_15, t, 'with'):.2f}. Vulnerable residents "
        f"with unmet needs went from {_pct(n.mean(DOOR_3, v, 'without'))} to {_pct(n.mean(DOOR_3, v, 'with'))} "
        f"(3 visits) and {_pct(n.mean(DOOR_15, v, 'with'))} (15 visits).\n"
        f"- The cohesion index changed by {n.diff(DOOR_3, c):+.3f} (3 visits) and {n.diff(DOOR_15, c):+.3f} "
        f"(15 visits); trust in the committee by {n.diff(DOOR_3, t):+.3f} and {n.diff(DOOR_15, t):+.3f}, trust "
        f"in neighbours by {n.diff(DOOR_3, nb):+.3f} and {n.diff(DOOR_15, nb):+.3f}.\n"
        f"- Switched off after a year (15 visits, weeks {data['settings']['switch_week'] + 1} to "
        f"{data['settings']['stop_week']}), in the year after: undetected needs {_pct(n.off(u, 'off'))} "
        f"(against {_pct(n.off(u, 'kept'))} had it stayed on and {_pct(n.off(u, 'never'))} without it), trust "
        f"in the committee {n.off(t, 'off'):.2f} (against {n.off(t, 'kept'):.2f} on and {n.off(t, 'never'):.2f} "
        f"without).\n")


def mediation_block(data: dict) -> str:
    n, k = Numbers(data), len(data["settings"]["seeds"])
    d, g, r, c = "disputes_open", "group_disputes_open", "resolved_share", "cohesion_index"
    weeks = data["experiments"][MEDIATION_1]["group_dispute_weeks"]
    more = [(w, m) for w, m in zip(weeks["without"], weeks["with"], strict=True) if m > w]
    window = data["settings"]["window"]
    if more:
        worse = (f"in {len(more)} of the {k} seeds the third year had *more* weeks with a group dispute open with "
                 "mediation at 1 case a week than without it (" +
                 ", ".join(f"{m} weeks against {w}" for w, m in more) + ": the runs diverge after the switch)")
    else:
        worse = "in no seed did the third year have more weeks with a group dispute open with mediation than without"
    pairs = ", ".join(f"{w} → {m}" for w, m in zip(weeks["without"], weeks["with"], strict=True))
    return (
        f"- Over {k} seeds, open disputes in the third year went from {n.mean(MEDIATION_1, d, 'without'):.2f} to "
        f"{n.mean(MEDIATION_1, d, 'with'):.2f} on average ({n.mean(MEDIATION_5, d, 'with'):.2f} at 5 cases a "
        f"week) and the share of the year's disputes resolved from {n.mean(MEDIATION_1, r, 'without'):.0%} to "
        f"{n.mean(MEDIATION_1, r, 'with'):.0%} ({n.mean(MEDIATION_5, r, 'with'):.0%}).\n"
        f"- Group disputes are rare in 360 residents and one run is one story. Over {k} seeds they were open "
        f"{n.mean(MEDIATION_1, g, 'without'):.2f} on average without mediation, "
        f"{n.mean(MEDIATION_1, g, 'with'):.2f} with 1 case a week and {n.mean(MEDIATION_5, g, 'with'):.2f} with "
        f"5; {worse}. Weeks of the third year ({window[1] - window[0] + 1}) with a group dispute open, seed by "
        f"seed, without → with 1 case a week: {pairs}. With seed {data['settings']['seeds'][0]} group disputes "
        f"were open {n.first(MEDIATION_1, g, 'without'):.2f} on average in the third year without mediation and "
        f"{n.first(MEDIATION_1, g, 'with'):.2f} with it.\n"
        f"- The cohesion index changed by {n.diff(MEDIATION_1, c):+.3f} with mediation at 1 case a week.\n")


def fund_block(data: dict) -> str:
    n, k, first = Numbers(data), len(data["settings"]["seeds"]), data["settings"]["seeds"][0]
    o, p = "organizations_active", "participation_rate"
    return (
        f"- Active organisations rise in steps, at each funding round (the first in the week after the switch): "
        f"over {k} seeds, from {n.mean(FUND, o, 'without'):.1f} to {n.mean(FUND, o, 'with'):.1f} on average in "
        f"the third year.\n"
        f"- Participation went from {_pct(n.mean(FUND, p, 'without'))} to {_pct(n.mean(FUND, p, 'with'))} of "
        f"residents (seed {first}: {_pct(n.first(FUND, p, 'without'))} to {_pct(n.first(FUND, p, 'with'))}).\n"
        f"- Belonging changed by {n.diff(FUND, 'belonging'):+.3f} and the cohesion index by "
        f"{n.diff(FUND, 'cohesion_index'):+.3f}.\n")


def settings_block(data: dict) -> str:
    s = data["settings"]
    return (f"Settings: the {s['scenario']} scenario, the policy switched on after week {s['switch_week']}, "
            f"{len(s['seeds'])} seeds {s['seeds'][0]} to {s['seeds'][-1]}, means over the third year, weeks "
            f"{s['window'][0]} to {s['window'][1]}, against the same seeds without the policy.\n")


RENDER = {"lesson-settings": settings_block, "lesson-door-knocking": door_knocking_block,
          "lesson-mediation": mediation_block, "lesson-fund": fund_block}


def blocks(path: Path = LESSON) -> dict:
    """docs/teaching.md's generated blocks: name -> a function giving its text."""
    data = read(path) if path.exists() else None

    def render(name):
        if data is None:
            raise FileNotFoundError(f"{path} is missing; run: python experiments/teaching_lesson.py")
        return RENDER[name](data)

    return {name: (lambda name=name: render(name)) for name in RENDER}
