"""Training: live status, progress, per-epoch table, curves, diagnostics and an event log."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Footer, RichLog, Static
from textual.worker import Worker, WorkerState

from ...engine.control import Control
from ...engine.events import (BatchProgress, CheckpointSaved, Diverged, EarlyStopped, EpochEnd, Finished, Started,
                              Steered)
from ...experiment import models
from ...experiment.presets import Preset
from ...experiment.records import RunRecorder, default_record_path
from ...experiment.session import prepare
from ...render.formatting import metric_text
from ..messages import Predictions, PredictionsReady, TrainingEvent
from ..navigation import Confusion, Draw, Gallery, Weights, go
from ..runner import run_training
from ..widgets.epoch_table import EpochTable
from ..widgets.metric_sparkline import MetricSparkline
from ..widgets.run_progress import RunProgress
from ..widgets.scrolling import TextLog
from .dialogs import back_after_asking


def outcome(metrics: dict, classes: int) -> str:
    """What the last epoch's held-out accuracy means beside guessing among ``classes`` classes."""
    for split, name in (("test", "test"), ("val", "validation")):
        accuracy = metrics.get(f"{split}_accuracy")
        if accuracy is not None and classes > 1:
            chance = 1 / classes
            if accuracy < chance + CHANCE_MARGIN:
                return (f"{name} accuracy {accuracy:.2%}: about chance for {classes} classes ({chance:.0%}), "
                        f"so the network has not yet learned to tell them apart")
            return f"{name} accuracy {accuracy:.2%} (chance for {classes} classes: {chance:.0%})"
    return ""


#: Within this of 1/classes an accuracy is no better than guessing.
CHANCE_MARGIN = 0.02


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


