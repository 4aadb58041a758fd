"""ABC-SMC calibration (simgov.uncertainty.calibration): the distance, the weighted summaries,
and the recovery of a parameter planted in a synthetic scenario."""

import json

import numpy as np
import pandas as pd
import pytest

from simgov.cli import main
from simgov.experiment.validation import pattern_values
from simgov.report.validation_page import caveats, posterior_checks
from simgov.scenario import load_scenario
from simgov.uncertainty.calibration import effective_sample_size, normalised_misses, range_distance, weighted_quantiles
from simgov.uncertainty.shipped import scenario_digest

TINY = "extends: teaching-estate\nweeks: 6\nwarmup_weeks: 0\n"
PLANTED, KNOWN = "community.initial.participation", 0.055


def test_misses_are_zero_in_range_and_grow_in_range_widths_outside():
    miss = normalised_misses([0.5, 2.0, -1.0, 5.0, np.nan], [0, 0, 0, 10, 0], [1, 1, 1, np.inf, 1])
    assert miss.tolist() == [0.0, 1.0, 1.0, 0.5, 1.0]  # open range: in units of its bound; NaN: one width
    x0 = {"pattern_0": np.array([0.0, 1.0]), "pattern_1": np.array([0.0, 1.0])}
    assert range_distance({"pattern_0": 4.0, "pattern_1": 1.0 + 3.0}, x0) == pytest.approx(np.sqrt(18))


def test_weighted_quantiles_and_effective_sample_size():
    assert weighted_quantiles([3.0, 1.0, 2.0], [1, 1, 1], 0.5) == pytest.approx(2.0)
    assert weighted_quantiles([1.0, 2.0], [0.0, 1.0], [0.1, 0.9]).tolist() == [2.0, 2.0]
    assert effective_sample_size(np.ones(10)) == pytest.approx(10)
    assert effective_sample_size([1.0, 0.0, 0.0]) == pytest.approx(1)


def _record(ess: float, shares: list[float]) -> dict:
    return {"scenario": "s", "settings": {"population": 40, "reps": 1, "workers": 2}, "seconds": 60.0,
            "parameters": [PLANTED], "posterior": [], "command": "c",
            "generations": [{"epsilon": 0.1, "acceptance_rate": 0.3, "ess": ess, "particles": 40, "simulations": 90}],
            "predictive": [{"pattern": f"p{i}", "arm": "baseline", "low": 0.0, "high": 1.0, "median": 0.5,
                            "pi_low": 0.4, "pi_high": 0.6, "share_in_range": share} for i, share in enumerate(shares)]}


def test_a_posteriors_small_sample_and_unreached_patterns_are_stated_under_its_check():
    assert caveats(_record(10.0, [1.0, 0.5])) == []  # a quarter of the particles, half in range: no caveat
    said = caveats(_record(9.9, [1.0, 0.49, 0.0]))
    assert len(said) == 2 and "10 of 40" in said[0] and "`p1` (baseline; 49%" in said[1] and "`p2`" in said[1]
    assert "`p0`" not in said[1]
    page = posterior_checks({"s": _record(9.9, [0.0])}, ["s"], {"s": "A  hand-written\n note."})
    assert "**Caveats.** Its effective sample size is small" in page and "\nA hand-written note.\n" in page


def test_abc_recovers_a_planted_parameter_and_narrows_from_the_prior(write_yaml, tmp_path, monkeypatch, capsys):
    tiny = load_scenario(write_yaml(TINY))
    truth = pattern_values(tiny.with_values({PLANTED: KNOWN}), reps=1, progress=False)
    value = float(truth.loc[truth.arm == "baseline", "participation_rate"].iloc[0])
    # The target pattern generated from the known value (with the seeds the calibration uses)
    planted = write_yaml(TINY + f"targets:\n  - {{pattern: participation_rate, range: [{value - 0.005}, "
                         f"{value + 0.005}], source: planted}}\n", "planted.yaml")
    out = tmp_path / "abc"
    args = ["calibrate", str(planted), "--out", str(out), "--params", PLANTED, "--patterns", "participation_rate",
            "--population", "30", "--generations", "3", "--executor", "serial", "--quiet"]
    assert main(args) == 0
    posterior = pd.read_csv(out / "posterior.csv")
    assert list(posterior.columns) == ["weight", PLANTED] and posterior.weight.sum() == pytest.approx(1)
    row = pd.read_csv(out / "parameters.csv").iloc[0]
    assert row.posterior_low <= KNOWN <= row.posterior_high  # within the 95% credible interval
    assert row.narrowing < 1  # narrower than the prior's 95% interval
    diagnostics = pd.read_csv(out / "diagnostics.csv")
    assert diagnostics.generation.tolist()[0] == 0 and (diagnostics.acceptance_rate <= 1).all()
    assert (diagnostics.ess <= diagnostics.particles + 1e-9).all()
    assert pd.read_csv(out / "predictive.csv").pattern.tolist() == ["participation_rate"]
    assert (out / "posterior.png").is_file() and (out / "abc.db").is_file()
    record = json.loads((out / "posterior.json").read_text(encoding="utf-8"))  # what it was fitted on
    assert record["digest"] == scenario_digest(load_scenario(planted)) and record["parameters"] == [PLANTED]
    assert record["command"].startswith("simgov calibrate") and record["settings"]["population"] == 30
    page = posterior_checks({record["scenario"]: record}, [record["scenario"], "other"])
    assert "| `participation_rate` | baseline |" in page and "No posterior shipped yet for: `other`" in page
    assert main(args) == 2  # a calibration is there: --resume continues it
    assert main([*args, "--resume"]) == 0  # no generation left: the same posterior
    assert pd.read_csv(out / "posterior.csv").equals(posterior)
    assert main([*args[:-3], "--population", "31", "--resume", "--quiet"]) == 0  # population may change
    assert main(["calibrate", str(planted), "--out", str(out), "--params", "community.initial.belonging",
                 "--resume", "--quiet"]) == 2  # other parameters: refused
    monkeypatch.setattr("simgov.uncertainty.calibration.code_digest", lambda: "other-code")
    assert main([*args, "--resume"]) == 2  # a history made by other model code is not continued
    assert "model code" in capsys.readouterr().err


def test_unknown_patterns_and_parameters_are_input_errors(write_yaml, tmp_path, capsys):
    tiny = str(write_yaml(TINY))
    assert main(["calibrate", tiny, "--out", str(tmp_path / "a"), "--params", PLANTED, "--patterns", "nope"]) == 2
    assert "no pattern 'nope'" in capsys.readouterr().err
    assert main(["calibrate", tiny, "--out", str(tmp_path / "b"), "--params", "no.such"]) == 2
    assert "no prior" in capsys.readouterr().err
    assert main(["calibrate", tiny, "--out", str(tmp_path / "c"), "--params", str(tmp_path)]) == 2
    assert "no screening" in capsys.readouterr().err
