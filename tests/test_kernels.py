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
