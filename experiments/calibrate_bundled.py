"""Calibrate bundled scenarios by ABC-SMC and ship each posterior beside its scenario.

    python experiments/calibrate_bundled.py b-community qingshan-resettlement
    python experiments/calibrate_bundled.py --all                  # every bundled scenario
    python experiments/calibrate_bundled.py b-community --screen-only

For each scenario, in ``--out``/NAME (every step resumes from what is there):

1. **Which priors to fit.** A Morris screening of every prior on the scenario's validation
   patterns with a closed target range (simgov.uncertainty.pattern_screening: ``--trajectories``
   paths, runs of ``--screen-weeks`` weeks), leaving out the parameters the scenario has
   *settled* (its ``settled`` record: experiments/settle_stocks.py set them so that the stocks'
   steady state is the input count; refitting them to the patterns would undo that). The
   ``--top`` priors with the largest mu* (in target-range widths) are fitted, at most
   ``--per-pattern`` of them for any one pattern. ``--candidates-from OTHER`` screens only the
   ``--candidates`` priors OTHER's screening ranked highest on the patterns both share (a
   scenario held to the general patterns only, screened on a budget).
2. **ABC-SMC** (simgov.uncertainty.calibration.calibrate) of those priors to every pattern,
   ``--population`` particles a generation, at most ``--generations``, ``--reps`` replicate(s)
   per particle over the scenario's own weeks, on ``--workers`` processes; ``--max-minutes``
   starts no generation after that long (rerun the same command to continue).
3. **Ship**: the posterior to simgov/scenarios/NAME.posterior.csv and its record to
   NAME.posterior.json (simgov.uncertainty.shipped: the scenario's digest, the model's version
   and commit, the command and settings, the screening and the diagnostics), then
   docs/validation.md regenerated (its posterior predictive checks come from the records).

``simgov compare NAME --uncertainty posterior`` refuses a shipped posterior whose scenario has
changed since (tests/test_shipped_posterior.py holds every bundled one to its scenario), so a
change to a scenario file means rerunning this script for it.
"""

from __future__ import annotations

import argparse
import logging
import math
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simgov.experiment.validation import checks
from simgov.scenario import bundled_names, load_scenario
from simgov.uncertainty.calibration import calibrate
from simgov.uncertainty.pattern_screening import rank_patterns, screen_patterns
from simgov.uncertainty.shipped import settled_paths, ship

ROOT = Path(__file__).resolve().parent.parent
#: Settings, stated (and recorded with each posterior).
DEFAULTS = {"trajectories": 2, "screen_weeks": 104, "top": 5, "per_pattern": 2, "population": 100,
            "generations": 6, "reps": 1, "workers": 2, "seed": 17}


def candidates(name: str, args) -> list[str] | None:
    """The priors to screen: all (None), or with ``--candidates-from`` the ``--candidates`` that
    scenario's screening ranked highest on the patterns both scenarios are held to."""
    if not args.candidates_from:
        return None
    from simgov.uncertainty.priors import priors

    effects = pd.read_csv(args.out / args.candidates_from / "screening" / "effects.csv")
    scenario = load_scenario(name)
    shared = {(c.pattern, c.arm) for c in checks(scenario)}
    mine = {e.path for e in priors(scenario)}
    effects = effects[np.array([(p, a) in shared for p, a in zip(effects.pattern, effects.arm, strict=True)])
                      & effects.parameter.isin(mine)]
    return list(ranked(name, effects, argparse.Namespace(per_pattern=None)).parameter.head(args.candidates))


def ranked(name: str, effects: pd.DataFrame, args) -> pd.DataFrame:
    """The screening's ranking on the scenario's bounded patterns, ``--per-pattern`` at most from each."""
    bounded = {(c.pattern, c.arm) for c in checks(load_scenario(name)) if math.isfinite(c.low + c.high)}
    keep = np.array([(p, a) in bounded for p, a in zip(effects.pattern, effects.arm, strict=True)], dtype=bool)
    return rank_patterns(effects[keep], args.per_pattern)


