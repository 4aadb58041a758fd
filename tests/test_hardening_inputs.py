"""Hostile and edge inputs (issue 18): each test names the class it covers; every one of them
failed on main before the hardening (an internal error, a hang, a silent acceptance)."""

from __future__ import annotations

import time
import tracemalloc
import warnings

import pytest

import simgov
from simgov.cli import main
from simgov.errors import InputError, InputWarning
from simgov.experiment import run_replicates
from simgov.scenario import dump, limits, load_scenario

TINY = "extends: teaching-estate\nweeks: 3\nwarmup_weeks: 1\nreplicates: 1\n"


def _refused(path, *words):
    with pytest.raises(InputError) as info:
        load_scenario(path)
    text = str(info.value)
    for word in words:
        assert word in text
    return text


def _laughs(levels: int = 9) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_in_milliseconds_and_bounded_memory(write_yaml):
    """Main: validate grew past 1 GB expanding nested aliases."""
    path = write_yaml(_laughs())
    tracemalloc.start()
    started = time.perf_counter()
    _refused(path, "MAX_NODES", "aliases")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seconds < 0.5 and peak < 20 * 2**20


def test_recursive_alias_is_refused(write_yaml):
    _refused(write_yaml("extends: teaching-estate\ntitle: &t [*t]\n"), "recursive alias")


def test_deep_nesting_is_an_input_error_not_a_recursion_error(write_yaml):
    """Main: a RecursionError reported as an internal error."""
    _refused(write_yaml("title: " + "[" * 5000 + "]" * 5000 + "\n"), "MAX_DEPTH")


def test_a_long_extends_chain_is_an_input_error(tmp_path, write_yaml):
    """Main: an extends chain of ~1,000 files ended in a RecursionError."""
    write_yaml("extends: teaching-estate\n", name="f0.yaml")
    for i in range(1, limits.MAX_EXTENDS + 2):
        write_yaml(f"extends: f{i - 1}.yaml\n", name=f"f{i}.yaml")
    _refused(tmp_path / f"f{limits.MAX_EXTENDS + 1}.yaml", "MAX_EXTENDS")


def test_a_huge_string_is_refused_before_validation(write_yaml):
    """Main: a 50 MB string was accepted and took 53 s to validate."""
    started = time.perf_counter()
    _refused(write_yaml(TINY + "title: " + "x" * (limits.MAX_STRING + 1) + "\n"), "MAX_STRING")
    assert time.perf_counter() - started < 1


def test_a_file_too_large_is_refused_unread(write_yaml, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    _refused(write_yaml(TINY + "# " + "x" * 200 + "\n"), "MAX_FILE_BYTES")


def test_a_file_whose_size_is_not_known_is_read_only_up_to_the_limit(tmp_path, monkeypatch):
    """Found beyond the issue: /proc files (and pipes behind a symlink) say size 0."""
    link = tmp_path / "proc.yaml"
    link.symlink_to("/proc/self/maps")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 64)
    _refused(link, "MAX_FILE_BYTES")


def test_exponent_numbers_are_numbers(write_yaml):
    """Main: 1e5 was 'not a valid number' (YAML 1.1 reads it as a string)."""
    sc = load_scenario(write_yaml(TINY + "actors: {budget_yuan_per_year: 1e5}\n"))
    assert sc.actors.budget_yuan_per_year == 100_000.0


@pytest.mark.parametrize("where", ["actors: {budget_yuan_per_year: .inf}",
                                   "parameters: {services: {cadre_hours: .inf}}",
                                   "community: {disabled: .nan}",
                                   "policies: [{type: door_knocking, hours_per_visit: .inf}]",
                                   "targets: [{pattern: clustering, range: [.nan, 1]}]"])
def test_non_finite_numbers_are_refused(write_yaml, where):
    """Main: .inf in rates, hours and budgets ran and put inf in the outputs; NaN in a target range passed."""
    _refused(write_yaml(TINY + where + "\n"))


def test_an_infinite_target_bound_is_still_allowed(write_yaml):
    sc = load_scenario(write_yaml(TINY + "targets: [{pattern: clustering, range: [0, .inf]}]\n"))
    assert sc.targets[0].range[1] == float("inf")


def test_one_resident_is_refused(write_yaml):
    """Main: validate said ok, run failed with IndexError."""
    _refused(write_yaml(TINY + "community: {residents: 1, households: 1, buildings: 1, grids: 1}\n"
                        "actors: {party_members_resident: 0, steady_volunteers: 0}\n"), "community.residents")


def test_all_elderly_all_empty_nest_is_refused(write_yaml):
    """Main: validate said ok, run failed with IndexError."""
    _refused(write_yaml(TINY + "community: {mix: {children: 0, working_adults: 0, other_adults: 0, elderly: 1.0, "
                        "migrant_elderly: 0}, empty_nest_elderly: 1.0}\n"), "community.households")


def test_more_residents_with_a_trait_than_can_have_it_is_refused(write_yaml, tmp_path, capsys):
    """Found beyond the issue: special_groups 1.0 validated, and the run failed with ValueError."""
    path = write_yaml(TINY + "community: {special_groups: 1.0}\n")
    assert main(["validate", str(path)]) == 2
    assert "community.special_groups" in capsys.readouterr().err
    with pytest.raises(InputError):
        simgov.simulate(load_scenario(path))


