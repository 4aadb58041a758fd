"""The budget optimiser: its search space, the front, robust summaries, and a tiny real optimisation."""

import json

import numpy as np
import pandas as pd
import pytest

from simgov.cli import main
from simgov.optimise import dominates, front
from simgov.optimise import levers as L
from simgov.optimise.evaluate import Setting, summarise
from simgov.policies import POLICY_TYPES

OBJ = [("a", "max"), ("b", "min")]
BUDGET = 5000.0
POLICIES = "door_knocking,mediation"
TINY = ["optimise", "teaching-estate", "--budget", f"{BUDGET:g}",
        "--objectives", "cohesion_index:max,unmet_needs_share:min", "--policies", POLICIES,
        "--generations", "2", "--population", "4", "--reps", "2", "--weeks", "6", "--seed", "3", "--quiet"]


def test_every_policy_type_has_levers_within_its_declared_ranges():
    assert set(L.LEVERS) == set(POLICY_TYPES)
    assert L.check_levers() == []


def test_a_lever_beyond_its_declared_range_is_found(monkeypatch):
    wide = (L.Lever("mediation", "uptake", 0, 2, "planted: a share cannot reach 2"),)
    monkeypatch.setitem(L.LEVERS, "mediation", wide)
    assert any("mediation.uptake" in p for p in L.check_levers())


def test_a_mix_holds_only_the_policies_switched_on_with_values_as_their_fields_take_them():
    values = {"door_knocking.on": True, "door_knocking.start_week": 3, "door_knocking.visits_per_week": 12.6,
              "door_knocking.priority": "random", "mediation.on": False, "mediation.start_week": 2,
              "mediation.cases_per_week": 5, "mediation.group_cases_per_week": 1}
    mix = L.mix_of(values, ["door_knocking", "mediation"])
    assert mix == ({"type": "door_knocking", "start_week": 3, "visits_per_week": 13, "priority": "random"},)
    other = dict(values, **{"mediation.cases_per_week": 0})  # differs only in a switched-off policy
    assert L.mix_of(other, ["door_knocking", "mediation"]) == mix
    assert L.mix_name(mix) == "door_knocking" and L.mix_name(()) == "nothing"
    assert L.variables(["mediation"], 10)["mediation.start_week"] == ("int", 1, 5)


PLANTED = pd.DataFrame({
    "id": ["p", "q", "r", "s", "t", "u"],
    "a": [3.0, 1.0, 2.0, 2.0, 9.0, 3.0],
    "b": [3.0, 1.0, 2.0, 3.0, 0.0, 3.0],
    "feasible": [True, True, True, True, False, True],
})


def test_dominance_on_planted_rows():
    rows = PLANTED.set_index("id")
    assert dominates(rows.loc["r"], rows.loc["s"], OBJ)  # as good on a, better on b
    assert not dominates(rows.loc["s"], rows.loc["r"], OBJ)
    assert not dominates(rows.loc["p"], rows.loc["q"], OBJ) and not dominates(rows.loc["q"], rows.loc["p"], OBJ)
    assert not dominates(rows.loc["p"], rows.loc["u"], OBJ)  # equal rows do not dominate each other


def test_front_on_a_planted_table_keeps_feasible_non_dominated_rows():
    ids = list(front(PLANTED, OBJ).id)
    # t would dominate every row but is over the budget; s is dominated by r; p and u tie.
    assert ids == ["p", "q", "r", "u"]
    assert front(PLANTED.assign(feasible=False), OBJ).empty


def _record(diffs: np.ndarray, error: str = "") -> dict:
    """A planted mix record: draws x replicates of metric 'a' and a constant cost."""
    return {"error": error, "runs": {f"{d}/{r}": {"a": float(diffs[d, r]), "b": -float(diffs[d, r]),
                                                  **dict.fromkeys(("yuan_per_year", "staff_hours_per_year",
                                                                   "social_worker_hours_per_year",
                                                                   "volunteer_hours_per_year"), 10.0)}
                                     for d in range(diffs.shape[0]) for r in range(diffs.shape[1])}}


