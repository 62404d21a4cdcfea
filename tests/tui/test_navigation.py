"""Screens ask the app for a place (navigation.py); the app makes the screen. A gallery opened
from a run keeps showing that run's newest predictions."""

import dataclasses
from pathlib import Path

from tui_nn.experiment.presets import find_preset
from tui_nn.experiment.records import RunRecorder
from tui_nn.tui import navigation
from tui_nn.tui.messages import PredictionsReady
from tui_nn.tui.screens.gallery import GalleryScreen
from tui_nn.tui.screens.runs import CompareScreen, RunsScreen
from tui_nn.tui.screens.sweep import SweepScreen
from tui_nn.tui.screens.training import TrainingScreen

from .test_snapshots import SIZE, ScriptedTraining, scripted_predictions


def test_the_app_has_a_screen_for_every_place(app, home, mnist):
    preset = find_preset("tiny", home)
    record = home / "a.json"
    RunRecorder(record, preset.spec, "tiny").save()
    sweep = dataclasses.replace(preset, sweep={"seeds": 2})
    predictions = scripted_predictions(mnist, 20)
    model = Path("m.model.npz")
    places = [(navigation.Train(preset), TrainingScreen), (navigation.Sweep(sweep), SweepScreen),
              (navigation.Runs(), RunsScreen), (navigation.Compare((record,)), CompareScreen),
              (navigation.Gallery(predictions), GalleryScreen), (navigation.Edit(preset), "EditorScreen"),
              (navigation.Confusion(model), "ConfusionScreen"), (navigation.Weights(model), "WeightsScreen"),
              (navigation.Draw(model), "DrawScreen"), (navigation.Playground(preset), "PlaygroundScreen")]
    assert {type(place) for place, _ in places} == set(navigation.Place.__subclasses__())
    for place, screen in places:
        made = app.screen_for(place)
        assert type(made).__name__ == (screen if isinstance(screen, str) else screen.__name__)


async def test_a_gallery_opened_from_a_run_shows_each_new_epochs_predictions(app, home, mnist):
    predictions = scripted_predictions(mnist)
    async with app.run_test(size=SIZE) as pilot:
        training = ScriptedTraining(find_preset("first-look", home), predictions)
        await app.push_screen(training)
        await pilot.pause(0.3)
        await pilot.press("g")
        await pilot.pause()
        gallery = app.screen
        assert isinstance(gallery, GalleryScreen) and gallery.predictions.epoch == 3
        newer = dataclasses.replace(predictions, epoch=4)
        training.post_message(PredictionsReady(newer))
        await pilot.pause()
        assert gallery.predictions is newer
        assert "epoch 4" in str(gallery.query_one("#gallery-status").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is training and training.predictions is newer
