"""The whole run's progress as one labelled line: filled and empty parts in different characters,
so it reads without colour and in ASCII; a run that has not started, or never will, says so
instead of animating."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BAR_WIDTH = 40


def bar_text(done: float, width: int, ascii_only: bool) -> Text:
    """``done`` (0-1) of ``width`` cells filled: heavy line on light, or ``#`` on ``.``."""
    filled = round(max(0.0, min(1.0, done)) * width)
    full, empty = ("#", ".") if ascii_only else ("━", "─")
    text = Text()
    text.append(full * filled, style="bold")
    text.append(empty * (width - filled), style="dim")
    return text


class RunProgress(Static):
    """``run [bar] 28%``: batches done of all the run's batches (the epoch is in the status line)."""

    DEFAULT_CSS = "RunProgress { height: 1; padding: 0 1; }"

    def __init__(self, ascii_only: bool = False, **kwargs) -> None:
        super().__init__("run  starting", **kwargs)
        self.ascii_only = ascii_only
        self.fraction: float | None = None

    def show(self, done: int, total: int) -> None:
        self.fraction = done / total if total else 0.0
        line = Text("run ")
        line.append_text(bar_text(self.fraction, BAR_WIDTH, self.ascii_only))
        line.append(f" {self.fraction:4.0%}")
        self.update(line)

    def halt(self, why: str) -> None:
        """The run will not move again: the bar stays as it was, or gives its place to ``why``."""
        if self.fraction is None:
            self.update(f"run  {why}")
