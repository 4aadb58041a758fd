"""Interactions of combined arms and 2^k factorials (simgov.experiment.interactions): the
contrasts on planted tables, the planning of the arms they need, and a small real compare."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import simgov
from simgov.cli import main
from simgov.errors import InputError
from simgov.experiment import paired_interval
from simgov.experiment.interactions import (
    FACTORIAL_COLUMNS,
    INTERACTION_COLUMNS,
    Decomposition,
    Factorial,
    factorial_contrasts,
    factorial_table,
    interaction_table,
    plan,
)
from simgov.metrics import METRIC_NAMES
from simgov.policies import POLICY_TYPES
from simgov.report import labels as L
from simgov.scenario.schema import Arm


def _table(values) -> pd.DataFrame:
    """Replicates x one metric ('m'), as values_by_arm gives them."""
    return pd.DataFrame({"m": np.asarray(values, dtype=float)})


# ----------------------------------------------------------------------------- factorial contrasts
def test_a_2x2_factorial_gives_montgomerys_hand_computed_effects():
    """Montgomery, Design and Analysis of Experiments, Example 6.1 (reactant concentration A,
    catalyst B; three replicates): totals (1) = 80, a = 100, b = 60, ab = 90, so
    A = (90 + 100 - 60 - 80) / (2 * 3) = 8.33, B = (90 + 60 - 100 - 80) / 6 = -5.00,
    AB = (90 + 80 - 100 - 60) / 6 = 1.67. Taken replicate by replicate, A's contrasts are
    (31 + 36 - 18 - 28) / 2 = 10.5, (30 + 32 - 19 - 25) / 2 = 9 and (29 + 32 - 23 - 27) / 2 = 5.5."""
    y = {(0, 0): [28, 25, 27], (1, 0): [36, 32, 32], (0, 1): [18, 19, 23], (1, 1): [31, 30, 29]}
    arms = {(0, 0): "one", (1, 0): "a", (0, 1): "b", (1, 1): "ab"}
    values = {arms[c]: _table(v) for c, v in y.items()}
    table = factorial_table(values, Factorial(["A", "B"], arms), metrics=["m"]).set_index("term")
    assert list(table.reset_index().columns) == FACTORIAL_COLUMNS
    assert table.loc["A", "effect"] == pytest.approx(50 / 6)
    assert table.loc["B", "effect"] == pytest.approx(-30 / 6)
    assert table.loc["A:B", "effect"] == pytest.approx(10 / 6)
    assert list(table.order) == [1, 1, 2] and (table.reps == 3).all()
    a_contrasts = np.array([10.5, 9.0, 5.5])
    half = stats.t.ppf(0.975, 2) * a_contrasts.std(ddof=1) / np.sqrt(3)
    assert (table.loc["A", "ci_low"], table.loc["A", "ci_high"]) == pytest.approx((50 / 6 - half, 50 / 6 + half))


def test_a_2x3_factorial_recovers_planted_effects_whatever_the_replicate_offsets():
    """Y = 10 + 3a - 2b + 0.5c + 1.5ab - 0.25ac + 0bc + 0.75abc + u_i with each factor coded -1/+1
    and u_i a replicate's own offset (shared by its cells, as common random numbers share a
    seed): each effect is twice its coefficient, exactly, in every replicate."""
    offsets = np.array([0.0, 4.0, -7.5, 2.25])
    coef = {"a": 3, "b": -2, "c": 0.5, "ab": 1.5, "ac": -0.25, "bc": 0.0, "abc": 0.75}
    cells = {}
    for mask in range(8):
        on = tuple((mask >> j) & 1 for j in range(3))
        x = dict(zip("abc", (2 * v - 1 for v in on), strict=True))
        y = 10 + sum(c * np.prod([x[f] for f in term]) for term, c in coef.items())
        cells[on] = y + offsets
    effects = {term: e for term, _, e in factorial_contrasts(cells, ["a", "b", "c"])}
    assert list(effects) == ["a", "b", "c", "a:b", "a:c", "b:c"]
    for term, planted in {"a": 6, "b": -4, "c": 1, "a:b": 3, "a:c": -0.5, "b:c": 0}.items():
        assert effects[term] == pytest.approx(np.full(4, planted))


def test_a_factorial_needs_every_cell():
    with pytest.raises(ValueError, match="needs every one of its 4 cells"):
        factorial_contrasts({(0, 0): [1.0], (1, 0): [2.0], (0, 1): [3.0]}, ["a", "b"])


# ----------------------------------------------------------------------------- interactions
def _decomposed(rng, delta):
    """Base, two parts and their combination, replicate by replicate, with ``delta`` planted."""
    base = rng.normal(5, 1, 6)
    e1, e2 = rng.normal(1, 0.3, 6), rng.normal(-2, 0.5, 6)
    values = {"ref": _table(base), "p1": _table(base + e1), "p2": _table(base + e2),
              "both": _table(base + e1 + e2 + delta)}
    return values, Decomposition("both", "ref", {"one": "p1", "two": "p2"}), e1, e2


def test_parts_that_add_up_by_construction_have_an_interaction_of_zero():
    values, d, e1, e2 = _decomposed(np.random.default_rng(1), 0.0)
    row = interaction_table(values, [d], metrics=["m"]).iloc[0]
    assert list(row.index) == INTERACTION_COLUMNS
    assert (row.arm, row.base, row.parts, row.reps) == ("both", "ref", "one+two", 6)
    assert row.combined_effect == pytest.approx((e1 + e2).mean())
    assert row.sum_of_parts == pytest.approx((e1 + e2).mean())
    assert row.interaction == pytest.approx(0, abs=1e-12)
    assert row.ci_low <= 0 <= row.ci_high


def test_a_planted_interaction_is_recovered_with_the_paired_interval_of_its_replicates():
    delta = np.array([0.5, 0.7, 0.2, 0.9, 0.4, 0.6])
    values, d, _, _ = _decomposed(np.random.default_rng(2), delta)
    row = interaction_table(values, [d], metrics=["m"]).iloc[0]
    assert (row.interaction, row.ci_low, row.ci_high) == pytest.approx(paired_interval(delta))
    assert row.combined_effect - row.sum_of_parts == pytest.approx(row.interaction)


def test_two_parts_interaction_is_twice_the_factorial_two_way_effect():
    values, d, _, _ = _decomposed(np.random.default_rng(3), np.linspace(-1, 2, 6))
    inter = interaction_table(values, [d], metrics=["m"]).iloc[0]
    fact = factorial_table(values, Factorial(["one", "two"], {(0, 0): "ref", (1, 0): "p1", (0, 1): "p2",
                                                               (1, 1): "both"}), metrics=["m"]).set_index("term")
    assert inter.interaction == pytest.approx(2 * fact.loc["one:two", "effect"])


# ----------------------------------------------------------------------------- planning the arms
def test_the_parts_reuse_the_scenarios_equal_arms_and_add_the_others(b_community):
    p = plan(b_community, b_community.arm_names)
    (d,) = p.decompositions
    assert d.arm == "practices" and d.base == "baseline"
    assert d.parts == {"door_knocking": "door_knocking", "mediation": "mediation",
                       "mutual_aid_day": "practices--mutual_aid_day",
                       "employment_priority": "practices--employment_priority"}
    assert p.arms == b_community.arm_names + ["practices--mutual_aid_day", "practices--employment_priority"]
    assert set(p.added) == {"practices--mutual_aid_day", "practices--employment_priority"}
    added = p.scenario.arms["practices--mutual_aid_day"]
    assert added.policies == (b_community.arms["practices"].policies[2],)  # as the combined arm runs it
    assert plan(b_community, b_community.arm_names, interactions=False).arms == b_community.arm_names


def test_a_part_that_differs_from_the_arm_of_its_name_runs_as_its_own_arm(b_community):
    practices = b_community.arms["practices"]
    visits = practices.policies[0].model_copy(update={"visits_per_week": 30})
    changed = b_community.model_copy(update={"arms": {**b_community.arms, "practices": practices.model_copy(
        update={"policies": (visits,) + practices.policies[1:]})}})
    (d,) = plan(changed, ["baseline", "practices"]).decompositions
    assert d.parts["door_knocking"] == "practices--door_knocking"
    assert d.parts["mediation"] == "mediation"


def test_an_arms_parameter_overrides_are_the_setting_of_its_parts_and_base():
    longnan = simgov.load_scenario("longnan-courtyards")
    p = plan(longnan, longnan.arm_names)
    (d,) = p.decompositions
    overrides = longnan.arms["practices"].parameters
    assert d.base == "practices--none" and p.scenario.arms[d.base].policies == ()
    assert p.scenario.arms[d.base].parameters == overrides
    assert d.parts["org_incubation"] == "org_incubation"  # that arm has the same overrides
    assert p.scenario.arms[d.parts["social_enterprise"]].parameters == overrides


def test_a_plan_on_its_own_scenario_adds_nothing(b_community):
    first = plan(b_community, b_community.arm_names, factorial="practices")
    again = plan(first.scenario, first.arms, factorial="practices")
    assert again.arms == first.arms and again.added == {}
    assert again.factorial.cells == first.factorial.cells
    assert len(first.factorial.cells) == 16 and first.factorial.cells[(1, 1, 1, 1)] == "practices"
    assert first.factorial.cells[(0, 0, 0, 0)] == "baseline"


@pytest.mark.parametrize("items, words", [
    ("door_knocking,nonsense", "neither an arm"),
    ("door_knocking", "2 to 6 factors"),
    ("door_knocking,door_knocking", "named twice"),
])
def test_a_bad_factorial_is_an_input_error(b_community, items, words):
    with pytest.raises(InputError, match=words):
        plan(b_community, ["baseline"], factorial=items)


def test_factors_that_override_one_parameter_differently_are_refused(b_community):
    one = Arm(policies=(POLICY_TYPES["door_knocking"](type="door_knocking"),),
              parameters={"resources": {"government_yuan_per_year": 1000.0}})
    two = Arm(policies=(POLICY_TYPES["mediation"](type="mediation"),),
              parameters={"resources": {"government_yuan_per_year": 2000.0}})
    s = b_community.model_copy(update={"arms": {"one": one, "two": two}})
    with pytest.raises(InputError, match="government_yuan_per_year"):
        plan(s, ["baseline"], factorial="one,two")


# ----------------------------------------------------------------------------- a small real compare
@pytest.fixture
def tiny(write_yaml):
    return write_yaml({"extends": "teaching-estate", "name": "tiny", "warmup_weeks": 2, "targets": [],
                       "arms": {"both": {"policies": [{"type": "door_knocking", "visits_per_week": 3,
                                                       "priority": "vulnerable"},
                                                      {"type": "mutual_aid_day"}]}}})


def test_compare_writes_interactions_and_reruns_from_its_manifest(tiny, tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", str(tiny), "--weeks", "3", "--reps", "2", "--arm", "both", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "interactions (combined effect - sum of its parts' effects" in printed and "interactions.csv" in printed
    table = pd.read_csv(out / "interactions.csv")
    assert list(table.columns) == INTERACTION_COLUMNS
    assert list(table.metric) == list(METRIC_NAMES) and set(table.arm) == {"both"}
    assert set(table.parts) == {"door_knocking+mutual_aid_day"} and (table.reps == 2).all()
    manifest = json.loads((out / "manifest.json").read_text())
    # door_knocking is the estate's own arm (equal policy); mutual-aid day alone is added.
    assert manifest["arms"] == ["baseline", "both", "door_knocking", "both--mutual_aid_day"]
    assert "both--mutual_aid_day" in manifest["scenario"]["arms"]
    assert manifest["derived"]["arms"] == {"both--mutual_aid_day": {"of": "both", "on": ["mutual_aid_day"]}}
    assert "interactions.csv" in manifest["files"]
    page = (out / "report.html").read_text()
    assert 'id="interactions"' in page and f"Both: {L.policy('mutual_aid_day')} alone" in page

    again = tmp_path / "again"
    assert main(["run", str(out / "manifest.json"), "--out", str(again), "--quiet", "--no-report"]) == 0
    rerun = json.loads((again / "manifest.json").read_text())
    assert rerun["arms"] == manifest["arms"] and rerun["derived"] == manifest["derived"]
    pd.testing.assert_frame_equal(pd.read_csv(again / "interactions.csv"), table)


def test_no_interactions_runs_only_the_asked_arms(tiny, tmp_path):
    out = tmp_path / "plain"
    assert main(["compare", str(tiny), "--weeks", "2", "--reps", "1", "--arm", "both", "--no-interactions",
                 "--out", str(out), "--quiet", "--no-report"]) == 0
    assert json.loads((out / "manifest.json").read_text())["arms"] == ["baseline", "both"]
    assert not (out / "interactions.csv").exists()


def test_the_api_runs_a_factorial(tiny):
    table = simgov.compare(str(tiny), reps=2, weeks=2, arms=["door_knocking"], interactions=False,
                           factorial="door_knocking,mutual_aid_day")
    fact = table.attrs["factorial"]
    assert list(fact.columns) == FACTORIAL_COLUMNS
    assert list(dict.fromkeys(fact.term)) == ["door_knocking", "mutual_aid_day", "door_knocking:mutual_aid_day"]
    assert table.attrs["interactions"] is None
    # The cell with both on equals the 'both' arm, so that arm runs it.
    assert set(table.arm) == {"door_knocking", "mutual_aid_day", "both"}


def test_a_bad_factorial_option_exits_2_naming_it(tiny, tmp_path, capsys):
    assert main(["compare", str(tiny), "--weeks", "2", "--reps", "1", "--factorial", "door_knocking,nope",
                 "--out", str(tmp_path / "bad")]) == 2
    assert "--factorial" in capsys.readouterr().err
