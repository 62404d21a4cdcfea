"""The ASCII stand-ins: typographic quotes become plain ones, one cell for one cell."""

from tui_nn.render.glyphs import GLYPHS, to_ascii


def test_typographic_quotes_become_plain_quotes():
    assert to_ascii("‘x’ “y”") == "'x' \"y\""


def test_every_entry_is_ascii_and_fills_the_same_cells():
    from rich.cells import cell_len

    for glyph, stand_in in GLYPHS.items():
        assert stand_in.isascii() and cell_len(stand_in) == cell_len(glyph), (glyph, stand_in)