def screening(name: str, folder: Path, args) -> pd.DataFrame:
    """The pattern screening's ranking (its effects cached in ``folder``)."""
    effects_file = folder / "effects.csv"
    if effects_file.is_file():
        return ranked(name, pd.read_csv(effects_file), args)
    scenario = load_scenario(name)
    started = time.perf_counter()
    found = screen_patterns(scenario, candidates(name, args), exclude=settled_paths(scenario),
                            trajectories=args.trajectories, weeks=args.screen_weeks, seed=args.seed,
                            executor="processes", workers=args.workers)
    folder.mkdir(parents=True, exist_ok=True)
    found.effects.to_csv(effects_file, index=False)
    ranking = ranked(name, found.effects, args)
    print(f"{name}: screened {found.effects.parameter.nunique()} priors on {found.effects.pattern.nunique()} "
          f"patterns in {time.perf_counter() - started:.0f} s; top: "
          + ", ".join(f"{r.parameter} ({r.importance:.2f} on {r.pattern})" for r in ranking.head(args.top)
                      .itertuples()), flush=True)
    return ranking


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--all", action="store_true", help="every bundled scenario")
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "calibrate-bundled")
    for key, value in DEFAULTS.items():
        ap.add_argument(f"--{key.replace('_', '-')}", type=int, default=value, help=f"(default: {value})")
    ap.add_argument("--max-minutes", type=float, help="start no ABC generation after this long (a rerun resumes)")
    ap.add_argument("--candidates-from", metavar="SCENARIO",
                    help="screen only the priors this scenario's screening (in --out) ranked highest on the "
                         "patterns both are held to")
    ap.add_argument("--candidates", type=int, default=20, help="how many, with --candidates-from (default: 20)")
    ap.add_argument("--screen-only", action="store_true", help="screen, then stop")
    ap.add_argument("--no-ship", action="store_true", help="calibrate into --out but ship nothing")
    args = ap.parse_args(argv)
    names = bundled_names() if args.all else args.scenarios
    unknown = [n for n in names if n not in bundled_names()]
    if not names or unknown:
        print(f"name bundled scenarios: {', '.join(bundled_names())}" + (f" (not: {', '.join(unknown)})"
                                                                         if unknown else ""), file=sys.stderr)
        return 2
    logging.getLogger("ABC").setLevel(logging.INFO)
    command = "python experiments/calibrate_bundled.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    for name in names:
        folder = args.out / name
        ranking = screening(name, folder / "screening", args)
        if args.screen_only:
            continue
        paths = list(ranking.parameter.head(args.top))
        abc = folder / "abc"
        result = calibrate(name, abc, paths, population=args.population, generations=args.generations,
                           reps=args.reps, seed=args.seed, executor="processes", workers=args.workers,
                           resume=(abc / "abc.db").is_file(), max_minutes=args.max_minutes)
        last = result.generations.iloc[-1]
        print(f"{name}: {len(result.generations)} generations, {int(result.generations.simulations.sum())} "
              f"simulations in {result.seconds:.0f} s; last: tolerance {last.epsilon:.3g}, acceptance "
              f"{last.acceptance_rate:.2f}, ESS {last.ess:.0f}", flush=True)
        if not args.no_ship:
            settings = {**{k: getattr(args, k) for k in DEFAULTS}, "executor": "processes",
                        "max_minutes": args.max_minutes, "candidates_from": args.candidates_from,
                        "candidates": args.candidates if args.candidates_from else None}
            files = ship(name, result, settings, command, ranking.head(args.top))
            print(f"wrote {', '.join(str(f.relative_to(ROOT)) for f in files)}", flush=True)
    if not args.screen_only and not args.no_ship:
        from simgov.report.validation_page import document

        (ROOT / "docs" / "validation.md").write_text(document(ROOT), encoding="utf-8")
        print("wrote docs/validation.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
