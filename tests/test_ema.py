"""The EMA Workbench adapter: uncertainties from the priors, levers from the policies' doses,
outcomes from the metrics, and EMA's runs equal to simgov's own."""

import math
import warnings

import numpy as np
import pytest

import simgov
from simgov.errors import InputError
from simgov.metrics import METRICS
from simgov.policies import DOSE
from simgov.uncertainty import priors

with warnings.catch_warnings():  # EMA warns about optional parts it does without (ipyparallel, altair)
    warnings.simplefilter("ignore")
    ema = pytest.importorskip("ema_workbench")

from simgov.adapters.ema import OPEN_RANGE_FACTOR, ema_model, ema_name, path_of  # noqa: E402

WEEKS = 3


@pytest.fixture(scope="module")
def estate():
    return simgov.load_scenario("teaching-estate")


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def test_perform_experiments_gives_what_simulate_gives(estate):
    model = ema_model(estate, weeks=WEEKS)
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=2, policies=2)
    assert len(experiments) == 4
    names = [p.name for p in model.uncertainties] + [p.name for p in model.levers if p.name != "arm"]
    seed = model.constants["seed"].value
    for i, row in experiments.iterrows():
        scenario = estate.with_values({path_of(name): _plain(row[name]) for name in names})
        direct = simgov.simulate(scenario, seed=seed, weeks=WEEKS, arm=row["arm"]).summary["final_year_mean"]
        for name, values in outcomes.items():
            assert values[i] == direct[name], (i, name)


def test_uncertainties_are_the_priors_drawn_from_their_distributions(estate):
    model = ema_model(estate, weeks=WEEKS)
    entries = {e.path: e for e in priors(estate)}
    levers = {p.name for p in model.levers}
    assert {path_of(p.name) for p in model.uncertainties} == set(entries) - {path_of(n) for n in levers}
    for p in model.uncertainties:
        prior = entries[path_of(p.name)].prior
        u = np.array([0.05, 0.5, 0.95])
        assert np.allclose(p.dist.ppf(u), prior.ppf(u))
        assert p.lower_bound == prior.low and p.upper_bound == prior.high


def test_default_levers_are_the_arm_and_each_policy_types_dose(estate):
    model = ema_model(estate, weeks=WEEKS)
    run = {p.type for p in estate.policies} | {p.type for a in estate.arms.values() for p in a.policies}
    names = [p.name for p in model.levers]
    assert names[0] == "arm" and list(model.levers["arm"].categories.keys()) == estate.arm_names
    assert set(names[1:]) == {ema_name(f"policies.{t}.{DOSE[t]}") for t in run}
    visits = model.levers["policies__door_knocking__visits_per_week"]
    arm_value = next(p for p in estate.arms["door_knocking"].policies).visits_per_week
    assert (visits.lower_bound, visits.upper_bound) == (0, math.floor(OPEN_RANGE_FACTOR * arm_value))


def test_named_levers_with_ranges_and_a_fixed_arm(estate):
    model = ema_model(estate, arm="mediation", weeks=WEEKS, levers={"policies.mediation.uptake": (0.2, 0.9)},
                      uncertainties=["parameters.disputes.escalate_multi_party"])
    assert [p.name for p in model.levers] == ["policies__mediation__uptake"]
    assert (model.levers[0].lower_bound, model.levers[0].upper_bound) == (0.2, 0.9)
    assert model.constants["arm"].value == "mediation"
    fixed = ema_model(estate, arm="door_knocking", weeks=WEEKS)  # only the doses of the policies that arm runs
    assert [p.name for p in fixed.levers] == ["policies__door_knocking__visits_per_week"]
    with pytest.raises(InputError):  # a parameter of a policy the fixed arm does not run is no lever
        ema_model(estate, arm="door_knocking", levers=["policies.mediation.uptake"])
    assert [p.name for p in model.uncertainties] == ["parameters__disputes__escalate_multi_party"]


def test_outcomes_follow_the_metrics_better_direction(estate):
    model = ema_model(estate, weeks=WEEKS)
    kinds = {"higher": ema.ScalarOutcome.MAXIMIZE, "lower": ema.ScalarOutcome.MINIMIZE}
    assert [o.name for o in model.outcomes] == [m.name for m in METRICS if m.better]
    for m in METRICS:
        if m.better:
            assert model.outcomes[m.name].kind == kinds[m.better]
    info = ema_model(estate, weeks=WEEKS, outcomes=["spend_yuan_total"]).outcomes["spend_yuan_total"]
    assert info.kind == ema.ScalarOutcome.INFO


def test_replications_use_the_replicates_seeds(estate):
    from simgov.streams import replicate_seed

    model = ema_model(estate, weeks=WEEKS, replications=2)
    assert isinstance(model, ema.ReplicatorModel)
    assert [r["seed"] for r in model.replications] == [replicate_seed(estate.seed, i) for i in range(2)]


@pytest.mark.parametrize("kwargs, path", [({"levers": ["policies.door_knocking.visits"]}, "lever"),
                                          ({"uncertainties": ["parameters.nope"]}, "uncertainty"),
                                          ({"outcomes": ["cohesion"]}, "outcome"),
                                          ({"arm": "nope"}, "arm"),
                                          ({"statistic": "median"}, "statistic"),
                                          ({"levers": {"policies.mediation.uptake": (0.9, 0.2)}},
                                           "policies.mediation.uptake")])
def test_bad_arguments_are_input_errors_naming_what_is_wrong(estate, kwargs, path):
    with pytest.raises(InputError) as err:
        ema_model(estate, **kwargs)
    assert err.value.problems[0].path == path


def test_the_doses_are_the_demos_sliders():
    from simgov.demo.levers import LEVERS

    assert {lever.type: lever.param for lever in LEVERS} == DOSE


def test_the_adapter_imports_first_in_a_fresh_interpreter():
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", "import simgov.adapters.ema"], check=True, capture_output=True)
