"""Which resources ran out: the binding constraints of an arm, from its weekly record.

The resource pools record, per week, the hours each group had, used and was asked for beyond
what it had (``<group>_hours_available``, ``_used``, ``_short`` for each group of
``simgov.community.ledger.WORKERS``), the money left (``committee_balance_yuan``,
``fund_balance_yuan``) and the money asked for and not paid (``<payer>_yuan_short``).

Rule: an hours pool binds when, in at least ``OFTEN`` of the simulated weeks (pooled over
replicates), it was used to at least ``FULL`` of what was available or hours were asked of it
that it did not have; a balance binds when money was asked of it and not paid, or it was at or
below zero after holding money, in at least ``OFTEN`` of the weeks (a fund that never held any,
as in a community without one, binds nothing). A column the record lacks is left out; a
results folder written before the pools were recorded has none, and the report says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simgov.community.ledger import WORKERS

#: Hours groups with a pool, in the order the report lists them.
HOUR_GROUPS = WORKERS
#: Balances the report watches.
BALANCES = ("committee_balance_yuan", "fund_balance_yuan")
#: Used / available at or above which a week counts as using the pool up.
FULL = 0.98
#: Share of weeks a pool must be used up (or a balance spent) to bind.
OFTEN = 0.5


def recorded(timeseries: pd.DataFrame) -> list[str]:
    """The pools the record has columns for (``<group>_hours`` and balance names)."""
    hours = [f"{g}_hours" for g in HOUR_GROUPS
             if f"{g}_hours_available" in timeseries.columns and f"{g}_hours_used" in timeseries.columns]
    return hours + [b for b in BALANCES if b in timeseries.columns]


def binding(timeseries: pd.DataFrame) -> list[tuple[str, float]]:
    """(pool, share of weeks it bound) for each pool that binds in ``timeseries`` (one arm,
    any number of replicates; week 0, the start, excluded). Pools are ``<group>_hours`` and
    the balance column names."""
    weeks = timeseries[timeseries["week"] > 0] if (timeseries["week"] > 0).any() else timeseries
    out = []
    for group in HOUR_GROUPS:
        avail, used = f"{group}_hours_available", f"{group}_hours_used"
        if avail in weeks and used in weeks:
            a, u = weeks[avail].to_numpy(float), weeks[used].to_numpy(float)
            full = np.where(a > 0, u >= FULL * a, u > 0)
            if f"{group}_hours_short" in weeks:
                full |= weeks[f"{group}_hours_short"].to_numpy(float) > 0
            if full.mean() >= OFTEN:
                out.append((f"{group}_hours", float(full.mean())))
    for name in BALANCES:
        if name in weeks:
            balance = weeks[name].to_numpy(float)
            spent = (balance <= 0) & (balance > 0).any()
            short = name.replace("_balance_yuan", "_yuan_short")
            if short in weeks:
                spent |= weeks[short].to_numpy(float) > 0
            if spent.mean() >= OFTEN:
                out.append((name, float(spent.mean())))
    return out
