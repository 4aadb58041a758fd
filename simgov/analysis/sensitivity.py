"""Global sensitivity analysis of a sweep with SALib, replicate noise averaged out first.

SALib's estimators assume a deterministic model, so each design point's outcome is first
averaged over its replicates (which share seeds across points: common random numbers).
Then, by design:

- ``sobol``: first-order S1 and total ST indices with bootstrap 95% intervals
  (``SALib.analyze.sobol``; Saltelli et al. 2010, Jansen 1999);
- ``morris``: mu, mu* (mean absolute elementary effect, with its interval) and sigma
  (``SALib.analyze.morris``; Morris 1991, Campolongo et al. 2007);
- ``latin_hypercube`` and ``full_factorial``: the moment-independent delta index and a
  first-order S1 estimated from the given sample (``SALib.analyze.delta``; Borgonovo 2007,
  Plischke et al. 2013), since Sobol' and Morris estimators need their own sampling schemes.

Guardrails, reported as notes with the table (and in the report):

- the analysis regenerates the design from the experiment's seed and refuses a sample that
  differs from the sweep's (the estimators depend on the rows' order; SALib issue #665),
  and uses the sampling settings (second order, levels) for the analysis (#172, #397);
- a warning when the sample is small for the method (negative or wide indices follow; the
  maintainers' rule of thumb is thousands of runs per factor, #599);
- the share of the variance of the point means that is replicate noise (its variance over
  the replicates, net of the part common random numbers share across points, divided by the
  number of replicates and by the variance of the point means), with a warning above 10%:
  add replicates before trusting small indices;
- points without a finished run, and outcomes that do not vary, are reported, not analysed.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd

NOISE_WARNING = 0.10
MIN_DELTA_POINTS = 20
SMALL = {"sobol": 256, "morris": 10, "delta": 100}  # base samples, trajectories, points


def point_means(runs: pd.DataFrame, outcomes, points: int) -> tuple[pd.DataFrame, pd.Series]:
    """Per point: the mean of each outcome over its finished replicates (NaN where none finished);
    and per outcome, the share of the variance of those means that is replicate noise.

    Replicate i has the same seed at every point, so part of its deviation is shared by all
    points and shifts every mean alike, leaving the indices untouched. When every point has the
    same replicates, the noise is therefore the point-by-replicate interaction of a two-way
    decomposition (Tukey's residual); otherwise the plain within-point variance.
    """
    ok = runs[runs.status == "ok"]
    means = ok.groupby("point")[list(outcomes)].mean().reindex(range(points))
    noise = {}
    for outcome in outcomes:
        wide = ok.pivot(index="point", columns="replicate", values=outcome)
        reps = wide.shape[1]
        between = means[outcome].var(ddof=1)
        if reps < 2 or not between > 0:
            noise[outcome] = np.nan
            continue
        if wide.notna().all().all() and len(wide) > 1:
            resid = wide.sub(wide.mean(axis=1), axis=0).sub(wide.mean(axis=0), axis=1) + wide.to_numpy().mean()
            variance = float((resid.to_numpy() ** 2).sum()) / ((len(wide) - 1) * (reps - 1))
        else:
            variance = float(wide.var(axis=1, ddof=1).mean())
        noise[outcome] = variance / wide.notna().sum(axis=1).mean() / between
    return means, pd.Series(noise, dtype=float).reindex(list(outcomes))


def analyse(method: str, problem: dict, raw: np.ndarray, means: pd.DataFrame, noise: pd.Series,
            second_order: bool = False, levels: int = 4, samples: int | None = None,
            seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    """The sensitivity table (a row per outcome and factor) and its notes."""
    notes, frames = [], []
    name = {"sobol": "sobol", "morris": "morris"}.get(method, "delta")
    size = samples if name in ("sobol", "morris") else len(raw)
    if size is not None and size < SMALL[name]:
        what = {"sobol": "base samples", "morris": "trajectories", "delta": "points"}[name]
        notes.append(f"only {size} {what}: {name} indices this rough can be negative or near their interval "
                     f"width; use at least {SMALL[name]} for conclusions (SALib's maintainers suggest thousands "
                     "of runs per factor)")
    for outcome in means.columns:
        y = means[outcome].to_numpy(dtype=float)
        missing = np.isnan(y)
        if missing.all():
            notes.append(f"{outcome}: no finished runs; not analysed")
            continue
        if missing.any() and name != "delta":
            notes.append(f"{outcome}: {int(missing.sum())} design points have no finished run; {name} needs every "
                         "point in its order, so it is not analysed (resume the sweep to finish them)")
            continue
        if np.nanstd(y) == 0:
            notes.append(f"{outcome}: the same at every design point; nothing to attribute")
            continue
        share = noise.get(outcome, np.nan)
        if np.isfinite(share) and share > NOISE_WARNING:
            notes.append(f"{outcome}: replicate noise is {share:.0%} of the variance of the point means; "
                         "add replicates before trusting small indices")
        if name == "delta" and (~missing).sum() < MIN_DELTA_POINTS:
            notes.append(f"{outcome}: {int((~missing).sum())} points are too few for the delta index "
                         f"(at least {MIN_DELTA_POINTS}); not analysed")
            continue
        try:
            cols = _indices(name, problem, raw, y, missing, second_order, levels, seed)
        except Exception as exc:  # SALib's own checks: say so, analyse the other outcomes
            notes.append(f"{outcome}: SALib could not compute {name} indices: {exc}")
            continue
        frame = pd.DataFrame({"outcome": outcome, "factor": problem["names"], "method": name, **cols,
                              "noise_share": share})
        if name == "sobol":
            negative = frame[frame.S1 + frame.S1_conf < 0].factor.tolist()
            if negative:
                notes.append(f"{outcome}: S1 below zero beyond its interval for {', '.join(negative)}: the sample "
                             "is too small for these indices")
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["outcome", "factor", "method"])
    return table, notes


def _indices(name, problem, raw, y, missing, second_order, levels, seed) -> dict[str, np.ndarray]:
    from SALib.analyze import delta, morris, sobol

    # SALib prints advice on stdout and warns on small samples; the notes say it once, plainly.
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        if name == "sobol":
            si = sobol.analyze(problem, y, calc_second_order=second_order, seed=seed)
            keys = ("S1", "S1_conf", "ST", "ST_conf")
        elif name == "morris":
            si = morris.analyze(problem, np.asarray(raw, dtype=float), y, num_levels=levels, seed=seed)
            keys = ("mu", "mu_star", "mu_star_conf", "sigma")
        else:
            si = delta.analyze(problem, np.asarray(raw, dtype=float)[~missing], y[~missing], seed=seed)
            if "delta" not in si:  # SALib 1.6 names the bootstrap variants; "raw" is Borgonovo's plain one
                si = {**si, "delta": si["delta_raw"], "delta_conf": si["delta_raw_conf"]}
            keys = ("delta", "delta_conf", "S1", "S1_conf")
    return {k: np.asarray(si[k], dtype=float) for k in keys}
