"""A preset's [sweep] in the editor: shown as TOML text, checked as typed, run by ctrl+r, saved by ctrl+s."""

from textual import events

from tui_nn.experiment.presets import find_preset
from tui_nn.tui.screens.editor import EditorScreen
from tui_nn.tui.screens.sweep import SweepScreen
from tui_nn.tui.screens.training import TrainingScreen

from .helpers import open_editor, screen_text, wait_for_training
from .test_editor import key

SIZE = (80, 24)
TWO_RATES = 'seeds = 2\n[grid]\n"optimizer.learning_rate" = [0.05, 0.5]'


async def type_sweep(pilot, editor: EditorScreen, text: str) -> None:
    """Into the sweep's text, a key at a time, as typed (Enter between lines)."""
    editor.set_focus(editor.fields["sweep"].input)
    await pilot.pause()
    for char in text:
        if char == " ":
            pilot.app.post_message(events.Key("space", " "))
        else:
            pilot.app.post_message(key("enter" if char == "\n" else char))
    await pilot.pause()


async def test_a_sweep_presets_text_is_shown_and_its_runs_counted(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "nielsen-ch3-learning-rates")
        box = editor.fields["sweep"].input
        assert box.text.startswith("seeds = 3\n") and '"optimizer.learning_rate" = [0.025, 0.25, 2.5]' in box.text
        assert "3 setting(s), 3 seed(s) each: ctrl+r trains all 9 runs" in screen_text(app)
        assert "ctrl+r runs its sweep (9 runs)" in screen_text(app)
        editor.set_focus(box)
        await pilot.pause()
        labels = [str(label.render()) for label in editor.query(".field-label") if label.styles.text_style.reverse]
        assert labels == ["sweep"]  # the one thing that looks focused, without colour too
        assert editor.query_one("#sweep-runs").region.bottom <= editor.query_one("#form").region.bottom  # in view


async def test_a_sweep_typed_into_a_plain_preset_runs_all_its_points_from_ctrl_r(app, home):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        assert "no sweep: ctrl+r trains the spec once" in screen_text(app)
        await type_sweep(pilot, editor, TWO_RATES)
        await pilot.press("ctrl+r")  # right behind the last key: the draft already holds it
        await pilot.pause()
        sweep = app.screen
        assert isinstance(sweep, SweepScreen)
        assert sweep.preset.sweep == {"seeds": 2, "grid": {"optimizer.learning_rate": [0.05, 0.5]}}
        assert len(sweep.all_points) == 4 and {p.seed for p in sweep.all_points} == {2, 3}
        assert sweep.preset.spec == editor.spec
        await wait_for_training(pilot)
        assert sweep.state == "completed", sweep.note
        assert len(list((home / "runs" / "sweeps" / "tiny").glob("*.json"))) >= 4
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is editor  # back to the form as it was


async def test_a_sweep_with_a_problem_is_marked_at_its_text_and_refused(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await type_sweep(pilot, editor, 'seeds = 2\n[grid]\n"optimizer.lr" = [0.1, 1.0]')
        error = editor.fields["sweep"].error
        assert error.text and "optimizer.lr" in error.text
        editor.set_focus(editor.fields["description"].input)
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen is editor and "cannot run" in screen_text(app)
        assert app.focused is editor.fields["sweep"].input  # taken to the problem
        editor.fields["sweep"].input.text = TWO_RATES  # as a paste over it all
        await pilot.pause()
        assert not error.text and not editor.problems and "ctrl+r runs its sweep (4 runs)" in screen_text(app)


async def test_bad_toml_names_its_line_and_clearing_the_text_trains_once(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await type_sweep(pilot, editor, "seeds = [2")
        error = editor.fields["sweep"].error
        assert error.text == "not valid TOML: Unclosed array (at end of document)"
        await type_sweep(pilot, editor, "\n[grid]")  # the reader gives up on line 2, past the open array
        assert error.text.startswith("not valid TOML: ") and "(at line 2" in error.text
        editor.fields["sweep"].input.text = "seeds = 0\n"
        await pilot.pause()
        assert error.text == "sweep.seeds = 0: must be an integer from 1 to 100"  # the part of the sweep named
        editor.fields["sweep"].input.text = "'[b]' = 1\n"
        await pilot.pause()
        assert str(error.render()).startswith("sweep.[b] is not a field")  # as typed, not read as markup
        editor.fields["sweep"].input.clear()
        await pilot.pause()
        assert editor.draft.sweep_text == "" and not editor.problems
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, TrainingScreen)
        await pilot.press("s")
        await app.workers.wait_for_complete()


async def test_ctrl_s_saves_the_sweep_and_a_cleared_sweep_is_saved_as_none(app, home):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await type_sweep(pilot, editor, TWO_RATES)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"tiny-rates", "enter")
        await pilot.pause()
        saved = find_preset("tiny-rates", home)
        assert saved.sweep == {"seeds": 2, "grid": {"optimizer.learning_rate": [0.05, 0.5]}}
        # its description, the source's no longer, says what it trains
        assert saved.description.endswith("on mnist; a sweep over optimizer.learning_rate (4 runs)")
        assert "a sweep of 4 runs: Enter runs it" in screen_text(app)  # the home screen, on the saved preset
        row = app.screen.query_one("#presets").get_row("u:tiny-rates")
        assert row[2] == "sgd swept"  # not the base's rate: the runs train with two

        editor = await open_editor(pilot, "nielsen-ch3-learning-rates")
        editor.fields["sweep"].input.clear()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"rates-once", "enter")
        await pilot.pause()
        copy = find_preset("rates-once", home)
        assert copy.sweep is None and copy.expected is None  # the book's chart was of the sweep


async def test_escape_after_editing_only_the_sweep_asks_before_discarding(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await type_sweep(pilot, editor, "seeds = 2")
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard your changes" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor and editor.draft.sweep_text == "seeds = 2"  # kept, as typed


async def test_escape_on_an_unchanged_sweep_preset_leaves_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "lab-optimizers")
        editor.set_focus(editor.fields["sweep"].input)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not editor and "Discard" not in screen_text(app)
