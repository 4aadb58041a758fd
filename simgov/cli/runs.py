"""``simgov run`` and ``simgov compare``: a scenario's arms and replicates, each finished run kept,
and a comparison's effects and costs (a manifest given as SCENARIO reruns what it recorded)."""

from __future__ import annotations

import shlex
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from simgov.cli.common import SCENARIO_HELP, Terminated, int_in
from simgov.errors import InputError, Problem
from simgov.log import logger
from simgov.report.labels import LANGS


def register(sub) -> None:
    run = sub.add_parser("run", help="run a scenario and write its results and report",
                         description="Run a scenario's replicates and write timeseries.csv, "
                                     "summary.csv, manifest.json and report.html into DIR. Given the "
                                     "manifest.json of an earlier run or compare (or its folder), run it "
                                     "again exactly: the recorded scenario, arms, seeds, weeks and "
                                     "replicates, and the same outputs (a comparison's too); an option "
                                     "given overrides what was recorded.")
    run.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    run.add_argument("--weeks", type=int_in(1, 5200, "--weeks"),
                     help="weeks to simulate (default: the scenario's, or the manifest's)")
    run.add_argument("--seed", type=int_in(0, 2**63 - 1, "--seed"), help="scenario seed (default: the scenario's)")
    run.add_argument("--reps", type=int_in(1, 100_000, "--reps"),
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
    cmp.add_argument("--reps", type=int_in(1, 100_000, "--reps"),
                     help="replicates (default: the scenario's, or the manifest's)")
    cmp.add_argument("--weeks", type=int_in(1, 5200, "--weeks"),
                     help="weeks to simulate (default: the scenario's, or the manifest's)")
    cmp.add_argument("--arm", action="append", metavar="ARM",
                     help="arm to compare (repeatable; default: all, or the manifest's)")
    cmp.add_argument("--reference", metavar="ARM", help="arm to compare against "
                     "(default: baseline, or a manifest's)")
    cmp.add_argument("--seed", type=int_in(0, 2**63 - 1, "--seed"), help="scenario seed (default: the scenario's)")
    cmp.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: results/SCENARIO-compare)")
    cmp.add_argument("--no-interactions", action="store_true",
                     help="skip the interactions: by default every arm that combines two or more policies is "
                     "compared with the sum of its parts (interactions.csv), which runs each part alone, and the "
                     "arm's parameters without its policies where it overrides any, as extra arms (REPS runs each) "
                     "unless the scenario has an equal arm")
    cmp.add_argument("--factorial", metavar="FACTORS",
                     help="a full 2^k factorial: every subset of FACTORS (comma-separated arm names or policy "
                     "types, or one arm that combines policies: its policies), 2^k arms of REPS runs each, and "
                     "factorial.csv with main effects and two-way interactions (effects coding) with 95%% intervals")
    cmp.add_argument("--no-report", action="store_true", help="skip report.html")
    cmp.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    for sp in (run, cmp):
        sp.add_argument("--force", action="store_true", help="replace the results of another run or kind in "
                        "--out (default: refuse, exit 2)")
        sp.add_argument("--workers", type=int_in(1, 1024, "--workers"), default=1,
                        help="processes to run replicates in (default: 1)")
        sp.add_argument("--lang", choices=LANGS, default="en", help="language of the report (default: en)")

    from simgov.cli.uncertain import add_options

    add_options(cmp)
    run.set_defaults(handler=cmd_run)
    cmp.set_defaults(handler=cmd_compare)

def _claim_out(args, scenario, arms: list[str], reps: int, weeks: int, out: Path, command: str) -> str:
    """Check ``--out`` before any run (a file, read-only, another kind of result, a different
    run: exit 2 unless --force); returns the run's fingerprint for its manifest."""
    from simgov.experiment.folder import claim, fingerprint
    from simgov.scenario import dump

    print_ = fingerprint({"kind": command, "scenario": dump(scenario),
                          "arms": arms, "replicates": reps, "weeks": weeks})
    claim(out, command, print_, force=args.force)
    return print_


