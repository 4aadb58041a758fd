"""Rule-level tests of participation (complex contagion, burnout), organisations and resources."""

import numpy as np
import pytest

from simgov.community.state import CONSOLIDATE_EVERY, TIE_KINDS, SocialNetwork
from simgov.dynamics import organisations, participation, resources
from tests.conftest import keyed


def star(model, centre, friends, active_friends):
    """Give ``centre`` exactly ``friends`` friendly ties, ``active_friends`` of them to participants."""
    n = model.state.residents.n
    others = np.setdiff1d(np.arange(n), [centre])[:friends]
    u = np.full(friends, centre)
    net = SocialNetwork(n, np.minimum(u, others), np.maximum(u, others), np.ones(friends),
                        np.full(friends, TIE_KINDS.index("neighbor")))
    model.state.network = net
    r = model.state.residents
    r.active[:] = False
    r.active[others[:active_friends]] = True
    r.party_member[:] = r.volunteer[:] = False
    r.stage[centre] = 1  # a working adult: outside the core
    r.threshold[centre] = 0.5
    for o in model.state.organisations:
        o.active = False
    return others


@pytest.mark.parametrize("active, joins", [(1, False), (2, True), (3, True)])
def test_threshold_share_of_friends(model, active, joins):
    star(model, 0, 4, active)
    p = participation.Params(join=1.0, invitation=0.0, min_active_friends=1, leave=0.0)
    participation.step(model.state, p, keyed(1, model.state))
    assert bool(model.state.residents.active[0]) is joins


def test_complex_contagion_needs_two_participating_friends(model):
    star(model, 0, 2, 1)  # half the friends take part, above the threshold, but only one friend
    p = participation.Params(join=1.0, invitation=0.0, min_active_friends=2, leave=0.0)
    participation.step(model.state, p, keyed(2, model.state))
    assert not model.state.residents.active[0]
    model.state.residents.party_member[0] = True  # the core follows a single friend
    participation.step(model.state, p, keyed(2, model.state))
    assert model.state.residents.active[0]


def test_invitation_lowers_the_threshold(model):
    others = star(model, 0, 4, 1)
    model.state.residents.party_member[others[1]] = True  # a Party member friend invites
    p = participation.Params(join=1.0, invitation=0.3, min_active_friends=1, leave=0.0)
    participation.step(model.state, p, keyed(3, model.state))
    assert model.state.residents.active[0]


def test_leaving_depends_on_belonging(model):
    r = model.state.residents
    for o in model.state.organisations:
        o.active = False
    r.active[:] = True
    r.belonging[:] = 0.25
    p = participation.Params(leave=0.2, join=0.0)
    participation.step(model.state, p, keyed(4, model.state))
    assert (~r.active).mean() == pytest.approx(0.2 * 2 * 0.75, abs=0.04)


def test_organisation_members_take_part(model):
    org = next(o for o in model.state.organisations if o.kind == "self")
    r = model.state.residents
    r.active[:] = False
    participation.step(model.state, participation.Params(join=0.0), keyed(5, model.state))
    assert r.active[org.members].all()


def test_volunteers_burn_out_and_rest(model):
    state, r = model.state, model.state.residents
    state.week = 10
    volunteers = np.flatnonzero(r.volunteer)
    # 100 volunteer hours each this week (any programme's): 1.25 to 3.75 burnout units, all burn out
    state.ledger.used["volunteer"] = 100.0 * volunteers.size
    p = participation.Params(burnout_hours=40.0, recovery=0.0, rest_weeks=12, volunteer_quit=0.0)
    participation.step(state, p, keyed(6, model.state))
    assert (r.resting_until[volunteers] == 22).all()
    assert not r.active[volunteers].any() and (r.fatigue[volunteers] == 0).all()
    state.week, state.ledger.used["volunteer"] = 11, 0.0
    participation.step(state, p, keyed(6, model.state))
    assert not r.active[volunteers].any()  # still resting


def test_activity_ties_form_at_consolidation(model):
    state, r = model.state, model.state.residents
    r.active[:] = True
    state.ledger.committee_balance = 1e9  # activities are paid for
    before = state.network.edges
    participation.step(state, participation.Params(new_tie=0.5, join=0.0, leave=0.0), keyed(7, model.state))
    assert state.network.edges == before and state.network.queued > 0
    from simgov.dynamics.disputes import consolidate_network
    consolidate_network(state)
    added = state.network.kind[before:]
    assert state.network.edges > before and (added == TIE_KINDS.index("activity")).all()
    assert CONSOLIDATE_EVERY == 4


