"""Random streams: one seed fixes a run; each part of the model draws from its own stream.

A stream is named (``"community"``, ``"network"``, ``"influence"``, a policy's name ...)
and derived from the run seed and a stable hash of the name, so that adding, removing or
reordering one part never changes the draws of another. Arms of a comparison that share
a replicate seed therefore share every stream they have in common (common random numbers).

Replicate seeds are derived from the scenario seed and the replicate number in the same
way, so replicate i of any arm, on any machine and executor, uses the same seed, and a run
can be repeated from the seed recorded with it alone.
"""

from __future__ import annotations

import zlib

import numpy as np

_REPLICATE_KEY = zlib.crc32(b"replicate")


def _key(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def replicate_seed(scenario_seed: int, replicate: int) -> int:
    """The seed of replicate ``replicate`` (0-based) of a scenario with ``scenario_seed``."""
    ss = np.random.SeedSequence(scenario_seed, spawn_key=(_REPLICATE_KEY, replicate))
    return int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))  # 63 bits: fits int64 columns


class Streams:
    """Named, independent random generators of one run."""

    def __init__(self, seed: int):
        self.seed = seed
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._streams.get(name)
        if gen is None:
            gen = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(_key(name),)))
            self._streams[name] = gen
        return gen
