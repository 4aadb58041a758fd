"""The package as a user installs it: a wheel built from the source, installed without extras in
a fresh virtual environment, runs a bundled scenario and writes its report.

Slow (a minute or two: pip installs numpy, pandas, scipy, matplotlib, ... from its cache, or
downloads them the first time), so it is one test, run once per suite.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*cmd, cwd=None, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=True)


def test_the_wheel_installs_without_extras_and_runs_a_scenario(tmp_path):
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, ROOT)
    (wheel,) = wheels.glob("simgov-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    bundled = sorted(p.name for pattern in ("*.yaml", "*.posterior.csv", "*.posterior.json")  # scenarios, posteriors
                     for p in (ROOT / "simgov" / "scenarios").glob(pattern))
    assert sorted(Path(n).name for n in names if n.startswith("simgov/scenarios/")) == bundled
    for needed in ("simgov/py.typed", "simgov/report/templates/run.html.j2", "simgov/data/validation.csv",
                   "simgov/data/teaching-lesson.json"):
        assert needed in names, needed
    assert any(n.endswith("licenses/LICENSE") for n in names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python, simgov = venv / "bin" / "python", venv / "bin" / "simgov"
    _run(python, "-m", "pip", "install", "--quiet", wheel)  # no extras; pip's cache serves what it has
    assert "usage: simgov" in _run(simgov, "--help").stdout
    no_extras = _run(python, "-c", "import importlib.util as u; print([m for m in ('solara', 'optuna', "
                     "'distributed', 'playwright', 'pytest') if u.find_spec(m)])").stdout
    assert no_extras.strip() == "[]"
    out = tmp_path / "results"
    _run(simgov, "run", "teaching-estate", "--reps", "1", "--weeks", "3", "--out", out, "--quiet", cwd=tmp_path)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<section id="summary">' in report and "Validation: all" in report  # the bundled record is found
    where = _run(python, "-c", "import simgov; print(simgov.__file__)", cwd=tmp_path).stdout
    assert str(venv) in where  # the installed wheel ran, not the source tree
