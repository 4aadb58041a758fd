"""experiments/relaxation_time.py and baseline_drift.py: the drift a warm-up would leave, the
first warm-up that leaves it within the margin, and the standard error of a drift."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "experiments"))
import baseline_drift  # noqa: E402
import relaxation_time as relax  # noqa: E402


def _table(volunteers_by_year: dict[int, list[float]]) -> pd.DataFrame:
    """Yearly means of two seeds: volunteers as given, every other metric constant."""
    rows = []
    for year, values in volunteers_by_year.items():
        for seed, v in enumerate(values):
            rows.append({"scenario": "s", "seed": seed, "year": year, "volunteers": v,
                         **{m: 1.0 for m in relax.METRICS if m != "volunteers"}})
    return pd.DataFrame(rows)


def test_the_drift_after_a_warm_up_is_year_w_plus_10_against_year_w_plus_1_of_the_seeds_mean():
    # The seeds' mean falls from 200 by 20 a year to 100 in year 6, then stays.
    mean = {y: max(200.0 - 20 * (y - 1), 100.0) for y in range(1, 16)}
    drift = relax.drifts(_table({y: [m - 10, m + 10] for y, m in mean.items()}))
    assert list(drift.index) == list(range(6))  # 15 years leave six candidate warm-ups
    assert drift.loc[0, "volunteers"] == pytest.approx((100 - 200) / 200)
    assert drift.loc[4, "volunteers"] == pytest.approx((100 - 120) / 120)
    assert drift.loc[5, "volunteers"] == 0.0 and (drift["belonging"] == 0).all()


def test_a_metric_is_settled_from_the_first_warm_up_whose_drift_and_the_next_ones_are_within_the_margin():
    tol = relax.MARGIN * baseline_drift.COUNT_TOLERANCE
    drift = pd.DataFrame({"volunteers": [-0.5, 0.5 * tol, 2 * tol, 0.5 * tol, 0.0, -0.5 * tol, 0.0]})
    out = relax.settled_from(drift, confirm=2).set_index("metric")
    assert out.loc["volunteers", "warmup_years"] == 3  # year 1 is a lucky one: year 2 drifts again
    assert out.loc["volunteers", "warmup_weeks"] == 156
    never = relax.settled_from(pd.DataFrame({"volunteers": [1.0] * 5}), confirm=2).set_index("metric")
    assert never.loc["volunteers", "warmup_years"] is None


def test_the_drift_check_gives_the_standard_error_of_a_ratio_of_means_over_replicates():
    weeks = 104  # year 1 (weeks 1-52) and the last year (53-104)
    first, last = np.array([10.0, 20.0, 30.0]), np.array([12.0, 18.0, 33.0])
    rows = [{"replicate": i, "week": w, **{m: 1.0 for m in baseline_drift.SHARE_METRICS},
             "volunteers": first[i] if w <= 52 else last[i], "organizations_active": 5.0}
            for i in range(3) for w in range(1, weeks + 1)]
    out = {r["metric"]: r for r in baseline_drift.drift(pd.DataFrame(rows), weeks)}
    v = out["volunteers"]
    a, b = first.mean(), last.mean()
    assert v["change"] == pytest.approx(round(b / a - 1, 4))
    # delta method: the spread of b_i - (b / a) a_i, over the mean of a, over sqrt(n)
    assert v["se"] == pytest.approx(round(np.std(last - b / a * first, ddof=1) / a / np.sqrt(3), 4))
    assert out["organizations_active"]["se"] == 0.0 and out["organizations_active"]["ok"]
    assert out["cohesion_index"]["change"] == 0.0 and out["cohesion_index"]["kind"] == "absolute"
