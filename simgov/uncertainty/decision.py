"""Decisions under parameter uncertainty: effects, the probability each arm is best, the
cost-effectiveness acceptability curve and the expected value of partial perfect information.

Every function takes tables and returns tables (no simulation), so the statistics are tested
on synthetic data. The input is a **runs table**: one row per draw, arm and replicate
(columns ``draw``, ``replicate``, ``arm``, each metric's final-year mean and the yearly cost
columns of ``simgov.experiment.compare.COST_METRICS``); in a comparison under uncertainty
every arm of a draw runs the draw's parameters with the same replicate seeds (common random
numbers), so ``arm - reference`` pairs on draw and replicate.

Rules:

- **Effects** (``effects_table``). For draw *j* the paired differences of its *R* replicates
  have mean ``m_j`` and a Student-t sampling distribution ``m_j + s_j t(R - 1)`` with
  ``s_j = sd_j / sqrt(R)`` (simgov.experiment.compare). The effect's distribution under both
  parameter and stochastic uncertainty is the equal mixture of the K draws' distributions;
  ``ci_low`` and ``ci_high`` are its 2.5% and 97.5% quantiles (found by bisection, which
  lies between the smallest and largest component quantile). With every draw the same (a
  point-mass prior) the mixture is that one distribution and the interval is exactly the
  replicate-only interval of an ordinary comparison. ``rep_ci_low``/``rep_ci_high`` keep the
  replicate-only interval: the difference plus or minus ``t(0.975, R - 1)`` times the
  root-mean-square of the ``s_j`` (what one draw's comparison would report). With one
  replicate there is no stochastic spread: the interval is the draws' own 2.5-97.5% range
  (NaN for one draw, as an ordinary comparison gives).
- **Decision table** (``decision_table``). For each metric with a better direction
  (simgov.metrics), in each draw each arm's mean over replicates; an arm is best in a draw
  where no arm is better (ties share the draw equally, so P(best) adds up to 1 over arms);
  ``p_best`` is the share of draws it is best in, ``p_beats_reference`` the share in which it
  is strictly better than the reference.
- **Net benefit and CEAC** (``net_benefit``, ``ceac``). For an outcome, arm *a* in draw *j*
  gains ``g = improvement over the reference / effect unit`` (a percentage point for shares
  and indices, one for counts; negated where lower is better) at an extra cost ``c`` (yuan a
  year); at ``λ`` yuan per unit its net benefit is ``λ g - c`` (the reference's is 0). The
  CEAC gives, for each λ of a grid, the share of draws in which each arm has the largest net
  benefit (ties shared): the probability that it is the most cost-effective (van Hout et al.
  1994; Fenwick, Claxton & Sculpher 2001).
- **EVPPI** (``evppi``). The expected value of perfect information on parameter θ at λ is
  ``E_θ[max_a E(NB_a | θ)] - max_a E(NB_a)``. Following Strong, Oakley & Brennan (2014) the
  conditional expectations are the fitted values of a regression of each arm's per-draw net
  benefit on θ with a smoother: here scikit-learn's ``SplineTransformer`` (cubic B-splines,
  knots at quantiles; already a dependency, maintained, and deterministic) followed by
  least squares, with few knots for few draws (``spline_knots``) and a straight line below
  ``LINEAR_BELOW`` draws (a spline through a handful of points would interpolate them and
  count noise as information). EVPI (every parameter known) is the same with the per-draw
  net benefits themselves. Both are in yuan a year, per community; with few draws and
  noisy net benefits they are biased upwards (the regression smooths part of the noise).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simgov.experiment.compare import EFFECT_COLUMNS, MAIN_OUTCOMES, effect_unit
from simgov.metrics import METRIC_NAMES, METRICS

#: Columns the effects table adds to an ordinary comparison's.
UNCERTAIN_COLUMNS = ["draws", "rep_ci_low", "rep_ci_high"]
DECISION_COLUMNS = ["metric", "better", "arm", "reference", "mean", "p_best", "p_beats_reference", "draws"]
CEAC_COLUMNS = ["outcome", "yuan_per_unit", "arm", "p_most_cost_effective"]
EVPPI_COLUMNS = ["outcome", "yuan_per_unit", "best_arm", "parameter", "evppi", "evpi", "share_of_evpi", "draws"]
#: Yuan a year per unit of effect (a percentage point, or one for counts) at which EVPPI is
#: computed by default: of the order of what B community's policies cost per unit of their
#: effects (docs/policies.md: 1,000-35,000 yuan a year for effects of 0.1-6 points).
YUAN_PER_UNIT = 10_000.0
#: The CEAC's default grid: 0, then 1-2-5 steps from 100 to 10 million yuan per unit.
CEAC_GRID = (0.0,) + tuple(float(m * 10**e) for e in range(2, 7) for m in (1, 2, 5)) + (1e7,)
#: Below this many draws the EVPPI regression is a straight line.
LINEAR_BELOW = 12
#: Bisection steps for a mixture quantile (the bracket shrinks by 2^-60).
BISECTIONS = 60
_BETTER = {m.name: m.better for m in METRICS}
_SIGN = {"higher": 1.0, "lower": -1.0}


# ----------------------------------------------------------------------------- per draw
def draw_means(runs: pd.DataFrame, metric: str, arms: list[str]) -> pd.DataFrame:
    """Draws x arms: each arm's mean of ``metric`` over its replicates in each draw."""
    return runs.groupby(["draw", "arm"])[metric].mean().unstack("arm")[list(arms)]


