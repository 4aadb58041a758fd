"""The three live experiments of the lesson plan (docs/teaching.md), run as the class would run
them in the demo, to check what students should notice.

Each experiment runs the teaching estate from a seed twice: as it is, and with one policy
switched on from week ``SWITCH_WEEK`` through the panel's settings (``DemoModel.apply``,
exactly what the demo's switches do). Both runs share every random stream up to the switch,
so their difference after it is the policy's doing. Printed: for the demo's default seed (the
run the class sees) and as a mean over ``SEEDS`` seeds with the range across seeds, the
mean of each outcome over weeks ``WINDOW`` in both runs.

    .venv/bin/python experiments/teaching_lesson.py
"""

from __future__ import annotations

import numpy as np

from simgov.demo.levers import Setting, default_settings
from simgov.demo.model import DemoModel
from simgov.metrics import METRIC_NAMES

SWITCH_WEEK = 52
WINDOW = (104, 156)  # the third year: the policy has run for a year
SEEDS = range(2026, 2036)  # 2026 is the teaching estate's own seed, the demo's default
EXPERIMENTS = {
    "door-knocking, 3 visits a week": ("door_knocking", 3, (
        "undetected_needs_share", "vulnerable_unmet_needs_share", "trust_committee", "cohesion_index")),
    "door-knocking, 15 visits a week": ("door_knocking", 15, (
        "undetected_needs_share", "vulnerable_unmet_needs_share", "trust_committee", "cohesion_index")),
    "mediation, 1 case a week": ("mediation", 1, (
        "disputes_open", "group_disputes_open", "resolved_share", "cohesion_index")),
    "mediation, 5 cases a week": ("mediation", 5, (
        "disputes_open", "group_disputes_open", "resolved_share", "cohesion_index")),
    "micro-venture fund, 20,000 yuan": ("micro_venture_fund", 20_000, (
        "organizations_active", "participation_rate", "belonging", "cohesion_index")),
}
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


def main() -> None:
    col = {name: k for k, name in enumerate(METRIC_NAMES)}
    lo, hi = WINDOW
    controls = {seed: run(seed) for seed in SEEDS}
    for title, (policy, value, outcomes) in EXPERIMENTS.items():
        print(f"\n{title}, from week {SWITCH_WEEK + 1}: mean over weeks {lo}-{hi}, without -> with")
        treated = {seed: run(seed, policy, value) for seed in SEEDS}
        for name in outcomes:
            k = col[name]
            without = np.array([controls[s][lo:hi + 1, k].mean() for s in SEEDS])
            with_ = np.array([treated[s][lo:hi + 1, k].mean() for s in SEEDS])
            diff = with_ - without
            first = SEEDS[0]
            print(f"  {name:30s} seed {first}: {without[0]:8.3f} -> {with_[0]:8.3f}   "
                  f"{len(SEEDS)} seeds: {without.mean():8.3f} -> {with_.mean():8.3f} "
                  f"(difference {diff.mean():+.3f}, range {diff.min():+.3f} to {diff.max():+.3f})")
        if policy == "mediation":
            weeks_with_group = [int((controls[s][lo:hi + 1, col["group_disputes_open"]] > 0).sum()) for s in SEEDS]
            treated_weeks = [int((treated[s][lo:hi + 1, col["group_disputes_open"]] > 0).sum()) for s in SEEDS]
            print(f"  weeks with a group dispute open, of {hi - lo + 1}: without {weeks_with_group}, "
                  f"with {treated_weeks}")
    print(f"\ndoor-knocking, 15 visits a week, weeks {SWITCH_WEEK + 1}-{STOP_WEEK} only: mean over weeks "
          f"{lo + 1}-{hi} (the year after), kept on -> switched off ({len(SEEDS)} seeds)")
    kept = {seed: run(seed, "door_knocking", 15) for seed in SEEDS}
    stopped = {seed: run(seed, "door_knocking", 15, stop=STOP_WEEK) for seed in SEEDS}
    for name in ("undetected_needs_share", "trust_committee", "cohesion_index"):
        k = col[name]
        on = np.mean([kept[s][lo + 1:hi + 1, k].mean() for s in SEEDS])
        off = np.mean([stopped[s][lo + 1:hi + 1, k].mean() for s in SEEDS])
        never = np.mean([controls[s][lo + 1:hi + 1, k].mean() for s in SEEDS])
        print(f"  {name:30s} kept on {on:.3f}, switched off {off:.3f}, never on {never:.3f}")
    undetected, vulnerable, ties, all_ties = [], [], [], []
    model = DemoModel(seed=SEEDS[0])
    while model.running:  # who has a need no service knows of? (the default run, every 4th week)
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
    print(f"\nundetected needs (seed {SEEDS[0]}, no policy): {u[0]:.1%} of vulnerable and {u[1]:.1%} of other "
          f"residents; {v[0]:.0%} of them are vulnerable ({v[1]:.0%} of all residents); friends outside the "
          f"household: {np.mean(ties):.1f} (all residents {np.mean(all_ties):.1f})")


if __name__ == "__main__":
    main()
