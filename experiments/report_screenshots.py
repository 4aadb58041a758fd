"""docs/figures/report-*.png: the top of a run, a compare and a sweep report, in English and Chinese.

Runs B community (a run, and a comparison of door-knocking, mediation and the practices
together against the baseline) and the quick-look sweep into ``--out``, writes each report in
both languages and photographs the first 1280 x 2000 pixels with headless chromium.

    .venv/bin/python experiments/report_screenshots.py [--out results/report-screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from simgov.cli import main as simgov
from simgov.report import build_report

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "figures"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--window-size=1280,2000"]
RUNS = {
    "run": ["run", "b-community", "--reps", "3", "--weeks", "52"],
    "compare": ["compare", "b-community", "--reps", "3", "--weeks", "52", "--arm", "door_knocking",
                "--arm", "mediation", "--arm", "practices"],
    "sweep": ["sweep", str(HERE / "quick-look.yaml")],
}


def screenshot(page: Path, png: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--screenshot={png}", page.as_uri()], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, default=Path("results") / "report-screenshots")
    args = p.parse_args(argv)
    DOCS.mkdir(parents=True, exist_ok=True)
    for kind, command in RUNS.items():
        folder = args.out / kind
        if folder.exists():
            shutil.rmtree(folder)
        if simgov([*command, "--out", str(folder), "--quiet"]) != 0:
            return 1
        for lang in ("zh", "en"):  # English last: the folder's report.html stays English
            build_report(folder, lang)
            screenshot(folder / "report.html", DOCS / f"report-{kind}-{lang}.png")
    print(f"screenshots in {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
