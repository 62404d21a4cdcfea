"""Every key of the screen underneath, from its own bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..widgets.scrolling import Scroll

EXTRA_KEYS = {
    "GalleryScreen": [("0-9", "show only that true digit (again: all)"), ("arrows", "move the selection")],
    "EditorScreen": [("tab / shift+tab", "next / previous field"),
                     ("f7, backspace", "sweep box: select all, then clear it"),
                     ("ctrl+z / ctrl+y", "sweep box: undo / redo")],
    "DrawScreen": [("mouse", "left button paints, right erases (not with --no-mouse)")],
}


def key_names(screen: Screen, keys: str) -> str:
    """``plus,equals_sign`` as ``+ / =``: each key as the footer shows it."""
    return " / ".join(screen.app.get_key_display(Binding(key.strip(), "")) for key in keys.split(","))


def describe_keys(screen: Screen) -> list[tuple[str, str]]:
    rows = []
    for binding in list(screen.BINDINGS) + list(screen.app.BINDINGS):
        if isinstance(binding, Binding) and binding.description:
            several = "," in binding.key  # every key that does it, not only the footer's
            rows.append((key_names(screen, binding.key) if several or not binding.key_display else binding.key_display,
                         binding.tooltip or binding.description))
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
