"""``simgov report``: a results folder's report and figures written again, without rerunning."""

from __future__ import annotations

from pathlib import Path

from simgov.errors import InputError, Problem
from simgov.report.labels import LANGS


def register(sub) -> None:
    rep = sub.add_parser("report", help="rebuild the report of a results folder without rerunning",
                         description="Write DIR/report.html and DIR/figures/*.png again from the results "
                                     "in DIR (of simgov run, compare or sweep), in English or Chinese.")
    rep.add_argument("folder", type=Path, metavar="DIR")
    rep.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    rep.set_defaults(handler=cmd_report)


def cmd_report(args) -> int:
    from simgov.experiment.folder import check_complete, read_manifest
    from simgov.report import build_report

    folder = args.folder
    if (folder / "design.csv").is_file():
        needs = ("manifest.json", "design.csv")
    elif (folder / "draws.csv").is_file():  # a comparison under uncertainty (simgov.uncertainty.output)
        needs = ("manifest.json", "draws.csv", "effects.csv", "decision.csv")
    else:
        needs = ("manifest.json", "timeseries.csv", "summary.csv")
    missing = [f for f in needs if not (folder / f).is_file()]
    if missing:
        raise InputError(Problem(f"{folder} is not a simgov results folder: no {', '.join(missing)} "
                                 "(give the --out folder of simgov run, compare or sweep)"))
    manifest = read_manifest(folder)
    if manifest.get("kind") != "sweep":  # a sweep's report shows what finished, even while it runs
        check_complete(folder, manifest)
    path = build_report(folder, args.lang)
    print(f"wrote {path} and {folder / 'figures'}/")
    return 0


