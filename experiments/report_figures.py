"""The report figures shown in the README: B community's arms compared, in Chinese.

    .venv/bin/python experiments/report_figures.py [--reps 20] [--weeks 156] [--workers 2]

Runs ``simgov compare b-community`` into a temporary folder with ``--lang zh`` and copies its
time-series and forest-plot figures to docs/figures/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from simgov.cli import main as simgov

DOCS = Path(__file__).resolve().parent.parent / "docs" / "figures"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--weeks", type=int, default=156)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", type=Path, default=DOCS)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        code = simgov(["compare", "b-community", "--reps", str(args.reps), "--weeks", str(args.weeks),
                       "--workers", str(args.workers), "--lang", "zh", "--out", tmp, "--quiet"])
        if code:
            return code
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ("timeseries", "effects"):
            shutil.copy(Path(tmp) / "figures" / f"{name}.png", args.out / f"b-community-{name}-zh.png")
    print(f"wrote {args.out}/b-community-timeseries-zh.png and b-community-effects-zh.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
