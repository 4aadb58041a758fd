"""One-line figures on the Python API's results: what they draw is the results' numbers."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import simgov
from simgov.errors import InputError
from simgov.experiment.compare import MAIN_OUTCOMES
from simgov.metrics import METRICS
from simgov.report import labels as L

UNIT = {m.name: m.unit for m in METRICS}


@pytest.fixture(scope="module")
def comparison():
    return simgov.run_comparison("teaching-estate", reps=2, weeks=4, arms=["door_knocking"], progress=False)


def _visible(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def test_a_run_plots_its_metric_by_week():
    result = simgov.simulate("teaching-estate", weeks=4)
    fig = result.plot("cohesion_index")
    assert isinstance(fig, Figure)
    (ax,) = _visible(fig)
    assert ax.get_title() == L.metric("cohesion_index", "en") and ax.get_xlabel() == "week"
    (line,) = ax.get_lines()
    assert line.get_label() == f"{L.arm('baseline')} (n=1)"
    assert np.allclose(line.get_xdata(), result.timeseries.week)
    assert np.allclose(line.get_ydata(), result.timeseries.cohesion_index)
    two = result.plot(["trust_neighbors", "disputes_open"], lang="zh")
    assert [ax.get_title() for ax in _visible(two)] == [L.metric("trust_neighbors", "zh"),
                                                      L.metric("disputes_open", "zh")]


def test_a_comparison_plots_each_arms_effect_with_its_interval(comparison):
    fig = comparison.plot()
    axes = _visible(fig)
    assert [ax.get_title() for ax in axes] == [L.metric(m, "en") for m in MAIN_OUTCOMES]
    effects = comparison.effects.set_index(["arm", "metric"])
    for ax, metric in zip(axes, MAIN_OUTCOMES, strict=True):
        assert [t.get_text() for t in ax.get_yticklabels()] == [L.arm("door_knocking")]
        scale = 100.0 if UNIT[metric] == "share" else 1.0  # shares are drawn in percentage points
        marker = next(line for line in ax.get_lines() if line.get_marker() == "o")
        assert marker.get_xdata()[0] == pytest.approx(effects.loc[("door_knocking", metric), "difference"] * scale)
    same = simgov.plot_effects(comparison.effects)
    assert [ax.get_title() for ax in _visible(same)] == [ax.get_title() for ax in axes]


def test_a_comparison_plots_every_arms_series(comparison):
    (ax,) = _visible(comparison.plot_series("trust_committee"))
    assert [line.get_label() for line in ax.get_lines()] == [f"{L.arm(a)} (n=2)" for a in comparison.arms]


def test_an_unknown_metric_is_an_input_error_naming_the_allowed_ones(comparison):
    with pytest.raises(InputError, match="no metric 'cohesion'.*allowed"):
        comparison.plot_series("cohesion")


def _shaded(ax) -> list[tuple[float, float, tuple]]:
    """(left, right, colour) of each shaded week span (axvspan: a Rectangle) on ``ax``."""
    from matplotlib.colors import to_rgb

    return [(p.get_x(), p.get_x() + p.get_width(), to_rgb(p.get_facecolor())) for p in ax.patches]


def test_shock_periods_are_shaded_grey_when_arms_share_them_else_in_the_arms_colour():
    from matplotlib.colors import to_rgb

    from simgov.report.figures import SHARED_SHOCK, _colour, results_figure

    shock = {"type": "epidemic_lockdown", "start_week": 2, "weeks": 2}
    scenario = simgov.load_scenario({"extends": "teaching-estate", "name": "shocked", "warmup_weeks": 2,
                                     "arms": {"hit": {"shocks": [shock]}, "also": {"shocks": [shock]},
                                              "late": {"shocks": [{**shock, "start_week": 5, "weeks": 9}]}},
                                     "targets": []})
    compared = simgov.run_comparison(scenario, reps=1, weeks=6, arms=["hit", "also"], progress=False,
                                     interactions=False)
    (ax,) = _visible(compared.plot_series("unmet_needs_share"))
    assert _shaded(ax) == [(1.5, 3.5, to_rgb(SHARED_SHOCK))]  # weeks 2-3, once, for both arms
    runs = [simgov.simulate(scenario, weeks=6, arm=arm) for arm in ("baseline", "hit", "late")]
    (ax,) = _visible(runs[0].plot("unmet_needs_share"))
    assert _shaded(ax) == []  # the baseline has no shock
    (ax,) = _visible(results_figure(runs, "unmet_needs_share"))
    # Each arm's own period in its colour; the late shock is cut at the run's last week (6).
    assert _shaded(ax) == [(1.5, 3.5, to_rgb(_colour(1))), (4.5, 6.5, to_rgb(_colour(2)))]
    assert L.t("shock_period") in [t.get_text() for t in ax.figure.legends[0].get_texts()]
