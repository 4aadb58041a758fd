"""Classic results reproduced by simgov's own rules (docs/validation.md, "classics").

Where a submodel follows a classic model, each test here runs the module's own code
(``participation.step``, ``influence.step``, ``build_network``) on a controlled state, with
the parameters set so that the rule reduces to the classic (the docstrings say which extra
rules are switched off), and checks the classic's known analytic or famous result.
"""

import networkx as nx
import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm, poisson

from simgov.community import build_network, synthesize_residents
from simgov.community.state import CommunityState, Residents, SocialNetwork
from simgov.dynamics import influence, participation
from simgov.scenario.schema import NetworkSpec
from simgov.vocabulary import NEED_TYPES, NEIGHBOR, NEVER, WORKING
from tests.conftest import keyed


def residents(n: int, **arrays) -> Residents:
    """``n`` working-age residents, each in a household of one, all in one building; nobody is
    in the participation core (no Party members, volunteers or elderly), nobody takes part."""
    z = np.zeros(n, bool)
    half = np.full(n, 0.5)
    r = Residents(
        household=np.arange(n, dtype=np.int32), building=np.zeros(n, np.int32), grid=np.zeros(n, np.int32),
        stage=np.full(n, WORKING, np.int8), empty_nest=z.copy(), disabled=z.copy(), low_income=z.copy(),
        special=z.copy(), party_member=z.copy(), volunteer=z.copy(), sociability=np.ones(n),
        trust=half.copy(), trust0=half.copy(), trust_committee=half.copy(), belonging=half.copy(),
        belonging0=half.copy(), active=z.copy(), threshold=np.zeros(n), fatigue=np.zeros(n),
        resting_until=np.full(n, NEVER, np.int32), grievance=np.zeros(n),
        needs=np.zeros((len(NEED_TYPES), n), np.float32), need_known=np.zeros((len(NEED_TYPES), n), bool))
    for name, value in arrays.items():
        getattr(r, name)[:] = value
    return r


def state_on(graph: nx.Graph, r: Residents, weight: str | None = None) -> CommunityState:
    """A community of ``r`` whose ties are the edges of ``graph`` (friendly, of ``weight`` or 1)."""
    u, v = np.array(list(graph.edges)).T
    w = np.array([d.get(weight, 1.0) for *_, d in graph.edges(data=True)]) if weight else np.ones(u.size)
    net = SocialNetwork(r.n, np.minimum(u, v), np.maximum(u, v), w, np.full(u.size, NEIGHBOR))
    s = CommunityState(residents=r, network=net, building_size=np.array([r.n]))
    s.disorder = np.zeros(1)
    return s


# --- Granovetter (1978): thresholds and the riot that does or does not happen ----------------

#: The classic limit of the joining rule: everyone who reaches the threshold joins at once
#: (``join`` 1), nobody leaves, one participating friend is enough (no complex-contagion
#: floor beyond one), no invitations, no new ties, no volunteering.
GRANOVETTER = participation.Params(join=1.0, leave=0.0, min_active_friends=1, invitation=0.0, new_tie=0.0,
                                   volunteer_recruit=0.0, volunteer_quit=0.0)


def riot(thresholds: np.ndarray) -> int:
    """Participants at the fixed point of ``participation.step`` among len(thresholds) residents
    who all know one another, thresholds being shares of the others.

    simgov's rule needs at least one participating friend, so a resident never joins alone;
    Granovetter's threshold-0 instigators act alone, so they start as participants.
    """
    r = residents(thresholds.size, threshold=thresholds, active=thresholds <= 0.0)
    s = state_on(nx.complete_graph(r.n), r)
    rng = keyed(0, s)  # unused in this limit: join 1 and leave 0 draw nothing that matters
    while True:
        before = int(r.active.sum())
        participation.step(s, GRANOVETTER, rng)
        if int(r.active.sum()) == before:
            return before


