"""ASCII mode: every screen's characters become ASCII on the way out, none as a '?' stand-in."""

import html
import re

from tui_nn.experiment.presets import find_preset
from tui_nn.tui.app import make_app
from tui_nn.tui.ascii import GLYPHS, to_ascii
from tui_nn.tui.screens.dialogs import ConfirmScreen
from tui_nn.tui.screens.gallery import DigitDetail, GalleryScreen
from tui_nn.tui.widgets.digit_art import DigitCard

from .helpers import open_editor
from .test_snapshots import ScriptedTraining, scripted_predictions

SIZE = (80, 24)


def drawn_characters(app) -> set[str]:
    """Every character on the screen as the compositor draws it (read from a screenshot)."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return set(html.unescape("".join(texts)))


def untranslated(app) -> set[str]:
    return {c for c in drawn_characters(app) if ord(c) > 127 and c not in GLYPHS}


async def test_every_screen_is_ascii_in_ascii_mode(home, mnist):
    app = make_app(home=home, dataset=mnist, ascii_art=True)
    async with app.run_test(size=SIZE) as pilot:
        seen: dict[str, set[str]] = {}
        seen["home"] = untranslated(app)
        await open_editor(pilot, "tiny")
        seen["editor"] = untranslated(app)
        app.screen.query_one("#f-data-dataset").focus()
        await pilot.press("enter")  # the dropdown open
        await pilot.pause()
        seen["dropdown"] = untranslated(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        predictions = scripted_predictions(mnist)
        await app.push_screen(ScriptedTraining(find_preset("first-look", home), predictions))
        await pilot.pause()  # the scripted events are all posted at mount
        seen["training"] = untranslated(app)
        await app.push_screen(GalleryScreen(predictions))
        await pilot.pause()
        seen["gallery"] = untranslated(app)
        # The digits and the right/wrong marks are ASCII at their source, not translated.
        cards = [str(card.render()) for card in app.screen.query(DigitCard)]
        assert cards and all(card.isascii() for card in cards) and any("XX" in card for card in cards)
        await app.push_screen(DigitDetail(predictions, 0, tuple("0123456789"), True))
        await pilot.pause()
        seen["digit"] = untranslated(app)
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        seen["help"] = untranslated(app)
        await pilot.press("escape")
        await app.push_screen(ConfirmScreen("Really?"))
        await pilot.pause()
        seen["dialog"] = untranslated(app)
    assert not any(seen.values()), {name: "".join(sorted(chars)) for name, chars in seen.items() if chars}


def test_translation_keeps_every_cell():
    from rich.cells import cell_len

    sample = "".join(GLYPHS) + "plain text 123"
    out = to_ascii(sample)
    assert cell_len(out) == cell_len(sample) and out.isascii() and "?" not in out


async def test_the_footer_spells_out_keys_whose_symbol_has_no_ascii_stand_in(home, mnist):
    from textual.binding import Binding

    for ascii_art, enter in ((True, "enter"), (False, "\u23ce")):
        app = make_app(home=home, dataset=mnist, ascii_art=ascii_art)
        async with app.run_test(size=(80, 24)):
            assert app.get_key_display(Binding("enter", "open", "Open")) == enter  # as every footer asks it
            assert app.get_key_display(Binding("e", "edit", "Edit")) == "e"
