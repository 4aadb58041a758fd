"""experiments/calibrate.py: the loss, a short seeded fit, and the in-place write-back that
keeps a scenario file's comments (its citations)."""

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import simgov
from simgov.scenario import resolve_path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "experiments"))
import calibrate  # noqa: E402


def table(rows):
    return pd.DataFrame(rows, columns=["low", "high", "mean"])


def test_loss_is_zero_in_range_up_to_the_centre_pull_and_grows_outside():
    centre = calibrate.loss(table([(0.0, 1.0, 0.5)]))
    edge = calibrate.loss(table([(0.0, 1.0, 1.0)]))
    assert centre == 0.0 and edge == pytest.approx(calibrate.CENTRE_WEIGHT * 0.25)
    assert calibrate.loss(table([(0.0, 1.0, 2.0)])) == pytest.approx(1.0 + calibrate.CENTRE_WEIGHT * 2.25)
    assert calibrate.loss(table([(10.0, float("inf"), 5.0)])) == pytest.approx(0.25)  # width: the bound
    assert calibrate.loss(table([(0.0, 1.0, float("nan"))])) == 1.0


def test_a_short_fit_is_seeded_and_starts_from_the_files_values():
    ranges = {"parameters.disputes.neighbor_disputes_per_1000": [8.0, 14.0]}
    runs = [calibrate.fit("teaching-estate", ranges, trials=2, reps=1, seed=7, workers=1) for _ in range(2)]
    (base, best, first), (_, best2, _) = runs
    assert first.params == {"parameters.disputes.neighbor_disputes_per_1000": 11.0}  # the file's (default) value
    assert best.params == best2.params and best.value == best2.value  # same seed, same fit
    assert best.value <= first.value


def test_write_back_sets_values_in_place_keeps_comments_and_records_the_fit(tmp_path):
    path = tmp_path / "estate.yaml"
    shutil.copy(resolve_path("teaching-estate"), path)
    best = SimpleNamespace(value=0.01, user_attrs={"passed": "11 of 11"},
                           params={"parameters.disputes.neighbor_disputes_per_1000": 12.3456789,
                                   "actors.budget_yuan_per_year": 12345.678})
    first = SimpleNamespace(value=0.2, params={"parameters.disputes.neighbor_disputes_per_1000": 11.0,
                                               "actors.budget_yuan_per_year": 10000.0})
    calibrate.write_back(str(path), best, first, trials=2, reps=1)
    text = path.read_text(encoding="utf-8")
    assert "# 000: 2.45 residents per household" in text  # citations kept
    assert "was 10000" in text and "assumption, calibrated" in text
    sc = simgov.load_scenario(path)
    assert sc.parameters.disputes.neighbor_disputes_per_1000 == 12.35  # four significant figures
    assert sc.actors.budget_yuan_per_year == 12350
    assert sc.calibration["loss"] == 0.01 and sc.calibration["in_range"] == "11 of 11"
    assert sc.arms["door_knocking"].policies[0].visits_per_week == 3  # the rest untouched
