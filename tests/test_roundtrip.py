"""Lossless round trip: scenarios, arms and policies written out and read back equal, and runs
repeated exactly from what their manifests recorded."""

import json
import re
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from simgov.cli import main
from simgov.experiment.spec import Experiment
from simgov.policies import POLICY_TYPES, AnyPolicy, PolicyParams
from simgov.provenance import code_digest
from simgov.scenario import Scenario, dump, from_json, from_yaml, load, load_scenario, to_json, to_yaml
from simgov.scenario.schema import Arm
from simgov.shocks import SHOCK_TYPES, AnyShock
from tests.specs import assert_whole_policies, spec_values

# The teaching estate (360 residents) with a four-week warm-up; an arm whose policy sets
# parameters away from their defaults, and a target with no upper bound.
SMALL = {
    "extends": "teaching-estate", "name": "small", "warmup_weeks": 4, "weeks": 6, "replicates": 2,
    "policies": [{"type": "grid_management", "start_week": 2}],
    "arms": {"door_knocking": {"description": "few visits, each worth more",
                               "policies": [{"type": "door_knocking", "visits_per_week": 7, "trust_gain": 0.3}],
                               "parameters": {"disputes": {"escalate_multi_party": 0.04}}}},
    "targets": [{"pattern": "steady_volunteers", "range": [1.0, float("inf")], "source": "test"}],
}


@pytest.fixture
def small_file(write_yaml):
    return write_yaml(SMALL, "small.yaml")


@pytest.fixture(scope="module")
def estate():
    return load_scenario("teaching-estate")


def policy_entries(cls) -> st.SearchStrategy[dict]:
    """Entries of policy type ``cls`` with every parameter away from its default, drawn within
    its declared range (entries whose end_week falls before start_week are left out)."""
    kind = cls.model_fields["type"].default

    def valid(entry):
        try:
            cls.model_validate(entry)
        except ValidationError:
            return False
        return True
    return spec_values(cls, skip=("type",), non_default=True).map(lambda d: {"type": kind, **d}).filter(valid)


@pytest.mark.parametrize("kind", list(POLICY_TYPES))
def test_every_policy_type_round_trips_with_every_parameter(kind, estate):
    cls = POLICY_TYPES[kind]

    @given(entry=policy_entries(cls))
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    def check(entry):
        policy = cls.model_validate(entry)
        for text, read in ((to_yaml(policy), from_yaml), (to_json(policy), from_json)):
            again = read(text, PolicyParams)
            assert type(again) is cls and again == policy
        scenario = estate.model_copy(update={"arms": {"arm": Arm(policies=(policy,))}})
        assert from_yaml(to_yaml(scenario)) == scenario
        assert from_json(to_json(scenario)) == scenario
        assert load(dump(scenario)).arms["arm"].policies[0] == policy
    check()


@pytest.mark.parametrize("kind", list(SHOCK_TYPES))
def test_every_shock_type_round_trips_with_every_parameter(kind, estate):
    cls = SHOCK_TYPES[kind]

    buildings = estate.community.buildings  # a building emergency hits at most those
    entries = spec_values(cls, skip=("type",), non_default=True).map(lambda d: {"type": kind, **d})

    @given(entry=entries.filter(lambda e: e["type"] != "building_emergency" or e["size"] <= buildings))
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
    def check(entry):
        shock = cls.model_validate(entry)
        for text, read in ((to_yaml(shock), from_yaml), (to_json(shock), from_json)):
            again = read(text, AnyShock)
            assert type(again) is cls and again == shock
        scenario = estate.model_copy(update={"shocks": (shock,), "arms": {"arm": Arm(shocks=(shock,))}})
        assert from_json(to_json(scenario)) == scenario
        assert load(dump(scenario)).arms["arm"].shocks[0] == shock
    check()


def test_a_scenario_with_arms_and_policy_parameters_round_trips(small_file, write_yaml):
    scenario = load_scenario(small_file)
    knock = scenario.arms["door_knocking"].policies[0]
    assert (knock.visits_per_week, knock.trust_gain) == (7, 0.3)
    yaml_text, json_text = to_yaml(scenario), to_json(scenario)
    assert "visits_per_week: 7" in yaml_text and "trust_gain: 0.3" in yaml_text
    assert ".inf" in yaml_text and "Infinity" in json_text  # the documented non-finite encodings
    assert from_yaml(yaml_text) == scenario
    assert from_json(json_text) == scenario
    assert load_scenario(write_yaml(yaml_text, "again.yaml")) == scenario  # as a scenario file, too
    assert from_json(json_text).targets[-1].range == (1.0, float("inf"))
    arm = scenario.arms["door_knocking"]
    assert from_json(to_json(arm), Arm) == arm and from_yaml(to_yaml(arm), Arm) == arm
    block = scenario.parameters
    assert from_json(to_json(block), type(block)) == block


def test_show_prints_every_policy_parameter(small_file, capsys):
    assert main(["show", str(small_file), "--arm", "door_knocking"]) == 0
    shown = from_yaml(capsys.readouterr().out)
    assert shown.policies[-1] == load_scenario(small_file).arms["door_knocking"].policies[0]


