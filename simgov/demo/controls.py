"""Reset, Play/Pause and Step in the page's language.

Mesa's ``ModelController`` writes its button labels in English only, so the demo has its own,
which does what Mesa's does: Reset builds a new model from the setup (``type(model)(**setup)``),
Step advances one week and redraws, Play steps in a background task with ``interval`` ms
between weeks until paused or until the model stops running (``model.running``), and every
view redraws through Mesa's ``update_counter``.
"""

from __future__ import annotations

import time

import solara
from mesa.visualization.utils import force_update

from simgov.report import labels as L


@solara.component
def RunControls(model: solara.Reactive, setup: solara.Reactive[dict], interval: solara.Reactive[int],
                language: str):
    playing = solara.use_reactive(False)
    running = model.value.running

    def play_loop() -> None:
        while playing.value and model.value.running:
            time.sleep(interval.value / 1000)
            if not playing.value:
                break
            model.value.step()
            force_update()
        playing.set(False)

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def step() -> None:
        model.value.step()
        force_update()

    def reset() -> None:
        playing.set(False)
        model.set(type(model.value)(**setup.value))
        force_update()

    with solara.Row(justify="space-between"):
        solara.Button(label=L.t("demo_reset", language), color="primary", on_click=reset)
        solara.Button(label=L.t("demo_pause" if playing.value else "demo_play", language), color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=not running)
        solara.Button(label=L.t("demo_step", language), color="primary", on_click=step,
                      disabled=playing.value or not running)
