"""Fused kernels equal their numpy references bit for bit (simgov.kernels)."""

from __future__ import annotations

import numpy as np
import pytest

from simgov.streams import KeyedStream


class Clock:
    week = 7


@pytest.mark.parametrize("keys", [np.arange(9, dtype=np.int64), np.arange(-50, 10_000, 7, dtype=np.int64),
                                  np.array([2**63 - 1, 0, 1, 2**40], dtype=np.int64),
                                  np.arange(100, dtype=np.uint64) * np.uint64(2**61)])
@pytest.mark.parametrize("timeless", [False, True])
def test_the_fused_keyed_uniform_equals_the_numpy_path(keys, timeless):
    s = KeyedStream(12345, "stream", Clock())
    fused = s.uniform(keys, "slot", timeless=timeless)
    reference = s._uniform_numpy(keys, "slot", timeless)
    assert fused.dtype == reference.dtype and np.array_equal(fused, reference)
    assert ((0 <= fused) & (fused < 1)).all()


def _stream(week: int = 7) -> KeyedStream:
    clock = Clock()
    clock.week = week
    return KeyedStream(99, "kernels", clock)


@pytest.mark.parametrize("share", [0.0, 0.05, 0.5, 1.0])
def test_a_fused_selection_equals_drawing_for_the_masked_residents(share):
    rng = np.random.default_rng(1)
    mask = rng.random(5_000) < share
    p_each = rng.random(5_000)
    s = _stream()
    for p in (0.3, p_each):
        fused = s.select(mask, p, "join")
        assert fused.dtype == np.int64 and np.array_equal(fused, s._select_numpy(mask, p, "join"))
        assert mask[fused].all()
    # keyed by position: a resident's outcome does not depend on who else is in the mask
    wider = mask | (rng.random(5_000) < 0.5)
    assert np.array_equal(np.intersect1d(s.select(wider, 0.3, "join"), np.flatnonzero(mask)),
                          s.select(mask, 0.3, "join"))


def test_the_fused_influence_pass_equals_the_sparse_products():
    import scipy.sparse as sp

    from simgov.kernels.network import influence, influence_numpy

    rng = np.random.default_rng(2)
    n = 800
    m = sp.random(n, n, density=0.01, random_state=3, format="csr")
    m = (m + m.T).tocsr()
    sums = np.asarray(m.sum(axis=1)).ravel()
    inverse = np.divide(1.0, sums, out=np.zeros(n), where=sums > 0)
    has = (sums > 0).astype(np.float64)
    loss = rng.random(n) * 0.05
    t, t0, b, b0 = (rng.random(n) for _ in range(4))
    ref_t, ref_b = t.copy(), b.copy()
    influence(m.indptr, m.indices, m.data, inverse, has, loss, 0.01, t, t0, 0.2, b, b0, 0.1)
    influence_numpy(m, inverse, has, loss, 0.01, ref_t, t0, 0.2, ref_b, b0, 0.1)
    assert np.allclose(t, ref_t, rtol=0, atol=1e-12) and np.allclose(b, ref_b, rtol=0, atol=1e-12)
    assert ((0 <= t) & (t <= 1)).all()


def test_the_fused_hazards_equal_their_numpy_references():
    from simgov.kernels.events import need_onsets, need_onsets_numpy, tie_disputes, tie_disputes_numpy

    rng = np.random.default_rng(4)
    s = _stream(12)
    n, ties = 3_000, 9_000
    a, b = rng.integers(0, n, ties), rng.integers(0, n, ties)
    static, grievance = rng.random(ties) * 2, rng.random(n)
    keys = np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b)
    busy = rng.random(n) < 0.2
    base = np.uint64(s.base("tie_dispute"))
    fused = tie_disputes(a, b, static, keys, grievance, busy, 0.75, 0.05, base)
    assert np.array_equal(fused, tie_disputes_numpy(a, b, static, keys, grievance, busy, 0.75, 0.05,
                                                    lambda k: s.uniform(k, "tie_dispute")))
    assert fused.size and not busy[a[fused]].any() and not busy[b[fused]].any()
    total, opened = rng.random(n) * 3, rng.random(n) * 0.5
    disorder, building = rng.random(40), rng.integers(0, 40, n)
    fused = need_onsets(total, opened, disorder, building, 0.5, np.uint64(s.base("onset")))
    assert fused.size and np.array_equal(fused, need_onsets_numpy(total, opened, disorder, building, 0.5,
                                                                  lambda k: s.uniform(k, "onset")))