def _execute(args, scenario, arms: list[str], reps: int, weeks: int, out: Path, command: str,
             recorded=None, finish=None, extra: dict | None = None):
    """Run the plan, keeping every finished run; returns (results, manifest, exit code).

    The manifest is written first (status running), each run's rows as it finishes, and the
    tables (in plan order), ``finish(out, results)``'s files if every run finished, and the
    manifest with every file's digest last, whatever happens: a failed or interrupted run
    loses nothing that finished, and a killed one leaves a folder that says so.
    """
    from simgov.experiment import in_plan_order, run_replicates
    from simgov.experiment.folder import record_files
    from simgov.experiment.output import append_run, environment, write_manifest, write_tables
    from simgov.scenario import dump
    from simgov.streams import replicate_seed

    manifest = {
        "status": "running",
        "kind": command,
        "fingerprint": _claim_out(args, scenario, arms, reps, weeks, out, command),
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
    manifest.update(extra or {})
    write_manifest(out, manifest)
    results, started, code = [], time.perf_counter(), 0
    try:
        for result in run_replicates(scenario, reps, arms, weeks, progress=False if args.quiet else None,
                                     workers=args.workers):
            append_run(out, result, first=not results)
            results.append(result)
            manifest["runs"].append({"arm": result.arm, "replicate": result.replicate,
                                     "seed": result.seed, "seconds": round(result.seconds, 3)})
            logger.debug(f"{result.arm}, replicate {result.replicate} (seed {result.seed}): {result.seconds:.2f} s")
        manifest["status"] = "complete"
    except KeyboardInterrupt as exc:
        manifest["status"], code = "interrupted", 143 if isinstance(exc, Terminated) else 130
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
    if finish is not None and not code:
        finish(out, results)
    manifest["files"] = record_files(out, ("timeseries.csv", "summary.csv", "constraints.csv", "shocks.csv",
                                           "network.npz", "effects.csv", "costs.csv", "interactions.csv",
                                           "factorial.csv"))
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


def _run_arms(scenario, asked: list[str] | None) -> list[str]:
    """--arm values: baseline by default, 'all' for every arm; each arm once and known."""
    from simgov.experiment.runs import check_arms

    arms = asked or ["baseline"]
    if arms == ["all"]:
        return scenario.arm_names
    if "all" in arms:
        raise InputError(Problem("--arm all runs every arm: give it alone, or name the arms", path="--arm"))
    try:
        return check_arms(scenario, arms)
    except InputError as exc:
        raise InputError([Problem(p.message, p.file, "--arm") for p in exc.problems]) from None


def cmd_run(args) -> int:
    from simgov.report import build_report

    scenario, recorded = _scenario_for(args)
    if recorded is not None and recorded.kind == "compare":
        from simgov.cli.uncertain import recorded_uncertainty

        if recorded_uncertainty(args, recorded):
            from simgov.cli.uncertain import compare_uncertain

            return compare_uncertain(args, scenario, recorded)
        return _compare(args, scenario, recorded)
    arms = _run_arms(scenario, args.arm or (recorded.arms if recorded else None))
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
    if args.uncertainty is None and (args.draws or args.yuan_per_unit is not None or args.executor or args.scheduler):
        raise InputError(Problem("--draws, --yuan-per-unit, --executor and --scheduler are for a comparison under "
                                 "uncertainty: add --uncertainty prior|posterior|FILE", path="--uncertainty"))
    if args.uncertainty is not None:
        from simgov.cli.uncertain import compare_uncertain

        if args.factorial:  # interactions and factorials are estimated over replicates, not parameter draws
            raise InputError(Problem("--factorial is for a comparison without --uncertainty", path="--factorial"))
        return compare_uncertain(args, *_scenario_for(args))
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
    planned, derived = _plan(args, scenario, arms, recorded)
    scenario, arms = planned.scenario, planned.arms
    reps = args.reps or (recorded.replicates if recorded else scenario.replicates)
    weeks = args.weeks or (recorded.weeks if recorded else scenario.weeks)
    out = _out_for(args, recorded, Path("results") / f"{scenario.name}-compare")
    tables = {}

    def finish(out, results):
        tables["effects"] = effects_table(results, arms, reference, reps)
        tables["costs"] = costs_table(results, tables["effects"], arms, reference, reps)
        tables["interactions"], tables["factorial"] = planned.tables(results, reps)
        for name, frame in tables.items():
            if frame is not None:
                atomic_write(out / f"{name}.csv", frame.to_csv(index=False))

    results, manifest, code = _execute(args, scenario, arms, reps, weeks, out, "compare", recorded, finish,
                                       {"derived": derived})
    if code:
        return code
    if not args.no_report:
        build_report(out, args.lang)
    if not args.quiet:
        _print_effects(out, tables, manifest)
    return 0


def _plan(args, scenario, arms: list[str], recorded):
    """The arms the interactions and a factorial add (``simgov.experiment.interactions``), and
    what the manifest keeps of them: what was asked, so a rerun asks it again, and the plan."""
    from simgov.experiment.interactions import plan

    asked = (recorded.derived.get("asked") if recorded is not None else None) or {}
    on = not getattr(args, "no_interactions", False) and asked.get("interactions", True)
    factorial = getattr(args, "factorial", None) or asked.get("factorial")
    try:
        planned = plan(scenario, arms, on, factorial)
    except InputError as exc:  # a factor's problem names the option
        raise InputError([Problem(p.message, p.file, p.path or "--factorial") for p in exc.problems]) from None
    record = planned.record()
    record["arms"] = {**(recorded.derived.get("arms", {}) if recorded is not None else {}), **record["arms"]}
    return planned, {"asked": {"interactions": on, "factorial": factorial}, **record}


def _print_effects(out: Path, tables: dict, manifest) -> None:
    from simgov.experiment.compare import effect_cells

    effects, costs = tables["effects"], tables["costs"]
    files = ", ".join(f"{n}.csv" for n, t in tables.items() if t is not None)
    print(f"{len(manifest['runs'])} runs of {manifest['weeks']} weeks in {manifest['seconds']:.1f} s "
          f"-> {out}/ ({files}, constraints.csv, timeseries.csv, summary.csv, manifest.json, report.html)")
    print(f"effects against {effects.reference.iloc[0]} (final-year means, {manifest['replicates']} paired "
          "replicates, 95% interval):")
    print(effect_cells(effects, lambda x: f"{x:+.3f}").to_string())
    print("cost a year (policies):")
    print(costs.set_index("arm")[["yuan_per_year", "staff_hours_per_year", "social_worker_hours_per_year",
                                  "volunteer_hours_per_year"]].to_string(float_format=lambda x: f"{x:,.0f}"))
    _print_interactions(tables["interactions"], tables["factorial"])
    _print_constraints(out)


def _print_interactions(interactions, factorial) -> None:
    """The interactions and the factorial's effects on the main outcomes, if there are any."""
    from simgov.experiment.compare import MAIN_OUTCOMES
    from simgov.experiment.interactions import interaction_cells

    if interactions is not None and not interactions.empty:
        print("interactions (combined effect - sum of its parts' effects, 95% interval; interactions.csv):")
        print(interaction_cells(interactions, MAIN_OUTCOMES, lambda x: f"{x:+.3f}").to_string())
    if factorial is not None:
        print("factorial (effects coding: main effects and two-way interactions, 95% interval; factorial.csv):")
        cells = factorial[factorial.metric.isin(MAIN_OUTCOMES)].assign(
            effect=lambda f: [f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" for d, lo, hi in zip(f.effect, f.ci_low, f.ci_high,
                                                                                     strict=True)])
        print(cells.pivot(index="term", columns="metric", values="effect")
              .reindex(columns=list(MAIN_OUTCOMES), index=list(dict.fromkeys(cells.term))).to_string())


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


