"""Writing run results to a folder: timeseries.csv, summary.csv, constraints.csv and manifest.json.

Files are written atomically (to a temporary name, then renamed), so an interrupted run
never leaves a half-written file, and whatever finished before a failure is kept.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment.constraints import constraints_table
from simgov.experiment.runs import SUMMARY_STATS, RunResult
from simgov.metrics import METRIC_NAMES
from simgov.scenario import to_json

KEYS = ["arm", "replicate", "seed"]


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def write_tables(out: Path, results: list[RunResult]) -> None:
    atomic_write(out / "timeseries.csv", timeseries_table(results).to_csv(index=False))
    atomic_write(out / "summary.csv", summary_table(results).to_csv(index=False))
    arms = list(dict.fromkeys(r.arm for r in results))
    atomic_write(out / "constraints.csv", constraints_table(results, arms).to_csv(index=False))
    write_snapshots(out / "network.npz", results)


def write_snapshots(path: Path, results: list[RunResult]) -> None:
    """The runs' network samples in one .npz, keyed ``arm|week|field``."""
    arrays = {f"{r.arm}|{week}|{name}": value for r in results for week, snap in r.snapshots.items()
              for name, value in snap.items()}
    if not arrays:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".npz", dir=path.parent)
    os.close(fd)
    try:
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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

    return {"simgov": __version__, "python": sys.version.split()[0], "mesa": mesa.__version__,
            "numpy": numpy.__version__, "pandas": pd.__version__, "platform": platform.platform()}
