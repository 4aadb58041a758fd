"""Where a sweep's tasks run: in this process, in a local process pool, or on a Dask cluster.

Each executor takes a function and an iterator of tasks and yields results as tasks finish
(not in order). Only a few tasks per worker are in flight at any time, so a sweep of any
size holds a bounded number of tasks and results in memory, and an interrupted sweep
loses at most the tasks in flight.

- ``serial``: in this process, one task after another;
- ``processes``: ``concurrent.futures.ProcessPoolExecutor`` with the *spawn* start method,
  which behaves the same in a script, a notebook, under Windows and macOS, and in a service
  (fork copies the parent's threads and locks, and is deprecated with threads in 3.12);
- ``dask``: ``distributed.Client`` on a scheduler's address, or on a ``LocalCluster`` of
  one-thread worker processes bound to 127.0.0.1 when none is given. Workers must have
  simgov installed (the same version: the manifest records it).

Results are identical on every executor: each run depends only on its scenario and seed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator

from simgov.errors import InputError, Problem

IN_FLIGHT_PER_WORKER = 2
#: Seconds to wait for a Dask scheduler to have a worker before giving up.
DASK_WORKER_TIMEOUT = 60.0
#: Seconds a local Dask cluster's workers wait for a vanished scheduler before they close.
DASK_DEATH_SECONDS = 10
#: Seconds between a worker process's checks that its parent is alive.
WATCHDOG_SECONDS = 1.0


def _watch_parent(parent: int) -> None:
    """In a worker process: one thread for a run's kernels, and exit as soon as the process
    that started it is gone.

    A pool's workers are told to stop by their parent; a parent killed with SIGKILL cannot
    tell them, and they would go on running (and holding memory) with no one to hand their
    results to. A daemon thread polls the parent's id, which changes when it dies.
    """
    import threading

    from simgov.kernels import set_threads

    set_threads(1)  # the pool's workers run side by side: no threads within a run

    def watch():
        import time

        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="simgov-parent-watchdog", daemon=True).start()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Serial:
    name = "serial"
    workers = 1

    def map_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        for task in tasks:
            yield fn(task)

    def close(self, abandon: bool = False) -> None:
        pass


class Processes:
    name = "processes"

    def __init__(self, workers: int):
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_watch_parent, initargs=(os.getpid(),))

    def map_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        from concurrent.futures import FIRST_COMPLETED, wait

        tasks = iter(tasks)
        pending = set()

        def top_up():
            while len(pending) < self.workers * IN_FLIGHT_PER_WORKER:
                task = next(tasks, None)
                if task is None:
                    return
                pending.add(self.pool.submit(fn, task))

        top_up()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                yield future.result()
            top_up()

    def close(self, abandon: bool = False) -> None:
        """Shut the pool down; ``abandon`` stops tasks in flight (rerun by ``--resume``)."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=not abandon, cancel_futures=True)
        if abandon:
            for process in processes:
                process.terminate()


class Dask:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(Problem("the dask executor needs Dask's distributed package: "
                                     "pip install '.[dask]' in simgov's source folder (or pip install distributed)",
                                     path="executor")) from None
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise InputError(Problem(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                                         path="--scheduler")) from None
            try:  # a scheduler with no workers would take the tasks and never run them
                self.client.wait_for_workers(1, timeout=DASK_WORKER_TIMEOUT)
            except TimeoutError:
                self.client.close()
                raise InputError(Problem(f"the Dask scheduler at {scheduler} has no workers (waited "
                                         f"{DASK_WORKER_TIMEOUT:.0f} s); start some with: dask worker {scheduler}",
                                         path="--scheduler")) from None
        else:
            # The scheduler lives in this process: if it is killed (SIGKILL), the workers lose it
            # and close themselves after DASK_DEATH_SECONDS instead of running on, orphaned.
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None,
                                        death_timeout=DASK_DEATH_SECONDS)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))  # at the start, for the manifest

    def _window(self) -> int:
        # Workers may join after the start (an adaptive or job-queue cluster): keep them all busy.
        return max(1, len(self.client.scheduler_info()["workers"])) * IN_FLIGHT_PER_WORKER

    def map_unordered(self, fn: Callable, tasks: Iterable) -> Iterator:
        from distributed import as_completed

        tasks = iter(tasks)
        running = as_completed()
        in_flight = 0

        def top_up():
            nonlocal in_flight
            while in_flight < self._window():
                task = next(tasks, None)
                if task is None:
                    return
                running.add(self.client.submit(fn, task, pure=False))
                in_flight += 1

        top_up()
        for future in running:
            result = future.result()
            future.release()
            in_flight -= 1
            top_up()
            yield result

    def close(self, abandon: bool = False) -> None:
        # Closing the client releases its futures; the scheduler drops tasks nobody waits for.
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(kind: str, workers: int | None = None, scheduler: str | None = None):
    """The executor ``kind`` (serial, processes or dask) with ``workers`` (None = every core)."""
    workers = workers or cpu_count()
    if kind == "serial":
        return Serial()
    if kind == "processes":
        return Processes(workers)
    if kind == "dask":
        return Dask(workers, scheduler)
    raise InputError(Problem(f"unknown executor '{kind}'; allowed: dask, processes, serial", path="executor"))