def test_granovetter_uniform_thresholds_one_changed_threshold_stops_the_riot():
    """Granovetter (1978, p. 1424): 100 people with thresholds 0, 1, 2, ..., 99 (others who must
    act first) all riot, one after another; raise the threshold-1 person's to 2 and only the
    instigator acts. Exact: integer thresholds over 99 others leave no rounding slack
    (a share r/99 reaches k/100 exactly when r >= k, for k <= 99)."""
    thresholds = np.arange(100) / 100
    assert riot(thresholds) == 100
    thresholds[1] = 0.02
    assert riot(thresholds) == 1


def granovetter_critical_sd(shift: float = 0.0, n: int = 100, mean: float = 25.0) -> float:
    """Smallest sd of Normal(mean, sd) thresholds (in people) at which the expected-value map
    r -> n F(r) + shift, iterated from 0, runs to nearly everyone (Granovetter's graphical
    equilibrium); ``shift`` moves the count by whole people (rounding, see below).

    Iterated from 0 the map rises to its first fixed point, so it runs past n/2 exactly when
    n F(r) + shift > r for every r in [0, n/2]."""
    r = np.linspace(0.0, n / 2, 50_001)
    lo, hi = 5.0, 30.0
    for _ in range(40):
        mid = (lo + hi) / 2
        runs = np.all(n * norm.cdf((r - mean) / mid) + shift > r)
        lo, hi = (lo, mid) if runs else (mid, hi)
    return hi


def test_granovetter_normal_thresholds_jump_near_sd_12_2():
    """Granovetter (1978, pp. 1427-1428): 100 people with Normal(25, sd) thresholds; the
    equilibrium number of rioters jumps from a handful to nearly all as sd crosses about 12.2.

    The thresholds are the "expected" realisation: the Normal(25, sd) quantiles at
    (i + 0.5) / 100, as shares of the others, clipped to [0, 1]; simgov's joining rule runs
    to its fixed point on a complete graph for sd on a grid of 0.1.

    Tolerance: the 12.2 is the tangency of the continuous map r -> 100 F(r); a population of
    100 counts whole people, so its count can differ from 100 F(r) by up to one person, and
    that moves the critical sd by about 0.33 (computed below, 11.6 to 12.9). The jump must fall
    in that band, and be a jump: a handful (<= 10) just below it, nearly all (>= 95) from it on.
    """
    critical = granovetter_critical_sd()
    assert critical == pytest.approx(12.2, abs=0.05)  # the classic's own number, from its map
    band = granovetter_critical_sd(+1.0), granovetter_critical_sd(-1.0)

    q = norm.ppf((np.arange(100) + 0.5) / 100)
    sds = np.round(np.arange(11.0, 14.01, 0.1), 2)
    final = np.array([riot(np.clip((25.0 + sd * q) / 100, 0.0, 1.0)) for sd in sds])
    jump = int(np.argmax(final >= 95))
    assert final[jump] >= 95
    assert np.all(final[:jump] <= 10) and np.all(final[jump:] >= 95)
    assert band[0] <= sds[jump] <= band[1]


def spread(g: nx.Graph, seeds, threshold: float, min_friends: int) -> float:
    """Share of residents taking part at the fixed point of ``participation.step`` on ``g``
    from ``seeds``: the Granovetter limit, with ``min_friends`` participating friends needed."""
    p = GRANOVETTER.model_copy(update={"min_active_friends": min_friends})
    r = residents(g.number_of_nodes(), threshold=threshold)
    r.active[list(seeds)] = True
    s = state_on(g, r)
    rng = keyed(0, s)
    while True:
        before = int(r.active.sum())
        participation.step(s, p, rng)
        if int(r.active.sum()) == before:
            return before / r.n


def watts_cascade_frequency(z: float, phi: float) -> float:
    """Watts (2002): chance that one random seed sets off a global cascade on a random graph of
    Poisson(z) degrees with threshold phi for all: the seed must touch the giant cluster of
    vulnerable residents (those whom one friend tips, degree k <= 1/phi). With u the chance
    that a tie does not lead into it, u = 1 - sum q_k rho_k (1 - u^(k-1)), q_k = k p_k / z,
    and the frequency is 1 - sum p_k u^k (0 outside the cascade window)."""
    k = np.arange(200)
    pk = poisson.pmf(k, z)
    q = k * pk / z * ((k >= 1) & (k <= np.floor(1 / phi)))  # reaches a vulnerable resident
    def excess(u):
        return 1 - q.sum() + np.sum(q * u ** np.maximum(k - 1, 0)) - u
    if excess(1 - 1e-9) >= 0:  # only the trivial root u = 1: no giant vulnerable cluster
        return 0.0
    u = brentq(excess, 0.0, 1 - 1e-9)
    return float(1 - np.sum(pk * u**k))