def test_an_event_test_that_skips_expm1_decides_as_expm1_does():
    """``occurs`` evaluates expm1 only for draws below the hazard; the answer is the compiled
    ``u < -expm1(-h)`` (the kernels' own expm1, which can differ from numpy's in the last bit)
    for every u, at the edges too (draws at and around the boundary)."""
    import math

    import numba

    from simgov.kernels.events import occurs

    @numba.njit
    def plain(u, h):
        return u < -math.expm1(-h)

    rng = np.random.default_rng(6)
    hazards = np.concatenate([[0.0, -1e-17, 1e-300, 1e-12, 0.5, 1.0, 30.0, 800.0, np.inf, np.nan],
                              rng.random(300) ** 4 * 3])
    for h in hazards:
        edge = -np.expm1(-h)
        us = np.concatenate([rng.random(20), [0.0, edge, np.nextafter(edge, 0), np.nextafter(edge, 1), h,
                                               np.nextafter(h, 0), np.nextafter(h, 2)]])
        for u in us[np.isfinite(us) & (us >= 0) & (us < 1)]:
            assert occurs(float(u), float(h)) == plain(float(u), float(h)), (u, h)


def test_the_need_reductions_equal_numpy():
    from simgov.kernels.residents import any_need, any_unknown_need

    rng = np.random.default_rng(5)
    needs = np.where(rng.random((6, 2_000)) < 0.05, rng.random((6, 2_000)), 0.0)
    known = rng.random((6, 2_000)) < 0.5
    assert np.array_equal(any_need(needs), (needs > 0).any(axis=0))
    assert np.array_equal(any_unknown_need(needs, known), ((needs > 0) & ~known).any(axis=0))


