"""Does linkage show in an emergency? Linked against siloed B community and X street, with and
without an epidemic lockdown: the data, figures and numbers of docs/linkage-experiment.md.

    nice -n 19 python experiments/linkage_experiment.py                  # the full design, 2 workers
    nice -n 19 python experiments/linkage_experiment.py --reps 3 --weeks 120 --out /tmp/lx  # a quick look
    python -m simgov.docgen                      # then fill docs/linkage-experiment.md from the CSV

The claim (003, X street): forces that work "each on their own" (各自为战) are "weak" (力量微薄)
when the community meets an emergency (紧急的突发事件); linkage is what gives them strength;
000 (B community) tells the same of its 2020 epidemic response. In the model that claim is the
interaction linkage x shock: the effect of linkage with the shock minus its effect without it.

Design, per community: a 2 x 2 of linkage (the scenario's own level, 0.9 for both, cited in
their files; or siloed, ``actors.linkage.strength`` 0 via ``Scenario.with_values``) by shock
(none; or an ``epidemic_lockdown`` from week ``SHOCK_START`` for the shock type's default
length and size: the sources say "early 2020" and nothing of its length or depth). Each
linkage level is one comparison (``simgov.experiment.compare.run_comparison``) of the
baseline against an arm with the shock; all four cells run replicate i with the same seed
(common random numbers: the same synthetic community and random streams; the siloed
community is also siloed through its warm-up, so its week 0 already differs). Per replicate
and outcome the script forms the linkage effect without the shock (linked - siloed), with it,
their difference (the interaction), and the shock's effect at each level, each summarised by
its mean and paired 95% Student-t interval (simgov.experiment.paired).

Outcomes: the final-year means (the last 52 weeks, which hold the shock and its aftermath)
of the cohesion index, the trusts, unmet needs, needs met and open disputes; the shock outcomes of
simgov.shocks.outcomes (peak unmet needs, weeks to recover, disputes during the shock),
measured in the cells without the shock over the same weeks, so that a cell without a shock
gives the level the shocked cell is compared with; and, in the shocked cells, the shock read
against the same replicate without it (``against_calm``: the excess peak of unmet needs, the
weeks until the excess is gone, and the share of replicates in which it went), which a
drift that both runs share does not distort.

Resumable: each comparison's weekly records are kept in ``--cache`` (default
results/linkage-experiment/, one gzipped CSV per community, linkage level, replicates and
weeks, with a .json of the seconds it took, the scenario's digest and the model code's,
simgov.provenance) and read back instead of rerun when both digests are today's; ``--fresh``
ignores them. Written: ``--out``/
linkage-experiment.csv (tidy: community, outcome, quantity, estimate, interval, n) and its
.json (how it was made), and ``--figures``/linkage-*.png.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import simgov
from simgov import docgen_linkage as D
from simgov.experiment.compare import run_comparison
from simgov.experiment.output import timeseries_table
from simgov.experiment.paired import final_year, paired_interval
from simgov.experiment.runs import RunResult
from simgov.provenance import code_digest
from simgov.scenario import Scenario, load_scenario
from simgov.scenario.schema import Arm
from simgov.shocks import SHOCK_TYPES
from simgov.shocks.outcomes import PEAK_AFTER, RECOVERY_TOLERANCE, shock_outcomes
from simgov.streams import replicate_seed
from simgov.uncertainty.shipped import git_commit, scenario_digest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "data"
FIGURES = ROOT / "docs" / "figures"
CACHE = ROOT / "results" / "linkage-experiment"
#: The communities and their replicates per cell by default: B community's 6,221 residents are
#: cheap (40); X street's 111,000 cost about seven times as much a week (20, which still gives
#: paired intervals on 19 degrees of freedom, t = 2.09 against 2.02 for 40).
COMMUNITIES = {"b-community": 40, "x-street": 20}
#: Three simulated years after the two-year warm-up: two years for linked and siloed to
#: settle, the shock at the start of the third, whose final-year mean holds it and what follows.
WEEKS = 156
SHOCK_START = WEEKS - 51
#: The linkage levels: the scenario's own (None) and siloed.
LINKAGE = {"linked": None, "siloed": 0.0}
#: The outcomes, cells, contrasts and their names are simgov.docgen_linkage's (D), which fills
#: the document from the CSV.
COLUMNS = ["community", "outcome", "quantity", "estimate", "ci_low", "ci_high", "n"]


def shock(weeks: int):
    """The epidemic lockdown: its type's defaults (length and size), starting in the first week
    of the run's final year (SHOCK_START in the full run)."""
    return SHOCK_TYPES["epidemic_lockdown"](start_week=max(1, weeks - 51))


