"""Rule-level tests of turnover (simgov.dynamics.turnover): who leaves, what leaves with them, newcomers."""

import dataclasses

import numpy as np
import pytest

from simgov.dynamics import turnover
from simgov.dynamics.disputes import consolidate_network
from simgov.vocabulary import HOUSEHOLD, NEED_TYPES, NEVER
from tests.conftest import keyed


def _next_month(state) -> None:
    """Advance to the next week in which turnover acts (a consolidation week)."""
    state.week += turnover.EVERY - state.week % turnover.EVERY


def _move(model, rate: float, seed: int = 1, settling: float = 1.0) -> np.ndarray:
    """One month's turnover at yearly ``rate``; returns the residents whose trust changed."""
    state = model.state
    state.newcomers = dataclasses.replace(state.newcomers, move_out_per_year=rate)
    before = state.residents.trust.copy()
    _next_month(state)
    turnover.step(state, turnover.Params(settling=settling), keyed(seed, state))
    assert state.moved_in_this_week >= 0
    return np.flatnonzero(state.residents.trust != before)


def _movers(model, rate=0.9, seed=1, **kw):
    """Residents whose households move out at the next turnover, found from the household draw itself."""
    state = model.state
    r = state.residents
    rng = keyed(seed, state)
    week = state.week
    _next_month(state)
    households = np.arange(r.household[-1] + 1)
    moving = rng.happens(households, 1.0 - (1.0 - rate) ** (turnover.EVERY / 52.0), "move_out")
    state.week = week
    return np.flatnonzero(np.isin(r.household, moving))


def test_households_move_out_whole_at_the_yearly_rate(model):
    state, r = model.state, model.state.residents
    rate = 0.5
    households = r.household[-1] + 1
    moved = 0
    months = 12
    state.newcomers = dataclasses.replace(state.newcomers, move_out_per_year=rate)
    for _ in range(months):
        _next_month(state)
        state.week += 1  # a week between consolidations: no one moves
        turnover.step(state, turnover.Params(), keyed(2, state))
        assert state.moved_in_this_week == 0
        _next_month(state)
        turnover.step(state, turnover.Params(), keyed(2, state))
        moved += state.moved_in_this_week
    per_household = r.n / households
    expected = months * households * (1 - (1 - rate) ** (turnover.EVERY / 52)) * per_household
    assert moved == pytest.approx(expected, rel=0.15)


def test_no_turnover_changes_nothing(model):
    state, r = model.state, model.state.residents
    snapshot = {k: getattr(r, k).copy() for k in ("trust", "volunteer", "needs", "party_member")}
    edges = state.network.edges
    _move(model, 0.0)
    assert state.moved_in_this_week == 0
    assert state.network.edges == edges
    for k, v in snapshot.items():
        assert np.array_equal(getattr(r, k), v)


def test_leavers_take_their_ties_needs_volunteering_and_memberships(model):
    state, r = model.state, model.state.residents
    who = _movers(model, seed=3)
    assert who.size > 10
    r.needs[NEED_TYPES.index("health"), who] = 0.4
    r.find_needs(who, 0)
    r.volunteer[who] = True
    r.fatigue[who] = 0.5
    r.resting_until[who] = state.week + 5
    r.active[who] = True
    org = next(o for o in state.organisations if o.kind == "self")
    org.members = np.union1d(org.members, who[:3])
    org.leader = int(who[0])
    _move(model, 0.9, seed=3)
    assert state.moved_in_this_week == who.size
    assert not (r.needs[:, who] > 0).any() and not r.need_known[:, who].any() and not r.need_reach[:, who].any()
    assert not r.volunteer[who].any() and not r.active[who].any()
    assert (r.fatigue[who] == 0).all() and (r.resting_until[who] == NEVER).all()
    assert not np.isin(who, org.members).any()
    assert org.leader not in set(who.tolist())
    consolidate_network(state)  # the ties go at the consolidation that follows the month's moves
    net = state.network
    gone = np.zeros(r.n, bool)
    gone[who] = True
    touching = gone[net.u] | gone[net.v]
    assert (net.kind[touching] == HOUSEHOLD).all()  # only the flat's own household ties stay
    assert (gone[net.u[touching]] & gone[net.v[touching]]).all()
    # The CSR view agrees with the edge arrays after the removal.
    indptr, indices, emap = net.structure()
    assert indptr[-1] == 2 * net.edges
    assert np.array_equal(np.sort(emap), np.repeat(np.arange(net.edges), 2))
    rows = np.repeat(np.arange(r.n), np.diff(indptr))
    assert np.array_equal(np.minimum(rows, indices), net.u[emap])
    assert np.array_equal(np.maximum(rows, indices), net.v[emap])