def test_watts_cascade_window():
    """Watts (2002, PNAS 99:5766): on a random graph with mean degree z and threshold phi, single
    seeds set off global cascades only inside a window of z, where the vulnerable residents
    percolate; inside it the frequency is the analytic one (watts_cascade_frequency). For
    phi = 0.18 the window is about 1 < z < 5.8.

    simgov's rule in the Granovetter limit with one participating friend enough (all residents
    outside the core is then the same as Watts's rule: share of friends >= phi). 60 seeds on two
    graphs of 3,000 residents per z; a cascade is global above 10% of residents (sizes are
    bimodal). Tolerance 0.15 on the frequency: binomial sd at 60 trials is <= 0.065, plus
    finite-size error; outside the window (z = 7) no seed may set off a global cascade."""
    phi, n = 0.18, 3000
    for z in (2.0, 4.0, 7.0):
        hits = []
        for graph_seed in range(2):
            g = nx.fast_gnp_random_graph(n, z / (n - 1), seed=graph_seed)
            rng = np.random.default_rng(graph_seed)
            hits += [spread(g, [int(i)], phi, 1) > 0.1 for i in rng.choice(n, 30, replace=False)]
        expected = watts_cascade_frequency(z, phi)
        if expected == 0:
            assert not any(hits), z
        else:
            assert np.mean(hits) == pytest.approx(expected, abs=0.15), z


def test_centola_macy_complex_contagion_needs_wide_bridges():
    """Centola & Macy (2007, AJS 113:702): a contagion that needs two participating friends
    spreads through a whole clustered ring lattice, but fails once ties are rewired into long
    ties (random graph), while a simple contagion (one friend) reaches everyone on both.

    simgov's rule with thresholds 0 and ``min_active_friends`` 2 (the complex-contagion floor) or
    1, on Watts-Strogatz rings of 500 residents with 4 neighbours, seeded with a resident and
    their neighbours. On the lattice spread is exact (100%); on the random graph (p = 1) a
    finite seed cannot grow under threshold 2 (bootstrap percolation on sparse random graphs,
    Janson, Luczak, Turova & Vallier 2012), so it must stay below 5% in every one of 10 graphs."""
    n = 500
    for p in (0.0, 1.0):
        complex_, simple = [], []
        for seed in range(1 if p == 0 else 10):  # the lattice is one graph
            g = nx.watts_strogatz_graph(n, 4, p, seed=seed)
            focal = int(np.random.default_rng(seed).integers(n))
            seeds = [focal, *g[focal]]
            complex_.append(spread(g, seeds, 0.0, 2))
            simple.append(spread(g, seeds, 0.0, 1))
        assert min(simple) == 1.0
        if p == 0:
            assert complex_ == [1.0]
        else:
            assert max(complex_) < 0.05


# --- DeGroot (1974) and Friedkin & Johnsen (1990): averaging with an anchor -----------------

@pytest.fixture
def weighted_karate():
    """Zachary's karate club (34 residents, connected) with tie strengths in [0.2, 1] and
    dispositions spread over (0.1, 0.9), so that clipping to [0, 1] never binds."""
    rng = np.random.default_rng(11)
    g = nx.karate_club_graph()
    for a, b in g.edges:
        g.edges[a, b]["w"] = rng.uniform(0.2, 1.0)
    r = residents(g.number_of_nodes())
    r.trust0[:] = r.trust[:] = rng.uniform(0.1, 0.9, r.n)
    r.belonging0[:] = r.belonging[:] = rng.uniform(0.1, 0.9, r.n)
    return g, r


def run_influence(s: CommunityState, params: influence.Params, weeks: int) -> None:
    rng = keyed(0, s)  # the influence rule is deterministic
    for _ in range(weeks):
        influence.step(s, params, rng)


