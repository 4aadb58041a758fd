"""Comparisons under parameter uncertainty: draws, the statistics on synthetic tables (no
simulation), and one small comparison end to end (CLI, folder, resume, report)."""

import json

import numpy as np
import pandas as pd
import pytest

import simgov
from simgov.errors import InputError
from simgov.experiment.compare import COST_METRICS, paired_interval
from simgov.metrics import METRIC_NAMES
from simgov.uncertainty import decision as D
from simgov.uncertainty.draws import posterior_draws, prior_draws, read_posterior
from simgov.uncertainty.priors import priors


# ----------------------------------------------------------------------------- draws
def test_prior_draws_are_seeded_inside_each_prior_and_whole_where_the_field_is(b_community):
    a, b = prior_draws(b_community, 20, seed=7), prior_draws(b_community, 20, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(prior_draws(b_community, 20, seed=8))
    for e in priors(b_community):
        column = a[e.path]
        assert column.between(e.prior.low, e.prior.high).all(), e.path
        if e.kind == "int":
            assert column.dtype == np.int64, e.path
    # a Latin hypercube: one draw in each twentieth of every prior's quantiles
    e = next(e for e in priors(b_community) if e.kind == "float" and e.prior.dist == "beta")
    from scipy import stats
    u = stats.beta(*_beta_ab(e.prior)).cdf(a[e.path])
    assert sorted(np.floor(u * 20).astype(int)) == list(range(20))


def _beta_ab(p):
    m, v = p.mean, p.sd ** 2
    k = m * (1 - m) / v - 1
    return m * k, (1 - m) * k


def test_prior_draws_of_named_paths_and_an_unknown_one(b_community):
    assert list(prior_draws(b_community, 3, 1, paths=["actors.social_workers"]).columns) == ["actors.social_workers"]
    with pytest.raises(InputError, match="no prior for nosuch.path"):
        prior_draws(b_community, 3, 1, paths=["nosuch.path"])


def test_posterior_draws_follow_the_weights(tmp_path):
    file = tmp_path / "posterior.csv"
    pd.DataFrame({"weight": [0.7, 0.3, 0.0], "parameters.x": [1.0, 2.0, 3.0]}).to_csv(file, index=False)
    draws = posterior_draws(read_posterior(file), 100, seed=3)
    assert draws["parameters.x"].value_counts().to_dict() == {1.0: 70, 2.0: 30}
    pd.testing.assert_frame_equal(draws, posterior_draws(read_posterior(file), 100, seed=3))


@pytest.mark.parametrize("text, says", [
    ("x,weight\n1,1\n", "first column is 'weight'"),
    ("weight,parameters.x\n0.5,1\n0.4,2\n", "add up to 1"),
    ("weight,parameters.x\n1,abc\n", "finite number"),
    ("weight\n1\n", "at least one particle"),
])
def test_a_bad_posterior_file_is_named_with_its_column(tmp_path, text, says):
    file = tmp_path / "posterior.csv"
    file.write_text(text)
    with pytest.raises(InputError, match=says) as info:
        read_posterior(file)
    assert str(file) in str(info.value)


# ----------------------------------------------------------------------------- synthetic runs tables
def runs_table(values: dict[str, np.ndarray], cost: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """A runs table from arm -> draws x replicates array of every metric (the same array for
    each), with yearly cost columns (``cost``: arm -> draws array; default 0)."""
    rows = []
    for arm, a in values.items():
        for j in range(a.shape[0]):
            for i in range(a.shape[1]):
                row = {"draw": j, "replicate": i, "arm": arm, **dict.fromkeys(METRIC_NAMES, float(a[j, i]))}
                row.update({c: float(cost[arm][j]) if cost else 0.0 for c in COST_METRICS.values()})
                rows.append(row)
    return pd.DataFrame(rows)


def test_a_prior_that_is_a_point_mass_gives_the_old_intervals():
    rng = np.random.default_rng(0)
    base, arm = rng.normal(size=5), rng.normal(size=5) + 0.3
    runs = runs_table({"baseline": np.tile(base, (4, 1)), "a": np.tile(arm, (4, 1))})
    effects = D.effects_table(runs, ["baseline", "a"], "baseline")
    diff, lo, hi = paired_interval(arm - base)
    row = effects[effects.metric == "cohesion_index"].iloc[0]
    assert row.difference == pytest.approx(diff, rel=1e-12)
    assert (row.ci_low, row.ci_high) == pytest.approx((lo, hi), rel=1e-12)
    assert (row.rep_ci_low, row.rep_ci_high) == pytest.approx((lo, hi), rel=1e-12)
    assert row.draws == 4 and row.reps == 5


def test_the_interval_spans_the_draws_and_keeps_the_replicate_only_one():
    # draws shift the effect by -1, 0, +1, ...; replicates add a small spread
    shifts = np.linspace(-2, 2, 41)
    noise = np.array([-0.01, 0.0, 0.01])
    runs = runs_table({"baseline": np.zeros((41, 3)), "a": shifts[:, None] + noise[None, :]})
    row = D.effects_table(runs, ["baseline", "a"], "baseline").iloc[0]
    assert row.ci_low < np.quantile(shifts, 0.03) and row.ci_high > np.quantile(shifts, 0.97)
    assert row.ci_low > -2.1 and row.ci_high < 2.1  # within the outermost components' intervals
    assert row.rep_ci_high - row.rep_ci_low < 0.1  # replicate noise alone
    assert row.rep_ci_low < row.difference < row.rep_ci_high


def test_mixture_interval_of_point_masses_is_the_draws_quantiles():
    means = np.arange(100, dtype=float)
    lo, hi = D.mixture_interval(means, np.zeros(100), n=3)
    assert (lo, hi) == pytest.approx((2.0, 97.0), abs=1e-9)


def test_p_best_adds_up_to_one_over_arms_ties_shared():
    shares = D.best_shares(np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0]]))
    assert shares == pytest.approx([0.25, 0.75, 0.0])
    rng = np.random.default_rng(1)
    runs = runs_table({arm: rng.normal(size=(30, 2)) for arm in ("baseline", "a", "b")})
    runs.loc[runs.arm == "b", "unmet_needs_share"] = runs.loc[runs.arm == "baseline", "unmet_needs_share"].to_numpy()
    table = D.decision_table(runs, ["baseline", "a", "b"], "baseline")
    assert set(table.metric) == {m.name for m in simgov.metrics.METRICS if m.better}
    assert np.allclose(table.groupby("metric").p_best.sum(), 1.0)


