"""The teaching demo: its levers and model, its pictures, its page rendered headless (Solara's
test utilities: clicking Step, a policy switch, a slider, Reset, the language switch), and
``simgov demo``'s checks. The real browser test is in test_demo_browser.py."""

import socket

import numpy as np
import pytest

from simgov import cli
from simgov.demo import drawing
from simgov.demo.levers import LEVERS, Setting, default_settings, demo_scenario, make_policy, small_scenarios
from simgov.demo.model import DemoModel
from simgov.errors import InputError
from simgov.policies import POLICY_TYPES


def test_small_scenarios_are_chosen_by_size():
    small = small_scenarios()
    assert "teaching-estate" in small and "b-community" not in small
    assert small_scenarios(limit=10**6) == sorted(small_scenarios(limit=10**6))
    assert "b-community" in small_scenarios(limit=10**6)
    with pytest.raises(InputError, match=r"--scenario: 'b-community' has 6,221 residents.*allowed: teaching-estate"):
        demo_scenario("b-community")
    with pytest.raises(InputError, match="did you mean 'teaching-estate'"):
        demo_scenario("teaching-estat")


def test_every_policy_type_has_a_lever_whose_policies_validate():
    assert {lever.type for lever in LEVERS} == set(POLICY_TYPES)
    scenario = demo_scenario("teaching-estate")
    settings = default_settings(scenario)
    for lever in LEVERS:
        lo, hi, _ = lever.range(scenario)
        assert lo <= settings[lever.type].value <= hi and not settings[lever.type].on
        for value in (lo, hi):
            policy = make_policy(scenario, lever.type, value, start_week=7)
            assert policy.start_week == 7 and getattr(policy, lever.param) == pytest.approx(value)
    # The other parameters come from the scenario's arm: the teaching estate's fund gives 2,000-yuan grants.
    assert make_policy(scenario, "micro_venture_fund", 8_000, 1).grant_yuan == 2_000
    assert settings["door_knocking"].value == 3 and settings["micro_venture_fund"].value == 20_000


def test_policies_change_from_the_next_week_and_unchanged_ones_keep_their_memory():
    model = DemoModel()
    settings = default_settings(model.full_spec, model.policies)
    for _ in range(5):
        model.step()
    assert model.apply({**settings, "door_knocking": Setting(True, 10)}) == ["door_knocking"]
    (knock,) = model.policies
    assert knock.type == "door_knocking" and knock.visits_per_week == 10 and knock.start_week == 6
    model.step()
    on = {**settings, "door_knocking": Setting(True, 10), "micro_venture_fund": Setting(True, 20_000)}
    assert model.apply(on) == ["micro_venture_fund"]
    assert model.policies[0] is knock  # kept as it was, with its memory
    assert [p.start_week for p in model.policies] == [6, 7]
    model.step()
    assert model.apply({**on, "door_knocking": Setting(False, 10)}) == ["door_knocking"]
    assert [p.type for p in model.policies] == ["micro_venture_fund"]
    assert [(week, kind) for week, kind, _ in model.changes] == [(5, "door_knocking"), (6, "micro_venture_fund"),
                                                                 (7, "door_knocking")]


def test_a_policy_switched_on_mid_run_leaves_the_weeks_before_unchanged():
    plain, steered = DemoModel(), DemoModel()
    settings = default_settings(plain.full_spec, plain.policies)
    for week in range(30):
        if week == 10:
            steered.apply({**settings, "door_knocking": Setting(True, 20)})
        plain.step()
        steered.step()
    a, b = plain.recorder.values[:31], steered.recorder.values[:31]
    np.testing.assert_array_equal(a[:11], b[:11])  # common random numbers: identical until it acts
    assert not np.array_equal(a[11:], b[11:])


def test_the_run_stops_at_the_last_week():
    model = DemoModel()
    while model.running:
        model.step()
    assert model.week == model.weeks == 156


def test_seed_reproduces_replicate_zero_and_changes_the_run():
    from simgov.experiment.runs import simulate  # noqa: F401  (the run that `simgov run` makes)
    from simgov.model import CommunityModel

    reference = CommunityModel("teaching-estate")  # replicate 0 of the scenario's own seed
    same, other = DemoModel(), DemoModel(seed=7)
    for m in (reference, same, other):
        for _ in range(3):
            m.step()
    np.testing.assert_array_equal(reference.recorder.values[:4], same.recorder.values[:4])
    assert not np.array_equal(same.recorder.values[:4], other.recorder.values[:4])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pictures_draw_every_colouring_and_redraw_what_changes(lang):
    model = DemoModel()
    plots = drawing.SeriesPicture(lang)
    before = plots.png(model)
    for key in drawing.COLOUR_BY:
        assert drawing.NetworkPicture(key, lang).png(model).startswith(b"\x89PNG")
    network = drawing.NetworkPicture("grievance", lang)
    first = network.png(model)
    model.apply({**default_settings(model.full_spec), "mediation": Setting(True, 2)})
    for _ in range(4):
        model.step()
    assert network.png(model) != first and plots.png(model) != before
    assert str(model.week) in network.figure.axes[0].get_title()
    # Redrawing only what moved gives the same picture as drawing it all afresh.
    assert network.png(model) == drawing.NetworkPicture("grievance", lang).png(model)
    assert plots.png(model) == drawing.SeriesPicture(lang).png(model)
    assert dict(drawing.monitor_values(model))["cohesion_index"] == f"{model.timeseries().cohesion_index.iloc[-1]:.3f}"


