"""The app's scrolling widgets draw scrollbar thumbs in whole cells; Textual's own class is left as it is."""

from textual.scrollbar import ScrollBar, ScrollBarRender

from tui_nn.tui.widgets.scrolling import WholeCellScrollBarRender

from .test_snapshots import SIZE


async def test_the_tables_scrollbar_draws_whole_cells_and_textuals_class_is_untouched(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#presets")
        assert table.show_vertical_scrollbar  # more presets than rows: it scrolls
        assert table.vertical_scrollbar.renderer is WholeCellScrollBarRender
        assert table.horizontal_scrollbar.renderer is WholeCellScrollBarRender
        assert ScrollBar.renderer is ScrollBarRender


def test_a_whole_cell_thumb_has_no_partial_cell_glyphs():
    bar = WholeCellScrollBarRender.render_bar(size=10, virtual_size=37, window_size=9, position=5)
    assert {segment.text for segment in bar.segments} == {" "}
    library = ScrollBarRender.render_bar(size=10, virtual_size=37, window_size=9, position=5)
    assert {segment.text for segment in library.segments} - {" "}  # the library's ends are block glyphs