def _by_run(runs: pd.DataFrame) -> pd.DataFrame:
    """(draw, replicate) x (metric, arm): every run's metrics, a row per paired set of runs
    (missing values stay missing, so pairs never shift)."""
    return runs.set_index(["draw", "replicate", "arm"])[list(METRIC_NAMES)].unstack("arm").sort_index()


# ----------------------------------------------------------------------------- effects
def mixture_interval(means: np.ndarray, sds: np.ndarray, n: int, level: float = 0.95) -> tuple[float, float]:
    """The central ``level`` interval of the equal mixture of the draws' sampling distributions:
    draw j's paired differences have mean ``means[j]`` and standard deviation ``sds[j]`` over
    ``n`` replicates (Student t on n - 1 degrees of freedom; sd 0 is a point mass). Each end
    lies between the smallest and the largest component's, so equal components give their own
    interval exactly; else it is found by bisection."""
    q = 0.5 + level / 2
    if n < 2:
        if means.size < 2:
            return float("nan"), float("nan")
        return float(np.quantile(means, 1 - q, method="inverted_cdf")), float(np.quantile(means, q,
                                                                                         method="inverted_cdf"))
    tq = float(stats.t.ppf(q, n - 1))
    halves = tq * sds / np.sqrt(n)
    out = []
    for sign, target in ((-1.0, 1 - q), (1.0, q)):
        ends = means + sign * halves
        lo, hi = float(ends.min()), float(ends.max())
        if lo != hi:
            scale = sds / np.sqrt(n)
            point = scale == 0

            def cdf(x, scale=scale, point=point):
                z = (x - means) / np.where(point, 1.0, scale)
                return float(np.mean(np.where(point, x >= means, stats.t.cdf(z, n - 1))))

            for _ in range(BISECTIONS):
                mid = 0.5 * (lo + hi)
                lo, hi = (lo, mid) if cdf(mid) >= target else (mid, hi)
        out.append(hi)
    return out[0], out[1]


def effects_table(runs: pd.DataFrame, arms: list[str], reference: str, level: float = 0.95) -> pd.DataFrame:
    """The comparison's effects (``EFFECT_COLUMNS`` and ``UNCERTAIN_COLUMNS``) over every draw."""
    draws = int(runs.draw.nunique())
    reps = int(runs.groupby(["draw", "arm"]).replicate.nunique().min())
    wide, rows = _by_run(runs), []
    for arm in arms:
        if arm == reference:
            continue
        for metric in METRIC_NAMES:
            d = (wide[(metric, arm)] - wide[(metric, reference)]).unstack("replicate").to_numpy(np.float64)
            means = d.mean(axis=1)
            sds = d.std(axis=1, ddof=1) if reps > 1 else np.zeros(len(d))
            lo, hi = mixture_interval(means, sds, reps, level)
            diff = float(means.mean())
            if reps > 1:
                rms = float(np.sqrt(np.mean(sds ** 2)))
                half = float(stats.t.ppf(0.5 + level / 2, reps - 1)) * rms / np.sqrt(reps)
                rep_lo, rep_hi = diff - half, diff + half
            else:
                rep_lo = rep_hi = float("nan")
            ref_mean, arm_mean = float(wide[(metric, reference)].mean()), float(wide[(metric, arm)].mean())
            rows.append((arm, reference, metric, ref_mean, arm_mean, diff, lo, hi, reps, draws, rep_lo, rep_hi))
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS + UNCERTAIN_COLUMNS)


# ----------------------------------------------------------------------------- who is best
def best_shares(scores: np.ndarray) -> np.ndarray:
    """Draws x arms scores (higher is better) -> each arm's share of draws in which it is best,
    ties shared equally (the shares add up to 1)."""
    scores = np.asarray(scores, np.float64)
    top = scores == scores.max(axis=1, keepdims=True)
    return (top / top.sum(axis=1, keepdims=True)).mean(axis=0)


def decision_table(runs: pd.DataFrame, arms: list[str], reference: str) -> pd.DataFrame:
    """For each metric with a better direction, each arm's P(best) and P(better than the reference)."""
    rows = []
    draws = int(runs.draw.nunique())
    for metric in METRIC_NAMES:
        better = _BETTER[metric]
        if not better:
            continue
        means = draw_means(runs, metric, arms)
        scores = _SIGN[better] * means.to_numpy(np.float64)
        shares = best_shares(scores)
        ref = scores[:, arms.index(reference)]
        for k, arm in enumerate(arms):
            beats = float("nan") if arm == reference else float(np.mean(scores[:, k] > ref))
            rows.append((metric, better, arm, reference, float(means[arm].mean()), float(shares[k]), beats, draws))
    return pd.DataFrame(rows, columns=DECISION_COLUMNS)