def test_group_disputes_and_changes_are_drawn():
    model = DemoModel(seed=2028)  # a seed with a group dispute in week 14
    while model.timeseries().group_disputes_open.iloc[-1] == 0 and model.week < 100:
        model.step()
    assert model.timeseries().group_disputes_open.iloc[-1] > 0
    picture = drawing.NetworkPicture()
    picture.png(model)
    colours = picture._artists["disputes"].get_colors()
    assert any(np.allclose(c[:3], (0xC0 / 255, 0, 0x2A / 255)) for c in colours)  # group disputes in dark red


# ----------------------------------------------------------------------------- the page, headless
solara = pytest.importorskip("solara")
v = pytest.importorskip("ipyvuetify")
ipywidgets = pytest.importorskip("ipywidgets")


@pytest.fixture
def page():
    from simgov.demo import app

    model = solara.reactive(DemoModel())
    app.lang.set("en")
    box, rc = solara.render(solara.AppLayout(children=[app.DemoApp(model)]), handle_error=False)
    yield model, rc
    app.lang.set("en")
    rc.close()


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", None) or ():
        if isinstance(child, ipywidgets.Widget):
            yield from _all_widgets(child)


def _monitor(rc, name) -> tuple[str, str]:
    """A monitor's (label, value) as shown."""
    (sheet,) = [w for root in rc.find(v.Sheet).widgets for w in _all_widgets(root)
                if f"simgov-monitor-{name}" in (getattr(w, "class_", None) or "").split()]
    label, value = sheet.children
    return label.children[0], value.children[0]


def _images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]


def test_page_steps_and_switches_a_policy(page):
    model, rc = page
    assert _monitor(rc, "week") == ("Week", "0")
    images = _images(rc)
    assert len(images) == 2 and all(png.startswith(b"\x89PNG") for png in images)  # the network and the plots
    step = rc.find(v.Btn, children=["Step"])
    step.widget.click()
    step.widget.click()
    assert model.value.week == 2 and _monitor(rc, "week") == ("Week", "2")
    after = _images(rc)
    assert after[0] != images[0] and after[1] != images[1]  # both pictures were redrawn for week 2
    cohesion = model.value.timeseries().cohesion_index.iloc[-1]
    assert _monitor(rc, "cohesion_index") == ("Cohesion index", f"{cohesion:.3f}")

    rc.find(v.Switch, label="Door-knocking").widget.v_model = True
    (knock,) = model.value.policies
    assert knock.type == "door_knocking" and knock.start_week == 3 and knock.visits_per_week == 3
    step.widget.click()
    assert model.value.week == 3 and model.value.changes[-1][:2] == (2, "door_knocking")
    spent = model.value.timeseries().policy_yuan_total.iloc[-1]
    assert spent > 0 and _monitor(rc, "policy_yuan_total")[1] == f"{spent:,.0f}"  # the visits cost something

    sliders = rc.find(v.Slider, disabled=False).widgets  # the speed slider, then door-knocking's
    assert len(sliders) == 2
    sliders[1].v_model = 12
    (knock,) = model.value.policies
    assert knock.visits_per_week == 12 and knock.start_week == 4


def test_reset_keeps_the_policies_and_applies_them_from_week_one(page):
    model, rc = page
    rc.find(v.Switch, label="Mediation (1+1+3)").widget.v_model = True
    rc.find(v.Btn, children=["Step"]).widget.click()
    first = model.value
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert model.value is not first and model.value.week == 0
    (mediation,) = model.value.policies
    assert mediation.type == "mediation" and mediation.start_week == 1


def test_language_switch_translates_the_page(page):
    from simgov.demo import app

    model, rc = page
    english = _images(rc)
    app.lang.set("zh")
    assert _monitor(rc, "week")[0] == "周次" and _monitor(rc, "cohesion_index")[0] == "社区凝聚力指数"
    assert rc.find(v.Switch, label="天天敲门").widgets
    for label in ("重置", "单步", "▶ 连续运行"):  # the run buttons too
        assert rc.find(v.Btn, children=[label]).widgets, label
    rc.find(v.Btn, children=["单步"]).widget.click()
    assert model.value.week == 1
    assert "这是什么" in rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    assert _images(rc)[1] != english[1]  # the plots' labels are Chinese too


# ----------------------------------------------------------------------------- simgov demo
def test_demo_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    from simgov.demo import server

    monkeypatch.setattr(server, "missing_extra", lambda: ["solara", "solara-assets"])
    assert cli.main(["demo", "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "missing: solara, solara-assets" in err and "pip install '.[demo]'" in err
    assert "Traceback" not in err


def test_demo_refuses_bad_input_without_starting(capsys):
    assert cli.main(["demo", "--scenario", "b-community", "--no-browser"]) == 2
    assert "--scenario" in capsys.readouterr().err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert cli.main(["demo", "--port", str(port), "--no-browser"]) == 2
    assert f"--port: cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["demo", "--port", "70000"])
    assert exc.value.code == 2


def test_the_extra_check_matches_solara_assets_to_solara(monkeypatch):
    from importlib import metadata

    from simgov.demo import server

    assert server.missing_extra() == []  # the test extra installs the demo's pins
    real = metadata.version
    monkeypatch.setattr(server.metadata, "version",
                        lambda name: "1.0.0" if name == "solara-assets" else real(name))
    (problem,) = server.missing_extra()
    assert "does not match solara" in problem


def test_play_steps_on_its_own_until_paused(page):
    import time

    model, rc = page
    rc.find(v.Btn, children=["▶"]).widget.click()
    deadline = time.monotonic() + 30
    while model.value.week < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert model.value.week >= 2
    rc.find(v.Btn, children=["❚❚"]).widget.click()
    time.sleep(0.5)
    paused_at = model.value.week
    time.sleep(0.8)
    assert model.value.week == paused_at
