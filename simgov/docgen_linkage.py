"""The linkage experiment's numbers (docs/linkage-experiment.md), generated from its data file.

``experiments/linkage_experiment.py`` runs linked and siloed B community and X street with
and without an epidemic lockdown and writes every estimate with its paired 95% interval to
``docs/data/linkage-experiment.csv`` (and how it was made to the .json beside it);
``python -m simgov.docgen`` fills the document's generated blocks from them: the settings,
the tables of effects and of cell means, and one plain sentence per community and outcome
saying what the interval says, in whichever direction it points. This module also names the
quantities the script writes, so the two cannot disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from simgov.metrics import METRICS

DATA = Path(__file__).resolve().parent.parent / "docs" / "data" / "linkage-experiment.csv"
SHOCK_ARM = "epidemic"
#: The cells of the 2 x 2: linkage level x shock, as written in the ``quantity`` column.
CELLS = [(k, s) for k in ("linked", "siloed") for s in ("none", SHOCK_ARM)]
CELL_NAMES = {cell: "/".join(cell) for cell in CELLS}
CELL_LABELS = {("linked", "none"): "linked, no shock", ("linked", SHOCK_ARM): "linked, epidemic",
               ("siloed", "none"): "siloed, no shock", ("siloed", SHOCK_ARM): "siloed, epidemic"}
#: Contrast -> (cell, cell) whose per-replicate difference it is.
CONTRASTS = {
    "linkage_effect/none": (("linked", "none"), ("siloed", "none")),
    f"linkage_effect/{SHOCK_ARM}": (("linked", SHOCK_ARM), ("siloed", SHOCK_ARM)),
    "shock_effect/linked": (("linked", SHOCK_ARM), ("linked", "none")),
    "shock_effect/siloed": (("siloed", SHOCK_ARM), ("siloed", "none")),
}
#: The linkage effect with the shock minus without it, per replicate: the sources' claim.
INTERACTION = "interaction"
CONTRAST_LABELS = {"linkage_effect/none": "linkage effect, no shock",
                   f"linkage_effect/{SHOCK_ARM}": "linkage effect, epidemic",
                   INTERACTION: "linkage x epidemic", "shock_effect/linked": "epidemic effect, linked",
                   "shock_effect/siloed": "epidemic effect, siloed"}
#: Final-year means compared, and the shock outcomes (simgov.shocks.outcomes).
OUTCOMES = ("cohesion_index", "trust_neighbors", "trust_committee", "unmet_needs_share", "needs_met",
            "disputes_open")
SHOCK_OUTCOMES = ("peak_unmet", "weeks_to_recover", "disputes_during")
#: The shock read against the same replicate without it (in the shocked cells only).
PAIRED_OUTCOMES = ("excess_peak_unmet", "weeks_to_recover_paired", "recovered_to_calm")
COMMUNITY_NAMES = {"b-community": "B community", "x-street": "X street"}
_METRIC = {m.name: m for m in METRICS}
_LABELS = {"cohesion_index": "cohesion index", "trust_neighbors": "trust in neighbours",
           "trust_committee": "trust in the committee", "unmet_needs_share": "unmet needs",
           "needs_met": "needs met a week",
           "disputes_open": "open disputes"}
#: The shock outcomes' names, units and better directions.
_SHOCK = {"peak_unmet": ("peak unmet needs", "share", "lower"),
          "weeks_to_recover": ("weeks to recover", "weeks", "lower"),
          "disputes_during": ("disputes during the shock", "count", "lower"),
          "excess_peak_unmet": ("excess peak unmet needs", "share", "lower"),
          "weeks_to_recover_paired": ("weeks to recover to calm", "weeks", "lower"),
          "recovered_to_calm": ("recovered to calm in the run", "share", "higher")}


def label(outcome: str) -> str:
    return _SHOCK[outcome][0] if outcome in _SHOCK else _LABELS[outcome]


def unit(outcome: str) -> str:
    """What an outcome is measured in: share, index, count or weeks."""
    return _SHOCK[outcome][1] if outcome in _SHOCK else _METRIC[outcome].unit


def better(outcome: str) -> str:
    """'higher' or 'lower': the direction in which the outcome improves."""
    return _SHOCK[outcome][2] if outcome in _SHOCK else _METRIC[outcome].better


def level(x: float, outcome: str) -> str:
    """A cell's value: shares in per cent, indices to three places, counts and weeks to one."""
    if pd.isna(x):
        return "–"
    kind = unit(outcome)
    return f"{100 * x:.1f}%" if kind == "share" else f"{x:.3f}" if kind == "index" else f"{x:.1f}"


