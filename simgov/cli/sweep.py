"""``simgov sweep``: an experiment file's design points times its replicates, streamed to disk,
then analysed (sensitivity, scenario discovery) and reported."""

from __future__ import annotations

import shlex
from pathlib import Path

from simgov.cli.common import int_in
from simgov.errors import InputError
from simgov.log import logger
from simgov.report.labels import LANGS


def register(sub) -> None:
    sw = sub.add_parser("sweep", help="run a parameter sweep and analyse it (sensitivity, scenario discovery)",
                        description="Run every design point of an experiment file times its replicates, "
                                    "streaming each finished run to DIR (runs.parquet, design.csv, manifest.json), "
                                    "then write points.csv, sensitivity.csv, discovery.csv and report.html. "
                                    "Options override the experiment file's executor.")
    sw.add_argument("experiment", metavar="EXPERIMENT", type=Path, help="an experiment .yaml file")
    sw.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/NAME-sweep)")
    sw.add_argument("--executor", choices=("serial", "processes", "dask"),
                    help="where runs execute (default: the experiment's, else processes)")
    sw.add_argument("--workers", type=int_in(1, 4096, "--workers"),
                    help="processes, or local Dask workers (default: the experiment's, else every core)")
    sw.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                    "(implies --executor dask; default: a local cluster)")
    sw.add_argument("--batch", type=int_in(1, 1000, "--batch"), help="runs per task (default: automatic)")
    sw.add_argument("--resume", action="store_true", help="finish the sweep in DIR: run only what is missing")
    sw.add_argument("--csv", action="store_true", help="also write runs.csv")
    sw.add_argument("--no-report", action="store_true", help="skip report.html")
    sw.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    sw.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    sw.set_defaults(handler=cmd_sweep)


def cmd_sweep(args) -> int:
    from simgov.analysis import analyse_sweep
    from simgov.experiment.sweep import SweepInterrupted, prepare, run_sweep
    from simgov.report import build_report

    plan = prepare(args.experiment)
    executor = args.executor or ("dask" if args.scheduler else None)
    try:
        result = run_sweep(plan, args.out, executor, args.workers, args.scheduler, args.batch, args.resume,
                           progress=False if args.quiet else None, csv=args.csv or None)
    except SweepInterrupted as exc:
        r = exc.result
        logger.warning(f"sweep interrupted: {r.done:,} of {r.total:,} runs are done and kept in {r.folder}; "
                       f"finish with: simgov sweep {shlex.quote(str(args.experiment))} "
                       f"--out {shlex.quote(str(r.folder))} --resume")
        raise
    out = result.folder
    if result.status == "complete" and result.done:
        try:
            analysis = analyse_sweep(out)
        except InputError as exc:
            analysis = None
            for problem in exc.problems:
                logger.warning(f"no analysis: {problem}")
        if not args.no_report:
            build_report(out, args.lang)
        if not args.quiet:
            _print_sweep(result, analysis)
    if result.status != "complete":
        logger.error(f"sweep {result.status} ({result.error}); {result.done:,} of {result.total:,} runs are kept "
                     f"in {out}; finish with --resume")
        return 1
    if result.failed:
        logger.error(f"{result.failed:,} runs failed; their errors are in the runs table (status, error) and "
                     "the report; rerun them with --resume")
        return 1
    return 0


def _print_sweep(result, analysis) -> None:
    from simgov.analysis.discovery import PRIM_SKIPPED, chosen_box

    rate = result.this_session / result.seconds if result.seconds else 0.0
    print(f"sweep '{result.plan.experiment.name}': {result.done:,} of {result.total:,} runs done "
          f"({result.this_session:,} this session, {rate:.1f} runs/s), {result.failed:,} failed, "
          f"{result.seconds:.1f} s -> {result.folder}/")
    if analysis is None:
        return
    table = analysis.sensitivity
    if len(table):
        index = {"sobol": "ST", "morris": "mu_star", "delta": "delta"}[table.method.iloc[0]]
        print(f"sensitivity ({table.method.iloc[0]}, {index}):")
        print(table.pivot(index="factor", columns="outcome", values=index).to_string(float_format=lambda x: f"{x:.3f}"))
    for note in analysis.notes:
        print(f"note: {note}")
    if len(analysis.discovery):
        best = analysis.discovery.iloc[0]
        print(f"where {' and '.join(analysis.conditions)}: best box {best.rule} "
              f"(coverage {best.coverage:.0%}, density {best.density:.0%}, {best.points} points)")
    if analysis.prim is None:
        print(f"note: {PRIM_SKIPPED}")
    elif (box := chosen_box(analysis.prim)) is not None:
        print(f"PRIM's box (peel step {box.step}): {box.rule} (coverage {box.coverage:.0%}, "
              f"density {box.density:.0%}, {box.points} points; every step in prim.csv)")


