"""Rule-level tests of linkage (simgov.dynamics.linkage) and the linkage_platform policy."""

import numpy as np
import pytest

from simgov.community.ledger import WORKERS
from simgov.dynamics import linkage, outreach, services
from simgov.policies import POLICY_TYPES
from simgov.vocabulary import COMMITTEE, FORCES, NEED_TYPES, ORGANISATIONS, SHARED, SOCIAL_WORKERS, VOLUNTEERS
from tests.conftest import keyed

ELDER = NEED_TYPES.index("elderly_care")
#: Services with only the professional organisations serving (everyone else has no hours).
PROFESSIONAL_ONLY = services.Params(cadre_hours=0.0, social_worker_hours=0.0, volunteer_hours=0.0,
                                    self_org_hours_per_member=0.0)


def _found_by(model, force: int, count: int = 20) -> np.ndarray:
    """``count`` elderly residents with an elderly-care need found by ``force``; ample pools."""
    state, r = model.state, model.state.residents
    r.needs[:] = 0
    r.need_known[:] = False
    r.need_reach[:] = 0
    who = np.flatnonzero(r.needs[ELDER] == 0)[:count]
    r.needs[ELDER, who] = 0.5
    r.find_needs(who, force)
    state.ledger.start_week(dict.fromkeys(WORKERS, 1e9))
    state.ledger.committee_balance = 1e9
    return who


def _set_strength(state, s: float) -> None:
    state.linkage.level = state.linkage.strength = state.linkage.working = s


def _professionals(state):
    orgs = [o for o in state.organisations if o.kind == "professional"]
    assert orgs, "the fixture's community buys in a professional organisation"
    for o in orgs:
        o.active = True
    return orgs


@pytest.mark.parametrize("strength", [0.0, 1.0])
def test_a_need_a_volunteer_found_reaches_a_professional_organisation_only_with_linkage(model, strength):
    state = model.state
    _professionals(state)
    _set_strength(state, strength)
    who = _found_by(model, VOLUNTEERS)
    for _ in range(5):  # weeks of sharing, then services with only the professionals serving
        state.week += 1
        linkage.step(state, linkage.Params(), keyed(1, state))
    services.step(state, PROFESSIONAL_ONLY, keyed(2, state))
    served = np.count_nonzero(state.residents.needs[ELDER, who] == 0)
    if strength == 0.0:
        assert served == 0
        assert (state.residents.need_reach[ELDER, who] == 1 << VOLUNTEERS).all()
    else:
        assert served > 0
        assert (state.residents.need_reach[ELDER, who[state.residents.needs[ELDER, who] > 0]] == SHARED).all()


def test_each_provider_serves_only_needs_that_reached_its_force(model):
    state, r = model.state, model.state.residents
    _set_strength(state, 0.0)
    who = _found_by(model, SOCIAL_WORKERS)
    cadres_only = services.Params(social_worker_hours=0.0, volunteer_hours=0.0, self_org_hours_per_member=0.0)
    for o in state.organisations:
        o.active = False
    services.step(state, cadres_only, keyed(3, state))
    assert state.services_this_week == 0  # the committee's cadres never see the social workers' cases
    social_workers_only = services.Params(cadre_hours=0.0, volunteer_hours=0.0, self_org_hours_per_member=0.0)
    services.step(state, social_workers_only, keyed(3, state))
    assert state.services_this_week > 0
    assert not r.need_known[ELDER, who[r.needs[ELDER, who] == 0]].any()
    assert (r.need_reach[ELDER, who[r.needs[ELDER, who] == 0]] == 0).all()


def test_every_provider_has_a_force():
    for name in services.PROVIDER_FORCES:
        assert 0 <= services.provider_force(name) < len(FORCES)
    assert services.provider_force("bought:party_members_sunk") == FORCES.index("party")
    assert services.provider_force("bought:something_new") == ORGANISATIONS


