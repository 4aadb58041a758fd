"""The one error type users see: bad input, reported without a traceback.

Every problem with a scenario file, a command-line value or a run request becomes an
``InputError`` holding one or more ``Problem`` lines, each naming the file, the position
in it where known, the field path and what is wrong (with the allowed values). The CLI
prints them and exits with status 2.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    message: str
    file: Path | None = None
    path: str = ""  # dotted field path, e.g. "community.households"
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class InputError(Exception):
    """Bad input from the user: one or more problems, each with its place."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def whole_number(value, name: str, lo: int, hi: int) -> int:
    """``value`` if it is a whole number from ``lo`` to ``hi`` (not a bool, a float or a string:
    ``seed=4.7`` or ``"42"`` is a slip to report, not to round), else an ``InputError`` naming it."""
    import numbers

    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(Problem(f"must be a whole number from {lo:,} to {hi:,}, not {value!r} "
                                 f"(a {type(value).__name__})", path=name))
    if not lo <= value <= hi:
        raise InputError(Problem(f"must be from {lo:,} to {hi:,}, not {value:,}", path=name))
    return int(value)


def did_you_mean(word: str, choices) -> str:
    """' (did you mean 'x'?)' for a near miss among ``choices``, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def allowed(choices) -> str:
    choices = sorted(str(c) for c in choices)
    return ", ".join(choices) if choices else "(none)"


class InputWarning(UserWarning):
    """Input that is legal but surely unintended (an empty file, a policy that never acts).
    The CLI prints it on stderr as ``simgov: warning: ...`` and goes on (exit 0)."""
