"""A self-contained HTML report of a results folder, in English or Chinese.

``build_report(folder, lang)`` reads what a run or a comparison wrote (``manifest.json``,
``timeseries.csv``, ``summary.csv``, and where present ``effects.csv``, ``costs.csv``,
``network.npz``; ``simgov.report.run_page``), or a sweep (``simgov.report.sweep_page``), draws
the figures (PNG files in ``figures/`` for slides; SVG with text kept as text inside the
report, so the reader's browser draws the labels with its own fonts), and writes
``report.html`` from the templates in ``simgov/report/templates``; it needs no network to
open, send or print. ``simgov report DIR`` calls it again without rerunning anything.
"""

from __future__ import annotations

import json
from pathlib import Path

from simgov.experiment.output import atomic_write


def build_report(folder: Path, lang: str = "en") -> Path:
    """Write ``folder/report.html`` and ``folder/figures/*.png`` from the folder's results."""
    manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("kind") == "sweep":
        from simgov.report.sweep_page import SweepReport

        report = SweepReport(folder, lang)
    elif manifest.get("uncertainty"):
        from simgov.report.decision_page import DecisionReport

        report = DecisionReport(folder, lang)
    else:
        from simgov.report.run_page import RunReport

        report = RunReport(folder, lang)
    path = report.folder / "report.html"
    atomic_write(path, report.page())
    return path
