"""The docs stay true to the code: generated parts are current, examples run."""

import re
from pathlib import Path

import pytest
import yaml

from simgov import docgen

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_current():
    assert docgen.main(["--check"]) == 0, "run: python -m simgov.docgen"


def test_every_field_and_metric_is_documented():
    text = (ROOT / "docs" / "scenario-format.md").read_text()
    from simgov.scenario.schema import Scenario
    for model in docgen._section_models(Scenario):
        for name in model.model_fields:
            assert f"| `{name}` |" in text, (model.__name__, name)
    mechanisms = (ROOT / "docs" / "mechanisms.md").read_text()
    from simgov.dynamics import MECHANISMS
    for m in MECHANISMS:
        assert f"`{m.NAME}`" in mechanisms
        for name in m.Params.model_fields:
            assert f"| `{name}` |" in mechanisms, (m.NAME, name)
    experiments = (ROOT / "docs" / "experiment-format.md").read_text()
    from simgov.experiment.spec import Experiment
    for model in docgen._section_models(Experiment):
        for name in model.model_fields:
            assert f"| `{name}` |" in experiments, (model.__name__, name)
    metrics = (ROOT / "docs" / "metrics.md").read_text()
    from simgov.metrics import METRIC_NAMES
    for name in METRIC_NAMES:
        assert f"`{name}`" in metrics


def test_every_policy_type_and_parameter_is_in_the_catalogue():
    text = (ROOT / "docs" / "policies.md").read_text()
    from simgov.policies import POLICY_TYPES, PolicyParams
    for kind, cls in POLICY_TYPES.items():
        assert f"`{kind}`" in text, kind
        for name in cls.model_fields:
            assert name in PolicyParams.model_fields or f"| `{name}` |" in text, (kind, name)


def test_readme_yaml_arms_example_is_a_valid_scenario(write_yaml):
    from simgov.scenario import load_scenario
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    arms = next(b for b in blocks if b.startswith("arms:"))
    sc = load_scenario(write_yaml("name: readme\nextends: b-community\n" + arms))
    assert set(sc.arms) >= {"visits", "mediation_and_fund"}


DOCS_WITH_EXAMPLES = ["README.md", "docs/guide-researchers.md"]  # guide-analysts.md: test below


@pytest.mark.parametrize("doc", DOCS_WITH_EXAMPLES)
def test_python_examples_in_the_docs_run(doc, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / doc).read_text(), re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, doc, "exec"), {})


def test_experiment_files_in_the_docs_and_experiments_folder_validate(write_yaml):
    from simgov.experiment.sweep import prepare

    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        if path.name == "calibration.yaml":  # calibrate.py's ranges, not an experiment file
            continue
        assert prepare(path).runs > 0, path
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "guide-researchers.md").read_text(), re.S)
    shown = next(b for b in blocks if b.startswith("name: quick-look"))
    quick = yaml.safe_load((ROOT / "experiments" / "quick-look.yaml").read_text())
    assert yaml.safe_load(shown) == quick  # the guide shows the file as it is


def test_baseline_experiment_runs(tmp_path):
    import runpy
    import sys

    out = tmp_path / "baseline.md"
    argv = sys.argv
    sys.argv = ["baseline.py", "--reps", "2", "--weeks", "60", "--out", str(out)]
    try:
        runpy.run_path(str(ROOT / "experiments" / "baseline.py"), run_name="__main__")
    except SystemExit as exc:
        assert exc.code == 0
    finally:
        sys.argv = argv
    text = out.read_text()
    assert "| Steady volunteers (final year) |" in text and "000: 125 steady volunteers" in text


def _small(command: str) -> list[str]:
    """A guide's shell command as CLI arguments, with few replicates, weeks and draws (the suite stays fast)."""
    import shlex

    args = shlex.split(command)[1:]
    for option, small in (("--reps", "2"), ("--weeks", "6"), ("--workers", "1"), ("--generations", "2"),
                          ("--population", "4"), ("--draws", "2")):
        if option in args:
            args[args.index(option) + 1] = small
        elif args[0] in ("run", "compare") and option in ("--reps", "--weeks", "--workers"):
            args += [option, small]
    if "--draws" in args:
        args[args.index("--draws") + 1] = "4"
    return args


def test_analysts_guide_runs_as_written(tmp_path, monkeypatch, capsys):
    """Every file, command and Python example of docs/guide-analysts.md, in order, in a fresh folder."""
    from simgov import cli
    from simgov.scenario import load_scenario

    text = (ROOT / "docs" / "guide-analysts.md").read_text()
    monkeypatch.chdir(tmp_path)
    files = re.findall(r"```yaml\n# file: (\S+)\n(.*?)```", text, re.S)
    assert files
    for name, body in files:
        (tmp_path / name).write_text(body, encoding="utf-8")
        assert load_scenario(tmp_path / name).arms
    commands = [line for block in re.findall(r"```bash\n(.*?)```", text, re.S)
                for line in block.splitlines() if line.startswith("simgov ")]
    assert len(commands) >= 6
    for command in commands:
        assert cli.main(_small(command)) == 0, command
    assert (tmp_path / "results" / "my-estate-compare" / "effects.csv").exists()
    assert (tmp_path / "results" / "my-estate-compare" / "report.html").exists()
    assert (tmp_path / "results" / "best-mix" / "pareto.csv").exists()
    assert (tmp_path / "results" / "best-mix-compare" / "effects.csv").exists()
    for code in re.findall(r"```python\n(.*?)```", text, re.S):
        exec(compile(code.replace("reps=3, weeks=52", "reps=2, weeks=6"), "guide-analysts.md", "exec"), {})
    # the table of common errors quotes what simgov says
    bad = {"mix": "community:\n  mix:\n    elderly: 0.40\n",
           "type": "arms:\n  v:\n    policies:\n      - type: door_knock\n",
           "key": "arms:\n  v:\n    policies:\n      - type: door_knocking\n        visits_per_weak: 20\n",
           "quoted": 'weeks: "52"\n'}
    said = ""
    for name, body in bad.items():
        (tmp_path / f"{name}.yaml").write_text(f"name: bad\nextends: b-community\n{body}", encoding="utf-8")
        capsys.readouterr()
        assert cli.main(["validate", f"{name}.yaml"]) == 2
        said += capsys.readouterr().err
    quoted = re.findall(r"^\| `([^`]*)` \|", text[text.index("## 7. Common errors"):], re.M)
    for message in quoted[:len(bad)]:
        assert message in said, message
