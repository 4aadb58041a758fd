"""Fit a scenario's uncertain parameters to its patterns and write them into its file.

    python experiments/calibrate.py cuizhuyuan          # the parameters in experiments/calibration.yaml
    python experiments/calibrate.py --all               # every scenario listed there
    python experiments/calibrate.py cuizhuyuan --dry-run

Search: Optuna's TPE sampler, seeded, over the ranges in calibration.yaml; the first trial is
the file's current values, so a fit never ends worse than its start. Each trial runs the
arms the scenario's checks need with the same replicate seeds (common random numbers), so
trials differ by their parameters alone. Loss: the sum over checks of the squared distance of
the replicate mean outside its target range, in units of the range's width, plus a small
pull towards the middle of each range to choose among fits that are all in range. The best
values are written in place into the scenario's YAML (comments kept, each marked
"calibrated"), with a `calibration` record of the fit; then the scenario is revalidated and
docs/validation.md regenerated (experiments/validate_scenarios.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np
import yaml

from simgov.experiment.factors import apply, resolve
from simgov.experiment.validation import validate_patterns
from simgov.scenario import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenario_files import nice, write_values  # noqa: E402

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "calibration.yaml"


#: Weight of the pull towards the middle of finite ranges: it only breaks ties between fits
#: that put every pattern in range, which the range distances alone cannot tell apart.
CENTRE_WEIGHT = 0.01


def loss(table) -> float:
    """Sum of squared distances outside the target ranges, in units of each range's width
    (simgov.uncertainty.calibration.normalised_misses, the ABC distance's terms), plus a small
    pull towards the middle of each finite range."""
    from simgov.uncertainty.calibration import normalised_misses

    mean, low, high = (table[c].to_numpy(dtype=float) for c in ("mean", "low", "high"))
    total = float(np.sum(normalised_misses(mean, low, high) ** 2))
    finite = np.isfinite(mean) & np.isfinite(high) & np.isfinite(low) & (high > low)
    centre = (mean[finite] - (low[finite] + high[finite]) / 2) / (high[finite] - low[finite])
    return total + CENTRE_WEIGHT * float(np.sum(centre**2))


def evaluate(base, targets, values, reps: int, workers: int):
    table = validate_patterns(apply(base, targets, values), reps, workers=workers, progress=False)
    return loss(table), table


def fit(name: str, ranges: dict, trials: int, reps: int, seed: int, workers: int):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    base = load_scenario(name)
    targets = tuple(resolve(base, path) for path in ranges)
    start = {t.path: t.base for t in targets}
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=max(trials // 3, 1))
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.enqueue_trial({p: min(max(v, ranges[p][0]), ranges[p][1]) for p, v in start.items()})

    def objective(trial):
        values = [trial.suggest_float(t.path, *ranges[t.path]) if t.kind == "float"
                  else trial.suggest_int(t.path, *map(int, ranges[t.path])) for t in targets]
        value, table = evaluate(base, targets, values, reps, workers)
        trial.set_user_attr("passed", f"{int(table.passed.sum())} of {len(table)}")
        print(f"  trial {trial.number:>3}: loss {value:.4f}, {trial.user_attrs['passed']} in range, "
              + ", ".join(f"{t.path.rsplit('.', 1)[-1]}={v:.4g}" for t, v in zip(targets, values, strict=True)),
              flush=True)
        return value

    study.optimize(objective, n_trials=trials)
    first = study.trials[0]
    return base, study.best_trial, first


def write_back(name: str, best, first, trials: int, reps: int) -> Path:
    """The best values into the scenario file in place, comments kept, with the fit's record."""
    record = {
        "method": "Optuna TPE over experiments/calibration.yaml ranges",
        "date": dt.date.today().isoformat(),
        "trials": trials, "replicates": reps,
        "loss_before": round(float(first.value), 6), "loss": round(float(best.value), 6),
        "in_range": best.user_attrs["passed"],
        "parameters": {k: nice(v) for k, v in best.params.items()},
    }
    return write_values(name, best.params, lambda dotted: "assumption, calibrated by experiments/calibrate.py "
                        f"(was {first.params[dotted]:g})", ("calibration", record))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*")
    ap.add_argument("--all", action="store_true", help="every scenario in calibration.yaml")
    ap.add_argument("--trials", type=int, default=None)
    ap.add_argument("--reps", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true", help="fit and print, but write nothing")
    args = ap.parse_args(argv)
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    names = list(config["scenarios"]) if args.all else args.scenarios
    unknown = [n for n in names if n not in config["scenarios"]]
    if not names or unknown:
        print(f"name scenarios listed in {CONFIG.name}: {', '.join(config['scenarios'])}"
              + (f" (not: {', '.join(unknown)})" if unknown else ""), file=sys.stderr)
        return 2
    trials = args.trials or config["trials"]
    reps = args.reps or config["replicates"]
    for name in names:
        print(f"{name}: {trials} trials x {reps} replicates", flush=True)
        base, best, first = fit(name, config["scenarios"][name], trials, reps, config["seed"], args.workers)
        print(f"{name}: loss {first.value:.4f} -> {best.value:.4f} ({best.user_attrs['passed']} in range): "
              f"{best.params}")
        if not args.dry_run:
            print(f"wrote {write_back(name, best, first, trials, reps)}")
    if not args.dry_run:
        sys.path.insert(0, str(HERE))
        from validate_scenarios import main as validate

        return validate([*names, "--workers", str(args.workers)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