def _network(n: int = 2_000, ties: int = 7_000, seed: int = 6):
    """A random signed network with lapsed (0) and hostile (< 0) ties among the friendly ones."""
    from simgov.community.state import SocialNetwork

    rng = np.random.default_rng(seed)
    u, v = rng.integers(0, n, ties), rng.integers(0, n, ties)
    ok = u != v
    keys = np.unique(np.minimum(u, v)[ok] * n + np.maximum(u, v)[ok])
    weight = rng.choice([0.5, 0.3, 0.0, -0.3], keys.size, p=[0.6, 0.2, 0.1, 0.1])
    return SocialNetwork(n, keys // n, keys % n, weight, rng.integers(0, 4, keys.size))


def test_the_friendly_csr_holds_exactly_the_friendly_ties_of_each_row():
    net = _network()
    indptr, indices = net.friendly_csr()
    full = net.friendly_binary()
    for i in range(0, net.n, 97):
        row = full.indices[full.indptr[i]:full.indptr[i + 1]][full.data[full.indptr[i]:full.indptr[i + 1]] > 0]
        assert np.array_equal(indices[indptr[i]:indptr[i + 1]].astype(np.int64), row)
    assert indptr[-1] == int((net.weight > 0).sum()) * 2


@pytest.mark.parametrize("with_lever", [False, True])
def test_joining_and_leaving_in_one_pass_equal_the_sparse_products(with_lever):
    from simgov.kernels.participation import join_and_leave, join_and_leave_numpy

    rng = np.random.default_rng(7)
    net = _network()
    n = net.n
    active, inviter, core, resting, members = (rng.random(n) < p for p in (0.3, 0.1, 0.3, 0.05, 0.05))
    threshold, belonging = rng.random(n), rng.random(n)
    invited = np.where(rng.random(n) < 0.2, rng.random(n), 0.0) if with_lever else None
    s = _stream(3)
    indptr, indices = net.friendly_csr()
    fused = join_and_leave(indptr, indices, active, inviter, core, resting, members, threshold, 0.1,
                           invited if with_lever else np.empty(0), 0.05, 2, 0.4, np.uint64(s.base("join")),
                           0.07, belonging, np.uint64(s.base("leave")))
    reference = join_and_leave_numpy(net.friendly_binary(), active, inviter, core, resting, members, threshold,
                                     0.1, invited, 0.05, 2, 0.4, 0.07, belonging, s.select)
    assert fused[0].size and fused[1].size
    assert all(np.array_equal(f, r) for f, r in zip(fused, reference, strict=True))
    threaded = join_and_leave(indptr, indices, active, inviter, core, resting, members, threshold, 0.1,
                              invited if with_lever else np.empty(0), 0.05, 2, 0.4, np.uint64(s.base("join")),
                              0.07, belonging, np.uint64(s.base("leave")), threads=3)
    assert all(np.array_equal(f, t) for f, t in zip(fused, threaded, strict=True))


@pytest.mark.parametrize("hours", [0.0, 300.0])
def test_volunteering_in_one_pass_equals_the_numpy_rule(hours):
    from simgov.kernels.participation import volunteering, volunteering_numpy

    rng = np.random.default_rng(8)
    n = 3_000
    active, volunteer, resting = rng.random(n) < 0.4, rng.random(n) < 0.1, rng.random(n) < 0.02
    belonging, fatigue = rng.random(n), np.where(rng.random(n) < 0.3, rng.random(n) * 1.2, 0.0)
    resting_until = np.where(resting, 20, -1).astype(np.int32)
    s = _stream(10)
    state = [a.copy() for a in (active, volunteer, resting_until, fatigue)]
    on = volunteering(state[0], state[1], belonging, resting, state[2], state[3], 10, 0.2, 0.05, 2.0,
                      np.uint64(s.base("volunteer")), np.uint64(s.base("quit")), hours, 40.0,
                      np.uint64(s.base("strain")), 0.1, 12, 0.6)
    ref = [a.copy() for a in (active, volunteer, resting_until, fatigue)]
    on_ref = volunteering_numpy(ref[0], ref[1], belonging, resting, ref[2], ref[3], 10, 0.2, 0.05, 2.0, hours,
                                40.0, 0.1, 12, 0.6, s)
    assert on == on_ref > 0
    assert all(np.array_equal(a, b) for a, b in zip(state, ref, strict=True))
    assert not np.array_equal(state[1], volunteer)  # some joined or quit


def test_outreach_reports_and_visits_equal_the_numpy_rule():
    from simgov.kernels.outreach import find_needs, report, report_numpy, routine_visits

    rng = np.random.default_rng(9)
    net = _network()
    n, types = net.n, 5
    needs = np.where(rng.random((types, n)) < 0.1, rng.random((types, n)).astype(np.float32), 0).astype(np.float32)
    known = rng.random((types, n)) < 0.3
    reach = np.where(known, np.uint8(1), np.uint8(0))
    volunteer, party = rng.random(n) < 0.1, rng.random(n) < 0.05
    outside, trust = np.floor(rng.random(n) * 3), rng.random(n)
    holders = np.flatnonzero(((needs > 0) & ~known).any(axis=0))
    bits = np.array([1, 8, 16], np.uint8)
    s = _stream(4)
    k_needs, k_known, k_reach = needs.copy(), known.copy(), reach.copy()
    indptr, indices = net.friendly_csr()
    found = report(holders, indptr, indices, volunteer, party, outside, trust, 0.3, 0.2, 0.1,
                   np.uint64(s.base("report")), np.uint64(s.base("channel")), bits, k_needs, k_known, k_reach)
    friendly = net.friendly_binary()
    links = np.column_stack([friendly @ volunteer.astype(float), friendly @ (party & ~volunteer).astype(float)])
    who, route = report_numpy(holders, links, outside, trust, 0.3, 0.2, 0.1, s.uniform)
    assert found == who.size > 0 and set(np.unique(route)) == {0, 1, 2}
    for j in range(3):
        find_needs(who[route == j], bits[j], needs, known, reach)
    assert np.array_equal(k_known, known) and np.array_equal(k_reach, reach)
    # routine visits: households of consecutive residents, one keyed draw each
    household = np.sort(rng.integers(0, 700, n))
    starts = np.searchsorted(household, np.arange(household[-1] + 2))
    visited = routine_visits(starts, 0.2, np.uint64(s.base("routine")), np.uint8(1), k_needs, k_known, k_reach)
    hit = np.flatnonzero(s.uniform(np.arange(starts.size - 1), "routine") < 0.2)
    members = np.flatnonzero(np.isin(household, hit))
    find_needs(members, np.uint8(1), needs, known, reach)
    assert visited == hit.size and np.array_equal(k_known, known) and np.array_equal(k_reach, reach)


def test_the_poisson_quantile_by_summed_terms_equals_scipy():
    from scipy import stats

    from simgov.kernels.draws import POISSON_SUM_MAX, poisson_quantile

    rng = np.random.default_rng(10)
    q, mu = rng.random(20_000), rng.random(20_000) * 8
    mu[:100] = 0.0
    mu[100:110] = POISSON_SUM_MAX + 5
    out = poisson_quantile(q, mu)
    assert (out[100:110] == -1).all()
    ok = out >= 0
    assert np.array_equal(out[ok], np.where(mu[ok] > 0, stats.poisson.ppf(q[ok], mu[ok]), 0).astype(np.int64))


def test_the_merged_splice_equals_numpy_insert():
    from simgov.kernels.network import splice

    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(0, 10**6, 5_000))
    new = np.setdiff1d(np.unique(rng.integers(0, 10**6, 300)), keys)
    idx, emap = rng.integers(0, 999, keys.size).astype(np.int32), np.arange(keys.size)
    new_idx, new_emap = rng.integers(0, 999, new.size).astype(np.int32), np.arange(new.size) + keys.size
    at = np.searchsorted(keys, new)
    out = splice(keys, idx, emap, new, new_idx, new_emap)
    ref = np.insert(keys, at, new), np.insert(idx, at, new_idx), np.insert(emap, at, new_emap)
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(out, ref, strict=True))


