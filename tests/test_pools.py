"""Resources that bind: money balances and weekly hour pools (simgov.community.ledger)."""

from __future__ import annotations

import numpy as np
import pytest

from simgov.community.ledger import WORKERS, Ledger
from simgov.model import CommunityModel
from simgov.policies import POLICY_TYPES


def make(kind, **params):
    return POLICY_TYPES[kind].model_validate({"type": kind, **params})


def fresh(committee=0.0, fund=0.0, **hours) -> Ledger:
    ledger = Ledger(committee_balance=committee, fund_balance=fund)
    ledger.start_week(hours)
    return ledger


# ----------------------------------------------------------------------------- the ledger's rules
def test_a_draw_never_takes_more_than_a_pool_holds_and_records_what_it_lacked():
    ledger = fresh(committee=100.0, staff=10.0)
    share = ledger.draw("x", yuan=50.0, staff=40.0)
    assert share == pytest.approx(0.25)  # the staff pool binds: a quarter of the activity
    assert ledger.used["staff"] == pytest.approx(10.0) and ledger.hours_left("staff") == 0
    assert ledger.committee_balance == pytest.approx(100.0 - 12.5)  # the same share of the money
    assert ledger.short["staff"] == pytest.approx(30.0) and ledger.short["committee"] == 0
    assert ledger.draw("x", staff=5.0) == 0 and ledger.short["staff"] == pytest.approx(35.0)


def test_whole_units_are_granted_as_far_as_every_pool_pays_for():
    ledger = fresh(committee=10.0, volunteer=7.0)
    assert ledger.draw_units("visits", 10, yuan=2.0, volunteer=1.0) == 5  # money binds: 10 / 2
    assert ledger.used["volunteer"] == 5.0 and ledger.committee_balance == 0.0
    assert ledger.short["committee"] == pytest.approx(10.0) and ledger.short["volunteer"] == pytest.approx(3.0)
    assert ledger.draw_units("visits", 0, yuan=2.0) == 0


def test_balances_never_go_negative_and_the_government_is_not_a_pool():
    ledger = fresh(committee=30.0, fund=5.0)
    assert ledger.spend("a", 100.0) == pytest.approx(30.0)
    assert ledger.spend("b", 100.0, payer="fund") == pytest.approx(5.0)
    assert ledger.committee_balance == 0.0 and ledger.fund_balance == 0.0
    assert ledger.spend("c", 1e6, payer="government") == 1e6
    assert ledger.total == pytest.approx(30.0 + 5.0 + 1e6)
    assert ledger.short["committee"] == pytest.approx(70.0) and ledger.short["fund"] == pytest.approx(95.0)


def test_hours_brought_in_grow_the_pool_unused_hours_lapse_and_released_hours_return():
    ledger = fresh(organisation=0.0, staff=8.0)
    ledger.add_hours("organisation", 12.0)
    assert ledger.work("p", 12.0, "organisation") == 12.0
    assert ledger.work("m", 6.0) == 6.0
    ledger.release("m", "staff", 4.0)
    assert ledger.used["staff"] == 2.0 and ledger.hours[("m", "staff")] == 2.0
    ledger.start_week({"staff": 8.0})
    assert ledger.used == dict.fromkeys(WORKERS, 0.0) and ledger.available["organisation"] == 0
    with pytest.raises(ValueError, match="unknown worker group"):
        ledger.work("m", 1.0, "cadre")


# ----------------------------------------------------------------------------- in the model
def run(scenario, weeks, policies=(), seed=5, **actors):
    if actors:
        scenario = scenario.model_copy(update={"actors": scenario.actors.model_copy(update=actors)})
    model = CommunityModel(scenario, rng=seed, weeks=weeks)
    model.set_policies(list(policies))
    for _ in range(weeks):
        model.step()
    return model


def test_every_week_records_each_pool_and_balance(small):
    ts = run(small, 6).timeseries()
    for who in WORKERS:
        for what in ("available", "used", "short"):
            assert f"{who}_hours_{what}" in ts
        assert (ts[f"{who}_hours_used"] <= ts[f"{who}_hours_available"] + 1e-9).all(), who
    assert {"committee_balance_yuan", "fund_balance_yuan", "committee_yuan_short", "fund_yuan_short"} <= set(ts)


