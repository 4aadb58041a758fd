"""A bundled scenario's validation record, for the report's "what this rests on" line.

``experiments/validate_scenarios.py`` writes docs/data/validation.csv; the wheel carries it as
``simgov/data/validation.csv`` (pyproject's force-include), a source checkout has it in docs/.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

_HERE = Path(__file__).resolve().parents[1]
PLACES = (_HERE / "data" / "validation.csv", _HERE.parent / "docs" / "data" / "validation.csv")


@cache
def _table() -> pd.DataFrame | None:
    for path in PLACES:
        if path.is_file():
            return pd.read_csv(path)
    return None


def validation_record(name: str) -> tuple[int, int, int] | None:
    """(checks passed, checks, replicates) for scenario ``name``, or None if it has no record."""
    table = _table()
    if table is None:
        return None
    rows = table[table.scenario == name]
    if rows.empty:
        return None
    return int(rows.passed.astype(bool).sum()), len(rows), int(rows.replicates.max())