def test_robust_summary_takes_the_bad_side_quantile_of_the_per_draw_effects(small):
    per_draw = np.arange(11, dtype=float)  # effects 0..10, one per draw
    diffs = np.repeat(per_draw[:, None], 2, axis=1) + np.array([[-0.5, 0.5]])  # replicate noise averages out
    setting = Setting(small, 4, 2, draws=pd.DataFrame({"x": range(11)}))
    zero = _record(np.zeros((11, 2)))
    robust = summarise(_record(diffs), zero, setting, OBJ, robust="quantile", q=0.1)
    assert robust["a"] == pytest.approx(1.0)  # maximised: the 10% quantile
    assert robust["b"] == pytest.approx(-1.0)  # minimised (b = -a): the 90% quantile, its bad side
    assert robust["a:mean"] == pytest.approx(5.0) and robust["yuan_per_year"] == 0.0
    assert summarise(_record(diffs), zero, setting, OBJ, robust="mean")["a"] == pytest.approx(5.0)
    failed = summarise(_record(diffs, "InputError: planted"), zero, setting, OBJ)
    assert failed["error"] and np.isnan(failed["a"])


def test_prior_and_posterior_draws_are_seeded(small, tmp_path):
    from simgov.uncertainty.draws import posterior_draws, prior_draws, read_posterior
    from simgov.uncertainty.priors import priors

    a, b = prior_draws(small, 5, seed=3), prior_draws(small, 5, seed=3)
    pd.testing.assert_frame_equal(a, b)
    entry = priors(small)[0]
    lo, hi = entry.prior.low, entry.prior.high
    assert a[entry.path].between(lo, hi).all()
    file = tmp_path / "posterior.csv"
    pd.DataFrame({"weight": [0.0, 1.0], entry.path: [lo, hi]}).to_csv(file, index=False)
    drawn = posterior_draws(read_posterior(file), 4, seed=1)
    assert list(drawn.columns) == [entry.path] and (drawn[entry.path] == hi).all()  # all the weight on one


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("opt") / "best"
    assert main([*TINY, "--out", str(out)]) == 0
    return out


def test_a_tiny_optimisation_writes_its_tables_figure_and_mixes(tiny):
    evaluated = pd.read_csv(tiny / "evaluated.csv")
    assert len(evaluated) == 2 * 4 and set(evaluated.generation) == {0, 1}
    assert (tiny / "front.png").stat().st_size > 0
    pareto = pd.read_csv(tiny / "pareto.csv")
    assert len(pareto) >= 1
    for file in pareto.scenario_file:
        assert (tiny / file).is_file()
    manifest = json.loads((tiny / "manifest.json").read_text())
    assert manifest["kind"] == "optimise" and manifest["status"] == "complete"


def test_every_pareto_mix_is_within_the_budget_and_dominated_by_no_evaluated_mix(tiny):
    objectives = [("cohesion_index", "max"), ("unmet_needs_share", "min")]
    pareto = pd.read_csv(tiny / "pareto.csv")
    evaluated = pd.read_csv(tiny / "evaluated.csv")
    assert (pareto.yuan_per_year <= BUDGET).all() and pareto.feasible.all()
    feasible = evaluated[evaluated.feasible]
    for _, mix in pareto.iterrows():
        assert not any(dominates(other, mix, objectives) for _, other in feasible.iterrows())
    within = evaluated.error.isna() & (evaluated.yuan_per_year <= BUDGET)
    assert (evaluated.feasible == within).all()
    assert not evaluated.feasible.all()  # the setting exercises the budget: some candidates exceed it


def test_a_mix_file_runs_in_compare_and_measures_the_same_effect_and_cost(tiny, tmp_path):
    pareto = pd.read_csv(tiny / "pareto.csv")
    row = pareto.iloc[-1]  # the costliest on the front
    out = tmp_path / "cmp"
    assert main(["compare", str(tiny / row.scenario_file), "--arm", row["name"], "--out", str(out), "--quiet",
                 "--no-report"]) == 0
    effects = pd.read_csv(out / "effects.csv").set_index("metric")
    assert effects.loc["cohesion_index", "difference"] == pytest.approx(row.cohesion_index, abs=1e-12)
    assert effects.loc["unmet_needs_share", "difference"] == pytest.approx(row.unmet_needs_share, abs=1e-12)
    costs = pd.read_csv(out / "costs.csv")
    assert costs.yuan_per_year.iloc[0] == pytest.approx(row.yuan_per_year)


