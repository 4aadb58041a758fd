"""Sweeps: experiment files, designs, factor paths, streaming store, executors, resume."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from simgov import cli
from simgov.errors import InputError
from simgov.experiment import factors as F
from simgov.experiment.runs import simulate
from simgov.experiment.store import RunStore
from simgov.experiment.sweep import auto_batch, prepare, run_sweep
from simgov.metrics import METRIC_NAMES
from simgov.policies.door_knocking import DoorKnocking
from simgov.streams import replicate_seed
from tests.specs import assert_whole_policies

# A small estate (600 residents, short warm-up), so that a run takes a few hundredths of a second.
SMALL_ESTATE = {
    "extends": "b-community", "name": "estate", "warmup_weeks": 8,
    "community": {"residents": 600, "households": 245, "buildings": 4, "grids": 2},
    "actors": {"party_members_resident": 6, "steady_volunteers": 12, "volunteer_teams": 2, "grid_workers": 2},
}
VOLATILE = ["seconds", "session"]  # columns that differ between two sweeps of the same experiment


@pytest.fixture
def estate(write_yaml):
    return write_yaml(SMALL_ESTATE, "estate.yaml")


@pytest.fixture
def experiment(write_yaml, estate):
    """Write an experiment on the small estate; keyword arguments override its fields."""
    def write(name="exp.yaml", **over):
        data = {
            "name": "levers", "scenario": "estate.yaml", "weeks": 12, "replicates": 2, "seed": 7,
            "policies": [{"type": "door_knocking"}, {"type": "mediation"}],
            "design": {"method": "latin_hypercube", "samples": 5},
            "factors": [{"path": "policies.door_knocking.visits_per_week", "low": 0, "high": 40},
                        {"path": "policies.mediation.uptake", "low": 0.2, "high": 0.8}],
            "executor": {"type": "serial"},
        }
        data.update(over)
        return write_yaml(data, name, folder=estate.parent)
    return write


def _table(folder) -> pd.DataFrame:
    return RunStore(Path(folder), 0).read().drop(columns=VOLATILE)


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize("over, where, words", [
    ({"factors": [{"path": "policies.door_knocking.visits_per_wek", "low": 0, "high": 4}]},
     "factors.0.path", "did you mean 'visits_per_week'"),
    ({"factors": [{"path": "policies.grid_management.cadence", "low": 0, "high": 4}]},
     "factors.0.path", "runs no 'grid_management' policy"),
    ({"factors": [{"path": "community.initial.trust_neighbours", "low": 0, "high": 1}]},
     "factors.0.path", "did you mean 'trust_neighbors'"),
    ({"factors": [{"path": "community.initial", "low": 0, "high": 1}]}, "factors.0.path", "a block of fields"),
    ({"factors": [{"path": "seed", "low": 0, "high": 1}]}, "factors.0.path", "cannot be swept"),
    ({"factors": [{"path": "policies.mediation.uptake", "low": 0.2, "high": 1.5}]},
     "factors.0", "less than or equal to 1"),
    ({"design": {"method": "sobol", "samples": 100}}, "design", "power of 2"),
    ({"design": {"method": "latin_hypercube", "samples": 5}, "outcomes": ["cohesion"]},
     "outcomes", "unknown metric 'cohesion'"),
    ({"arm": "medation"}, "arm", "did you mean 'mediation'"),
    ({"scenario": "b-comunity"}, "scenario", "did you mean 'b-community'"),
    ({"executor": {"type": "threads"}}, "executor.type", "serial"),
])
def test_bad_experiments_are_reported_with_file_field_and_allowed_values(experiment, capsys, over, where, words):
    path = experiment(**over)
    assert cli.main(["sweep", str(path), "--out", str(path.parent / "out")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and where in err and words in err
    assert "Traceback" not in err
    assert not (path.parent / "out").exists()


def test_validate_checks_experiment_files(experiment, capsys):
    assert cli.main(["validate", str(experiment())]) == 0
    assert "5 points x 2 replicates = 10 runs of 12 weeks" in capsys.readouterr().out


# ----------------------------------------------------------------------------- factors and designs
def test_factor_paths_reach_fields_parameters_and_policies(experiment):
    plan = prepare(experiment())
    base = plan.base
    targets = tuple(F.resolve(base, p) for p in ("community.initial.trust_neighbors", "parameters.disputes."
                                                 + next(iter(type(base.parameters.disputes).model_fields)),
                                                 "policies.door_knocking.visits_per_week"))
    assert [t.kind for t in targets] == ["float", "float", "int"]
    changed = F.apply(base, targets, (0.7, 0.01, 12.6))
    assert changed.community.initial.trust_neighbors == 0.7
    assert changed.policies[0].visits_per_week == 13  # whole-number field: nearest whole number
    assert base.policies[0].visits_per_week == DoorKnocking().visits_per_week  # the base is untouched
    with pytest.raises(InputError, match="households"):
        F.apply(base, (F.resolve(base, "community.households"),), (5000,))


def test_designs_have_the_documented_sizes_and_repeat_from_the_seed(experiment):
    for design, factors, points in [
        ({"method": "full_factorial"}, [{"path": "policies.door_knocking.visits_per_week", "values": [0, 10, 20]},
                                        {"path": "policies.mediation.uptake", "low": 0.2, "high": 0.8, "levels": 4}],
         12),
        ({"method": "latin_hypercube", "samples": 9}, None, 9),
        ({"method": "sobol", "samples": 8}, None, 8 * (2 + 2)),
        ({"method": "sobol", "samples": 8, "second_order": True}, None, 8 * (2 * 2 + 2)),
        ({"method": "morris", "samples": 5, "levels": 4}, None, 5 * 3),
    ]:
        over = {"design": design} | ({"factors": factors} if factors else {})
        a, b = prepare(experiment(**over)).design, prepare(experiment(**over)).design
        assert len(a) == points, design
        pd.testing.assert_frame_equal(a, b)
        assert a["policies.door_knocking.visits_per_week"].dtype == np.int64
        assert a["policies.door_knocking.visits_per_week"].between(0, 40).all()
    full = prepare(experiment(design={"method": "full_factorial"}, factors=[
        {"path": "policies.door_knocking.visits_per_week", "values": [0, 10]},
        {"path": "policies.mediation.legal_support", "values": [True, False]}])).design
    assert full.iloc[:, 1:].values.tolist() == [[0, True], [0, False], [10, True], [10, False]]


# ----------------------------------------------------------------------------- running
def test_every_run_records_point_seed_and_parameters_and_repeats_from_them(experiment, tmp_path):
    plan = prepare(experiment())
    result = run_sweep(plan, tmp_path / "out", progress=False)
    assert (result.status, result.done, result.failed) == ("complete", 10, 0)
    runs = result.runs()
    assert list(runs.columns[:5]) == ["point", "replicate", "seed", *plan.experiment.factor_names]
    assert set(METRIC_NAMES) <= set(runs.columns)
    # common random numbers: replicate i has one seed at every point, derived from the experiment seed
    assert (runs.seed == [replicate_seed(7, r) for r in runs.replicate]).all()
    row = runs.iloc[7]
    scenario = F.apply(plan.base, plan.targets, tuple(row[plan.experiment.factor_names]))
    again = simulate(scenario, seed=int(row.seed), weeks=12).summary["final_year_mean"]
    assert np.allclose(again[list(METRIC_NAMES)].to_numpy(float), row[list(METRIC_NAMES)].to_numpy(float))
    assert (tmp_path / "out" / "design.csv").is_file() and not (tmp_path / "out" / "parts").exists()


def test_a_failed_run_is_recorded_and_the_sweep_goes_on(experiment, tmp_path, capsys):
    # Each value is valid alone, but 300 households cannot be formed from 300 residents: that
    # point's runs fail, the others finish.
    path = experiment(factors=[{"path": "community.households", "values": [240, 300]},
                               {"path": "community.residents", "values": [300, 700]}],
                      design={"method": "full_factorial"}, replicates=2)
    code = cli.main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet", "--no-report"])
    runs = RunStore(tmp_path / "out", 0).read()
    bad = runs[runs.status == "failed"]
    assert code == 1 and len(runs) == 8 and set(bad.point) == {2} and len(bad) == 2
    assert bad.error.str.contains("households").all() and bad.cohesion_index.isna().all()
    assert runs[runs.status == "ok"].cohesion_index.notna().all()
    assert "runs failed" in capsys.readouterr().err


def test_results_are_identical_on_every_executor_including_a_loopback_dask_cluster(experiment, tmp_path):
    from distributed import LocalCluster

    plan = prepare(experiment(replicates=3))
    run_sweep(plan, tmp_path / "serial", executor="serial", progress=False)
    run_sweep(plan, tmp_path / "processes", executor="processes", workers=2, batch=2, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        run_sweep(plan, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address, batch=4,
                  progress=False)
    serial = _table(tmp_path / "serial")
    pd.testing.assert_frame_equal(serial, _table(tmp_path / "processes"))
    pd.testing.assert_frame_equal(serial, _table(tmp_path / "dask"))


def test_weekly_series_and_csv_export(experiment, tmp_path):
    result = run_sweep(prepare(experiment(series=True, csv=True)), tmp_path / "out", progress=False)
    series = RunStore(tmp_path / "out", 0).read("series")
    assert len(series) == 10 * 13 and list(series.columns[:3]) == ["point", "replicate", "week"]
    csv = pd.read_csv(tmp_path / "out" / "runs.csv")
    assert len(csv) == result.done == 10


# ----------------------------------------------------------------------------- resume
def test_an_existing_sweep_is_never_overwritten_and_resume_needs_the_same_experiment(experiment, tmp_path):
    out = tmp_path / "out"
    run_sweep(prepare(experiment()), out, progress=False)
    with pytest.raises(InputError, match="already holds a sweep"):
        run_sweep(prepare(experiment()), out, progress=False)
    with pytest.raises(InputError, match="different experiment"):
        run_sweep(prepare(experiment(replicates=3)), out, resume=True, progress=False)
    again = run_sweep(prepare(experiment()), out, resume=True, progress=False)
    assert (again.status, again.this_session) == ("complete", 0)


def test_a_sweep_made_by_other_model_code_is_not_resumed(experiment, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_sweep(prepare(experiment()), out, progress=False)
    monkeypatch.setattr("simgov.experiment.sweep.code_digest", lambda: "other-code")
    with pytest.raises(InputError, match="different experiment"):
        run_sweep(prepare(experiment()), out, resume=True, progress=False)


def _sweep_process(path, out, *extra):
    return subprocess.Popen([sys.executable, "-m", "simgov", "sweep", str(path), "--out", str(out), "--quiet",
                             "--no-report", "--batch", "1", *extra], stderr=subprocess.PIPE, text=True)


def _wait_for_parts(out: Path, at_least: int, proc, timeout=120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(list((out / "parts").glob("runs-*.parquet"))) >= at_least:
            return
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.05)
    raise AssertionError("the sweep wrote no parts in time")


@pytest.mark.parametrize("executor, sig", [("processes", signal.SIGTERM), ("serial", signal.SIGKILL)])
def test_a_killed_sweep_resumes_to_the_same_table_without_running_anything_twice(experiment, tmp_path,
                                                                                  executor, sig):
    path = experiment(design={"method": "latin_hypercube", "samples": 12}, weeks=40)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    run_sweep(prepare(path), whole, progress=False)
    proc = _sweep_process(path, cut, "--executor", executor, "--workers", "2")
    _wait_for_parts(cut, 3, proc)
    proc.send_signal(sig)
    code = proc.wait(60)
    assert code == (143 if sig == signal.SIGTERM else -signal.SIGKILL)
    parts = sorted((cut / "parts").glob("*.parquet"))
    assert not list(cut.glob("**/.*.parquet*")) or sig == signal.SIGKILL  # SIGTERM cleans its temporary files
    first = pd.concat([pq.read_table(p).to_pandas() for p in parts])  # every part is whole and readable
    assert 0 < len(first) < 24
    if sig == signal.SIGTERM:
        assert '"status": "interrupted"' in (cut / "manifest.json").read_text()

    assert cli.main(["sweep", str(path), "--out", str(cut), "--resume", "--quiet", "--no-report"]) == 0
    final = RunStore(cut, 0).read()
    assert final.session.value_counts().to_dict() == {1: len(first), 2: 24 - len(first)}  # nothing ran twice
    pd.testing.assert_frame_equal(final.drop(columns=VOLATILE), _table(whole))


def test_auto_batch_keeps_tasks_small_and_numerous():
    assert auto_batch(10, 2) == 1
    assert auto_batch(1000, 2) == 16
    assert auto_batch(100_000, 64) == 16


def test_a_failed_run_is_retried_by_resume(experiment, tmp_path, monkeypatch):
    import simgov.experiment.sweep as sweep_module

    plan = prepare(experiment())
    real = sweep_module.simulate
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("out of memory")
        return real(*args, **kwargs)

    monkeypatch.setattr(sweep_module, "simulate", flaky)
    first = run_sweep(plan, tmp_path / "out", progress=False)
    assert (first.failed, first.done) == (1, 9)
    monkeypatch.setattr(sweep_module, "simulate", real)
    second = run_sweep(plan, tmp_path / "out", resume=True, progress=False)
    assert (second.failed, second.done, second.this_session) == (0, 10, 1)
    assert len(RunStore(tmp_path / "out", 0).read()) == 10


def test_a_run_is_reproduced_from_the_sweep_folder_alone(experiment, tmp_path):
    from simgov.experiment.sweep import reproduce

    path = experiment()
    run_sweep(prepare(path), tmp_path / "out", progress=False)
    path.unlink()  # the experiment file is not needed
    row = RunStore(tmp_path / "out", 0).read().iloc[5]
    again = reproduce(tmp_path / "out", int(row.point), int(row.replicate)).summary["final_year_mean"]
    assert np.allclose(again[list(METRIC_NAMES)].to_numpy(float), row[list(METRIC_NAMES)].to_numpy(float))


def test_with_values_speaks_the_sweeps_path_language_for_simulate_compare_and_the_sweep(tmp_path):
    import simgov
    from simgov.errors import InputError
    from simgov.experiment.sweep import prepare

    base = simgov.load_scenario("b-community")
    sc = base.with_values({"policies.door_knocking.visits_per_week": 70, "actors.social_workers": 4})
    assert sc.actors.social_workers == 4
    # door-knocking runs in arms only: every arm that runs it takes the value
    for arm in ("door_knocking", "practices"):
        (knock,) = [p for p in sc.arms[arm].policies if p.type == "door_knocking"]
        assert knock.visits_per_week == 70
    assert base.arms["door_knocking"].policies[0].visits_per_week == 12  # the original is untouched
    with pytest.raises(InputError, match="did you mean 'visits_per_week'"):
        base.with_values({"policies.door_knocking.visits_per_wek": 70})
    with pytest.raises(InputError, match="greater than or equal to 0"):
        base.with_values({"actors.cadres": -1})
    with pytest.raises(InputError, match="runs no 'grid_management' policy"):
        base.with_values({"policies.grid_management.extra_workers": 2})
    with pytest.raises(InputError, match="cannot be swept"):  # identity fields are refused
        sc.with_values({"seed": 1})
    run = simgov.simulate(sc, arm="door_knocking", weeks=2)
    assert len(run.timeseries) == 3
    effects = simgov.compare(sc, reps=1, weeks=2, arms=["door_knocking"], progress=False)
    assert set(effects.arm) == {"door_knocking"}
    plan = prepare(Path(__file__).resolve().parents[1] / "experiments" / "quick-look.yaml", scenario=sc)
    assert plan.base.actors.social_workers == 4


def test_a_run_whose_base_arm_sets_policy_parameters_is_reproduced(write_yaml, estate, experiment, tmp_path):
    """The manifest records the base arm's policies with every parameter, so ``reproduce``
    runs what the sweep ran (a policy recorded as its type alone would run its defaults)."""
    import json
    import shutil

    from simgov.experiment.sweep import reproduce

    knock = {"type": "door_knocking", "visits_per_week": 7, "trust_gain": 0.3, "priority": "isolated"}
    write_yaml({**SMALL_ESTATE, "arms": {"visits": {"policies": [knock]}}}, "estate.yaml", folder=estate.parent)
    path = experiment(arm="visits", policies=[{"type": "mediation"}],
                      design={"method": "latin_hypercube", "samples": 3},
                      factors=[{"path": "policies.mediation.uptake", "low": 0.2, "high": 0.8}])
    out = tmp_path / "out"
    run_sweep(prepare(path), out, progress=False)
    path.unlink()
    estate.unlink()  # nor is the scenario file
    manifest = json.loads((out / "manifest.json").read_text())
    recorded = next(p for p in manifest["scenario"]["policies"] if p["type"] == "door_knocking")
    assert {k: recorded[k] for k in knock} == knock
    assert assert_whole_policies(manifest) == 3  # the arm's door-knocking, and mediation in scenario and experiment
    rows = RunStore(out, 0).read()

    def summary(folder, row):
        return reproduce(folder, int(row.point), int(row.replicate)).summary["final_year_mean"][list(METRIC_NAMES)]
    for i in (0, len(rows) - 1):
        np.testing.assert_array_equal(summary(out, rows.iloc[i]).to_numpy(float),
                                      rows.iloc[i][list(METRIC_NAMES)].to_numpy(float))
    # Recorded as its type alone, the policy runs its defaults and the numbers differ.
    stripped = tmp_path / "stripped"
    shutil.copytree(out, stripped)
    manifest["scenario"]["policies"] = [{k: p[k] for k in ("type", "start_week", "end_week")}
                                        for p in manifest["scenario"]["policies"]]
    (stripped / "manifest.json").write_text(json.dumps(manifest))
    assert not np.array_equal(summary(stripped, rows.iloc[0]).to_numpy(float),
                              rows.iloc[0][list(METRIC_NAMES)].to_numpy(float))
