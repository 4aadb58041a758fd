"""Shocks (simgov.shocks): nothing changes before they start; each effect does what its docstring
says while the shock is on and stops after; their outcomes; their validation and round trip."""

import copy
import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from simgov.cli import main
from simgov.community.dispute_book import KINDS
from simgov.community.levers import Levers
from simgov.dynamics import needs, outreach
from simgov.errors import InputError
from simgov.model import CommunityModel
from simgov.report import labels as L
from simgov.scenario import from_json, from_yaml, load_scenario, to_json, to_yaml
from simgov.shocks import SHOCK_TYPES
from simgov.shocks.outcomes import PEAK_AFTER, RECOVERY_TOLERANCE, shock_outcomes
from simgov.vocabulary import NEED_TYPES, PARTY
from tests.conftest import keyed

EPIDEMIC = {"type": "epidemic_lockdown", "start_week": 6, "weeks": 3, "size": 1.0}
EMERGENCY = {"type": "building_emergency", "start_week": 6, "weeks": 3, "size": 2}


def _estate(**changes):
    return load_scenario({"extends": "teaching-estate", "name": "shocked", "warmup_weeks": 4, "weeks": 12,
                          "arms": {}, "targets": [], **changes})


def _run(scenario, arm="baseline"):
    model = CommunityModel(scenario, arm=arm)
    model.run_model()
    return model


@pytest.mark.parametrize("shock", [EPIDEMIC, EMERGENCY], ids=lambda s: s["type"])
def test_a_shock_changes_nothing_before_its_start_week(shock):
    without = _run(_estate()).timeseries()
    with_shock = _run(_estate(shocks=[shock])).timeseries()
    before = slice(0, shock["start_week"])  # weeks 0 .. start - 1
    assert with_shock.iloc[before].to_csv() == without.iloc[before].to_csv()
    assert not with_shock.iloc[shock["start_week"]:].equals(without.iloc[shock["start_week"]:])


def test_an_arm_adds_its_shocks_to_the_scenarios():
    scenario = _estate(shocks=[EMERGENCY], arms={"epidemic": {"shocks": [EPIDEMIC]}})
    model = CommunityModel(scenario, arm="epidemic")
    assert [s.type for s in model.spec.shocks] == ["building_emergency", "epidemic_lockdown"]
    assert [s.type for s in CommunityModel(scenario).spec.shocks] == ["building_emergency"]


def test_epidemic_levers_are_on_during_the_shock_and_back_after():
    model = CommunityModel(_estate(shocks=[{**EPIDEMIC, "size": 0.5, "activities_stop": 1.0,
                                            "outreach_limit": 0.8}]))
    seen = []
    for _ in range(12):
        model.step()
        lev = model.state.levers
        seen.append((model.week, lev.activities_held, lev.in_person_factor, lev.need_rate_factor is None))
    for week, held, in_person, no_factor in seen:
        if 6 <= week <= 8:
            assert (held, in_person, no_factor) == (0.5, pytest.approx(0.6), False)
        else:
            assert (held, in_person, no_factor) == (1.0, 1.0, True)


def _lockdown_week(model, **values):
    """The state of a model at the start of a week (pools refilled), the lockdown acted."""
    state = model.state
    state.week += 1
    state.levers = Levers()
    state.ledger.start_week({"staff": 100.0, "volunteer": 40.0, "social_worker": 30.0})
    shock = SHOCK_TYPES["epidemic_lockdown"](**{**EPIDEMIC, "start_week": state.week, **values})
    shock.act(state, {}, keyed(1, state))
    return state


def test_epidemic_multiplies_the_needs_rate_of_the_elderly_and_isolated_only(model):
    state = _lockdown_week(model, size=0.5, need_jump=4.0, party_member_checks=0.0)
    r = state.residents
    target = np.isin(r.stage, (3, 4)) | (state.network.friends_outside_household() == 0)
    factor = state.levers.need_rate_factor
    assert np.all(factor[target] == 3.0) and np.all(factor[~target] == 1.0)
    # The needs mechanism: the same keyed draws, a higher rate for the target residents only.
    plain = copy.deepcopy(state)
    plain.levers = Levers()
    r.needs[:] = plain.residents.needs[:] = 0.0
    rng, params = keyed(2, state), needs.Params()
    needs.step(state, params, rng)
    needs.step(plain, params, rng)
    got, base = (state.residents.needs > 0).any(axis=0), (plain.residents.needs > 0).any(axis=0)
    assert np.all(got[~target] == base[~target])
    assert np.all(got[base]) and np.count_nonzero(got[target]) > np.count_nonzero(base[target])


def test_epidemic_response_takes_its_share_of_the_staff_and_volunteer_pools(model):
    state = _lockdown_week(model, size=0.5, response_share=0.6)
    led = state.ledger
    assert led.used["staff"] == pytest.approx(30.0) and led.used["volunteer"] == pytest.approx(12.0)
    assert led.used["social_worker"] == 0.0
    assert led.hours[("shock:epidemic_lockdown", "staff")] == pytest.approx(30.0)


