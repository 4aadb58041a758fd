"""experiments/settle_stocks.py: the settle rules for volunteers and self-organisations, and
the count of self-organisations put in and founded that the second rule needs."""

import sys
from pathlib import Path

import numpy as np
import pytest

from simgov.model import CommunityModel
from simgov.scenario import load_scenario

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "experiments"))
import settle_stocks as settle  # noqa: E402


def test_volunteers_scale_by_target_over_late_mean_and_founding_by_the_founded_part_alone():
    means = {"volunteers": 50.0, "self_orgs_put_in": 60.0, "self_orgs_founded": 10.0}
    f = settle.factors(means, {"volunteers": 100, "self_orgs": 90})
    assert f[settle.VOLUNTEER_RATE] == pytest.approx(2.0)
    # 60 of the 70 are groups put in, which the founding rate does not move: 30 more founded ones
    assert f[settle.FOUNDING_RATE] == pytest.approx((90 - 60) / 10)
    # more put in still active than the target: the founding rate falls as far as a step allows
    low = settle.factors({**means, "self_orgs_put_in": 95.0}, {"volunteers": 100, "self_orgs": 90})
    assert low[settle.FOUNDING_RATE] == pytest.approx(0.05 * 90 / 10)


def test_a_step_is_damped_on_the_log_scale_capped_and_kept_in_bounds():
    values = {settle.VOLUNTEER_RATE: 0.5, settle.FOUNDING_RATE: 1.0}
    out = settle.step(values, {settle.VOLUNTEER_RATE: 4.0, settle.FOUNDING_RATE: 100.0}, damping=0.5)
    assert out[settle.VOLUNTEER_RATE] == 1.0  # 0.5 * 4 ** 0.5, at the bound of a weekly chance
    assert out[settle.FOUNDING_RATE] == pytest.approx(settle.MAX_STEP)  # 100 ** 0.5 = 10, capped
    assert values[settle.FOUNDING_RATE] == 1.0  # the input is left alone


def test_self_organisations_put_in_and_founded_match_the_weekly_count():
    scenario = load_scenario("teaching-estate").model_copy(update={"warmup_weeks": 8})
    scenario = scenario.with_values({"parameters.organisations.founding_per_1000": 300.0,
                                     "parameters.organisations.fold_hazard": 0.05})
    weeks = 24
    m = CommunityModel(scenario, rng=3, weeks=weeks)
    counted = []
    for _ in range(weeks):
        m.step()
        own = [o for o in m.state.active_organisations() if o.kind == "self"]
        counted.append((sum(o.founded < -8 for o in own), sum(o.founded >= -8 for o in own)))
    late = 12
    put_in, founded = np.mean(counted[-late:], axis=0)
    got = settle.self_organisations(m, late=late)
    assert got == pytest.approx({"put_in": put_in, "founded": founded})
    assert founded > 0 and any(event == "folded" for _, _, event in m.state.organisation_log)


def test_settling_one_stock_holds_the_other_stocks_rate(monkeypatch):
    measured = []

    def fake(scenario, reps, workers):
        measured.append(scenario)
        return {"volunteers": 4.0, "self_orgs_put_in": 0.5, "self_orgs_founded": 0.25}

    monkeypatch.setattr(settle, "measure", fake)
    values, history = settle.settle("teaching-estate", iterations=2, damping=1.0, reps=1, workers=1,
                                    stocks=("self_organisations",))
    base = load_scenario("teaching-estate")
    assert values[settle.VOLUNTEER_RATE] == base.parameters.participation.volunteer_recruit
    # (1 - 0.5) / 0.25 = 2 a step, twice; each measurement runs the rates of its step
    assert values[settle.FOUNDING_RATE] == pytest.approx(base.parameters.organisations.founding_per_1000 * 4)
    assert [h[settle.FOUNDING_RATE] for h in history] == \
        [s.parameters.organisations.founding_per_1000 for s in measured]
