"""Morris screening on the validation patterns (simgov.uncertainty.pattern_screening): which
priors the patterns respond to, in target-range widths."""

import math

import pandas as pd

from simgov.experiment.validation import checks
from simgov.scenario import load_scenario
from simgov.uncertainty.pattern_screening import rank_patterns, screen_patterns

MOVES, STILL = "community.initial.participation", "parameters.needs.worsening"


def test_a_parameter_that_moves_a_pattern_ranks_above_one_that_moves_none(write_yaml):
    tiny = load_scenario(write_yaml("extends: teaching-estate\nweeks: 4\nwarmup_weeks: 0\n"))
    found = screen_patterns(tiny, paths=[MOVES, STILL], trajectories=2)
    assert found.ranking.parameter.iloc[0] == MOVES
    participation = found.effects[(found.effects.pattern == "participation_rate")].set_index("parameter")
    assert participation.mu_star[MOVES] > 0 and participation.mu_star[STILL] == 0  # needs leave participation be
    open_ranges = {c.pattern for c in checks(tiny) if math.isinf(c.high) or math.isinf(c.low)}
    assert open_ranges and not open_ranges & set(found.effects.pattern)  # any value past the bound fits


def test_ranking_takes_the_largest_effect_and_at_most_per_pattern_from_one():
    effects = pd.DataFrame({"pattern": ["a", "a", "a", "b", "b"], "arm": "baseline",
                            "parameter": ["x", "y", "z", "x", "w"], "mu_star": [3.0, 2.0, 1.5, 0.5, 1.0],
                            "mu_star_conf": 0.0})
    ranking = rank_patterns(effects)
    assert ranking.parameter.tolist() == ["x", "y", "z", "w"] and ranking.pattern.tolist() == ["a", "a", "a", "b"]
    assert rank_patterns(effects, per_pattern=2).parameter.tolist() == ["x", "y", "w"]
