"""A local Dask cluster's worker processes exit when the process that owns it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip("distributed")


def _descendants(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    out = []
    for child in map(int, found):
        out += [child, *_descendants(child)]
    return out


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def test_dask_workers_exit_when_their_owner_is_killed():
    code = textwrap.dedent("""
        import time
        from simgov.experiment.executors import Dask
        pool = Dask(2, None)
        print("ready", flush=True)
        time.sleep(120)
    """)
    owner = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    workers: list[int] = []
    try:
        assert owner.stdout.readline().strip() == "ready"
        workers = _descendants(owner.pid)
        assert workers
        os.kill(owner.pid, signal.SIGKILL)
        owner.wait()
        deadline = time.time() + 30
        while any(map(_running, workers)) and time.time() < deadline:
            time.sleep(0.5)
        assert not any(map(_running, workers))
    finally:
        owner.kill()
        for pid in filter(_running, workers):  # never leave one behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
