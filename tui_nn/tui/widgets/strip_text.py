"""Text drawn straight as strips: a few styled runs a line, no markup, no wrapping.

The playground redraws its pictures many times a second while a worker trains; a Rich ``Text``
would be converted to the widget library's own content, span by span, at each redraw. Here each
run is a ``Segment`` from the start, and the widget hands out the lines as they are.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget


class Lines:
    """Built like a ``Text`` (``append(text, style)``, newlines in ``text`` start new lines)."""

    def __init__(self) -> None:
        self.rows: list[list[Segment]] = [[]]

    def append(self, text: str, style: Style | None = None) -> None:
        for index, part in enumerate(text.split("\n")):
            if index:
                self.rows.append([])
            if part:
                self.rows[-1].append(Segment(part, style))

    @property
    def plain(self) -> str:
        return "\n".join("".join(segment.text for segment in row) for row in self.rows)

    def __str__(self) -> str:
        return self.plain


class StripView(Widget):
    """Shows the last ``Lines`` given to ``show_lines``, cut to its width (its size is set by CSS)."""

    def __init__(self, id: str | None = None):
        super().__init__(id=id)
        self.strips: list[Strip] = []
        self.plain = ""
        self.base: Style | None = None

    def show_lines(self, lines: Lines) -> None:
        self.strips = [Strip(row) for row in lines.rows]
        self.plain = lines.plain
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if y == 0 or self.base is None:
            self.base = self.rich_style  # once a redraw, not once a line
        strip = self.strips[y] if y < len(self.strips) else Strip.blank(0)
        return strip.crop_extend(0, self.size.width, self.base).apply_style(self.base)

    def render(self) -> Text:
        """What it shows, as plain text (for whoever reads the screen's text)."""
        return Text(self.plain)
