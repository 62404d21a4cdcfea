"""How the playground holds up while it trains: decision-map redraws a second, and key latency.

Runs the real app headless (Textual's test driver, 80x24, a temporary home for the records) on the
Playground screen of a preset. First the run is left alone: the redraws of the decision map shown
while it trains are counted (the worker makes a picture at most every ``MAP_INTERVAL`` seconds; the
screen drops none it receives unless a newer one replaced it in the queue) and divided by the
training time; the time the screen takes to draw one is taken too. Then, while it trains again,
keys are pressed ``rounds`` times each, every ``interval`` seconds, each timed from the key event to
the screen having answered: left and right (the hidden layer picked: the spec's lines redrawn) and
n and N (noise up and down: a new spec, the old run stopped, a new one started). Apart from the
app, the picture itself (map, unit maps) is timed for the preset's network in this process.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from textual import events

from ..engine.control import Control
from ..engine.events import Started
from ..experiment.presets import Preset
from ..experiment.records import blas_info
from ..experiment.session import prepare
from ..render.playground_view import PlaygroundView
from ..tui.app import make_app
from ..tui.playground_runner import MAP_INTERVAL, picture
from ..tui.screens.playground import PlaygroundScreen
from ..tui.widgets.decision_view import DecisionMap
from .app import _percentile

TARGET_REDRAWS_PER_SECOND = 10.0
TARGET_KEY_MS_P95 = 50.0


async def _until(ready, timeout: float = 120.0) -> None:
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the playground did not answer")
        await asyncio.sleep(0.0005)


def _timed_show(screen: PlaygroundScreen, seconds: list[float]) -> None:
    """Time each redraw of the screen's (current) map widget."""
    widget = screen.query_one(DecisionMap)
    show = widget.show

    def timed(picture_) -> None:
        started = time.perf_counter()
        show(picture_)
        seconds.append(time.perf_counter() - started)

    widget.show = timed


async def _press(app, screen: PlaygroundScreen, key: str, answered) -> float:
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    await _until(answered)
    return time.perf_counter() - started


async def _playground_run(preset: Preset, home: Path, rounds: int, interval: float) -> dict[str, Any]:
    app = make_app(home=home)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PlaygroundScreen(preset)
        await app.push_screen(screen)
        await _until(lambda: screen.state == "training" and bool(screen.query(DecisionMap)))
        draw_seconds: list[float] = []
        _timed_show(screen, draw_seconds)
        started, redraws = time.perf_counter(), screen.redraws
        await _until(lambda: not screen.running, timeout=600.0)
        training_seconds = time.perf_counter() - started
        redraws = screen.redraws - redraws
        epochs = screen.epoch
        await app.workers.wait_for_complete()
        idle = []  # the same key with nothing training: what this machine gives at best
        for index in range(rounds):
            selected, lines = screen.selected, screen.query_one("#pg-spec").render()
            idle.append(await _press(app, screen, "right" if index % 2 == 0 else "left", lambda s=selected, l=lines:
                                     screen.selected != s and screen.query_one("#pg-spec").render() != l))
            await asyncio.sleep(interval)

        screen.action_restart()
        await _until(lambda: screen.state == "training")
        selects: list[float] = []
        changes: list[float] = []
        for index in range(rounds):
            if not screen.running:  # keep it training: the keys are timed while it trains
                screen.action_restart()
                await _until(lambda: screen.state == "training")
            selected = screen.selected
            key = "right" if index % 2 == 0 else "left"
            spec_lines = screen.query_one("#pg-spec").render()
            selects.append(await _press(app, screen, key, lambda s=selected, lines=spec_lines:
                                        screen.selected != s and screen.query_one("#pg-spec").render() != lines))
            await asyncio.sleep(interval)
            run = screen.run
            changes.append(await _press(app, screen, "n" if index % 2 == 0 else "N", lambda r=run: screen.run > r))
            await asyncio.sleep(interval)
        screen.control.stop()
        await app.workers.wait_for_complete()
        await pilot.pause()
    keys = selects + changes
    return {
        "epochs": epochs,
        "training_seconds": training_seconds,
        "redraws": redraws,
        "redraws_per_second": redraws / training_seconds if training_seconds else 0.0,
        "draw_ms_median": 1000 * statistics.median(draw_seconds) if draw_seconds else None,
        "draw_ms_max": 1000 * max(draw_seconds) if draw_seconds else None,
        "key_presses": len(keys),
        "key_ms_median": 1000 * statistics.median(keys),
        "key_ms_p95": 1000 * _percentile(keys, 0.95),
        "key_ms_max": 1000 * max(keys),
        "select_ms_p95": 1000 * _percentile(selects, 0.95),
        "idle_select_ms_p95": 1000 * _percentile(idle, 0.95),
        "idle_select_ms_median": 1000 * statistics.median(idle),
        "restart_ms_p95": 1000 * _percentile(changes, 0.95),
    }


