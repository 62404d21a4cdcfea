"""What the screens about one saved model share: the model is read in a thread worker (the screen
is up at once), and a model that cannot be read is a notice and a line on the status bar while the
screen stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.screen import Screen
from textual.widgets import Static


class ModelScreen(Screen):
    #: The id of the screen's status line (each screen styles its own).
    STATUS_ID = "model-status"

    def __init__(self, model_path: Path):
        super().__init__()
        self.model_path = model_path

    def status_line(self, doing: str = "reading") -> Static:
        return Static(f"{doing} {self.model_path.name} ...", id=self.STATUS_ID)

    def set_status(self, text: str) -> None:
        self.query_one(f"#{self.STATUS_ID}", Static).update(text)

    def on_mount(self) -> None:
        self._open()

    def read(self) -> Any:
        """In the worker thread: what ``ready`` shows (raises when the model cannot be used)."""
        raise NotImplementedError

    def ready(self, content: Any) -> None:
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _open(self) -> None:
        try:
            content = self.read()
        except Exception as error:  # shown as a notice; the screen stays
            self.app.call_from_thread(self.failed, str(error))
            return
        self.app.call_from_thread(self.ready, content)

    def failed(self, reason: str) -> None:
        self.set_status(f"[b $error]cannot open the model[/]: {reason}")
        self.notify(reason, severity="error")

    def action_back(self) -> None:
        self.app.pop_screen()