def test_p_best_and_beating_the_reference_follow_the_better_direction():
    # arm a is higher than the baseline in 3 of 4 draws, b always lowest
    a = np.array([[1.0], [1.0], [1.0], [-1.0]])
    runs = runs_table({"baseline": np.zeros((4, 1)), "a": a, "b": np.full((4, 1), -5.0)})
    table = D.decision_table(runs, ["baseline", "a", "b"], "baseline").set_index(["metric", "arm"])
    assert table.loc[("cohesion_index", "a"), "p_best"] == 0.75  # higher is better
    assert table.loc[("cohesion_index", "a"), "p_beats_reference"] == 0.75
    assert table.loc[("cohesion_index", "baseline"), "p_best"] == 0.25
    assert table.loc[("unmet_needs_share", "b"), "p_best"] == 1.0  # lower is better
    assert np.isnan(table.loc[("cohesion_index", "baseline"), "p_beats_reference"])


def test_ceac_goes_from_the_cheapest_arm_to_the_most_effective():
    # a: +1 point of cohesion for 5,000 yuan; b: +3 points for 60,000 yuan
    runs = runs_table({"baseline": np.zeros((10, 2)), "a": np.full((10, 2), 0.01), "b": np.full((10, 2), 0.03)},
                      cost={"baseline": np.zeros(10), "a": np.full(10, 5e3), "b": np.full(10, 6e4)})
    curve = D.ceac(runs, ["baseline", "a", "b"], "baseline", outcomes=["cohesion_index"])
    best = curve.loc[curve.groupby("yuan_per_unit").p_most_cost_effective.idxmax()].set_index("yuan_per_unit").arm
    assert best[0.0] == "baseline" and best[1e4] == "a" and best[1e5] == "b"  # a's ratio 5,000, b over a 27,500
    assert np.allclose(curve.groupby("yuan_per_unit").p_most_cost_effective.sum(), 1.0)


def test_evppi_is_zero_for_an_irrelevant_parameter_and_largest_for_the_decisive_one():
    rng = np.random.default_rng(4)
    k = 400
    draws = pd.DataFrame({"decisive": rng.uniform(-1, 1, k), "minor": rng.uniform(-1, 1, k),
                          "irrelevant": rng.uniform(-1, 1, k), "fixed": np.full(k, 2.0)})
    nb = pd.DataFrame({"baseline": np.zeros(k), "a": 10 * draws.decisive + 1 * draws.minor})
    table = D.evppi(nb, draws).set_index("parameter").evppi
    evpi = D.value_of_information(nb.to_numpy())
    assert table["decisive"] == table.max() and table["decisive"] > 0.8 * evpi
    assert 0 < table["minor"] < table["decisive"]
    # zero within the regression's sampling error (a smoother fitted to 400 noisy draws wiggles a little)
    assert table["irrelevant"] < 0.05 * table["decisive"] and table["fixed"] == pytest.approx(0.0, abs=1e-9)


def test_evppi_with_few_draws_is_a_straight_line_fit():
    theta = np.array([0.0, 1.0, 2.0, 3.0])
    fitted = D._smooth(theta, np.array([[0.0], [1.0], [2.0], [3.0]]) + np.array([[0.1], [-0.1], [0.1], [-0.1]]))
    assert np.allclose(np.diff(fitted[:, 0], 2), 0.0)


# ----------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def tiny(small):
    return small.model_copy(update={"name": "tiny", "weeks": 3})


