"""simgov's messages through the ``logging`` module: one logger, ``simgov``, and its children.

The command line sets the level (``-q``: warnings and errors only; default: information too;
``-v``: debugging detail, e.g. each run as it finishes) and writes to standard error as
``simgov: message`` (``simgov: warning: ...``, ``simgov: error: ...``). Results tables are the
commands' output and stay on standard output; progress bars are tqdm's, also on standard
error. A program that uses simgov as a library configures logging its own way.
"""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger("simgov")


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a message comes (so captured output catches it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):  # StreamHandler sets it; the property always follows sys.stderr
        pass


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return f"simgov: {level}{record.getMessage()}"


def configure(verbosity: int = 0) -> None:
    """Send simgov's messages to standard error: ``verbosity`` -1 warnings, 0 information, 1 debugging."""
    level = logging.WARNING if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    for handler in [h for h in logger.handlers if isinstance(h, _Stderr)]:
        logger.removeHandler(handler)
    handler = _Stderr()
    handler.setFormatter(_Format())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
