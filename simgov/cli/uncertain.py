"""``simgov compare --uncertainty prior|posterior|FILE --draws K``: a comparison over parameter
draws (simgov.uncertainty.comparison), its folder (simgov.uncertainty.output), report and
plain-words summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from simgov.cli.common import int_in
from simgov.errors import InputError, Problem
from simgov.log import logger

#: simgov.uncertainty.comparison.DEFAULT_DRAWS and simgov.uncertainty.decision.YUAN_PER_UNIT,
#: for the help text (tests/test_decisions.py checks they agree).
HELP_DRAWS, HELP_YUAN_PER_UNIT = 50, 10_000.0


def _yuan(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--yuan-per-unit must be a number of yuan, not {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"--yuan-per-unit must be 0 or more, not {text!r}")
    return value


def add_options(cmp) -> None:
    """The compare command's options for a comparison under uncertainty (``--help`` must not
    import the library: the defaults are restated here, and a test holds them to the library's)."""
    group = cmp.add_argument_group("under parameter uncertainty")
    group.add_argument("--uncertainty", metavar="prior|posterior|FILE",
                       help="run every arm for parameter draws from the priors, the scenario's shipped posterior, or "
                            "a posterior.csv; adds decision.csv, ceac.csv and evppi.csv, and intervals covering "
                            "parameter and replicate uncertainty")
    group.add_argument("--draws", type=int_in(1, 100_000, "--draws"),
                       help=f"parameter draws (default: {HELP_DRAWS}); needs --uncertainty")
    group.add_argument("--executor", choices=("serial", "processes", "dask"),
                       help="where the draws run (default: processes with --workers > 1, else serial)")
    group.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler's address (with --executor dask)")
    group.add_argument("--yuan-per-unit", type=_yuan, metavar="YUAN",
                       help=f"yuan a year per unit of effect for the value of information (default: "
                            f"{HELP_YUAN_PER_UNIT:,.0f})")


def recorded_uncertainty(args, recorded) -> bool:
    """For ``simgov run MANIFEST`` of a comparison under uncertainty: take its source, draws and
    yuan per unit into ``args`` (True), so the rerun is the same comparison; else False."""
    import json

    block = json.loads(recorded.path.read_text(encoding="utf-8")).get("uncertainty")
    if not block:
        return False
    args.uncertainty, args.draws = block["source"], int(block["draws"])
    args.yuan_per_unit = block.get("yuan_per_unit")
    args.reference = recorded.arms[0]
    for name in ("executor", "scheduler"):
        setattr(args, name, getattr(args, name, None))
    return True


def compare_uncertain(args, scenario, recorded) -> int:
    from simgov.cli.runs import _out_for
    from simgov.experiment.compare import comparison_arms
    from simgov.report import build_report
    from simgov.uncertainty.comparison import DEFAULT_DRAWS
    from simgov.uncertainty.output import run_into

    reference = getattr(args, "reference", None) or "baseline"
    chosen = args.arm or (recorded.arms if recorded and len(recorded.arms) > 1 else None)
    arms = comparison_arms(scenario, chosen, reference, reference_path="--reference")
    reps = args.reps or (recorded.replicates if recorded else scenario.replicates)
    weeks = args.weeks or (recorded.weeks if recorded else scenario.weeks)
    out = _out_for(args, recorded, Path("results") / f"{scenario.name}-compare")
    if args.scheduler and args.executor not in (None, "dask"):
        raise InputError(Problem("--scheduler is for --executor dask", path="--scheduler"))
    executor = args.executor or ("dask" if args.scheduler else None)
    result, manifest = run_into(out, scenario, args.uncertainty, args.draws or DEFAULT_DRAWS, arms, reps, weeks,
                                reference, executor, args.workers, args.scheduler, args.yuan_per_unit, args.force,
                                progress=False if args.quiet else None)
    if result.status == "interrupted":
        logger.error(f"compare interrupted; finished runs are in {out}: the same command finishes it")
        return 143 if result.error == "Terminated" else 130
    if result.status != "complete":
        logger.error(f"compare {result.status}: {result.error}; finished runs are in {out}: the same command "
                     "retries the rest")
        return 1
    if not args.no_report:
        build_report(out, args.lang)
    if not args.quiet:
        print_decision(out, result, manifest, args.lang)
    return 0


def print_decision(out: Path, result, manifest: dict, lang: str = "en") -> None:
    from simgov.experiment.compare import effect_cells
    from simgov.report.decision_text import decision_lines

    runs = manifest["runs"]["recorded"]
    print(f"{runs} runs ({len(result.draws)} draws x {result.reps} replicates x {len(result.arms)} arms) of "
          f"{result.weeks} weeks in {manifest['seconds']:.1f} s -> {out}/ (effects.csv, decision.csv, ceac.csv, "
          "evppi.csv, costs.csv, draws.csv, runs.parquet, manifest.json, report.html)")
    print(f"effects against {result.reference} (final-year means; 95% interval over {len(result.draws)} parameter "
          f"draws ({result.source}) and {result.reps} paired replicates each):")
    print(effect_cells(result.effects, lambda x: f"{x:+.3f}").to_string())
    print("decision:")
    for line in decision_lines(result.decision, result.evppi, lang):
        print(f"  {line['best']}" + (f"; {line['sensitive']}" if line["sensitive"] else ""))
