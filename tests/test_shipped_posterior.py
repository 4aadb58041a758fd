"""Shipped posteriors and their records (simgov.uncertainty.shipped): a posterior fitted on
another version of its scenario is refused under ``--uncertainty posterior``, and every
bundled one matches its scenario as it is now."""

import json
import logging

import pandas as pd
import pytest

import simgov.uncertainty.shipped as shipped
from simgov import __version__
from simgov.errors import InputError
from simgov.experiment.validation import checks
from simgov.scenario import load_scenario
from simgov.scenario.loader import bundled_dir
from simgov.uncertainty.comparison import parameter_draws

PATH = "parameters.disputes.escalate_multi_party"


@pytest.fixture
def tiny(small):
    return small.model_copy(update={"name": "tiny", "weeks": 3})


def _ship(folder, scenario, value: float, record: dict | None) -> None:
    file = folder / f"{scenario.name}.posterior.csv"
    pd.DataFrame({"weight": [0.5, 0.5], PATH: [value, value]}).to_csv(file, index=False)
    if record is not None:
        shipped.write_record(file, record)


def test_the_digest_follows_model_inputs_not_prose(tiny):
    digest = shipped.scenario_digest(tiny)
    assert shipped.scenario_digest(tiny.model_copy(update={"description": "other words", "settled": {}})) == digest
    assert shipped.scenario_digest(tiny.with_values({PATH: 0.123})) != digest
    assert shipped.scenario_digest(tiny.model_copy(update={"weeks": 4})) != digest


def test_a_stale_shipped_posterior_is_refused_and_a_stale_file_warned_about(tiny, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(shipped, "bundled_dir", lambda: tmp_path)
    value = tiny.parameters.disputes.escalate_multi_party
    record = {"scenario": "tiny", "digest": shipped.scenario_digest(tiny), "simgov": __version__,
              "commit": "abc"}
    _ship(tmp_path, tiny, value, record)
    draws, _ = parameter_draws(tiny, "posterior", 3)
    assert draws[PATH].tolist() == [value] * 3

    changed = tiny.with_values({"parameters.disputes.relapse": 0.5 * tiny.parameters.disputes.relapse})
    with pytest.raises(InputError, match="stale: scenario 'tiny' has changed since it was fitted") as err:
        parameter_draws(changed, "posterior", 3)
    assert "calibrate_bundled.py tiny" in str(err.value)
    with caplog.at_level(logging.WARNING, logger="simgov"):  # the same file by its path: used, with a warning
        draws, _ = parameter_draws(changed, str(tmp_path / "tiny.posterior.csv"), 3)
    assert len(draws) == 3 and "has changed since it was fitted" in caplog.text

    _ship(tmp_path, tiny, value, None)
    (tmp_path / "tiny.posterior.json").unlink()
    with pytest.raises(InputError, match="no record of what it was fitted on"):
        parameter_draws(tiny, "posterior", 3)


def test_another_version_only_warns(tiny, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(shipped, "bundled_dir", lambda: tmp_path)
    record = {"scenario": "tiny", "digest": shipped.scenario_digest(tiny), "simgov": "0.0.1", "commit": ""}
    _ship(tmp_path, tiny, tiny.parameters.disputes.escalate_multi_party, record)
    with caplog.at_level(logging.WARNING, logger="simgov"):
        parameter_draws(tiny, "posterior", 2)
    assert "fitted with simgov 0.0.1" in caplog.text


def test_every_shipped_posterior_matches_its_scenario_and_record():
    """Fails when a bundled scenario changes after its posterior was fitted: rerun
    experiments/calibrate_bundled.py NAME (or delete NAME.posterior.*)."""
    posteriors = sorted(bundled_dir().glob("*.posterior.csv"))
    assert sorted(p.with_suffix(".json").name for p in posteriors) == \
        sorted(p.name for p in bundled_dir().glob("*.posterior.json"))
    for file in posteriors:
        record = json.loads(file.with_suffix(".json").read_text(encoding="utf-8"))
        scenario = load_scenario(record["scenario"])
        assert file.name == f"{scenario.name}.posterior.csv"
        assert shipped.stale(scenario, record) == "", file.name
        columns = list(pd.read_csv(file, nrows=0).columns)
        assert columns == ["weight", *record["parameters"]]
        assert not set(record["parameters"]) & set(shipped.settled_paths(scenario))  # settled values stay settled
        assert {p["pattern"] for p in record["predictive"]} == {c.pattern for c in checks(scenario)}
        parameter_draws(scenario, "posterior", 4)  # valid draws, no refusal
