"""What every command module shares: argument types, help texts, and the SIGTERM interruption."""

from __future__ import annotations

import argparse


def int_in(lo: int, hi: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{what} must be from {lo} to {hi}, not {value}")
        return value
    return parse


SCENARIO_HELP = ("a bundled scenario name, a path to a .yaml file, or a manifest.json (or the results "
                 "folder holding it) to run again as it was recorded")


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interruption so that finished work is kept (exit 143)."""


def add_executor_options(p, default: str = "processes") -> None:
    """--executor, --workers, --scheduler and --resume, as sweeps have them."""
    p.add_argument("--executor", choices=("serial", "processes", "dask"),
                   help=f"where runs execute (default: {default}; dask with --scheduler)")
    p.add_argument("--workers", type=int_in(1, 4096, "--workers"),
                   help="processes, or local Dask workers (default: every core)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                   "(implies --executor dask; default: a local cluster)")
    p.add_argument("--resume", action="store_true", help="continue the study in DIR: run only what is missing")


def executor_of(args, default: str = "processes") -> str:
    return args.executor or ("dask" if args.scheduler else default)


def save_figure(fig, path) -> None:
    from matplotlib import pyplot as plt

    fig.savefig(path, dpi=120)
    plt.close(fig)
