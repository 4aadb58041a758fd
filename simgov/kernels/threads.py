"""The second core in one big run: a pass over the residents split into contiguous chunks,
each run by a compiled kernel that releases the GIL (``nogil=True``) on its own thread.

Why threads over chunks rather than numba's ``parallel=True``: the same serial kernel serves
both (no second copy of a rule to keep equal), the chunks' results are joined in resident
order, so a threaded pass gives exactly the serial pass's result, and numba's threading layer
is left alone. A pass is split only in a big community (``PARALLEL_MIN_RESIDENTS``): below it
a chunk is too short for a thread's hand-over to pay. Workers of a process pool, which run
many runs side by side, set their threads to one (``set_threads``).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

#: Residents from which a run splits its heaviest passes over threads (benchmarks/bench_week.py).
PARALLEL_MIN_RESIDENTS = 200_000

_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
_pool: ThreadPoolExecutor | None = None


def set_threads(k: int) -> None:
    """Threads a big run's passes may use from now on in this process (1: none besides the caller's)."""
    global _threads
    _threads = max(1, int(k))


def threads_for(n: int) -> int:
    """Threads a pass over ``n`` residents should use."""
    return _threads if n >= PARALLEL_MIN_RESIDENTS else 1


def in_chunks(fn, n: int, threads: int) -> list:
    """``fn(lo, hi)`` over ``threads`` contiguous chunks of ``range(n)``, in order (on the
    caller's thread alone when ``threads`` is 1)."""
    if threads <= 1 or n < 2:
        return [fn(0, n)]
    global _pool
    if _pool is None or _pool._max_workers < threads:
        _pool = ThreadPoolExecutor(threads, thread_name_prefix="simgov-kernel")
    bounds = [n * k // threads for k in range(threads + 1)]
    futures = [_pool.submit(fn, lo, hi) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    return [f.result() for f in futures]
