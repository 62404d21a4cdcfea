"""ASCII output: every character the app draws, turned into ASCII on its way to the terminal.

With ``--ascii`` (or a terminal whose encoding is not UTF-8) the app's own drawings are ASCII at
their source (digits, marks, bars); what the widget library draws (dropdown arrows, borders,
scrollbars, sparklines, the progress bar, ellipses, the footer's separators and key symbols) is
translated here (table in glyphs.py), one cell for one cell so no layout moves. A character missing from the table
becomes ``?`` on screen; a test walks every screen so that never happens.
"""

from __future__ import annotations

from textual.driver import Driver

from ..render.glyphs import GLYPHS, to_ascii

__all__ = ["GLYPHS", "ascii_driver", "ascii_key_display", "to_ascii"]

#: Key symbols the footer and the help show, spelled out: one ASCII cell of ``⏎`` would read as an
#: arrow (``< Open``), so these change width, before the layout is made (App.get_key_display).
KEY_NAMES = {"⏎": "enter", "↑": "up", "↓": "down", "←": "left", "→": "right", "⌫": "bksp"}


def ascii_key_display(display: str) -> str:
    """A key as the footer shows it, in ASCII words where its symbol is not ASCII."""
    return KEY_NAMES.get(display, display)


def ascii_driver(base: type[Driver]) -> type[Driver]:
    """``base`` with every write translated (escape sequences are ASCII already)."""

    class AsciiDriver(base):  # type: ignore[misc, valid-type]
        def write(self, data: str) -> None:
            super().write(to_ascii(data))

    AsciiDriver.__name__ = f"Ascii{base.__name__}"
    return AsciiDriver