def test_unique_first_equals_numpy_unique_with_index():
    from simgov.arrays import unique_first

    x = np.random.default_rng(12).integers(0, 50, 400).astype(np.uint64)
    values, first = unique_first(x)
    ref_values, ref_first = np.unique(x, return_index=True)
    assert np.array_equal(values, ref_values) and np.array_equal(first, ref_first)


def test_the_weekly_counts_equal_numpy():
    from simgov.kernels.residents import weekly_counts

    rng = np.random.default_rng(13)
    n = 2_500
    needs = np.where(rng.random((6, n)) < 0.05, rng.random((6, n)), 0.0).astype(np.float32)
    known = rng.random((6, n)) < 0.5
    active, volunteer, vulnerable = (rng.random(n) < p for p in (0.2, 0.05, 0.3))
    outside = np.floor(rng.random(n) * 3)
    unmet = (needs > 0).any(axis=0)
    expected = [active.sum(), volunteer.sum(), (outside == 0).sum(), unmet.sum(), (unmet & vulnerable).sum(),
                ((needs > 0) & ~known).any(axis=0).sum()]
    assert weekly_counts(active, volunteer, vulnerable, outside, needs, known).tolist() == expected


@pytest.mark.parametrize("parts", [
    (np.array([5, 7]), np.array([9, 12]), np.array([1, -1], np.int32), 1, 300),
    (3,), (np.arange(10), 2**64 - 5, -3), (np.arange(6).reshape(2, 3), np.array([1, 2, 3])),
    (np.array([-4, 5]), np.int8(-3)), (np.array([True, False]), 7), (np.empty(0, np.int64), 3),
    (np.array([4]), np.array([1, 2, 3])), (np.uint64(2**63 + 1), np.arange(3, dtype=np.uint32))])
def test_combined_keys_equal_the_numpy_path(parts):
    from simgov.streams import _combine_numpy, combine

    fused, reference = combine(*parts), _combine_numpy(*parts)
    assert fused.shape == reference.shape and fused.dtype == np.uint64 and np.array_equal(fused, reference)


def test_dropping_entries_in_one_pass_equals_boolean_indexing():
    from simgov.kernels.network import compress_ties, drop_entries

    net = _network()
    indptr, indices, emap = net.structure()
    keys = net._structure[3]
    keep = np.random.default_rng(14).random(net.edges) < 0.9
    renumber = np.cumsum(keep) - 1
    out = drop_entries(keys, indices, emap, keep, renumber)
    entry_keep = keep[emap]
    ref = keys[entry_keep], indices[entry_keep], renumber[emap[entry_keep]].astype(emap.dtype)  # emap's own type
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(out, ref, strict=True))
    renumbered = np.empty(net.edges, np.int32)
    out = compress_ties(keep, net.u, net.v, net.weight, net.kind, renumbered)
    ref = net.u[keep], net.v[keep], net.weight[keep], net.kind[keep]
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(out, ref, strict=True))
    assert np.array_equal(renumbered, renumber)
    out = drop_entries(keys, indices, emap, keep, renumbered)  # int32 tie numbers read the same
    ref = keys[entry_keep], indices[entry_keep], renumber[emap[entry_keep]].astype(emap.dtype)  # emap's own type
    assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(out, ref, strict=True))


def test_queued_ties_are_added_as_batch_after_batch_of_add_ties():
    """One splice for every queued batch gives the ties (and their numbering) that adding each
    (weight, kind) batch in turn gives: existing pairs and pairs of an earlier batch left alone."""
    import copy

    rng = np.random.default_rng(15)
    net = _network(n=500, ties=1_500)
    net.structure()
    existing = (net.u[:20], net.v[:20])
    batches = [(rng.integers(0, 500, 60), rng.integers(0, 500, 60), 0.3, 4),
               (rng.integers(0, 500, 40), rng.integers(0, 500, 40), 0.4, 3),
               (np.r_[existing[1], rng.integers(0, 500, 30)], np.r_[existing[0], rng.integers(0, 500, 30)], 0.3, 4),
               (rng.integers(0, 500, 25), rng.integers(0, 500, 25), -0.3, 1)]
    batches.append((batches[0][0][:10], batches[0][1][:10], 0.5, 1))  # pairs queued before under another kind
    reference, before = copy.deepcopy(net), net.edges
    for u, v, w, kind in batches:
        ok = u != v
        net.queue_ties(u[ok], v[ok], w, kind)
    net.consolidate(-0.3, 1, 0)
    groups: dict = {}
    for u, v, w, kind in batches:
        ok = u != v
        groups.setdefault((w, kind), []).append((u[ok], v[ok]))
    for (w, kind), parts in groups.items():
        reference.add_ties(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), w, kind)
    for name in ("u", "v", "weight", "kind"):
        assert np.array_equal(getattr(net, name), getattr(reference, name)), name
    assert all(np.array_equal(a, b) for a, b in zip(net.structure(), reference.structure(), strict=True))
    assert net.edges > before


