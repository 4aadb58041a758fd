"""``simgov screen``: which assumptions matter: Morris screening of a scenario's priors for each
main outcome and each policy's effect, then Sobol' indices for the few that matter."""

from __future__ import annotations

from pathlib import Path

from simgov.cli.common import SCENARIO_HELP, add_executor_options, executor_of, int_in, save_figure


def register(sub) -> None:
    p = sub.add_parser("screen", help="which assumptions matter: screen a scenario's priors (Morris, then Sobol')",
                       description="Screen every prior of SCENARIO (or those of --params) with Morris' method for "
                                   "each main outcome and each arm's paired effect, then Sobol' indices for the "
                                   "--top few; write screening.csv, ranking.csv, sobol.csv, screening.png and "
                                   "report.md into DIR. The runs are sweeps in DIR/morris/ARM and DIR/sobol/ARM "
                                   "(resumable).")
    p.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--params", metavar="PATH,...", help="screen only these priors (default: every prior)")
    p.add_argument("--arm", action="append", dest="arms", metavar="ARM",
                   help="an arm whose effect to screen (repeatable; default: every arm)")
    p.add_argument("--trajectories", type=int_in(2, 10_000, "--trajectories"), default=10,
                   help="Morris trajectories (default: 10)")
    p.add_argument("--levels", type=int_in(2, 100, "--levels"), default=4, help="Morris grid levels (default: 4)")
    p.add_argument("--top", type=int_in(0, 100, "--top"), default=5,
                   help="parameters given Sobol' indices (default: 5)")
    p.add_argument("--sobol-samples", type=int_in(0, 2**20, "--sobol-samples"), default=64,
                   help="Sobol' base sample, a power of 2 (default: 64; 0: no Sobol' step)")
    p.add_argument("--reps", type=int_in(1, 1000, "--reps"), default=1, help="replicates per point (default: 1)")
    p.add_argument("--weeks", type=int_in(1, 5200, "--weeks"), help="weeks per run (default: the scenario's)")
    p.add_argument("--seed", type=int_in(0, 2**63 - 1, "--seed"), help="design and replicate seed "
                   "(default: the scenario's)")
    add_executor_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(handler=cmd_screen)


def cmd_screen(args) -> int:
    from simgov.analysis.screening import screen
    from simgov.errors import InputError, Problem
    from simgov.report.uncertainty_figures import screening_figure, sobol_figure
    from simgov.report.uncertainty_text import screening_section
    from simgov.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    if args.sobol_samples & (args.sobol_samples - 1):
        raise InputError(Problem(f"must be a power of 2 (Saltelli's scheme), not {args.sobol_samples}",
                                 path="--sobol-samples"))
    paths = [p.strip() for p in args.params.split(",") if p.strip()] if args.params else None
    result = screen(scenario, args.out, paths, args.arms, args.trajectories, args.levels, args.reps, args.weeks,
                    args.top, args.sobol_samples, args.seed, executor_of(args), args.workers, args.scheduler,
                    args.resume, progress=False if args.quiet else None)
    if len(result.morris):
        save_figure(screening_figure(result.morris, result.ranking), args.out / "screening.png")
    if len(result.sobol):
        save_figure(sobol_figure(result.sobol), args.out / "sobol.png")
    text = screening_section(result.morris, result.ranking, result.sobol, result.notes, scenario.name)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    if not args.quiet:
        print(text)
    return 0