def test_activities_stop_during_the_lockdown_and_resume_after():
    model = CommunityModel(_estate(shocks=[EPIDEMIC]))
    spent = []
    for _ in range(12):
        model.step()
        spent.append(model.state.ledger.spent.get("activities", 0.0))
    weekly = np.diff([0.0] + spent)
    assert np.all(weekly[5:8] == 0.0)  # weeks 6-8: no activity held, none paid
    assert np.all(weekly[8:] > 0.0) and np.all(weekly[:5] > 0.0)


def test_in_person_limit_cuts_routine_visits(model):
    state = model.state
    state.residents.need_known[:] = False
    state.residents.needs[NEED_TYPES.index("health")] = 0.5
    params = outreach.Params(self_report=0.0, referral=0.0, grid_worker_households=50.0)
    found = []
    for factor in (1.0, 0.0):
        s = copy.deepcopy(state)
        s.levers = Levers(in_person_factor=factor)
        outreach.step(s, params, keyed(3, s))
        found.append(np.count_nonzero(s.residents.need_known))
    assert found[0] > 0 and found[1] == 0


def test_party_members_go_door_to_door_to_elderly_and_isolated_households(model):
    state = model.state
    state.residents.need_known[:] = False
    state.residents.needs[NEED_TYPES.index("health")] = 0.5
    state = _lockdown_week(model, party_member_checks=50.0, outreach_limit=1.0)
    r = state.residents
    target = np.isin(r.stage, (3, 4)) | (state.network.friends_outside_household() == 0)
    homes = np.isin(r.household, r.household[target])
    known = r.need_known.any(axis=0)
    assert known[homes].mean() > 0.5 and not known[~homes].any()
    # found in the Party's channel (000: the Party members went door to door)
    assert (r.need_reach[r.need_known] & np.uint8(1 << PARTY)).all()


def _emergency(model, **values):
    state = model.state
    state.week += 1
    shock = SHOCK_TYPES["building_emergency"](**{**EMERGENCY, "start_week": state.week, **values})
    return state, shock


def _week(state, shock, memory, seed=4):
    state.levers = Levers()
    state.disputes.start_week()
    state.ledger.start_week({"volunteer": 1000.0})
    shock.act(state, memory, keyed(seed, state))


def test_building_emergency_onset_gives_needs_and_grievance_in_the_buildings_hit(model):
    state, shock = _emergency(model, size=2, affected_share=1.0, need_severity=0.7, grievance=0.5,
                              grievance_gain=0.0)
    r = state.residents
    before = r.grievance.copy()
    memory = {}
    _week(state, shock, memory)
    hit = memory["hit"]
    inside = np.isin(r.building, hit)
    housing = NEED_TYPES.index("housing_property")
    assert hit.size == 2
    assert np.all(r.needs[housing, inside] >= 0.7) and r.need_known[housing, inside].all()
    assert np.allclose(r.grievance[inside], before[inside] + 0.5 * (1 - before[inside]))


def test_an_unresolved_building_emergency_becomes_a_dispute_at_its_end(model):
    state, shock = _emergency(model, weeks=3, collective_action=0.0)
    state.capacity = dataclasses.replace(state.capacity, property_company=False, owners_committee=False)
    memory, rows_before = {}, len(state.disputes)
    for _ in range(3):
        _week(state, shock, memory)
        state.week += 1
    d = state.disputes
    new = np.arange(rows_before, len(d))
    assert new.size == 2 and np.all(d.kind[new] == KINDS.index("building_emergency")) and np.all(d.stage[new] == 2)
    assert sorted(d.building[new]) == sorted(memory["hit"])


def test_the_property_side_or_collective_action_settles_a_building_emergency(model):
    state, shock = _emergency(model, weeks=3, collective_action=0.0)
    state.capacity = dataclasses.replace(state.capacity, property_company=True, property_cases_per_week=1,
                                         property_resolution=1.0)
    memory, rows = {}, len(state.disputes)
    for _ in range(3):
        _week(state, shock, memory)
        state.week += 1
    assert memory["resolved"].all() and len(state.disputes) == rows
    # Without a property side, residents who all take part settle it themselves.
    state, shock = _emergency(model, weeks=1, collective_action=1.0)
    state.capacity = dataclasses.replace(state.capacity, property_company=False, owners_committee=False)
    state.residents.active[:] = True
    memory, key = {}, ("shock:building_emergency", "volunteer")
    drawn = state.ledger.hours.get(key, 0.0)
    _week(state, shock, memory)
    assert memory["resolved"].all()
    assert state.ledger.hours[key] - drawn == 2 * shock.volunteer_hours  # the collective work of two buildings


