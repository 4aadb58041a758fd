"""Patterns and pattern validation: each measure on cases worked by hand, the targets a
scenario is held to, and the mediation rule that makes the per-case agreement rate the
service's agreement probability."""

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import simgov
from simgov.errors import InputError
from simgov.experiment.validation import checks, judge, pattern_values
from simgov.model import CommunityModel
from simgov.patterns import GENERAL_TARGETS, PATTERNS, mean_path_length
from simgov.policies import POLICY_TYPES


def fake_state(graph: nx.Graph, outside: np.ndarray | None = None, unmet=None, belonging=None):
    a = sp.csr_array(nx.to_scipy_sparse_array(graph, nodelist=range(graph.number_of_nodes()), format="csr"))
    n = a.shape[0]
    degree = np.asarray(a.sum(axis=1)).ravel()
    network = SimpleNamespace(friendly_binary=lambda: a, friendly_degree=lambda: degree,
                              friends_outside_household=lambda: degree if outside is None else outside)
    residents = SimpleNamespace(n=n, has_unmet_need=lambda: np.asarray(unmet, bool),
                                belonging=np.asarray(belonging if belonging is not None else np.full(n, 0.5)))
    return SimpleNamespace(network=network, residents=residents)


def test_mean_path_length_of_a_cycle_and_a_path():
    # A cycle of n (even) nodes: distances 1..n/2-1 twice and n/2 once, mean n^2/4/(n-1).
    n = 100
    assert mean_path_length(fake_state(nx.cycle_graph(n)), sources=n) == pytest.approx(n * n / 4 / (n - 1))
    # Only the largest component counts.
    g = nx.disjoint_union(nx.path_graph(3), nx.complete_graph(2))
    assert mean_path_length(fake_state(g), sources=3) == pytest.approx(8 / 6)


def test_periphery_share_is_the_share_of_the_flagged_in_the_quarter_with_fewest_ties():
    n = 8
    outside = np.array([0, 0, 1, 2, 3, 4, 5, 6])  # the periphery quarter: residents 0 and 1
    state = fake_state(nx.empty_graph(n), outside=outside, unmet=[1, 0, 0, 0, 0, 0, 1, 1])
    assert PATTERNS["periphery_share_of_unmet"].measure(None, state) == pytest.approx(1 / 3)
    state = fake_state(nx.empty_graph(n), outside=outside, unmet=np.zeros(n),
                       belonging=[0.1, 0.2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9])
    assert PATTERNS["periphery_share_of_lonely"].measure(None, state) == 1.0
    assert np.isnan(PATTERNS["periphery_share_of_unmet"].measure(None, state))  # no one to place


def test_record_patterns_from_a_timeseries():
    weeks = 104
    ts = pd.DataFrame({"disputes_new": [99] + [2] * weeks, "disputes_resolved": [0] + [2] * weeks,
                       "disputes_relapsed": [0] + [0, 1] * (weeks // 2), "volunteers": [0] * 53 + [10] * 52,
                       "group_dispute_share": [0.0] * weeks + [0.05]})
    state = SimpleNamespace(residents=SimpleNamespace(n=1000))
    assert PATTERNS["disputes_per_year"].measure(ts, state) == 104  # week 0 (the start) excluded
    assert PATTERNS["disputes_per_1000_per_year"].measure(ts, state) == 104
    assert PATTERNS["relapses_per_100_resolved"].measure(ts, state) == 25
    assert PATTERNS["steady_volunteers"].measure(ts, state) == 10  # the final 52 weeks
    assert PATTERNS["volunteer_share"].measure(ts, state) == 0.01
    assert PATTERNS["group_dispute_share"].measure(ts, state) == 0.05


def test_per_case_agreement_rate_is_the_services_probability(small):
    """A failed case is not retried at its stage, so (with no escalation to give it a second
    chance, nor relapses to undo agreements) the share of the disputes taken that end agreed is
    the agreement probability: 0.5 here, not 1 - 0.5^k after k retries."""
    mediation = POLICY_TYPES["mediation"](cases_per_week=50, uptake=1.0, agreement=0.5, legal_support=False,
                                          group_deliberation=False)
    disputes = small.parameters.disputes.model_copy(update={"neighbor_disputes_per_1000": 60.0, "relapse": 0.0,
                                                                "escalate_individual": 0.0,
                                                                "escalate_multi_party": 0.0})
    scenario = small.model_copy(update={"policies": (mediation,), "arms": {}, "targets": (),
                                        "parameters": small.parameters.model_copy(update={"disputes": disputes})})
    model = CommunityModel(scenario, weeks=156, rng=3)
    for _ in range(156):
        model.step()
    d = model.state.disputes
    taken = d.taken & (d.opened <= model.state.week - 26)
    rate = PATTERNS["mediation_agreement_rate"].measure(model.timeseries(), model.state)
    # Binomial standard error with a few hundred cases is about 0.03: 3 of them either side.
    assert taken.sum() > 200
    assert 0.41 < rate < 0.59


def test_checks_hold_general_and_own_targets(write_yaml):
    b = simgov.load_scenario("b-community")
    found = {(c.pattern, c.arm) for c in checks(b)}
    assert ("mediation_agreement_rate", "mediation") in found  # measured where mediation runs
    assert {(g.pattern, "baseline") for g in GENERAL_TARGETS if g.policy is None} <= found
    path = write_yaml({"name": "own", "extends": "b-community", "arms": {},
                       "targets": [{"pattern": "participation_rate", "range": [0.2, 0.3], "source": "survey"}]})
    own = simgov.load_scenario(path)
    participation = [c for c in checks(own) if c.pattern == "participation_rate"]
    assert [(c.low, c.high, c.source) for c in participation] == [(0.2, 0.3, "survey")]  # replaces the general one
    no_mediation = simgov.load_scenario(write_yaml({"name": "x", "weeks": 10}, name="x.yaml"))
    assert not any(c.pattern == "mediation_agreement_rate" for c in checks(no_mediation))


@pytest.mark.parametrize("target, message", [
    ({"pattern": "participaton_rate", "range": [0, 1]}, "participation_rate"),
    ({"pattern": "participation_rate", "range": [0.5, 0.1]}, "low <= high"),
    ({"pattern": "participation_rate", "range": [0, 1], "arm": "nosuch"}, "no arm named 'nosuch'"),
])
def test_bad_targets_are_clear_errors(write_yaml, target, message):
    path = write_yaml({"name": "bad", "targets": [target]})
    with pytest.raises(InputError) as err:
        simgov.load_scenario(path)
    assert "targets.0" in str(err.value) and message in str(err.value)


def test_judge_passes_by_the_mean_and_reports_the_interval(small):
    wanted = [c for c in checks(small) if c.pattern in ("participation_rate", "clustering")]
    values = pattern_values(small, reps=3, weeks=20, only=wanted, progress=False)
    assert len(values) == 3 and set(values.columns) >= {"participation_rate", "clustering"}
    table = judge(small, values, wanted)
    assert list(table.pattern) == ["participation_rate", "clustering"]
    row = table.iloc[0]
    assert row.ci_low <= row["mean"] <= row.ci_high
    assert row.passed == (row.low <= row["mean"] <= row.high)
