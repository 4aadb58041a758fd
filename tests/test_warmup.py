"""Warm-up once (simgov.warmup): restored runs are cold runs, number for number."""

from __future__ import annotations

import pandas as pd
import pytest

from simgov.experiment import run_replicates, simulate
from simgov.model import CommunityModel
from simgov.policies import POLICY_TYPES
from simgov.warmup import WARMUPS, WarmupCache, warmup_key


@pytest.fixture(scope="module")
def estate():
    """The teaching estate (360 residents) with a short warm-up and an arm of two policies."""
    import simgov

    s = simgov.load_scenario("teaching-estate")
    return s.model_copy(update={"warmup_weeks": 12})


def run(model: CommunityModel, weeks: int) -> pd.DataFrame:
    for _ in range(weeks):
        model.step()
    return model.timeseries()


@pytest.mark.parametrize("arm", ["baseline", "door_knocking", "mediation"])
def test_a_restored_warm_up_gives_the_cold_run(estate, arm):
    cache = WarmupCache()
    first = CommunityModel.started(estate, arm="baseline", rng=3, weeks=10, cache=cache)  # warms up, keeps it
    restored = CommunityModel.started(estate, arm=arm, rng=3, weeks=10, cache=cache)
    assert cache.hits == 1 and cache.misses == 1
    cold = CommunityModel(estate, arm=arm, rng=3, weeks=10)
    pd.testing.assert_frame_equal(run(restored, 10), run(cold, 10))
    assert first.state is not restored.state  # every run gets its own copy


def test_restored_copies_do_not_share_state(estate):
    cache = WarmupCache()
    a = CommunityModel.started(estate, rng=4, weeks=5, cache=cache)
    b = CommunityModel.started(estate, rng=4, weeks=5, cache=cache)
    a.state.residents.trust[:] = 0.0
    a.state.ledger.committee_balance = -1.0
    c = CommunityModel.started(estate, rng=4, weeks=5, cache=cache)
    assert b.state.residents.trust.max() > 0 and c.state.residents.trust.max() > 0
    assert c.state.ledger.committee_balance >= 0


def test_the_key_holds_what_the_warm_up_reads_and_nothing_else(estate):
    key = warmup_key(estate, 1)
    policy = POLICY_TYPES["door_knocking"].model_validate({"type": "door_knocking"})
    same = [estate.model_copy(update={"weeks": 9, "replicates": 2, "name": "other", "policies": (policy,),
                                      "arms": {}, "title": "t"})]
    for s in same:
        assert warmup_key(s, 1) == key
    params = estate.parameters.model_copy(update={"services": estate.parameters.services.model_copy(
        update={"hours_per_case": 7.25})})
    differ = [estate.model_copy(update={"warmup_weeks": 13}),
              estate.model_copy(update={"parameters": params}),
              estate.model_copy(update={"actors": estate.actors.model_copy(update={"cadres": 7})}),
              estate.model_copy(update={"network": estate.network.model_copy(update={"homophily": 0.111})}),
              estate.model_copy(update={"community": estate.community.model_copy(update={"disabled": 0.211})})]
    assert warmup_key(estate, 2) != key
    assert len({warmup_key(s, 1) for s in differ} | {key}) == len(differ) + 1


def test_the_cache_drops_the_least_recently_used_beyond_its_size(estate):
    model = CommunityModel(estate, rng=5, _warm_only=True)
    one = WarmupCache()
    one.keep("a", model)
    size = len(next(iter(one._blobs.values())))
    cache = WarmupCache(max_bytes=int(size * 2.5))
    for key in "abc":
        cache.keep(key, model)
    assert len(cache) == 2 and cache.restore("a") is None and cache.restore("c") is not None
    assert WarmupCache(max_bytes=0).restore("a") is None


def test_simulate_and_process_pools_reuse_the_warm_up(estate):
    WARMUPS.clear()
    hits = WARMUPS.hits
    serial = [simulate(estate, weeks=4, arm=arm) for arm in ("baseline", "door_knocking", "mediation")]
    assert WARMUPS.hits - hits == 2
    pooled = sorted(run_replicates(estate, 2, ["baseline", "door_knocking", "mediation"], weeks=4, workers=2),
                    key=lambda r: (r.replicate, r.arm))
    by = {(r.arm, r.replicate): r for r in pooled}
    for r in serial:
        pd.testing.assert_frame_equal(by[(r.arm, 0)].timeseries, r.timeseries)
