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


def test_a_contract_place_ended_unrenewed_is_tendered_again(model):
    state = model.state
    pro = next(o for o in state.organisations if o.kind == "professional")
    pro.contract_end = state.week + 1
    p = organisations.Params(renewal=0.0, founding_per_1000=0.0, tender_weeks=8, contract_weeks=30)
    monthly(model, p, keyed(9, state))
    ended = state.week
    assert not pro.active and state.tenders == [ended + 8]
    monthly(model, p, keyed(9, state))  # 4 weeks on: the tender is not yet due
    assert not any(o.active and o.kind == "professional" for o in state.organisations)
    monthly(model, p, keyed(9, state))
    new = [o for o in state.organisations if o.active and o.kind == "professional"]
    assert len(new) == 1 and new[0] is not pro and new[0].key != pro.key
    assert new[0].contract_end == state.week + 30 - 1 and new[0].hours_per_week == p.professional_hours
    assert state.tenders == [] and (state.week, new[0].key, "founded") in state.organisation_log


def test_team_rosters_follow_who_volunteers(model):
    state, r = model.state, model.state.residents
    teams = [o for o in state.organisations if o.kind == "volunteer_team"]
    assert len(teams) >= 2
    for o in state.organisations:
        if o.kind != "volunteer_team":
            o.active = False
    r.volunteer[:] = False
    first, second = teams[0], teams[1]
    first.members, second.members = np.array([0, 1, 2]), np.array([3, 4])
    first.leader, second.leader = 0, 3
    r.volunteer[[1, 2, 3, 4]] = True  # 0, the first team's leader, no longer volunteers
    n = r.n
    newcomer, loner = n - 1, n - 2  # new volunteers: one with two friends in the second team, one with none
    u, v = np.array([3, 4]), np.array([newcomer, newcomer])
    state.network = SocialNetwork(n, u, v, np.ones(2), np.full(2, TIE_KINDS.index("neighbor")))
    r.volunteer[[newcomer, loner]] = True
    for o in teams[2:]:
        o.members = np.arange(5, 10)  # larger than the first team
        r.volunteer[o.members] = True
    organisations.renew_teams(state)
    assert first.members.tolist() == [1, 2, loner] and first.leader == 1  # the smallest team takes the loner
    assert second.members.tolist() == [3, 4, newcomer]  # where the newcomer's friends are
    in_team = np.concatenate([o.members for o in teams])
    assert np.array_equal(np.unique(in_team), np.flatnonzero(r.volunteer)) and in_team.size == np.unique(in_team).size


def test_start_funds_are_paid_like_grants_or_not_at_all(model):
    state, r = model.state, model.state.residents
    r.active[:] = True
    r.belonging[:] = 0.9
    p = organisations.Params(founding_per_1000=50.0, start_funds_yuan=500.0)
    ledger = state.ledger
    ledger.committee_balance, ledger.fund_balance = 0.0, 0.0
    before = len(state.organisations)
    monthly(model, p, keyed(13, state))
    founded = state.organisations[before:]
    assert founded and all(o.funds == 0.0 for o in founded)
    assert ledger.short["committee"] >= 500.0 * len(founded) and "start_funds" not in ledger.spent
    ledger.committee_balance, ledger.fund_balance = 600.0, 10_000.0
    before = len(state.organisations)
    monthly(model, p, keyed(14, state))
    founded = state.organisations[before:]
    assert len(founded) >= 2 and all(o.funds == 500.0 for o in founded)
    assert ledger.committee_balance == 100.0  # the committee paid the first, the fund the others
    assert ledger.fund_balance == pytest.approx(10_000.0 - 500.0 * (len(founded) - 1))
    assert ledger.spent["start_funds"] == pytest.approx(500.0 * len(founded))


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
