"""How the policy effects moved between two versions of the policy-effects table.

    python experiments/effects_change.py                      # the committed table against main's first parent
    python experiments/effects_change.py --before REV          # against the table at git revision REV
    python experiments/effects_change.py --before old.csv --after docs/data/policy-effects.csv

Prints, per policy and outcome, the effect before and after with their 95% intervals and the
change, largest changes (relative to the old interval's half-width) first, and writes the
table as CSV with ``--out``. Used for the closing note of a model change: which effects
changed, by how much, so that the why can be said beside each.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TABLE = "docs/data/policy-effects.csv"


def read(spec: str) -> pd.DataFrame:
    """A table from a file path, or from git (``REV`` or ``REV:path``)."""
    path = Path(spec)
    if path.is_file():
        return pd.read_csv(path)
    rev, _, inner = spec.partition(":")
    text = subprocess.run(["git", "show", f"{rev}:{inner or TABLE}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout
    return pd.read_csv(io.StringIO(text))


def changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["policy", "outcome"]
    both = before.merge(after, on=keys, suffixes=("_before", "_after"), how="outer")
    both["change"] = both.difference_after - both.difference_before
    half = (both.ci_high_before - both.ci_low_before) / 2
    both["change_in_old_halfwidths"] = both.change / half.where(half > 0)
    both["sign_flipped"] = (both.difference_before * both.difference_after) < 0
    cols = keys + ["difference_before", "ci_low_before", "ci_high_before", "reps_before",
                   "difference_after", "ci_low_after", "ci_high_after", "reps_after", "change",
                   "change_in_old_halfwidths", "sign_flipped"]
    return both[cols].sort_values("change_in_old_halfwidths", key=lambda s: -s.abs())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="HEAD~1", help="a CSV path or a git revision (default HEAD~1)")
    ap.add_argument("--after", default=str(ROOT / TABLE), help="a CSV path or a git revision")
    ap.add_argument("--out", type=Path, help="write the table here as CSV")
    ap.add_argument("--top", type=int, default=25, help="rows to print")
    args = ap.parse_args(argv)
    table = changes(read(args.before), read(args.after))
    if args.out:
        table.to_csv(args.out, index=False)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.head(args.top).to_string(index=False, float_format=lambda x: f"{x:+.4f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