class TrainingScreen(Screen):
    CSS_PATH = "training.tcss"
    HELP_TITLE = "Training"
    BINDINGS = [
        Binding("p", "pause", "Pause", tooltip="Pause / resume"),
        Binding("s", "stop", "Stop", tooltip="Stop now (finished epochs stay in the record)"),
        # Steering, while the run lasts (the help gives the whole sentence):
        Binding("minus", "learning_rate(0.5)", "lr/2", key_display="-", tooltip="Halve the learning rate"),
        Binding("plus,equals_sign", "learning_rate(2.0)", "lr*2", key_display="+",
                tooltip="Double the learning rate"),
        Binding("e", "stop_at_epoch_end", "Last epoch",
                tooltip="End the run when this epoch ends (it keeps its model)"),
        Binding("g", "gallery", "Gallery", tooltip="Gallery of the test digits, after an epoch"),
        # Once the run has ended and kept its model:
        Binding("v", "model", "Confusion", tooltip="Confusion matrix of the kept model"),
        Binding("w", "weights", "Weights", tooltip="First layer's weights of the kept model"),
        Binding("d", "draw", "Draw", tooltip="Draw a digit for the kept model"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, preset: Preset, record_path: Path | None = None):
        super().__init__()
        self.preset = preset
        self.control = Control()
        self.record_path = record_path  # by default chosen in on_mount, once the app's home is known
        self.state = "starting"
        self.epoch = 0  # the epoch being trained, or the last one trained once the run ends
        self.completed = 0  # epochs finished
        self.batch = 0
        self.epochs = preset.spec.training.epochs
        self.batches = 1
        self.first_epoch = 1  # later when resuming a checkpoint
        self.last_metrics: dict = {}  # the kept network's epoch: the last, or the one early stopping restored
        self.metrics_by_epoch: dict[int, dict] = {}
        self.class_count = 0
        self.failure = ""
        self.summary = ""
        self.epoch_seconds: list[float] = []
        self.epoch_started = time.perf_counter()
        self.samples_per_second = 0.0
        self.predictions: Predictions | None = None
        #: Each epoch's predictions, for the galleries opened from this run.
        self.predictions_published: Signal[Predictions] = Signal(self, "predictions")
        self.events_received: list[object] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        yield RunProgress(self.app.ascii_art, id="progress")
        with Horizontal(id="middle"):
            yield EpochTable(id="epochs")
            with Vertical(id="curves"):
                yield MetricSparkline("train%", True, True, id="spark-train")
                held_out = "test%" if self.preset.spec.data.test_size != 0 else "val%"
                yield MetricSparkline(held_out, True, True, id="spark-test")
                yield MetricSparkline("loss", False, False, id="spark-loss")
        yield Static("", id="diagnostics")
        yield TextLog(id="log", wrap=True, markup=False)
        yield Footer(show_command_palette=False)  # room for the steering keys at 80 columns; ctrl+p still opens it

    def on_mount(self) -> None:
        if self.record_path is None:
            self.record_path = default_record_path(self.app.home, self.preset.key)
        self.update_status()
        self.log_line(f"training {self.preset.key}; record: {self.record_path}")
        self.train()

    @work(thread=True, exclusive=True, exit_on_error=False, group="training", name="training")
    def train(self) -> None:
        spec = self.preset.spec
        session = prepare(spec, str(self.app.home), dataset=self.app.dataset_for(spec))
        self.class_names = session.dataset.class_names
        self.class_count = len(self.class_names or ())
        recorder = RunRecorder(self.record_path, spec, self.preset.key, data=session.data_summary())
        run_training(session, self.control, recorder, self)

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "training":
            return
        if event.state == WorkerState.ERROR:
            self.state = "failed"
            self.failure = str(event.worker.error)
            self.log_line(f"training failed: {self.failure}")
            self.query_one(RunProgress).halt("did not start" if not self.completed else "")
            self.update_status()

    def on_training_event(self, message: TrainingEvent) -> None:
        event = message.event
        self.events_received.append(event)
        if isinstance(event, Started):
            self.state, self.batches = "training", event.batches_per_epoch
            self.epochs, self.epoch = event.epochs, event.first_epoch
            self.completed = event.first_epoch - 1
            self.show_progress()
            self.show_diagnostics("at start", event.diagnostics)
        elif isinstance(event, BatchProgress):
            self.batches, self.samples_per_second = event.batches, event.samples_per_second
            self.epoch, self.batch = event.epoch, event.batch
            self.show_progress()
        elif isinstance(event, EpochEnd):
            self.on_epoch_end(event)
        elif isinstance(event, EarlyStopped):
            if event.restored_best:  # the network is that epoch's again: its numbers are the run's
                self.last_metrics = self.metrics_by_epoch.get(event.best_epoch, self.last_metrics)
            self.log_line(f"early stop at epoch {event.epoch}: best {event.monitor} "
                          f"{metric_text(event.monitor, event.best_value)} at epoch "
                          f"{event.best_epoch}{' (weights restored)' if event.restored_best else ''}")
        elif isinstance(event, Diverged):
            self.log_line(f"DIVERGED: {event.reason}")
        elif isinstance(event, CheckpointSaved):
            self.log_line(f"checkpoint saved: {event.path}")
        elif isinstance(event, Steered):
            if event.what == "learning_rate":
                self.log_line(f"learning rate now {event.value:.4g} (x{event.factor:g} the schedule's) from epoch "
                              f"{event.epoch}, batch {event.batch}; recorded, so replay does the same")
            else:
                self.log_line(f"stopping when epoch {event.epoch} ends (asked at batch {event.batch})")
        elif isinstance(event, Finished):
            self.on_finished(event)
        self.update_status()

    def on_finished(self, event: Finished) -> None:
        self.state = event.status
        if event.status == "stopped" and self.model_path() is not None:
            self.state = "ended as asked"  # at an epoch's end: a finished run with its model
        self.query_one(RunProgress).halt(self.state)
        epochs = f"{event.epochs_completed} epoch{'' if event.epochs_completed == 1 else 's'}"
        self.log_line(f"{self.state} after {epochs} in {clock(event.seconds)}; record saved: {self.record_path}")
        self.summary = outcome(self.last_metrics, self.class_count)
        if self.summary:
            self.log_line(self.summary)

    def show_progress(self) -> None:
        """The whole run's batches: the epochs before this one and this one's batches so far."""
        total = self.batches * max(self.epochs - self.first_epoch + 1, 1)
        self.query_one(RunProgress).show((self.epoch - self.first_epoch) * self.batches + self.batch, total)

    def on_epoch_end(self, event: EpochEnd) -> None:
        self.epoch = self.completed = event.epoch
        self.batch = self.batches
        self.last_metrics = event.metrics()
        self.metrics_by_epoch[event.epoch] = self.last_metrics
        self.show_progress()
        self.epoch_seconds.append(event.seconds)
        self.samples_per_second = event.samples_per_second
        self.query_one(EpochTable).add_epoch(event)
        self.query_one("#spark-train", MetricSparkline).append(event.train_accuracy)
        held_out = event.test_accuracy if event.test_accuracy is not None else event.val_accuracy
        self.query_one("#spark-test", MetricSparkline).append(held_out)
        self.query_one("#spark-loss", MetricSparkline).append(event.train_loss)
        self.show_diagnostics(f"epoch {event.epoch}", event.diagnostics)

    def on_predictions_ready(self, message: PredictionsReady) -> None:
        self.predictions = message.predictions
        self.predictions_published.publish(message.predictions)

    def show_diagnostics(self, when: str, diagnostics) -> None:
        """One line when it fits the screen, else the dead ReLU fractions on a line of their own."""
        norms = " ".join(f"{v:.3g}" for v in diagnostics.grad_norms.values())
        dead = " ".join(f"{v:.0%}" for v in diagnostics.dead_fractions.values())
        text = f"|grad b| per layer ({when}): {norms or '-'}"
        if dead:
            together = f"{text}   dead ReLU: {dead}"
            text = together if len(together) <= self.size.width - 2 else f"{text}\ndead ReLU per layer: {dead}"
        self.query_one("#diagnostics", Static).update(text)

    def update_status(self) -> None:
        eta = ""
        if self.epoch_seconds and self.state == "training":
            per_epoch = sum(self.epoch_seconds) / len(self.epoch_seconds)
            left = self.epochs - self.completed - (self.batch / self.batches if self.epoch > self.completed else 0)
            eta = f"  ETA {clock(per_epoch * left)}"
        speed = f"  {self.samples_per_second:,.0f} samples/s" if self.samples_per_second else ""
        paused = "paused" if self.control.paused and self.state == "training" else self.state
        self.refresh_bindings()  # pause and stop only while running (check_action)
        where = f"epoch {self.epoch}/{self.epochs}"
        if self.state == "training" and self.epoch > self.completed:
            where += f" batch {self.batch}/{self.batches}"
        elif not self.running:  # a run stopped inside an epoch has not done that one
            where = f"{self.completed}/{self.epochs} epochs done"
        rest = f"  {where}{eta}{speed}  ({paused})"
        if len(self.preset.key) + len(rest) > self.size.width - 2:
            rest = f"  {where}{eta}  ({paused})"  # the speed is the first thing to go at 80 columns
        self.query_one("#status", Static).update(Text.assemble((self.preset.key, "bold"), rest))
        if self.failure:
            diagnostics = self.query_one("#diagnostics", Static)
            diagnostics.add_class("failed")  # the whole reason, however many lines it takes
            diagnostics.update(f"{'stopped' if self.completed else 'did not start'}: {self.failure}")

    def log_line(self, text: str) -> None:
        self.query_one(RichLog).write(text)

    @property
    def running(self) -> bool:
        return self.state in ("starting", "training")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Pause, stop and steering leave the footer (and do nothing) once the run has ended; the
        model's screens appear then, when the run kept one."""
        if action in ("pause", "stop", "learning_rate", "stop_at_epoch_end"):
            return self.running
        if action in ("model", "weights", "draw"):
            return self.model_path() is not None
        if action == "gallery":  # while running it says when it will fill; after, only if it has
            return self.running or self.predictions is not None
        return True

    def model_path(self):
        """The model this run kept (runs that end at an epoch's end keep one), or None."""
        if self.running or self.record_path is None:
            return None
        path = models.model_path(self.record_path)
        return path if path.is_file() else None

    def action_model(self) -> None:
        if self.model_path() is not None:
            go(self, Confusion(self.model_path()))

    def action_weights(self) -> None:
        if self.model_path() is not None:
            go(self, Weights(self.model_path()))

    def action_draw(self) -> None:
        if self.model_path() is not None:
            go(self, Draw(self.model_path()))

    def action_learning_rate(self, factor: float) -> None:
        if self.running:
            self.control.steer("lr", factor)

    def action_stop_at_epoch_end(self) -> None:
        if self.running:
            self.control.steer("stop_at_epoch_end")

    def action_pause(self) -> None:
        if not self.running:
            return
        if self.control.paused:
            self.control.resume()
            self.log_line("resumed")
        else:
            self.control.pause()
            self.log_line("paused (p resumes)")
        self.update_status()

    def action_stop(self) -> None:
        if self.running:
            self.control.stop()
            self.log_line("stopping after this batch; finished epochs stay in the record")

    def action_gallery(self) -> None:
        if not self.check_action("gallery", ()):
            return
        if self.predictions is None:
            self.notify("the gallery fills after the first epoch")
            return
        go(self, Gallery(self.predictions, getattr(self, "class_names", None), updates=self.predictions_published))

    def action_back(self) -> None:
        back_after_asking(self, self.running, "Training is running. Stop it and go back?", self.control.stop)

    def on_unmount(self) -> None:
        self.control.stop()  # a thread worker cannot be cancelled; the loop sees this between batches
