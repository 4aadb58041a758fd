"""The bundled scenario library: every scenario validates, cites its numbers, runs each arm,
and the validation document matches its table and explains every miss."""

import re
from pathlib import Path

import pandas as pd
import pytest

import simgov
from simgov.cli import main
from simgov.experiment.runs import simulate
from simgov.experiment.validation import checks
from simgov.report.validation_page import document, read_notes, unexplained
from simgov.scenario import bundled_names, resolve_path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED = {"b-community", "qingshan-resettlement", "cuizhuyuan", "ruiquan-resettlement", "longnan-courtyards",
              "x-street", "teaching-estate"}
#: Sections whose every numeric value must carry a comment naming its seed or "assumption".
CITED_SECTIONS = ("community", "actors")


def test_the_library_holds_the_documented_communities():
    assert DOCUMENTED <= set(bundled_names())


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_number_is_cited_or_marked_an_assumption(name):
    text = resolve_path(name).read_text(encoding="utf-8")
    assert re.search(r"\.\./shared/seeds/00\d_", text) or name == "teaching-estate"
    section, uncited = None, []
    for line in text.splitlines():
        if re.match(r"^\w", line):
            section = line.split(":")[0]
        if section in CITED_SECTIONS and re.match(r"^\s+\w+:\s*[\d.]+\s*(#.*)?$", line):
            comment = line.partition("#")[2]
            if not re.search(r"00\d|assumption|illustrative|scaled|as B community|as in", comment):
                uncited.append(line.strip())
    assert not uncited, f"{name}: numbers without a source or 'assumption': {uncited}"


@pytest.mark.parametrize("name", sorted(DOCUMENTED - {"x-street"}))
def test_every_arm_runs(name):
    scenario = simgov.load_scenario(name).model_copy(update={"warmup_weeks": 4})
    for arm in scenario.arm_names:
        ts = simulate(scenario, arm=arm, weeks=3).timeseries
        assert len(ts) == 4 and ts.notna().all().all()
        assert scenario.arms.get(arm) is None or scenario.arms[arm].policies or arm == "baseline"


def test_x_street_builds_at_its_size():
    scenario = simgov.load_scenario("x-street").model_copy(update={"warmup_weeks": 0})
    ts = simulate(scenario, arm="practices", weeks=2).timeseries
    assert ts.notna().all().all()
    assert scenario.community.residents == 111_000  # 003


def test_scenarios_command_lists_sizes_and_titles(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in DOCUMENTED:
        line = next(line for line in out.splitlines() if line.startswith(name + " "))
        assert f"{simgov.load_scenario(name).community.residents:,} residents" in line


def test_validation_document_matches_its_table_and_explains_every_miss():
    table = pd.read_csv(ROOT / "docs" / "data" / "validation.csv")
    notes = read_notes(ROOT / "docs" / "data" / "validation-notes.yaml")
    assert not unexplained(table, notes)
    assert (ROOT / "docs" / "validation.md").read_text(encoding="utf-8") == document(ROOT), \
        "docs/validation.md is stale: run python experiments/validate_scenarios.py"


def test_validation_table_covers_every_check_of_every_scenario():
    """A scenario or a target added without rerunning the validation fails here."""
    table = pd.read_csv(ROOT / "docs" / "data" / "validation.csv")
    for name in DOCUMENTED:
        scenario = simgov.load_scenario(name)
        wanted = {(c.pattern, c.arm, c.low, c.high) for c in checks(scenario)}
        have = {(r.pattern, r.arm, r.low, r.high) for r in table[table.scenario == name].itertuples()}
        assert wanted == have, f"{name}: rerun python experiments/validate_scenarios.py {name}"
        rows = table[table.scenario == name]
        assert (rows.replicates >= 5).all()


def test_readme_table_lists_every_bundled_scenario_with_its_size():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in bundled_names():
        row = re.search(rf"^\| `{re.escape(name)}` \|.*$", text, re.M)
        assert row, f"README's scenario table lacks {name}"
        assert f"{simgov.load_scenario(name).community.residents:,}" in row.group(0)
