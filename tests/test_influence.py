"""The influence rule: averaging over friendly ties, anchoring, hostility and disorder."""

import numpy as np
import pytest

import simgov
from simgov.community.state import TIE_KINDS
from simgov.dynamics import influence
from tests.conftest import keyed


def step(model, **overrides):
    params = influence.Params(**overrides)
    influence.step(model.state, params, keyed(0, model.state))


def test_without_ties_only_the_anchor_acts(model):
    net = model.state.network
    net.weight[:] = 0.0
    net.touch()
    r = model.state.residents
    r.trust0[:] = r.trust  # at their dispositions: nothing should move
    before = r.trust.copy()
    step(model)
    assert np.array_equal(r.trust, before)


def test_averaging_pulls_towards_friendly_neighbours(model):
    r = model.state.residents
    net = model.state.network
    net.weight[:] = np.abs(net.weight)
    net.touch()
    r.trust0[:] = r.trust
    spread = r.trust.std()
    for _ in range(20):
        step(model, anchor_rate=0.0)
    assert r.trust.std() < 0.8 * spread


def test_exact_update_for_one_resident(model):
    r = model.state.residents
    net = model.state.network
    i = int(np.argmax(net.degree()))
    pos, inv, _, hostile = net.influence_operators()
    nbr_mean = (pos @ r.trust)[i] * inv[i]
    p = influence.Params(trust_rate=0.3, anchor_rate=0.1, hostility_effect=0.2, disorder_effect=0.0)
    expected = r.trust[i] + 0.3 * (nbr_mean - r.trust[i]) + 0.1 * (r.trust0[i] - r.trust[i]) \
        - 0.2 * hostile[i] * r.trust[i]
    influence.step(model.state, p, keyed(0, model.state))
    assert r.trust[i] == pytest.approx(np.clip(expected, 0, 1))


def test_hostile_ties_lower_trust(small):
    calm = simgov.CommunityModel(small, weeks=5)
    feud = simgov.CommunityModel(small, weeks=5)
    net = feud.state.network
    outside = net.kind != TIE_KINDS.index("household")
    net.weight[outside] = -np.abs(net.weight[outside])
    net.touch()
    for m in (calm, feud):
        for _ in range(5):
            step(m)
    assert feud.state.residents.trust.mean() < calm.state.residents.trust.mean() - 0.01


def test_disorder_lowers_trust_in_troubled_buildings(model):
    r = model.state.residents
    r.trust0[:] = r.trust
    r.needs[0, r.building == 0] = 0.5  # everyone in building 0 has an unmet need
    model.state.measure_disorder()
    before = r.trust.copy()
    step(model, trust_rate=0.0, hostility_effect=0.0, disorder_effect=0.1)
    assert np.allclose(r.trust[r.building == 0], before[r.building == 0] * 0.9)
    assert np.allclose(r.trust[r.building != 0], before[r.building != 0])


def test_values_stay_in_unit_interval(model):
    r = model.state.residents
    r.trust[:] = 1.0
    r.trust0[:] = 1.0
    step(model, trust_rate=1.0, anchor_rate=1.0)
    assert r.trust.max() <= 1.0 and r.trust.min() >= 0.0
