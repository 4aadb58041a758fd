"""What every report shares: reading a results folder, the language, figures, the page.

A report is a Jinja2 template (``simgov/report/templates``, autoescaped) filled with a plain
dict of texts, numbers already formatted (``simgov.report.numbers``), tables and figures.
Figures are saved as ``figures/NAME.png`` for slides and embedded as SVG with text kept as
text, so the reader's browser draws the labels with its own fonts.
"""

from __future__ import annotations

import base64
import io
import json
from functools import cache
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from simgov.experiment.output import read_snapshots
from simgov.report import labels as L
from simgov.report.figures import save
from simgov.report.style import CSS_FONTS, cjk_font, rc


@cache
def environment():
    """The templates, autoescaped (every text a scenario file gives is escaped)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("simgov.report", "templates"),
                              autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render(template: str, **context) -> str:
    return environment().get_template(template).render(css_fonts=CSS_FONTS, **context)


def table(frame: pd.DataFrame, numeric_from: int = 1) -> dict:
    """A table for the ``table`` macro: header, rows, and which columns hold numbers (kept on one line)."""
    return {"columns": [str(c) for c in frame.columns],
            "rows": [[v if isinstance(v, dict) else ("" if v is None else str(v)) for v in row]
                     for row in frame.itertuples(index=False)],
            "numeric_from": numeric_from}


class ReportBase:
    """The results of one folder, read once, and the helpers every page uses."""

    def __init__(self, folder: Path, lang: str):
        self.folder, self.lang = Path(folder), L.check_lang(lang)
        self.manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self.scenario = self.manifest["scenario"]
        self.timeseries = self._csv("timeseries.csv")
        self.snapshots = read_snapshots(self.folder / "network.npz")

    def _csv(self, name: str) -> pd.DataFrame | None:
        path = self.folder / name
        return pd.read_csv(path) if path.is_file() else None

    def t(self, key: str, **values) -> str:
        text = L.t(key, self.lang)
        return text.format(**values) if values else text

    def arm(self, name: str) -> str:
        """An arm's display name in the report's language (``labels.arm_label``)."""
        spec = (self.scenario.get("arms") or {}).get(name) or {}
        return L.arm_label(name, spec, self.lang)

    def status(self, status: str) -> str:
        """A results folder's status (complete, interrupted, ...) in words."""
        key = f"status_{status}"
        return self.t(key) if key in L.TEXT else status

    def policy(self, name: str) -> str:
        return L.policy(name, self.lang)

    def text(self, spec: dict, key: str) -> str:
        """``spec[key]`` in the report's language: ``key_zh`` in Chinese where it is set."""
        if self.lang == "zh" and spec.get(f"{key}_zh"):
            return spec[f"{key}_zh"]
        return spec.get(key) or ""

    def figure(self, fig, name: str, alt: str) -> dict:
        """Save ``fig`` as figures/NAME.png and return it for the page (embedded as SVG)."""
        png = self.folder / "figures" / f"{name}.png"
        with plt.rc_context(rc(self.lang)):  # svg.fonttype and dpi are read when saving
            buf = io.BytesIO()
            fig.savefig(buf, format="svg", bbox_inches="tight")
            save(fig, png, "png")
        return {"alt": alt, "src": "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode(),
                "png": f"figures/{name}.png"}

    def page_context(self, title: str, heading: str, version: str, command: str) -> dict:
        """What the page skeleton (``base.html.j2``) needs."""
        return {"lang": self.lang, "html_lang": "zh-CN" if self.lang == "zh" else "en", "title": title,
                "heading": heading, "version": version, "command": command, "T": L.texts(self.lang),
                "figure_font": (cjk_font() if self.lang == "zh" else None) or "DejaVu Sans"}
