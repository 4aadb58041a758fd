"""Fuzzing scenario and experiment files (issue 18): whatever a file holds, ``simgov
validate`` and ``simgov run`` end with exit 0 or 2, never a traceback or an internal error,
within a time and memory bound.

Files are the teaching estate (or a small experiment on it) with one to three fields set to
hostile values: numbers at and past every edge (0, -1, huge, NaN, inf, 1e5 spelt as YAML
1.1 reads it), wrong types, long and odd strings, nested lists and mappings, and raw YAML
(aliases, tags, deep nesting). Hypothesis runs derandomized (the same examples every time,
no example database), so the test is as repeatable as any other, and takes well under a
minute.
"""

from __future__ import annotations

import os
import time
import typing

import psutil
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simgov.cli import main
from simgov.experiment.spec import Experiment
from simgov.scenario import Scenario

BASE = {"extends": "teaching-estate", "weeks": 3, "warmup_weeks": 1, "replicates": 1}
EXPERIMENT = {"name": "fuzz", "scenario": "teaching-estate", "weeks": 2, "replicates": 1, "seed": 1,
              "design": {"method": "latin_hypercube", "samples": 2},
              "factors": [{"path": "network.homophily", "low": 0.1, "high": 0.9}], "executor": {"type": "serial"}}
# Per example: CPU seconds of this process (not wall time, which other jobs on the machine stretch:
# a 20-second wall limit failed under load), growth of the process' resident memory.
SECONDS, MEMORY = 20.0, 600 * 2**20


def _paths(model: type[BaseModel], prefix: tuple = ()) -> list[tuple]:
    """Every field path of a schema, blocks included (so whole blocks get replaced too)."""
    out = []
    for name, info in model.model_fields.items():
        here = prefix + (name,)
        out.append(here)
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                out += _paths(candidate, here)
    return out


SCENARIO_PATHS = _paths(Scenario) + [("policies", 0, k) for k in ("type", "start_week", "end_week", "visits_per_week",
                                                                   "cases_per_week", "pairs", "budget_yuan")]
EXPERIMENT_PATHS = _paths(Experiment) + [("factors", 0, k) for k in ("path", "low", "high", "levels", "values")] + \
    [("design", k) for k in ("samples", "levels", "second_order")]

numbers = st.one_of(
    st.sampled_from([0, 1, 2, -1, 10**6, 10**12, 2**63, 0.5, -0.0, 1e-300, 1e308, float("nan"), float("inf"),
                     -float("inf"), 4.7, 52, 5201, 100_001]),
    st.integers(-10**6, 10**9), st.floats(allow_nan=True, allow_infinity=True))
