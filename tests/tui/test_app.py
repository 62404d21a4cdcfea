"""The app driven through Textual's pilot at 80x24: keys in, what is on screen out."""

import asyncio
import json
import threading

import numpy as np
from textual.widgets import DataTable, Input, Select

from tui_nn.engine.events import BatchProgress, EpochEnd, Finished
from tui_nn.experiment.presets import find_preset, parse_preset, save_user_preset
from tui_nn.experiment.session import prepare
from tui_nn.tui.screens.editor import EditorScreen
from tui_nn.tui.screens.gallery import DigitDetail, GalleryScreen
from tui_nn.tui.screens.help import HelpScreen
from tui_nn.tui.screens.presets import PresetsScreen
from tui_nn.tui.screens.training import TrainingScreen
from tui_nn.tui.widgets.epoch_table import EpochTable

from .helpers import (
    TINY,
    highlight_preset,
    open_editor,
    open_model_screen,
    screen_text,
    start_training,
    wait_for_training,
)
from .waiting import until, until_received

SIZE = (80, 24)


async def test_home_lists_presets_with_first_look_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)
        assert app.screen.highlighted.key == "first-look"
        table = app.screen.query_one("#presets", DataTable)
        assert table.row_count >= 29
        assert "* tiny" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "Duplicate" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, PresetsScreen)


