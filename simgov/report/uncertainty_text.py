"""Report sections of the uncertainty studies, in plain words (Markdown): which assumptions
matter (screening) and what the patterns say about them (calibration)."""

from __future__ import annotations

import pandas as pd

#: Parameters named in the screening section.
NAMED = 5


def screening_section(morris: pd.DataFrame, ranking: pd.DataFrame, sobol: pd.DataFrame, notes: list[str],
                      scenario: str) -> str:
    lines = [f"## Which assumptions matter: {scenario}\n",
             f"Morris screening of {ranking.parameter.nunique()} priors over their central 95% "
             "(simgov.analysis.screening). A parameter's importance for an outcome is its mean absolute "
             "elementary effect (mu*) over the largest of that outcome; for a policy's effect the outcome is "
             "the paired difference from the baseline under common random numbers.\n"]
    shown = ranking[ranking.importance > 0].head(NAMED)
    if shown.empty:
        lines.append("No parameter moved any outcome in these runs.\n")
    else:
        lines.append("| parameter | importance | matters most for |\n|---|---:|---|")
        lines += [f"| `{r.parameter}` | {r.importance:.2f} | {r.output} |" for r in shown.itertuples()]
        lines.append("")
        for output, rows in morris[morris.kind == "effect"].groupby("output", sort=False):
            best = rows.sort_values("mu_star", ascending=False).iloc[0]
            if best.mu_star > 0:
                lines.append(f"- The {output} depends most on `{best.parameter}` (mu* {best.mu_star:.3g}).")
        lines.append("")
    idle = ranking[ranking.importance == 0].parameter
    if len(idle):
        lines.append(f"{len(idle)} parameters moved no outcome here (importance 0).\n")
    if len(sobol):
        lines.append("Sobol' indices of the most important (total order ST, its 95% interval):\n")
        lines.append("| output | parameter | S1 | ST |\n|---|---|---:|---:|")
        lines += [f"| {r.output} | `{r.parameter}` | {r.S1:.2f} ± {r.S1_conf:.2f} | {r.ST:.2f} ± {r.ST_conf:.2f} |"
                  for r in sobol.itertuples()]
        lines.append("")
    if notes:
        lines.append("Notes:\n")
        lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def calibration_section(parameters: pd.DataFrame, generations: pd.DataFrame, predictive: pd.DataFrame,
                        scenario: str) -> str:
    last = generations.iloc[-1] if len(generations) else None
    lines = [f"## Calibration by ABC-SMC: {scenario}\n"]
    if last is not None:
        lines.append(f"{len(generations)} generations; the last has {int(last.particles)} particles (effective "
                     f"sample size {last.ess:.0f}), tolerance {last.epsilon:.3g} in normalised misses (0: every "
                     f"pattern in range), acceptance rate {last.acceptance_rate:.0%}.\n")
    lines.append("| parameter | scenario's value | prior 95% | posterior median | posterior 95% | width vs prior |")
    lines.append("|---|---:|---|---:|---|---:|")
    lines += [f"| `{r.parameter}` | {r.value:.4g} | {r.prior_low:.4g} – {r.prior_high:.4g} | "
              f"{r.posterior_median:.4g} | {r.posterior_low:.4g} – {r.posterior_high:.4g} | {r.narrowing:.0%} |"
              for r in parameters.itertuples()]
    lines.append("\nPosterior predictive check (the last population's patterns against their targets):\n")
    lines.append("| pattern | arm | target | 95% interval | share in range |\n|---|---|---|---|---:|")
    lines += [f"| {r.pattern} | {r.arm} | {r.low:.3g} – {r.high:.3g} | {r.pi_low:.3g} – {r.pi_high:.3g} | "
              f"{r.share_in_range:.0%} |" for r in predictive.itertuples()]
    return "\n".join(lines) + "\n"


__all__ = ["calibration_section", "screening_section"]