def test_friedkin_johnsen_fixed_point(weighted_karate):
    """Friedkin & Johnsen (1990): x(t+1) = Lambda W x(t) + (I - Lambda) x0 converges to
    x* = (I - Lambda W)^-1 (I - Lambda) x0. simgov's update x += rate (Wx - x) + anchor (x0 - x)
    has the same fixed point with susceptibility lambda = rate / (rate + anchor), W the
    tie-strength-weighted row-normalised adjacency. At the model's default weekly rates,
    with no hostile ties and no disorder (those extra rules then contribute nothing).

    Tolerance 1e-9: the update contracts by (1 - anchor) = 0.98 a week in the max norm, so
    2,000 weeks leave an error below 0.98**2000 ~ 3e-18; 1e-9 allows for round-off only."""
    g, r = weighted_karate
    s = state_on(g, r, weight="w")
    p = influence.Params()
    x0 = {"trust": r.trust0.copy(), "belonging": r.belonging0.copy()}
    run_influence(s, p, 2000)

    a = nx.to_numpy_array(g, nodelist=range(r.n), weight="w")
    w = a / a.sum(axis=1, keepdims=True)
    for name, rate in (("trust", p.trust_rate), ("belonging", p.belonging_rate)):
        lam = rate / (rate + p.anchor_rate)
        expected = np.linalg.solve(np.eye(r.n) - lam * w, (1 - lam) * x0[name])
        np.testing.assert_allclose(getattr(r, name), expected, rtol=0, atol=1e-9)


def test_degroot_consensus_is_the_strength_weighted_mean(weighted_karate):
    """DeGroot (1974): on a connected graph repeated averaging x <- W x reaches consensus at
    pi' x0, pi the left unit eigenvector of W; for symmetric tie strengths pi is proportional
    to each resident's total tie strength. simgov's rule without the anchor (anchor_rate 0)
    is the lazy DeGroot update (1 - rate) I + rate W, which has the same pi.

    Tolerance 1e-9: the slowest mode decays by 1 - rate (1 - lambda_2) a week, lambda_2 = 0.86
    for this W; at the slower default rate (belonging, 0.03) 6,000 weeks leave
    0.9958**6000 ~ 1e-11 of it."""
    g, r = weighted_karate
    s = state_on(g, r, weight="w")
    x0 = r.trust0.copy(), r.belonging0.copy()
    run_influence(s, influence.Params(anchor_rate=0.0), 6000)

    strength = nx.to_numpy_array(g, nodelist=range(r.n), weight="w").sum(axis=1)
    for x, start in zip((r.trust, r.belonging), x0, strict=True):
        np.testing.assert_allclose(x, strength @ start / strength.sum(), rtol=0, atol=1e-9)


# --- Watts & Strogatz (1998), Newman & Watts (1999): the small world ------------------------

def newman_watts(n: int, k: int, p: float, seed: int) -> nx.Graph:
    """simgov's network builder reduced to the Newman-Watts model: households of one, all in one
    building in a row, every household tied to the ``k`` next doors on each side
    (``neighbor_tie_prob`` 1 at sociability 1: a lattice of range k), no building ties, and
    acquaintance shortcuts between residents chosen uniformly (no homophily), ``p`` per lattice
    tie (n k p shortcuts, i.e. 2 k p per resident)."""
    spec = NetworkSpec(neighbor_span=k, neighbor_tie_prob=1.0, building_ties_per_resident=0.0,
                       acquaintance_ties_per_resident=2 * k * p, homophily=0.0, hostile_tie_share=0.0)
    return build_network(residents(n), spec, np.random.default_rng(seed)).to_networkx()


def mean_distance(g: nx.Graph, sources: int, rng: np.random.Generator) -> float:
    """Mean shortest-path length from ``sources`` random residents to all others (BFS)."""
    nodes = np.array(g)
    return float(np.mean([sum(nx.single_source_shortest_path_length(g, int(s)).values()) / (len(nodes) - 1)
                          for s in rng.choice(nodes, sources, replace=False)]))


