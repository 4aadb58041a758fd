"""Output folders: checked before any work, never mixing two results, complete or marked not.

A results folder holds one result: of a ``run``, a ``compare`` or a ``sweep``. Before any
run starts, ``claim`` checks the ``--out`` folder: that it is a folder (or can be made one),
that it is writable, and that it holds no other kind of result and no different run (its
manifest's ``kind`` and ``fingerprint``); with ``force`` the old result's files are removed
first. A rerun of the same run (same fingerprint) replaces its files.

The manifest is the folder's completion marker: it is written first with status
``running`` (so a killed run's folder says so) and last with every result file's size and
SHA-256 (``files``). ``check_complete`` (for ``simgov report``) refuses a folder whose run
was killed while running, or whose files are not the ones its manifest recorded (a mix of
two runs' files).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from simgov.errors import InputError, Problem
from simgov.experiment.files import write_error
from simgov.experiment.lock import LOCK_FILE

#: Every name a simgov result may write into its folder.
RESULT_FILES = ("manifest.json", "timeseries.csv", "summary.csv", "constraints.csv", "shocks.csv", "network.npz",
                "effects.csv", "costs.csv", "report.html", "design.csv", "runs.parquet", "timeseries.parquet",
                "runs.csv", "points.csv", "sensitivity.csv", "discovery.csv", "sweep.lock",
                # a comparison under uncertainty (simgov.uncertainty.output)
                "draws.csv", "decision.csv", "ceac.csv", "evppi.csv")
RESULT_FOLDERS = ("figures", "parts")


def fingerprint(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def read_manifest(folder: Path) -> dict | None:
    path = folder / "manifest.json"
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
            raise ValueError("not a manifest")
        return manifest
    except (OSError, ValueError, UnicodeDecodeError):
        raise InputError(Problem("the manifest cannot be read (damaged?); run again into another folder, or "
                                 "with --force to replace this folder's results", path)) from None


def _ours(folder: Path) -> list[Path]:
    return [folder / n for n in RESULT_FILES + RESULT_FOLDERS if (folder / n).exists()]


def clear(folder: Path) -> None:
    """Remove a result's files (only the names simgov writes)."""
    for path in _ours(folder):
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError as exc:
            raise write_error(path, exc) from None


def writable(out: Path) -> None:
    """Make the folder ``out`` if need be and try writing in it: an ``InputError`` if it is a
    file, or cannot be made or written (read-only, no permission), before any work."""
    if out.exists() and not out.is_dir():
        raise InputError(Problem(f"{out} is a file, not a folder; choose another --out", path="--out"))
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".simgov-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(Problem(f"cannot write into {out}: {exc.strerror or exc}; choose another --out",
                                 path="--out")) from None


def claim(out: Path, kind: str, print_: str, force: bool = False) -> None:
    """Make ``out`` ready for a ``kind`` result with fingerprint ``print_``, or say why not
    (an ``InputError`` on ``--out``) before any work is done."""
    out = Path(out)
    writable(out)
    if force:
        clear(out)
        return
    manifest = read_manifest(out)
    if manifest is None:
        if _ours(out):
            raise InputError(Problem(f"{out} holds result files ({', '.join(p.name for p in _ours(out))}) but no "
                                     "manifest: a run was broken off there; choose another --out, or add --force to "
                                     "replace them", path="--out"))
        return
    if manifest.get("kind") != kind:
        raise InputError(Problem(f"{out} holds the results of a '{manifest.get('kind')}', not of a '{kind}'; "
                                 "choose another --out, or add --force to replace them", path="--out"))
    if manifest.get("fingerprint") != print_:
        raise InputError(Problem(f"{out} holds the results of a different {kind} (another scenario, arms, "
                                 "replicates, weeks or seed); choose another --out, or add --force to replace them",
                                 path="--out"))
    clear(out)  # the same run again: its old files go, so none of them can outlive the rerun


def resumable(out: Path, manifest: dict | None, kind: str, noun: str, print_: str, resume: bool, *,
              already: str, differs: str) -> dict | None:
    """The manifest of the resumable run (a sweep, an optimisation) that ``out`` holds, to go
    on with, or None to start afresh; exit 2 where ``out`` holds something else, a run of this
    kind without --resume (``already``: what follows "already holds ..."), or one whose
    fingerprint differs from ``print_`` (``differs``: the whole message). ``noun`` is the run
    with its article ("a sweep")."""
    bare = noun.split(" ", 1)[1]
    if manifest is None:
        if resume and out.exists() and any(p.name != LOCK_FILE for p in out.iterdir()):
            raise InputError(Problem(f"{out} holds no {bare} to resume (no manifest.json)", path="--resume"))
        return None
    if manifest.get("kind") != kind:
        raise InputError(Problem(f"{out} holds the results of a '{manifest.get('kind')}', not {noun}; "
                                 "choose another --out", path="--out"))
    if not resume:
        raise InputError(Problem(f"{out} already holds {already}, or choose another --out", path="--out"))
    if manifest.get("fingerprint") != print_:
        raise InputError(Problem(differs, path="--resume"))
    return manifest


def digest(path: Path) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def record_files(folder: Path, names) -> dict:
    """Size and SHA-256 of each of ``names`` that exists in ``folder``, for the manifest."""
    return {n: digest(folder / n) for n in names if (folder / n).is_file()}


def check_complete(folder: Path, manifest: dict) -> None:
    """An ``InputError`` unless the folder's files are those its manifest recorded."""
    if manifest.get("status") == "running":
        raise InputError(Problem(f"the {manifest.get('kind', 'run')} in {folder} did not finish (it was killed, or "
                                 "still runs): its results are incomplete; run it again", folder / "manifest.json"))
    check_files(folder, manifest)


def check_files(folder: Path, manifest: dict) -> None:
    """An ``InputError`` if a file the manifest recorded is missing or has changed."""
    files = manifest.get("files")
    if files is None:
        return  # a folder written before manifests recorded their files
    for name, want in files.items():
        path = folder / Path(name).name  # a name, never a path out of the folder
        if not path.is_file() or digest(path) != want:
            raise InputError(Problem(f"{name} is not the file this folder's manifest recorded (a mix of two runs' "
                                     "results?); run again into an empty --out", folder / "manifest.json"))
