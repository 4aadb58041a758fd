"""The command line end to end: files, columns, exit codes, reproducibility."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from simgov.cli import main
from simgov.metrics import METRIC_NAMES


def simgov_cmd(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "simgov", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "b-community", "--weeks", "6", "--reps", "2", "--out", str(out), "--quiet"]) == 0
    return out


def test_run_writes_files_and_columns(run_dir):
    for name in ("timeseries.csv", "summary.csv", "manifest.json", "report.html", "figures/timeseries.png"):
        assert (run_dir / name).is_file(), name
    ts = pd.read_csv(run_dir / "timeseries.csv")
    assert list(ts.columns) == ["arm", "replicate", "seed", "week", *METRIC_NAMES]
    assert len(ts) == 2 * 7 and set(ts["replicate"]) == {0, 1}
    summary = pd.read_csv(run_dir / "summary.csv")
    assert list(summary.columns) == ["arm", "replicate", "seed", "metric", "final", "mean", "final_year_mean"]
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["scenario"]["name"] == "b-community"
    assert manifest["environment"]["simgov"]
    assert [r["seed"] for r in manifest["runs"]] == [int(s) for s in manifest["seeds"].values()]
    assert sorted(set(ts["seed"])) == sorted(int(s) for s in manifest["seeds"].values())
    html = (run_dir / "report.html").read_text()
    assert "data:image/svg+xml;base64," in html and "Key numbers" in html and "http" not in html.split("<body>")[1]


def test_same_seed_gives_byte_identical_timeseries(run_dir, tmp_path):
    again = tmp_path / "again"
    assert main(["run", "b-community", "--weeks", "6", "--reps", "2", "--out", str(again), "--quiet"]) == 0
    assert (again / "timeseries.csv").read_bytes() == (run_dir / "timeseries.csv").read_bytes()
    other = tmp_path / "other"
    assert main(["run", "b-community", "--weeks", "6", "--reps", "2", "--seed", "99", "--out", str(other),
                 "--quiet"]) == 0
    assert (other / "timeseries.csv").read_bytes() != (run_dir / "timeseries.csv").read_bytes()


def test_bad_scenario_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncommunity:\n  residnts: 10\n")
    res = simgov_cmd("run", str(bad), "--out", str(tmp_path / "o"))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert f"{bad}:3:3: community.residnts" in res.stderr and "did you mean 'residents'?" in res.stderr


def test_usage_errors_exit_2(tmp_path):
    res = simgov_cmd("run", "b-community", "--weeks", "zero")
    assert res.returncode == 2 and "--weeks must be a whole number" in res.stderr
    res = simgov_cmd("run", "b-community", "--arm", "nope", "--out", str(tmp_path))
    assert res.returncode == 2 and "no arm named 'nope'" in res.stderr and "Traceback" not in res.stderr
    res = simgov_cmd("frobnicate")
    assert res.returncode == 2


def test_validate(tmp_path):
    good = simgov_cmd("validate", "b-community")
    assert good.returncode == 0 and "ok:" in good.stdout and "MiB per run" in good.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nweeks: [\n")
    res = simgov_cmd("validate", str(bad), "b-community")
    assert res.returncode == 2 and "YAML syntax error" in res.stderr and "ok: b-community" in res.stdout


def test_scenarios_lists_bundled():
    res = simgov_cmd("scenarios")
    assert res.returncode == 0 and "b-community" in res.stdout and "6,221 residents" in res.stdout


def test_failed_run_keeps_finished_runs(tmp_path, monkeypatch):
    import simgov.experiment.runs as runs

    real = runs.simulate
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise FloatingPointError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "simulate", flaky)
    out = tmp_path / "partial"
    assert main(["run", "b-community", "--weeks", "3", "--reps", "3", "--out", str(out), "--quiet"]) == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed" and "boom" in manifest["error"]
    ts = pd.read_csv(out / "timeseries.csv")
    assert set(ts["replicate"]) == {0}


def test_show_prints_the_resolved_scenario_that_loads_back_the_same(capsys, write_yaml):
    import yaml

    from simgov.scenario import as_arm, load_scenario

    assert main(["show", "b-community", "--arm", "mediation"]) == 0
    text = capsys.readouterr().out
    data = yaml.safe_load(text)
    assert data["community"]["residents"] == 6221 and data["policies"][0]["type"] == "mediation"
    assert data["parameters"]["disputes"]  # defaults filled in
    again = load_scenario(write_yaml(text, "shown.yaml"))
    assert again == as_arm(load_scenario("b-community"), "mediation")
    assert again.targets == ()  # b-community's own targets are the baseline's and the practices'
    practices = as_arm(load_scenario("b-community"), "practices")
    assert [(t.pattern, t.arm) for t in practices.targets] == [("resolved_share", "baseline")]
    assert main(["show", "b-community", "--arm", "mediaton"]) == 2
    assert "did you mean 'mediation'" in capsys.readouterr().err


def test_messages_go_through_logging_at_the_level_of_v_and_q(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["-v", "run", "teaching-estate", "--reps", "2", "--weeks", "2", "--out", str(out), "--quiet"]) == 0
    assert "baseline, replicate 1" in capsys.readouterr().err  # -v: each run as it finishes
    assert main(["run", "teaching-estate", "--reps", "1", "--weeks", "2", "--out", str(tmp_path / "r1"),
                 "--quiet"]) == 0
    assert "replicate" not in capsys.readouterr().err
    assert main(["-q", "report", str(tmp_path / "nothing")]) == 2
    assert "simgov: error:" in capsys.readouterr().err  # errors still show under -q


def test_help_loads_none_of_the_heavy_libraries():
    import subprocess
    import sys

    code = ("import sys\nfrom simgov.cli import build_parser\nbuild_parser().format_help()\n"
            "print(sorted(m for m in ('numpy', 'pandas', 'matplotlib', 'mesa', 'scipy', 'pydantic', 'jinja2') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["simgov.metrics", "simgov.community", "simgov.scenario", "simgov.policies",
                                    "simgov.docgen", "simgov.report.html", "simgov.experiment.sweep", "simgov.api"])
def test_each_layer_imports_first_in_a_fresh_interpreter(module):
    """``import simgov`` loads nothing (its names come on first use), so no module may rely on another
    having been imported before it: a cycle between layers would show here."""
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)
