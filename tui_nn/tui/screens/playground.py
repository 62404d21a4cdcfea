"""The playground: a problem of one or two inputs training live, as TensorFlow Playground shows it.

The data points as glyphs over the network's decision regions (or output surface, or fitted curve),
each hidden unit's small map, the train and test loss, and keys that change the spec and start
again. Whatever is on screen is a spec (``self.spec``): ctrl+s saves it as a preset that
``tui-nn run`` trains to the same numbers, and every run here writes a record ``tui-nn replay``
reproduces.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from ...engine.control import Control
from ...engine.events import EpochEnd, Finished, Started
from ...experiment.build import load_spec_dataset
from ...experiment.presets import (
    Preset,
    builtin_presets,
    check_preset_name,
    save_user_preset,
)
from ...experiment.records import RunRecorder, default_record_path
from ...experiment.session import prepare
from ...experiment.spec.parse import check_spec
from ...render.playground_view import PlaygroundView
from .. import playground_spec as pg
from ..playground_runner import PictureReady, RunEvent, run_playground
from ..widgets.decision_view import DecisionMap, UnitMaps
from ..widgets.metric_sparkline import MetricSparkline
from .dialogs import NameScreen

SWITCH_INTERVAL = 0.001  # seconds: see on_mount
FLUSH_INTERVAL = 0.1  # seconds between updates of the curves and the status line while it trains

CSS = """
PlaygroundScreen #pg-status { height: 1; }
PlaygroundScreen #pg-body { height: 1fr; }
PlaygroundScreen #pg-left { width: 42; }
PlaygroundScreen #pg-map { height: 1fr; }
PlaygroundScreen #pg-right { width: 1fr; padding-left: 1; }
PlaygroundScreen #pg-spec { height: 4; }
PlaygroundScreen #pg-units { height: 1fr; }
PlaygroundScreen #pg-keys { height: 3; color: $text-muted; }
"""


#: The keys that change the spec, beside the pictures (the footer has room for a few only).
KEYS = ("d/D data  n/N noise  f inputs\n"
        "l/L layer  ←→ pick  +/- units  a act\n"
        "r/R lr  g reg  w/W reg rate  p pause")


class PlaygroundScreen(Screen):
    DEFAULT_CSS = CSS
    HELP_TITLE = "Playground"
    BINDINGS = [
        Binding("space", "restart", "Restart", key_display="space"),
        Binding("d", "dataset(1)", "Next dataset", show=False),
        Binding("D", "dataset(-1)", "Previous dataset", show=False),
        Binding("n", "noise(1)", "More noise (+5%)", show=False),
        Binding("N", "noise(-1)", "Less noise (-5%)", show=False),
        Binding("f", "features", "Next inputs: +x1*x2, +squares, +sines, all", show=False),
        Binding("l", "add_layer", "Add a hidden layer after the picked one", show=False),
        Binding("L", "remove_layer", "Remove the picked hidden layer", show=False),
        Binding("left", "select_layer(-1)", "Pick the hidden layer before", show=False, key_display="←"),
        Binding("right", "select_layer(1)", "Pick the hidden layer after", show=False, key_display="→"),
        Binding("plus,equals_sign", "units(1)", "A unit more in the picked layer (to 8)", show=False,
                key_display="+"),
        Binding("minus", "units(-1)", "A unit fewer in the picked layer", show=False, key_display="-"),
        Binding("a", "activation", "Next activation of the hidden layers", show=False),
        Binding("r", "learning_rate(1)", "Higher learning rate", show=False),
        Binding("R", "learning_rate(-1)", "Lower learning rate", show=False),
        Binding("g", "regularization", "Regularization: none, L1, L2", show=False),
        Binding("w", "regularization_rate(1)", "Higher regularization rate", show=False),
        Binding("W", "regularization_rate(-1)", "Lower regularization rate", show=False),
        Binding("p", "pause", "Pause"),
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back"),
    ]
    HELP_NOTE = ("Each key changes the spec and trains it again from the start. ctrl+s saves the spec as "
                 "a preset: tui-nn run trains it to the same numbers. Points: one glyph per class; regions: "
                 "one shade per class; a regression's output from low to high on a ramp, beside its target.")

    def __init__(self, preset: Preset):
        super().__init__()
        self.preset = preset
        self.spec = preset.spec
        self.selected = 0  # the hidden layer that units +/- and layer +/- act on
        self.run = 0  # each (re)start is a new run; events of older ones are dropped
        self.control = Control()
        self.state = "starting"
        self.epoch = 0
        self.losses: tuple[float | None, float | None] = (None, None)
        self.final: EpochEnd | None = None  # the last epoch of the current run
        self.record_path = None
        self.view: PlaygroundView | None = None
        self.worker: Worker | None = None
        self.pending: list[tuple[float, float | None]] = []  # epochs' losses not yet on the curves

    def compose(self) -> ComposeResult:
        yield Static("", id="pg-status")
        with Horizontal(id="pg-body"):
            with Vertical(id="pg-left"):
                yield Static("", id="pg-map")
            with Vertical(id="pg-right"):
                yield Static("", id="pg-spec")
                yield UnitMaps(self.app.ascii_art, id="pg-units")
                yield Static(KEYS, id="pg-keys")
                yield MetricSparkline("train loss", False, False, id="spark-train")
                yield MetricSparkline("test loss", False, False, id="spark-test")
        yield Footer()

    def on_mount(self) -> None:
        # The training thread holds the GIL between NumPy calls; the UI thread gets it back only
        # when the holder is asked to switch, by default after 5 ms, and it asks again at every
        # turn of its event loop, so a key could wait tens of ms. A small network's steps are
        # short: switching every millisecond costs its training little and keeps keys prompt.
        self.switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.set_interval(FLUSH_INTERVAL, self.flush)
        self.restart()

    # -- running -----------------------------------------------------------------------------

    def restart(self) -> None:
        """Stop the run (its thread sees the stop between batches) and train ``self.spec`` afresh."""
        self.control.stop()
        self.control = Control()
        self.run += 1
        self.state, self.epoch, self.losses, self.final = "starting", 0, (None, None), None
        self.pending = []
        for spark in self.query(MetricSparkline):
            spark.values = []
            spark.append(None)
        self.selected = min(self.selected, max(0, len(pg.hidden(self.spec)) - 1))
        self.show_spec()
        self.update_status()
        self.record_path = default_record_path(self.app.home, self.record_key())
        self.worker = self.train(self.spec, self.run, self.control, self.record_path, self.map_size())

    def record_key(self) -> str:
        return self.preset.key if self.spec == self.preset.spec else "playground"

    def map_size(self) -> tuple[int, int]:
        """Grid columns and rows that fill the map's area (with its frame, axes and legend)."""
        size = self.query_one("#pg-left").size
        width, height = (size.width or 42), (size.height or 22)
        return max(16, width - 2), max(6, height - 5)

    @work(thread=True, exit_on_error=False, group="playground")
    def train(self, spec, run: int, control: Control, record_path, size: tuple[int, int]) -> None:
        dataset = load_spec_dataset(spec, str(self.app.home))  # generated from the spec's seed: cheap
        session = prepare(spec, str(self.app.home), dataset=dataset)
        view = PlaygroundView.from_session(session)
        if view is None:
            raise ValueError("the playground shows tables of one or two inputs")
        self.app.call_from_thread(self.set_view, run, view, session.spec)
        recorder = RunRecorder(record_path, spec, self.record_key(), data=session.data_summary())
        run_playground(session, view, control, recorder, self, run, size)

    async def set_view(self, run: int, view: PlaygroundView, spec) -> None:
        """A new run's data: the map widget is made anew for it (its points, classes, axes). The
        spec is the one trained, with the defaults that fit a table filled in (a CSV file given
        only its path and target): the keys change that one, and saving saves it."""
        if run != self.run:
            return
        if self.spec == self.preset.spec:
            self.preset = replace(self.preset, spec=spec)
        self.spec = spec
        self.show_spec()
        self.update_status()
        self.view = view
        left = self.query_one("#pg-left")
        await left.remove_children()
        await left.mount(DecisionMap(view.train_rows, view.train_targets, view.classes, view.class_names, view.columns,
                               self.app.ascii_art, self.map_size(), id="pg-map"))

    @on(Worker.StateChanged)
    def worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "playground" and event.state == WorkerState.ERROR:
            if event.worker is self.worker:
                self.state = "failed"
            self.notify(f"training failed: {event.worker.error}", severity="error")
            self.update_status()

    def on_run_event(self, message: RunEvent) -> None:
        if message.run != self.run:
            return
        event = message.event
        if isinstance(event, Started):
            self.state = "training"
        elif isinstance(event, EpochEnd):
            self.epoch, self.final = event.epoch, event
            self.losses = (event.train_loss, event.test_loss)
            self.pending.append((event.train_loss, event.test_loss))
            return  # shown by ``flush``: a small network ends dozens of epochs a second
        elif isinstance(event, Finished):
            self.state = event.status
            self.flush()
        self.update_status()

    def flush(self) -> None:
        """The epochs ended since the last flush, onto the curves and the status line at once."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        for index, spark in enumerate((self.query_one("#spark-train", MetricSparkline),
                                       self.query_one("#spark-test", MetricSparkline))):
            values = [losses[index] for losses in pending if losses[index] is not None]
            if values:
                spark.values.extend(values[:-1])
                spark.append(values[-1])
        self.update_status()

    def on_picture_ready(self, message: PictureReady) -> None:
        picture = message.picture
        if picture.run != self.run:
            return
        maps = self.query(DecisionMap)
        if maps:
            maps.first().show(picture)
        widths = [layer.units for layer in pg.hidden(self.spec)]
        self.query_one(UnitMaps).show(picture.units, widths, pg.activation_of(self.spec))

    @property
    def redraws(self) -> int:
        maps = self.query(DecisionMap)
        return maps.first().redraws if maps else 0

    @property
    def running(self) -> bool:
        return self.state in ("starting", "training")

    # -- showing -----------------------------------------------------------------------------

    def show_spec(self) -> None:
        self.query_one("#pg-spec", Static).update("\n".join(pg.describe(self.spec, self.selected)), layout=False)

    def update_status(self) -> None:
        state = "paused" if self.control.paused and self.running else self.state
        epochs = self.spec.training.epochs
        text = f"{self.record_key()}  epoch {self.epoch}/{epochs}"
        final = self.final
        if final is not None and final.regression and final.test_r2 is not None:
            text += f"  test R2 {final.test_r2:.3f}"
        elif final is not None and final.test_accuracy is not None:
            text += f"  test {final.test_accuracy:.1%}"
        self.query_one("#pg-status", Static).update(f"{text}  ({state})", layout=False)

    # -- keys: each changes the spec and starts again ----------------------------------------

    def change(self, spec) -> None:
        if spec == self.spec:
            return
        problems = check_spec(spec)
        if problems:
            self.notify(str(problems[0]), severity="warning")
            return
        self.spec = spec
        self.restart()

    def action_restart(self) -> None:
        self.restart()

    def action_dataset(self, direction: int) -> None:
        self.change(pg.next_dataset(self.spec, direction))

    def action_noise(self, direction: int) -> None:
        self.change(pg.change_noise(self.spec, direction))

    def action_features(self) -> None:
        if not pg.two_inputs(self.spec):
            self.notify("a function of one input has no features to add")
        self.change(pg.next_features(self.spec))

    def action_add_layer(self) -> None:
        self.change(pg.add_layer(self.spec, self.selected))
        self.selected = min(self.selected + 1, len(pg.hidden(self.spec)) - 1)
        self.show_spec()

    def action_remove_layer(self) -> None:
        self.change(pg.remove_layer(self.spec, self.selected))

    def action_select_layer(self, direction: int) -> None:
        layers = len(pg.hidden(self.spec))
        if layers:
            self.selected = (self.selected + direction) % layers
            self.show_spec()

    def action_units(self, direction: int) -> None:
        self.change(pg.change_units(self.spec, self.selected, direction))

    def action_activation(self) -> None:
        self.change(pg.next_activation(self.spec))

    def action_learning_rate(self, direction: int) -> None:
        self.change(pg.change_learning_rate(self.spec, direction))

    def action_regularization(self) -> None:
        self.change(pg.next_regularization(self.spec))

    def action_regularization_rate(self, direction: int) -> None:
        self.change(pg.change_regularization_rate(self.spec, direction))

    def action_pause(self) -> None:
        if not self.running:
            return
        self.control.resume() if self.control.paused else self.control.pause()
        self.update_status()

    def action_save(self) -> None:
        builtin_keys = {p.key for p in builtin_presets()}

        def check(name: str) -> str | None:
            return "a built-in preset has that name; choose another" if name in builtin_keys \
                else check_preset_name(name)

        def done(name: str | None) -> None:
            if name:
                path = save_user_preset(self.preset_named(name), self.app.home)
                self.notify(f"saved {path}")

        initial = "" if self.preset.builtin else self.preset.key
        self.app.push_screen(NameScreen("Save as preset (a plain file name):", initial, check), done)

    def preset_named(self, key: str) -> Preset:
        unchanged = self.spec == self.preset.spec
        description = "Made in the playground: " + "; ".join(" ".join(line.split()) for line in pg.describe(self.spec, -1)) + "."
        return replace(self.preset, key=key, name=self.preset.name if unchanged else f"Playground: {key}",
                       description=self.preset.description if unchanged else description, spec=self.spec,
                       builtin=False, path=None, minutes=None, reference=self.preset.reference if unchanged else "",
                       expected=self.preset.expected if unchanged else None)

    def action_back(self) -> None:
        self.control.stop()
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self.control.stop()
        sys.setswitchinterval(self.switch_interval)