def monthly(model, p, rng, months=1):
    for _ in range(months):
        model.state.week += organisations.EVERY
        organisations.step(model.state, p, rng)


def test_small_organisations_fold(model):
    org = next(o for o in model.state.organisations if o.kind == "self")
    org.members = org.members[:2]
    org.leader = int(org.members[0])
    monthly(model, organisations.Params(min_members=4, founding_per_1000=0.0, member_leave=0.0, recruit=0.0),
            keyed(8, model.state))
    assert not org.active


def test_professional_contract_ends_without_renewal(model):
    pro = next(o for o in model.state.organisations if o.kind == "professional")
    pro.contract_end = model.state.week + 1
    monthly(model, organisations.Params(renewal=0.0, founding_per_1000=0.0), keyed(9, model.state))
    assert not pro.active


def test_recruitment_from_participating_friends_up_to_the_cap(model):
    state, r = model.state, model.state.residents
    r.active[:] = True
    org = next(o for o in state.organisations if o.kind == "self")
    p = organisations.Params(recruit=1.0, member_leave=0.0, founding_per_1000=0.0, max_members=25)
    monthly(model, p, keyed(10, model.state))
    assert org.members.size == 25
    friends = np.unique(state.network.friendly_binary()[org.members].indices)
    assert org.members.size <= friends.size + 1


def test_founding_needs_participants(model):
    state, r = model.state, model.state.residents
    before = len(state.organisations)
    r.active[:] = False
    monthly(model, organisations.Params(founding_per_1000=1000.0), keyed(11, model.state), months=3)
    assert len(state.organisations) == before
    r.active[:] = True
    r.belonging[:] = 0.9
    monthly(model, organisations.Params(founding_per_1000=10.0), keyed(11, model.state), months=3)
    assert len(state.organisations) > before


def test_budget_arrives_weekly_and_grants_are_paid(model):
    state = model.state
    selfs = [o for o in state.organisations if o.kind == "self"]
    for o in selfs:
        o.funds = 1000.0
    selfs[0].funds = 0.0  # the only one short of money
    state.capacity.donors = 0
    p = resources.Params(grant_yuan=500.0, grant_floor_yuan=100.0)
    resources.refill(state, p, support=1.0)  # the week's instalment arrives at its start
    resources.step(state, p, keyed(12, model.state))
    weekly = state.capacity.budget_yuan_per_year / 52
    assert selfs[0].funds == 500.0 and all(o.funds == 1000.0 for o in selfs[1:])
    assert state.ledger.committee_balance == pytest.approx(weekly - 500.0)
    assert state.ledger.spent["grants"] == 500.0


def test_donations_respond_to_asks(model):
    state = model.state
    state.capacity.donors = 1000
    p = resources.Params(gift_rate=0.01, ask_effect=3.0, ask_below_yuan=1e12, results_effect=0.0)
    resources.step(state, p, keyed(13, model.state))
    asked = state.ledger.donations
    state.ledger.donations = 0.0
    p = resources.Params(gift_rate=0.01, ask_effect=3.0, ask_below_yuan=0.0, results_effect=0.0)
    resources.step(state, p, keyed(13, model.state))
    assert asked > 2 * state.ledger.donations > 0


def test_activity_ties_are_renewed_at_consolidation_not_before(model):
    """A pair meeting again at an activity renews its faded activity tie from the next
    consolidation (weights change once a month, as new ties do)."""
    from simgov.dynamics.participation import ACTIVITY_TIE_WEIGHT, renew_activity_ties

    state = model.state
    net = state.network
    activity = np.flatnonzero(net.kind == TIE_KINDS.index("activity"))
    if not activity.size:  # make one
        net.add_ties(np.array([0]), np.array([5]), ACTIVITY_TIE_WEIGHT, TIE_KINDS.index("activity"))
        activity = np.flatnonzero(net.kind == TIE_KINDS.index("activity"))
    tie = activity[0]
    net.weight[tie] = 0.1
    net.touch()
    version = net.version
    renew_activity_ties(state, np.array([net.v[tie]]), np.array([net.u[tie]]))
    assert net.weight[tie] == 0.1 and net.version == version  # nothing changes before
    net.consolidate(-0.3, TIE_KINDS.index("neighbor"), TIE_KINDS.index("household"))
    assert net.weight[tie] == ACTIVITY_TIE_WEIGHT
    net.weight[tie] = -0.2  # a hostile tie is not renewed
    renew_activity_ties(state, np.array([net.u[tie]]), np.array([net.v[tie]]))
    net.consolidate(-0.3, TIE_KINDS.index("neighbor"), TIE_KINDS.index("household"))
    assert net.weight[tie] == -0.2
