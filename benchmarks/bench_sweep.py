"""Sweep throughput: runs per second per core, with 1 and 2 workers, against serial runs.

The reference is the same runs done one after another in this process, measured in the
same invocation (``simgov.simulate`` in a loop, no sweep machinery): its rate is the ideal
per core. Each sweep's efficiency is its runs/s/core over that rate, so host speed cancels
out; what is left is the cost of the executor, the store and the tasks.

Runs are ``b-community`` with door-knocking and mediation, two years each (104 weeks, after
the scenario's 104-week warm-up), the door-knocking visits varying by a Latin hypercube.
Targets: at least 1,000 runs in 10 minutes with the process pool on 2 cores (issue 5), and
in 60 seconds (issue 20, for studies of ten thousand runs); ``--target`` runs that sweep too
and reports its wall time against both.

    python benchmarks/bench_sweep.py                 # 1 and 2 workers, 40 runs each
    python benchmarks/bench_sweep.py --target        # also 1,000 runs on 2 workers
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from simgov.experiment.executors import cpu_count
from simgov.experiment.runs import simulate
from simgov.experiment.spec import Experiment
from simgov.experiment.sweep import prepare, run_sweep

WEEKS = 104
TARGET_RUNS, TARGET_SECONDS = 1000, 600.0
#: Issue 20's stricter limit for the same 1,000 runs.
FAST_TARGET_SECONDS = 60.0


def experiment(runs: int, replicates: int = 2) -> Experiment:
    from simgov.policies import POLICY_TYPES

    return Experiment(
        name="bench", scenario="b-community", weeks=WEEKS, replicates=replicates, seed=1,
        policies=(POLICY_TYPES["door_knocking"](type="door_knocking"), POLICY_TYPES["mediation"](type="mediation")),
        design={"method": "latin_hypercube", "samples": runs // replicates},
        factors=[{"path": "policies.door_knocking.visits_per_week", "low": 0, "high": 70}])


def serial_rate(plan, runs: int) -> float:
    """Runs a second, one after another in this process: the ideal per core."""
    from simgov.experiment.factors import apply

    scenarios = [apply(plan.base, plan.targets, tuple(row)) for row in
                 plan.design[[t.path for t in plan.targets]].itertuples(index=False, name=None)]
    simulate(scenarios[0], seed=0, weeks=WEEKS)  # warm imports and caches
    started = time.perf_counter()
    for k in range(runs):
        simulate(scenarios[k % len(scenarios)], seed=k, weeks=WEEKS)
    return runs / (time.perf_counter() - started)


class MemoryWatch:
    """The parent's resident memory sampled during a sweep: its growth over the start should not
    depend on the number of runs (workers hold the runs; the parent, only tasks in flight)."""

    def __init__(self, every: float = 0.05):
        self.process, self.every, self.peak = psutil.Process(), every, 0
        self._stop = threading.Event()

    def __enter__(self):
        self.start = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.start) / 2**20


def sweep_rate(plan, workers: int, folder: Path) -> tuple[float, int, float]:
    """Runs a second (including starting the pool and writing the results), runs done, and the
    parent's memory growth in MiB."""
    with MemoryWatch() as memory:
        started = time.perf_counter()
        result = run_sweep(plan, folder, executor="processes", workers=workers, progress=False)
        seconds = time.perf_counter() - started
    assert result.status == "complete" and result.failed == 0, result
    return result.done / seconds, result.done, memory.growth_mib


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=40, help="runs per measured sweep (default 40)")
    ap.add_argument("--repeat", type=int, default=2, help="measurements per setting; the median is reported")
    ap.add_argument("--target", action="store_true", help=f"also time {TARGET_RUNS:,} runs on 2 workers")
    ap.add_argument("--json", type=Path, default=Path(__file__).parent / "out" / "bench_sweep.json")
    args = ap.parse_args()

    plan = prepare(experiment(args.runs))
    report = {"cores": cpu_count(), "weeks": WEEKS, "runs": args.runs, "settings": []}
    ideal = statistics.median(serial_rate(plan, max(8, args.runs // 4)) for _ in range(args.repeat))
    report["serial_runs_per_s"] = ideal
    print(f"reference: serial loop, {ideal:.2f} runs/s ({1 / ideal:.3f} s per 2-year run)")
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            measured = [sweep_rate(plan, workers, Path(tmp) / f"w{workers}-{k}") for k in range(args.repeat)]
            rate = statistics.median(m[0] for m in measured)
            growth = max(m[2] for m in measured)
            per_core = rate / workers
            row = {"workers": workers, "runs_per_s": rate, "runs_per_s_per_core": per_core,
                   "efficiency": per_core / ideal, "parent_growth_mib": growth}
            report["settings"].append(row)
            print(f"processes x{workers}: {rate:.2f} runs/s, {per_core:.2f} runs/s/core, "
                  f"{per_core / ideal:.2f} of the serial reference per core; parent memory +{growth:.0f} MiB")
        if args.target:
            big = prepare(experiment(TARGET_RUNS))
            started = time.perf_counter()
            _, done, growth = sweep_rate(big, 2, Path(tmp) / "target")
            seconds = time.perf_counter() - started
            report["target"] = {"runs": done, "seconds": seconds, "limit_seconds": TARGET_SECONDS,
                                "met": seconds <= TARGET_SECONDS, "fast_limit_seconds": FAST_TARGET_SECONDS,
                                "fast_met": seconds <= FAST_TARGET_SECONDS, "parent_growth_mib": growth}
            verdict = {True: "met", False: "MISSED"}
            print(f"{done:,} runs on 2 workers in {seconds:.0f} s (issue 5: <= {TARGET_SECONDS:.0f} s, "
                  f"{verdict[seconds <= TARGET_SECONDS]}; issue 20: <= {FAST_TARGET_SECONDS:.0f} s, "
                  f"{verdict[seconds <= FAST_TARGET_SECONDS]}); parent memory +{growth:.0f} MiB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0 if report.get("target", {}).get("met", True) else 1


if __name__ == "__main__":
    sys.exit(main())
