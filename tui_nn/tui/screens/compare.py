"""One run's epochs and curves, and several runs compared: the curves overlaid, each run with its
own marker, and a table below that is the chart's legend (the marker, a label built from what
differs between the runs, the final metrics and the settings that differ).

Labels come from runs/labels.py, the same ones `tui-nn compare` prints.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual_plotext import PlotextPlot

from ...common import paths
from ...common.atomic import atomic_write_text
from ...experiment.records import read_record
from ...render.charts import MARKERS
from ...render.formatting import accuracy_text
from ...runs.compare import comparison_rows, curves, export_csv, export_json, run_label
from ...runs.labels import series_labels
from ..widgets.epoch_table import EpochTable
from ..widgets.scrolling import Table

#: The legend's labels: the table below the chart has room for more than a legend inside one.
LABEL_WIDTH = 40

#: What the charts can show, in the order `m` steps through them.
CHART_METRICS = ("test_accuracy", "val_accuracy", "train_accuracy", "train_loss", "val_loss")


def draw_chart(plot: PlotextPlot, series: list[tuple[str, list[int], list[float]]], metric: str) -> None:
    """The curves, one marker each and no legend box over them (the table below names each marker)."""
    plt = plot.plt
    plt.clear_data()
    plt.clear_figure()
    for index, (_label, xs, ys) in enumerate(series):
        if xs:
            plt.plot(xs, ys, marker=MARKERS[index % len(MARKERS)])
    plt.title(metric.replace("_", " "))
    plt.xlabel("epoch")
    plot.refresh()


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

    def __init__(self, path: Path, name: str = ""):
        """``name``: what the run is called where it was picked (a sweep point by its settings)."""
        super().__init__()
        self.path = path
        self.record = read_record(path)
        self.run_name = name or run_label(path.stem, self.record)
        self.metric = 0

    def compose(self) -> ComposeResult:
        final = self.record.get("final") or {}
        yield Static(f"[b]{escape(self.run_name)}[/b] ({self.record.get('status')}): "
                     f"test {accuracy_text(final.get('test_accuracy'))}\n{escape(str(self.path))}", id="run-title")
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
        draw_chart(self.query_one(PlotextPlot), [(self.run_name, *curves(self.record, metric))], metric)

    def action_metric(self) -> None:
        self.metric = (self.metric + 1) % len(CHART_METRICS)
        self.draw()

    def action_back(self) -> None:
        self.app.pop_screen()


class CompareScreen(Screen):
    """Several runs: their curves overlaid (one marker each) above a table that is their legend:
    the marker, the run's label, its final metrics and the settings that differ."""

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
        self.labels = series_labels([p.stem for p in self.paths], self.records, width=LABEL_WIDTH)
        self.metric = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield PlotextPlot(id="compare-chart")
            yield Table(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        header, rows = comparison_rows([p.stem for p in self.paths], self.records)
        # The label and final metrics first (the settings that differ can be many; they scroll sideways).
        metrics = len(header) - 4
        table = self.query_one("#compare-table", DataTable)
        table.add_columns("mark", "run", *header[metrics:], *header[1:metrics])
        for index, (label, row) in enumerate(zip(self.labels, rows)):
            table.add_row(Text(MARKERS[index % len(MARKERS)]), label, *row[metrics:], *row[1:metrics])
        self.draw()

    def draw(self) -> None:
        metric = CHART_METRICS[self.metric]
        series = [(label, *curves(r, metric)) for label, r in zip(self.labels, self.records)]
        draw_chart(self.query_one(PlotextPlot), series, metric)

    def action_metric(self) -> None:
        self.metric = (self.metric + 1) % len(CHART_METRICS)
        self.draw()

    def action_export(self) -> None:
        written = export_runs(self.paths, self.app.home)
        self.notify(f"wrote {written[0].name} and {written[1].name} in {written[0].parent}")

    def action_back(self) -> None:
        self.app.pop_screen()
