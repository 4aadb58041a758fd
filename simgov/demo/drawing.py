"""The demo's pictures: the community's network now, and the main series week by week, as PNG.

Each browser session keeps one ``NetworkPicture`` and one ``SeriesPicture``: plain matplotlib
figures (no pyplot state, so sessions in server threads share nothing) whose still parts
(ties, axes, legends) are drawn once and kept as a background, so that a week redraws only
what moved: residents' colours, disputes, the lines. That keeps a Step well under a second
(benchmarks/bench_demo.py). The network is the report's drawing
(``simgov.report.figures.draw_network`` on ``simgov.community.network_view.snapshot``) with
the residents coloured by a chosen state and Party members and volunteers marked; the plots
read the model's weekly record directly.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
from PIL import Image  # noqa: E402  (a matplotlib dependency)

from simgov.community.network_view import snapshot  # noqa: E402
from simgov.demo.levers import MAX_DEMO_RESIDENTS  # noqa: E402
from simgov.metrics import METRIC_NAMES  # noqa: E402
from simgov.report import labels as L  # noqa: E402
from simgov.report.figures import dispute_colours, dispute_segments, draw_network  # noqa: E402
from simgov.report.style import PALETTE, rc  # noqa: E402

#: Resolution of the pictures sent to the browser: sharp on a projector, quick to encode.
DPI = 90
YES_NO = ListedColormap(["#C8C8C8", "#0072B2"])


def _colour_values(state, ids: np.ndarray, key: str) -> np.ndarray:
    r = state.residents
    if key == "undetected":
        return r.has_undetected_need()[ids].astype(float)
    if key == "unmet":
        return r.has_unmet_need()[ids].astype(float)
    return {"trust_neighbors": r.trust, "trust_committee": r.trust_committee, "belonging": r.belonging,
            "grievance": r.grievance, "active": r.active}[key][ids].astype(float)


#: What residents can be coloured by: key -> (label key, colour map, yes/no state?).
COLOUR_BY = {
    "trust_neighbors": (("metric", "trust_neighbors"), "viridis", False),
    "trust_committee": (("metric", "trust_committee"), "viridis", False),
    "belonging": (("metric", "belonging"), "viridis", False),
    "grievance": (("text", "demo_grievance"), "plasma", False),
    "active": (("text", "demo_taking_part"), YES_NO, True),
    "unmet": (("text", "demo_unmet"), YES_NO, True),
    "undetected": (("text", "demo_undetected"), YES_NO, True),
}


def colour_label(key: str, lang: str = "en") -> str:
    (kind, name), _, _ = COLOUR_BY[key]
    return L.metric(name, lang) if kind == "metric" else L.t(name, lang)


def _png(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as PNG, encoded for speed (a local connection carries the bigger file at once)."""
    width, height = canvas.get_width_height(physical=True)
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
        buf, format="png", compress_level=1)
    return buf.getvalue()


class _Picture:
    """A figure whose still parts are drawn once: ``_build`` makes the figure and returns the
    artists that change (drawn animated, over a saved background); it runs again only when
    ``_key`` changes. Each ``png`` then costs the changing artists and the encoding."""

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self._key = None
        self._canvas = self._background = None
        self._moving: list = []

    def png(self, model) -> bytes:
        data = self._data(model)
        key = self._key_of(model, data)
        if key != self._key:
            with matplotlib.rc_context(rc(self.lang)):
                fig, self._moving = self._build(model, data)
            for artist in self._moving:
                artist.set_animated(True)  # left out of the background
            self._canvas = FigureCanvasAgg(fig)
            self._canvas.draw()
            self._background = self._canvas.copy_from_bbox(fig.bbox)
            self._key = key
        self._update(model, data)
        self._canvas.restore_region(self._background)
        for artist in self._moving:
            self._canvas.figure.draw_artist(artist)
        return _png(self._canvas)

    @property
    def figure(self) -> Figure:
        return self._canvas.figure