def test_leavers_open_disputes_close_and_never_relapse(model):
    state = model.state
    who = _movers(model, seed=4)
    other = np.setdiff1d(np.arange(state.residents.n), who)[:3]
    rows = state.disputes.open(who[:3], other, state.residents.building[who[:3]], np.ones(3, np.int8), state.week)
    kept = state.disputes.open(other[:1], other[1:2], state.residents.building[other[:1]], np.ones(1, np.int8),
                               state.week)
    _move(model, 0.9, seed=4)
    d = state.disputes
    assert (d.closed[rows] == state.week).all() and (d.relapse_factor[rows] == 0).all()
    assert d.resolved_this_week == 0  # they ended by a move, not by anyone's resolution
    assert d.closed[kept[0]] == d.OPEN


def test_newcomers_arrive_without_ties_and_settle_in_a_month_later(model):
    state = model.state
    who = _movers(model, seed=5)
    _move(model, 0.9, seed=5)
    consolidate_network(state)
    assert (state.network.friends_outside_household()[who] == 0).all()
    _move(model, 0.0)  # the next month: they settle in, at its consolidation
    consolidate_network(state)
    assert (state.network.friends_outside_household()[who] > 0).mean() > 0.5
    # With settling 0 they stay strangers.
    who = _movers(model, seed=6)
    _move(model, 0.9, seed=6, settling=0.0)
    _move(model, 0.0, settling=0.0)
    consolidate_network(state)
    assert (state.network.friends_outside_household()[who] == 0).all()


def test_newcomers_draw_fresh_attitudes_and_party_membership(model):
    state, r = model.state, model.state.residents
    rule = dataclasses.replace(state.newcomers, move_out_per_year=0.9, trust=(0.9, 0.05), party_share=1.0)
    state.newcomers = rule
    who = _movers(model, seed=7)
    _next_month(state)
    turnover.step(state, turnover.Params(), keyed(7, state))
    assert r.trust[who].mean() == pytest.approx(0.9, abs=0.03)
    assert np.array_equal(r.trust0[who], r.trust[who])  # their disposition is where they start
    assert r.party_member[who].all()
    assert (r.grievance[who] == 0).all()


def test_turnover_draws_are_keyed_by_household_and_week(model):
    state = model.state
    a = _movers(model, seed=8)
    b = _movers(model, seed=8)
    assert np.array_equal(a, b)
    _next_month(state)
    assert not np.array_equal(_movers(model, seed=8), a)


def test_the_poisson_quantile_and_beta_draws_are_scipys():
    """turnover's quantiles from scipy.special equal scipy.stats' (which cost ~1 ms a call)."""
    import numpy as np
    from scipy import special, stats

    from simgov.dynamics.turnover import poisson_ppf

    rng = np.random.default_rng(1)
    q, mu = rng.random(5_000), rng.random(5_000) * 6
    assert np.array_equal(poisson_ppf(q, mu), stats.poisson.ppf(q, mu).astype(np.int64))
    assert np.array_equal(poisson_ppf(q, np.zeros_like(q)), np.zeros(q.size, np.int64))
    assert np.allclose(special.betaincinv(2.0, 5.0, q), stats.beta.ppf(q, 2.0, 5.0), rtol=0, atol=1e-14)