def test_sharing_is_at_the_working_strength_and_keyed_by_need(model):
    state, r = model.state, model.state.residents
    _set_strength(state, 1.0)
    who = _found_by(model, COMMITTEE, count=400)
    state.linkage.strength = 0.5
    state.week += 1
    linkage.step(state, linkage.Params(coordination=0.0, meeting_hours=0.0, upkeep_yuan_per_resident=0.0),
                 keyed(4, state))
    shared = r.need_reach[ELDER, who] == SHARED
    assert shared.mean() == pytest.approx(0.5, abs=0.08)
    # The same need draws the same number whatever else is pending (common random numbers).
    first = shared.copy()
    _found_by(model, COMMITTEE, count=400)
    extra = np.flatnonzero(r.needs[ELDER] == 0)[:50]
    r.needs[ELDER, extra] = 0.5
    r.find_needs(extra, COMMITTEE)
    state.linkage.strength = 0.5
    linkage.step(state, linkage.Params(coordination=0.0, meeting_hours=0.0, upkeep_yuan_per_resident=0.0),
                 keyed(4, state))
    assert np.array_equal(r.need_reach[ELDER, who] == SHARED, first)


def test_social_workers_pass_their_cases_to_volunteers_and_organisations(model):
    state, r = model.state, model.state.residents
    _set_strength(state, 1.0)
    who = _found_by(model, SOCIAL_WORKERS, count=200)
    state.week += 1
    linkage.step(state, linkage.Params(listing=0.0, coordination=1.0, meeting_hours=0.0), keyed(5, state))
    reach = r.need_reach[ELDER, who]
    expected = (1 << SOCIAL_WORKERS) | (1 << VOLUNTEERS) | (1 << ORGANISATIONS)
    assert (reach == expected).all()


def test_linkage_costs_are_drawn_from_the_pools_and_recorded(model):
    state = model.state
    _set_strength(state, 0.5)
    _found_by(model, COMMITTEE)
    params = linkage.Params(meeting_hours=2.0, upkeep_yuan_per_resident=5200.0 / state.residents.n)
    ledger = state.ledger
    before = ledger.committee_balance
    state.week += 1
    linkage.step(state, params, keyed(6, state))
    cap = state.capacity
    assert ledger.hours[("linkage", "staff")] == pytest.approx((cap.cadres + cap.grid_workers) * 2.0 * 0.5)
    assert ledger.hours[("linkage", "social_worker")] == pytest.approx(cap.social_workers * 2.0 * 0.5)
    assert ledger.spent["linkage"] == pytest.approx(50.0)
    assert before - ledger.committee_balance == pytest.approx(50.0)
    assert state.linkage.paid == 1.0


def test_unpaid_linkage_works_at_the_paid_share_and_decays(model):
    state = model.state
    _set_strength(state, 0.8)
    _found_by(model, COMMITTEE)
    state.ledger.start_week(dict.fromkeys(WORKERS, 0.0))  # no hours at all: no meetings
    params = linkage.Params(drift=0.1)
    state.week += 1
    linkage.step(state, params, keyed(7, state))
    assert state.linkage.paid == 0.0 and state.linkage.working == 0.0
    # Level 0.8, no policy: drift pulls nothing, the unpaid share erodes drift x (1 - paid) of it.
    assert state.linkage.strength == pytest.approx(0.8 - 0.1 * 0.8)
    assert (state.residents.need_reach[ELDER] != SHARED).all()  # nothing is shared without meetings


