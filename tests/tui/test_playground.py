"""The playground: a problem of one or two inputs training live with its decision map, each key a
change of the spec that starts again, and a saved spec that the CLI trains to the same numbers."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tui_nn.cli.main import main
from tui_nn.experiment.presets import read_preset_file, save_user_preset
from tui_nn.experiment.spec.schema import LayerSpec
from tui_nn.tui import playground_spec as pg
from tui_nn.tui.app import make_app
from tui_nn.tui.screens import presets as presets_screen
from tui_nn.tui.screens.playground import PlaygroundScreen
from tui_nn.tui.widgets.decision_view import DecisionMap, UnitMaps
from tui_nn.tui.widgets.metric_sparkline import MetricSparkline

from .helpers import highlight_preset, screen_text
from .waiting import until

SIZE = (80, 24)
PRESETS = Path(__file__).resolve().parents[2] / "presets"


def shortened(name: str, key: str, epochs: int, **training):
    """A built-in preset of the playground, fewer epochs, saved as the user's ``key``."""
    preset = read_preset_file(PRESETS / f"{name}.toml", builtin=True)
    spec = preset.spec
    spec = replace(spec, training=replace(spec.training, epochs=epochs, **training))
    return replace(preset, key=key, name=key, spec=spec, builtin=False, path=None)  # a built-in's name is taken


@pytest.fixture
def pg_home(home):
    save_user_preset(shortened("playground-circle", "pg-circle", 12), home)
    save_user_preset(shortened("playground-spiral", "pg-spiral", 400), home)  # long: keys arrive while it trains
    function = shortened("nielsen-ch4-function", "pg-function", 6)
    layers = (LayerSpec(units=20, activation="relu"), function.spec.model.layers[-1])
    save_user_preset(replace(function, spec=replace(function.spec, model=replace(function.spec.model,
                                                                                   layers=layers))), home)
    return home


async def open_on(pilot, key: str, press: str = "enter") -> PlaygroundScreen:
    await highlight_preset(pilot, key)
    await pilot.press(press)
    await until(lambda: isinstance(pilot.app.screen, PlaygroundScreen), "the playground opens")
    return pilot.app.screen


async def until_done(screen: PlaygroundScreen) -> None:
    await until(lambda: screen.state not in ("starting", "training") and screen.query(DecisionMap)
                and screen.redraws > 0, "the run ends")
    await until(lambda: screen.worker is None or screen.worker.is_finished, "the worker ends")
    await screen.app.workers.wait_for_complete()


def map_text(screen) -> str:
    return str(screen.query_one(DecisionMap).render())


async def test_enter_on_a_two_input_preset_trains_it_in_the_playground(pg_home):
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-circle")
        await until_done(screen)
        assert screen.state == "completed"
        drawn = map_text(screen)
        assert "o" in drawn and "x" in drawn, "both classes' points as glyphs"
        assert "░" in drawn, "the positive class's region"
        assert "o negative ' '  x positive '░'" in drawn
        units = str(screen.query_one(UnitMaps).render())
        assert "layer 1: 4 tanh" in units and "layer 2: 2 tanh" in units
        assert [len(s.values) for s in screen.query(MetricSparkline)] == [12, 12]
        assert "pg-circle  epoch 12/12  test " in screen_text(app)


async def test_the_playground_opens_from_home_on_its_default_problem(pg_home, monkeypatch):
    monkeypatch.setattr(presets_screen, "PLAYGROUND", "pg-circle")
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "tiny", press="p")  # not a table: the default opens
        assert screen.preset.key == "pg-circle"
        await until_done(screen)


def next_of(values, value, step: int):
    return values[(values.index(value) + step) % len(values)]


#: Each key and what it changes, from the spec before it (pressed in this order, on one run after another).
KEYS = [
    ("d", lambda old, new: new.data.dataset == next_of(pg.DATASETS, old.data.dataset, 1) == "plane"
     and new.model.loss == "quadratic"),
    ("D", lambda old, new: new.data.dataset == next_of(pg.DATASETS, old.data.dataset, -1) == "spiral"),
    ("n", lambda old, new: new.data.noise == old.data.noise + 5),
    ("f", lambda old, new: new.data.features == ("x1", "x2", "x1*x2")),
    ("l", lambda old, new: len(new.model.layers) == len(old.model.layers) + 1),
    ("L", lambda old, new: len(new.model.layers) == len(old.model.layers) - 1),
    ("minus", lambda old, new: sum(layer.units for layer in new.model.layers)  # the picked layer's, one fewer
     == sum(layer.units for layer in old.model.layers) - 1),
    ("a", lambda old, new: {layer.activation for layer in new.model.layers[:-1]} == {"relu"}),
    ("r", lambda old, new: new.optimizer.learning_rate == next_of(pg.LEARNING_RATES, old.optimizer.learning_rate, 1)),
    ("R", lambda old, new: new.optimizer.learning_rate == next_of(pg.LEARNING_RATES, old.optimizer.learning_rate, -1)),
    ("R", lambda old, new: new.optimizer.learning_rate == next_of(pg.LEARNING_RATES, old.optimizer.learning_rate, -1)),
    ("g", lambda old, new: new.regularization.l1 == 0.001),
]