def _picture_times(preset: Preset, home: Path, repeats: int = 50) -> dict[str, Any]:
    """The picture alone for the preset's (untrained) network, as the worker makes it at 80x24."""
    session = prepare(preset.spec, str(home))
    view = PlaygroundView.from_session(session)
    if view is None:
        raise ValueError(f"{preset.key}: the playground shows tables of one or two inputs")
    blas = {}
    for event in session.events(Control()):  # one epoch, so the threads are set up as when training
        if isinstance(event, Started):
            blas = blas_info()
            break
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        picture(view, 0, 0, 40, 17)
        seconds.append(time.perf_counter() - started)
    return {"picture_ms_median": 1000 * statistics.median(seconds), "blas": blas,
            "architecture": "[" + ",".join(str(layer.units) for layer in preset.spec.model.layers) + "]"}


def bench_playground(preset: Preset, home: Path, rounds: int = 20, interval: float = 0.1) -> dict[str, Any]:
    """The playground's redraws a second and key latency while ``preset`` trains, in ``home``'s
    settings but with its records in a temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        result = _picture_times(preset, Path(folder))
        result.update(asyncio.run(_playground_run(preset, Path(folder), rounds, interval)))
    return {"preset": preset.key, "rounds": rounds, "map_interval_seconds": MAP_INTERVAL, **result,
            "target_redraws_per_second": TARGET_REDRAWS_PER_SECOND, "target_key_ms_p95": TARGET_KEY_MS_P95}


def playground_bench_lines(result: dict[str, Any]) -> list[str]:
    """The result as a few lines of text."""
    r = result

    def verdict(ok: bool, target: str) -> str:
        return f"{'meets' if ok else 'misses'} the target of {target}"

    redraws = r["redraws_per_second"]
    return [
        (f"preset {r['preset']}: {r['architecture']}; the picture (map 40x17 and unit maps) takes "
        f"{r['picture_ms_median']:.2f} ms in the worker"),
        (f"training {r['epochs']} epochs in {r['training_seconds']:.2f} s with the playground open: "
        f"{r['redraws']} map redraws, {redraws:.1f} a second ({verdict(redraws >= r['target_redraws_per_second'], '10')}"
        f"; the worker makes one at most every {r['map_interval_seconds'] * 1000:.0f} ms); drawing one: median "
        f"{r['draw_ms_median']:.1f} ms, max {r['draw_ms_max']:.1f} ms"),
        (f"keys while it trains ({r['key_presses']}): median {r['key_ms_median']:.1f} ms, p95 {r['key_ms_p95']:.1f} ms, "
        f"max {r['key_ms_max']:.1f} ms ({verdict(r['key_ms_p95'] <= r['target_key_ms_p95'], '50 ms at p95')}); "
        f"picking a layer p95 {r['select_ms_p95']:.1f} ms, a new spec that starts again p95 "
        f"{r['restart_ms_p95']:.1f} ms"),
        (f"the same layer key with nothing training: median {r['idle_select_ms_median']:.1f} ms, "
        f"p95 {r['idle_select_ms_p95']:.1f} ms"),
    ]
