"""The teaching demo's Solara page: controls and policies on the left; monitors, the network,
live plots and the info text on the right; English or Chinese.

It is built from Mesa's SolaraViz parts: the ``update_counter`` every view reads, so that each
step redraws the views, and a controller like Mesa's ``ModelController`` (Reset, Play/Pause,
Step) whose labels follow the page's language (``simgov.demo.controls``). SolaraViz's own
page is not used as is: its main area is a draggable grid of
half-width cells 300 px high, too small to project the network to a class, and its sidebar
has no room for the policy panel or a language switch.

``Page`` is what ``solara run`` serves (``simgov demo``); ``DemoApp(model)`` is the same page for
a given reactive model (the tests render it headless).
"""

from __future__ import annotations

import functools
import os

import markdown
import solara
from mesa.visualization.utils import force_update, update_counter
from pydantic import ValidationError

from simgov.demo.controls import RunControls
from simgov.demo.drawing import COLOUR_BY, NetworkPicture, SeriesPicture, colour_label, monitor_values
from simgov.demo.info import info_markdown
from simgov.demo.levers import (
    DEFAULT_SCENARIO,
    LEVERS,
    SCENARIO_ENV,
    Setting,
    default_settings,
    small_scenarios,
)
from simgov.demo.model import DemoModel
from simgov.report import labels as L

#: Policies shown open on the panel; the others are under "more".
MAIN_LEVERS = 3

lang = solara.reactive("en")


@functools.cache
def info_html(language: str) -> str:
    return markdown.markdown(info_markdown(language))


@solara.component
def LabelledSlider(label: str, value, lo, hi, step, on_value, disabled: bool = False, is_float: bool = False):
    """A slider with its label and value on a line above it (Solara puts the label beside the
    slider, which leaves a narrow sidebar no room to slide)."""
    solara.Text(label, style={"font-size": "0.85em", "color": "#999" if disabled else "#333"})
    (solara.SliderFloat if is_float else solara.SliderInt)(
        "", value=value, min=lo, max=hi, step=step, on_value=on_value, disabled=disabled)


@solara.component
def Monitor(label: str, value: str, name: str):
    with solara.Column(gap="0px", classes=["simgov-monitor", f"simgov-monitor-{name}"],
                       style={"padding": "4px 10px", "border": "1px solid #ddd", "border-radius": "6px",
                              "min-width": "96px", "background": "#fafafa"}):
        solara.Text(label, style={"font-size": "0.78em", "color": "#555"})
        solara.Text(value, classes=["simgov-value"], style={"font-size": "1.35em", "font-weight": "600"})


@solara.component
def Monitors(model: DemoModel, language: str):
    update_counter.get()
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px", "margin-bottom": "8px"}):
        Monitor(L.t("demo_week", language), f"{model.week}", "week")
        for name, value in monitor_values(model):
            Monitor(L.metric(name, language), value, name)


@solara.component
def NetworkView(model: DemoModel, language: str):
    counter = update_counter.get()
    colour, set_colour = solara.use_state("trust_neighbors")
    solara.v.Select(label=L.t("demo_colour_by", language), v_model=colour, on_v_model=set_colour, dense=True,
                    items=[{"text": colour_label(key, language), "value": key} for key in COLOUR_BY],
                    style_="max-width: 340px")
    picture = solara.use_memo(lambda: NetworkPicture(colour, language), [colour, language])
    png = solara.use_memo(lambda: picture.png(model), [picture, model, counter])
    solara.Image(png, classes=["simgov-network"])


@solara.component
def PlotsView(model: DemoModel, language: str):
    counter = update_counter.get()
    picture = solara.use_memo(lambda: SeriesPicture(language), [language])
    png = solara.use_memo(lambda: picture.png(model), [picture, model, counter, len(model.changes)])
    solara.Image(png, classes=["simgov-plots"])


@solara.component
def PolicyNote(model: DemoModel, language: str):
    update_counter.get()  # only the note follows the weeks: the panel's switches and sliders need not redraw
    solara.Text(L.t("demo_policies_note", language).format(week=model.week + 1),
                style={"font-size": "0.8em", "color": "#555"})