def _book(rows: int = 600, n: int = 1_000, seed: int = 16) -> dict:
    from simgov.kernels.disputes import OPEN

    rng = np.random.default_rng(seed)
    return {"party_a": rng.integers(0, n, rows).astype(np.int32), "party_b": rng.integers(0, n, rows).astype(np.int32),
            "stage": rng.integers(1, 4, rows).astype(np.int8), "building": rng.integers(0, 30, rows).astype(np.int32),
            "closed": np.where(rng.random(rows) < 0.2, OPEN, rng.integers(0, 60, rows)).astype(np.int32),
            "key": rng.integers(0, 2**62, rows).astype(np.uint64),
            "relapse_factor": np.where(rng.random(rows) < 0.5, 1.0, 0.6).astype(np.float32),
            "relapses": np.zeros(rows, np.int16), "mediated": rng.random(rows) < 0.3,
            "tried_stage": rng.integers(0, 3, rows).astype(np.int8),
            "property_tried": rng.integers(0, 3, rows).astype(np.int8)}


def test_the_disputes_passes_equal_their_numpy_references():
    import copy

    from simgov.kernels import disputes as k

    rng = np.random.default_rng(17)
    s, week, n = _stream(50), 50, 1_000
    book, ref = _book(), None
    ref = copy.deepcopy(book)
    rows = np.flatnonzero(book["closed"] == k.OPEN)
    handled = rng.random(rows.size) < 0.2
    r_p, e_p = np.array([0.0, 0.3, 0.2, 0.1]), np.array([0.0, 0.3, 0.2, 0.0])
    fused = k.course(rows, handled, book["stage"], book["key"], book["closed"], week, np.uint64(s.base("course")),
                     r_p, e_p, np.uint64(s.base("hostile")), 0.5)
    reference = k.course_numpy(rows, handled, ref["stage"], ref["key"], ref["closed"], week, r_p, e_p, 0.5,
                               s.uniform)
    assert fused[0] == reference[0] > 0 and fused[1].size > 0
    assert all(np.array_equal(a, b) for a, b in zip(fused[1:], reference[1:], strict=True))
    busy = k.busy_parties(n, book["party_a"], book["party_b"], book["closed"])
    expected = np.zeros(n, bool)
    still = ref["closed"] == k.OPEN
    expected[ref["party_a"][still]] = expected[ref["party_b"][still]] = True
    assert np.array_equal(busy, expected)
    names = ("party_a", "party_b", "closed", "key", "relapse_factor", "relapses", "mediated", "tried_stage",
             "property_tried")
    back = k.relapse(busy, *(book[f] for f in names), week, 26, 0.3, np.uint64(s.base("relapse")))
    ref_busy = expected.copy()
    assert back == k.relapse_numpy(ref_busy, *(ref[f] for f in names), week, 26, 0.3, s.uniform) > 0
    assert np.array_equal(busy, ref_busy)
    grievance, trust, building = rng.random(n), rng.random(n), rng.integers(0, 30, n)
    g_ref, t_ref = grievance.copy(), trust.copy()
    for relief in (0.0, 0.1):
        args = (building, 30, book["party_a"], book["party_b"], book["stage"], book["building"], book["closed"],
                0.97, relief, 0.98, 0.05, 0.01)
        k.consequences(grievance, trust, *args)
        k.consequences_numpy(g_ref, t_ref, *args)
        assert np.array_equal(grievance, g_ref) and np.array_equal(trust, t_ref)
    for field in book:
        assert np.array_equal(book[field], ref[field]), field


