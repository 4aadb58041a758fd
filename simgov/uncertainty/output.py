"""An uncertain comparison's folder: claimed, locked, resumable, and its tables written.

The folder holds ``manifest.json`` (kind ``compare`` with an ``uncertainty`` block: source,
draws, seed, yuan per unit), ``draws.csv`` (one row per draw: its parameter values), the
runs (``parts/`` while running, ``runs.parquet`` once complete), and once every run has a
record ``effects.csv``, ``costs.csv``, ``decision.csv``, ``ceac.csv`` and ``evppi.csv``
(simgov.uncertainty.decision), then ``report.html``. Running the same comparison into the
same folder again (same fingerprint: scenario, arms, replicates, weeks, draws) keeps every
finished task and runs only the rest; a different one is refused unless ``force``.
"""

from __future__ import annotations

import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from simgov.experiment.files import atomic_write
from simgov.experiment.folder import claim, fingerprint, read_manifest, record_files
from simgov.experiment.lock import folder_lock
from simgov.experiment.output import environment, write_manifest
from simgov.experiment.store import RunStore
from simgov.scenario import Scenario, dump
from simgov.streams import replicate_seed
from simgov.uncertainty.comparison import TABLES, UncertainComparison, parameter_draws, run_uncertain_comparison

KIND = "compare"


def run_into(out: Path, scenario: Scenario, uncertainty: str, draws: int, arms: list[str], reps: int, weeks: int,
             reference: str, executor: str | None = None, workers: int = 1, scheduler: str | None = None,
             yuan_per_unit: float | None = None, force: bool = False, progress: bool | None = None,
             command: str | None = None) -> tuple[UncertainComparison, dict]:
    """Run (or finish) the comparison into ``out``; returns it and its manifest."""
    from simgov.uncertainty.decision import YUAN_PER_UNIT

    yuan_per_unit = YUAN_PER_UNIT if yuan_per_unit is None else float(yuan_per_unit)
    table, source = parameter_draws(scenario, uncertainty, draws)
    print_ = fingerprint({"kind": KIND, "scenario": dump(scenario), "arms": arms, "replicates": reps, "weeks": weeks,
                          "draws": table.to_csv()})
    old = read_manifest(out) if Path(out).is_dir() and not force else None
    resume = old is not None and old.get("kind") == KIND and old.get("fingerprint") == print_
    if not resume:
        claim(out, KIND, print_, force=force)
    with folder_lock(out):
        manifest = old if resume else {
            "kind": KIND, "fingerprint": print_, "environment": environment(), "arms": arms, "replicates": reps,
            "weeks": weeks, "seeds": {str(i): replicate_seed(scenario.seed, i) for i in range(reps)},
            "uncertainty": {"source": source, "draws": len(table), "draw_seed": scenario.seed,
                            "seeds": "replicate i of every draw and arm uses seeds[i]"},
            "scenario": dump(scenario), "sessions": []}
        manifest["uncertainty"]["yuan_per_unit"] = yuan_per_unit  # an analysis setting: free on a rerun
        session = len(manifest["sessions"]) + 1
        store = RunStore(out, session)
        store.set_aside_damaged()
        status = store.read(columns=["point", "replicate", "status"])
        ok = status.groupby(["point", "replicate"]).status.agg(lambda s: bool((s == "ok").all()))
        done = {(int(p), int(r)) for (p, r), good in ok.items() if good}
        record = {"session": session, "command": command or shlex.join(["simgov", *sys.argv[1:]]),
                  "started": datetime.now(UTC).isoformat(timespec="seconds"), "tasks_done_before": len(done)}
        manifest["sessions"].append(record)
        manifest.update(status="running", command=record["command"], started=record["started"])
        atomic_write(out / "draws.csv", table.to_csv())
        write_manifest(out, manifest)
        started = time.perf_counter()
        result = run_uncertain_comparison(scenario, uncertainty, draws, reps, weeks, arms[1:], reference, executor,
                                          workers, scheduler, yuan_per_unit, progress, store, done, session)
        manifest["seconds"] = round(time.perf_counter() - started, 3)
        record.update(status=result.status, seconds=manifest["seconds"], **({"error": result.error} if result.error
                                                                            else {}))
        manifest["status"] = result.status
        if result.error and result.status == "failed":
            manifest["error"] = result.error
        else:
            manifest.pop("error", None)
        if result.status == "complete":
            store.compact()
            for name, frame in result.tables.items():
                atomic_write(out / f"{name}.csv", frame.to_csv(index=False))
        manifest["runs"] = {"total": len(table) * reps * len(arms), "recorded": len(result.runs)}
        manifest["files"] = record_files(out, TABLES)
        write_manifest(out, manifest)
    return result, manifest
