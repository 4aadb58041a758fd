"""Validate every bundled scenario against its patterns and rewrite docs/validation.md.

    python experiments/validate_scenarios.py                     # all scenarios, each its own replicates
    python experiments/validate_scenarios.py --reps 10 --workers 2
    python experiments/validate_scenarios.py cuizhuyuan          # rerun one; the others' rows are kept

Each scenario runs five years (its `weeks`) in the arms its checks need; the table goes to
docs/data/validation.csv and the document is rendered from it with the explanations of misses
in docs/data/validation-notes.yaml. A miss with no explanation stops the script with a list,
so the document never shows an unexplained miss.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from simgov.errors import InputError
from simgov.experiment.validation import validate_patterns
from simgov.report.validation_page import document, read_notes, unexplained
from simgov.scenario import bundled_names, load_scenario

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "data" / "validation.csv"
NOTES = ROOT / "docs" / "data" / "validation-notes.yaml"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", help="bundled scenarios to rerun (default: all)")
    ap.add_argument("--reps", type=int, default=None, help="replicates (default: each scenario's own)")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    names = args.scenarios or bundled_names()
    try:
        for name in names:
            load_scenario(name)  # an unknown name fails before any run
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    old = pd.read_csv(TABLE) if TABLE.exists() else None
    tables = []
    for name in names:
        started = time.perf_counter()
        t = validate_patterns(name, reps=args.reps, workers=args.workers)
        tables.append(t)
        print(f"{name}: {int(t.passed.sum())}/{len(t)} pass ({time.perf_counter() - started:.0f} s)", flush=True)
    new = pd.concat(tables, ignore_index=True)
    if old is not None:  # keep the rows of scenarios not rerun, in the bundled order
        new = pd.concat([old[~old.scenario.isin(names)], new], ignore_index=True)
    order = {n: k for k, n in enumerate(bundled_names())}
    new = new[new.scenario.isin(order)].sort_values("scenario", key=lambda s: s.map(order), kind="stable")
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    new.to_csv(TABLE, index=False, float_format="%.6g")
    missing = unexplained(new, read_notes(NOTES))
    if missing:
        print("misses with no explanation in docs/data/validation-notes.yaml (under misses: SCENARIO: "
              "PATTERN@ARM):", *(f"  {s}: {p}@{a}" for s, p, a in missing), sep="\n", file=sys.stderr)
        return 1
    (ROOT / "docs" / "validation.md").write_text(document(ROOT), encoding="utf-8")
    print("wrote docs/data/validation.csv and docs/validation.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
