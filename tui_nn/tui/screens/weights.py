"""The first layer's units of a saved model drawn as images in the input's shape: a dense unit's
weights as a tile of the image size, a conv filter scaled up. Diverging: ink for positive weights,
a different ink for negative ones (and two ASCII ramps without Unicode), paged, each unit with its
index and its weights' norm."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine.layers import Conv2D, Dense

COLUMNS, ROWS = 5, 2
PAGE = COLUMNS * ROWS
TILE_COLUMNS, TILE_ROWS = 14, 7
#: Weight strength from weak to strong: positive and negative inks (Unicode, then ASCII).
POSITIVE, NEGATIVE = " ░▒▓█", " ·○•●"
POSITIVE_ASCII, NEGATIVE_ASCII = " .:+#", " ,-=%"


def unit_images(weights: np.ndarray, layer, image_shape: tuple[int, ...]) -> list[np.ndarray]:
    """One 2-D array per unit of the first layer: a dense unit's weights in the image's shape, a conv
    filter's kernel (channels averaged)."""
    if isinstance(layer, Dense):
        height, width = image_shape[:2]
        return [weights[:, unit].reshape(height, width) for unit in range(weights.shape[1])]
    return [weights[..., unit].mean(axis=2) for unit in range(weights.shape[-1])]


def resample(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """``image`` as rows x columns cells: block means when it is larger, repeated pixels when smaller."""
    height, width = image.shape
    if height >= rows and width >= columns:
        row_edges = np.linspace(0, height, rows + 1).astype(int)[:-1]
        col_edges = np.linspace(0, width, columns + 1).astype(int)[:-1]
        sums = np.add.reduceat(np.add.reduceat(image, row_edges, axis=0), col_edges, axis=1)
        counts = np.outer(np.diff(np.append(row_edges, height)), np.diff(np.append(col_edges, width)))
        return sums / counts
    return image[(np.arange(rows) * height) // rows][:, (np.arange(columns) * width) // columns]


def tile_lines(image: np.ndarray, scale: float, ascii_only: bool) -> list[Text]:
    """The unit as text, one cell per block of weights (a cell is about twice as tall as wide, so
    14 x 7 cells keep a square image square); the ink shows the strength, the glyph set (and the
    colour) the sign."""
    grid = resample(image, TILE_ROWS, TILE_COLUMNS)
    positive, negative = (POSITIVE_ASCII, NEGATIVE_ASCII) if ascii_only else (POSITIVE, NEGATIVE)
    lines = []
    for row in grid:
        text = Text()
        for value in row:
            level = min(int(abs(value) / scale * (len(positive) - 1) + 0.5), len(positive) - 1) if scale else 0
            glyphs, style = (positive, "red") if value >= 0 else (negative, "blue")
            text.append(glyphs[level], style=style if level else "")
        lines.append(text)
    return lines


class WeightsScreen(Screen):
    HELP_TITLE = "Weights"
    DEFAULT_CSS = """
    WeightsScreen #weights-status { height: auto; padding: 0 1; background: $panel; }
    WeightsScreen #tiles { grid-size: 5 2; grid-columns: 16; grid-rows: 9; height: 1fr; }
    """
    BINDINGS = [Binding("pagedown", "page(1)", "Next"), Binding("pageup", "page(-1)", "Prev"),
                Binding("escape", "back", "Back")]

    def __init__(self, model_path: Path):
        super().__init__()
        self.model_path = model_path
        self.images: list[np.ndarray] = []
        self.page = 0
        self.label = ""

    def compose(self) -> ComposeResult:
        yield Static(f"reading {self.model_path.name} ...", id="weights-status")
        with Grid(id="tiles"):
            for slot in range(PAGE):
                yield Static("", id=f"tile-{slot}")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        from ...experiment.models import load_model

        try:
            network, _, meta = load_model(self.model_path)
        except Exception as error:  # shown as a notice; the screen stays
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        layer = next((l for l in network.layers if isinstance(l, (Dense, Conv2D))), None)
        if layer is None:
            return
        image_shape = tuple(meta.get("data", {}).get("image_shape") or (28, 28))
        images = unit_images(np.asarray(layer.params["W"], np.float32), layer, image_shape)
        self.app.call_from_thread(self.show, images, layer.label())

    def show(self, images: list[np.ndarray], label: str) -> None:
        self.images, self.label = images, label
        self.draw()

    def draw(self) -> None:
        pages = max(1, -(-len(self.images) // PAGE))
        shown = self.images[self.page * PAGE:(self.page + 1) * PAGE]
        scale = float(max((np.abs(i).max() for i in self.images), default=0.0))
        for slot in range(PAGE):
            tile = self.query_one(f"#tile-{slot}", Static)
            if slot >= len(shown):
                tile.update("")
                continue
            index = self.page * PAGE + slot
            text = Text("\n").join(tile_lines(shown[slot], scale, self.app.ascii_art))
            text.append(f"\n#{index} |w| {np.linalg.norm(shown[slot]):.2f}")
            tile.update(text)
        sign = "+ '#' / - '%'" if self.app.ascii_art else "+ red / - blue"
        self.query_one("#weights-status", Static).update(
            f"[b]{self.label}[/b]: {len(self.images)} units, page {self.page + 1}/{pages}; ink = |weight| "
            f"(one scale for all), sign {sign}")

    def action_page(self, step: int) -> None:
        pages = max(1, -(-len(self.images) // PAGE))
        self.page = min(max(self.page + step, 0), pages - 1)
        self.draw()

    def action_back(self) -> None:
        self.app.pop_screen()
