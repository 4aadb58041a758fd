"""The rules that make the baseline two-sided and settled, and the mechanisms made faithful
(issue 15, parts 4 and 5): each checked against its module's docstring."""

from __future__ import annotations

import numpy as np

from simgov.dynamics import organisations, outreach, participation, party_members, performance
from simgov.model import CommunityModel
from tests.conftest import keyed


def _model(scenario="teaching-estate", **kw):
    return CommunityModel(scenario, rng=5, weeks=4, **kw)


def test_a_known_unmet_need_lowers_trust_in_the_committee_and_an_unknown_one_does_not():
    m = _model()
    s, r = m.state, m.state.residents
    r.needs[:] = 0.0
    r.needs[0, :10] = 0.5
    r.need_known[0, :5] = True
    r.trust_committee0[:] = r.trust_committee[:] = 0.6
    p = performance.Params(anchor=0.0, open_dispute_loss=0.0, unmet_known_loss=0.1)
    performance.step(s, p, keyed(0, s))
    assert np.allclose(r.trust_committee[:5], 0.54)  # 0.6 * (1 - 0.1)
    assert np.allclose(r.trust_committee[5:], 0.6)


def test_trust_in_the_committee_returns_to_the_disposition_at_the_anchor_rate():
    m = _model()
    r = m.state.residents
    r.needs[:] = 0.0
    r.trust_committee0[:] = 0.5
    r.trust_committee[:] = 0.9  # a policy's gain of 0.4
    p = performance.Params(anchor=0.02, open_dispute_loss=0.0)
    for _ in range(35):
        performance.step(m.state, p, keyed(0, m.state))
    assert np.allclose(r.trust_committee - 0.5, 0.4 * 0.98 ** 35)  # about half left after ln 2 / 0.02 weeks


def test_young_organisations_fold_more_often_than_old_ones():
    p = organisations.Params()
    young, old = organisations.fold_chance([0, 520], p)
    assert young > 5 * old
    assert np.isclose(old, organisations.per_span(p.fold_hazard + p.newness_hazard * np.exp(-10)))


def test_membership_chance_falls_to_zero_at_the_cap():
    m = _model()
    s = m.state
    held = organisations.memberships(s)
    expected = np.zeros(s.residents.n, np.int64)
    for o in s.active_organisations():
        expected[o.members] += 1
    assert np.array_equal(held, expected)


def test_a_visit_reaches_one_member_fully_and_the_rest_of_the_household_at_the_spillover():
    m = _model()
    s, r = m.state, m.state.residents
    households = np.unique(r.household)[:20]
    residents = np.flatnonzero(np.isin(r.household, households))
    strength = outreach.contact_strength(s, households, residents, 0.6, keyed(1, s))
    for h in households:
        mine = strength[r.household[residents] == h]
        assert np.count_nonzero(mine == 1.0) == 1 and np.all((mine == 1.0) | (mine == 0.6))


def test_sunk_party_members_visit_invite_and_bring_care_hours():
    m = _model()
    s, r = m.state, m.state.residents
    s.capacity.party_members_sunk = 20
    r.needs[:] = 0.0
    r.needs[0, :] = 0.5
    r.need_known[:] = False
    party_members.step(s, party_members.Params(visits_per_member=1.0, care_hours=2.0), keyed(2, s))
    assert r.need_known[0].any()
    assert s.levers.invited is not None and np.array_equal(s.levers.invited > 0, r.need_known[0])
    assert ("party_members_sunk", party_members.LIGHT_CARE, 40.0) in s.levers.bought


def test_activity_ties_decay_and_lapse_unless_their_ends_meet_again():
    m = _model()
    s, net, r = m.state, m.state.network, m.state.residents
    a, b = np.array([0, 2]), np.array([r.n - 1, r.n - 2])  # far apart: not yet tied
    assert (net.find(a, b) < 0).all()
    net.add_ties(a, b, participation.ACTIVITY_TIE_WEIGHT, participation.TIE_KINDS.index("activity"))
    e = net.find(a, b)
    participation.decay_activity_ties(s, participation.Params(tie_decay=0.1), 4)
    assert np.allclose(net.weight[e], participation.ACTIVITY_TIE_WEIGHT * 0.9 ** 4)
    participation.renew_activity_ties(s, a[:1], b[:1])  # the first pair meets again
    net.consolidate(-0.3, participation.TIE_KINDS.index("neighbor"), participation.TIE_KINDS.index("household"))
    assert net.weight[e[0]] == participation.ACTIVITY_TIE_WEIGHT
    participation.decay_activity_ties(s, participation.Params(tie_decay=0.5), 4)
    assert net.weight[e[1]] == 0.0  # below TIE_FLOOR: lapsed


def test_door_knocking_beyond_its_visitors_hours_records_the_shortfall():
    """The one cap on visits is the hours the pools hold (simgov.community.ledger): the visits
    made are what the staff and volunteer pools pay for, the rest is ``visits_short``."""
    from simgov.policies import POLICY_TYPES

    m = _model()
    policy = POLICY_TYPES["door_knocking"](visits_per_week=10_000, yuan_per_visit=0.0)
    m.set_policies([policy])
    m.step()
    ledger = m.state.ledger
    made = int(ledger.available["volunteer"] // policy.hours_per_visit) + \
        int(ledger.available["staff"] // policy.hours_per_visit)
    assert m.state.levers.visits == made
    assert m.timeseries().visits_short.iloc[1] == 10_000 - made
