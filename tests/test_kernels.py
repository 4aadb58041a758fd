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


def test_the_need_reductions_equal_numpy():
    from simgov.kernels.residents import any_need, any_unknown_need

    rng = np.random.default_rng(5)
    needs = np.where(rng.random((6, 2_000)) < 0.05, rng.random((6, 2_000)), 0.0)
    known = rng.random((6, 2_000)) < 0.5
    assert np.array_equal(any_need(needs), (needs > 0).any(axis=0))
    assert np.array_equal(any_unknown_need(needs, known), ((needs > 0) & ~known).any(axis=0))