def test_resume_reruns_nothing_and_the_same_seed_gives_the_same_front(tiny, tmp_path):
    from simgov.optimise import optimise

    again = optimise("teaching-estate", BUDGET, "cohesion_index:max,unmet_needs_share:min", tiny,
                     policies=POLICIES.split(","), generations=2, population=4, reps=2, weeks=6, seed=3, resume=True)
    assert again.runs_made == 0
    fresh = tmp_path / "fresh"
    assert main([*TINY, "--out", str(fresh)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(fresh / "pareto.csv"), pd.read_csv(tiny / "pareto.csv"))


@pytest.mark.parametrize("change, says", [
    (["--objectives", "cohesion:max"], "unknown metric 'cohesion'"),
    (["--objectives", "cohesion_index:up"], "METRIC:max or METRIC:min"),
    (["--policies", "door_knock"], "did you mean 'door_knocking'"),
    (["--reference", "nowhere"], "no arm named 'nowhere'"),
    (["--uncertainty", "posterior"], "has no shipped posterior"),
])
def test_bad_input_is_an_input_error(change, says, tmp_path, capsys, monkeypatch):
    import simgov.uncertainty.shipped as shipped

    monkeypatch.setattr(shipped, "bundled_dir", lambda: tmp_path)  # no posterior shipped here
    args = list(TINY)
    for i in range(0, len(change), 2):
        if change[i] in args:
            args[args.index(change[i]) + 1] = change[i + 1]
        else:
            args += change[i:i + 2]
    assert main([*args, "--out", str(tmp_path / "x")]) == 2
    assert says in capsys.readouterr().err


def test_a_stale_shipped_posterior_is_refused_as_compare_refuses_it(tmp_path, capsys, monkeypatch):
    import simgov.uncertainty.shipped as shipped

    monkeypatch.setattr(shipped, "bundled_dir", lambda: tmp_path)
    file = tmp_path / "teaching-estate.posterior.csv"
    pd.DataFrame({"weight": [1.0], "parameters.disputes.relapse": [0.1]}).to_csv(file, index=False)
    shipped.write_record(file, {"scenario": "teaching-estate", "digest": "another version", "commit": "abc"})
    assert main([*TINY, "--uncertainty", "posterior", "--draws", "2", "--out", str(tmp_path / "x")]) == 2
    assert "teaching-estate.posterior.csv is stale" in capsys.readouterr().err


def test_an_existing_optimisation_is_not_overwritten_without_resume(tiny, capsys):
    assert main([*TINY, "--out", str(tiny)]) == 2
    assert "--resume" in capsys.readouterr().err


def test_the_dask_executor_gives_the_serial_evaluations(tiny, tmp_path):
    """Each run depends on its mix, draw and seed alone: a generation on Dask workers stores the
    same evaluations as the serial run (the same front, and nothing the serial run lacked)."""
    pytest.importorskip("distributed")
    out = tmp_path / "dask"
    assert main([*TINY, "--out", str(out), "--generations", "1", "--executor", "dask", "--workers", "1"]) == 0
    mine = {p.name: json.loads(p.read_text()) for p in (out / "cache").glob("*.json")}
    serial = {p.name: json.loads(p.read_text()) for p in (tiny / "cache").glob("*.json")}
    assert mine and set(mine) <= set(serial)
    assert all(mine[k] == serial[k] for k in mine)


@pytest.mark.parametrize("uncertainty", ["prior", "posterior.csv"])
def test_under_uncertainty_each_objective_is_its_bad_side_quantile_over_draws(uncertainty, tmp_path):
    import simgov
    from simgov.uncertainty.priors import priors

    if uncertainty != "prior":
        entry = priors(simgov.load_scenario("teaching-estate"))[0]
        pd.DataFrame({"weight": [0.5, 0.5], entry.path: list(entry.prior.interval())}).to_csv(
            tmp_path / uncertainty, index=False)
        uncertainty = str(tmp_path / uncertainty)
    out = tmp_path / "robust"
    assert main([*TINY, "--out", str(out), "--generations", "1", "--population", "2", "--reps", "1",
                 "--uncertainty", uncertainty, "--draws", "3"]) == 0
    table = pd.read_csv(out / "evaluated.csv")
    assert (table["cohesion_index"] == table["cohesion_index:quantile"]).all()
    assert (table["cohesion_index:quantile"] <= table["cohesion_index:mean"] + 1e-12).all()
    assert (table["unmet_needs_share:quantile"] >= table["unmet_needs_share:mean"] - 1e-12).all()
    assert json.loads((out / "manifest.json").read_text())["settings"]["draws"] == 3


def test_each_policy_types_first_lever_is_its_dose():
    """The optimiser's first lever of a type is the dose the demo and the EMA adapter use
    (simgov.policies.DOSE), so the three speak of the same intensity."""
    from simgov.optimise.levers import LEVERS
    from simgov.policies import DOSE

    assert {kind: levers[0].name for kind, levers in LEVERS.items()} == DOSE
