"""The question before runs are deleted: it names every run it will delete, in full (the list
scrolls when it is long), and answers with exactly those runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ...runs.folder import RunSummary


class DeleteRunsScreen(ModalScreen[list[RunSummary]]):
    """``y`` or Enter deletes the runs named, ``n`` or Escape keeps them (the answer is then [])."""

    DEFAULT_CSS = """
    DeleteRunsScreen { align: center middle; }
    DeleteRunsScreen #dialog { width: 72; max-width: 100%; height: auto; max-height: 90%;
                               border: thick $accent; background: $panel; padding: 0 1; }
    DeleteRunsScreen #doomed { height: auto; max-height: 12; scrollbar-size-vertical: 1; }
    DeleteRunsScreen Static { width: 1fr; height: auto; }
    """
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes, delete"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, runs: list[RunSummary], names: dict[str, str] | None = None):
        """``names``: what each run is called on the list (a sweep point by its settings), by id."""
        super().__init__()
        self.runs = list(runs)
        self.names = names or {}

    def compose(self) -> ComposeResult:
        question = ("Delete this run, its record and its model?" if len(self.runs) == 1 else
                    f"Delete these {len(self.runs)} runs, each with its record and its model?")
        with Vertical(id="dialog"):
            yield Label(question, id="delete-question")
            with VerticalScroll(id="doomed"):
                for run in self.runs:
                    name = self.names.get(run.id)
                    yield Static(f"{run.id}" + (f"  ({name})" if name else ""), markup=False, classes="doomed-run")
            yield Label("This cannot be undone.  [b]y[/b] delete   [b]n[/b] keep them")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(self.runs if yes else [])
