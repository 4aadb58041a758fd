"""Where a simulated week goes: milliseconds per phase of B community's week.

    python benchmarks/bench_phases.py            # 300 weeks after 10 unmeasured ones
    python benchmarks/bench_phases.py --residents 1000000 --weeks 20   # B community scaled up

Each mechanism's ``step`` and the weekly metrics are timed in place over one run; "other" is
the rest of the week (policies, the monthly network consolidation, bookkeeping). A profile of
where to fuse operations next, not a target: the target is bench_week.py's ratio.
"""

from __future__ import annotations

import argparse
import sys
import time

from simgov.model import CommunityModel


class _Timed:
    """A mechanism whose step adds its time to ``totals``."""

    def __init__(self, mechanism, totals: dict):
        self.NAME, self._step, self._totals = mechanism.NAME, mechanism.step, totals
        if hasattr(mechanism, "monthly"):  # the monthly rules run at the consolidation ("other")
            self.monthly = mechanism.monthly

    def step(self, state, params, rng):
        t = time.perf_counter()
        self._step(state, params, rng)
        self._totals[self.NAME] = self._totals.get(self.NAME, 0.0) + time.perf_counter() - t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weeks", type=int, default=300)
    p.add_argument("--scenario", default="b-community")
    p.add_argument("--residents", type=int, default=None,
                   help="B community scaled to this many residents (bench_week.py's scaling), not --scenario")
    args = p.parse_args(argv)
    scenario = args.scenario
    if args.residents:
        from bench_week import scaled_b_community

        scenario = scaled_b_community(args.residents)
        args.scenario = scenario.name
    model = CommunityModel(scenario, weeks=args.weeks + 10)
    for _ in range(10):
        model.step()
    totals: dict[str, float] = {}
    model._phases = [(_Timed(m, totals), params, rng) for m, params, rng in model._phases]
    record = model.recorder.record

    def timed_record(week, state):
        t = time.perf_counter()
        record(week, state)
        totals["metrics"] = totals.get("metrics", 0.0) + time.perf_counter() - t

    model.recorder.record = timed_record
    t0 = time.perf_counter()
    for _ in range(args.weeks):
        model.step()
    total = time.perf_counter() - t0
    print(f"{args.scenario}: {total / args.weeks * 1e3:.3f} ms a week")
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {name:15s} {seconds / args.weeks * 1e3:.3f} ms")
    print(f"  {'other':15s} {(total - sum(totals.values())) / args.weeks * 1e3:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
