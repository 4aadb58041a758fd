"""Which model code made a result: a digest of simgov's own source.

In practice: a result kept for later (a resumed sweep or optimisation, a calibration
continued from its history, an experiment's cache, a run's manifest) is only the same result
if the same model made it. A scenario's digest says which inputs it had; this says which code
ran them, so that a result made by other code is refused or rerun rather than mixed in
silently (a cache keyed by its settings alone once served a linkage experiment made before a
change to the mechanisms).

Rule: ``code_digest()`` is the SHA-256 (first 16 hex digits) of every ``.py`` file of the
installed ``simgov`` package, by relative path and content, in path order. Any change to the
package's code changes it, so a resumed run after such a change starts afresh; changes to
docs, experiments or data outside the package do not. It is computed once per process.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_digest() -> str:
    """A digest of the simgov package's Python source (paths and contents)."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


__all__ = ["code_digest"]
