"""Rule-level tests: needs arise and worsen, outreach finds them, services meet them within capacity."""

import numpy as np
import pytest

from simgov.community.ledger import WORKERS
from simgov.community.state import NEED_TYPES
from simgov.dynamics import needs, outreach, services
from tests.conftest import keyed

HEALTH = NEED_TYPES.index("health")
ELDER = NEED_TYPES.index("elderly_care")
LEGAL = NEED_TYPES.index("legal")


def only(**rates):
    zero = {k: 0.0 for k in NEED_TYPES}
    return needs.Params(**{**zero, **rates})


def clear_needs(model):
    r = model.state.residents
    r.needs[:] = 0
    r.need_known[:] = False


def test_eligibility_by_group(model):
    r = model.state.residents
    elig = needs.eligibility(model.state)
    assert not elig[ELDER][r.stage == 0].any()  # children never need elderly care
    assert np.array_equal(elig[NEED_TYPES.index("disability_support")], r.disabled)
    assert elig[HEALTH].all()


def test_incidence_matches_the_rate(model):
    state, r = model.state, model.state.residents
    p = only(health=5.2, vulnerability_multiplier=1.0, resonance=0.0, worsening=0.0, self_resolution=0.0)
    rng = keyed(1, state)
    new = 0
    for _ in range(40):
        state.week += 1  # a new week: keyed draws differ from last week's
        clear_needs(model)
        needs.step(state, p, rng)
        new += np.count_nonzero(r.needs[HEALTH] > 0)
    expected = 40 * r.n * (1 - np.exp(-5.2 / 52))
    assert new == pytest.approx(expected, rel=0.05)


def test_vulnerable_get_needs_faster(model):
    state, r = model.state, model.state.residents
    p = only(health=5.2, vulnerability_multiplier=3.0, resonance=0.0)
    rng = keyed(2, state)
    vul = r.empty_nest | r.low_income | r.special
    hits_v = hits_o = 0
    for _ in range(40):
        state.week += 1  # a new week: keyed draws differ from last week's
        clear_needs(model)
        needs.step(state, p, rng)
        has = r.needs[HEALTH] > 0
        hits_v += has[vul].mean()
        hits_o += has[~vul].mean()
    ratio = hits_v / hits_o
    assert ratio == pytest.approx((1 - np.exp(-15.6 / 52)) / (1 - np.exp(-5.2 / 52)), rel=0.1)


def test_problem_resonance_raises_incidence_in_troubled_buildings(model):
    state, r = model.state, model.state.residents
    p = only(health=5.2, vulnerability_multiplier=1.0, resonance=2.0)
    rng = keyed(3, state)
    in0 = r.building == 0
    share0 = share_rest = 0.0
    for _ in range(40):
        state.week += 1  # a new week: keyed draws differ from last week's
        clear_needs(model)
        state.disorder = np.where(np.arange(state.building_size.size) == 0, 1.0, 0.0)
        needs.step(state, p, rng)
        has = r.needs[HEALTH] > 0
        share0 += has[in0].mean()
        share_rest += has[~in0].mean()
    expected = (1 - np.exp(-5.2 * 3 / 52)) / (1 - np.exp(-5.2 / 52))
    assert share0 / share_rest == pytest.approx(expected, rel=0.1)


def test_unmet_needs_worsen_and_some_pass(model):
    state, r = model.state, model.state.residents
    clear_needs(model)
    r.needs[LEGAL] = 0.4
    p = only(worsening=0.1, self_resolution=0.25)
    needs.step(state, p, keyed(4, state))
    open_ = r.needs[LEGAL] > 0
    assert np.allclose(r.needs[LEGAL][open_], 0.4 + 0.1 * 0.6)
    assert (~open_).mean() == pytest.approx(0.25, abs=0.04)


def isolate(model, who):
    """Cut every tie of ``who`` beyond its household (so it has no friendly ties outside)."""
    net = model.state.network
    mask = np.isin(net.u, who) | np.isin(net.v, who)
    net.weight[mask & (net.kind != 0)] = 0.0
    net.touch()