class NetworkPicture(_Picture):
    """The community now: every resident (up to ``MAX_DEMO_RESIDENTS``) grouped by building and
    household, coloured by ``colour_by``, with ties, hostile ties, open and group disputes,
    vulnerable residents, Party members and volunteers. Ties are redrawn when they change (the
    network is consolidated every four weeks); residents, disputes and the title every week."""

    def __init__(self, colour_by: str = "trust_neighbors", lang: str = "en"):
        super().__init__(lang)
        self.colour_by = colour_by

    def _data(self, model) -> dict:
        s = snapshot(model.state, MAX_DEMO_RESIDENTS)
        s["values"] = _colour_values(model.state, s["ids"], self.colour_by)
        return s

    def _key_of(self, model, s) -> tuple:
        return model, model.state.network.version, s["ids"].size

    def _build(self, model, s):
        lang = self.lang
        _, cmap, yes_no = COLOUR_BY[self.colour_by]
        fig = Figure(figsize=(6.4, 6.3), dpi=DPI)
        ax = fig.add_axes((0.01, 0.16, 0.84, 0.76))
        self._artists = draw_network(ax, s, values=s["values"], cmap=cmap, size=16, roles=True)
        ax.set_title(" ", fontsize=14)
        bar = fig.colorbar(self._artists["residents"], cax=fig.add_axes((0.87, 0.25, 0.025, 0.6)))
        bar.set_label(colour_label(self.colour_by, lang))
        if yes_no:
            bar.set_ticks([0.25, 0.75], labels=[L.t("demo_no", lang), L.t("demo_yes", lang)])
        handles = [
            Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="#000000",
                   label=L.t("demo_vulnerable", lang)),
            Line2D([], [], marker="D", linestyle="", markerfacecolor="none", markeredgecolor="#C0002A",
                   label=L.t("demo_party", lang)),
            Line2D([], [], marker="s", linestyle="", markerfacecolor="none", markeredgecolor="#009E73",
                   label=L.t("demo_volunteer", lang)),
            Line2D([], [], color="#D55E00", linestyle="--", label=L.t("demo_hostile", lang)),
            Line2D([], [], color="#E69F00", linewidth=3, label=L.t("demo_dispute", lang)),
            Line2D([], [], color="#C0002A", linewidth=4, label=L.t("demo_group_dispute", lang)),
        ]
        fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=11)
        moving = ("disputes", "residents", "vulnerable", "party_member", "volunteer")
        return fig, [self._artists[k] for k in moving] + [ax.title]

    def _update(self, model, s) -> None:
        a = self._artists
        a["residents"].set_array(s["values"])
        xy = np.c_[s["x"], s["y"]]
        for key, mask in (("vulnerable", s["vulnerable"]), ("party_member", s["party_member"]),
                          ("volunteer", s["volunteer"])):
            a[key].set_offsets(xy[mask.astype(bool)].reshape(-1, 2))
        a["disputes"].set_segments(dispute_segments(s))
        style = dispute_colours(s, True)
        a["disputes"].set_color(style["colors"])
        a["disputes"].set_linewidth(style["linewidths"] or [3.0])
        buildings, total = np.unique(s["building"]).size, int(s["buildings_total"][0])
        lang = self.lang
        a["residents"].axes.title.set_text(
            L.t("demo_network_title", lang).format(week=model.week, n=s["x"].size, buildings=buildings)
            if buildings == total else
            L.t("demo_network_sample", lang).format(week=model.week, n=s["x"].size, buildings=buildings,
                                                    total=total))


#: The live plots, in the order drawn (two columns): (title, {metric: legend label} or a metric
#: alone, kind); an "index" panel spans at least ``MIN_SPAN``, so that weekly noise does not
#: look like a trend.
PANELS = (
    (("metric", "cohesion_index"), {"cohesion_index": None}, "index"),
    (("metric", "trust_neighbors"), {"trust_neighbors": None}, "index"),
    (("metric", "participation_rate"), {"participation_rate": None}, "index"),
    (("metric", "organizations_active"), {"organizations_active": None}, "count"),
    (("text", "demo_disputes"), {"disputes_open": "demo_all", "group_disputes_open": "demo_group"}, "count"),
    (("text", "demo_needs"), {"unmet_needs_share": "demo_unmet_short",
                              "undetected_needs_share": "demo_undetected_short"}, "index"),
)
MIN_SPAN = 0.05
_COLUMN = {name: k for k, name in enumerate(METRIC_NAMES)}


