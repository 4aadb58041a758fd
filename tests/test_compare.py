"""Comparing arms: common random numbers, paired intervals, costs, and the effects of the
main policies on B community."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import simgov
from simgov.cli import main
from simgov.experiment import paired_interval, run_comparison, simulate
from simgov.experiment.compare import EFFECT_COLUMNS, MAIN_OUTCOMES
from simgov.metrics import METRIC_NAMES
from simgov.policies import POLICY_TYPES


@pytest.fixture(scope="module")
def with_arms(small):
    """The small community with a warm-up, an arm identical to the baseline and timed policies."""
    arms = {
        "same": {"description": "no policy: identical to the baseline"},
        "late_visits": {"policies": (POLICY_TYPES["door_knocking"](type="door_knocking", start_week=52),)},
        "mediation": {"policies": (POLICY_TYPES["mediation"](type="mediation"),)},
    }
    from simgov.scenario.schema import Arm
    return small.model_copy(update={"warmup_weeks": 8, "targets": (), "arms": {k: Arm(**v) for k, v in arms.items()}})


def test_paired_interval_matches_the_t_interval_by_hand():
    d = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    mean, lo, hi = paired_interval(d)
    half = stats.t.ppf(0.975, 4) * np.sqrt(2.5) / np.sqrt(5)  # sd of 1..5 is sqrt(2.5)
    assert mean == 3.0
    assert (lo, hi) == pytest.approx((3.0 - half, 3.0 + half))
    assert half == pytest.approx(1.9632, abs=1e-4)
    assert paired_interval(np.array([2.0, 2.0, 2.0])) == (2.0, 2.0, 2.0)
    assert np.isnan(paired_interval(np.array([1.0]))[1])


def test_an_arm_identical_to_the_baseline_differs_by_exactly_zero(with_arms):
    c = run_comparison(with_arms, reps=3, weeks=20, arms=["same"], progress=False)
    e = c.effects
    assert list(e.columns) == EFFECT_COLUMNS
    assert set(e.metric) == set(METRIC_NAMES) and (e.reps == 3).all()
    assert (e.difference == 0).all() and (e.ci_low == 0).all() and (e.ci_high == 0).all()


def test_a_policy_from_week_52_leaves_weeks_0_to_51_identical(with_arms):
    base = simulate(with_arms, weeks=70).timeseries
    late = simulate(with_arms, weeks=70, arm="late_visits").timeseries
    pd.testing.assert_frame_equal(base.iloc[:52], late.iloc[:52])
    assert not base.iloc[52:].equals(late.iloc[52:])
    assert late.policy_yuan_total.iloc[51] == 0 and late.policy_yuan_total.iloc[52] > 0


def test_arms_share_their_random_streams_replicate_by_replicate(with_arms):
    """CRN: replicate i of every arm starts from the same community and draws the same
    numbers, so paired differences vary far less than the outcomes themselves."""
    c = run_comparison(with_arms, reps=6, weeks=40, arms=["mediation"], progress=False)
    week0 = {(r.arm, r.replicate): r.timeseries.iloc[0] for r in c.results}
    for i in range(6):
        pd.testing.assert_series_equal(week0[("baseline", i)], week0[("mediation", i)])
    final = {a: np.array([r.summary.loc["trust_neighbors", "final_year_mean"] for r in c.results if r.arm == a])
             for a in ("baseline", "mediation")}
    assert np.std(final["mediation"] - final["baseline"]) < 0.5 * np.std(final["baseline"])


def test_parallel_workers_give_the_same_results_as_serial(with_arms):
    serial = run_comparison(with_arms, reps=2, weeks=10, arms=["mediation"], progress=False)
    parallel = run_comparison(with_arms, reps=2, weeks=10, arms=["mediation"], progress=False, workers=2)
    pd.testing.assert_frame_equal(serial.effects, parallel.effects)
    for a, b in zip(serial.results, parallel.results, strict=True):
        assert (a.arm, a.replicate) == (b.arm, b.replicate)
        pd.testing.assert_frame_equal(a.timeseries, b.timeseries)


def test_costs_are_booked_per_arm_and_priced_per_unit_of_effect(with_arms):
    c = run_comparison(with_arms, reps=3, weeks=30, arms=["mediation", "same"], progress=False)
    costs = c.costs.set_index("arm")
    assert costs.loc["same", "yuan_per_year"] == 0.0
    # the fixed part (studio, legal support) and 100 yuan per case taken
    cases = np.mean([r.timeseries.cases_mediated.iloc[1:].sum() for r in c.results if r.arm == "mediation"])
    assert costs.loc["mediation", "yuan_per_year"] == pytest.approx(6000 + 200 * 52 + 100 * cases * 52 / 30)
    assert costs.loc["mediation", "staff_hours_per_year"] > 0
    for metric in MAIN_OUTCOMES:
        assert f"yuan_per_unit:{metric}" in costs.columns
    assert costs.filter(like="yuan_per_unit").loc["same"].isna().all()  # no effect, no price


def test_compare_api_returns_the_effects_table_with_costs_attached(with_arms):
    table = simgov.compare(with_arms, reps=2, weeks=8, arms=["same"], progress=False)
    assert list(table.columns) == EFFECT_COLUMNS
    assert list(table.attrs["costs"].arm) == ["same"]


def test_compare_needs_an_arm_to_compare(small):
    with pytest.raises(simgov.InputError, match="no arm besides"):
        run_comparison(small.model_copy(update={"arms": {}, "targets": ()}), reps=1, weeks=2)


def test_cli_compare_writes_effects_costs_and_report(tmp_path, capsys):
    out = tmp_path / "cmp"
    code = main(["compare", "b-community", "--reps", "2", "--weeks", "6", "--arm", "mediation",
                 "--out", str(out), "--quiet"])
    assert code == 0
    for name in ("effects.csv", "costs.csv", "timeseries.csv", "summary.csv", "manifest.json", "report.html"):
        assert (out / name).is_file(), name
    effects = pd.read_csv(out / "effects.csv")
    assert list(effects.columns) == EFFECT_COLUMNS and set(effects.arm) == {"mediation"}
    costs = pd.read_csv(out / "costs.csv")
    assert list(costs.arm) == ["mediation"] and costs.yuan_per_year.iloc[0] > 0
    assert "Effects against baseline" in (out / "report.html").read_text(encoding="utf-8")


def test_cli_compare_rejects_an_unknown_arm_or_reference(tmp_path, capsys):
    assert main(["compare", "b-community", "--arm", "mediaton", "--out", str(tmp_path)]) == 2
    assert "mediation" in capsys.readouterr().err
    assert main(["compare", "b-community", "--reference", "nothing", "--out", str(tmp_path)]) == 2
    assert "arms:" in capsys.readouterr().err


#: (arm, metric, sign of the expected effect) on B community.
EXPECTED = [
    ("door_knocking", "undetected_needs_share", -1),
    ("mediation", "group_disputes_open", -1),
    ("mediation", "resolved_share", +1),
    ("micro_venture_fund", "organizations_active", +1),
    ("micro_venture_fund", "participation_rate", +1),
]


def test_main_policies_change_their_outcomes_with_intervals_that_exclude_zero():
    """B community, 20 replicates over 3 years (one test: the 80 runs are shared)."""
    c = run_comparison("b-community", reps=20, weeks=156,
                       arms=["door_knocking", "mediation", "micro_venture_fund"], progress=False)
    effects = c.effects.set_index(["arm", "metric"])
    misses = []
    for arm, metric, sign in EXPECTED:
        e = effects.loc[(arm, metric)]
        assert e.reps == 20
        if not (e.ci_high < 0 if sign < 0 else e.ci_low > 0):
            misses.append(f"{arm} {metric}: {e.difference:+.4f} [{e.ci_low:+.4f}, {e.ci_high:+.4f}]")
    assert not misses, misses
