"""How fast the editor answers: one keystroke's validation, and adding a layer, for a preset.

Runs the real app headless (Textual's test driver, 80x24) with the Editor screen of a preset open.
A keystroke is a digit typed at the end of the first layer's first number field, then Backspace,
over and over: each changes the shapes and parameter counts of every layer after it, so the whole
check and the whole display run each time. Two times are taken per keystroke: the validation
itself (the draft's check and the screen showing its result) and the whole way from the key event
to that validation done, as the terminal would deliver it. Adding a layer is ctrl+n on the first
layer, timed from the key event until the new row is in place (mounted, focused, the draft checked)
with the CPU time the process spent meanwhile (on a busy machine the wall time is mostly waiting for
a core), and until the form has been laid out with it (what the next frame draws); it is removed
again before the next round. The list keeps a new layer's row made ahead of time; adding is timed with it ready (the usual
case) and without it (a second ctrl+n right after the first, before the next one is made). The targets: 5 ms a keystroke's validation, 50 ms to add a layer.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

from ..experiment.presets import Preset
from ..tui.app import make_app
from ..tui.screens.editor import EditorScreen
from ..tui.widgets.form_fields import NumberInput

TARGET_VALIDATION_MS = 5.0
TARGET_ADD_LAYER_MS = 50.0


def _timed(calls: list[float], method: Callable) -> Callable:
    """``method``, appending each call's seconds to ``calls`` (async methods too)."""
    if asyncio.iscoroutinefunction(method):
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = await method(*args, **kwargs)
            calls.append(time.perf_counter() - started)
            return result
        return timed_async

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = method(*args, **kwargs)
        calls.append(time.perf_counter() - started)
        return result
    return timed


async def _until(ready: Callable[[], bool], timeout: float = 60.0) -> None:
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the editor did not answer")
        await asyncio.sleep(0.0002)


def _stats(prefix: str, seconds: list[float]) -> dict[str, float]:
    ms = [1000 * s for s in seconds]
    return {f"{prefix}_ms_median": statistics.median(ms), f"{prefix}_ms_max": max(ms)}


