"""Rule-level tests of disputes: incidence, escalation, informal resolution, mediation levers,
relapse, consequences for trust, grievance and ties."""

import numpy as np
import pytest

from simgov.community.state import TIE_KINDS, CaseHandler
from simgov.dynamics import disputes
from simgov.dynamics.disputes import consolidate_network
from tests.conftest import keyed

QUIET = dict(neighbor_disputes_per_1000=0.0, building_issues_per_year=0.0)


def open_disputes(model, count, stage=1):
    state = model.state
    a = np.arange(0, 2 * count, 2)
    return state.disputes.open(a, a + 1, state.residents.building[a], stage, state.week)


def advance(model, p, rng, weeks=1):
    for _ in range(weeks):
        model.state.week += 1
        model.state.disputes.start_week()
        disputes.step(model.state, p, rng)


def test_escalation_probability(model):
    open_disputes(model, 600)
    p = disputes.Params(**QUIET, escalate_individual=0.2, resolve_individual=0.0)
    advance(model, p, keyed(1, model.state))
    d = model.state.disputes
    assert (d.stage == 2).mean() == pytest.approx(0.2, abs=0.035)
    assert d.escalated_this_week == np.count_nonzero(d.stage == 2)


def test_informal_resolution_by_stage(model):
    open_disputes(model, 300, stage=3)
    p = disputes.Params(**QUIET, resolve_group=0.3)
    advance(model, p, keyed(2, model.state))
    d = model.state.disputes
    assert (~d.open_mask()).mean() == pytest.approx(0.3, abs=0.06)
    assert not d.mediated.any()  # without a mediation policy, only informal resolution


def test_group_disputes_do_not_escalate_further(model):
    open_disputes(model, 100, stage=3)
    advance(model, disputes.Params(**QUIET, resolve_group=0.0), keyed(3, model.state), weeks=5)
    assert (model.state.disputes.stage == 3).all()


def test_case_handlers_take_cases_up_to_capacity_most_serious_first(model):
    rows = open_disputes(model, 100)
    d = model.state.disputes
    d.stage[rows[:10]] = 2
    model.state.week += 1
    model.state.levers.case_handlers = [
        CaseHandler("mediation", cases=30, min_stage=1, agreement=1.0, relapse_factor=0.5),
        CaseHandler("deliberation", cases=4, min_stage=2, agreement=1.0, relapse_factor=0.25)]
    p = disputes.Params(**QUIET, resolve_individual=0.0, escalate_individual=0.0, resolve_multi_party=0.0,
                        escalate_multi_party=0.0)
    disputes.step(model.state, p, keyed(4, model.state))
    closed = ~d.open_mask()
    assert np.count_nonzero(closed) == 34 and d.mediated.sum() == 34
    assert d.handled_this_week == d.agreed_this_week == 34
    # deliberation took 4 multi-party cases; mediation took the other 6 first, then individual ones
    assert closed[rows[:10]].all()
    assert np.count_nonzero(d.relapse_factor[closed] == np.float32(0.25)) == 4


def test_relapse_hazard_follows_the_settling_service(model):
    rows = open_disputes(model, 700)
    d = model.state.disputes
    d.resolve(rows, 0)
    d.relapse_factor[rows[:350]] = 0.2
    p = disputes.Params(**QUIET, relapse=0.5, relapse_window=26, resolve_individual=0.0, escalate_individual=0.0)
    model.state.week = 1
    disputes.step(model.state, p, keyed(6, model.state))
    back = d.relapses > 0
    assert back[rows[:350]].mean() == pytest.approx(0.1, abs=0.05)
    assert back[rows[350:]].mean() == pytest.approx(0.5, abs=0.08)


def test_agreement_on_a_building_issue_can_fix_its_source(model):
    rows = open_disputes(model, 50)
    d = model.state.disputes
    d.stage[rows] = 2
    model.state.week += 1
    model.state.levers.case_handlers = [CaseHandler("deliberation", 50, 2, agreement=1.0, source_fix=1.0)]
    disputes.step(model.state, disputes.Params(**QUIET), keyed(8, model.state))
    fixed = np.unique(d.building[rows])
    factor = model.state.building_issue_factor
    assert (factor[fixed] < 1.0).all() and np.delete(factor, fixed).min() == 1.0


def test_relapse_only_within_the_window(model):
    rows = open_disputes(model, 400)
    d = model.state.disputes
    d.resolve(rows[:200], 0)  # resolved at week 0
    d.resolve(rows[200:], -30)  # resolved long ago
    p = disputes.Params(**QUIET, relapse=0.5, relapse_window=26, resolve_individual=0.0, escalate_individual=0.0)
    model.state.week = 1
    disputes.step(model.state, p, keyed(5, model.state))
    assert d.relapsed_this_week == pytest.approx(100, abs=25)
    assert (d.relapses[200:] == 0).all()


def test_incidence_matches_the_yearly_rate(model):
    state = model.state
    state.residents.grievance[:] = 0.0
    p = disputes.Params(neighbor_disputes_per_1000=400.0, building_issues_per_year=0.0, density_effect=0.0,
                        hostile_multiplier=1.0, resolve_individual=1.0, grievance_gain=0.0, relapse=0.0)
    rng = keyed(6, model.state)
    new = 0
    for _ in range(52):
        advance(model, p, rng)
        new += state.disputes.new_this_week
    expected = 400.0 * state.residents.n / 1000  # 600 a year: Poisson sd ~25, and few residents are busy
    assert new == pytest.approx(expected, rel=0.1)


