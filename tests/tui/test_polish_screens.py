"""The model screens, the gallery and the dialogs at 80x24, in colour and without: one focused thing,
signs named by their glyphs, footers and headers whole, dialogs that say how to leave them."""

import pytest
from textual.widgets import DataTable, Input, Static
from textual.widgets._select import SelectOverlay

from tui_nn.tui.app import make_app
from tui_nn.tui.screens.confusion import count_cell
from tui_nn.tui.screens.dialogs import NameScreen
from tui_nn.tui.screens.gallery import DigitDetail, GalleryScreen
from tui_nn.tui.screens.weights import sign_legend

from .helpers import open_editor, open_model_screen, screen_text
from .test_polish import footer_keys, plain

SIZE = (80, 24)


@pytest.fixture
def plain_app(home, mnist, monkeypatch):
    """The app as NO_COLOR=1 starts it (Textual reads the variable when the app is made)."""
    monkeypatch.setenv("NO_COLOR", "1")
    return make_app(home=home, dataset=mnist)


def is_light_band(style) -> bool:
    """Dark text on a light band: what stays visible when colours are greyed (a reverse-video
    cursor row of a table does not reach the terminal: it came out light on dark as every row)."""
    if style.color is None or style.bgcolor is None or style.color.triplet is None or style.bgcolor.triplet is None:
        return False
    text, band = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)  # as shown

    def brightness(color) -> float:
        triplet = color.triplet
        return (0.299 * triplet.red + 0.587 * triplet.green + 0.114 * triplet.blue) / 255

    return brightness(band) > 0.5 > brightness(text)


async def test_without_colour_the_focused_tables_cursor_alone_is_a_light_band(plain_app):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        presets = app.screen.query_one("#presets", DataTable)
        assert presets.has_focus and is_light_band(presets.get_component_rich_style("datatable--cursor"))
        row = presets.render_line(1)  # the cursor's row as it is drawn
        assert is_light_band(next(iter(row)).style)
        await pilot.press("r")
        await pilot.pause()
        runs = app.screen.query_one("#runs", DataTable)
        assert is_light_band(runs.get_component_rich_style("datatable--cursor"))
        await pilot.press("slash")  # the filter takes the focus: the table's cursor no longer looks focused
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert not is_light_band(runs.get_component_rich_style("datatable--cursor"))


async def test_without_colour_the_open_lists_highlighted_option_is_a_light_band(plain_app):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        await open_editor(pilot, "tiny")
        await pilot.press("tab", "enter")  # the dataset's choices
        await pilot.pause()
        overlay = app.screen.query_one(SelectOverlay)
        assert overlay.has_focus
        style = overlay.get_visual_style("option-list--option", "option-list--option-highlighted")
        assert style.foreground is not None and style.background is not None
        assert style.background.brightness > 0.5 > style.foreground.brightness


def test_the_diagonal_is_bracketed_up_to_four_digits_and_underlined_never_reversed():
    cell = count_cell(1135, 0.99, diagonal=True)
    assert cell.plain == "[1135]" and "underline" in str(cell.style) and "reverse" not in str(cell.style)
    assert count_cell(980, 0.99, diagonal=True).plain == " [980]"
    assert count_cell(12, 0.01, diagonal=False).plain == "    12"


async def test_the_confusion_cursor_differs_from_the_diagonal_without_colour(plain_app, home):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "v", lambda s: s.matrix is not None)
        table = screen.query_one("#confusion", DataTable)
        assert table.cursor_coordinate == (0, 1)  # on the first diagonal cell
        cursor = table.get_component_rich_style("datatable--cursor")
        diagonal = table.get_row_at(0)[1]
        assert is_light_band(cursor) and "reverse" not in str(diagonal.style)
        assert diagonal.plain.strip().startswith("[") and "in reverse" not in screen_text(app)


def test_the_weights_legend_names_the_glyphs_of_each_sign():
    assert sign_legend(ascii_only=False, colour=False) == "+ ░▒▓█ / - ·○•●"
    assert sign_legend(ascii_only=False, colour=True) == "+ ░▒▓█ / - ·○•● (red / blue)"
    assert sign_legend(ascii_only=True, colour=True) == "+ .:+# / - ,-=%"


async def test_the_weights_screen_without_colour_names_no_colour(plain_app, home):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        await open_model_screen(pilot, home, "w", lambda s: bool(s.images))
        text = screen_text(app)
        assert "sign + ░▒▓█ / - ·○•●" in text and "red" not in text and "blue" not in text
        assert "Help" in footer_keys(app).values()


async def test_the_draw_screens_footer_is_whole_at_80_columns(app, home):
    async with app.run_test(size=SIZE) as pilot:
        await open_model_screen(pilot, home, "d", lambda s: s.probabilities is not None)
        keys = footer_keys(app)
        assert keys.get("?") == "Help" and keys.get("esc") == "Back" and keys.get("t") == "Test"
        assert "pen up (p)" in screen_text(app) and "(m)" in screen_text(app)  # the keys the footer leaves out


async def test_the_feature_map_footer_is_whole_at_80_columns(app, home):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "w", lambda s: bool(s.images), preset="tiny-conv")
        await pilot.press("f")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.showing_maps
        keys = footer_keys(app)
        assert keys.get("?") == "Help" and keys.get("f") == "Maps" and keys.get("t") == "Digit"


async def test_the_gallery_header_keeps_count_and_page_whole_when_filtered_and_sorted(app, home):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "v", lambda s: s.matrix is not None)
        screen.query_one("#confusion", DataTable).move_cursor(row=7, column=8)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GalleryScreen)
        await pilot.press("m", "c")
        await pilot.pause()
        header = app.screen.query_one("#gallery-status", Static)
        lines = plain(header).splitlines()
        assert len(lines) == 2 and all(len(line) <= SIZE[0] - 2 for line in lines)
        assert "page 1/" in lines[0] and lines[1].startswith("mistakes, true 7, predicted 7, least sure first: ")
        assert header.size.height == 2


async def test_the_digit_detail_and_the_name_prompt_say_how_to_leave_them(app, home):
    async with app.run_test(size=SIZE) as pilot:
        await open_model_screen(pilot, home, "v", lambda s: s.matrix is not None)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DigitDetail)
        assert "Esc, Enter or q closes" in screen_text(app)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        answers = []
        app.push_screen(NameScreen("Save as", "mine", lambda name: None), answers.append)
        await pilot.pause()
        assert "Enter accepts the name" in screen_text(app) and "Esc cancels" in screen_text(app)
        await pilot.press("enter")
        assert answers == ["mine"]


async def test_without_colour_problems_and_errors_are_light_on_the_dark_background(plain_app):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(pilot, "tiny")
        editor.fields["training.epochs"].input.value = "0"
        await pilot.pause()
        first = next(iter(editor.summary.render_line(0)))  # "1 problem(s)", drawn
        error = next(seg for seg in editor.fields["training.epochs"].error.render_line(0) if seg.text.strip())
        for segment in (first, error):
            assert segment.text.strip() and segment.style.color.triplet is not None
            triplet = segment.style.color.triplet
            assert (0.299 * triplet.red + 0.587 * triplet.green + 0.114 * triplet.blue) / 255 > 0.6, segment


async def test_without_colour_the_matrix_is_not_shaded_so_the_cursor_band_shows_every_count(plain_app, home):
    app = plain_app
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_model_screen(pilot, home, "v", lambda s: s.matrix is not None)
        table = screen.query_one("#confusion", DataTable)
        cells = [cell for i in range(table.row_count) for cell in table.get_row_at(i)[1:11]]
        assert cells and all("on " not in str(cell.style) for cell in cells)
