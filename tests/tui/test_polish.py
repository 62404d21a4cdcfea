"""The training screen and dialogs at 80x24: nothing thrown away, progress that says what it counts,
keys that are shown, and text that is not cut."""

import json
import textwrap

from textual.widgets import Static
from textual.widgets._footer import FooterKey

from tui_nn.engine.events import Diagnostics, EpochEnd
from tui_nn.experiment.models import keeps_model
from tui_nn.experiment.presets import parse_preset, save_user_preset
from tui_nn.runs.folder import summarize_record
from tui_nn.tui.app import make_app
from tui_nn.tui.screens.help import HelpScreen
from tui_nn.tui.screens.training import outcome
from tui_nn.tui.widgets.run_progress import RunProgress, bar_text

from .helpers import TINY, screen_text, start_training, wait_for_training
from .waiting import until, until_received

SIZE = (80, 24)


def footer_keys(app) -> dict[str, str]:
    """What the footer shows, key by key, each wholly inside the 80 columns."""
    keys = {}
    for key in app.screen.query(FooterKey):
        region = key.region
        assert region.right <= SIZE[0], f"{key.key_display} {key.description} is cut"
        keys[key.key_display] = key.description
    return keys


def plain(widget) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


async def test_ending_after_an_epoch_keeps_the_model_and_its_screens(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        await until_received(screen, lambda got: any(isinstance(e, EpochEnd) for e in got), "an epoch")
        screen.control.pause()  # the key is taken at the next batch
        await pilot.pause()
        keys = footer_keys(app)
        assert keys.get("-") == "lr/2" and keys.get("+") == "lr*2" and keys.get("e") == "Last epoch"
        status, bar = plain(screen.query_one("#status", Static)), plain(screen.query_one(RunProgress))
        assert f"epoch {screen.epoch}/300" in status  # the epoch being trained; the bar: the run's share
        done = (screen.epoch - 1) * screen.batches + screen.batch
        assert bar.endswith(f"{done / (300 * screen.batches):4.0%}")
        await pilot.press("e")
        screen.control.resume()
        await wait_for_training(pilot)
        record = json.loads(screen.record_path.read_text())
        assert record["status"] == "stopped" and keeps_model(record)
        assert summarize_record(screen.record_path, record).status == "ended"  # as the runs list names it
        assert screen.model_path() is not None and record["model"] == screen.model_path().name
        assert "ended as asked" in plain(screen.query_one("#status", Static))
        # the footer is drawn again after the run's end refreshed the bindings: a frame or two later
        await until(lambda: "v" in footer_keys(app), "the model's keys in the footer", timeout=10)
        keys = footer_keys(app)
        assert keys.get("v") == "Confusion" and "w" in keys and "d" in keys
        await pilot.press("v")
        await pilot.pause()
        from tui_nn.tui.screens.confusion import ConfusionScreen
        assert isinstance(app.screen, ConfusionScreen)


def test_a_stop_mid_epoch_after_asking_for_the_epochs_end_keeps_no_model_and_is_listed_as_stopped(tmp_path):
    steered = {"event": "steered", "what": "stop", "epoch": 3, "batch": 5}
    assert keeps_model({"status": "stopped", "epochs": [{}, {}, {}], "events": [steered]})
    assert not keeps_model({"status": "stopped", "epochs": [{}, {}], "events": [steered]})
    assert not keeps_model({"status": "stopped", "epochs": [{}, {}], "events": []})
    spec = {"data": {}, "model": {"layers": []}, "optimizer": {}, "training": {}}
    mid_epoch = {"status": "stopped", "epochs": [{"epoch": 1}, {"epoch": 2}], "events": [steered], "spec": spec}
    assert summarize_record(tmp_path / "a.json", mid_epoch).status == "stopped"


async def test_a_run_that_cannot_start_says_why_stops_the_bar_and_offers_no_gallery(home, mnist):
    spec = {**TINY, "data": {**TINY["data"], "dataset": "fashion-mnist"}}
    save_user_preset(parse_preset(spec, "tiny-fashion"), home)
    app = make_app(home=home)  # the dataset the spec names, looked for on this machine
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-fashion")
        await wait_for_training(pilot)
        await pilot.pause()
        assert screen.state == "failed"
        reason = screen.query_one("#diagnostics", Static)
        assert plain(reason).startswith("did not start: fashion-mnist is not on this machine")
        assert reason.size.height == len(textwrap.wrap(plain(reason), SIZE[0] - 2))  # every line of it shown
        progress = screen.query_one(RunProgress)
        assert "did not start" in plain(progress) and not progress.auto_refresh
        await until(lambda: "g" not in footer_keys(app), "the gallery key gone from the footer", timeout=10)
        await pilot.press("g")
        assert app.screen is screen


async def test_progress_counts_the_run_and_the_status_the_epoch_and_batch(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny")
        await wait_for_training(pilot)
        assert "4/4 epochs done" in plain(screen.query_one("#status", Static))
        assert plain(screen.query_one(RunProgress)).endswith("100%")
        text = screen_text(app)
        assert "keys:" not in text and "\nepoch\n" not in text  # no wrapped hint left in the log


def test_the_run_bar_is_filled_and_empty_in_different_characters():
    assert bar_text(0.25, 40, ascii_only=True).plain == "#" * 10 + "." * 30
    assert bar_text(0.75, 40, ascii_only=False).plain == "━" * 30 + "─" * 10


async def test_help_names_the_steering_keys_as_typed(app):
    async with app.run_test(size=SIZE) as pilot:
        await start_training(pilot, "tiny")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "minus" not in text and "plus" not in text and "equals_sign" not in text
        assert "+ / =" in text and "Halve the learning rate" in text and "End the run when this epoch ends" in text
        await pilot.press("escape")
        await wait_for_training(pilot)


def test_the_outcome_says_what_an_accuracy_at_chance_means():
    assert outcome({"test_accuracy": 0.1028}, 10) == (
        "test accuracy 10.28%: about chance for 10 classes (10%), so the network has not yet learned to "
        "tell them apart")
    assert outcome({"test_accuracy": 0.95, "val_accuracy": 0.1}, 10) == \
        "test accuracy 95.00% (chance for 10 classes: 10%)"
    assert outcome({"test_accuracy": None, "val_accuracy": 0.5}, 2).startswith("validation accuracy 50.00%: about")
    assert outcome({"train_mse": 1.0}, 0) == ""


async def test_dead_relu_fractions_are_never_cut_at_80_columns(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny")
        await wait_for_training(pilot)
        layers = {f"layers.{i}": 0.123 for i in range(8)}
        screen.show_diagnostics("epoch 4", Diagnostics(layers, {f"layers.{i}": 0.5 for i in range(8)}))
        await pilot.pause()
        lines = plain(screen.query_one("#diagnostics", Static)).splitlines()
        assert all(len(line) <= SIZE[0] - 2 for line in lines)
        assert lines[-1] == "dead ReLU per layer: " + " ".join(["50%"] * 8)
        assert screen.query_one("#diagnostics").size.height == 2


def test_key_symbols_are_spelled_out_in_ascii():
    from tui_nn.tui.ascii import ascii_key_display, to_ascii

    assert ascii_key_display("⏎") == "enter" and ascii_key_display("esc") == "esc"
    assert to_ascii(ascii_key_display("↑")) == "up"


async def test_a_run_that_restores_its_best_epoch_reports_that_epochs_accuracy(home, mnist):
    early = {**TINY, "name": "tiny-early", "training": {
        "epochs": 6, "batch_size": 20,
        # only the first epoch improves by 10: stopped after epoch 3 with epoch 1's weights
        "early_stopping": {"patience": 2, "min_delta": 10.0, "restore_best": True}}}
    save_user_preset(parse_preset(early, "tiny-early"), home)
    app = make_app(home=home, dataset=mnist)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-early")
        await wait_for_training(pilot)
        record = json.loads(screen.record_path.read_text())
        assert record["status"] == "early_stopped" and len(record["epochs"]) == 3
        first = record["epochs"][0]["test_accuracy"]
        assert record["final"]["test_accuracy"] == first
        assert f"test accuracy {first:.2%}" in screen.summary  # the kept network's, not the last epoch's
        from tui_nn.experiment.models import read_model_meta
        assert read_model_meta(screen.model_path())["epoch"] == 1
