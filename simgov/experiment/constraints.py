"""Which constraints bound: how often each pool of money or hours fell short, per arm.

A pool binds in a week when something asked it for more than it had left (its ``*_short``
metric is positive: simgov.community.ledger). Per arm and pool, over the simulated weeks of
every replicate: the share of weeks in which it bound, the mean shortfall in those weeks,
and how much of the pool was used (hours used / available; for money, the share of weeks
that ended with the balance spent).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simgov.community.ledger import BOUNDED_PAYERS, WORKERS
from simgov.experiment.runs import RunResult

#: Columns of the constraints table.
CONSTRAINT_COLUMNS = ["arm", "pool", "unit", "weeks_binding_share", "mean_short_when_binding", "used_share", "reps"]
#: A pool binds "often" in an arm when it is short in at least this share of weeks.
OFTEN = 0.1


def _pools():
    """(pool, unit, shortfall column, used column or None, available column or None)."""
    for who in WORKERS:
        yield who, "hours", f"{who}_hours_short", f"{who}_hours_used", f"{who}_hours_available"
    for payer in BOUNDED_PAYERS:
        yield payer, "yuan", f"{payer}_yuan_short", None, None


def constraints_table(results: list[RunResult], arms: list[str]) -> pd.DataFrame:
    """One row per arm and pool (CONSTRAINT_COLUMNS)."""
    rows = []
    for arm in arms:
        runs = [r.timeseries.iloc[1:] for r in results if r.arm == arm]  # simulated weeks only
        if not runs:
            continue
        weeks = pd.concat(runs, ignore_index=True)
        for pool, unit, short, used, available in _pools():
            binding = weeks[short] > 1e-9
            mean_short = float(weeks.loc[binding, short].mean()) if binding.any() else 0.0
            if used is not None:
                total = float(weeks[available].sum())
                used_share = float(weeks[used].sum()) / total if total > 0 else float("nan")
            else:
                balance = "committee_balance_yuan" if pool == "committee" else "fund_balance_yuan"
                used_share = float(np.mean(weeks[balance] < 1.0))
            rows.append((arm, pool, unit, float(binding.mean()), mean_short, used_share, len(runs)))
    return pd.DataFrame(rows, columns=CONSTRAINT_COLUMNS)


def binding(table: pd.DataFrame, arm: str, often: float = OFTEN) -> list[str]:
    """The pools that bound in at least ``often`` of an arm's weeks, most often first."""
    mine = table[(table.arm == arm) & (table.weeks_binding_share >= often)]
    return mine.sort_values("weeks_binding_share", ascending=False).pool.tolist()