def _limits(data: np.ndarray, kind: str) -> tuple[float, float]:
    """y-limits rounded out to a grid, so that they (and the drawn axes) change only now and then."""
    lo, hi = float(np.nanmin(data)), float(np.nanmax(data))
    if kind == "count":
        return 0.0, float(max(4, 2 * np.ceil(hi * 1.15 / 2)))
    pad = max(MIN_SPAN - (hi - lo), 0.0) / 2 + 0.01
    grid = 0.02
    return max(0.0, np.floor((lo - pad) / grid) * grid), min(1.0, np.ceil((hi + pad) / grid) * grid)


class SeriesPicture(_Picture):
    """The main series from week 0 to now, on the run's full time axis; dotted lines mark the
    weeks after which a policy was switched or changed. Axes are redrawn when a panel's
    rounded limits change or a policy changes; the lines every week."""

    def _data(self, model):
        n = model.recorder.weeks_recorded
        return model.recorder.values[:n]

    def _key_of(self, model, values) -> tuple:
        limits = tuple(_limits(values[:, [_COLUMN[m] for m in names]], kind) for _, names, kind in PANELS)
        return model, model.weeks, limits, tuple(sorted({week for week, _, _ in model.changes}))

    def _build(self, model, values):
        lang = self.lang
        _, _, limits, marks = self._key_of(model, values)
        fig = Figure(figsize=(6.4, 6.3), dpi=DPI)
        axes = fig.subplots(3, 2, sharex=True)
        fig.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.08, hspace=0.45, wspace=0.3)
        self._lines = []
        for ax, ((kind_of_title, title), names, kind), ylim in zip(axes.flat, PANELS, limits, strict=True):
            for k, (name, label) in enumerate(names.items()):
                (line,) = ax.plot([], [], color=PALETTE[(0, 5)[k]], linewidth=1.8, linestyle=("-", "--")[k],
                                  label=L.t(label, lang) if label else None)
                self._lines.append((line, _COLUMN[name]))
            for week in marks:
                ax.axvline(week + 0.5, color="#555555", linestyle=":", linewidth=1.0)
            ax.set_ylim(*ylim)
            if kind == "count":
                ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
            ax.set_title(L.metric(title, lang) if kind_of_title == "metric" else L.t(title, lang), fontsize=12)
            if len(names) > 1:
                ax.legend(fontsize=10, frameon=False, loc="upper left")
            ax.set_xlim(0, model.weeks)
            ax.tick_params(labelsize=10)
        for ax in axes[-1]:
            ax.set_xlabel(L.t("week", lang), fontsize=11)
        if marks:
            axes[0, 0].legend(handles=[Line2D([], [], color="#555555", linestyle=":",
                                              label=L.t("demo_policy_change", lang))], fontsize=10, frameon=False)
        return fig, [line for line, _ in self._lines]

    def _update(self, model, values) -> None:
        weeks = np.arange(values.shape[0])
        for line, column in self._lines:
            line.set_data(weeks, values[:, column])


#: The monitors above the pictures: (metric, format).
MONITORS = (("cohesion_index", "{:.3f}"), ("trust_neighbors", "{:.3f}"), ("participation_rate", "{:.1%}"),
            ("disputes_open", "{:.0f}"), ("group_disputes_open", "{:.0f}"), ("unmet_needs_share", "{:.1%}"),
            ("undetected_needs_share", "{:.1%}"), ("organizations_active", "{:.0f}"),
            ("policy_yuan_total", "{:,.0f}"))


def monitor_values(model) -> list[tuple[str, str]]:
    """(metric, formatted value) of this week for each monitor."""
    row = model.recorder.values[model.recorder.weeks_recorded - 1]
    return [(name, fmt.format(row[_COLUMN[name]])) for name, fmt in MONITORS]
