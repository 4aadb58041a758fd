"""The three live experiments of the lesson plan (docs/teaching.md), run as the class would run
them in the demo, to check what students should notice.

Each experiment runs the teaching estate from a seed twice: as it is, and with one policy
switched on from week ``SWITCH_WEEK`` through the panel's settings (``DemoModel.apply``,
exactly what the demo's switches do). Both runs share every random stream up to the switch,
so their difference after it is the policy's doing. Printed: for the demo's default seed (the
run the class sees) and as a mean over ``SEEDS`` seeds with the range across seeds, the
mean of each outcome over weeks ``WINDOW`` in both runs. Every number, per seed, is written to
``docs/data/teaching-lesson.json``, from which ``python -m simgov.docgen`` fills the lesson
plan's generated blocks in docs/teaching.md.

    .venv/bin/python experiments/teaching_lesson.py && .venv/bin/python -m simgov.docgen
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from simgov.demo.levers import Setting, default_settings
from simgov.demo.model import DemoModel
from simgov.metrics import METRIC_NAMES

SWITCH_WEEK = 52
WINDOW = (104, 156)  # the third year: the policy has run for a year
SEEDS = range(2026, 2036)  # 2026 is the teaching estate's own seed, the demo's default
EXPERIMENTS = {
    "door-knocking, 3 visits a week": ("door_knocking", 3, (
        "undetected_needs_share", "vulnerable_unmet_needs_share", "trust_committee", "trust_neighbors",
        "cohesion_index")),
    "door-knocking, 15 visits a week": ("door_knocking", 15, (
        "undetected_needs_share", "vulnerable_unmet_needs_share", "trust_committee", "trust_neighbors",
        "cohesion_index")),
    "mediation, 1 case a week": ("mediation", 1, (
        "disputes_open", "group_disputes_open", "resolved_share", "cohesion_index")),
    "mediation, 5 cases a week": ("mediation", 5, (
        "disputes_open", "group_disputes_open", "resolved_share", "cohesion_index")),
    "micro-venture fund, 20,000 yuan": ("micro_venture_fund", 20_000, (
        "organizations_active", "participation_rate", "belonging", "cohesion_index")),
}
DATA = Path(__file__).resolve().parent.parent / "docs" / "data" / "teaching-lesson.json"
#: Switching off again: door-knocking at 15 visits a week in the second year only.
STOP_WEEK = 104


def run(seed: int, policy: str | None = None, value: float = 0.0, stop: int | None = None) -> np.ndarray:
    """Weekly metrics of one run (rows = weeks 0..156), the policy switched on after week
    SWITCH_WEEK (and off again after week ``stop``)."""
    model = DemoModel(seed=seed)
    settings = default_settings(model.full_spec, model.policies)
    while model.running:
        if policy is not None and model.week == SWITCH_WEEK:
            model.apply({**settings, policy: Setting(True, value)})
        if stop is not None and model.week == stop:
            model.apply(settings)
        model.step()
    return model.recorder.values[: model.recorder.weeks_recorded]


def _window(values: np.ndarray, k: int, lo: int, hi: int) -> float:
    return float(values[lo:hi + 1, k].mean())


def lesson(seeds=SEEDS) -> dict:
    """Every number the lesson plan cites, per seed (lists in the order of ``seeds``)."""
    seeds = list(seeds)
    col = {name: k for k, name in enumerate(METRIC_NAMES)}
    lo, hi = WINDOW
    controls = {seed: run(seed) for seed in seeds}
    treated_runs = {}
    experiments = {}
    for title, (policy, value, outcomes) in EXPERIMENTS.items():
        treated = treated_runs[(policy, value)] = {seed: run(seed, policy, value) for seed in seeds}
        entry = {"policy": policy, "value": value, "outcomes": {
            name: {"without": [_window(controls[s], col[name], lo, hi) for s in seeds],
                   "with": [_window(treated[s], col[name], lo, hi) for s in seeds]} for name in outcomes}}
        if policy == "mediation":
            k = col["group_disputes_open"]
            entry["group_dispute_weeks"] = {
                "without": [int((controls[s][lo:hi + 1, k] > 0).sum()) for s in seeds],
                "with": [int((treated[s][lo:hi + 1, k] > 0).sum()) for s in seeds]}
        experiments[title] = entry
    kept = treated_runs[("door_knocking", 15)]  # the same runs as experiment "15 visits a week"
    stopped = {seed: run(seed, "door_knocking", 15, stop=STOP_WEEK) for seed in seeds}
    switch_off = {name: {"kept": [_window(kept[s], col[name], lo + 1, hi) for s in seeds],
                         "off": [_window(stopped[s], col[name], lo + 1, hi) for s in seeds],
                         "never": [_window(controls[s], col[name], lo + 1, hi) for s in seeds]}
                  for name in ("undetected_needs_share", "trust_committee", "cohesion_index")}
    return {"settings": {"switch_week": SWITCH_WEEK, "window": list(WINDOW), "stop_week": STOP_WEEK,
                         "seeds": seeds, "scenario": "teaching-estate"},
            "experiments": experiments, "switch_off": switch_off, "hidden_needs": hidden_needs(seeds[0])}


def hidden_needs(seed: int) -> dict:
    """Who has a need no service knows of, in the default run without policy (every 4th week)."""
    undetected, vulnerable, ties, all_ties = [], [], [], []
    model = DemoModel(seed=seed)
    while model.running:
        model.step()
        r = model.state.residents
        hidden = r.has_undetected_need()
        if model.week % 4 == 0 and hidden.any():
            friends = model.state.network.friends_outside_household()
            undetected.append((hidden[r.vulnerable].mean(), hidden[~r.vulnerable].mean()))
            vulnerable.append((r.vulnerable[hidden].mean(), r.vulnerable.mean()))
            ties.append(friends[hidden].mean())
            all_ties.append(friends.mean())
    u, v = np.mean(undetected, axis=0), np.mean(vulnerable, axis=0)
    return {"seed": seed, "undetected_vulnerable": float(u[0]), "undetected_others": float(u[1]),
            "vulnerable_among_undetected": float(v[0]), "vulnerable_all": float(v[1]),
            "friends_undetected": float(np.mean(ties)), "friends_all": float(np.mean(all_ties))}


def main() -> None:
    data = lesson()
    DATA.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    lo, hi = WINDOW
    n = len(data["settings"]["seeds"])
    for title, e in data["experiments"].items():
        print(f"\n{title}, from week {SWITCH_WEEK + 1}: mean over weeks {lo}-{hi}, without -> with")
        for name, v in e["outcomes"].items():
            without, with_ = np.array(v["without"]), np.array(v["with"])
            diff = with_ - without
            print(f"  {name:30s} seed {SEEDS[0]}: {without[0]:8.3f} -> {with_[0]:8.3f}   "
                  f"{n} seeds: {without.mean():8.3f} -> {with_.mean():8.3f} "
                  f"(difference {diff.mean():+.3f}, range {diff.min():+.3f} to {diff.max():+.3f})")
        if "group_dispute_weeks" in e:
            w = e["group_dispute_weeks"]
            print(f"  weeks with a group dispute open, of {hi - lo + 1}: without {w['without']}, with {w['with']}")
    print(f"\ndoor-knocking, 15 visits a week, weeks {SWITCH_WEEK + 1}-{STOP_WEEK} only: mean over weeks "
          f"{lo + 1}-{hi} (the year after), kept on -> switched off ({n} seeds)")
    for name, v in data["switch_off"].items():
        print(f"  {name:30s} kept on {np.mean(v['kept']):.3f}, switched off {np.mean(v['off']):.3f}, "
              f"never on {np.mean(v['never']):.3f}")
    h = data["hidden_needs"]
    print(f"\nundetected needs (seed {h['seed']}, no policy): {h['undetected_vulnerable']:.1%} of vulnerable and "
          f"{h['undetected_others']:.1%} of other residents; {h['vulnerable_among_undetected']:.0%} of them are "
          f"vulnerable ({h['vulnerable_all']:.0%} of all residents); friends outside the household: "
          f"{h['friends_undetected']:.1f} (all residents {h['friends_all']:.1f})")
    print(f"\nwritten: {DATA}; now run python -m simgov.docgen")


if __name__ == "__main__":
    main()
