"""A sweep preset's live leaderboard: points train in worker processes, the table re-ranks as
each finishes (mean and spread over seeds), and the results open in the comparison view."""

from __future__ import annotations

import os
import threading
import time

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...experiment.presets import Preset, spec_task
from ...experiment.sweep_plan import Point, SweepPlan, parse_plan, points
from ...runs.folder import plan_point_names
from ...runs.sweep import SweepProgress, SweepStopped, run_sweep, sweep_folder
from ...runs.sweep_results import (
    GroupResult,
    diverged_note,
    edge_warnings,
    iter_finished,
    results,
    score_value_text,
    write_summary,
)
from ..navigation import Compare, Runs, go
from ..widgets.scrolling import Table
from .dialogs import back_after_asking

#: The leaderboard's mean: of each point's score over its seeds (runs/sweep_results.py: the final
#: test accuracy, else the best validation accuracy).
MEAN_HEADING = "mean test acc"


class PointFinished(Message):
    def __init__(self, point: Point, record: dict, done: int) -> None:
        super().__init__()
        self.point, self.record, self.done = point, record, done


class SweepEnded(Message):
    def __init__(self, status: str, detail: str = "") -> None:
        super().__init__()
        self.status, self.detail = status, detail


class SweepScreen(Screen):
    HELP_TITLE = "Sweep"
    DEFAULT_CSS = """
    SweepScreen #sweep-status { height: auto; max-height: 3; padding: 0 1; background: $panel; }
    SweepScreen #leaderboard { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [
        Binding("c", "compare", "Compare"),
        Binding("r", "runs", "Runs"),
        Binding("s", "stop", "Stop"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, preset: Preset, processes: int | None = None):
        super().__init__()
        self.preset = preset
        self.plan: SweepPlan = parse_plan(preset.sweep or {})[0]
        self.all_points, _ = points(preset.spec, self.plan)
        self.folder = None  # on mount: it lies in the app's home
        self.records: dict[str, dict] = {}
        self.processes = processes or max(1, os.cpu_count() or 1)
        self.state = "starting"
        self.stopping = threading.Event()
        self.started = time.monotonic()
        self.note = ""
        self.ticker = None
        self.ended: float | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="sweep-status")
        yield Table(id="leaderboard", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.folder = sweep_folder(self.app.home, self.preset.key)
        self.records = {point.id: record for point, record in iter_finished(self.folder, self.all_points)}
        self.progress = SweepProgress(len(self.all_points), done=len(self.records), reused=len(self.records))
        table = self.query_one(DataTable)
        keys = list(self.all_points[0].settings) if self.all_points else []
        heading = "mean test R^2" if spec_task(self.preset.spec) == "regression" else MEAN_HEADING
        table.add_columns("#", *keys, "runs", heading, "sd")
        self.refresh_board()
        self.state = "training" if len(self.records) < len(self.all_points) else "completed"
        if self.state == "training":
            self.train()
            self.ticker = self.set_interval(1, self.update_status)  # the time it has run, between points
        self.update_status()

    @work(thread=True, exclusive=True, group="sweep", name="sweep")
    def train(self) -> None:
        todo = [p for p in self.all_points if p.id not in self.records]

        def on_point(point: Point, record: dict, progress: SweepProgress) -> None:
            self.post_message(PointFinished(point, record, progress.done))

        try:
            run_sweep(self.preset.key, todo, self.folder, self.app.home, self.processes, on_point, self.progress,
                      stop=self.stopping.is_set, quiet_workers=True)
        except SweepStopped:
            self.post_message(SweepEnded("stopped"))
            return
        except Exception as error:  # reported on screen; the finished points are stored
            self.post_message(SweepEnded("failed", f"{type(error).__name__}: {error}"))
            return
        self.post_message(SweepEnded("completed"))

    def on_point_finished(self, message: PointFinished) -> None:
        self.records[message.point.id] = message.record
        self.refresh_board()
        self.update_status()

    def on_sweep_ended(self, message: SweepEnded) -> None:
        self.state = message.status
        self.ended = time.monotonic()
        if self.ticker is not None:
            self.ticker.stop()
        write_summary(self.folder, self.preset.key, self.plan, self.all_points, self.records, self.progress,
                      "processes")
        warnings = [*edge_warnings(self.plan, results(self.all_points, self.records)),
                    *filter(None, [diverged_note(self.all_points, self.records)])]
        self.note = "; ".join(filter(None, [message.detail, *warnings, *self.progress.failures[:2]]))
        self.update_status()

    def ranked(self) -> list[GroupResult]:
        groups = results(self.all_points, self.records)
        return sorted(groups, key=lambda g: (not g.scores, -(g.mean if g.scores else 0.0)))

    def refresh_board(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for rank, group in enumerate(self.ranked(), start=1):
            values = [f"{v:g}" if isinstance(v, float) else str(v) for v in group.settings.values()]
            if group.scores:  # one run has no spread to show
                table.add_row(str(rank), *values, str(len(group.scores)), score_value_text(group.mean, group.kind),
                              score_value_text(group.sd, group.kind) if len(group.scores) > 1 else "")
            else:
                table.add_row("-", *values, "0", "-", "-")

    def update_status(self) -> None:
        elapsed = (self.ended or time.monotonic()) - self.started
        done, total = len(self.records), len(self.all_points)
        workers = f" on {self.processes} worker processes" if self.state == "training" else ""
        text = (f"[b]{self.preset.key}[/b] sweep: {done}/{total} run(s) recorded ({self.progress.reused} from "
                f"before){workers}, {elapsed:.0f}s  ({self.state})")
        if self.note:
            text += f"\n{self.note}"
        self.query_one("#sweep-status", Static).update(text)
        self.refresh_bindings()

    @property
    def running(self) -> bool:
        return self.state in ("starting", "training")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "stop":
            return self.running
        return True

    def action_stop(self) -> None:
        if self.running:
            self.stopping.set()
            self.note = "stopping: the points in training are dropped; finished ones stay recorded"
            self.update_status()

    def action_runs(self) -> None:
        """Every finished point as a run (one per seed), with its model's screens."""
        names = plan_point_names(self.all_points)  # this plan's names, over those recorded under another
        go(self, Runs(self.folder, title=f"sweep {self.preset.key}", names=tuple(names.items())))

    def action_compare(self) -> None:
        paths = [self.folder / f"{point.id}.json" for point in self.all_points if point.id in self.records]
        if not paths:
            self.notify("no point has finished yet")
            return
        go(self, Compare(tuple(paths[:10])))
        if len(paths) > 10:
            self.notify(f"comparing the first 10 of {len(paths)} runs")

    def action_back(self) -> None:
        back_after_asking(self, self.running, "The sweep is running. Stop it and go back?", self.stopping.set)

    def on_unmount(self) -> None:
        self.stopping.set()