def test_newman_watts_clustering():
    """Newman (2003, SIAM Review 45:167, eq. 3.3; Newman, Strogatz & Watts 2001): a ring lattice of
    range k with p random shortcuts per lattice tie has clustering (transitivity)
    C = 3 (k - 1) / (2 (2k - 1) + 4 k p (p + 2)); C(0) = 3 (k - 1) / (2 (2k - 1)) is the lattice's.

    simgov adds shortcuts (acquaintances) to its lattice instead of rewiring it, so the
    Newman-Watts formula applies, not Barrat & Weigt's C(0) (1 - p)^3 for rewiring. The row of
    households is a line, not a ring: its two ends change C by O(k / n) = 0.15%.
    Tolerance 0.01: the number of shortcuts is Poisson, which moves C by about 0.003 (one sd,
    at p = 0.5) at n = 2,000."""
    k = 3
    for p in (0.0, 0.01, 0.05, 0.2, 0.5):
        expected = 3 * (k - 1) / (2 * (2 * k - 1) + 4 * k * p * (p + 2))
        assert nx.transitivity(newman_watts(2000, k, p, seed=1)) == pytest.approx(expected, abs=0.01), p


def test_watts_strogatz_short_paths_with_high_clustering():
    """Watts & Strogatz (1998, Fig. 2): a few shortcuts make paths short, as in a random graph,
    long before they lower clustering. In simgov's builder at n = 2,000, k = 3: with
    p = 0.01 shortcuts per lattice tie (0.06 acquaintances per resident) the mean distance falls
    below 15% of the lattice's (n / 3k, that of a line of range k) while clustering keeps over
    95% of the lattice's (Newman's formula gives 97.6%).

    And the paths match the reference Newman-Watts model (networkx's generator, a ring), whose
    distances have no closed form at these parameters (the mean-field formula of Newman,
    Moore & Watts 2000 holds for k^2 p << 1 only): means of 3 networks each within 5%, the
    sampling error of 3 x 60 BFS sources being about 1%."""
    rng = np.random.default_rng(0)
    n, k = 2000, 3
    lattice_c, lattice_l = nx.transitivity(newman_watts(n, k, 0.0, seed=1)), n / (3 * k)
    g = newman_watts(n, k, 0.01, seed=1)
    assert nx.transitivity(g) > 0.95 * lattice_c
    assert mean_distance(g, 60, rng) < 0.15 * lattice_l
    for p in (0.05, 0.2):
        ours = np.mean([mean_distance(newman_watts(n, k, p, seed=s), 60, rng) for s in range(3)])
        reference = np.mean([mean_distance(nx.newman_watts_strogatz_graph(n, 2 * k, p, seed=s), 60, rng)
                             for s in range(3)])
        assert ours == pytest.approx(reference, rel=0.05), p


def test_b_community_network_is_a_small_world(b_community):
    """Watts & Strogatz (1998): a small world is clustered far beyond a random graph with the
    same number of nodes and ties (C >> C_rand = <k> / n) while its mean distance is comparable
    (L ~ L_rand); Humphries & Gurney (2008) sum this up as sigma = (C / C_rand) / (L / L_rand) > 1.
    L_rand = (ln n - gamma) / ln <k> + 1/2 (Fronczak, Fronczak & Holyst 2004, random graphs).

    Thresholds from Watts & Strogatz's Table 1, the classic's own examples of small worlds:
    C / C_rand >= 5.6 (C. elegans, the lowest there) and L / L_rand <= 1.5 (the power grid, the
    highest), so C / C_rand > 10 and L / L_rand < 1.5 here; L from 60 BFS sources on the
    giant component (sampling error about 1%)."""
    rng = np.random.default_rng(3)
    r = synthesize_residents(b_community, rng)
    g = build_network(r, b_community.network, rng).to_networkx()
    n, mean_degree = g.number_of_nodes(), 2 * g.number_of_edges() / g.number_of_nodes()
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    c_ratio = nx.average_clustering(g) / (mean_degree / n)
    l_ratio = mean_distance(giant, 60, rng) / ((np.log(n) - np.euler_gamma) / np.log(mean_degree) + 0.5)
    assert c_ratio > 10
    assert l_ratio < 1.5
    assert c_ratio / l_ratio > 1