@pytest.mark.parametrize("where,key", [("actors: {self_organisations: 1000000}", "actors.self_organisations"),
                                       ("actors: {donors: 1000000000}", "actors.donors"),
                                       ("actors: {budget_yuan_per_year: 1e12}", "actors.budget_yuan_per_year"),
                                       ("policies: [{type: volunteer_pairing, pairs: 1000000}]", "policies.0.pairs"),
                                       ("parameters: {disputes: {density_effect: 1e6}}", "density_effect")])
def test_counts_that_would_exhaust_memory_are_refused(write_yaml, where, key):
    """Main: accepted, then MemoryError (or an overflow) in the run."""
    _refused(write_yaml(TINY + where + "\n"), key)


@pytest.mark.parametrize("policy", ["{type: purchased_services, yuan_per_hour: 0}",
                                    "{type: volunteer_rewards, full_effect_yuan_per_hour: 0}"])
def test_documented_minimums_are_the_real_ones(policy):
    """Main: docs/policies.md said [0.0, inf) for these two, and the validator rejected 0."""
    from simgov.docgen import _range
    from simgov.policies import POLICY_TYPES

    kind, key = policy.strip("{}").split(", ")[0].split(": ")[1], policy.strip("{}").split(", ")[1].split(":")[0]
    assert _range(POLICY_TYPES[kind].model_fields[key]).startswith("(0.0")


def test_start_week_zero_is_refused(write_yaml):
    """Found beyond the issue: volunteer_rewards with start_week 0 validated, and ran into a KeyError."""
    _refused(write_yaml(TINY + "policies: [{type: volunteer_rewards, start_week: 0}]\n"), "start_week")


def test_an_arm_named_all_is_refused(write_yaml):
    """Main: an arm named 'all' could not be run alone (--arm all means every arm)."""
    _refused(write_yaml(TINY + "arms: {all: {}}\n"), "reserved")


def test_a_repeated_arm_is_an_input_error(write_yaml, tmp_path, capsys):
    """Main: --arm X --arm X failed with an internal error after every run was done."""
    path = write_yaml(TINY + "arms: {x: {}}\n")
    assert main(["run", str(path), "--arm", "x", "--arm", "x", "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "more than once" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_policy_after_the_last_week_warns(write_yaml, capsys):
    """Main: accepted in silence."""
    path = write_yaml(TINY + "policies: [{type: needs_assessment, start_week: 10}]\n")
    assert main(["validate", str(path)]) == 0
    assert "simgov: warning:" in capsys.readouterr().err


def test_an_empty_file_warns(write_yaml, capsys):
    """Main: ran as a full default scenario without a word."""
    assert main(["validate", str(write_yaml(""))]) == 0
    assert "empty" in capsys.readouterr().err


# ----------------------------------------------------------------------------- library API
@pytest.fixture(scope="module")
def tiny():
    return load_scenario("teaching-estate").model_copy(update={"warmup_weeks": 1, "weeks": 2})


@pytest.mark.parametrize("kwargs,name", [({"seed": -1}, "seed"), ({"seed": "42"}, "seed"), ({"seed": 4.7}, "seed"),
                                         ({"seed": True}, "seed"), ({"weeks": True}, "weeks"),
                                         ({"weeks": 2.0}, "weeks"), ({"replicate": -1}, "replicate")])
def test_simulate_checks_argument_types(tiny, kwargs, name):
    """Main: a negative seed failed deep in numpy; '42', 4.7 (as 4) and True were accepted."""
    with pytest.raises(InputError) as info:
        simgov.simulate(tiny, **kwargs)
    assert info.value.problems[0].path == name


def test_compare_checks_reps_and_takes_one_arm_name(tiny):
    """Main: reps='2' was accepted; arms='mediation' said "no arm named 'm'"."""
    with pytest.raises(InputError, match="reps"):
        simgov.compare(tiny, reps="2")
    table = simgov.compare(tiny, arms="mediation", reps=2, weeks=2, progress=False)
    assert set(table.arm) == {"mediation"}


def test_dicts_are_scenarios(tiny):
    """Main: "no bundled scenario named '{...}'"."""
    data = dump(tiny)
    assert load_scenario(data) == tiny
    assert simgov.simulate(data, weeks=1).timeseries.shape[0] == 2
    assert load_scenario({"extends": "teaching-estate", "weeks": 3}).weeks == 3
    with pytest.raises(InputError, match="households"):
        load_scenario({**data, "community": {**data["community"], "households": 10_000}})
    with pytest.raises(InputError, match="a scenario is"):
        load_scenario(42)


def test_a_scenario_built_in_code_gets_the_cross_checks(tiny):
    """Main: skipped the cross-checks and failed later in numpy."""
    bad = tiny.model_copy(update={"community": tiny.community.model_copy(update={"households": 10_000})})
    with pytest.raises(InputError, match="households"):
        simgov.simulate(bad)


def test_library_warns_about_a_policy_that_never_acts(tiny):
    from simgov.policies import POLICY_TYPES

    late = tiny.model_copy(update={"arms": {}, "targets": (),
                                   "policies": (POLICY_TYPES["door_knocking"](start_week=50),)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(run_replicates(late, 1, ["baseline"], weeks=1, progress=False))
    assert any(issubclass(w.category, InputWarning) for w in caught)