def scenarios(community: str, weeks: int) -> dict[str, Scenario]:
    """Linkage level -> ``community`` with one arm besides its baseline: the epidemic."""
    base = load_scenario(community)
    arm = Arm(description="the epidemic lockdown (issue 16 experiment)", shocks=(shock(weeks),))
    # The file's targets name its own arms, which this replaces.
    base = base.model_copy(update={"arms": {D.SHOCK_ARM: arm},
                                   "targets": tuple(t for t in base.targets if t.arm == "baseline")})
    return {level: base if strength is None else base.with_values({"actors.linkage.strength": strength})
            for level, strength in LINKAGE.items()}


def _cached(path: Path, scenario: Scenario) -> list[RunResult]:
    table = pd.read_csv(path)
    out = []
    for (arm, replicate), ts in table.groupby(["arm", "replicate"], sort=False):
        seed = int(ts.seed.iloc[0])
        assert seed == replicate_seed(scenario.seed, int(replicate)), f"{path}: seeds of another scenario"
        ts = ts.drop(columns=["arm", "replicate", "seed"]).reset_index(drop=True)
        spec = scenario.arms.get(arm)
        out.append(RunResult(scenario.name, arm, int(replicate), seed, ts,
                             shocks=shock_outcomes(spec.shocks, ts) if spec is not None else None))
    return out


def runs(community: str, reps: int, weeks: int, workers: int, cache: Path, fresh: bool,
         progress: bool) -> dict[str, list[RunResult]]:
    """Linkage level -> every run of its comparison (baseline and epidemic, ``reps`` each)."""
    out = {}
    for level, scenario in scenarios(community, weeks).items():
        path = cache / f"{community}-{level}-reps{reps}-weeks{weeks}.csv.gz"
        made_by = {"digest": scenario_digest(scenario), "code": code_digest()}
        if path.exists() and not fresh and _made_by(path) == made_by:
            out[level] = _cached(path, scenario)
            continue
        started = time.perf_counter()
        comparison = run_comparison(scenario, reps=reps, weeks=weeks, arms=[D.SHOCK_ARM], progress=progress,
                                    workers=workers, interactions=False)
        cache.mkdir(parents=True, exist_ok=True)
        timeseries_table(comparison.results).to_csv(path, index=False)
        _timing(path).write_text(json.dumps({"seconds": round(time.perf_counter() - started, 1),
                                             "workers": workers, "commit": git_commit(), **made_by}) + "\n",
                                 encoding="utf-8")
        out[level] = comparison.results
    return out


def _timing(path: Path) -> Path:
    """The file beside a cached comparison that records how long it took to simulate."""
    return path.with_name(path.name.removesuffix(".csv.gz") + ".json")


def _made_by(path: Path) -> dict:
    """The scenario digest and model code a cached comparison was simulated with ({} if not
    recorded): it is read back only if both are today's, else it is rerun."""
    timing = _timing(path)
    record = json.loads(timing.read_text(encoding="utf-8")) if timing.is_file() else {}
    return {k: record[k] for k in ("digest", "code") if k in record}


def simulated(community: str, reps: int, weeks: int, cache: Path) -> dict:
    """How the community's comparisons were simulated: their wall seconds in all (None if not
    recorded) and the commits of the code that ran them."""
    files = [_timing(cache / f"{community}-{level}-reps{reps}-weeks{weeks}.csv.gz") for level in LINKAGE]
    if not all(f.exists() for f in files):
        return {"simulation_seconds": None, "commits": []}
    records = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    return {"simulation_seconds": round(sum(r["seconds"] for r in records), 1),
            "commits": sorted({r.get("commit") or "unrecorded" for r in records})}


def against_calm(shocked: pd.DataFrame, calm: pd.DataFrame, weeks: int) -> tuple[float, float, float]:
    """A shocked run read against the same replicate without the shock: the highest excess of
    its unmet needs share from the shock's start (until PEAK_AFTER weeks after its end), the
    weeks after its last week until the excess is within RECOVERY_TOLERANCE (NaN if never),
    and whether it got there in the run (1 or 0; the share of replicates that did is the
    summary that does not leave out the runs that never recover). Unlike the library's
    outcomes these do not count a drift both runs share as the shock's."""
    s = shock(weeks)
    excess = shocked["unmet_needs_share"].to_numpy() - calm["unmet_needs_share"].to_numpy()
    last = len(excess) - 1
    back = np.flatnonzero(excess[min(s.end_week, last):] <= RECOVERY_TOLERANCE)
    return (float(excess[s.start_week:min(s.end_week + PEAK_AFTER, last) + 1].max()),
            float(back[0]) if back.size else np.nan, float(back.size > 0))


