"""The editor as a user types into it: fast keys, pastes, a layer added and typed into at once, the schedule switch.

Keys are posted to the app as the terminal driver posts them (one event each, without waiting for
the app to handle the previous one), so a key that overtook another would land in the wrong field.
"""

import asyncio

import pytest
from textual import events
from textual.widgets import Input

from tui_nn.experiment.presets import find_preset
from tui_nn.tui.screens.editor import EditorScreen

from .helpers import open_editor, screen_text

SIZE = (80, 24)
SIZES = ("data.train_size", "data.validation_size", "data.test_size")


def key(name: str) -> events.Key:
    return events.Key(name, {"tab": "\t"}.get(name, name if len(name) == 1 else None))


async def type_keys(app, names, gap: float) -> None:
    """Each key as its own event, ``gap`` seconds apart (0: all at once, as a burst)."""
    for name in names:
        app.post_message(key(name))
        if gap:
            await asyncio.sleep(gap)


async def test_the_editor_opens_with_the_first_field_focused(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        assert isinstance(editor, EditorScreen)
        assert app.focused is editor.fields["description"].input and app.focused.id == "f-description"
        await pilot.press(*"my ")  # typed at the start: the description is not replaced
        assert editor.draft.description == "my A tiny run for the tests."


async def test_the_focused_fields_label_follows_the_focus(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")

        def marked() -> list[str]:  # reverse video shows the focus without colour too
            return [str(label.render()) for label in editor.query(".field-label, .layer-index")
                    if label.styles.text_style.reverse]

        assert marked() == ["description"]
        await pilot.press("tab")
        assert marked() == ["dataset"]
        editor.set_focus(editor.layer_rows[1].inputs["units"])
        await pilot.pause()
        assert marked() == ["2."]


@pytest.mark.parametrize("gap", [0.02, 0.0], ids=["20ms-apart", "all-at-once"])
async def test_keys_typed_fast_with_tab_between_fields_land_where_they_were_typed(app, gap):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.set_focus(editor.fields["data.train_size"].input)
        await pilot.pause()
        await type_keys(app, [*"3000", "tab", *"700", "tab", *"600"], gap)
        await pilot.pause()
        assert [editor.fields[path].input.value for path in SIZES] == ["3000", "700", "600"]
        assert [editor.draft.value(path) for path in SIZES] == [3000, 700, 600]
        assert not editor.problems and "valid" in screen_text(app)
        assert (editor.spec.data.train_size, editor.spec.data.validation_size, editor.spec.data.test_size) == \
            (3000, 700, 600)
        assert app.focused is editor.fields["data.test_size"].input


async def test_a_bracketed_paste_into_three_fields_leaves_exactly_what_was_pasted(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.set_focus(editor.fields["data.train_size"].input)
        await pilot.pause()
        # As a terminal sends a bracketed paste: one Paste event with the whole text.
        for event in (events.Paste("3000"), key("tab"), events.Paste("700"), key("tab"), events.Paste("600")):
            app.post_message(event)
        await pilot.pause()
        assert [editor.fields[path].input.value for path in SIZES] == ["3000", "700", "600"]
        assert [editor.draft.value(path) for path in SIZES] == [3000, 700, 600]
        assert not editor.problems


async def test_ctrl_n_then_typing_at_once_types_into_the_new_layer(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.set_focus(editor.layer_rows[0].inputs["units"])
        await pilot.pause()
        before = editor.draft.state()
        await type_keys(app, ["ctrl+n", *"42"], 0.0)
        await pilot.pause()
        assert [row.layer_draft.table() for row in editor.layer_rows] == [
            {"type": "dense", "units": 20, "activation": "relu"},
            {"type": "dense", "units": 42, "activation": "relu"},
            {"type": "dense", "units": 10, "activation": "softmax"}]
        assert editor.layer_rows[1].inputs["units"].value == "42"
        assert app.focused is editor.layer_rows[1].inputs["units"]
        after = editor.draft.state()
        del before[0]["model"]["layers"], after[0]["model"]["layers"]
        assert after == before  # no other field took a key
        assert [layer.units for layer in editor.spec.model.layers] == [20, 42, 10] and not editor.problems
        assert [str(row.number.render()) for row in editor.layer_rows] == ["1.", "2.", "3."]
        # Twice more at once: the row made ahead for ctrl+n is used at most once, then rows are mounted.
        await type_keys(app, ["ctrl+n", *"7", "ctrl+n", *"8"], 0.0)
        await pilot.pause()
        assert [layer.units for layer in editor.spec.model.layers] == [20, 42, 7, 8, 10] and not editor.problems
        assert app.focused is editor.layer_rows[3].inputs["units"]
        assert [str(row.number.render()) for row in editor.layer_rows] == ["1.", "2.", "3.", "4.", "5."]


async def test_tab_leaves_the_layer_list_for_the_next_section(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        await pilot.press("ctrl+n")  # the row made ahead is used, and another one made
        await pilot.pause()
        editor.set_focus(editor.layer_rows[-1].inputs["activation"])
        await pilot.press("tab")
        assert app.focused is editor.fields["model.loss"].input  # past the hidden row made ahead
        assert editor.layer_list.spare is not None and not editor.layer_list.spare.display


async def test_layer_keys_move_one_row_and_keep_the_others(app):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny-conv")
        rows = list(editor.layer_rows)
        editor.set_focus(rows[1].inputs["size"])
        await pilot.pause()
        await pilot.press("alt+down")
        assert editor.layer_rows == [rows[0], rows[2], rows[1], rows[3]]  # the same widgets, one moved
        assert app.focused is rows[1].inputs["size"]
        assert [layer.type for layer in editor.spec.model.layers] == ["conv2d", "conv2d", "maxpool2d", "dense"]
        await pilot.press("alt+up")
        assert editor.layer_rows == rows and not editor.problems
        assert str(rows[1].shape.render()) == "4x12x12 0p"


async def test_choosing_another_schedule_shows_exactly_its_settings_and_they_reach_the_saved_spec(app, home):
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        assert not editor.query("#schedule-settings Input")  # constant: no settings
        schedule = editor.fields["training.schedule.name"].input
        schedule.value = "plateau"
        await pilot.pause()
        assert [w.id for w in editor.query("#schedule-settings Input")] == [
            "f-training-schedule-factor", "f-training-schedule-patience", "f-training-schedule-min_rate"]
        schedule.value = "step"
        await pilot.pause()
        settings = editor.query("#schedule-settings Input")
        assert [w.id for w in settings] == ["f-training-schedule-every", "f-training-schedule-factor"]
        assert [w.value for w in settings] == ["10", "0.5"]  # the step schedule's defaults
        every = editor.query_one("#f-training-schedule-every", Input)
        every.value = "0"
        await pilot.pause()
        assert "must be an integer >= 1" in str(editor.query_one("#e-training-schedule-every").render())
        every.value = "3"
        await pilot.pause()
        assert not editor.problems
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"tiny-step", "enter")
        await pilot.pause()
        saved = find_preset("tiny-step", home).spec.training.schedule
        assert (saved.name, saved.settings) == ("step", {"every": 3, "factor": 0.5})


async def test_a_tables_fields_show_only_for_data_that_reads_them(app, tmp_path):
    table = tmp_path / "ring.csv"
    table.write_text("a,b,where\n" + "".join(f"{i % 7},{i % 5},{'in' if i % 3 else 'out'}\n" for i in range(60)))
    only_some = ("target", "task", "gate", "points", "noise", "train_fraction", "download", "normalization",
                 "augment.expand", "augment.shift", "augment.rotate", "augment.scale", "augment.translate")
    images = {"download", "normalization", "augment.expand", "augment.shift", "augment.rotate", "augment.scale",
              "augment.translate"}

    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")

        def shown() -> set[str]:
            return {key for key in only_some if editor.fields[f"data.{key}"].display}

        assert shown() == images  # MNIST reads no table's field
        editor.fields["data.dataset"].input.value = "gates"
        await pilot.pause()
        assert shown() == {"gate"}  # nor a table an image's
        editor.fields["data.dataset"].input.value = "plane"
        await pilot.pause()
        assert shown() == {"points", "noise", "train_fraction"}
        editor.fields["data.noise"].input.value = "5"
        editor.fields["data.dataset"].input.value = "mnist"
        await pilot.pause()
        assert shown() == images | {"noise"} and "data.noise" in {p.path for p in editor.problems}  # set: kept
        editor.set_focus(editor.fields["data.noise"].input)
        editor.fields["data.noise"].input.value = "0"
        await pilot.pause()
        assert shown() == images | {"noise"} and not editor.problems  # not taken away from under the cursor
        assert app.focused is editor.fields["data.noise"].input
        editor.fields["data.noise"].input.value = "0.0"  # the next check after the focus moved on hides it
        editor.set_focus(editor.fields["data.path"].input)
        editor.validate()
        await pilot.pause()
        assert shown() == images
        editor.fields["data.path"].input.value = str(table)
        await pilot.pause()
        assert shown() == {"target", "task", "train_fraction"}