def test_the_pools_are_the_headcounts_times_their_hours(small):
    model = run(small, 1)
    cap, p = model.state.capacity, small.parameters.resources
    ledger = model.state.ledger
    staff = cap.cadres * p.cadre_hours + cap.grid_workers * p.grid_worker_hours
    assert ledger.available["staff"] == pytest.approx(staff)
    assert ledger.available["social_worker"] == pytest.approx(cap.social_workers * p.social_worker_hours)
    volunteers = np.count_nonzero(model.state.residents.available_volunteers(model.state.week))
    assert ledger.available["volunteer"] == pytest.approx(volunteers * p.volunteer_hours)


def test_a_poorer_committee_does_less(small):
    """The budget pays services' materials and activities: without money they shrink. (Linkage
    off: with it, donors' money pays a share of the cases the budget cannot, tests/test_linkage.py.)"""
    siloed = small.actors.linkage.model_copy(update={"strength": 0.0})
    rich = run(small, 20, budget_yuan_per_year=200_000.0, linkage=siloed)
    poor = run(small, 20, budget_yuan_per_year=500.0, linkage=siloed)
    spent_rich = rich.state.ledger.spent
    spent_poor = poor.state.ledger.spent
    assert sum(v for k, v in spent_poor.items() if k.startswith(("services", "activities"))) < \
        0.2 * sum(v for k, v in spent_rich.items() if k.startswith(("services", "activities")))
    ts = poor.timeseries()
    assert (ts["committee_yuan_short"].iloc[1:] > 0).mean() > 0.5  # the budget binds, and the record says so
    assert (ts["committee_balance_yuan"] >= 0).all()
    assert not ts.drop(columns=["week"]).equals(rich.timeseries().drop(columns=["week"]))


def test_the_committee_budget_is_yearly_and_lapses(small):
    p = small.parameters.resources.model_copy(update={"carry_over": 0.0})
    scenario = small.model_copy(update={"parameters": small.parameters.model_copy(update={"resources": p})})
    model = run(scenario, 53, budget_yuan_per_year=52_000.0)
    week53 = model.timeseries()["committee_balance_yuan"].iloc[53]
    assert week53 <= 1_000.0 + 1e-6  # week 53 starts a budget year: only its first instalment is left at most


def test_no_policy_books_more_hours_than_a_pool_holds(small):
    """Every policy type at an intensity far beyond the community's people: the pools bind."""
    greedy = [make("door_knocking", visits_per_week=5000), make("mediation", cases_per_week=500),
              make("needs_assessment", households_per_round=500, share_of_time=1.0),
              make("micro_venture_fund", max_projects_per_round=50, support_hours_per_project_week=40.0),
              make("volunteer_pairing", pairs=500), make("mutual_aid_day", hours_per_volunteer=40.0),
              make("deliberation_platform", meetings_per_month=28, hours_per_meeting=40.0)]
    ts = run(small, 12, greedy).timeseries()
    for who in WORKERS:
        assert (ts[f"{who}_hours_used"] <= ts[f"{who}_hours_available"] + 1e-6).all(), who
    assert ts["staff_hours_short"].iloc[1:].sum() > 0 and ts["volunteer_hours_short"].iloc[1:].sum() > 0
    assert (ts["committee_balance_yuan"] >= 0).all() and (ts["fund_balance_yuan"] >= 0).all()


def test_volunteer_work_of_any_programme_tires_volunteers(small):
    """A mutual-aid day's hours build fatigue like services' hours (participation mechanism)."""
    base = run(small, 4)
    day = run(small, 4, [make("mutual_aid_day", every_weeks=1, hours_per_volunteer=3.0)])
    assert day.state.ledger.hours[("policy:mutual_aid_day", "volunteer")] > 0
    assert day.state.residents.fatigue.sum() > base.state.residents.fatigue.sum()


def test_mediation_offers_only_the_slots_staff_can_serve_and_uses_hours_for_cases_taken(small):
    model = CommunityModel(small, rng=4, weeks=2)
    state = model.state
    a = np.arange(0, 400, 2)
    state.disputes.open(a, a + 1, state.residents.building[a], 1, 0)
    model.set_policies([make("mediation", cases_per_week=100, uptake=1.0, group_deliberation=False,
                             hours_per_case=3.0)])
    model.step()
    staff = state.ledger.available["staff"]
    taken, _ = state.disputes.handled_by["mediation"]
    assert taken == int(staff // 3.0)  # not 100: the staff pool binds
    assert state.ledger.hours[("policy:mediation", "staff")] == pytest.approx(taken * 3.0)
