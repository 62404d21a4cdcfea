"""Pilot helpers and the tiny presets the app tests train: find text on screen, move to a preset, wait for training."""


from textual.widgets import DataTable, RichLog

TINY = {
    "name": "tiny", "description": "A tiny run for the tests.", "seed": 2,
    "data": {"train_size": 600, "validation_size": 500, "test_size": 300},
    "model": {"layers": [{"type": "dense", "units": 20, "activation": "relu"},
                         {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
    "optimizer": {"name": "sgd", "learning_rate": 0.5},
    "training": {"epochs": 4, "batch_size": 20},
}


TINY_CONV = {
    **TINY, "name": "tiny-conv", "description": "A tiny conv run for the tests.",
    "model": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                         {"type": "maxpool2d", "size": 2},
                         {"type": "conv2d", "filters": 6, "kernel": 3, "stride": 2, "activation": "relu"},
                         {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "log_likelihood"},
    "optimizer": {"name": "adam", "learning_rate": 0.01},
    "training": {"epochs": 2, "batch_size": 20},
}


# Long enough (minutes) that keys always arrive while it runs; the tests stop it themselves.
SLOW = {**TINY, "data": {"train_size": 20000, "validation_size": 500, "test_size": 300},
        "training": {"epochs": 300, "batch_size": 10}}


def screen_text(app) -> str:
    """Everything the widgets of the active screen currently show, as plain text."""
    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, RichLog):
            parts.extend(line.text for line in widget.lines)
            continue
        if isinstance(widget, DataTable):
            parts.extend(" ".join(str(c) for c in widget.get_row_at(i)) for i in range(widget.row_count))
            continue
        try:
            rendered = widget.render()
        except Exception:
            continue
        plain = getattr(rendered, "plain", None)
        parts.append(plain if plain is not None else str(rendered))
    return "\n".join(parts)


async def highlight_preset(pilot, key: str) -> None:
    table = pilot.app.screen.query_one("#presets", DataTable)
    row = next(i for i, p in enumerate(pilot.app.screen.presets) if p.key == key)
    for _ in range(table.row_count):  # at most a key a row: a key that moves nothing fails, not loops
        if table.cursor_row == row:
            break
        await pilot.press("down" if table.cursor_row < row else "up")
    assert table.cursor_row == row, f"the cursor never reached {key}"


async def open_editor(pilot, key: str):
    """`e` on a preset of the home screen; returns the Editor screen once its form is built."""
    await highlight_preset(pilot, key)
    await pilot.press("e")
    await pilot.pause()
    return pilot.app.screen


async def start_training(pilot, key: str):
    """Enter on a preset of the home screen; returns the Training screen it opens."""
    await highlight_preset(pilot, key)
    await pilot.press("enter")
    return pilot.app.screen


async def wait_for_training(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_model_screen(pilot, home, key: str, ready, preset: str | None = "tiny"):
    """Train a preset (tiny unless named) headless, then open its model's screen from Runs with ``key`` and wait
    until ``ready(screen)`` (the screens fill from a worker thread)."""
    from tui_nn.cli.main import main

    if preset is not None:  # None: a run is already recorded
        assert main(["--home", str(home), "run", preset, "--quiet"]) == 0
    await pilot.press("r")
    await pilot.pause()
    await pilot.press(key)
    screen = pilot.app.screen
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()  # the worker's results handed to the screen
    assert ready(screen), f"{type(screen).__name__} did not fill"
    return screen
