"""Runs: every recorded run in a table; one run's epochs and curves; several runs compared.

Rows come from experiment/runs.py (the same summaries `tui-nn runs` prints); charts are
textual-plotext plots, each run with its own marker as well as its own colour.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static
from textual_plotext import PlotextPlot

from ...common import paths
from ...common.atomic import atomic_write_text
from ...experiment.models import model_path
from ...experiment.records import read_record
from ...render.charts import MARKERS
from ...render.formatting import accuracy_text
from ...runs.compare import (comparison_rows, curves, export_csv, export_json, run_label, series_labels)
from ...runs.folder import MODEL_ONLY, SORT_KEYS, RunSummary, load_runs, sort_runs
from ..navigation import Confusion, Draw, Weights, go
from ..widgets.epoch_table import EpochTable
from ..widgets.scrolling import Table
from .dialogs import ConfirmScreen

#: (heading, width) of the runs table: with one cell of padding each side they fill 80 columns.
RUN_COLUMNS = ((" ", 1), ("start", 5), ("preset", 14), ("settings", 18), ("test", 7), ("val", 7), ("status", 9),
               ("time", 5))

#: What the comparison chart can show, in the order `m` steps through them.
CHART_METRICS = ("test_accuracy", "val_accuracy", "train_accuracy", "train_loss", "val_loss")


def draw_chart(plot: PlotextPlot, series: list[tuple[str, list[int], list[float]]], metric: str) -> None:
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    for index, (label, xs, ys) in enumerate(series):
        if xs:
            plt.plot(xs, ys, marker=MARKERS[index % len(MARKERS)], label=f"{MARKERS[index % len(MARKERS)]} {label}")
    plt.title(metric.replace("_", " "))
    plt.xlabel("epoch")
    plot.refresh()


class RunsScreen(Screen):
    """All recorded runs, newest first; space selects, c compares, Enter opens one."""

    HELP_TITLE = "Runs"
    DEFAULT_CSS = """
    RunsScreen #runs { height: 1fr; scrollbar-size-vertical: 1; }
    RunsScreen #filter { height: 1; border: none; }
    RunsScreen #runs-status { height: 1; padding: 0 1; background: $panel; }
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
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, folder: Path | None = None, title: str = "") -> None:
        """The single runs, or the runs of one sweep (its ``folder``)."""
        super().__init__()
        self.folder, self.title = folder, title
        self.runs: list[RunSummary] = []
        self.shown: list[RunSummary] = []
        self.selected: set[str] = set()
        self.sort = 0
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="runs-status")
        yield Input(placeholder="filter: words that every row shown must hold (Enter: back to the table)",
                    id="filter", compact=True)
        yield Table(id="runs", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#runs", DataTable)
        for heading, width in RUN_COLUMNS:
            table.add_column(heading, width=width)
        self.reload()
        table.focus()

    def reload(self) -> None:
        self.runs, self.problems = load_runs(self.app.home, self.folder)
        self.refilter()

    def refilter(self) -> None:
        text = self.query_one("#filter", Input).value
        self.shown = sort_runs([r for r in self.runs if r.matches(text)], SORT_KEYS[self.sort])
        table = self.query_one("#runs", DataTable)
        row = table.cursor_row
        table.clear()
        for run in self.shown:
            mark = "*" if run.id in self.selected else " "
            cells = (mark, started_text(run.started), run.preset, run.settings, accuracy_text(run.test_accuracy),
                     accuracy_text(run.best_val_accuracy), run.status, run.time_text)
            table.add_row(*(cell[:width] for cell, (_, width) in zip(cells, RUN_COLUMNS)), key=run.id)
        if self.shown:
            table.move_cursor(row=min(row, len(self.shown) - 1))
        skipped = f", {len(self.problems)} unreadable file(s) skipped" if self.problems else ""
        self.query_one("#runs-status", Static).update(
            f"{self.title + ': ' if self.title else ''}[b]{len(self.shown)}[/b] of {len(self.runs)} run(s), "
            f"sorted by {SORT_KEYS[self.sort]} (o), "
            f"{len(self.selected)} selected{skipped}")

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
            self.app.push_screen(RunScreen(run.path))

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
        runs = self.chosen()
        if not runs:
            return
        what = runs[0].id if len(runs) == 1 else f"{len(runs)} runs"

        def answered(yes: bool | None) -> None:
            if yes:
                for run in runs:  # a record and the model kept beside it go together
                    run.path.unlink(missing_ok=True)
                    model_path(run.path).unlink(missing_ok=True)
                    self.selected.discard(run.id)
                self.notify(f"deleted {what}")
                self.reload()

        self.app.push_screen(ConfirmScreen(f"Delete {what} (its record and its model)? This cannot be undone."), answered)

    def action_export(self) -> None:
        runs = self.recorded()
        if not runs:
            return
        written = export_runs([r.path for r in runs], self.app.home)
        self.notify(f"wrote {written[0].name} and {written[1].name} in {written[0].parent}")

    def action_back(self) -> None:
        if self.focused is self.query_one("#filter", Input):
            self.query_one("#runs", DataTable).focus()
            return
        self.app.pop_screen()


def started_text(iso: str) -> str:
    """``22:59`` for a run of today, ``11-23`` for an older one (from the record's ISO time)."""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso[:5]
    return when.strftime("%H:%M") if when.date() == datetime.now().astimezone().date() else when.strftime("%m-%d")


def export_runs(record_paths: list[Path], home: Path) -> tuple[Path, Path]:
    """CSV and JSON of the runs' per-epoch metrics and specs, in the exports folder."""
    records = [read_record(path) for path in record_paths]
    ids = [path.stem for path in record_paths]
    folder = paths.runs_dir(home).parent / "exports"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    csv_path, json_path = folder / f"runs-{stamp}.csv", folder / f"runs-{stamp}.json"
    atomic_write_text(csv_path, export_csv(ids, records))
    atomic_write_text(json_path, export_json(ids, records))
    return csv_path, json_path


class RunScreen(Screen):
    """One run: its per-epoch table beside its curves (m: the metric)."""

    HELP_TITLE = "Run"
    DEFAULT_CSS = """
    RunScreen #run-title { height: 2; padding: 0 1; background: $panel; }
    RunScreen EpochTable { width: 50; }
    RunScreen PlotextPlot { width: 1fr; }
    """
    BINDINGS = [Binding("m", "metric", "Metric"), Binding("escape", "back", "Back")]

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.record = read_record(path)
        self.metric = 0

    def compose(self) -> ComposeResult:
        final = self.record.get("final") or {}
        yield Static(f"[b]{run_label(self.path.stem, self.record)}[/b] ({self.record.get('status')}): "
                     f"test {accuracy_text(final.get('test_accuracy'))}\n{self.path}", id="run-title")
        with Horizontal():
            yield EpochTable(id="run-epochs")
            yield PlotextPlot(id="run-chart")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(EpochTable)
        for epoch in self.record["epochs"]:
            table.add_metrics(epoch)
        self.draw()

    def draw(self) -> None:
        metric = CHART_METRICS[self.metric]
        draw_chart(self.query_one(PlotextPlot), [(self.record.get("preset", "run"), *curves(self.record, metric))],
                   metric)

    def action_metric(self) -> None:
        self.metric = (self.metric + 1) % len(CHART_METRICS)
        self.draw()

    def action_back(self) -> None:
        self.app.pop_screen()


class CompareScreen(Screen):
    """Several runs: their curves overlaid (one marker each, a legend) and the settings that
    differ against the final metrics."""

    HELP_TITLE = "Compare"
    DEFAULT_CSS = """
    CompareScreen PlotextPlot { height: 1fr; }
    CompareScreen #compare-table { height: auto; max-height: 8; }
    """
    BINDINGS = [Binding("m", "metric", "Metric"), Binding("x", "export", "Export"), Binding("escape", "back", "Back")]

    def __init__(self, record_paths: list[Path]):
        super().__init__()
        self.paths = record_paths
        self.records = [read_record(path) for path in record_paths]
        self.metric = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlotextPlot(id="compare-chart")
            yield Table(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        header, rows = comparison_rows([p.stem for p in self.paths], self.records)
        # The final metrics first (the settings that differ can be many; they scroll sideways).
        metrics = len(header) - 4
        table = self.query_one("#compare-table", DataTable)
        table.add_columns("mark", *header[metrics:], *header[1:metrics])
        for index, row in enumerate(rows):
            table.add_row(Text(MARKERS[index % len(MARKERS)]), *row[metrics:], *row[1:metrics])
        self.draw()

    def draw(self) -> None:
        metric = CHART_METRICS[self.metric]
        labels = series_labels([p.stem for p in self.paths], self.records)
        series = [(label, *curves(r, metric)) for label, r in zip(labels, self.records)]
        draw_chart(self.query_one(PlotextPlot), series, metric)

    def action_metric(self) -> None:
        self.metric = (self.metric + 1) % len(CHART_METRICS)
        self.draw()

    def action_export(self) -> None:
        written = export_runs(self.paths, self.app.home)
        self.notify(f"wrote {written[0].name} and {written[1].name} in {written[0].parent}")

    def action_back(self) -> None:
        self.app.pop_screen()
