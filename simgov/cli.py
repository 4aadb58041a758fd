"""The ``simgov`` command: thin over the Python API.

Exit status: 0 success, 1 a run failed (what finished is kept), 2 bad input or usage,
130 interrupted (143 by SIGTERM); a sweep keeps every finished run either way.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from simgov.errors import InputError
from simgov.log import configure, logger
from simgov.report.labels import LANGS


def _int_in(lo: int, hi: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{what} must be from {lo} to {hi}, not {value}")
        return value
    return parse


SCENARIO_HELP = ("a bundled scenario name, a path to a .yaml file, or a manifest.json (or the results "
                 "folder holding it) to run again as it was recorded")


def build_parser() -> argparse.ArgumentParser:
    from simgov import __version__

    p = argparse.ArgumentParser(prog="simgov", description=(
        "Agent-based simulation of Party-building-led five-society linkage (党建引领 五社联动) "
        "in Chinese urban communities."))
    p.add_argument("--version", action="version", version=f"simgov {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more messages (each run as it finishes)")
    p.add_argument("-q", "--quiet-log", dest="quiet_log", action="store_true",
                   help="warnings and errors only (a command's own --quiet also drops its progress bar and summary)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario and write its results and report",
                         description="Run a scenario's replicates and write timeseries.csv, "
                                     "summary.csv, manifest.json and report.html into DIR. Given the "
                                     "manifest.json of an earlier run or compare (or its folder), run it "
                                     "again exactly: the recorded scenario, arms, seeds, weeks and "
                                     "replicates, and the same outputs (a comparison's too); an option "
                                     "given overrides what was recorded.")
    run.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    run.add_argument("--weeks", type=_int_in(1, 5200, "--weeks"),
                     help="weeks to simulate (default: the scenario's, or the manifest's)")
    run.add_argument("--seed", type=_int_in(0, 2**63 - 1, "--seed"), help="scenario seed (default: the scenario's)")
    run.add_argument("--reps", type=_int_in(1, 100_000, "--reps"),
                     help="replicates (default: the scenario's, or the manifest's)")
    run.add_argument("--arm", action="append", metavar="ARM",
                     help="arm to run (repeatable; default: baseline, or the manifest's; 'all' for every arm)")
    run.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/SCENARIO)")
    run.add_argument("--no-report", action="store_true", help="skip report.html")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")

    cmp = sub.add_parser("compare", help="compare a scenario's arms with common random numbers",
                         description="Run every arm of a scenario with the same replicate seeds (common "
                                     "random numbers) and write effects.csv (paired differences against the "
                                     "baseline with 95%% intervals, on final-year means), costs.csv (yuan and "
                                     "hours a year, cost per unit of effect), the run files and report.html.")
    cmp.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    cmp.add_argument("--reps", type=_int_in(1, 100_000, "--reps"),
                     help="replicates (default: the scenario's, or the manifest's)")
    cmp.add_argument("--weeks", type=_int_in(1, 5200, "--weeks"),
                     help="weeks to simulate (default: the scenario's, or the manifest's)")
    cmp.add_argument("--arm", action="append", metavar="ARM",
                     help="arm to compare (repeatable; default: all, or the manifest's)")
    cmp.add_argument("--reference", metavar="ARM", help="arm to compare against "
                     "(default: baseline, or a manifest's)")
    cmp.add_argument("--seed", type=_int_in(0, 2**63 - 1, "--seed"), help="scenario seed (default: the scenario's)")
    cmp.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/SCENARIO-compare)")
    cmp.add_argument("--no-report", action="store_true", help="skip report.html")
    cmp.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    for sp in (run, cmp):
        sp.add_argument("--workers", type=_int_in(1, 1024, "--workers"), default=1,
                        help="processes to run replicates in (default: 1)")
        sp.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    sw = sub.add_parser("sweep", help="run a parameter sweep and analyse it (sensitivity, scenario discovery)",
                        description="Run every design point of an experiment file times its replicates, "
                                    "streaming each finished run to DIR (runs.parquet, design.csv, manifest.json), "
                                    "then write points.csv, sensitivity.csv, discovery.csv and report.html. "
                                    "Options override the experiment file's executor.")
    sw.add_argument("experiment", metavar="EXPERIMENT", type=Path, help="an experiment .yaml file")
    sw.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/NAME-sweep)")
    sw.add_argument("--executor", choices=("serial", "processes", "dask"),
                    help="where runs execute (default: the experiment's, else processes)")
    sw.add_argument("--workers", type=_int_in(1, 4096, "--workers"),
                    help="processes, or local Dask workers (default: the experiment's, else every core)")
    sw.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                    "(implies --executor dask; default: a local cluster)")
    sw.add_argument("--batch", type=_int_in(1, 1000, "--batch"), help="runs per task (default: automatic)")
    sw.add_argument("--resume", action="store_true", help="finish the sweep in DIR: run only what is missing")
    sw.add_argument("--csv", action="store_true", help="also write runs.csv")
    sw.add_argument("--no-report", action="store_true", help="skip report.html")
    sw.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    sw.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    rep = sub.add_parser("report", help="rebuild the report of a results folder without rerunning",
                         description="Write DIR/report.html and DIR/figures/*.png again from the results "
                                     "in DIR (of simgov run, compare or sweep), in English or Chinese.")
    rep.add_argument("folder", type=Path, metavar="DIR")
    rep.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    val = sub.add_parser("validate", help="check scenario and experiment files",
                         description="Check scenario and experiment files; print what is wrong, with file, "
                                     "line and field.")
    val.add_argument("files", nargs="+", metavar="FILE")

    sub.add_parser("scenarios", help="list the bundled scenarios")
    show = sub.add_parser("show", help="print a scenario as it runs, every default filled in",
                          description="Print the resolved scenario (its extends chain merged, every default "
                                      "filled in) as YAML; with --arm, as that arm runs it.")
    show.add_argument("scenario", metavar="SCENARIO", help="a bundled scenario name or a path to a .yaml file")
    show.add_argument("--arm", default=None, metavar="ARM", help="the arm to resolve (default: the whole file)")

    demo = sub.add_parser("demo", help="start the teaching demo, an interactive app in the browser",
                          description="Start the teaching demo: a browser app (Mesa and Solara) that shows a small "
                                      "community week by week, with policies to switch on and off while it runs. It "
                                      "works offline and sends no usage data. Needs the 'demo' extra: in the "
                                      "source folder, ./dev simgov demo or pip install '.[demo]' (docs/teaching.md).")
    demo.add_argument("--scenario", default="teaching-estate", metavar="NAME",
                      help="a bundled scenario of at most 2,000 residents (default: teaching-estate)")
    demo.add_argument("--port", type=_int_in(0, 65535, "--port"), default=8765,
                      help="port to listen on (default: 8765; 0: any free port)")
    demo.add_argument("--host", default="127.0.0.1",
                      help="address to listen on (default: 127.0.0.1, this machine only)")
    demo.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    return p


def cmd_scenarios(args) -> int:
    from simgov.scenario import bundled_names, load_scenario

    rows = []
    for name in bundled_names():
        sc = load_scenario(name)
        c = sc.community
        rows.append((name, f"{c.residents:,} residents, {c.households:,} households", sc.title))
    width = max(len(r[0]) for r in rows) if rows else 0
    for name, size, title in rows:
        print(f"{name:<{width}}  {size:<36}  {title}")
    return 0


def cmd_show(args) -> int:
    from simgov.scenario import as_arm, load_scenario, to_yaml

    scenario = load_scenario(args.scenario)
    if args.arm:
        scenario = as_arm(scenario, args.arm)
    print(to_yaml(scenario), end="")
    return 0


def cmd_demo(args) -> int:
    from simgov.demo.server import serve

    return serve(args.scenario, args.host, args.port, open_browser=not args.no_browser)


def cmd_validate(args) -> int:
    from simgov.community import estimate_bytes
    from simgov.experiment.sweep import prepare
    from simgov.scenario import load_scenario
    from simgov.scenario.loader import read_yaml

    failed = 0
    for f in args.files:
        try:
            is_experiment = Path(f).is_file() and "factors" in read_yaml(Path(f))[0]
            if is_experiment:
                plan = prepare(f)
                e = plan.experiment
                print(f"ok: {f}: experiment '{e.name}' on '{plan.base.name}' ({e.arm}), {e.design.method}: "
                      f"{len(plan.design):,} points x {e.replicates} replicates = {plan.runs:,} runs of "
                      f"{plan.weeks} weeks")
                continue
            sc = load_scenario(f)
        except InputError as exc:
            failed += 1
            for problem in exc.problems:
                print(f"error: {problem}", file=sys.stderr)
            continue
        print(f"ok: {f}: '{sc.name}', {sc.community.residents:,} residents, arms: "
              f"{', '.join(sc.arm_names)}; about {estimate_bytes(sc) / 2**20:,.0f} MiB per run")
    return 2 if failed else 0


def _execute(args, scenario, arms: list[str], reps: int, weeks: int, out: Path, command: str, recorded=None):
    """Run the plan, keeping every finished run; returns (results, manifest, exit code).

    Tables and the manifest are written whatever happens, so a failed or interrupted run
    loses nothing that finished.
    """
    from simgov.experiment import in_plan_order, run_replicates
    from simgov.experiment.output import environment, write_manifest, write_tables
    from simgov.scenario import dump
    from simgov.streams import replicate_seed

    manifest = {
        "status": "running",
        "kind": command,
        "command": shlex.join(["simgov", *sys.argv[1:]]),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "arms": arms, "replicates": reps, "weeks": weeks,
        "seeds": {str(i): replicate_seed(scenario.seed, i) for i in range(reps)},
        "scenario": dump(scenario),
        "runs": [],
    }
    if recorded is not None:
        manifest["rerun_of"] = str(recorded.path)
    results, started, code = [], time.perf_counter(), 0
    try:
        for result in run_replicates(scenario, reps, arms, weeks, progress=False if args.quiet else None,
                                     workers=args.workers):
            results.append(result)
            manifest["runs"].append({"arm": result.arm, "replicate": result.replicate,
                                     "seed": result.seed, "seconds": round(result.seconds, 3)})
            logger.debug(f"{result.arm}, replicate {result.replicate} (seed {result.seed}): {result.seconds:.2f} s")
        manifest["status"] = "complete"
    except KeyboardInterrupt:
        manifest["status"], code = "interrupted", 130
    except InputError:
        raise
    except Exception as exc:  # a failed run: keep what finished, say what failed
        manifest["status"], code = "failed", 1
        manifest["error"] = f"{type(exc).__name__}: {exc}"
        if args.debug:
            traceback.print_exc()
    manifest["seconds"] = round(time.perf_counter() - started, 3)
    results = in_plan_order(results, arms)
    write_tables(out, results)
    write_manifest(out, manifest)
    if code:
        logger.error(f"{command} {manifest['status']} after {len(results)} of {reps * len(arms)} runs"
                     f"{': ' + manifest['error'] if 'error' in manifest else ''}; finished runs are in {out}")
    return results, manifest, code


def _scenario_for(args):
    """The scenario to run and, when SCENARIO names a manifest, what it recorded (else None)."""
    from simgov.experiment.manifest import manifest_path, read_recorded
    from simgov.scenario import load_scenario

    path = manifest_path(args.scenario)
    recorded = read_recorded(path) if path else None
    scenario = recorded.scenario if recorded else load_scenario(args.scenario)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    return scenario, recorded


def _out_for(args, recorded, default: Path) -> Path:
    """--out, else ``default``; a rerun may not write over the results it reruns."""
    from simgov.errors import Problem

    out = args.out or default
    if recorded is not None and out.resolve() == recorded.path.parent.resolve():
        raise InputError(Problem(f"{out} holds the results being rerun; give another --out to compare them",
                                 path="--out"))
    return out


def cmd_run(args) -> int:
    from simgov.report import build_report

    scenario, recorded = _scenario_for(args)
    if recorded is not None and recorded.kind == "compare":
        return _compare(args, scenario, recorded)
    arms = args.arm or (recorded.arms if recorded else ["baseline"])
    if "all" in arms:
        arms = scenario.arm_names
    reps = args.reps or (recorded.replicates if recorded else scenario.replicates)
    weeks = args.weeks or (recorded.weeks if recorded else scenario.weeks)
    out = _out_for(args, recorded, Path("results") / scenario.name)
    results, manifest, code = _execute(args, scenario, arms, reps, weeks, out, "run", recorded)
    if results and not args.no_report:
        build_report(out, args.lang)
    if code:
        return code
    if not args.quiet:
        _print_summary(out, results, manifest)
    return 0


def cmd_compare(args) -> int:
    return _compare(args, *_scenario_for(args))


def _compare(args, scenario, recorded) -> int:
    from simgov.experiment.compare import comparison_arms, costs_table, effects_table
    from simgov.experiment.output import atomic_write
    from simgov.report import build_report

    # A recorded comparison lists its reference first; a recorded run of one arm compares every arm.
    was_compare = recorded is not None and recorded.kind == "compare"
    reference = getattr(args, "reference", None) or (recorded.arms[0] if was_compare else "baseline")
    chosen = args.arm or (recorded.arms if recorded and len(recorded.arms) > 1 else None)
    arms = comparison_arms(scenario, chosen, reference, reference_path="--reference")
    reps = args.reps or (recorded.replicates if recorded else scenario.replicates)
    weeks = args.weeks or (recorded.weeks if recorded else scenario.weeks)
    out = _out_for(args, recorded, Path("results") / f"{scenario.name}-compare")
    results, manifest, code = _execute(args, scenario, arms, reps, weeks, out, "compare", recorded)
    if code:
        return code
    effects = effects_table(results, arms, reference, reps)
    costs = costs_table(results, effects, arms, reference, reps)
    atomic_write(out / "effects.csv", effects.to_csv(index=False))
    atomic_write(out / "costs.csv", costs.to_csv(index=False))
    if not args.no_report:
        build_report(out, args.lang)
    if not args.quiet:
        _print_effects(out, effects, costs, manifest)
    return 0


def _print_effects(out: Path, effects, costs, manifest) -> None:
    from simgov.experiment.compare import effect_cells

    print(f"{len(manifest['runs'])} runs of {manifest['weeks']} weeks in {manifest['seconds']:.1f} s "
          f"-> {out}/ (effects.csv, costs.csv, constraints.csv, timeseries.csv, summary.csv, manifest.json, "
          "report.html)")
    print(f"effects against {effects.reference.iloc[0]} (final-year means, {manifest['replicates']} paired "
          "replicates, 95% interval):")
    print(effect_cells(effects, lambda x: f"{x:+.3f}").to_string())
    print("cost a year (policies):")
    print(costs.set_index("arm")[["yuan_per_year", "staff_hours_per_year", "social_worker_hours_per_year",
                                  "volunteer_hours_per_year"]].to_string(float_format=lambda x: f"{x:,.0f}"))
    _print_constraints(out)


def _print_constraints(out: Path) -> None:
    """The pools that bound in each arm (constraints.csv), in one line per arm."""
    import pandas as pd

    from simgov.experiment.constraints import binding

    table = pd.read_csv(out / "constraints.csv")
    print("constraints that bound (share of weeks short; constraints.csv):")
    for arm in dict.fromkeys(table.arm):
        mine = table[table.arm == arm].set_index("pool")
        bound = binding(table, arm)
        words = ", ".join(f"{p} {mine.loc[p, 'weeks_binding_share']:.0%}" for p in bound) or "none"
        print(f"  {arm}: {words}")


def _print_summary(out: Path, results, manifest) -> None:
    from simgov.experiment.output import summary_table

    s = summary_table(results)
    key = ["cohesion_index", "trust_neighbors", "participation_rate", "disputes_open",
           "unmet_needs_share"]
    table = (s[s.metric.isin(key)].groupby(["metric", "arm"], sort=False)["final_year_mean"]
             .mean().unstack("arm").reindex(key))
    print(f"{len(results)} runs of {manifest['weeks']} weeks in {manifest['seconds']:.1f} s "
          f"-> {out}/ (timeseries.csv, summary.csv, constraints.csv, manifest.json, report.html)")
    print("final-year means across replicates:")
    print(table.to_string(float_format=lambda x: f"{x:.3f}"))
    _print_constraints(out)


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


def cmd_report(args) -> int:
    from simgov.errors import Problem
    from simgov.report import build_report

    folder = args.folder
    needs = ("manifest.json", "design.csv") if (folder / "design.csv").is_file() else \
        ("manifest.json", "timeseries.csv", "summary.csv")
    missing = [f for f in needs if not (folder / f).is_file()]
    if missing:
        raise InputError(Problem(f"{folder} is not a simgov results folder: no {', '.join(missing)} "
                                 "(give the --out folder of simgov run, compare or sweep)"))
    path = build_report(folder, args.lang)
    print(f"wrote {path} and {folder / 'figures'}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure(-1 if args.quiet_log else args.verbose)
    handler = {"run": cmd_run, "compare": cmd_compare, "sweep": cmd_sweep, "report": cmd_report,
               "validate": cmd_validate, "scenarios": cmd_scenarios, "show": cmd_show,
               "demo": cmd_demo}[args.command]
    terminated = []

    def on_term(signum, frame):  # SIGTERM (kill, a cluster's scheduler) stops like Ctrl-C: finished work is kept
        terminated.append(signum)
        raise KeyboardInterrupt

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if main_thread else None
    try:
        return handler(args)
    except InputError as exc:
        for problem in exc.problems:
            logger.error(str(problem))
        return 2
    except KeyboardInterrupt:
        return 143 if terminated else 130
    except Exception as exc:
        if args.debug:
            raise
        logger.error(f"internal error: {type(exc).__name__}: {exc} "
                     "(run with --debug for the traceback, and please report it)")
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
