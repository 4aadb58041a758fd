"""Reports: figures and self-contained HTML for analysts."""

from simgov.report.html import write_report

__all__ = ["write_report"]