async def test_pause_holds_training_until_resumed(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        await until_received(screen, lambda got: any(isinstance(e, BatchProgress) for e in got), "training")
        control, held = screen.control, threading.Event()
        real_wait = control.wait_while_paused

        def wait_while_paused():  # the training thread, between batches
            if control.paused:
                held.set()
            return real_wait()

        control.wait_while_paused = wait_while_paused
        await pilot.press("p")
        assert screen.control.paused and screen.running
        assert await asyncio.to_thread(held.wait, 60), "the training thread never stopped at the pause"
        await pilot.pause()  # what it posted before stopping has been handled
        seen = len(screen.events_received)
        await pilot.pause()
        assert len(screen.events_received) == seen and held.is_set()
        assert "paused" in screen_text(app)
        await pilot.press("p")
        assert not screen.control.paused
        await until_received(screen, lambda got: len(got) > seen, "progress after resuming")
        await pilot.press("s")
        await wait_for_training(pilot)
        assert screen.events_received[-1].status == "stopped"


async def test_train_then_gallery(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny")
        assert isinstance(screen, TrainingScreen)
        await wait_for_training(pilot)
        assert isinstance(screen.events_received[-1], Finished)
        assert screen.query_one("#epochs", DataTable).row_count == 4
        text = screen_text(app)
        assert "completed after 4 epochs" in text and "record saved" in text
        assert screen.record_path.exists()
        model = screen.record_path.with_name(screen.record_path.stem + ".model.npz")
        assert model.exists() and json.loads(screen.record_path.read_text())["model"] == model.name
        assert {"model", "weights"} <= shown_actions(app)  # the model's screens, once the run has ended
        await pilot.press("v")
        await pilot.pause()
        from tui_nn.tui.screens.confusion import ConfusionScreen
        assert isinstance(app.screen, ConfusionScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("g")
        assert isinstance(app.screen, GalleryScreen)
        gallery = app.screen
        assert "epoch 4" in screen_text(app)
        await pilot.press("m")
        wrong = gallery.predictions.probabilities.argmax(1) != gallery.predictions.labels
        assert len(gallery.order) == int(wrong.sum())
        assert all(wrong[gallery.order])
        await pilot.press("m", "7")
        assert all(gallery.predictions.labels[gallery.order] == 7)
        await pilot.press("c")
        confidence = gallery.predictions.probabilities.max(1)[gallery.order]
        assert list(confidence) == sorted(confidence)
        await pilot.press("enter")
        assert isinstance(app.screen, DigitDetail)
        assert "true 7" in screen_text(app)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, TrainingScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, PresetsScreen)


async def test_stop_keeps_the_record(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        await until_received(screen, lambda got: any(isinstance(e, EpochEnd) for e in got), "an epoch")
        await pilot.press("s")
        await wait_for_training(pilot)
        assert screen.events_received[-1].status == "stopped"
        assert "stopped after" in screen_text(app)
        import json
        assert json.loads(screen.record_path.read_text())["status"] == "stopped"


async def test_escape_during_training_asks_before_stopping(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        screen.control.pause()  # still running, but idle: the pilot waits up to 2 s a key for a busy app
        await pilot.press("escape")
        assert "Stop it and go back?" in screen_text(app)
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("escape", "y")
        await wait_for_training(pilot)
        assert isinstance(app.screen, PresetsScreen)
        assert screen.control.stopped


async def test_editor_marks_errors_refuses_to_run_and_saves_after_a_fix(app, home, mnist):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        assert isinstance(editor, EditorScreen)
        epochs = editor.query_one("#f-training-epochs", Input)
        epochs.value = "-3"
        await pilot.pause()
        assert "training.epochs" in screen_text(app) and "must be an integer from 1" in screen_text(app)
        assert editor.query_one("#e-training-epochs").has_class("shown")
        await pilot.press("ctrl+r")
        assert app.screen is editor  # refused
        epochs.value = "2"
        await pilot.pause()
        assert not editor.problems and "valid" in screen_text(app)
        await pilot.press("ctrl+s")
        name = app.screen.query_one("#name", Input)
        name.value = "bad name/"
        await pilot.press("enter")
        assert "plain file name" in screen_text(app)
        name.value = "tiny-two"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)
        assert (home / "presets" / "tiny-two.toml").exists()
        assert "tiny-two" in [p.key for p in app.screen.presets]

        # The saved preset trains to the same numbers in the app as headless.
        screen = await start_training(pilot, "tiny-two")
        await wait_for_training(pilot)
        in_app = [e.metrics() for e in screen.events_received if isinstance(e, EpochEnd)]
        session = prepare(find_preset("tiny-two", home).spec, str(home), dataset=mnist)
        headless = [e.metrics() for e in session.events() if isinstance(e, EpochEnd)]
        assert len(in_app) == len(headless) == 2
        for a, b in zip(in_app, headless):
            a.pop("seconds"), b.pop("seconds"), a.pop("samples_per_second"), b.pop("samples_per_second")
            assert a == b


async def test_editor_optimizer_choice_shows_exactly_its_hyper_parameters(app):
    from textual.widgets import Select

    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.query_one("#f-optimizer-name", Select).value = "adam"
        await pilot.pause()
        ids = {w.id for w in editor.query("#hypers Input, #hypers Select")}
        assert ids == {"f-optimizer-learning_rate", "f-optimizer-beta_1", "f-optimizer-beta_2",
                       "f-optimizer-epsilon", "f-optimizer-amsgrad"}
        assert editor.spec.optimizer.name == "adam" and not editor.problems


async def test_editor_layer_list_add_remove_and_output_check(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.layer_rows[0].inputs["units"].focus()
        await pilot.press("ctrl+n")  # from inside an Input, which has keys of its own
        await pilot.pause()
        assert [layer.units for layer in editor.spec.model.layers] == [20, 30, 10]
        last = editor.layer_rows[2].inputs["units"]
        last.value = "9"
        await pilot.pause()
        assert any(p.path == "model.layers[2].units" for p in editor.problems)
        assert "one unit per class" in screen_text(app)
        last.value = "ten"
        await pilot.pause()
        error = editor.layer_rows[2].error.render()
        assert "must be an integer" in str(error) and "one unit per class" not in str(error)
        last.value = "10"
        editor.layer_rows[1].inputs["units"].focus()
        await pilot.press("ctrl+g")  # asks first; n keeps the layer
        await pilot.pause()
        assert "Remove layer 2 (dense 30)?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor and len(editor.spec.model.layers) == 3
        assert app.focused is editor.layer_rows[1].inputs["type"]
        await pilot.press("ctrl+g", "y")
        await pilot.pause()
        assert [layer.units for layer in editor.spec.model.layers] == [20, 10] and not editor.problems
        assert app.focused is editor.layer_rows[1].inputs["type"]  # focus stays in the list


async def test_editor_layer_keys_keep_focus_in_the_layer_list(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.layer_rows[0].inputs["units"].focus()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.focused is editor.layer_rows[1].inputs["units"]  # the new layer's width, to type
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert app.focused is editor.layer_rows[2].inputs["units"]  # the moved row keeps the focus
        assert [layer.units for layer in editor.spec.model.layers] == [20, 10, 30]
        await pilot.press("shift+tab")
        assert app.focused is editor.layer_rows[2].inputs["type"]
        editor.layer_rows[2].inputs["type"].value = "dropout"  # retype
        await pilot.pause()
        assert app.focused is editor.layer_rows[2].inputs["type"]
        assert editor.spec.model.layers[2].type == "dropout"


async def test_escape_with_changes_asks_before_discarding(app, home):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await pilot.press("escape")  # nothing changed: straight back
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)
        editor = await open_editor(pilot, "tiny")
        editor.query_one("#f-description", Input).value = "my own words"
        editor.query_one("#f-training-epochs", Input).value = "7"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard your changes" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor and editor.query_one("#f-training-epochs", Input).value == "7"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"mine", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)  # saved: no question
        saved = (home / "presets" / "mine.toml").read_text()
        assert 'description = "my own words"' in saved and "epochs = 7" in saved
        assert "minutes" not in saved  # unknown until it runs, not the source's estimate


async def test_duplicate_and_delete_user_preset_with_confirmation(app, home):
    async with app.run_test(size=SIZE) as pilot:
        await highlight_preset(pilot, "tiny")
        await pilot.press("d")
        await pilot.pause()
        assert (home / "presets" / "tiny-copy.toml").exists()
        assert app.screen.highlighted.key == "tiny-copy"
        await pilot.press("delete")
        await pilot.press("y")
        await pilot.pause()
        assert not (home / "presets" / "tiny-copy.toml").exists()
        await highlight_preset(pilot, "first-look")
        await pilot.press("delete")
        assert isinstance(app.screen, PresetsScreen)  # built-ins are not deletable, no dialog


async def test_small_terminal_asks_to_enlarge(app):
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "Please enlarge the terminal" in screen_text(app)


def test_bench_app_reports_latency_and_speed(home, capsys):
    import json

    from tui_nn.cli.main import main

    code = main(["--home", str(home), "bench", "tiny", "--app", "--epochs", "2", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(result["app_epoch_seconds"]) == len(result["headless_epoch_seconds"]) == 2
    assert result["app_speed_fraction"] > 0
    assert result["blas"]["library"]


async def test_a_diverging_run_is_reported_and_the_app_stays_up(app, home):
    save_user_preset(parse_preset({**TINY, "optimizer": {"name": "sgd", "learning_rate": 1e38}}, "tiny-wild"), home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-wild")
        await wait_for_training(pilot)
        assert screen.events_received[-1].status == "diverged"
        text = screen_text(app)
        assert "DIVERGED" in text and "learning rate" in text and "probably too high" in text
        assert app.screen is screen and "(diverged)" in text
        await pilot.press("escape")  # nothing is running: straight back home
        assert isinstance(app.screen, PresetsScreen)


async def test_editor_data_folder_is_checked_as_typed_and_sets_the_input(app, small_digits):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "first-look")
        path = editor.query_one("#f-data-path", Input)
        path.value = str(small_digits / "nope")
        await pilot.pause()
        assert "no such folder" in str(editor.query_one("#e-data-path").render())
        path.value = str(small_digits.parent)
        await pilot.pause()
        assert "missing train-images-idx3-ubyte" in str(editor.query_one("#e-data-path").render())
        path.value = str(small_digits)
        await pilot.pause()
        # The preset's sizes are left to fit the data, so the folder alone makes it valid.
        assert not editor.problems, editor.problems
        assert "input 64," in screen_text(app)
        assert editor.query_one("#f-data-dataset", Select).disabled
        editor.query_one("#f-data-test_size", Input).value = "500"
        await pilot.pause()
        assert "at most 360 (the test file has 360)" in str(editor.query_one("#e-data-test_size").render())


async def test_question_mark_opens_help_from_a_number_field_and_types_in_a_text_field(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.query_one("#f-training-epochs", Input).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        description = editor.query_one("#f-description", Input)
        description.focus()
        description.value = ""
        await pilot.press("w", "h", "y", "question_mark")
        await pilot.pause()
        assert app.screen is editor and description.value == "why?"


async def test_editor_shows_the_focused_fields_whole_help_and_refuses_without_covering_errors(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.query_one("#f-data-path", Input).focus()
        await pilot.pause()
        assert "data.path: a folder holding the four IDX files (overrides dataset)" in screen_text(app)
        editor.query_one("#f-training-epochs", Input).value = "0"
        editor.query_one("#f-data-path", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is editor and not app._notifications  # no toast over the form
        assert "cannot run" in screen_text(app) and app.focused.id == "f-training-epochs"


def shown_actions(app) -> set[str]:
    """The actions the footer shows for the active screen."""
    return {active.binding.action for active in app.active_bindings.values()
            if active.binding.show and active.enabled}


async def test_pause_and_stop_leave_the_footer_when_the_run_ends_and_ctrl_q_asks_while_training(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        screen.control.pause()  # still running, but idle: the pilot waits up to 2 s a key for a busy app
        await pilot.pause()
        assert {"pause", "stop"} <= shown_actions(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Stop it and quit?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        await pilot.press("s")
        await wait_for_training(pilot)
        assert not {"pause", "stop"} & shown_actions(app)
        assert {"gallery", "back"} <= shown_actions(app)


async def test_home_and_end_in_the_preset_list_and_the_palette_offers_the_apps_actions(app):
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        await pilot.press("end")
        assert home.highlighted.key == home.presets[-1].key
        await pilot.press("home")
        assert home.highlighted.key == home.presets[0].key
        titles = [command.title for command in app.get_system_commands(home)]
        assert "Train first-look" in titles and "Edit tiny" in titles and "Help" in titles


async def test_q_quits_from_the_too_small_notice(app):
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "q quits" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_runs_screen_lists_filters_compares_opens_exports_and_deletes(app, home):
    from textual_plotext import PlotextPlot

    from tui_nn.cli.main import main
    from tui_nn.tui.screens.runs import CompareScreen, RunScreen, RunsScreen

    for rate in ("0.5", "0.05"):
        assert main(["--home", str(home), "run", "tiny", "--quiet", "--set", f"optimizer.learning_rate={rate}"]) == 0
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        runs = app.screen
        assert isinstance(runs, RunsScreen) and len(runs.shown) == 2
        assert "2 of 2 run(s)" in screen_text(app) and "lr=0.05" in screen_text(app)
        await pilot.press("slash", *"lr=0.05")
        await pilot.pause()
        assert len(runs.shown) == 1
        await pilot.press("enter")  # back to the table
        runs.query_one("#filter", Input).value = ""
        await pilot.pause()
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen) and len(compare.records) == 2
        table = compare.query_one("#compare-table", DataTable)
        assert table.row_count == 2 and "optimizer.learning_rate" in [str(c.label) for c in table.columns.values()]
        chart = compare.query_one(PlotextPlot)

        def drawn():  # the curves the chart was given: one per run, in the table's order
            return chart.plt._active.monitor.y

        assert drawn() == [[e["test_accuracy"] for e in record["epochs"]] for record in compare.records]
        shown = str(chart.render())
        assert "test accuracy" in shown  # the legend is the table under the chart: marker, label, metrics
        assert [str(table.get_row_at(i)[1]) for i in range(2)] == ["lr=0.05", "lr=0.5"]
        await pilot.press("m")  # another metric
        assert drawn() == [[e["val_accuracy"] for e in record["epochs"]] for record in compare.records]
        assert "val accuracy" in str(chart.render())
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and app.screen.query_one(EpochTable).row_count == 4
        await pilot.press("escape", "x")
        await pilot.pause()
        exports = list((home / "exports").glob("runs-*"))
        assert sorted(p.suffix for p in exports) == [".csv", ".json"]
        await pilot.press("delete")
        await pilot.pause()
        assert "cannot be undone" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert len(runs.runs) == 0 and not list((home / "runs").glob("*.json"))


async def test_a_sweep_preset_opens_a_live_leaderboard_and_its_results_compare(app, home):
    from tui_nn.tui.screens.runs import CompareScreen
    from tui_nn.tui.screens.sweep import SweepScreen

    table = {**TINY, "name": "rates", "description": "two rates", "training": {"epochs": 2, "batch_size": 20},
             "sweep": {"seeds": 2, "grid": {"optimizer.learning_rate": [0.05, 0.5]}}}
    save_user_preset(parse_preset(table, "rates"), home)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reload()
        await highlight_preset(pilot, "rates")
        assert "a sweep of 4 runs" in screen_text(app)
        await pilot.press("enter")
        sweep = app.screen
        assert isinstance(sweep, SweepScreen)
        await wait_for_training(pilot)  # the sweep's worker
        assert sweep.state == "completed", sweep.note
        board = sweep.query_one("#leaderboard", DataTable)
        assert board.row_count == 2 and "4/4 run(s) recorded" in screen_text(app)
        first, second = (board.get_row_at(i) for i in range(2))
        assert first[0] == "1" and float(first[-2].rstrip("%")) >= float(second[-2].rstrip("%"))  # ranked
        assert "stop" not in shown_actions(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen) and len(app.screen.records) == 4
        await pilot.press("escape", "r")  # every point as a run, each with its model
        await pilot.pause()
        assert "sweep rates: 4 of 4 run(s)" in screen_text(app) and "unreadable" not in screen_text(app)
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfusionScreen" and app.screen.matrix.sum() == 300
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen)
        await pilot.press("enter")  # again: every point is recorded, nothing trains
        await pilot.pause()
        assert app.screen.state == "completed" and "(4 from before)" in screen_text(app)


async def test_escape_during_a_sweep_asks_before_stopping_it(app, home):
    import multiprocessing

    from tui_nn.tui.screens.sweep import SweepScreen

    table = {**TINY, "name": "long-rates", "description": "two long runs", "training": {"epochs": 200, "batch_size": 20},
             "sweep": {"grid": {"optimizer.learning_rate": [0.05, 0.5]}}}
    save_user_preset(parse_preset(table, "long-rates"), home)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reload()
        await highlight_preset(pilot, "long-rates")
        await pilot.press("enter")
        sweep = app.screen
        assert isinstance(sweep, SweepScreen) and sweep.running
        await until(multiprocessing.active_children, "the sweep's worker processes")  # they train
        await pilot.press("escape")
        assert "The sweep is running. Stop it and go back?" in screen_text(app)
        await pilot.press("n")
        assert app.screen is sweep and not sweep.stopping.is_set()
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen) and sweep.stopping.is_set()
        await until(lambda: not multiprocessing.active_children(), "the worker processes ended, not left training")


async def test_a_runs_model_opens_as_a_confusion_matrix_whose_cells_open_the_gallery(app, home):
    from tui_nn.tui.screens.confusion import ConfusionScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "v", lambda s: s.matrix is not None)
        assert isinstance(screen, ConfusionScreen)
        matrix = screen.matrix
        assert matrix.sum() == 300 and "test accuracy" in screen_text(app)
        record = json.loads(next((home / "runs").glob("*-tiny.json")).read_text())
        assert abs(np.trace(matrix) / 300 - record["final"]["test_accuracy"]) < 1e-12
        true, predicted = next((i, j) for i in range(10) for j in range(10) if i != j and matrix[i, j])
        screen.query_one("#confusion", DataTable).move_cursor(row=true, column=predicted + 1)
        await pilot.press("enter")
        await pilot.pause()
        gallery = app.screen
        assert isinstance(gallery, GalleryScreen) and len(gallery.order) == matrix[true, predicted]
        assert f"true {true}, predicted {predicted}" in screen_text(app)


async def test_a_runs_model_shows_its_first_layer_units_as_images(app, home):
    from tui_nn.tui.screens.weights import WeightsScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "w", lambda s: bool(s.images))
        assert isinstance(screen, WeightsScreen)
        assert len(screen.images) == 20 and screen.images[0].shape == (28, 28)  # tiny: 20 dense units
        text = screen_text(app)
        assert "dense 20: 20 units, page 1/2" in text and "#0 |w|" in text and "#9 |w|" in text
        await pilot.press("pagedown")
        assert "#19 |w|" in screen_text(app) and "page 2/2" in screen_text(app)


async def test_steering_from_the_keyboard_is_recorded_and_replays_exactly(app, home, mnist):
    from tui_nn.experiment.replay import replay

    async with app.run_test(size=SIZE) as pilot:
        screen = await start_training(pilot, "tiny-slow")
        await until_received(screen, lambda got: any(isinstance(e, EpochEnd) for e in got), "an epoch")
        screen.control.pause()  # the keys are taken at the next batch: held there, the app answers them at once
        await pilot.press("minus", "e")
        screen.control.resume()
        await wait_for_training(pilot)
        text = screen_text(app)
        assert "learning rate now 0.25 (x0.5 the schedule's)" in text and "stopping when epoch" in text
        record = json.loads(screen.record_path.read_text())
    steered = [e for e in record["events"] if e["event"] == "steered"]
    assert [e["what"] for e in steered] == ["learning_rate", "stop"] and steered[0]["value"] == 0.25
    assert record["status"] == "stopped" and len(record["epochs"]) == steered[1]["epoch"]
    replayed, differences = replay(record, home=str(home))
    assert replayed == len(record["epochs"]) and not differences


async def test_a_digit_drawn_with_keys_changes_the_probabilities_after_every_stroke(app, home):
    from tui_nn.tui.screens.draw import DrawScreen

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "d", lambda s: s.probabilities is not None)
        assert isinstance(screen, DrawScreen) and screen.canvas.shape == (28, 28)
        assert "28x28; pen up" in screen_text(app) and "cursor row 15, column 15" in screen_text(app)
        blank = screen.probabilities.copy()
        await pilot.press("k", "k", "space")  # one dab two rows above the centre
        assert screen.canvas.pixels[12, 14] == 255 and screen.strokes == 2
        assert not np.array_equal(screen.probabilities, blank)
        await pilot.press("p")  # pen down: every move paints; a vertical stroke, one prediction a step
        for _ in range(8):
            before, strokes = screen.probabilities.copy(), screen.strokes
            await pilot.press("j")
            assert screen.strokes == strokes + 1 and not np.array_equal(screen.probabilities, before)
        assert (screen.canvas.pixels[12:21, 14] == 255).all()
        await pilot.press("p")  # the pen's next state: erasing (then up)
        await pilot.press("k", "k")
        assert screen.canvas.pixels[18:21, 14].max() == 0
        text = screen_text(app)
        assert "pen erasing" in text and "reads " in text and "answered in" in text
        shown = [line for line in text.splitlines() if "%" in line and line.strip()[:1].isdigit()]
        assert len(shown) == 10  # a bar per class
        await pilot.press("c")
        assert not screen.canvas.pixels.any()
        np.testing.assert_array_equal(screen.probabilities, blank)


async def test_a_loaded_test_digit_reads_as_the_model_reads_it_and_centring_is_offered(app, home):
    from tui_nn.experiment.models import open_on_test_split

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "d", lambda s: s.probabilities is not None)
        await pilot.press("t", "t")
        model = open_on_test_split(screen.model_path, str(home))
        expected = model.network.predict_proba(model.to_float(model.images[1:2]))[0]
        np.testing.assert_array_equal(screen.probabilities, expected)  # the data's own path, bit for bit
        label = model.labels[1]
        assert f"loaded test image 2 of 300 (true {label})" in screen_text(app)
        await pilot.press("m")
        assert "centring on" in screen_text(app) and "centred:" in screen_text(app)
        await pilot.press("question_mark")
        assert "20x20 box" in screen_text(app) and "centre of mass" in screen_text(app)


async def test_the_mouse_paints_with_the_left_button_and_erases_with_the_right(app, home):
    from tui_nn.tui.screens.draw import CanvasView

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "d", lambda s: s.probabilities is not None)
        await pilot.click(CanvasView, offset=(6, 3))  # inside the border: content cell (5, 2) -> pixel (4, 5)
        assert screen.canvas.pixels[4, 5] == 255 and screen.cursor == (4, 5)
        await pilot.click(CanvasView, offset=(6, 3), button=3)
        assert screen.canvas.pixels[4, 5] == 0
        await pilot.mouse_down(CanvasView, offset=(3, 6))  # a drag that jumps 10 cells: no gap
        await pilot.hover(CanvasView, offset=(13, 6))
        await pilot.mouse_up(CanvasView, offset=(13, 6))
        assert (screen.canvas.pixels[10, 2:13] == 255).all() and screen.cursor == (10, 12)


async def test_a_damaged_model_is_a_notice_and_every_model_screen_stays_up(app, home):
    from tui_nn.cli.main import main
    from tui_nn.tui.screens.confusion import ConfusionScreen
    from tui_nn.tui.screens.draw import DrawScreen
    from tui_nn.tui.screens.weights import WeightsScreen

    assert main(["--home", str(home), "run", "tiny", "--quiet"]) == 0
    model = next((home / "runs").glob("*.model.npz"))
    model.write_bytes(model.read_bytes()[:500])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        for key, kind in (("v", ConfusionScreen), ("w", WeightsScreen), ("d", DrawScreen)):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, kind)
            notices = [n.message for n in app._notifications]
            assert any("not a readable model file" in m and model.name in m for m in notices), notices
            await pilot.press("space", "escape")  # the screen's keys do nothing harmful; Escape leaves
            assert app.screen.__class__.__name__ == "RunsScreen"
            app.clear_notifications()


async def test_a_model_whose_record_is_gone_is_listed_and_opens_and_delete_takes_both_files(app, home):
    from tui_nn.cli.main import main
    from tui_nn.tui.screens.confusion import ConfusionScreen
    from tui_nn.tui.screens.draw import DrawScreen

    assert main(["--home", str(home), "run", "tiny", "--quiet"]) == 0
    model = next((home / "runs").glob("*.model.npz"))
    model.with_name(model.name.replace(".model.npz", ".json")).unlink()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert "no record" in screen_text(app) and "sgd lr=0.5 b20 e4" in screen_text(app)
        await pilot.press("enter")
        assert "record is gone" in " ".join(n.message for n in app._notifications)
        await pilot.press("v")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfusionScreen) and app.screen.matrix.sum() == 300
        await pilot.press("escape", "d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DrawScreen) and app.screen.probabilities is not None
        await pilot.press("escape")

        assert main(["--home", str(home), "run", "tiny", "--quiet"]) == 0  # a run with its record
        app.screen.reload()
        await pilot.pause()
        assert [r.status for r in app.screen.shown] == ["completed", "no record"]
        await pilot.press("delete")
        await pilot.pause()
        assert "its record and its model" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    left = sorted(p.name for p in (home / "runs").iterdir() if p.suffix in (".json", ".npz"))
    assert left == [model.name]  # the deleted run's record and model are gone; the other model stays


async def test_a_model_whose_data_is_gone_still_draws_with_its_own_preprocessing(app, home, small_digits):
    import shutil

    from tui_nn.cli.main import main
    from tui_nn.experiment.models import load_model
    from tui_nn.tui.screens.draw import DrawScreen

    folder = home / "digits"
    shutil.copytree(small_digits, folder)
    assert main(["--home", str(home), "run", "tiny", "--quiet", "--set", f"data.path={folder}",
                 "--set", "data.train_size=1000", "--set", "data.validation_size=200", "--set", "data.test_size=300"]) == 0
    model_file = next((home / "runs").glob("*.model.npz"))
    shutil.rmtree(folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "d", lambda s: s.probabilities is not None, preset=None)
        assert isinstance(screen, DrawScreen) and screen.canvas.shape == (8, 8)
        assert "no test digits" in screen_text(app) and "test_digit" not in shown_actions(app)
        await pilot.press("space")
        network, _, meta = load_model(model_file)
        scale, offset = meta["data"]["scale"], meta["data"]["offset"]
        x = (screen.canvas.image()[None].reshape(1, -1) * np.float32(scale)).astype(np.float32) + np.float32(offset)
        np.testing.assert_allclose(screen.probabilities, network.predict_proba(x)[0], rtol=1e-6)