# ----------------------------------------------------------------------------- cost-effectiveness
def gains_and_costs(runs: pd.DataFrame, outcome: str, arms: list[str], reference: str,
                    cost: str = "yuan_per_year") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draws x arms: each arm's improvement over the reference in units of ``outcome``'s
    effect (simgov.experiment.compare.effect_unit) and its extra ``cost`` a year."""
    sign = _SIGN[_BETTER[outcome]]
    y, c = draw_means(runs, outcome, arms), draw_means(runs, cost, arms)
    gains = y.sub(y[reference], axis=0) * sign / effect_unit(outcome)
    return gains, c.sub(c[reference], axis=0)


def net_benefit(gains: pd.DataFrame, costs: pd.DataFrame, yuan_per_unit: float) -> pd.DataFrame:
    """Draws x arms: ``yuan_per_unit * gain - cost`` (yuan a year)."""
    return gains * yuan_per_unit - costs


def ceac(runs: pd.DataFrame, arms: list[str], reference: str, outcomes=MAIN_OUTCOMES,
         grid=CEAC_GRID) -> pd.DataFrame:
    """For each outcome and yuan per unit of effect in ``grid``: each arm's probability of the
    largest net benefit (the cost-effectiveness acceptability curve)."""
    rows = []
    for outcome in outcomes:
        gains, costs = gains_and_costs(runs, outcome, arms, reference)
        for lam in grid:
            shares = best_shares(net_benefit(gains, costs, lam).to_numpy(np.float64))
            rows += [(outcome, float(lam), arm, float(s)) for arm, s in zip(arms, shares, strict=True)]
    return pd.DataFrame(rows, columns=CEAC_COLUMNS)


# ----------------------------------------------------------------------------- value of information
def spline_knots(draws: int) -> int:
    """Knots of the EVPPI smoother for ``draws`` draws: more knots as draws allow (about one
    per 25 draws), from 2 (a cubic) to 6."""
    return int(np.clip(draws // 25, 2, 6))


def _smooth(theta: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Fitted values of a regression of each column of ``values`` on ``theta``."""
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import SplineTransformer

    n = theta.size
    if np.ptp(theta) == 0:
        return np.broadcast_to(values.mean(axis=0), values.shape)
    if n < LINEAR_BELOW or np.unique(theta).size < 4:
        basis = make_pipeline(LinearRegression())
    else:
        basis = make_pipeline(SplineTransformer(n_knots=spline_knots(n), degree=3, knots="quantile",
                                                include_bias=False), LinearRegression())
    return basis.fit(theta.reshape(-1, 1), values).predict(theta.reshape(-1, 1))


def value_of_information(nb: np.ndarray) -> float:
    """``E[max_a NB_a] - max_a E[NB_a]`` over the rows (draws) of a draws x arms array (>= 0)."""
    nb = np.asarray(nb, np.float64)
    return max(0.0, float(nb.max(axis=1).mean() - nb.mean(axis=0).max()))


def evppi(nb: pd.DataFrame, draws: pd.DataFrame) -> pd.DataFrame:
    """EVPPI of each parameter (column of ``draws``, draws x parameters) for the decision
    between the arms (columns of ``nb``, draws x arms net benefit), by regression; with EVPI."""
    values = nb.to_numpy(np.float64)
    total = value_of_information(values)
    rows = []
    for path in draws.columns:
        theta = draws.loc[nb.index, path].to_numpy(np.float64)
        rows.append((path, value_of_information(_smooth(theta, values))))
    table = pd.DataFrame(rows, columns=["parameter", "evppi"])
    table["evpi"] = total
    table["share_of_evpi"] = table.evppi / total if total > 0 else 0.0
    return table


def evppi_table(runs: pd.DataFrame, draws: pd.DataFrame, arms: list[str], reference: str,
                yuan_per_unit: float = YUAN_PER_UNIT, outcomes=MAIN_OUTCOMES) -> pd.DataFrame:
    """``evppi`` for each outcome at ``yuan_per_unit``, parameters by falling EVPPI, with the
    arm of the largest expected net benefit (the decision under current information)."""
    varied = [c for c in draws.columns if draws[c].nunique() > 1]
    frames = []
    for outcome in outcomes:
        gains, costs = gains_and_costs(runs, outcome, arms, reference)
        nb = net_benefit(gains, costs, yuan_per_unit)
        table = evppi(nb, draws[varied]).sort_values("evppi", ascending=False, kind="stable")
        frames.append(table.assign(outcome=outcome, yuan_per_unit=float(yuan_per_unit), best_arm=nb.mean().idxmax(),
                                   draws=len(gains)))
    if not frames:
        return pd.DataFrame(columns=EVPPI_COLUMNS)
    return pd.concat(frames, ignore_index=True)[EVPPI_COLUMNS]
