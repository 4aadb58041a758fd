"""docs/odd.md, docs/policies.md and docs/metrics.md cover everything the code has.

Each check takes its list from the code (every state variable, constant, parameter, policy
type, metric), so that adding one without documenting it fails here.
"""

from pathlib import Path

import pandas as pd
import pytest

from simgov import docgen, docgen_odd

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "odd.md"


def test_odd_generated_blocks_are_current_and_all_present():
    text = ODD.read_text()
    assert docgen_odd.fill_blocks(text) == text, "run: python -m simgov.docgen"
    assert sorted(docgen_odd.block_names(text)) == sorted(docgen_odd.BLOCKS)


def test_odd_has_every_element_of_odd_and_odd_d():
    text = ODD.read_text()
    for heading in ("## 1. Purpose and patterns", "## 2. Entities, state variables and scales",
                    "## 3. Process overview and scheduling", "## 4. Design concepts", "## 5. Initialization",
                    "## 6. Input data", "## 7. Submodels", "Theoretical and empirical background",
                    "Individual decision making", "Learning", "Individual sensing", "Individual prediction",
                    "Interaction", "Collectives", "Heterogeneity", "Stochasticity", "Observation", "Emergence"):
        assert heading.lower() in text.lower(), heading
    assert "validation.md" in text


def test_unknown_block_is_an_error():
    with pytest.raises(KeyError, match="unknown generated block"):
        docgen_odd.fill_blocks("<!-- BEGIN GENERATED: nonesuch -->\n<!-- END GENERATED: nonesuch -->")


def test_every_state_variable_is_documented_in_the_odd():
    text = ODD.read_text()
    for entity, _, variables in docgen_odd.entities():
        assert variables, entity
        for name, description in variables:
            assert description, f"{entity}.{name} has no comment where it is declared"
            assert f"| `{name}` | {description} |" in text, (entity, name)
    assert "**undocumented**" not in text


def test_every_constant_of_the_mechanisms_is_documented_in_the_odd():
    text = ODD.read_text()
    for module in docgen_odd.constant_modules():
        for name, _, doc in docgen_odd.module_constants(module):
            assert doc, f"{module.__name__}.{name} needs a '#:' comment above it"
            assert f"| `{name}` | `{module.__name__}` |" in text


def test_every_mechanism_parameter_and_scenario_field_is_in_the_odd():
    from simgov.dynamics import MECHANISMS
    from simgov.scenario.schema import Actors, Community, InitialAttitudes, NetworkSpec, ResidentMix, TieWeights

    text = ODD.read_text()
    phases = text[text.index("BEGIN GENERATED: phases"):text.index("END GENERATED: phases")]
    positions = [phases.index(f"Mechanism `{m.NAME}`") for m in MECHANISMS]
    assert positions == sorted(positions), "the schedule lists the phases in the order they run"
    for m in MECHANISMS:
        assert f"`{m.NAME}`:" in text
        for name in m.Params.model_fields:
            assert f"| `{name}` |" in text, (m.NAME, name)
    for section in (Community, ResidentMix, InitialAttitudes, Actors, NetworkSpec, TieWeights):
        for name in section.model_fields:
            assert f"| `{name}` |" in text, (section.__name__, name)


def test_every_policy_type_and_metric_is_in_the_odd():
    from simgov.metrics import METRICS
    from simgov.policies import POLICY_TYPES

    text = ODD.read_text()
    for kind in POLICY_TYPES:
        assert f"[`{kind}`](policies.md)" in text, kind
    for m in METRICS:
        assert f"| `{m.name}` | {m.unit} |" in text, m.name


def test_every_metric_has_its_range_direction_and_definition():
    from simgov.metrics import METRICS, UNIT_RANGES

    text = (ROOT / "docs" / "metrics.md").read_text()
    for m in METRICS:
        assert m.unit in UNIT_RANGES and m.better in ("higher", "lower", ""), m.name
        assert f"| `{m.name}` | {m.unit} | {m.values} | {m.better or '-'} | {m.description} |" in text, m.name
    cohesion = [m for m in METRICS if m.name in ("trust_neighbors", "belonging", "cohesion_index",
                                                 "participation_rate", "isolated_share")]
    assert all(m.instrument for m in cohesion)
    assert "Sampson, Raudenbush & Earls 1997" in text and "Chan, To & Chan (2006)" in text
    assert "UCLA Loneliness Scale" in text


def test_every_policy_has_practice_mechanism_cost_and_sources():
    from simgov.policies import POLICY_TYPES

    text = (ROOT / "docs" / "policies.md").read_text()
    for kind, cls in POLICY_TYPES.items():
        doc = docgen.policy_doc(cls)
        for part in ("title", "practice", "mechanism", "cost", "sources"):
            assert doc[part], f"the docstring of policy {kind} has no {part}"
        assert any(f"{s:03d}" in doc["practice"] for s in range(5)), f"{kind}: cite a seed document in practice"
        assert "Cost:" not in doc["mechanism"], kind
        for heading in (f"`{kind}`: {doc['title']}", f"**In practice.** {doc['practice']}",
                        f"**Cost model.** {doc['cost']}"):
            assert heading in text, (kind, heading)


@pytest.fixture(scope="module")
def effects_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("policy_effects", ROOT / "experiments" / "policy_effects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_policy_effects_table_covers_every_policy_and_outcome(effects_module):
    from simgov.policies import POLICY_TYPES

    table = pd.read_csv(docgen.POLICY_EFFECTS)
    assert list(table.columns) == effects_module.COLUMNS
    expected = {(k, o) for k in POLICY_TYPES for o in effects_module.OUTCOMES + effects_module.COSTS}
    assert set(zip(table.policy, table.outcome, strict=True)) == expected, \
        "rerun: python experiments/policy_effects.py; python -m simgov.docgen"
    assert set(effects_module.OUTCOMES + effects_module.COSTS) == set(docgen.EFFECT_HEADINGS)


def test_policies_md_shows_the_csv(effects_module):
    """The table in docs/policies.md is the committed CSV's (not a rerun of the experiment)."""
    table = pd.read_csv(docgen.POLICY_EFFECTS)
    text = (ROOT / "docs" / "policies.md").read_text()
    assert docgen.effects_summary(table) in text
    row = table[(table.policy == "mediation") & (table.outcome == "resolved_share")].iloc[0]
    assert f"{100 * row.difference:+.2f} [{100 * row.ci_low:.2f}, {100 * row.ci_high:.2f}]" in text


def test_policy_effects_experiment_runs(effects_module, tmp_path):
    out = tmp_path / "effects.csv"
    assert effects_module.main(["--reps", "2", "--weeks", "3", "--workers", "1", "--quiet", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table.policy) == set(effects_module.POLICY_TYPES) and (table.reps == 2).all()
    assert (tmp_path / "effects.json").exists()
