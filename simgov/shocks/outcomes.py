"""What a shock did to a run, read from its weekly record (one row per shock).

- ``pre_unmet``: the unmet needs share before the shock, the mean of ``unmet_needs_share``
  over the ``PRE_WEEKS`` weeks before its start week (week 0, the start, included when the
  shock starts early).
- ``peak_unmet``: the highest unmet needs share from the start week until the run has
  recovered, at most ``PEAK_AFTER`` weeks after the shock's last week (so that a drift of the
  community long after it, or a later shock, is not counted as its peak).
- ``weeks_to_recover``: the weeks after the shock's last week until the unmet needs share is
  back within ``RECOVERY_TOLERANCE`` (absolute) of ``pre_unmet``: 0 if it already is in the
  last week; empty (NaN, ``recovered`` false) if it is not by the end of the run.
  A community whose unmet needs drift with or without the shock is best read against the same
  run without it (an arm without the shock, with the same seeds: simgov compare).
- ``disputes_during``: disputes that arose in the weeks of the shock (``disputes_new``
  summed from its start week to its last, within the run).

Written per run as ``shocks.csv`` (simgov.experiment.output) and shown in the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Weeks before a shock whose mean unmet needs share is its pre-shock level.
PRE_WEEKS = 4
#: How close (in share points: 0.01 = one percentage point) the unmet needs share must come
#: back to its pre-shock level to count as recovered.
RECOVERY_TOLERANCE = 0.01
#: Weeks after a shock's last week within which its peak is looked for, if it has not recovered.
PEAK_AFTER = 26
#: The columns of a shock's outcomes, after its number, type and weeks.
OUTCOMES = ("pre_unmet", "peak_unmet", "weeks_to_recover", "recovered", "disputes_during")
COLUMNS = ("shock", "type", "start_week", "end_week", "size", *OUTCOMES)


def shock_outcomes(shocks, timeseries: pd.DataFrame) -> pd.DataFrame:
    """One row per shock (in the order listed) with the COLUMNS, from a run's weekly record."""
    unmet = timeseries["unmet_needs_share"].to_numpy()
    new = timeseries["disputes_new"].to_numpy()
    last = len(unmet) - 1
    rows = []
    for i, s in enumerate(shocks):
        start, end = s.start_week, s.end_week
        if start > last:  # the run ends before the shock starts: nothing to measure
            rows.append((i, s.type, start, end, s.size, np.nan, np.nan, np.nan, False, 0))
            continue
        pre = float(unmet[max(0, start - PRE_WEEKS):start].mean())
        after = np.flatnonzero(unmet[min(end, last):] <= pre + RECOVERY_TOLERANCE) if end <= last else np.empty(0)
        recovered = after.size > 0
        until = min(end, last) + int(after[0]) if recovered else min(end + PEAK_AFTER, last)
        rows.append((i, s.type, start, end, s.size, pre, float(unmet[start:until + 1].max()),
                     float(after[0]) if recovered else np.nan, recovered, int(new[start:min(end, last) + 1].sum())))
    return pd.DataFrame(rows, columns=list(COLUMNS))
