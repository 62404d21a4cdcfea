"""SVG snapshots of the four screens at 80x24 (pytest-textual-snapshot; versions pinned in the dev extra).

Whatever would change from run to run (timings, paths, the predictions of a real training) is
scripted, so a snapshot changes only when what the screen draws changes. Update them after an
intended change with `python -m pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from pathlib import Path

import numpy as np

from tui_nn.engine.events import BatchProgress, Diagnostics, EpochEnd, Finished, Started
from tui_nn.experiment.presets import find_preset
from tui_nn.tui.messages import Predictions, PredictionsReady, TrainingEvent
from tui_nn.tui.screens import training as training_module
from tui_nn.tui.screens.gallery import GalleryScreen
from tui_nn.tui.screens.training import TrainingScreen

from .helpers import open_editor

SIZE = (80, 24)


def scripted_predictions(mnist, count: int = 200) -> Predictions:
    """Probabilities that put 0.9 on the true label, except for every 7th image (a confident mistake)."""
    labels = mnist.test_labels[:count].astype(np.int64)
    predicted = np.where(np.arange(count) % 7 == 3, (labels + 1) % 10, labels)
    probabilities = np.full((count, 10), 0.1 / 9, np.float32)
    probabilities[np.arange(count), predicted] = 0.9
    return Predictions(3, probabilities, labels, mnist.test_images[:count].copy())


class ScriptedTraining(TrainingScreen):
    """The training screen fed a fixed list of events instead of a live worker."""

    CSS_PATH = Path(training_module.__file__).with_name("training.tcss")  # relative paths follow the module

    def __init__(self, preset, predictions: Predictions):
        super().__init__(preset, record_path=Path("runs/first-look.json"))
        self.scripted_predictions = predictions

    def train(self) -> None:
        diagnostics = Diagnostics({"layers.0": 0.021, "layers.2": 0.094}, {"layers.1": 0.04})
        self.post_message(TrainingEvent(Started(4, 1, 782, 50_000, diagnostics)))
        for epoch, (loss, train, val, test) in enumerate(
                [(0.2711, 0.9221, 0.9602, 0.9581), (0.1203, 0.9648, 0.9705, 0.9691),
                 (0.0801, 0.9766, 0.9741, 0.9738)], start=1):
            self.post_message(TrainingEvent(EpochEnd(epoch, 4, loss, train, loss * 1.1, val, loss * 1.12, test,
                                                     0.001, 2.5, 20_000.0, diagnostics)))
            self.post_message(TrainingEvent(BatchProgress(epoch + 1, 391, 782, 20_000.0)))
        self.post_message(TrainingEvent(Finished("stopped", 3, 7.5)))
        self.post_message(PredictionsReady(self.scripted_predictions))


def test_presets_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE)


def test_editor_screen(snap_compare, app):
    async def editor(pilot):
        await open_editor(pilot, "tiny")
        pilot.app.focused.cursor_blink = False  # it opens on the description; a blink would differ per run
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=editor)


def test_training_screen(snap_compare, app, mnist):
    async def scripted(pilot):
        await pilot.app.push_screen(ScriptedTraining(find_preset("first-look", pilot.app.home),
                                                     scripted_predictions(mnist)))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=scripted)


def test_gallery_screen_mistakes(snap_compare, app, mnist):
    async def gallery(pilot):
        await pilot.app.push_screen(GalleryScreen(scripted_predictions(mnist)))
        await pilot.press("m")

    assert snap_compare(app, terminal_size=SIZE, run_before=gallery)


def test_gallery_of_small_images_scaled_up(snap_compare, app, small_digits):
    """8x8 digits fill the cards as 28x28 ones do (repeated pixels, not a corner of the card)."""
    from tui_nn.data import load_dataset

    digits = load_dataset("mnist", path=small_digits)
    count = 40
    labels = digits.test_labels[:count].astype(np.int64)
    probabilities = np.full((count, 10), 0.1 / 9, np.float32)
    probabilities[np.arange(count), labels] = 0.9
    predictions = Predictions(1, probabilities, labels, digits.test_images[:count].copy())

    async def gallery(pilot):
        await pilot.app.push_screen(GalleryScreen(predictions))

    assert snap_compare(app, terminal_size=SIZE, run_before=gallery)


def test_comparison_chart(snap_compare, app, home):
    """Two recorded runs overlaid: axes, a legend, a marker per run, and the settings that differ."""
    import json

    from tui_nn.experiment.presets import find_preset
    from tui_nn.experiment.spec.parse import spec_to_dict
    from tui_nn.tui.screens.runs import CompareScreen

    spec = spec_to_dict(find_preset("tiny", home).spec)
    paths = []
    for index, (rate, start) in enumerate(((0.5, 0.90), (0.05, 0.80))):
        raw = json.loads(json.dumps(spec))
        raw["optimizer"]["learning_rate"] = rate
        epochs = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": start + 0.015 * e, "val_loss": 1.1 / e,
                   "val_accuracy": start + 0.012 * e, "test_loss": 1.2 / e, "test_accuracy": start + 0.01 * e,
                   "learning_rate": rate, "seconds": 1.0} for e in range(1, 7)]
        record = {"format": 1, "preset": "tiny", "spec": raw, "seed": 2, "status": "completed", "epochs": epochs,
                  "final": {"test_accuracy": epochs[-1]["test_accuracy"]}, "wall_seconds": 6.0,
                  "started": "2026-11-23T12:00:00+00:00"}
        path = home / "runs" / f"20261123-12000{index}-000000-tiny.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))
        paths.append(path)

    async def compare(pilot):
        await pilot.app.push_screen(CompareScreen(paths))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=compare)
