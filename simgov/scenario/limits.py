"""What an input file may cost, checked before the cost is paid.

A few hundred bytes of YAML can stand for billions of nodes (nested aliases, the "billion
laughs"), nest deep enough to exhaust Python's stack, or hold a string that takes minutes to
validate. Every scenario and experiment file is therefore scanned first, as a stream of
parser events (PyYAML's parser is a state machine, so the scan itself neither recurses nor
expands an alias): its size, its nesting depth, the length of each string, and the number
of nodes it expands to, counting each alias as the size of the node it repeats. The scan
stops at the first limit passed, in time proportional to the file's bytes.

The limits are generous for real files (a bundled scenario is ~5 KB, ~400 nodes, depth 5)
and each is a module constant, so a program that truly needs more can raise it, e.g.
``simgov.scenario.limits.MAX_NODES = 10**6``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simgov.errors import InputError, Problem

#: Largest scenario or experiment file read, in bytes.
MAX_FILE_BYTES = 1 << 20
#: Most nodes (scalars, mappings, lists) a file may stand for, aliases expanded.
MAX_NODES = 100_000
#: Deepest nesting of mappings and lists.
MAX_DEPTH = 40
#: Longest string (a key or a value), in characters.
MAX_STRING = 20_000
#: Longest ``extends`` chain: the file and the files it extends.
MAX_EXTENDS = 32
#: Most shocks an arm may list (the scenario's and the arm's own): each is checked every week.
MAX_SHOCKS = 100

_HOW = "(a limit on what an input may cost: simgov.scenario.limits.{name})"


def _limit(message: str, name: str, path: Path | None, mark=None) -> InputError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return InputError(Problem(f"{message} {_HOW.format(name=name)}", path, line=line, column=col))


def check_size(path: Path, size: int | None = None) -> None:
    """Refuse a file larger than ``MAX_FILE_BYTES`` (by its size on disk, or ``size`` read)."""
    if size is None:
        try:
            size = path.stat().st_size
        except OSError:
            return  # reading it reports the problem
    if size > MAX_FILE_BYTES:
        raise _limit(f"the file is {size:,} bytes or more, more than the {MAX_FILE_BYTES:,} a scenario or "
                     "experiment file may have", "MAX_FILE_BYTES", path)


def scan(text: str, path: Path | None) -> None:
    """Refuse ``text`` if it nests, expands or holds strings beyond the limits.

    Each open mapping or list counts the nodes inside it; an anchored node's total is kept,
    and an alias adds that total again, so the count is the size of the expanded document
    without expanding it. Syntax errors are left to the composer, which reports them.
    """
    stack: list[list] = []  # [anchor, nodes so far] per open mapping or list
    sizes: dict[str, int] = {}
    total = 0

    def add(n: int, mark) -> None:
        nonlocal total
        if stack:
            stack[-1][1] += n
        else:
            total += n
        if total + sum(s[1] for s in stack) > MAX_NODES:
            raise _limit(f"the file expands to more than {MAX_NODES:,} values (aliases repeat the node they "
                         "name, so a few nested aliases can stand for billions)", "MAX_NODES", path, mark)

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            mark = event.start_mark
            if isinstance(event, yaml.ScalarEvent):
                if len(event.value) > MAX_STRING:
                    raise _limit(f"a string of {len(event.value):,} characters, more than {MAX_STRING:,}",
                                 "MAX_STRING", path, mark)
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1, mark)
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    raise _limit(f"mappings and lists nested more than {MAX_DEPTH} deep", "MAX_DEPTH", path, mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, n = stack.pop()
                if anchor:
                    sizes[anchor] = n
                add(n, mark)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in sizes:
                    if any(s[0] == event.anchor for s in stack):
                        raise InputError(Problem(f"the alias *{event.anchor} repeats a node that holds it "
                                                 "(a recursive alias)", path, line=mark.line + 1,
                                                 column=mark.column + 1))
                    continue  # undefined: the composer reports it
                add(sizes[event.anchor], mark)
    except yaml.YAMLError:
        return  # the composer reports it, with its place


def check_data(data, where: Path | None) -> None:
    """The same limits for data that did not come from a file (a dict given to the library):
    nesting, strings and size, walked without recursion."""
    todo, seen = [(data, 1)], 0
    while todo:
        value, depth = todo.pop()
        seen += 1
        if seen > MAX_NODES:
            raise _limit(f"the data holds more than {MAX_NODES:,} values", "MAX_NODES", where)
        if depth > MAX_DEPTH:
            raise _limit(f"mappings and lists nested more than {MAX_DEPTH} deep", "MAX_DEPTH", where)
        if isinstance(value, str) and len(value) > MAX_STRING:
            raise _limit(f"a string of {len(value):,} characters, more than {MAX_STRING:,}", "MAX_STRING", where)
        if isinstance(value, dict):
            todo += [(v, depth + 1) for v in value.values()] + [(k, depth + 1) for k in value]
        elif isinstance(value, list | tuple):
            todo += [(v, depth + 1) for v in value]
