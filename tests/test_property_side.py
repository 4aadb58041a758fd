"""The property side of building disputes (simgov.dynamics.property_side) and the two policies
that act on it: the three-party mechanism and red property management."""

import dataclasses

import numpy as np
import pytest

from simgov.community.dispute_book import KINDS, DisputeBook
from simgov.community.levers import Levers
from simgov.dynamics import property_side
from simgov.policies import POLICY_TYPES
from tests.conftest import keyed

BUILDING = KINDS.index("building_issue")


def _side(model, **capacity):
    """The model's state with a fresh dispute book and the property side as given."""
    state = model.state
    state.disputes = DisputeBook()
    state.capacity = dataclasses.replace(state.capacity, **capacity)
    state.levers = Levers()
    return state


def _open(state, count, kind=BUILDING, stage=2):
    a = np.arange(0, 4 * count, 4)
    return state.disputes.open(a, a + 1, state.residents.building[a], stage, state.week, kind)


def _next_week(state):
    state.week += 1
    state.disputes.start_week()


COMPANY = dict(property_company=True, property_cases_per_week=100, property_resolution=1.0,
               owners_committee=False)


def test_building_issues_go_to_the_property_company_and_neighbour_disputes_do_not(model):
    state = _side(model, **COMPANY)
    issues, neighbours = _open(state, 5), _open(state, 5, kind=0)
    property_side.take(state, keyed(1, state))  # the same week: new issues wait a week
    assert state.disputes.open_mask()[issues].all()
    _next_week(state)
    property_side.take(state, keyed(1, state))
    d = state.disputes
    assert not d.open_mask()[issues].any() and d.open_mask()[neighbours].all()
    assert d.property_settled_this_week == 5 and d.handled_by["property_company"] == (5, 5)


def test_the_company_takes_its_capacity_the_most_serious_first(model):
    state = _side(model, **{**COMPANY, "property_cases_per_week": 2})
    low = _open(state, 3, stage=2)
    high = state.disputes.open([201, 203], [202, 204], state.residents.building[[201, 203]], 3, state.week, BUILDING)
    _next_week(state)
    property_side.take(state, keyed(2, state))
    d = state.disputes
    assert not d.open_mask()[high].any() and d.open_mask()[low].all()


def test_a_case_the_property_side_fails_goes_on_and_is_not_retaken_at_its_stage(model):
    state = _side(model, **{**COMPANY, "property_resolution": 0.0})
    rows = _open(state, 4)
    _next_week(state)
    property_side.take(state, keyed(3, state))
    d = state.disputes
    assert d.open_mask()[rows].all() and (d.property_tried[rows] == 2).all()
    assert d.handled_by["property_company"] == (4, 0)
    _next_week(state)
    property_side.take(state, keyed(3, state))
    assert "property_company" not in d.handled_by  # not retaken at stage 2
    d.stage[rows[0]] = 3  # escalated: the property side may take it again
    _next_week(state)
    property_side.take(state, keyed(3, state))
    assert d.handled_by["property_company"] == (1, 0)


def test_the_owners_committee_takes_what_the_company_did_not_settle(model):
    state = _side(model, property_company=True, property_cases_per_week=100, property_resolution=0.0,
                  owners_committee=True, owners_committee_cases_per_week=3, owners_committee_resolution=1.0)
    rows = _open(state, 5)
    _next_week(state)
    property_side.take(state, keyed(4, state))
    d = state.disputes
    assert d.handled_by["owners_committee"] == (3, 3)
    assert np.count_nonzero(d.open_mask()[rows]) == 2


def test_no_property_side_takes_nothing_unless_a_body_stands_in(model):
    state = _side(model, property_company=False, owners_committee=False, property_cases_per_week=100,
                  property_resolution=1.0)
    rows = _open(state, 3)
    _next_week(state)
    property_side.take(state, keyed(5, state))
    assert state.disputes.open_mask()[rows].all() and property_side.settle_chance(state) == 0.0
    state.levers.property_stand_in = True  # a social enterprise runs the property services (004)
    property_side.take(state, keyed(5, state))
    assert not state.disputes.open_mask()[rows].any()


def test_the_chance_to_settle_rises_by_the_policies_gain_as_a_share_of_the_chance_to_fail(model):
    state = _side(model, property_company=True, property_cases_per_week=1, property_resolution=0.3,
                  owners_committee=True, owners_committee_cases_per_week=1, owners_committee_resolution=0.2)
    assert property_side.settle_chance(state) == pytest.approx(1 - 0.7 * 0.8)
    state.levers.raise_property_resolution(0.5)
    state.levers.raise_property_resolution(0.5)
    (_, _, p_company), (_, _, p_owners) = property_side.bodies(state)
    assert p_company == pytest.approx(1 - 0.7 * 0.25) and p_owners == pytest.approx(1 - 0.8 * 0.25)


def _act(state, policy_type, **values):
    state.levers = Levers()
    state.ledger.start_week({"staff": 100.0, "social_worker": 100.0})
    POLICY_TYPES[policy_type](**values).act(state, {}, keyed(6, state))
    return state.levers


def test_three_party_mechanism_raises_resolution_and_capacity_for_its_staff_hours(model):
    state = model.state
    lev = _act(state, "three_party_mechanism", meeting_hours=5.0, resolution_gain=0.4, capacity_gain=1.0)
    assert lev.property_resolution_gain == pytest.approx(0.4) and lev.property_capacity_factor == 2.0
    assert state.ledger.hours[("policy:three_party_mechanism", "staff")] == 5.0
    state.ledger.start_week({"staff": 2.5})  # half the hours: half the effect
    state.levers = Levers()
    POLICY_TYPES["three_party_mechanism"](meeting_hours=5.0, resolution_gain=0.4).act(state, {}, keyed(6, state))
    assert state.levers.property_resolution_gain == pytest.approx(0.2)


def test_red_property_management_draws_social_workers_and_fixes_sources(model):
    state = model.state
    lev = _act(state, "red_property_management", social_worker_hours=6.0, resolution_gain=0.3, source_fix=1.0)
    assert lev.property_resolution_gain == pytest.approx(0.3) and lev.property_source_fix == 1.0
    assert state.ledger.hours[("policy:red_property_management", "social_worker")] == 6.0
    state.disputes = DisputeBook()
    state.capacity = dataclasses.replace(state.capacity, **COMPANY)
    rows = _open(state, 1)
    building = state.disputes.building[rows[0]]
    before = state.building_issue_factor[building]
    _next_week(state)
    property_side.take(state, keyed(7, state))
    assert state.building_issue_factor[building] == before * 0.5
