"""Scenario discovery: which regions of the factor space keep conflict low and cohesion high.

Each design point is *good* when its replicate-mean outcomes meet every condition of the
experiment (by default: the cohesion index at or above its median over the points, and
group disputes at or below theirs). A shallow classification tree (CART; Breiman et al.
1984, ``sklearn.tree.DecisionTreeClassifier``) splits the factor space; each leaf where
good points are the majority is a *box*: bounds on the factors it was split on (the other
factors are free). As in PRIM-based scenario discovery (Bryant and Lempert 2010), every box
is reported with

- coverage: the share of all good points that fall in the box,
- density: the share of the box's points that are good,
- points: how many design points the box holds.

Boxes are listed best first (by density, then coverage). The tree is shallow (depth 3,
at least 5% of the points per leaf), so the boxes stay readable as policy advice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_DEPTH = 3
MIN_LEAF_SHARE = 0.05


def good_points(means: pd.DataFrame, conditions) -> tuple[pd.Series, list[str]]:
    """Which points meet every condition (points with a missing outcome are not good), and the
    conditions in words, with their thresholds."""
    good = pd.Series(True, index=means.index)
    words = []
    for c in conditions:
        values = means[c.outcome]
        q = 0.5 if c.quantile is None else c.quantile
        threshold = c.threshold if c.threshold is not None else float(values.quantile(q))
        good &= (values >= threshold) if c.keep == "high" else (values <= threshold)
        sign = ">=" if c.keep == "high" else "<="
        words.append(f"{c.outcome} {sign} {threshold:.4g}" + (f" (quantile {q:g})" if c.threshold is None else ""))
    return good & means[[c.outcome for c in conditions]].notna().all(axis=1), words


def boxes(design: pd.DataFrame, factors: list[str], good: pd.Series) -> pd.DataFrame:
    """The tree's good leaves as boxes: rule, coverage, density, points, and low:/high: bounds."""
    from sklearn.tree import DecisionTreeClassifier

    x = design[factors].to_numpy(dtype=float)
    y = good.reindex(design.index).fillna(False).to_numpy(dtype=bool)
    columns = ["box", "rule", "coverage", "density", "points"]
    if y.sum() == 0 or y.all():
        return pd.DataFrame(columns=columns + [f"{side}:{f}" for f in factors for side in ("low", "high")])
    tree = DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=max(2, int(MIN_LEAF_SHARE * len(y))),
                                  random_state=0).fit(x, y)
    t = tree.tree_
    lows, highs = x.min(axis=0), x.max(axis=0)
    rows = []

    def walk(node: int, lo: np.ndarray, hi: np.ndarray):
        if t.children_left[node] == -1:
            inside = np.all((x >= lo) & (x <= hi), axis=1) if len(lo) else np.ones(len(x), bool)
            n, hits = int(inside.sum()), int(y[inside].sum())
            if n and hits / n > 0.5:
                rows.append((lo.copy(), hi.copy(), hits / y.sum(), hits / n, n))
            return
        j, cut = t.feature[node], t.threshold[node]
        left_hi = hi.copy()
        left_hi[j] = min(hi[j], cut)
        walk(t.children_left[node], lo, left_hi)
        right_lo = lo.copy()
        right_lo[j] = max(lo[j], np.nextafter(cut, np.inf))
        walk(t.children_right[node], right_lo, hi)

    walk(0, lows.copy(), highs.copy())
    rows.sort(key=lambda r: (-r[3], -r[2]))
    out = []
    for k, (lo, hi, coverage, density, n) in enumerate(rows, start=1):
        bounded = [j for j in range(len(factors)) if lo[j] > lows[j] or hi[j] < highs[j]]
        rule = " and ".join(_condition(factors[j], lo[j], hi[j], lows[j], highs[j]) for j in bounded) or "anywhere"
        row = {"box": k, "rule": rule, "coverage": coverage, "density": density, "points": n}
        for j, f in enumerate(factors):
            row[f"low:{f}"], row[f"high:{f}"] = (lo[j], hi[j]) if j in bounded else (np.nan, np.nan)
        out.append(row)
    bounds = [f"{side}:{f}" for f in factors for side in ("low", "high")]
    return pd.DataFrame(out, columns=columns + bounds)


def _condition(name: str, lo: float, hi: float, low: float, high: float) -> str:
    if lo > low and hi < high:
        return f"{lo:.4g} <= {name} <= {hi:.4g}"
    return f"{name} >= {lo:.4g}" if lo > low else f"{name} <= {hi:.4g}"