def test_a_registered_policy_type_round_trips(probe_policy, estate):
    """A type registered after the schema was built (here, by a test) loads as its class."""
    scenario = estate.model_copy(update={"policies": (probe_policy(type="probe", intensity=0.9),)})
    again = from_json(to_json(scenario))
    assert type(again.policies[0]) is probe_policy and again == scenario


def test_no_model_field_holds_a_policy_but_as_any_policy():
    """A field typed plain PolicyParams would dump only type, start_week and end_week."""
    def mentions(t):
        return t is PolicyParams or any(mentions(a) for a in typing.get_args(t))

    def safe(t):
        return t == AnyPolicy or not mentions(t) or bool(typing.get_args(t)) and all(
            safe(a) for a in typing.get_args(t))

    seen, todo = set(), [Scenario, Experiment]
    while todo:
        model = todo.pop()
        seen.add(model)
        for name, info in model.model_fields.items():
            assert safe(info.annotation), f"{model.__name__}.{name} holds policies: type it AnyPolicy"
            todo += [t for t in (info.annotation, *typing.get_args(info.annotation))
                     if isinstance(t, type) and issubclass(t, BaseModel) and t not in seen]


def _same_bytes(a, b, names):
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize("command, files", [
    ("run", ["timeseries.csv", "summary.csv"]),
    ("compare", ["timeseries.csv", "summary.csv", "effects.csv", "costs.csv"]),
])
def test_a_run_is_repeated_byte_for_byte_from_its_manifest(small_file, tmp_path, command, files):
    first, again = tmp_path / "first", tmp_path / "again"
    report = [] if command == "run" else ["--no-report"]
    assert main([command, str(small_file), "--arm", "door_knocking", "--out", str(first), "--quiet", *report]) == 0
    manifest = json.loads((first / "manifest.json").read_text())
    assert assert_whole_policies(manifest) >= 2  # grid management and door-knocking (and the estate's own), in full
    small_file.unlink()  # the manifest is all a rerun needs
    assert main(["run", str(first / "manifest.json"), "--out", str(again), "--quiet", "--no-report"]) == 0
    _same_bytes(first, again, files)
    rerun = json.loads((again / "manifest.json").read_text())
    assert (rerun["kind"], rerun["arms"], rerun["weeks"], rerun["seeds"]) == \
        (command, manifest["arms"], 6, manifest["seeds"])
    assert rerun["rerun_of"] == str(first / "manifest.json")
    if command == "run":  # the report shows the arm's policy with its parameters, as the manifest records them
        assert re.search(r"visits_per_week\W+7\b", (first / "report.html").read_text())
    # The parameters matter: without them (as manifests used to record policies) the run differs.
    entry = manifest["scenario"]["arms"]["door_knocking"]["policies"][0]
    manifest["scenario"]["arms"]["door_knocking"]["policies"][0] = {k: entry[k] for k in
                                                                    ("type", "start_week", "end_week")}
    (tmp_path / "stripped.json").write_text(json.dumps(manifest))
    assert main(["run", str(tmp_path / "stripped.json"), "--out", str(tmp_path / "s"), "--quiet",
                 "--no-report"]) == 0
    assert (tmp_path / "s" / "timeseries.csv").read_bytes() != (first / "timeseries.csv").read_bytes()


def test_a_manifest_made_by_other_model_code_is_rerun_with_a_warning(small_file, tmp_path, caplog):
    first = tmp_path / "first"
    assert main(["run", str(small_file), "--out", str(first), "--quiet", "--no-report"]) == 0
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["environment"]["code"] == code_digest()
    manifest["environment"]["code"] = "0123456789abcdef"
    (tmp_path / "old.json").write_text(json.dumps(manifest))
    with caplog.at_level("WARNING", logger="simgov"):
        assert main(["run", str(tmp_path / "old.json"), "--out", str(tmp_path / "again"), "--no-report"]) == 0
    assert "other simgov model code (code digest 0123456789abcdef" in caplog.text


def test_a_rerun_keeps_the_recorded_folder_and_refuses_bad_manifests(small_file, tmp_path, capsys):
    first = tmp_path / "first"
    assert main(["run", str(small_file), "--out", str(first), "--quiet", "--no-report"]) == 0
    assert main(["run", str(first), "--out", str(first)]) == 2
    assert "holds the results being rerun" in capsys.readouterr().err
    manifest = json.loads((first / "manifest.json").read_text())
    cases = [({**manifest, "seeds": {"0": 1, "1": 2}}, "seeds: the seeds listed are not those"),
             ({**manifest, "kind": "sweep"}, "simgov.experiment.sweep.reproduce"),
             ({"status": "complete"}, "not a simgov manifest")]
    for data, words in cases:
        (tmp_path / "bad.json").write_text(json.dumps(data))
        assert main(["run", str(tmp_path / "bad.json"), "--out", str(tmp_path / "x")]) == 2
        err = capsys.readouterr().err
        assert "bad.json" in err and words in err, err
    (tmp_path / "bad.json").write_text("{")
    assert main(["run", str(tmp_path / "bad.json")]) == 2
    assert "bad.json:1:2: not a JSON manifest" in capsys.readouterr().err
