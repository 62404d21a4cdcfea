"""Small modal dialogs: confirm, ask for a name, find as you type, a list of lines to read, and the
too-small-terminal notice."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, Static

DIALOG_CSS = """
ConfirmScreen, NameScreen, FindScreen, TooSmallScreen, LinesScreen { align: center middle; }
#dialog { width: 60; height: auto; border: thick $accent; background: $panel; padding: 1 2; }
#dialog .error { height: auto; }
"""


class ConfirmScreen(ModalScreen[bool]):
    """``y`` or Enter confirms, ``n`` or Escape cancels."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question)
            yield Label("[b]y[/b] or [b]Enter[/b] yes   [b]n[/b] or [b]Esc[/b] no", classes="muted")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def back_after_asking(screen: Screen, running: bool, question: str, stop: Callable[[], None]) -> None:
    """Leave ``screen``: at once when its work has ended, else after a yes to ``question`` (then
    ``stop`` it first)."""
    if not running:
        screen.app.pop_screen()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            stop()
            screen.app.pop_screen()

    screen.app.push_screen(ConfirmScreen(question), answered)


class NameScreen(ModalScreen[str | None]):
    """Asks for a preset name; ``check`` returns the reason a name is refused, or None."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, prompt: str, initial: str, check: Callable[[str], str | None]):
        super().__init__()
        self.prompt, self.initial, self.check = prompt, initial, check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.prompt)
            yield Input(self.initial, id="name")
            yield Static("", id="name-error", classes="error")
            yield Label("[b]Enter[/b] accepts the name   [b]Esc[/b] cancels", classes="muted")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = self.check(event.value.strip())
        if reason:
            self.query_one("#name-error", Static).update(reason)
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class FindScreen(ModalScreen[bool]):
    """A line to type into; ``found(text)`` runs on every change (it moves the list behind it).
    Enter keeps where it went (True), Escape goes back (False)."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "close(False)", "Back")]

    def __init__(self, prompt: str, found: Callable[[str], str]):
        super().__init__()
        self.prompt, self.found = prompt, found

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.prompt)
            yield Input(id="find")
            yield Static("", id="find-result", classes="muted")
            yield Label("[b]Enter[/b] keeps it   [b]Esc[/b] goes back", classes="muted")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#find-result", Static).update(self.found(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(True)

    def action_close(self, keep: bool) -> None:
        self.dismiss(keep)


class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is smaller than the app needs; q (or ctrl+q) still quits."""

    DEFAULT_CSS = DIALOG_CSS + "TooSmallScreen #dialog { width: auto; border: none; padding: 0; }"
    BINDINGS = [Binding("q", "app.quit", "Quit")]

    def __init__(self, width: int, height: int):
        super().__init__()
        self.minimum = (width, height)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Please enlarge the terminal to at least {self.minimum[0]}x{self.minimum[1]}.")
            yield Label("q quits", classes="muted")


class LinesScreen(ModalScreen[None]):
    """A title and lines to read (each shown as written, not as markup), scrolled with the arrows;
    Escape, Enter or ``q`` close it."""

    DEFAULT_CSS = DIALOG_CSS + """
    LinesScreen #dialog { width: 76; max-height: 20; }
    LinesScreen #lines { height: auto; max-height: 14; }
    LinesScreen #lines Static { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close")]

    def __init__(self, title: str, lines: list[str]):
        super().__init__()
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text)
            with VerticalScroll(id="lines"):
                for line in self.lines:
                    yield Static(line, markup=False)
            yield Label("[b]Esc[/b], [b]Enter[/b] or [b]q[/b] closes", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#lines").focus()
