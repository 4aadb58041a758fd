"""Two code states of simgov timed against each other: a B-community week, before and after.

    git worktree add /tmp/before <commit>
    python benchmarks/bench_commits.py /tmp/before            # this checkout against /tmp/before
    python benchmarks/bench_commits.py /tmp/before --pairs 7 --scenario longnan-courtyards
    python benchmarks/bench_commits.py /tmp/before --pairs 3 --residents 1000000 --weeks 52

Each measurement is a fresh process (``python -c``, with ``PYTHONPATH`` the checkout) that builds
the model, runs ``--settle`` weeks untimed, then times ``--weeks`` weeks with ``perf_counter``; the
two checkouts alternate, pair after pair, so that both see the same minutes of the host's drifting
speed. Reported: each pair, and the median ratio after / before with its range.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

SNIPPET = """
import sys, time
from simgov.model import CommunityModel
scenario = {scenario!r}
if {residents!r}:  # B community scaled up, as bench_week.py scales it (this checkout's script)
    sys.path.insert(0, {benchmarks!r})
    from bench_week import scaled_b_community
    scenario = scaled_b_community({residents!r})
m = CommunityModel(scenario, weeks={total})
for _ in range({settle}):
    m.step()
t = time.perf_counter()
for _ in range({weeks}):
    m.step()
print((time.perf_counter() - t) / {weeks})
"""


def mean_week(checkout: Path, scenario: str, settle: int, weeks: int, residents: int | None = None) -> float:
    code = SNIPPET.format(scenario=scenario, total=settle + weeks, settle=settle, weeks=weeks, residents=residents,
                          benchmarks=str(Path(__file__).resolve().parent))
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=checkout, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before", type=Path, help="a checkout of the earlier code state (e.g. a git worktree)")
    p.add_argument("--after", type=Path, default=HERE, help="the later one (default: this checkout)")
    p.add_argument("--scenario", default="b-community")
    p.add_argument("--residents", type=int, default=None,
                   help="B community scaled to this many residents (bench_week.py's scaling), not --scenario")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--settle", type=int, default=12, help="weeks run before timing")
    p.add_argument("--weeks", type=int, default=364, help="weeks timed (7 years: whole months and quarters)")
    p.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "bench_commits.json")
    args = p.parse_args(argv)
    pairs = []
    for _ in range(args.pairs):
        before = mean_week(args.before, args.scenario, args.settle, args.weeks, args.residents)
        after = mean_week(args.after, args.scenario, args.settle, args.weeks, args.residents)
        pairs.append((before, after))
        print(f"before {before * 1e3:.3f} ms  after {after * 1e3:.3f} ms  ratio {after / before:.3f}", flush=True)
        if args.residents:
            print(f"  ns per resident-week: before {before / args.residents * 1e9:.0f}, after "
                  f"{after / args.residents * 1e9:.0f}", flush=True)
    ratios = [a / b for b, a in pairs]
    row = {"scenario": args.scenario, "residents": args.residents, "before": str(args.before),
           "after": str(args.after), "weeks": args.weeks,
           "before_s": [b for b, _ in pairs], "after_s": [a for _, a in pairs],
           "ratio_median": statistics.median(ratios), "ratio_range": [min(ratios), max(ratios)]}
    print(f"after / before: median {row['ratio_median']:.3f} (pairs {min(ratios):.3f}-{max(ratios):.3f})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(row, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