def test_isolated_residents_needs_stay_hidden_without_outreach(model):
    state, r = model.state, model.state.residents
    alone = np.flatnonzero(r.empty_nest & (np.bincount(r.household)[r.household] == 1))[:20]
    isolate(model, alone)
    clear_needs(model)
    r.needs[ELDER, alone] = 0.5
    p = outreach.Params(grid_worker_households=0.0)
    rng = keyed(5, state)
    for _ in range(52):
        state.week += 1
        outreach.step(state, p, rng)
    assert not r.need_known[ELDER, alone].any()
    state.levers.visits = r.household.max() + 1  # a visiting programme reaches every household
    outreach.step(state, p, rng)
    assert r.need_known[ELDER, alone].all()


def test_self_report_rate(model):
    state, r = model.state, model.state.residents
    net = state.network
    connected = np.flatnonzero(net.friends_outside_household() > 0)
    informed = net.friendly_binary() @ (r.volunteer | r.party_member).astype(float)
    sample = connected[informed[connected] == 0]
    r.trust_committee[:] = 0.5
    reported = 0
    rng = keyed(6, state)
    for _ in range(30):
        state.week += 1  # a new week: keyed draws differ from last week's
        clear_needs(model)
        r.needs[HEALTH, sample] = 0.3
        outreach.step(state, outreach.Params(self_report=0.4, referral=0.0, grid_worker_households=0.0), rng)
        reported += r.need_known[HEALTH, sample].mean()
    assert reported / 30 == pytest.approx(0.4 * 0.5, abs=0.02)


def test_visits_go_to_the_vulnerable_first(model):
    state, r = model.state, model.state.residents
    order = outreach.visit_order(state, "vulnerable", keyed(7, state))
    vulnerable_households = np.unique(r.household[r.vulnerable])
    first = order[: vulnerable_households.size]
    assert np.isin(first, vulnerable_households).mean() > 0.95


def known_needs(model, kind, count, severity=0.5):
    r = model.state.residents
    clear_needs(model)
    plenty(model.state)
    who = np.arange(count)
    r.needs[kind, who] = severity
    r.need_known[kind, who] = True
    return who


def plenty(state):
    """Pools and budget far beyond any provider's hours: the services' own rules bind
    (tests/test_pools.py has the pools binding)."""
    state.ledger.start_week(dict.fromkeys(WORKERS, 1e9))
    state.ledger.committee_balance = 1e9


def test_service_never_exceeds_capacity(model):
    state = model.state
    known_needs(model, HEALTH, 1000)
    p = services.Params(hours_per_case=5.0, cadre_hours=10.0, social_worker_hours=0.0, volunteer_hours=0.0,
                        self_org_hours_per_member=0.0)
    for o in state.organisations:
        o.active = o.kind != "professional"
    services.step(state, p, keyed(8, state))
    assert state.services_this_week == state.capacity.cadres * 10 // 5
    assert np.count_nonzero(state.residents.needs[HEALTH] > 0) == 1000 - state.services_this_week


def test_zero_capacity_meets_nothing(model):
    state = model.state
    known_needs(model, HEALTH, 100)
    for o in state.organisations:
        o.active = False
    p = services.Params(cadre_hours=0.0, social_worker_hours=0.0, volunteer_hours=0.0)
    services.step(state, p, keyed(9, state))
    assert state.services_this_week == 0


def test_priority_to_severe_and_vulnerable(model):
    state, r = model.state, model.state.residents
    clear_needs(model)
    plain = np.flatnonzero(~r.vulnerable)[:50]
    frail = np.flatnonzero(r.vulnerable)[:50]
    r.needs[HEALTH, plain] = 0.5
    r.needs[HEALTH, frail] = 0.5
    r.need_known[HEALTH, np.r_[plain, frail]] = True
    plenty(state)
    for o in state.organisations:
        o.active = False
    p = services.Params(hours_per_case=1.0, cadre_hours=50 / state.capacity.cadres, social_worker_hours=0.0,
                        volunteer_hours=0.0)
    services.step(state, p, keyed(10, state))
    assert not (r.needs[HEALTH, frail] > 0).any()
    assert (r.needs[HEALTH, plain] > 0).all()


def test_volunteers_do_not_do_legal_work(model):
    state = model.state
    known_needs(model, LEGAL, 200)
    for o in state.organisations:
        o.active = False
    p = services.Params(cadre_hours=0.0, social_worker_hours=0.0, volunteer_hours=10.0)
    services.step(state, p, keyed(11, state))
    assert state.services_this_week == 0


