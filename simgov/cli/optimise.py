"""``simgov optimise``: the Pareto front of policy mixes within a yearly budget (simgov.optimise)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from simgov.cli.common import SCENARIO_HELP, int_in


def _amount(what: str):
    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not (value >= 0 and value < float("inf")):
            raise argparse.ArgumentTypeError(f"{what} must be 0 or more, not {text!r}")
        return value
    return parse


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--quantile must be a number, not {text!r}") from None
    if not 0 < value < 0.5:
        raise argparse.ArgumentTypeError(f"--quantile must be between 0 and 0.5, not {value}")
    return value


def register(sub) -> None:
    op = sub.add_parser("optimise", help="find the Pareto front of policy mixes within a budget (NSGA-II)",
                        description="Search which policies to run, their main levers and start weeks (pymoo's "
                                    "NSGA-II) for the mixes that no other mix beats on every objective, within a "
                                    "budget in yuan a year (measured in the runs, against the reference arm). "
                                    "Writes pareto.csv, evaluated.csv, front.png and mixes/NAME.yaml into DIR; "
                                    "every evaluation is stored as it finishes (--resume reuses them).")
    op.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    op.add_argument("--budget", type=_amount("--budget"), required=True, metavar="YUAN",
                    help="yuan a year the mix may cost more than the reference")
    op.add_argument("--staff-hours", type=_amount("--staff-hours"), metavar="H",
                    help="paid staff hours a year the mix may take more than the reference (default: no limit)")
    op.add_argument("--objectives", required=True, metavar="METRIC:max,METRIC:min,...",
                    help="metrics to maximise or minimise (their paired final-year effect)")
    op.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    op.add_argument("--policies", metavar="TYPE,TYPE,...", help="policy types to search (default: all 13)")
    op.add_argument("--generations", type=int_in(1, 10_000, "--generations"), default=10,
                    help="generations (default: 10)")
    op.add_argument("--population", type=int_in(2, 10_000, "--population"), default=20,
                    help="candidates per generation (default: 20)")
    op.add_argument("--reps", type=int_in(1, 100_000, "--reps"), default=3,
                    help="replicates per candidate, paired with the reference's (default: 3)")
    op.add_argument("--weeks", type=int_in(1, 5200, "--weeks"), help="weeks to simulate (default: the scenario's)")
    op.add_argument("--reference", default="baseline", metavar="ARM",
                    help="the arm mixes are added to and compared with (default: baseline)")
    op.add_argument("--uncertainty", metavar="prior|posterior|FILE",
                    help="judge each mix over parameter draws: from the priors, the scenario's shipped "
                         "posterior, or a posterior.csv")
    op.add_argument("--draws", type=int_in(1, 10_000, "--draws"), default=10,
                    help="parameter draws with --uncertainty (default: 10)")
    op.add_argument("--robust", choices=("quantile", "mean"), default="quantile",
                    help="with --uncertainty, optimise the bad-side quantile of the effect over draws, or its "
                         "mean (default: quantile)")
    op.add_argument("--quantile", type=_share, default=0.1,
                    help="the bad-side quantile of --robust quantile (default: 0.1)")
    op.add_argument("--seed", type=int_in(0, 2**63 - 1, "--seed"),
                    help="seed of the search and the draws (default: the scenario's)")
    op.add_argument("--executor", choices=("serial", "processes", "dask"), default="serial",
                    help="where runs execute (default: serial)")
    op.add_argument("--workers", type=int_in(1, 4096, "--workers"), help="processes or Dask workers")
    op.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler (implies --executor dask)")
    op.add_argument("--resume", action="store_true", help="reuse DIR's stored evaluations: run only new mixes")
    op.add_argument("--quiet", action="store_true", help="no summary")
    op.set_defaults(handler=cmd_optimise)


def cmd_optimise(args) -> int:
    from simgov.optimise import optimise

    result = optimise(args.scenario, args.budget, args.objectives, args.out, staff_hours=args.staff_hours,
                      generations=args.generations, population=args.population, reps=args.reps, weeks=args.weeks,
                      reference=args.reference,
                      policies=[p.strip() for p in args.policies.split(",")] if args.policies else None,
                      uncertainty=args.uncertainty, draws=args.draws, robust=args.robust, quantile=args.quantile,
                      seed=args.seed, executor="dask" if args.scheduler else args.executor, workers=args.workers,
                      scheduler=args.scheduler, resume=args.resume)
    if not args.quiet:
        _print(result, args)
    return 0


def _print(result, args) -> None:
    ev = result.evaluated
    print(f"optimise: {len(ev)} candidates ({ev.mix_id.nunique()} mixes, {int(ev.feasible.sum())} within the "
          f"budget), {result.runs_made} runs this session, {result.seconds:.1f} s -> {result.folder}/")
    if result.pareto.empty:
        print("no mix is within the budget; raise --budget or search other --policies")
        return
    print(f"Pareto front ({len(result.pareto)} mixes):")
    for row in result.pareto.to_dict("records"):
        scores = ", ".join(f"{m} {row[m]:+.4g}" for m, _ in result.objectives)
        print(f"  {row['name']}: {row['policies']} ({row['yuan_per_year']:,.0f} yuan a year): {scores}")
    first = result.pareto.iloc[0]
    print(f"compare one: simgov compare {shlex.quote(str(result.folder / first['scenario_file']))} "
          f"--arm {first['name']} --reference {args.reference}")