async def test_each_key_changes_the_spec_and_starts_again(pg_home):
    """One app for every key (each a fresh run): the keys in turn, each checked against the spec before it."""
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-spiral")
        await until(lambda: screen.epoch >= 1, "the first epoch")
        for key, changed in KEYS:
            old, run = screen.spec, screen.run
            await pilot.press(key)
            assert changed(old, screen.spec), f"{key}: {screen.spec}"
            assert screen.run == run + 1
            # a spec changed from the preset's records as the playground's; back to it (d then D), as the preset
            assert screen.record_key() == ("pg-spiral" if screen.spec == screen.preset.spec else "playground")
            await until(lambda: screen.epoch >= 1 and screen.redraws > 0, f"the first epoch after {key}")
            shown = "\n".join(pg.describe(screen.spec, screen.selected))
            assert shown == str(screen.query_one("#pg-spec").render()), key
        await pilot.press("escape")
        await app.workers.wait_for_complete()


async def test_units_plus_and_regularization_rate_and_the_layer_picked(pg_home):
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-circle")
        await pilot.press("right", "plus")  # the second hidden layer: 2 units -> 3
        assert [layer.units for layer in pg.hidden(screen.spec)] == [4, 3]
        assert "hidden 4 [3]  tanh" in str(screen.query_one("#pg-spec").render())
        await pilot.press("g", "g", "w")  # none -> L1 -> L2 at 0.001, then the next rate
        assert (screen.spec.regularization.l1, screen.spec.regularization.l2) == (0.0, 0.003)
        await pilot.press("W", "W")
        assert screen.spec.regularization.l2 == 0.001, "the lowest rate of a penalty that is on"
        await until_done(screen)


async def test_a_function_of_one_input_shows_its_curve_over_the_target(pg_home):
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-function")
        await until_done(screen)
        drawn = map_text(screen)
        assert ". target  * network  # both" in drawn
        assert "*" in drawn.split("x ")[0], "the network's curve is drawn"
        assert "test R2" in screen_text(app)
        await pilot.press("f")  # no x2 to combine: the spec stays
        assert screen.spec.data.features == ()


async def test_the_playground_in_ascii_mode_draws_ascii(pg_home):
    app = make_app(home=pg_home, ascii_art=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-circle")
        await until_done(screen)
        for widget in (screen.query_one(DecisionMap), screen.query_one(UnitMaps)):
            text = str(widget.render())
            assert text.isascii(), text
        assert "o negative ' '  x positive '.'" in map_text(screen)
        await pilot.press("d", "d", "d", "d")  # plane: a regression's surface beside its target
        await until_done(screen)
        drawn = map_text(screen)
        assert drawn.isascii() and "network" in drawn and "target" in drawn


async def test_a_saved_playground_spec_trains_to_the_same_numbers_from_the_cli(pg_home, tmp_path):
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "pg-circle")
        await pilot.press("n", "f")  # noise 5, x1*x2 as a third input
        await until_done(screen)
        shown = screen.final
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"my-circle", "enter")
        await pilot.pause()
        screen_record = screen.record_path
    record = tmp_path / "cli.json"
    assert main(["--home", str(pg_home), "run", "my-circle", "--record", str(record), "--quiet"]) == 0
    cli = json.loads(record.read_text())
    ours = json.loads(screen_record.read_text())
    assert cli["spec"] == ours["spec"]
    assert cli["spec"]["data"]["noise"] == 5 and "x1*x2" in cli["spec"]["data"]["features"]
    assert cli["final"]["test_loss"] == ours["final"]["test_loss"] == pytest.approx(shown.test_loss)
    assert cli["final"]["test_accuracy"] == ours["final"]["test_accuracy"] == shown.test_accuracy
    assert main(["--home", str(pg_home), "replay", str(screen_record)]) == 0


@pytest.mark.parametrize("name,inputs", [("notebook-xor-relu", 2), ("playground-spiral", 2),
                                         ("nielsen-ch4-function", 1), ("first-look", None)])
def test_the_presets_the_playground_opens_for(name, inputs):
    path = PRESETS / f"{name}.toml"
    assert pg.playground_inputs(read_preset_file(path, builtin=True).spec) == inputs


def ring_table(path: Path, columns: int = 2) -> Path:
    lines = [",".join(f"c{i}" for i in range(columns)) + ",where"]
    for i in range(120):
        a, b = (i % 11) / 5 - 1, (i % 7) / 3 - 1
        lines.append(",".join([f"{a:.3f}", f"{b:.3f}"] + ["0.5"] * (columns - 2)) + (",in" if a * a + b * b < 0.5
                                                                                    else ",out"))
    path.write_text("\n".join(lines) + "\n")
    return path


async def test_a_csv_table_of_two_columns_opens_in_the_playground_with_the_defaults_that_fit_it(pg_home, tmp_path):
    table = ring_table(tmp_path / "ring.csv")
    wide = ring_table(tmp_path / "wide.csv", columns=3)
    preset = shortened("playground-circle", "ring", 5)
    for key, path in (("ring", table), ("wide", wide)):
        spec = replace(preset.spec, data=replace(preset.spec.data, dataset="mnist", path=str(path), target="where"))
        save_user_preset(replace(preset, key=key, spec=spec), pg_home)
    assert pg.playground_inputs(spec) is None, "three feature columns: the training screen's"
    app = make_app(home=pg_home)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_on(pilot, "ring")
        await until_done(screen)
        assert "o in ' '  x out '░'" in map_text(screen)
        assert "data ring.csv -> where" in str(screen.query_one("#pg-spec").render())
        assert screen.record_key() == "ring"