def test_a_met_need_raises_trust_in_the_committee(model):
    state, r = model.state, model.state.residents
    who = known_needs(model, HEALTH, 10)
    before = r.trust_committee.copy()
    services.step(state, services.Params(trust_gain=0.2), keyed(12, state))
    assert np.allclose(r.trust_committee[who], before[who] + 0.2 * (1 - before[who]))
    others = np.setdiff1d(np.arange(r.n), who)
    assert np.array_equal(r.trust_committee[others], before[others])
    assert state.ledger.total == pytest.approx(10 * services.Params().cost_per_case_yuan)


def test_a_service_is_limited_by_its_pool_and_the_budget_for_materials(model):
    state, r = model.state, model.state.residents
    who = known_needs(model, HEALTH, 100)
    for o in state.organisations:
        o.active = False
    state.ledger.start_week({"staff": 12.0})  # two cases of cadres' time ...
    p = services.Params(hours_per_case=6.0, cadre_hours=1000.0, social_worker_hours=0.0, volunteer_hours=0.0,
                        self_org_hours_per_member=0.0, cost_per_case_yuan=30.0)
    services.step(state, p, keyed(13, state))
    assert state.services_this_week == 2 and state.ledger.used["staff"] == 12.0
    assert state.ledger.short["staff"] == pytest.approx(98 * 6.0)
    clear_needs(model)
    r.needs[HEALTH, who] = 0.5
    r.need_known[HEALTH, who] = True
    state.ledger.start_week({"staff": 1e9})
    state.ledger.committee_balance = 95.0  # ... then money for three cases' materials
    services.step(state, p, keyed(14, state))
    assert state.services_this_week == 3 and state.ledger.committee_balance == pytest.approx(5.0)
    assert state.ledger.short["committee"] == pytest.approx(97 * 30.0 - 5.0)


@pytest.mark.parametrize("room, least", [(0, 1), (1, 2), (0, 30), (services.PREFIX_ROOM, services.PREFIX_MIN)])
def test_ordering_only_the_first_needs_serves_the_same_needs_as_ordering_all(model, monkeypatch, room, least):
    """services orders only the first needs in priority order (enough for the week's cases) and
    the rest only when a provider runs through them: the same needs are met, the same trust
    gained and the same pools drawn as with every need ordered, also when a provider skips
    many (volunteers serve light care only) and the short order runs out."""
    import copy

    r = model.state.residents
    clear_needs(model)
    plenty(model.state)
    rng = np.random.default_rng(11)
    known = rng.random(r.needs.shape) < 0.08
    r.needs[known] = rng.uniform(0.1, 0.9, known.sum()).astype(np.float32)
    r.need_known[known] = True
    states = []
    for prefix in ((room, least), (0, r.needs.size)):  # a short order, then every need ordered up front
        state = copy.deepcopy(model.state)
        monkeypatch.setattr(services, "PREFIX_ROOM", prefix[0])
        monkeypatch.setattr(services, "PREFIX_MIN", prefix[1])
        services.step(state, services.Params(), keyed(12, state))
        states.append(state)
    short, full = states
    assert full.services_this_week > 0 and short.services_this_week == full.services_this_week
    assert np.array_equal(short.residents.needs, full.residents.needs)
    assert np.array_equal(short.residents.trust_committee, full.residents.trust_committee)
    assert short.ledger.used == full.ledger.used and short.ledger.spent == full.ledger.spent


def test_household_members_and_contact_strength_follow_the_households_blocks(model):
    """visit's residents are the members of the households asked (repeats and any order allowed),
    ascending; contact_strength gives 1 to one member of each household, drawn by household, and
    the spillover to the rest (as a mask over the households and a membership test would)."""
    state = model.state
    r = state.residents
    rng = np.random.default_rng(13)
    households = rng.integers(0, r.household[-1] + 1, 40)
    members = outreach.household_members(state, households)
    assert np.array_equal(members, np.flatnonzero(np.isin(r.household, households)))
    distinct = np.unique(households)
    stream = keyed(14, state)
    strength = outreach.contact_strength(state, distinct, members, 0.6, stream)
    starts = np.searchsorted(r.household, distinct)
    sizes = np.searchsorted(r.household, distinct, side="right") - starts
    contact = starts + (stream.uniform(distinct, "contact") * sizes).astype(np.int64)
    assert np.array_equal(strength, np.where(np.isin(members, contact), 1.0, 0.6))
    assert np.bincount(r.household[members], weights=strength == 1.0)[distinct].tolist() == [1.0] * distinct.size
