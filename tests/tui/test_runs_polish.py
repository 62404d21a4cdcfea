"""The Runs, Compare and Sweep screens at 80x24: Delete names exactly the runs it deletes, the
runs list shows the date and architecture and cuts long names with an ellipsis, comparisons are
labelled by what differs, and a sweep's points go by their settings."""

import json

from textual.widgets import DataTable, Input, Static
from textual_plotext import PlotextPlot

from tui_nn.experiment.presets import find_preset, parse_preset, save_user_preset
from tui_nn.experiment.spec.parse import spec_to_dict
from tui_nn.runs.labels import started_text

from .helpers import TINY, screen_text, wait_for_training

SIZE = (80, 24)
CONV = [{"type": "conv2d", "filters": 20, "kernel": 5, "activation": "relu"},
        {"type": "maxpool2d", "size": 2}, {"type": "dense", "units": 10, "activation": "softmax"}]
STARTED = "2026-11-23T12:0{}:00+00:00"


def write_run(home, index: int, preset: str = "tiny", layers=None, optimizer=None, seed: int = 2,
              folder=None) -> tuple:
    """A run record (and a stand-in model file beside it) as `tui-nn run` leaves them; the record
    and model paths."""
    raw = spec_to_dict(find_preset("tiny", home).spec)
    if layers is not None:  # as a record holds them: every field of each layer filled in
        raw["model"]["layers"] = spec_to_dict(parse_preset({**TINY, "model": {**TINY["model"], "layers": layers}},
                                                           "x").spec)["model"]["layers"]
    if optimizer is not None:
        raw["optimizer"] = optimizer
    raw["seed"] = seed
    epochs = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.8 + 0.01 * e + 0.001 * index,
               "val_loss": 1.1 / e, "val_accuracy": 0.8 + 0.01 * e, "test_loss": 1.2 / e,
               "test_accuracy": 0.8 + 0.01 * e + 0.002 * index, "seconds": 1.0} for e in range(1, 4)]
    stem = f"20261123-12000{index}-000000-{preset}" if folder is None else f"{index:012x}"
    folder = folder or home / "runs"
    folder.mkdir(parents=True, exist_ok=True)
    record = {"format": 1, "preset": preset, "spec": raw, "seed": seed, "status": "completed", "epochs": epochs,
              "final": {"test_accuracy": epochs[-1]["test_accuracy"]}, "wall_seconds": 3.0,
              "started": STARTED.format(index), "model": f"{stem}.model.npz"}
    path = folder / f"{stem}.json"
    path.write_text(json.dumps(record))
    model = folder / f"{stem}.model.npz"
    model.write_bytes(b"a stand-in: the runs list never opens it")
    return path, model


def fits(widget, text: str) -> bool:
    """The whole of ``text`` is on screen in ``widget`` (one line, nothing cut at the right)."""
    return widget.region.right <= SIZE[0] and widget.content_size.width >= len(text)


async def open_runs(pilot):
    await pilot.press("r")
    await pilot.pause()
    return pilot.app.screen


async def test_delete_names_the_picked_runs_in_full_and_deletes_exactly_those(app, home):
    from tui_nn.tui.screens.delete_runs import DeleteRunsScreen

    files = [write_run(home, index) for index in range(3)]  # listed newest first: 2, 1, 0
    async with app.run_test(size=SIZE) as pilot:
        runs = await open_runs(pilot)
        await pilot.press("space", "down", "space", "down")  # pick two, highlight a third
        assert runs.highlighted.id == files[0][0].stem
        await pilot.press("delete")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DeleteRunsScreen)
        named = [str(w.render()) for w in dialog.query(".doomed-run")]
        assert named == [files[2][0].stem, files[1][0].stem]  # the picked two, not the highlighted row
        assert all(fits(widget, text) for widget, text in zip(dialog.query(".doomed-run"), named))
        question = dialog.query_one("#delete-question", Static)
        assert "Delete these 2 runs" in str(question.render()) and fits(question, str(question.render()))
        assert "cannot be undone" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert [p.exists() for pair in files for p in pair] == [True, True, False, False, False, False]
        assert [r.id for r in runs.runs] == [files[0][0].stem] and not runs.selected
        # Nothing picked: Delete names the highlighted run, and n keeps it.
        await pilot.press("delete")
        await pilot.pause()
        assert [str(w.render()) for w in app.screen.query(".doomed-run")] == [files[0][0].stem]
        assert "Delete this run" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert files[0][0].exists() and files[0][1].exists() and len(runs.runs) == 1


async def test_the_runs_list_shows_date_architecture_and_cut_names_and_finds_conv(app, home):
    write_run(home, 1, preset="lab-optimizers-copy", layers=CONV)
    write_run(home, 2, preset="lab-optimizers")
    async with app.run_test(size=SIZE) as pilot:
        runs = await open_runs(pilot)
        table = runs.query_one("#runs", DataTable)
        rows = [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]
        headings = [str(column.label).strip() for column in table.columns.values()]
        assert headings == ["started", "preset", "architecture", "settings", "test", "status"]
        assert rows[0][:3] == [started_text(STARTED.format(2)), "lab-optimizers", "[784,20,10]"]
        assert rows[1][:3] == [started_text(STARTED.format(1)), "lab-optimizers…", "[20c5,p2,10]"]
        assert len(rows[0][0]) == len("11-23 12:02")  # the date as well as the time
        # Every column is on screen at 80 columns: nothing scrolls sideways.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        # The highlighted run in full below the table.
        detail = str(runs.query_one("#run-detail", Static).render())
        assert "20261123-120002-000000-lab-optimizers" in detail and "[784,20,10]" in detail
        await pilot.press("down")
        assert "lab-optimizers-copy" in str(runs.query_one("#run-detail", Static).render())
        await pilot.press("slash", *"conv")
        await pilot.pause()
        assert runs.query_one("#filter", Input).value == "conv"
        assert [r.preset for r in runs.shown] == ["lab-optimizers-copy"]


