"""The model: weekly steps, named random streams, determinism, metrics in range."""

import numpy as np
import pandas as pd
import pytest

import simgov
from simgov.agents import Committee, Organisation, PartyMember
from simgov.metrics import METRIC_NAMES, METRICS
from simgov.streams import Streams, replicate_seed

REQUIRED = ["trust_neighbors", "trust_committee", "belonging", "participation_rate", "isolated_share",
            "cohesion_index", "organizations_active", "disputes_new", "disputes_open",
            "group_disputes_open", "disputes_resolved", "unmet_needs_share", "undetected_needs_share",
            "spend_yuan_total"]


@pytest.fixture(scope="module")
def run(b_community):
    return simgov.simulate(b_community, weeks=30)


def test_timeseries_has_every_metric_each_week(run):
    ts = run.timeseries
    assert list(ts["week"]) == list(range(31))
    for name in REQUIRED:
        assert name in ts.columns
    assert not ts.isna().any().any()


def test_shares_and_indices_in_unit_interval(run):
    for m in METRICS:
        if m.unit in ("share", "index"):
            assert run.timeseries[m.name].between(0, 1).all(), m.name


def test_summary(run):
    s = run.summary
    assert list(s.columns) == ["final", "mean", "final_year_mean"]
    assert list(s.index) == list(METRIC_NAMES)
    assert s.loc["trust_neighbors", "final"] == run.timeseries["trust_neighbors"].iloc[-1]


def test_same_seed_same_run_different_seed_differs(b_community):
    a = simgov.simulate(b_community, seed=11, weeks=8).timeseries
    b = simgov.simulate(b_community, seed=11, weeks=8).timeseries
    c = simgov.simulate(b_community, seed=12, weeks=8).timeseries
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_default_seed_is_replicate_zero(b_community):
    r = simgov.simulate(b_community, weeks=2)
    assert r.seed == replicate_seed(b_community.seed, 0)


def test_replicate_seeds_are_distinct_and_stable():
    seeds = [replicate_seed(5, i) for i in range(1000)]
    assert len(set(seeds)) == 1000
    assert seeds[:3] == [replicate_seed(5, 0), replicate_seed(5, 1), replicate_seed(5, 2)]
    assert replicate_seed(5, 0) != replicate_seed(6, 0)
    assert all(0 <= s < 2**63 for s in seeds)


def test_streams_are_independent_of_creation_order():
    a, b = Streams(3), Streams(3)
    a["influence"]
    x = a["needs"].random(5)
    y = b["needs"].random(5)  # created first here, yet the same draws
    assert np.array_equal(x, y)
    assert not np.array_equal(Streams(3)["disputes"].random(5), y)


def test_actors_are_mesa_agents(b_community):
    m = simgov.CommunityModel(b_community.model_copy(update={"warmup_weeks": 0}), weeks=1)
    a = b_community.actors
    assert len(m.agents_by_type[Committee]) == 1
    members = list(m.agents_by_type[PartyMember])
    assert len(members) == a.party_members_resident + a.party_members_sunk
    assert all(m.state.residents.party_member[p.resident] for p in members if not p.sunk)
    orgs = list(m.agents_by_type[Organisation])
    assert len(orgs) == a.volunteer_teams + a.self_organisations + a.professional_organisations
    team_members = np.concatenate([o.members for o in orgs if o.kind == "volunteer_team"])
    assert np.array_equal(np.sort(team_members), np.flatnonzero(m.state.residents.volunteer))


def test_warm_up_is_shared_by_all_arms_and_unrecorded(b_community, probe_policy):
    from simgov.scenario import Scenario
    data = b_community.model_dump()
    data["arms"] = {"faster": {"parameters": {"influence": {"trust_rate": 0.5}}}}
    data["targets"] = ()  # the bundled targets name arms this scenario no longer has
    sc = Scenario.model_validate(data)
    base = simgov.CommunityModel(sc, weeks=2)
    arm = simgov.CommunityModel(sc, arm="faster", weeks=2)
    pd.testing.assert_frame_equal(base.timeseries(), arm.timeseries())  # week 0 identical
    assert len(base.timeseries()) == 1 and base.state.week == 0
    assert len(base.state.disputes) > 0  # the warm-up happened: disputes arose before week 0
    base.step()
    arm.step()
    assert not base.timeseries().equals(arm.timeseries())


def test_running_turns_false_at_the_end_and_a_step_past_it_does_nothing(b_community):
    m = simgov.CommunityModel(b_community, weeks=1)
    assert m.running
    m.step()
    assert not m.running and m.week == 1
    m.step()
    assert m.week == 1 and len(m.timeseries()) == 2


def test_mesa_run_model_and_datacollector_see_every_metric(small):
    m = simgov.CommunityModel(small, weeks=4)
    m.step()
    collector = m.datacollector  # asked for after a week: it holds week 0 and week 1 already
    m.run_model()  # Mesa's loop: while model.running: model.step()
    assert m.week == 4 and not m.running
    frame = collector.get_model_vars_dataframe()
    assert list(frame.columns) == list(METRIC_NAMES) and len(frame) == 5
    ts = m.timeseries()
    assert np.allclose(frame.to_numpy(), ts[list(METRIC_NAMES)].to_numpy())
    fresh = simgov.CommunityModel(small, weeks=2)
    assert fresh._datacollector is None  # made only when asked for
    fresh.run_model()
    assert fresh._datacollector is None


def test_mesa_time_and_week_advance_together(b_community):
    m = simgov.CommunityModel(b_community, weeks=3)
    m.step()
    m.step()
    assert m.week == 2 and m.time == 2.0


def test_clustering_column_filled_between_measurements(run):
    col = run.timeseries["clustering"]
    assert (col > 0).all()
    assert col.iloc[1] == col.iloc[0]  # carried forward until the next measurement


def test_warm_up_leaves_volunteers_and_participation_alive(b_community):
    """Regression: warm-up weeks are negative; 'never rested' must not read as 'resting'."""
    m = simgov.CommunityModel(b_community, weeks=1)
    r = m.state.residents
    assert r.volunteer.sum() > 0.5 * b_community.actors.steady_volunteers
    assert r.active.mean() > 0.03
    assert (r.resting_until <= m.state.week).mean() > 0.99


def test_arm_overrides_of_need_rates_take_effect_after_the_warm_up(b_community):
    """Regression: derived rates built during the warm-up must follow the arm's parameters."""
    from simgov.scenario import Scenario
    data = b_community.model_dump()
    data["arms"] = {"needy": {"parameters": {"needs": {"incidence_scale": 5.0}}}}
    data["targets"] = ()  # the bundled targets name arms this scenario no longer has
    sc = Scenario.model_validate(data)
    base = simgov.simulate(sc, weeks=8).timeseries
    needy = simgov.simulate(sc, weeks=8, arm="needy").timeseries
    assert needy.unmet_needs_share.iloc[-1] > base.unmet_needs_share.iloc[-1] + 0.02


def test_arm_overrides_of_dispute_weights_take_effect_after_the_warm_up(b_community):
    from simgov.scenario import Scenario
    data = b_community.model_dump()
    data["arms"] = {"feuds": {"parameters": {"disputes": {"hostile_multiplier": 200.0}}}}
    data["targets"] = ()  # the bundled targets name arms this scenario no longer has
    sc = Scenario.model_validate(data)
    base = simgov.simulate(sc, weeks=8).timeseries
    feuds = simgov.simulate(sc, weeks=8, arm="feuds").timeseries
    assert feuds.disputes_new.sum() > 1.5 * base.disputes_new.sum()
