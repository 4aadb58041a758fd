"""The lesson plan's numbers are the lesson script's: docs/teaching.md is generated from
docs/data/teaching-lesson.json, and the script still computes what that file says."""

import importlib.util
import math
from pathlib import Path

import numpy as np

from simgov import docgen
from simgov.demo.lesson import read
from simgov.docgen_odd import block_names
from simgov.docgen_teaching import LESSON, RENDER

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("teaching_lesson", ROOT / "experiments" / "teaching_lesson.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_guide_shows_the_data_files_numbers():
    text = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    assert block_names(text) == list(RENDER)
    assert docgen.expected("teaching.md") == text, "run: python -m simgov.docgen"
    data = read(LESSON)
    opened = data["experiments"]["mediation, 1 case a week"]["outcomes"]["disputes_open"]
    assert f"went from {np.mean(opened['without']):.2f} to {np.mean(opened['with']):.2f}" in text
    weeks = data["experiments"]["mediation, 1 case a week"]["group_dispute_weeks"]
    assert ", ".join(f"{w} → {m}" for w, m in zip(weeks["without"], weeks["with"], strict=True)) in text


def test_the_script_reproduces_the_data_file_for_the_class_seed():
    script, data = _script(), read(LESSON)
    assert data["settings"]["seeds"] == list(script.SEEDS)
    first = script.SEEDS[0]
    again = script.lesson(seeds=[first])  # the demo's default seed: every run of the plan once (a few seconds)

    def same(recorded, computed):
        if isinstance(recorded, dict):
            assert recorded.keys() == computed.keys()
            for key in recorded:
                same(recorded[key], computed[key])
        elif isinstance(recorded, list) and isinstance(computed, list) and len(computed) == 1:
            same(recorded[0], computed[0])  # per-seed lists: the first seed's value
        elif isinstance(recorded, float):
            assert math.isclose(recorded, computed, rel_tol=1e-12, abs_tol=1e-15)
        else:
            assert recorded == computed

    same(data["experiments"], again["experiments"])
    same(data["switch_off"], again["switch_off"])
    assert again["hidden_needs"] == data["hidden_needs"]


def test_the_demos_info_panel_cites_the_same_numbers():
    from simgov.demo.info import info_markdown
    from simgov.demo.lesson import panel_numbers

    numbers = panel_numbers()
    data = read(LESSON)
    resolved = data["experiments"]["mediation, 1 case a week"]["outcomes"]["resolved_share"]
    assert numbers["m_r1"] == f"{np.mean(resolved['with']):.0%}"
    for lang in ("en", "zh"):
        text = info_markdown(lang)
        assert "{" not in text and all(value in text for value in numbers.values())