async def _editor_run(preset: Preset, home: Path, rounds: int) -> dict[str, Any]:
    app = make_app(home=home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        editor = EditorScreen(preset)
        await app.push_screen(editor)
        await _until(lambda: editor.check is not None and app.focused is not None)
        await pilot.pause()
        open_seconds = time.perf_counter() - started

        validations: list[float] = []
        editor.validate = _timed(validations, editor.validate)  # the calls the edits make

        # Keystrokes: a digit at the end of the first layer's first number field, then Backspace.
        row = editor.layer_rows[0]
        field = next(box for box in row.inputs.values() if isinstance(box, NumberInput))
        editor.set_focus(field)
        await pilot.pause()
        app.post_message(events.Key("end", None))
        await pilot.pause()
        validations.clear()
        keystrokes: list[float] = []
        for index in range(2 * rounds):
            name, character = ("1", "1") if index % 2 == 0 else ("backspace", None)
            done = len(validations)
            started = time.perf_counter()
            app.post_message(events.Key(name, character))
            await _until(lambda done=done: len(validations) > done)
            keystrokes.append(time.perf_counter() - started)
        await pilot.pause()
        key_validations = list(validations)

        adding = {ahead: await _add_layers(app, pilot, editor, rounds, ahead) for ahead in (True, False)}
        return {"layers": len(editor.layer_rows), "fields": len(editor.fields), "open_seconds": open_seconds,
                "keystrokes": len(keystrokes), **_stats("validation", key_validations),
                **_stats("keystroke", keystrokes), "layer_adds": rounds, **adding[True],
                **{f"{key}_without_spare": value for key, value in adding[False].items()},
                "problems_at_the_end": len(editor.problems)}


async def _add_layers(app, pilot, editor: EditorScreen, rounds: int, ahead: bool) -> dict[str, float]:
    """ctrl+n on the first layer, ``rounds`` times, with the row made ahead of time ready (as it is
    unless two layers are added at once) or without it (the row is mounted then). Times are taken
    where things happen (the action's end, the layout that first places the row), not by polling,
    which would also count whatever runs after them (such as making the next row ahead)."""
    added: list[float] = []
    shown: list[float] = []
    cpu_used: list[float] = []
    layers = editor.layer_list
    stamps: dict[str, float] = {}
    action, refresh_layout = editor.action_add_layer, editor._refresh_layout

    async def timed_action() -> None:
        await action()
        stamps["added"], stamps["cpu"] = time.perf_counter(), time.process_time()

    def timed_layout(*args: Any, **kwargs: Any) -> None:
        refresh_layout(*args, **kwargs)
        if "added" in stamps and "shown" not in stamps and editor.layer_rows[1].inputs["units"].region.height:
            stamps["shown"] = time.perf_counter()

    editor.action_add_layer, editor._refresh_layout = timed_action, timed_layout
    for _ in range(rounds):
        await _until(lambda: layers.spare is not None and layers.spare.is_mounted)
        if not ahead:
            spare, layers.spare = layers.spare, None
            await spare.remove()
        editor.set_focus(editor.layer_rows[0].inputs["type"])
        await pilot.pause()
        stamps.clear()
        started, cpu = time.perf_counter(), time.process_time()
        app.post_message(events.Key("ctrl+n", None))
        await _until(lambda: "shown" in stamps)
        if app.focused is not editor.layer_rows[1].inputs["units"]:
            raise RuntimeError("the new layer's row did not get the focus")
        added.append(stamps["added"] - started)
        cpu_used.append(stamps["cpu"] - cpu)
        shown.append(stamps["shown"] - started)
        await pilot.pause()
        await layers.remove(1)
        editor.validate()
        await pilot.pause()
    editor.action_add_layer, editor._refresh_layout = action, refresh_layout
    return {**_stats("add_layer", added), **_stats("add_layer_cpu", cpu_used), **_stats("add_layer_shown", shown)}


def bench_editor(preset: Preset, home: Path, rounds: int = 50) -> dict[str, Any]:
    """The editor's answer times for ``preset``: ``rounds`` keystroke pairs and ``rounds`` layers added."""
    result = asyncio.run(_editor_run(preset, home, rounds))
    return {"preset": preset.key, "rounds": rounds, **result,
            "target_validation_ms": TARGET_VALIDATION_MS, "target_add_layer_ms": TARGET_ADD_LAYER_MS}


def editor_bench_lines(result: dict[str, Any]) -> list[str]:
    """The result as a few lines of text."""
    r = result

    def verdict(value: float, target: float) -> str:
        return f"{'within' if value <= target else 'over'} the {target:g} ms target"

    opened = (f"preset {r['preset']}: {r['layers']} layers, {r['fields']} other fields; "
              f"the editor opened in {r['open_seconds']:.2f} s (80x24, headless)")
    keystroke = (f"keystroke ({r['keystrokes']}): validation median {r['validation_ms_median']:.2f} ms, "
                 f"max {r['validation_ms_max']:.2f} ms "
                 f"({verdict(r['validation_ms_median'], r['target_validation_ms'])}); "
                 f"key event to validated: median {r['keystroke_ms_median']:.2f} ms, max {r['keystroke_ms_max']:.2f} ms")
    add = (f"add a layer ({r['layer_adds']}): ctrl+n to the row in place and focused: median "
           f"{r['add_layer_ms_median']:.1f} ms, max {r['add_layer_ms_max']:.1f} ms "
           f"({verdict(r['add_layer_ms_median'], r['target_add_layer_ms'])}); the process's CPU meanwhile: "
           f"median {r['add_layer_cpu_ms_median']:.1f} ms")
    shown = (f"  until the form is laid out with the row (drawn in that frame): median "
             f"{r['add_layer_shown_ms_median']:.1f} ms, max {r['add_layer_shown_ms_max']:.1f} ms")
    mounted = (f"  without the row made ahead (a second ctrl+n at once), the row mounted then: median "
               f"{r['add_layer_ms_median_without_spare']:.1f} ms, max {r['add_layer_ms_max_without_spare']:.1f} ms "
               f"(CPU median {r['add_layer_cpu_ms_median_without_spare']:.1f} ms); laid out: median "
               f"{r['add_layer_shown_ms_median_without_spare']:.1f} ms")
    return [opened, keystroke, add, shown, mounted]
