"""Peak memory of a run against simgov's up-front estimate (community/memory.py).

Each size runs in a fresh process, so the peak RSS is that run's alone:

    python benchmarks/bench_memory.py                 # 6,221 / 111,000 / 500,000 / 2,000,000
    python benchmarks/bench_memory.py --sizes 111000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(n: int, weeks: int) -> dict:
    sys.path.insert(0, str(HERE))
    import mesa  # noqa: F401  (loaded first: the baseline is the process with its libraries)
    import pandas  # noqa: F401
    import scipy.sparse  # noqa: F401
    from bench_week import scaled_b_community

    from simgov.community import estimate_bytes
    from simgov.model import CommunityModel

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    scenario = scaled_b_community(n)
    model = CommunityModel(scenario, weeks=weeks)
    for _ in range(weeks):
        model.step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"residents": n, "ties": model.state.network.edges, "process_base_MiB": base / 2**20,
            "peak_MiB": peak / 2**20, "run_bytes_per_resident": (peak - base) / n,
            "estimate_MiB": estimate_bytes(scenario) / 2**20}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[6221, 111_000, 500_000, 2_000_000])
    p.add_argument("--weeks", type=int, default=20)
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size here
    args = p.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.weeks)))
        return 0
    rows = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--weeks", str(args.weeks)],
                             capture_output=True, text=True, check=True)
        row = json.loads(out.stdout)
        rows.append(row)
        print(f"N={n:>9,}  peak {row['peak_MiB']:8.0f} MiB  ({row['run_bytes_per_resident']:.0f} B/resident "
              f"over a {row['process_base_MiB']:.0f} MiB process)  estimate {row['estimate_MiB']:8.0f} MiB  "
              f"estimate/peak {row['estimate_MiB'] / row['peak_MiB']:.2f}", flush=True)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "bench_memory.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
