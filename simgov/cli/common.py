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