def test_the_needs_course_in_one_pass_equals_numpy():
    from simgov.kernels.events import needs_course, needs_course_numpy

    rng = np.random.default_rng(18)
    types, n = 7, 3_000
    needs = np.where(rng.random((types, n)) < 0.08, rng.random((types, n)), 0.0).astype(np.float32)
    known = rng.random((types, n)) < 0.4
    reach = np.where(known, np.uint8(3), np.uint8(0))
    rates = rng.random((types, n)) * 0.2
    s = _stream(21)
    ref = [needs.copy(), known.copy(), reach.copy()]
    fused = needs_course(needs, known, reach, 0.2, np.uint64(s.base("passes")), 0.03, rates)
    expected = needs_course_numpy(*ref, 0.2, 0.03, rates, lambda k: s.uniform(k, "passes"))
    assert np.array_equal(fused, expected) and np.array_equal(needs, ref[0])
    assert np.array_equal(known, ref[1]) and np.array_equal(reach, ref[2]) and (ref[0] == 0).sum() > 0


def test_the_clustering_pass_equals_the_sparse_products():
    from types import SimpleNamespace

    from simgov.metrics import clustering, clustering_numpy

    state = SimpleNamespace(network=_network(n=1_500, ties=9_000))
    assert clustering(state) == clustering_numpy(state) > 0


def test_sharing_needs_in_one_pass_equals_numpy():
    from simgov.kernels.residents import share_needs, share_needs_numpy

    rng = np.random.default_rng(19)
    known = rng.random((6, 2_000)) < 0.3
    reach = np.where(known, rng.choice(np.array([0, 1, 2, 3, 31], np.uint8), (6, 2_000)), 0).astype(np.uint8)
    s = _stream(8)
    ref = reach.copy()
    share_needs(known, reach, np.uint8(31), 0.4, np.uint64(s.base("list")), np.uint8(2), np.uint8(12), 0.5,
                np.uint64(s.base("coordinate")))
    share_needs_numpy(known, ref, np.uint8(31), 0.4, np.uint8(2), np.uint8(12), 0.5, s.uniform)
    assert np.array_equal(reach, ref) and ((reach & 12) == 12).any()


def test_the_performance_judgement_in_one_pass_equals_numpy():
    import copy

    from simgov.dynamics import performance
    from simgov.model import CommunityModel

    model = CommunityModel("teaching-estate", weeks=2)
    state = model.state
    state.residents.need_known[:] = state.residents.needs > 0  # every open need known and unmet
    assert len(state.disputes) and state.residents.need_known.any()
    params = performance.Params(patience_weeks=0)
    other = copy.deepcopy(state)
    performance.step(state, params, None)
    performance.step_numpy(other, params)
    assert np.array_equal(state.residents.trust_committee, other.residents.trust_committee)


def test_the_threaded_influence_pass_equals_the_serial_one():
    from simgov.kernels.network import influence, unsigned

    net = _network(n=5_000, ties=30_000)
    pos, inverse, has, hostile = net.influence_operators()
    rng = np.random.default_rng(20)
    args = (rng.random(net.n) * 0.05, 0.02)
    t, t0, b, b0 = (rng.random(net.n) for _ in range(4))
    t2, b2 = t.copy(), b.copy()
    influence(pos.indptr, unsigned(pos.indices), pos.data, inverse, has, *args, t, t0, 0.05, b, b0, 0.03)
    influence(pos.indptr, unsigned(pos.indices), pos.data, inverse, has, *args, t2, t0, 0.05, b2, b0, 0.03,
              threads=3)
    assert np.array_equal(t, t2) and np.array_equal(b, b2)


def test_friends_are_the_ends_of_friendly_ties_only():
    net = _network(n=300, ties=900)
    friendly = net.weight > 0
    for i in (0, 7, 150):
        expected = np.sort(np.r_[net.v[friendly & (net.u == i)], net.u[friendly & (net.v == i)]])
        assert np.array_equal(np.sort(net.friends(i)), expected)
        hostile_or_lapsed = np.r_[net.v[~friendly & (net.u == i)], net.u[~friendly & (net.v == i)]]
        assert not np.isin(hostile_or_lapsed, net.friends(i)).any()
    assert np.array_equal(net.friends([7, 150]), np.r_[net.friends(7), net.friends(150)])


def test_the_influence_operators_in_one_pass_equal_the_sparse_products():
    import scipy.sparse as sp

    from simgov.kernels.network import influence_weights

    net = _network()
    indptr, indices, emap = net.structure()
    pos, inverse, has, hostile = influence_weights(indptr, emap, net.weight)
    w = net.weight[emap]
    ones = np.ones(net.n)
    pos_sum = sp.csr_array((np.maximum(w, 0.0), indices, indptr), shape=(net.n, net.n)) @ ones
    total = sp.csr_array((np.abs(w), indices, indptr), shape=(net.n, net.n)) @ ones
    assert np.array_equal(pos, np.maximum(w, 0.0))
    assert np.array_equal(inverse, np.divide(1.0, pos_sum, out=np.zeros(net.n), where=pos_sum > 0))
    assert np.array_equal(has, (pos_sum > 0).astype(float))
    assert np.array_equal(hostile, np.divide(total - pos_sum, total, out=np.zeros(net.n), where=total > 0))
    assert (hostile > 0).any()