def test_shock_outcomes_by_their_definitions():
    unmet = [0.10, 0.10, 0.10, 0.10, 0.10, 0.20, 0.30, 0.25, 0.15, 0.10 + RECOVERY_TOLERANCE / 2, 0.10]
    ts = pd.DataFrame({"unmet_needs_share": unmet, "disputes_new": [0, 1, 0, 0, 0, 2, 3, 1, 5, 0, 0]})
    shocks = [SHOCK_TYPES["epidemic_lockdown"](start_week=5, weeks=3),  # weeks 5-7
              SHOCK_TYPES["epidemic_lockdown"](start_week=20, weeks=3)]  # after the run
    out = shock_outcomes(shocks, ts)
    first = out.iloc[0]
    assert (first.start_week, first.end_week, first.pre_unmet, first.peak_unmet) == (5, 7, 0.10, 0.30)
    assert first.weeks_to_recover == 2 and first.recovered and first.disputes_during == 6
    assert not out.iloc[1].recovered and np.isnan(out.iloc[1].peak_unmet)
    ts.loc[9:, "unmet_needs_share"] = 0.2  # never back
    again = shock_outcomes(shocks[:1], ts).iloc[0]
    assert not again.recovered and np.isnan(again.weeks_to_recover) and again.peak_unmet == 0.30
    # The peak of a shock that does not recover is looked for up to PEAK_AFTER weeks after it.
    long = pd.DataFrame({"unmet_needs_share": [0.1] * 5 + [0.2] * (PEAK_AFTER + 5) + [0.9],
                         "disputes_new": 0})
    assert shock_outcomes(shocks[:1], long).iloc[0].peak_unmet == 0.2


def test_run_writes_a_shocks_table_that_the_report_shows_in_both_languages(tmp_path, write_yaml):
    path = write_yaml({"extends": "teaching-estate", "name": "shocked", "warmup_weeks": 2, "weeks": 10,
                       "replicates": 1, "arms": {}, "targets": [], "shocks": [EPIDEMIC, EMERGENCY]})
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out / "shocks.csv")
    assert list(table.type) == ["epidemic_lockdown", "building_emergency"]
    assert {"peak_unmet", "weeks_to_recover", "disputes_during"} <= set(table.columns)
    assert "shocks.csv" in json.loads((out / "manifest.json").read_text())["files"]
    from simgov.report.run_page import RunReport

    assert RunReport(out, "en").shock_periods() == {"baseline": [(6, 8)]}  # shaded on the series figure
    for lang in ("en", "zh"):
        assert main(["report", str(out), "--lang", lang]) == 0
        html = (out / "report.html").read_text()
        assert 'id="shocks"' in html and L.shock("epidemic_lockdown", lang) in html
        assert L.t("weeks_to_recover", lang) in html


def test_a_run_without_shocks_writes_no_shocks_table(tmp_path, write_yaml):
    path = write_yaml({"extends": "teaching-estate", "name": "calm", "warmup_weeks": 2, "weeks": 4,
                       "replicates": 1, "arms": {}, "targets": []})
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert not (tmp_path / "out" / "shocks.csv").exists()
    assert 'id="shocks"' not in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize("shock, words", [
    ({"type": "earthquake"}, "shocks.0.type: unknown shock type 'earthquake'"),
    ({"type": "epidemic_lockdown", "size": 0.0}, "shocks.0.size"),
    ({"type": "epidemic_lockdown", "weeks": 0}, "shocks.0.weeks"),
    ({"type": "building_emergency", "size": 99}, "shocks.0.size: 99 buildings hit, but the community has 4"),
    ({"start_week": 3}, "a shock is a mapping with at least a 'type'"),
])
def test_bad_shocks_are_input_errors_naming_the_field(shock, words, write_yaml):
    path = write_yaml({"extends": "teaching-estate", "shocks": [shock]})
    with pytest.raises(InputError) as err:
        load_scenario(path)
    assert words in str(err.value) and str(path) in str(err.value)
    if shock.get("type") == "earthquake":
        assert "epidemic_lockdown" in str(err.value) and "building_emergency" in str(err.value)


def test_shocks_round_trip_with_every_parameter():
    scenario = _estate(shocks=[{**EPIDEMIC, "need_jump": 2.5, "response_share": 0.3},
                               {**EMERGENCY, "collective_action": 0.1}],
                       arms={"more": {"shocks": [{**EPIDEMIC, "start_week": 9}]}})
    assert from_yaml(to_yaml(scenario)) == scenario and from_json(to_json(scenario)) == scenario
    assert "need_jump: 2.5" in to_yaml(scenario)


def test_a_shock_that_starts_after_the_run_is_warned_of(write_yaml, capsys):
    path = write_yaml({"extends": "teaching-estate", "weeks": 20,
                       "arms": {"late": {"shocks": [{**EPIDEMIC, "start_week": 30}]}}})
    assert main(["validate", str(path)]) == 0
    assert "arms.late.shocks.0: the 'epidemic_lockdown' shock starts in week 30" in capsys.readouterr().err
