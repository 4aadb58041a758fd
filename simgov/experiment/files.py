"""Writing result files: whole or not at all, with the modes the user's umask asks for.

Every result file is written to a temporary sibling and renamed over its name, so a killed
process, a full disk or a read-only folder never leaves a half-written file under a result's
name. ``tempfile.mkstemp`` makes its file 0600 whatever the umask (it is meant for secrets);
results are meant to be shared, so the file gets the mode an ordinary ``open`` would give it
(0644 under the usual umask 022) before the rename.

A write that fails for a reason the user can mend (no space, no permission, a read-only
filesystem, a file where a folder should be) is an ``InputError`` naming the file: exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from simgov.errors import InputError, Problem

#: Errors of the place written to, not of simgov: reported as input errors.
USER_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR,
               errno.EEXIST, errno.EISDIR, errno.ENAMETOOLONG, errno.ENOENT}


def file_mode() -> int:
    """The mode ``open`` gives a new file: 0666 less the umask (read without changing it
    where Linux shows it, else by setting and restoring it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_error(path: Path, exc: OSError) -> InputError:
    return InputError(Problem(f"cannot write {path}: {exc.strerror or exc}", path=str(path.parent)))


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[str]:
    """A temporary name next to ``path`` to write to; renamed to ``path`` if the block ends
    without an error, removed otherwise."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        yield tmp
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in USER_ERRNOS:
            raise write_error(path, exc) from None
        raise


def atomic_write(path: Path, text: str) -> None:
    with atomic(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def atomic_bytes(path: Path, data: bytes) -> None:
    with atomic(path) as tmp, open(tmp, "wb") as f:
        f.write(data)
