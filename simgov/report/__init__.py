"""Reports: figures and a self-contained HTML report, in English and Chinese."""

from simgov.report.html import build_report

__all__ = ["build_report"]
