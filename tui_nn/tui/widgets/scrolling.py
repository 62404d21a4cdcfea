"""The app's scrolling widgets, with scrollbar thumbs in whole cells.

Textual draws a thumb's ends with partial-cell block glyphs for smoothness; with colour off those
look like stray marks beside a table or a log. Each scrollbar of these widgets is drawn by
``WholeCellScrollBarRender`` instead, through the per-scrollbar ``renderer`` setting Textual
documents (``textual.scrollbar.ScrollBar.renderer``): other widgets, and other apps in the same
process, keep the library's own look.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import DataTable, RichLog


class WholeCellScrollBarRender(ScrollBarRender):
    """Scrollbar thumbs in whole cells (reverse video), without the partial-cell end glyphs."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class WholeCellScrollbars:
    """Mixed in before a widget class: its scrollbars, made when it first needs them, draw their
    thumbs in whole cells. (Not a Widget itself, so the widget keeps its CSS: Textual inherits
    styles along the first widget base only.)"""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        bar = super().vertical_scrollbar  # type: ignore[misc]
        bar.renderer = WholeCellScrollBarRender
        return bar

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        bar = super().horizontal_scrollbar  # type: ignore[misc]
        bar.renderer = WholeCellScrollBarRender
        return bar


#: Without colour (NO_COLOR) a cursor drawn in the theme's colours turns into a grey band: its
#: colours are the theme's text colours swapped. The app's rules (app.tcss) set its text style:
#: bold alone on the focused widget (a light band), bold reverse elsewhere (back to the plain row).
NO_COLOUR_CURSOR = """
&:nocolor > .{cursor} {{ color: $background; background: $foreground; }}
"""


class Table(WholeCellScrollbars, DataTable):
    """A DataTable with whole-cell scrollbars."""

    DEFAULT_CSS = "Table {" + NO_COLOUR_CURSOR.format(cursor="datatable--cursor") + "}"


class TextLog(WholeCellScrollbars, RichLog):
    """A RichLog with whole-cell scrollbars."""


class Scroll(WholeCellScrollbars, VerticalScroll):
    """A VerticalScroll with whole-cell scrollbars."""