def test_the_platform_builds_strength_while_it_runs_and_it_decays_after_at_the_drift(model):
    state = model.state
    _set_strength(state, 0.2)
    policy = POLICY_TYPES["linkage_platform"](target=0.9, build_rate=0.1, start_week=1, end_week=10,
                                              coordinator_hours=0.0, yuan_per_year=0.0)
    params = linkage.Params(drift=0.05, meeting_hours=0.0, upkeep_yuan_per_resident=0.0)
    path = []
    for week in range(1, 31):
        state.week = week
        state.levers = type(state.levers)()
        if policy.active(week):
            policy.act(state, {}, keyed(8, state))
        linkage.step(state, params, keyed(8, state))
        path.append(state.linkage.strength)
    path = np.array(path)
    expected_built = 0.9 - 0.7 * 0.9 ** 10  # the gap to the target closes by build_rate a week
    assert path[9] == pytest.approx(expected_built)
    assert np.all(np.diff(path[:10]) > 0)
    after = path[10:] - 0.2  # the gain above the community's own level fades at drift a week
    assert after[1:] / after[:-1] == pytest.approx(np.full(after.size - 1, 0.95))
    assert path[10] - 0.2 == pytest.approx((expected_built - 0.2) * 0.95)


def test_the_platform_builds_at_the_share_of_its_cost_paid(model):
    state = model.state
    _set_strength(state, 0.0)
    state.ledger.start_week(dict.fromkeys(WORKERS, 0.0))
    policy = POLICY_TYPES["linkage_platform"](target=1.0, build_rate=0.2, coordinator_hours=4.0)
    state.week += 1
    policy.act(state, {}, keyed(9, state))
    assert state.levers.linkage_build == 0.0  # no social workers' hours to run it: no building


def test_outreach_records_the_channel_that_found_a_need(model):
    state, r = model.state, model.state.residents
    r.needs[:] = 0
    r.need_known[:] = False
    r.need_reach[:] = 0
    r.needs[ELDER] = np.where(np.arange(r.n) % 3 == 0, 0.5, 0.0)
    for _ in range(20):
        state.week += 1
        outreach.step(state, outreach.Params(referral=0.5), keyed(10, state))
    known = r.need_known[ELDER]
    reach = r.need_reach[ELDER]
    assert known.any()
    assert ((reach != 0) == known).all()
    singles = {1 << f for f in range(len(FORCES))}
    assert set(np.unique(reach[known]).tolist()) <= singles | {v | w for v in singles for w in singles}
    assert np.any(reach[known] & (1 << VOLUNTEERS))  # referrals by volunteer friends
    assert np.any(reach[known] & (1 << COMMITTEE))  # self-reports and grid workers' visits


@pytest.mark.parametrize("strength", [0.0, 1.0])
def test_donors_money_pays_the_cases_the_budget_cannot_at_the_working_strength(model, strength):
    state = model.state
    _set_strength(state, 1.0)
    _found_by(model, COMMITTEE, count=200)
    state.linkage.working = strength
    ledger = state.ledger
    ledger.committee_balance = 0.0
    ledger.fund_balance = 1e6
    for o in state.organisations:
        o.active = False
    cadres_only = services.Params(social_worker_hours=0.0, volunteer_hours=0.0, self_org_hours_per_member=0.0)
    services.step(state, cadres_only, keyed(11, state))
    cases = state.capacity.cadres * int(cadres_only.cadre_hours) // int(cadres_only.hours_per_case)
    assert state.services_this_week == int(strength * cases)
    assert 1e6 - ledger.fund_balance == pytest.approx(state.services_this_week * cadres_only.cost_per_case_yuan)


def test_a_siloed_community_shares_nothing_in_a_whole_run(small):
    """``actors.linkage.strength`` 0 (the linkage experiment's siloed cells): no week has any
    working linkage and no need found reaches the shared list."""
    from simgov.model import CommunityModel

    siloed = small.with_values({"actors.linkage.strength": 0.0})
    model = CommunityModel(siloed, weeks=20)
    r, known = model.state.residents, 0
    for _ in range(20):
        model.step()
        assert model.state.linkage.strength == 0.0 and model.state.linkage.working == 0.0
        reach = r.need_reach[r.need_known]
        assert (reach != SHARED).all()
        known += reach.size
    assert known > 0
    assert (model.timeseries().linkage_strength == 0).all()