def test_grievance_raises_incidence(model, small):
    from simgov.model import CommunityModel

    calm = CommunityModel(small, weeks=5)
    angry = CommunityModel(small, weeks=5)
    angry.state.residents.grievance[:] = 1.0
    p = disputes.Params(neighbor_disputes_per_1000=50.0, building_issues_per_year=0.0, grievance_decay=0.0)
    counts = []
    for m in (calm, angry):
        advance(m, p, keyed(7, model.state), weeks=10)
        counts.append(len(m.state.disputes))
    assert counts[1] > 2 * counts[0]


def test_open_disputes_cost_trust_and_raise_grievance(model):
    r = model.state.residents
    rows = open_disputes(model, 50)
    parties = np.r_[model.state.disputes.party_a[rows], model.state.disputes.party_b[rows]]
    before = r.trust.copy()
    p = disputes.Params(**QUIET, resolve_individual=0.0, escalate_individual=0.0, trust_loss=0.1,
                        grievance_gain=0.2, grievance_decay=0.0)
    advance(model, p, keyed(8, model.state))
    assert np.allclose(r.trust[parties], before[parties] * 0.9)
    assert np.allclose(r.grievance[parties], 0.2)
    bystanders = np.setdiff1d(np.arange(r.n), parties)
    assert np.array_equal(r.trust[bystanders], before[bystanders])


def test_group_dispute_raises_grievance_of_the_building(model):
    r = model.state.residents
    open_disputes(model, 1, stage=3)
    p = disputes.Params(**QUIET, resolve_group=0.0, building_grievance_gain=0.1, grievance_decay=0.0)
    advance(model, p, keyed(9, model.state))
    building = model.state.disputes.building[0]
    assert (r.grievance[r.building == building] >= 0.1 - 1e-12).all()
    assert (r.grievance[r.building != building] == 0).all()


def test_escalation_turns_ties_hostile_at_consolidation_but_not_family(model):
    state = model.state
    net = state.network
    neighbor = np.flatnonzero((net.kind == TIE_KINDS.index("neighbor")) & (net.weight > 0))[:40]
    family = np.flatnonzero(net.kind == TIE_KINDS.index("household"))[:40]
    for edges in (neighbor, family):
        state.disputes.open(net.u[edges], net.v[edges], state.residents.building[net.u[edges]], 1, 0)
    p = disputes.Params(**QUIET, escalate_individual=1.0, resolve_individual=0.0, hostile_on_escalation=1.0)
    advance(model, p, keyed(10, model.state))
    assert (net.weight[neighbor] > 0).all()  # queued until the network consolidates
    consolidate_network(state)
    assert (net.weight[neighbor] < 0).all()
    assert (net.weight[family] > 0).all()


def test_strangers_who_fall_out_become_enemies(model):
    state = model.state
    net = state.network
    a, b = 0, state.residents.n - 1
    assert net.find(np.array([a]), np.array([b]))[0] < 0
    state.disputes.open(np.array([a]), np.array([b]), np.array([0]), 1, 0)
    advance(model, disputes.Params(**QUIET, escalate_individual=1.0, resolve_individual=0.0,
                                   hostile_on_escalation=1.0), keyed(11, model.state))
    consolidate_network(state)
    tie = net.find(np.array([a]), np.array([b]))[0]
    assert tie >= 0 and net.weight[tie] < 0


def test_disputes_resolved_in_warm_up_weeks_are_closed(model):
    """Regression: warm-up weeks are negative; a dispute closed at week -5 is not open."""
    d = model.state.disputes
    rows = open_disputes(model, 3)
    d.resolve(rows[:2], -5)
    assert list(d.open_mask()) == [False, False, True]
    model.state.week = 10
    p = disputes.Params(**QUIET, relapse=1.0, relapse_window=26, resolve_individual=0.0, escalate_individual=0.0)
    disputes.step(model.state, p, keyed(12, model.state))
    assert d.relapsed_this_week == 2  # closed 15 weeks ago: within the window


def test_warm_up_starts_the_record_in_a_settled_state(b_community):
    import simgov

    ts = simgov.simulate(b_community, weeks=104).timeseries
    start, later = ts.disputes_open.iloc[0], ts.disputes_open.iloc[53:].mean()
    assert 0.5 * later < start < 2 * later


def test_tie_hazards_follow_the_parameters_not_only_the_network(model):
    """The cached per-tie hazards must be rebuilt when the parameters change (an arm after the warm-up)."""
    state = model.state
    net = state.network
    net.weight[np.flatnonzero(net.kind == TIE_KINDS.index("neighbor"))[:10]] *= -1
    net.touch()
    mild = disputes._candidate_ties(state, disputes.Params(hostile_multiplier=1.0))[3]
    harsh = disputes._candidate_ties(state, disputes.Params(hostile_multiplier=9.0))[3]
    assert harsh.max() > mild.max()
