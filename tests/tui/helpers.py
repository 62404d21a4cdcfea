"""Pilot helpers: find text on screen, move to a preset, wait for the training worker."""

from textual.widgets import DataTable, RichLog


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
    while table.cursor_row != row:
        await pilot.press("down" if table.cursor_row < row else "up")


async def start_training(pilot, key: str):
    """Enter on a preset of the home screen; returns the Training screen it opens."""
    await highlight_preset(pilot, key)
    await pilot.press("enter")
    return pilot.app.screen


async def wait_for_training(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