def optimizer_sweep(home) -> list:
    """The records of a sweep over optimizers with two seeds each, as a sweep's folder holds them."""
    folder = home / "runs" / "sweeps" / "optimizers"
    optimizers = [{"name": "sgd", "learning_rate": 0.05}, {"name": "momentum", "learning_rate": 0.005,
                                                           "momentum": 0.9},
                  {"name": "adam", "learning_rate": 0.05, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}]
    return [write_run(home, 2 * i + s, preset="optimizers", optimizer=o, seed=s + 1, folder=folder)[0]
            for i, o in enumerate(optimizers) for s in range(2)]


async def test_a_sweep_comparison_is_labelled_by_optimizer_and_seed_below_the_chart(app, home):
    from tui_nn.tui.screens.runs import CompareScreen

    paths = optimizer_sweep(home)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(CompareScreen(paths))
        await pilot.pause()
        table = app.screen.query_one("#compare-table", DataTable)
        labels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert labels == ["sgd lr=0.05 seed=1", "sgd lr=0.05 seed=2", "momentum lr=0.005 seed=1",
                          "momentum lr=0.005 seed=2", "adam lr=0.05 seed=1", "adam lr=0.05 seed=2"]
        assert [str(table.get_row_at(i)[0]) for i in range(6)] == ["+", "x", "o", "*", "#", "@"]
        chart = str(app.screen.query_one(PlotextPlot).render())
        assert "test accuracy" in chart and "sgd" not in chart and "seed" not in chart  # no legend over the curves


async def test_a_sweeps_points_go_by_their_settings_not_their_hash(app, home):
    from tui_nn.tui.screens.runs import RunsScreen

    paths = optimizer_sweep(home)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(RunsScreen(paths[0].parent, title="sweep optimizers"))
        await pilot.pause()
        runs = app.screen
        table = runs.query_one("#runs", DataTable)
        assert str(list(table.columns.values())[1].label).strip() == "point"
        names = [str(table.get_row_at(i)[1]).strip() for i in range(table.row_count)]
        assert names == ["adam lr=0.05 seed=2", "adam lr=0.05 seed=1", "momentum lr=0.005 seed=2",
                         "momentum lr=0.005 seed=1", "sgd lr=0.05 seed=2", "sgd lr=0.05 seed=1"]
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not any(path.stem in screen_text(app).split() for path in paths[:-1])  # no hash names a row
        await pilot.press("slash", *"momentum seed=2", "enter")
        await pilot.pause()
        assert [runs.names[r.id] for r in runs.shown] == ["momentum lr=0.005 seed=2"]
        await pilot.press("enter")
        await pilot.pause()
        title = str(app.screen.query_one("#run-title", Static).render())
        assert title.startswith("momentum lr=0.005 seed=2 (completed)")


async def test_the_sweep_leaderboard_names_its_metric_and_a_single_run_has_no_spread(app, home):
    table = {**TINY, "name": "two-optimizers", "description": "two optimizers, one seed",
             "training": {"epochs": 1, "batch_size": 20},
             "sweep": {"seeds": 1, "alternatives": [{"label": "sgd", "optimizer": {"name": "sgd",
                                                                                   "learning_rate": 0.5}},
                                                    {"label": "adam", "optimizer": {"name": "adam",
                                                                                    "learning_rate": 0.01}}]}}
    save_user_preset(parse_preset(table, "two-optimizers"), home)
    from tui_nn.tui.screens.sweep import SweepScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(SweepScreen(find_preset("two-optimizers", home), processes=1))
        await wait_for_training(pilot)
        sweep = app.screen
        assert sweep.state == "completed", sweep.note
        board = sweep.query_one("#leaderboard", DataTable)
        headings = [str(column.label) for column in board.columns.values()]
        assert headings == ["#", "alternative", "runs", "mean test acc", "sd"]
        rows = [[str(cell) for cell in board.get_row_at(i)] for i in range(board.row_count)]
        assert sorted(row[1] for row in rows) == ["adam", "sgd"]
        assert all(row[2] == "1" and row[3].endswith("%") and row[4] == "" for row in rows)
        assert "0.00%" not in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        names = sorted(app.screen.names.values())
        assert names == ["adam", "sgd"]  # as the leaderboard names them: by the alternatives' labels


async def test_runs_without_single_runs_say_where_the_sweeps_runs_are(app, home):
    optimizer_sweep(home)
    async with app.run_test(size=SIZE) as pilot:
        runs = await open_runs(pilot)
        assert runs.shown == []
        detail = str(runs.query_one("#run-detail", Static).render())
        assert detail.startswith("sweep runs are kept apart: optimizers (r on a sweep's leaderboard; tui-nn runs --sweep")
        assert len(detail) <= 3 * 78  # the detail line holds up to three lines


async def test_an_empty_runs_list_says_how_runs_get_there(app, home):
    async with app.run_test(size=SIZE) as pilot:
        runs = await open_runs(pilot)
        assert str(runs.query_one("#run-detail", Static).render()).startswith("no runs yet: Enter on a preset")