def cell_values(results: dict[str, list[RunResult]], reps: int, weeks: int) -> dict[tuple, pd.DataFrame]:
    """(linkage, shock) -> replicates x outcomes: the final-year means, the shock outcomes (in a
    cell without the shock, over the weeks it would have had) and, in a shocked cell, the
    shock read against the calm run (``against_calm``; NaN in the calm cells)."""
    lockdown = [shock(weeks)]
    out = {}
    for level, shocked in D.CELLS:
        arm = "baseline" if shocked == "none" else D.SHOCK_ARM
        mine = {r.replicate: r for r in results[level] if r.arm == arm}
        calm = {r.replicate: r for r in results[level] if r.arm == "baseline"}
        values = final_year(list(mine.values()), arm, reps)[list(D.OUTCOMES)]
        by_rep = {i: shock_outcomes(lockdown, r.timeseries).iloc[0] for i, r in mine.items()}
        for name in D.SHOCK_OUTCOMES:
            values[name] = [float(by_rep[i][name]) for i in range(reps)]
        paired = [against_calm(mine[i].timeseries, calm[i].timeseries, weeks) if shocked != "none"
                  else (np.nan,) * len(D.PAIRED_OUTCOMES) for i in range(reps)]
        for k, name in enumerate(D.PAIRED_OUTCOMES):
            values[name] = [p[k] for p in paired]
        out[(level, shocked)] = values
    return out


def _row(community, outcome, quantity, values) -> tuple:
    """Mean and 95% interval over the replicates with a value (weeks to recover: those that recovered)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not v.size:
        return (community, outcome, quantity, np.nan, np.nan, np.nan, 0)
    mean, lo, hi = paired_interval(v)
    return (community, outcome, quantity, mean, lo, hi, int(v.size))


def tidy(community: str, cells: dict[tuple, pd.DataFrame]) -> list[tuple]:
    """One row per outcome and quantity: each cell's mean, each contrast, the interaction."""
    rows = []
    for outcome in D.OUTCOMES + D.SHOCK_OUTCOMES + D.PAIRED_OUTCOMES:
        y = {cell: cells[cell][outcome].to_numpy(dtype=np.float64) for cell in D.CELLS}
        for cell in D.CELLS:
            rows.append(_row(community, outcome, "/".join(cell), y[cell]))
        for name, (a, b) in D.CONTRASTS.items():
            rows.append(_row(community, outcome, name, y[a] - y[b]))
        (a, b), (c, d) = D.CONTRASTS[f"linkage_effect/{D.SHOCK_ARM}"], D.CONTRASTS["linkage_effect/none"]
        rows.append(_row(community, outcome, D.INTERACTION, (y[a] - y[b]) - (y[c] - y[d])))
    return rows


# ----------------------------------------------------------------------------- figures
SERIES = ("linkage_strength", "unmet_needs_share", "cohesion_index", "trust_neighbors", "trust_committee",
          "disputes_open")
#: The quantities of the effects figure: linkage's effect without and with the shock, and their difference.
FOREST = ("linkage_effect/none", f"linkage_effect/{D.SHOCK_ARM}", D.INTERACTION)


def series_figure(results: dict[str, list[RunResult]], weeks: int, title: str):
    """The four cells' weekly series, median and 10-90% band, the shock's weeks shaded
    (the report's own series figure)."""
    from simgov.report.figures import series_figure as draw

    frames = []
    for level, shocked in D.CELLS:
        arm = "baseline" if shocked == "none" else D.SHOCK_ARM
        name = D.CELL_LABELS[(level, shocked)]
        frames += [r.timeseries.assign(arm=name, replicate=r.replicate) for r in results[level] if r.arm == arm]
    s = shock(weeks)
    fig = draw(pd.concat(frames, ignore_index=True), "en", SERIES, arm_label=str,
               shocks={D.CELL_LABELS[c]: [(s.start_week, s.end_week)] for c in D.CELLS if c[1] == D.SHOCK_ARM})
    fig.suptitle(title)
    return fig


