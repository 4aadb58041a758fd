"""Priors beside the parameters (simgov.uncertainty.priors) and `simgov priors`."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

import simgov
from simgov.scenario import bundled_names
from simgov.uncertainty.priors import LOGNORMAL_FACTOR, Prior, default_prior, priors


@pytest.mark.parametrize("name", bundled_names())
def test_every_prior_lies_within_its_fields_range_and_holds_the_scenarios_value(name):
    entries = priors(simgov.load_scenario(name))
    assert entries and len({e.path for e in entries}) == len(entries)
    for e in entries:
        p = e.prior
        assert p.low <= e.value <= p.high, e.path
        lo, hi = p.interval()
        assert p.low <= lo < hi <= p.high, e.path
        assert p.reason, e.path


def test_the_default_rule_centres_on_the_assumed_value():
    share = default_prior(0.1, 0.0, 1.0)
    draws = share.ppf(np.random.default_rng(1).random(200_000))
    assert draws.mean() == pytest.approx(0.1, rel=0.01) and draws.std() == pytest.approx(0.1 / 3, rel=0.02)
    number = default_prior(40.0, 0.0, math.inf)
    assert number.median == pytest.approx(40.0)
    lo, hi = number.interval()
    assert lo == pytest.approx(40 / LOGNORMAL_FACTOR, rel=1e-3)
    assert hi == pytest.approx(40 * LOGNORMAL_FACTOR, rel=1e-3)
    cut = default_prior(0.15, 0.0, 0.3)  # cut to the field's range: conditioned on it
    assert cut.ppf(np.array([0.0, 1.0])).tolist() == pytest.approx([0.0, 0.3], abs=1e-9)
    assert default_prior(0.0, 0.0, 1.0) is None and default_prior(1.0, 0.0, 1.0) is None  # switches


def test_declared_priors_replace_the_rule_and_cited_numbers_have_none(b_community):
    by_path = {e.path: e for e in priors(b_community)}
    agreement = by_path["policies.mediation.agreement"].prior
    assert not agreement.rule and agreement.dist == "beta" and agreement.mean == 0.75
    assert by_path["parameters.disputes.relapse"].prior.dist == "triangular"
    assert "community.residents" not in by_path  # 000 gives it
    assert not any(p.startswith("community.mix.") for p in by_path)  # shares that add up to 1
    assert not any(p.endswith(("start_week", "end_week")) for p in by_path)
    assert by_path["parameters.services.hours_per_case"].prior.rule


def test_a_prior_refuses_what_is_not_a_distribution():
    with pytest.raises(ValueError, match="unknown prior distribution"):
        Prior("normalish", 0.0, 1.0, "x")
    with pytest.raises(ValueError, match="low < high"):
        Prior("uniform", 1.0, 1.0, "x")


def test_the_command_lists_the_priors():
    out = subprocess.run([sys.executable, "-m", "simgov", "priors", "b-community", "--csv"], capture_output=True,
                         text=True, check=True).stdout
    lines = out.strip().splitlines()
    assert lines[0].startswith("path,value,prior")
    assert len(lines) - 1 == len(priors(simgov.load_scenario("b-community")))


def test_policy_rates_per_week_have_priors_and_only_the_schedule_has_none():
    """Only start_week and end_week are left out of a policy's priors: a rate such as mediation's
    ``cases_per_week`` is an uncertain quantity like any other."""
    from simgov.scenario import load_scenario
    from simgov.uncertainty import priors

    paths = {e.path for e in priors(load_scenario("b-community"))}
    assert {"policies.mediation.cases_per_week", "policies.mediation.group_cases_per_week"} <= paths
    assert not {p for p in paths if p.endswith((".start_week", ".end_week"))}
