"""Sensitivity analysis and scenario discovery of sweeps: known results, guardrails, reports."""

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simgov.analysis import analyse_sweep
from simgov.analysis.discovery import boxes, good_points
from simgov.analysis.sensitivity import analyse, point_means
from simgov.cli import main
from simgov.errors import InputError
from simgov.experiment.spec import Condition
from tests.test_report import embedded_svgs, figures_are_images
from tests.test_sweep import SMALL_ESTATE

PI = np.pi
ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-PI, PI]] * 3}


def ishigami(x):
    return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function_match_their_analytic_values():
    # Analytic values for a=7, b=0.1 (Ishigami and Homma 1990; Saltelli et al. 2008, p. 179).
    x = sobol_sample.sample(ISHIGAMI, 1024, calc_second_order=False, seed=1)
    means = pd.DataFrame({"y": ishigami(x)})
    table, notes = analyse("sobol", ISHIGAMI, x, means, pd.Series({"y": 0.0}), samples=1024, seed=1)
    assert np.allclose(table.S1, [0.314, 0.442, 0.0], atol=0.05)
    assert np.allclose(table.ST, [0.558, 0.442, 0.244], atol=0.05)
    assert (table.S1_conf > 0).all() and notes == []


def test_morris_ranks_an_influential_factor_above_an_inert_one():
    prob = {"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1], [0, 1]]}
    x = morris_sample.sample(prob, 20, num_levels=4, seed=3)
    table, _ = analyse("morris", prob, x, pd.DataFrame({"y": 3 * x[:, 0]}), pd.Series({"y": 0.0}), samples=20)
    assert table.mu_star.iloc[0] == pytest.approx(3.0) and table.mu_star.iloc[1] == pytest.approx(0.0)


def test_delta_indices_of_a_latin_hypercube_rank_an_influential_factor_first():
    """SALib 1.6 renamed the delta index (its bootstrap variants); the table keeps ``delta``."""
    rng = np.random.default_rng(3)
    raw = rng.random((300, 2))
    means = pd.DataFrame({"y": 4 * raw[:, 0] + 0.1 * rng.random(300)})
    problem = {"num_vars": 2, "names": ["strong", "inert"], "bounds": [[0, 1], [0, 1]]}
    table, notes = analyse("latin_hypercube", problem, raw, means, pd.Series({"y": np.nan}))
    assert not [n for n in notes if "could not" in n]
    assert {"delta", "delta_conf", "S1"} <= set(table.columns)
    d = table.set_index("factor").delta
    assert d["strong"] > d["inert"] + 0.2


def test_replicate_noise_is_averaged_out_and_its_share_reported_net_of_common_random_numbers():
    def runs(values):  # points x replicates
        return pd.DataFrame([{"point": p, "replicate": r, "status": "ok", "y": v}
                             for p, row in enumerate(values) for r, v in enumerate(row)])

    # Replicate 1 is 2 higher at every point: a shift common random numbers share, not noise.
    means, noise = point_means(runs([[1.0, 3.0], [5.0, 7.0]]), ["y"], points=3)
    assert means.y.tolist()[:2] == [2.0, 6.0] and np.isnan(means.y.iloc[2])  # point 2 never finished
    assert noise["y"] == pytest.approx(0.0)
    # Replicates disagree point by point: interaction variance 4 over 2 replicates, against a
    # variance of 8 between the point means.
    _, noise = point_means(runs([[1.0, 3.0], [7.0, 5.0]]), ["y"], points=2)
    assert noise["y"] == pytest.approx(0.25)


def test_guardrails_small_samples_noise_and_missing_points_are_noted_not_hidden():
    x = sobol_sample.sample(ISHIGAMI, 16, calc_second_order=False, seed=1)
    y = ishigami(x)
    _, notes = analyse("sobol", ISHIGAMI, x, pd.DataFrame({"y": y}), pd.Series({"y": 0.5}), samples=16)
    assert any("only 16 base samples" in n for n in notes)
    assert any("replicate noise is 50%" in n for n in notes)
    y[3] = np.nan
    table, notes = analyse("sobol", ISHIGAMI, x, pd.DataFrame({"y": y}), pd.Series({"y": 0.0}), samples=16)
    assert table.empty and any("1 design points have no finished run" in n for n in notes)


def test_discovery_finds_the_box_that_holds_the_good_points():
    rng = np.random.default_rng(0)
    design = pd.DataFrame(rng.random((400, 3)), columns=["a", "b", "c"])
    means = pd.DataFrame({"cohesion_index": design.a, "group_disputes_open": design.b})
    good, words = good_points(means, [Condition(outcome="cohesion_index", keep="high", threshold=0.6),
                                      Condition(outcome="group_disputes_open", keep="low", threshold=0.4)])
    assert words == ["cohesion_index >= 0.6", "group_disputes_open <= 0.4"]
    found = boxes(design, ["a", "b", "c"], good)
    best = found.iloc[0]
    assert "a >=" in best.rule and "b <=" in best.rule and "c" not in best.rule
    assert best.density > 0.9 and best.coverage > 0.9
    assert best["low:a"] == pytest.approx(0.6, abs=0.03) and best["high:b"] == pytest.approx(0.4, abs=0.03)


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    import yaml

    folder = tmp_path_factory.mktemp("sweep")
    (folder / "estate.yaml").write_text(yaml.safe_dump(SMALL_ESTATE))
    (folder / "exp.yaml").write_text(yaml.safe_dump({
        "name": "levers", "title": "Levers of the small estate", "scenario": "estate.yaml", "weeks": 10,
        "replicates": 2, "policies": [{"type": "door_knocking"}, {"type": "mediation"}],
        "design": {"method": "sobol", "samples": 4}, "outcomes": ["cohesion_index", "undetected_needs_share"],
        "factors": [{"path": "policies.door_knocking.visits_per_week", "low": 0, "high": 40, "label": "visits"},
                    {"path": "policies.mediation.cases_per_week", "low": 0, "high": 6}],
        "executor": {"type": "serial"}}))
    assert main(["sweep", str(folder / "exp.yaml"), "--out", str(folder / "out"), "--quiet"]) == 0
    return folder / "out"


def test_sweep_writes_its_analysis_and_a_report_with_sensitivity_and_discovery(sweep_dir):
    sensitivity = pd.read_csv(sweep_dir / "sensitivity.csv")
    assert set(sensitivity.outcome) == {"cohesion_index", "undetected_needs_share"}
    assert {"S1", "S1_conf", "ST", "ST_conf", "noise_share"} <= set(sensitivity.columns)
    points = pd.read_csv(sweep_dir / "points.csv")
    assert len(points) == 4 * (2 + 2) and {"mean:cohesion_index", "good"} <= set(points.columns)
    discovery = pd.read_csv(sweep_dir / "discovery.csv")
    assert {"rule", "coverage", "density", "points"} <= set(discovery.columns)
    html = (sweep_dir / "report.html").read_text(encoding="utf-8")
    for heading in ("Sweep report", "The experiment", "Runs", "Outcomes across the design", "Sensitivity",
                    "Scenario discovery", "The scenario", "Reproduce", "--resume", "visits"):
        assert heading in html, heading
    names = ["sweep-response", "sensitivity"] + (["discovery"] if len(discovery) else [])
    prim = sweep_dir / "prim.csv"
    names += ["prim"] if prim.exists() and pd.read_csv(prim).chosen.any() else []
    figures_are_images(sweep_dir, names)
    assert len(embedded_svgs(html)) == len(names)


def test_sweep_report_in_chinese(sweep_dir):
    assert main(["report", str(sweep_dir), "--lang", "zh"]) == 0
    html = (sweep_dir / "report.html").read_text(encoding="utf-8")
    for label in ("参数扫描报告", "敏感性分析", "情景发现", "社区凝聚力指数"):
        assert label in html, label
    assert "Sobol敏感性指数" in "".join(embedded_svgs(html))


def test_analysis_refuses_a_design_that_is_not_the_experiments_sample(sweep_dir, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    design = pd.read_csv(copy / "design.csv")
    design.iloc[[0, 1]] = design.iloc[[1, 0]].to_numpy()  # two rows swapped: Sobol' estimators would mislead
    design.to_csv(copy / "design.csv", index=False)
    with pytest.raises(InputError, match="not the sample this experiment draws"):
        analyse_sweep(copy)


def test_discovery_conditions_survive_the_manifest_and_a_threshold_can_replace_the_median(sweep_dir, tmp_path):
    import json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["experiment"]["discovery"] = [{"outcome": "cohesion_index", "keep": "high", "threshold": 0.0}]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    analysis = analyse_sweep(copy)  # read back from the manifest
    assert analysis.conditions == ["cohesion_index >= 0"]
    assert analysis.points.good.all()
    with pytest.raises(ValueError, match="not both"):
        Condition(outcome="cohesion_index", keep="high", quantile=0.3, threshold=0.5)


def test_prim_finds_a_planted_box_and_marks_the_densest_step_that_covers_half():
    pytest.importorskip("ema_workbench")
    from simgov.analysis.discovery import PRIM_MIN_COVERAGE, chosen_box, prim_trajectory

    rng = np.random.default_rng(1)
    design = pd.DataFrame({"a": rng.random(400), "b": rng.uniform(0, 10, 400), "c": rng.integers(0, 5, 400),
                           "d": rng.random(400) < 0.5})
    good = pd.Series(((design.a > 0.6) & (design.b < 4)).to_numpy())
    steps = prim_trajectory(design, ["a", "b", "c", "d"], good)
    assert steps.step.tolist() == list(range(len(steps))) and steps.chosen.sum() == 1
    best = chosen_box(steps)
    eligible = steps[steps.coverage >= PRIM_MIN_COVERAGE]
    assert best.density == eligible.density.max()
    assert best.density > 0.9 and best.coverage > 0.9
    assert best["low:a"] == pytest.approx(0.6, abs=0.03) and best["high:b"] == pytest.approx(4.0, abs=0.3)
    assert np.isnan(best["low:c"]) and np.isnan(best["low:d"]) and "c" not in best.rule
    inside = (design.a >= best["low:a"]) & (design.b <= best["high:b"])
    assert best.points == inside.sum() and best.coverage == pytest.approx((inside & good).sum() / good.sum())
    assert prim_trajectory(design, ["a"], pd.Series(False, index=design.index)).empty


def test_sweep_writes_prim_and_shows_it_in_the_report_and_console(sweep_dir, capsys):
    pytest.importorskip("ema_workbench")
    steps = pd.read_csv(sweep_dir / "prim.csv")
    assert {"step", "coverage", "density", "mass", "res_dim", "points", "chosen", "rule"} <= set(steps.columns)
    assert steps.chosen.sum() == 1
    for lang, heading in (("en", "PRIM peeling trajectory"), ("zh", "PRIM 剥离轨迹")):
        assert main(["report", str(sweep_dir), "--lang", lang]) == 0
        html = (sweep_dir / "report.html").read_text(encoding="utf-8")
        assert 'id="prim"' in html and heading in "".join(embedded_svgs(html))
    analysis = analyse_sweep(sweep_dir)
    assert analysis.prim is not None and len(analysis.prim) == len(steps)
    from types import SimpleNamespace

    from simgov.cli.sweep import _print_sweep

    done = SimpleNamespace(this_session=1, seconds=1.0, plan=SimpleNamespace(experiment=SimpleNamespace(name="x")),
                           done=1, total=1, failed=0, folder=sweep_dir)
    _print_sweep(done, analysis)
    best = steps[steps.chosen].iloc[0]
    assert f"PRIM's box (peel step {best.step}): {best.rule}" in capsys.readouterr().out


def test_without_ema_the_sweep_says_prim_was_skipped(sweep_dir, tmp_path, monkeypatch, capsys):
    import shutil

    from simgov.analysis import discovery

    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    monkeypatch.setattr(discovery, "_prim_module", lambda: None)
    analysis = analyse_sweep(copy)
    assert analysis.prim is None and not (copy / "prim.csv").exists()
    import json

    assert json.loads((copy / "manifest.json").read_text())["analysis"]["prim"] == discovery.PRIM_SKIPPED
    assert main(["report", str(copy)]) == 0
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "PRIM was skipped" in html and "simgov[ema]" in html
    from types import SimpleNamespace

    from simgov.cli.sweep import _print_sweep

    done = SimpleNamespace(this_session=1, seconds=1.0, plan=SimpleNamespace(experiment=SimpleNamespace(name="x")),
                           done=1, total=1, failed=0, folder=copy)
    _print_sweep(done, analysis)
    assert f"note: {discovery.PRIM_SKIPPED}" in capsys.readouterr().out
