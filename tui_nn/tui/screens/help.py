"""Every key of the screen underneath, from its own bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..widgets.scrolling import Scroll

EXTRA_KEYS = {
    "GalleryScreen": [("0-9", "show only that true digit (again: all)"), ("arrows", "move the selection")],
    "EditorScreen": [("tab / shift+tab", "next / previous field")],
    "DrawScreen": [("mouse", "left button paints, right erases (not with --no-mouse)")],
}


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    rows = []
    for binding in list(screen.BINDINGS) + list(screen.app.BINDINGS):
        if isinstance(binding, Binding) and binding.description:
            rows.append((binding.key_display or binding.key, binding.description))
        elif isinstance(binding, tuple) and len(binding) >= 3:
            rows.append((binding[0], binding[2]))
    rows.extend(EXTRA_KEYS.get(type(screen).__name__, []))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 64; height: auto; max-height: 20; border: thick $accent;
                                  background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, beneath: Screen):
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        title = getattr(self.beneath, "HELP_TITLE", type(self.beneath).__name__)
        lines = [f"[b]{title}[/b] keys", ""]
        lines += [f"  [b]{key:<16}[/b] {text}" for key, text in describe_keys(self.beneath)]
        note = getattr(self.beneath, "HELP_NOTE", "")
        if note:
            lines += ["", note]
        with Scroll():
            yield Static("\n".join(lines), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
