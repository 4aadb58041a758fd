"""Reading back what ``simgov run`` and ``simgov compare`` recorded, to run it again exactly.

A run's ``manifest.json`` holds the scenario as it ran (written by ``simgov.scenario.dump``:
every default and every policy parameter), the arms, replicates and weeks, and each
replicate's seed. ``read_recorded`` turns it back into those settings, and checks that the
seeds it lists are the ones the scenario's seed gives, so a rerun draws the same numbers. A
manifest written by other model code (its ``environment.code``, simgov.provenance) is rerun
with a warning that the numbers may differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from simgov.errors import InputError, Problem
from simgov.log import logger
from simgov.provenance import code_digest
from simgov.scenario import Scenario, load
from simgov.streams import replicate_seed

RERUNNABLE = ("run", "compare")


@dataclass(frozen=True)
class Recorded:
    """The settings of a recorded run or comparison."""

    path: Path  # the manifest file
    kind: str  # run or compare
    scenario: Scenario
    arms: list[str]  # for a comparison, the reference first
    replicates: int
    weeks: int
    derived: dict = field(default_factory=dict)  # a comparison's interactions and factorial (their plan)


def manifest_path(name: str | Path) -> Path | None:
    """The manifest that ``name`` names (a .json file, or a results folder holding a
    manifest.json), or None when it names something else (a scenario)."""
    path = Path(name).expanduser()
    if path.suffix == ".json":
        return path
    if path.is_dir() and (path / "manifest.json").is_file():
        return path / "manifest.json"
    return None


def _warn_other_code(path: Path, environment) -> None:
    """A rerun by other model code need not give the recorded numbers: say so (not an error:
    rerunning an old manifest on new code is how a change's effect is seen)."""
    recorded = environment.get("code") if isinstance(environment, dict) else None
    if recorded and recorded != code_digest():
        logger.warning(f"{path}: recorded by other simgov model code (code digest {recorded}, this is "
                       f"{code_digest()}): the rerun may differ from the recorded numbers")


def read_recorded(path: Path) -> Recorded:
    """The recorded settings in the manifest at ``path``; anything missing or inconsistent
    is an input error naming the file and the field."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(Problem(f"cannot read the manifest: {exc.strerror}", path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else ()
        raise InputError(Problem(f"not a JSON manifest: {exc}", path, "", *where)) from None
    if not isinstance(manifest, dict) or "scenario" not in manifest:
        raise InputError(Problem("not a simgov manifest (no 'scenario'): give the manifest.json of "
                                 "simgov run or compare", path))
    kind = manifest.get("kind")
    if kind not in RERUNNABLE:
        hint = " (repeat a sweep's run with simgov.experiment.sweep.reproduce)" if kind == "sweep" else ""
        raise InputError(Problem(f"a manifest of '{kind}' cannot be rerun{hint}; allowed: "
                                 f"{', '.join(RERUNNABLE)}", path, "kind"))
    scenario = load(manifest["scenario"], source=path)
    try:
        arms, reps, weeks = list(manifest["arms"]), int(manifest["replicates"]), int(manifest["weeks"])
        seeds = {int(k): int(v) for k, v in manifest["seeds"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(Problem(f"missing or malformed: {exc}", path)) from None
    expected = {i: replicate_seed(scenario.seed, i) for i in range(reps)}
    if seeds != expected:
        raise InputError(Problem(f"the seeds listed are not those that scenario seed {scenario.seed} gives to "
                                 f"{reps} replicates: the manifest was edited, or written by a simgov that "
                                 "derived seeds differently", path, "seeds"))
    _warn_other_code(path, manifest.get("environment"))
    derived = manifest.get("derived") or {}
    if not isinstance(derived, dict):
        raise InputError(Problem(f"'derived' must be a mapping, not {type(derived).__name__}", path, "derived"))
    return Recorded(path, kind, scenario, arms, reps, weeks, derived)
