"""One figure style for every report: readable at slide size, colour-blind safe, CJK-capable.

Chinese labels need a CJK font. ``.ci/run`` installs Debian's ``fonts-noto-cjk``; elsewhere
the first of ``CJK_FONTS`` that the system has is used (Windows and macOS carry one). If
matplotlib's font cache predates the font's installation, it is rebuilt once. If there is
none, a warning names the package to install (the figures would show boxes for Chinese).
"""

from __future__ import annotations

import warnings
from functools import cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: CJK fonts tried in turn: Noto/Source Han (Linux, any), then Windows', macOS' and WenQuanYi.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "Microsoft YaHei", "SimHei",
             "PingFang SC", "Heiti SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
#: For HTML: the same fonts, for the reader's browser.
CSS_FONTS = ('system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",'
             '"PingFang SC","WenQuanYi Micro Hei",sans-serif')


def _available() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


@cache
def cjk_font() -> str | None:
    """The first CJK-capable font matplotlib can use, or None (with a warning)."""
    names = _available()
    found = next((f for f in CJK_FONTS if f in names), None)
    if found is None:  # a font installed after matplotlib built its cache: rebuild it once
        fresh = font_manager._load_fontmanager(try_read_cache=False)  # also rewrites the cache file
        manager = font_manager.fontManager  # updated in place: backends hold references to it
        manager.ttflist, manager.afmlist = fresh.ttflist, fresh.afmlist
        manager._findfont_cached.cache_clear()
        names = _available()
        found = next((f for f in CJK_FONTS if f in names), None)
    if found is None:
        warnings.warn("no CJK font found for Chinese figure labels (tried: " + ", ".join(CJK_FONTS)
                      + "); install one, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu",
                      stacklevel=2)
    return found


def rc(lang: str = "en") -> dict:
    """matplotlib settings for a report's figures (use with ``matplotlib.rc_context``)."""
    family = ["DejaVu Sans"]
    if lang == "zh":
        font = cjk_font()
        family = ([font] if font else []) + family
    return {
        "font.family": family,
        # Sizes for a slide or a projector: a figure is about 16 inches wide and shown at screen width.
        "font.size": 14,
        "axes.titlesize": 15,
        "axes.labelsize": 13,
        "xtick.labelsize": 12,
        "ytick.labelsize": 12,
        "legend.fontsize": 13,
        "figure.titlesize": 16,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "svg.fonttype": "none",  # SVG text stays text: the browser draws it with its own fonts
        "axes.unicode_minus": False,  # CJK fonts often lack the Unicode minus
    }
