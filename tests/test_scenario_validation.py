"""Bad scenario input gives a clear error naming the file, the place and the field."""

import pytest

import simgov
from simgov.community import check_memory
from simgov.errors import InputError
from simgov.scenario import bundled_names


def problems(path) -> list[str]:
    with pytest.raises(InputError) as info:
        simgov.load_scenario(path)
    return [str(p) for p in info.value.problems]


def one_problem(path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def test_every_bundled_scenario_validates():
    for name in bundled_names():
        sc = simgov.load_scenario(name)
        assert sc.name == name


def test_yaml_syntax_error_has_line_and_column(write_yaml):
    path = write_yaml("name: x\ncommunity:\n  residents: [1, 2\n  households: 3\n")
    msg = one_problem(path)
    assert msg.startswith(f"{path}:4:")
    assert "YAML syntax error" in msg


def test_unknown_key_suggests_the_near_miss_and_lists_allowed(write_yaml):
    path = write_yaml("name: x\nextends: b-community\ncommunity:\n  housholds: 300\n")
    msg = one_problem(path)
    assert f"{path}:4:3: community.housholds:" in msg
    assert "did you mean 'households'?" in msg
    assert "allowed here:" in msg and "residents" in msg


def test_unknown_top_level_key(write_yaml):
    msg = one_problem(write_yaml({"name": "x", "wekes": 10}))
    assert "wekes" in msg and "did you mean 'weeks'?" in msg


def test_wrong_type_names_field_and_value(write_yaml):
    msg = one_problem(write_yaml("name: x\nweeks: ten\n"))
    assert ":2:1: weeks:" in msg and "valid integer" in msg and "'ten'" in msg


def test_quoted_number_is_a_type_error(write_yaml):
    msg = one_problem(write_yaml("name: x\nweeks: '52'\n"))
    assert "weeks" in msg and "valid integer" in msg


def test_negative_count(write_yaml):
    msg = one_problem(write_yaml("name: x\nactors:\n  cadres: -1\n"))
    assert "actors.cadres" in msg and "greater than or equal to 0" in msg and "-1" in msg


def test_probability_out_of_range(write_yaml):
    msg = one_problem(write_yaml("name: x\nnetwork:\n  neighbor_tie_prob: 1.5\n"))
    assert "network.neighbor_tie_prob" in msg and "less than or equal to 1" in msg


def test_mix_must_add_up(write_yaml):
    msg = one_problem(write_yaml("name: x\ncommunity:\n  mix:\n    children: 0.5\n"))
    assert "community.mix" in msg and "add up to" in msg


def test_more_households_than_residents(write_yaml):
    msg = one_problem(write_yaml("name: x\ncommunity:\n  residents: 100\n  households: 200\n"
                                 "  buildings: 2\n  grids: 1\nactors:\n  party_members_resident: 2\n"
                                 "  steady_volunteers: 3\n"))
    assert "community.households" in msg and "more households than residents" in msg
    assert ":4:3:" in msg  # the line where households was written


def test_more_grids_than_buildings(write_yaml):
    msg = one_problem(write_yaml("name: x\ncommunity:\n  buildings: 5\n  grids: 6\n"))
    assert "community.grids" in msg


def test_all_problems_are_reported_together(write_yaml):
    found = problems(write_yaml("name: x\nweeks: -3\nseed: abc\nactors:\n  donors: -2\n"))
    assert len(found) == 3


def test_duplicate_key(write_yaml):
    msg = one_problem(write_yaml("name: x\nweeks: 10\nweeks: 20\n"))
    assert "duplicate key 'weeks'" in msg and ":3:1:" in msg


def test_top_level_must_be_a_mapping(write_yaml):
    assert "must be a mapping" in one_problem(write_yaml("- a\n- b\n"))


def test_missing_file(tmp_path):
    msg = one_problem(tmp_path / "nowhere.yaml")
    assert "no such scenario file" in msg and "nowhere.yaml" in msg


def test_unknown_bundled_name_suggests():
    msg = one_problem("b-comunity")
    assert "did you mean 'b-community'?" in msg


def test_missing_extends(write_yaml):
    path = write_yaml("name: x\nextends: ./missing.yaml\n")
    msg = one_problem(path)
    assert f"{path}:2:1: extends:" in msg and "no such scenario file" in msg


def test_circular_extends(write_yaml):
    write_yaml("name: a\nextends: b.yaml\n", name="a.yaml")
    b = write_yaml("name: b\nextends: a.yaml\n", name="b.yaml")
    assert "circular 'extends'" in one_problem(b)


def test_extends_overrides_key_by_key(write_yaml, b_community):
    sc = simgov.load_scenario(write_yaml("name: small\nextends: b-community\ncommunity:\n"
                                         "  residents: 3000\n  households: 1200\n"))
    assert sc.community.residents == 3000 and sc.community.households == 1200
    assert sc.community.buildings == b_community.community.buildings  # inherited
    assert sc.community.mix == b_community.community.mix
    assert sc.extends == "b-community"


def test_error_in_parent_names_the_parent_file(write_yaml):
    parent = write_yaml("name: p\nactors:\n  cadres: -4\n", name="parent.yaml")
    child = write_yaml("name: c\nextends: parent.yaml\nweeks: 10\n", name="child.yaml")
    msg = one_problem(child)
    assert msg.startswith(f"{parent.resolve()}:3:3: actors.cadres")


def test_unknown_policy_type_lists_allowed(write_yaml, probe_policy):
    msg = one_problem(write_yaml("name: x\npolicies:\n  - type: prob\n"))
    assert "policies.0.type" in msg and "did you mean 'probe'?" in msg and "allowed:" in msg and "probe" in msg
    assert "door_knocking" in msg and "mutual_aid_day" in msg


@pytest.mark.parametrize("key", ["policies", "shocks"])
@pytest.mark.parametrize("kind", ["[]", "{a: 1}", "3"])
def test_a_type_that_is_no_name_is_an_unknown_type(write_yaml, key, kind):
    """Found by the fuzz test: a list as a policy's type crashed the registry lookup."""
    msg = one_problem(write_yaml(f"name: x\n{key}:\n  - type: {kind}\n"))
    assert f"{key}.0.type" in msg and "allowed:" in msg


def test_policy_end_before_start(write_yaml, probe_policy):
    msg = one_problem(write_yaml("name: x\npolicies:\n  - {type: probe, start_week: 30, end_week: 10}\n"))
    assert "policies.0" in msg and "end_week 10 is before start_week 30" in msg


def test_policy_unknown_parameter(write_yaml, probe_policy):
    msg = one_problem(write_yaml("name: x\npolicies:\n  - {type: probe, intensty: 0.3}\n"))
    assert "policies.0.intensty" in msg and "did you mean 'intensity'?" in msg


def test_valid_policy_and_arm(write_yaml, probe_policy):
    sc = simgov.load_scenario(write_yaml(
        "name: x\narms:\n  strong:\n    policies:\n      - {type: probe, intensity: 0.9, start_week: 52}\n"
        "    parameters:\n      influence:\n        trust_rate: 0.2\n"))
    assert sc.arm_names == ["baseline", "strong"]
    from simgov.scenario import for_arm
    arm = for_arm(sc, "strong")
    assert arm.policies[0].intensity == 0.9 and arm.policies[0].active(52) and not arm.policies[0].active(51)
    assert arm.parameters.influence.trust_rate == 0.2
    assert arm.parameters.influence.anchor_rate == sc.parameters.influence.anchor_rate


def test_bad_arm_parameter_override(write_yaml):
    msg = one_problem(write_yaml("name: x\narms:\n  a:\n    parameters:\n      influence:\n"
                                 "        trust_rat: 0.2\n"))
    assert "arms.a.parameters.influence.trust_rat" in msg and "did you mean 'trust_rate'?" in msg
    assert ":6:9:" in msg


def test_unknown_arm(b_community):
    from simgov.scenario import for_arm
    with pytest.raises(InputError, match="no arm named 'mediaton'"):
        for_arm(b_community, "mediaton")


def test_too_many_party_members(write_yaml):
    msg = one_problem(write_yaml("name: x\ncommunity:\n  residents: 100\n  households: 40\n  buildings: 2\n"
                                 "  grids: 1\nactors:\n  party_members_resident: 99\n  steady_volunteers: 5\n"))
    assert "actors.party_members_resident" in msg and "adult residents" in msg


def test_population_too_large_is_refused_with_estimate(write_yaml):
    sc = simgov.load_scenario(write_yaml("name: big\ncommunity:\n  residents: 50000000\n"
                                         "  households: 20000000\n  buildings: 10000\n  grids: 1000\n"))
    with pytest.raises(InputError, match=r"need about [\d.]+ GiB per run, but only 4.0 GiB"):
        check_memory(sc, available=4 * 2**30)
    with pytest.raises(InputError, match="GiB"):
        simgov.simulate(sc.model_copy(update={"community": sc.community.model_copy(
            update={"residents": 10**9, "households": 4 * 10**8})}), weeks=1)
