"""Synthesis: counts add up, composition within tolerance, a small-world network, all seeded."""

import networkx as nx
import numpy as np
import pytest

from simgov.community import build_network, synthesize_residents
from simgov.community.network import ACQUAINTANCE, HOUSEHOLD
from simgov.scenario import LIFE_STAGES


@pytest.fixture(scope="module")
def built(b_community):
    rng = np.random.default_rng(7)
    r = synthesize_residents(b_community, rng)
    net = build_network(r, b_community.network, np.random.default_rng(8))
    return b_community, r, net


def test_counts_add_up(built):
    sc, r, _ = built
    c = sc.community
    assert r.n == c.residents
    assert np.unique(r.household).size == c.households
    assert np.unique(r.building).size == c.buildings
    assert np.unique(r.grid).size == c.grids
    assert r.group_sizes() == c.group_counts()
    assert sum(c.group_counts().values()) == c.residents


def test_numbered_by_grid_building_household(built):
    _, r, _ = built
    for key in (r.grid, r.building, r.household):
        assert np.all(np.diff(key) >= 0)


def test_each_building_in_one_grid_and_household_in_one_building(built):
    _, r, _ = built
    assert all(np.unique(r.grid[r.building == b]).size == 1 for b in np.unique(r.building))
    assert all(np.unique(r.building[r.household == h]).size == 1 for h in np.unique(r.household)[::50])


def test_traits_match_the_scenario(built):
    sc, r, _ = built
    c, a = sc.community, sc.actors
    assert r.disabled.sum() == round(c.disabled * c.residents)
    assert r.special.sum() == round(c.special_groups * c.residents)
    assert r.party_member.sum() == a.party_members_resident
    assert r.volunteer.sum() == a.steady_volunteers
    poor_households = np.unique(r.household[r.low_income]).size
    assert poor_households == round(c.low_income_households * c.households)
    nest, _ = c.empty_nest_plan()
    assert r.empty_nest.sum() == nest
    assert not r.party_member[r.stage == LIFE_STAGES.index("children")].any()


def test_empty_nest_households_are_elderly_only(built):
    _, r, _ = built
    for h in np.unique(r.household[r.empty_nest])[:200]:
        members = r.household == h
        assert r.empty_nest[members].all() and members.sum() <= 2


def test_every_household_has_a_non_child(built):
    _, r, _ = built
    adult = r.stage != LIFE_STAGES.index("children")
    assert np.bincount(r.household, weights=adult).min() >= 1


def test_household_size_mean(built):
    sc, r, _ = built
    sizes = np.bincount(r.household)
    assert sizes.mean() == pytest.approx(sc.community.residents / sc.community.households)


def test_network_edges_are_clean(built):
    _, r, net = built
    assert np.all(net.u < net.v)  # stored once, no self-loops
    assert np.unique(net.u.astype(np.int64) * r.n + net.v).size == net.edges
    hh = net.kind == HOUSEHOLD
    assert np.all(r.household[net.u[hh]] == r.household[net.v[hh]])
    assert np.all(net.weight[hh] > 0)


def test_household_members_are_fully_tied(built):
    _, r, net = built
    sizes = np.bincount(r.household)
    assert (net.kind == HOUSEHOLD).sum() == int((sizes * (sizes - 1) // 2).sum())


def test_hostile_share_within_tolerance(built):
    sc, _, net = built
    outside = net.kind != HOUSEHOLD
    share = (net.weight[outside] < 0).mean()
    assert share == pytest.approx(sc.network.hostile_tie_share, abs=0.01)


def test_small_world(built):
    """Clustered like a lattice, short paths like a random graph (Watts & Strogatz 1998)."""
    _, r, net = built
    g = net.to_networkx()
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    assert giant.number_of_nodes() > 0.9 * r.n
    c = nx.average_clustering(g)
    mean_degree = 2 * g.number_of_edges() / r.n
    c_random = mean_degree / r.n
    assert c > 50 * c_random
    rng = np.random.default_rng(0)
    nodes = list(giant.nodes)
    sources = rng.choice(nodes, 30, replace=False)
    lengths = [np.mean(list(nx.single_source_shortest_path_length(giant, int(s)).values())) for s in sources]
    l_random = np.log(r.n) / np.log(mean_degree)
    assert np.mean(lengths) < 3 * l_random


def test_acquaintances_show_homophily(built):
    sc, r, net = built
    acq = net.kind == ACQUAINTANCE
    same = (r.stage[net.u[acq]] == r.stage[net.v[acq]]).mean()
    by_chance = sum((v / r.n) ** 2 for v in r.group_sizes().values())
    assert same > by_chance + 0.5 * sc.network.homophily * (1 - by_chance)


def test_isolation_prone_residents_have_fewer_ties(built):
    _, r, net = built
    outside = net.friends_outside_household()
    prone = r.empty_nest | r.disabled | r.special
    assert outside[prone].mean() < outside[~prone].mean()


def test_synthesis_is_seeded(b_community):
    def build(seed):
        r = synthesize_residents(b_community, np.random.default_rng(seed))
        return r, build_network(r, b_community.network, np.random.default_rng(seed + 1))
    (r1, n1), (r2, n2), (r3, _) = build(1), build(1), build(2)
    assert np.array_equal(r1.trust, r2.trust) and np.array_equal(n1.u, n2.u)
    assert np.array_equal(n1.weight, n2.weight)
    assert not np.array_equal(r1.trust, r3.trust)
