"""Paired replicate values: the final-year table of an arm and the paired 95% interval.

Every comparison in simgov (effects, interactions, factorial contrasts) reduces each
replicate to one number per metric, a difference or contrast of arms that share the
replicate's seed (common random numbers), and summarises those numbers over replicates the
same way: their mean with a two-sided Student-t interval on ``reps - 1`` degrees of freedom,
``mean(d) +- t(0.975, reps - 1) * sd(d) / sqrt(reps)``. With one replicate there is no
interval (NaN); with identical values the interval is exactly the mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simgov.experiment.runs import RunResult


def paired_interval(differences: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of paired differences and its two-sided Student-t interval (NaN for one pair)."""
    d = np.asarray(differences, dtype=np.float64)
    mean = float(d.mean())
    if d.size < 2:
        return mean, float("nan"), float("nan")
    sd = float(d.std(ddof=1))
    if sd == 0.0:
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, d.size - 1)) * sd / np.sqrt(d.size)
    return mean, mean - half, mean + half


def final_year(results: list[RunResult], arm: str, reps: int) -> pd.DataFrame:
    """Replicates x metrics: each run's final-year mean, in replicate order."""
    by_rep = {r.replicate: r.summary["final_year_mean"] for r in results if r.arm == arm}
    return pd.DataFrame([by_rep[i] for i in range(reps)], index=range(reps))
