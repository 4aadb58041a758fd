"""Reports: figures and a self-contained HTML report, in English and Chinese."""

from __future__ import annotations


def build_report(folder, lang: str = "en"):
    """Write ``folder/report.html`` and its figures (``simgov.report.html.build_report``);
    imported on call, so that ``simgov.report.labels`` loads without pandas or matplotlib."""
    from simgov.report.html import build_report as build

    return build(folder, lang)


__all__ = ["build_report"]
