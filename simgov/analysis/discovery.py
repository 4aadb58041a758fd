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

Beside the tree, **PRIM** (the patient rule induction method; Friedman and Fisher 1999, as
used for scenario discovery by Bryant and Lempert 2010) peels the factor space from all sides,
a ``PEEL_ALPHA`` share of the points at a time, towards a box ever denser in good points; each
peel step trades coverage for density. ``prim_trajectory`` uses EMA Workbench's ``Prim`` (the
maintained implementation scenario-discovery users know, with its pasting step and its
handling of whole-number factors; a hand-written peeler would have neither, nor their tests)
and returns the first box's peeling trajectory: every step's coverage, density, mass and
limits, with the step *chosen* as the densest one that still covers at least
``PRIM_MIN_COVERAGE`` of the good points. EMA Workbench is an optional extra (``simgov[ema]``):
without it there is no PRIM, and the sweep says so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

MAX_DEPTH = 3
MIN_LEAF_SHARE = 0.05
#: PRIM: the share of the points peeled at each step, and the smallest box (share of the points),
#: EMA Workbench's defaults (Bryant and Lempert 2010 use 0.05 too).
PEEL_ALPHA, PRIM_MASS_MIN = 0.05, 0.05
#: The peel step reported as PRIM's box: the densest that keeps at least this share of the good points.
PRIM_MIN_COVERAGE = 0.5
PRIM_SKIPPED = "PRIM skipped: EMA Workbench is not installed (pip install 'simgov[ema]')"


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


def _prim_module():
    try:
        with warnings.catch_warnings():  # EMA warns about optional parts PRIM does not use (altair, ipyparallel)
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        return None
    return prim


def prim_trajectory(design: pd.DataFrame, factors: list[str], good: pd.Series) -> pd.DataFrame | None:
    """PRIM's first box, peel step by peel step: step, coverage, density, mass, restricted
    dimensions, points, whether it is the chosen step, its rule and low:/high: limits (NaN where
    a factor is not restricted). Empty when no point or every point is good; None without EMA."""
    prim = _prim_module()
    if prim is None:
        return None
    bounds = [f"{side}:{f}" for f in factors for side in ("low", "high")]
    columns = ["step", "coverage", "density", "mass", "res_dim", "points", "chosen", "rule", *bounds]
    y = good.reindex(design.index).fillna(False).to_numpy(dtype=bool)
    if y.sum() == 0 or y.all():
        return pd.DataFrame(columns=columns)
    x = design[factors].reset_index(drop=True)
    x = x.astype({f: int for f in factors if x[f].dtype.kind == "b"})  # true/false as 0/1, peeled like numbers
    with warnings.catch_warnings():  # EMA 3.0 uses pandas idioms pandas now deprecates (drop inplace)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        box = prim.Prim(x, y.astype(int), peel_alpha=PEEL_ALPHA, mass_min=PRIM_MASS_MIN).find_box()
    steps = box.peeling_trajectory.reset_index(drop=True)
    eligible = steps[steps.coverage >= PRIM_MIN_COVERAGE]
    chosen = int(eligible.sort_values(["density", "coverage"], ascending=False, kind="stable").index[0])
    lows, highs = x.min(axis=0), x.max(axis=0)
    rows = []
    for k, step in steps.iterrows():
        lims = box.box_lims[k]
        row = {"step": k, "coverage": float(step.coverage), "density": float(step.density),
               "mass": float(step.mass), "res_dim": int(step.res_dim), "points": int(step.n), "chosen": k == chosen}
        words = []
        for f in factors:
            lo, hi = float(lims[f].iloc[0]), float(lims[f].iloc[1])
            if lo > lows[f] or hi < highs[f]:
                row[f"low:{f}"], row[f"high:{f}"] = lo, hi
                words.append(_condition(f, lo, hi, float(lows[f]), float(highs[f])))
            else:
                row[f"low:{f}"] = row[f"high:{f}"] = np.nan
        row["rule"] = " and ".join(words) or "anywhere"
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def chosen_box(trajectory: pd.DataFrame | None):
    """The chosen peel step of a PRIM trajectory (a row), or None."""
    if trajectory is None or not len(trajectory):
        return None
    chosen = trajectory[trajectory["chosen"].astype(bool)]
    return chosen.iloc[0] if len(chosen) else None