def change(x: float, outcome: str) -> str:
    """A difference: shares in percentage points, indices to four places, counts to one."""
    if pd.isna(x):
        return "–"
    kind = unit(outcome)
    return f"{100 * x:+.1f} pp" if kind == "share" else f"{x:+.4f}" if kind == "index" else f"{x:+.1f}"


def interval(row, outcome: str, reps: int | None = None) -> str:
    """``change [low, high]`` of a CSV row of ``outcome``, with its count of replicates where
    fewer than ``reps`` gave a value."""
    if row.n == 0:
        return "–"
    text = change(row.estimate, outcome)
    if not pd.isna(row.ci_low):
        text += f" [{change(row.ci_low, outcome)}, {change(row.ci_high, outcome)}]"
    return text + (f" (n={int(row.n)})" if reps is not None and row.n < reps else "")


def read(path: Path = DATA) -> tuple[pd.DataFrame, dict]:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; run: python experiments/linkage_experiment.py")
    return pd.read_csv(path), json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def _rows(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index(["community", "outcome", "quantity"])


def settings_block(table: pd.DataFrame, meta: dict) -> str:
    s = meta["shock"]
    parts = [f"{COMMUNITY_NAMES[c]} ({a['residents']:,} residents, linkage {a['linkage_strength']:g} in its "
             f"file, seed {a['seed']}): {a['reps']} replicates per cell"
             for c, a in meta["communities"].items()]
    warmups = {c: a["warmup_weeks"] for c, a in meta["communities"].items()}
    warmup = (f"a {next(iter(warmups.values()))}-week warm-up" if len(set(warmups.values())) == 1 else
              " and ".join(f"{w}-week ({COMMUNITY_NAMES[c]})" for c, w in warmups.items()) + " warm-ups")
    return (f"Settings: {'; '.join(parts)}. {meta['weeks']} simulated weeks after {warmup}; "
            f"the epidemic lockdown in weeks {s['start_week']} to {s['start_week'] + s['weeks'] - 1} "
            f"(size {s['size']:g}, need jump {s['need_jump']:g}, response share {s['response_share']:g}, "
            f"activities stopped {s['activities_stop']:g}, in-person outreach cut {s['outreach_limit']:g}, "
            f"{s['party_member_checks']:g} household checks a week per resident Party member); final-year "
            f"means over weeks {meta['weeks'] - 51} to {meta['weeks']}. Command: `{meta['command'].strip()}`; "
            f"simulating took {_minutes(meta)} with {meta['workers']} worker processes, at commit "
            f"{', '.join(sorted({c for a in meta['communities'].values() for c in a.get('commits', [])})) or '?'}.\n")


def _minutes(meta: dict) -> str:
    seconds = [a.get("simulation_seconds") for a in meta["communities"].values()]
    if any(s is None for s in seconds):
        return "an unrecorded time"
    def minutes(s: float) -> str:
        m = round(s / 60)
        return f"{s:.0f} seconds" if m < 1 else f"{m} minute{'s' if m != 1 else ''}"

    return " and ".join(f"{minutes(s)} ({COMMUNITY_NAMES[c]})"
                        for c, s in zip(meta["communities"], seconds, strict=True))


def effects_block(table: pd.DataFrame, meta: dict) -> str:
    rows = _rows(table)
    heads = ["linkage_effect/none", f"linkage_effect/{SHOCK_ARM}", INTERACTION, "shock_effect/linked",
             "shock_effect/siloed"]
    out = []
    for community in meta["communities"]:
        out += [f"**{COMMUNITY_NAMES[community]}** (linked minus siloed; epidemic minus none; mean over "
                "replicates and paired 95% interval)\n",
                "| outcome | " + " | ".join(CONTRAST_LABELS[h] for h in heads) + " |",
                "|---|" + "---:|" * len(heads)]
        for outcome in OUTCOMES + SHOCK_OUTCOMES + PAIRED_OUTCOMES:
            reps = meta["communities"][community]["reps"]
            cells = [interval(rows.loc[(community, outcome, h)], outcome, reps) for h in heads]
            out.append(f"| {label(outcome)} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def cells_block(table: pd.DataFrame, meta: dict) -> str:
    rows = _rows(table)
    out = []
    for community in meta["communities"]:
        out += [f"**{COMMUNITY_NAMES[community]}** (mean over replicates)\n",
                "| outcome | " + " | ".join(CELL_LABELS[c] for c in CELLS) + " |", "|---|" + "---:|" * len(CELLS)]
        for outcome in OUTCOMES + SHOCK_OUTCOMES + PAIRED_OUTCOMES:
            values = [rows.loc[(community, outcome, CELL_NAMES[c])] for c in CELLS]
            reps = meta["communities"][community]["reps"]
            cells = [level(v.estimate, outcome) + (f" (n={int(v.n)})" if 0 < v.n < reps else "") for v in values]
            out.append(f"| {label(outcome)} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def _reading(row, outcome: str) -> str:
    """What an interval says: which way, or that it includes zero."""
    if row.n == 0:
        return "not estimated: in no replicate did the run recover in every cell it takes"
    if pd.isna(row.ci_low):
        return f"no interval: {int(row.n)} replicate has a value in every cell it takes"
    if row.ci_low == row.ci_high:
        return "the same in every replicate" if row.estimate else "no difference in any replicate"
    if row.ci_low <= 0 <= row.ci_high:
        return "its interval includes zero"
    up = row.estimate > 0
    good = up == (better(outcome) == "higher")
    return f"its interval excludes zero ({'higher' if up else 'lower'}, {'better' if good else 'worse'})"


def findings_block(table: pd.DataFrame, meta: dict) -> str:
    rows = _rows(table)
    out = []
    for community in meta["communities"]:
        name, reps = COMMUNITY_NAMES[community], meta["communities"][community]["reps"]
        for outcome in OUTCOMES + SHOCK_OUTCOMES:
            none, shocked, both = (rows.loc[(community, outcome, q)] for q in
                                   ("linkage_effect/none", f"linkage_effect/{SHOCK_ARM}", INTERACTION))
            out.append(f"- {name}, {label(outcome)}: linked minus siloed {interval(none, outcome, reps)} without "
                       f"the epidemic and {interval(shocked, outcome, reps)} with it; the difference (linkage x "
                       f"epidemic) is {interval(both, outcome, reps)}: {_reading(both, outcome)}.")
        for outcome in PAIRED_OUTCOMES:  # defined only with the shock: linkage's effect on it is the contrast
            shocked = rows.loc[(community, outcome, f"linkage_effect/{SHOCK_ARM}")]
            out.append(f"- {name}, {label(outcome)} (the epidemic run against the same replicate without it): "
                       f"linked minus siloed {interval(shocked, outcome, reps)}: {_reading(shocked, outcome)}.")
    return "\n".join(out) + "\n"


RENDER = {"linkage-settings": settings_block, "linkage-effects": effects_block, "linkage-cells": cells_block,
          "linkage-findings": findings_block}


def blocks(path: Path = DATA) -> dict:
    """docs/linkage-experiment.md's generated blocks: name -> a function giving its text."""

    def render(name):
        table, meta = read(path)
        return RENDER[name](table, meta)

    return {name: (lambda name=name: render(name)) for name in RENDER}
