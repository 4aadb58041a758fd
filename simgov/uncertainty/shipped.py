"""A posterior shipped beside a bundled scenario, and its record: what it was fitted on.

In practice: a posterior is only valid for the scenario and model it was fitted on. A first
B-community posterior went stale without anyone noticing (fitted before linkage and turnover,
and against volunteer recruitment the scenario later settled); each shipped posterior
therefore carries a record, and a comparison under it checks the record first.

Rule:

- ``simgov/scenarios/NAME.posterior.csv`` (weight, then one column per parameter path) comes
  with ``NAME.posterior.json``: the scenario's ``digest``, simgov's version and git commit,
  the command and settings of the fit, the parameters screened and fitted, and the
  diagnostics (per generation, posterior predictive, parameters). ``simgov calibrate`` writes
  the same record as ``posterior.json`` beside its ``posterior.csv``.
- The digest is a SHA-256 of every model input of the scenario (its JSON form without the
  prose: titles, descriptions, sources, and the ``calibration`` / ``settled`` records, which
  describe but do not set values). Targets, arms, policies, weeks and seed are in it: the fit
  depends on all of them.
- ``--uncertainty posterior`` **refuses** (exit 2) a shipped posterior with no record or whose
  digest differs from the scenario's: its particles were fitted on other inputs, and a
  comparison under them would report posterior intervals that no longer follow from the
  patterns. The refusal says how to refit (experiments/calibrate_bundled.py NAME) or how to use
  the file anyway (``--uncertainty`` with its path, at the analyst's own risk). A posterior
  given as a FILE whose record does not match is used with a warning: the analyst chose it.
- Another simgov version or commit only warns: most commits (speed work, reports) leave the
  model's numbers as they are, and refusing on every commit would make shipping useless; a
  change that moves the patterns shows in docs/validation.md's rerun.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

from simgov.errors import InputError, Problem
from simgov.log import logger
from simgov.scenario import Scenario
from simgov.scenario.loader import bundled_dir, is_file

#: Scenario fields that describe it without setting any model input.
PROSE = ("title", "title_zh", "description", "description_zh", "sources", "extends", "calibration", "settled")
RECORD_SUFFIX = ".json"


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of the scenario's model inputs (everything but ``PROSE``)."""
    data = scenario.model_dump(mode="json", exclude=set(PROSE))
    return hashlib.sha256(json.dumps(data, sort_keys=True, allow_nan=True).encode("utf-8")).hexdigest()


def settled_paths(scenario: Scenario) -> list[str]:
    """The parameter paths the scenario's ``settled`` record fixed (experiments/settle_stocks.py)."""
    record = scenario.settled or {}
    return list((record.get("parameters") or {}) if isinstance(record, dict) else {})