def test_friends_outside_the_household_counted_in_one_pass_equal_bincounts():
    net = _network()
    outside = (net.weight > 0) & (net.kind != 0)
    expected = np.bincount(net.u[outside], minlength=net.n) + np.bincount(net.v[outside], minlength=net.n)
    assert np.array_equal(net.friends_outside_household(), expected.astype(float)) and expected.sum() > 0


def test_known_needs_and_the_first_eligible_cases_equal_numpy():
    from simgov.kernels.residents import first_eligible, known_needs

    rng = np.random.default_rng(22)
    needs = np.where(rng.random((6, 1_000)) < 0.1, rng.random((6, 1_000)), 0.0).astype(np.float32)
    known = rng.random((6, 1_000)) < 0.5
    cand = known_needs(needs, known)
    assert np.array_equal(cand, np.flatnonzero(known.ravel() & (needs.ravel() > 0)))
    taken, reach = rng.random(cand.size) < 0.3, rng.integers(0, 32, cand.size).astype(np.uint8)
    kind, serves = cand // 1_000, np.array([True, False, True, True, False, True])
    for cases in (0, 5, 10_000):
        expected = np.flatnonzero(~taken & ((reach & np.uint8(4)) != 0) & serves[kind])[:cases]
        assert np.array_equal(first_eligible(taken, reach, np.uint8(4), serves, kind, cases), expected)


def test_roles_and_taking_part_equal_their_numpy_references():
    from simgov.dynamics.participation import is_core
    from simgov.kernels.participation import roles, take_part
    from simgov.vocabulary import ELDERLY

    rng = np.random.default_rng(8)
    n = 2_000
    party, volunteer, members, resting = (rng.random(n) < q for q in (0.1, 0.05, 0.08, 0.03))
    stage = rng.integers(0, 5, n).astype(np.int8)
    inviter, core = roles(party, volunteer, stage, members, ELDERLY)
    assert np.array_equal(inviter, party | members) and np.array_equal(core, is_core(party, volunteer, stage))
    active = rng.random(n) < 0.3
    join = np.flatnonzero(~active & (rng.random(n) < 0.1))
    leave = np.flatnonzero(active & ~members & (rng.random(n) < 0.1))
    reference = active.copy()
    reference[join] = True
    reference |= members
    reference[leave] = False
    reference &= ~resting
    participants = take_part(active, join, leave, members, resting)
    assert np.array_equal(active, reference) and np.array_equal(participants, np.flatnonzero(reference))


def test_newcomers_further_ties_equal_their_numpy_reference():
    from simgov.dynamics import turnover
    from simgov.model import CommunityModel
    from tests.conftest import keyed

    model = CommunityModel("teaching-estate", weeks=4)
    state = model.state
    rule = state.newcomers
    who = np.arange(0, state.residents.n, 3)  # a third of the residents, as if they had just moved in
    queued = []
    for further in (turnover._further_ties, turnover._further_ties_numpy):
        state.network._queued_ties = []
        further(state, rule, turnover.Params(settling=1.0), who, keyed(3, state))
        queued.append(state.network._queued_ties)
    fused, reference = queued
    assert len(fused) == len(reference) == 2  # building and acquaintance ties
    for (u, v, w, k), (u0, v0, w0, k0) in zip(fused, reference, strict=True):
        assert u.size and np.array_equal(u, u0) and np.array_equal(v, v0) and (w, k) == (w0, k0)


def test_the_book_counts_equal_numpy():
    from simgov.kernels.disputes import OPEN, book_counts

    rng = np.random.default_rng(9)
    rows, week = 800, 300
    stage = rng.integers(1, 4, rows).astype(np.int8)
    opened = rng.integers(0, week + 1, rows).astype(np.int32)
    closed = np.where(rng.random(rows) < 0.3, OPEN, opened + 3).astype(np.int32)
    is_open, recent = closed == OPEN, opened > week - 52
    expected = [is_open.sum(), ((stage == 3) & is_open).sum(), recent.sum(), (recent & ~is_open).sum(),
                (stage == 3).sum()]
    assert book_counts(stage, opened, closed, week).tolist() == expected


