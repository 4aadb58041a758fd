"""One sweep at a time in a folder: an exclusive lock on ``DIR/sweep.lock``.

Two sweeps (or a sweep and a ``--resume``) in one folder would both run as the same session,
overwrite each other's part files and do the work twice. ``folder_lock`` takes an exclusive
``fcntl.flock`` on the lock file for as long as the sweep runs, and writes its process id
there. The kernel releases a flock when its process dies, however it dies, so a lock file
left by a killed sweep (a stale lock) never blocks: the next sweep takes it, and says whose
it was. Where ``fcntl`` does not exist (Windows) the folder is not locked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from simgov.errors import InputError, Problem

LOCK_FILE = "sweep.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock, or raise an ``InputError`` naming the process that holds it."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system
        yield
        return
    path = Path(folder) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise InputError(Problem(f"another sweep (process {holder}) is running in {folder}; wait for it to "
                                     "finish (or stop it), then --resume; or choose another --out",
                                     path="--out")) from None
        previous = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        if previous.isdigit() and int(previous) != os.getpid() and not _alive(int(previous)):
            print(f"simgov: note: {path} was left by process {previous}, which is gone (killed?); taking it over",
                  file=sys.stderr)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
