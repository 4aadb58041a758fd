"""The linkage experiment (experiments/linkage_experiment.py, docs/linkage-experiment.md): its
design does what it says (siloed means no linkage, the shock only in its arm, the cells paired
by seed, cached runs read back unchanged), its data file is self-consistent, and the document
shows the data file's numbers."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simgov import docgen
from simgov import docgen_linkage as D
from simgov.docgen_odd import block_names

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "linkage-experiment.md"


def _script():
    spec = importlib.util.spec_from_file_location("linkage_experiment", ROOT / "experiments" / "linkage_experiment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory):
    """The script's runs of the teaching estate: 2 replicates x 60 weeks (the shock in week 9)."""
    script, cache = _script(), tmp_path_factory.mktemp("cache")
    return script, cache, script.runs("teaching-estate", 2, 60, 1, cache, fresh=False, progress=False)


def test_the_cells_are_linked_or_siloed_and_shocked_or_calm_as_designed(small_runs):
    script, _, results = small_runs
    start = script.shock(60).start_week
    assert start == 9 and script.shock(script.WEEKS).start_week == script.SHOCK_START
    for level, runs in results.items():
        assert sorted((r.arm, r.replicate) for r in runs) == [(a, i) for a in ("baseline", D.SHOCK_ARM)
                                                               for i in range(2)]
        for r in runs:
            strength = r.timeseries.linkage_strength
            if level == "siloed":
                assert (strength == 0).all()  # siloed through the warm-up too
            else:
                assert (strength > 0).all()
            assert (r.shocks is None) == (r.arm == "baseline")
        calm = {r.replicate: r.timeseries for r in runs if r.arm == "baseline"}
        for r in runs:  # common random numbers: the shocked run is the calm one until the shock
            if r.arm == D.SHOCK_ARM:
                before = slice(0, start)
                assert r.timeseries.iloc[before].equals(calm[r.replicate].iloc[before])
                assert not r.timeseries.iloc[start:].equals(calm[r.replicate].iloc[start:])
    seeds = {level: sorted({(r.replicate, r.seed) for r in runs}) for level, runs in results.items()}
    assert seeds["linked"] == seeds["siloed"]


def test_cached_runs_are_read_back_unchanged_and_give_every_row(small_runs):
    script, cache, results = small_runs
    assert len(list(cache.glob("teaching-estate-*-reps2-weeks60.csv.gz"))) == 2
    again = script.runs("teaching-estate", 2, 60, 1, cache, fresh=False, progress=False)
    first, second = script.cell_values(results, 2, 60), script.cell_values(again, 2, 60)
    for cell in D.CELLS:
        pd.testing.assert_frame_equal(first[cell], second[cell], check_exact=True)
    rows = pd.DataFrame(script.tidy("teaching-estate", first), columns=script.COLUMNS)
    outcomes = D.OUTCOMES + D.SHOCK_OUTCOMES + D.PAIRED_OUTCOMES
    quantities = [D.CELL_NAMES[c] for c in D.CELLS] + list(D.CONTRASTS) + [D.INTERACTION]
    assert list(zip(rows.outcome, rows.quantity, strict=True)) == [(o, q) for o in outcomes for q in quantities]
    calm = rows[rows.quantity.str.endswith("/none") & rows.outcome.isin(D.PAIRED_OUTCOMES)
                & ~rows.quantity.str.startswith("linkage_effect")]
    assert (calm.n == 0).all()  # the shock read against the calm run exists only where there was one


def test_a_cache_made_by_other_model_code_is_rerun_not_read(small_runs, monkeypatch):
    script, cache, results = small_runs
    path = cache / "teaching-estate-linked-reps2-weeks60.csv.gz"
    read = []
    monkeypatch.setattr(script, "_cached", lambda p, s: read.append(p) or results["linked"])
    script.runs("teaching-estate", 2, 60, 1, cache, fresh=False, progress=False)
    assert path in read  # today's code: read back
    read.clear()
    monkeypatch.setattr(script, "code_digest", lambda: "other-code")
    again = script.runs("teaching-estate", 2, 60, 1, cache, fresh=False, progress=False)
    assert not read  # other code: rerun, and recorded as made by it
    assert json.loads(path.with_name(path.name.removesuffix(".csv.gz") + ".json").read_text())["code"] == "other-code"
    pd.testing.assert_frame_equal(again["linked"][0].timeseries, results["linked"][0].timeseries)


def test_against_calm_measures_the_excess_over_the_same_replicate_without_the_shock():
    script = _script()
    s = script.shock(60)  # weeks 9-16
    calm = pd.DataFrame({"unmet_needs_share": np.linspace(0.1, 0.4, 61)})  # a drift both runs share
    shocked = calm.copy()
    shocked.loc[s.start_week:s.end_week, "unmet_needs_share"] += 0.05
    shocked.loc[s.end_week + 1:s.end_week + 3, "unmet_needs_share"] += 0.02  # three weeks back to calm
    peak, weeks, recovered = script.against_calm(shocked, calm, 60)
    assert peak == pytest.approx(0.05) and weeks == 4 and recovered == 1.0
    never = shocked.assign(unmet_needs_share=shocked.unmet_needs_share + 0.1)
    _, weeks, recovered = script.against_calm(never, calm, 60)
    assert np.isnan(weeks) and recovered == 0.0


def _difference(x: float, a: float, b: float) -> bool:
    """x == a - b, to the 6 significant digits the CSV keeps of each."""
    return abs(x - (a - b)) <= 1e-5 * (abs(a) + abs(b) + abs(x)) + 1e-12


def test_the_data_file_is_consistent():
    table, meta = D.read()
    rows = table.set_index(["community", "outcome", "quantity"]).sort_index()
    assert list(dict.fromkeys(table.community)) == list(meta["communities"])
    for community, about in meta["communities"].items():
        for outcome in D.OUTCOMES:  # every replicate has a value: the means are linear in them
            v = rows.loc[(community, outcome)].estimate
            assert (rows.loc[(community, outcome)].n == about["reps"]).all()
            for name, (a, b) in D.CONTRASTS.items():
                assert _difference(v[name], v[D.CELL_NAMES[a]], v[D.CELL_NAMES[b]]), (community, outcome, name)
            assert _difference(v[D.INTERACTION], v[f"linkage_effect/{D.SHOCK_ARM}"], v["linkage_effect/none"])


def test_the_document_shows_the_data_files_numbers():
    text = DOC.read_text(encoding="utf-8")
    assert block_names(text) == list(D.RENDER)
    assert docgen.expected("linkage-experiment.md") == text, "run: python -m simgov.docgen"
    table, meta = D.read()
    rows = table.set_index(["community", "outcome", "quantity"])
    for community in meta["communities"]:
        for outcome in D.OUTCOMES + D.SHOCK_OUTCOMES:
            assert D.interval(rows.loc[(community, outcome, D.INTERACTION)], outcome) in text
    for figure in ["linkage-effects.png"] + [f"linkage-timeseries-{c}.png" for c in meta["communities"]]:
        assert f"figures/{figure}" in text and (ROOT / "docs" / "figures" / figure).is_file()
