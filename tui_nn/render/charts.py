"""Per-epoch curves of several runs in one chart with axes, and their legend below it, as text
(plotext). The legend is under the chart, never a box over the curves.

Each run has its own marker as well as its own colour, so the chart reads without colour too.
Used by `tui-nn compare`; the app draws the same series with textual-plotext.
"""

from __future__ import annotations

from .glyphs import to_ascii

#: Markers in the order runs get them: distinct shapes, ASCII first.
MARKERS = ("+", "x", "o", "*", "#", "@", "%", "=", "&", "$")


def chart_text(series: list[tuple[str, list[int], list[float]]], title: str, width: int = 78, height: int = 18,
               colour: bool = True, ascii_only: bool = False) -> str:
    """``series`` is (label, epochs, values) per run."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    for index, (label, xs, ys) in enumerate(series):
        if xs:
            plt.plot(xs, ys, marker=MARKERS[index % len(MARKERS)])
    plt.title(title)
    plt.xlabel("epoch")
    text = plt.build()
    if not colour:
        text = plt.uncolorize(text)
    legend = [f"  {MARKERS[index % len(MARKERS)]} {label}" + ("" if xs else "  (no values)")
              for index, (label, xs, _) in enumerate(series)]
    text = text.rstrip("\n") + "\n" + "\n".join(legend) + "\n"
    return to_ascii(text) if ascii_only else text
