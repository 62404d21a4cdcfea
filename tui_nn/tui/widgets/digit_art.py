"""A test digit as text art with its prediction; right and wrong carry a symbol, not only a colour."""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.widgets import Static

from ...render.textart import render_fit

#: The art's box inside a card: 14 columns by 7 rows (a 28x28 digit at half size).
ART_COLUMNS, ART_ROWS = 14, 7


def verdict_symbol(correct: bool, ascii_only: bool) -> str:
    if ascii_only:
        return "ok" if correct else "XX"
    return "✓" if correct else "✗"


class DigitCard(Static):
    DEFAULT_CSS = """
    DigitCard { width: 16; height: 9; padding: 0 0 0 1; border: none; }
    DigitCard.selected { background: $accent 30%; }
    DigitCard .right { color: $success; }
    """

    def show(self, image: np.ndarray, label: int, probabilities: np.ndarray, ascii_only: bool,
             names: tuple[str, ...], selected: bool = False) -> None:
        predicted = int(probabilities.argmax())
        correct = predicted == int(label)
        lines = render_fit(image, ART_COLUMNS, ART_ROWS, ascii_only)
        lines += [""] * (ART_ROWS - len(lines))  # the caption sits at the same height in every card
        text = Text("\n".join(lines) + "\n")
        # The selection is marked with ">" as well as a background, which NO_COLOR removes.
        line = (f"{'>' if selected else ' '}{names[predicted]}{verdict_symbol(correct, ascii_only)} "
                f"{probabilities[predicted]:.0%} t:{names[int(label)]}")
        text.append(line, style="green" if correct else "bold red")
        self.update(text)
        self.set_class(not correct, "wrong")

    def clear(self) -> None:
        self.update("")
