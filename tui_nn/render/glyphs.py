"""Unicode drawing characters and their one-cell ASCII stand-ins (for ``--ascii`` and terminals
that are not UTF-8). Pure; used by the app's output and the CLI's charts alike."""

from __future__ import annotations

GLYPHS: dict[str, str] = {
    # blocks, by height: sparklines and the ends of bars
    "▁": "_", "▂": ".", "▃": "-", "▄": "-", "▅": "=", "▆": "+", "▇": "*", "█": "#", "▀": '"',
    "▉": "#", "▊": "#", "▋": "#", "▌": "|", "▍": "|", "▎": "|", "▏": "|", "▐": "|",
    "░": ".", "▒": ":", "▓": "#",
    # lines and boxes
    "─": "-", "━": "-", "╌": "-", "╍": "-", "┄": "-", "┅": "-", "═": "=", "╸": "-", "╺": "-",
    "│": "|", "┃": "|", "║": "|", "╎": "|", "╏": "|", "┆": "|", "┇": "|", "╹": "|", "╻": "|",
    "┌": "+", "┐": "+", "└": "+", "┘": "+", "╭": "+", "╮": "+", "╰": "+", "╯": "+",
    "┏": "+", "┓": "+", "┗": "+", "┛": "+", "╔": "+", "╗": "+", "╚": "+", "╝": "+",
    "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "┣": "+", "┫": "+", "┳": "+", "┻": "+", "╋": "+",
    "▔": "-", "▕": "|",
    # arrows, marks and punctuation
    "▼": "v", "▲": "^", "▶": ">", "◀": "<", "►": ">", "◄": "<", "▸": ">", "◂": "<", "▾": "v", "▴": "^",
    "←": "<", "→": ">", "↑": "^", "↓": "v", "⏎": "<", "↵": "<",
    "…": ".", "·": ".", "•": "*", "×": "x", "°": "o", "±": "+", "✓": "v", "✗": "x", "✔": "v", "✘": "x",
    "⭘": "o", "○": "o", "●": "*", "◉": "*", "◯": "o", "⚠": "!", "\u00a0": " ", "–": "-", "—": "-",
    "‘": "'", "’": "'", "“": '"', "”": '"',
    "🔎": "> ",  # two cells wide: two characters
}
TABLE = str.maketrans(GLYPHS)


def to_ascii(text: str) -> str:
    """Each character as ASCII of the same width in cells: from the table, else ``?``."""
    return text.translate(TABLE).encode("ascii", "replace").decode("ascii")
