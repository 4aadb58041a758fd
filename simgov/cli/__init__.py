"""The ``simgov`` command: thin over the Python API.

Exit status: 0 success, 1 a run failed (what finished is kept), 2 bad input or usage,
130 interrupted (143 by SIGTERM); a sweep keeps every finished run either way.

Each command lives in its own module with a ``register(sub)`` that adds its parser and sets its
handler; this module holds the global options, the dispatch and the exit-status rules.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import warnings

from simgov.cli import calibrate, info, optimise, report, runs, screen, sweep
from simgov.cli.common import Terminated
from simgov.errors import InputError, InputWarning
from simgov.log import configure, logger

COMMANDS = (runs, sweep, screen, calibrate, optimise, report, info)  # the order of --help's list


def build_parser() -> argparse.ArgumentParser:
    from simgov import __version__

    p = argparse.ArgumentParser(prog="simgov", description=(
        "Agent-based simulation of Party-building-led five-society linkage (党建引领 五社联动) "
        "in Chinese urban communities."))
    p.add_argument("--version", action="version", version=f"simgov {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more messages (each run as it finishes)")
    p.add_argument("-q", "--quiet-log", dest="quiet_log", action="store_true",
                   help="warnings and errors only (a command's own --quiet also drops its progress bar and summary)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return p


def _print_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, InputWarning):
        print(f"simgov: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # as typed, for records of a result
    configure(-1 if args.quiet_log else args.verbose)
    handler = args.handler
    terminated = []

    def on_term(signum, frame):  # SIGTERM (kill, a cluster's scheduler) stops like Ctrl-C: finished work is kept
        terminated.append(signum)
        raise Terminated

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if main_thread else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", InputWarning)
            warnings.showwarning = _print_warning
            return handler(args)
    except InputError as exc:
        for problem in exc.problems:
            logger.error(str(problem))
        return 2
    except KeyboardInterrupt:
        return 143 if terminated else 130
    except RecursionError:  # inputs are bounded in depth (simgov.scenario.limits); this is a last guard
        print("simgov: error: an input nests too deeply to read", file=sys.stderr)
        return 2
    except Exception as exc:
        if args.debug:
            raise
        logger.error(f"internal error: {type(exc).__name__}: {exc} "
                     "(run with --debug for the traceback, and please report it)")
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