def effects_figure(table: pd.DataFrame):
    """The linkage effect without and with the epidemic and their difference, with 95% intervals:
    a panel per outcome, a row per community and quantity."""
    import matplotlib.pyplot as plt

    from simgov.report.style import PALETTE, rc

    outcomes = D.OUTCOMES + D.SHOCK_OUTCOMES + D.PAIRED_OUTCOMES
    rows = [(c, q) for c in dict.fromkeys(table.community) for q in FOREST]
    with plt.rc_context(rc("en")):
        fig, axes = plt.subplots(3, 4, figsize=(17, 0.42 * len(rows) * 3 + 3.0), constrained_layout=True,
                                 squeeze=False)
        axes = list(axes.flat)
        for ax in axes[len(outcomes):]:
            ax.set_visible(False)
        for ax, outcome in zip(axes, outcomes, strict=False):
            mine = table[table.outcome == outcome].set_index(["community", "quantity"])
            scale = 100.0 if D.unit(outcome) == "share" else 1.0  # shares in percentage points
            y = np.arange(len(rows))[::-1]
            for yy, (community, quantity) in zip(y, rows, strict=True):
                e = mine.loc[(community, quantity)]
                d, lo, hi = e.estimate * scale, e.ci_low * scale, e.ci_high * scale
                colour = PALETTE[(FOREST.index(quantity) + 1) % len(PALETTE)]
                if np.isfinite(d):
                    ax.errorbar(d, yy, xerr=[[d - lo], [hi - d]] if np.isfinite(lo) else None, fmt="o",
                                color=colour, capsize=4, markersize=7, linewidth=2)
            ax.axvline(0.0, color="#555", linewidth=1.0)
            ax.set_yticks(y, [f"{D.COMMUNITY_NAMES[c]}: {D.CONTRAST_LABELS[q]}" for c, q in rows])
            if axes.index(ax) % 4:
                ax.set_yticklabels([])
            ax.set_title(D.label(outcome) + (" (pp)" if scale != 1.0 else ""))
            ax.grid(axis="y", alpha=0)
        fig.suptitle("Linkage (0.9 against 0) without and with an epidemic lockdown: paired effects, 95% intervals")
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=None, help="replicates per cell (default: COMMUNITIES)")
    ap.add_argument("--weeks", type=int, default=WEEKS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--communities", nargs="+", default=list(COMMUNITIES), choices=list(COMMUNITIES))
    ap.add_argument("--out", type=Path, default=DATA, help="folder of linkage-experiment.csv and .json")
    ap.add_argument("--figures", type=Path, default=None, help="folder of the figures (default: docs/figures, "
                    "or --out when --out is given)")
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--fresh", action="store_true", help="rerun even what the cache holds")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    figures = args.figures or (FIGURES if args.out == DATA else args.out)
    from simgov.report.figures import save

    started = time.perf_counter()
    rows, about = [], {}
    for community in args.communities:
        reps = args.reps or COMMUNITIES[community]
        t0 = time.perf_counter()  # this call's (short when the runs are cached)
        results = runs(community, reps, args.weeks, args.workers, args.cache, args.fresh, not args.quiet)
        rows += tidy(community, cell_values(results, reps, args.weeks))
        figures.mkdir(parents=True, exist_ok=True)
        save(series_figure(results, args.weeks, D.COMMUNITY_NAMES[community]),
             figures / f"linkage-timeseries-{community}.png")
        scenario = load_scenario(community)
        s = shock(args.weeks)
        about[community] = {"reps": reps, "seed": scenario.seed, "warmup_weeks": scenario.warmup_weeks,
                            "residents": scenario.community.residents,
                            "linkage_strength": scenario.actors.linkage.strength,
                            **simulated(community, reps, args.weeks, args.cache)}
        if not args.quiet:
            print(f"{community}: {reps} replicates x 4 cells in {time.perf_counter() - t0:.0f} s", flush=True)
    table = pd.DataFrame(rows, columns=COLUMNS)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "linkage-experiment.csv", index=False, float_format="%.6g")
    save(effects_figure(table), figures / "linkage-effects.png")
    meta = {
        "weeks": args.weeks, "shock": s.model_dump(mode="json"), "outcomes": list(D.OUTCOMES),
        "shock_outcomes": list(D.SHOCK_OUTCOMES),
        "paired_outcomes": list(D.PAIRED_OUTCOMES), "statistic": "final-year mean (the last 52 weeks) or the shock "
        "outcome per replicate; mean over replicates with a paired 95% Student-t interval",
        "communities": about,
        "command": "python experiments/linkage_experiment.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "workers": args.workers, "seconds": round(time.perf_counter() - started, 1), "simgov": simgov.__version__,
        "python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
    }
    (args.out / "linkage-experiment.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if not args.quiet:
        print(f"wrote {args.out / 'linkage-experiment.csv'} ({len(table)} rows) in {meta['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
