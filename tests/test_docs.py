"""The docs stay true to the code: generated parts are current, examples run."""

import re
from pathlib import Path

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


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})


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