def test_a_point_mass_posterior_reruns_the_ordinary_comparison(tiny, tmp_path):
    file = tmp_path / "posterior.csv"
    value = tiny.parameters.disputes.escalate_multi_party
    pd.DataFrame({"weight": [1.0], "parameters.disputes.escalate_multi_party": [value]}).to_csv(file, index=False)
    old = simgov.compare(tiny, reps=2, arms=["mediation"])
    new = simgov.compare(tiny, reps=2, arms=["mediation"], uncertainty=str(file), draws=2)
    for column in ("difference", "ci_low", "ci_high"):
        assert np.allclose(new[column], old[column], equal_nan=True), column
    assert np.allclose(new.rep_ci_low, old.ci_low, equal_nan=True)
    assert set(new.attrs) >= {"decision", "ceac", "evppi", "costs", "draws"}
    with pytest.raises(InputError, match="need uncertainty"):
        simgov.compare(tiny, reps=2, draws=3)


def test_compare_under_the_prior_writes_its_tables_resumes_and_reports(tiny, tmp_path, capsys):
    from simgov.cli import main
    from simgov.scenario import dump

    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(json.dumps(dump(tiny)))
    out = tmp_path / "out"
    args = ["compare", str(scenario), "--uncertainty", "prior", "--draws", "3", "--reps", "1", "--arm", "mediation",
            "--out", str(out)]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "is the best of these arms for" in said
    for name in ("draws.csv", "runs.parquet", "effects.csv", "costs.csv", "decision.csv", "ceac.csv", "evppi.csv",
                 "report.html"):
        assert (out / name).is_file(), name
    decision = pd.read_csv(out / "decision.csv")
    assert np.allclose(decision.groupby("metric").p_best.sum(), 1.0)
    assert len(pd.read_parquet(out / "runs.parquet")) == 3 * 1 * 2
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "is the best of these arms for" in html and 'id="evppi"' in html and 'id="ceac"' in html
    # the same command again: every task is kept, nothing reruns, the tables are the same
    effects = (out / "effects.csv").read_text()
    assert main(args + ["--quiet", "--lang", "zh"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["tasks_done_before"] == 3 and manifest["status"] == "complete"
    assert (out / "effects.csv").read_text() == effects
    assert "是这些方案中最好的" in (out / "report.html").read_text(encoding="utf-8")
    assert main(["report", str(out)]) == 0
    # a different comparison into the folder is refused
    assert main(args[:5] + ["4"] + args[6:]) == 2
    assert main(["compare", str(scenario), "--uncertainty", "nosuch.csv", "--out", str(tmp_path / "o2")]) == 2
    assert "neither prior nor posterior" in capsys.readouterr().err
    assert main(["compare", str(scenario), "--uncertainty", "posterior", "--out", str(tmp_path / "o3")]) == 2
    assert "has no shipped posterior" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"weight": [1.0], "parameters.nosuch.rate": [0.1]}).to_csv(bad, index=False)
    assert main(["compare", str(scenario), "--uncertainty", str(bad), "--out", str(tmp_path / "o4")]) == 2
    assert "parameters.nosuch.rate" in capsys.readouterr().err
    assert main(["compare", str(scenario), "--draws", "3", "--out", str(tmp_path / "o5")]) == 2
    assert "add --uncertainty" in capsys.readouterr().err


def test_an_interrupted_comparison_keeps_its_finished_draws_and_the_same_command_finishes_it(tiny, tmp_path,
                                                                                             monkeypatch):
    from simgov.cli import main
    from simgov.scenario import dump
    from simgov.uncertainty import comparison

    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(json.dumps(dump(tiny)))
    out = tmp_path / "out"
    args = ["compare", str(scenario), "--uncertainty", "prior", "--draws", "2", "--reps", "1", "--arm", "mediation",
            "--out", str(out), "--quiet", "--no-report"]
    real, calls = comparison.run_task, []

    def stop_second(task):
        calls.append(task.draw)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(comparison, "run_task", stop_second)
    assert main(args) == 130
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and not (out / "effects.csv").exists()
    monkeypatch.setattr(comparison, "run_task", real)
    assert main(args) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sessions"][-1]["tasks_done_before"] == 1 and manifest["status"] == "complete"
    # the result is the one an uninterrupted comparison gives, on any executor
    whole = simgov.compare(tiny, reps=1, arms=["mediation"], uncertainty="prior", draws=2, workers=2,
                           executor="processes")
    pd.testing.assert_frame_equal(pd.read_csv(out / "effects.csv"), whole.reset_index(drop=True),
                                  check_exact=False, rtol=1e-9, check_dtype=False)
    # and its manifest reruns it as it was (the same draws and tables)
    again = tmp_path / "again"
    assert main(["run", str(out / "manifest.json"), "--out", str(again), "--quiet", "--no-report"]) == 0
    assert (again / "effects.csv").read_text() == (out / "effects.csv").read_text()


def test_the_help_states_the_library_defaults():
    from simgov.cli import uncertain
    from simgov.uncertainty.comparison import DEFAULT_DRAWS

    assert (uncertain.HELP_DRAWS, uncertain.HELP_YUAN_PER_UNIT) == (DEFAULT_DRAWS, D.YUAN_PER_UNIT)