scalars = st.one_of(numbers, st.booleans(), st.none(), st.text(max_size=40),
                    st.sampled_from(["1e5", "baseline", "all", "door_knocking", "mediation", "", "x" * 500, "../x.yaml",
                                     "teaching-estate", "sobol", "full_factorial", "morris", "dask", "高"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=12)
raw_tails = st.sampled_from([
    "", "title: &a [x, x]\ndescription: *a\n", "title: !!python/object:os.system ls\n", "title: [[[[[[1]]]]]]\n",
    "policies: &p [{type: door_knocking}]\narms: {x: {policies: *p}}\n", "weeks: 1e5\n", "seed: .nan\n",
    "community: {residents: 1e3}\n", "extends: [teaching-estate]\n", "{\n", "title: '\n", "arms: {all: {}}\n",
    "- a\n- b\n", "weeks: 3\nweeks: 4\n", "\t\x00\n"])


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        if isinstance(key, int):
            if not isinstance(node, list):
                return
            while len(node) <= key:
                node.append({"type": "door_knocking"})
            node = node[key]
        else:
            if not isinstance(node.get(key), dict | list):
                node[key] = [] if key in ("policies", "factors") else {}
            node = node[key]
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value


def _file(base: dict, paths: list[tuple], draw) -> str:
    import copy

    data = copy.deepcopy(base)
    for path, value in draw:
        _set(data, path, value)
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        text = yaml.dump(data)
    return text


def _edits(paths):
    return st.lists(st.tuples(st.sampled_from(paths), values), min_size=1, max_size=3)


def _check(capsys, argv) -> int:
    process = psutil.Process()
    before, started = process.memory_info().rss, time.process_time()
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "internal error" not in err and "Traceback" not in err, err
    assert time.process_time() - started < SECONDS
    assert process.memory_info().rss - before < MEMORY
    return code


# SIMGOV_FUZZ=N hunts with N times the examples, drawn afresh each time (not derandomized).
HUNT = int(os.environ.get("SIMGOV_FUZZ", "0"))
FUZZ = settings(max_examples=80 * max(HUNT, 1), deadline=None, derandomize=not HUNT, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(edits=_edits(SCENARIO_PATHS), tail=raw_tails)
def test_scenario_files_end_in_exit_0_or_2(tmp_path, capsys, edits, tail):
    path = tmp_path / "fuzz.yaml"
    path.write_text(_file(BASE, SCENARIO_PATHS, edits) + tail, encoding="utf-8", errors="replace")
    if _check(capsys, ["validate", str(path)]) == 0:
        out = tmp_path / "out"
        _check(capsys, ["run", str(path), "--weeks", "2", "--reps", "1", "--out", str(out), "--no-report",
                        "--quiet", "--force"])


@settings(FUZZ, max_examples=60 * max(HUNT, 1))
@given(edits=_edits(EXPERIMENT_PATHS), tail=raw_tails)
def test_experiment_files_end_in_exit_0_or_2(tmp_path, capsys, edits, tail):
    path = tmp_path / "fuzz-experiment.yaml"
    path.write_text(_file(EXPERIMENT, EXPERIMENT_PATHS, edits) + tail, encoding="utf-8", errors="replace")
    _check(capsys, ["validate", str(path)])


@pytest.mark.parametrize("tail", ["weeks: 1e5\n", "title: [[[[[[1]]]]]]\n"])
def test_the_fuzz_harness_sees_exit_codes(tmp_path, capsys, tail):
    """The harness itself: a file the validator must refuse gives 2, not an assertion error."""
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(BASE) + tail)
    assert _check(capsys, ["validate", str(path)]) == 2


def _bounded_fields(model: type[BaseModel], prefix: tuple = ()) -> list[tuple[tuple, list]]:
    """(path, edge values) of every number in a schema: its bounds, and a value inside them."""
    from annotated_types import Ge, Gt, Le, Lt

    out = []
    for name, info in model.model_fields.items():
        here, ann = prefix + (name,), info.annotation
        nested = [c for c in (ann, *typing.get_args(ann)) if isinstance(c, type) and issubclass(c, BaseModel)]
        if nested:
            out += _bounded_fields(nested[0], here)
            continue
        kinds = {ann, *typing.get_args(ann)}
        if not kinds & {int, float}:
            continue
        lo = next((m.ge if isinstance(m, Ge) else m.gt for m in info.metadata if isinstance(m, Ge | Gt)), 0)
        hi = next((m.le if isinstance(m, Le) else m.lt for m in info.metadata if isinstance(m, Le | Lt)), None)
        whole = int in kinds and float not in kinds
        top = hi if hi is not None else (20_000 if whole else 1e4)
        edges = [lo, top, (lo + top) / 2] + ([1] if lo <= 1 <= top else [])
        out.append((here, [int(v) if whole else float(v) for v in edges]))
    return out


def _policy_fields() -> list[tuple[tuple, list]]:
    from simgov.policies import POLICY_TYPES

    return [(("policies", 0) + path, edges) for cls in POLICY_TYPES.values()
            for path, edges in _bounded_fields(cls) if path[0] not in ("start_week", "end_week")]


EDGES = [(p, e) for p, e in _bounded_fields(Scenario) if p[0] not in ("weeks", "warmup_weeks", "replicates", "seed")]
edge_edits = st.lists(st.sampled_from(EDGES).flatmap(lambda f: st.tuples(st.just(f[0]), st.sampled_from(f[1]))),
                      min_size=1, max_size=4)
policy = st.sampled_from(sorted(__import__("simgov.policies", fromlist=["POLICY_TYPES"]).POLICY_TYPES))


@settings(FUZZ, max_examples=60 * max(HUNT, 1))
@given(edits=edge_edits, kind=policy, knob=st.sampled_from(_policy_fields()).flatmap(
    lambda f: st.tuples(st.just(f[0][2:]), st.sampled_from(f[1]))))
def test_valid_edges_validate_and_run_or_are_refused(tmp_path, capsys, edits, kind, knob):
    """Every number at its documented edges, a few at a time, with a policy at one of its
    edges: what validates must run (exit 0), what cannot run must be refused (exit 2)."""
    import copy

    data = copy.deepcopy(BASE)
    for path, value in edits:
        _set(data, path, value)
    entry = {"type": kind}
    from simgov.policies import POLICY_TYPES

    if knob[0][0] in POLICY_TYPES[kind].model_fields:
        entry[knob[0][0]] = knob[1]
    data["policies"] = [entry]
    data["arms"] = {}
    data["targets"] = []
    path = tmp_path / "edges.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    if _check(capsys, ["validate", str(path)]) == 0:
        assert _check(capsys, ["run", str(path), "--weeks", "3", "--reps", "1", "--out", str(tmp_path / "o"),
                               "--no-report", "--quiet", "--force"]) == 0, capsys.readouterr().err
