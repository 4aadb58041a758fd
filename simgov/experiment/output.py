"""Writing run results to a folder: timeseries.csv, summary.csv, constraints.csv, shocks.csv (when
the runs had shocks) and manifest.json.

Files are written atomically (``simgov.experiment.files``), so an interrupted run never
leaves a half-written file, and whatever finished before a failure is kept.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment.constraints import constraints_table
from simgov.experiment.files import atomic, atomic_write, write_error
from simgov.experiment.runs import SUMMARY_STATS, RunResult
from simgov.metrics import METRIC_NAMES
from simgov.provenance import code_digest
from simgov.scenario import to_json
from simgov.shocks.outcomes import COLUMNS as SHOCK_COLUMNS

KEYS = ["arm", "replicate", "seed"]
__all__ = ["atomic_write", "environment", "read_snapshots", "shocks_table", "summary_table", "timeseries_table",
           "write_manifest", "write_snapshots", "write_tables"]


def _long_table(results: list[RunResult], frame_of, columns: list[str]) -> pd.DataFrame:
    """One frame per run (``frame_of(result)``), each prefixed with the run's arm, replicate and seed."""
    frames = [frame_of(r).assign(arm=r.arm, replicate=r.replicate, seed=r.seed) for r in results]
    if not frames:
        return pd.DataFrame(columns=KEYS + columns)
    table = pd.concat(frames, ignore_index=True)
    return table[KEYS + [c for c in table.columns if c not in KEYS]]


def timeseries_table(results: list[RunResult]) -> pd.DataFrame:
    """Columns arm, replicate, seed, week, then every metric; one row per run-week."""
    return _long_table(results, lambda r: r.timeseries, ["week", *METRIC_NAMES])


def summary_table(results: list[RunResult]) -> pd.DataFrame:
    """Columns arm, replicate, seed, metric, final, mean, final_year_mean."""
    return _long_table(results, lambda r: r.summary.reset_index(), ["metric", *SUMMARY_STATS])


def shocks_table(results: list[RunResult]) -> pd.DataFrame:
    """Columns arm, replicate, seed, then each shock's outcomes (simgov.shocks.outcomes); one
    row per run and shock, empty when no run had a shock."""
    return _long_table([r for r in results if r.shocks is not None], lambda r: r.shocks, list(SHOCK_COLUMNS))


def append_run(out: Path, result: RunResult, first: bool) -> None:
    """One finished run's rows added to timeseries.csv and summary.csv (started afresh with
    ``first``), so a killed run keeps every run that finished; ``write_tables`` rewrites
    them whole, in plan order, at the end."""
    for name, table in (("timeseries.csv", timeseries_table([result])), ("summary.csv", summary_table([result]))):
        path = out / name
        try:
            with open(path, "w" if first else "a", encoding="utf-8", newline="") as f:
                f.write(table.to_csv(index=False, header=first))
        except OSError as exc:
            raise write_error(path, exc) from None


def write_tables(out: Path, results: list[RunResult]) -> None:
    weekly = timeseries_table(results)
    atomic_write(out / "timeseries.csv", weekly.to_csv(index=False))
    atomic_write(out / "summary.csv", summary_table(results).to_csv(index=False))
    atomic_write(out / "constraints.csv", constraints_table(weekly).to_csv(index=False))
    shocks = shocks_table(results)
    if len(shocks):
        atomic_write(out / "shocks.csv", shocks.to_csv(index=False))
    write_snapshots(out / "network.npz", results)


def write_snapshots(path: Path, results: list[RunResult]) -> None:
    """The runs' network samples in one .npz, keyed ``arm|week|field``."""
    arrays = {f"{r.arm}|{week}|{name}": value for r in results for week, snap in r.snapshots.items()
              for name, value in snap.items()}
    if not arrays:
        return
    with atomic(path) as tmp, open(tmp, "wb") as f:
        np.savez_compressed(f, **arrays)


def read_snapshots(path: Path) -> dict[tuple[str, int], dict[str, np.ndarray]]:
    """(arm, week) -> network sample, from ``write_snapshots``' file (empty if there is none)."""
    if not path.is_file():
        return {}
    out: dict[tuple[str, int], dict[str, np.ndarray]] = {}
    with np.load(path) as data:
        for key in data.files:
            arm, week, name = key.rsplit("|", 2)
            out.setdefault((arm, int(week)), {})[name] = data[key]
    return out


def write_manifest(out: Path, manifest: dict) -> None:
    atomic_write(out / "manifest.json", to_json(manifest) + "\n")


def environment() -> dict:
    import mesa
    import numpy

    from simgov import __version__

    return {"simgov": __version__, "code": code_digest(), "python": sys.version.split()[0], "mesa": mesa.__version__,
            "numpy": numpy.__version__, "pandas": pd.__version__, "platform": platform.platform()}
