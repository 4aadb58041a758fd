"""SIMGOV_WARMUP_MAX_BYTES sets the warm-up snapshot cache's size in every process that imports
simgov (benchmarks/bench_workloads.py turns snapshots off in worker processes with it)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _max_bytes(value: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != "SIMGOV_WARMUP_MAX_BYTES"}
    env["PYTHONPATH"] = str(ROOT)
    if value is not None:
        env["SIMGOV_WARMUP_MAX_BYTES"] = value
    out = subprocess.run([sys.executable, "-c", "from simgov.warmup import WARMUPS; print(WARMUPS.max_bytes)"],
                         env=env, capture_output=True, text=True, check=True).stdout
    return int(out)


def test_the_environment_sets_the_snapshot_cache_size():
    assert _max_bytes("0") == 0
    assert _max_bytes(str(2**20)) == 2**20
    assert _max_bytes(None) == 512 * 2**20  # unset: the default
