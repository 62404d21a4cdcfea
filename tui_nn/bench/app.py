"""How the app holds up while it trains: training speed with the screen open, and key-press latency.

Runs the real app headless (Textual's test driver, 80x24) on the Training screen of a preset twice:
once left alone (someone watching the curves), once with `?` (opens help) and, ``interval`` seconds
later, Escape (closes it) pressed while the worker trains, each press timed from the key event to
the screen having changed. Switching screens is the most expensive thing a key does here. The same
preset also trains without any UI in the same process, and the median epoch times are compared.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import events

from ..engine.control import Control
from ..engine.events import EpochEnd, Started
from ..experiment.models import MODEL_SUFFIX, save_model
from ..experiment.presets import Preset
from ..experiment.records import blas_info
from ..experiment.session import prepare
from ..tui.app import make_app
from ..tui.screens.confusion import ConfusionScreen
from ..tui.screens.draw import DrawScreen
from ..tui.screens.help import HelpScreen
from ..tui.screens.training import TrainingScreen
from ..tui.screens.weights import WeightsScreen
from .engine import median_after_first


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


async def _press_and_time(app, key: str, character: str | None, shown: type | None) -> float:
    """Seconds from sending ``key`` until the active screen is (or stops being) ``shown``."""
    wants_help = shown is HelpScreen
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, character))
    while isinstance(app.screen, HelpScreen) != wants_help:
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


async def _app_run(preset: Preset, home: Path, dataset, interval: float | None) -> tuple[list[float], list[float]]:
    """Epoch seconds and key latencies of one run in the app; no keys are pressed when ``interval`` is None."""
    app = make_app(home=home, dataset=dataset)
    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = TrainingScreen(preset, record_path=home / "runs" / "app-bench.json")
        await app.push_screen(screen)
        while screen.state == "starting":
            await asyncio.sleep(0.05)
        while screen.running and interval is None:
            await asyncio.sleep(0.05)
        while screen.running:
            await asyncio.sleep(interval)
            if not screen.running:
                break
            latencies.append(await _press_and_time(app, "question_mark", "?", HelpScreen))
            await asyncio.sleep(interval)
            latencies.append(await _press_and_time(app, "escape", None, None))
        await app.workers.wait_for_complete()
        await pilot.pause()
        seconds = [e.seconds for e in screen.events_received if isinstance(e, EpochEnd)]
    return seconds, latencies


def bench_app(preset: Preset, epochs: int, home: Path, interval: float = 1.0) -> dict[str, Any]:
    preset = replace(preset, spec=replace(preset.spec, training=replace(preset.spec.training, epochs=epochs)))
    session = prepare(preset.spec, str(home))
    dataset = session.dataset
    headless, blas = [], {}
    for event in session.events(Control()):
        if isinstance(event, Started):
            blas = blas_info()  # inside the run, as experiment/threads.py set it up
        elif isinstance(event, EpochEnd):
            headless.append(event.seconds)
    watched, _ = asyncio.run(_app_run(preset, home, dataset, None))
    pressed, latencies = asyncio.run(_app_run(preset, home, dataset, interval))
    headless_epoch = median_after_first(headless)
    return {
        "preset": preset.key,
        "epochs": epochs,
        "headless_epoch_seconds": headless,
        "app_epoch_seconds": watched,
        "app_with_keys_epoch_seconds": pressed,
        "headless_seconds_per_epoch": headless_epoch,
        "app_seconds_per_epoch": median_after_first(watched),
        "app_speed_fraction": headless_epoch / median_after_first(watched),
        "app_with_keys_speed_fraction": headless_epoch / median_after_first(pressed),
        "key_interval_seconds": interval,
        "key_presses": len(latencies),
        "key_latency_ms_median": 1000 * statistics.median(latencies) if latencies else None,
        "key_latency_ms_p95": 1000 * _percentile(latencies, 0.95) if latencies else None,
        "key_latency_ms_max": 1000 * max(latencies) if latencies else None,
        "blas": blas,
    }


async def _until(ready, timeout: float = 120.0) -> float:
    """Seconds until ``ready()`` holds, polled every half millisecond."""
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the screen did not get ready")
        await asyncio.sleep(0.0005)
    return time.perf_counter() - started


async def _model_screens_run(model_path: Path, home: Path, strokes: int) -> dict[str, Any]:
    app = make_app(home=home)
    result: dict[str, Any] = {}
    async with app.run_test(size=(80, 24)):
        for name, screen, ready in (
                ("confusion", ConfusionScreen(model_path), lambda s: s.matrix is not None),
                ("weights", WeightsScreen(model_path), lambda s: bool(s.images)),
                ("draw", DrawScreen(model_path), lambda s: s.probabilities is not None)):
            started = time.perf_counter()
            await app.push_screen(screen)
            await _until(lambda: ready(screen))
            result[f"{name}_open_seconds"] = time.perf_counter() - started
            if name != "draw":
                await app.pop_screen()
        # A stroke: with the pen down, a move paints at the new cursor; timed from the key event
        # until the screen has the new probabilities and has redrawn its widgets with them.
        latencies, predictions = [], []
        moves = ("j", "j", "l", "l", "k", "k", "h", "h")
        for index in range(strokes + 1):
            before = screen.strokes
            key = "p" if index == 0 else moves[index % len(moves)]
            started = time.perf_counter()
            app._driver.send_message(events.Key(key, key))
            await _until(lambda: screen.strokes > before)
            if index:  # the first is the pen going down
                latencies.append(time.perf_counter() - started)
                predictions.append(screen.answer_ms / 1000)
        result["strokes"] = len(latencies)
        result["stroke_ms_median"] = 1000 * statistics.median(latencies)
        result["stroke_ms_p95"] = 1000 * _percentile(latencies, 0.95)
        result["stroke_ms_max"] = 1000 * max(latencies)
        result["prediction_ms_median"] = 1000 * statistics.median(predictions)
    return result


def bench_model_screens(preset: Preset, home: Path, strokes: int = 200) -> dict[str, Any]:
    """How fast a model's screens answer for this preset's network: opening the confusion matrix
    (reading the data, predicting the test split), the weights and the draw screen, and the draw
    screen's stroke-to-prediction time. The network keeps its initial weights: the arithmetic of a
    prediction does not depend on what the weights have learned."""
    session = prepare(preset.spec, str(home))
    with tempfile.TemporaryDirectory() as scratch:  # never in the runs folder, even when interrupted
        model_path = Path(scratch) / f"bench-{preset.key}{MODEL_SUFFIX}"
        save_model(model_path, session.network, session.spec, session.dataset.class_names,
                   session.data_summary(), 0)
        result = asyncio.run(_model_screens_run(model_path, home, strokes))
    parameters = sum(p.size for _, p in session.network.named_params())
    return {"preset": preset.key, "architecture": session.network.describe(), "parameters": int(parameters),
            **result, "blas": blas_info()}
