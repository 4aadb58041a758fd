"""Warm-up once: a snapshot of the warmed-up community, restored for every run that shares it.

Every arm of a comparison, and every point of a sweep or calibration whose factors touch only
policies or run settings, starts from the same warmed-up community for a given seed: the
warm-up (synthesis, then ``warmup_weeks`` unrecorded weeks with the scenario's own
parameters and no policies) depends on the scenario's ``community``, ``actors``, ``network``,
``parameters`` and ``warmup_weeks`` and on the seed, and on nothing else. ``warmup_key``
hashes exactly those, so a factor that changes the warm-up gets its own snapshot.

The snapshot is the pickled model (its state, actors and random streams) taken before the
arm is set up; ``restore`` unpickles a fresh copy for each run, so runs never share state,
and a restored run is number for number the run a cold start gives (tests/test_warmup.py).
The cache lives in the process (worker processes each keep their own) and holds at most
``max_bytes`` of snapshots, dropping the least recently used.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simgov.scenario import Scenario

#: What the warm-up reads of a scenario (simgov.model.CommunityModel._warm_up).
WARMUP_INPUTS = ("community", "actors", "network", "parameters", "warmup_weeks")
#: Snapshots kept per process: about 4 MiB each for B community (6,221 residents). The
#: environment variable SIMGOV_WARMUP_MAX_BYTES overrides it (0: no snapshots, every run warms
#: up cold), in worker processes too: benchmarks/bench_workloads.py times the "before" that way.
DEFAULT_MAX_BYTES = int(os.environ.get("SIMGOV_WARMUP_MAX_BYTES", 512 * 2**20))


def warmup_key(scenario: Scenario, seed: int) -> str:
    """A digest of everything the warm-up depends on: the scenario's WARMUP_INPUTS and the seed."""
    data = scenario.model_dump(mode="json", include=set(WARMUP_INPUTS))
    text = json.dumps({"seed": int(seed), **data}, sort_keys=True, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class WarmupCache:
    """Pickled warmed-up models by ``warmup_key``, least recently used dropped beyond ``max_bytes``."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._blobs: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def restore(self, key: str):
        """A fresh copy of the warmed-up model kept under ``key``, or None."""
        blob = self._blobs.get(key)
        if blob is None:
            self.misses += 1
            return None
        self._blobs.move_to_end(key)
        self.hits += 1
        return pickle.loads(blob)

    def keep(self, key: str, model) -> None:
        """Keep a snapshot of ``model`` (warmed up, before its arm is set up)."""
        if self.max_bytes <= 0:
            return
        blob = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > self.max_bytes:
            return
        self._blobs[key] = blob
        self._blobs.move_to_end(key)
        while sum(len(b) for b in self._blobs.values()) > self.max_bytes:
            self._blobs.popitem(last=False)

    def clear(self) -> None:
        self._blobs.clear()

    def __len__(self) -> int:
        return len(self._blobs)


#: The process's own cache, used by ``CommunityModel.started`` and so by every run.
WARMUPS = WarmupCache()
