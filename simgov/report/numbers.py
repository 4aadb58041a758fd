"""Numbers as a report prints them, by kind: what a reader expects of each unit.

- counts: whole numbers (``124``); a mean of counts or a difference below 10 keeps one decimal
  (``0.4``), which would otherwise print as 0;
- shares: percent (``12.3%``); a difference of shares in percentage points (``+1.2 pp``);
- indices (0 to 1): three decimals (``0.412``);
- yuan and hours: thousands separators, no decimals (``16,400``).

Missing values (NaN) print as an en dash. An effect's interval is ``[low, high]`` or, with
one replicate, the report's "one replicate: no interval" in place of ``[nan, nan]``.
"""

from __future__ import annotations

import math

from simgov.metrics import METRICS

UNIT = {m.name: m.unit for m in METRICS}
BETTER = {m.name: m.better for m in METRICS}
DASH = "–"
#: Percentage points, the unit of a difference of shares.
PP = {"en": "pp", "zh": "个百分点"}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def value(x, unit: str) -> str:
    """A level of a metric of ``unit``."""
    if _missing(x):
        return DASH
    x = float(x)
    if unit == "share":
        return f"{x:.1%}"
    if unit == "index":
        return f"{x:.3f}"
    if unit == "count":
        return f"{x:,.1f}" if abs(x) < 10 and x != round(x) else f"{x:,.0f}"
    return f"{x:,.0f}"


def _signed(x: float, spec: str) -> str:
    """``x`` with its sign; a value that rounds to zero prints unsigned (no ``-0.0``)."""
    text = format(x, "+" + spec)
    return text[1:] if not any(ch in "123456789" for ch in text) else text


def difference(x, unit: str, lang: str = "en") -> str:
    """A signed difference of a metric of ``unit`` (shares in percentage points)."""
    if _missing(x):
        return DASH
    x = float(x)
    if unit == "share":
        return f"{_signed(x * 100, '.1f')} {PP[lang]}"
    if unit == "index":
        return _signed(x, ".3f")
    if unit == "count":
        return _signed(x, ",.1f" if abs(x) < 10 else ",.0f")
    return _signed(x, ",.0f")


def metric_value(x, metric: str) -> str:
    return value(x, UNIT.get(metric, "index"))


def metric_difference(x, metric: str, lang: str = "en") -> str:
    return difference(x, UNIT.get(metric, "index"), lang)


def interval(low, high, metric: str, lang: str = "en", one_replicate: str = "") -> str:
    """``[low, high]`` as differences of ``metric``; ``one_replicate`` where there is no interval."""
    if _missing(low) or _missing(high):
        return one_replicate
    if UNIT.get(metric) == "share":  # the unit once, after both ends
        return f"[{_signed(low * 100, '.1f')}, {_signed(high * 100, '.1f')} {PP[lang]}]"
    return f"[{metric_difference(low, metric, lang)}, {metric_difference(high, metric, lang)}]"


def direction(metric: str, diff: float, low: float, high: float) -> str:
    """``better``, ``worse``, ``unclear`` (the interval includes zero) or ``neutral`` (no better
    direction, or no change); with no interval (one replicate) the sign alone decides."""
    better = BETTER.get(metric, "")
    if not better or _missing(diff) or diff == 0:
        return "neutral"
    if not (_missing(low) or _missing(high)) and low <= 0 <= high:
        return "unclear"
    up = diff > 0
    return "better" if up == (better == "higher") else "worse"
