"""`n` on the home screen: a new preset starting from the highlighted one, in the editor, saved
under a free name of its own; the preset it started from is left as it was."""

from dataclasses import replace

import pytest
from textual.widgets import Input

from tui_nn.experiment.presets import find_preset, save_user_preset
from tui_nn.tui.screens.editor import EditorScreen
from tui_nn.tui.screens.presets import PresetsScreen

from .helpers import highlight_preset, screen_text

SIZE = (80, 24)


@pytest.mark.parametrize("source, offered", [("first-look", "first-look-copy"), ("tiny", "tiny-copy2")])
async def test_n_opens_the_editor_on_a_new_preset_with_the_highlighted_ones_spec(app, home, source, offered):
    original = find_preset(source, home)
    save_user_preset(replace(find_preset("tiny", home), key="tiny-copy", path=None), home)  # a name already taken
    before = sorted(p.name for p in (home / "presets").iterdir())
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reload()
        await highlight_preset(pilot, source)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("ctrl+s")  # saved as it opened: the new preset is the highlighted one's spec
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        assert name.value == offered  # a free name is offered, never the source's
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresetsScreen) and offered in [p.key for p in app.screen.presets]
        assert app.screen.highlighted.key == offered  # home shows the preset just saved
    made = find_preset(offered, home)
    assert not made.builtin and made.spec == original.spec
    assert sorted(p.name for p in (home / "presets").iterdir()) == sorted([*before, f"{offered}.toml"])
    assert find_preset(source, home) == original  # the source is untouched


async def test_a_new_preset_whose_spec_changed_gets_a_description_of_what_it_trains(app, home):
    original = find_preset("tiny", home)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.reload()
        await highlight_preset(pilot, "tiny")
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        field = editor.fields["training.epochs"].input
        field.value = "7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    made = find_preset("tiny-copy", home)
    assert made.spec.training.epochs == 7 and made.description != original.description
    assert made.description.endswith("7 epochs on mnist") and "sgd lr=0.5" in made.description


async def test_slash_then_a_name_jumps_to_that_preset_as_it_is_typed(app, home):
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("slash", *"lab-adam")
        await pilot.pause()
        assert screen.highlighted.key == "lab-adam"  # the list moved behind the dialog
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.highlighted.key == "lab-adam"
        await pilot.press("slash", *"ch4")  # part of a name
        await pilot.pause()
        assert screen.highlighted.key == "nielsen-ch4-function"
        await pilot.press("escape")  # back to where it was
        await pilot.pause()
        assert screen.highlighted.key == "lab-adam"
        await pilot.press("slash", *"zzz")  # "z" is in lab-optimizers; "zzz" in nothing
        await pilot.pause()
        assert screen.highlighted.key == "lab-adam" and "no preset has 'zzz' in its name" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.highlighted.key == "lab-adam"  # nothing found: it stays
