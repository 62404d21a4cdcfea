"""Runs: every recorded run in a table (its start date and time, preset, architecture, settings,
test accuracy and status), found by any of them with ``/``; picked runs compare, export or delete.

Rows come from runs/folder.py (the same summaries `tui-nn runs` prints); one run and a comparison
open in compare.py. A sweep's points are named as its leaderboard names them (their records say how),
else by the settings that tell them apart.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from ...experiment.models import model_path
from ...experiment.records import read_record
from ...runs.folder import MODEL_ONLY, SORT_KEYS, RunSummary, load_runs, point_names, sort_runs
from ...runs.labels import fit
from ...runs.sweep import recorded_sweeps
from ..navigation import Confusion, Draw, Weights, go
from ..widgets.scrolling import Table
from .compare import CompareScreen, RunScreen, export_runs
from .delete_runs import DeleteRunsScreen
from .dialogs import LinesScreen

#: (heading, width) of the runs table: with a space before each column and the scrollbar they fill
#: 80 columns. The first column holds the pick mark and the start; a long cell ends in an ellipsis
#: (the line below the table shows the highlighted run in full).
RUN_COLUMNS = ((" started", 12), ("preset", 15), ("architecture", 16), ("settings", 14), ("test", 7),
               ("status", 9))
#: A sweep's points: named by their settings (what varies) in the room of the preset and settings.
POINT_COLUMNS = ((" started", 12), ("point", 30), ("architecture", 16), ("test", 7), ("status", 9))


class RunsScreen(Screen):
    """All recorded runs, newest first; space selects, c compares, Enter opens one."""

    HELP_TITLE = "Runs"
    DEFAULT_CSS = """
    RunsScreen #runs { height: 1fr; scrollbar-size-vertical: 1; }
    RunsScreen #filter { height: 1; border: none; }
    RunsScreen #runs-status { height: 1; padding: 0 1; background: $panel; }
    RunsScreen #run-detail { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("space", "select", "Pick"),
        Binding("c", "compare", "Compare"),
        Binding("o", "sort", "Sort", show=False),  # named in the status line
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("v", "model", "Model"),
        Binding("w", "weights", "Weights", show=False),  # named in the help
        Binding("d", "draw", "Draw a digit", show=False),  # named in the help
        Binding("delete", "remove", "Delete"),
        Binding("x", "export", "Export", show=False),  # named in the help
        Binding("u", "unreadable", "Unreadable files", show=False),  # named in the status line
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, folder: Path | None = None, title: str = "", names: dict[str, str] | None = None) -> None:
        """The single runs, or the runs of one sweep (its ``folder``; ``names``: its current plan's
        points as the leaderboard names them, over what their records say)."""
        super().__init__()
        self.folder, self.title = folder, title
        self.plan_names = names or {}
        self.runs: list[RunSummary] = []
        self.shown: list[RunSummary] = []
        self.selected: set[str] = set()
        self.sort = 0
        self.problems: list[str] = []
        self.names: dict[str, str] = {}  # a sweep's points by what tells them apart, by id

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        return POINT_COLUMNS if self.folder is not None else RUN_COLUMNS

    def compose(self) -> ComposeResult:
        yield Static("", id="runs-status")
        yield Input(placeholder="filter: words that every row shown must hold (Enter: back to the table)",
                    id="filter", compact=True)
        yield Table(id="runs", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="run-detail", markup=False)  # the highlighted row in full: cells may be cut
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#runs", DataTable)
        for heading, width in self.columns:
            table.add_column(" " + heading, width=width + 1)
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.runs, self.problems = load_runs(self.app.home, self.folder)
        self.names = {**point_names(self.runs), **self.plan_names} if self.folder is not None else {}
        self.refilter()

    def refilter(self) -> None:
        text = self.query_one("#filter", Input).value
        self.shown = sort_runs([r for r in self.runs if self.matches(r, text)], SORT_KEYS[self.sort])
        table = self.query_one("#runs", DataTable)
        row = table.cursor_row
        table.clear()
        for run in self.shown:
            mark = "*" if run.id in self.selected else " "
            named = (self.names.get(run.id, run.preset),) if self.folder is not None else (run.preset, run.settings)
            cells = (mark + run.started_text, named[0], run.architecture, *named[1:],
                     run.test_text, run.status)
            table.add_row(*(" " + fit(cell, width) for cell, (_, width) in zip(cells, self.columns)), key=run.id)
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))
        self.show_detail()
        skipped = f", {len(self.problems)} unreadable file(s): u" if self.problems else ""
        self.query_one("#runs-status", Static).update(
            f"{self.title + ': ' if self.title else ''}[b]{len(self.shown)}[/b] of {len(self.runs)} run(s), "
            f"sorted by {SORT_KEYS[self.sort]} (o), "
            f"{len(self.selected)} selected{skipped}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        """The highlighted run in full: its id, name, architecture, settings, results and time."""
        run = self.highlighted
        if run is None and self.folder is None and not self.runs:  # say where runs come from, and the sweeps' are
            sweeps = recorded_sweeps(self.app.home)
            names = ", ".join(sweeps[:3]) + (", ..." if len(sweeps) > 3 else "")
            self.query_one("#run-detail", Static).update(
                f"sweep runs are kept apart: {names} (r on a sweep's leaderboard; tui-nn runs --sweep NAME)" if sweeps
                else "no runs yet: Enter on a preset of the home screen trains one, and its record is listed here")
            return
        detail = "" if run is None else "  ".join(filter(None, (
            run.id, self.names.get(run.id, ""), run.architecture, run.settings,
            f"test {run.test_text}", f"best val {run.best_val_text}",
            run.status, run.time_text)))
        self.query_one("#run-detail", Static).update(detail)

    def matches(self, run: RunSummary, text: str) -> bool:
        """The filter: every word in what the row shows (a sweep point's name too)."""
        return run.matches(text, self.names.get(run.id, ""))

    @property
    def highlighted(self) -> RunSummary | None:
        table = self.query_one("#runs", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def chosen(self) -> list[RunSummary]:
        """The selected runs, or the highlighted one when none is selected."""
        picked = [r for r in self.shown if r.id in self.selected]
        return picked or ([self.highlighted] if self.highlighted else [])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        run = self.highlighted
        if run is not None and run.status == MODEL_ONLY:
            self.notify("this model's run record is gone: v, w and d open the model itself")
        elif run is not None:
            self.app.push_screen(RunScreen(run.path, self.names.get(run.id, "")))

    def highlighted_model(self) -> Path | None:
        """The highlighted run's saved model file, or None (with a notice)."""
        run = self.highlighted
        if run is None:
            return None
        if run.status == MODEL_ONLY:
            return run.path
        try:
            name = read_record(run.path).get("model")
        except ValueError:
            name = None
        model = run.path.with_name(name) if name else None
        if model is None or not model.is_file():
            self.notify("this run kept no model (only runs that end at an epoch's end do)", severity="warning")
            return None
        return model

    def action_model(self) -> None:
        """The highlighted run's saved model: its confusion matrix on the test split."""
        model = self.highlighted_model()
        if model is not None:
            go(self, Confusion(model))

    def action_weights(self) -> None:
        """The highlighted run's saved model: its first layer's units as images."""
        model = self.highlighted_model()
        if model is not None:
            go(self, Weights(model))

    def action_draw(self) -> None:
        """The highlighted run's saved model on a digit drawn by hand."""
        model = self.highlighted_model()
        if model is not None:
            go(self, Draw(model))

    def action_select(self) -> None:
        run = self.highlighted
        if run is not None:
            self.selected ^= {run.id}
            self.refilter()

    def recorded(self) -> list[RunSummary]:
        """The chosen runs that have a record (curves, comparisons and exports come from records)."""
        runs = [r for r in self.chosen() if r.status != MODEL_ONLY]
        if len(runs) < len(self.chosen()):
            self.notify("models whose record is gone have no curves to compare or export", severity="warning")
        return runs

    def action_compare(self) -> None:
        runs = self.recorded()
        if runs:
            self.app.push_screen(CompareScreen([r.path for r in runs]))

    def action_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORT_KEYS)
        self.refilter()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#runs", DataTable).focus()

    def action_remove(self) -> None:
        """Delete the picked runs, or the highlighted one when none is picked: the dialog names
        them, and exactly the runs it named go."""
        runs = self.chosen()
        if runs:
            self.app.push_screen(DeleteRunsScreen(runs, self.names), self.delete)

    def delete(self, runs: list[RunSummary] | None) -> None:
        for run in runs or []:  # a record and the model kept beside it go together
            run.path.unlink(missing_ok=True)
            if run.status != MODEL_ONLY:
                model_path(run.path).unlink(missing_ok=True)
            self.selected.discard(run.id)
        if runs:
            self.notify(f"deleted {runs[0].id if len(runs) == 1 else f'{len(runs)} runs'}")
            self.reload()

    def action_export(self) -> None:
        runs = self.recorded()
        if not runs:
            return
        written = export_runs([r.path for r in runs], self.app.home)
        self.notify(f"wrote {written[0].name} and {written[1].name} in {written[0].parent}")

    def action_unreadable(self) -> None:
        """Each file the list skipped, with why."""
        if not self.problems:
            self.notify("every file in the runs folder was read")
            return
        self.app.push_screen(LinesScreen(f"{len(self.problems)} file(s) skipped: each could not be read as a run",
                                         self.problems))

    def action_back(self) -> None:
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#runs", DataTable).focus()
            return
        self.app.pop_screen()
