"""The Sobol' figure of docs/guide-researchers.md: B community's policy levers.

    .venv/bin/python experiments/sobol_figure.py [--out results/b-community-sobol] [--workers 2]

Runs (or, if interrupted before, resumes) ``experiments/b-community-sobol.yaml`` into
``--out``, writes its report in English and Chinese, and copies the sensitivity and
scenario-discovery figures to docs/figures/ with the sensitivity table as
docs/figures/b-community-sobol.csv.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import simgov
from simgov.report import build_report

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "figures"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("results") / "b-community-sobol")
    p.add_argument("--workers", type=int, default=None)
    args = p.parse_args(argv)
    resume = (args.out / "manifest.json").is_file()
    result = simgov.sweep(HERE / "b-community-sobol.yaml", out=args.out, workers=args.workers, resume=resume)
    if result.analysis is None:
        print(f"the sweep is {result.run.status}; run this again to finish it", file=sys.stderr)
        return 1
    DOCS.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):  # English last: the folder's report.html stays English
        build_report(args.out, lang)
        for name in ("sensitivity", "discovery"):
            figure = args.out / "figures" / f"{name}.png"
            if figure.is_file():
                shutil.copy(figure, DOCS / f"b-community-{name}-{lang}.png")
    result.sensitivity.to_csv(DOCS / "b-community-sobol.csv", index=False, float_format="%.4f")
    print(f"{result.run.done} runs in {result.run.seconds:.0f} s; figures in {DOCS}")
    for note in result.analysis.notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
