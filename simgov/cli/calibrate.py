"""``simgov calibrate``: fit a scenario's important priors to its patterns by ABC-SMC (pyabc)."""

from __future__ import annotations

import shlex
from pathlib import Path

from simgov.cli.common import SCENARIO_HELP, add_executor_options, executor_of, int_in, save_figure


def register(sub) -> None:
    p = sub.add_parser("calibrate", help="fit priors to the scenario's patterns by ABC-SMC (a weighted posterior)",
                       description="Fit priors of SCENARIO to its patterns (docs/validation.md) by ABC-SMC with "
                                   "pyabc; write posterior.csv (weight, then one column per parameter) with its record "
                                   "posterior.json (scenario digest, version, settings), "
                                   "diagnostics.csv/.json, predictive.csv, parameters.csv, posterior.png and "
                                   "report.md into DIR, with pyabc's history abc.db (--resume continues it). "
                                   "Needs the 'calibrate' extra (pip install '.[calibrate]').")
    p.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--params", metavar="PATH,...|DIR", required=True,
                   help="the priors to fit: paths, comma-separated, or a screening folder (simgov screen) whose "
                        "--top ranked priors are taken")
    p.add_argument("--top", type=int_in(1, 100, "--top"), default=5,
                   help="with a screening folder: how many of its ranked priors (default: 5)")
    p.add_argument("--patterns", metavar="NAME,...", help="fit only these patterns (default: all the scenario's)")
    p.add_argument("--population", type=int_in(5, 100_000, "--population"), default=100,
                   help="particles per generation (default: 100)")
    p.add_argument("--generations", type=int_in(1, 1000, "--generations"), default=8,
                   help="most generations, counting those done before a --resume (default: 8)")
    p.add_argument("--max-minutes", type=float, metavar="M",
                   help="start no generation after M minutes (--resume continues)")
    p.add_argument("--adaptive-population", action="store_true",
                   help="let pyabc size each generation (up to 4 x --population)")
    p.add_argument("--reps", type=int_in(1, 1000, "--reps"), default=1,
                   help="replicates per particle (default: 1)")
    p.add_argument("--weeks", type=int_in(1, 5200, "--weeks"), help="weeks per run (default: the scenario's)")
    p.add_argument("--seed", type=int_in(0, 2**63 - 1, "--seed"), help="seed of the ABC draws (default: the "
                   "scenario's; reproducible with --executor serial)")
    add_executor_options(p, default="serial")
    p.add_argument("--quiet", action="store_true", help="no summary")
    p.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args) -> int:
    from simgov.errors import InputError, Problem
    from simgov.scenario import load_scenario

    try:
        import pyabc  # noqa: F401
    except ImportError:
        raise InputError(Problem("calibration needs pyabc: pip install '.[calibrate]' in simgov's source folder "
                                 "(or pip install pyabc)", path="calibrate")) from None
    from simgov.analysis.screening import read_screening
    from simgov.log import logger
    from simgov.report.uncertainty_figures import posterior_figure
    from simgov.report.uncertainty_text import calibration_section
    from simgov.uncertainty.calibration import calibrate

    scenario = load_scenario(args.scenario)
    params = Path(args.params)
    paths = read_screening(params, args.top) if params.is_dir() else \
        [p.strip() for p in args.params.split(",") if p.strip()]
    patterns = [p.strip() for p in args.patterns.split(",") if p.strip()] if args.patterns else None
    import logging

    logging.getLogger("ABC").setLevel(logging.WARNING if args.quiet else logging.INFO)
    result = calibrate(scenario, args.out, paths, patterns, args.population, args.generations, args.reps,
                       args.weeks, args.seed, executor_of(args, "serial"), args.workers, args.scheduler,
                       args.resume, adaptive=args.adaptive_population,
                       command="simgov " + shlex.join(args.argv), max_minutes=args.max_minutes)
    save_figure(posterior_figure(result.posterior, result.parameters, result.generations), args.out / "posterior.png")
    text = calibration_section(result.parameters, result.generations, result.predictive, scenario.name)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    if not args.quiet:
        print(text)
    logger.info(f"calibration of {scenario.name}: {result.seconds:.1f} s -> {args.out}/")
    return 0