@solara.component
def PolicyPanel(model: DemoModel, settings: solara.Reactive[dict], language: str):
    """A switch and a slider per policy; a change goes to the model at once and acts from the
    next week. After a Reset (a new model) the panel's settings are applied from week 1."""
    error = solara.use_reactive("")

    def apply(new: dict) -> None:
        try:
            model.apply(new)
        except ValidationError as exc:  # a combination the policy's rules refuse: say so, keep the old policies
            error.set(f"{L.t('demo_not_applied', language)}: {exc.errors()[0]['msg']}")
            return
        error.set("")
        settings.set(new)
        force_update()

    solara.use_effect(lambda: apply(settings.value) if model.settings != {
        k: v for k, v in settings.value.items() if v.on} else None, [model])

    def change(policy: str, on: bool | None = None, value: float | None = None) -> None:
        old = settings.value[policy]
        apply({**settings.value, policy: Setting(old.on if on is None else on,
                                                 old.value if value is None else float(value))})

    PolicyNote(model, language)
    if error.value:
        solara.Error(error.value, dense=True)

    def lever_controls(lever) -> None:
        s = settings.value[lever.type]
        lo, hi, step = lever.range(model.full_spec)
        solara.Switch(label=L.policy(lever.type, language), value=s.on,
                      on_value=lambda on, p=lever.type: change(p, on=on), classes=[f"simgov-switch-{lever.type}"])
        value = s.value if lever.is_float else int(round(s.value))
        LabelledSlider(f"{L.t(f'demo_lever_{lever.type}', language)}: {value:,g}", value=value, lo=lo, hi=hi,
                       step=step, disabled=not s.on, is_float=lever.is_float,
                       on_value=lambda v, p=lever.type: change(p, value=v))

    for lever in LEVERS[:MAIN_LEVERS]:
        lever_controls(lever)
    with solara.Details(summary=f"+ {len(LEVERS) - MAIN_LEVERS} {L.t('demo_more', language)}"):
        for lever in LEVERS[MAIN_LEVERS:]:
            lever_controls(lever)


@solara.component
def DemoApp(model: solara.Reactive[DemoModel]):
    language = lang.value
    m = model.value
    setup = solara.use_reactive({"scenario_name": m.scenario_name, "seed": m.scenario_seed})
    settings = solara.use_reactive(solara.use_memo(lambda: default_settings(m.full_spec, m.policies), []))
    play_interval = solara.use_reactive(150)
    scenarios = solara.use_memo(small_scenarios, [])

    with solara.AppBar():
        title = (m.full_spec.title_zh if language == "zh" else "") or m.full_spec.title
        solara.AppBarTitle(f"{L.t('demo_title', language)}: {title}")
        with solara.ToggleButtonsSingle(value=lang, classes=["simgov-language"]):
            solara.Button("English", value="en", text=True)
            solara.Button("中文", value="zh", text=True)

    with solara.Sidebar():
        with solara.Card(L.t("demo_run", language)):
            RunControls(model, setup, play_interval, language)
            LabelledSlider(f"{L.t('demo_speed', language)}: {play_interval.value}", value=play_interval.value,
                           lo=0, hi=1000, step=50, on_value=play_interval.set)
            if not m.running:
                solara.Info(L.t("demo_finished", language), dense=True)
        with solara.Card(L.t("demo_setup", language)):
            solara.Select(L.t("demo_scenario", language), values=scenarios, value=setup.value["scenario_name"],
                          on_value=lambda name: setup.set({**setup.value, "scenario_name": name}))
            solara.InputInt(L.t("demo_seed", language), value=setup.value["seed"],
                            on_value=lambda seed: setup.set({**setup.value, "seed": seed}))
            solara.Text(L.t("demo_setup_note", language), style={"font-size": "0.8em", "color": "#555"})
        with solara.Card(L.t("demo_policies", language)):
            PolicyPanel(m, settings, language)

    with solara.Column(style={"padding": "8px"}):
        Monitors(m, language)
        # Side by side on a wide screen; one above the other below 1264 px (a 1024x768 projector),
        # where half the main area would leave the labels too small to read.
        with solara.ColumnsResponsive(default=12, large=6):
            NetworkView(m, language)
            PlotsView(m, language)
        with solara.Card(L.t("demo_info", language), classes=["simgov-info"]):
            # Our own text made HTML here: solara.Markdown would load KaTeX from a CDN.
            solara.HTML(tag="div", unsafe_innerHTML=info_html(language), style={"max-width": "60em"})


@solara.component
def Page():
    name = os.environ.get(SCENARIO_ENV, DEFAULT_SCENARIO)  # simgov demo --scenario, read per browser session
    first = solara.use_memo(lambda: DemoModel(name), [])  # one model per browser session
    model = solara.use_reactive(first)
    DemoApp(model)