def test_new_need_types_equal_their_numpy_reference():
    from simgov.kernels.events import need_types, need_types_numpy

    rng = np.random.default_rng(10)
    types, n = 7, 3_000
    rates = rng.random((types, n)) * (rng.random((types, n)) < 0.8)  # some types not open to some residents
    needs = (rng.random((types, n)) < 0.2).astype(np.float32) * 0.5  # open needs are not drawn again
    hit = np.sort(rng.choice(n, 400, replace=False))
    u = rng.random(hit.size)
    kind = need_types(rates, needs, hit, u)
    assert np.array_equal(kind, need_types_numpy(rates, needs, hit, u))
    drawable = (rates[:, hit] * (needs[:, hit] == 0)).sum(axis=0) > 0
    assert drawable.any() and (kind[drawable] < types).all()
    assert not (needs[kind[drawable], hit[drawable]] > 0).any()  # never a type already open
    assert (rates[kind[drawable], hit[drawable]] > 0).all()  # nor one the resident cannot have


def test_the_threaded_passes_over_residents_ties_and_needs_equal_the_serial_ones():
    """Each pass split over threads (simgov.kernels.threads) gives exactly the serial pass's
    result: the same positions in order, the same arrays, the same counts."""
    from simgov.kernels.events import need_onsets, needs_course, tie_disputes
    from simgov.kernels.network import influence_weights
    from simgov.kernels.residents import any_need, any_unknown_need, judge_performance, share_needs, weekly_counts

    rng = np.random.default_rng(21)
    n, types = 5_000, 7
    needs = np.where(rng.random((types, n)) < 0.1, rng.random((types, n)), 0.0).astype(np.float32)
    known = rng.random((types, n)) < 0.5
    reach = rng.integers(0, 16, (types, n)).astype(np.uint8)
    rates = rng.random((types, n)) * 0.1
    s = _stream(9)
    for threads in (2, 3):
        assert np.array_equal(any_need(needs), any_need(needs, threads))
        assert np.array_equal(any_unknown_need(needs, known), any_unknown_need(needs, known, threads))
        flags = [rng.random(n) < p for p in (0.3, 0.1, 0.2)]
        outside = rng.integers(0, 3, n).astype(np.float64)
        assert np.array_equal(weekly_counts(*flags, outside, needs, known),
                              weekly_counts(*flags, outside, needs, known, threads))
        base_total, open_rate = rng.random(n) * 2, rng.random(n) * 0.5
        disorder, building = rng.random(50), rng.integers(0, 50, n)
        onsets = need_onsets(base_total, open_rate, disorder, building, 1.0, np.uint64(s.base("onset")))
        assert onsets.size and np.array_equal(onsets, need_onsets(base_total, open_rate, disorder, building, 1.0,
                                                                  np.uint64(s.base("onset")), threads))
        courses = []
        for k in (1, threads):
            arrays = needs.copy(), known.copy(), reach.copy()
            rate = needs_course(*arrays, 0.2, np.uint64(s.base("passes")), 0.03, rates, threads=k)
            courses.append((rate, *arrays))
        assert all(np.array_equal(a, b) for a, b in zip(*courses, strict=True))
        shared = []
        for k in (1, threads):
            r = reach.copy()
            share_needs(known, r, np.uint8(128), 0.3, np.uint64(s.base("list")), np.uint8(2), np.uint8(64), 0.4,
                        np.uint64(s.base("coordinate")), threads=k)
            shared.append(r)
        assert np.array_equal(*shared)
        trust, lingering = rng.random(n), rng.random(n) < 0.05
        judged = [trust.copy(), trust.copy()]
        for k, out in zip((1, threads), judged, strict=True):
            judge_performance(out, np.full(n, 0.5), needs, known, lingering, 0.01, 0.02, 0.03, threads=k)
        assert not np.array_equal(judged[0], trust) and np.array_equal(*judged)
    net = _network(n=5_000, ties=30_000)
    indptr, _, emap = net.structure()
    assert all(np.array_equal(a, b) for a, b in zip(influence_weights(indptr, emap, net.weight),
                                                    influence_weights(indptr, emap, net.weight, threads=3),
                                                    strict=True))
    a, b = net.u.astype(np.int64), net.v.astype(np.int64)
    static, keys = rng.random(a.size) * 3, np.minimum(a, b) * net.n + np.maximum(a, b)
    grievance, busy = rng.random(net.n), rng.random(net.n) < 0.05
    hits = tie_disputes(a, b, static, keys, grievance, busy, 0.75, 0.05, np.uint64(s.base("tie")))
    assert hits.size and np.array_equal(hits, tie_disputes(a, b, static, keys, grievance, busy, 0.75, 0.05,
                                                           np.uint64(s.base("tie")), threads=3))
