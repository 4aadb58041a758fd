"""The sweep's results on disk, written as runs finish.

A sweep folder holds ``design.csv``, ``manifest.json`` and, while it runs, ``parts/``: one
Parquet file per finished task (``runs-SSSS-NNNNNN.parquet``, and ``series-...`` when weekly
series are kept), each written to a temporary name and renamed, so a killed sweep leaves
only whole files. The parent process keeps no results in memory: finished runs are on disk.

When every run has a record the parts are compacted, one part at a time, into
``runs.parquet`` (and ``timeseries.parquet``). A run recorded twice (a failed run retried
by ``--resume``) keeps its latest record. ``--resume`` reads which runs have finished from
the parts and the compacted files, and runs only the others.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simgov.experiment.files import atomic

RUNS, SERIES = "runs", "series"
FILES = {RUNS: "runs.parquet", SERIES: "timeseries.parquet"}
KEY = ["point", "replicate"]


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    with atomic(path) as tmp:
        pq.write_table(table, tmp)


def _latest(keys: pd.DataFrame) -> pd.DataFrame:
    """From point, replicate and src (the source's rank, in writing order) of every row: the
    source that recorded each run last. A run's record there supersedes earlier ones."""
    return keys.drop_duplicates(KEY, keep="last")[KEY + ["src"]]


class RunStore:
    """Parts written as tasks finish; the compacted tables once every run has a record."""

    def __init__(self, folder: Path, session: int):
        self.folder = Path(folder)
        self.parts = self.folder / "parts"
        self.session = session
        self._count = 0

    def _part_files(self, kind: str) -> list[Path]:
        # Names sort in the order written: session, then a counter within the session.
        return sorted(self.parts.glob(f"{kind}-*.parquet")) if self.parts.is_dir() else []

    def _sources(self, kind: str) -> list[Path]:
        done = self.folder / FILES[kind]
        return ([done] if done.is_file() else []) + self._part_files(kind)

    def write(self, runs: pd.DataFrame, series: pd.DataFrame | None = None) -> None:
        """One task's rows. The series part goes first: the runs part marks the task done."""
        self.parts.mkdir(parents=True, exist_ok=True)
        name = f"{self.session:04d}-{self._count:06d}.parquet"
        self._count += 1
        if series is not None and len(series):
            _atomic_parquet(pa.Table.from_pandas(series, preserve_index=False), self.parts / f"{SERIES}-{name}")
        _atomic_parquet(pa.Table.from_pandas(runs, preserve_index=False), self.parts / f"{RUNS}-{name}")

    def set_aside_damaged(self) -> list[Path]:
        """Move every source that cannot be read as Parquet (truncated, overwritten) into
        ``parts/damaged/``, so that its runs count as missing and run again; returns the
        new paths. A runs part whose series part is damaged goes too (its runs lack series)."""
        moved = []
        for kind in (SERIES, RUNS):
            for path in self._sources(kind):
                try:
                    pq.read_metadata(path)
                    if kind == RUNS and path.parent == self.parts:
                        twin = self.parts / path.name.replace(f"{RUNS}-", f"{SERIES}-", 1)
                        if self.parts.joinpath("damaged", twin.name).exists():
                            raise OSError("its series part is damaged")
                    continue
                except (OSError, pa.ArrowException):
                    pass
                aside = self.parts / "damaged" / path.name
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, aside)
                moved.append(aside)
        return moved

    def status(self) -> pd.DataFrame:
        """The latest record of every run that has one: point, replicate, status."""
        return self.read(RUNS, KEY + ["status"])

    def compact(self) -> None:
        """Stream every source into the compacted files (latest record per run), then drop the parts."""
        for kind in (RUNS, SERIES):
            sources = self._sources(kind)
            if not sources or sources == [self.folder / FILES[kind]]:
                continue
            # Which source holds each run's latest record: a small index, not the rows themselves.
            latest = _latest(pd.concat([pd.read_parquet(p, columns=KEY).assign(src=i) for i, p in enumerate(sources)],
                                       ignore_index=True))
            target = self.folder / FILES[kind]
            writer = None
            with atomic(target) as tmp:
                for i, path in enumerate(sources):
                    table = pq.read_table(path)
                    mine = latest[latest.src == i]
                    frame = table.to_pandas()
                    keep = pd.MultiIndex.from_frame(frame[KEY]).isin(pd.MultiIndex.from_frame(mine[KEY]))
                    if not keep.all():
                        table = table.filter(pa.array(np.asarray(keep)))
                    if writer is None:
                        writer = pq.ParquetWriter(tmp, table.schema)
                    writer.write_table(table.cast(writer.schema))
                writer.close()
        for path in self._part_files(RUNS) + self._part_files(SERIES):
            path.unlink()
        if self.parts.is_dir() and not any(self.parts.iterdir()):
            self.parts.rmdir()

    def read(self, kind: str = RUNS, columns: list[str] | None = None) -> pd.DataFrame:
        """Every run's latest record (or weekly rows), sorted by point and replicate."""
        frames = [pd.read_parquet(p, columns=columns).assign(src=i) for i, p in enumerate(self._sources(kind))]
        if not frames:
            return pd.DataFrame(columns=columns or KEY)
        table = pd.concat(frames, ignore_index=True)
        table = table.merge(_latest(table[KEY + ["src"]]), on=KEY + ["src"]).drop(columns="src")
        order = KEY + (["week"] if "week" in table.columns else [])
        return table.sort_values(order, kind="stable").reset_index(drop=True)

    def export_csv(self, path: Path) -> None:
        """runs.parquet as CSV, one row group at a time."""
        source = pq.ParquetFile(self.folder / FILES[RUNS])
        with atomic(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
            for k in range(source.num_row_groups):
                source.read_row_group(k).to_pandas().to_csv(f, index=False, header=k == 0)
