"""Screening of the priors (simgov.analysis.screening): the ranking on a synthetic model, the
paired effects, and a tiny scenario where one prior is planted to matter and one is read by
nothing that runs."""

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample

from simgov.analysis.screening import importance, outputs, quantiles, rank
from simgov.analysis.sensitivity import analyse
from simgov.cli import main

TINY = "extends: teaching-estate\nweeks: 6\nwarmup_weeks: 0\n"
#: PLANTED sets the starting share of participants, which participation_rate reads; INERT is a
#: parameter of door-knocking, which no screened arm runs.
PLANTED, INERT = "community.initial.participation", "policies.door_knocking.trust_gain"


def test_the_ranking_orders_a_synthetic_models_parameters_by_their_effect():
    names = ["weak", "strong", "none", "niche"]
    problem = {"num_vars": 4, "names": names, "bounds": [[0.0, 1.0]] * 4}
    x = morris_sample.sample(problem, 10, num_levels=4, seed=1)
    means = pd.DataFrame({"y": 1.0 * x[:, 0] + 10.0 * x[:, 1], "z": x[:, 0] ** 2 + 5.0 * x[:, 1],
                          "w": 0.001 * x[:, 3]})  # w: a policy effect that only 'niche' decides
    table, _ = analyse("morris", problem, x, means, pd.Series(np.nan, index=list(means)), levels=4, samples=10)
    table = table.rename(columns={"outcome": "output", "factor": "parameter"})
    ranking = rank(table)
    assert list(ranking.parameter) == ["strong", "niche", "weak", "none"]
    assert ranking.importance.tolist()[0] == 1.0 and ranking.importance.tolist()[-1] == 0.0
    # however small its effect, 'niche' decides w alone, so it ranks above 'weak'
    assert ranking.set_index("parameter").loc["niche", "output"] == "w"
    assert importance(table).between(0, 1).all()


def test_effects_are_paired_differences_from_the_reference_at_the_same_point_and_replicate():
    key = {"point": [0, 0, 1, 1], "replicate": [0, 1, 0, 1], "status": "ok"}
    ref = pd.DataFrame({**key, "cohesion_index": [1.0, 2.0, 3.0, 4.0]})
    arm = pd.DataFrame({**key, "cohesion_index": [1.5, 2.0, 3.0, 6.0]})
    table, meaning = outputs({"baseline": ref, "x": arm}, metrics=("cohesion_index",))
    assert meaning == {"cohesion_index": ("baseline", "cohesion_index"),
                       "cohesion_index effect of x": ("x", "cohesion_index")}
    assert table["cohesion_index effect of x"].tolist() == [0.5, 0.0, 0.0, 2.0]


def test_quantiles_span_the_priors_central_95_percent():
    assert quantiles(np.array([0.0, 0.5, 1.0])).tolist() == pytest.approx([0.025, 0.5, 0.975])


def test_screening_ranks_a_planted_parameter_first_and_one_nothing_reads_last(write_yaml, tmp_path, capsys):
    out = tmp_path / "screen"
    args = ["screen", str(write_yaml(TINY)), "--out", str(out), "--params", f"{PLANTED},{INERT}",
            "--arm", "mediation", "--trajectories", "3", "--sobol-samples", "4", "--top", "2",
            "--executor", "serial", "--quiet"]
    assert main(args) == 0
    ranking = pd.read_csv(out / "ranking.csv")
    assert ranking.parameter.tolist() == [PLANTED, INERT]
    assert ranking.importance.tolist() == [1.0, 0.0]
    screening = pd.read_csv(out / "screening.csv")
    assert (screening[screening.parameter == INERT].mu_star == 0).all()  # exactly: the same runs at every value
    assert screening.set_index(["output", "parameter"]).loc[("participation_rate", PLANTED), "mu_star"] > 0
    assert {"level"} <= set(screening.kind) and set(screening.arm) <= {"baseline", "mediation"}
    assert set(pd.read_csv(out / "sobol.csv").parameter) == {PLANTED, INERT}
    assert (out / "screening.png").is_file() and PLANTED in (out / "report.md").read_text()
    assert main(args) == 2  # the folder holds the runs: --resume is needed
    assert main([*args, "--resume"]) == 0  # nothing left to run; the same tables
    assert pd.read_csv(out / "ranking.csv").equals(ranking)
    assert main(["screen", str(write_yaml(TINY)), "--out", str(tmp_path / "x"), "--params", "no.such"]) == 2
    assert "no prior" in capsys.readouterr().err