def git_commit() -> str:
    """The source tree's commit (with ``+dirty`` for uncommitted changes), or "" outside git."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if dirty else "")


def record_of(scenario: Scenario, calibration, settings: dict, command: str, screening=None) -> dict:
    """The record of a calibration (simgov.uncertainty.calibration.Calibration) of ``scenario``."""
    from simgov import __version__

    def rows(frame):  # plain numbers, 6 significant figures (a fit's noise is far larger)
        return [{k: float(f"{v:.6g}") if isinstance(v, float) else v.item() if hasattr(v, "item") else v
                 for k, v in row.items()} for row in frame.to_dict("records")]

    return {"scenario": scenario.name, "digest": scenario_digest(scenario), "simgov": __version__,
            "commit": git_commit(), "command": command, "settings": settings,
            "settled": settled_paths(scenario), "parameters": list(calibration.posterior.columns[1:]),
            "screening": rows(screening) if screening is not None else [],
            "particles": int(len(calibration.posterior)),
            # over every session of a resumed fit: the generations' own wall times
            "seconds": round(max(float(calibration.seconds), float(calibration.generations.seconds.sum())), 1),
            "generations": rows(calibration.generations), "predictive": rows(calibration.predictive),
            "posterior": rows(calibration.parameters)}


def record_path(posterior: Path) -> Path:
    return Path(posterior).with_suffix(RECORD_SUFFIX)


def write_record(posterior: Path, record: dict) -> Path:
    from simgov.experiment.output import atomic_write

    path = record_path(posterior)
    # allow_nan: an open target range is Infinity (Python's json reads it back)
    atomic_write(path, json.dumps(record, indent=1, ensure_ascii=False, allow_nan=True) + "\n")
    return path


def read_record(posterior: Path) -> dict | None:
    path = record_path(posterior)
    if not is_file(path):
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(Problem(f"the posterior's record cannot be read: {exc}", path)) from None


def shipped_posterior(scenario: Scenario) -> Path:
    return bundled_dir() / f"{scenario.name}.posterior.csv"


def not_shipped(scenario: Scenario, where: str = "--uncertainty") -> InputError:
    """The error for ``--uncertainty posterior`` on a scenario that ships none, naming those that do."""
    have = ", ".join(sorted(p.name.removesuffix(".posterior.csv") for p in bundled_dir().glob("*.posterior.csv")))
    return InputError(Problem(f"scenario '{scenario.name}' has no shipped posterior "
                              f"({shipped_posterior(scenario).name}; bundled scenarios with one: {have or 'none'}); "
                              "give prior, or a posterior.csv file (simgov calibrate writes one)", path=where))


def shipped_records() -> dict[str, dict]:
    """Every bundled scenario's shipped record, by scenario name."""
    out = {}
    for file in sorted(bundled_dir().glob(f"*.posterior{RECORD_SUFFIX}")):
        record = json.loads(file.read_text(encoding="utf-8"))
        out[record["scenario"]] = record
    return out


def ship(name: str, calibration, settings: dict, command: str, screening=None) -> list[Path]:
    """Copy a calibration's posterior beside bundled scenario ``name`` and write its record."""
    from simgov.scenario import load_scenario

    scenario = load_scenario(name)
    target = shipped_posterior(scenario)
    shutil.copyfile(Path(calibration.folder) / "posterior.csv", target)
    return [target, write_record(target, record_of(scenario, calibration, settings, command, screening))]


def stale(scenario: Scenario, record: dict | None) -> str:
    """Why ``record`` does not describe a fit of ``scenario`` as it is now ("" when it does)."""
    if record is None:
        return "it has no record of what it was fitted on"
    if record.get("scenario") != scenario.name:
        return f"it was fitted on scenario '{record.get('scenario')}'"
    if record.get("digest") != scenario_digest(scenario):
        return (f"scenario '{scenario.name}' has changed since it was fitted (commit "
                f"{record.get('commit') or 'unknown'})")
    return ""


def check_posterior(scenario: Scenario, file: Path, shipped: bool, where: str = "--uncertainty") -> None:
    """Refuse a stale shipped posterior; warn about a stale FILE or another model version."""
    from simgov import __version__

    record = read_record(file)
    why = stale(scenario, record)
    if why and shipped:
        raise InputError(Problem(f"the shipped posterior {file.name} is stale: {why}. Refit it "
                                 f"(python experiments/calibrate_bundled.py {scenario.name}), use the prior, or "
                                 f"give the file's path to use it anyway", path=where))
    if why and record is not None:
        logger.warning(f"posterior {file}: {why}; its draws may not follow from the scenario's patterns")
    if record is not None and record.get("simgov") != __version__:
        logger.warning(f"posterior {file} was fitted with simgov {record.get('simgov')} (this is {__version__})")


__all__ = ["PROSE", "check_posterior", "git_commit", "not_shipped", "read_record", "record_of", "record_path",
           "scenario_digest", "settled_paths", "ship", "shipped_posterior", "shipped_records", "stale", "write_record"]
